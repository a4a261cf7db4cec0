#include "export/conform_page.h"

#include <algorithm>

#include "base/text.h"
#include "time/timecode.h"

namespace duet::exporting {

namespace {

using base::cat;
using base::xml_escape;

constexpr double kWidth = 1200.0;  // px, the drawing's user units
constexpr double kLeft = 70.0;     // px for the row labels

std::string tc(std::int64_t frame, const picture::Cut& cut) {
  return cut.timecode(frame, cut.fcm);
}

// "2.500 s (60 frames)".
std::string length_text(std::int64_t frames, const time::FrameRate& rate) {
  return base::fixed((time::Rational(frames) / rate.fps()).to_double(), 3) + " s (" +
         std::to_string(frames) + (frames == 1 ? " frame)" : " frames)");
}

struct Scale {
  std::int64_t first = 0;
  std::int64_t last = 1;
  double x(std::int64_t frame) const {
    return kLeft + (kWidth - kLeft - 10.0) * static_cast<double>(frame - first) /
                       static_cast<double>(std::max<std::int64_t>(1, last - first));
  }
};

std::string fmt(double v) {
  return base::fixed(v, 1);
}

// Shots of a cut as blocks on one row, coloured by what became of their frames.
std::string shot_row(const picture::Cut& cut, const Scale& sc, double y, double h,
                     const conform::CutDiff& diff, bool old_side) {
  std::string s;
  for (const picture::Shot& shot : cut.shots()) {
    const std::int64_t a = time::frame_at(shot.record_in, cut.rate);
    const std::int64_t b = time::frame_at(shot.record_out, cut.rate);
    s += cat("<rect x=\"", fmt(sc.x(a)), "\" y=\"", fmt(y), "\" width=\"",
             fmt(std::max(0.5, sc.x(b) - sc.x(a))), "\" height=\"", fmt(h),
             "\" class=\"shot\"><title>", xml_escape(shot.reel), " ", tc(a, cut), " to ",
             tc(b, cut), "</title></rect>\n");
  }
  // What changed, drawn over the shots.
  for (const conform::Change& c : diff.changes) {
    const std::int64_t a = old_side ? c.old_in : c.new_in;
    const std::int64_t b = old_side ? c.old_out : c.new_out;
    if (b <= a) continue;
    s += cat("<rect x=\"", fmt(sc.x(a)), "\" y=\"", fmt(y), "\" width=\"",
             fmt(std::max(1.0, sc.x(b) - sc.x(a))), "\" height=\"", fmt(h), "\" class=\"",
             conform::to_string(c.kind), "\"><title>", conform::to_string(c.kind), " ", tc(a, cut),
             " to ", tc(b, cut), "</title></rect>\n");
  }
  return s;
}

std::string svg(const ConformPage& p) {
  const conform::CutDiff& d = p.diff;
  Scale sc{std::min(d.old_first, d.new_first), std::max(d.old_last, d.new_last)};
  for (const picture::Cut* cut : {&p.old_cut, &p.new_cut}) {
    for (const picture::Shot& shot : cut->shots()) {
      sc.first = std::min(sc.first, time::frame_at(shot.record_in, cut->rate));
      sc.last = std::max(sc.last, time::frame_at(shot.record_out, cut->rate));
    }
  }
  for (const ConformedCue& c : p.cues) {
    sc.first = std::min({sc.first, c.old_in, c.new_in});
    sc.last = std::max({sc.last, c.old_out, c.new_out});
  }
  const bool cues = !p.cues.empty();
  const double cue_h = cues ? 16.0 : 0.0;
  const double old_y = 30.0 + cue_h;
  const double row_h = 28.0;
  const double new_y = old_y + row_h + 120.0;
  const double height = new_y + row_h + cue_h + 40.0;
  std::string s = cat("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", fmt(kWidth), " ",
                      fmt(height), "\" class=\"cuts\">\n");
  // Ticks along the top, at the first of 1, 2, 5, 10, 30 s, 1, 2, 5, 10 min that gives at
  // most a dozen.
  const std::int64_t second = d.rate.nominal();
  std::int64_t step = 600 * second;
  for (const std::int64_t s_ : {1, 2, 5, 10, 30, 60, 120, 300, 600}) {
    if ((sc.last - sc.first) / (s_ * second) <= 12) {
      step = s_ * second;
      break;
    }
  }
  for (std::int64_t f = (sc.first + step - 1) / step * step; f < sc.last; f += step) {
    s += cat("<line x1=\"", fmt(sc.x(f)), "\" y1=\"16\" x2=\"", fmt(sc.x(f)), "\" y2=\"",
             fmt(height - 20.0), "\" class=\"grid\"/><text x=\"", fmt(sc.x(f) + 2.0),
             "\" y=\"12\" class=\"tick\">", tc(f, p.new_cut), "</text>\n");
  }
  s += cat("<text x=\"4\" y=\"", fmt(old_y + 18.0), "\" class=\"label\">old cut</text>\n");
  // The key to the colours, under the new cut.
  double kx = kLeft;
  for (const char* kind : {"remove", "trim", "insert", "extend", "replace", "move", "speed"}) {
    s += cat("<rect x=\"", fmt(kx), "\" y=\"", fmt(height - 14.0),
             "\" width=\"10\" height=\"10\" class=\"", kind, "\"/><text x=\"", fmt(kx + 13.0),
             "\" y=\"", fmt(height - 5.0), "\" class=\"tick\">", kind, "</text>\n");
    kx += 75.0;
  }
  s += cat("<text x=\"4\" y=\"", fmt(new_y + 18.0), "\" class=\"label\">new cut</text>\n");
  // A band from each kept piece's old place to its new one.
  for (const conform::Segment& seg : d.map.segments()) {
    const bool moved = std::any_of(d.changes.begin(), d.changes.end(), [&](const auto& c) {
      return c.kind == conform::ChangeKind::move && c.old_in <= seg.old_in &&
             seg.old_out <= c.old_out;
    });
    s += cat("<polygon points=\"", fmt(sc.x(seg.old_in)), ",", fmt(old_y + row_h), " ",
             fmt(sc.x(seg.old_out)), ",", fmt(old_y + row_h), " ", fmt(sc.x(seg.new_out)), ",",
             fmt(new_y), " ", fmt(sc.x(seg.new_in)), ",", fmt(new_y), "\" class=\"",
             moved ? "band moved" : "band", "\"><title>", tc(seg.old_in, p.old_cut), " → ",
             tc(seg.new_in, p.new_cut), "</title></polygon>\n");
  }
  s += shot_row(p.old_cut, sc, old_y, row_h, d, true);
  s += shot_row(p.new_cut, sc, new_y, row_h, d, false);
  for (const ConformedCue& c : p.cues) {
    const std::string id = xml_escape(c.id.to_string());
    s += cat("<rect x=\"", fmt(sc.x(c.old_in)), "\" y=\"", fmt(old_y - cue_h), "\" width=\"",
             fmt(std::max(1.0, sc.x(c.old_out) - sc.x(c.old_in))), "\" height=\"", fmt(cue_h - 3.0),
             "\" class=\"cue\"><title>", id, " before</title></rect>", "<text x=\"",
             fmt(sc.x(c.old_in) + 2.0), "\" y=\"", fmt(old_y - 6.0), "\" class=\"cuetext\">", id,
             "</text>\n");
    if (c.fate == "removed") continue;
    s += cat("<rect x=\"", fmt(sc.x(c.new_in)), "\" y=\"", fmt(new_y + row_h + 3.0), "\" width=\"",
             fmt(std::max(1.0, sc.x(c.new_out) - sc.x(c.new_in))), "\" height=\"", fmt(cue_h - 3.0),
             "\" class=\"cue ", c.fate == "needs attention" ? "attention" : "", "\"><title>", id,
             " ", xml_escape(c.fate), "</title></rect><text x=\"", fmt(sc.x(c.new_in) + 2.0),
             "\" y=\"", fmt(new_y + row_h + cue_h - 3.0), "\" class=\"cuetext\">", id, "</text>\n");
  }
  s += "</svg>\n";
  return s;
}

}  // namespace

std::string conform_html(const ConformPage& p) {
  const conform::CutDiff& d = p.diff;
  const time::FrameRate& rate = d.rate;
  std::string h =
      cat("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
          xml_escape(p.title), " — conform</title>\n<style>\n",
          "body { font-family: sans-serif; margin: 16px; color: #222; }\n"
          "h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 18px 0 6px; }\n"
          "p.meta { color: #555; margin: 0 0 12px; }\n"
          "svg.cuts { width: 100%; height: auto; }\n"
          ".shot { fill: #c9c9c9; stroke: #fff; stroke-width: 0.5; }\n"
          ".remove, .trim { fill: #d9534f; } .insert, .extend { fill: #5cb85c; }\n"
          ".replace { fill: #f0ad4e; } .move { fill: #337ab7; } .speed { fill: #9b59b6; }\n"
          ".band { fill: #999; opacity: 0.25; } .band.moved { fill: #337ab7; opacity: 0.45; }\n"
          ".grid { stroke: #eee; } .tick { font-size: 9px; fill: #777; }\n"
          ".label { font-size: 12px; fill: #333; } .cuetext { font-size: 9px; fill: #fff; }\n"
          ".cue { fill: #555; } .cue.attention { fill: #d9534f; }\n"
          "table { border-collapse: collapse; font-size: 12px; }\n"
          "th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: "
          "top; }\n"
          "td.tc { font-family: monospace; white-space: nowrap; }\n"
          "</style>\n</head>\n<body>\n<h1>",
          xml_escape(p.title), "</h1>\n<p class=\"meta\">", xml_escape(p.old_name), " → ",
          xml_escape(p.new_name), " · ", xml_escape(rate.name()), " fps · ",
          std::to_string(d.changes.size()), d.changes.size() == 1 ? " change" : " changes", " · ",
          length_text(d.frames_removed, rate), " removed, ", length_text(d.frames_added, rate),
          " added",
          d.healed > 0 ? cat(" · ", std::to_string(d.healed), " slip", d.healed == 1 ? "" : "s",
                             " of a frame or two healed")
                       : std::string(),
          "</p>\n");
  h += svg(p);
  if (!p.cues.empty()) {
    h += "<h2>Cues</h2>\n<table>\n<tr><th>Cue</th><th>Fate</th><th>Was</th><th>Now</th>"
         "<th>Why</th></tr>\n";
    for (const ConformedCue& c : p.cues) {
      std::string why;
      for (const std::string& r : c.reasons)
        why += (why.empty() ? "" : "<br>") + xml_escape(r);
      h += cat("<tr><td><b>", xml_escape(c.id.to_string()), "</b> ", xml_escape(c.title),
               "</td><td>", xml_escape(c.fate), "</td><td class=\"tc\">", tc(c.old_in, p.old_cut),
               "–", tc(c.old_out, p.old_cut), "</td><td class=\"tc\">",
               c.fate == "removed" ? std::string("—")
                                   : tc(c.new_in, p.new_cut) + "–" + tc(c.new_out, p.new_cut),
               "</td><td>", why, "</td></tr>\n");
    }
    h += "</table>\n";
  }
  h += "<h2>Changes</h2>\n";
  if (d.changes.empty()) {
    h += "<p>The picture is the same in both cuts.</p>\n";
  } else {
    h += "<table>\n<tr><th>Change</th><th>Old</th><th>New</th><th>Length</th><th>Reel</th>"
         "</tr>\n";
    for (const conform::Change& c : d.changes) {
      const std::int64_t old_len = c.old_out - c.old_in;
      const std::int64_t new_len = c.new_out - c.new_in;
      const std::string old_text = old_len > 0
                                       ? tc(c.old_in, p.old_cut) + "–" + tc(c.old_out, p.old_cut)
                                       : "at " + tc(c.old_in, p.old_cut);
      const std::string new_text = new_len > 0
                                       ? tc(c.new_in, p.new_cut) + "–" + tc(c.new_out, p.new_cut)
                                       : "at " + tc(c.new_in, p.new_cut);
      std::string length = length_text(std::max(old_len, new_len), rate);
      if (old_len > 0 && new_len > 0 && old_len != new_len) {
        length = length_text(old_len, rate) + " → " + length_text(new_len, rate);
      }
      h += cat("<tr><td>", conform::to_string(c.kind), "</td><td class=\"tc\">", old_text,
               "</td><td class=\"tc\">", new_text, "</td><td>", length, "</td><td>",
               xml_escape(c.reel), "</td></tr>\n");
    }
    h += "</table>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace duet::exporting
