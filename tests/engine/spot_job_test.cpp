// The spotting jobs: a draft of a film with and without a project, its merge, and the spotting
// sheet; what each reports, writes, and leaves alone when it fails.
#include "engine/spot_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "base/file.h"
#include "engine/session.h"
#include "export/sheet.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;
using test_support::text_of;

using test_support::kData;
// 4 s at 24 fps, two shots, its own timecode 10:00:00:00.
const fs::path kFilm = kData / "two-shots.mov";

class SpotJobTest : public test_support::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_);
  }

  // A project in dir_/proj whose picture is a copy of the film, with no cues yet.
  fs::path make_project() {
    const fs::path proj = dir_ / "proj";
    fs::create_directories(proj);
    fs::copy_file(kFilm, proj / "film.mov");
    project::Manifest m;
    m.title = "Spot";
    m.picture.film = "film.mov";
    m.picture.start = {10, 0, 0, 0};
    auto made = project::Project::create(proj, m);
    EXPECT_TRUE(made) << made.error().message;
    return proj;
  }
};

TEST_F(SpotJobTest, AFilmAloneIsDraftedWithItsOwnTimecodeAndNothingIsWritten) {
  SpotRequest request;
  request.film = kFilm.string();
  std::set<std::string> stages;
  double last = 0;
  auto report = spot_film(request, [&](const std::string& what, double fraction) {
    stages.insert(what);
    EXPECT_GE(fraction, last);
    last = fraction;
    return true;
  });
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(stages, std::set<std::string>{"analysing two-shots.mov"});
  EXPECT_DOUBLE_EQ(last, 1.0);
  EXPECT_EQ(report->rate, time::FrameRate::fps24());
  EXPECT_EQ(report->start, (time::Timecode{10, 0, 0, 0}));
  EXPECT_TRUE(report->warnings.empty());
  EXPECT_FALSE(report->merged);
  ASSERT_FALSE(report->draft.notes.empty());
  ASSERT_FALSE(report->draft.cues.empty());
  const auto json = to_json(*report);
  EXPECT_EQ(json["film"], kFilm.string());
  EXPECT_EQ(json["draft"], true);
  EXPECT_EQ(json["runs"].size(), report->draft.notes.size());
  EXPECT_EQ(json["cues"].size(), report->draft.cues.size());
  EXPECT_EQ(json["cues"][0]["id"], report->draft.cues.front().id.to_string());
  EXPECT_FALSE(json.contains("merge"));
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(SpotJobTest, AGivenStartAndRateCountTheDraftsTimecodes) {
  SpotRequest request;
  request.film = kFilm.string();
  request.rate = time::FrameRate::fps25();
  request.start = "01:00:00:00";
  auto report = spot_film(request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->rate, time::FrameRate::fps25());
  EXPECT_EQ(report->start, (time::Timecode{1, 0, 0, 0}));
  EXPECT_EQ(to_json(*report)["runs"][0]["from"], "01:00:00:00");
}

TEST_F(SpotJobTest, TheDraftIsMergedIntoTheProjectAndASecondDraftChangesNothing) {
  const fs::path proj = make_project();
  auto session = Session::open(proj);
  ASSERT_TRUE(session) << session.error().message;
  auto first = session->spot({});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->film, (proj / "film.mov").string());
  ASSERT_TRUE(first->merged);
  ASSERT_FALSE(first->merged->actions.empty());
  for (const auto& a : first->merged->actions)
    EXPECT_EQ(spot::merge_action_name(a.kind), "added") << a.message;
  // The project on disk holds the merged cues; the session sees them too.
  auto reloaded = project::Project::load(proj);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->manifest().cues, first->merged->cues);
  EXPECT_EQ(session->project().manifest().cues, first->merged->cues);
  const auto json = to_json(*first);
  ASSERT_EQ(json["merge"].size(), first->merged->actions.size());
  EXPECT_EQ(json["merge"][0]["action"], "added");

  const std::string saved = text_of(proj / "duet.json");
  auto second = session->spot({});
  ASSERT_TRUE(second) << second.error().message;
  for (const auto& a : second->merged->actions)
    EXPECT_EQ(spot::merge_action_name(a.kind), "unchanged") << a.message;
  EXPECT_EQ(text_of(proj / "duet.json"), saved);
  EXPECT_FALSE(fs::exists(proj / "history"));
}

