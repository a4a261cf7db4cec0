#include "conform/reedit.h"

#include <algorithm>
#include <random>

#include "time/rational.h"

namespace duet::conform {

namespace {

using time::Rational;

// A shot in the generator's working form. Local frame i of the clip shows source frame
// src_in + i * k of `reel`. The truth rides along: local frame i showed old record frame
// old0 + i * old_step when i is in [known_lo, known_hi) (old_step is 1 until a speed change).
struct Clip {
  std::string reel;
  Rational src_in;
  Rational k{1};
  std::int64_t length = 0;
  std::int64_t dissolve_in = 0;  // frames of a dissolve from the clip before (0: a cut)
  std::int64_t old0 = 0;
  Rational old_step{1};
  std::int64_t known_lo = 0;
  std::int64_t known_hi = 0;
  std::int64_t tolerance = 0;  // how far a traced answer may be off inside this clip
};

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : engine_(seed) {}
  // A whole number in [lo, hi] (lo <= hi); modulo keeps the sequence the same on every library.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(engine_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return static_cast<double>(engine_() % 1'000'000) < p * 1'000'000.0; }

 private:
  std::mt19937_64 engine_;
};

std::string reel_name(const std::string& prefix, std::int64_t n) {
  std::string digits = std::to_string(n);
  while (digits.size() < 3)
    digits.insert(digits.begin(), '0');
  return prefix + digits;
}

picture::Cut layout(const std::vector<Clip>& clips, const picture::Cut& like, std::int64_t first,
                    std::vector<std::int64_t>* record_ins = nullptr) {
  picture::Cut cut;
  cut.title = like.title;
  cut.rate = like.rate;
  cut.fcm = like.fcm;
  std::int64_t at = first;
  int number = 1;
  if (record_ins != nullptr) record_ins->clear();
  for (std::size_t i = 0; i < clips.size(); ++i) {
    const Clip& c = clips[i];
    if (record_ins != nullptr) record_ins->push_back(at);
    picture::Event e;
    e.number = number++;
    e.fcm = like.fcm;
    picture::Edit edit;
    edit.reel = c.reel;
    edit.channels = "V";
    edit.source_in = c.src_in.round();
    edit.source_out = (c.src_in + Rational(c.length) * c.k).round();
    if (c.k < Rational(0)) std::swap(edit.source_in, edit.source_out);
    if (c.k != Rational(1)) edit.source_out = edit.source_in + c.length;
    edit.record_in = at;
    edit.record_out = at + c.length;
    edit.clip_name = c.reel + ".MOV";
    if (c.dissolve_in > 0 && i > 0) {
      const Clip& prev = clips[i - 1];
      picture::Edit from;
      from.reel = prev.reel;
      from.channels = "V";
      from.source_in = (prev.src_in + Rational(prev.length) * prev.k).round();
      from.source_out = from.source_in;
      from.record_in = at;
      from.record_out = at;
      from.clip_name = prev.reel + ".MOV";
      edit.transition = {picture::TransitionKind::dissolve, 0, c.dissolve_in};
      e.edits.push_back(from);
      if (prev.k != Rational(1))
        e.speeds.push_back({prev.reel, prev.k * like.rate.fps(), from.source_in});
    }
    e.edits.push_back(edit);
    if (c.k != Rational(1)) e.speeds.push_back({c.reel, c.k * like.rate.fps(), edit.source_in});
    cut.events.push_back(std::move(e));
    at += c.length;
  }
  return cut;
}

// Reads back the clips of a cut written by random_cut/layout (or any list of plain events).
base::Result<std::vector<Clip>> clips_of(const picture::Cut& cut) {
  std::vector<Clip> clips;
  std::int64_t expect = -1;
  for (const picture::Shot& s : cut.shots()) {
    const std::int64_t rec_in = time::frame_at(s.record_in, cut.rate);
    const std::int64_t rec_out = time::frame_at(s.record_out, cut.rate);
    if (expect >= 0 && rec_in != expect) {
      return base::make_error(base::ErrorKind::invalid_input,
                              "the re-edit generator takes cuts without gaps or overlaps (event " +
                                  std::to_string(s.event) + ")");
    }
    expect = rec_out;
    Clip c;
    c.reel = s.reel;
    c.src_in = Rational(time::frame_at(s.source_in, cut.rate));
    if (s.speed) c.k = s.speed->fps / cut.rate.fps();
    c.length = rec_out - rec_in;
    if (s.transition.kind != picture::TransitionKind::cut) c.dissolve_in = s.transition.frames;
    c.old0 = rec_in;
    c.known_lo = 0;
    c.known_hi = c.length;
    clips.push_back(std::move(c));
  }
  if (clips.empty())
    return base::make_error(base::ErrorKind::invalid_input,
                            "the cut has no picture events to re-edit");
  // Under a dissolve the outgoing clip's continuation was shown too.
  for (std::size_t i = 1; i < clips.size(); ++i) {
    clips[i - 1].known_hi = clips[i - 1].length + clips[i].dissolve_in;
  }
  return clips;
}

void trim_head(Clip& c, std::int64_t n) {
  c.src_in += Rational(n) * c.k;
  c.length -= n;
  c.known_lo -= n;
  c.known_hi -= n;
  c.old0 = (Rational(c.old0) + Rational(n) * c.old_step).round();
}

void extend_head(Clip& c, std::int64_t n) {
  trim_head(c, -n);
}

bool fits_dissolve(const std::vector<Clip>& clips, std::size_t i, std::int64_t d) {
  return i > 0 && i < clips.size() && clips[i].dissolve_in == 0 && clips[i - 1].length > d + 4 &&
         clips[i].length > d + 4 && (i + 1 >= clips.size() || clips[i + 1].dissolve_in == 0) &&
         clips[i - 1].dissolve_in == 0;
}

}  // namespace

