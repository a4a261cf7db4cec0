#include "model/emotion_plot.h"

#include <algorithm>
#include <cmath>

#include "base/text.h"

namespace duet::model {
namespace {

constexpr double kWidth = 800, kHeight = 320;
constexpr double kLeft = 56, kRight = 16, kTop = 36, kBottom = 40;

std::string num(double v) {
  return base::fixed(v, 1);
}

}  // namespace

std::string emotion_plot_svg(const EmotionEstimate& estimate, std::span<const EmotionTarget> target,
                             std::string_view title) {
  double end = 1;
  for (const auto& w : estimate.curve)
    end = std::max(end, w.end);
  for (const auto& t : target)
    end = std::max(end, t.time);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const auto x = [&](double seconds) { return kLeft + plot_w * seconds / end; };
  const auto y = [&](double value) {
    return kTop + plot_h * (1 - (std::clamp(value, -1.0, 1.0) + 1) / 2);
  };
  std::string s = base::cat("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", num(kWidth),
                            " ", num(kHeight), "\" width=\"", num(kWidth), "\" height=\"",
                            num(kHeight), "\" font-family=\"sans-serif\" font-size=\"12\">\n");
  s += base::cat("<rect x=\"0\" y=\"0\" width=\"", num(kWidth), "\" height=\"", num(kHeight),
                 "\" fill=\"white\"/>\n");
  s += base::cat("<text x=\"", num(kLeft), "\" y=\"20\" font-size=\"14\">", base::xml_escape(title),
                 "</text>\n");
  // Axes: -1, 0, 1 on y; time ticks at a round step giving at most about 10 ticks.
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
    if (end / candidate <= 10) break;
  }
  for (double t = 0; t <= end + 1e-9; t += step) {
    s += base::cat("<line x1=\"", num(x(t)), "\" y1=\"", num(kTop + plot_h), "\" x2=\"", num(x(t)),
                   "\" y2=\"", num(kTop + plot_h + 4), "\" stroke=\"#888\"/>\n");
    s += base::cat("<text x=\"", num(x(t)), "\" y=\"", num(kTop + plot_h + 16),
                   "\" text-anchor=\"middle\">", base::fixed(t, 0), "</text>\n");
  }
  s += base::cat("<text x=\"", num(kLeft + plot_w / 2), "\" y=\"", num(kHeight - 6),
                 "\" text-anchor=\"middle\">seconds</text>\n");
  const auto polyline = [&](auto&& points, const char* colour, bool dashed, const char* id) {
    std::string p;
    for (const auto& [t, v] : points)
      p += base::cat(p.empty() ? "" : " ", num(x(t)), ",", num(y(v)));
    s += base::cat("<polyline id=\"", id, "\" fill=\"none\" stroke=\"", colour,
                   "\" stroke-width=\"2\"", dashed ? " stroke-dasharray=\"6 4\"" : "", " points=\"",
                   p, "\"/>\n");
  };
  std::vector<std::pair<double, double>> valence, arousal, target_v, target_a;
  for (const auto& w : estimate.curve) {
    valence.emplace_back((w.start + w.end) / 2, w.point.valence);
    arousal.emplace_back((w.start + w.end) / 2, w.point.arousal);
  }
  for (const auto& t : target) {
    target_v.emplace_back(t.time, t.valence);
    target_a.emplace_back(t.time, t.arousal);
  }
  if (!target.empty()) {
    polyline(target_v, "#1f5fbf", true, "target-valence");
    polyline(target_a, "#c0392b", true, "target-arousal");
  }
  polyline(valence, "#1f5fbf", false, "valence");
  polyline(arousal, "#c0392b", false, "arousal");
  // Legend.
  const double lx = kWidth - kRight - 300;
  s += base::cat("<text x=\"", num(lx), "\" y=\"20\" fill=\"#1f5fbf\">valence</text>\n");
  s += base::cat("<text x=\"", num(lx + 60), "\" y=\"20\" fill=\"#c0392b\">arousal</text>\n");
  if (!target.empty())
    s += base::cat("<text x=\"", num(lx + 120), "\" y=\"20\">dashed: the cue's target</text>\n");
  s += "</svg>\n";
  return s;
}

}  // namespace duet::model
