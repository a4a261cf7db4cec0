// How well a tempo map lands a cue's hit points: for each hit, the grid point it is measured
// against (the nearest point in time of the grid its landing asks for: a bar line, a beat of the
// meter, or a subdivision counted from the bar line), its bar|beat|tick and the error.
//
// This is the one place where errors are computed: the fitters (fit.h, fit_changes.h) report
// what check_hits says of the map they return, so every reported error is a recomputation
// through time::TempoMap::time_at.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>
#include "spot/cue.h"
#include "time/frame_rate.h"
#include "time/rational.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::sync {

struct HitError {
  std::size_t index = 0;  // position of the hit in the list given
  time::BeatPos target;   // the grid point the hit is measured against
  time::BBT bbt;          // bar|beat|tick of the target
  // Target time minus hit time, superclock ticks: positive means the music's grid point comes
  // after the picture's frame (the music is late).
  time::TimeDur error;
  double error_frames = 0;  // the same in frames of the picture rate
  double error_ms = 0;      // the same in milliseconds
  bool landed = false;      // |error| <= tolerance
};

struct CheckReport {
  std::vector<HitError> hits;  // one per hit, in the order given
  int hard_total = 0;
  int hard_landed = 0;
  int soft_total = 0;
  int soft_landed = 0;
  // Weights in thousandths (weights are rounded to 0.001 so that sums compare exactly).
  std::int64_t hard_weight_landed = 0;
  std::int64_t soft_weight_landed = 0;
  std::int64_t weight_total = 0;
  double rms_error_frames = 0;    // over all hits
  double worst_error_frames = 0;  // largest |error| over the hard hits (all hits when none)
  bool all_hard_landed() const { return hard_landed == hard_total; }
};

// A hit's weight in thousandths, from 1 to 10^9 (weights above a million count as a million).
std::int64_t weight_milli(double weight);

// A tolerance in frames (a rational: "0.5" is half a frame) as superclock ticks, rounded down.
time::TimeDur tolerance_ticks(const time::Rational& frames, const time::FrameRate& rate);

// The grid step of a landing under a meter, in beat ticks: the bar for a downbeat, the meter's
// beat for a beat, 7,680/n for a subdivision 1/n.
time::BeatDur landing_unit(const spot::Landing& land, const time::Meter& meter);

// The nearest grid point (in time) to `at` for `land` under `map`.
time::BeatPos nearest_target(const time::TempoMap& map, time::TimePos at,
                             const spot::Landing& land);

// Checks every hit against `map`. `tolerance` is in superclock ticks (see tolerance_ticks).
CheckReport check_hits(const std::vector<spot::HitPoint>& hits, const time::TempoMap& map,
                       const time::FrameRate& rate, time::TimeDur tolerance);

// How far another tempo map (a MIDI file's, placed on the film) strays from a cue's own over the
// cue: each bar line of `ours` inside [from, to] against the same bar|beat of `theirs`.
struct MapDrift {
  int bars = 0;         // bar lines compared
  int bars_off = 0;     // of them, apart by more than the tolerance (a meter change counts too)
  time::BBT first_off;  // the first bar that is off (valid when bars_off > 0)
  time::TimePos ours_at, theirs_at;  // where that bar falls under each map
  double worst_frames = 0;           // the largest gap, frames of the picture rate
  bool agree() const { return bars_off == 0; }
};

// Compares at most 100,000 bar lines (a cue of hours at a fast tempo); a bar that `theirs`
// cannot place (its meter has fewer beats) counts as off.
MapDrift compare_maps(const time::TempoMap& ours, const time::TempoMap& theirs, time::TimePos from,
                      time::TimePos to, const time::FrameRate& rate, time::TimeDur tolerance);

}  // namespace duet::sync
