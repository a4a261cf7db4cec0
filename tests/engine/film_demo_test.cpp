// The film demo (film_demo.h): the whole path on a film, each step a job of the engine session.
#include "engine/film_demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "project/project.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;

using test_support::kData;
const fs::path kFilm = kData / "two-shots.mov";
using test_support::kModels;

using FilmDemoTest = test_support::TempDirTest;

TEST_F(FilmDemoTest, RunsEveryStepInOrderAndWritesWhatEachNames) {
  std::vector<std::string> stages;
  auto report =
      run_film_demo({kFilm, "", dir_, kModels, "", ""}, [&](const std::string& what, double) {
        if (stages.empty() || stages.back() != what) stages.push_back(what);
        return true;
      });
  ASSERT_TRUE(report) << report.error().message;
  std::vector<std::string> names;
  for (const FilmDemoStep& s : report->steps) {
    names.push_back(s.name);
    EXPECT_FALSE(s.summary.empty()) << s.name;
    EXPECT_EQ(s.summary.find('\n'), std::string::npos) << s.name << ": one line";
    for (const fs::path& f : s.files)
      EXPECT_TRUE(fs::exists(f)) << s.name << ": " << f;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"project", "spot", "sync", "click", "streamers", "theme",
                                      "compose", "score", "sheet", "cue sheet", "export"}));
  // Streamers go only to the cues sync gave a map: no cue is skipped for want of one.
  for (const std::string& w : report->warnings)
    EXPECT_EQ(w.find("no tempo map"), std::string::npos) << w;
  // The long jobs' own stages come through between the steps'.
  EXPECT_NE(std::find(stages.begin(), stages.end(), "analysing two-shots.mov"), stages.end());
  EXPECT_TRUE(fs::exists(dir_ / "film" / "two-shots-scored.mov"));
  EXPECT_TRUE(fs::exists(dir_ / "deliver" / "cue-sheet.html"));
  EXPECT_TRUE(fs::exists(dir_ / "project" / "spotting.html"));

  // The project stores the film relative to itself, so the folder can move.
  auto project = project::Project::load(dir_ / "project");
  ASSERT_TRUE(project) << project.error().message;
  EXPECT_EQ(project->manifest().picture.film.front(), '.');
  ASSERT_FALSE(project->manifest().cues.empty());
  for (const spot::Cue& c : project->manifest().cues)
    EXPECT_EQ(c.themes, std::vector<std::string>{"harbour"}) << c.id.to_string();

  // Run again on the same folder: the project is opened as it was left, and all goes through.
  auto again = run_film_demo({kFilm, "", dir_, kModels, "", ""});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->steps.front().summary, "opened as it was left");
}

// [GIVEN] the film with its cut, and the editor's next cut (the first shot 12 frames shorter)
// [WHEN] the demo runs with the re-cut [THEN] it ends with conform and re-score: the first project
// as it was, a copy conformed to the new cut with the report beside it, the re-fitted MIDI in a
// new folder, and the re-cut scored.
TEST_F(FilmDemoTest, WithARecutItEndsWithTheProjectConformedAndTheRecutScored) {
  fs::create_directories(dir_);
  const fs::path cut = dir_ / "cut.edl";
  const fs::path recut = dir_ / "recut.edl";
  std::ofstream(cut) << "TITLE: TWO SHOTS\n"
                        "001  A001 V C 10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00\n"
                        "002  A002 V C 11:00:00:00 11:00:02:00 01:00:02:00 01:00:04:00\n";
  std::ofstream(recut) << "TITLE: TWO SHOTS V2\n"
                          "001  A001 V C 10:00:00:00 10:00:01:12 01:00:00:00 01:00:01:12\n"
                          "002  A002 V C 11:00:00:00 11:00:02:00 01:00:01:12 01:00:03:12\n";
  auto report = run_film_demo({kFilm, cut, dir_ / "out", kModels, recut, kFilm});
  ASSERT_TRUE(report) << report.error().message;
  std::vector<std::string> names;
  for (const FilmDemoStep& s : report->steps)
    names.push_back(s.name);
  ASSERT_GE(names.size(), 2u);
  EXPECT_EQ(names[names.size() - 2], "conform");
  EXPECT_EQ(names.back(), "re-score");
  for (const FilmDemoStep& s : report->steps) {
    for (const fs::path& f : s.files)
      EXPECT_TRUE(fs::exists(f)) << s.name << ": " << f;
  }
  EXPECT_TRUE(fs::exists(dir_ / "out" / "conform" / "conform.html"));
  EXPECT_TRUE(fs::exists(dir_ / "out" / "film" / "two-shots-scored.mov"));
  auto first = project::Project::load(dir_ / "out" / "project");
  auto conformed = project::Project::load(dir_ / "out" / "project-recut");
  ASSERT_TRUE(first && conformed);
  EXPECT_EQ(fs::path(first->manifest().picture.edl).filename(), "cut.edl");
  EXPECT_EQ(fs::path(conformed->manifest().picture.edl).filename(), "recut.edl");
  ASSERT_EQ(first->manifest().cues.size(), conformed->manifest().cues.size());
  // The last cue ends half a second earlier with its picture, its version before kept.
  const spot::Cue& last = first->manifest().cues.back();
  const spot::Cue& refitted = conformed->manifest().cues.back();
  EXPECT_EQ(last.out - refitted.out, time::FrameRate::fps24().frame_duration() * 12);
  EXPECT_FALSE(conformed->versions(refitted.id)->empty());
  EXPECT_TRUE(first->versions(last.id)->empty() ||
              first->versions(last.id)->size() < conformed->versions(refitted.id)->size());
  EXPECT_TRUE(fs::exists(dir_ / "out" / "compose-recut"));
}

TEST_F(FilmDemoTest, ACancelNamesTheStepAndLeavesTheStepsBeforeItDone) {
  auto report = run_film_demo({kFilm, "", dir_, kModels, "", ""},
                              [](const std::string& what, double) { return what != "compose"; });
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("cancelled at the compose step"), std::string::npos)
      << report.error().message;
  EXPECT_TRUE(fs::exists(dir_ / "project" / "duet.json"));
  EXPECT_TRUE(fs::exists(dir_ / "film" / "streamers.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "compose"));
}

TEST_F(FilmDemoTest, WithoutAFilmItSaysHowToMakeOne) {
  auto report = run_film_demo({"", "", dir_, kModels, "", ""});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("scripts/make-demo-film"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_));
}

}  // namespace
}  // namespace duet::engine
