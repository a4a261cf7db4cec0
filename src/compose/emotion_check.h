// The mapping's check: sketches made for points in each quadrant of valence x arousal, over a
// grid of points, tensions and seeds, are given to the emotion estimator (model/emotion_model.h);
// the share it puts back in the intended quadrant says whether the mapping carries the feeling
// it claims to (the goal is 90% or more in each quadrant). docs/emotion-mapping.md has the
// figures.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/emotion_model.h"

namespace duet::compose {

struct QuadrantCheckOptions {
  // |valence| and |arousal| of the points (each quadrant gets every pair, with its signs).
  std::vector<double> magnitudes = {0.3, 0.6, 0.9};
  std::vector<double> tensions = {0.0, 0.3, 0.6};
  int seeds = 10;  // seeds 1..seeds for each point
  int bars = 8;
  // Controls (control_names()) held at the neutral point's values (valence 0, arousal 0, tension
  // 0) instead of the mapping's: an ablation that shows what each cue carries; every control
  // neutral is the baseline, the same music for every point.
  std::vector<std::string> neutral;
};

struct QuadrantCheckRow {
  int n = 0;
  int correct = 0;                            // classified into the intended quadrant
  int valence_correct = 0;                    // the sign of valence right
  int arousal_correct = 0;                    // the sign of arousal right
  std::array<int, 4> predicted{};             // how many went to Q1..Q4
  double mean_valence = 0, mean_arousal = 0;  // the estimator's, over the row
  double accuracy() const { return n ? static_cast<double>(correct) / n : 0; }
};

struct QuadrantCheck {
  std::array<QuadrantCheckRow, 4> quadrants;  // intended Q1..Q4
  // The same rows split by tension (index into options.tensions), all quadrants together.
  std::vector<QuadrantCheckRow> by_tension;
  int sketches = 0;
  double accuracy() const;  // over all sketches
};

using CheckProgress = std::function<void(int done, int total)>;

// Runs the check with `model` (model::default_emotion_model() for the shipped one).
// Deterministic. Fails when the options are empty, a neutral control is not one of
// control_names(), or a sketch cannot be made or estimated.
base::Result<QuadrantCheck> check_quadrants(const model::EmotionModel& model,
                                            const QuadrantCheckOptions& options = {},
                                            const CheckProgress& progress = {});

}  // namespace duet::compose
