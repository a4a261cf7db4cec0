#include "sync/fit_changes.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "base/error.h"
#include "sync/fit_detail.h"
#include "time/timecode.h"

namespace duet::sync {

using namespace detail;

namespace {

using base::ErrorKind;
using base::make_error;

struct HardHit {
  std::size_t index = 0;  // in the caller's list
  TimePos at;
  HitGrid grid;  // tau is filled per segment
  spot::Landing land;
};

// A segment's start: a bar line where a tempo begins.
struct State {
  std::size_t next = 0;                    // first hard hit (in time order) this segment must land
  std::int64_t bar_beat = 0;               // beat ticks of the bar line (from the first downbeat)
  TimePos bar_time;                        // its film time
  std::optional<Rational> before;          // the tempo of the segment before (none for the first)
  std::vector<time::TempoChange> changes;  // the segments before this one
  double moved = 0;             // sum of |change| / tempo before, over the changes so far
  std::int64_t bar_number = 1;  // number of the bar that starts at bar_beat
  // Bars of another meter inserted so far (bar number, meter); the bar after each is in the
  // cue's meter again.
  std::vector<std::pair<std::int64_t, time::Meter>> odd_bars;
  // A place where only a ramp may start (ChangeOptions::ramps): a bar line inside the segment
  // before, which landed the hits up to here at `before`; `next` is the first hard hit at or
  // after it.
  bool ramp_only = false;
};

// The map of a finished search path: the tempo changes (a change to the same tempo, left by a
// meter bar, is dropped) and the meters.
base::Result<time::TempoMap> build_map(const std::vector<time::TempoChange>& changes,
                                       const std::vector<std::pair<std::int64_t, time::Meter>>& odd,
                                       const time::Meter& meter, TimePos origin) {
  std::vector<time::TempoChange> kept;
  for (const time::TempoChange& c : changes) {
    // A ramp's start keeps the tempo before it but must stay: it starts the glide.
    if (!kept.empty() && kept.back().tempo == c.tempo && kept.back().ramp == time::Ramp::none &&
        c.ramp == time::Ramp::none) {
      continue;
    }
    kept.push_back(c);
  }
  std::vector<std::pair<std::int64_t, time::Meter>> bars{{1, meter}};
  for (const auto& [bar, m] : odd) {
    if (bars.back().first == bar) bars.pop_back();
    bars.emplace_back(bar, m);
    bars.emplace_back(bar + 1, meter);
  }
  auto meters = time::MeterMap::from_bars(bars);
  if (!meters) return meters.error();
  return time::TempoMap::create(kept, *meters, origin);
}

// The meters of one odd bar to try: the cue's numerator ± 1 and ± 2 beats, same beat.
std::vector<time::Meter> odd_meters(const time::Meter& meter) {
  std::vector<time::Meter> out;
  for (const int d : {-1, 1, -2, 2}) {
    const int n = meter.numerator + d;
    if (n >= 1 && n <= 64) out.push_back(time::Meter{n, meter.denominator});
  }
  return out;
}

// Intersection of two increasing lists of closed intervals.
std::vector<Interval> intersect(const std::vector<Interval>& a, const std::vector<Interval>& b) {
  std::vector<Interval> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const Q lo = compare(a[i].lo, b[j].lo) >= 0 ? a[i].lo : b[j].lo;
    const Q hi = compare(a[i].hi, b[j].hi) <= 0 ? a[i].hi : b[j].hi;
    if (compare(lo, hi) <= 0) out.push_back(Interval{lo, hi});
    if (compare(a[i].hi, b[j].hi) < 0) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

// Ramps (ChangeOptions::ramps). A ramp starts at a bar line at the tempo before, q0, glides
// linearly in beats to q1 over `len` beat ticks, and q1 continues after it. The film time of
// grid point x (beat ticks after the ramp's bar line), in superclock ticks, is
//   x ≤ len:  (60 / k) · ln(1 + k·x_q / q0) seconds, k = (q1 − q0) / len_q per quarter
//   x > len:  time(len) + (x − len) · K / q1
// (docs/tempo-math.md). For x > 0 it strictly decreases as q1 grows, so the q1 that land a grid
// point within the tolerance are one interval, found by bisection. Doubles here only choose q1:
// the map's check (through TempoMap::time_at) decides what lands.
long double ramp_ticks(long double x, long double q0, long double q1, long double len) {
  constexpr long double kTicksPerSecond = 282'240'000.0L;
  const auto glide = [&](long double b) {
    const long double k = (q1 - q0) / (len / 1920.0L);
    const long double xq = b / 1920.0L;
    if (k == 0) return xq * 60.0L / q0 * kTicksPerSecond;
    return 60.0L / k * std::log1p(k * xq / q0) * kTicksPerSecond;
  };
  if (x <= len) return glide(x);
  return glide(len) + (x - len) * static_cast<long double>(K) / q1;
}

struct Span {
  double lo = 0;
  double hi = 0;
};

// The q1 in [a, b] for which grid point x lands within tol of tau (superclock ticks after the
// ramp's bar line), or nothing.
std::optional<Span> ramp_span(double x, double tau, double tol, double q0, double a, double b,
                              double len) {
  const auto t = [&](double q1) { return static_cast<double>(ramp_ticks(x, q0, q1, len)); };
  const double ta = t(a);
  const double tb = t(b);
  if (ta < tau - tol || tb > tau + tol) return std::nullopt;
  // t(q1) = target, t decreasing on [a, b].
  const auto solve = [&](double target) {
    double lo = a, hi = b;
    for (int i = 0; i < 80 && hi - lo > 1e-12 * hi; ++i) {
      const double mid = 0.5 * (lo + hi);
      if (t(mid) > target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  };
  const double lo = ta <= tau + tol ? a : solve(tau + tol);
  const double hi = tb >= tau - tol ? b : solve(tau - tol);
  if (lo > hi) return std::nullopt;
  return Span{lo, hi};
}

// Every q1 in [a, b] that lands hit g (its grid restarts at each bar line), merged, increasing.
std::vector<Span> ramp_spans(const HitGrid& g, std::int64_t bar, double tol, double q0, double a,
                             double b, double len) {
  const double tau = static_cast<double>(g.tau);
  const double kq = static_cast<double>(K);
  const double q_lo = std::min(q0, a);
  const double q_hi = std::max(q0, b);
  // Within the ramp and after it the tempo stays between q_lo and q_hi.
  const double x_lo = std::max(0.0, (tau - tol) * q_lo / kq - 1);
  const double x_hi = (tau + tol) * q_hi / kq + 1;
  std::vector<Span> spans;
  for (std::int64_t m = static_cast<std::int64_t>(x_lo) / bar; static_cast<double>(m * bar) <= x_hi;
       ++m) {
    for (std::int64_t j = 0; j < bar; j += g.unit) {
      const double x = static_cast<double>(m * bar + j);
      if (x < x_lo || x > x_hi) continue;
      if (auto s = ramp_span(x, tau, tol, q0, a, b, len)) spans.push_back(*s);
    }
  }
  std::sort(spans.begin(), spans.end(), [](const Span& l, const Span& r) { return l.lo < r.lo; });
  std::vector<Span> merged;
  for (const Span& s : spans) {
    if (!merged.empty() && s.lo <= merged.back().hi) {
      merged.back().hi = std::max(merged.back().hi, s.hi);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

std::vector<Span> intersect_spans(const std::vector<Span>& a, const std::vector<Span>& b) {
  std::vector<Span> out;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const double lo = std::max(a[i].lo, b[j].lo);
    const double hi = std::min(a[i].hi, b[j].hi);
    if (lo <= hi) out.push_back(Span{lo, hi});
    if (a[i].hi < b[j].hi) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

// The tempo with the fewest decimals (up to four) in the middle half of a span, else its middle
// to a millionth: the middle keeps the landed hits furthest from their tolerance's edges.
Rational simple_between(const Span& s) {
  const double mid = 0.5 * (s.lo + s.hi);
  const double w = s.hi - s.lo;
  std::int64_t scale = 1;
  for (int d = 0; d <= 4; ++d, scale *= 10) {
    const double v = std::round(mid * static_cast<double>(scale)) / static_cast<double>(scale);
    if (v >= s.lo + w / 4 && v <= s.hi - w / 4) {
      return Rational(std::llround(mid * static_cast<double>(scale)), scale);
    }
  }
  return Rational(std::llround(mid * 1e6), 1'000'000);
}

// "accelerando from 96 to 104 over bars 5–8" for a ramp from change `from` to change `to`.
std::string ramp_text(const time::TempoMap& map, const time::TempoChange& from,
                      const time::TempoChange& to) {
  const std::int64_t first = map.bbt_at(from.at).bar;
  const std::int64_t last = map.bbt_at(to.at).bar - 1;
  const bool faster = to.tempo.quarters_per_minute() > from.tempo.quarters_per_minute();
  return base::cat(faster ? "accelerando" : "ritardando", " from ", from.tempo.to_string(), " to ",
                   to.tempo.to_string(), " over ",
                   first == last ? base::cat("bar ", first) : base::cat("bars ", first, "–", last),
                   " (linear in beats)");
}

// What stopped the search at a hard hit, for the conflict report.
struct Stop {
  bool no_bar_line = false;  // no bar line between the last landed hit and this one
  bool no_tempo = false;     // from a bar line before it, no tempo within the limit lands it
};

std::string hit_name(const spot::HitPoint& h, std::size_t index, const time::FrameRate& rate) {
  std::string text = base::cat("hard hit ", index + 1);
  if (!h.label.empty()) text += " ('" + h.label + "')";
  return text + " at " + time::label_at(h.at, rate);
}

// "; the soft hit lands", "; all 3 soft hits land", "; 1 of 3 soft hits lands", "".
std::string soft_text(const CheckReport& c) {
  if (c.soft_total == 0) return "";
  if (c.soft_landed == c.soft_total) {
    return c.soft_total == 1 ? "; the soft hit lands"
                             : base::cat("; all ", c.soft_total, " soft hits land");
  }
  return base::cat("; ", c.soft_landed, " of ", c.soft_total, " soft hits ",
                   c.soft_landed == 1 ? "lands" : "land");
}

std::string percent(const Rational& r) {
  return (r * Rational(100)).to_decimal(2) + "%";
}

}  // namespace

base::Result<ChangeFit> fit_changes(const std::vector<spot::HitPoint>& hits,
                                    const ChangeOptions& options) {
  const FitOptions& fo = options.fit;
  auto context = make_context(hits, fo);
  if (!context) return context.error();
  if (!(options.max_change > Rational(0)) || !(options.max_change < Rational(1))) {
    return make_error(ErrorKind::out_of_range, "a tempo change limit of ",
                      percent(options.max_change),
                      " is not allowed; give more than 0% and less than 100%");
  }
  if (options.max_changes < 1 || options.max_changes > 64 || options.beam == 0) {
    return make_error(ErrorKind::out_of_range, "allow 1 to 64 tempo changes");
  }
  const Context& base_context = *context;
  std::vector<HardHit> hard;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (hits[i].kind != spot::HitKind::hard) continue;
    hard.push_back(HardHit{i, hits[i].at, base_context.grid[i], hits[i].land});
  }
  std::stable_sort(hard.begin(), hard.end(),
                   [](const HardHit& a, const HardHit& b) { return a.at < b.at; });
  if (hard.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "there are no hard hits: tempo changes are for landing hard hits");
  }
  const std::int64_t bar = base_context.bar;
  const time::TimeDur tol(base_context.tol);
  const Rational low_limit = Rational(1) - options.max_change;
  const Rational high_limit = Rational(1) + options.max_change;

  std::vector<State> level{State{0, 0, fo.start, std::nullopt, {}, 0, 1, {}}};
  std::size_t furthest = 0;  // the first hard hit no state got past
  std::map<std::size_t, Stop> stops;
  struct Done {
    time::TempoMap map;
    CheckReport check;
    double moved;
  };
  for (int changes = 0; changes <= options.max_changes && !level.empty(); ++changes) {
    std::vector<State> next_level;
    std::vector<Done> done;
    // A path that reaches the last hard hit: its map is built and checked through the tempo
    // map itself (rounding to superclock ticks can move a hit on the very edge of the
    // tolerance, and a ramp's end tempo is chosen in doubles); kept only if every hard hit lands.
    const auto keep_if_it_lands = [&](const std::vector<time::TempoChange>& changes_here,
                                      const State& s, double moved) {
      auto map = build_map(changes_here, s.odd_bars, fo.meter, fo.start);
      if (!map) return;
      CheckReport check = check_hits(hits, *map, fo.rate, tol);
      if (!check.all_hard_landed()) return;
      done.push_back(Done{std::move(*map), std::move(check), moved});
    };
    // From state s (whose tempo before is q0): a ramp over n bars to q1, then q1. For each n,
    // the q1 intervals of the hard hits from s.next on are intersected as far as they go; each
    // interval gives a q1 (at most two, nearest q0), and each bar line after the ramp's end and
    // the last landed hit, before the next hit, a place for the next change.
    const auto ramp_moves = [&](const State& s, const Context& c) {
      const Rational q0 = *s.before;
      const double q0d = q0.to_double();
      const double a = static_cast<double>(c.min_q.num) / static_cast<double>(c.min_q.den);
      const double b = static_cast<double>(c.max_q.num) / static_cast<double>(c.max_q.den);
      const double tol_d = static_cast<double>(base_context.tol);
      const double left = static_cast<double>((hard.back().at - s.bar_time).ticks());
      for (std::int64_t n = 1; n <= 16; ++n) {
        const double len = static_cast<double>(n * bar);
        std::vector<Span> feasible{Span{a, b}};
        std::size_t reach = s.next;
        while (reach < hard.size()) {
          HitGrid g = hard[reach].grid;
          g.tau = (hard[reach].at - s.bar_time).ticks();
          std::vector<Span> both =
              intersect_spans(feasible, ramp_spans(g, bar, tol_d, q0d, a, b, len));
          if (both.empty()) break;
          feasible = std::move(both);
          ++reach;
        }
        if (reach > s.next) {
          std::stable_sort(feasible.begin(), feasible.end(), [&](const Span& l, const Span& r) {
            const auto gap = [&](const Span& x) {
              return x.hi < q0d ? q0d - x.hi : (x.lo > q0d ? x.lo - q0d : 0.0);
            };
            return gap(l) < gap(r);
          });
          if (feasible.size() > 2) feasible.resize(2);
          for (const Span& span : feasible) {
            const Rational q1 = simple_between(span);
            if (q1 == q0 || q1 < Rational(c.min_q.num, c.min_q.den) ||
                q1 > Rational(c.max_q.num, c.max_q.den))
              continue;
            std::vector<time::TempoChange> changes_here = s.changes;
            changes_here.push_back(time::TempoChange{BeatPos(s.bar_beat),
                                                     time::Tempo::quarters_per_minute(q0),
                                                     time::Ramp::linear_in_beats});
            changes_here.push_back(time::TempoChange{BeatPos(s.bar_beat + n * bar),
                                                     time::Tempo::quarters_per_minute(q1),
                                                     time::Ramp::none});
            const double moved = s.moved + std::fabs(q1.to_double() / q0d - 1.0);
            if (reach == hard.size()) {
              keep_if_it_lands(changes_here, s, moved);
              continue;
            }
            auto meters = time::MeterMap::from_bars({{1, fo.meter}});
            if (!meters) continue;
            auto segment = time::TempoMap::create(
                {time::TempoChange{BeatPos(0), time::Tempo::quarters_per_minute(q0),
                                   time::Ramp::linear_in_beats},
                 time::TempoChange{BeatPos(n * bar), time::Tempo::quarters_per_minute(q1),
                                   time::Ramp::none}},
                *meters, s.bar_time);
            if (!segment) continue;
            const BeatPos last = nearest_target(*segment, hard[reach - 1].at, hard[reach - 1].land);
            // The next change comes after the ramp's end.
            const std::int64_t first_bar = std::max((last.ticks() + bar - 1) / bar, n + 1);
            std::vector<std::int64_t> bars;
            for (std::int64_t k = first_bar;; ++k) {
              if (segment->time_at(BeatPos(k * bar)) > hard[reach].at) break;
              bars.push_back(k);
            }
            if (bars.empty()) continue;
            std::vector<std::int64_t> chosen{bars.front()};
            if (bars.size() > 2) chosen.push_back(bars[bars.size() / 2]);
            if (bars.size() > 1) chosen.push_back(bars.back());
            for (const std::int64_t k : chosen) {
              next_level.push_back(State{reach, s.bar_beat + k * bar,
                                         segment->time_at(BeatPos(k * bar)), q1, changes_here,
                                         moved, s.bar_number + k, s.odd_bars});
            }
            furthest = std::max(furthest, reach);
          }
        }
        // Longer ramps would end after the last hard hit even at the fastest tempo.
        if (len * static_cast<double>(K) / b > left) break;
      }
    };
    for (const State& s : level) {
      // The tempos this segment may take.
      Context c = base_context;
      if (s.before) {
        const Rational lo = std::max(fo.min_qpm, *s.before * low_limit);
        const Rational hi = std::min(fo.max_qpm, *s.before * high_limit);
        if (hi < lo) continue;
        c.min_q = to_q(lo);
        c.max_q = to_q(hi);
      }
      if (options.ramps && s.before) {
        ramp_moves(s, c);
      }
      if (s.ramp_only) continue;
      // Intersect the landing intervals of the hard hits from s.next on, as far as they go.
      std::vector<Interval> feasible{Interval{c.min_q, c.max_q}};
      std::vector<Interval> one;
      std::size_t reach = s.next;
      while (reach < hard.size()) {
        HitGrid g = hard[reach].grid;
        g.tau = (hard[reach].at - s.bar_time).ticks();
        hit_intervals(c, g, 0, one);
        std::vector<Interval> both = intersect(feasible, one);
        if (both.empty()) break;
        feasible = std::move(both);
        ++reach;
      }
      if (reach == s.next) {
        stops[reach].no_tempo = true;
        furthest = std::max(furthest, reach);
        continue;
      }
      // A tempo from each interval, nearest the tempo before first (the widest first for the
      // first segment), at most four.
      std::vector<Rational> tempos;
      for (const Interval& iv : feasible) {
        tempos.push_back(representative(Run{iv.lo, true, iv.hi, true, Score{}, 0}));
      }
      if (s.before) {
        const Rational before = *s.before;
        std::stable_sort(tempos.begin(), tempos.end(), [&](const Rational& a, const Rational& b) {
          return std::fabs(a.to_double() - before.to_double()) <
                 std::fabs(b.to_double() - before.to_double());
        });
      }
      if (tempos.size() > 4) tempos.resize(4);
      for (const Rational& q : tempos) {
        const time::Tempo tempo = time::Tempo::quarters_per_minute(q);
        std::vector<time::TempoChange> changes_here = s.changes;
        changes_here.push_back(time::TempoChange{BeatPos(s.bar_beat), tempo, time::Ramp::none});
        const double moved =
            s.moved + (s.before ? std::fabs(q.to_double() / s.before->to_double() - 1.0) : 0.0);
        if (reach == hard.size()) {
          keep_if_it_lands(changes_here, s, moved);
          continue;
        }
        // Bar lines for the next change: at or after the last landed hit's grid point, at or
        // before the next hit.
        const time::TempoMap segment = time::TempoMap::constant(tempo, fo.meter, s.bar_time);
        const BeatPos last = nearest_target(segment, hard[reach - 1].at, hard[reach - 1].land);
        std::int64_t first_bar = (last.ticks() + bar - 1) / bar;
        if (first_bar < 1) first_bar = 1;
        std::vector<std::int64_t> bars;
        for (std::int64_t k = first_bar;; ++k) {
          if (segment.time_at(BeatPos(k * bar)) > hard[reach].at) break;
          bars.push_back(k);
        }
        if (options.ramps) {
          // A ramp may start at any bar line of this segment before the next hit (the last 12):
          // a drift often begins before the constant tempo stops landing.
          std::int64_t last_bar = 0;
          while (segment.time_at(BeatPos((last_bar + 1) * bar)) <= hard[reach].at)
            ++last_bar;
          for (std::int64_t k = std::max<std::int64_t>(1, last_bar - 11); k <= last_bar; ++k) {
            const TimePos at = segment.time_at(BeatPos(k * bar));
            std::size_t next = s.next;
            while (next < hard.size() && hard[next].at < at)
              ++next;
            State ramp_start{next,  s.bar_beat + k * bar, at,        q, changes_here,
                             moved, s.bar_number + k,     s.odd_bars};
            ramp_start.ramp_only = true;
            next_level.push_back(std::move(ramp_start));
          }
        }
        if (bars.empty()) {
          stops[reach].no_bar_line = true;
          furthest = std::max(furthest, reach);
          continue;
        }
        std::vector<std::int64_t> chosen{bars.front()};
        if (bars.size() > 2) chosen.push_back(bars[bars.size() / 2]);
        if (bars.size() > 1) chosen.push_back(bars.back());
        for (const std::int64_t k : chosen) {
          next_level.push_back(State{reach, s.bar_beat + k * bar, segment.time_at(BeatPos(k * bar)),
                                     q, changes_here, moved, s.bar_number + k, s.odd_bars});
          if (!options.meter_bars) continue;
          // Or one bar of another meter from bar line k, at the same tempo: the bar lines after
          // it move by the difference.
          for (const time::Meter& m : odd_meters(fo.meter)) {
            const std::int64_t end = k * bar + m.bar_length().ticks();
            const TimePos end_time = segment.time_at(BeatPos(end));
            if (end_time > hard[reach].at) continue;
            State next{reach, s.bar_beat + end,     end_time,  q, changes_here,
                       moved, s.bar_number + k + 1, s.odd_bars};
            next.odd_bars.emplace_back(s.bar_number + k, m);
            next_level.push_back(std::move(next));
          }
        }
        furthest = std::max(furthest, reach);
      }
    }
    if (!done.empty()) {
      std::stable_sort(done.begin(), done.end(), [&](const Done& a, const Done& b) {
        if (a.check.soft_weight_landed != b.check.soft_weight_landed)
          return a.check.soft_weight_landed > b.check.soft_weight_landed;
        // With ramps a step and a ramp may tie on changes: the smaller worst error wins.
        if (options.ramps && a.check.worst_error_frames != b.check.worst_error_frames)
          return a.check.worst_error_frames < b.check.worst_error_frames;
        if (a.moved != b.moved) return a.moved < b.moved;
        return a.check.rms_error_frames < b.check.rms_error_frames;
      });
      ChangeFit fit{std::move(done.front().map), changes, std::move(done.front().check), ""};
      std::string odd;
      const auto& meter_changes = fit.map.meters().changes();
      for (std::size_t i = 1; i < meter_changes.size(); ++i) {
        if (meter_changes[i].meter == fo.meter) continue;
        odd += base::cat(odd.empty() ? "; a bar of " : ", a bar of ",
                         meter_changes[i].meter.to_string(), " at bar ",
                         fit.map.bbt_at(meter_changes[i].at).bar);
      }
      std::string path;
      const auto& tcs = fit.map.tempo_changes();
      for (std::size_t i = 0; i < tcs.size(); ++i) {
        // A ramp's end is said with the ramp.
        if (i > 0 && tcs[i - 1].ramp != time::Ramp::none) continue;
        if (tcs[i].ramp != time::Ramp::none && i + 1 < tcs.size()) {
          path += base::cat(path.empty() ? "" : " | ", ramp_text(fit.map, tcs[i], tcs[i + 1]));
          continue;
        }
        if (!path.empty()) path += base::cat(" | bar ", fit.map.bbt_at(tcs[i].at).bar, ": ");
        path += tcs[i].tempo.to_string();
      }
      fit.reason = base::cat("lands all ", fit.check.hard_total, " hard hits with ", changes,
                             changes == 1 ? " change at a bar line" : " changes at bar lines",
                             " (tempo changes within ±", percent(options.max_change), ": ", path,
                             odd, ")", soft_text(fit.check));
      return fit;
    }
    // Keep the states that got furthest, then those that moved the tempo least; the ramp-only
    // places (which have landed fewer hits by construction) have a beam of their own.
    std::stable_sort(next_level.begin(), next_level.end(), [](const State& a, const State& b) {
      if (a.next != b.next) return a.next > b.next;
      return a.moved < b.moved;
    });
    std::vector<State> kept;
    std::size_t kept_steps = 0, kept_ramps = 0;
    for (State& s : next_level) {
      std::size_t& count = s.ramp_only ? kept_ramps : kept_steps;
      if (count == options.beam) continue;
      const bool same = std::any_of(kept.begin(), kept.end(), [&](const State& k) {
        return k.next == s.next && k.bar_beat == s.bar_beat && k.before == s.before &&
               k.odd_bars.size() == s.odd_bars.size() && k.ramp_only == s.ramp_only;
      });
      if (same) continue;
      kept.push_back(std::move(s));
      ++count;
    }
    level = std::move(kept);
  }

  // Nothing lands every hard hit: name the two hits where every attempt stopped.
  const std::string limits =
      base::cat("the search found no tempo map from ", fo.min_qpm.to_decimal(3), " to ",
                fo.max_qpm.to_decimal(3), " BPM with at most ", options.max_changes,
                options.ramps ? " changes (steps or ramps) of at most ±" : " changes of at most ±",
                percent(options.max_change), " that lands every hard hit");
  const HardHit& stuck = hard[furthest];
  if (furthest == 0) {
    return make_error(ErrorKind::impossible, limits, ": ",
                      hit_name(hits[stuck.index], stuck.index, fo.rate),
                      " lands at no tempo in the range with the first downbeat at ",
                      time::label_at(fo.start, fo.rate),
                      "; move the start, allow a pickup, or widen the range or the tolerance");
  }
  const HardHit& before = hard[furthest - 1];
  const Stop& why = stops[furthest];
  std::string reason;
  if (why.no_bar_line && !why.no_tempo) {
    reason =
        "no bar line falls between them at the tempos that land the hits before, so there "
        "is nowhere to change tempo";
  } else if (why.no_tempo) {
    reason = base::cat("after a change at a bar line between them, landing the later one needs ",
                       "a tempo more than ±", percent(options.max_change),
                       " from the one before (or outside the range)");
  } else {
    reason = base::cat("they need more than ", options.max_changes, " changes");
  }
  return make_error(ErrorKind::impossible, limits, ": ",
                    hit_name(hits[before.index], before.index, fo.rate), " and ",
                    hit_name(hits[stuck.index], stuck.index, fo.rate), " conflict: ", reason,
                    "; loosen the limit or the tolerance, or make one of them soft");
}

}  // namespace duet::sync
