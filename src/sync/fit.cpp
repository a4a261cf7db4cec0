#include "sync/fit.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <numeric>
#include <tuple>
#include <utility>

#include "base/error.h"
#include "base/text.h"
#include "sync/fit_detail.h"
#include "time/timecode.h"

namespace duet::sync {

using namespace detail;

namespace {

using base::ErrorKind;
using base::make_error;
using time::BeatDur;
using time::BeatPos;
using time::Rational;
using time::TimeDur;
using time::TimePos;

struct Event {
  double key = 0;  // num / den, for a fast first comparison
  Q at;
  std::int32_t weight = 0;  // thousandths (weight_milli keeps it below 2^31)
  bool start = true;
  bool hard = true;
};

bool event_before(const Event& a, const Event& b) {
  // The double keys decide unless they are within rounding of each other; then the exact
  // comparison does. Starts come before ends at the same tempo: the intervals are closed.
  const double scale = std::max(std::fabs(a.key), std::fabs(b.key));
  if (a.key < b.key - 1e-9 * scale) return true;
  if (b.key < a.key - 1e-9 * scale) return false;
  const int c = compare(a.at, b.at);
  if (c != 0) return c < 0;
  return a.start && !b.start;
}

}  // namespace

namespace detail {

// The tempo intervals (merged, increasing) in which one hit lands, for a pickup of `pickup`
// beat ticks.
void hit_intervals(const Context& c, const HitGrid& h, std::int64_t pickup,
                   std::vector<Interval>& out) {
  out.clear();
  const std::int64_t low_t = h.tau - c.tol;
  const std::int64_t high_t = h.tau + c.tol;
  // Grid points x (beat ticks from the start) whose interval can meet [min, max].
  const i128 x_lo = low_t > 0 ? -floor_div128(-static_cast<i128>(c.min_q.num) * low_t,
                                              static_cast<i128>(c.min_q.den) * K)
                              : 0;
  const i128 x_hi =
      floor_div128(static_cast<i128>(c.max_q.num) * high_t, static_cast<i128>(c.max_q.den) * K);
  if (x_hi < x_lo) return;
  const std::int64_t b_lo = static_cast<std::int64_t>(x_lo) - pickup;
  const std::int64_t b_hi = static_cast<std::int64_t>(x_hi) - pickup;
  for (std::int64_t bar = floor_div(b_lo, c.bar); bar * c.bar <= b_hi; ++bar) {
    for (std::int64_t step = 0; step < c.bar; step += h.unit) {
      const std::int64_t b = bar * c.bar + step;
      if (b < b_lo) continue;
      if (b > b_hi) break;
      const std::int64_t x = b + pickup;
      // high_t is 0 only for a hit at the start with no tolerance: only x = 0 lands it.
      Q lo =
          high_t > 0 ? Q{x * K, high_t} : Q{x == 0 ? 0 : c.max_q.num + 1, x == 0 ? 1 : c.max_q.den};
      Q hi = low_t > 0 ? Q{x * K, low_t} : c.max_q;
      if (compare(lo, c.min_q) < 0) lo = c.min_q;
      if (compare(hi, c.max_q) > 0) hi = c.max_q;
      if (compare(lo, hi) > 0) continue;
      if (!out.empty() && compare(out.back().hi, lo) >= 0) {
        if (compare(hi, out.back().hi) > 0) out.back().hi = hi;
      } else {
        out.push_back(Interval{lo, hi});
      }
    }
  }
}

}  // namespace detail

namespace {

Score add(Score s, const Event& e, int sign) {
  (e.hard ? s.hard : s.soft) += sign * e.weight;
  return s;
}

// Sorts events into exact order in linear time: a least-significant-digit radix sort (two
// passes of 11 bits) on the double key quantised to 22 bits over the tempo range, then one
// insertion pass with the exact comparison, which orders the events that share a quantised key
// (a few per cent of them, each group a handful). The radix passes stream through memory, which
// is what makes this faster than a comparison sort at 10^5 events.
void sort_events(std::vector<Event>& events, std::vector<Event>& scratch, double low, double high) {
  const std::size_t n = events.size();
  if (n < 256) {
    std::sort(events.begin(), events.end(), event_before);
    return;
  }
  constexpr int kBits = 11;
  constexpr std::uint32_t kDigits = 1u << kBits;
  const double scale = static_cast<double>(1u << (2 * kBits)) / (high - low);
  const auto quantised = [&](double key) {
    const double q = (key - low) * scale;
    if (!(q > 0)) return std::uint32_t{0};
    return static_cast<std::uint32_t>(std::min(q, static_cast<double>((1u << (2 * kBits)) - 1)));
  };
  std::vector<std::uint32_t> counts(2 * kDigits + 2, 0);
  std::uint32_t* low_counts = counts.data();
  std::uint32_t* high_counts = counts.data() + kDigits + 1;
  for (const Event& e : events) {
    const std::uint32_t q = quantised(e.key);
    ++low_counts[(q & (kDigits - 1)) + 1];
    ++high_counts[(q >> kBits) + 1];
  }
  for (std::uint32_t d = 0; d < kDigits; ++d) {
    low_counts[d + 1] += low_counts[d];
    high_counts[d + 1] += high_counts[d];
  }
  scratch.resize(n);
  for (const Event& e : events)
    scratch[low_counts[quantised(e.key) & (kDigits - 1)]++] = e;
  for (const Event& e : scratch)
    events[high_counts[quantised(e.key) >> kBits]++] = e;
  for (std::size_t i = 1; i < n; ++i) {
    for (std::size_t j = i; j > 0 && event_before(events[j], events[j - 1]); --j) {
      std::swap(events[j], events[j - 1]);
    }
  }
}

// The sweep for one pickup: the best score, and (when `maxima` is given) the runs of equal
// score that are higher than both neighbouring runs, in increasing tempo.
Score sweep(const Context& c, std::int64_t pickup, std::vector<Run>* maxima) {
  std::vector<Event> events;
  std::vector<Event> scratch;
  std::vector<Interval> intervals;
  events.reserve(c.expected_intervals * 2);
  for (const HitGrid& h : c.grid) {
    hit_intervals(c, h, pickup, intervals);
    for (const Interval& iv : intervals) {
      events.push_back(Event{static_cast<double>(iv.lo.num) / static_cast<double>(iv.lo.den), iv.lo,
                             static_cast<std::int32_t>(h.weight), true, h.hard});
      events.push_back(Event{static_cast<double>(iv.hi.num) / static_cast<double>(iv.hi.den), iv.hi,
                             static_cast<std::int32_t>(h.weight), false, h.hard});
    }
  }
  sort_events(events, scratch, static_cast<double>(c.min_q.num) / static_cast<double>(c.min_q.den),
              static_cast<double>(c.max_q.num) / static_cast<double>(c.max_q.den));
  Score best;
  // The run being built, and the score of the run before it (a missing run lands nothing).
  Run current;
  bool have_current = false;
  Score before_current;
  auto push = [&](Q lo, bool lo_closed, Q hi, bool hi_closed, Score s) {
    if (have_current && current.score == s) {
      current.hi = hi;
      current.hi_closed = hi_closed;
      return;
    }
    if (have_current) {
      if (maxima != nullptr && before_current < current.score && s < current.score) {
        maxima->push_back(current);
      }
      before_current = current.score;
    }
    current = Run{lo, lo_closed, hi, hi_closed, s, pickup};
    have_current = true;
  };
  Score active;
  std::size_t i = 0;
  while (i < events.size()) {
    const Q at = events[i].at;
    Score starts;
    Score ends;
    std::size_t j = i;
    for (; j < events.size() && compare(events[j].at, at) == 0; ++j) {
      if (events[j].start) {
        starts = add(starts, events[j], 1);
      } else {
        ends = add(ends, events[j], 1);
      }
    }
    // The tempo `at` itself lands what was active, what starts there and what ends there.
    const Score point{active.hard + starts.hard, active.soft + starts.soft};
    best = std::max(best, point);
    push(at, true, at, true, point);
    active = Score{point.hard - ends.hard, point.soft - ends.soft};
    if (j < events.size()) push(at, false, events[j].at, false, active);
    i = j;
  }
  if (have_current && maxima != nullptr && before_current < current.score) {
    maxima->push_back(current);
  }
  return best;
}

}  // namespace

namespace detail {

bool inside(const Q& v, const Run& r) {
  const int lo = compare(v, r.lo);
  const int hi = compare(v, r.hi);
  return (lo > 0 || (lo == 0 && r.lo_closed)) && (hi < 0 || (hi == 0 && r.hi_closed));
}

// The simplest tempo of a run, for a composer: the decimal with the fewest places (whole BPM
// first) nearest the middle, looked for in the middle half of the run before the whole run, so
// that hits do not sit on the edge of the tolerance for the sake of a round number.
Rational representative(const Run& r) {
  if (compare(r.lo, r.hi) == 0) return Rational(r.lo.num, r.lo.den);
  const long double lo = static_cast<long double>(r.lo.num) / static_cast<long double>(r.lo.den);
  const long double hi = static_cast<long double>(r.hi.num) / static_cast<long double>(r.hi.den);
  const long double mid = (lo + hi) / 2;
  for (const long double margin : {(hi - lo) / 4, static_cast<long double>(0)}) {
    for (std::int64_t places = 1; places <= 1'000'000; places *= 10) {
      const long double scale = static_cast<long double>(places);
      const auto first = static_cast<std::int64_t>(std::ceil((lo + margin) * scale));
      const auto last = static_cast<std::int64_t>(std::floor((hi - margin) * scale));
      if (first > last) continue;
      auto k = static_cast<std::int64_t>(std::llround(mid * scale));
      k = std::clamp(k, first, last);
      for (const std::int64_t candidate : {k, first, last}) {
        if (inside(Q{candidate, places}, r)) return Rational(candidate, places);
      }
    }
  }
  // A run narrower than a millionth of a BPM: its mediant lies strictly inside.
  if (r.lo_closed) return Rational(r.lo.num, r.lo.den);
  if (r.hi_closed) return Rational(r.hi.num, r.hi.den);
  return Rational(r.lo.num + r.hi.num, r.lo.den + r.hi.den);
}

base::Result<Context> make_context(const std::vector<spot::HitPoint>& hits, const FitOptions& o) {
  if (hits.empty()) return make_error(ErrorKind::invalid_input, "there are no hit points to fit");
  if (o.min_qpm < Rational(1) || o.max_qpm > Rational(10000) || !(o.min_qpm < o.max_qpm)) {
    return make_error(ErrorKind::out_of_range, "the tempo range ", o.min_qpm.to_decimal(3), " to ",
                      o.max_qpm.to_decimal(3),
                      " BPM is not allowed; give a minimum below the maximum, within 1 to 10000");
  }
  if (o.tolerance_frames < Rational(0) || o.tolerance_frames > Rational(1000)) {
    return make_error(ErrorKind::out_of_range, "the tolerance of ",
                      o.tolerance_frames.to_decimal(3),
                      " frames is not allowed; give 0 to 1000 frames");
  }
  if (o.max_options == 0) {
    return make_error(ErrorKind::out_of_range, "ask for at least one option");
  }
  Context c;
  c.bar = o.meter.bar_length().ticks();
  c.tol = tolerance_ticks(o.tolerance_frames, o.rate).ticks();
  c.min_q = to_q(o.min_qpm);
  c.max_q = to_q(o.max_qpm);
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const spot::HitPoint& h = hits[i];
    if (h.at < o.start) {
      const auto tc = [&](TimePos t) { return time::label_at(t, o.rate); };
      return make_error(ErrorKind::invalid_input, "hit ", i + 1,
                        h.label.empty() ? std::string() : " ('" + h.label + "')", " at ", tc(h.at),
                        " comes before the cue's start at ", tc(o.start),
                        "; start the cue at or before its first hit");
    }
    const std::int64_t unit = landing_unit(h.land, o.meter).ticks();
    if (unit <= 0) {
      return make_error(ErrorKind::invalid_input, "hit ", i + 1, " has no landing grid");
    }
    // About (max − min) · τ / K beat ticks of grid points meet the range (reserve only).
    const Rational span =
        (o.max_qpm - o.min_qpm) * Rational(((h.at - o.start).ticks() + c.tol) / K + 1);
    c.expected_intervals += static_cast<std::size_t>(span.floor() / std::min(unit, c.bar)) + 2;
    c.grid.push_back(HitGrid{(h.at - o.start).ticks(), std::min(unit, c.bar),
                             weight_milli(h.weight), h.kind == spot::HitKind::hard});
  }
  return c;
}

}  // namespace detail

