#include "serve/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/file.h"

namespace duet::serve {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kData = fs::path(DUET_SOURCE_DIR) / "tests/cli/data";
const std::string kModels = (fs::path(DUET_SOURCE_DIR) / "models").string();

// A server on a copy of a test project, on a free port, for one test.
class ServerTest : public ::testing::Test {
 protected:
  void start(const char* project, const fs::path& board = {}) {
    dir_ = fs::temp_directory_path() /
           ("duet-serve-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::copy(kData / project, dir_, fs::copy_options::recursive);
    ServerOptions options;
    options.project = dir_;
    options.models_dir = kModels;
    options.token = "t0k3n";
    options.max_body_bytes = 4096;
    options.board = board;
    server_ = std::make_unique<Server>(options);
    auto port = server_->bind(0);
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    thread_ = std::thread([this] { server_->run(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60, 0);
    for (int i = 0; i < 100 && !client_->Get("/"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    fs::remove_all(dir_);
  }
  httplib::Headers auth(httplib::Headers more = {}) {
    more.emplace("Authorization", "Bearer t0k3n");
    return more;
  }
  std::string etag() {
    auto r = client_->Get("/api/project", auth());
    return r ? r->get_header_value("ETag") : "";
  }

  fs::path dir_;
  int port_ = 0;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, RefusesRequestsWithoutTheTokenFromOtherHostsAndFromOtherPages) {
  start("project_sync");
  auto none = client_->Get("/api/project");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_NE(json::parse(none->body)["error"].get<std::string>().find("token"), std::string::npos);
  auto wrong = client_->Get("/api/project", {{"Authorization", "Bearer nope"}});
  EXPECT_EQ(wrong->status, 401);
  auto rebound =
      client_->Get("/api/project", auth({{"Host", "evil.example:" + std::to_string(port_)}}));
  EXPECT_EQ(rebound->status, 403);
  auto cross = client_->Get("/api/project", auth({{"Origin", "http://evil.example"}}));
  EXPECT_EQ(cross->status, 403);
  auto own =
      client_->Get("/api/project", auth({{"Origin", "http://127.0.0.1:" + std::to_string(port_)}}));
  EXPECT_EQ(own->status, 200);
  auto by_query = client_->Get("/api/project?token=t0k3n");
  EXPECT_EQ(by_query->status, 200);
}

TEST_F(ServerTest, ReadsTheProjectWithItsRevision) {
  start("project_sync");
  auto r = client_->Get("/api/project", auth());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json j = json::parse(r->body);
  EXPECT_EQ("\"" + j["revision"].get<std::string>() + "\"", r->get_header_value("ETag"));
  EXPECT_EQ(j["project"]["cues"].size(), 3u);
}

TEST_F(ServerTest, AppliesASyncOptionOnlyAgainstTheRevisionRead) {
  start("project_sync");
  auto options = client_->Get("/api/cues/1M3/sync?options=2", auth());
  ASSERT_TRUE(options);
  ASSERT_EQ(options->status, 200) << options->body;
  EXPECT_EQ(json::parse(options->body)["options"].size(), 2u);

  const std::string before = etag();
  auto no_revision =
      client_->Post("/api/cues/1M3/sync/apply", auth(), R"({"option": 1})", "application/json");
  EXPECT_EQ(no_revision->status, 412);
  auto applied = client_->Post("/api/cues/1M3/sync/apply", auth({{"If-Match", before}}),
                               R"({"option": 1})", "application/json");
  ASSERT_EQ(applied->status, 200) << applied->body;
  EXPECT_TRUE(json::parse(applied->body)["changed"].get<bool>());
  EXPECT_NE(applied->get_header_value("ETag"), before);
  EXPECT_EQ(applied->get_header_value("ETag"), etag());
  EXPECT_TRUE(fs::exists(dir_ / "history" / "1M3"));
  // The second tab, still on the old revision, loses nothing and is told to read again.
  auto stale = client_->Post("/api/cues/1M3/sync/apply", auth({{"If-Match", before}}),
                             R"({"option": 2})", "application/json");
  EXPECT_EQ(stale->status, 412);
  auto missing = client_->Get("/api/cues/9M9/sync", auth());
  EXPECT_EQ(missing->status, 400);
  EXPECT_NE(missing->body.find("has no cue 9M9"), std::string::npos);
}

TEST_F(ServerTest, BadBodiesAndPathsGetOneSentenceAndChangeNothing) {
  start("project_sync");
  const std::string before = etag();
  auto bad = client_->Post("/api/cues/1M3/sync/apply", auth({{"If-Match", before}}), "{oops",
                           "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(json::parse(bad->body).contains("error"));
  auto big =
      client_->Post("/api/jobs/compose", auth(), std::string(10000, ' '), "application/json");
  EXPECT_EQ(big->status, 413);
  auto outside = client_->Get("/files/..%2Fescape.txt", auth());
  EXPECT_EQ(outside->status, 403);
  auto out_job =
      client_->Post("/api/jobs/compose", auth(), R"({"out": "../elsewhere"})", "application/json");
  EXPECT_EQ(out_job->status, 403);
  EXPECT_EQ(etag(), before);
}

TEST_F(ServerTest, ServesFilesWithRanges) {
  start("project_sync");
  auto whole = base::read_file(dir_ / "duet.json");
  ASSERT_TRUE(whole);
  auto part = client_->Get("/files/duet.json", auth({{"Range", "bytes=2-9"}}));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, std::string(whole->begin() + 2, whole->begin() + 10));
}

// A job started and followed to its end; its last status.
json finish_job(httplib::Client& client, const httplib::Headers& headers, const char* path,
                const std::string& body) {
  auto r = client.Post(path, headers, body, "application/json");
  EXPECT_EQ(r->status, 202) << r->body;
  if (r->status != 202) return json::parse(r->body);
  const std::string job = json::parse(r->body)["job"];
  client.Get(("/api/jobs/" + job + "/events").c_str(), headers,
             [](const char*, std::size_t) { return true; });
  return json::parse(client.Get(("/api/jobs/" + job).c_str(), headers)->body);
}

TEST_F(ServerTest, RunsAComposeJobWithProgressEventsAndItsReport) {
  start("project_compose");
  auto started = client_->Post("/api/jobs/compose", auth(),
                               R"({"cues": ["1M1"], "candidates": 2, "keep": 1, "out": "c"})",
                               "application/json");
  ASSERT_TRUE(started);
  ASSERT_EQ(started->status, 202) << started->body;
  const std::string id = json::parse(started->body)["job"];
  std::string events;
  auto stream = client_->Get(("/api/jobs/" + id + "/events").c_str(), auth(),
                             [&](const char* data, std::size_t n) {
                               events.append(data, n);
                               return true;
                             });
  ASSERT_TRUE(stream);
  EXPECT_NE(events.find("event: end"), std::string::npos) << events;
  auto status = client_->Get(("/api/jobs/" + id).c_str(), auth());
  const json j = json::parse(status->body);
  ASSERT_EQ(j["state"], "done") << status->body;
  EXPECT_EQ(j["result"]["cues"][0]["cue"], "1M1");
  EXPECT_TRUE(fs::exists(dir_ / "c" / "1M1-1.mid"));
  EXPECT_EQ(client_->Get("/api/jobs/99", auth())->status, 404);

  // The hand-off from what was composed: the stems of the film's music, then the export and the
  // cue sheet, each a job followed to its end.
  const auto finish = [&](const char* path, const std::string& body) {
    return finish_job(*client_, auth(), path, body);
  };
  const json scored =
      finish("/api/jobs/score-film", R"({"cues": ["1M1"], "from": "c", "stems": "stems"})");
  ASSERT_EQ(scored["state"], "done") << scored.dump();
  EXPECT_EQ(scored["result"]["cues"][0]["id"], "1M1");
  EXPECT_FALSE(fs::is_empty(dir_ / "stems"));
  const json delivered = finish("/api/jobs/deliver", R"({"from": "c", "out": "deliver"})");
  ASSERT_EQ(delivered["state"], "done") << delivered.dump();
  EXPECT_TRUE(fs::exists(dir_ / "deliver" / "1M1.musicxml"));
  EXPECT_TRUE(fs::exists(dir_ / "deliver" / "cue-sheet.html"));
  // A path outside the project is refused before any job starts.
  auto outside = client_->Post("/api/jobs/score-film", auth(),
                               R"({"from": "c", "out": "../x.wav"})", "application/json");
  EXPECT_EQ(outside->status, 403);
  auto nothing =
      client_->Post("/api/jobs/score-film", auth(), R"({"from": "c"})", "application/json");
  EXPECT_EQ(nothing->status, 400);
}

// [GIVEN] a project with a cut and a film [THEN] the board's page and assets are served without
// the token, and what it draws with it: the film with ranges, the cut's shots, a cue's
// streamers and bar lines, each sync option's bar lines.
TEST_F(ServerTest, ServesTheBoardAndThePictureTheCutAndTheStreamers) {
  const fs::path board = fs::temp_directory_path() / ("duet-board-" + std::to_string(::getpid()));
  fs::create_directories(board / "assets");
  ASSERT_TRUE(base::write_file_atomic(board / "index.html", std::string("<!doctype html>board")));
  ASSERT_TRUE(base::write_file_atomic(board / "assets" / "app-1.js", std::string("let a = 1;")));
  start("project_compose", board);
  auto page = client_->Get("/");
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->body, "<!doctype html>board");
  auto asset = client_->Get("/assets/app-1.js");
  ASSERT_EQ(asset->status, 200);
  EXPECT_NE(asset->get_header_value("Content-Type").find("javascript"), std::string::npos);
  EXPECT_EQ(client_->Get("/assets/..%2F..%2Fduet.json")->status, 404);
  EXPECT_EQ(client_->Get("/assets/missing.js")->status, 404);
  // The film and the cut, once the project names them.
  auto no_film = client_->Get("/api/picture", auth());
  EXPECT_EQ(no_film->status, 404);
  EXPECT_NE(no_film->body.find("has no film"), std::string::npos);
  ASSERT_TRUE(base::write_file_atomic(
      dir_ / "cut.edl",
      std::string("TITLE: T\nFCM: NON-DROP FRAME\n\n"
                  "001  A001     V     C        01:00:00:00 01:00:12:00 01:00:00:00 01:00:12:00\n"
                  "002  A002     V     C        02:00:00:00 02:00:16:00 01:00:12:00 "
                  "01:00:28:00\n")));
  ASSERT_TRUE(base::write_file_atomic(dir_ / "film.mp4", std::string("0123456789")));
  auto text = base::read_file(dir_ / "duet.json");
  json manifest = json::parse(text->begin(), text->end());
  manifest["picture"]["film"] = "film.mp4";
  manifest["picture"]["edl"] = "cut.edl";
  ASSERT_TRUE(base::write_file_atomic(dir_ / "duet.json", manifest.dump(2) + "\n"));
  EXPECT_EQ(client_->Get("/api/picture")->status, 401);
  auto film = client_->Get("/api/picture", auth({{"Range", "bytes=2-4"}}));
  ASSERT_EQ(film->status, 206);
  EXPECT_EQ(film->body, "234");
  auto cut = client_->Get("/api/cut", auth());
  ASSERT_EQ(cut->status, 200) << cut->body;
  const json c = json::parse(cut->body);
  EXPECT_EQ(c["rate"]["num"], 24);
  EXPECT_EQ(c["start_s"], 3600.0);
  ASSERT_EQ(c["shots"].size(), 2u);
  EXPECT_EQ(c["shots"][1]["in"], "01:00:12:00");
  EXPECT_EQ(c["shots"][1]["in_s"], 3612.0);
  EXPECT_EQ(c["shots"][1]["reel"], "A002");
  // 1M1: 120 BPM in 4/4 from 01:00:02:00, so a bar every 2 s; the green start streamer on bar 1.
  auto marks = client_->Get("/api/cues/1M1/streamers", auth());
  ASSERT_EQ(marks->status, 200) << marks->body;
  const json m = json::parse(marks->body);
  ASSERT_FALSE(m["streamers"].empty());
  EXPECT_EQ(m["streamers"][0]["kind"], "start");
  EXPECT_EQ(m["streamers"][0]["at"], 3602.0);
  EXPECT_EQ(m["streamers"][0]["sweep"], 3599.0);
  EXPECT_EQ(m["bars"][1]["t"], 3604.0);
  EXPECT_EQ(m["bars"].size(), 9u);  // bars 1-9: 01:00:02 to 01:00:18, the out point
  auto none = json::parse(client_->Get("/api/cues/1M2/streamers", auth())->body);
  EXPECT_TRUE(none["streamers"].empty());
  // Every cue's in one request: the cues with a tempo map, each as its own request gives it.
  auto all = json::parse(client_->Get("/api/streamers", auth())->body);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all["1M1"], m);
  auto options = json::parse(client_->Get("/api/cues/1M1/sync?options=2", auth())->body);
  ASSERT_EQ(options["options"].size(), 2u);
  EXPECT_GT(options["options"][0]["bar_lines"].size(), 3u);
  // A broken cut is one sentence naming the file.
  ASSERT_TRUE(base::write_file_atomic(dir_ / "cut.edl", std::string("001 nonsense\n")));
  auto broken = client_->Get("/api/cut", auth());
  EXPECT_EQ(broken->status, 400);
  EXPECT_NE(broken->body.find("cut.edl"), std::string::npos) << broken->body;
  fs::remove_all(board);
}

// [GIVEN] composed candidates [THEN] a candidate's notes placed on the film, a critique of it,
// the take the composer keeps used by score-film (here as an audition WAV), and a recompose
// around locked bars of the kept take that keeps those bars note for note.
TEST_F(ServerTest, KeepsATakeAuditionsItAndComposesAroundItsLockedBars) {
  start("project_compose");
  const json composed = finish_job(*client_, auth(), "/api/jobs/compose",
                                   R"({"cues": ["1M1"], "candidates": 2, "keep": 2, "out": "c"})");
  ASSERT_EQ(composed["state"], "done") << composed.dump();
  auto music = client_->Get("/api/cues/1M1/music?file=c/1M1-2.mid", auth());
  ASSERT_EQ(music->status, 200) << music->body;
  const json kept = json::parse(music->body);
  EXPECT_EQ(kept["placed"]["at_s"], 3602.0);
  EXPECT_EQ(kept["placed"]["from"], "smpte offset");
  EXPECT_EQ(kept["bars"][0]["t"], 3602.0);
  ASSERT_FALSE(kept["parts"].empty());
  EXPECT_GE(kept["parts"][0]["notes"][0][0].get<double>(), 3602.0);
  EXPECT_EQ(client_->Get("/api/cues/1M1/music?file=../x.mid", auth())->status, 403);
  EXPECT_EQ(client_->Get("/api/cues/1M1/music", auth())->status, 400);

  auto critique = client_->Post("/api/cues/1M1/critique", auth(), R"({"file": "c/1M1-2.mid"})",
                                "application/json");
  ASSERT_EQ(critique->status, 200) << critique->body;
  EXPECT_FALSE(json::parse(critique->body)["critics"].empty());
  EXPECT_EQ(
      client_->Post("/api/cues/1M1/critique", auth(), R"({"file": "../x.mid"})", "application/json")
          ->status,
      403);
  EXPECT_EQ(client_->Post("/api/cues/1M1/critique", auth(), "{}", "application/json")->status, 400);

  // Keep candidate 2: score-film takes it without being told.
  auto keep = client_->Patch("/api/cues/1M1", auth({{"If-Match", etag()}}),
                             R"({"music": "c/1M1-2.mid", "reason": "kept candidate 2"})",
                             "application/json");
  ASSERT_EQ(keep->status, 200) << keep->body;
  const json audition = finish_job(*client_, auth(), "/api/jobs/score-film",
                                   R"({"cues": ["1M1"], "from": "c", "wav": "board/1M1.wav",
                     "excerpt": {"pre_roll": 0, "post_roll": 1, "alone": true}})");
  ASSERT_EQ(audition["state"], "done") << audition.dump();
  EXPECT_NE(audition["result"]["cues"][0]["midi"].get<std::string>().find("1M1-2.mid"),
            std::string::npos);
  EXPECT_EQ(audition["result"]["excerpt"]["from"], "01:00:02:00");
  EXPECT_TRUE(fs::exists(dir_ / "board" / "1M1.wav"));
  // The board's first seconds of an audition: from a timecode, chased, as long as asked.
  const json head = finish_job(*client_, auth(), "/api/jobs/score-film",
                               R"({"cues": ["1M1"], "from": "c", "wav": "board/1M1-head.wav",
                     "excerpt": {"from": "01:00:03:00", "seconds": 1.5, "alone": true,
                                 "chase": true}})");
  ASSERT_EQ(head["state"], "done") << head.dump();
  EXPECT_EQ(head["result"]["excerpt"]["from"], "01:00:03:00");
  EXPECT_EQ(head["result"]["excerpt"]["to"], "01:00:04:12");
  EXPECT_TRUE(fs::exists(dir_ / "board" / "1M1-head.wav"));
  auto bad_point = client_->Post("/api/jobs/score-film", auth(),
                                 R"({"cues": ["1M1"], "wav": "board/x.wav",
                     "excerpt": {"from": "01:00:03:30"}})",
                                 "application/json");
  EXPECT_EQ(bad_point->status, 400);
  EXPECT_NE(bad_point->body.find("excerpt from: "), std::string::npos) << bad_point->body;
  EXPECT_FALSE(fs::exists(dir_ / "board" / "x.wav"));

