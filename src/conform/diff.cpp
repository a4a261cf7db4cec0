#include "conform/diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "time/rational.h"

namespace duet::conform {

namespace {

using time::Rational;

// A run of traceable picture on one side: record frames [rec_in, rec_out) show source frames of
// `reel` from `src_in`, advancing `k` source frames per record frame (1 at normal speed, 0 for a
// freeze, negative in reverse). `under` marks the outgoing shot going on under a transition.
struct Piece {
  std::int64_t rec_in = 0;
  std::int64_t rec_out = 0;
  std::string reel;
  Rational src_in;
  Rational k{1};
  int event = 0;
  bool under = false;
};

Rational speed_of(const picture::Event& event, std::size_t index, const picture::Cut& cut) {
  const picture::Speed* speed = picture::speed_of(event, index);
  return speed == nullptr ? Rational(1) : speed->fps / cut.rate.fps();
}

bool traceable(const picture::Edit& edit) {
  return picture::has_video(edit.channels) && !picture::is_black_reel(edit.reel) &&
         !picture::is_aux_reel(edit.reel);
}

// The picture of a cut as pieces, with the outgoing shot of each dissolve or wipe going on under
// the incoming one for the transition's length.
std::vector<Piece> pieces_of(const picture::Cut& cut) {
  std::vector<Piece> out;
  for (const picture::Event& e : cut.events) {
    for (std::size_t i = 0; i < e.edits.size(); ++i) {
      const picture::Edit& edit = e.edits[i];
      if (!traceable(edit)) continue;
      const bool from_clip = e.edits.size() > 1 && i == 0;
      if (from_clip) {
        const picture::Edit& to = e.edits[1];
        const std::int64_t length =
            std::max<std::int64_t>(0, std::min(to.transition.frames, to.record_out - to.record_in));
        if (length == 0 || !picture::has_video(to.channels)) continue;
        out.push_back({to.record_in, to.record_in + length, edit.reel, Rational(edit.source_in),
                       speed_of(e, i, cut), e.number, true});
        continue;
      }
      if (edit.record_out <= edit.record_in) continue;
      out.push_back({edit.record_in, edit.record_out, edit.reel, Rational(edit.source_in),
                     speed_of(e, i, cut), e.number, false});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Piece& a, const Piece& b) { return a.rec_in < b.rec_in; });
  return out;
}

// The record frame (fractional) where a piece shows source frame `s`.
Rational record_at(const Piece& p, const Rational& s) {
  return Rational(p.rec_in) + (s - p.src_in) / p.k;
}

// A candidate and the layer of the new cut it plays in: the picture itself, or the outgoing shot
// under a transition (a new frame shows both during a dissolve, so each layer is used once).
struct Candidate {
  Segment s;
  bool under = false;
};

// The candidate segments where an old piece and a new piece show the same source frames.
void match(const Piece& o, const Piece& n, std::vector<Candidate>& out) {
  if (o.reel != n.reel) return;
  if (o.k == Rational(0) || n.k == Rational(0)) {
    // A freeze is traced only to a freeze of the same frame.
    if (o.k != n.k || o.src_in != n.src_in) return;
    const std::int64_t length = std::min(o.rec_out - o.rec_in, n.rec_out - n.rec_in);
    out.push_back({{o.rec_in, o.rec_in + length, n.rec_in, n.rec_in + length}, n.under});
    return;
  }
  if ((o.k > Rational(0)) != (n.k > Rational(0))) return;  // forward against reverse
  auto span = [](const Piece& p) {
    Rational a = p.src_in;
    Rational b = p.src_in + Rational(p.rec_out - p.rec_in) * p.k;
    if (b < a) std::swap(a, b);
    return std::pair{a, b};
  };
  const auto [oa, ob] = span(o);
  const auto [na, nb] = span(n);
  const Rational lo = std::max(oa, na);
  const Rational hi = std::min(ob, nb);
  if (!(lo < hi)) return;
  Rational o1 = record_at(o, lo), o2 = record_at(o, hi);
  Rational n1 = record_at(n, lo), n2 = record_at(n, hi);
  if (o2 < o1) std::swap(o1, o2);
  if (n2 < n1) std::swap(n1, n2);
  Segment s{o1.round(), o2.round(), n1.round(), n2.round()};
  if (o.k == n.k) s.new_out = s.new_in + s.old_length();  // same speed: frame for frame
  if (s.old_length() <= 0 || s.new_length() <= 0) return;
  out.push_back({s, n.under});
}

// Half-open frame intervals, kept disjoint: what one side of the cut has already given away.
class IntervalSet {
 public:
  // The parts of [a, b) not in the set, in order.
  std::vector<std::pair<std::int64_t, std::int64_t>> free_parts(std::int64_t a,
                                                                std::int64_t b) const {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    auto it = spans_.upper_bound(a);
    if (it != spans_.begin()) {
      auto prev = std::prev(it);
      if (prev->second > a) a = prev->second;
    }
    for (; a < b; ++it) {
      if (it == spans_.end() || it->first >= b) {
        out.emplace_back(a, b);
        break;
      }
      if (it->first > a) out.emplace_back(a, it->first);
      a = std::max(a, it->second);
    }
    return out;
  }
  void add(std::int64_t a, std::int64_t b) {
    if (a >= b) return;
    auto it = spans_.upper_bound(a);
    if (it != spans_.begin() && std::prev(it)->second >= a) {
      --it;
      a = it->first;
      b = std::max(b, it->second);
      it = spans_.erase(it);
    }
    while (it != spans_.end() && it->first <= b) {
      b = std::max(b, it->second);
      it = spans_.erase(it);
    }
    spans_.emplace(a, b);
  }
  const std::map<std::int64_t, std::int64_t>& spans() const { return spans_; }