namespace {

std::vector<std::int64_t> pickups(const Context& c, const FitOptions& o) {
  std::vector<std::int64_t> out{0};
  if (!o.pickup) return out;
  // Pickups on the meter's beats and on every grid the hits use.
  std::int64_t step = std::gcd(c.bar, o.meter.beat_length().ticks());
  for (const HitGrid& h : c.grid)
    step = std::gcd(step, h.unit);
  for (std::int64_t p = step; p < c.bar; p += step)
    out.push_back(p);
  return out;
}

Score score_one(const Context& c, const Rational& q, std::int64_t pickup) {
  Score s;
  const i128 n = q.num();
  const i128 d = q.den();
  for (const HitGrid& h : c.grid) {
    // Beat ticks from the start to the hit at tempo q, rounded down.
    const i128 x_floor = floor_div128(static_cast<i128>(h.tau) * n, d * K);
    const i128 b = x_floor - pickup;
    const i128 bar = floor_div128(b, c.bar);
    const i128 bar_start = bar * c.bar;
    const i128 before = bar_start + ((b - bar_start) / h.unit) * h.unit;
    const i128 after = std::min(before + h.unit, bar_start + c.bar);
    bool landed = false;
    for (const i128 point : {before, after}) {
      const i128 x = point + pickup;
      if (x < 0) continue;
      const i128 t = x * K * d;  // time · n, superclock ticks
      if (n * (h.tau - c.tol) <= t && t <= n * (h.tau + c.tol)) landed = true;
    }
    if (landed) (h.hard ? s.hard : s.soft) += h.weight;
  }
  return s;
}

// "all 4 hard hits", "the hard hit", "3 of 4 soft hits", "none of the 2 soft hits".
std::string count_text(int landed, int total, const char* kind) {
  if (total == 0) return "";
  if (total == 1) return landed == 1 ? base::cat("the ", kind, " hit") : "";
  if (landed == total) {
    return total == 2 ? base::cat("both ", kind, " hits")
                      : base::cat("all ", total, " ", kind, " hits");
  }
  if (landed == 0) return "";
  return base::cat(landed, " of ", total, " ", kind, " hits");
}

std::string reason_for(const FitOption& o, const time::Meter& meter, double preferred_qpm) {
  const CheckReport& r = o.check;
  std::vector<std::string> lands;
  for (const auto& [landed, total, kind] : {std::tuple{r.hard_landed, r.hard_total, "hard"},
                                            std::tuple{r.soft_landed, r.soft_total, "soft"}}) {
    const std::string part = count_text(landed, total, kind);
    if (!part.empty()) lands.push_back(part);
  }
  std::string text = lands.empty() ? "lands no hit" : "lands " + lands[0];
  if (lands.size() > 1) text += " and " + lands[1];
  for (const auto& [landed, total, kind] : {std::tuple{r.hard_landed, r.hard_total, "hard"},
                                            std::tuple{r.soft_landed, r.soft_total, "soft"}}) {
    if (total > 0 && landed == 0) {
      text += base::cat(total == 1 ? "; misses the " : "; misses all the ", kind,
                        total == 1 ? " hit" : " hits");
    }
  }
  if (!r.all_hard_landed()) text += " (not every hard hit: a last resort)";
  if (!o.plausible) {
    text += base::cat(
        "; ",
        o.tempo.quarters_per_minute().to_double() > preferred_qpm ? "far faster" : "far slower",
        " than the preferred ", base::fixed(preferred_qpm, 0), " BPM");
  }
  if (o.click) {
    text += base::cat("; a ", o.click->first, "-", o.click->second, " frame click");
  } else if (o.plateau_low != o.plateau_high) {
    text += "; any tempo from " + o.plateau_low.to_decimal(3) + " to " +
            o.plateau_high.to_decimal(3) + " lands the same";
  }
  if (o.pickup > BeatDur(0)) {
    const Rational beats(o.pickup.ticks(), meter.beat_length().ticks());
    text += "; a pickup of " + beats.to_decimal(3) + (beats == Rational(1) ? " beat" : " beats");
  }
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "; worst hard error %.2f frames, RMS %.2f",
                r.worst_error_frames, r.rms_error_frames);
  return text + buffer;
}