TEST_F(SpotJobTest, BadInputFailsNamingItAndLeavesTheProjectAsItWas) {
  const fs::path proj = make_project();
  auto session = Session::open(proj);
  ASSERT_TRUE(session);
  const std::string before = text_of(proj / "duet.json");

  SpotRequest missing;
  missing.film = (dir_ / "missing.mp4").string();
  auto no_film = session->spot(missing);
  ASSERT_FALSE(no_film);
  EXPECT_NE(no_film.error().message.find("missing.mp4"), std::string::npos)
      << no_film.error().message;

  const fs::path bad_edl = dir_ / "bad.edl";
  ASSERT_TRUE(base::write_file_atomic(
      bad_edl,
      "TITLE: BROKEN\n001  A001  V  C  10:00:00:00 10:00:xx:00 10:00:00:00 10:00:04:00\n"));
  SpotRequest edl;
  edl.edl = bad_edl.string();
  auto bad_cut = session->spot(edl);
  ASSERT_FALSE(bad_cut);
  EXPECT_EQ(bad_cut.error().message.rfind(bad_edl.string() + ": ", 0), 0u)
      << bad_cut.error().message;
  EXPECT_EQ(bad_cut.error().message.find(": :"), std::string::npos) << bad_cut.error().message;

  SpotRequest start;
  start.start = "10:00:00:99";
  auto bad_start = session->spot(start);
  ASSERT_FALSE(bad_start);
  EXPECT_EQ(bad_start.error().message.rfind("--start: ", 0), 0u) << bad_start.error().message;

  EXPECT_EQ(text_of(proj / "duet.json"), before);
  EXPECT_TRUE(session->project().manifest().cues.empty());
  EXPECT_FALSE(fs::exists(proj / "history"));
}

TEST_F(SpotJobTest, WithoutAFilmTheJobSaysSo) {
  auto no_film = spot_film({});
  ASSERT_FALSE(no_film);
  EXPECT_NE(no_film.error().message.find("no film"), std::string::npos);
}

TEST_F(SpotJobTest, CancellingTheAnalysisFailsAndSavesNothing) {
  const fs::path proj = make_project();
  auto session = Session::open(proj);
  ASSERT_TRUE(session);
  const std::string before = text_of(proj / "duet.json");
  int calls = 0;
  auto cancelled = session->spot({}, [&](const std::string&, double) { return ++calls < 2; });
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().kind, base::ErrorKind::impossible);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(text_of(proj / "duet.json"), before);
  EXPECT_TRUE(session->project().manifest().cues.empty());
}

TEST_F(SpotJobTest, TheSheetIsMadeAndWrittenWhereAsked) {
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session);
  const project::Manifest& m = session->project().manifest();
  const exporting::Sheet expected{m.title, m.picture.rate, m.picture.start, m.cues};

  auto printed = session->sheet();
  ASSERT_TRUE(printed) << printed.error().message;
  EXPECT_EQ(printed->csv, exporting::sheet_csv(expected));
  EXPECT_EQ(printed->html, exporting::sheet_html(expected));
  EXPECT_EQ(printed->cues, m.cues.size());
  EXPECT_TRUE(printed->written.empty());
  EXPECT_TRUE(fs::is_empty(dir_));

  auto written = session->sheet({.csv = dir_ / "sheet.csv", .html = dir_ / "sheet.html"});
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(written->written, (std::vector<fs::path>{dir_ / "sheet.csv", dir_ / "sheet.html"}));
  EXPECT_EQ(text_of(dir_ / "sheet.csv"), written->csv);
  EXPECT_EQ(text_of(dir_ / "sheet.html"), written->html);
}

TEST_F(SpotJobTest, ASheetThatCannotBeWrittenFailsNamingThePath) {
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session);
  const fs::path nowhere = dir_ / "no-such-folder" / "sheet.csv";
  auto failed = session->sheet({.csv = nowhere, .html = dir_ / "sheet.html"});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("sheet.csv"), std::string::npos) << failed.error().message;
  EXPECT_FALSE(fs::exists(dir_ / "sheet.html"));
}

}  // namespace
}  // namespace duet::engine
