#include "sync/fit.h"
#include "sync/fit_changes.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "time/timecode.h"

namespace duet::sync {
namespace {

using time::BeatDur;
using time::FrameRate;
using time::Rational;
using time::TimePos;

spot::HitPoint hit_at_frame(std::int64_t frame, spot::Landing land = spot::Landing::beat(),
                            spot::HitKind kind = spot::HitKind::hard, double weight = 1.0) {
  spot::HitPoint h;
  h.at = time::time_of_frame(frame, FrameRate::fps24());
  h.kind = kind;
  h.weight = weight;
  h.land = land;
  return h;
}

TEST(FitConstant, FindsTheOnlyTempoThatLandsEveryBeatExactly) {
  // [GIVEN] hits every half second on beats, no tolerance, a range holding one multiple of 120
  std::vector<spot::HitPoint> hits{hit_at_frame(0), hit_at_frame(12), hit_at_frame(24),
                                   hit_at_frame(60)};
  FitOptions o;
  o.min_qpm = 100;
  o.max_qpm = 140;
  o.tolerance_frames = 0;
  // [WHEN] fitting
  auto options = fit_constant(hits, o);
  ASSERT_TRUE(options.has_value()) << options.error().message;
  ASSERT_FALSE(options->empty());
  // [THEN] the best option is 120 exactly, landing every hit with no error
  const FitOption& best = options->front();
  EXPECT_EQ(best.tempo.per_minute, Rational(120));
  EXPECT_TRUE(best.check.all_hard_landed());
  for (const HitError& e : best.check.hits)
    EXPECT_EQ(e.error.ticks(), 0);
  EXPECT_EQ(best.check.hits[3].bbt, (time::BBT{2, 2, 0}));
  EXPECT_NE(best.reason.find("all 4 hard hits"), std::string::npos) << best.reason;
}

TEST(FitConstant, PrefersARoundTempoInsideTheMiddleOfThePlateau) {
  // Hits every 12 frames with a tolerance of one frame: a band of tempos around 120 lands all.
  std::vector<spot::HitPoint> hits{hit_at_frame(0), hit_at_frame(12), hit_at_frame(24),
                                   hit_at_frame(36)};
  FitOptions o;
  o.min_qpm = 110;
  o.max_qpm = 130;
  auto options = fit_constant(hits, o);
  ASSERT_TRUE(options.has_value());
  const FitOption& best = options->front();
  EXPECT_EQ(best.tempo.per_minute, Rational(120));
  EXPECT_LT(best.plateau_low, Rational(120));
  EXPECT_GT(best.plateau_high, Rational(120));
  // The plateau's ends: the last hit (1.5 s = 3 beats at 120) one frame late or early.
  EXPECT_EQ(best.plateau_low, Rational(3 * 60 * 24, 37));
  EXPECT_EQ(best.plateau_high, Rational(3 * 60 * 24, 35));
}

TEST(FitConstant, AmongEqualMultiplesThePreferredTempoRanksFirst) {
  // [GIVEN] downbeats at 0, 18 and 42 s, exactly: only multiples of 40 BPM land them (a bar
  // of 4 beats must divide 18 s and 42 s), and 40, 80, 120, 160 and 200 land them alike
  std::vector<spot::HitPoint> hits{hit_at_frame(0, spot::Landing::downbeat()),
                                   hit_at_frame(18 * 24, spot::Landing::downbeat()),
                                   hit_at_frame(42 * 24, spot::Landing::downbeat())};
  FitOptions o;
  o.tolerance_frames = 0;
  o.min_qpm = 40;
  o.max_qpm = 240;
  o.max_options = 5;
  const auto order = [&](double preferred) {
    o.preferred_qpm = preferred;
    auto options = fit_constant(hits, o);
    EXPECT_TRUE(options.has_value());
    std::vector<std::int64_t> bpm;
    for (const FitOption& f : *options)
      bpm.push_back(static_cast<std::int64_t>(std::lround(f.tempo.per_minute.to_double())));
    return bpm;
  };
  // [THEN] the nearest on a log scale comes first, then the next nearest among the plausible
  // (from half to 1.6 times the preferred: 120 is over 1.6 x 74, so 40 comes before it)
  EXPECT_EQ(order(74), (std::vector<std::int64_t>{80, 40, 120, 160, 200}));
  EXPECT_EQ(order(190), (std::vector<std::int64_t>{200, 160, 240, 120, 80}));
  EXPECT_EQ(order(120).front(), 120);
}

TEST(FitConstant, ErrorsWithinATenthOfAFrameLetThePreferredTempoDecide) {
  // [GIVEN] the help's own example (issue 16): hard hits at 2 s and 9 s (a downbeat), a soft hit
  // at 5.5 s; many tempos land all three with errors under a tenth of a frame
  std::vector<spot::HitPoint> hits{
      hit_at_frame(2 * 24), hit_at_frame(5 * 24 + 12, spot::Landing::beat(), spot::HitKind::soft),
      hit_at_frame(9 * 24, spot::Landing::downbeat())};
  FitOptions o;
  o.start = hits.front().at;
  auto options = fit_constant(hits, o);
  ASSERT_TRUE(options.has_value());
  ASSERT_GE(options->size(), 3u);
  // [THEN] the nearest to 120 among them comes first (it used to be 240, the range's top, on
  // 0.07 frames less error), and every option before another is nearer 120 or clearly better
  const FitOption& best = options->front();
  EXPECT_TRUE(best.check.all_hard_landed());
  EXPECT_NEAR(best.tempo.per_minute.to_double(), 137.1, 0.05);
  for (std::size_t i = 1; i < options->size(); ++i) {
    const FitOption& a = (*options)[i - 1];
    const FitOption& b = (*options)[i];
    if (a.check.soft_weight_landed != b.check.soft_weight_landed || a.plausible != b.plausible)
      continue;
    const bool clearly_smaller_error =
        std::floor(a.check.rms_error_frames * 10) < std::floor(b.check.rms_error_frames * 10);
    const bool nearer = std::abs(std::log(a.tempo.per_minute.to_double() / 120)) <=
                        std::abs(std::log(b.tempo.per_minute.to_double() / 120));
    EXPECT_TRUE(clearly_smaller_error || nearer) << i;
  }
}

TEST(FitConstant, AnImplausibleTempoRanksBelowPlausibleOnesWhateverSoftHitsItAdds) {
  // [GIVEN] downbeats at 0 and 12 s, landed by every multiple of 20 BPM; a soft hit a quarter of
  // a second in that only 240 BPM lands; a calm cue that prefers 70 BPM
  std::vector<spot::HitPoint> hits{hit_at_frame(0, spot::Landing::downbeat()),
                                   hit_at_frame(12 * 24, spot::Landing::downbeat()),
                                   hit_at_frame(6, spot::Landing::beat(), spot::HitKind::soft, 3)};
  FitOptions o;
  o.tolerance_frames = 0;
  o.preferred_qpm = 70;
  o.max_options = 10;
  auto options = fit_constant(hits, o);
  ASSERT_TRUE(options.has_value());
  ASSERT_FALSE(options->empty());
  // [THEN] 80 BPM (nearest 70 on a log scale) first; 240 comes after every plausible option and
  // says why
  EXPECT_EQ(options->front().tempo.per_minute, Rational(80));
  EXPECT_TRUE(options->front().plausible);
  bool seen_implausible = false;
  for (const FitOption& f : *options) {
    if (!f.plausible) seen_implausible = true;
    EXPECT_TRUE(!seen_implausible || !f.plausible) << f.tempo.to_string();
    if (f.tempo.per_minute == Rational(240)) {
      EXPECT_FALSE(f.plausible);
      EXPECT_EQ(f.check.soft_landed, 1);
      EXPECT_NE(f.reason.find("far faster than the preferred 70 BPM"), std::string::npos)
          << f.reason;
    }
  }
  EXPECT_TRUE(seen_implausible);
  // Without a plausible band, 240 wins on its soft hit, as before.
  o.plausible_ratio_down = 0;
  o.plausible_ratio_up = 0;
  auto unbounded = fit_constant(hits, o);
  ASSERT_TRUE(unbounded.has_value());
  EXPECT_EQ(unbounded->front().tempo.per_minute, Rational(240));
}

TEST(FitConstant, APickupLetsDownbeatsFallAfterTheStart) {
  // Downbeat hits half a second and 2.5 s after the start: at 120 in 4/4 the music starts one
  // beat before its first downbeat.
  std::vector<spot::HitPoint> hits{hit_at_frame(12, spot::Landing::downbeat()),
                                   hit_at_frame(60, spot::Landing::downbeat())};
  FitOptions o;
  o.min_qpm = 100;
  o.max_qpm = 140;
  o.tolerance_frames = 0;
  auto without = fit_constant(hits, o);
  ASSERT_TRUE(without.has_value());
  for (const FitOption& f : *without)
    EXPECT_FALSE(f.check.all_hard_landed());
  o.pickup = true;
  auto with = fit_constant(hits, o);
  ASSERT_TRUE(with.has_value());
  ASSERT_FALSE(with->empty());
  const FitOption& best = with->front();
  EXPECT_TRUE(best.check.all_hard_landed());
  EXPECT_EQ(best.tempo.per_minute, Rational(120));
  EXPECT_EQ(best.pickup, BeatDur(1920));
  EXPECT_EQ(best.map.origin(), time::time_of_frame(12, FrameRate::fps24()));
  EXPECT_EQ(best.check.hits[1].bbt, (time::BBT{2, 1, 0}));
}

TEST(FitConstant, FrameClicksFindTwelveTwo) {
  // A 12-2 click at 24 fps: a beat every 12.25 frames, a 4/4 bar every 49 frames.
  std::vector<spot::HitPoint> hits{hit_at_frame(0, spot::Landing::downbeat()),
                                   hit_at_frame(49, spot::Landing::downbeat()),
                                   hit_at_frame(98, spot::Landing::downbeat())};
  FitOptions o;
  o.min_qpm = 100;
  o.max_qpm = 140;
  o.tolerance_frames = 0;
  o.frame_clicks = true;
  auto options = fit_constant(hits, o);
  ASSERT_TRUE(options.has_value());
  ASSERT_FALSE(options->empty());
  const FitOption& best = options->front();
  ASSERT_TRUE(best.click.has_value());
  EXPECT_EQ(*best.click, (std::pair<int, int>{12, 2}));
  EXPECT_EQ(best.tempo.per_minute, Rational(11520, 98));
  EXPECT_TRUE(best.check.all_hard_landed());
}

TEST(FitConstant, SoftHitsWeighTheChoiceButHardHitsComeFirst) {
  // Hard hits agree on 120 (and 60-ish multiples are out of range); a heavy soft hit wants a
  // different tempo and must not win over the hard hits.
  std::vector<spot::HitPoint> hits{hit_at_frame(0), hit_at_frame(24),
                                   hit_at_frame(31, spot::Landing::beat(), spot::HitKind::soft, 5)};
  FitOptions o;
  o.min_qpm = 100;
  o.max_qpm = 140;
  o.tolerance_frames = 0;
  auto options = fit_constant(hits, o);
  ASSERT_TRUE(options.has_value());
  EXPECT_TRUE(options->front().check.all_hard_landed());
  EXPECT_EQ(options->front().check.hard_landed, 2);
}

TEST(FitConstant, RefusesBadInput) {
  FitOptions o;
  EXPECT_FALSE(fit_constant({}, o).has_value());
  std::vector<spot::HitPoint> hits{hit_at_frame(10)};
  o.start = time::time_of_frame(20, FrameRate::fps24());
  auto early = fit_constant(hits, o);
  ASSERT_FALSE(early.has_value());
  EXPECT_NE(early.error().message.find("before the cue's start"), std::string::npos);
  o.start = TimePos(0);
  o.min_qpm = 200;
  o.max_qpm = 100;
  EXPECT_FALSE(fit_constant(hits, o).has_value());
}

// Random hit sets: on frames at 24 fps within 12 s, random landings, kinds and weights.
std::vector<spot::HitPoint> random_hits(std::mt19937& rng, int count) {
  std::uniform_int_distribution<std::int64_t> frame(1, 24 * 12);
  std::uniform_int_distribution<int> landing(0, 4);
  std::uniform_int_distribution<int> kind(0, 2);
  std::uniform_int_distribution<int> weight(1, 4);
  std::vector<spot::HitPoint> hits{hit_at_frame(0, spot::Landing::downbeat())};
  for (int i = 0; i < count; ++i) {
    const spot::Landing lands[] = {spot::Landing::downbeat(), spot::Landing::beat(),
                                   spot::Landing::subdivision(8), spot::Landing::subdivision(16),
                                   spot::Landing::subdivision(12)};
    hits.push_back(hit_at_frame(frame(rng), lands[landing(rng)],
                                kind(rng) == 0 ? spot::HitKind::soft : spot::HitKind::hard,
                                weight(rng)));
  }
  std::sort(hits.begin(), hits.end(),
            [](const spot::HitPoint& a, const spot::HitPoint& b) { return a.at < b.at; });
  return hits;
}

TEST(FitConstantProperty, ExactSweepIsNeverWorseThanAThousandthOfABpmScan) {
  std::mt19937 rng(20261126);
  for (int round = 0; round < 8; ++round) {
    const auto hits = random_hits(rng, 6);
    FitOptions o;
    o.min_qpm = 60;
    o.max_qpm = 150;
    o.tolerance_frames = Rational(1, 2);
    const Score exact = best_score(hits, o);
    const Score scan = scan_best_score(hits, o, Rational(1, 1000));
    EXPECT_GE(exact, scan) << "round " << round;
    // The ranked options' best is the sweep's best, and its check agrees with the exact score.
    auto options = fit_constant(hits, o);
    ASSERT_TRUE(options.has_value());
    ASSERT_FALSE(options->empty());
    const FitOption& best = options->front();
    const Score claimed{best.check.hard_weight_landed, best.check.soft_weight_landed};
    EXPECT_EQ(claimed, exact) << "round " << round;
    EXPECT_EQ(score_tempo(hits, o, best.tempo.per_minute), exact);
  }
}

TEST(FitConstantProperty, ReportedErrorsAreRecomputedFromTheTempoMap) {
  std::mt19937 rng(7);
  for (int round = 0; round < 10; ++round) {
    const auto hits = random_hits(rng, 8);
    FitOptions o;
    o.pickup = round % 2 == 1;
    auto options = fit_constant(hits, o);
    ASSERT_TRUE(options.has_value());
    const time::TimeDur tol = tolerance_ticks(o.tolerance_frames, o.rate);
    for (const FitOption& f : *options) {
      ASSERT_EQ(f.check.hits.size(), hits.size());
      for (std::size_t i = 0; i < hits.size(); ++i) {
        const HitError& e = f.check.hits[i];
        EXPECT_EQ(e.error, f.map.time_at(e.target) - hits[i].at);
        EXPECT_EQ(e.bbt, f.map.bbt_at(e.target));
        const std::int64_t ticks = e.error.ticks() < 0 ? -e.error.ticks() : e.error.ticks();
        EXPECT_EQ(e.landed, ticks <= tol.ticks());
        EXPECT_NEAR(e.error_ms, static_cast<double>(e.error.ticks()) / 282240.0, 1e-9);
        // The target is on the hit's grid: a multiple of its unit from the bar line.
        const std::int64_t unit = landing_unit(hits[i].land, o.meter).ticks();
        const std::int64_t bar_start = f.map.meters().bar_start(e.bbt.bar).ticks();
        EXPECT_EQ((e.target.ticks() - bar_start) % unit, 0);
        // No grid point is nearer in time.
        for (const std::int64_t d : {-unit, unit}) {
          const time::TimeDur other = f.map.time_at(e.target + BeatDur(d)) - hits[i].at;
          EXPECT_GE(std::llabs(other.ticks()), std::llabs(e.error.ticks()));
        }
      }
    }
  }
}

}  // namespace
}  // namespace duet::sync

