// Writing a cue: a spotted cue (its tempo map or none, hit points, dialogue windows, emotion curve,
// theme tags) becomes a Score for an orchestra, through stages that are each a function of typed
// input (docs/composing.md):
//   plan           the approach, the tempo map, sections and hits on the musical grid, keys,
//                  phrases (ending before dialogue), climaxes, the groove, the ending (plan.h);
//   themes         statements of the featured themes, placed first (melody.h);
//   harmony        the progression (cadences, pedals, colour that grows with tension, the chord
//                  model or a table of moves times the mode's vocabulary) (harmony.h);
//   melody         phrases developed from one idea: the theme's head or a cell of the cue's own
//                  (melody.h);
//   voicing        four voices under the melody, no parallels among them or with it (harmony.h);
//   texture        bass, harmony, counter-line, the approach's figure, percussion, hits, the
//                  ending, orchestrated with doublings and balanced by dynamics (texture.h);
//   locks          the composer's material kept note for note, the rest written around it.
// The same brief, seed and models always give the same Score on every platform (splitmix64, no
// standard-library distributions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/brief.h"
#include "compose/emotion_map.h"
#include "compose/score.h"
#include "music/key.h"
#include "spot/cue.h"
#include "time/units.h"

namespace duet::compose {

struct WrittenCue {
  Score score;
  WriterNotes notes;
};

// Writes the cue in the brief's approach (else the one that fits the scene best). Fails
// (out_of_range) when the cue's out is not after its in, the cue is shorter than one beat at its
// tempo, or an override is out of range (validate()); fails (invalid_input) when a lock is empty
// or reversed, locks are given without locked_from, a lock names a part locked_from does not
// have, or a lock lies wholly outside the cue.
base::Result<WrittenCue> write_cue(const CueBrief& brief, std::uint64_t seed,
                                   const WriterModels& models = {});

// ---- Checks other code calls (critics, tests) ----

// Parallel fifths and octaves (and unisons) between any two real voices (the melody, a
// counter-melody, the bass and the harmony voices; doublings in octaves excepted), as the
// voice-leading critic counts them (craft.h, voice_leading).
int count_parallels(const Score& score);

// Notes outside their part's instrument range (music::find_instrument(part.instrument)); parts
// without a known instrument (from_midi's "") and percussion parts on channel 10 are not checked.
int count_range_violations(const Score& score);

// Notes outside the instrument's comfortable range (the same parts as count_range_violations).
int count_uncomfortable(const Score& score);

}  // namespace duet::compose
