// A picture of an emotion estimate: valence and arousal over time as an SVG line chart, with a
// target curve (the spotting's emotion curve of the cue) drawn beside it, dashed, when given.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "model/emotion_model.h"

namespace duet::model {

// A target keyframe, in seconds from the start of the music (the cue's in).
struct EmotionTarget {
  double time = 0;
  double valence = 0;  // -1..1
  double arousal = 0;  // -1..1
};

// A self-contained SVG (no scripts or outside files): time on x from 0 to the end of the last
// window (or target keyframe), -1..1 on y with the zero line; the estimate's valence (blue) and
// arousal (red) at the centre of each window; the target, when not empty, dashed in the same
// colours; a legend; `title` at the top (escaped for XML).
std::string emotion_plot_svg(const EmotionEstimate& estimate, std::span<const EmotionTarget> target,
                             std::string_view title);

}  // namespace duet::model