// The tempo shown for a plateau. Within a plateau every landed hit keeps its grid point x, and
// its error x·K·u − τ is linear in u = 1/q, so the worst error over the landed hits is convex
// in u: a ternary search finds the tempo q* with the smallest worst error. The tempo shown is
// the one with the fewest decimals near q* (whole BPM first) that costs at most a tenth of a
// frame of worst error more than q*, inside the plateau; else the simplest decimal of the
// plateau (representative()).
Rational best_tempo(const Context& c, const Run& r, const time::FrameRate& rate) {
  if (compare(r.lo, r.hi) == 0) return Rational(r.lo.num, r.lo.den);
  const long double lo = static_cast<long double>(r.lo.num) / static_cast<long double>(r.lo.den);
  const long double hi = static_cast<long double>(r.hi.num) / static_cast<long double>(r.hi.den);
  const long double mid = (lo + hi) / 2;
  const long double k = static_cast<long double>(K);
  const long double tol = static_cast<long double>(c.tol);
  // The landed hits' grid points at the middle of the plateau.
  std::vector<std::pair<long double, long double>> landed;  // (x, tau)
  for (const HitGrid& h : c.grid) {
    const long double x_real =
        static_cast<long double>(h.tau) * mid / k - static_cast<long double>(r.pickup);
    const long double bar = static_cast<long double>(c.bar);
    const long double bar_start = std::floor(x_real / bar) * bar;
    const long double unit = static_cast<long double>(h.unit);
    const long double before = bar_start + std::floor((x_real - bar_start) / unit) * unit;
    const long double after = std::min(before + unit, bar_start + bar);
    for (const long double point : {before, after}) {
      const long double x = point + static_cast<long double>(r.pickup);
      if (x >= 0 && std::fabs(x * k / mid - static_cast<long double>(h.tau)) <= tol + 1) {
        landed.emplace_back(x, static_cast<long double>(h.tau));
        break;
      }
    }
  }
  if (landed.empty()) return representative(r);
  const auto worst = [&](long double q) {
    long double w = 0;
    for (const auto& [x, tau] : landed)
      w = std::max(w, std::fabs(x * k / q - tau));
    return w;
  };
  long double u_lo = 1 / hi, u_hi = 1 / lo;
  for (int i = 0; i < 64; ++i) {  // (2/3)^64: about 1e-11 of the plateau
    const long double a = u_lo + (u_hi - u_lo) / 3;
    const long double b = u_hi - (u_hi - u_lo) / 3;
    if (worst(1 / a) <= worst(1 / b)) {
      u_hi = b;
    } else {
      u_lo = a;
    }
  }
  const long double q_star = 2 / (u_lo + u_hi);
  const long double allowed =
      worst(q_star) + static_cast<long double>(rate.frame_duration().ticks()) / 10;
  for (std::int64_t places = 1; places <= 1000; places *= 10) {
    const auto n =
        static_cast<std::int64_t>(std::llround(q_star * static_cast<long double>(places)));
    if (!inside(Q{n, places}, r)) continue;
    if (worst(static_cast<long double>(n) / static_cast<long double>(places)) <= allowed) {
      return Rational(n, places);
    }
  }
  return representative(r);
}