 private:
  std::map<std::int64_t, std::int64_t> spans_;
};

// The part of a segment from old frame a to old frame b (a, b inside it).
Segment sub_by_old(const Segment& s, std::int64_t a, std::int64_t b) {
  if (s.old_length() == s.new_length()) {
    return {a, b, s.new_in + (a - s.old_in), s.new_in + (b - s.old_in)};
  }
  auto at = [&](std::int64_t x) {
    return s.new_in + time::mul_div_round(x - s.old_in, s.new_length(), s.old_length());
  };
  return {a, b, at(a), at(b)};
}
Segment sub_by_new(const Segment& s, std::int64_t c, std::int64_t d) {
  if (s.old_length() == s.new_length()) {
    return {s.old_in + (c - s.new_in), s.old_in + (d - s.new_in), c, d};
  }
  auto at = [&](std::int64_t y) {
    return s.old_in + time::mul_div_round(y - s.new_in, s.old_length(), s.new_length());
  };
  return {at(c), at(d), c, d};
}

std::int64_t magnitude(std::int64_t v) {
  return v < 0 ? -v : v;
}

// Longest first; among equals the smallest move, then the earliest.
struct Longer {
  bool operator()(const Segment& a, const Segment& b) const {
    return std::tuple(-a.old_length(), magnitude(a.offset()), a.old_in, a.new_in, a.old_out,
                      a.new_out) < std::tuple(-b.old_length(), magnitude(b.offset()), b.old_in,
                                              b.new_in, b.old_out, b.new_out);
  }
};

bool frame_for_frame(const Segment& s) {
  return s.old_length() == s.new_length();
}

// Joins segments that continue each other on both sides at the same spacing.
std::vector<Segment> merge_runs(std::vector<Segment> segments) {
  std::sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) {
    return std::tuple(a.old_in, a.new_in) < std::tuple(b.old_in, b.new_in);
  });
  std::vector<Segment> out;
  for (const Segment& s : segments) {
    if (!out.empty() && frame_for_frame(out.back()) && frame_for_frame(s) &&
        out.back().old_out == s.old_in && out.back().new_out == s.new_in) {
      out.back().old_out = s.old_out;
      out.back().new_out = s.new_out;
    } else {
      out.push_back(s);
    }
  }
  return out;
}

