#include "conform/refit.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <variant>

#include "base/text.h"
#include "midi/timing.h"
#include "sync/check.h"
#include "time/timecode.h"

namespace duet::conform {

namespace {

using time::BeatDur;
using time::BeatPos;
using time::Rational;
using time::TimeDur;
using time::TimePos;

// Superclock ticks per minute over beat ticks per quarter: qpm = beats * this / time.
constexpr std::int64_t kQpmFactor = time::kSuperclockPerSecond * 60 / time::kTicksPerQuarter;

std::string tc(TimePos p, const time::FrameRate& rate) {
  return time::nearest_label(p, rate);
}

std::string seconds_text(std::int64_t frames, const time::FrameRate& rate) {
  return base::fixed((Rational(frames < 0 ? -frames : frames) / rate.fps()).to_double(), 3) + " s";
}

// The new position of a cue's end (exclusive): the end of its last frame, mapped.
TimeMap::MappedTime map_end(const TimeMap& map, TimePos end) {
  const time::FrameRate& rate = map.rate();
  const TimePos frame_start = time::time_of_frame(time::frame_at(end, rate), rate);
  if (end != frame_start) return map.map(end);
  const Mapped last = map.map_frame(time::frame_at(end, rate) - 1);
  // A removed last frame ends where its gap closed; a kept one ends after its new frame.
  return {time::time_of_frame(last.frame + (last.removed ? 0 : 1), rate), last.removed};
}

// The part of a segment from old frame a to old frame b (inside it).
Segment sub_segment(const Segment& s, std::int64_t a, std::int64_t b) {
  auto at = [&](std::int64_t x) {
    if (s.old_length() == s.new_length()) return s.new_in + (x - s.old_in);
    return s.new_in + time::mul_div_floor(x - s.old_in, s.new_length(), s.old_length());
  };
  return {a, b, at(a), b == s.old_out ? s.new_out : at(b)};
}

std::int64_t first_frame(TimePos p, const time::FrameRate& rate) {
  return time::frame_at(p, rate);
}
// One past the last frame a span ending at `end` (exclusive) touches.
std::int64_t end_frame(TimePos end, const time::FrameRate& rate) {
  return time::frame_at(end - TimeDur(1), rate) + 1;
}

void shift(spot::Cue& cue, TimeDur by) {
  cue.in += by;
  cue.out += by;
  for (auto& h : cue.hits)
    h.at += by;
  for (auto& d : cue.dialogue) {
    d.start += by;
    d.end += by;
  }
  for (auto& k : cue.emotion.keys)
    k.at += by;
  if (cue.tempo_map) {
    auto moved = time::TempoMap::create(cue.tempo_map->tempo_changes(), cue.tempo_map->meters(),
                                        cue.tempo_map->origin() + by);
    if (moved) cue.tempo_map = *moved;
  }
}

// The cut's changes that touch a cue: its old span [a, b) on the old timeline, or its new span
// [na, nb) on the new one (picture moved in from elsewhere), frames.
std::vector<const Change*> changes_inside(const CutDiff& diff, std::int64_t a, std::int64_t b,
                                          std::int64_t na, std::int64_t nb) {
  std::vector<const Change*> out;
  for (const Change& c : diff.changes) {
    const bool old_side =
        c.old_out > c.old_in ? (c.old_in < b && a < c.old_out) : (c.old_in > a && c.old_in < b);
    const bool new_side = c.new_out > c.new_in && c.new_in < nb && na < c.new_out;
    if (old_side || new_side) out.push_back(&c);
  }
  return out;
}

std::string change_text(const Change& c, const CutDiff& diff) {
  const time::FrameRate& rate = diff.rate;
  auto at = [&](std::int64_t f) { return tc(time::time_of_frame(f, rate), rate); };
  const std::int64_t old_len = c.old_out - c.old_in;
  const std::int64_t new_len = c.new_out - c.new_in;
  switch (c.kind) {
    case ChangeKind::remove:
    case ChangeKind::trim:
      return std::string(c.kind == ChangeKind::trim ? "picture trimmed" : "picture removed") +
             " at " + at(c.old_in) + " (" + seconds_text(old_len, rate) + ")";
    case ChangeKind::insert:
    case ChangeKind::extend:
      return std::string(c.kind == ChangeKind::extend ? "a shot lengthened" : "picture added") +
             " at " + at(c.new_in) + " (" + seconds_text(new_len, rate) + ")";
    case ChangeKind::replace:
      return "picture replaced at " + at(c.old_in) + " (" + seconds_text(old_len, rate) + ")";
    case ChangeKind::move:
      return "picture moved from " + at(c.old_in) + " to " + at(c.new_in) + " (" +
             seconds_text(old_len, rate) + ")";
    case ChangeKind::speed:
      return "picture at another speed at " + at(c.old_in) + " (" + seconds_text(old_len, rate) +
             " now " + seconds_text(new_len, rate) + ")";
  }
  return "picture changed";
}

// The tempo in force at `b` on `map`, as a constant tempo (a ramp's tempo at that point).
time::Tempo tempo_at(const time::TempoMap& map, BeatPos b) {
  const auto& changes = map.tempo_changes();
  const time::TempoChange* in_force = &changes.front();
  for (const auto& c : changes) {
    if (c.at <= b) in_force = &c;
  }
  if (in_force->ramp == time::Ramp::none) return in_force->tempo;
  const double qpm = map.quarters_per_minute_at(b);
  return time::Tempo::quarters_per_minute(Rational(std::llround(qpm * 1000.0), 1000));
}

struct Anchor {
  BeatPos old_beat;
  TimePos old_time;  // where it was on the old cut (exact: a beat tick is coarser than a frame)
  TimePos new_time;
};

// The first old frame in [a, b) where the map breaks (picture removed, moved or added after it),
// or nullopt when [a, b) plays as one piece.
std::optional<std::int64_t> first_break(const TimeMap& map, std::int64_t a, std::int64_t b) {
  for (const Segment& s : map.segments()) {
    if (s.old_out <= a) continue;
    if (s.old_in > a) return a;  // [a, s.old_in) was removed
    return s.old_out < b ? std::optional<std::int64_t>(s.old_out) : std::nullopt;
  }
  return a < b ? std::optional<std::int64_t>(a) : std::nullopt;
}

// Where a cue now plays. Its picture mapped piece by piece; when every piece keeps its order the
// cue runs from its in to its out mapped. When some of its picture moved out of order, the cue
// follows the longest chain of its pieces that kept their order, from the first to the last; the
// pieces that moved away are named in `away` (old frames).
struct CueSpan {
  TimeMap::MappedTime in;
  TimeMap::MappedTime out;
  std::vector<std::pair<std::int64_t, std::int64_t>> away;
};

CueSpan new_span(const spot::Cue& cue, const CutDiff& diff) {
  const time::FrameRate& rate = diff.rate;
  CueSpan span{diff.map.map(cue.in), map_end(diff.map, cue.out), {}};
  const std::int64_t a = first_frame(cue.in, rate);
  const std::int64_t b = end_frame(cue.out, rate);
  std::vector<Segment> pieces;
  for (const Segment& s : diff.map.segments()) {
    const std::int64_t lo = std::max(a, s.old_in);
    const std::int64_t hi = std::min(b, s.old_out);
    if (lo < hi) pieces.push_back(sub_segment(s, lo, hi));
  }
  // The heaviest chain in order on the new side.
  const std::size_t n = pieces.size();
  std::vector<std::int64_t> best(n);
  std::vector<std::ptrdiff_t> from(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    best[i] = pieces[i].old_length();
    for (std::size_t j = 0; j < i; ++j) {
      if (pieces[j].new_out <= pieces[i].new_in && best[j] + pieces[i].old_length() > best[i]) {
        best[i] = best[j] + pieces[i].old_length();
        from[i] = static_cast<std::ptrdiff_t>(j);
      }
    }
  }
  if (n == 0) return span;
  std::vector<bool> in_chain(n, false);
  std::size_t count = 0;
  for (auto at = std::max_element(best.begin(), best.end()) - best.begin(); at >= 0;
       at = from[static_cast<std::size_t>(at)]) {
    in_chain[static_cast<std::size_t>(at)] = true;
    ++count;
  }
  if (count == n) return span;
  std::size_t first = n;
  std::size_t last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!in_chain[i]) {
      span.away.emplace_back(pieces[i].old_in, pieces[i].old_out);
      continue;
    }
    first = std::min(first, i);
    last = i;
  }
  if (pieces[first].old_in != a) {
    span.in = {time::time_of_frame(pieces[first].new_in, rate), false};
  }
  if (pieces[last].old_out != b) {
    span.out = {time::time_of_frame(pieces[last].new_out, rate), false};
  }
  return span;
}

}  // namespace

