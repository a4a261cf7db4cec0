#include "model/jsb.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace duet::model {
namespace {

TEST(Jsb, MergesEqualPitchesAndRestsBreakMerges) {
  const std::vector<std::vector<int>> steps = {{72, 1, 1, 1}, {72, 1, 1, 1}, {74, 1, 1, 1},
                                               {-1, 1, 1, 1}, {74, 1, 1, 1}, {74, 1, 1, 1}};
  const Melody m = jsb_voice_melody(steps, 0, "x");
  ASSERT_EQ(m.notes.size(), 3u);
  EXPECT_EQ(m.notes[0].pitch, 72);
  EXPECT_EQ(m.notes[0].duration.ticks(), 960);
  EXPECT_EQ(m.notes[1].pitch, 74);
  EXPECT_EQ(m.notes[1].duration.ticks(), 480);
  EXPECT_EQ(m.notes[2].pitch, 74);
  EXPECT_EQ(m.notes[2].onset.ticks(), 4 * 480);
  EXPECT_EQ(m.notes[2].bar_position.ticks(), 4 * 480);
  EXPECT_EQ(m.notes[2].duration.ticks(), 960);
}

TEST(Jsb, ParsesSplitsAndReportsErrors) {
  auto ok = parse_jsb_chorales(
      R"({"train": [[[60, 55, 52, 48], [60.0, 55, 52, 48], [62, 55, 52, 48]]],
          "valid": [], "test": [[[64, 60, 55, 48]]]})",
      "t.json");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  ASSERT_EQ(ok->train.size(), 1u);
  EXPECT_EQ(ok->train[0].notes.size(), 2u);
  EXPECT_EQ(ok->train[0].id, "jsb/train/0");
  EXPECT_EQ(ok->test.size(), 1u);
  auto bad = parse_jsb_chorales(R"({"train": [[[60, "x"]]], "valid": [], "test": []})", "t.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "t.json: /train/0/0/1 is not a number");
  EXPECT_FALSE(parse_jsb_chorales("{", "t.json").has_value());
  EXPECT_FALSE(parse_jsb_chorales(R"({"train": []})", "t.json").has_value());
  EXPECT_FALSE(
      parse_jsb_chorales(R"({"train": [[[200]]], "valid": [], "test": []})", "t.json").has_value());
}

TEST(Jsb, ReadsTheCorpus) {
  const std::filesystem::path path =
      std::filesystem::path(DUET_SHARED_DATA_DIR) / "jsb" / "Jsb16thSeparated.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no JSB corpus at " << path;
  auto corpus = read_jsb_chorales(path);
  ASSERT_TRUE(corpus.has_value()) << corpus.error().message;
  EXPECT_EQ(corpus->train.size(), 229u);
  EXPECT_EQ(corpus->valid.size(), 76u);
  EXPECT_EQ(corpus->test.size(), 77u);
  for (const auto& m : corpus->train) {
    ASSERT_FALSE(m.notes.empty());
    for (std::size_t i = 1; i < m.notes.size(); ++i) {
      EXPECT_GE(m.notes[i].onset, m.notes[i - 1].onset + m.notes[i - 1].duration);
    }
  }
}

}  // namespace
}  // namespace duet::model
