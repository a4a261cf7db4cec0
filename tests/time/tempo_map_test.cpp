#include "time/tempo_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

namespace duet::time {
namespace {

Tempo qpm(std::int64_t v) {
  return Tempo::quarters_per_minute(Rational(v));
}

double seconds_at(const TempoMap& map, std::int64_t quarters_times_1920) {
  return seconds(map.time_at(BeatPos(quarters_times_1920)));
}

// ---- The vectors the foundation issue names ----

TEST(TempoMapVectors, RampSixtyToOneTwentyOverFourBeatsLinearInBeats) {
  const TempoMap map = TempoMap::create({{BeatPos(0), qpm(60), Ramp::linear_in_beats},
                                         {BeatPos(4 * 1920), qpm(120)}})
                           .value();
  // 4 ln 2 seconds = 2.7726 s
  const double expected = 4.0 * std::log(2.0);
  EXPECT_NEAR(seconds_at(map, 4 * 1920), 2.7726, 0.00005);
  EXPECT_NEAR(static_cast<double>(map.time_at(BeatPos(4 * 1920)).ticks()),
              expected * kSuperclockPerSecond, 1.0);
}

TEST(TempoMapVectors, RampSixtyToOneTwentyOverFourBeatsLinearInTime) {
  const TempoMap map =
      TempoMap::create({{BeatPos(0), qpm(60), Ramp::linear_in_time}, {BeatPos(4 * 1920), qpm(120)}})
          .value();
  // 4 beats at the mean tempo of 90 = 8/3 s = 2.6667 s
  EXPECT_NEAR(seconds_at(map, 4 * 1920), 2.6667, 0.00005);
  EXPECT_NEAR(static_cast<double>(map.time_at(BeatPos(4 * 1920)).ticks()), 752'640'000.0, 1.0);
}

// ---- Constant tempo is exact ----

TEST(TempoMap, DefaultIsOneTwentyInFourFour) {
  const TempoMap map;
  EXPECT_EQ(map.time_at(BeatPos(1920)), TimePos(kSuperclockPerSecond / 2));
  EXPECT_EQ(map.bbt_at(BeatPos(7680)), (BBT{2, 1, 0}));
}

TEST(TempoMap, ConstantTempoConvertsExactlyBothWays) {
  const TempoMap map = TempoMap::constant(frame_click(12, 2, FrameRate::fps24()));
  for (std::int64_t beat = 0; beat < 1000; ++beat) {
    const TimePos t = map.time_at(BeatPos(beat * 1920));
    ASSERT_EQ(t, TimePos(beat * 144'060'000));
    ASSERT_EQ(map.beats_at(t), BeatPos(beat * 1920));
  }
}

TEST(TempoMap, TempoPerAnyNoteValue) {
  // 6/8 at dotted quarter = 60: one bar (two dotted quarters) lasts two seconds.
  const Tempo dotted = parse_tempo("q.=60").value();
  const TempoMap map = TempoMap::constant(dotted, parse_meter("6/8").value());
  EXPECT_EQ(map.time_at(BeatPos(5760)), TimePos(2 * kSuperclockPerSecond));
  const TempoMap eighths = TempoMap::constant(parse_tempo("e=180").value());
  EXPECT_EQ(eighths.time_at(BeatPos(1920 * 3)), TimePos(2 * kSuperclockPerSecond));
}

TEST(TempoMap, OriginPlacesBeatZeroOnTheTimeline) {
  const TimePos cue_start(3600 * kSuperclockPerSecond);
  const TempoMap map = TempoMap::constant(qpm(120), Meter{}, cue_start);
  EXPECT_EQ(map.time_at(BeatPos(0)), cue_start);
  EXPECT_EQ(map.beats_at(cue_start), BeatPos(0));
  // Before the origin: count-off bars extend the first tempo backwards.
  EXPECT_EQ(map.time_at(BeatPos(-7680)), cue_start - TimeDur(2 * kSuperclockPerSecond));
  EXPECT_EQ(map.bbt_at(cue_start - TimeDur(kSuperclockPerSecond)), (BBT{0, 3, 0}));
}

TEST(TempoMap, TempoChangesAndMeterChangesTogether) {
  // [GIVEN] bars 1-4 in 4/4 at 120, then 3/4 at 90 from bar 5
  const MeterMap meters = MeterMap::from_bars({{1, Meter{4, 4}}, {5, Meter{3, 4}}}).value();
  const BeatPos bar5 = meters.beats_at(BBT{5, 1, 0}).value();
  const TempoMap map = TempoMap::create({{BeatPos(0), qpm(120)}, {bar5, qpm(90)}}, meters).value();
  // [THEN] bar 5 starts at 8 s; each 3/4 bar at 90 lasts 2 s
  EXPECT_EQ(map.time_at(BBT{5, 1, 0}).value(), TimePos(8 * kSuperclockPerSecond));
  EXPECT_EQ(map.time_at(BBT{6, 1, 0}).value(), TimePos(10 * kSuperclockPerSecond));
  EXPECT_EQ(map.bbt_at(TimePos(9 * kSuperclockPerSecond)), (BBT{5, 2, 960}));
  EXPECT_DOUBLE_EQ(map.quarters_per_minute_at(bar5), 90.0);
  EXPECT_FALSE(map.time_at(BBT{5, 4, 0}));
}

TEST(TempoMap, InstantaneousTempoAlongRamps) {
  const TempoMap beats = TempoMap::create({{BeatPos(0), qpm(60), Ramp::linear_in_beats},
                                           {BeatPos(4 * 1920), qpm(120)}})
                             .value();
  EXPECT_NEAR(beats.quarters_per_minute_at(BeatPos(2 * 1920)), 90.0, 1e-9);
  EXPECT_NEAR(beats.quarters_per_minute_at(BeatPos(5 * 1920)), 120.0, 1e-9);
  const TempoMap time =
      TempoMap::create({{BeatPos(0), qpm(60), Ramp::linear_in_time}, {BeatPos(4 * 1920), qpm(120)}})
          .value();
  // Half-way in time (4/3 s) the tempo is half-way (90); that is 5/3 beats in, not 2.
  const BeatPos middle = time.beats_at(TimePos(kSuperclockPerSecond * 4 / 3));
  EXPECT_NEAR(static_cast<double>(middle.ticks()), 1920.0 * 5.0 / 3.0, 1.0);
  EXPECT_NEAR(time.quarters_per_minute_at(middle), 90.0, 0.01);
}

TEST(TempoMap, ARampToTheSameTempoIsExactlyConstant) {
  const TempoMap map = TempoMap::create({{BeatPos(0), qpm(100), Ramp::linear_in_beats},
                                         {BeatPos(8 * 1920), qpm(100)}})
                           .value();
  EXPECT_EQ(map.time_at(BeatPos(3 * 1920)), TimePos(kSuperclockPerSecond * 9 / 5));
}

TEST(TempoMap, RejectsBadMapsWithReasons) {
  const auto no_start = TempoMap::create({{BeatPos(1920), qpm(120)}});
  ASSERT_FALSE(no_start);
  EXPECT_NE(no_start.error().message.find("needs a tempo at its start"), std::string::npos);
  EXPECT_FALSE(TempoMap::create({}));
  const auto order = TempoMap::create({{BeatPos(0), qpm(120)}, {BeatPos(0), qpm(90)}});
  ASSERT_FALSE(order);
  EXPECT_NE(order.error().message.find("must be in order"), std::string::npos);
  const auto last_ramp =
      TempoMap::create({{BeatPos(0), qpm(120)}, {BeatPos(1920), qpm(90), Ramp::linear_in_beats}});
  ASSERT_FALSE(last_ramp);
  EXPECT_EQ(last_ramp.error().message,
            "the ramp at 1|2|0 has no tempo to ramp to; add a tempo change where the ramp ends");
  EXPECT_FALSE(TempoMap::create({{BeatPos(0), Tempo{Rational(0), Rational(1, 4)}}}));
}

// ---- Properties over random maps ----

TempoMap random_map(std::mt19937_64& rng) {
  std::vector<TempoChange> changes;
  std::int64_t at = 0;
  const int count = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < count; ++i) {
    // Tempos from 30 to 300 quarters per minute with up to three decimals, any note value.
    const Rational per_minute(30000 + static_cast<std::int64_t>(rng() % 270000), 1000);
    const Rational note_values[] = {Rational(1, 4), Rational(1, 8), Rational(3, 8), Rational(1, 2)};
    Tempo tempo{per_minute, note_values[rng() % 4]};
    const Rational q = tempo.quarters_per_minute();
    if (q < Rational(20) || q > Rational(400)) tempo = qpm(100);
    const Ramp ramps[] = {Ramp::none, Ramp::linear_in_beats, Ramp::linear_in_time};
    const Ramp ramp = i + 1 < count ? ramps[rng() % 3] : Ramp::none;
    changes.push_back({BeatPos(at), tempo, ramp});
    at += 1 + static_cast<std::int64_t>(rng() % (32 * 1920));
  }
  const TimePos origin(static_cast<std::int64_t>(rng() % (3600 * kSuperclockPerSecond)));
  return TempoMap::create(changes, MeterMap(), origin).value();
}

TEST(TempoMapProperty, BeatsToTimeToBeatsWithinOneTick) {
  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 300; ++trial) {
    const TempoMap map = random_map(rng);
    for (int i = 0; i < 2000; ++i) {
      const BeatPos b(static_cast<std::int64_t>(rng() % (300 * 1920)) - 1920 * 8);
      const BeatPos back = map.beats_at(map.time_at(b));
      ASSERT_LE(std::llabs((back - b).ticks()), 1) << "trial " << trial << " beat " << b.ticks();
    }
  }
}