std::string_view to_string(EditOp op) {
  switch (op) {
    case EditOp::trim_head:
      return "trim head";
    case EditOp::trim_tail:
      return "trim tail";
    case EditOp::extend_head:
      return "extend head";
    case EditOp::extend_tail:
      return "extend tail";
    case EditOp::lift:
      return "lift";
    case EditOp::insert:
      return "insert";
    case EditOp::move:
      return "move";
    case EditOp::swap:
      return "swap";
    case EditOp::add_dissolve:
      return "add dissolve";
    case EditOp::remove_dissolve:
      return "remove dissolve";
    case EditOp::replace:
      return "replace";
    case EditOp::speed:
      return "speed";
    case EditOp::slip:
      return "slip";
    case EditOp::roll:
      return "roll";
  }
  return "trim head";
}

picture::Cut random_cut(const RandomCutOptions& options) {
  Draw draw(options.seed);
  std::vector<Clip> clips;
  const int reels = std::max(1, options.shots / 6);
  std::vector<std::int64_t> cursor(static_cast<std::size_t>(reels));
  for (int r = 0; r < reels; ++r) {
    // Camera rolls start on their own hour (01:00:00:00, 02:00:00:00, ... at 24 fps).
    cursor[static_cast<std::size_t>(r)] = (r + 1) * 3600 * options.rate.nominal();
  }
  for (int i = 0; i < options.shots; ++i) {
    const auto r = static_cast<std::size_t>(draw.between(0, reels - 1));
    Clip c;
    c.reel = reel_name("A", static_cast<std::int64_t>(r) + 1);
    c.length = draw.between(options.shortest, options.longest);
    if (draw.chance(options.speeds)) c.k = draw.chance(0.5) ? Rational(2) : Rational(1, 2);
    // Handles of 10 s on each side, so that trims, extensions and dissolves find material, and
    // no two shots share a frame.
    const std::int64_t handle = 10 * options.rate.nominal();
    c.src_in = Rational(cursor[r] + handle);
    cursor[r] += 2 * handle + (Rational(c.length) * Rational(2)).round() + 2;
    if (i > 0 && draw.chance(options.dissolves)) c.dissolve_in = 2 * draw.between(4, 12);
    clips.push_back(std::move(c));
  }
  // Dissolves only where both shots are long enough.
  for (std::size_t i = 1; i < clips.size(); ++i) {
    if (clips[i].dissolve_in > 0 &&
        (clips[i].length <= clips[i].dissolve_in || clips[i - 1].length <= clips[i].dissolve_in)) {
      clips[i].dissolve_in = 0;
    }
  }
  picture::Cut like;
  like.title = "RANDOM CUT " + std::to_string(options.seed);
  like.rate = options.rate;
  return layout(clips, like, options.first_frame);
}

