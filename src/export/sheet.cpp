#include "export/sheet.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "base/text.h"
#include "spot/merge.h"

namespace duet::exporting {
namespace {

using base::cat;

std::vector<spot::Cue> sorted(const Sheet& sheet) {
  std::vector<spot::Cue> cues = sheet.cues;
  for (auto& c : cues)
    spot::sort_contents(c);
  spot::sort_cues(cues);
  return cues;
}

std::string hit_text(const spot::HitPoint& h, const time::FrameRate& rate) {
  std::string out = time::nearest_label(h.at, rate);
  if (!h.label.empty()) out += " " + h.label;
  out += cat(" (", spot::hit_kind_name(h.kind), ", ", h.land.to_string(),
             h.accent ? ", accent" : "", ")");
  return out;
}

std::string hits_text(const spot::Cue& c, const time::FrameRate& rate) {
  std::string out;
  for (const auto& h : c.hits) {
    if (!out.empty()) out += "; ";
    out += hit_text(h, rate);
  }
  return out;
}

std::string num(double v) {
  return base::fixed(v, 1);
}

}  // namespace

std::string sheet_csv(const Sheet& sheet) {
  std::string out = "cue,title,in,out,duration,usage,hits,notes\n";
  for (const spot::Cue& c : sorted(sheet)) {
    const std::vector<std::string> fields{c.id.to_string(),
                                          c.title,
                                          time::nearest_label(c.in, sheet.rate),
                                          time::nearest_label(c.out, sheet.rate),
                                          time::duration_label(c.duration(), sheet.rate),
                                          std::string(spot::usage_code(c.usage)),
                                          hits_text(c, sheet.rate),
                                          c.notes};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += base::csv_field(fields[i]);
    }
    out += '\n';
  }
  return out;
}

std::string timeline_svg(const Sheet& sheet) {
  const std::vector<spot::Cue> cues = sorted(sheet);
  const time::FrameRate& rate = sheet.rate;
  time::TimePos first = time::to_time(sheet.start, rate);
  time::TimePos last = first + time::TimeDur(60 * time::kSuperclockPerSecond);
  if (!cues.empty()) {
    last = cues.front().out;
    for (const auto& c : cues) {
      first = std::min(first, c.in);
      last = std::max(last, c.out);
    }
  }
  if (last <= first) last = first + time::TimeDur(time::kSuperclockPerSecond);
  // Geometry in SVG user units (pixels at 96 dpi): a 1000-unit-wide time axis.
  constexpr double kLeft = 60, kWidth = 1000, kLane = 44, kTop = 30, kBar = 28;
  const double span = time::seconds(last - first);
  const auto x = [&](time::TimePos t) { return kLeft + kWidth * time::seconds(t - first) / span; };
  const double height =
      kTop + kLane * static_cast<double>(std::max<std::size_t>(cues.size(), 1)) + 10;
  std::string s = cat("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ",
                      num(kLeft + kWidth + 20), " ", num(height),
                      "\" class=\"timeline\" role=\"img\" "
                      "aria-label=\"cues on the film timeline\">\n");
  // Time axis: a tick per minute of timecode (or per 10 s for short spans).
  const std::int64_t step_s = span > 600 ? 60 : (span > 120 ? 30 : 10);
  const time::TimeDur step(step_s * time::kSuperclockPerSecond);
  const time::TimePos origin(first.ticks() - first.ticks() % step.ticks());
  for (time::TimePos t = origin; t <= last; t += step) {
    if (t < first) continue;
    s += cat("<line x1=\"", num(x(t)), "\" y1=\"", num(kTop - 6), "\" x2=\"", num(x(t)), "\" y2=\"",
             num(height - 10), "\" class=\"grid\"/>\n");
    s += cat("<text x=\"", num(x(t)), "\" y=\"", num(kTop - 10), "\" class=\"axis\">",
             base::xml_escape(time::nearest_label(t, rate)), "</text>\n");
  }
  for (std::size_t i = 0; i < cues.size(); ++i) {
    const spot::Cue& c = cues[i];
    const double y = kTop + kLane * static_cast<double>(i);
    const double x0 = x(c.in), x1 = std::max(x(c.out), x0 + 1);
    const std::string id = base::xml_escape(c.id.to_string());
    s += cat("<g id=\"cue-", id, "\" class=\"cue", spot::is_untouched_draft(c) ? " draft" : "",
             "\">\n");
    s += cat("<title>", id, " ", base::xml_escape(c.title), " ", time::nearest_label(c.in, rate),
             " to ", time::nearest_label(c.out, rate), "</title>\n");
    s += cat("<text x=\"", num(kLeft - 6), "\" y=\"", num(y + kBar / 2 + 4), "\" class=\"label\">",
             id, "</text>\n");
    s += cat("<rect x=\"", num(x0), "\" y=\"", num(y), "\" width=\"", num(x1 - x0), "\" height=\"",
             num(kBar), "\" class=\"bar\"/>\n");
    for (const auto& d : c.dialogue) {
      const double d0 = std::max(x(d.start), x0), d1 = std::min(x(d.end), x1);
      if (d1 <= d0) continue;
      s += cat("<rect x=\"", num(d0), "\" y=\"", num(y), "\" width=\"", num(d1 - d0),
               "\" height=\"", num(kBar), "\" class=\"dialogue\"><title>dialogue ",
               base::xml_escape(d.speaker), " ", time::nearest_label(d.start, rate), " to ",
               time::nearest_label(d.end, rate), "</title></rect>\n");
    }
    // Emotion: valence and arousal map -1..1 to the bar's bottom..top, tension 0..1.
    if (c.emotion.keys.size() >= 1) {
      struct Line {
        const char* name;
        double (*get)(const spot::Emotion&);
        bool unipolar;
      };
      const Line lines[] = {
          {"valence", [](const spot::Emotion& e) { return e.valence; }, false},
          {"arousal", [](const spot::Emotion& e) { return e.arousal; }, false},
          {"tension", [](const spot::Emotion& e) { return e.tension; }, true},
      };
      for (const Line& line : lines) {
        std::string points;
        const auto add = [&](time::TimePos t, const spot::Emotion& e) {
          const double v = line.get(e);
          const double f = line.unipolar ? v : (v + 1) / 2;
          points += cat(points.empty() ? "" : " ", num(x(t)), ",", num(y + kBar - f * kBar));
        };
        add(c.in, *c.emotion.value_at(c.in));
        for (const auto& k : c.emotion.keys)
          if (k.at > c.in && k.at < c.out) add(k.at, k.value);
        add(c.out, *c.emotion.value_at(c.out));
        s += cat("<polyline points=\"", points, "\" class=\"", line.name, "\"/>\n");
      }
    }
    for (const auto& h : c.hits) {
      const double hx = x(h.at);
      const double top = h.kind == spot::HitKind::hard ? y - 4 : y + kBar / 3;
      s += cat("<line x1=\"", num(hx), "\" y1=\"", num(top), "\" x2=\"", num(hx), "\" y2=\"",
               num(y + kBar + 4), "\" class=\"hit ", spot::hit_kind_name(h.kind), "\"><title>",
               base::xml_escape(hit_text(h, rate)), "</title></line>\n");
    }
    s += "</g>\n";
  }
  s += "</svg>\n";
  return s;
}

