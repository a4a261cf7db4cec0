// The themes' melody, key and harmony in the manifest (issue 7): optional fields that read,
// validate with JSON paths, and write back byte for byte; files without them are unchanged.
#include <gtest/gtest.h>

#include "music/theme.h"
#include "project/manifest.h"
#include "project/project.h"
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

class ThemeHistory : public testing::TempDir {};

TEST_F(ThemeHistory, ReplacingOrRemovingAThemeKeepsItFirst) {
  auto m = parse_manifest(fixture("themes.json"));
  ASSERT_TRUE(m);
  auto p = Project::create(dir_, *m);
  ASSERT_TRUE(p) << p.error().message;
  p->set_clock([] { return std::string("2026-01-02T03:04:05Z"); });

  Theme changed = m->themes[1];
  changed.melody = "3/4 G4q | C5h. | E5q D5e C5e D5q";
  ASSERT_TRUE(p->replace_theme(changed, "new tail"));
  EXPECT_EQ(p->manifest().themes[1].melody, changed.melody);
  const auto first = base::read_file(dir_ / "history/themes/1.json");
  ASSERT_TRUE(first);
  const std::string kept(first->begin(), first->end());
  EXPECT_NE(kept.find("\"reason\": \"new tail\""), std::string::npos) << kept;
  EXPECT_NE(kept.find("D5q E5e F5e D5q"), std::string::npos) << kept;  // the melody before

  // Unchanged: nothing kept. Invalid: nothing changes, on disk or in memory.
  ASSERT_TRUE(p->replace_theme(changed, "again"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "history/themes/2.json"));
  Theme bad = changed;
  bad.melody = "3/4 G4q Q";
  auto refused = p->replace_theme(bad, "bad");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("/themes/1/melody"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "history/themes/2.json"));
  auto reloaded = Project::load(dir_);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->manifest().themes[1].melody, changed.melody);

  ASSERT_TRUE(p->remove_theme("keeper", "cut from the film"));
  EXPECT_EQ(p->manifest().themes.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "history/themes/2.json"));
  EXPECT_FALSE(p->remove_theme("nobody", "x"));
}

}  // namespace
}  // namespace duet::project
