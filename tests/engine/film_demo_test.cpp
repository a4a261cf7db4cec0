// The film demo (film_demo.h): the whole path on a film, each step a job of the engine session.
#include "engine/film_demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
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
  auto report = run_film_demo({kFilm, "", dir_, kModels}, [&](const std::string& what, double) {
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
  auto again = run_film_demo({kFilm, "", dir_, kModels});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->steps.front().summary, "opened as it was left");
}

TEST_F(FilmDemoTest, ACancelNamesTheStepAndLeavesTheStepsBeforeItDone) {
  auto report = run_film_demo({kFilm, "", dir_, kModels},
                              [](const std::string& what, double) { return what != "compose"; });
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("cancelled at the compose step"), std::string::npos)
      << report.error().message;
  EXPECT_TRUE(fs::exists(dir_ / "project" / "duet.json"));
  EXPECT_TRUE(fs::exists(dir_ / "film" / "streamers.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "compose"));
}

TEST_F(FilmDemoTest, WithoutAFilmItSaysHowToMakeOne) {
  auto report = run_film_demo({"", "", dir_, kModels});
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("scripts/make-demo-film"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_));
}

}  // namespace
}  // namespace duet::engine