  // Lock bars 1-2 of the kept take and write the rest anew, into a folder of its own.
  EXPECT_EQ(client_
                ->Post("/api/jobs/compose", auth(), R"({"locks": [{"file": "../x.mid"}]})",
                       "application/json")
                ->status,
            403);
  EXPECT_EQ(client_
                ->Post("/api/jobs/compose", auth(), R"({"locks": [{"bars": [2, 1]}]})",
                       "application/json")
                ->status,
            400);
  const json again =
      finish_job(*client_, auth(), "/api/jobs/compose",
                 R"({"cues": ["1M1"], "candidates": 2, "keep": 1, "seed": 9, "out": "c2",
          "locks": [{"file": "c/1M1-2.mid", "bars": [1, 2]}]})");
  ASSERT_EQ(again["state"], "done") << again.dump();
  const json fresh =
      json::parse(client_->Get("/api/cues/1M1/music?file=c2/1M1-1.mid", auth())->body);
  const double bar3 = kept["bars"][2]["t"];
  const auto early = [bar3](const json& m) {
    std::vector<std::string> notes;
    for (const auto& p : m["parts"])
      for (const auto& n : p["notes"])
        if (n[0].get<double>() < bar3 - 1e-6) notes.push_back(n.dump());
    std::sort(notes.begin(), notes.end());
    return notes;
  };
  EXPECT_FALSE(early(kept).empty());
  EXPECT_EQ(early(fresh), early(kept));
  EXPECT_NE(fresh["parts"], kept["parts"]);
}

