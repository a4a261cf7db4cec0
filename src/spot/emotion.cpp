#include "spot/emotion.h"

#include <algorithm>

namespace duet::spot {

std::optional<Emotion> EmotionCurve::value_at(time::TimePos at) const {
  if (keys.empty()) return std::nullopt;
  if (at <= keys.front().at) return keys.front().value;
  if (at >= keys.back().at) return keys.back().value;
  // First key strictly after `at`; the one before it is at or before `at`.
  const auto next = std::upper_bound(keys.begin(), keys.end(), at,
                                     [](time::TimePos t, const EmotionKey& k) { return t < k.at; });
  const EmotionKey& b = *next;
  const EmotionKey& a = *(next - 1);
  const double span = static_cast<double>((b.at - a.at).ticks());
  const double f = span > 0 ? static_cast<double>((at - a.at).ticks()) / span : 1.0;
  const auto lerp = [f](double x, double y) { return x + (y - x) * f; };
  return Emotion{lerp(a.value.valence, b.value.valence), lerp(a.value.arousal, b.value.arousal),
                 lerp(a.value.tension, b.value.tension)};
}

void EmotionCurve::sort() {
  std::stable_sort(keys.begin(), keys.end(),
                   [](const EmotionKey& a, const EmotionKey& b) { return a.at < b.at; });
}

}  // namespace duet::spot
