// A sketch: a short, deterministic piece (4/4, a few bars) made from MusicalControls alone, the
// seed of the composer. Controls in, a Standard MIDI File out:
//   harmony         a progression in the key and mode from a table of functional moves
//                   (tonic -> predominant -> dominant -> tonic), the vocabulary's weights turning
//                   chords into borrowed chords (modal mixture), chromatic mediants, suspensions
//                   and clusters; one chord every 4 / harmonic_rhythm beats (to a power of two);
//                   first and last chords the tonic, a dominant before the last.
//   melody          in the register, `density` onsets per beat on average, chord tones on the
//                   chord's first onset, steps of the scale (as the chord alters it) between.
//   accompaniment   the chord voiced below the melody with `spacing` between voices: held blocks,
//                   repeated blocks, broken chords or a driving ostinato as `activity` rises.
//   bass            the chord's root below the accompaniment.
//   dynamics        velocities inside the range, following the crescendo, with metric accents.
//   articulation    each note sounds `legato` of the time to the next onset.
//   tempo           inside the range, moving across it by the drift (a tempo event per bar).
//   instruments     the palette's programs on three channels (melody 1, accompaniment 2, bass 3).
// The same controls and seed always give the same file, on every platform (the random numbers
// come from splitmix64, not from the standard library's distributions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/emotion_map.h"
#include "midi/smf.h"

namespace duet::compose {

struct SketchOptions {
  std::uint64_t seed = 1;
  int bars = 8;                 // 1..64 bars of 4/4
  int ticks_per_quarter = 480;  // the file's division
};

// Where each chord went and why it is there.
struct SketchChord {
  double beat = 0;          // quarter notes from the start
  double beats = 4;         // length in quarter notes
  std::string symbol;       // lead-sheet symbol: "Cm", "Absus4", "Fm(add2)"
  std::string role;         // "diatonic", "modal mixture", "chromatic mediant" (the substitution)
  bool suspension = false;  // a 4th held over the first half and resolved (triads with a third)
  bool cluster = false;     // a second added inside the voicing
};

struct Sketch {
  midi::MidiFile file;  // format 1: conductor, melody, accompaniment, bass
  std::vector<SketchChord> chords;
  double start_bpm = 0, end_bpm = 0;
  int notes = 0;  // in all parts
};

// Writes the sketch. Fails (out_of_range) when the controls do not pass validate() or the options
// are outside their ranges.
base::Result<Sketch> make_sketch(const MusicalControls& controls,
                                 const SketchOptions& options = {});

}  // namespace duet::compose