std::string_view to_string(CueFate fate) {
  switch (fate) {
    case CueFate::unchanged:
      return "unchanged";
    case CueFate::moved:
      return "moved";
    case CueFate::refitted:
      return "re-fitted";
    case CueFate::attention:
      return "needs attention";
    case CueFate::removed:
      return "removed";
  }
  return "unchanged";
}

std::optional<BeatPos> MusicRefit::map_beat(BeatPos old) const {
  BeatDur by(0);
  for (const BarEdit& e : edits) {
    if (e.kind == BarEdit::Kind::remove) {
      if (old >= e.at + e.length) {
        by -= e.length;
      } else if (old >= e.at) {
        return std::nullopt;
      }
    } else if (old >= e.at) {
      by += e.length;
    }
  }
  return old + by;
}

namespace {

// The re-fit through a chain of anchors (increasing in old beats and in new times): each section
// between two anchors kept, or re-fitted with whole bars and an eased tempo.
MusicRefit solve(const time::TempoMap& old_map, const std::vector<Anchor>& chain,
                 const CutDiff& diff, const std::set<std::int64_t>& no_bar_edits) {
  const time::FrameRate& rate = diff.rate;
  MusicRefit out;
  // Sections between anchors: unchanged, or re-fitted with whole bars and an eased tempo.
  struct Section {
    BeatPos b1, b2;
    bool changed = false;
    Rational qpm;  // the re-fitted section's tempo
  };
  std::vector<Section> sections;
  const auto& meters = old_map.meters().changes();
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    Section s{chain[i].old_beat, chain[i + 1].old_beat, false, Rational(0)};
    const std::int64_t old_dt = (chain[i + 1].old_time - chain[i].old_time).ticks();
    const std::int64_t new_dt = (chain[i + 1].new_time - chain[i].new_time).ticks();
    if (std::abs(new_dt - old_dt) <= 1) {
      sections.push_back(s);
      continue;
    }
    s.changed = true;
    // Where the picture changed: the first break of the map inside the section (the middle
    // when the whole section changed speed).
    const TimePos t1 = chain[i].old_time;
    const TimePos t2 = chain[i + 1].old_time;
    TimePos where = t1 + TimeDur((t2 - t1).ticks() / 2);
    if (const auto at_break = first_break(diff.map, first_frame(t1, rate), end_frame(t2, rate))) {
      where = std::max(t1, time::time_of_frame(*at_break, rate));
    }
    const BeatPos at = old_map.beats_at(where);
    const time::Meter meter = old_map.meter_at(at);
    const BeatDur bar = meter.bar_length();
    const bool one_meter = std::none_of(meters.begin(), meters.end(),
                                        [&](const auto& m) { return m.at > s.b1 && m.at < s.b2; });
    // The bar line nearest the change.
    const time::BBT bbt = old_map.bbt_at(at);
    BeatPos line = old_map.meters().bar_start(bbt.bar);
    if (at - line > (old_map.meters().bar_start(bbt.bar + 1) - at)) {
      line = old_map.meters().bar_start(bbt.bar + 1);
    }
    const std::int64_t bar_time = (old_map.time_at(line + bar) - old_map.time_at(line)).ticks();
    std::int64_t n =
        bar_time > 0
            ? std::llround(static_cast<double>(new_dt - old_dt) / static_cast<double>(bar_time))
            : 0;
    // A section whose repeated bars would hold a hit landed later only eases its tempo.
    if (!one_meter || no_bar_edits.contains(s.b1.ticks())) n = 0;
    // The bar line for `k` bars removed (from it) or repeated (before it): the nearest to the
    // change that fits inside the section, a phrase's first bar (bars 1, 5, 9...) preferred when
    // it is at most a bar farther. Never the bar of the hit that opens the section (the cue's in
    // may lose its first bar).
    const auto choose = [&](std::int64_t k, bool remove) -> std::optional<BeatPos> {
      std::optional<BeatPos> best;
      std::int64_t best_score = 0;
      const std::int64_t first_bar = old_map.bbt_at(s.b1).bar;
      const std::int64_t last_bar = old_map.bbt_at(s.b2).bar + 1;
      for (std::int64_t b = first_bar; b <= last_bar; ++b) {
        const BeatPos l = old_map.meters().bar_start(b);
        const bool fits = remove ? ((l > s.b1 || (i == 0 && l == s.b1)) && l + bar * k <= s.b2)
                                 : (l > s.b1 && l <= s.b2);
        if (!fits) continue;
        const std::int64_t phrase = (b - 1) % 4 == 0 ? bar.ticks() : 0;
        const std::int64_t score = std::abs((l - at).ticks()) - phrase;
        if (!best || score < best_score) {
          best = l;
          best_score = score;
        }
      }
      return best;
    };
    BeatDur taken(0);
    if (n < 0) {
      for (std::int64_t k = -n; k > 0; --k) {
        if (const auto from = choose(k, true)) {
          out.edits.push_back({BarEdit::Kind::remove, *from, bar * k, BeatPos(0)});
          taken = -(bar * k);
          break;
        }
      }
    } else if (n > 0) {
      if (const auto before = choose(n, false)) {
        const BeatDur length = bar * n;
        const BeatPos copy = *before - length >= BeatPos(0) ? *before - length : *before;
        out.edits.push_back({BarEdit::Kind::repeat, *before, length, copy});
        taken = length;
      }
    }
    const BeatDur beats = (s.b2 - s.b1) + taken;
    s.qpm = Rational(beats.ticks() * kQpmFactor, new_dt);
    const double old_qpm =
        static_cast<double>((s.b2 - s.b1).ticks()) * kQpmFactor / static_cast<double>(old_dt);
    const double ease = s.qpm.to_double() / old_qpm;
    if (std::abs(std::log(ease)) > std::abs(std::log(out.largest_ease))) out.largest_ease = ease;
    sections.push_back(s);
  }
  std::sort(out.edits.begin(), out.edits.end(),
            [](const BarEdit& a, const BarEdit& b) { return a.at < b.at; });

