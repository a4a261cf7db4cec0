// The writer's texture and orchestration stages: every part of the score but the melody's own
// line, written for the approach's ensemble, as a film orchestrator lays a cue out (Adler, "The
// Study of Orchestration"; Rimsky-Korsakov, "Principles of Orchestration"):
//   the melody    on top, in its own instrument for the whole cue, doubled an octave up (flutes)
//                 and an octave down (horns) as the intensity grows;
//   the bass      basses with cellos an octave above them (a 16-foot foundation): held roots and
//                 pedals in quiet music, passing tones where it flows, the groove's accents with
//                 anticipations where it drives;
//   the harmony   the voicing's three upper voices (horns, violas, second violins; a string
//                 trio or a synth pad in other approaches) under the melody, with the prepared
//                 suspensions;
//   a counter-line in a woodwind that moves where the melody holds or breathes;
//   the figure    what gives the approach its rhythm: harp arpeggios, a grouped string
//                 ostinato, a repeated-note pulse, piano broken chords, low strings in
//                 sixteenths;
//   percussion    a groove on the cue's rhythmic cell with fills into phrase downbeats, cymbal
//                 swells and timpani rolls into big hits, strokes at arrivals;
//   the hits      each as its treatment asks (a stinger, a tutti entry, a colour change, a
//                 drop-out), prepared by a crescendo over the bar before;
//   the ending    held and fading, a button, or open;
//   dialogue      the melody and the counter-line rest (the plan's phrases end before each line),
//                 the figure rests or thins below the speech band, the harmony holds, softer;
//   dynamics      each section's range and crescendo, an arc to its climax, the melody kept
//                 above the accompaniment in level (balance by dynamics: the melody a step or two
//                 louder, the accompaniment under it).
// Winds and brass breathe at phrase ends.
#pragma once

#include <functional>
#include <vector>

#include "compose/brief.h"
#include "compose/harmony.h"
#include "compose/melody.h"
#include "compose/plan.h"
#include "compose/random.h"
#include "compose/score.h"

namespace duet::compose {

// The parts in score order (empty parts left out; channels are assigned by the caller). The
// melody line comes in as written; its part is named and orchestrated here.
std::vector<Part> write_texture(const CuePlan& plan, const Progression& progression,
                                const MelodyLine& melody, Rng& rng, WriterNotes& notes);

// The last word on parallels: the voices are written to avoid them, but a passing tone, an
// anticipation, an octave leap in the bass or the composer's locked notes can still meet another
// line in fifths or octaves. Each one the voice-leading measure finds (craft.h, the critics' own)
// is mended in the line that matters least: a harmony voice holds its note over (oblique motion),
// takes another tone of the chord or rests for that chord; a counter-line note gives way to a
// rest; the bass leaps the other way by an octave or takes the chord's third or fifth; only when
// none of that works does the melody take a neighbouring tone of the chord. The notes `frozen`
// names (locked material) are never touched. Returns the parallels left.
int mend_parallels(std::vector<Part>& parts, const CuePlan& plan, const Progression& progression,
                   const std::function<bool(const Part&, const ScoreNote&)>& frozen = {});

// The velocity the plan asks for at a position before a part's own offset: the section's
// dynamics and crescendo, an arc to its climax, a crescendo over the bar before a big hit,
// softer under dialogue, fading over a held ending.
int dynamic_at(const CuePlan& plan, time::BeatPos at);

}  // namespace duet::compose
