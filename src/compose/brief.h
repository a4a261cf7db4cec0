// What the cue writer is asked to write (CueBrief), with what (WriterModels), and what it tells
// about what it did (WriterNotes). Shared by the writer's stages (plan, harmony, lines,
// orchestration) and by the faces that fill a brief from a project.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compose/approach.h"
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
  // The way to score the scene (approach.h); absent: the approach that fits the scene best.
  std::optional<Approach> approach = std::nullopt;
  // How far from its hit a section's first beat may sit when it is put on the musical grid (the
  // project's hit tolerance). The tempo map carries the hit to the picture; the notes stay on
  // the grid (a sixteenth or coarser).
  time::TimeDur hit_tolerance = time::TimeDur(time::kSuperclockPerSecond / 24);
  // The next cue starts where this one ends: end open, on the dominant, instead of a cadence.
  bool segue = false;
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
  Approach approach = Approach::lyrical;
  std::string approach_reason;   // why this approach, for this scene
  int chords_from_model = 0;     // chords sampled from the chord model's distribution
  int chords_from_table = 0;     // from the table of functional and modal moves
  int cadences = 0;              // cadences written (phrase ends, hits, the end)
  int melody_from_model = 0;     // melody notes whose pitch the melody model weighed
  int melody_from_rules = 0;     // from motif development and weighted steps
  int melody_from_themes = 0;    // from theme variants
  int voicing_fallbacks = 0;     // chords whose voicing search found no rule-abiding voicing
  std::vector<std::string> log;  // one line per decision worth telling ("section B at hit ...")
};

}  // namespace duet::compose
