// Emotion curves: the feeling a cue must carry, as keyframes over the film timeline.
#pragma once

#include <optional>
#include <vector>

#include "time/units.h"

namespace duet::spot {

// One point of feeling. valence: -1 (negative) .. 1 (positive); arousal: -1 (calm) .. 1
// (excited); tension: 0 (resolved) .. 1 (unbearable). Plain numbers without units.
struct Emotion {
  double valence = 0.0;
  double arousal = 0.0;
  double tension = 0.0;
  friend bool operator==(const Emotion&, const Emotion&) = default;
};

struct EmotionKey {
  time::TimePos at;  // on the film timeline (TimePos 0 is timecode 00:00:00:00)
  Emotion value;
  friend bool operator==(const EmotionKey&, const EmotionKey&) = default;
};

// Keyframes in strictly increasing time (validate_cue checks the order and the ranges; the
// functions here assume them).
struct EmotionCurve {
  std::vector<EmotionKey> keys;

  bool empty() const { return keys.empty(); }
  // The feeling at `at`: linear between the keyframes around it, the first or last keyframe's
  // value before or after them (clamped), nothing when the curve has no keyframes.
  std::optional<Emotion> value_at(time::TimePos at) const;
  // Sorts the keyframes by time (stable: of two keyframes at one time the first stays first).
  void sort();
  friend bool operator==(const EmotionCurve&, const EmotionCurve&) = default;
};

}  // namespace duet::spot
