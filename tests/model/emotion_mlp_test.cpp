// The emotion model of kind "mlp": it learns what a linear model cannot (an interaction), is
// deterministic for a seed, explains itself by occlusion, and its file round-trips and refuses
// malformed hidden and output layers.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "emotion_test_util.h"
#include "model/emotion_model.h"

namespace duet::model {
namespace {

using test_support::kDensity;
using test_support::kMode;
using test_support::kRegister;
using test_support::kTempo;

// Valence high when mode and register have the same sign (an exclusive-or, which no linear
// function of the features separates); arousal high when density is above 2. Tempo is noise.
void interaction(std::vector<EmotionFeatures>& x, std::vector<int>& y, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int i = 0; i < n; ++i) {
    EmotionFeatures f{};
    f[kMode] = 0.3 * noise(rng);
    f[kRegister] = noise(rng);
    f[kDensity] = 2.0 + noise(rng);
    f[kTempo] = noise(rng);
    const bool hv = (f[kMode] > 0) == (f[kRegister] > 0), ha = f[kDensity] > 2.0;
    x.push_back(f);
    y.push_back(static_cast<int>(quadrant_of(hv, ha)));
  }
}

EmotionTrainOptions mlp_options() {
  EmotionTrainOptions o;
  o.kind = EmotionModel::Kind::mlp;
  o.use[kMode] = o.use[kDensity] = o.use[kRegister] = o.use[kTempo] = true;
  o.hidden = 8;
  o.l2 = 1e-4;
  o.iterations = 600;
  o.learning_rate = 0.03;
  o.seed = 3;
  return o;
}

int correct(const EmotionModel& m, const std::vector<EmotionFeatures>& x,
            const std::vector<int>& y) {
  int c = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    c += static_cast<int>(apply_model(m, x[i]).quadrant) == y[i];
  return c;
}

TEST(EmotionMlp, LearnsAnInteractionALinearModelCannot) {
  std::vector<EmotionFeatures> x, tx;
  std::vector<int> y, ty;
  interaction(x, y, 600, 1);
  interaction(tx, ty, 400, 2);  // held out
  const auto mlp = train_emotion_model(x, y, mlp_options());
  ASSERT_TRUE(mlp.has_value());
  auto linear_options = mlp_options();
  linear_options.kind = EmotionModel::Kind::softmax;
  linear_options.iterations = 400;
  const auto linear = train_emotion_model(x, y, linear_options);
  ASSERT_TRUE(linear.has_value());
  // Arousal is linear and both get it; valence is the exclusive-or: the linear model is near
  // chance on it (4Q about 0.5), the mlp learns it.
  EXPECT_GT(correct(*mlp, tx, ty), 340);     // > 0.85
  EXPECT_LT(correct(*linear, tx, ty), 260);  // < 0.65
  for (const auto& f : tx) {
    const auto p = apply_model(*mlp, f);
    EXPECT_NEAR(p.probability[0] + p.probability[1] + p.probability[2] + p.probability[3], 1.0,
                1e-9);
    EXPECT_GE(p.valence, -1.0);
    EXPECT_LE(p.valence, 1.0);
  }
}

TEST(EmotionMlp, DeterministicPerSeed) {
  std::vector<EmotionFeatures> x;
  std::vector<int> y;
  interaction(x, y, 200, 4);
  auto o = mlp_options();
  o.iterations = 100;
  const auto a = train_emotion_model(x, y, o);
  const auto b = train_emotion_model(x, y, o);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b);  // bit for bit
  o.seed = 4;
  const auto c = train_emotion_model(x, y, o);
  EXPECT_NE(*a, *c);
  // Unused features keep weight 0 in every unit.
  for (const auto& h : a->mlp.hidden)
    EXPECT_EQ(h.weights[static_cast<std::size_t>(EmotionFeature::loudness)], 0.0);
  EXPECT_FALSE(uses_sequence_model(*a));
}

