#include "music/key_finding.h"

#include <gtest/gtest.h>

#include <vector>

namespace duet::music {
namespace {

// A scale played up once with the tonic triad held at the end: clearly in the key.
std::vector<TimedNote> cadence(int tonic, bool minor) {
  const int major[] = {0, 2, 4, 5, 7, 9, 11};
  const int harmonic_minor[] = {0, 2, 3, 5, 7, 8, 11};
  std::vector<TimedNote> notes;
  double t = 0;
  for (int step : minor ? harmonic_minor : major) {
    notes.push_back({60 + tonic + step, t, 1.0});
    t += 1;
  }
  for (int step : {0, minor ? 3 : 4, 7})
    notes.push_back({48 + tonic + step, t, 4.0});
  return notes;
}

TEST(KeyFinding, FindsEveryKeyOfAClearCadenceWithEveryProfile) {
  for (KeyProfile profile : all_key_profiles()) {
    for (int tonic = 0; tonic < 12; ++tonic) {
      for (bool minor : {false, true}) {
        const auto notes = cadence(tonic, minor);
        const KeyEstimate estimate = find_key(pitch_class_histogram(notes), profile);
        EXPECT_EQ(estimate.tonic, tonic) << to_string(profile) << " " << tonic << minor;
        EXPECT_EQ(estimate.minor, minor) << to_string(profile) << " " << tonic << minor;
        EXPECT_GT(estimate.correlation, 0.5);
      }
    }
  }
}

TEST(KeyFinding, HistogramWeighsDurationAndWeight) {
  const std::vector<TimedNote> notes = {{60, 0, 2.0}, {72, 1, 1.0, 0.5}, {61, 0, 0.0}, {-1, 0, 1}};
  const PitchClassHistogram h = pitch_class_histogram(notes);
  EXPECT_DOUBLE_EQ(h[0], 2.5);
  EXPECT_DOUBLE_EQ(h[1], 0.0);   // zero duration adds nothing
  EXPECT_DOUBLE_EQ(h[11], 1.0);  // pitch -1 wraps to B
}

TEST(KeyFinding, RankingIsSortedAndComplete) {
  const auto ranked = rank_keys(pitch_class_histogram(cadence(7, false)), KeyProfile::temperley);
  ASSERT_EQ(ranked.size(), 24u);
  for (std::size_t i = 1; i < ranked.size(); ++i) {
    EXPECT_GE(ranked[i - 1].correlation, ranked[i].correlation);
  }
  // Silence: no key stands out.
  const auto silent = rank_keys(PitchClassHistogram{}, KeyProfile::krumhansl_kessler);
  EXPECT_DOUBLE_EQ(silent.front().correlation, 0.0);
}

TEST(KeyFinding, CorrelationWithTheProfileItselfIsOne) {
  for (KeyProfile profile : all_key_profiles()) {
    PitchClassHistogram h{};
    const auto& weights = profile_weights(profile, true);
    for (int pc = 0; pc < 12; ++pc)
      h[static_cast<std::size_t>((pc + 5) % 12)] = weights[static_cast<std::size_t>(pc)];
    const KeyEstimate estimate = find_key(h, profile);
    EXPECT_EQ(estimate.tonic, 5);
    EXPECT_TRUE(estimate.minor);
    EXPECT_NEAR(estimate.correlation, 1.0, 1e-12);
  }
}

TEST(KeyFinding, SpellsTheKeyWithTheFewestAccidentals) {
  EXPECT_EQ(to_string(to_key({1, false, 0})), "Db major");
  EXPECT_EQ(to_string(to_key({6, true, 0})), "F# minor");
  EXPECT_EQ(to_string(to_key({10, false, 0})), "Bb major");
  EXPECT_EQ(to_string(to_key({8, true, 0})), "G# minor");
}

}  // namespace
}  // namespace duet::music
