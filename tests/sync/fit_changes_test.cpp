#include "sync/fit_changes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace duet::sync {
namespace {

using time::FrameRate;
using time::Rational;

spot::HitPoint at_frame(std::int64_t frame, spot::Landing land = spot::Landing::downbeat(),
                        std::string label = "") {
  spot::HitPoint h;
  h.at = time::time_of_frame(frame, FrameRate::fps24());
  h.land = land;
  h.label = std::move(label);
  return h;
}

ChangeOptions options(Rational limit = Rational(8, 100)) {
  ChangeOptions o;
  o.fit.min_qpm = 60;
  o.fit.max_qpm = 200;
  o.fit.tolerance_frames = 0;
  o.max_change = limit;
  return o;
}

// Downbeats of 4/4 at 120 (48 frames a bar) and then at 160 (36 frames a bar).
std::vector<spot::HitPoint> faster_after_bar_four() {
  return {at_frame(0),
          at_frame(48),
          at_frame(96),
          at_frame(144, spot::Landing::downbeat(), "door"),
          at_frame(180, spot::Landing::downbeat(), "shot"),
          at_frame(216),
          at_frame(252)};
}

TEST(FitChanges, OneChangeAtABarLineLandsTwoTempos) {
  // [GIVEN] downbeats at 120 for three bars, then at 160
  const auto hits = faster_after_bar_four();
  // [WHEN] no constant tempo lands them all
  auto constant = fit_constant(hits, options().fit);
  ASSERT_TRUE(constant.has_value());
  for (const FitOption& f : *constant)
    EXPECT_FALSE(f.check.all_hard_landed());
  // [THEN] one change within ±40% lands every hit exactly, at bar 4's line
  auto fit = fit_changes(hits, options(Rational(40, 100)));
  ASSERT_TRUE(fit.has_value()) << fit.error().message;
  EXPECT_EQ(fit->changes, 1);
  EXPECT_TRUE(fit->check.all_hard_landed());
  const auto& changes = fit->map.tempo_changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].tempo.per_minute, Rational(120));
  EXPECT_EQ(changes[1].tempo.per_minute, Rational(160));
  EXPECT_EQ(fit->map.bbt_at(changes[1].at), (time::BBT{4, 1, 0}));
  for (const HitError& e : fit->check.hits)
    EXPECT_EQ(e.error.ticks(), 0);
  EXPECT_NE(fit->reason.find("1 change at a bar line"), std::string::npos) << fit->reason;
}

TEST(FitChanges, GradualChangesWithinTheLimit) {
  // Bars of 48, 46, 44, 42 frames: each about 4.5% faster than the one before; with a limit of
  // ±8% the search needs a change at each bar line.
  std::vector<spot::HitPoint> hits{at_frame(0), at_frame(48), at_frame(94), at_frame(138),
                                   at_frame(180)};
  auto fit = fit_changes(hits, options());
  ASSERT_TRUE(fit.has_value()) << fit.error().message;
  EXPECT_EQ(fit->changes, 3);
  EXPECT_TRUE(fit->check.all_hard_landed());
  const auto& changes = fit->map.tempo_changes();
  for (std::size_t i = 1; i < changes.size(); ++i) {
    const Rational ratio = changes[i].tempo.per_minute / changes[i - 1].tempo.per_minute;
    EXPECT_LE(ratio, Rational(108, 100));
    EXPECT_GE(ratio, Rational(92, 100));
  }
  // Every reported error is a recomputation through the map.
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const HitError& e = fit->check.hits[i];
    EXPECT_EQ(e.error, fit->map.time_at(e.target) - hits[i].at);
  }
}

