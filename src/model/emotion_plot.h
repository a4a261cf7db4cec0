// A picture of an emotion estimate: valence and arousal over time as an SVG line chart, with a
// target curve (the spotting's emotion curve of the cue, tension included) drawn beside it,
// dashed, and the cue's hits and the music's sections marked, in the spotting sheet's colours
// (export/sheet.cpp): valence green, arousal purple, tension red, hard hits red, soft orange.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/emotion_model.h"

namespace duet::model {

// A target keyframe, in seconds from the plot's 0 (the cue's in).
struct EmotionTarget {
  double time = 0;
  double valence = 0;  // -1..1
  double arousal = 0;  // -1..1
  double tension = 0;  // 0..1
};

// Something to mark on the time axis: a hit point or the start of a section of the music.
struct PlotMark {
  enum class Kind { hard_hit, soft_hit, section };
  double time = 0;    // seconds from the plot's 0
  std::string label;  // "door", "B"
  Kind kind = Kind::section;
};

struct EmotionPlotOptions {
  std::string title;  // at the top (escaped for XML)
  // Where the music's second 0 (the estimate's windows count from it) falls on the plot, in
  // seconds: a file that starts before the cue's in (a pickup) or after it is drawn where it plays.
  double music_offset = 0;
  // The label of a time on the axis (the timecode of cue in + seconds); none: plain seconds.
  std::function<std::string(double seconds)> time_label;
  std::vector<PlotMark> marks;
};

// A self-contained SVG (no scripts or outside files): time on x from 0 to the end of the last
// window (or target keyframe, or mark); -1..1 on y with the zero line (tension's 0..1 on the same
// height, bottom to top); the estimate's valence and arousal at the centre of each window; the
// target, when not empty, dashed, with its tension; hits as vertical lines with their labels,
// sections as grey lines with theirs; a legend.
std::string emotion_plot_svg(const EmotionEstimate& estimate, std::span<const EmotionTarget> target,
                             const EmotionPlotOptions& options);

}  // namespace duet::model
