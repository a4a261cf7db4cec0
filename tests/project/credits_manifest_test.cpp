// The production and credits of duet.json (the cue sheet's metadata).
#include <gtest/gtest.h>

#include "project/manifest.h"
#include "project_test_util.h"

namespace duet::project {
namespace {

using testing::fixture;

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ManifestCredits, ReadsProductionAndCueCreditsAndWritesTheSameBytes) {
  const std::string text = fixture("credits.json");
  ASSERT_FALSE(text.empty());
  ManifestCheck check = check_manifest(text);
  ASSERT_TRUE(check.errors.empty()) << to_string(check.errors.front());
  EXPECT_TRUE(check.warnings.empty());
  const Manifest& m = *check.manifest;
  // [THEN] no production title: the project's
  EXPECT_EQ(production_title(m), "The Lighthouse");
  EXPECT_EQ(m.production.company, "North Pictures Ltd");
  ASSERT_EQ(m.production.credits.writers.size(), 2u);
  EXPECT_EQ(m.production.credits.writers[0].ipi, "00052210040");
  EXPECT_EQ(m.production.credits.writers[1].role, exporting::WriterRole::arranger);
  // [THEN] 1M1 takes the production's credits, 1M2 its own
  const auto& first = credits_for(m, m.cues[0].id);
  const auto& second = credits_for(m, m.cues[1].id);
  EXPECT_EQ(first, m.production.credits);
  ASSERT_EQ(second.publishers.size(), 2u);
  EXPECT_EQ(second.writers[0].name, "Ana Lima");
  EXPECT_EQ(second.writers[0].role, exporting::WriterRole::composer_author);
  EXPECT_EQ(write_manifest(m), text);
}

TEST(ManifestCredits, AProjectWithoutThemWritesNoProduction) {
  const std::string text = fixture("full.json");
  auto m = parse_manifest(text);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->production.empty());
  EXPECT_TRUE(m->cue_credits.empty());
  EXPECT_EQ(write_manifest(*m), text);
  EXPECT_EQ(write_manifest(*m).find("production"), std::string::npos);
}

TEST(ManifestCredits, SetInMemoryRoundTrips) {
  auto m = parse_manifest(fixture("full.json"));
  ASSERT_TRUE(m);
  m->production.title = "Lighthouse (festival cut)";
  m->production.credits.writers = {{"Jane Doe", exporting::WriterRole::composer, 100, "", ""}};
  m->cue_credits[m->cues[0].id].publishers = {{"Sea Songs", 100, "GEMA", "123"}};
  const std::string text = write_manifest(*m);
  auto back = parse_manifest(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *m);
  EXPECT_EQ(production_title(*back), "Lighthouse (festival cut)");
  EXPECT_EQ(write_manifest(*back), text);
}

TEST(ManifestCredits, CreditsOfACueNoLongerThereGoWithIt) {
  auto m = parse_manifest(fixture("credits.json"));
  ASSERT_TRUE(m);
  const spot::CueId song = m->cues[1].id;
  m->cues.erase(m->cues.begin() + 1);
  EXPECT_TRUE(validate_manifest(*m).empty());
  auto back = parse_manifest(write_manifest(*m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->cue_credits.count(song), 0u);
}

TEST(ManifestCredits, SharesNotAddingUpTo100AreErrorsWithTheirPath) {
  std::string text = fixture("credits.json");
  text = replaced(text, "\"share\": 50.0,\n        \"society\"",
                  "\"share\": 40.0,\n        \"society\"");
  text = replaced(text, "\"share\": 60.0", "\"share\": 70.0");
  ManifestCheck check = check_manifest(text);
  ASSERT_EQ(check.errors.size(), 2u);
  EXPECT_EQ(to_string(check.errors[0]),
            "duet.json: /production/writers: the writers' shares add up to 90%, not 100%; make "
            "them add up to 100");
  EXPECT_EQ(to_string(check.errors[1]),
            "duet.json: /cues/1/credits/publishers: the publishers' shares add up to 110%, not "
            "100%; make them add up to 100");
}

TEST(ManifestCredits, BadRoleAndMissingShareAreErrors) {
  std::string text = fixture("credits.json");
  text = replaced(text, "\"role\": \"AR\"", "\"role\": \"lyricist\"");
  text = replaced(text, "\"share\": 100.0,\n            \"society\": \"SACEM\"",
                  "\"society\": \"SACEM\"");
  ManifestCheck check = check_manifest(text);
  ASSERT_EQ(check.errors.size(), 2u);
  EXPECT_EQ(check.errors[0].path, "/production/writers/1/role");
  EXPECT_NE(check.errors[0].message.find("'lyricist' is not a writer's role"), std::string::npos);
  EXPECT_EQ(check.errors[1].path, "/cues/1/credits/writers/0/share");
  EXPECT_EQ(check.errors[1].message, "missing");
}

}  // namespace
}  // namespace duet::project
