#include "project/schema.h"

#include <gtest/gtest.h>

#include "project/manifest.h"
#include "project_test_util.h"

namespace duet::project {
namespace {

using testing::fixture;

std::string first_error(const std::string& text) {
  auto check = check_manifest(text);
  return check.errors.empty() ? std::string() : to_string(check.errors.front());
}

TEST(Schema, ANewerFileSaysToUpdateDuet) {
  EXPECT_EQ(first_error(fixture("schema_newer.json")),
            "duet.json: written by a newer duet (schema 7); this duet reads up to 1 — update duet");
}

TEST(Schema, AMissingVersionIsNamed) {
  EXPECT_EQ(first_error(fixture("schema_missing.json")),
            "duet.json: /schema: missing; a duet project states the schema version it was written "
            "in (\"schema\": 1); is this a duet.json?");
}

TEST(Schema, AGarbageVersionIsNamed) {
  EXPECT_EQ(first_error(fixture("schema_garbage.json")),
            "duet.json: /schema: \"one\" is not a schema version (a whole number such as 1)");
  EXPECT_EQ(first_error(R"({"schema": 0})"),
            "duet.json: /schema: 0 is not a schema version; duet's schema versions start at 1");
  EXPECT_EQ(first_error(R"({"schema": 1.5})"),
            "duet.json: /schema: 1.5 is not a schema version (a whole number such as 1)");
  EXPECT_EQ(first_error("[1, 2]"),
            "duet.json: the file is not a duet project: expected a JSON object at the top");
}

TEST(Schema, TheChainRunsEveryStepInOrder) {
  // A made-up chain 1 -> 2 -> 3 that renames a key and then adds one, as real upgrades will.
  std::vector<UpgradeStep> steps{
      {2,
       [](Json& j) -> base::Result<void> {
         j["added_in_3"] = j["renamed"].get<std::string>() + "!";
         return {};
       }},
      {1,
       [](Json& j) -> base::Result<void> {
         j["renamed"] = j["old"];
         j.erase("old");
         return {};
       }},
  };
  Json j = Json::parse(R"({"schema": 1, "old": "x"})");
  ASSERT_TRUE(upgrade(j, 1, 3, steps));
  EXPECT_EQ(j["schema"], 3);
  EXPECT_EQ(j["added_in_3"], "x!");
  EXPECT_FALSE(j.contains("old"));
}

TEST(Schema, AMissingOrFailingStepIsAnError) {
  Json j = Json::parse(R"({"schema": 1})");
  auto missing = upgrade(j, 1, 2, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "no upgrade from schema 1 to 2 in this duet");
  std::vector<UpgradeStep> failing{{1, [](Json&) -> base::Result<void> {
                                      return base::make_error(base::ErrorKind::invalid_input,
                                                              "/cues: not a list");
                                    }}};
  auto failed = upgrade(j, 1, 2, failing);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "upgrading schema 1 to 2: /cues: not a list");
  // The current schema needs no steps.
  EXPECT_TRUE(upgrade_steps().empty() || upgrade_steps().back().from == kSchemaVersion - 1);
}

}  // namespace
}  // namespace duet::project
