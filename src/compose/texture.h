// The writer's texture and orchestration stages: every part of the score but the melody's own
// line, written for the approach's ensemble, as a film orchestrator lays a cue out (Adler, "The
// Study of Orchestration"; Rimsky-Korsakov, "Principles of Orchestration"):
//   the melody    on top, in one instrument for the whole cue (violins I; a flute, oboe or
//                 clarinet in chamber and pulse writing; trumpets in hybrid), doubled as the
//                 intensity grows: flutes (celesta in pulse writing) an octave up, horns an octave
//                 down (lyrical, hybrid), trumpets at the unison at full strength (ostinato);
//   the bass      basses with cellos an octave above them (a 16-foot foundation; a solo cello in
//                 chamber): held roots and pedals in quiet music, passing tones where it flows,
//                 the groove's accents with anticipations where it drives;
//   the harmony   the voicing's three upper voices under the melody, with the prepared
//                 suspensions: horns 3-4, violas, violins II (lyrical); violas, horns 3-4,
//                 clarinets (ostinato); cellos, violas, violins II (pulse); a string trio
//                 (chamber); a synth pad (hybrid);
//   a counter-line in a woodwind that moves where the melody holds or breathes (lyrical,
//                 chamber);
//   the figure    what gives the approach its rhythm: harp arpeggios, a grouped string
//                 ostinato, a repeated-note piano pulse, piano broken chords rocking 3+3+2
//                 sixteenths, low strings galloping on the groove's accents;
//   percussion    a groove on the cue's rhythmic cell with fills into phrase downbeats, cymbal
//                 swells and timpani rolls into big hits, strokes at arrivals (none in chamber);
//   the hits      each as its treatment asks (a stinger, a tutti entry, a colour change, a
//                 drop-out), prepared by a crescendo over the bar before;
//   the ending    held and fading, a button, or open; the figure strikes once on the final chord;
//   dialogue      the melody and the counter-line rest (the plan's phrases end before each line),
//                 the figure keeps to its beats (the chamber piano also below middle C), the low
//                 strings and the harmony hold, softer;
//   dynamics      each section's range and crescendo, an arc to its climax, the melody kept
//                 above the accompaniment in level (balance by dynamics: the melody a step or two
//                 louder, the accompaniment under it).
// Winds and brass breathe at phrase ends (the melody breathes with its own phrasing).
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