TEST(TempoMapProperty, TimeToBeatsToTimeWithinHalfABeatTick) {
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 300; ++trial) {
    const TempoMap map = random_map(rng);
    for (int i = 0; i < 2000; ++i) {
      const TimePos t =
          map.origin() + TimeDur(static_cast<std::int64_t>(rng() % (200 * kSuperclockPerSecond)));
      const BeatPos b = map.beats_at(t);
      // One beat tick lasts 8,820,000 / qpm superclock ticks; rounding to the nearest beat tick
      // moves at most half of that (plus a tick of rounding). At a tempo change the tick before
      // b may be the slower one.
      const double slowest =
          std::min(map.quarters_per_minute_at(b), map.quarters_per_minute_at(b - BeatDur(1)));
      const double half_tick = 8'820'000.0 / slowest / 2.0 + 1.0;
      ASSERT_LE(std::abs(static_cast<double>((map.time_at(b) - t).ticks())), half_tick + 1.0)
          << "trial " << trial << " t " << t.ticks() << " b " << b.ticks() << " origin "
          << map.origin().ticks();
    }
  }
}

TEST(TempoMapProperty, ConversionsAreMonotonic) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    const TempoMap map = random_map(rng);
    TimePos previous_time = map.time_at(BeatPos(-1920));
    for (std::int64_t b = -1919; b < 250 * 1920; b += 1 + static_cast<std::int64_t>(rng() % 300)) {
      const TimePos t = map.time_at(BeatPos(b));
      ASSERT_LT(previous_time, t);  // a beat tick always lasts at least one superclock tick
      previous_time = t;
    }
    BeatPos previous_beat = map.beats_at(map.origin());
    for (std::int64_t t = 0; t < 120 * kSuperclockPerSecond; t += 1 + (rng() % 50'000'000)) {
      const BeatPos b = map.beats_at(map.origin() + TimeDur(t));
      ASSERT_LE(previous_beat, b);
      previous_beat = b;
    }
  }
}