  // The new map: the old one's tempo changes where nothing changed, each re-fitted section at
  // its own constant tempo, all on the new musical positions.
  auto to_new = [&](BeatPos b) { return out.place_beat(b); };
  std::map<std::int64_t, std::pair<time::Tempo, time::Ramp>> changes;
  const auto& old_changes = old_map.tempo_changes();
  auto put = [&](BeatPos at, time::Tempo t, time::Ramp ramp) {
    changes[std::max<std::int64_t>(0, at.ticks())] = {t, ramp};
  };
  auto copy_between = [&](BeatPos a, BeatPos b, bool inclusive_end) {
    for (std::size_t i = 0; i < old_changes.size(); ++i) {
      const auto& c = old_changes[i];
      if (c.at < a || c.at > b || (!inclusive_end && c.at == b)) continue;
      // A ramp is kept only when it ramps to a change that is copied too.
      const bool next_copied = i + 1 < old_changes.size() && old_changes[i + 1].at < b;
      put(to_new(c.at), c.tempo, next_copied ? c.ramp : time::Ramp::none);
    }
  };
  const BeatPos first = chain.empty() ? BeatPos(0) : chain.front().old_beat;
  const BeatPos last = chain.empty() ? BeatPos(0) : chain.back().old_beat;
  copy_between(BeatPos(0), first, false);
  for (const Section& s : sections) {
    if (s.changed) {
      put(to_new(s.b1), time::Tempo::quarters_per_minute(s.qpm), time::Ramp::none);
      for (std::int64_t bar = old_map.bbt_at(s.b1).bar; old_map.meters().bar_start(bar) < s.b2;
           ++bar) {
        out.bars_touched.push_back(bar);
      }
    } else {
      put(to_new(s.b1), tempo_at(old_map, s.b1), time::Ramp::none);
      copy_between(s.b1 + BeatDur(1), s.b2, false);
    }
  }
  put(to_new(last), tempo_at(old_map, last), time::Ramp::none);
  copy_between(last + BeatDur(1), BeatPos(INT64_MAX / 4), true);
  if (!changes.contains(0)) changes[0] = {old_changes.front().tempo, time::Ramp::none};
  std::vector<time::TempoChange> list;
  for (const auto& [at, tr] : changes)
    list.push_back({BeatPos(at), tr.first, tr.second});
  if (!list.empty()) list.back().ramp = time::Ramp::none;
  // Meters on the new positions (a meter change inside removed bars goes where they closed).
  std::vector<time::MeterChange> meter_list;
  for (const auto& m : meters) {
    const BeatPos at = to_new(m.at);
    if (!meter_list.empty() && meter_list.back().at >= at) meter_list.pop_back();
    meter_list.push_back({at, m.meter});
  }
  auto meter_map = time::MeterMap::create(meter_list);
  auto unplaced = time::TempoMap::create(list, meter_map ? *meter_map : old_map.meters());
  if (!unplaced) {
    out.map = old_map;
    return out;
  }
  // Beat 0 goes where the first anchor now needs it.
  const TimePos anchor_time = chain.empty() ? old_map.origin() : chain.front().new_time;
  const TimeDur lead = unplaced->time_at(to_new(first)) - TimePos(0);
  auto placed = time::TempoMap::create(list, unplaced->meters(), anchor_time - lead);
  out.map = placed ? *placed : *unplaced;
  for (const BarEdit& e : out.edits) {
    const std::int64_t from =
        old_map.bbt_at(e.kind == BarEdit::Kind::repeat ? e.copy_from : e.at).bar;
    for (std::int64_t b = from; old_map.meters().bar_start(b) <
                                (e.kind == BarEdit::Kind::repeat ? e.copy_from : e.at) + e.length;
         ++b) {
      out.bars_touched.push_back(b);
    }
  }
  std::sort(out.bars_touched.begin(), out.bars_touched.end());
  out.bars_touched.erase(std::unique(out.bars_touched.begin(), out.bars_touched.end()),
                         out.bars_touched.end());
  return out;
}

}  // namespace

