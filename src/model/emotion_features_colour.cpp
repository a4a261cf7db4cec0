// The chord colour and vertical interval features (colour_major .. interval_tritone,
// emotion_features.h): what kind of chord sounds in each beat, sevenths and added tones
// included, and which intervals the sounding pitch classes make. The chord recogniser of
// music/chord_recognition.h tells triad classes apart only; the colour of a chord (a major
// seventh against a plain triad, a minor add9) is what separates tender from sad music in slow
// pieces, where mode alone does not (docs/emotion-evaluation.md).
#include <algorithm>
#include <array>
#include <cmath>

#include "model/emotion_features.h"
#include "model/emotion_features_detail.h"

namespace duet::model {
namespace {

struct ChordType {
  EmotionFeature feature;
  std::array<int, 4> intervals;  // above the root, semitones; -1 = none
};

// In the order of the features; a tie goes to the first (the simpler chord). A sus2, a 6 and a
// minor 6 are left out: their pitch classes are a sus4, a m7 and a half-diminished chord on
// another root, and without reading the bass the two cannot be told apart.
constexpr std::array<ChordType, 11> kTypes = {{
    {EmotionFeature::colour_major, {0, 4, 7, -1}},
    {EmotionFeature::colour_minor, {0, 3, 7, -1}},
    {EmotionFeature::colour_dim, {0, 3, 6, -1}},
    {EmotionFeature::colour_aug, {0, 4, 8, -1}},
    {EmotionFeature::colour_sus4, {0, 5, 7, -1}},
    {EmotionFeature::colour_maj7, {0, 4, 7, 11}},
    {EmotionFeature::colour_dom7, {0, 4, 7, 10}},
    {EmotionFeature::colour_min7, {0, 3, 7, 10}},
    {EmotionFeature::colour_half_dim, {0, 3, 6, 10}},
    {EmotionFeature::colour_add9, {0, 2, 4, 7}},
    {EmotionFeature::colour_minor_add9, {0, 2, 3, 7}},
}};

// Template score = share of the beat's sounding time on chord tones - kOutside x the rest
// - kPerTone x the number of chord tones: a four-note chord must explain noticeably more than
// its triad to be heard (the same form as the triad recogniser's, without the bass terms).
constexpr double kOutside = 0.5;
constexpr double kPerTone = 0.02;
// A pitch class counts in a beat when it sounds for at least this share of the beat's note time:
// a passing note neither makes an added-tone chord nor a cluster.
constexpr double kMinShare = 0.05;

}  // namespace

void measure_colour_features(std::span<const EmotionNote> notes, double beat_seconds,
                             EmotionFeatures& f) {
  const auto at = [&f](EmotionFeature e) -> double& { return f[static_cast<std::size_t>(e)]; };
  if (notes.empty() || !(beat_seconds > 0)) return;
  // Notes last at least 10 ms (detail::timed_of), so that a staccato note still sounds.
  const auto timed = detail::timed_of(notes);
  const double start = timed.front().onset;
  double end = start;
  for (const auto& n : timed)
    end = std::max(end, n.onset + n.duration);
  const auto beats = static_cast<std::size_t>(std::ceil((end - start) / beat_seconds));
  if (beats == 0) return;
  // Sounding time (seconds) of each pitch class in each beat.
  std::vector<std::array<double, 12>> chroma(beats, std::array<double, 12>{});
  for (const auto& n : timed) {
    const double a = n.onset, b = n.onset + n.duration;
    auto k = static_cast<std::size_t>(std::max(0.0, std::floor((a - start) / beat_seconds)));
    for (; k < beats; ++k) {
      const double lo = start + static_cast<double>(k) * beat_seconds;
      const double hi = lo + beat_seconds;
      if (lo >= b) break;
      const double overlap = std::min(b, hi) - std::max(a, lo);
      if (overlap > 0) chroma[k][static_cast<std::size_t>(((n.pitch % 12) + 12) % 12)] += overlap;
    }
  }
  std::array<double, kTypes.size()> type_beats{};
  std::array<double, 6> interval_pairs{};  // interval classes 1..6
  double counted = 0, pairs = 0;
  for (auto& c : chroma) {
    double total = 0;
    for (double v : c)
      total += v;
    if (total <= 0) continue;
    for (double& v : c)
      if (v < kMinShare * total) v = 0;
    total = 0;
    for (double v : c)
      total += v;
    double best = -1e300;
    std::size_t best_type = 0;
    for (std::size_t t = 0; t < kTypes.size(); ++t) {
      for (int root = 0; root < 12; ++root) {
        double in = 0;
        int tones = 0;
        for (int i : kTypes[t].intervals) {
          if (i < 0) continue;
          in += c[static_cast<std::size_t>((root + i) % 12)];
          ++tones;
        }
        const double share = in / total;
        const double score = share - kOutside * (1 - share) - kPerTone * tones;
        if (score > best) {
          best = score;
          best_type = t;
        }
      }
    }
    type_beats[best_type] += 1;
    counted += 1;
    for (int a = 0; a < 12; ++a) {
      if (c[static_cast<std::size_t>(a)] <= 0) continue;
      for (int b = a + 1; b < 12; ++b) {
        if (c[static_cast<std::size_t>(b)] <= 0) continue;
        const int d = b - a;
        interval_pairs[static_cast<std::size_t>(std::min(d, 12 - d) - 1)] += 1;
        pairs += 1;
      }
    }
  }
  for (std::size_t t = 0; t < kTypes.size(); ++t)
    at(kTypes[t].feature) = counted > 0 ? type_beats[t] / counted : 0.0;
  const std::array<EmotionFeature, 6> interval_features = {
      EmotionFeature::interval_m2, EmotionFeature::interval_M2, EmotionFeature::interval_m3,
      EmotionFeature::interval_M3, EmotionFeature::interval_P4, EmotionFeature::interval_tritone};
  for (std::size_t i = 0; i < interval_features.size(); ++i)
    at(interval_features[i]) = pairs > 0 ? interval_pairs[i] / pairs : 0.0;
}

}  // namespace duet::model
