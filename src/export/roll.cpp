#include "export/roll.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "export/sheet.h"
#include "music/key.h"
#include "music/pitch.h"
#include "time/timecode.h"

namespace duet::exporting {
namespace {

using base::cat;
using compose::Role;
using time::BeatPos;
using time::TimePos;

std::string num(double v) {
  return base::fixed(v, 1);
}

std::string esc(std::string_view text) {
  return base::xml_escape(text);
}

// ---- Colours ----

// A colour per role, far apart in hue; the melody the strongest, pads the lightest.
const char* role_colour(Role role) {
  switch (role) {
    case Role::melody:
      return "#1d4ed8";
    case Role::countermelody:
      return "#0d9488";
    case Role::harmony:
      return "#65a30d";
    case Role::bass:
      return "#7c4a1e";
    case Role::pad:
      return "#a78bfa";
    case Role::ostinato:
      return "#db2777";
    case Role::percussion:
      return "#6b7280";
  }
  return "#6b7280";
}

// The k-th part of a role (from 0) in a shade of the role's colour: darker, lighter, darker
// still... so that three harmony parts stay apart and still read as harmony.
std::string part_colour(Role role, int k) {
  const std::string base = role_colour(role);
  if (k == 0) return base;
  const int step = (k + 1) / 2;
  const double f = std::min(0.2 * step, 0.6);
  const bool darker = k % 2 == 1;
  std::string out = "#";
  for (int i = 0; i < 3; ++i) {
    const int c = std::stoi(base.substr(1 + 2 * i, 2), nullptr, 16);
    const double v = darker ? c * (1 - f) : c + (255 - c) * f;
    static constexpr char kHex[] = "0123456789abcdef";
    const int byte = std::clamp(static_cast<int>(std::lround(v)), 0, 255);
    out += kHex[byte / 16];
    out += kHex[byte % 16];
  }
  return out;
}

// Drawn first (underneath) to last (on top): the melody is never hidden by a pad.
int draw_order(Role role) {
  switch (role) {
    case Role::pad:
      return 0;
    case Role::harmony:
      return 1;
    case Role::ostinato:
      return 2;
    case Role::bass:
      return 3;
    case Role::percussion:
      return 4;
    case Role::countermelody:
      return 5;
    case Role::melody:
      return 6;
  }
  return 0;
}

// The spotting sheet's colours (sheet.cpp's stylesheet) for hits and the emotion curve, so that a
// composer reads both pictures the same way.
constexpr const char* kHardHit = "#cc0000";
constexpr const char* kSoftHit = "#ee8800";
constexpr const char* kValence = "#1a7f37";
constexpr const char* kArousal = "#8250df";
constexpr const char* kTension = "#cf222e";

// ---- Text measures (an estimate: SVG has no text metrics without a renderer) ----

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

double text_width(std::string_view s, double font_size) {
  return static_cast<double>(code_points(s)) * font_size * 0.58;
}

// The text cut to fit `width` pixels at `font_size`, with "…" when cut (on a code point boundary).
std::string fit_text(std::string_view s, double width, double font_size) {
  if (text_width(s, font_size) <= width) return std::string(s);
  const double per = font_size * 0.58;
  if (width < 2 * per) return "";
  const auto keep = static_cast<std::size_t>(width / per) - 1;
  std::size_t cps = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cps == keep) break;
      ++cps;
    }
  }
  return std::string(s.substr(0, i)) + "…";
}

// Rows for labels along a strip: each label takes the first row where it does not overlap the
// one before it; past the last row it goes in the row that frees up first.
class LabelRows {
 public:
  explicit LabelRows(std::size_t rows) : ends_(std::max<std::size_t>(rows, 1), -1e9) {}
  std::size_t place(double x0, double x1) {
    std::size_t best = 0;
    for (std::size_t r = 0; r < ends_.size(); ++r) {
      if (ends_[r] <= x0) {
        best = r;
        ends_[r] = x1;
        used_ = std::max(used_, r + 1);
        return r;
      }
      if (ends_[r] < ends_[best]) best = r;
    }
    ends_[best] = std::max(ends_[best], x1);
    used_ = std::max(used_, best + 1);
    return best;
  }
  std::size_t used() const { return used_; }

 private:
  std::vector<double> ends_;
  std::size_t used_ = 0;
};

// A short name for a General MIDI drum note (the percussion lane's row labels).
std::string drum_name(int pitch) {
  switch (pitch) {
    case 35:
    case 36:
      return "kick";
    case 37:
      return "rim";
    case 38:
    case 40:
      return "snare";
    case 39:
      return "clap";
    case 41:
    case 43:
    case 45:
    case 47:
    case 48:
    case 50:
      return "tom";
    case 42:
    case 44:
      return "hi-hat";
    case 46:
      return "open hat";
    case 49:
    case 57:
      return "crash";
    case 51:
    case 59:
      return "ride";
    case 52:
      return "china";
    case 53:
      return "ride bell";
    case 54:
      return "tambourine";
    case 55:
      return "splash";
    case 56:
      return "cowbell";
    case 81:
      return "triangle";
    default:
      return "drum " + std::to_string(pitch);
  }
}

