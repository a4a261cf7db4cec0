// Re-edits with the truth known: a random cut of a film, and a new cut made from it by the edits
// an editor makes (trims, lifts, inserts, moves, shot swaps, dissolves added or removed, a shot
// replaced by another take, speed changes, one- and two-frame slips and rolls), together with
// where every old frame truly went. Conform is checked against it (tests, `duet conform
// generate`), and the demo re-cuts its film with it.
//
// Units: record frames, as in diff.h. The generator never shows one piece of material twice, so
// the truth is one answer per frame.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "picture/cut.h"
#include "time/frame_rate.h"

namespace duet::conform {

struct RandomCutOptions {
  std::uint64_t seed = 1;
  int shots = 60;
  time::FrameRate rate = time::FrameRate::fps24();
  std::int64_t first_frame = 86'400;  // 01:00:00:00 at 24 fps
  std::int64_t shortest = 24;         // shot lengths, frames
  std::int64_t longest = 240;
  double dissolves = 0.1;  // share of shots that begin with a dissolve
  double speeds = 0.05;    // share of shots at another speed (M2)
};

// A cut as an editor's list would give it: one reel per camera roll, every shot from fresh
// source with handles around it, some dissolves and speed changes.
picture::Cut random_cut(const RandomCutOptions& options);

enum class EditOp {
  trim_head,
  trim_tail,
  extend_head,
  extend_tail,
  lift,             // one to three shots taken out
  insert,           // a new shot (another reel) put in at a cut point
  move,             // a shot taken out and put in elsewhere
  swap,             // two neighbouring shots change places
  add_dissolve,     // a cut becomes a dissolve centred on it
  remove_dissolve,  // a dissolve becomes a cut at its centre
  replace,          // a shot replaced by another take of the same length (a reel change)
  speed,            // a shot played at double or half speed
  slip,             // a shot's source moved one or two frames, its place unchanged (healed)
  roll,             // a cut point moved one or two frames, the film's length unchanged (healed)
};
std::string_view to_string(EditOp op);
inline constexpr int kEditOpCount = 14;

struct ReeditOptions {
  std::uint64_t seed = 1;
  int edits = 3;  // how many edits to make
  // The edits to choose from (all when empty).
  std::vector<EditOp> ops;
};

struct Reedit {
  picture::Cut cut;                  // the new cut
  std::vector<std::string> applied;  // what was done, in order ("lift 2 shots at 01:00:12:04")
  std::vector<EditOp> ops;           // the same, as kinds
  // Where each old frame truly went: truth[f - old_first] is the new record frame showing the
  // same picture, or -1 when it is no longer shown. Old frames in black are -2 (not traced).
  std::int64_t old_first = 0;
  std::vector<std::int64_t> truth;
  // How far the traced answer may be from the truth, per old frame: 0, 1 inside a speed change
  // (rounding), the slip's frames inside a healed slip or roll.
  std::vector<std::int64_t> tolerance;
};

// Makes `options.edits` edits to `cut` (which must come from random_cut or keep its habits: one
// piece of material shown once). Edits that do not fit (a trim of a one-frame shot) are skipped
// and another is drawn.
base::Result<Reedit> reedit(const picture::Cut& cut, const ReeditOptions& options);

}  // namespace duet::conform