TEST(FitChanges, TooBigAJumpNamesTheConflictingHits) {
  auto fit = fit_changes(faster_after_bar_four(), options());
  ASSERT_FALSE(fit.has_value());
  EXPECT_EQ(fit.error().kind, base::ErrorKind::impossible);
  const std::string& m = fit.error().message;
  EXPECT_NE(m.find("hard hit 4 ('door') at 00:00:06:00 and hard hit 5 ('shot') at 00:00:07:12 "
                   "conflict"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("±8%"), std::string::npos) << m;
}

TEST(FitChanges, NoBarLineBetweenTwoDownbeatsIsNamed) {
  // Downbeats three frames apart: no bar in the range is that short.
  auto fit = fit_changes({at_frame(0), at_frame(3, spot::Landing::downbeat(), "blink")},
                         options(Rational(50, 100)));
  ASSERT_FALSE(fit.has_value());
  const std::string& m = fit.error().message;
  EXPECT_NE(m.find("hard hit 1 at 00:00:00:00 and hard hit 2 ('blink') at 00:00:00:03 conflict: "
                   "no bar line falls between them"),
            std::string::npos)
      << m;
}

TEST(FitChanges, ABarOfAnotherMeterLandsADownbeatThatComesEarly) {
  // [GIVEN] 4/4 at 120 (48 frames a bar), but bar 3 is a bar of 3/4 (36 frames): downbeats at
  // 0, 48, 96, 132 and 180
  std::vector<spot::HitPoint> hits{at_frame(0), at_frame(48), at_frame(96), at_frame(132),
                                   at_frame(180, spot::Landing::downbeat(), "slam")};
  // [WHEN] tempo changes alone must stay within ±8%
  auto tempo_only = fit_changes(hits, options());
  ASSERT_FALSE(tempo_only.has_value());
  ChangeOptions o = options();
  o.meter_bars = true;
  auto fit = fit_changes(hits, o);
  // [THEN] one bar of 3/4 at bar 3, at the same tempo, lands them all
  ASSERT_TRUE(fit.has_value()) << fit.error().message;
  EXPECT_EQ(fit->changes, 1);
  ASSERT_EQ(fit->map.tempo_changes().size(), 1u);
  EXPECT_EQ(fit->map.tempo_changes()[0].tempo.per_minute, Rational(120));
  const auto& meters = fit->map.meters().changes();
  ASSERT_EQ(meters.size(), 3u);
  EXPECT_EQ(meters[1].meter, (time::Meter{3, 4}));
  EXPECT_EQ(fit->map.bbt_at(meters[1].at).bar, 3);
  EXPECT_EQ(fit->map.bbt_at(meters[2].at).bar, 4);
  EXPECT_EQ(fit->check.hits[4].bbt, (time::BBT{5, 1, 0}));
  for (const HitError& e : fit->check.hits)
    EXPECT_EQ(e.error.ticks(), 0);
  EXPECT_NE(fit->reason.find("a bar of 3/4 at bar 3"), std::string::npos) << fit->reason;
}

TEST(FitChanges, RefusesBadLimits) {
  EXPECT_FALSE(fit_changes(faster_after_bar_four(), options(Rational(0))).has_value());
  EXPECT_FALSE(fit_changes(faster_after_bar_four(), options(Rational(1))).has_value());
  std::vector<spot::HitPoint> soft{at_frame(10)};
  soft[0].kind = spot::HitKind::soft;
  EXPECT_FALSE(fit_changes(soft, options()).has_value());
}

// Hits on the downbeats of bars 1..last of `map`, at the frame nearest each (24 fps).
std::vector<spot::HitPoint> downbeats_on_frames(const time::TempoMap& map, int last) {
  std::vector<spot::HitPoint> hits;
  const std::int64_t frame_ticks = 11'760'000;
  for (int bar = 1; bar <= last; ++bar) {
    const std::int64_t t = map.time_at(time::BeatPos((bar - 1) * 4 * 1920)).ticks();
    spot::HitPoint h;
    h.land = spot::Landing::downbeat();
    h.at = time::TimePos((t + frame_ticks / 2) / frame_ticks * frame_ticks);
    hits.push_back(h);
  }
  return hits;
}

time::TempoMap ramp_map(Rational q0, Rational q1, int from_bar, int to_bar) {
  auto map = time::TempoMap::create(
      {time::TempoChange{time::BeatPos(0), time::Tempo::quarters_per_minute(q0)},
       time::TempoChange{time::BeatPos((from_bar - 1) * 4 * 1920),
                         time::Tempo::quarters_per_minute(q0), time::Ramp::linear_in_beats},
       time::TempoChange{time::BeatPos((to_bar - 1) * 4 * 1920),
                         time::Tempo::quarters_per_minute(q1)}});
  EXPECT_TRUE(map.has_value());
  return *map;
}

TEST(FitChangesRamps, ASteadyDriftIsOneRampWhereStepsNeedMore) {
  // [GIVEN] downbeats at 96 for two bars, then bars that shrink steadily: an accelerando to 104
  // over bars 3-8, then 104 to bar 12; on frames at 24 fps (up to half a frame from the ramp),
  // tolerance one frame, ±8%
  const auto hits = downbeats_on_frames(ramp_map(96, 104, 3, 9), 12);
  ChangeOptions o = options();
  o.fit.tolerance_frames = 1;
  // [WHEN] steps only, then steps or ramps
  auto steps = fit_changes(hits, o);
  o.ramps = true;
  auto fit = fit_changes(hits, o);
  // [THEN] one ramp lands every hit; steps need more changes or cannot
  ASSERT_TRUE(fit.has_value()) << fit.error().message;
  EXPECT_EQ(fit->changes, 1) << fit->reason;
  EXPECT_TRUE(fit->check.all_hard_landed());
  if (steps.has_value()) {
    EXPECT_GT(steps->changes, 1) << steps->reason;
  } else {
    EXPECT_EQ(steps.error().kind, base::ErrorKind::impossible);
  }
  const auto& changes = fit->map.tempo_changes();
  const auto ramp = std::find_if(changes.begin(), changes.end(), [](const time::TempoChange& c) {
    return c.ramp == time::Ramp::linear_in_beats;
  });
  ASSERT_NE(ramp, changes.end());
  ASSERT_NE(ramp + 1, changes.end());
  const Rational ratio =
      (ramp + 1)->tempo.quarters_per_minute() / ramp->tempo.quarters_per_minute();
  EXPECT_GT(ratio, Rational(1));
  EXPECT_LE(ratio, Rational(108, 100));
  EXPECT_NE(fit->reason.find("accelerando from "), std::string::npos) << fit->reason;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const HitError& e = fit->check.hits[i];
    EXPECT_EQ(e.error, fit->map.time_at(e.target) - hits[i].at);
    EXPECT_TRUE(e.landed);
  }
}

