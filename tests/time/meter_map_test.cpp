#include "time/meter_map.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace duet::time {
namespace {

Meter meter(const char* text) {
  return parse_meter(text).value();
}

TEST(MeterMap, BarsAndBeatsCountFromOne) {
  const MeterMap map;
  EXPECT_EQ(map.bbt_at(BeatPos(0)), (BBT{1, 1, 0}));
  EXPECT_EQ(map.bbt_at(BeatPos(1920 * 5 + 7)), (BBT{2, 2, 7}));
  EXPECT_EQ(map.bbt_at(BeatPos(-1920)), (BBT{0, 4, 0}));  // a pickup beat
  EXPECT_EQ(map.bar_start(3), BeatPos(2 * 7680));
}

TEST(MeterMap, ChangesByBarNumber) {
  // [GIVEN] 4/4 for bars 1-4, 3/4 from bar 5, 6/8 from bar 7
  const MeterMap map =
      MeterMap::from_bars({{1, meter("4/4")}, {5, meter("3/4")}, {7, meter("6/8")}}).value();
  // [THEN] bar 5 starts after four 4/4 bars, bar 7 after two 3/4 bars more
  EXPECT_EQ(map.bar_start(5), BeatPos(4 * 7680));
  EXPECT_EQ(map.bar_start(7), BeatPos(4 * 7680 + 2 * 5760));
  EXPECT_EQ(map.meter_at(map.bar_start(6)), meter("3/4"));
  EXPECT_EQ(map.bbt_at(map.bar_start(7) + BeatDur(960 * 4 + 10)), (BBT{7, 5, 10}));
  EXPECT_EQ(map.beats_at(BBT{7, 5, 10}).value(), map.bar_start(7) + BeatDur(960 * 4 + 10));
  EXPECT_EQ(map.bar_start(9), map.bar_start(7) + BeatDur(2 * 5760));
}

TEST(MeterMap, WithoutABarOneChangeItStartsInFourFour) {
  const MeterMap map = MeterMap::from_bars({{3, meter("5/8")}}).value();
  EXPECT_EQ(map.changes().size(), 2u);
  EXPECT_EQ(map.bar_start(3), BeatPos(2 * 7680));
}

TEST(MeterMap, AChangeInsideABarCutsThatBarShort) {
  // [GIVEN] a MIDI-style change to 3/4 two beats into bar 2
  const MeterMap map =
      MeterMap::create({{BeatPos(0), meter("4/4")}, {BeatPos(7680 + 3840), meter("3/4")}}).value();
  // [THEN] bar 2 has two beats and the change starts bar 3
  EXPECT_EQ(map.bbt_at(BeatPos(7680 + 3840)), (BBT{3, 1, 0}));
  EXPECT_EQ(map.bbt_at(BeatPos(7680 + 3839)), (BBT{2, 2, 1919}));
  const auto missing = map.beats_at(BBT{2, 3, 0});
  ASSERT_FALSE(missing);
  EXPECT_EQ(
      missing.error().message,
      "position 2|3|0 does not exist: bar 2 is cut short by the change to 3/4 and has 2 beats");
}

TEST(MeterMap, RejectsBeatsAndTicksOutsideTheMeter) {
  const MeterMap map = MeterMap::from_bars({{1, meter("6/8")}}).value();
  EXPECT_FALSE(map.beats_at(BBT{1, 7, 0}));
  EXPECT_FALSE(map.beats_at(BBT{1, 0, 0}));
  const auto tick = map.beats_at(BBT{1, 1, 960});
  ASSERT_FALSE(tick);
  EXPECT_NE(tick.error().message.find("tick 0 to 959"), std::string::npos);
}

TEST(MeterMap, RejectsBadLists) {
  EXPECT_FALSE(MeterMap::create({}));
  EXPECT_FALSE(MeterMap::create({{BeatPos(10), Meter{}}}));
  EXPECT_FALSE(MeterMap::create({{BeatPos(0), Meter{}}, {BeatPos(0), Meter{3, 4}}}));
  EXPECT_FALSE(MeterMap::create({{BeatPos(0), Meter{4, 3}}}));
  EXPECT_FALSE(MeterMap::from_bars({{5, meter("3/4")}, {5, meter("4/4")}}));
  EXPECT_FALSE(MeterMap::from_bars({{0, meter("3/4")}}));
}

TEST(MeterMapProperty, BbtRoundTripsAndIsMonotonic) {
  std::mt19937_64 rng(11);
  const int numerators[] = {1, 2, 3, 4, 5, 6, 7, 9, 12};
  const int denominators[] = {2, 4, 8, 16};
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::pair<std::int64_t, Meter>> bars;
    std::int64_t bar = 1;
    for (int i = 0; i < 6; ++i) {
      bars.push_back({bar, Meter{numerators[rng() % 9], denominators[rng() % 4]}});
      bar += 1 + static_cast<std::int64_t>(rng() % 5);
    }
    const MeterMap map = MeterMap::from_bars(bars).value();
    BBT previous{-100, 1, 0};
    for (std::int64_t t = -20000; t < 200000; t += 1 + static_cast<std::int64_t>(rng() % 997)) {
      const BBT bbt = map.bbt_at(BeatPos(t));
      ASSERT_EQ(map.beats_at(bbt).value(), BeatPos(t)) << bbt.to_string();
      ASSERT_LT(previous, bbt);
      previous = bbt;
    }
  }
}

}  // namespace
}  // namespace duet::time
