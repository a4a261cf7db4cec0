// The writer's melody stage: phrases built from one idea.
//
// The idea (the basic idea, a bar long): the head of the featured theme (its rhythm and its
// diatonic contour) when the cue features one, else a cell written for the cue from its feeling
// and the approach: a rhythm from the meter's idiomatic cells at the density the controls ask
// for, and a contour (gap-fill, arch, sigh, climb, or a tense circling) from the feeling.
//
// Each phrase of the plan is written from it as a composer builds a sentence (Schoenberg,
// "Fundamentals of Musical Composition"; Caplin, "Classical Form"): the idea, its answer (the
// theme's second bar, or a contrasting cell), in longer phrases the pair again in sequence, a
// continuation that fragments the idea (its head twice, stepping), and a cadence (a pickup into a
// long note on a strong beat: the tonic or its third for an authentic cadence, a tone of the
// dominant for a half cadence). The idea is augmented where a section is slower than the cue's own
// pace and diminished where it is faster, so the cue keeps one rhythmic identity. Strong beats take
// tones of the chord, weak beats scale tones; the melody model (when given) weighs the choices. The
// register rises to each section's climax (where its tension peaks) and falls away from it; each
// phrase ends with a breath (a rest of an eighth, a quarter below 80 BPM, where the last note is
// long enough to give it), and a phrase that leads into a tutti or a stinger rises into it with a
// pickup instead. The melody rests under dialogue: its phrases end before each line.
//
// Sections that feature a theme state it first (music::apply_steps: the section's key and mode,
// then a head motif in sequence, an inversion or an augmentation as its feeling asks), each
// statement recorded as a ThemeUse with its replayable steps.
#pragma once

#include <vector>

#include "compose/brief.h"
#include "compose/harmony.h"
#include "compose/plan.h"
#include "compose/random.h"
#include "compose/score.h"

namespace duet::compose {

struct MelodyLine {
  std::vector<ScoreNote> notes;  // by start, monophonic, on the sixteenth grid
  std::vector<ThemeUse> themes;  // part names are left empty (orchestration names the part)
  // The cell the cue's phrases develop: (onset from the bar's start, length) in ticks and
  // diatonic steps from its first note; what the critics read as the cue's own material.
  std::vector<std::pair<time::BeatDur, int>> idea;
};

// The theme statements of the plan's themed sections, placed and moved into the melody's
// register, before the harmony is written (the harmony is chosen to hold their notes).
struct ThemeStatements {
  std::vector<ScoreNote> notes;  // by start
  std::vector<ThemeUse> uses;
  // The composer's locked bass, when there is one: the melody keeps out of fifths and octaves
  // with it (the voicing keeps the rest of the texture clear).
  std::vector<ScoreNote> bass;
};
ThemeStatements state_themes(const CuePlan& plan, const CueBrief& brief, WriterNotes& notes);

// The whole melody: the statements, then every phrase developed from the idea.
MelodyLine write_melody(const CuePlan& plan, const Progression& progression, const CueBrief& brief,
                        const ThemeStatements& statements, const model::MelodyModel* model,
                        Rng& rng, WriterNotes& notes);

}  // namespace duet::compose
