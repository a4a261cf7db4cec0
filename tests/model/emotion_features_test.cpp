// Emotion features on constructed music: the beat from the onsets, the signs of the features and
// of the default model's estimate for a fast loud major piece against a slow soft minor one, the
// score-like transform, and (when ../shared/data is there) EMOPIA clips of opposite quadrants.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "base/file.h"
#include "emotion_test_util.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "model/emotion_features.h"
#include "model/emotion_model.h"

namespace duet::model {
namespace {
namespace fs = std::filesystem;

using test_support::feature;

// Block chords (root position triads over a bass an octave down) at `beat_s` seconds per chord,
// with a melody of chord tones on every half beat.
std::vector<EmotionNote> chord_piece(const std::vector<std::vector<int>>& chords, double beat_s,
                                     int velocity, int repeats) {
  std::vector<EmotionNote> notes;
  double t = 0;
  for (int r = 0; r < repeats; ++r) {
    for (const auto& chord : chords) {
      notes.push_back({chord[0] - 12, t, beat_s * 0.9, velocity});
      for (int p : chord)
        notes.push_back({p, t, beat_s * 0.9, velocity});
      notes.push_back({chord[2] + 12, t, beat_s * 0.45, velocity});
      notes.push_back({chord[1] + 12, t + beat_s / 2, beat_s * 0.45, velocity});
      t += beat_s;
    }
  }
  std::stable_sort(notes.begin(), notes.end(), [](const EmotionNote& a, const EmotionNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  return notes;
}

// C major I IV V I, high, loud, 150 BPM.
std::vector<EmotionNote> happy() {
  return chord_piece({{72, 76, 79}, {72, 77, 81}, {71, 74, 79}, {72, 76, 79}}, 0.4, 110, 12);
}
// A minor i iv v i, low, soft, 60 BPM.
std::vector<EmotionNote> sad() {
  return chord_piece({{45, 48, 52}, {50, 53, 57}, {52, 55, 59}, {45, 48, 52}}, 1.0, 40, 5);
}

TEST(EmotionBeat, FindsTheBeatOfAGrid) {
  // [GIVEN] quarter notes at 90 BPM with an 8th-note fill between them.
  std::vector<EmotionNote> notes;
  const double beat = 60.0 / 90.0;
  for (int i = 0; i < 40; ++i) {
    notes.push_back({60, i * beat, beat / 2, 90});
    if (i % 2 == 0) notes.push_back({67, i * beat + beat / 2, beat / 2, 60});
  }
  // [THEN] the beat is 90 BPM (the 8th-note level, 180, is further from the prior).
  const auto b = estimate_beat(notes);
  EXPECT_NEAR(b.bpm, 90.0, 2.0);
  EXPECT_GT(b.strength, 0.3);
  // A 150 BPM chord piece.
  EXPECT_NEAR(estimate_beat(happy()).bpm, 150.0, 4.0);
}

TEST(EmotionBeat, FewNotesGiveThePrior) {
  const std::vector<EmotionNote> two = {{60, 0, 1, 80}, {62, 1, 1, 80}};
  EXPECT_EQ(estimate_beat(two, 100).bpm, 100);
  EXPECT_EQ(estimate_beat(two, 100).strength, 0);
}

TEST(EmotionFeatures, FastLoudMajorAgainstSlowSoftMinor) {
  const auto h = piece_features(happy());
  const auto s = piece_features(sad());
  EXPECT_GT(feature(h.features, EmotionFeature::mode), 0);
  EXPECT_LT(feature(s.features, EmotionFeature::mode), 0);
  EXPECT_GT(feature(h.features, EmotionFeature::third), 0.9);
  EXPECT_LT(feature(s.features, EmotionFeature::third), -0.9);
  EXPECT_LT(feature(h.features, EmotionFeature::minor_chords), 0.3);
  EXPECT_GT(feature(s.features, EmotionFeature::minor_chords), 0.5);
  EXPECT_GT(feature(h.features, EmotionFeature::tempo), feature(s.features, EmotionFeature::tempo));
  EXPECT_GT(feature(h.features, EmotionFeature::density),
            feature(s.features, EmotionFeature::density));
  EXPECT_GT(feature(h.features, EmotionFeature::loudness),
            feature(s.features, EmotionFeature::loudness));
  EXPECT_GT(feature(h.features, EmotionFeature::register_),
            feature(s.features, EmotionFeature::register_));
  EXPECT_NEAR(feature(h.features, EmotionFeature::loudness), 110.0 / 127.0, 1e-9);
  EXPECT_NEAR(feature(h.features, EmotionFeature::dynamics), 0.0, 1e-9);
  // Triads with doubled notes: only thirds, fourths and fifths sound (roughness 0.1-0.2).
  EXPECT_LT(feature(h.features, EmotionFeature::dissonance), 0.2);
}

TEST(EmotionFeatures, DissonanceRisesWithClusters) {
  const std::vector<EmotionNote> triad = {{60, 0, 1, 80}, {64, 0, 1, 80}, {67, 0, 1, 80}};
  const std::vector<EmotionNote> cluster = {{60, 0, 1, 80}, {61, 0, 1, 80}, {62, 0, 1, 80}};
  const double a = feature(measure_features(triad, 0.5, 1), EmotionFeature::dissonance);
  const double b = feature(measure_features(cluster, 0.5, 1), EmotionFeature::dissonance);
  EXPECT_NEAR(a, (0.1 + 0.2 + 0.0) / 3, 1e-9);  // M3, m3, P4 (the fifth's class is 5)
  EXPECT_NEAR(b, (1.0 + 1.0 + 0.6) / 3, 1e-9);
}

TEST(EmotionModel, DefaultModelHearsTheQuadrants) {
  const auto h = estimate_emotion(default_emotion_model(), happy());
  const auto s = estimate_emotion(default_emotion_model(), sad());
  ASSERT_TRUE(h.has_value());
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(h->whole.valence, 0);
  EXPECT_GT(h->whole.arousal, 0);
  EXPECT_EQ(h->whole.quadrant, Quadrant::q1);
  EXPECT_LT(s->whole.valence, 0);
  EXPECT_LT(s->whole.arousal, 0);
  EXPECT_EQ(s->whole.quadrant, Quadrant::q3);
  // The curve covers the piece in 8 s windows every 4 s.
  ASSERT_FALSE(h->curve.empty());
  EXPECT_EQ(h->curve.front().start, 0);
  EXPECT_GE(h->curve.back().end, happy().back().onset);
  for (const auto& w : h->curve)
    EXPECT_EQ(w.point.quadrant, Quadrant::q1);
}

TEST(EmotionModel, WindowsWithoutNotesAreLeftOut) {
  // [GIVEN] the happy piece, 20 s of silence, then the happy piece again.
  auto notes = happy();
  const double gap = notes.back().onset + 20.0;
  for (auto n : happy()) {
    n.onset += gap;
    notes.push_back(n);
  }
  const auto e = estimate_emotion(default_emotion_model(), notes);
  ASSERT_TRUE(e.has_value());
  // [THEN] no window lies wholly inside the silence, and the curve still reaches the end.
  for (const auto& w : e->curve)
    EXPECT_FALSE(w.start > happy().back().onset + 1 && w.end < gap) << w.start << ".." << w.end;
  EXPECT_GE(e->curve.back().end, notes.back().onset);
  EXPECT_LT(e->curve.size(), 1 + static_cast<std::size_t>(notes.back().onset / 4));
}

TEST(EmotionModel, ACueHoursIntoTheFileGivesTheSameCurveShifted) {
  // [GIVEN] the happy piece 8 s into a file (the curve's grid starts at 0 s, so one window
  // begins before it), and the same piece three hours later (a whole number of hops), whose
  // windows do not start at 0 s.
  auto at_start = happy();
  for (auto& n : at_start)
    n.onset += 8.0;
  auto later = at_start;
  constexpr double kShift = 3 * 3600.0;
  for (auto& n : later)
    n.onset += kShift;
  const auto a = estimate_emotion(default_emotion_model(), at_start);
  const auto b = estimate_emotion(default_emotion_model(), later);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  // [THEN] the same estimate and the same windows, shifted.
  EXPECT_NEAR(a->whole.valence, b->whole.valence, 1e-9);
  EXPECT_NEAR(a->whole.arousal, b->whole.arousal, 1e-9);
  ASSERT_EQ(a->curve.size(), b->curve.size());
  for (std::size_t i = 0; i < a->curve.size(); ++i) {
    EXPECT_DOUBLE_EQ(a->curve[i].start + kShift, b->curve[i].start);
    EXPECT_NEAR(a->curve[i].point.valence, b->curve[i].point.valence, 1e-9);
    EXPECT_NEAR(a->curve[i].point.arousal, b->curve[i].point.arousal, 1e-9);
  }
}

TEST(EmotionModel, StrayAndStuckNotesAreRefusedWithTheReason) {
  // [GIVEN] the happy piece with one stray note 13 hours later.
  auto stray = happy();
  stray.push_back({60, 13 * 3600.0, 0.5, 80});
  auto e = estimate_emotion(default_emotion_model(), stray);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("the notes span 13.0 hours"), std::string::npos)
      << e.error().message;
  EXPECT_NE(e.error().message.find("stray"), std::string::npos);
  // [GIVEN] 12 notes held 5 hours: music, if odd, and measured.
  std::vector<EmotionNote> drones;
  for (int k = 0; k < 12; ++k)
    drones.push_back({48 + k, 0.0, 5 * 3600.0, 80});
  EXPECT_TRUE(estimate_emotion(default_emotion_model(), drones).has_value());
  // [GIVEN] 1,000 notes held 5 hours: stuck notes.
  std::vector<EmotionNote> stuck;
  for (int k = 0; k < 1000; ++k)
    stuck.push_back({k % 128, 0.0, 5 * 3600.0, 80});
  e = estimate_emotion(default_emotion_model(), stuck);
  ASSERT_FALSE(e.has_value());
  EXPECT_NE(e.error().message.find("the notes sound 1000 at once on average"), std::string::npos)
      << e.error().message;
  // [GIVEN] a short cluster of 1,000 notes: measured.
  for (auto& n : stuck)
    n.duration = 2.0;
  EXPECT_TRUE(estimate_emotion(default_emotion_model(), stuck).has_value());
}

TEST(EmotionFeatures, ScoreLikeFlattensAndQuantizes) {
  const std::vector<EmotionNote> played = {{60, 0.02, 0.23, 100}, {64, 0.49, 0.01, 50}};
  const auto s = score_like(played, 0.5);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s[0].onset, 0.0);
  EXPECT_DOUBLE_EQ(s[0].duration, 0.25);
  EXPECT_EQ(s[0].velocity, 80);
  EXPECT_DOUBLE_EQ(s[1].onset, 0.5);
  EXPECT_DOUBLE_EQ(s[1].duration, 0.125);  // at least one 16th
}

TEST(EmotionFeatures, NotesFromAMidiFile) {
  // [GIVEN] a file at 60 BPM (one quarter = 1 s) with a drum note that must be left out.
  midi::MidiFile file;
  file.division.ticks_per_quarter = 480;
  midi::Track conductor;
  conductor.events.push_back({0, midi::SetTempo{1000000}});
  file.tracks.push_back(conductor);
  midi::Note a{0, 60, 90, 0, 480, 240};
  midi::Note drum{9, 36, 90, 0, 0, 240};
  file.tracks.push_back(midi::track_from_notes("piano", 0, 0, {a}));
  file.tracks.push_back(midi::track_from_notes("drums", 9, 0, {drum}));
  const auto notes = emotion_notes(file);
  ASSERT_TRUE(notes.has_value());
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_DOUBLE_EQ((*notes)[0].onset, 1.0);
  EXPECT_DOUBLE_EQ((*notes)[0].duration, 0.5);
  // Only drums: an error, in one sentence.
  file.tracks.erase(file.tracks.begin() + 1);
  const auto none = emotion_notes(file);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no notes"), std::string::npos);
}

fs::path shared_data_dir() {
  if (const char* env = std::getenv("DUET_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return DUET_SHARED_DATA_DIR;
}

TEST(EmotionEmopia, DefaultModelOrdersOppositeQuadrants) {
  const fs::path midis = shared_data_dir() / "emopia" / "midis";
  if (!fs::is_directory(midis)) {
    GTEST_SKIP() << "EMOPIA not found at " << midis.string() << " (set DUET_SHARED_DATA)";
  }
  // [GIVEN] the first 15 clips of Q1 and of Q3 by name.
  std::vector<fs::path> q1, q3;
  for (const auto& entry : fs::directory_iterator(midis)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("Q1_", 0) == 0) q1.push_back(entry.path());
    if (name.rfind("Q3_", 0) == 0) q3.push_back(entry.path());
  }
  std::sort(q1.begin(), q1.end());
  std::sort(q3.begin(), q3.end());
  const auto mean = [](const std::vector<fs::path>& files, bool valence) {
    double sum = 0;
    for (std::size_t i = 0; i < 15; ++i) {
      auto bytes = base::read_file(files[i]);
      EXPECT_TRUE(bytes.has_value());
      auto smf = midi::read_smf(*bytes);
      EXPECT_TRUE(smf.has_value());
      auto e = estimate_emotion(default_emotion_model(), smf->file);
      EXPECT_TRUE(e.has_value());
      sum += valence ? e->whole.valence : e->whole.arousal;
    }
    return sum / 15;
  };
  // [THEN] Q1 (happy, excited) sits above Q3 (sad, calm) on both axes on average.
  EXPECT_GT(mean(q1, true), mean(q3, true));
  EXPECT_GT(mean(q1, false), mean(q3, false));
}

}  // namespace
}  // namespace duet::model