// Greedy tiling: the longest consistent run first, then the longest of what is left, each old
// frame used once and each new frame once in each layer.
std::vector<Segment> tile(std::vector<Candidate> candidates) {
  // Runs over consecutive shots at one offset are one candidate, so that the longest consistent
  // match wins over a longer single shot shown twice.
  auto key = [](const Candidate& c) {
    return std::tuple(c.under, !frame_for_frame(c.s), c.s.offset(), c.s.old_in, c.s.new_in);
  };
  std::sort(candidates.begin(), candidates.end(),
            [&](const Candidate& a, const Candidate& b) { return key(a) < key(b); });
  std::vector<Candidate> runs;
  for (const Candidate& c : candidates) {
    if (!runs.empty()) {
      Candidate& r = runs.back();
      if (r.under == c.under && frame_for_frame(r.s) && frame_for_frame(c.s) &&
          r.s.offset() == c.s.offset() && c.s.old_in <= r.s.old_out && c.s.old_in >= r.s.old_in) {
        if (c.s.old_out > r.s.old_out) {
          r.s.old_out = c.s.old_out;
          r.s.new_out = c.s.new_out;
        }
        continue;
      }
    }
    runs.push_back(c);
  }
  auto longer = [](const Candidate& a, const Candidate& b) {
    if (Longer{}(a.s, b.s)) return true;
    if (Longer{}(b.s, a.s)) return false;
    return a.under < b.under;
  };
  std::set<Candidate, decltype(longer)> queue(runs.begin(), runs.end(), longer);
  IntervalSet used_old;
  IntervalSet used_new[2];
  std::vector<Segment> accepted;
  while (!queue.empty()) {
    const Candidate c = *queue.begin();
    queue.erase(queue.begin());
    const Segment& s = c.s;
    IntervalSet& layer = used_new[c.under ? 1 : 0];
    std::vector<Candidate> parts;
    for (const auto& [a, b] : used_old.free_parts(s.old_in, s.old_out)) {
      const Segment by_old = sub_by_old(s, a, b);
      for (const auto& [x, y] : layer.free_parts(by_old.new_in, by_old.new_out)) {
        const Segment part = sub_by_new(s, x, y);
        if (part.old_length() > 0 && part.new_length() > 0) parts.push_back({part, c.under});
      }
    }
    if (parts.size() == 1 && parts.front().s == s) {
      used_old.add(s.old_in, s.old_out);
      layer.add(s.new_in, s.new_out);
      accepted.push_back(s);
    } else {
      queue.insert(parts.begin(), parts.end());
    }
  }
  return merge_runs(std::move(accepted));
}

