// The EMOPIA evaluation's pieces that need no data: the feature CSV and the candidate systems.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "model/emotion_eval.h"

namespace duet::model {
namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, sep))
    out.push_back(cell);
  return out;
}

TEST(EmopiaFeaturesCsv, OneRowPerClipAndConditionWithEveryFeature) {
  EmopiaClip a;
  a.name = "Q3_ii1Jw1-7Ka4_1";
  a.song = "ii1Jw1-7Ka4";
  a.quadrant = 2;
  a.split = EmopiaClip::Split::test;
  for (int i = 0; i < kEmotionFeatureCount; ++i) {
    a.performed.features[static_cast<std::size_t>(i)] = i + 0.125;
    a.score.features[static_cast<std::size_t>(i)] = -i - 1.0 / 3;
  }
  a.performed.bpm = 96.5;
  a.score.bpm = 97;
  EmopiaClip b = a;
  b.name = "Q1_x_2";
  b.song = "x";
  b.quadrant = 0;
  b.split = EmopiaClip::Split::val;

  std::istringstream csv(emopia_features_csv({a, b}));
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(csv, line);)
    rows.push_back(split(line, ','));
  ASSERT_EQ(rows.size(), 5u);  // header + 2 clips x 2 conditions
  const std::size_t columns = 5 + kEmotionFeatureCount + 1;
  for (const auto& r : rows)
    ASSERT_EQ(r.size(), columns);
  EXPECT_EQ(rows[0][0], "name");
  EXPECT_EQ(rows[0][5], "mode");
  EXPECT_EQ(rows[0][5 + static_cast<int>(EmotionFeature::colour_maj7)], "colour_maj7");
  EXPECT_EQ(rows[0].back(), "bpm");
  EXPECT_EQ(rows[1][0], "Q3_ii1Jw1-7Ka4_1");
  EXPECT_EQ(rows[1][1], "ii1Jw1-7Ka4");
  EXPECT_EQ(rows[1][2], "test");
  EXPECT_EQ(rows[1][3], "Q3");
  EXPECT_EQ(rows[1][4], "performed");
  EXPECT_EQ(rows[2][4], "score-like");
  EXPECT_EQ(rows[3][2], "val");
  EXPECT_EQ(rows[3][3], "Q1");
  // Full precision: the numbers read back exactly.
  for (int i = 0; i < kEmotionFeatureCount; ++i) {
    EXPECT_EQ(std::stod(rows[1][5 + static_cast<std::size_t>(i)]), i + 0.125);
    EXPECT_EQ(std::stod(rows[2][5 + static_cast<std::size_t>(i)]), -i - 1.0 / 3);
  }
  EXPECT_EQ(std::stod(rows[1].back()), 96.5);
  EXPECT_EQ(std::stod(rows[2].back()), 97.0);
}

TEST(EmotionCandidates, ExtendedRowsLeaveTheChordColourOut) {
  // The rows of earlier evaluations keep meaning what they meant: "extended features" stops at
  // density_spread; the chord colour features are only in the rows that name them.
  const auto colour = static_cast<std::size_t>(EmotionFeature::colour_major);
  bool saw_colour = false;
  for (const auto& c : emotion_candidates(true)) {
    const bool named = c.name.find("chord colour") != std::string::npos;
    saw_colour = saw_colour || named;
    EXPECT_EQ(c.train.use[colour], named) << c.name;
    const bool surprise = c.name.find("surprise") != std::string::npos;
    EXPECT_EQ(c.train.use[static_cast<std::size_t>(EmotionFeature::surprise)], surprise) << c.name;
  }
  EXPECT_TRUE(saw_colour);
  // Only the rows that say so train on the score-like clips too.
  int score_like_too = 0;
  for (const auto& c : emotion_candidates(true)) {
    const bool named = c.name.find("trained also score-like") != std::string::npos;
    EXPECT_EQ(c.score_like_too, named) << c.name;
    score_like_too += named;
  }
  EXPECT_GE(score_like_too, 1);
  for (const auto& c : emotion_candidates(false))
    EXPECT_EQ(c.name.find("surprise"), std::string::npos) << c.name;
}

}  // namespace
}  // namespace duet::model
