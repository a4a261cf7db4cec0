// sync::compare_maps: where a MIDI file's tempo map parts from the cue's, bar by bar.
#include <gtest/gtest.h>

#include "sync/check.h"

namespace duet::sync {
namespace {

using time::FrameRate;
using time::Rational;
using time::TempoMap;
using time::TimePos;

const FrameRate kRate = FrameRate::fps24();
const time::TimeDur kFrame = time::time_of_frame(1, kRate) - time::time_of_frame(0, kRate);
const TimePos kIn = time::time_of_frame(86400, kRate);  // 01:00:00:00
const TimePos kOut = kIn + time::TimeDur(30 * time::kSuperclockPerSecond);

TempoMap at_qpm(std::int64_t qpm, time::Meter meter = {}, TimePos origin = kIn) {
  return TempoMap::constant(time::Tempo::quarters_per_minute(Rational(qpm)), meter, origin);
}

TEST(CompareMaps, AMapAgreesWithItself) {
  const MapDrift d = compare_maps(at_qpm(96), at_qpm(96), kIn, kOut, kRate, kFrame);
  EXPECT_TRUE(d.agree());
  EXPECT_EQ(d.bars, 13);  // 2.5 s bars: bar lines at 0, 2.5 ... 30 s
  EXPECT_EQ(d.worst_frames, 0.0);
}

// Within a frame is the same map; more is not, from the first bar that parts.
TEST(CompareMaps, TheFirstBarThatPartsIsNamed) {
  const MapDrift half =
      compare_maps(at_qpm(120), at_qpm(120, {}, kIn + time::TimeDur(kFrame.ticks() / 2)), kIn, kOut,
                   kRate, kFrame);
  EXPECT_TRUE(half.agree());
  const MapDrift faster = compare_maps(at_qpm(120), at_qpm(124), kIn, kOut, kRate, kFrame);
  ASSERT_FALSE(faster.agree());
  // Bar 2: 2 s against 1.935 s, 1.55 frames early.
  EXPECT_EQ(faster.first_off.bar, 2);
  EXPECT_EQ(faster.ours_at, kIn + time::TimeDur(2 * time::kSuperclockPerSecond));
  EXPECT_LT(faster.theirs_at, faster.ours_at);
  EXPECT_EQ(faster.bars, 16);
  EXPECT_EQ(faster.bars_off, 15);
  EXPECT_NEAR(faster.worst_frames, 24 * 30 * (1 - 120.0 / 124), 0.05);
}

// The drift only grows with the tempo gap (property: monotone in the other map's tempo).
TEST(CompareMaps, TheWorstGapGrowsWithTheTempoGap) {
  double before = -1;
  for (std::int64_t qpm = 120; qpm <= 140; qpm += 2) {
    const MapDrift d = compare_maps(at_qpm(120), at_qpm(qpm), kIn, kOut, kRate, kFrame);
    EXPECT_GE(d.worst_frames, before) << qpm;
    before = d.worst_frames;
  }
}

// The same bar lines under another meter are not the same music.
TEST(CompareMaps, AnotherMeterIsOff) {
  const MapDrift d =
      compare_maps(at_qpm(120), at_qpm(120, time::Meter{3, 4}), kIn, kOut, kRate, kFrame);
  EXPECT_FALSE(d.agree());
  EXPECT_EQ(d.first_off.bar, 1);
}

}  // namespace
}  // namespace duet::sync
