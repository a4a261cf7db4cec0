// A tempo map: tempo (constant or ramped) and meter over musical time, anchored on the timeline,
// with exact conversions both ways. The formulas are in docs/tempo-math.md.
//
// Tempo changes sit at musical positions. A change with a ramp glides from its own tempo to the
// next change's tempo, reached exactly at the next change (Ardour's "ramp to next"):
//   linear_in_beats: tempo rises or falls by the same amount every beat (Ardour's ramps);
//   linear_in_time:  tempo rises or falls by the same amount every second (the way a conductor
//                    hears an accelerando, and what some DAWs draw).
// The last change cannot ramp (there is nothing to ramp to). Before the first change and after
// the last, the tempo is constant.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "time/meter_map.h"
#include "time/tempo.h"
#include "time/units.h"

namespace duet::time {

enum class Ramp { none, linear_in_beats, linear_in_time };
std::string_view to_string(Ramp ramp);

struct TempoChange {
  BeatPos at;
  Tempo tempo;
  Ramp ramp = Ramp::none;
  friend bool operator==(const TempoChange&, const TempoChange&) = default;
};

class TempoMap {
 public:
  TempoMap();  // 120 quarter notes per minute, 4/4, beat 0 at TimePos 0

  // Fails when there is no tempo change at BeatPos 0, positions do not strictly increase, a tempo
  // is out of range, or the last change ramps. `origin` is where beat 0 sits on the timeline
  // (the cue's start).
  static base::Result<TempoMap> create(std::vector<TempoChange> tempos, MeterMap meters = {},
                                       TimePos origin = TimePos(0));
  // One tempo and one meter throughout.
  static TempoMap constant(Tempo tempo, Meter meter = {}, TimePos origin = TimePos(0));

  const std::vector<TempoChange>& tempo_changes() const { return changes_; }
  const MeterMap& meters() const { return meters_; }
  TimePos origin() const { return origin_; }

  // Musical position -> timeline, rounded to the nearest superclock tick. Non-decreasing.
  TimePos time_at(BeatPos position) const;
  // Timeline -> musical position, rounded to the nearest beat tick. Non-decreasing, and
  // beats_at(time_at(b)) is b or within one tick of it.
  BeatPos beats_at(TimePos time) const;

  BBT bbt_at(BeatPos position) const { return meters_.bbt_at(position); }
  BBT bbt_at(TimePos time) const { return meters_.bbt_at(beats_at(time)); }
  base::Result<BeatPos> beats_at(const BBT& bbt) const { return meters_.beats_at(bbt); }
  base::Result<TimePos> time_at(const BBT& bbt) const;
  Meter meter_at(BeatPos position) const { return meters_.meter_at(position); }

  // Instantaneous tempo in quarter notes per minute (display only: ramps are not rational).
  double quarters_per_minute_at(BeatPos position) const;

  // Equal when the changes, meters and origin are (the segments follow from them).
  friend bool operator==(const TempoMap& a, const TempoMap& b) {
    return a.changes_ == b.changes_ && a.meters_ == b.meters_ && a.origin_ == b.origin_;
  }

 private:
  struct Segment {
    BeatPos start_beat;
    TimePos start_time;
    Ramp ramp;
    Rational qpm;            // at the start (exact)
    long double q0 = 0;      // quarters per minute at the start
    long double q1 = 0;      // ... at the end (ramps)
    long double length = 0;  // quarters to the next change (ramps)
    long double k = 0;       // linear_in_beats: qpm gained per quarter
    long double a = 0;       // linear_in_time: qpm gained per second
  };
  TempoMap(std::vector<TempoChange> tempos, MeterMap meters, TimePos origin);
  std::size_t segment_for_beat(BeatPos position) const;
  std::size_t segment_for_time(TimePos time) const;
  // Superclock ticks from a segment's start to `ticks` beat ticks into it.
  static std::int64_t offset_time(const Segment& s, std::int64_t ticks);
  // Beat ticks from a segment's start to `ticks` superclock ticks into it.
  static std::int64_t offset_beats(const Segment& s, std::int64_t ticks);

  std::vector<TempoChange> changes_;
  MeterMap meters_;
  TimePos origin_;
  std::vector<Segment> segments_;
};

}  // namespace duet::time
