// When no constant tempo lands every hard hit: the fewest tempo changes, each at a bar line and
// within a limit the composer sets (say ±8% of the tempo before it), that land them all.
//
// The search is a dynamic programme over the hard hits in time order, level by level in the
// number of changes (a breadth-first search, so the first level that lands every hard hit has
// the fewest changes). A state is a segment's start: the bar line (beat position and film time)
// where a tempo begins, the tempo before it, and the first hard hit it must land. From a state,
// the exact landing intervals of the next hard hits (the same intervals as fit.h, counted from
// the segment's bar line) are intersected hit after hit until the intersection is empty: the
// tempos left land the longest run of hits a constant tempo can land from there. Each interval of
// that intersection (nearest the tempo before first) gives a tempo, and each bar line between the
// last landed hit and the next hit gives a place for the next change. States with the same
// number of changes are ranked by how many hard hits they have landed, then by the sum of the
// tempo changes, and the best `beam` are kept. With meter_bars, a change may instead be one bar
// of another meter at the same tempo; with ramps, a ramp from the tempo before to a tempo q1
// reached some bars later (q1 from the exact monotone time of a ramp linear in beats, solved by
// bisection). docs/sync.md has the details and the costs.
#pragma once
#include <cstddef>
#include <string>
#include <vector>
#include "base/result.h"
#include "spot/cue.h"
#include "sync/check.h"
#include "sync/fit.h"
#include "time/rational.h"
#include "time/tempo_map.h"

namespace duet::sync {

struct ChangeOptions {
  // Rate, meter, start (the first downbeat), tempo range and tolerance; pickup and frame_clicks
  // are not used here.
  FitOptions fit;
  // Each change at most this fraction of the tempo before it (8/100: ±8%), > 0 and < 1.
  time::Rational max_change{8, 100};
  int max_changes = 8;    // levels of the search, 1..64
  std::size_t beam = 48;  // states kept per level
  // Also try, at a change's bar line, one bar of another meter (the cue's numerator ± 1 or 2
  // beats) at the same tempo, to move the bar lines after it; it counts as a change.
  bool meter_bars = false;
  // Also try, at a change's bar line, a ramp linear in beats (accelerando or ritardando) from the
  // tempo before to a tempo within ±max_change of it, reached at a later bar line (1 to 16 bars
  // on) and kept after it; it counts as one change.
  bool ramps = false;
};

struct ChangeFit {
  time::TempoMap map;  // constant segments, changes on bar lines; origin = the first downbeat
  int changes = 0;
  CheckReport check;   // every hit under `map`
  std::string reason;  // one line
};

// The map with the fewest changes that lands every hard hit, ranked among those by landed soft
// weight, then the smallest sum of tempo changes. Fails with ErrorKind::impossible and a
// sentence naming the two hard hits that conflict (and why) when no map within the limits
// does; fails with invalid_input or out_of_range for bad options (as fit_constant does).
base::Result<ChangeFit> fit_changes(const std::vector<spot::HitPoint>& hits,
                                    const ChangeOptions& options);

}  // namespace duet::sync