// Independent check of the ramp formulas: integrate dt = 60 / q(x) dx numerically (Simpson).
TEST(TempoMapProperty, RampsLandWhereNumericalIntegrationSays) {
  std::mt19937_64 rng(77);
  for (int trial = 0; trial < 100; ++trial) {
    const double q0 = 30.0 + static_cast<double>(rng() % 2000) / 10.0;
    const double q1 = 30.0 + static_cast<double>(rng() % 2000) / 10.0;
    const std::int64_t length = 1920 * (1 + static_cast<std::int64_t>(rng() % 16));
    const double quarters = static_cast<double>(length) / 1920.0;
    const Tempo t0 = Tempo::quarters_per_minute(Rational(std::llround(q0 * 10), 10));
    const Tempo t1 = Tempo::quarters_per_minute(Rational(std::llround(q1 * 10), 10));
    // Linear in beats: q(x) = q0 + (q1 - q0) x / L.
    const TempoMap beats =
        TempoMap::create({{BeatPos(0), t0, Ramp::linear_in_beats}, {BeatPos(length), t1}}).value();
    const int steps = 2000;
    double integral = 0;
    const double h = quarters / steps;
    for (int i = 0; i <= steps; ++i) {
      const double x = i * h;
      const double f = 60.0 / (q0 + (q1 - q0) * x / quarters);
      integral += f * ((i == 0 || i == steps) ? 1 : (i % 2 ? 4 : 2));
    }
    integral *= h / 3.0;
    // Within a superclock tick (3.5 ns) plus Simpson's error.
    EXPECT_NEAR(seconds(beats.time_at(BeatPos(length))), integral, 5e-9);
    // Linear in time: q(t) = q0 + (q1 - q0) t / D with D = 120 L / (q0 + q1); beats = ∫ q/60 dt.
    const TempoMap time =
        TempoMap::create({{BeatPos(0), t0, Ramp::linear_in_time}, {BeatPos(length), t1}}).value();
    const double duration = 120.0 * quarters / (q0 + q1);
    EXPECT_NEAR(seconds(time.time_at(BeatPos(length))), duration, 1e-8);
    const double half = duration / 2.0;
    const double beats_at_half = (q0 * half + (q1 - q0) / duration * half * half / 2.0) / 60.0;
    EXPECT_NEAR(static_cast<double>(
                    time.beats_at(position_from_seconds(Rational(
                                      static_cast<std::int64_t>(half * 1e9), 1'000'000'000)))
                        .ticks()),
                beats_at_half * 1920.0, 1.0);
  }
}

}  // namespace
}  // namespace duet::time