TEST(EmotionMlp, ReasonsByOcclusion) {
  std::vector<EmotionFeatures> x;
  std::vector<int> y;
  interaction(x, y, 600, 1);
  const auto m = train_emotion_model(x, y, mlp_options());
  ASSERT_TRUE(m.has_value());
  // A clearly high-arousal example: density drives arousal, tempo (noise) hardly.
  EmotionFeatures f{};
  f[kMode] = 0.3;
  f[kRegister] = 1.0;
  f[kDensity] = 4.0;
  f[kTempo] = 1.0;
  const auto arousal = arousal_reasons(*m, f);
  ASSERT_EQ(arousal.size(), 4U);  // every used feature, largest first
  EXPECT_EQ(arousal.front().feature, EmotionFeature::density);
  EXPECT_GT(arousal.front().contribution, 1.0);
  // Valence: mode and register together make it; tempo is last.
  const auto valence = valence_reasons(*m, f);
  EXPECT_EQ(valence.back().feature, EmotionFeature::tempo);
  EXPECT_LT(std::fabs(valence.back().contribution), std::fabs(valence.front().contribution));
  // The contribution is the change when the feature is set to its centre.
  auto centred = f;
  centred[kDensity] = m->centre[kDensity];
  const auto p = apply_model(*m, f), q = apply_model(*m, centred);
  const auto odds = [](const EmotionPoint& e) {
    const double high = e.probability[0] + e.probability[1];
    return std::log(high / (1 - high));
  };
  EXPECT_NEAR(arousal.front().contribution, odds(p) - odds(q), 1e-9);
}

TEST(EmotionMlp, FileRoundTrips) {
  std::vector<EmotionFeatures> x;
  std::vector<int> y;
  interaction(x, y, 100, 5);
  auto o = mlp_options();
  o.iterations = 50;
  o.description = "mlp \"test\"";
  const auto m = train_emotion_model(x, y, o);
  ASSERT_TRUE(m.has_value());
  const auto text = encode_emotion_model(*m);
  EXPECT_NE(text.find("\"kind\": \"mlp\""), std::string::npos);
  const auto back = decode_emotion_model(text, "m.json");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, *m);
  EXPECT_EQ(encode_emotion_model(*back), text);
}

TEST(EmotionMlp, FileErrorsNameThePath) {
  const auto message = [](const std::string& body) {
    const std::string text =
        R"({"format": "duet-emotion-model", "version": 1, "kind": "mlp", "features": [)"
        R"({"name": "mode", "centre": 0, "scale": 1}], )" +
        body + "}";
    auto m = decode_emotion_model(text, "m.json");
    EXPECT_FALSE(m.has_value());
    return m.has_value() ? std::string() : m.error().message;
  };
  const std::string hidden = R"("hidden": [{"bias": 0, "weights": {"mode": 1}}])";
  EXPECT_NE(message(R"("hidden": [])").find("/hidden: expected an array of 1 to 256"),
            std::string::npos);
  EXPECT_NE(message(R"("hidden": [{"weights": {"tempo": 1}}])")
                .find("/hidden/0/weights/tempo: not a feature of this model"),
            std::string::npos);
  EXPECT_NE(message(hidden).find("/output: expected four output units"), std::string::npos);
  EXPECT_NE(message(hidden + R"(, "output": [{"weights": [1, 2]}, {}, {}, {}])")
                .find("/output/0/weights: expected an array of 1 numbers"),
            std::string::npos);
  EXPECT_NE(message(hidden + R"(, "output": [{"weights": [1e9]}, {}, {}, {}])")
                .find("/output/0/weights/0: expected a number between"),
            std::string::npos);
  std::string many = R"("hidden": [)";
  for (int i = 0; i < 257; ++i)
    many += std::string(i ? "," : "") + "{}";
  EXPECT_NE(message(many + "]").find("/hidden: expected an array of 1 to 256"), std::string::npos);
  // A good one reads.
  const auto ok = decode_emotion_model(
      R"({"format": "duet-emotion-model", "version": 1, "kind": "mlp", "features": [)"
      R"({"name": "mode", "centre": 0, "scale": 1}], )" +
          hidden + R"(, "output": [{"weights": [1]}, {"weights": [-1]}, {"weights": [0]},)" +
          R"( {"bias": 0.5, "weights": [0]}]})",
      "m.json");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EmotionFeatures major{};
  major[kMode] = 2.0;
  EXPECT_EQ(apply_model(*ok, major).quadrant, Quadrant::q1);
}

TEST(EmotionMlp, TrainingRejectsBadSizes) {
  std::vector<EmotionFeatures> x(4);
  std::vector<int> y = {0, 1, 2, 3};
  auto o = mlp_options();
  o.hidden = 0;
  EXPECT_FALSE(train_emotion_model(x, y, o).has_value());
  o.hidden = kMaxEmotionHidden + 1;
  EXPECT_FALSE(train_emotion_model(x, y, o).has_value());
}

}  // namespace
}  // namespace duet::model
