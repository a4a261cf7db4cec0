// The chord colour and interval features (emotion_features_colour.cpp) on constructed chords
// whose type and intervals are known.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "emotion_test_util.h"
#include "model/emotion_features.h"

namespace duet::model {
namespace {

using test_support::feature;

// Each chord held for one beat of `beat` seconds, from `start`, `repeats` times through.
std::vector<EmotionNote> held(const std::vector<std::vector<int>>& chords, double beat, int repeats,
                              double start = 0) {
  std::vector<EmotionNote> notes;
  double t = start;
  for (int r = 0; r < repeats; ++r) {
    for (const auto& c : chords) {
      for (int p : c)
        notes.push_back({p, t, beat, 80});
      t += beat;
    }
  }
  std::stable_sort(notes.begin(), notes.end(), [](const EmotionNote& a, const EmotionNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  return notes;
}

EmotionFeatures colour(const std::vector<EmotionNote>& notes, double beat) {
  EmotionFeatures f{};
  measure_colour_features(notes, beat, f);
  return f;
}

constexpr EmotionFeature kFirst = EmotionFeature::colour_major;
constexpr EmotionFeature kLastColour = EmotionFeature::colour_minor_add9;

double colour_sum(const EmotionFeatures& f) {
  double s = 0;
  for (int i = static_cast<int>(kFirst); i <= static_cast<int>(kLastColour); ++i)
    s += f[static_cast<std::size_t>(i)];
  return s;
}

TEST(EmotionColour, EachChordTypeIsHeardAsItself) {
  struct Case {
    std::vector<int> chord;
    EmotionFeature expected;
  };
  // On D (62) and in open voicings, so that nothing depends on the root being C or the notes
  // being close together.
  const std::vector<Case> cases = {
      {{50, 66, 69}, EmotionFeature::colour_major},
      {{50, 65, 69}, EmotionFeature::colour_minor},
      {{50, 65, 68}, EmotionFeature::colour_dim},
      {{50, 66, 70}, EmotionFeature::colour_aug},
      {{50, 67, 69}, EmotionFeature::colour_sus4},
      {{50, 66, 69, 73}, EmotionFeature::colour_maj7},
      {{50, 66, 69, 72}, EmotionFeature::colour_dom7},
      {{50, 65, 69, 72}, EmotionFeature::colour_min7},
      {{50, 65, 68, 72}, EmotionFeature::colour_half_dim},
      {{50, 64, 66, 69}, EmotionFeature::colour_add9},
      {{50, 64, 65, 69}, EmotionFeature::colour_minor_add9},
  };
  for (const auto& c : cases) {
    const auto f = colour(held({c.chord}, 0.5, 8), 0.5);
    EXPECT_DOUBLE_EQ(feature(f, c.expected), 1.0) << "chord type " << feature_info(c.expected).name;
    EXPECT_DOUBLE_EQ(colour_sum(f), 1.0);
  }
}

TEST(EmotionColour, SharesFollowTheBeats) {
  // Three beats of a plain triad, one of a major seventh: 3/4 and 1/4, whatever the tempo.
  for (double beat : {0.3, 0.75}) {
    const auto f =
        colour(held({{60, 64, 67}, {60, 64, 67}, {60, 64, 67}, {60, 64, 67, 71}}, beat, 5), beat);
    EXPECT_NEAR(feature(f, EmotionFeature::colour_major), 0.75, 1e-9) << beat;
    EXPECT_NEAR(feature(f, EmotionFeature::colour_maj7), 0.25, 1e-9) << beat;
  }
}

TEST(EmotionColour, APassingNoteDoesNotChangeTheChord) {
  // A C major triad held for a beat with a 16th-note passing D in the melody: still a triad.
  auto notes = held({{48, 64, 67, 72}}, 1.0, 6);
  for (int b = 0; b < 6; ++b)
    notes.push_back({74, b + 0.5, 0.0625, 80});
  std::stable_sort(notes.begin(), notes.end(), [](const EmotionNote& a, const EmotionNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  const auto f = colour(notes, 1.0);
  EXPECT_DOUBLE_EQ(feature(f, EmotionFeature::colour_major), 1.0);
  // The D is 1/16 of a beat against 4 beats of note time in the beat: below the interval share.
  EXPECT_DOUBLE_EQ(feature(f, EmotionFeature::interval_M2), 0.0);
}

TEST(EmotionColour, IntervalClassesOfTheSoundingPitchClasses) {
  // C E G: pairs C-E (M3), C-G (P5 = class P4/P5), E-G (m3): a third each.
  const auto triad = colour(held({{60, 64, 67}}, 0.5, 8), 0.5);
  EXPECT_NEAR(feature(triad, EmotionFeature::interval_M3), 1.0 / 3, 1e-12);
  EXPECT_NEAR(feature(triad, EmotionFeature::interval_P4), 1.0 / 3, 1e-12);
  EXPECT_NEAR(feature(triad, EmotionFeature::interval_m3), 1.0 / 3, 1e-12);
  EXPECT_EQ(feature(triad, EmotionFeature::interval_m2), 0.0);
  EXPECT_EQ(feature(triad, EmotionFeature::interval_tritone), 0.0);
  // A cluster C C# D: two semitones and a whole tone.
  const auto cluster = colour(held({{60, 61, 62}}, 0.5, 8), 0.5);
  EXPECT_NEAR(feature(cluster, EmotionFeature::interval_m2), 2.0 / 3, 1e-12);
  EXPECT_NEAR(feature(cluster, EmotionFeature::interval_M2), 1.0 / 3, 1e-12);
  // Octave doublings add no pairs: the same pitch class counts once.
  const auto doubled = colour(held({{48, 60, 64, 67, 72}}, 0.5, 8), 0.5);
  EXPECT_NEAR(feature(doubled, EmotionFeature::interval_M3), 1.0 / 3, 1e-12);
}

TEST(EmotionColour, SilenceAndNothingGiveZeros) {
  EXPECT_EQ(colour_sum(colour({}, 0.5)), 0.0);
  // A rest of several beats between two chords: the empty beats are not counted.
  auto notes = held({{60, 64, 67}}, 0.5, 1);
  const auto later = held({{57, 60, 64}}, 0.5, 1, 5.0);
  notes.insert(notes.end(), later.begin(), later.end());
  const auto f = colour(notes, 0.5);
  EXPECT_DOUBLE_EQ(feature(f, EmotionFeature::colour_major), 0.5);
  EXPECT_DOUBLE_EQ(feature(f, EmotionFeature::colour_minor), 0.5);
  EXPECT_DOUBLE_EQ(colour_sum(f), 1.0);
}

TEST(EmotionColour, TransposingChangesNothing) {
  const std::vector<std::vector<int>> progression = {
      {50, 65, 69, 72}, {55, 71, 74, 77}, {48, 64, 67, 71}, {57, 61, 64, 67}, {50, 65, 68, 72}};
  const auto base = colour(held(progression, 0.4, 4), 0.4);
  for (int shift = 1; shift < 12; ++shift) {
    auto moved = progression;
    for (auto& c : moved)
      for (int& p : c)
        p += shift;
    const auto f = colour(held(moved, 0.4, 4), 0.4);
    for (int i = static_cast<int>(kFirst); i <= static_cast<int>(EmotionFeature::interval_tritone);
         ++i)
      EXPECT_NEAR(f[static_cast<std::size_t>(i)], base[static_cast<std::size_t>(i)], 1e-12)
          << feature_info(i).name << " shifted " << shift;
  }
}

}  // namespace
}  // namespace duet::model
