#include "music/chord_recognition.h"

#include <gtest/gtest.h>

#include <vector>

namespace duet::music {
namespace {

// One chord per bar of four beats: a bass note on the root and the triad above, held.
std::vector<TimedNote> block_chords(const std::vector<ChordLabel>& labels) {
  const int steps[5][3] = {{0, 4, 7}, {0, 3, 7}, {0, 3, 6}, {0, 4, 8}, {0, 5, 7}};
  std::vector<TimedNote> notes;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const double start = 4.0 * static_cast<double>(i);
    notes.push_back({36 + labels[i].root, start, 4.0});
    for (int s : steps[static_cast<int>(labels[i].triad)]) {
      notes.push_back({60 + labels[i].root + s, start, 4.0});
    }
  }
  return notes;
}

TEST(ChordRecognition, RecognisesEveryTriadOnEveryRoot) {
  std::vector<ChordLabel> labels;
  for (TriadClass triad :
       {TriadClass::maj, TriadClass::min, TriadClass::dim, TriadClass::aug, TriadClass::sus}) {
    for (int root = 0; root < 12; ++root)
      labels.push_back({root, triad});
  }
  const auto notes = block_chords(labels);
  const auto boundaries = regular_boundaries(notes, 0, 1.0);
  const auto spans = recognize_chords(notes, boundaries);
  ASSERT_EQ(spans.size(), labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    ASSERT_TRUE(spans[i].chord.has_value());
    EXPECT_EQ(*spans[i].chord, labels[i]) << to_string(labels[i]);
    EXPECT_DOUBLE_EQ(spans[i].start, 4.0 * static_cast<double>(i));
    EXPECT_DOUBLE_EQ(spans[i].end, 4.0 * static_cast<double>(i + 1));
  }
}

TEST(ChordRecognition, SilenceIsNoChordAndTheBassDecidesInversions) {
  // C major 7 (C E G B) over a C bass is C major, not E minor; then a bar of silence.
  std::vector<TimedNote> notes = {{36, 0, 4}, {64, 0, 4}, {67, 0, 4}, {71, 0, 4}, {60, 0, 4}};
  std::vector<double> boundaries = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  auto spans = recognize_chords(notes, boundaries);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(*spans[0].chord, (ChordLabel{0, TriadClass::maj}));
  EXPECT_FALSE(spans[1].chord.has_value());
  // The same notes over an E bass: E minor.
  notes[0].pitch = 40;
  notes[4].pitch = 64;
  spans = recognize_chords(notes, boundaries);
  EXPECT_EQ(*spans[0].chord, (ChordLabel{4, TriadClass::min}));
}

TEST(ChordRecognition, SmoothingIgnoresAPassingTone) {
  // C major held for two bars with a melody that passes through D and F on single beats.
  std::vector<TimedNote> notes = {{48, 0, 8}, {52, 0, 8}, {55, 0, 8}, {72, 0, 1},
                                  {74, 1, 1}, {76, 2, 1}, {77, 3, 1}, {79, 4, 4}};
  std::vector<double> boundaries = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  ChordRecognitionOptions options;
  const auto smoothed = recognize_chords(notes, boundaries, options);
  ASSERT_EQ(smoothed.size(), 1u);
  EXPECT_EQ(*smoothed[0].chord, (ChordLabel{0, TriadClass::maj}));
  // Restricting the classes restricts the answers.
  options.classes = {TriadClass::min};
  const auto minor_only = recognize_chords(notes, boundaries, options);
  for (const ChordSpan& span : minor_only)
    EXPECT_EQ(span.chord->triad, TriadClass::min);
}

TEST(ChordRecognition, AHeldDroneUnderChangingChords) {
  // [GIVEN] a low D drone held for the whole piece under block chords that change every bar
  // (D minor, G major, D major, G minor, ...), given in the order a file lists them (drone last).
  const std::vector<ChordLabel> labels = {
      {2, TriadClass::min}, {7, TriadClass::maj}, {2, TriadClass::maj}, {7, TriadClass::min}};
  std::vector<TimedNote> notes;
  for (int r = 0; r < 5; ++r) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const double start = 4.0 * static_cast<double>(r * 4 + static_cast<int>(i));
      for (int step : labels[i].triad == TriadClass::min ? std::vector<int>{0, 3, 7}
                                                         : std::vector<int>{0, 4, 7})
        notes.push_back({48 + labels[i].root + step, start, 4.0});
    }
  }
  notes.push_back({26, 0, 80});
  const auto spans = recognize_chords(notes, regular_boundaries(notes, 0, 1.0));
  // [THEN] each bar is its own chord: the drone is heard in every bar, and a bar's chord notes
  // are not heard after the bar ends.
  std::vector<ChordLabel> heard;
  for (const ChordSpan& span : spans) {
    ASSERT_TRUE(span.chord.has_value());
    for (double t = span.start; t < span.end; t += 4.0)
      heard.push_back(*span.chord);
  }
  ASSERT_EQ(heard.size(), 20u);
  for (std::size_t bar = 0; bar < heard.size(); ++bar)
    EXPECT_EQ(heard[bar], labels[bar % 4]) << "bar " << bar;
}

