// Variants of a theme: the transformations that keep a theme recognisable, each recorded as a
// step that can be printed, read back and replayed.
//
// Steps and their text form (one step; a list is joined by "; "):
//   transpose +5            chromatic, in semitones (-48..48)
//   transpose +2 diatonic   by scale steps within the theme's key (-28..28)
//   mode minor              the same tonic, another mode: scale degrees map from the key's
//                           scale to the new one (chromatic notes keep their alteration, except
//                           one that is the new scale's own degree: minor's raised 7th becomes
//                           major's 7th)
//   key D dorian            to another key: degrees map, the tonic moves by the smallest
//                           interval (-6..+5 semitones)
//   augment 2, augment 1/2  every start and length times the ratio (1/8..8); below 1 this is
//                           diminution; lengths are rounded to whole ticks and stay above 0
//   fragment 4              the head motif: the first 4 notes
//   fragment 1 bar          the first bar(s) (a pickup counts as part of the first bar; needs a
//                           meter)
//   invert                  mirrored around the first note, diatonically in the key
//                           (alterations mirror too)
//   retrograde              the notes backwards, rests included
//   displace 1/2            every note later by that many quarter notes (rhythmic displacement
//                           against the bar lines); negative moves earlier while the first note
//                           stays at or after 0
//   reharmonize Dm Bb F C   a harmony for the cue writer to set under the variant (lead-sheet
//                           chord symbols); the melody is unchanged
//   reorchestrate oboe      an instrument for the cue writer; the melody is unchanged
// The key of a variant follows its steps (mode and key steps change it; transposition moves its
// tonic), so diatonic steps after a transposition work in the transposed key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "music/chord.h"
#include "music/key.h"
#include "music/theme.h"
#include "time/rational.h"

namespace duet::music {

enum class StepKind {
  transpose,
  transpose_diatonic,
  mode,
  key,
  augment,
  fragment_notes,
  fragment_bars,
  invert,
  retrograde,
  displace,
  reharmonize,
  reorchestrate,
};

struct TransformStep {
  StepKind kind = StepKind::transpose;
  int amount = 0;           // semitones, scale steps, or a note or bar count
  Mode mode = Mode::major;  // mode
  std::optional<Key> key;   // key
  time::Rational ratio{1};  // augment: the ratio; displace: quarter notes
  std::string text;         // reharmonize: chord symbols; reorchestrate: instrument
  friend bool operator==(const TransformStep&, const TransformStep&) = default;
};

// The replayable form ("transpose +5", "augment 1/2", "reharmonize Dm Bb F C").
std::string to_string(const TransformStep& step);
// Words for a person ("transposed +5", "minor", "augmented x2", "head: first 4 notes").
std::string describe(const TransformStep& step);
// One step or a "; "-separated list. Errors name the step (1-based) and what is wrong.
base::Result<TransformStep> parse_step(std::string_view text);
base::Result<std::vector<TransformStep>> parse_steps(std::string_view text);
std::string to_string(const std::vector<TransformStep>& steps);  // "transpose +5; mode minor"

// Chord symbols separated by spaces (and optional '|' bar lines): "Dm | Bb F | C7". Fails
// naming the symbol (1-based) that does not parse.
base::Result<std::vector<Chord>> parse_harmony(std::string_view text);

struct Variant {
  Melody melody;
  Key key;                                // the variant's key after the steps
  std::vector<TransformStep> steps;       // how it was derived from the theme, in order
  std::optional<std::string> harmony;     // the last reharmonize step's chords, if any
  std::optional<std::string> instrument;  // the last reorchestrate step's instrument, if any

  // "transposed +5; minor; augmented x2" (empty for the theme itself).
  std::string derivation() const;
};

// Applies the steps in order to a theme in `key`. Fails naming the step (1-based) when a pitch
// would leave MIDI 0..127, a fragment would be empty, a bar fragment has no meter, a note would
// start before 0, or a step's value is out of range.
base::Result<Variant> apply_steps(const Melody& theme, const Key& key,
                                  const std::vector<TransformStep>& steps);

// The single transformations, for callers that compose their own (same rules as the steps).
base::Result<Melody> transpose(const Melody& melody, int semitones);
base::Result<Melody> transpose_diatonic(const Melody& melody, const Key& key, int steps);
base::Result<Melody> change_key(const Melody& melody, const Key& from, const Key& to);
base::Result<Melody> augment(const Melody& melody, const time::Rational& ratio);
base::Result<Melody> fragment_notes(const Melody& melody, int count);
base::Result<Melody> fragment_bars(const Melody& melody, int bars);
base::Result<Melody> invert(const Melody& melody, const Key& key);
Melody retrograde(const Melody& melody);
base::Result<Melody> displace(const Melody& melody, const time::Rational& quarters);

}  // namespace duet::music