struct Candidate {
  Rational qpm;
  Rational low;
  Rational high;
  std::int64_t pickup = 0;
  Score score;
  std::optional<std::pair<int, int>> click;
  Run run;  // the plateau (sweeps only): its representative tempo is chosen once it is kept
  bool plausible = true;  // some tempo of it is plausible (FitOptions::plausible_ratio_*)
};

}  // namespace

Score score_tempo(const std::vector<spot::HitPoint>& hits, const FitOptions& options,
                  const Rational& qpm, BeatDur pickup) {
  auto c = make_context(hits, options);
  if (!c) return {};
  return score_one(*c, qpm, pickup.ticks());
}

Score best_score(const std::vector<spot::HitPoint>& hits, const FitOptions& options) {
  auto c = make_context(hits, options);
  if (!c) return {};
  Score best;
  for (const std::int64_t p : pickups(*c, options))
    best = std::max(best, sweep(*c, p, nullptr));
  return best;
}

Score scan_best_score(const std::vector<spot::HitPoint>& hits, const FitOptions& options,
                      const Rational& step) {
  auto c = make_context(hits, options);
  if (!c) return {};
  Score best;
  for (const std::int64_t p : pickups(*c, options)) {
    for (Rational q = options.min_qpm; q <= options.max_qpm; q += step) {
      best = std::max(best, score_one(*c, q, p));
    }
  }
  return best;
}