bool on_drum_channel(const compose::Part& p) {
  return p.channel == 9;
}

std::string pitch_name(int pitch) {
  return music::to_string(music::pitch_of_midi(pitch));
}

std::string tempo_text(double qpm) {
  const double rounded = std::round(qpm);
  return std::abs(qpm - rounded) < 0.05 ? base::fixed(rounded, 0) : base::fixed(qpm, 1);
}

// ---- Geometry ----

constexpr double kLeft = 64, kRight = 36, kMinWidth = 800;
constexpr double kHeading = 46;
constexpr double kSectionStrip = 22, kChordStrip = 16, kThemeRow = 16, kHitRow = 12;
constexpr double kBarStrip = 30;  // tempo and meter marks above, bar numbers below
constexpr double kRow = 6;        // one semitone of the grid
constexpr double kDrumRow = 9;
constexpr double kTimecodeStrip = 20;
constexpr double kEmotionStrip = 64;
constexpr double kLegendRow = 18;
constexpr std::size_t kMaxThemeRows = 4, kMaxHitRows = 3;

}  // namespace

std::string piano_roll_svg(const compose::Score& score, const spot::Cue& cue,
                           const RollOptions& options) {
  const time::TempoMap& map = score.tempo_map;
  const time::FrameRate& rate = options.rate;
  const auto beat_of = [&](TimePos t) { return map.beats_at(t); };

  // ---- The span drawn: the music and the cue, hits included ----
  BeatPos begin = std::min(BeatPos(0), beat_of(cue.in));
  BeatPos end = std::max(score.end, beat_of(cue.out));
  int lo_pitch = 128, hi_pitch = -1;
  std::set<int> drums;
  std::size_t note_count = 0;
  for (const auto& p : score.parts) {
    for (const auto& n : p.notes) {
      begin = std::min(begin, n.start);
      end = std::max(end, n.start + n.length);
      ++note_count;
      if (on_drum_channel(p)) {
        drums.insert(n.pitch);
      } else {
        lo_pitch = std::min(lo_pitch, n.pitch);
        hi_pitch = std::max(hi_pitch, n.pitch);
      }
    }
  }
  for (const auto& h : cue.hits) {
    begin = std::min(begin, beat_of(h.at));
    end = std::max(end, beat_of(h.at));
  }
  if (end <= begin) end = begin + time::quarters(4);
  const double quarters =
      static_cast<double>((end - begin).ticks()) / static_cast<double>(time::kTicksPerQuarter);

  const double max_width = std::max(kMinWidth, options.max_width);
  const double natural = kLeft + kRight + quarters * std::max(options.px_per_quarter, 0.01);
  const double width = std::clamp(natural, kMinWidth, max_width);
  const double plot_w = width - kLeft - kRight;
  const double px_per_quarter = plot_w / quarters;
  const auto x = [&](BeatPos b) {
    return kLeft + static_cast<double>((b - begin).ticks()) /
                       static_cast<double>(time::kTicksPerQuarter) * px_per_quarter;
  };
  const auto xt = [&](TimePos t) { return x(beat_of(t)); };
  const double x_end = kLeft + plot_w;

  // Whole octaves around the pitched notes, two at least (C3..C5 with none).
  if (hi_pitch < 0) {
    lo_pitch = 48;
    hi_pitch = 71;
  }
  int lo = (lo_pitch / 12) * 12;
  int hi = (hi_pitch / 12 + 1) * 12;  // exclusive: the C above the top note
  if (hi - lo < 24) {
    lo = std::max(0, lo - 12);
    if (hi - lo < 24) hi = lo + 24;
  }
  const int rows = hi - lo;

  // ---- Label rows for themes and hits (their heights set the layout) ----
  std::vector<std::size_t> theme_row(score.themes.size());
  LabelRows theme_rows(kMaxThemeRows);
  for (std::size_t i = 0; i < score.themes.size(); ++i) {
    const auto& t = score.themes[i];
    const double x0 = x(t.at), x1 = std::max(x(t.at + t.length), x0 + 4);
    const std::string label = t.theme + " · " + t.part;
    theme_row[i] = theme_rows.place(x0, std::max(x1, x0 + text_width(label, 10) + 8) + 4);
  }
  std::vector<std::size_t> hit_row(cue.hits.size());
  LabelRows hit_rows(kMaxHitRows);
  for (std::size_t i = 0; i < cue.hits.size(); ++i) {
    const double hx = xt(cue.hits[i].at);
    const std::string label = cue.hits[i].label.empty() ? "hit" : cue.hits[i].label;
    hit_row[i] = hit_rows.place(hx - 2, hx + 4 + text_width(label, 10) + 6);
  }

  double y = kHeading;
  const double section_top = y;
  y += kSectionStrip;
  const double chord_top = y;
  if (!score.chords.empty()) y += kChordStrip;
  const double theme_top = y;
  y += kThemeRow * static_cast<double>(theme_rows.used());
  const double hit_top = y;
  y += kHitRow * static_cast<double>(hit_rows.used());
  const double bar_top = y;
  y += kBarStrip;
  const double grid_top = y;
  y += kRow * rows;
  const double grid_bottom = y;
  const double drum_top = y + 6;
  if (!drums.empty()) y = drum_top + kDrumRow * static_cast<double>(drums.size());
  const double lanes_bottom = y;
  const double tc_top = y;
  y += kTimecodeStrip;
  const double emotion_top = y + 6;
  if (!cue.emotion.empty()) y = emotion_top + kEmotionStrip;
  const double emotion_bottom = y;
  const double legend_top = y + 12;

  // The legend's entries, wrapped to the width (its height closes the layout).
  struct LegendEntry {
    std::string text;
    std::string swatch;  // SVG for a swatch at (0,0)..(14,10), translated into place
  };
  std::vector<LegendEntry> legend;
  std::vector<const compose::Part*> parts;
  for (const auto& p : score.parts)
    if (!p.notes.empty()) parts.push_back(&p);
  std::stable_sort(parts.begin(), parts.end(), [](const compose::Part* a, const compose::Part* b) {
    return draw_order(a->role) < draw_order(b->role);
  });
  std::map<const compose::Part*, std::string> part_fill;
  {
    std::map<Role, int> seen;
    for (const auto& p : score.parts)
      if (!p.notes.empty()) part_fill[&p] = part_colour(p.role, seen[p.role]++);
  }
  for (const auto& p : score.parts) {
    if (p.notes.empty()) continue;
    const std::string name = p.name.empty() ? "(unnamed)" : p.name;
    legend.push_back(
        {cat(name, " (", compose::to_string(p.role), on_drum_channel(p) ? ", lane" : "", ")"),
         cat("<rect width=\"14\" height=\"10\" fill=\"", part_fill[&p], "\"/>")});
  }
  if (!cue.hits.empty()) {
    legend.push_back({"hard hit", cat("<line x1=\"7\" y1=\"-1\" x2=\"7\" y2=\"11\" stroke=\"",
                                      kHardHit, "\" stroke-width=\"2\"/>")});
    legend.push_back(
        {"soft hit", cat("<line x1=\"7\" y1=\"-1\" x2=\"7\" y2=\"11\" stroke=\"", kSoftHit,
                         "\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>")});
  }
  if (!cue.dialogue.empty()) {
    legend.push_back({"dialogue",
                      "<rect width=\"14\" height=\"10\" fill=\"#888\" "
                      "fill-opacity=\"0.3\"/>"});
  }
  if (!cue.emotion.empty()) {
    legend.push_back({"valence", cat("<line x1=\"0\" y1=\"5\" x2=\"14\" y2=\"5\" stroke=\"",
                                     kValence, "\" stroke-width=\"2\"/>")});
    legend.push_back({"arousal", cat("<line x1=\"0\" y1=\"5\" x2=\"14\" y2=\"5\" stroke=\"",
                                     kArousal, "\" stroke-width=\"2\"/>")});
    legend.push_back(
        {"tension", cat("<line x1=\"0\" y1=\"5\" x2=\"14\" y2=\"5\" stroke=\"", kTension,
                        "\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>")});
  }
  legend.push_back({"velocity: opacity",
                    "<rect width=\"4\" height=\"10\" fill=\"#333\" "
                    "fill-opacity=\"0.3\"/><rect x=\"5\" width=\"4\" "
                    "height=\"10\" fill=\"#333\" fill-opacity=\"0.65\"/>"
                    "<rect x=\"10\" width=\"4\" height=\"10\" fill=\"#333\"/>"});
  struct Placed {
    double x, y;
  };
  std::vector<Placed> legend_at;
  {
    double lx = kLeft, ly = legend_top;
    for (const auto& e : legend) {
      const double w = 20 + text_width(e.text, 11) + 18;
      if (lx + w > width - kRight && lx > kLeft) {
        lx = kLeft;
        ly += kLegendRow;
      }
      legend_at.push_back({lx, ly});
      lx += w;
    }
  }
  const double height = (legend_at.empty() ? legend_top : legend_at.back().y) + kLegendRow + 6;

  // ---- The picture ----
  std::string s;
  s.reserve(4096 + note_count * 160);
  s += cat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", num(width), "\" height=\"",
           num(height), "\" viewBox=\"0 0 ", num(width), " ", num(height),
           "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"10\" class=\"piano-roll\" "
           "role=\"img\">\n");
  const std::string heading = options.title.empty()
                                  ? cue.id.to_string() + (cue.title.empty() ? "" : " " + cue.title)
                                  : options.title;
  s += cat("<title>", esc(heading), " — piano roll</title>\n");
  s += cat("<rect width=\"", num(width), "\" height=\"", num(height), "\" fill=\"#ffffff\"/>\n");
  s += cat("<text x=\"", num(kLeft),
           "\" y=\"20\" font-size=\"16\" font-weight=\"bold\" "
           "class=\"heading\">",
           esc(heading), "</text>\n");
  {
    std::string sub =
        cat(time::nearest_label(cue.in, rate), " – ", time::nearest_label(cue.out, rate), " (",
            time::duration_label(cue.duration(), rate), ") · ", rate.name(), " fps · ",
            map.bbt_at(end - time::BeatDur(1)).bar - map.bbt_at(begin).bar + 1, " bars · ",
            parts.size(), parts.size() == 1 ? " part · " : " parts · ", note_count,
            note_count == 1 ? " note" : " notes");
    s += cat("<text x=\"", num(kLeft),
             "\" y=\"36\" font-size=\"11\" fill=\"#555\" "
             "class=\"subheading\">",
             esc(sub), "</text>\n");
  }

  // The grid's background: black-key rows shaded, a line and a label at every C.
  s += "<g class=\"grid\">\n";
  for (int p = lo; p < hi; ++p) {
    const double ry = grid_top + (hi - 1 - p) * kRow;
    const int pc = p % 12;
    const bool black = pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
    if (black) {
      s += cat("<rect x=\"", num(kLeft), "\" y=\"", num(ry), "\" width=\"", num(plot_w),
               "\" height=\"", num(kRow), "\" fill=\"#f1f3f5\"/>\n");
    }
    if (pc == 0) {
      s += cat("<line x1=\"", num(kLeft - 4), "\" y1=\"", num(ry + kRow), "\" x2=\"", num(x_end),
               "\" y2=\"", num(ry + kRow), "\" stroke=\"#b8c0c8\" stroke-width=\"0.8\"/>\n");
      s += cat("<text x=\"", num(kLeft - 7), "\" y=\"", num(ry + kRow),
               "\" text-anchor=\"end\" "
               "class=\"octave\" fill=\"#444\">",
               pitch_name(p), "</text>\n");
    }
  }
  s += cat("<rect x=\"", num(kLeft), "\" y=\"", num(grid_top), "\" width=\"", num(plot_w),
           "\" height=\"", num(grid_bottom - grid_top),
           "\" fill=\"none\" stroke=\"#9aa4ae\" stroke-width=\"1\"/>\n");
  s += "</g>\n";
  if (!drums.empty()) {
    s += "<g class=\"drum-lane\">\n";
    s += cat("<rect x=\"", num(kLeft), "\" y=\"", num(drum_top), "\" width=\"", num(plot_w),
             "\" height=\"", num(lanes_bottom - drum_top),
             "\" fill=\"#f7f7f5\" stroke=\"#9aa4ae\" stroke-width=\"1\"/>\n");
    std::size_t i = 0;
    for (auto it = drums.rbegin(); it != drums.rend(); ++it, ++i) {
      const double ry = drum_top + kDrumRow * static_cast<double>(i);
      s += cat("<text x=\"", num(kLeft - 7), "\" y=\"", num(ry + kDrumRow - 1),
               "\" text-anchor=\"end\" font-size=\"8\" fill=\"#555\">", esc(drum_name(*it)),
               "</text>\n");
    }
    s += "</g>\n";
  }

  // Outside the cue's in..out: greyed.
  const double x_in = xt(cue.in), x_out = xt(cue.out);
  if (x_in > kLeft + 0.05) {
    s += cat("<rect x=\"", num(kLeft), "\" y=\"", num(grid_top), "\" width=\"", num(x_in - kLeft),
             "\" height=\"", num(lanes_bottom - grid_top),
             "\" fill=\"#000\" fill-opacity=\"0.07\" class=\"outside\"/>\n");
  }
  if (x_out < x_end - 0.05) {
    s += cat("<rect x=\"", num(x_out), "\" y=\"", num(grid_top), "\" width=\"", num(x_end - x_out),
             "\" height=\"", num(lanes_bottom - grid_top),
             "\" fill=\"#000\" fill-opacity=\"0.07\" class=\"outside\"/>\n");
  }

  // ---- Bars and beats from the tempo map ----
  {
    const time::MeterMap& meters = map.meters();
    const std::int64_t first_bar = map.bbt_at(begin).bar;
    const std::int64_t last_bar = map.bbt_at(end).bar;
    // The narrowest bar sets how often bar numbers are written (at least 26 px apart).
    double min_bar_px = 1e9;
    for (const auto& m : meters.changes())
      min_bar_px = std::min(min_bar_px, static_cast<double>(m.meter.bar_length().ticks()) /
                                            time::kTicksPerQuarter * px_per_quarter);
    // Bar numbers need room for their digits.
    const double number_px = 8 + 6.5 * static_cast<double>(std::to_string(last_bar).size());
    std::int64_t every = 1;
    while (static_cast<double>(every) * min_bar_px < std::max(26.0, number_px) &&
           every < (std::int64_t{1} << 40))
      every *= 2;
    s += "<g class=\"bars\">\n";
    for (std::int64_t bar = first_bar; bar <= last_bar; ++bar) {
      const BeatPos start = meters.bar_start(bar);
      const BeatPos next = meters.bar_start(bar + 1);
      if (start > end) break;
      const bool numbered = (bar - 1) % every == 0 || bar == first_bar;
      const double bx = x(start);
      if (start >= begin && (numbered || min_bar_px >= 4)) {
        s += cat("<line x1=\"", num(bx), "\" y1=\"", num(bar_top + 16), "\" x2=\"", num(bx),
                 "\" y2=\"", num(lanes_bottom), "\" stroke=\"#8a939c\" stroke-width=\"",
                 numbered ? "0.9" : "0.5", "\" class=\"barline\"/>\n");
      }
      if (start >= begin && numbered) {
        s += cat("<text x=\"", num(bx + 2), "\" y=\"", num(bar_top + 26),
                 "\" class=\"bar-number\" fill=\"#333\">", bar, "</text>\n");
      }
      // Beat ticks (and faint beat lines through the grid when the beats are far enough apart).
      const time::BeatDur beat = map.meter_at(start).beat_length();
      const double beat_px =
          static_cast<double>(beat.ticks()) / time::kTicksPerQuarter * px_per_quarter;
      if (beat_px >= 5) {
        for (BeatPos b = start + beat; b < next && b <= end; b += beat) {
          if (b < begin) continue;
          const double tx = x(b);
          s += cat("<line x1=\"", num(tx), "\" y1=\"", num(bar_top + 26), "\" x2=\"", num(tx),
                   "\" y2=\"", num(bar_top + 30), "\" stroke=\"#8a939c\" class=\"beat\"/>\n");
          if (beat_px >= 14) {
            s +=
                cat("<line x1=\"", num(tx), "\" y1=\"", num(grid_top), "\" x2=\"", num(tx),
                    "\" y2=\"", num(grid_bottom), "\" stroke=\"#e3e7eb\" stroke-width=\"0.5\"/>\n");
          }
        }
      }
    }
    // Meter changes (the first meter too) and tempo marks, above the bar numbers, in time order;
    // a meter before a tempo at the same place. A mark that would overlap the one before it is
    // left out (a dense map squeezed into a long picture); a meter is moved right instead.
    struct Mark {
      BeatPos at;
      bool meter;
      std::string text;
    };
    std::vector<Mark> marks;
    for (const auto& m : meters.changes())
      if (m.at >= begin && m.at <= end) marks.push_back({m.at, true, m.meter.to_string()});
    const auto& tempos = map.tempo_changes();
    for (std::size_t i = 0; i < tempos.size(); ++i) {
      const auto& t = tempos[i];
      if (t.at < begin || t.at > end) continue;
      std::string text = "♩ = " + tempo_text(map.quarters_per_minute_at(t.at));
      if (t.ramp != time::Ramp::none && i + 1 < tempos.size()) {
        const bool faster =
            map.quarters_per_minute_at(tempos[i + 1].at) > map.quarters_per_minute_at(t.at);
        text += faster ? " accel." : " rit.";
      }
      marks.push_back({t.at, false, std::move(text)});
    }
    std::stable_sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) {
      return a.at < b.at || (a.at == b.at && a.meter && !b.meter);
    });
    double free_from = -1e9;
    for (const auto& m : marks) {
      const double mx = std::max(x(m.at) + 2, free_from);
      if (!m.meter && (mx > x(m.at) + 26 || mx > x_end)) continue;
      s += cat(
          "<text x=\"", num(mx), "\" y=\"", num(bar_top + 12), "\"",
          m.meter ? " font-weight=\"bold\" class=\"meter\">" : " fill=\"#333\" class=\"tempo\">",
          esc(m.text), "</text>\n");
      free_from = mx + text_width(m.text, 10) + (m.meter ? 6 : 8);
    }
    s += "</g>\n";
  }

  // ---- Timecode under the grid: the cue's in and out, and round label seconds between ----
  {
    const double cue_secs = std::max(time::seconds(cue.out - cue.in), 1e-3);
    const double px_per_second = std::max(x_out - x_in, 1.0) / cue_secs;
    static constexpr int kSteps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    int step = kSteps[std::size(kSteps) - 1];
    for (int st : kSteps) {
      if (st * px_per_second >= 90) {
        step = st;
        break;
      }
    }
    constexpr double kApart = 72;  // a label is about 60 px wide at 9 px
    s += "<g class=\"timecode\">\n";
    const auto label = [&](double tx, const std::string& text, bool bold) {
      s += cat("<line x1=\"", num(tx), "\" y1=\"", num(tc_top), "\" x2=\"", num(tx), "\" y2=\"",
               num(tc_top + 5), "\" stroke=\"#555\"/>\n");
      s += cat("<text x=\"", num(tx), "\" y=\"", num(tc_top + 15),
               "\" text-anchor=\"middle\" font-size=\"9\" fill=\"", bold ? "#222" : "#666", "\"",
               bold ? " font-weight=\"bold\"" : "", " class=\"tc\">", esc(text), "</text>\n");
    };
    label(x_in, time::nearest_label(cue.in, rate), true);
    label(x_out, time::nearest_label(cue.out, rate), true);
    const TimePos t0 = map.time_at(begin), t1 = map.time_at(end);
    const time::Timecode first = time::timecode_at(t0, rate);
    const std::int64_t first_second = first.hours * 3600 + first.minutes * 60 + first.seconds;
    for (std::int64_t l = (first_second + step - 1) / step * step; l < 86400; l += step) {
      // The first label of that timecode second (drop-frame counting skips ;00 and ;01 at most
      // minutes).
      time::Timecode tc;
      tc.hours = static_cast<int>(l / 3600);
      tc.minutes = static_cast<int>(l / 60 % 60);
      tc.seconds = static_cast<int>(l % 60);
      tc.frames = tc.seconds == 0 && tc.minutes % 10 != 0 ? rate.dropped_per_minute() : 0;
      const TimePos at = time::to_time(tc, rate);
      if (at < t0) continue;
      if (at > t1) break;
      const double tx = xt(at);
      if (std::abs(tx - x_in) < kApart || std::abs(tx - x_out) < kApart) continue;
      label(tx, time::format_timecode(tc, rate), false);
    }
    s += "</g>\n";
  }

  // ---- Dialogue windows: shaded over the grid and the drum lane ----
  for (const auto& d : cue.dialogue) {
    const double d0 = std::max(xt(d.start), kLeft), d1 = std::min(xt(d.end), x_end);
    if (d1 <= d0) continue;
    const std::string what =
        cat("dialogue", d.speaker.empty() ? "" : ": " + d.speaker, " ",
            time::nearest_label(d.start, rate), " – ", time::nearest_label(d.end, rate));
    s += cat("<rect x=\"", num(d0), "\" y=\"", num(grid_top), "\" width=\"", num(d1 - d0),
             "\" height=\"", num(lanes_bottom - grid_top),
             "\" fill=\"#888\" fill-opacity=\"0.2\" class=\"dialogue\"><title>", esc(what),
             "</title></rect>\n");
    const std::string label = fit_text(d.speaker.empty() ? "dialogue" : d.speaker, d1 - d0 - 4, 9);
    if (!label.empty()) {
      s += cat("<text x=\"", num(d0 + 2), "\" y=\"", num(grid_top + 10),
               "\" font-size=\"9\" font-style=\"italic\" fill=\"#555\" class=\"speaker\">",
               esc(label), "</text>\n");
    }
  }

  // ---- Sections: a rehearsal mark, its reason, and a line through the grid ----
  for (std::size_t i = 0; i < score.sections.size(); ++i) {
    const auto& sec = score.sections[i];
    if (sec.at < begin || sec.at > end) continue;
    const double sx = x(sec.at);
    const double next_x = i + 1 < score.sections.size() ? x(score.sections[i + 1].at) : x_end;
    const double box_w = std::max(14.0, text_width(sec.label, 11) + 8);
    s += cat("<g class=\"section\"><title>", esc(sec.label), ": ", esc(sec.reason), " (",
             esc(music::to_string(sec.key)), ", ", tempo_text(sec.bpm), " bpm; valence ",
             base::fixed(sec.valence, 2), ", arousal ", base::fixed(sec.arousal, 2), ", tension ",
             base::fixed(sec.tension, 2), ")</title>\n");
    s += cat("<rect x=\"", num(sx), "\" y=\"", num(section_top + 3), "\" width=\"", num(box_w),
             "\" height=\"16\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"1.2\"/>\n");
    s += cat("<text x=\"", num(sx + box_w / 2), "\" y=\"", num(section_top + 15),
             "\" text-anchor=\"middle\" font-size=\"11\" font-weight=\"bold\" "
             "class=\"section-label\">",
             esc(sec.label), "</text>\n");
    const std::string reason = fit_text(sec.reason, next_x - sx - box_w - 8, 10);
    if (!reason.empty()) {
      s += cat("<text x=\"", num(sx + box_w + 4), "\" y=\"", num(section_top + 15),
               "\" fill=\"#444\" class=\"section-reason\">", esc(reason), "</text>\n");
    }
    s += cat("<line x1=\"", num(sx), "\" y1=\"", num(section_top + 19), "\" x2=\"", num(sx),
             "\" y2=\"", num(lanes_bottom),
             "\" stroke=\"#222\" stroke-opacity=\"0.45\" "
             "stroke-width=\"1.2\"/>\n</g>\n");
  }

  // ---- Chord symbols ----
  if (!score.chords.empty()) {
    s += "<g class=\"chords\">\n";
    double free_from = -1e9;
    for (const auto& c : score.chords) {
      if (c.at < begin || c.at > end) continue;
      const double cx = x(c.at);
      if (cx < free_from)
        continue;  // too close to the one before: its <title> is lost, not
                   // the picture's legibility
      s += cat("<text x=\"", num(cx + 1), "\" y=\"", num(chord_top + 12),
               "\" font-weight=\"bold\" fill=\"#333\" class=\"chord\">", esc(c.symbol), "<title>",
               esc(c.symbol), c.role.empty() ? "" : ": " + esc(c.role), "</title></text>\n");
      free_from = cx + text_width(c.symbol, 10) + 6;
    }
    s += "</g>\n";
  }

  // ---- Theme uses: brackets over their span ----
  for (std::size_t i = 0; i < score.themes.size(); ++i) {
    const auto& t = score.themes[i];
    const double x0 = x(t.at), x1 = std::max(x(t.at + t.length), x0 + 4);
    const double ry = theme_top + kThemeRow * static_cast<double>(theme_row[i]);
    const time::BBT from = map.bbt_at(t.at), to = map.bbt_at(t.at + t.length);
    s += cat("<g class=\"theme\"><title>", esc(t.theme), " in ", esc(t.part), ", bars ", from.bar,
             "–", to.bar, t.derivation.empty() ? "" : "; " + esc(t.derivation),
             "; recognisability ", base::fixed(t.recognisability, 2), "</title>");
    s += cat("<path d=\"M", num(x0), " ", num(ry + 8), " V", num(ry + 13), " H", num(x1), " V",
             num(ry + 8), "\" fill=\"none\" stroke=\"#0f5e63\" stroke-width=\"1.4\"/>");
    s += cat("<text x=\"", num(x0 + 4), "\" y=\"", num(ry + 10),
             "\" fill=\"#0f5e63\" class=\"theme-label\">", esc(t.theme + " · " + t.part),
             "</text></g>\n");
  }

  // ---- Notes, pads underneath and the melody on top ----
  for (const compose::Part* p : parts) {
    const bool lane = on_drum_channel(*p);
    const std::string role(compose::to_string(p->role));
    const bool melody = p->role == Role::melody;
    s += cat("<g class=\"part\" fill=\"", part_fill[p], "\"",
             melody ? " stroke=\"#0b2a80\" stroke-width=\"0.6\"" : "", ">\n");
    for (const auto& n : p->notes) {
      double ny = 0, nh = 0;
      if (lane) {
        const auto rank = static_cast<double>(std::distance(drums.find(n.pitch), drums.end()) - 1);
        ny = drum_top + kDrumRow * rank + 1;
        nh = kDrumRow - 2;
      } else {
        ny = grid_top + (hi - 1 - n.pitch) * kRow + 0.5;
        nh = kRow - 1;
      }
      const double nx = x(n.start);
      const double nw = std::max(x(n.start + n.length) - nx - 0.4, lane ? 2.0 : 1.0);
      const time::BBT at = map.bbt_at(n.start);
      const double opacity = 0.3 + 0.7 * std::clamp(n.velocity, 1, 127) / 127.0;
      s += cat("<rect class=\"note ", role, "\" x=\"", num(nx), "\" y=\"", num(ny), "\" width=\"",
               num(nw), "\" height=\"", num(nh), "\" fill-opacity=\"", base::fixed(opacity, 2),
               "\"><title>", esc(p->name), ": ",
               lane ? esc(drum_name(n.pitch)) : pitch_name(n.pitch), " vel ", n.velocity, ", bar ",
               at.bar, " beat ", at.beat, "</title></rect>\n");
    }
    s += "</g>\n";
  }

  // ---- The emotion curve, sampled over the cue ----
  if (!cue.emotion.empty()) {
    const double top = emotion_top, bottom = emotion_bottom;
    s += "<g class=\"emotion\">\n";
    s += cat("<rect x=\"", num(kLeft), "\" y=\"", num(top), "\" width=\"", num(plot_w),
             "\" height=\"", num(bottom - top), "\" fill=\"#fbfbfa\" stroke=\"#9aa4ae\"/>\n");
    const double mid = (top + bottom) / 2;
    s += cat("<line x1=\"", num(kLeft), "\" y1=\"", num(mid), "\" x2=\"", num(x_end), "\" y2=\"",
             num(mid), "\" stroke=\"#c8ced4\" stroke-dasharray=\"2 3\"/>\n");
    s += cat("<text x=\"", num(kLeft - 7), "\" y=\"", num(top + 9),
             "\" text-anchor=\"end\" font-size=\"8\" fill=\"#777\">+1</text>\n");
    s += cat("<text x=\"", num(kLeft - 7), "\" y=\"", num(mid + 3),
             "\" text-anchor=\"end\" font-size=\"8\" fill=\"#777\">0</text>\n");
    s += cat("<text x=\"", num(kLeft - 7), "\" y=\"", num(bottom - 2),
             "\" text-anchor=\"end\" font-size=\"8\" fill=\"#777\">−1</text>\n");
    s += cat("<text x=\"", num(kLeft - 34), "\" y=\"", num(mid),
             "\" font-size=\"9\" fill=\"#555\" "
             "transform=\"rotate(-90 ",
             num(kLeft - 34), " ", num(mid), ")\" text-anchor=\"middle\">emotion</text>\n");
    // Samples every few pixels across the cue plus every keyframe inside it, in time order.
    std::vector<TimePos> at;
    const double span_px = std::max(x_out - x_in, 1.0);
    const auto samples = static_cast<std::int64_t>(std::clamp(span_px / 3, 2.0, 2000.0));
    const std::int64_t dur = (cue.out - cue.in).ticks();
    for (std::int64_t i = 0; i <= samples; ++i)
      at.push_back(cue.in + time::TimeDur(dur / samples * i + dur % samples * i / samples));
    for (const auto& k : cue.emotion.keys)
      if (k.at > cue.in && k.at < cue.out) at.push_back(k.at);
    std::sort(at.begin(), at.end());
    struct Line {
      const char* name;
      const char* colour;
      double (*get)(const spot::Emotion&);
      bool unipolar;  // tension 0..1 spans the strip; valence and arousal -1..1
    };
    const Line lines[] = {
        {"valence", kValence, [](const spot::Emotion& e) { return e.valence; }, false},
        {"arousal", kArousal, [](const spot::Emotion& e) { return e.arousal; }, false},
        {"tension", kTension, [](const spot::Emotion& e) { return e.tension; }, true},
    };
    const double h = bottom - top - 4;
    for (const Line& line : lines) {
      std::string points;
      for (TimePos t : at) {
        const double v = line.get(*cue.emotion.value_at(t));
        const double f = std::clamp(line.unipolar ? v : (v + 1) / 2, 0.0, 1.0);
        points += cat(points.empty() ? "" : " ", num(xt(t)), ",", num(bottom - 2 - f * h));
      }
      s += cat("<polyline points=\"", points, "\" fill=\"none\" stroke=\"", line.colour,
               "\" stroke-width=\"1.6\"", line.unipolar ? " stroke-dasharray=\"4 2\"" : "",
               " class=\"", line.name, "\"/>\n");
    }
    for (const auto& k : cue.emotion.keys) {
      if (k.at < cue.in || k.at > cue.out) continue;
      s += cat("<circle cx=\"", num(xt(k.at)), "\" cy=\"", num(bottom - 2),
               "\" r=\"2.2\" fill=\"#555\" class=\"keyframe\"><title>",
               time::nearest_label(k.at, rate), ": valence ", base::fixed(k.value.valence, 2),
               ", arousal ", base::fixed(k.value.arousal, 2), ", tension ",
               base::fixed(k.value.tension, 2), "</title></circle>\n");
    }
    s += "</g>\n";
  }

  // ---- Hit points over everything, labelled at the top ----
  const double hits_bottom = cue.emotion.empty() ? tc_top : emotion_bottom;
  for (std::size_t i = 0; i < cue.hits.size(); ++i) {
    const auto& h = cue.hits[i];
    const bool hard = h.kind == spot::HitKind::hard;
    const double hx = xt(h.at);
    const double ly = hit_top + kHitRow * static_cast<double>(hit_row[i]);
    const char* colour = hard ? kHardHit : kSoftHit;
    const std::string label = h.label.empty() ? "hit" : h.label;
    s += cat("<g class=\"hit-point\"><title>", esc(label), " ", time::nearest_label(h.at, rate),
             " (", spot::hit_kind_name(h.kind), ", ", h.land.to_string(),
             h.accent ? ", accent" : "", ")</title>");
    s += cat("<line x1=\"", num(hx), "\" y1=\"", num(ly + 2), "\" x2=\"", num(hx), "\" y2=\"",
             num(hits_bottom), "\" stroke=\"", colour, "\" stroke-width=\"", hard ? "1.6" : "1.3",
             "\"", hard ? "" : " stroke-dasharray=\"5 3\"", " class=\"hit ",
             spot::hit_kind_name(h.kind), "\"/>");
    s += cat("<text x=\"", num(hx + 3), "\" y=\"", num(ly + 10), "\" fill=\"", colour,
             "\" font-weight=\"", hard ? "bold" : "normal", "\" class=\"hit-label\">", esc(label),
             "</text></g>\n");
  }

  // ---- Legend ----
  s += "<g class=\"legend\">\n";
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const auto& e = legend[i];
    const auto& at = legend_at[i];
    s += cat("<g transform=\"translate(", num(at.x), " ", num(at.y), ")\">", e.swatch,
             "<text x=\"20\" y=\"9.5\" font-size=\"11\" fill=\"#222\">", esc(e.text),
             "</text></g>\n");
  }
  s += "</g>\n</svg>\n";
  return s;
}

}  // namespace duet::exporting