std::string sheet_html(const Sheet& sheet) {
  const time::FrameRate& rate = sheet.rate;
  const std::string title = sheet.title.empty() ? "Spotting sheet" : sheet.title;
  std::string h =
      cat("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
          base::xml_escape(title), " — spotting sheet</title>\n<style>\n",
          "@page { size: landscape; margin: 12mm; }\n"
          "body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #111; }\n"
          "h1 { font-size: 16pt; margin: 0 0 4px; }\n"
          "p.meta { margin: 0 0 12px; color: #444; }\n"
          // Fixed column widths (the colgroup) that fit A4 landscape inside the margins (273 mm):
          // long cells wrap between entries, never within a timecode, so nothing is cut off.
          "table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 8pt; }\n"
          "th, td { border: 1px solid #999; padding: 2px 3px; vertical-align: top; text-align: "
          "left; overflow-wrap: anywhere; }\n"
          "th { background: #eee; }\n"
          ".tc { font-family: 'Courier New', monospace; font-size: 7.5pt; white-space: nowrap; }\n"
          "td .entry { margin-bottom: 2px; }\n"
          ".values { white-space: nowrap; font-size: 7.5pt; }\n"
          "tr { page-break-inside: avoid; }\n"
          "svg.timeline { width: 100%; height: auto; margin-bottom: 12px; }\n"
          ".grid { stroke: #ddd; stroke-width: 1; }\n"
          ".axis { font-size: 9px; text-anchor: middle; fill: #555; }\n"
          ".label { font-size: 11px; text-anchor: end; font-weight: bold; }\n"
          ".bar { fill: #cfe0f5; stroke: #345; stroke-width: 1; }\n"
          ".draft .bar { stroke-dasharray: 4 2; fill: #eef3fa; }\n"
          ".dialogue { fill: #888; fill-opacity: 0.35; }\n"
          ".hit { stroke: #c00; stroke-width: 2; }\n"
          ".hit.soft { stroke: #e80; stroke-width: 1.5; }\n"
          ".valence, .arousal, .tension { fill: none; stroke-width: 1.5; }\n"
          ".valence { stroke: #1a7f37; } .arousal { stroke: #8250df; } .tension { stroke: #cf222e; "
          "stroke-dasharray: 3 2; }\n"
          ".legend span { margin-right: 14px; }\n"
          "</style>\n</head>\n<body>\n<h1>",
          base::xml_escape(title), "</h1>\n<p class=\"meta\">Spotting sheet · ",
          base::xml_escape(rate.name()), " fps · picture starts at ",
          time::format_timecode(sheet.start, rate), " · ", sheet.cues.size(),
          sheet.cues.size() == 1 ? " cue" : " cues", "</p>\n");
  h += timeline_svg(sheet);
  h +=
      "<p class=\"legend\"><span style=\"color:#c00\">| hard hit</span><span "
      "style=\"color:#e80\">| soft hit</span><span style=\"color:#777\">▮ dialogue</span><span "
      "style=\"color:#1a7f37\">— valence</span><span style=\"color:#8250df\">— arousal</span><span "
      "style=\"color:#cf222e\">- - tension</span><span>dashed bar: an untouched draft</span></p>\n";
  // Column widths in % of 273 mm: a timecode in 7.5 pt Courier is about 18 mm, 7.5% with padding.
  h += "<table>\n<colgroup><col style=\"width:4.5%\"><col style=\"width:8%\">"
       "<col style=\"width:7.5%\"><col style=\"width:7.5%\"><col style=\"width:7.5%\">"
       "<col style=\"width:4.5%\"><col style=\"width:16%\"><col style=\"width:9.5%\">"
       "<col style=\"width:12.5%\"><col style=\"width:8%\"><col style=\"width:14.5%\">"
       "</colgroup>\n"
       "<thead><tr><th>Cue</th><th>Title</th><th>In</th><th>Out</th><th>Length</th>"
       "<th>Use</th><th>Hits</th><th>Dialogue</th><th>Emotion</th><th>Story</th><th>Notes</th>"
       "</tr></thead>\n<tbody>\n";
  // One entry of a list cell: its timecodes never break, the entries wrap between them.
  const auto tc = [&](time::TimePos t) {
    return cat("<span class=\"tc\">", time::nearest_label(t, rate), "</span>");
  };
  const auto entry = [](const std::string& html) {
    return cat("<div class=\"entry\">", html, "</div>");
  };
  for (const spot::Cue& c : sorted(sheet)) {
    std::string hits, dialogue, emotion, story;
    for (const auto& x : c.hits) {
      std::string what = hit_text(x, rate).substr(time::nearest_label(x.at, rate).size());
      hits += entry(tc(x.at) + base::xml_escape(what));
    }
    for (const auto& d : c.dialogue) {
      dialogue += entry(cat(tc(d.start), "–<wbr>", tc(d.end),
                            d.speaker.empty() ? "" : " " + base::xml_escape(d.speaker)));
    }
    for (const auto& k : c.emotion.keys) {
      emotion += entry(cat(tc(k.at), "<br><span class=\"values\">v ",
                           base::fixed(k.value.valence, 2), " a ", base::fixed(k.value.arousal, 2),
                           " t ", base::fixed(k.value.tension, 2), "</span>"));
    }
    const auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const auto& s : v)
        out += (out.empty() ? "" : ", ") + base::xml_escape(s);
      return out;
    };
    if (!c.characters.empty()) story += "characters: " + join(c.characters);
    if (!c.themes.empty()) story += cat(story.empty() ? "" : "<br>", "themes: ", join(c.themes));
    h += cat("<tr><td><b>", base::xml_escape(c.id.to_string()), "</b>",
             spot::is_untouched_draft(c) ? " <i>(draft)</i>" : "", "</td><td>",
             base::xml_escape(c.title), "</td><td class=\"tc\">", time::nearest_label(c.in, rate),
             "</td><td class=\"tc\">", time::nearest_label(c.out, rate), "</td><td class=\"tc\">",
             time::duration_label(c.duration(), rate), "</td><td>", spot::usage_code(c.usage),
             "</td><td>", hits, "</td><td>", dialogue, "</td><td>", emotion, "</td><td>", story,
             "</td><td>", base::xml_escape(c.notes), "</td></tr>\n");
  }
  h += "</tbody>\n</table>\n</body>\n</html>\n";
  return h;
}

}  // namespace duet::exporting