TEST(FitChangesRamps, AStepCaseStaysOneChangeWithRamps) {
  // A jump no ramp within ±40% can replace stays one change, and no worse, with ramps allowed.
  ChangeOptions o = options(Rational(40, 100));
  auto plain = fit_changes(faster_after_bar_four(), o);
  o.ramps = true;
  auto with = fit_changes(faster_after_bar_four(), o);
  ASSERT_TRUE(plain.has_value());
  ASSERT_TRUE(with.has_value()) << with.error().message;
  EXPECT_EQ(with->changes, 1);
  EXPECT_TRUE(with->check.all_hard_landed());
  EXPECT_LE(with->check.worst_error_frames, plain->check.worst_error_frames);
}

TEST(FitChangesRamps, ImpossibleEvenWithRampsNamesTheHits) {
  ChangeOptions o = options();
  o.ramps = true;
  auto fit = fit_changes(faster_after_bar_four(), o);
  ASSERT_FALSE(fit.has_value());
  EXPECT_EQ(fit.error().kind, base::ErrorKind::impossible);
  const std::string& m = fit.error().message;
  EXPECT_NE(m.find("(steps or ramps)"), std::string::npos) << m;
  EXPECT_NE(m.find("conflict"), std::string::npos) << m;
}

TEST(FitChangesRamps, PropertyHitsOnARampsBeatsLand) {
  // Random ramps (linear in beats, within ±7%), hits exactly on the map's downbeats and some
  // beats (TempoMap::time_at): with ramps on, every hard hit lands within the tolerance, in at
  // most one change, and every reported error is the check's recomputation through the map.
  std::mt19937 rng(20261126);
  const time::TimeDur tol = tolerance_ticks(Rational(1, 2), FrameRate::fps24());
  for (int round = 0; round < 25; ++round) {
    const Rational q0(std::uniform_int_distribution<int>(80, 140)(rng));
    const int pct = std::uniform_int_distribution<int>(-7, 7)(rng);
    const Rational q1 = q0 * Rational(100 + (pct == 0 ? 5 : pct), 100);
    const int from = std::uniform_int_distribution<int>(2, 4)(rng);
    const int length = std::uniform_int_distribution<int>(2, 8)(rng);
    const time::TempoMap truth = ramp_map(q0, q1, from, from + length);
    std::vector<spot::HitPoint> hits;
    for (int bar = 1; bar <= from + length + 2; ++bar) {
      spot::HitPoint h;
      h.land = spot::Landing::downbeat();
      h.at = truth.time_at(time::BeatPos((bar - 1) * 4 * 1920));
      hits.push_back(h);
      if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
        spot::HitPoint b;
        b.land = spot::Landing::beat();
        b.at = truth.time_at(time::BeatPos((bar - 1) * 4 * 1920 + 1920 * 2));
        hits.push_back(b);
      }
    }
    ChangeOptions o = options();
    o.fit.tolerance_frames = Rational(1, 2);
    o.ramps = true;
    auto fit = fit_changes(hits, o);
    ASSERT_TRUE(fit.has_value()) << "round " << round << ": " << fit.error().message;
    EXPECT_LE(fit->changes, 1) << "round " << round << ": " << fit->reason;
    const CheckReport again = check_hits(hits, fit->map, FrameRate::fps24(), tol);
    ASSERT_EQ(again.hits.size(), fit->check.hits.size());
    for (std::size_t i = 0; i < hits.size(); ++i) {
      const HitError& e = fit->check.hits[i];
      EXPECT_TRUE(e.landed) << "round " << round << " hit " << i;
      EXPECT_LE(std::abs(e.error.ticks()), tol.ticks());
      EXPECT_EQ(e.error, again.hits[i].error);
      EXPECT_EQ(e.error, fit->map.time_at(e.target) - hits[i].at);
    }
  }
}

}  // namespace
}  // namespace duet::sync
