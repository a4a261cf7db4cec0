#include "compose/emotion_check.h"

#include <gtest/gtest.h>

#include "compose/emotion_map.h"
#include "model/emotion_model.h"

namespace duet::compose {
namespace {

// The check, on a smaller grid than docs/emotion-mapping.md reports (3 seeds instead of
// 10): sketches made for each quadrant are put back in it by the shipped estimator at least 90%
// of the time.
TEST(EmotionCheck, EachQuadrantIsRecognisedNineTimesInTen) {
  QuadrantCheckOptions options;
  options.seeds = 3;
  auto check = check_quadrants(model::default_emotion_model(), options);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->sketches, 4 * 3 * 3 * 3 * 3);
  for (std::size_t q = 0; q < 4; ++q) {
    const QuadrantCheckRow& row = check->quadrants[q];
    EXPECT_EQ(row.n, 81);
    EXPECT_GE(row.accuracy(), 0.9)
        << "Q" << q + 1 << ": " << row.predicted[0] << " " << row.predicted[1] << " "
        << row.predicted[2] << " " << row.predicted[3];
    // The estimator's mean lands in the intended quadrant too.
    EXPECT_EQ(row.mean_valence > 0, q == 0 || q == 3);
    EXPECT_EQ(row.mean_arousal > 0, q == 0 || q == 1);
  }
  int by_tension = 0;
  for (const auto& row : check->by_tension)
    by_tension += row.n;
  EXPECT_EQ(by_tension, check->sketches);
}

TEST(EmotionCheck, Deterministic) {
  QuadrantCheckOptions options;
  options.magnitudes = {0.5};
  options.tensions = {0.2};
  options.seeds = 2;
  auto a = check_quadrants(model::default_emotion_model(), options);
  auto b = check_quadrants(model::default_emotion_model(), options);
  ASSERT_TRUE(a && b);
  for (std::size_t q = 0; q < 4; ++q) {
    EXPECT_EQ(a->quadrants[q].predicted, b->quadrants[q].predicted);
    EXPECT_EQ(a->quadrants[q].mean_valence, b->quadrants[q].mean_valence);
  }
}

TEST(EmotionCheck, AllNeutralIsTheBaseline) {
  // [GIVEN] every control held at the neutral point's values [THEN] every point gets the same
  // music, so the four quadrants' shares of it average exactly a quarter.
  QuadrantCheckOptions options;
  options.magnitudes = {0.5};
  options.tensions = {0.0};
  options.seeds = 3;
  for (std::string_view name : control_names())
    options.neutral.emplace_back(name);
  auto check = check_quadrants(model::default_emotion_model(), options);
  ASSERT_TRUE(check);
  EXPECT_DOUBLE_EQ(check->accuracy(), 0.25);
  for (std::size_t q = 1; q < 4; ++q) {
    EXPECT_EQ(check->quadrants[q].predicted, check->quadrants[0].predicted);
  }
  // Holding only the energy cues neutral loses arousal, and only arousal.
  options.neutral = {"tempo", "density", "activity", "dynamics"};
  options.seeds = 2;
  check = check_quadrants(model::default_emotion_model(), options);
  ASSERT_TRUE(check);
  EXPECT_LT(check->quadrants[0].arousal_correct, check->quadrants[0].n / 2);
  EXPECT_EQ(check->quadrants[0].valence_correct, check->quadrants[0].n);
  options.neutral = {"loudness"};
  auto bad = check_quadrants(model::default_emotion_model(), options);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'loudness' is not a control"), std::string::npos);
}

TEST(EmotionCheck, NeedsAGrid) {
  QuadrantCheckOptions options;
  options.magnitudes.clear();
  EXPECT_FALSE(check_quadrants(model::default_emotion_model(), options));
  options = {};
  options.seeds = 0;
  EXPECT_FALSE(check_quadrants(model::default_emotion_model(), options));
}

}  // namespace
}  // namespace duet::compose
