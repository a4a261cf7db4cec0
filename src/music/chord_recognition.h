// Chord recognition from notes: the time is cut at given boundaries (beats), each segment's
// notes become a duration-weighted chroma and a bass chroma, every (root, triad class) label is
// scored against them by template matching, and a Viterbi pass over the segments chooses the
// label sequence that best balances the segment scores against a cost per chord change.
// Also the standard ways to score a recognised sequence against annotations (MIREX "majmin").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "music/chord.h"
#include "music/key_finding.h"

namespace duet::music {

// A chord reduced to what recognition tells apart: a root pitch class and a triad class.
struct ChordLabel {
  int root = 0;  // pitch class 0..11
  TriadClass triad = TriadClass::maj;
  friend bool operator==(const ChordLabel&, const ChordLabel&) = default;
};
ChordLabel label_of(const Chord& chord);
// "C:maj", "F#:min", "Bb:sus" (roots spelled with sharps except Eb, Ab, Bb).
std::string to_string(const ChordLabel& label);

// A stretch of time with one chord, or none (std::nullopt = "N").
struct ChordSpan {
  double start = 0;  // same unit as the notes (seconds or beats)
  double end = 0;
  std::optional<ChordLabel> chord;
};

struct ChordRecognitionOptions {
  // The classes the recogniser may answer with (all five by default; {maj, min} for a plain
  // major/minor recogniser).
  std::vector<TriadClass> classes = {TriadClass::maj, TriadClass::min, TriadClass::dim,
                                     TriadClass::aug, TriadClass::sus};
  // Score = chord-tone share of the chroma - non_chord_penalty x the rest
  //         + bass_root_weight x bass share on the root + bass_tone_weight x bass share on
  //         chord tones + class_bias[class]. Shares are fractions of the segment's total.
  double non_chord_penalty = 0.5;
  double bass_root_weight = 0.3;
  double bass_tone_weight = 0.1;
  std::array<double, 5> class_bias = {0.0, 0.0, -0.15, -0.2, -0.15};  // maj min dim aug sus
  // Cost of a chord change between segments in score units (0 = no smoothing); 0.3 measured best
  // on POP909 songs 001-150 (docs/model-evaluation.md).
  double change_penalty = 0.3;
  // A segment whose summed note duration x weight is below this (in note-time units) is "N".
  double silence = 1e-6;
};

// Recognises one label per segment [boundaries[i], boundaries[i+1]) and merges equal
// neighbours. Boundaries must rise; fewer than two give no spans.
std::vector<ChordSpan> recognize_chords(std::span<const TimedNote> notes,
                                        std::span<const double> boundaries,
                                        const ChordRecognitionOptions& options = {});

// Evenly spaced boundaries from `start` to past the last note's end (for material with no
// beat grid: step = one beat in the notes' unit).
std::vector<double> regular_boundaries(std::span<const TimedNote> notes, double start, double step);

// Time where the reference is scored, and the part of it where the estimate agrees.
struct ChordScore {
  double matched = 0;
  double scored = 0;
  double accuracy() const { return scored > 0 ? matched / scored : 0; }
};
enum class ChordComparison {
  // MIREX majmin: every label reduces to maj, min or N; reference time labelled dim, aug or
  // sus is left out; an estimate of dim/aug/sus never matches; N matches N only.
  majmin,
  // Root and triad class (maj/min/dim/aug/sus) must agree; N matches N; all time scored.
  triads,
  // Roots must agree (N matches N); all time scored.
  root,
};
// Both span lists sorted by start and not overlapping; time outside the reference is ignored,
// reference time not covered by the estimate counts as an estimate of N.
ChordScore compare_chords(std::span<const ChordSpan> reference, std::span<const ChordSpan> estimate,
                          ChordComparison comparison);

}  // namespace duet::music
