// The writer's first stage: the plan of a cue. From the brief (the spotted cue, its themes, the
// composer's overrides and locks) and an approach, it decides everything the later stages write
// to, on the musical grid:
//   the tempo map   the cue's own (duet sync --apply), the locked score's, or one written here
//                   (each section's tempo from the emotion mapping and the approach, nudged so
//                   that the next hard hit falls on a downbeat), in the approach's meter;
//   sections        at the cue's start, at every hard hit and where the story turns; a hit's
//                   section starts on the coarsest grid point (bar, beat, eighth, sixteenth)
//                   within the hit tolerance of the hit, never at the hit's raw time, so that
//                   every note stays on the grid while the tempo map carries the hit to the
//                   picture; a turn starts on the nearest bar line;
//   keys            the cue's tonic (the composer's, the featured theme's, else one chosen by
//                   the cue id), each section's mode from the mapping, modulations up where the
//                   tension rises and down where it falls;
//   phrases         2, 4 or 8 bars (about ten seconds), alternating open (half cadence) and
//                   closed (authentic cadence) endings; a phrase ends before every dialogue
//                   line so that the melody breathes there instead of being cut;
//   the climax      of each section, where its tension peaks;
//   the hits        each with a treatment (stinger, tutti, colour change, drop-out, mark);
//   the groove      one rhythmic cell for the cue (3+3+2 and kin), from its arousal and tension;
//   registers       the melody's and, under it, the harmony's;
//   the ending      a held chord, a button, or open into a segue.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/approach.h"
#include "compose/brief.h"
#include "compose/emotion_map.h"
#include "compose/random.h"
#include "music/key.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::compose {

struct BeatSpan {
  time::BeatPos from, to;  // from < to
};

// How the music treats a hit (docs/composing.md, "Hits"):
//   stinger  an accented cut: a brass-and-percussion stab, prepared by a crescendo and a fill;
//   tutti    the music arrives louder: everyone enters on the hit, prepared by a rising line;
//   colour   an unaccented cut: the harmony and the orchestration change on it;
//   dropout  the music falls away: a crescendo cut off, quiet after the hit;
//   mark     a soft hit: a chord change or an accent lands on it.
enum class HitTreatment { stinger, tutti, colour, dropout, mark };
std::string_view to_string(HitTreatment treatment);

struct PlannedHit {
  time::BeatPos at;  // on the grid
  std::string label;
  bool hard = true;
  bool accent = false;
  HitTreatment treatment = HitTreatment::mark;
  std::string reason;
};

enum class Cadence { open, half, authentic };

struct Phrase {
  time::BeatPos at, end;
  std::size_t section = 0;
  int index = 0;  // in its section, from 0
  Cadence cadence = Cadence::authentic;
  bool before_dialogue = false;  // a dialogue line starts where it ends
};

// A bar-long rhythmic cell in sixteenths: the groove's onsets and which of them are accented
// (the starts of its groups). "3+3+2" in 4/4 eighths is onsets {0, 6, 12} accented, the rest of
// the eighths unaccented.
struct Groove {
  std::string name;            // "3+3+2"
  int sixteenths = 16;         // the bar's length in sixteenths
  std::vector<int> onsets;     // sixteenths from the bar's start, ascending
  std::vector<int> accents;    // the group starts, a subset of onsets
  bool in_sixteenths = false;  // the ostinato runs in sixteenths (else eighths)
};

struct PlannedSection {
  time::BeatPos at, end;
  std::string label;   // "A", "B" ...
  std::string reason;  // "hard hit 'door slams'", "the story turns (...)"
  MusicalControls controls;
  spot::Emotion emotion;  // the target at its middle
  double intensity = 0;   // 0..1: how much orchestra it asks for (arousal and tension)
  int tonic = 0;          // pitch class
  music::Mode mode = music::Mode::major;
  bool at_hard_hit = false;
  std::optional<std::size_t> theme;       // index into the brief's themes, stated at its start
  int melody_low = 67, melody_high = 81;  // the melody's register (MIDI)
  time::BeatPos climax;                   // where its tension peaks (a bar line)
};

enum class CueEnding { held, button, open };
std::string_view to_string(CueEnding ending);

struct CuePlan {
  Approach approach = Approach::lyrical;
  time::TempoMap tempo_map;  // origin = the cue's start on the film timeline
  time::BeatPos begin, end;  // the music's span on the map
  std::vector<PlannedSection> sections;
  std::vector<Phrase> phrases;  // by time, covering [begin, end) except dialogue gaps
  std::vector<PlannedHit> hits;
  std::vector<BeatSpan> dialogue;  // windows widened to whole ticks around the speech
  Groove groove;
  CueEnding ending = CueEnding::held;
  time::BeatPos final_chord;  // the strong beat the final chord starts on
  std::vector<std::string> log;

  // ---- the grid (the tempo map's meters) ----
  time::BeatPos bar_start(time::BeatPos at) const;
  time::BeatDur bar_length(time::BeatPos at) const;
  time::BeatDur beat_length(time::BeatPos at) const;  // a dotted quarter in 6/8, 9/8, 12/8
  // Metric weight of a position: 3 the downbeat, 2 the bar's middle (or a compound beat), 1 a
  // beat, 0 an off-beat eighth, -1 anything finer.
  int metric_weight(time::BeatPos at) const;
  bool strong(time::BeatPos at) const { return metric_weight(at) >= 2; }

  // ---- where things are ----
  const PlannedSection& section_at(time::BeatPos at) const;
  std::size_t section_index(time::BeatPos at) const;
  const Phrase* phrase_at(time::BeatPos at) const;  // nullptr in a dialogue gap
  bool in_dialogue(time::BeatPos from, time::BeatPos to) const;
  // The start of the first dialogue window that begins in [from, to), if any.
  std::optional<time::BeatPos> dialogue_start_in(time::BeatPos from, time::BeatPos to) const;
  double tension_at(time::BeatPos at) const;  // the cue's curve at that beat's time
  // The tension at a beat relative to the cue's own range (0 its calmest, 1 its tensest), or the
  // tension itself when the curve is nearly flat (a range under 0.1).
  double relative_tension(time::BeatPos at) const;
  double tension_low = 0, tension_high = 0;     // over the cue
  double intensity_at(time::BeatPos at) const;  // the section's intensity
  const PlannedHit* hit_at(time::BeatPos at) const;
  // The next hit at or after `at` (hard or accented), nullptr when none.
  const PlannedHit* next_hit(time::BeatPos at) const;

  const spot::Cue* cue = nullptr;  // the brief's cue (the plan does not outlive the brief)
};

// Makes the plan. Fails (out_of_range) when the cue's out is not after its in, the cue is shorter
// than one beat at its tempo, or an override is out of range.
base::Result<CuePlan> plan_cue(const CueBrief& brief, Approach approach, Rng& rng);

// The intensity (0..1) a feeling asks of the orchestra: 0.55 of the arousal (as 0..1) and 0.45
// of the tension.
double intensity_of(const spot::Emotion& e);

}  // namespace duet::compose
