#include "time/tempo_map.h"

#include <algorithm>
#include <cmath>

#include "time/search.h"

namespace duet::time {
namespace {

using base::ErrorKind;
using base::make_error;

__extension__ typedef __int128 i128;  // __extension__: no -Wpedantic warning

// Superclock ticks per beat tick at 1 quarter per minute: 282,240,000 * 60 / 1,920.
constexpr std::int64_t kTimePerBeatTickAtOneQpm = kSuperclockPerSecond * 60 / kTicksPerQuarter;
static_assert(kTimePerBeatTickAtOneQpm * kTicksPerQuarter == kSuperclockPerSecond * 60);

constexpr long double kSuperclock = static_cast<long double>(kSuperclockPerSecond);
constexpr long double kTicksPerQuarterLD = static_cast<long double>(kTicksPerQuarter);

// round(n / d) with halves away from zero, d > 0.
std::int64_t round_div(i128 n, i128 d) {
  return static_cast<std::int64_t>(n >= 0 ? (2 * n + d) / (2 * d) : -((2 * -n + d) / (2 * d)));
}

std::int64_t round_ld(long double v) {
  return static_cast<std::int64_t>(std::llroundl(v));
}

}  // namespace

std::string_view to_string(Ramp ramp) {
  switch (ramp) {
    case Ramp::none:
      return "constant";
    case Ramp::linear_in_beats:
      return "ramp, linear in beats";
    case Ramp::linear_in_time:
      return "ramp, linear in time";
  }
  return "";
}

TempoMap::TempoMap() : TempoMap({{BeatPos(0), Tempo{}, Ramp::none}}, MeterMap(), TimePos(0)) {}

TempoMap TempoMap::constant(Tempo tempo, Meter meter, TimePos origin) {
  return TempoMap({{BeatPos(0), tempo, Ramp::none}},
                  MeterMap::create({{BeatPos(0), meter}}).value_or(MeterMap()), origin);
}

base::Result<TempoMap> TempoMap::create(std::vector<TempoChange> tempos, MeterMap meters,
                                        TimePos origin) {
  if (tempos.empty() || tempos.front().at != BeatPos(0)) {
    return make_error(ErrorKind::invalid_input,
                      "a tempo map needs a tempo at its start (bar 1, beat 0)");
  }
  for (std::size_t i = 0; i < tempos.size(); ++i) {
    const Rational qpm = tempos[i].tempo.quarters_per_minute();
    if (tempos[i].tempo.per_minute <= Rational(0) || tempos[i].tempo.note_value <= Rational(0) ||
        qpm < kMinQuartersPerMinute || qpm > kMaxQuartersPerMinute) {
      return make_error(ErrorKind::out_of_range, "tempo ", tempos[i].tempo.to_string(), " at ",
                        meters.bbt_at(tempos[i].at).to_string(), " is outside ",
                        kMinQuartersPerMinute.to_string(), " to ",
                        kMaxQuartersPerMinute.to_string(), " quarter notes per minute");
    }
    if (i > 0 && tempos[i].at <= tempos[i - 1].at) {
      return make_error(ErrorKind::invalid_input, "tempo changes must be in order: the change at ",
                        meters.bbt_at(tempos[i].at).to_string(), " does not come after the one at ",
                        meters.bbt_at(tempos[i - 1].at).to_string());
    }
  }
  if (tempos.back().ramp != Ramp::none) {
    return make_error(ErrorKind::invalid_input, "the ramp at ",
                      meters.bbt_at(tempos.back().at).to_string(),
                      " has no tempo to ramp to; add a tempo change where the ramp ends");
  }
  return TempoMap(std::move(tempos), std::move(meters), origin);
}

TempoMap::TempoMap(std::vector<TempoChange> tempos, MeterMap meters, TimePos origin)
    : changes_(std::move(tempos)), meters_(std::move(meters)), origin_(origin) {
  segments_.reserve(changes_.size());
  TimePos start = origin_;
  for (std::size_t i = 0; i < changes_.size(); ++i) {
    Segment s;
    s.start_beat = changes_[i].at;
    s.start_time = start;
    s.ramp = changes_[i].ramp;
    s.qpm = changes_[i].tempo.quarters_per_minute();
    s.q0 = s.qpm.to_long_double();
    s.q1 = s.q0;
    if (i + 1 < changes_.size()) {
      const std::int64_t ticks = (changes_[i + 1].at - changes_[i].at).ticks();
      s.length = static_cast<long double>(ticks) / kTicksPerQuarterLD;
      if (s.ramp != Ramp::none) {
        s.q1 = changes_[i + 1].tempo.quarters_per_minute().to_long_double();
        s.k = (s.q1 - s.q0) / s.length;
        // Duration in seconds of a linear-in-time ramp: L quarters at the mean tempo.
        const long double seconds = 120.0L * s.length / (s.q0 + s.q1);
        s.a = (s.q1 - s.q0) / seconds;
      }
      if (s.q1 == s.q0) s.ramp = Ramp::none;  // a ramp to the same tempo is constant: exact path
      start = start + TimeDur(offset_time(s, ticks));
    }
    segments_.push_back(s);
  }
}

std::int64_t TempoMap::offset_time(const Segment& s, std::int64_t ticks) {
  if (s.ramp == Ramp::none || ticks <= 0) {
    // Exact: ticks * 8,820,000 / qpm, with qpm = num / den.
    return round_div(i128{ticks} * kTimePerBeatTickAtOneQpm * s.qpm.den(), s.qpm.num());
  }
  const long double x = static_cast<long double>(ticks) / kTicksPerQuarterLD;  // quarters
  long double seconds = 0;
  if (s.ramp == Ramp::linear_in_beats) {
    // t = 60/k * ln(1 + k x / q0)
    seconds = 60.0L / s.k * std::log1pl(s.k * x / s.q0);
  } else {
    // x = (q0 t + a t^2 / 2) / 60, solved for t in the cancellation-free form.
    seconds = 120.0L * x / (s.q0 + std::sqrt(s.q0 * s.q0 + 120.0L * s.a * x));
  }
  return round_ld(seconds * kSuperclock);
}

std::int64_t TempoMap::offset_beats(const Segment& s, std::int64_t ticks) {
  if (s.ramp == Ramp::none || ticks <= 0) {
    return round_div(i128{ticks} * s.qpm.num(), i128{kTimePerBeatTickAtOneQpm} * s.qpm.den());
  }
  const long double t = static_cast<long double>(ticks) / kSuperclock;  // seconds
  long double quarters = 0;
  if (s.ramp == Ramp::linear_in_beats) {
    // x = q0/k * (exp(k t / 60) - 1)
    quarters = s.q0 / s.k * std::expm1l(s.k * t / 60.0L);
  } else {
    quarters = (s.q0 * t + s.a * t * t / 2.0L) / 60.0L;
  }
  return round_ld(quarters * kTicksPerQuarterLD);
}

std::size_t TempoMap::segment_for_beat(BeatPos position) const {
  return detail::last_at_or_before(segments_, position,
                                   [](const Segment& s) { return s.start_beat; });
}

std::size_t TempoMap::segment_for_time(TimePos time) const {
  return detail::last_at_or_before(segments_, time, [](const Segment& s) { return s.start_time; });
}

TimePos TempoMap::time_at(BeatPos position) const {
  const std::size_t i = segment_for_beat(position);
  const Segment& s = segments_[i];
  TimePos t = s.start_time + TimeDur(offset_time(s, (position - s.start_beat).ticks()));
  // Floating-point ramps: never step past the next segment's start (keeps the map monotonic).
  if (i + 1 < segments_.size()) t = std::min(t, segments_[i + 1].start_time);
  return t;
}

BeatPos TempoMap::beats_at(TimePos time) const {
  const std::size_t i = segment_for_time(time);
  const Segment& s = segments_[i];
  BeatPos b = s.start_beat + BeatDur(offset_beats(s, (time - s.start_time).ticks()));
  if (i + 1 < segments_.size()) b = std::min(b, segments_[i + 1].start_beat);
  return b;
}

base::Result<TimePos> TempoMap::time_at(const BBT& bbt) const {
  auto position = meters_.beats_at(bbt);
  if (!position) return position.error();
  return time_at(*position);
}

double TempoMap::quarters_per_minute_at(BeatPos position) const {
  const Segment& s = segments_[segment_for_beat(position)];
  const std::int64_t ticks = (position - s.start_beat).ticks();
  if (s.ramp == Ramp::none || ticks <= 0) return static_cast<double>(s.q0);
  if (s.ramp == Ramp::linear_in_beats) {
    return static_cast<double>(s.q0 + s.k * static_cast<long double>(ticks) / kTicksPerQuarterLD);
  }
  const long double t = static_cast<long double>(offset_time(s, ticks)) / kSuperclock;
  return static_cast<double>(s.q0 + s.a * t);
}

}  // namespace duet::time
