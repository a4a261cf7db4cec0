#include "model/emotion_plot.h"

#include <algorithm>
#include <cmath>

#include "base/text.h"

namespace duet::model {
namespace {

constexpr double kWidth = 800, kHeight = 352;
constexpr double kLeft = 56, kRight = 16, kTop = 64, kBottom = 40;
// The spotting sheet's colours (export/sheet.cpp), so the two pictures read alike.
constexpr const char* kValence = "#1a7f37";
constexpr const char* kArousal = "#8250df";
constexpr const char* kTension = "#cf222e";
constexpr const char* kHardHit = "#c00";
constexpr const char* kSoftHit = "#e80";

std::string num(double v) {
  return base::fixed(v, 1);
}

}  // namespace

std::string emotion_plot_svg(const EmotionEstimate& estimate, std::span<const EmotionTarget> target,
                             const EmotionPlotOptions& options) {
  const double offset = options.music_offset;
  double start = std::min(0.0, offset), end = 1;
  for (const auto& w : estimate.curve)
    end = std::max(end, offset + w.end);
  for (const auto& t : target)
    end = std::max(end, t.time);
  for (const auto& m : options.marks)
    end = std::max(end, m.time);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const auto x = [&](double seconds) { return kLeft + plot_w * (seconds - start) / (end - start); };
  const auto y = [&](double value) {
    return kTop + plot_h * (1 - (std::clamp(value, -1.0, 1.0) + 1) / 2);
  };
  std::string s = base::cat("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", num(kWidth),
                            " ", num(kHeight), "\" width=\"", num(kWidth), "\" height=\"",
                            num(kHeight), "\" font-family=\"sans-serif\" font-size=\"12\">\n");
  s += base::cat("<rect x=\"0\" y=\"0\" width=\"", num(kWidth), "\" height=\"", num(kHeight),
                 "\" fill=\"white\"/>\n");
  s += base::cat("<text x=\"", num(kLeft), "\" y=\"18\" font-size=\"14\">",
                 base::xml_escape(options.title), "</text>\n");
  // Axes: -1, 0, 1 on y; time ticks at a round step giving at most about 8 ticks (timecodes are
  // wider than seconds).
  for (double v : {-1.0, 0.0, 1.0}) {
    s +=
        base::cat("<line x1=\"", num(kLeft), "\" y1=\"", num(y(v)), "\" x2=\"", num(kLeft + plot_w),
                  "\" y2=\"", num(y(v)), "\" stroke=\"", v == 0 ? "#888" : "#ddd", "\"/>\n");
    s += base::cat("<text x=\"", num(kLeft - 8), "\" y=\"", num(y(v) + 4),
                   "\" text-anchor=\"end\">", base::fixed(v, 0), "</text>\n");
  }
  double step = 1;
  for (double candidate : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0}) {
    step = candidate;
    if ((end - start) / candidate <= 8) break;
  }
  for (double t = std::ceil(start / step) * step; t <= end + 1e-9; t += step) {
    s += base::cat("<line x1=\"", num(x(t)), "\" y1=\"", num(kTop + plot_h), "\" x2=\"", num(x(t)),
                   "\" y2=\"", num(kTop + plot_h + 4), "\" stroke=\"#888\"/>\n");
    s += base::cat("<text x=\"", num(x(t)), "\" y=\"", num(kTop + plot_h + 16),
                   "\" text-anchor=\"middle\">",
                   options.time_label ? base::xml_escape(options.time_label(t)) : base::fixed(t, 0),
                   "</text>\n");
  }
  if (!options.time_label) {
    s += base::cat("<text x=\"", num(kLeft + plot_w / 2), "\" y=\"", num(kHeight - 6),
                   "\" text-anchor=\"middle\">seconds</text>\n");
  }
  // Sections (behind the curves), then hits, each with its label above the plot.
  for (const PlotMark& m : options.marks) {
    const bool section = m.kind == PlotMark::Kind::section;
    const char* colour = section                              ? "#999"
                         : m.kind == PlotMark::Kind::hard_hit ? kHardHit
                                                              : kSoftHit;
    const char* id = section                              ? "section"
                     : m.kind == PlotMark::Kind::hard_hit ? "hard-hit"
                                                          : "soft-hit";
    s += base::cat("<line class=\"", id, "\" x1=\"", num(x(m.time)), "\" y1=\"", num(kTop),
                   "\" x2=\"", num(x(m.time)), "\" y2=\"", num(kTop + plot_h), "\" stroke=\"",
                   colour, "\" stroke-width=\"", section ? "1" : "2", "\"",
                   section ? " stroke-dasharray=\"2 3\"" : "", "/>\n");
    s += base::cat("<text x=\"", num(x(m.time) + 3), "\" y=\"", num(kTop - (section ? 16 : 4)),
                   "\" font-size=\"10\" fill=\"", colour, "\">", base::xml_escape(m.label),
                   "</text>\n");
  }
  const auto polyline = [&](auto&& points, const char* colour, const char* dash, const char* id) {
    std::string p;
    for (const auto& [t, v] : points)
      p += base::cat(p.empty() ? "" : " ", num(x(t)), ",", num(y(v)));
    s += base::cat(
        "<polyline id=\"", id, "\" fill=\"none\" stroke=\"", colour, "\" stroke-width=\"2\"",
        *dash ? base::cat(" stroke-dasharray=\"", dash, "\"") : "", " points=\"", p, "\"/>\n");
  };
  std::vector<std::pair<double, double>> valence, arousal, target_v, target_a, target_t;
  for (const auto& w : estimate.curve) {
    valence.emplace_back(offset + (w.start + w.end) / 2, w.point.valence);
    arousal.emplace_back(offset + (w.start + w.end) / 2, w.point.arousal);
  }
  for (const auto& t : target) {
    target_v.emplace_back(t.time, t.valence);
    target_a.emplace_back(t.time, t.arousal);
    target_t.emplace_back(t.time, 2 * t.tension - 1);  // 0..1 bottom to top
  }
  if (!target.empty()) {
    polyline(target_v, kValence, "6 4", "target-valence");
    polyline(target_a, kArousal, "6 4", "target-arousal");
    polyline(target_t, kTension, "3 2", "target-tension");
  }
  polyline(valence, kValence, "", "valence");
  polyline(arousal, kArousal, "", "arousal");
  // Legend.
  const double lx = kWidth - kRight - 380;
  s += base::cat("<text x=\"", num(lx), "\" y=\"18\" fill=\"", kValence, "\">— valence</text>\n");
  s += base::cat("<text x=\"", num(lx + 70), "\" y=\"18\" fill=\"", kArousal,
                 "\">— arousal</text>\n");
  if (!target.empty()) {
    s += base::cat("<text x=\"", num(lx + 145), "\" y=\"18\" fill=\"", kTension,
                   "\">- - tension (0 bottom, 1 top)</text>\n");
    s += base::cat("<text x=\"", num(lx + 145), "\" y=\"32\">dashed: the cue's target</text>\n");
  }
  s += "</svg>\n";
  return s;
}

}  // namespace duet::model
