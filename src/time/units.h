// Integer time (DESIGN.md "Time is integer"). Two clocks, each with a position type and a
// duration type that do not convert into each other or into plain integers implicitly:
//
//   timeline:  TimePos / TimeDur, ticks of a superclock at 282,240,000 per second. Every common
//              frame period (including the 1001 rates) and sample period is a whole number of
//              ticks (Ardour's choice); int64 holds about 1,000 years.
//   musical:   BeatPos / BeatDur, ticks at 1,920 per quarter note (a 64th note is 120 ticks,
//              a quarter-note triplet 640, a 16th quintuplet 96).
//
// Conversions between the clocks go through a TempoMap (time_at / beats_at); conversions to
// seconds or frames through the explicit functions here and in frame_rate.h.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

#include "base/result.h"
#include "time/rational.h"

namespace duet::time {

inline constexpr std::int64_t kSuperclockPerSecond = 282'240'000;
inline constexpr std::int64_t kTicksPerQuarter = 1'920;

template <class Clock>
class Duration {
 public:
  constexpr Duration() = default;
  constexpr explicit Duration(std::int64_t ticks) : ticks_(ticks) {}
  constexpr std::int64_t ticks() const { return ticks_; }

  constexpr Duration operator-() const { return Duration(-ticks_); }
  constexpr Duration& operator+=(Duration d) {
    ticks_ += d.ticks_;
    return *this;
  }
  constexpr Duration& operator-=(Duration d) {
    ticks_ -= d.ticks_;
    return *this;
  }
  friend constexpr Duration operator+(Duration a, Duration b) {
    return Duration(a.ticks_ + b.ticks_);
  }
  friend constexpr Duration operator-(Duration a, Duration b) {
    return Duration(a.ticks_ - b.ticks_);
  }
  friend constexpr Duration operator*(Duration a, std::int64_t k) { return Duration(a.ticks_ * k); }
  friend constexpr Duration operator*(std::int64_t k, Duration a) { return Duration(a.ticks_ * k); }
  friend constexpr auto operator<=>(Duration, Duration) = default;

 private:
  std::int64_t ticks_ = 0;
};

template <class Clock>
class Position {
 public:
  using Dur = Duration<Clock>;
  constexpr Position() = default;
  constexpr explicit Position(std::int64_t ticks) : ticks_(ticks) {}
  constexpr std::int64_t ticks() const { return ticks_; }

  constexpr Position& operator+=(Dur d) {
    ticks_ += d.ticks();
    return *this;
  }
  constexpr Position& operator-=(Dur d) {
    ticks_ -= d.ticks();
    return *this;
  }
  friend constexpr Position operator+(Position p, Dur d) { return Position(p.ticks_ + d.ticks()); }
  friend constexpr Position operator+(Dur d, Position p) { return Position(p.ticks_ + d.ticks()); }
  friend constexpr Position operator-(Position p, Dur d) { return Position(p.ticks_ - d.ticks()); }
  friend constexpr Dur operator-(Position a, Position b) { return Dur(a.ticks_ - b.ticks_); }
  friend constexpr auto operator<=>(Position, Position) = default;

 private:
  std::int64_t ticks_ = 0;
};

struct SuperclockClock;
struct BeatClock;
using TimeDur = Duration<SuperclockClock>;
using TimePos = Position<SuperclockClock>;
using BeatDur = Duration<BeatClock>;
using BeatPos = Position<BeatClock>;

// ---- Seconds, at the edges only ----

// Exact seconds of a timeline duration or position (from the superclock origin).
inline Rational to_seconds(TimeDur d) {
  return Rational(d.ticks(), kSuperclockPerSecond);
}
inline Rational to_seconds(TimePos p) {
  return Rational(p.ticks(), kSuperclockPerSecond);
}
// Nearest tick to an exact number of seconds (halves away from zero).
inline TimeDur duration_from_seconds(const Rational& s) {
  return TimeDur(mul_div_round(s.num(), kSuperclockPerSecond, s.den()));
}
inline TimePos position_from_seconds(const Rational& s) {
  return TimePos(mul_div_round(s.num(), kSuperclockPerSecond, s.den()));
}
// Parses seconds as text ("3603.6", "12.5s", "1001/30000"), within ±100,000,000 s (three
// years), so that the result always fits the timeline.
base::Result<TimeDur> parse_seconds(std::string_view text);

inline double seconds(TimeDur d) {
  return static_cast<double>(d.ticks()) / static_cast<double>(kSuperclockPerSecond);
}
inline double seconds(TimePos p) {
  return static_cast<double>(p.ticks()) / static_cast<double>(kSuperclockPerSecond);
}

// Microseconds of a duration, for reporting small timing errors.
inline double microseconds(TimeDur d) {
  return static_cast<double>(d.ticks()) / (static_cast<double>(kSuperclockPerSecond) / 1e6);
}

// ---- Quarter notes ----
inline constexpr BeatDur quarters(std::int64_t n) {
  return BeatDur(n * kTicksPerQuarter);
}

}  // namespace duet::time
