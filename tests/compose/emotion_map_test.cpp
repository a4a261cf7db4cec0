#include "compose/emotion_map.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace duet::compose {
namespace {

std::vector<double> sweep(double from, double to, int steps) {
  std::vector<double> out;
  for (int i = 0; i <= steps; ++i)
    out.push_back(from + (to - from) * i / steps);
  return out;
}

TEST(EmotionMap, EveryControlHasAReasonAndIsValid) {
  for (double v : sweep(-1, 1, 8)) {
    for (double a : sweep(-1, 1, 8)) {
      for (double t : sweep(0, 1, 4)) {
        const MusicalControls c = controls_for({v, a, t}, {0.5 - v, a / 2, t - 0.5});
        EXPECT_TRUE(validate(c)) << v << " " << a << " " << t;
        for (std::string_view name : control_names()) {
          EXPECT_FALSE(reason_of(c, name).empty()) << name;
          EXPECT_FALSE(describe(c, name).empty()) << name;
          EXPECT_FALSE(is_overridden(c, name)) << name;
        }
      }
    }
  }
}

TEST(EmotionMap, ArousalRaisesTempoDensityActivityLoudnessAndHarmonicRhythm) {
  // Property: for every valence and tension, each arousal-driven control is monotone in arousal
  // (Gabrielsson & Lindstrom 2010: tempo, density, sound level up; legato down).
  for (double v : sweep(-1, 1, 10)) {
    for (double t : sweep(0, 1, 5)) {
      MusicalControls prev = controls_for({v, -1, t});
      for (double a : sweep(-1, 1, 40)) {
        const MusicalControls c = controls_for({v, a, t});
        EXPECT_GE(c.tempo.value.min_bpm, prev.tempo.value.min_bpm);
        EXPECT_GE(c.tempo.value.max_bpm, prev.tempo.value.max_bpm);
        EXPECT_GE(c.density.value, prev.density.value);
        EXPECT_GE(c.activity.value, prev.activity.value);
        EXPECT_GE(c.dynamics.value.min_velocity, prev.dynamics.value.min_velocity);
        EXPECT_GE(c.dynamics.value.max_velocity, prev.dynamics.value.max_velocity);
        EXPECT_GE(c.harmonic_rhythm.value, prev.harmonic_rhythm.value);
        EXPECT_GE(c.register_span.value.span, prev.register_span.value.span);
        EXPECT_LE(c.legato.value, prev.legato.value);
        prev = c;
      }
      // And strictly across the whole range.
      const MusicalControls calm = controls_for({v, -1, t});
      const MusicalControls excited = controls_for({v, 1, t});
      EXPECT_GT(excited.tempo.value.min_bpm, calm.tempo.value.min_bpm + 40);
      EXPECT_GT(excited.density.value, 3 * calm.density.value);
      EXPECT_GT(excited.dynamics.value.min_velocity, calm.dynamics.value.min_velocity + 30);
      EXPECT_LT(excited.legato.value, calm.legato.value - 0.2);
    }
  }
}

TEST(EmotionMap, ValenceBrightensModeAndRaisesRegister) {
  for (double a : sweep(-1, 1, 10)) {
    for (double t : sweep(0, 1, 5)) {
      MusicalControls prev = controls_for({-1, a, t});
      for (double v : sweep(-1, 1, 40)) {
        const MusicalControls c = controls_for({v, a, t});
        EXPECT_GE(mode_brightness(c.mode.value), mode_brightness(prev.mode.value));
        EXPECT_GE(c.register_span.value.centre, prev.register_span.value.centre);
        EXPECT_GE(c.tempo.value.min_bpm, prev.tempo.value.min_bpm);
        prev = c;
      }
      EXPECT_EQ(controls_for({0.8, a, t}).mode.value, music::Mode::major);
      const music::Mode sad = controls_for({-0.8, a, t}).mode.value;
      EXPECT_TRUE(sad == music::Mode::minor || sad == music::Mode::phrygian) << to_string(sad);
    }
  }
}

TEST(EmotionMap, TensionRaisesDissonanceAndClosesTheVoicing) {
  for (double v : sweep(-1, 1, 10)) {
    for (double a : sweep(-1, 1, 10)) {
      MusicalControls prev = controls_for({v, a, 0});
      for (double t : sweep(0, 1, 20)) {
        const MusicalControls c = controls_for({v, a, t});
        EXPECT_GE(c.vocabulary.value.clusters, prev.vocabulary.value.clusters);
        EXPECT_GE(c.vocabulary.value.suspensions, prev.vocabulary.value.suspensions);
        EXPECT_GE(c.vocabulary.value.chromatic_mediants, prev.vocabulary.value.chromatic_mediants);
        EXPECT_LE(c.spacing.value, prev.spacing.value);
        EXPECT_GE(c.harmonic_rhythm.value, prev.harmonic_rhythm.value);
        // Tension darkens the mode only on the negative side.
        EXPECT_LE(mode_brightness(c.mode.value), mode_brightness(prev.mode.value));
        if (v >= 0) {
          EXPECT_EQ(c.mode.value, prev.mode.value);
        }
        prev = c;
      }
      EXPECT_GT(controls_for({v, a, 1}).vocabulary.value.clusters,
                controls_for({v, a, 0}).vocabulary.value.clusters);
    }
  }
}

TEST(EmotionMap, ContinuousControlsMoveLittleForSmallSteps) {
  // Property: a step of 0.01 in any input moves each continuous control by a bounded amount
  // (no jumps except the ordered tables: mode and palette).
  for (double v : sweep(-1, 0.99, 20)) {
    for (double a : sweep(-1, 0.99, 20)) {
      const double t = 0.4;
      const MusicalControls c = controls_for({v, a, t});
      for (const EmotionPoint& p : {EmotionPoint{v + 0.01, a, t}, EmotionPoint{v, a + 0.01, t},
                                    EmotionPoint{v, a, t + 0.01}}) {
        const MusicalControls d = controls_for(p);
        EXPECT_LE(std::abs(d.tempo.value.min_bpm - c.tempo.value.min_bpm), 1.0);
        EXPECT_LE(std::abs(d.density.value - c.density.value), 0.05);
        EXPECT_LE(std::abs(d.activity.value - c.activity.value), 0.01);
        EXPECT_LE(std::abs(d.legato.value - c.legato.value), 0.01);
        EXPECT_LE(std::abs(d.spacing.value - c.spacing.value), 0.1);
        EXPECT_LE(std::abs(d.harmonic_rhythm.value - c.harmonic_rhythm.value), 0.05);
        EXPECT_LE(std::abs(d.dynamics.value.max_velocity - c.dynamics.value.max_velocity), 1);
        EXPECT_LE(std::abs(d.register_span.value.centre - c.register_span.value.centre), 1);
        EXPECT_LE(std::abs(d.vocabulary.value.clusters - c.vocabulary.value.clusters), 0.02);
      }
    }
  }
}

TEST(EmotionMap, OutOfRangeInputsAreClamped) {
  const MusicalControls wild = controls_for({3, -7, 2});
  const MusicalControls edge = controls_for({1, -1, 1});
  for (std::string_view name : control_names()) {
    EXPECT_EQ(describe(wild, name), describe(edge, name)) << name;
  }
}

TEST(EmotionMap, TrendGivesCrescendoDriftAndFasterHarmony) {
  const EmotionPoint p{0.2, 0.1, 0.4};
  const MusicalControls still = controls_for(p);
  const MusicalControls rising = controls_for(p, {0, 0.4, 0.3});
  const MusicalControls falling = controls_for(p, {0, -0.4, -0.3});
  EXPECT_EQ(still.dynamics.value.crescendo, 0);
  EXPECT_EQ(still.tempo.value.drift, 0);
  EXPECT_GT(rising.dynamics.value.crescendo, 0.5);
  EXPECT_GT(rising.tempo.value.drift, 0.5);
  EXPECT_LT(falling.dynamics.value.crescendo, -0.5);
  EXPECT_LT(falling.tempo.value.drift, -0.5);
  EXPECT_GT(rising.harmonic_rhythm.value, still.harmonic_rhythm.value);
  EXPECT_EQ(falling.harmonic_rhythm.value, still.harmonic_rhythm.value);
  // A trend beyond the range saturates.
  EXPECT_EQ(controls_for(p, {0, 5, 5}).dynamics.value.crescendo, 1);
}

TEST(EmotionMap, TrendOfACurve) {
  spot::EmotionCurve curve;
  curve.keys = {{time::TimePos(0), {-0.5, -0.5, 0.0}}, {time::TimePos(1000), {0.5, 0.5, 1.0}}};
  const EmotionTrend t = trend_of(curve, time::TimePos(0), time::TimePos(500));
  EXPECT_DOUBLE_EQ(t.valence, 0.5);
  EXPECT_DOUBLE_EQ(t.arousal, 0.5);
  EXPECT_DOUBLE_EQ(t.tension, 0.5);
  EXPECT_EQ(trend_of(spot::EmotionCurve{}, time::TimePos(0), time::TimePos(5)), EmotionTrend{});
}

TEST(EmotionMap, QuadrantPalettes) {
  EXPECT_EQ(controls_for({0.7, 0.7, 0}).palette.value, (Palette{56, 48, 45}));
  EXPECT_EQ(controls_for({-0.7, 0.7, 0}).palette.value, (Palette{57, 44, 43}));
  EXPECT_EQ(controls_for({-0.7, -0.7, 0}).palette.value, (Palette{42, 49, 43}));
  EXPECT_EQ(controls_for({0.7, -0.7, 0}).palette.value, (Palette{73, 46, 42}));
  EXPECT_EQ(controls_for({0.7, -0.7, 0.8}).palette.value.accompaniment, 44);
}

TEST(EmotionMap, OverridesWinAndAreRecorded) {
  const MusicalControls base = controls_for({0.5, 0.5, 0.2});
  ControlOverrides o;
  o.tonic = 2;
  o.mode = music::Mode::dorian;
  o.vocabulary = HarmonicVocabulary{0.1, 0.2, 0.3, 0.4};
  o.tempo = TempoRange{60, 66, 0.5};
  o.density = 0.5;
  o.activity = 0.9;
  o.register_span = Register{60, 10};
  o.spacing = 3;
  o.dynamics = Dynamics{20, 40, -0.5};
  o.legato = 0.3;
  o.palette = Palette{1, 2, 3};
  o.harmonic_rhythm = 4;
  auto merged = apply_overrides(base, o);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->tonic.value, 2);
  EXPECT_EQ(merged->mode.value, music::Mode::dorian);
  EXPECT_EQ(merged->vocabulary.value, (HarmonicVocabulary{0.1, 0.2, 0.3, 0.4}));
  EXPECT_EQ(merged->tempo.value, (TempoRange{60, 66, 0.5}));
  EXPECT_EQ(merged->density.value, 0.5);
  EXPECT_EQ(merged->activity.value, 0.9);
  EXPECT_EQ(merged->register_span.value, (Register{60, 10}));
  EXPECT_EQ(merged->spacing.value, 3);
  EXPECT_EQ(merged->dynamics.value, (Dynamics{20, 40, -0.5}));
  EXPECT_EQ(merged->legato.value, 0.3);
  EXPECT_EQ(merged->palette.value, (Palette{1, 2, 3}));
  EXPECT_EQ(merged->harmonic_rhythm.value, 4);
  for (std::string_view name : control_names()) {
    EXPECT_TRUE(is_overridden(*merged, name)) << name;
    EXPECT_EQ(reason_of(*merged, name), "set by the composer") << name;
  }
}

