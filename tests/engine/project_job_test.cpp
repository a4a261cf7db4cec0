// Making a project (project_job.h): where it stores its film and cut, and what it warns about.
#include "engine/project_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine_test_util.h"
#include "spot/merge.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;

TEST(StorePath, RelativeToTheProjectFolderAbsoluteKeptUnlessAsked) {
  const fs::path dir = fs::temp_directory_path() / "duet-store-path" / "film-project";
  EXPECT_EQ(store_path("", dir), "");
  const fs::path elsewhere = dir / ".." / "picture" / "reel1.mov";
  EXPECT_EQ(store_path(elsewhere, dir), elsewhere.generic_string());  // as typed
  EXPECT_EQ(store_path(elsewhere, dir, true), "../picture/reel1.mov");
  EXPECT_EQ(store_path(dir / "cut.edl", dir, true), "cut.edl");
}

TEST(CreateProject, WritesTheManifestWarnsOfMissingFilesAndNeverOverwrites) {
  const fs::path base =
      fs::temp_directory_path() / ("duet-create-project-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "picture");
  std::ofstream(base / "picture" / "reel1.mov") << "not a film, but there";
  NewProjectRequest request;
  request.dir = base / "lighthouse";
  request.film = base / "picture" / "reel1.mov";
  request.edl = base / "picture" / "reel1.edl";  // not there yet
  request.always_relative = true;
  auto made = create_project(request);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->manifest.title, "lighthouse");
  EXPECT_EQ(made->manifest.picture.film, "../picture/reel1.mov");
  ASSERT_EQ(made->warnings.size(), 1u);
  EXPECT_EQ(made->warnings[0].path, "/picture/edl");
  EXPECT_TRUE(fs::exists(made->manifest_path));
  auto again = create_project(request);
  ASSERT_FALSE(again);
  fs::remove_all(base);
}

TEST(ProjectJson, ShowsEachCuesStateDurationAndKeptVersionsBesideItsFields) {
  const fs::path base =
      fs::temp_directory_path() / ("duet-project-json-" + std::to_string(::getpid()));
  fs::remove_all(base);
  NewProjectRequest request;
  request.dir = base;
  auto made = create_project(request);
  ASSERT_TRUE(made) << made.error().message;
  auto p = project::Project::load(base);
  ASSERT_TRUE(p) << p.error().message;
  p->set_clock([] { return std::string("2026-12-07T06:00:00Z"); });
  const time::TimePos start = time::to_time(time::Timecode{1, 0, 0, 0}, time::FrameRate::fps24());
  const auto cue_at = [&](const char* id, int seconds) {
    spot::Cue c;
    c.id = *spot::parse_cue_id(id);
    c.in = start + time::TimeDur(seconds * time::kSuperclockPerSecond);
    c.out = c.in + time::TimeDur(4 * time::kSuperclockPerSecond);
    return c;
  };
  spot::Cue drafted = cue_at("1M1", 0);
  drafted.draft_fingerprint = spot::fingerprint(drafted);
  spot::Cue edited = cue_at("1M2", 10);
  edited.draft_fingerprint = spot::fingerprint(edited);
  edited.title = "Harbour";  // changed after drafting
  spot::Cue own = cue_at("1M3", 20);
  for (const spot::Cue* c : {&drafted, &edited, &own})
    ASSERT_TRUE(p->replace_cue(*c, "spotted"));
  own.title = "Storm";
  ASSERT_TRUE(p->replace_cue(own, "renamed"));

  auto j = project_json(*p, {{"/picture/film", "'x.mov' is not there"}});
  ASSERT_TRUE(j) << j.error().message;
  const auto& cues = (*j)["cues"];
  ASSERT_EQ(cues.size(), 3u);
  EXPECT_EQ(cues[0]["state"], "draft");
  EXPECT_EQ(cues[1]["state"], "edited draft");
  EXPECT_EQ(cues[2]["state"], "composer");
  EXPECT_EQ(cues[2]["title"], "Storm");
  EXPECT_EQ(cues[2]["duration"], "00:00:04:00");
  EXPECT_DOUBLE_EQ(cues[2]["seconds"].get<double>(), 4.0);
  ASSERT_EQ(cues[2]["versions"].size(), 1u);
  EXPECT_EQ(cues[2]["versions"][0]["reason"], "renamed");
  EXPECT_EQ(cues[2]["versions"][0]["saved"], "2026-12-07T06:00:00Z");
  EXPECT_TRUE(cues[0]["versions"].empty());
  ASSERT_EQ((*j)["warnings"].size(), 1u);
  EXPECT_NE((*j)["warnings"][0].get<std::string>().find("x.mov"), std::string::npos);
  fs::remove_all(base);
}

TEST(CuesPastTheFilm, WarnsOfACueThatEndsAfterTheFilmsLastFrame) {
  const fs::path base =
      fs::temp_directory_path() / ("duet-past-the-film-" + std::to_string(::getpid()));
  fs::remove_all(base);
  NewProjectRequest request;
  request.dir = base;
  request.film = test_support::kData / "two-shots.mov";  // 4 s
  auto made = create_project(request);
  ASSERT_TRUE(made) << made.error().message;
  auto p = project::Project::load(base);
  ASSERT_TRUE(p) << p.error().message;
  const time::TimePos start = time::to_time(time::Timecode{1, 0, 0, 0}, time::FrameRate::fps24());
  const time::TimeDur second(time::kSuperclockPerSecond);
  spot::Cue inside;
  inside.id = *spot::parse_cue_id("1M1");
  inside.in = start;
  inside.out = start + second * 4;  // the film's last frame ends here
  spot::Cue past;
  past.id = *spot::parse_cue_id("1M2");
  past.in = start + second * 2;
  past.out = start + second * 6;
  ASSERT_TRUE(p->replace_cue(inside, "spotted"));
  ASSERT_TRUE(p->replace_cue(past, "spotted"));
  const auto warnings = cues_past_the_film(*p);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].path, "/cues/1/out");
  EXPECT_EQ(warnings[0].message, "cue 1M2 ends at 01:00:06:00, after the film ends at 01:00:04:00");
  fs::remove_all(base);
}

}  // namespace
}  // namespace duet::engine
