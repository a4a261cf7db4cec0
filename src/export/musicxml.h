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
  // The staff height in millimetres (<scaling>); 0 chooses it from the number of staves, so that
  // two systems of the whole ensemble fit an A4 or Letter page up to twelve staves: 7 for up to
  // three, 6.5 up to six, 6 up to eight, 5.5 up to ten, 4.8 up to twelve, 4.5 beyond.
  double staff_height_mm = 0;
  // The gap between the staves of a system in staff spaces (<staff-layout><staff-distance>, a
  // minimum: MuseScore moves staves further apart where notes, ledger lines or dynamics need it);
  // 0 chooses: 4.5 for a full score of seven staves or more, none written for fewer (the reader's
  // default, 6.5 in MuseScore).
  double staff_gap_spaces = 0;
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
// - Rhythm as a copyist writes it (docs/hand-off.md "Rhythm"): onsets on the 16th lines of
//   their bar (32nds where two attacks would meet; no tuplets); a note written to the next onset
//   of its voice, its sounding length an articulation (under 60% of the value: staccato), unless
//   the silence after it is a rest a copyist writes (an eighth or more after a note whose next
//   onset is over a quarter away, and a quarter or more, half that time, or after a note held its
//   full value); values split at bar lines and beats (syncopated beats kept whole), rests by the
//   beat; beams by the beat (the dotted quarter in 6/8); notes of a part starting together and
//   ending about together are one chord (<chord/>); overlapping lines become voices 1-4 (a fifth
//   simultaneous line is cut short where the next one starts). Nothing shorter than a 32nd.
//   Drum strokes starting together are one chord, a drum part one voice, and a stroke is never
//   tied (one value from its onset, then rests: its length is the drum's decay).
// - Dynamics (pp..ff) per part where its velocity level changes, accents on notes clearly
//   louder than both neighbours.
// - Layout for a conductor's score: the staff size and the gap between staves by the number of
//   staves (above), and each part's abbreviated name (<part-abbreviation>: "Vln. I", "Hn. 3-4")
//   for the systems after the first.
// Fails when the score has no parts, a note's pitch is outside 0..127 or a meter's denominator is
// not 1..64 (a power of two), naming the part and the bar.
base::Result<std::string> to_musicxml(const compose::Score& score,
                                      const MusicXmlOptions& options = {});

}  // namespace duet::exporting