TEST_F(ServerTest, ThemesAreReadAddedTaggedAndRemovedAgainstTheRevisionRead) {
  start("project_compose");
  auto listed = client_->Get("/api/themes", auth());
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_NE(listed->body.find("keeper"), std::string::npos);
  auto put = client_->Put("/api/themes/harbour", auth({{"If-Match", etag()}}),
                          R"({"text": "4/4 D4q. F4e A4q D5q | C5q A4e F4e G4h", "key": "D minor",
                              "stands_for": "the harbour"})",
                          "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(json::parse(put->body)["theme"]["key"], "D minor");
  auto shown = client_->Get("/api/themes/harbour", auth());
  ASSERT_EQ(shown->status, 200) << shown->body;
  EXPECT_EQ(json::parse(shown->body)["notes"].size(), 8u);
  const std::string before = etag();
  auto tagged = client_->Post("/api/themes/harbour/tag", auth({{"If-Match", before}}),
                              R"({"cues": ["1M2"]})", "application/json");
  ASSERT_EQ(tagged->status, 200) << tagged->body;
  EXPECT_EQ(json::parse(tagged->body)["changed"], json::array({"1M2"}));
  // A stale revision, a bad body and a theme that is not there: refused, nothing changed.
  EXPECT_EQ(client_->Delete("/api/themes/harbour", auth({{"If-Match", before}}))->status, 412);
  EXPECT_EQ(client_
                ->Put("/api/themes/x", auth({{"If-Match", etag()}}), R"({"text": "4/4 H9q"})",
                      "application/json")
                ->status,
            400);
  EXPECT_EQ(client_
                ->Post("/api/themes/harbour/tag", auth({{"If-Match", etag()}}),
                       R"({"cues": ["1M2"], "all": true})", "application/json")
                ->status,
            400);
  EXPECT_EQ(client_->Get("/api/themes/nobody", auth())->status, 400);
  auto removed = client_->Delete("/api/themes/harbour", auth({{"If-Match", etag()}}));
  ASSERT_EQ(removed->status, 200) << removed->body;
  EXPECT_EQ(json::parse(removed->body)["still_tagged"], 1);
}

