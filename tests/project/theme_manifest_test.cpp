// The themes' melody, key and harmony in the manifest (issue 7): optional fields that read,
// validate with JSON paths, and write back byte for byte; files without them are unchanged.
#include <gtest/gtest.h>

#include "music/theme.h"
#include "project/manifest.h"
#include "project_test_util.h"

namespace duet::project {
namespace {

using testing::fixture;

TEST(ThemeManifest, ReadsMelodyKeyAndHarmonyAndWritesThemBack) {
  const std::string text = fixture("themes.json");
  ASSERT_FALSE(text.empty());
  auto m = parse_manifest(text);
  ASSERT_TRUE(m) << m.error().message;
  ASSERT_EQ(m->themes.size(), 2u);
  EXPECT_EQ(m->themes[0].key, "D minor");
  EXPECT_EQ(m->themes[0].harmony, "Dm | A | Gm | A7");
  EXPECT_TRUE(music::parse_melody(m->themes[0].melody).has_value());
  EXPECT_EQ(m->themes[1].key, "");
  EXPECT_EQ(write_manifest(*m), text);
}

TEST(ThemeManifest, FilesWithoutTheNewFieldsAreWrittenAsBefore) {
  const std::string text = fixture("full.json");
  auto m = parse_manifest(text);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->themes[0].melody.empty());
  EXPECT_EQ(write_manifest(*m), text);
  EXPECT_EQ(write_manifest(*m).find("\"melody\""), std::string::npos);
}

TEST(ThemeManifest, BadMelodyKeyOrHarmonyIsAnErrorWithItsPath) {
  auto m = parse_manifest(fixture("themes.json"));
  ASSERT_TRUE(m);
  Manifest bad = *m;
  bad.themes[0].melody = "4/4 D4q X4q";
  bad.themes[0].key = "H minor";
  bad.themes[1].harmony = "C Qm7";
  const ManifestCheck check = check_manifest(write_manifest(bad));
  ASSERT_EQ(check.errors.size(), 3u);
  EXPECT_EQ(check.errors[0].path, "/themes/0/melody");
  EXPECT_NE(check.errors[0].message.find("token 3 'X4q'"), std::string::npos)
      << check.errors[0].message;
  EXPECT_EQ(check.errors[1].path, "/themes/0/key");
  EXPECT_EQ(check.errors[2].path, "/themes/1/harmony");
  EXPECT_NE(check.errors[2].message.find("chord 2 'Qm7'"), std::string::npos)
      << check.errors[2].message;
  EXPECT_FALSE(check.manifest.has_value());
}

}  // namespace
}  // namespace duet::project