namespace duet::sync {
namespace {

TEST(CheckHits, RampsLandHitsWhereTheFormulaSays) {
  // [GIVEN] 60 -> 120 over 4 beats, linear in beats: beat x at t(x) = (60/k) ln(1 + kx/60),
  // k = 15 (docs/tempo-math.md)
  auto map = time::TempoMap::create(
      {{time::BeatPos(0), time::Tempo::quarters_per_minute(60), time::Ramp::linear_in_beats},
       {time::BeatPos(4 * 1920), time::Tempo::quarters_per_minute(120)}});
  ASSERT_TRUE(map);
  const FrameRate rate = FrameRate::fps24();
  for (int beat = 1; beat <= 4; ++beat) {
    const long double seconds = 4.0L * std::log1p(15.0L * beat / 60.0L);
    // [WHEN] a hit sits on the frame nearest the beat
    spot::HitPoint h;
    h.at = time::time_of_frame(std::llround(seconds * 24), rate);
    const CheckReport r = check_hits({h}, *map, rate, tolerance_ticks(1, rate));
    // [THEN] it is measured against that beat, and its error is the formula's time minus the
    // frame's, within a superclock tick
    ASSERT_EQ(r.hits.size(), 1u);
    EXPECT_EQ(r.hits[0].target, time::BeatPos(beat * 1920));
    const long double expected =
        seconds * time::kSuperclockPerSecond - static_cast<long double>(h.at.ticks());
    EXPECT_NEAR(static_cast<double>(r.hits[0].error.ticks()), static_cast<double>(expected), 1.0);
    EXPECT_TRUE(r.hits[0].landed);
  }
}

TEST(CheckHits, DownbeatsAndSubdivisionsAfterAMeterChange) {
  // 4/4 for two bars, then 6/8 (eighths): a downbeat hit near bar 3's line lands on it; an 8th
  // hit lands on the eighth grid of the 6/8 bar.
  auto meters = time::MeterMap::from_bars({{1, time::Meter{4, 4}}, {3, time::Meter{6, 8}}});
  ASSERT_TRUE(meters);
  auto map = time::TempoMap::create(
      {{time::BeatPos(0), time::Tempo::quarters_per_minute(120), time::Ramp::none}}, *meters);
  ASSERT_TRUE(map);
  const FrameRate rate = FrameRate::fps24();
  spot::HitPoint down;
  down.at = time::time_of_frame(4 * 24 + 1, rate);  // bar 3 starts at 4 s
  down.land = spot::Landing::downbeat();
  spot::HitPoint eighth;
  eighth.at = time::time_of_frame(4 * 24 + 30, rate);  // 1.25 s into bar 3: the 6th eighth
  eighth.land = spot::Landing::subdivision(8);
  const CheckReport r = check_hits({down, eighth}, *map, rate, tolerance_ticks(1, rate));
  EXPECT_EQ(r.hits[0].bbt, (time::BBT{3, 1, 0}));
  EXPECT_NEAR(r.hits[0].error_frames, -1.0, 1e-9);
  EXPECT_EQ(r.hits[1].bbt, (time::BBT{3, 6, 0}));
  EXPECT_NEAR(r.hits[1].error_ms, 0.0, 1e-9);
  EXPECT_EQ(r.hard_landed, 2);
}

}  // namespace
}  // namespace duet::sync

