// The critics: what a composer would say about a cue's music, measured. Each critic reads a Score
// (the engine's, or the composer's own through from_midi) against its cue (hit points, emotion
// curve, the themes it asks for) and gives a score 0..1 (1 is best), the raw measure it is made
// from, and its reasons in words a composer reads ("lands 3 of 3 hard hits", "bars 9-12 read as
// Q2 (tense) where the scene asks Q3 (sad)", "parallel fifths between Cello and Viola at bar 5
// beat 3").
//
//   sync            every hit point: is there a note onset within the tolerance of its time
//                   (tempo_map.time_at of the onset against the hit's film time)? An onset that
//                   is also a mark (an accent, a chord change or a section start) counts in full,
//                   a plain onset 0.8, a miss 0. Hard hits weigh 3, soft hits 1.
//   emotion         the emotion estimator (model/emotion_model.h) over the windows duet emotion
//                   plots (8 s every 4 s, the tempo map's beat when the notes follow it), each
//                   against the cue's emotion curve at the window's middle; a section (or every 4
//                   bars when the score has no sections) agrees when at least half its windows
//                   are in the target's quadrant: the share of sections agreeing is the measure,
//                   score = 0.6 share + 0.4 (1 - mean distance / 2.83).
//   tension         the melody's surprise (information content, bits, under the melody model)
//                   averaged per bar, correlated (Pearson r) with the tension curve per bar;
//                   score = (r + 1) / 2. Not judged when the curve is flat or there are fewer
//                   than 4 bars of melody.
//   themes          each theme the cue tags: the best recognisability among the score's uses of
//                   it (ThemeUse, or a found use passed in by the caller); 0 when it is not heard.
//   voice leading   every pair of real voices (melody, countermelody, bass and harmony parts,
//                   each read as one voice: the bass part's lowest note, the others' highest)
//                   at every onset of any of them: parallel fifths and octaves and crossings, as
//                   compose/craft.h's voice_leading() decides them (doublings excepted;
//                   crossings between neighbouring bass and harmony parts inside a choir). Measure:
//                   violations per 100 onsets; score = exp(-(parallels per 100 / 5 + crossings per
//                   100 / 20)).
//   ranges          notes outside their instrument's playable range (music::Instrument), and
//                   outside its comfortable range as a softer count; score = 1 / (1 + outside)
//                   x (1 - 0.5 uncomfortable share).
//   likelihood      the melody's mean information content in bits per note under the melody
//                   model (lower is more idiomatic); score = clamp(1 - (bits - 2) / 4, 0, 1), so
//                   2 bits (chorale-like) is 1 and 6 bits 0.
//
//   orchestration   (craft.h 1-3) the melody audible: its share covered by the accompaniment
//                   (goal <= 20%); the bass a foundation: the median lowest pitch in loud
//                   sections (goal <= E2); the register spread: the tutti's span there (90th
//                   percentile, goal >= 48 semitones).
//   harmony         (craft.h 4-7) colour (sevenths, ninths, suspensions, pedals) follows the
//                   tension curve (r >= 0.5); tonic and dominant at most half the chord time;
//                   no two chords back and forth more than 4 times; at most 2 unprepared clashes
//                   per 100 melody notes, each named where it is.
//   rhythm          the accompaniment's bar patterns recur with variation (identity >= 50% of
//                   bars, exact copies of the bar before <= 75%); syncopation (an off-beat
//                   onset accented or held across the beat) in >= 10% of the bars; no onset off
//                   the 16th and triplet grids (8) and no note shorter than a 32nd (9).
//   form            the melody breathes (a rest of a beat or a note of two beats) at least
//                   every 8 bars; its highest note within 2 bars of the tension's peak; the
//                   ending closes (11); the bars outside the theme's statements develop its
//                   cells (10; >= 30%).
//                   Each of these four scores the mean of its judged parts, each part 1 at its
//                   goal and falling linearly to 0 at a bound named in docs/composing.md
//                   ("Craft measures"); rhythm's off-grid and short-note parts (goal 0) multiply
//                   that mean instead. Their measure is the share of their goals met (count of
//                   of).
// A critic that cannot judge (no hits, no emotion curve, no melody model, no themes asked for)
// says so in its reason and is left out of the total (judged = false).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "compose/score.h"
#include "model/emotion_model.h"
#include "model/mvs.h"
#include "music/theme.h"
#include "spot/cue.h"
#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::compose {

