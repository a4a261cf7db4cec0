// Pieces the emotion feature files share (emotion_features.cpp, emotion_features_more.cpp);
// private to the model library.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include "model/emotion_features.h"
#include "music/key_finding.h"

namespace duet::model::detail {

// Onsets closer than this are one event (a chord spread by a performer).
inline constexpr double kSameOnset = 0.03;  // seconds

inline double mean_of(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// Population standard deviation; 0 for fewer than two values.
inline double sd_of(const std::vector<double>& v) {
  if (v.size() < 2) return 0.0;
  const double m = mean_of(v);
  double s = 0;
  for (double x : v)
    s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size()));
}

// Best major key correlation - best minor (the `mode` feature; Albrecht-Shanahan profiles).
inline double mode_of(const music::PitchClassHistogram& histogram) {
  double best_major = -1, best_minor = -1;
  for (const auto& k : music::rank_keys(histogram, music::KeyProfile::albrecht_shanahan)) {
    double& best = k.minor ? best_minor : best_major;
    best = std::max(best, k.correlation);
  }
  return best_major - best_minor;
}

// The notes for key finding and chord recognition, in seconds; every note lasts at least 10 ms
// so that a staccato note still counts.
inline music::TimedNote timed_note(const EmotionNote& n) {
  return {n.pitch, n.onset, std::max(n.duration, 0.01), 1.0};
}
inline std::vector<music::TimedNote> timed_of(std::span<const EmotionNote> notes) {
  std::vector<music::TimedNote> timed;
  timed.reserve(notes.size());
  for (const auto& n : notes)
    timed.push_back(timed_note(n));
  return timed;
}

}  // namespace duet::model::detail
