// MusicXML 4.0 (partwise) from a compose::Score: what the orchestrator opens in MuseScore,
// Sibelius, Dorico or Finale (docs/hand-off.md).
//
// Namespace duet::exporting (the directory is src/export, but `export` is a C++ keyword).
#pragma once

#include <string>

#include "base/result.h"
#include "compose/score.h"

namespace duet::exporting {

struct MusicXmlOptions {
  std::string title;   // <work-title>: the cue ("1M3 The Chase"); "" writes none
  bool chords = true;  // the progression as chord symbols above the first part
};

// The score as MusicXML text (deterministic: the same score gives the same bytes; the caller
// writes it atomically).
//
// What it writes and how:
// - A part per score part in score order: its name, its General MIDI program and channel, its
//   clef and transposition from music::find_instrument(part.instrument) (else the instrument of
//   its program); written pitch = sounding pitch + the instrument's transposition, with a
//   <transpose> element saying how it sounds. Grand-staff instruments (piano, harp) and unknown
//   ones get one staff, treble or bass by their mean pitch. Percussion (channel 10 or a drum
//   instrument) gets a percussion clef and unpitched notes placed by a General MIDI drum map.
// - Bars from the tempo map's meters (a <time> at each change), the key of each section as a
//   key signature from the first bar at or after the section's start (transposed per part),
//   tempo changes as metronome marks with <sound tempo> (a ramp adds "accel." or "rit."),
//   sections as rehearsal marks, hits as words ("HIT: door slams"; soft ones "soft hit: ..."),
//   all in the first part.
// - Rhythm on a grid of 64th notes (divisions 16 per quarter): starts and ends are rounded to
//   the nearest 64th, so tuplets are approximated, not written as tuplets. Notes are split at
//   bar lines, at the next beat when they start off the beat, and into whole, half ... 64th
//   values (dotted where that fits) joined by ties;
//   a gap after a note of at most a quarter of its length (a detached note) is closed up to
//   the next note or 16th line; rests fill the other gaps; notes of a part that start and end
//   together are one chord (<chord/>); overlapping lines become voices 1-4 (a fifth simultaneous
//   line is cut short where the next one starts).
// Fails when the score has no parts, a note's pitch is outside 0..127 or a meter's denominator is
// not 1..64 (a power of two), naming the part and the bar.
base::Result<std::string> to_musicxml(const compose::Score& score,
                                      const MusicXmlOptions& options = {});

}  // namespace duet::exporting