enum class CriticKind {
  sync,
  emotion,
  tension,
  themes,
  voice_leading,
  ranges,
  likelihood,
  orchestration,
  harmony,
  rhythm,
  form,
};
inline constexpr int kCriticCount = 11;
std::string_view to_string(CriticKind kind);  // "sync", "emotion", "tension", "themes",
                                              // "voice-leading", "ranges", "likelihood",
                                              // "orchestration", "harmony", "rhythm", "form"

struct CriticResult {
  CriticKind kind = CriticKind::sync;
  bool judged = false;  // false: the critic had nothing to judge (see reasons); no score
  double score = 0;     // 0..1, 1 best
  double measure = 0;   // the raw measure (see unit)
  std::string unit;     // "hard hits landed", "bits per note", "violations per 100 onsets"...
  // Counts behind the measure where it has them: sync hard hits landed / hard hits; emotion
  // sections in the target quadrant / sections estimated; voice leading violations (parallels +
  // crossings) / onsets; ranges notes outside / notes; themes found / asked; orchestration,
  // harmony, rhythm and form goals met / judged.
  int count = 0;
  int of = 0;
  std::vector<std::string> reasons;
};

// A use of a theme found by the caller (for instance with music::find_theme in a composer's own
// MIDI, where the Score records no ThemeUse).
struct FoundTheme {
  std::string theme;
  std::string part;
  time::BeatPos at;
  double recognisability = 0;  // 0..1
};

struct CriticOptions {
  // How far a hit may land from its time (the project's hit tolerance, frames at its rate).
  time::TimeDur hit_tolerance = time::TimeDur(time::kSuperclockPerSecond / 24);
  time::FrameRate rate = time::FrameRate::fps24();     // the picture's, for errors in frames
  const model::EmotionModel* emotion_model = nullptr;  // null: model::default_emotion_model()
  // How the reasons name the models: the emotion model's file ("" for the shipped default,
  // named with its fingerprint) and the melody model's ("" names none).
  std::string emotion_model_name;
  std::string melody_model_name;
  // Tension and likelihood need it; without it they are not judged. predict() grows the model's
  // pitch domain, so the critics copy it (a const model is never changed).
  const model::MelodyModel* melody_model = nullptr;
  std::vector<FoundTheme> found_themes;
  // The melodies of the themes the cue tags, for the form critic's development (craft.h 10)
  // alongside the score's own ThemeUse statements.
  std::vector<music::Melody> theme_melodies;
};

struct Critique {
  std::vector<CriticResult> critics;  // one per CriticKind, in enum order
  const CriticResult& get(CriticKind kind) const { return critics[static_cast<std::size_t>(kind)]; }
};

// Each critic alone (the cue's times are film times; the score's tempo map places its notes on
// the film).
CriticResult critic_sync(const Score& score, const spot::Cue& cue, const CriticOptions& options);
CriticResult critic_emotion(const Score& score, const spot::Cue& cue, const CriticOptions& options);
CriticResult critic_tension(const Score& score, const spot::Cue& cue, const CriticOptions& options);
CriticResult critic_themes(const Score& score, const spot::Cue& cue, const CriticOptions& options);
CriticResult critic_voice_leading(const Score& score);
CriticResult critic_ranges(const Score& score);
CriticResult critic_likelihood(const Score& score, const CriticOptions& options);
CriticResult critic_orchestration(const Score& score);
CriticResult critic_harmony(const Score& score, const spot::Cue& cue);
CriticResult critic_rhythm(const Score& score);
CriticResult critic_form(const Score& score, const spot::Cue& cue, const CriticOptions& options);

// Every critic. Fails when the score has no notes (nothing to judge).
base::Result<Critique> critique(const Score& score, const spot::Cue& cue,
                                const CriticOptions& options = {});

// The melody part the melody critics read: the part with Role::melody (the first), else the
// non-percussion part with the highest mean pitch; nullptr when there is none.
const Part* melody_part(const Score& score);

// The melody as the sequence model reads it: one note per onset (the highest when several start
// together), each cut at the next onset, with its bar position and meter from the tempo map.
model::Melody melody_of(const Part& part, const time::TempoMap& map);

// Where the themes are heard in a score that records no ThemeUse (a composer's own MIDI): for
// each theme, music::find_theme in every non-percussion part (each read as one line, its highest
// note per onset), the best window kept when its recognisability is at least `threshold`.
struct NamedTheme {
  std::string name;
  music::Melody melody;
};
std::vector<FoundTheme> find_themes(const Score& score, const std::vector<NamedTheme>& themes,
                                    double threshold = 0.5);

// "bar 5 beat 3" (the beat counted in the meter's beat, the tick left out).
std::string bar_beat(const time::TempoMap& map, time::BeatPos at);

}  // namespace duet::compose