bool plausible_tempo(double qpm, const FitOptions& options) {
  const double preferred = std::max(options.preferred_qpm, 1.0);
  if (options.plausible_ratio_down > 0 && qpm < preferred / options.plausible_ratio_down)
    return false;
  return !(options.plausible_ratio_up > 0 && qpm > preferred * options.plausible_ratio_up);
}

base::Result<std::vector<FitOption>> fit_constant(const std::vector<spot::HitPoint>& hits,
                                                  const FitOptions& options) {
  auto context = make_context(hits, options);
  if (!context) return context.error();
  const Context& c = *context;
  const std::size_t keep = std::max<std::size_t>(8 * options.max_options, 40);

  std::vector<Candidate> candidates;
  if (options.frame_clicks) {
    // Beat period (8F + k) / 8 frames: q = 480 · fps / N with N = 8F + k eighths of a frame.
    const Rational fps = options.rate.fps();
    const Rational top = Rational(480) * fps;
    const std::int64_t n_first = std::max<std::int64_t>(1, (top / options.max_qpm).floor());
    const std::int64_t n_last = (top / options.min_qpm).floor() + 1;
    for (std::int64_t n = n_first; n <= n_last; ++n) {
      const Rational q = top / Rational(n);
      if (q < options.min_qpm || q > options.max_qpm) continue;
      for (const std::int64_t p : pickups(c, options)) {
        const Score s = score_one(c, q, p);
        if (s.hard + s.soft == 0) continue;
        candidates.push_back(Candidate{
            q, q, q, p, s, std::pair<int, int>{static_cast<int>(n / 8), static_cast<int>(n % 8)},
            Run{}, true});
      }
    }
  } else {
    // Plateaus higher than both neighbours (a missing neighbour lands nothing).
    std::vector<Run> maxima;
    for (const std::int64_t p : pickups(c, options))
      sweep(c, p, &maxima);
    for (const Run& r : maxima) {
      // The exact ends become Rationals (a gcd each) only for the candidates kept below.
      candidates.push_back(Candidate{Rational(0), Rational(0), Rational(0), r.pickup, r.score,
                                     std::nullopt, r, true});
    }
  }
  // The best scores first; only these get a full check through a tempo map.
  // Hard weight, then a plateau that reaches a plausible tempo, then soft weight (the ranking's
  // first keys), so that plausible options are among those kept.
  const auto reaches_plausible = [&](const Candidate& k) {
    if (k.click) return plausible_tempo(k.qpm.to_double(), options);
    const auto value = [](const Q& q) {
      return static_cast<double>(q.num) / static_cast<double>(q.den);
    };
    const double lo = value(k.run.lo), hi = value(k.run.hi);
    return plausible_tempo(lo, options) || plausible_tempo(hi, options) ||
           (lo < options.preferred_qpm && options.preferred_qpm < hi);
  };
  for (Candidate& k : candidates)
    k.plausible = reaches_plausible(k);
  const auto by_score = [](const Candidate& a, const Candidate& b) {
    if (a.score.hard != b.score.hard) return a.score.hard > b.score.hard;
    if (a.plausible != b.plausible) return a.plausible;
    return b.score < a.score;
  };
  if (candidates.size() > keep) {
    std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                     candidates.end(), by_score);
    candidates.resize(keep);
  }

  const TimeDur tol(c.tol);
  std::vector<FitOption> result;
  for (Candidate& k : candidates) {
    if (!k.click) {
      k.qpm = best_tempo(c, k.run, options.rate);
      k.low = Rational(k.run.lo.num, k.run.lo.den);
      k.high = Rational(k.run.hi.num, k.run.hi.den);
    }
    const time::Tempo tempo = time::Tempo::quarters_per_minute(k.qpm);
    const TimeDur pickup_time =
        time::TempoMap::constant(tempo, options.meter).time_at(BeatPos(k.pickup)) - TimePos(0);
    FitOption o{time::TempoMap::constant(tempo, options.meter, options.start + pickup_time),
                tempo,
                k.low,
                k.high,
                BeatDur(k.pickup),
                k.click,
                {},
                true,
                {}};
    o.check = check_hits(hits, o.map, options.rate, tol);
    result.push_back(std::move(o));
  }
  // Ranking (docs/sync.md): every hard hit first, then landed hard weight, a tempo plausible for
  // the cue, landed soft weight, RMS error in steps of a tenth of a frame, nearer the preferred
  // tempo, a clearly wider plateau (relative), smaller RMS error, a slower tempo.
  const auto width = [](const FitOption& o) {
    // In doubles: the ends' denominators (superclock ticks) need not share factors, and their
    // exact difference can outgrow 64 bits.
    return (o.plateau_high.to_double() - o.plateau_low.to_double()) / o.plateau_low.to_double();
  };
  // Widths are compared in steps of 25% (log-scale bins, so that the order stays a strict weak
  // order): multiples of one tempo differ only by rounding in their relative widths, and that
  // must not decide between them.
  const auto width_step = [&](const FitOption& o) {
    const double w = width(o);
    return w > 0 ? static_cast<long>(std::floor(std::log(w) / std::log(1.25))) : LONG_MIN;
  };
  // Errors a tenth of a frame apart sound alike: the preferred tempo decides between them.
  const auto error_step = [](const FitOption& o) {
    return static_cast<long>(std::floor(o.check.rms_error_frames * 10.0));
  };
  const double preferred = std::max(options.preferred_qpm, 1.0);
  const auto distance = [&](const FitOption& o) {
    return std::abs(std::log(o.tempo.quarters_per_minute().to_double() / preferred));
  };
  for (FitOption& o : result)
    o.plausible = plausible_tempo(o.tempo.quarters_per_minute().to_double(), options);
  std::stable_sort(result.begin(), result.end(), [&](const FitOption& a, const FitOption& b) {
    if (a.check.all_hard_landed() != b.check.all_hard_landed()) return a.check.all_hard_landed();
    if (a.check.hard_weight_landed != b.check.hard_weight_landed)
      return a.check.hard_weight_landed > b.check.hard_weight_landed;
    if (a.plausible != b.plausible) return a.plausible;
    if (a.check.soft_weight_landed != b.check.soft_weight_landed)
      return a.check.soft_weight_landed > b.check.soft_weight_landed;
    if (error_step(a) != error_step(b)) return error_step(a) < error_step(b);
    if (distance(a) != distance(b)) return distance(a) < distance(b);
    if (width_step(a) != width_step(b)) return width_step(a) > width_step(b);
    if (a.check.rms_error_frames != b.check.rms_error_frames)
      return a.check.rms_error_frames < b.check.rms_error_frames;
    return a.tempo.per_minute < b.tempo.per_minute;
  });
  std::vector<FitOption> out;
  for (FitOption& o : result) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const FitOption& p) {
      return p.tempo == o.tempo && p.pickup == o.pickup;
    });
    if (seen) continue;
    o.reason = reason_for(o, options.meter, options.preferred_qpm);
    out.push_back(std::move(o));
    if (out.size() == options.max_options) break;
  }
  return out;
}

}  // namespace duet::sync