TEST(EmotionMap, OneOverrideLeavesTheRest) {
  const MusicalControls base = controls_for({-0.4, 0.6, 0.5});
  ControlOverrides o;
  o.tempo = TempoRange{90, 90, 0};
  auto merged = apply_overrides(base, o);
  ASSERT_TRUE(merged);
  for (std::string_view name : control_names()) {
    EXPECT_EQ(is_overridden(*merged, name), name == "tempo") << name;
    if (name != "tempo") {
      EXPECT_EQ(describe(*merged, name), describe(base, name));
      EXPECT_EQ(reason_of(*merged, name), reason_of(base, name));
    }
  }
  EXPECT_EQ(describe(*merged, "tempo"), "90-90 BPM, drift 0.00");
}

TEST(EmotionMap, OverridesOutOfRangeFail) {
  const MusicalControls base = controls_for({0, 0, 0});
  const auto fails = [&](ControlOverrides o, std::string_view control) {
    auto merged = apply_overrides(base, o);
    ASSERT_FALSE(merged);
    EXPECT_NE(merged.error().message.find(control), std::string::npos) << merged.error().message;
  };
  ControlOverrides o;
  o.tonic = 12;
  fails(o, "tonic");
  o = {};
  o.tempo = TempoRange{120, 100, 0};
  fails(o, "tempo");
  o = {};
  o.density = 9;
  fails(o, "density");
  o = {};
  o.register_span = Register{30, 12};
  fails(o, "register");
  o = {};
  o.dynamics = Dynamics{0, 100, 0};
  fails(o, "dynamics");
  o = {};
  o.palette = Palette{0, 128, 0};
  fails(o, "palette");
  o = {};
  o.vocabulary = HarmonicVocabulary{0, 0, 1.5, 0};
  fails(o, "vocabulary");
  o = {};
  o.legato = 0.1;
  fails(o, "legato");
}