base::Result<Reedit> reedit(const picture::Cut& cut, const ReeditOptions& options) {
  auto read = clips_of(cut);
  if (!read) return read.error();
  std::vector<Clip> clips = std::move(*read);
  const std::int64_t first = clips.front().old0;
  const std::int64_t old_last = clips.back().old0 + clips.back().length;
  Draw draw(options.seed);
  std::vector<EditOp> ops = options.ops;
  if (ops.empty()) {
    for (int i = 0; i < kEditOpCount; ++i)
      ops.push_back(static_cast<EditOp>(i));
  }
  Reedit out;
  std::vector<std::pair<std::int64_t, std::int64_t>> sped;  // old ranges of speed changes
  int fresh = 1;
  auto fresh_clip = [&](std::int64_t length) {
    Clip c;
    c.reel = reel_name("N", fresh);
    c.src_in = Rational(fresh * 3600 * cut.rate.nominal() + 10 * cut.rate.nominal());
    ++fresh;
    c.length = length;
    return c;
  };
  auto tc = [&](std::size_t i) {
    std::vector<std::int64_t> ins;
    layout(clips, cut, first, &ins);
    return cut.timecode(ins[std::min(i, ins.size() - 1)], cut.fcm);
  };
  int made = 0;
  for (int tries = 0; made < options.edits && tries < options.edits * 50; ++tries) {
    const EditOp op = ops[static_cast<std::size_t>(draw.between(0, std::ssize(ops) - 1))];
    const auto n = static_cast<std::int64_t>(clips.size());
    const auto i = static_cast<std::size_t>(draw.between(0, n - 1));
    Clip& c = clips[i];
    std::string what;
    switch (op) {
      case EditOp::trim_head:
      case EditOp::trim_tail: {
        if (c.length < 8 || c.dissolve_in > 0 ||
            (i + 1 < clips.size() && clips[i + 1].dissolve_in > 0) || c.k != Rational(1)) {
          continue;
        }
        const std::int64_t k = draw.between(3, c.length / 2);
        what = std::string(to_string(op)) + " of the shot at " + tc(i) + " by " +
               std::to_string(k) + " frames";
        if (op == EditOp::trim_head) {
          trim_head(c, k);
        } else {
          c.length -= k;
        }
        break;
      }
      case EditOp::extend_head:
      case EditOp::extend_tail: {
        if (c.dissolve_in > 0 || (i + 1 < clips.size() && clips[i + 1].dissolve_in > 0) ||
            c.k != Rational(1)) {
          continue;
        }
        const std::int64_t k = draw.between(3, 48);
        what = std::string(to_string(op)) + " of the shot at " + tc(i) + " by " +
               std::to_string(k) + " frames";
        if (op == EditOp::extend_head) {
          extend_head(c, k);
        } else {
          c.length += k;
        }
        break;
      }
      case EditOp::lift: {
        const std::int64_t count =
            std::min<std::int64_t>(draw.between(1, 3), n - 1 - static_cast<std::int64_t>(i));
        if (count < 1 || n - count < 2 || c.dissolve_in > 0 ||
            clips[i + static_cast<std::size_t>(count)].dissolve_in > 0) {
          continue;
        }
        what =
            "lift of " + std::to_string(count) + " shot" + (count > 1 ? "s" : "") + " at " + tc(i);
        clips.erase(clips.begin() + static_cast<std::ptrdiff_t>(i),
                    clips.begin() + static_cast<std::ptrdiff_t>(i) + count);
        break;
      }
      case EditOp::insert: {
        if (c.dissolve_in > 0) continue;
        const std::int64_t length = draw.between(12, 120);
        what = "insert of a new " + std::to_string(length) + "-frame shot at " + tc(i);
        clips.insert(clips.begin() + static_cast<std::ptrdiff_t>(i), fresh_clip(length));
        break;
      }
      case EditOp::move: {
        const auto to = static_cast<std::size_t>(draw.between(0, n - 1));
        if (to == i || to == i + 1 || c.dissolve_in > 0 ||
            (i + 1 < clips.size() && clips[i + 1].dissolve_in > 0) ||
            (to < clips.size() && clips[to].dissolve_in > 0)) {
          continue;
        }
        what = "move of the shot at " + tc(i) + " to " + tc(to);
        Clip moved = c;
        clips.erase(clips.begin() + static_cast<std::ptrdiff_t>(i));
        clips.insert(clips.begin() + static_cast<std::ptrdiff_t>(to > i ? to - 1 : to), moved);
        break;
      }
      case EditOp::swap: {
        if (i + 1 >= clips.size() || c.dissolve_in > 0 || clips[i + 1].dissolve_in > 0 ||
            (i + 2 < clips.size() && clips[i + 2].dissolve_in > 0)) {
          continue;
        }
        what = "swap of the shots at " + tc(i) + " and " + tc(i + 1);
        std::swap(clips[i], clips[i + 1]);
        break;
      }
      case EditOp::add_dissolve: {
        const std::int64_t d = 2 * draw.between(4, 12);
        if (!fits_dissolve(clips, i, d) || c.k != Rational(1) || clips[i - 1].k != Rational(1)) {
          continue;
        }
        what = "dissolve of " + std::to_string(d) + " frames added at " + tc(i);
        clips[i - 1].length -= d / 2;
        extend_head(c, d / 2);
        c.dissolve_in = d;
        break;
      }
      case EditOp::remove_dissolve: {
        if (c.dissolve_in == 0 || c.dissolve_in % 2 != 0 || c.k != Rational(1) ||
            clips[i - 1].k != Rational(1)) {
          continue;
        }
        what = "dissolve at " + tc(i) + " made a cut";
        const std::int64_t d = c.dissolve_in;
        clips[i - 1].length += d / 2;
        trim_head(c, d / 2);
        c.dissolve_in = 0;
        break;
      }
      case EditOp::replace: {
        if (c.dissolve_in > 0 || (i + 1 < clips.size() && clips[i + 1].dissolve_in > 0) ||
            c.length < 8) {
          continue;
        }
        what = "the shot at " + tc(i) + " replaced by another take";
        c = fresh_clip(c.length);
        break;
      }
      case EditOp::speed: {
        if (c.k != Rational(1) || c.dissolve_in > 0 || c.length % 2 != 0 ||
            (i + 1 < clips.size() && clips[i + 1].dissolve_in > 0) || c.known_lo != 0 ||
            c.known_hi != c.length) {
          continue;
        }
        const bool faster = draw.chance(0.5);
        what =
            "the shot at " + tc(i) + (faster ? " played at double speed" : " played at half speed");
        c.k = faster ? Rational(2) : Rational(1, 2);
        c.length = faster ? c.length / 2 : c.length * 2;
        c.known_hi = c.length;
        c.old_step = faster ? Rational(2) : Rational(1, 2);
        c.tolerance = 1;
        sped.emplace_back(c.old0, c.old0 + (faster ? 2 * c.length : c.length / 2));
        break;
      }
      case EditOp::slip: {
        if (c.dissolve_in > 0 || (i + 1 < clips.size() && clips[i + 1].dissolve_in > 0) ||
            c.k != Rational(1) || c.length < 8 || i == 0 || i + 1 >= clips.size()) {
          continue;
        }
        const std::int64_t k = draw.between(1, 2) * (draw.chance(0.5) ? 1 : -1);
        what = "slip of the shot at " + tc(i) + " by " + std::to_string(k) + " frames";
        c.src_in += Rational(k);
        c.known_lo -= k;
        c.known_hi -= k;
        c.old0 += k;
        c.tolerance = std::max<std::int64_t>(c.tolerance, 2);
        break;
      }
      case EditOp::roll: {
        if (i == 0 || c.dissolve_in > 0 || c.k != Rational(1) || clips[i - 1].k != Rational(1) ||
            c.length < 8 || clips[i - 1].length < 8) {
          continue;
        }
        const std::int64_t k = draw.between(1, 2) * (draw.chance(0.5) ? 1 : -1);
        what = "roll of the cut at " + tc(i) + " by " + std::to_string(k) + " frames";
        clips[i - 1].length += k;
        trim_head(c, k);
        clips[i - 1].tolerance = std::max<std::int64_t>(clips[i - 1].tolerance, 2);
        c.tolerance = std::max<std::int64_t>(c.tolerance, 2);
        break;
      }
    }
    out.applied.push_back(what);
    out.ops.push_back(op);
    ++made;
  }
  std::vector<std::int64_t> ins;
  out.cut = layout(clips, cut, first, &ins);
  out.old_first = first;
  out.truth.assign(static_cast<std::size_t>(old_last - first), -1);
  out.tolerance.assign(out.truth.size(), 0);
  // Where each clip's known frames play now: its own frames first, then what plays under a
  // dissolve after it.
  auto put = [&](const Clip& c, std::int64_t rec_in, std::int64_t lo, std::int64_t hi) {
    for (std::int64_t local = c.known_lo; local < c.known_hi; ++local) {
      const Rational old = Rational(c.old0) + Rational(local) * c.old_step;
      if (old.den() != 1) continue;  // a frame the speed change skipped over
      const std::int64_t f = old.num() - first;
      if (f < 0 || f >= std::ssize(out.truth)) continue;
      const auto at = static_cast<std::size_t>(f);
      // A healed clip's tolerance covers its old frames, shown or not.
      out.tolerance[at] = std::max(out.tolerance[at], c.tolerance);
      if (local >= lo && local < hi && out.truth[at] < 0) out.truth[at] = rec_in + local;
    }
  };
  for (std::size_t j = 0; j < clips.size(); ++j)
    put(clips[j], ins[j], 0, clips[j].length);
  for (std::size_t j = 0; j + 1 < clips.size(); ++j) {
    put(clips[j], ins[j], clips[j].length, clips[j].length + clips[j + 1].dissolve_in);
  }
  // The old frames a double-speed shot skips over go with the frame before them.
  for (const auto& [a, b] : sped) {
    for (std::int64_t f = std::max<std::int64_t>(a - first + 1, 1); f < b - first; ++f) {
      const auto at = static_cast<std::size_t>(f);
      if (at >= out.truth.size()) break;
      if (out.truth[at] < 0 && out.truth[at - 1] >= 0) out.truth[at] = out.truth[at - 1];
      out.tolerance[at] = std::max<std::int64_t>(out.tolerance[at], 1);
    }
  }
  return out;
}

}  // namespace duet::conform