// Heals slips: a segment a frame or two off between two neighbours that agree, and gaps of a
// frame or two between segments that continue each other. Returns how many it healed.
int heal(std::vector<Segment>& segments, std::int64_t frames, const IntervalSet& new_used_by) {
  int healed = 0;
  auto continues = [](const Segment& a, const Segment& b) {
    return frame_for_frame(a) && frame_for_frame(b) && a.offset() == b.offset();
  };
  // A slipped segment between two neighbours at one offset, with gaps of at most `frames`.
  for (std::size_t i = 1; i + 1 < segments.size();) {
    const Segment& p = segments[i - 1];
    const Segment& s = segments[i];
    const Segment& n = segments[i + 1];
    const bool slipped = continues(p, n) && frame_for_frame(s) && s.offset() != p.offset() &&
                         magnitude(s.offset() - p.offset()) <= frames &&
                         s.old_in - p.old_out <= frames && n.old_in - s.old_out <= frames &&
                         s.new_in >= p.new_out && n.new_in >= s.new_out;
    if (slipped) {
      segments[i - 1].old_out = n.old_out;
      segments[i - 1].new_out = n.new_out;
      segments.erase(segments.begin() + static_cast<std::ptrdiff_t>(i),
                     segments.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      ++healed;
    } else {
      ++i;
    }
  }
  // A gap of a frame or two between segments that continue each other (a rolled cut point),
  // when nothing else plays in the new gap.
  for (std::size_t i = 1; i < segments.size();) {
    const Segment& p = segments[i - 1];
    const Segment& n = segments[i];
    const std::int64_t gap = n.old_in - p.old_out;
    const bool rolled =
        continues(p, n) && gap > 0 && gap <= frames &&
        new_used_by.free_parts(p.new_out, n.new_in).size() == 1 &&
        new_used_by.free_parts(p.new_out, n.new_in).front() == std::pair{p.new_out, n.new_in};
    if (rolled) {
      segments[i - 1].old_out = n.old_out;
      segments[i - 1].new_out = n.new_out;
      segments.erase(segments.begin() + static_cast<std::ptrdiff_t>(i));
      ++healed;
    } else {
      ++i;
    }
  }
  return healed;
}

// The segments that keep their order (the heaviest chain increasing on both sides); the others
// were moved. Segments are in old order.
std::vector<bool> in_order(const std::vector<Segment>& segments) {
  const std::size_t n = segments.size();
  std::vector<std::int64_t> best(n, 0);
  std::vector<std::ptrdiff_t> from(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    best[i] = segments[i].old_length();
    for (std::size_t j = 0; j < i; ++j) {
      if (segments[j].new_in < segments[i].new_in && best[j] + segments[i].old_length() > best[i]) {
        best[i] = best[j] + segments[i].old_length();
        from[i] = static_cast<std::ptrdiff_t>(j);
      }
    }
  }
  std::vector<bool> keep(n, false);
  if (n == 0) return keep;
  std::ptrdiff_t at = std::max_element(best.begin(), best.end()) - best.begin();
  while (at >= 0) {
    keep[static_cast<std::size_t>(at)] = true;
    at = from[static_cast<std::size_t>(at)];
  }
  return keep;
}

struct Span {
  std::int64_t in = 0;
  std::int64_t out = 0;
  const Piece* piece = nullptr;  // the shot it lies in
};

// The frames of the primary (not under) pieces that no segment covers, split at shot bounds.
std::vector<Span> uncovered(const std::vector<Piece>& pieces, const IntervalSet& covered) {
  std::vector<Span> out;
  IntervalSet seen;  // a frame shown by two pieces (a key) is reported once
  for (const Piece& p : pieces) {
    if (p.under) continue;
    for (const auto& [a, b] : covered.free_parts(p.rec_in, p.rec_out)) {
      for (const auto& [c, d] : seen.free_parts(a, b))
        out.push_back({c, d, &p});
    }
    seen.add(p.rec_in, p.rec_out);
  }
  std::sort(out.begin(), out.end(), [](const Span& a, const Span& b) { return a.in < b.in; });
  return out;
}

// True when some segment covers part of the piece's frames (the shot is still in the cut).
bool partly_kept(const Piece& p, const IntervalSet& covered) {
  const auto free = covered.free_parts(p.rec_in, p.rec_out);
  return !(free.size() == 1 && free.front() == std::pair{p.rec_in, p.rec_out});
}

}  // namespace

TimeMap::TimeMap(std::vector<Segment> segments,
                 std::vector<std::pair<std::int64_t, std::int64_t>> removed, time::FrameRate rate)
    : segments_(std::move(segments)), removed_(std::move(removed)), rate_(rate) {
  std::sort(segments_.begin(), segments_.end(),
            [](const Segment& a, const Segment& b) { return a.old_in < b.old_in; });
  std::sort(removed_.begin(), removed_.end());
  for (const Segment& s : segments_)
    new_ins_.push_back(s.new_in);
  std::sort(new_ins_.begin(), new_ins_.end());
}

bool TimeMap::is_removed(std::int64_t f) const {
  auto it = std::upper_bound(removed_.begin(), removed_.end(), f,
                             [](std::int64_t x, const auto& r) { return x < r.first; });
  return it != removed_.begin() && f < std::prev(it)->second;
}

Mapped TimeMap::map_frame(std::int64_t f) const {
  if (segments_.empty()) return {f, is_removed(f)};
  auto it = std::upper_bound(segments_.begin(), segments_.end(), f,
                             [](std::int64_t x, const Segment& s) { return x < s.old_in; });
  if (it != segments_.begin()) {
    const Segment& s = *std::prev(it);
    if (f < s.old_out) {
      if (frame_for_frame(s)) return {s.new_in + (f - s.old_in), false};
      return {s.new_in + time::mul_div_floor(f - s.old_in, s.new_length(), s.old_length()), false};
    }
  }
  // Outside every segment: before the first, after the last, or in a gap between two.
  const bool removed = is_removed(f);
  if (it == segments_.begin()) return {it->new_in - (it->old_in - f), removed};
  const Segment& p = *std::prev(it);
  if (it == segments_.end()) return {p.new_out + (f - p.old_out), removed};
  const Segment& n = *it;
  // When kept picture plays between them (the next piece moved), the gap closed at the end of
  // what came before; else spread over what replaced it (nothing for a lift).
  const auto between = std::lower_bound(new_ins_.begin(), new_ins_.end(), p.new_out);
  if (n.new_in < p.new_out || (between != new_ins_.end() && *between < n.new_in)) {
    return {p.new_out, removed};
  }
  return {
      p.new_out + time::mul_div_floor(f - p.old_out, n.new_in - p.new_out, n.old_in - p.old_out),
      removed};
}

