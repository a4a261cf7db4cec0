// Making a project (project_job.h): where it stores its film and cut, and what it warns about.
#include "engine/project_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace duet::engine