TEST_F(ServerTest, ACancelledJobWritesNothing) {
  start("project_compose");
  auto started =
      client_->Post("/api/jobs/compose", auth(), R"({"candidates": 64, "keep": 1, "out": "gone"})",
                    "application/json");
  ASSERT_EQ(started->status, 202);
  const std::string id = json::parse(started->body)["job"];
  client_->Delete(("/api/jobs/" + id).c_str(), auth());
  json j;
  for (int i = 0; i < 600; ++i) {
    j = json::parse(client_->Get(("/api/jobs/" + id).c_str(), auth())->body);
    if (j["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(j["state"], "cancelled") << j.dump();
  EXPECT_FALSE(fs::exists(dir_ / "gone"));
}

TEST_F(ServerTest, EditsCuesAsNewVersionsAgainstTheRevisionRead) {
  start("project_sync");
  const std::string rev = etag();
  // A hit dragged on the board: the cue's hits, changed, sent back.
  json cue = json::parse(client_->Get("/api/project", auth())->body)["project"]["cues"][0];
  json hits = cue["hits"];
  hits[1]["time"] = "01:00:04:06";
  const std::string edit = json{{"hits", hits}, {"reason", "door moved"}}.dump();
  auto no_revision = client_->Patch("/api/cues/1M3", auth(), edit, "application/json");
  EXPECT_EQ(no_revision->status, 412);
  auto edited =
      client_->Patch("/api/cues/1M3", auth({{"If-Match", rev}}), edit, "application/json");
  ASSERT_EQ(edited->status, 200) << edited->body;
  EXPECT_EQ(json::parse(edited->body)["cue"]["hits"][1]["time"], "01:00:04:06");
  EXPECT_EQ(json::parse(edited->body)["kept_version"], 1);
  const std::string after = edited->get_header_value("ETag");
  EXPECT_EQ(after, etag());
  // The project read again shows the kept version and what it is derived from (duet show --json).
  const json shown = json::parse(client_->Get("/api/project", auth())->body)["project"]["cues"][0];
  ASSERT_EQ(shown["versions"].size(), 1u) << shown.dump();
  EXPECT_EQ(shown["versions"][0]["reason"], "door moved");
  EXPECT_TRUE(shown.contains("state") && shown.contains("duration")) << shown.dump();
  // The other tab's edit, made against the old revision, is refused and loses nothing.
  auto stale = client_->Patch("/api/cues/1M3", auth({{"If-Match", rev}}), R"({"title": "Storm"})",
                              "application/json");
  EXPECT_EQ(stale->status, 412);
  // A bad edit: one sentence naming the field; nothing changes.
  auto bad = client_->Patch(
      "/api/cues/1M3", auth({{"If-Match", after}}),
      R"({"emotion": [{"time": "01:00:03:00", "valence": 7, "arousal": 0, "tension": 0}]})",
      "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(json::parse(bad->body)["error"].get<std::string>().find("cue 1M3: emotion/0/valence"),
            std::string::npos)
      << bad->body;
  EXPECT_EQ(etag(), after);

  // The versions, and undo by restoring the one before.
  auto versions = client_->Get("/api/cues/1M3/versions", auth());
  ASSERT_EQ(versions->status, 200) << versions->body;
  ASSERT_EQ(json::parse(versions->body).size(), 1u);
  EXPECT_EQ(json::parse(versions->body)[0]["reason"], "door moved");
  auto undo = client_->Post("/api/cues/1M3/restore", auth({{"If-Match", after}}),
                            R"({"version": 1})", "application/json");
  ASSERT_EQ(undo->status, 200) << undo->body;
  EXPECT_EQ(json::parse(undo->body)["cue"]["hits"][1]["time"], "01:00:04:00");

  // A cue added, then removed (and kept).
  auto added = client_->Post("/api/cues", auth({{"If-Match", etag()}}),
                             R"({"id": "1M4", "in": "01:00:40:00", "out": "01:00:50:00"})",
                             "application/json");
  ASSERT_EQ(added->status, 201) << added->body;
  auto removed = client_->Delete("/api/cues/1M4", auth({{"If-Match", etag()}}));
  ASSERT_EQ(removed->status, 200) << removed->body;
  EXPECT_TRUE(json::parse(removed->body)["cue"].is_null());
  EXPECT_EQ(json::parse(client_->Get("/api/project", auth())->body)["project"]["cues"].size(), 3u);
  EXPECT_TRUE(fs::exists(dir_ / "history" / "1M4" / "1.json"));
}

}  // namespace
}  // namespace duet::serve
