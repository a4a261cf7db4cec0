// The conform page: two cuts of a film drawn one above the other, with the picture's moves
// between them, the change list, and (after a conform of a project) each cue before and after.
//
// Namespace duet::exporting (the directory is src/export, but `export` is a C++ keyword).
#pragma once

#include <string>
#include <vector>

#include "conform/diff.h"
#include "picture/cut.h"
#include "spot/cue.h"

namespace duet::exporting {

// One cue's conform, as the page shows it.
struct ConformedCue {
  spot::CueId id;
  std::string title;
  std::string fate;         // "unchanged", "moved", "re-fitted", "needs attention", "removed"
  std::int64_t old_in = 0;  // record frames, before and after (after: equal when removed)
  std::int64_t old_out = 0;
  std::int64_t new_in = 0;
  std::int64_t new_out = 0;
  std::vector<std::string> reasons;  // one sentence each
};

struct ConformPage {
  std::string title;  // "REEL 2 LOCK V1 → REEL 2 LOCK V2"
  std::string old_name;
  std::string new_name;
  picture::Cut old_cut;
  picture::Cut new_cut;
  conform::CutDiff diff;
  std::vector<ConformedCue> cues;  // empty for a diff of two lists alone
};

// A self-contained HTML page (no scripts, no outside files): the summary, an SVG of the old cut
// over the new one (shots as blocks: kept grey, removed red, new green, moved blue, with a band
// from each kept piece's old place to its new one), the cues' lanes when there are cues, and the
// change list as a table with timecodes and durations.
std::string conform_html(const ConformPage& page);

}  // namespace duet::exporting