TEST(ChordRecognition, NoBoundariesNoSpans) {
  const std::vector<TimedNote> notes = {{60, 0, 1}};
  EXPECT_TRUE(recognize_chords(notes, std::vector<double>{0}).empty());
  EXPECT_TRUE(regular_boundaries(notes, 0, 0).empty());
  EXPECT_EQ(regular_boundaries(notes, 0, 0.5).size(), 3u);  // 0, 0.5, 1
}

TEST(CompareChords, MajMinLeavesOutOtherClassesAndScoresNoChord) {
  const ChordLabel c{0, TriadClass::maj}, am{9, TriadClass::min}, bdim{11, TriadClass::dim};
  const std::vector<ChordSpan> reference = {
      {0, 2, c}, {2, 4, am}, {4, 5, bdim}, {5, 6, std::nullopt}};
  const std::vector<ChordSpan> estimate = {
      {0, 1, c}, {1, 3, ChordLabel{0, TriadClass::min}}, {3, 4.5, am}};
  // majmin: scored 0-4 and 5-6 (5 s); matched 0-1, 3-4, and 5-6 (uncovered = N) = 3.
  const ChordScore majmin = compare_chords(reference, estimate, ChordComparison::majmin);
  EXPECT_DOUBLE_EQ(majmin.scored, 5.0);
  EXPECT_DOUBLE_EQ(majmin.matched, 3.0);
  // triads: all 6 s scored; the same 3 s match (B dim was estimated as A min / N).
  const ChordScore triads = compare_chords(reference, estimate, ChordComparison::triads);
  EXPECT_DOUBLE_EQ(triads.scored, 6.0);
  EXPECT_DOUBLE_EQ(triads.matched, 3.0);
  // root: C min over C counts, 1-2 too.
  const ChordScore root = compare_chords(reference, estimate, ChordComparison::root);
  EXPECT_DOUBLE_EQ(root.matched, 4.0);
  EXPECT_DOUBLE_EQ(compare_chords(reference, reference, ChordComparison::triads).accuracy(), 1.0);
  EXPECT_DOUBLE_EQ(ChordScore{}.accuracy(), 0.0);
}

TEST(ChordLabel, FromChordsAndPrinted) {
  EXPECT_EQ(label_of(*parse_chord_symbol("Bb:min7")), (ChordLabel{10, TriadClass::min}));
  EXPECT_EQ(label_of(*parse_chord_symbol("D:sus4(b7)")), (ChordLabel{2, TriadClass::sus}));
  EXPECT_EQ(to_string(ChordLabel{10, TriadClass::min}), "Bb:min");
  EXPECT_EQ(to_string(ChordLabel{6, TriadClass::dim}), "F#:dim");
}

}  // namespace
}  // namespace duet::music
