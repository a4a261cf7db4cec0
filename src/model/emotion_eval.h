// The emotion estimator measured on EMOPIA (Hung et al. 2021): the official classification split
// (train 794, val 198, test 86 clips), 5-fold cross-validation grouped by song, the score-like
// condition (velocities flattened, timing quantized to 16ths), the shipped default model and
// trivial baselines, all in one run over features measured once per clip.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/emotion_model.h"

namespace duet::model {

struct EmopiaClip {
  std::string name;  // "Q3_ii1Jw1-7Ka4_1"
  std::string song;  // the YouTube id: "ii1Jw1-7Ka4"
  int quadrant = 0;  // 0..3 = Q1..Q4
  enum class Split { train, val, test } split = Split::train;
  PieceFeatures performed;  // from the file as it is
  PieceFeatures score;      // from score_like(notes, its estimated beat)
};

using EmotionProgress = std::function<void(std::size_t done, std::size_t total)>;

// Reads DIR/split/{train,val,test}.csv and measures each clip's DIR/midis/<name>.mid. Fails
// naming the file when a split or a clip cannot be read.
// With a sequence model, the clips' surprise and uncertainty are measured too.
base::Result<std::vector<EmopiaClip>> read_emopia(const std::filesystem::path& dir,
                                                  const MelodyModel* sequence_model = nullptr,
                                                  const EmotionProgress& progress = {});

struct QuadrantScore {
  int n = 0;
  int correct = 0, valence_correct = 0, arousal_correct = 0;
  std::array<std::array<int, 4>, 4> confusion{};  // [actual][predicted]
  double accuracy() const { return n ? static_cast<double>(correct) / n : 0; }
  double valence_accuracy() const { return n ? static_cast<double>(valence_correct) / n : 0; }
  double arousal_accuracy() const { return n ? static_cast<double>(arousal_correct) / n : 0; }
  void add(int actual, int predicted);
};

// Mean and standard deviation (population) over seeds.
struct Spread {
  double mean = 0, sd = 0;
};
Spread spread_of(const std::vector<double>& values);

struct EmotionEvalRow {
  std::string system;     // "two logistic heads (all features)"
  std::string condition;  // "test split", "test split, score-like", "grouped 5-fold CV"...
  Spread accuracy, valence, arousal;
  int examples = 0;                                            // per run
  int runs = 0;                                                // seeds (x folds for CV)
  std::optional<std::array<std::array<int, 4>, 4>> confusion;  // of the first seed
};

struct EmotionEvalOptions {
  std::vector<std::uint64_t> seeds = {1, 2, 3, 4, 5};
  int folds = 5;
  bool with_sequence = false;  // the clips carry surprise and uncertainty
};

struct EmotionEvaluation {
  std::vector<EmotionEvalRow> rows;
  std::string chosen;         // the candidate with the best grouped-CV accuracy
  EmotionModel chosen_model;  // trained on the train split with the first seed
};

// Every row of docs/emotion-evaluation.md from the measured clips.
EmotionEvaluation evaluate_emotion(const std::vector<EmopiaClip>& clips,
                                   const EmotionEvalOptions& options = {});

// The candidate systems compared by grouped CV, and the training options of each.
struct EmotionCandidate {
  std::string name;
  EmotionTrainOptions train;
  // Also trains on each training clip's score-like version (velocities flattened, timing
  // quantized), so that the model learns what the notes say without the performance.
  bool score_like_too = false;
};
// with_sequence adds the candidate that also reads the sequence model's features.
std::vector<EmotionCandidate> emotion_candidates(bool with_sequence);

// The measured clips as CSV for analysis elsewhere: a header, then one row per clip and condition
// ("performed", "score-like"): name, song, split, quadrant (Q1..Q4), condition, then every
// feature by its name in feature_info order, then the estimated beat (bpm); full precision.
std::string emopia_features_csv(const std::vector<EmopiaClip>& clips);

// The opt-in EMOPIA model: the candidate with the best mean grouped-CV accuracy over seeds
// seed..seed+4 (as evaluate_emotion chooses), trained on train + val with `seed`.
base::Result<EmotionModel> train_emopia_model(const std::vector<EmopiaClip>& clips,
                                              std::uint64_t seed, bool with_sequence);

}  // namespace duet::model
