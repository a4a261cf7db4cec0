#include <gtest/gtest.h>

#include <random>

#include "spot/emotion.h"

namespace duet::spot {
namespace {

using time::TimePos;

TEST(EmotionCurve, EmptyHasNoValue) {
  EmotionCurve c;
  EXPECT_FALSE(c.value_at(TimePos(0)));
}

TEST(EmotionCurve, InterpolatesLinearlyAndClamps) {
  EmotionCurve c;
  c.keys = {{TimePos(100), {-1.0, 0.0, 0.0}}, {TimePos(200), {1.0, 0.5, 1.0}}};
  EXPECT_EQ(*c.value_at(TimePos(0)), (Emotion{-1.0, 0.0, 0.0}));
  EXPECT_EQ(*c.value_at(TimePos(100)), (Emotion{-1.0, 0.0, 0.0}));
  EXPECT_EQ(*c.value_at(TimePos(200)), (Emotion{1.0, 0.5, 1.0}));
  EXPECT_EQ(*c.value_at(TimePos(999)), (Emotion{1.0, 0.5, 1.0}));
  const Emotion mid = *c.value_at(TimePos(150));
  EXPECT_DOUBLE_EQ(mid.valence, 0.0);
  EXPECT_DOUBLE_EQ(mid.arousal, 0.25);
  EXPECT_DOUBLE_EQ(mid.tension, 0.5);
  const Emotion quarter = *c.value_at(TimePos(125));
  EXPECT_DOUBLE_EQ(quarter.valence, -0.5);
}

TEST(EmotionCurve, PassesThroughEveryKeyframeAndStaysBetweenNeighbours) {
  // Property: at each keyframe the curve equals it; between two keyframes each component lies
  // between theirs.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::uniform_int_distribution<std::int64_t> gap(1, 1'000'000);
  for (int trial = 0; trial < 50; ++trial) {
    EmotionCurve c;
    std::int64_t t = 0;
    for (int i = 0; i < 8; ++i) {
      t += gap(rng);
      c.keys.push_back({TimePos(t), {unit(rng), unit(rng), (unit(rng) + 1) / 2}});
    }
    for (std::size_t i = 0; i < c.keys.size(); ++i) {
      EXPECT_EQ(*c.value_at(c.keys[i].at), c.keys[i].value);
      if (i == 0) continue;
      const auto& a = c.keys[i - 1];
      const auto& b = c.keys[i];
      const TimePos m((a.at.ticks() + b.at.ticks()) / 2);
      const Emotion v = *c.value_at(m);
      EXPECT_GE(v.valence, std::min(a.value.valence, b.value.valence) - 1e-12);
      EXPECT_LE(v.valence, std::max(a.value.valence, b.value.valence) + 1e-12);
      EXPECT_GE(v.tension, std::min(a.value.tension, b.value.tension) - 1e-12);
      EXPECT_LE(v.tension, std::max(a.value.tension, b.value.tension) + 1e-12);
    }
  }
}

TEST(EmotionCurve, SortIsStable) {
  EmotionCurve c;
  c.keys = {{TimePos(5), {0.5, 0, 0}}, {TimePos(1), {0.1, 0, 0}}, {TimePos(5), {0.6, 0, 0}}};
  c.sort();
  EXPECT_EQ(c.keys[0].at, TimePos(1));
  EXPECT_EQ(c.keys[1].value.valence, 0.5);
  EXPECT_EQ(c.keys[2].value.valence, 0.6);
}

}  // namespace
}  // namespace duet::spot