namespace duet::sync {
namespace {

TEST(FitConstantProperty, HitsOffTheFrameGridStayExact) {
  // Times in arbitrary superclock ticks: the interval ends' denominators share no factors.
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<std::int64_t> ticks(1, 10LL * time::kSuperclockPerSecond);
  for (int round = 0; round < 4; ++round) {
    std::vector<spot::HitPoint> hits(1);
    for (int i = 0; i < 5; ++i) {
      spot::HitPoint h;
      h.at = time::TimePos(ticks(rng));
      h.land = i % 2 == 0 ? spot::Landing::beat() : spot::Landing::subdivision(16);
      hits.push_back(h);
    }
    std::sort(hits.begin(), hits.end(),
              [](const spot::HitPoint& a, const spot::HitPoint& b) { return a.at < b.at; });
    FitOptions o;
    o.min_qpm = 100;
    o.max_qpm = 110;
    o.tolerance_frames = Rational(1, 3);
    EXPECT_GE(best_score(hits, o), scan_best_score(hits, o, Rational(1, 1000)));
    EXPECT_NO_THROW({
      auto options = fit_constant(hits, o);
      ASSERT_TRUE(options.has_value());
    });
    ChangeOptions c;
    c.fit = o;
    c.fit.min_qpm = 40;
    c.fit.max_qpm = 240;
    c.meter_bars = true;
    EXPECT_NO_THROW({ (void)fit_changes(hits, c); });
  }
}

}  // namespace
}  // namespace duet::sync
