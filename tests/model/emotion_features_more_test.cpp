// The key-relative, chord-degree, melodic, texture and pooled-window emotion features
// (emotion_features_more.cpp) on constructed music whose answer is known.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "emotion_test_util.h"
#include "model/emotion_features.h"

namespace duet::model {
namespace {

using test_support::feature;

void sort_notes(std::vector<EmotionNote>& notes) {
  std::stable_sort(notes.begin(), notes.end(), [](const EmotionNote& a, const EmotionNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
}

// Root-position triads (bass an octave below the root), one per beat of `beat` seconds, with the
// top note repeated on the half beat; `repeats` times through.
std::vector<EmotionNote> chords(const std::vector<std::vector<int>>& progression, double beat,
                                int repeats, double start = 0) {
  std::vector<EmotionNote> notes;
  double t = start;
  for (int r = 0; r < repeats; ++r) {
    for (const auto& c : progression) {
      notes.push_back({c[0] - 12, t, beat * 0.95, 80});
      for (int p : c)
        notes.push_back({p, t, beat * 0.95, 80});
      notes.push_back({c[2] + 12, t + beat / 2, beat * 0.45, 80});
      t += beat;
    }
  }
  sort_notes(notes);
  return notes;
}

EmotionFeatures measure(const std::vector<EmotionNote>& notes, double beat) {
  double end = 0;
  for (const auto& n : notes)
    end = std::max(end, n.onset + n.duration);
  return measure_features(notes, beat, end - notes.front().onset);
}

// C major I IV V I and C minor i iv v i (the same roots, the thirds lowered).
const std::vector<std::vector<int>> kMajor = {
    {60, 64, 67}, {65, 69, 72}, {67, 71, 74}, {60, 64, 67}};
const std::vector<std::vector<int>> kMinor = {
    {60, 63, 67}, {65, 68, 72}, {67, 70, 74}, {60, 63, 67}};

TEST(EmotionScaleDegrees, MinorHasFlatThirdSixthAndSeventh) {
  const auto major = measure(chords(kMajor, 0.5, 6), 0.5);
  const auto minor = measure(chords(kMinor, 0.5, 6), 0.5);
  EXPECT_GT(feature(major, EmotionFeature::degree_3), 0.1);
  EXPECT_EQ(feature(major, EmotionFeature::degree_b3), 0.0);
  EXPECT_GT(feature(minor, EmotionFeature::degree_b3), 0.1);
  EXPECT_EQ(feature(minor, EmotionFeature::degree_3), 0.0);
  EXPECT_GT(feature(minor, EmotionFeature::degree_b6), 0.0);  // Ab in iv
  EXPECT_EQ(feature(major, EmotionFeature::degree_b6), 0.0);
  EXPECT_GT(feature(major, EmotionFeature::degree_6), 0.0);   // A in IV
  EXPECT_GT(feature(major, EmotionFeature::degree_7), 0.0);   // B in V
  EXPECT_GT(feature(minor, EmotionFeature::degree_b7), 0.0);  // Bb in v
  // Shares of the sounding time: never above 1.
  for (auto e : {EmotionFeature::degree_b3, EmotionFeature::degree_3, EmotionFeature::degree_b6,
                 EmotionFeature::degree_6, EmotionFeature::degree_b7, EmotionFeature::degree_7}) {
    EXPECT_LE(feature(major, e), 1.0);
    EXPECT_GE(feature(minor, e), 0.0);
  }
}

TEST(EmotionChordDegrees, TonicSubdominantDominantAndMixture) {
  const auto major = measure(chords(kMajor, 0.5, 6), 0.5);
  EXPECT_NEAR(feature(major, EmotionFeature::chord_I), 0.5, 0.1);
  EXPECT_NEAR(feature(major, EmotionFeature::chord_IV), 0.25, 0.1);
  EXPECT_NEAR(feature(major, EmotionFeature::chord_V), 0.25, 0.1);
  EXPECT_EQ(feature(major, EmotionFeature::chord_i), 0.0);
  EXPECT_EQ(feature(major, EmotionFeature::chord_flat), 0.0);

  const auto minor = measure(chords(kMinor, 0.5, 6), 0.5);
  EXPECT_NEAR(feature(minor, EmotionFeature::chord_i), 0.5, 0.1);
  EXPECT_NEAR(feature(minor, EmotionFeature::chord_iv), 0.25, 0.1);
  EXPECT_EQ(feature(minor, EmotionFeature::chord_I), 0.0);

  // C major I vi I bVI I bVII V I: the relative minor and two borrowed flat chords (a quarter of
  // the time), the tonic half of it so that the key is C.
  const auto mixture = measure(chords({{60, 64, 67},
                                       {69, 72, 76},
                                       {60, 64, 67},
                                       {68, 72, 75},
                                       {60, 64, 67},
                                       {70, 74, 77},
                                       {67, 71, 74},
                                       {60, 64, 67}},
                                      0.5, 4),
                               0.5);
  EXPECT_NEAR(feature(mixture, EmotionFeature::chord_flat), 0.25, 0.05);
  EXPECT_NEAR(feature(mixture, EmotionFeature::chord_vi), 0.125, 0.05);
  EXPECT_NEAR(feature(mixture, EmotionFeature::chord_I), 0.5, 0.05);

  // Diminished triads only.
  const auto dim = measure(chords({{60, 63, 66}, {62, 65, 68}}, 0.5, 8), 0.5);
  EXPECT_GT(feature(dim, EmotionFeature::chord_other), 0.5);
}

// A single line: pitches one per `step` seconds.
std::vector<EmotionNote> line(const std::vector<int>& pitches, double step) {
  std::vector<EmotionNote> notes;
  for (std::size_t i = 0; i < pitches.size(); ++i)
    notes.push_back({pitches[i], static_cast<double>(i) * step, step * 0.9, 80});
  return notes;
}

TEST(EmotionMelody, StepsLeapsAndDirection) {
  const auto up = measure(line({60, 62, 64, 65, 67, 69, 71, 72}, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(feature(up, EmotionFeature::melody_steps), 1.0);
  EXPECT_DOUBLE_EQ(feature(up, EmotionFeature::melody_leaps), 0.0);
  EXPECT_DOUBLE_EQ(feature(up, EmotionFeature::melody_descent), 0.0);
  const auto down = measure(line({72, 71, 69, 67, 65, 64, 62, 60}, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(feature(down, EmotionFeature::melody_descent), 1.0);
  const auto leaps = measure(line({60, 67, 60, 67, 72, 60, 67, 55}, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(feature(leaps, EmotionFeature::melody_leaps), 1.0);
  EXPECT_DOUBLE_EQ(feature(leaps, EmotionFeature::melody_steps), 0.0);
}

TEST(EmotionTexture, PolyphonyBassRegisterAndLongNotes) {
  // Four-note chords (the triads of chords() with their bass): four notes sounding at each beat.
  // The half-beat note adds one to the four still sounding: 4.5 on average.
  const auto block = measure(chords(kMajor, 1.0, 4), 1.0);
  EXPECT_NEAR(feature(block, EmotionFeature::polyphony), 4.5, 0.01);
  // The bass (an octave below the roots C4, F4, G4, C4, held under the half beat): mean 51,
  // C3 = 48.
  EXPECT_NEAR(feature(block, EmotionFeature::bass_register), 3.0 / 12.0, 1e-9);
  const auto single = measure(line({36, 38, 40, 41, 43, 41, 40, 38}, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(feature(single, EmotionFeature::polyphony), 1.0);
  EXPECT_LT(feature(single, EmotionFeature::bass_register), -0.5);  // around C2
  // Notes of 0.9 beat are short of a beat; of 2 beats, long.
  EXPECT_DOUBLE_EQ(feature(single, EmotionFeature::long_notes), 0.0);
  auto held = line({60, 62, 64, 65}, 1.0);
  for (auto& n : held)
    n.duration = 2.0;
  EXPECT_DOUBLE_EQ(feature(measure(held, 1.0), EmotionFeature::long_notes), 1.0);
}

TEST(EmotionPooledWindows, ModeChangesAndActivityContrasts) {
  // 24 s of C major, steady: no minor window, little spread of mode or density.
  const auto steady = measure(chords(kMajor, 0.5, 12), 0.5);
  EXPECT_EQ(feature(steady, EmotionFeature::minor_windows), 0.0);
  EXPECT_LT(feature(steady, EmotionFeature::mode_spread), 0.05);
  EXPECT_LT(feature(steady, EmotionFeature::density_spread), 0.1);
  // 24 s of C major then 24 s of C minor: about half the windows minor, the mode spread wide.
  auto both = chords(kMajor, 0.5, 12);
  const auto minor = chords(kMinor, 0.5, 12, 24.0);
  both.insert(both.end(), minor.begin(), minor.end());
  sort_notes(both);
  const auto changed = measure(both, 0.5);
  EXPECT_NEAR(feature(changed, EmotionFeature::minor_windows), 0.5, 0.15);
  EXPECT_GT(feature(changed, EmotionFeature::mode_spread), 0.15);
  // 24 s of a chord every 2 s, then 24 s of one every 0.25 s: density contrasts by 3 octaves.
  auto contrast = chords(kMajor, 2.0, 3);
  const auto busy = chords(kMajor, 0.25, 24, 24.0);
  contrast.insert(contrast.end(), busy.begin(), busy.end());
  sort_notes(contrast);
  EXPECT_GT(feature(measure(contrast, 0.5), EmotionFeature::density_spread), 1.0);
}

TEST(EmotionMoreFeatures, EveryFeatureHasANameAndWords) {
  for (int i = static_cast<int>(EmotionFeature::degree_b3); i < kEmotionFeatureCount; ++i) {
    const auto& info = feature_info(i);
    EXPECT_FALSE(info.name.empty());
    EXPECT_EQ(feature_index(info.name), i);
    EXPECT_FALSE(info.high.empty());
    EXPECT_FALSE(info.low.empty());
    EXPECT_FALSE(info.performance);  // all of them survive score-like MIDI
  }
}

}  // namespace
}  // namespace duet::model
