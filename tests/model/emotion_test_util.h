// What the emotion tests share: reading one feature out of a feature vector.
#pragma once

#include <cstddef>

#include "model/emotion_features.h"

namespace duet::model::test_support {

inline constexpr auto kMode = static_cast<std::size_t>(EmotionFeature::mode);
inline constexpr auto kDensity = static_cast<std::size_t>(EmotionFeature::density);
inline constexpr auto kRegister = static_cast<std::size_t>(EmotionFeature::register_);
inline constexpr auto kTempo = static_cast<std::size_t>(EmotionFeature::tempo);

inline double feature(const EmotionFeatures& f, EmotionFeature e) {
  return f[static_cast<std::size_t>(e)];
}

}  // namespace duet::model::test_support
