#include "engine/feature_bench.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "engine_test_util.h"
#include "project/project.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;

using test_support::kModels;

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() /
         ("duet-feature-bench-" + std::to_string(::getpid()) + "-" + name);
}

FeatureBenchOptions small(const fs::path& dir) {
  FeatureBenchOptions o;
  o.minutes = 3;
  o.cues = 3;
  o.candidates = 2;
  o.render = false;
  o.dir = dir;
  o.models_dir = kModels;
  return o;
}

// [GIVEN] the same options twice, into two folders
// [THEN]  the same signature; every stage reported; the project holds the cues, each with a map
TEST(FeatureBench, TheSignatureIsTheSameForTheSameOptions) {
  const fs::path a = scratch("a"), b = scratch("b");
  fs::remove_all(a);
  fs::remove_all(b);
  auto first = run_feature_bench(small(a));
  auto second = run_feature_bench(small(b));
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->signature, second->signature);
  EXPECT_EQ(first->signature.size(), 16u);
  ASSERT_EQ(first->stages.size(), 3u);  // generate, sync, compose (no render asked)
  EXPECT_EQ(first->stages[2].name, "compose");
  auto project = project::Project::load(a);
  ASSERT_TRUE(project);
  ASSERT_EQ(project->manifest().cues.size(), 3u);
  for (const auto& c : project->manifest().cues)
    EXPECT_TRUE(c.tempo_map.has_value());
  EXPECT_TRUE(fs::exists(a / "compose" / "1M1-1.mid"));
  // Another seed writes another film and other music.
  const fs::path c = scratch("c");
  fs::remove_all(c);
  auto other_options = small(c);
  other_options.seed = 2;
  auto other = run_feature_bench(other_options);
  ASSERT_TRUE(other);
  EXPECT_NE(other->signature, first->signature);
  fs::remove_all(a);
  fs::remove_all(b);
  fs::remove_all(c);
}

TEST(FeatureBench, RefusesAFolderThatExistsAndImpossibleSizes) {
  const fs::path here = scratch("exists");
  fs::create_directories(here);
  EXPECT_FALSE(run_feature_bench(small(here)));
  EXPECT_TRUE(fs::is_empty(here));
  fs::remove_all(here);
  auto o = small(scratch("never"));
  o.minutes = 1;
  o.cues = 10;  // 6 s a cue
  EXPECT_FALSE(run_feature_bench(o));
  o.minutes = 0;
  EXPECT_FALSE(run_feature_bench(o));
  EXPECT_FALSE(fs::exists(o.dir));
}

}  // namespace
}  // namespace duet::engine
