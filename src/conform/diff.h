// The difference between two cuts of a film: where each piece of picture went, as a change list
// (what an editor did) and a map from old record time to new (what the music must follow).
//
// Material is traced by its source: a shot of the old cut and a shot of the new one that show the
// same frames of the same reel (after M2 speed changes) are the same picture, wherever they sit on
// the record side. During a dissolve or wipe the outgoing shot goes on under the incoming one, so
// adding or removing a transition moves nothing. Material shown twice is resolved by the longest
// consistent match: runs that keep the same offset across shots are placed first, longest first,
// then shorter ones in what is left (greedy tiling). Slips of one or two frames, a trim that rolls
// a cut point or a shot slid inside its place without changing the film's length, are healed:
// the map goes straight through them and they are counted, not listed.
//
// Units: frame numbers on the record timeline (frame 0 is timecode 00:00:00:00 at the cut's rate,
// as picture::Cut::time_of counts them); ranges are half-open [in, out).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "picture/cut.h"
#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::conform {

// One straight piece of the map: old record frames [old_in, old_out) play at new record frames
// [new_in, new_out), spread evenly (the lengths differ only where a speed change stretched the
// material).
struct Segment {
  std::int64_t old_in = 0;
  std::int64_t old_out = 0;
  std::int64_t new_in = 0;
  std::int64_t new_out = 0;
  std::int64_t old_length() const { return old_out - old_in; }
  std::int64_t new_length() const { return new_out - new_in; }
  // new_in - old_in: how far the material moved, in frames (meaningful for equal lengths).
  std::int64_t offset() const { return new_in - old_in; }
  friend bool operator==(const Segment&, const Segment&) = default;
};

// Where one old frame or time went.
struct Mapped {
  std::int64_t frame = 0;  // the new record frame (for a removed frame: where the gap closed)
  bool removed = false;    // the old picture there is not in the new cut
};

// The map from old record time to new: the kept segments in old order. Between them the old
// picture was removed; a removed frame maps to where its gap now is (the join of a lift, or the
// same place in what replaced it).
class TimeMap {
 public:
  TimeMap() = default;
  // `removed`: the old frames whose picture is gone ([in, out) pairs); other frames outside the
  // segments (black, gaps in the old cut) are not called removed.
  TimeMap(std::vector<Segment> segments, std::vector<std::pair<std::int64_t, std::int64_t>> removed,
          time::FrameRate rate);

  const std::vector<Segment>& segments() const { return segments_; }
  const time::FrameRate& rate() const { return rate_; }

  // Where an old record frame is in the new cut.
  Mapped map_frame(std::int64_t old_frame) const;
  // Where an old timeline position is: its frame mapped, the part of a frame after the frame's
  // start kept as it was (a removed position keeps none).
  struct MappedTime {
    time::TimePos at;
    bool removed = false;
  };
  MappedTime map(time::TimePos old_position) const;
  // True when the old frames [first, last) play in the new cut exactly as before, one after the
  // other with the same spacing (moved as a block, or not at all), and `offset` receives how far
  // they moved in frames.
  bool moves_as_block(std::int64_t first, std::int64_t last, std::int64_t* offset) const;

 private:
  bool is_removed(std::int64_t old_frame) const;
  std::vector<Segment> segments_;  // sorted by old_in, not overlapping on either side
  std::vector<std::pair<std::int64_t, std::int64_t>> removed_;  // sorted, disjoint
  std::vector<std::int64_t> new_ins_;                           // the segments' new_in, sorted
  time::FrameRate rate_ = time::FrameRate::fps24();
};

enum class ChangeKind {
  remove,   // picture taken out: whole shots lifted (old range, new: where the gap closed)
  insert,   // picture that was not in the old cut (new range; old: where it went in)
  trim,     // a shot made shorter at its head or tail (old range removed from it)
  extend,   // a shot made longer at its head or tail (new range added to it)
  replace,  // picture swapped for other picture of the same length (old and new range)
  move,     // picture kept but played elsewhere, out of its old order (old and new range)
  speed,    // picture kept at a changed speed (M2): old and new ranges of different lengths
};
std::string_view to_string(ChangeKind kind);  // "remove", "insert", "trim", ...

struct Change {
  ChangeKind kind = ChangeKind::remove;
  std::int64_t old_in = 0;  // old record frames; old_in == old_out for an insert/extend
  std::int64_t old_out = 0;
  std::int64_t new_in = 0;  // new record frames; new_in == new_out for a remove/trim
  std::int64_t new_out = 0;
  std::string reel;   // the source reel of the material ("" when the range spans several)
  int old_event = 0;  // the event numbers of the shots involved (0 when none or several)
  int new_event = 0;
  friend bool operator==(const Change&, const Change&) = default;
};

struct DiffOptions {
  // Slips of at most this many frames that leave the film's length unchanged are healed.
  std::int64_t heal_frames = 2;
};

struct CutDiff {
  time::FrameRate rate = time::FrameRate::fps24();
  std::vector<Change> changes;  // by new position, then old
  TimeMap map;
  int healed = 0;                   // slips healed (not listed as changes)
  std::int64_t old_first = 0;       // the old cut's record span, frames
  std::int64_t old_last = 0;        //   (first frame, one past the last)
  std::int64_t new_first = 0;       // the new cut's
  std::int64_t new_last = 0;        //
  std::int64_t frames_kept = 0;     // old frames that play in the new cut
  std::int64_t frames_removed = 0;  // old frames that do not
  std::int64_t frames_added = 0;    // new frames shown from material the old cut did not show
  bool unchanged() const {
    return changes.empty() && old_first == new_first && old_last == new_last;
  }
};

// Compares two cuts of one film. Fails when their rates differ ("the old cut is at 24 fps and the
// new one at 25 fps: ...") or either has no picture events.
base::Result<CutDiff> diff_cuts(const picture::Cut& old_cut, const picture::Cut& new_cut,
                                const DiffOptions& options = {});

}  // namespace duet::conform
