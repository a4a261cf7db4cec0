// Drafting without losing the composer's work.
//
// `duet spot` drafts cues from the picture; the composer then edits, deletes and adds cues. A
// later draft must never overwrite those edits. The rule:
//   - merge_draft stamps each drafted cue with a fingerprint: a hash of its content as drafted
//     (every field except the fingerprint itself).
//   - A cue whose content still hashes to its fingerprint is an untouched draft: a new draft may
//     replace or remove it.
//   - A cue without a fingerprint (the composer wrote it) or whose content no longer matches it
//     (the composer edited it) is kept, and its fingerprint is cleared: it is the composer's now.
//   - A new draft cue that overlaps a kept cue in time is trimmed to the part outside it when the
//     kept cue covers only its start or only its end and what is left is at least
//     MergeOptions::min_length; otherwise (the kept cue lies inside it or covers it, or the rest
//     would be too short) it is dropped. Trimming drops the hits and emotion keyframes outside
//     the new span, cuts dialogue windows at its edges and puts emotion keyframes on the new
//     edges with the curve's values there, so the trimmed draft still validates.
//   - A new draft cue whose id a kept cue already holds takes the next free letter (1M3 -> 1M3A).
// Every decision is in the report, one sentence per cue.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "spot/cue.h"

namespace duet::spot {

// 16 lower-case hex digits: FNV-1a (64-bit) over a canonical text of every field of the cue but
// draft_fingerprint. Stable across runs and machines (doubles enter by their bit patterns).
std::string fingerprint(const Cue& cue);

// True when the cue carries a fingerprint and its content still matches it.
bool is_untouched_draft(const Cue& cue);

// Who the cue belongs to, as the sheet, `duet show` and the board say it: "draft" (spotting's,
// untouched, so a new spotting may replace it), "edited draft" (spotting's, changed by the
// composer, so kept) or "composer" (the composer's own).
std::string_view cue_state(const Cue& cue);

struct MergeOptions {
  // Shortest trimmed draft cue worth keeping; shorter ones are dropped.
  time::TimeDur min_length = time::TimeDur(time::kSuperclockPerSecond);
};

struct MergeAction {
  enum class Kind {
    added,        // a new draft cue with no untouched draft of the same id before it
    replaced,     // an untouched draft cue replaced by the new draft of the same id
    unchanged,    // the new draft of this cue is identical to the untouched one
    removed,      // an untouched draft cue the new draft no longer proposes
    kept_own,     // the composer's cue (it never had a fingerprint), kept as it is
    kept_edited,  // a draft cue the composer edited, kept and now the composer's
    trimmed,      // a new draft cue shortened to stay clear of a kept cue
    dropped,      // a new draft cue dropped because it overlaps a kept cue
    renamed,      // a new draft cue renamed because a kept cue holds its id
  };
  Kind kind;
  CueId id;             // the cue's id in the result (for dropped: the drafted id)
  std::string message;  // one sentence
};
std::string_view merge_action_name(MergeAction::Kind kind);  // "added", "kept_edited"...

struct MergeResult {
  std::vector<Cue> cues;  // sorted by id
  std::vector<MergeAction> actions;
  // The untouched draft cues that left or changed (replaced or removed), as they were, so that
  // the project can keep them as versions.
  std::vector<Cue> superseded;
};

// Merges a new draft into the existing cues by the rule above. Fails, changing nothing, when the
// new draft itself does not validate (its problems are named) or uses one id twice.
base::Result<MergeResult> merge_draft(const std::vector<Cue>& existing,
                                      const std::vector<Cue>& new_draft,
                                      const MergeOptions& options = {});

}  // namespace duet::spot
