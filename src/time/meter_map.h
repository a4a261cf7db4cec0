// Where the bars are: meter changes on the musical timeline, and bar|beat|tick positions.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/result.h"
#include "time/tempo.h"
#include "time/units.h"

namespace duet::time {

struct MeterChange {
  BeatPos at;  // where the new meter's first bar starts
  Meter meter;
  friend bool operator==(const MeterChange&, const MeterChange&) = default;
};

// Meter changes in order. Each change starts a new bar. A change placed where the previous
// meter's bar has not finished cuts that bar short (MIDI files do this; the bar keeps its number
// and is shorter); changes placed by bar number never do. Bar 1 starts at BeatPos 0, and
// positions before it continue the first meter backwards (bar 0 is a pickup bar).
class MeterMap {
 public:
  MeterMap();  // 4/4 throughout

  // Fails when the list is empty, the first change is not at BeatPos 0, or positions do not
  // strictly increase.
  static base::Result<MeterMap> create(std::vector<MeterChange> changes);
  // Meter changes by bar number (1-based, strictly increasing). Without a change at bar 1 the
  // map starts in 4/4.
  static base::Result<MeterMap> from_bars(const std::vector<std::pair<std::int64_t, Meter>>& bars);

  const std::vector<MeterChange>& changes() const { return changes_; }

  Meter meter_at(BeatPos position) const;
  BBT bbt_at(BeatPos position) const;
  // Fails when the beat or tick is outside the bar's meter, or the bar was cut short by a
  // meter change before that beat.
  base::Result<BeatPos> beats_at(const BBT& bbt) const;
  // Start of a bar (any bar number: bars before 1 and after the last change continue the
  // nearest meter).
  BeatPos bar_start(std::int64_t bar) const;

  // Equal when the changes are (the segments follow from them).
  friend bool operator==(const MeterMap& a, const MeterMap& b) { return a.changes_ == b.changes_; }

 private:
  struct Segment {
    BeatPos start;
    std::int64_t first_bar;  // number of the bar that starts at `start`
    Meter meter;
  };
  explicit MeterMap(std::vector<MeterChange> changes);
  std::size_t segment_for_beat(BeatPos position) const;
  std::size_t segment_for_bar(std::int64_t bar) const;

  std::vector<MeterChange> changes_;
  std::vector<Segment> segments_;
};

}  // namespace duet::time
