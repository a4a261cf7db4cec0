#include "serve/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

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
  void start(const char* project) {
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
    auto r = client_->Post(path, auth(), body, "application/json");
    EXPECT_EQ(r->status, 202) << r->body;
    const std::string job = json::parse(r->body)["job"];
    client_->Get(("/api/jobs/" + job + "/events").c_str(), auth(),
                 [](const char*, std::size_t) { return true; });
    return json::parse(client_->Get(("/api/jobs/" + job).c_str(), auth())->body);
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
