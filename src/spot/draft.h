// Drafting a spotting from the picture: where music might start and stop, what it must hit, and
// the feeling it might carry, proposed from the cut, the motion, the light and the sound.
//
// A draft is a starting point for the composer, never a decision: every cue says why it was
// proposed, and merge_draft (merge.h) keeps whatever the composer changes afterwards.
//
// The method (docs/spotting.md gives the numbers):
//   1. Scenes are the shots of the editor's cut when there is one (its record timecodes), else
//      the cuts and dissolves the analysis found.
//   2. Each second of the film gets a feature vector: motion (log-scaled), brightness, colour
//      warmth, short-term loudness and whether someone speaks. Each shot averages its seconds.
//   3. The shots are split into runs of similar feeling by an optimal segmentation (dynamic
//      programming over the shot boundaries, least squares within a run, a penalty per run
//      relative to five minutes of the film, no run shorter than min_cue, longer than max_cue
//      only at a cost): each run is a candidate cue.
//   4. A run that is mostly dialogue and calm is left dry (no cue), as a spotting session
//      usually does; in a film of ten minutes or more, the runs that ask least for music are
//      left dry until music covers at most max_music_share of it; every other run is a cue.
//   5. Inside a cue, the cuts where the feeling changes most become hit points (hard and on a
//      downbeat when the change is large, soft on a beat otherwise), and sudden loud onsets
//      become accented hits. Dialogue windows come from the analysis. The emotion curve is drafted
//      from the picture: arousal from motion and loudness, valence from light and warmth,
//      tension from motion, darkness and loudness, keyframed every few seconds.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "picture/analysis.h"
#include "picture/cut.h"
#include "spot/cue.h"

namespace duet::spot {

struct DraftOptions {
  double min_cue_seconds = 12.0;  // no cue shorter than this (unless the film is)
  // Longer cues pay the split penalty again per max_cue_seconds past it, so that a long scene is
  // split at its strongest turn (a single shot longer than this stays whole).
  double max_cue_seconds = 300.0;
  // What a new cue must explain to be worth it: the segmentation's penalty per run, as a share
  // of the feature variance of split_reference_seconds of the film (the whole film when it is
  // shorter): higher gives fewer, longer cues. Relative to a stretch, not the whole film, so
  // cues grow in number with the film.
  double split_penalty = 0.15;
  double split_reference_seconds = 300.0;
  // A film at least this long (minutes) is scored over at most max_music_share of its length:
  // past it, the runs that ask least for music (calm, still, talked over) are left dry.
  double music_share_from_minutes = 10.0;
  double max_music_share = 0.75;
  // A run with at least this share of its time in dialogue and arousal below dry_arousal is left
  // without music.
  double dry_dialogue_share = 0.6;
  double dry_arousal = -0.3;
  // A cut inside a cue whose feature change (0..~1.5) reaches hard_hit_change is a hard hit on a
  // downbeat; from soft_hit_change a soft hit on a beat; smaller changes are not hits.
  double hard_hit_change = 0.35;
  double soft_hit_change = 0.15;
  double min_hit_gap_seconds = 2.0;  // of two hits closer than this, the stronger stays
  double onset_lu = 10.0;            // a rise of momentary loudness within 1 s that is a hit
  double emotion_step_seconds = 4.0;
};

// Why a cue (or a dry stretch) was proposed, in a composer's words.
struct DraftNote {
  time::TimePos start;
  time::TimePos end;
  bool cue = true;      // false: a stretch left dry
  std::string summary;  // "calm, dark, dialogue 45%: underscore that leaves the speech clear"
};

struct Draft {
  std::vector<Cue> cues;         // on the project timeline, with notes saying they are drafts
  std::vector<DraftNote> notes;  // one per run, in time order
  // How the scenes were found, and how the editor's cut and the picture agree.
  std::vector<std::string> remarks;
};

// Drafts a spotting. `film_start` is the timecode of the film's first frame at `rate` (the
// project's picture start, or the film's own timecode); all times in the result are on the
// project timeline (TimePos 0 = 00:00:00:00). `edl` may be null. Fails when the analysis holds no
// pictures or the cut and the film do not overlap.
base::Result<Draft> draft_spotting(const picture::FilmAnalysis& analysis, const picture::Cut* edl,
                                   const time::FrameRate& rate, const time::Timecode& film_start,
                                   const DraftOptions& options = {});

}  // namespace duet::spot