BeatPos MusicRefit::place_beat(BeatPos old) const {
  if (const auto m = map_beat(old)) return *m;
  for (const BarEdit& e : edits) {
    if (e.kind == BarEdit::Kind::remove && old >= e.at && old < e.at + e.length) {
      return *map_beat(e.at + e.length);
    }
  }
  return old;
}

std::vector<BeatPos> MusicRefit::joins() const {
  std::vector<BeatPos> out;
  for (const BarEdit& e : edits) {
    if (e.kind == BarEdit::Kind::remove) {
      if (const auto at = map_beat(e.at + e.length)) out.push_back(*at);
    } else if (const auto after = map_beat(e.at)) {
      out.push_back(*after - e.length);
      out.push_back(*after);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<BeatPos> MusicRefit::unmap_beat(BeatPos now) const {
  BeatDur by(0);
  for (const BarEdit& e : edits) {
    const BeatPos start = e.at + by;  // where the edit sits in the re-fitted music
    if (now < start) break;
    if (e.kind == BarEdit::Kind::remove) {
      by -= e.length;
    } else if (now < start + e.length) {
      return std::nullopt;
    } else {
      by += e.length;
    }
  }
  return now - by;
}

MusicRefit refit_music(const time::TempoMap& old_map, const spot::Cue& cue, const CutDiff& diff,
                       const RefitOptions& options) {
  const time::FrameRate& rate = diff.rate;
  // The anchors: in, out, and the hard hits whose picture is still there, in musical order, each
  // later on the new timeline than the one before.
  std::vector<Anchor> anchors;
  const CueSpan span = new_span(cue, diff);
  anchors.push_back({old_map.beats_at(cue.in), cue.in, span.in.at});
  std::vector<const spot::HitPoint*> kept;
  for (const spot::HitPoint& h : cue.hits) {
    if (h.kind != spot::HitKind::hard || h.at <= cue.in || h.at >= cue.out) continue;
    const auto m = diff.map.map(h.at);
    if (m.removed) continue;
    anchors.push_back({old_map.beats_at(h.at), h.at, m.at});
    kept.push_back(&h);
  }
  anchors.push_back({old_map.beats_at(cue.out), cue.out, span.out.at});
  // The longest chain in order on both sides, from the in point to the out point: a hit whose
  // picture moved out of the music's order is left out of it (and landed below).
  const Anchor first = anchors.front();
  const Anchor last = anchors.back();
  std::vector<Anchor> middle;
  for (std::size_t i = 1; i + 1 < anchors.size(); ++i) {
    const Anchor& a = anchors[i];
    if (a.old_beat > first.old_beat && a.old_beat < last.old_beat && a.new_time > first.new_time &&
        a.new_time < last.new_time) {
      middle.push_back(a);
    }
  }
  std::stable_sort(middle.begin(), middle.end(),
                   [](const Anchor& a, const Anchor& b) { return a.old_beat < b.old_beat; });
  std::vector<int> length(middle.size(), 1);
  std::vector<int> from(middle.size(), -1);
  for (std::size_t i = 0; i < middle.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (middle[j].old_beat < middle[i].old_beat && middle[j].new_time < middle[i].new_time &&
          length[j] + 1 > length[i]) {
        length[i] = length[j] + 1;
        from[i] = static_cast<int>(j);
      }
    }
  }
  std::vector<Anchor> chain;
  if (!middle.empty()) {
    int at = static_cast<int>(std::max_element(length.begin(), length.end()) - length.begin());
    for (; at >= 0; at = from[static_cast<std::size_t>(at)]) {
      chain.push_back(middle[static_cast<std::size_t>(at)]);
    }
    std::reverse(chain.begin(), chain.end());
  }
  chain.insert(chain.begin(), first);
  if (last.old_beat > first.old_beat && last.new_time > first.new_time) chain.push_back(last);
  std::set<std::int64_t> no_bar_edits;  // sections (by first beat) that only ease their tempo
  MusicRefit out = solve(old_map, chain, diff, no_bar_edits);
  // A hit on picture that moved out of the music's order keeps no beat of its own: it is given
  // the grid point nearest to where it now falls, and the tempo around it eased to land it.
  const time::TimeDur tolerance = sync::tolerance_ticks(options.tolerance_frames, rate);
  for (int pass = 0; pass < 4; ++pass) {
    bool added = false;
    for (const spot::HitPoint* h : kept) {
      const TimePos t = diff.map.map(h->at).at;
      const BeatPos nearest = sync::nearest_target(out.map, t, h->land);
      const TimeDur error = out.map.time_at(nearest) - t;
      if ((error < TimeDur(0) ? -error : error) <= tolerance) continue;
      // The nearest grid point that is the old music's (not a repeated bar's) and keeps the
      // chain in order; the next ones out when it is not.
      const BeatDur unit = sync::landing_unit(h->land, out.map.meter_at(nearest));
      bool placed = false;
      for (const std::int64_t k : {0, -1, 1, -2, 2}) {
        const auto old_beat = out.unmap_beat(nearest + unit * k);
        if (!old_beat) continue;
        auto next = std::upper_bound(chain.begin(), chain.end(), *old_beat,
                                     [](BeatPos b, const Anchor& a) { return b < a.old_beat; });
        const bool fits = next != chain.begin() && next != chain.end() &&
                          std::prev(next)->old_beat < *old_beat && std::prev(next)->new_time < t &&
                          t < next->new_time;
        if (!fits) continue;
        chain.insert(next, {*old_beat, old_map.time_at(*old_beat), t});
        added = true;
        placed = true;
        break;
      }
      if (placed) continue;
      // The grid there is repeated bars, which have no old beat: the section that repeats them
      // eases its tempo instead, and the hit is placed on the next pass.
      for (const BarEdit& e : out.edits) {
        const auto after = out.map_beat(e.at);
        if (e.kind != BarEdit::Kind::repeat || !after || nearest < *after - e.length ||
            nearest >= *after) {
          continue;
        }
        for (std::size_t c = 0; c + 1 < chain.size(); ++c) {
          if (chain[c].old_beat <= e.at && e.at <= chain[c + 1].old_beat) {
            added = no_bar_edits.insert(chain[c].old_beat.ticks()).second || added;
          }
        }
      }
    }
    if (!added) break;
    out = solve(old_map, chain, diff, no_bar_edits);
  }
  return out;
}

CueRefit refit_cue(const spot::Cue& cue, const CutDiff& diff, const RefitOptions& options) {
  const time::FrameRate& rate = diff.rate;
  const std::int64_t film_end = options.film_end >= 0 ? options.film_end : diff.new_last;
  CueRefit r;
  r.before = cue;
  const std::int64_t a = first_frame(cue.in, rate);
  const std::int64_t b = end_frame(cue.out, rate);
  spot::Cue after = cue;
  bool attention = false;
  std::vector<TimePos> moved_away;  // new times of hits whose picture left the cue
  std::int64_t offset = 0;
  if (diff.map.moves_as_block(a, b, &offset)) {
    r.offset_frames = offset;
    shift(after, rate.frame_duration() * offset);
    r.fate = offset == 0 ? CueFate::unchanged : CueFate::moved;
    if (offset != 0) {
      r.reasons.push_back(std::string("its picture moved ") + seconds_text(offset, rate) +
                          (offset < 0 ? " earlier" : " later") + " as one piece (" +
                          std::to_string(offset < 0 ? -offset : offset) + " frames): now " +
                          tc(after.in, rate) + " to " + tc(after.out, rate));
    }
  } else {
    // The picture inside the cue changed.
    const CueSpan span = new_span(cue, diff);
    const auto in = span.in;
    const auto out = span.out;
    for (const Change* c :
         changes_inside(diff, a, b, first_frame(in.at, rate), end_frame(out.at, rate))) {
      r.reasons.push_back(change_text(*c, diff));
    }
    after.in = in.at;
    after.out = out.at;
    if (in.removed) {
      attention = true;
      r.reasons.push_back(
          "its first frame's picture was cut: it now starts where that cut "
          "closes, at " +
          tc(after.in, rate));
    }
    if (after.out <= after.in) {
      r.fate = CueFate::removed;
      r.lost_hits = cue.hits;
      r.reasons.push_back(
          "all of its picture was cut; it is kept among the cue's versions "
          "(duet restore brings it back)");
      return r;
    }
    for (const auto& [lo, hi] : span.away) {
      attention = true;
      r.reasons.push_back("its picture from " + tc(time::time_of_frame(lo, rate), rate) + " to " +
                          tc(time::time_of_frame(hi, rate), rate) + " moved to " +
                          tc(time::time_of_frame(diff.map.map_frame(lo).frame, rate), rate) +
                          ", out of the cue: the cue stays with the rest of its picture");
    }
    after.hits.clear();
    for (const spot::HitPoint& h : cue.hits) {
      const auto m = diff.map.map(h.at);
      if (m.removed || m.at < after.in || m.at >= after.out) {
        r.lost_hits.push_back(h);
        if (!m.removed) moved_away.push_back(m.at);
        continue;
      }
      spot::HitPoint moved = h;
      moved.at = m.at;
      after.hits.push_back(moved);
    }
    after.dialogue.clear();
    for (const spot::DialogueWindow& d : cue.dialogue) {
      spot::DialogueWindow moved = d;
      moved.start = diff.map.map(d.start).at;
      moved.end = map_end(diff.map, d.end).at;
      if (moved.end <= moved.start) {
        r.reasons.push_back("the dialogue window at " + tc(d.start, rate) +
                            " was on picture that was cut; it is left out");
        continue;
      }
      after.dialogue.push_back(moved);
    }
    after.emotion.keys.clear();
    for (const spot::EmotionKey& k : cue.emotion.keys) {
      spot::EmotionKey moved = k;
      moved.at = std::clamp(diff.map.map(k.at).at, after.in, after.out);
      if (!after.emotion.keys.empty() && after.emotion.keys.back().at >= moved.at) continue;
      after.emotion.keys.push_back(moved);
    }
    r.fate = CueFate::refitted;
    if (cue.tempo_map) {
      MusicRefit music = refit_music(*cue.tempo_map, cue, diff, options);
      after.tempo_map = music.map;
      std::string bars;
      for (const BarEdit& e : music.edits) {
        const std::int64_t first_bar = cue.tempo_map->bbt_at(e.at).bar;
        const std::int64_t count =
            e.length.ticks() / cue.tempo_map->meter_at(e.at).bar_length().ticks();
        if (e.kind == BarEdit::Kind::remove) {
          r.reasons.push_back(count == 1 ? "bar " + std::to_string(first_bar) + " removed"
                                         : "bars " + std::to_string(first_bar) + "-" +
                                               std::to_string(first_bar + count - 1) + " removed");
        } else {
          const std::int64_t copied = cue.tempo_map->bbt_at(e.copy_from).bar;
          r.reasons.push_back(std::to_string(count) + (count == 1 ? " bar" : " bars") +
                              " repeated before bar " + std::to_string(first_bar) + " (bar" +
                              (count == 1 ? " " : "s ") + std::to_string(copied) +
                              (count == 1 ? "" : "-" + std::to_string(copied + count - 1)) +
                              " played again)");
        }
      }
      if (std::abs(music.largest_ease - 1.0) > 1e-9) {
        const double percent = (music.largest_ease - 1.0) * 100.0;
        r.reasons.push_back("tempo eased " + base::fixed(percent < 0 ? -percent : percent, 1) +
                            (percent < 0 ? "% slower" : "% faster") +
                            " where whole bars could not take up the change");
        if (std::abs(std::log(music.largest_ease)) > std::log1p(options.ease_limit)) {
          attention = true;
          r.reasons.push_back("that is more than " + base::fixed(options.ease_limit * 100.0, 0) +
                              "%: the music there may want rewriting");
        }
      }
      r.music = std::move(music);
      const auto check = sync::check_hits(after.hits, *after.tempo_map, rate,
                                          sync::tolerance_ticks(options.tolerance_frames, rate));
      for (const sync::HitError& e : check.hits) {
        const spot::HitPoint& h = after.hits[e.index];
        if (e.landed || h.kind != spot::HitKind::hard) continue;
        attention = true;
        r.missed_hits.push_back(h);
        r.reasons.push_back("the hard hit" + (h.label.empty() ? "" : " '" + h.label + "'") +
                            ", now at " + tc(h.at, rate) + ", misses the re-fitted music by " +
                            base::fixed(std::abs(e.error_frames), 2) +
                            " frames: its picture moved out of the music's order");
      }
    }
  }
  if (!r.lost_hits.empty()) {
    attention = true;
    std::size_t away = 0;
    for (const spot::HitPoint& h : r.lost_hits) {
      const std::string what = std::string(spot::hit_kind_name(h.kind)) + " hit" +
                               (h.label.empty() ? "" : " '" + h.label + "'") + " at " +
                               tc(h.at, rate);
      const auto m = diff.map.map(h.at);
      const std::string where = m.removed || away >= moved_away.size()
                                    ? "was on picture that was cut"
                                    : "is on picture that moved out of the cue (now at " +
                                          tc(moved_away[away++], rate) + ")";
      r.reasons.push_back("the " + what + " " + where);
      after.notes += std::string(after.notes.empty() ? "" : "\n") + "conform: the " + what + " " +
                     where + " in the new cut";
    }
  }
  const TimePos end = time::time_of_frame(film_end, rate);
  if (after.out > end && cue.out <= time::time_of_frame(diff.old_last, rate)) {
    attention = true;
    r.reasons.push_back("it ran past the new cut's end; trimmed to " + tc(end, rate));
    after.out = end;
    std::erase_if(after.hits, [&](const spot::HitPoint& h) { return h.at >= end; });
    for (auto& d : after.dialogue)
      d.end = std::min(d.end, end);
    std::erase_if(after.dialogue, [](const auto& d) { return d.end <= d.start; });
    std::erase_if(after.emotion.keys, [&](const auto& k) { return k.at > end; });
    if (after.out <= after.in) {
      r.fate = CueFate::removed;
      return r;
    }
  }
  if (attention) r.fate = CueFate::attention;
  spot::sort_contents(after);
  r.after = std::move(after);
  return r;
}

void flag_new_overlaps(std::vector<CueRefit>& cues, const time::FrameRate& rate) {
  for (std::size_t i = 0; i < cues.size(); ++i) {
    for (std::size_t j = i + 1; j < cues.size(); ++j) {
      CueRefit& x = cues[i];
      CueRefit& y = cues[j];
      if (!x.after || !y.after) continue;
      const bool before = x.before.in < y.before.out && y.before.in < x.before.out;
      const TimePos from = std::max(x.after->in, y.after->in);
      const TimePos to = std::min(x.after->out, y.after->out);
      if (before || to <= from) continue;
      for (auto [a, b] : {std::pair{&x, &y}, std::pair{&y, &x}}) {
        a->fate = CueFate::attention;
        a->reasons.push_back("it now overlaps cue " + b->before.id.to_string() + " from " +
                             tc(from, rate) + " to " + tc(to, rate) +
                             ": picture was moved into it; shorten or split one of them");
      }
    }
  }
}

base::Result<midi::MidiFile> refit_midi(const midi::MidiFile& file, const MusicRefit& refit,
                                        const time::FrameRate& rate, const std::string& name) {
  if (file.division.kind != midi::Division::Kind::ppq) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "a MIDI file in SMPTE time has no bars to re-fit");
  }
  const int ppq = file.division.ticks_per_quarter;
  auto beat = [&](std::int64_t tick) { return midi::beat_of_tick(tick, ppq); };
  auto tick = [&](BeatPos b) { return midi::tick_of_beat(b, ppq); };
  // Where a removed position closes; every other position as map_beat says.
  auto place = [&](BeatPos b) { return refit.place_beat(b); };
  // The first bar edit after `b` and before `end` (a note across it ends there).
  auto first_edit_between = [&](BeatPos b, BeatPos end) -> const BarEdit* {
    for (const BarEdit& e : refit.edits) {
      if (e.at > b && e.at < end) return &e;
    }
    return nullptr;
  };
  struct Out {
    std::int64_t tick;
    int order;  // note-offs before everything else at one tick, note-ons last
    midi::Message message;
  };
  midi::MidiFile result;
  result.format = 1;
  result.division = file.division;
  BeatPos end_beat(0);
  std::vector<midi::Event> kept_meta;  // markers and texts of the old conductor
  for (std::size_t ti = 0; ti < file.tracks.size(); ++ti) {
    const midi::Track& track = file.tracks[ti];
    std::vector<Out> events;
    for (const midi::Event& e : track.events) {
      const auto& m = e.message;
      if (std::holds_alternative<midi::NoteOn>(m) || std::holds_alternative<midi::NoteOff>(m) ||
          std::holds_alternative<midi::SetTempo>(m) ||
          std::holds_alternative<midi::TimeSignature>(m) ||
          std::holds_alternative<midi::SmpteOffset>(m)) {
        continue;
      }
      const BeatPos b = beat(e.tick);
      if (!refit.map_beat(b) && std::holds_alternative<midi::Text>(m) &&
          std::get<midi::Text>(m).kind != midi::TextKind::track_name) {
        continue;  // a marker inside removed bars goes with them
      }
      events.push_back({tick(place(b)), 1, m});
    }
    for (const midi::Note& n : midi::pair_notes(track)) {
      const BeatPos s = beat(n.start);
      const BeatPos e = beat(n.start + n.duration);
      auto emit = [&](BeatPos start, BeatPos end) {
        events.push_back({tick(start), 2, midi::NoteOn{n.channel, n.key, n.velocity}});
        events.push_back(
            {tick(std::max(start, end)), 0, midi::NoteOff{n.channel, n.key, n.off_velocity}});
        end_beat = std::max(end_beat, end);
      };
      if (const auto start = refit.map_beat(s)) {
        BeatPos end = place(e);
        if (const BarEdit* cut = first_edit_between(s, e)) {
          end = cut->kind == BarEdit::Kind::remove ? *refit.map_beat(cut->at + cut->length)
                                                   : *refit.map_beat(cut->at) - cut->length;
        }
        emit(*start, end);
      }
      // Bars played again: the notes that begin in them, again.
      for (const BarEdit& r : refit.edits) {
        if (r.kind != BarEdit::Kind::repeat || s < r.copy_from || s >= r.copy_from + r.length) {
          continue;
        }
        const BeatPos at = *refit.map_beat(r.at) - r.length;
        emit(at + (s - r.copy_from), at + (std::min(e, r.copy_from + r.length) - r.copy_from));
      }
    }
    std::stable_sort(events.begin(), events.end(), [](const Out& x, const Out& y) {
      return std::tie(x.tick, x.order) < std::tie(y.tick, y.order);
    });
    midi::Track out;
    for (Out& o : events)
      out.events.push_back({o.tick, std::move(o.message)});
    out.end_tick = out.events.empty() ? 0 : out.events.back().tick;
    if (ti == 0 && file.format == 1) {
      // The old conductor: its markers and texts join the new one.
      for (auto& ev : out.events) {
        if (!(std::holds_alternative<midi::Text>(ev.message) &&
              std::get<midi::Text>(ev.message).kind == midi::TextKind::track_name)) {
          kept_meta.push_back(ev);
        }
      }
      continue;
    }
    result.tracks.push_back(std::move(out));
  }
  midi::ConductorOptions conductor;
  conductor.ticks_per_quarter = ppq;
  conductor.track_name = name;
  conductor.rate = rate;
  auto track0 = midi::conductor_track(refit.map, end_beat, conductor);
  if (!track0) return track0.error();
  for (midi::Event& ev : kept_meta)
    midi::insert_event(*track0, std::move(ev));
  for (const midi::Track& t : result.tracks)
    track0->end_tick = std::max(track0->end_tick, t.end_tick);
  for (const midi::Event& ev : track0->events)
    track0->end_tick = std::max(track0->end_tick, ev.tick);
  result.tracks.insert(result.tracks.begin(), std::move(*track0));
  return result;
}

}  // namespace duet::conform
