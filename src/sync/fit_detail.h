// Internals shared by fit.cpp and fit_changes.cpp: exact tempo intervals and their plateaus.
// Not a public interface.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>
#include "base/result.h"
#include "spot/cue.h"
#include "sync/fit.h"
#include "time/rational.h"

namespace duet::sync::detail {

__extension__ typedef __int128 i128;  // __extension__: no -Wpedantic warning
using time::BeatDur;
using time::BeatPos;
using time::Rational;
using time::TimeDur;
using time::TimePos;

// Superclock ticks of one beat tick at one quarter note per minute: a beat tick lasts
// K / q superclock ticks at q quarters per minute (282,240,000 · 60 / 1,920).
constexpr std::int64_t K = 8'820'000;

// A non-negative rational num/den with den > 0, compared exactly on 128 bits.
struct Q {
  std::int64_t num = 0;
  std::int64_t den = 1;
};

inline int compare(const Q& a, const Q& b) {
  const i128 l = static_cast<i128>(a.num) * b.den;
  const i128 r = static_cast<i128>(b.num) * a.den;
  return l < r ? -1 : (l > r ? 1 : 0);
}

inline Q to_q(const time::Rational& r) {
  return Q{r.num(), r.den()};
}

inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

inline i128 floor_div128(i128 a, i128 b) {
  i128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct HitGrid {
  std::int64_t tau = 0;     // superclock ticks after the start
  std::int64_t unit = 0;    // grid step, beat ticks
  std::int64_t weight = 0;  // thousandths
  bool hard = true;
};

struct Interval {
  Q lo;
  Q hi;
};

struct Run {
  Q lo;
  bool lo_closed = true;
  Q hi;
  bool hi_closed = true;
  Score score;
  std::int64_t pickup = 0;
};

struct Context {
  std::vector<HitGrid> grid;
  std::int64_t bar = 0;  // bar length, beat ticks
  std::int64_t tol = 0;  // superclock ticks
  Q min_q;
  Q max_q;
  std::size_t expected_intervals = 0;  // about how many intervals all hits give, per pickup
};

// The tempo intervals (merged, increasing) in which one hit lands, for a pickup of `pickup`

// The tempo intervals (merged, increasing, within [min_q, max_q]) in which one hit lands, for a
// pickup of `pickup` beat ticks: the grid points are bar lines of c.bar plus multiples of
// h.unit, counted from the start (beat 0) minus the pickup.
void hit_intervals(const Context& c, const HitGrid& h, std::int64_t pickup,
                   std::vector<Interval>& out);

// The simplest tempo inside a run (see fit.cpp).
time::Rational representative(const Run& r);

// The grid of every hit relative to options.start, and the checked options.
base::Result<Context> make_context(const std::vector<spot::HitPoint>& hits, const FitOptions& o);

}  // namespace duet::sync::detail