TimeMap::MappedTime TimeMap::map(time::TimePos old_position) const {
  const std::int64_t f = time::frame_at(old_position, rate_);
  const Mapped m = map_frame(f);
  time::TimePos at = time::time_of_frame(m.frame, rate_);
  if (!m.removed) at += old_position - time::time_of_frame(f, rate_);
  return {at, m.removed};
}

bool TimeMap::moves_as_block(std::int64_t first, std::int64_t last, std::int64_t* offset) const {
  for (const Segment& s : segments_) {
    if (s.old_in <= first && last <= s.old_out && frame_for_frame(s)) {
      if (offset != nullptr) *offset = s.offset();
      return true;
    }
  }
  return false;
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::remove:
      return "remove";
    case ChangeKind::insert:
      return "insert";
    case ChangeKind::trim:
      return "trim";
    case ChangeKind::extend:
      return "extend";
    case ChangeKind::replace:
      return "replace";
    case ChangeKind::move:
      return "move";
    case ChangeKind::speed:
      return "speed";
  }
  return "remove";
}

base::Result<CutDiff> diff_cuts(const picture::Cut& old_cut, const picture::Cut& new_cut,
                                const DiffOptions& options) {
  if (!(old_cut.rate.fps() == new_cut.rate.fps())) {
    return base::make_error(
        base::ErrorKind::invalid_input,
        "the old cut is at " + old_cut.rate.name() + " fps and the new one at " +
            new_cut.rate.name() +
            " fps: conform compares two cuts of one film, read both at its rate");
  }
  const std::vector<Piece> old_pieces = pieces_of(old_cut);
  const std::vector<Piece> new_pieces = pieces_of(new_cut);
  if (old_pieces.empty())
    return base::make_error(base::ErrorKind::invalid_input,
                            "the old cut has no picture events to trace");
  if (new_pieces.empty())
    return base::make_error(base::ErrorKind::invalid_input,
                            "the new cut has no picture events to trace");

  // Candidates: pieces of the same reel whose source frames overlap (pieces indexed by reel).
  std::map<std::string, std::vector<const Piece*>> by_reel;
  for (const Piece& n : new_pieces)
    by_reel[n.reel].push_back(&n);
  std::vector<Candidate> candidates;
  for (const Piece& o : old_pieces) {
    const auto it = by_reel.find(o.reel);
    if (it == by_reel.end()) continue;
    for (const Piece* n : it->second)
      match(o, *n, candidates);
  }
  std::vector<Segment> segments = tile(std::move(candidates));

  CutDiff diff;
  diff.rate = old_cut.rate;
  auto span_of = [](const std::vector<Piece>& pieces, std::int64_t& first, std::int64_t& last) {
    first = pieces.front().rec_in;
    last = pieces.front().rec_out;
    for (const Piece& p : pieces) {
      first = std::min(first, p.rec_in);
      last = std::max(last, p.rec_out);
    }
  };
  span_of(old_pieces, diff.old_first, diff.old_last);
  span_of(new_pieces, diff.new_first, diff.new_last);

  IntervalSet new_used;  // for healing: a new gap must show nothing else
  for (const Segment& s : segments)
    new_used.add(s.new_in, s.new_out);
  diff.healed = heal(segments, options.heal_frames, new_used);
  IntervalSet old_covered, new_covered;
  for (const Segment& s : segments) {
    old_covered.add(s.old_in, s.old_out);
    new_covered.add(s.new_in, s.new_out);
    diff.frames_kept += s.old_length();
  }
  const std::vector<Span> old_gone = uncovered(old_pieces, old_covered);
  std::vector<std::pair<std::int64_t, std::int64_t>> gone;
  for (const Span& sp : old_gone)
    gone.emplace_back(sp.in, sp.out);
  diff.map = TimeMap(segments, std::move(gone), old_cut.rate);

  // Moves and speed changes.
  const std::vector<bool> ordered = in_order(segments);
  // The shot a frame lies in (its primary piece), for naming the reel and events.
  auto shot_at = [](const std::vector<Piece>& pieces, std::int64_t f) -> const Piece* {
    for (const Piece& p : pieces) {
      if (!p.under && p.rec_in <= f && f < p.rec_out) return &p;
    }
    return nullptr;
  };
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    if (frame_for_frame(s) && ordered[i]) continue;
    Change c{frame_for_frame(s) ? ChangeKind::move : ChangeKind::speed,
             s.old_in,
             s.old_out,
             s.new_in,
             s.new_out,
             {},
             0,
             0};
    const Piece* o = shot_at(old_pieces, s.old_in);
    const Piece* n = shot_at(new_pieces, s.new_in);
    if (o != nullptr && o->rec_out >= s.old_out) {
      c.reel = o->reel;
      c.old_event = o->event;
    }
    if (n != nullptr && n->rec_out >= s.new_out) c.new_event = n->event;
    diff.changes.push_back(c);
  }
  // Old picture no longer shown: trims of shots still in the cut, removals of whole shots (one
  // removal for consecutive whole shots).
  std::vector<Change> removed;
  for (const Span& sp : old_gone) {
    diff.frames_removed += sp.out - sp.in;
    const bool trim = partly_kept(*sp.piece, old_covered);
    const std::int64_t at = diff.map.map_frame(sp.in).frame;
    if (!trim && !removed.empty() && removed.back().kind == ChangeKind::remove &&
        removed.back().old_out == sp.in) {
      removed.back().old_out = sp.out;
      if (removed.back().reel != sp.piece->reel) removed.back().reel.clear();
      removed.back().old_event = 0;
      continue;
    }
    removed.push_back({trim ? ChangeKind::trim : ChangeKind::remove, sp.in, sp.out, at, at,
                       sp.piece->reel, sp.piece->event, 0});
  }
  // New picture: extensions of shots that also show old picture, inserts of new shots.
  std::vector<Change> added;
  auto old_position_of = [&](std::int64_t new_frame) {
    // The old frame where new material went in: the end of what plays before it.
    std::int64_t best = diff.old_first;
    for (const Segment& s : segments) {
      if (s.new_out <= new_frame && s.new_out >= 0) best = std::max(best, s.old_out);
    }
    return best;
  };
  for (const Span& sp : uncovered(new_pieces, new_covered)) {
    diff.frames_added += sp.out - sp.in;
    const bool extend = partly_kept(*sp.piece, new_covered);
    if (!extend && !added.empty() && added.back().kind == ChangeKind::insert &&
        added.back().new_out == sp.in) {
      added.back().new_out = sp.out;
      if (added.back().reel != sp.piece->reel) added.back().reel.clear();
      added.back().new_event = 0;
      continue;
    }
    const std::int64_t at = old_position_of(sp.in);
    added.push_back({extend ? ChangeKind::extend : ChangeKind::insert, at, at, sp.in, sp.out,
                     sp.piece->reel, 0, sp.piece->event});
  }
  // A removal and an insert of the same length at the same place: the picture was replaced.
  for (Change& r : removed) {
    if (r.kind != ChangeKind::remove) continue;
    for (auto it = added.begin(); it != added.end(); ++it) {
      if (it->kind == ChangeKind::insert && it->new_in == r.new_in &&
          it->new_out - it->new_in == r.old_out - r.old_in) {
        r.kind = ChangeKind::replace;
        r.new_out = it->new_out;
        r.new_event = it->new_event;
        if (r.reel != it->reel) r.reel.clear();
        added.erase(it);
        break;
      }
    }
  }
  diff.changes.insert(diff.changes.end(), removed.begin(), removed.end());
  diff.changes.insert(diff.changes.end(), added.begin(), added.end());
  std::stable_sort(diff.changes.begin(), diff.changes.end(), [](const Change& a, const Change& b) {
    return std::tuple(a.new_in, a.old_in) < std::tuple(b.new_in, b.old_in);
  });
  return diff;
}

}  // namespace duet::conform