TEST(EmotionMap, VelocitiesOutsideMidiAreRefusedBeforeAnyConversion) {
  // The fuzzer's find: velocity=0-7e21 was cast to int (undefined) before any range check.
  const MusicalControls base = controls_for({0.3, 0.3, 0.3});
  for (const char* setting :
       {"velocity=0-7e21", "velocity=-5-70", "velocity=40-128", "dynamics=1e300-2e300:0.5"}) {
    ControlOverrides o;
    auto r = parse_override(setting, base, o);
    ASSERT_FALSE(r.has_value()) << setting;
    EXPECT_NE(r.error().message.find("velocit"), std::string::npos) << r.error().message;
    EXPECT_FALSE(o.dynamics.has_value()) << setting;
  }
  ControlOverrides o;
  ASSERT_TRUE(parse_override("velocity=1-127", base, o));
  EXPECT_EQ(o.dynamics->min_velocity, 1);
  EXPECT_EQ(o.dynamics->max_velocity, 127);
}

TEST(EmotionMap, ParseOverrideText) {
  const MusicalControls base = controls_for({0.3, 0.3, 0.3});
  ControlOverrides o;
  ASSERT_TRUE(parse_override("tempo=90", base, o));
  EXPECT_EQ(o.tempo->min_bpm, 90);
  EXPECT_EQ(o.tempo->max_bpm, 90);
  EXPECT_EQ(o.tempo->drift, base.tempo.value.drift);
  ASSERT_TRUE(parse_override("drift=-0.5", base, o));
  ASSERT_TRUE(parse_override("tempo=80-100", base, o));
  EXPECT_EQ(*o.tempo, (TempoRange{80, 100, -0.5}));
  ASSERT_TRUE(parse_override("mode=dorian", base, o));
  EXPECT_EQ(o.mode, music::Mode::dorian);
  ASSERT_TRUE(parse_override("mode=aeolian", base, o));
  EXPECT_EQ(o.mode, music::Mode::minor);
  ASSERT_TRUE(parse_override("tonic=F#", base, o));
  EXPECT_EQ(o.tonic, 6);
  ASSERT_TRUE(parse_override("tonic=Bb", base, o));
  EXPECT_EQ(o.tonic, 10);
  ASSERT_TRUE(parse_override("register=60", base, o));
  EXPECT_EQ(*o.register_span, (Register{60, base.register_span.value.span}));
  ASSERT_TRUE(parse_override("register=72:20", base, o));
  EXPECT_EQ(*o.register_span, (Register{72, 20}));
  ASSERT_TRUE(parse_override("crescendo=0.5", base, o));
  ASSERT_TRUE(parse_override("velocity=40-70", base, o));
  EXPECT_EQ(*o.dynamics, (Dynamics{40, 70, 0.5}));
  ASSERT_TRUE(parse_override("dynamics=30-50:-1", base, o));
  EXPECT_EQ(*o.dynamics, (Dynamics{30, 50, -1}));
  ASSERT_TRUE(parse_override("palette=73,48,43", base, o));
  EXPECT_EQ(*o.palette, (Palette{73, 48, 43}));
  ASSERT_TRUE(parse_override("clusters=0.25", base, o));
  EXPECT_EQ(o.vocabulary->clusters, 0.25);
  EXPECT_EQ(o.vocabulary->suspensions, base.vocabulary.value.suspensions);
  ASSERT_TRUE(parse_override("suspensions=0", base, o));
  EXPECT_EQ(o.vocabulary->clusters, 0.25);
  EXPECT_EQ(o.vocabulary->suspensions, 0);
  for (const char* text : {"density=2", "activity=0.1", "spacing=7", "legato=0.5",
                           "harmonic_rhythm=2", "modal_mixture=0", "chromatic_mediants=1"}) {
    EXPECT_TRUE(parse_override(text, base, o)) << text;
  }
  EXPECT_EQ(o.density, 2);
  EXPECT_EQ(o.harmonic_rhythm, 2);
  EXPECT_EQ(o.vocabulary->chromatic_mediants, 1);

  for (const char* text : {"tempo", "=90", "tempo=fast", "tempo=90-", "mode=happy", "tonic=H",
                           "tonic=", "register=60:x", "velocity=40.5-70", "palette=1,2",
                           "palette=1,2,3,4", "density=", "wobble=3", "clusters=lots"}) {
    ControlOverrides fresh;
    auto r = parse_override(text, base, fresh);
    ASSERT_FALSE(r) << text;
    EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace duet::compose
