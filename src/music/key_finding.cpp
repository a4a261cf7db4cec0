#include "music/key_finding.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace duet::music {

namespace {

struct ProfilePair {
  std::array<double, 12> major;
  std::array<double, 12> minor;
};

const ProfilePair& pair_of(KeyProfile profile) {
  static const ProfilePair kk{
      {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88},
      {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}};
  static const ProfilePair temperley{
      {0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400},
      {0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330}};
  static const ProfilePair albrecht{
      {0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081},
      {0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052}};
  static const ProfilePair aarden{{17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248,
                                   22.062, 0.145624, 8.15494, 0.232998, 4.95122},
                                  {18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494,
                                   18.6161, 4.56621, 1.93186, 7.37619, 1.75623}};
  switch (profile) {
    case KeyProfile::krumhansl_kessler:
      return kk;
    case KeyProfile::temperley:
      return temperley;
    case KeyProfile::albrecht_shanahan:
      return albrecht;
    case KeyProfile::aarden_essen:
      return aarden;
  }
  return kk;
}

double pearson(const PitchClassHistogram& x, const std::array<double, 12>& profile, int tonic) {
  double mean_x = 0, mean_y = 0;
  for (int i = 0; i < 12; ++i) {
    mean_x += x[static_cast<std::size_t>(i)];
    mean_y += profile[static_cast<std::size_t>(i)];
  }
  mean_x /= 12;
  mean_y /= 12;
  double sxy = 0, sxx = 0, syy = 0;
  for (int pc = 0; pc < 12; ++pc) {
    const double dx = x[static_cast<std::size_t>(pc)] - mean_x;
    const double dy = profile[static_cast<std::size_t>(wrap_pitch_class(pc - tonic))] - mean_y;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx <= 0 || syy <= 0) return 0;
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace

PitchClassHistogram pitch_class_histogram(std::span<const TimedNote> notes) {
  PitchClassHistogram histogram{};
  for (const TimedNote& note : notes) {
    if (note.duration <= 0) continue;
    histogram[static_cast<std::size_t>(wrap_pitch_class(note.pitch))] +=
        note.duration * note.weight;
  }
  return histogram;
}

std::span<const KeyProfile> all_key_profiles() {
  static constexpr std::array<KeyProfile, 4> kAll = {
      KeyProfile::krumhansl_kessler, KeyProfile::temperley, KeyProfile::albrecht_shanahan,
      KeyProfile::aarden_essen};
  return kAll;
}

std::string_view to_string(KeyProfile profile) {
  switch (profile) {
    case KeyProfile::krumhansl_kessler:
      return "krumhansl-kessler";
    case KeyProfile::temperley:
      return "temperley";
    case KeyProfile::albrecht_shanahan:
      return "albrecht-shanahan";
    case KeyProfile::aarden_essen:
      return "aarden-essen";
  }
  return "";
}

const std::array<double, 12>& profile_weights(KeyProfile profile, bool minor) {
  return minor ? pair_of(profile).minor : pair_of(profile).major;
}

std::vector<KeyEstimate> rank_keys(const PitchClassHistogram& histogram, KeyProfile profile) {
  std::vector<KeyEstimate> keys;
  for (int tonic = 0; tonic < 12; ++tonic) {
    for (bool minor : {false, true}) {
      keys.push_back({tonic, minor, pearson(histogram, profile_weights(profile, minor), tonic)});
    }
  }
  std::stable_sort(keys.begin(), keys.end(), [](const KeyEstimate& a, const KeyEstimate& b) {
    return a.correlation > b.correlation;
  });
  return keys;
}

KeyEstimate find_key(const PitchClassHistogram& histogram, KeyProfile profile) {
  return rank_keys(histogram, profile).front();
}

Key to_key(const KeyEstimate& estimate) {
  Key best;
  bool have = false;
  for (bool flats : {false, true}) {
    Key key{spell_pitch_class(estimate.tonic, flats), estimate.minor ? Mode::minor : Mode::major};
    if (!have || std::abs(key.signature()) < std::abs(best.signature())) {
      best = key;
      have = true;
    }
  }
  return best;
}

Key key_of(std::span<const TimedNote> notes) {
  return to_key(find_key(pitch_class_histogram(notes)));
}

}  // namespace duet::music
