// Writing a cue: a spotted cue (its tempo map or none, hit points, dialogue windows, emotion curve,
// theme tags) becomes a Score for a General MIDI orchestra. The steps, each recorded in the Score:
//   plan       the tempo map (the cue's own; otherwise one tempo from the emotion mapping, beat 0
//              at cue.in) and sections that start at hard hits and where the emotion curve turns;
//              each section's mode, tempo, dynamics and texture from controls_for(emotion at
//              the section, its trend), the composer's overrides on top; the cue's tonic from the
//              composer, else the featured theme's key, else a string-friendly tonic by a stable
//              hash of the cue id; up a step or to the chromatic mediant where the tension rises.
//   harmony    a progression per section sampled from the chord model (when one is given) times the
//              mapping's vocabulary, otherwise from a table of functional moves; a dominant ->
//              tonic cadence landing on every hard hit, into every new key and at the end; four
//              harmony voices (bass + 3 upper) voiced by a small search: the voicing that moves
//              least among those with no parallel fifths or octaves and no voice crossing.
//   melody     theme variants (music::apply_steps: the section's key and mode, then a head motif
//              in sequence, an inversion or an augmentation as the section's feeling asks, cut to
//              fit; each ThemeUse records the replayable steps) where the cue tags themes;
//              elsewhere the melody sequence model (when given) constrained to chord tones
//              on strong beats, otherwise steps and leaps weighted by hand.
//   texture    sustained pads (low arousal), harp arpeggios with clarinets (between), pulses with
//              horns and a drum (high arousal); a brass stab, a cymbal and a timpani stroke on
//              every hard hit; every part inside its instrument's range (music::orchestra()). In
//              dialogue windows the texture thins: the upper harmony voices, the colours and the
//              figuration rest, the melody rests (it sits in the 200 Hz - 4 kHz speech
//              register), what is left plays softer.
// The same brief, seed and models always give the same Score on every platform (splitmix64, no
// standard-library distributions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/emotion_map.h"
#include "compose/score.h"
#include "music/key.h"
#include "spot/cue.h"
#include "time/units.h"

namespace duet::model {
class ChordModel;
class MelodyModel;
}  // namespace duet::model

namespace duet::compose {

// A theme to feature, as the registry holds it: its melody (positions from the theme's own beat
// 0, sounding MIDI pitches; velocities are ignored) and the key it is written in. A cue uses it
// when cue.themes names it.
struct BriefTheme {
  std::string name;
  std::vector<ScoreNote> notes;  // by start, no two sounding at once
  music::Key key;
};

// Material the composer keeps. Locked notes are copied from CueBrief::locked_from unchanged and
// the rest is written around them: bars locked in the middle are infilled, a lock at the start is
// continued, a lock of everything but one span regenerates that span, and a lock with `part` keeps
// only that part (the other parts are written anew).
struct Lock {
  std::optional<std::string> part;  // a Part::name of locked_from; absent: every part
  time::BeatPos from, to;           // from < to, on locked_from's tempo map
  friend bool operator==(const Lock&, const Lock&) = default;
};

struct CueBrief {
  spot::Cue cue;
  std::vector<BriefTheme> themes;    // the registry's themes the cue may use
  ControlOverrides overrides;        // the composer's settings over the mapping, every section
  std::optional<Score> locked_from;  // required when locks is not empty; its tempo map is kept
  std::vector<Lock> locks;
};

// The trained models the writer samples from. Both are optional: without them the harmony comes
// from a table of functional moves and the melody from weighted steps. ChordModel::predict is not
// const (its short-term model learns the progression), so the writer needs the chord model to
// itself while it writes; the melody model is only read.
struct WriterModels {
  model::ChordModel* chords = nullptr;
  const model::MelodyModel* melody = nullptr;
};

// What the writer did and where its material came from, for reports and critics.
struct WriterNotes {
  int chords_from_model = 0;     // chords sampled from the chord model's distribution
  int chords_from_table = 0;     // from the table of functional moves
  int cadences = 0;              // dominant -> tonic arrivals (hits and the end)
  int melody_from_model = 0;     // melody notes sampled from the melody model
  int melody_from_rules = 0;     // from weighted steps
  int melody_from_themes = 0;    // from theme variants
  int voicing_fallbacks = 0;     // chords whose voicing search found no rule-abiding voicing
  std::vector<std::string> log;  // one line per decision worth telling ("section B at hit ...")
};

struct WrittenCue {
  Score score;
  WriterNotes notes;
};

// Writes the cue. Fails (out_of_range) when the cue's out is not after its in, the cue is shorter
// than one beat at its tempo, or an override is out of range (validate()); fails (invalid_input)
// when a lock is empty or reversed, locks are given without locked_from, or a lock names a part
// locked_from does not have.
base::Result<WrittenCue> write_cue(const CueBrief& brief, std::uint64_t seed,
                                   const WriterModels& models = {});

// ---- Checks other code calls (critics, tests) ----

// Parallel fifths and octaves (and unisons) between every pair of harmony voices (parts with
// Role::bass or Role::harmony): at each onset of any of those parts, each voice's sounding pitch
// (the highest when a part holds several notes); two voices that both move, in the same direction,
// from a perfect fifth (or compound) to a perfect fifth, or from an octave or unison (or compound)
// to an octave or unison, count one. A voice that rests breaks the line.
int count_parallels(const Score& score);

// Notes outside their part's instrument range (music::find_instrument(part.instrument)); parts
// without a known instrument (from_midi's "") and percussion parts on channel 10 are not checked.
int count_range_violations(const Score& score);

// Notes outside the instrument's comfortable range (the same parts as count_range_violations).
int count_uncomfortable(const Score& score);

}  // namespace duet::compose
