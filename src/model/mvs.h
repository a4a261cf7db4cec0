// A multiple-viewpoint system over melodies in the manner of IDyOM (Pearce 2005): one PPM model
// per viewpoint, trained on a corpus (the long-term model, LTM), and one per viewpoint that
// learns only the piece being predicted (the short-term model, STM). Each viewpoint's
// distribution is turned into one over pitch; the viewpoints are combined within the LTM and
// within the STM, and then LTM with STM, by entropy-weighted combination:
//   w_m = (H(p_m) / H_max)^-bias      (H_max = log2 of the number of candidate pitches)
//   geometric:  p(x) ∝ (prod_m p_m(x)^w_m)^(1/sum w)      arithmetic: p(x) = sum w_m p_m(x) / sum w
// so that a confident model counts for more.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "model/ppm.h"
#include "model/sequence.h"
#include "model/viewpoint.h"

namespace duet::model {

struct Combination {
  bool geometric = true;
  double bias = 2.0;
  friend bool operator==(const Combination&, const Combination&) = default;
};

// Combines distributions (each over the same n outcomes) into out.
void combine_distributions(std::span<const std::vector<double>> distributions,
                           const Combination& combination, std::span<double> out);

// The prediction of a long-term and a short-term model, each made of viewpoint distributions
// over the same n outcomes: each model's viewpoints combined by `viewpoints` (a model with no
// distributions counts as uniform), then the two models by `models` when both are used, else
// the one that is. ltm and stm are working buffers of size n; the result goes to out (size n).
void combine_long_and_short_term(std::span<const std::vector<double>> ltm_parts,
                                 std::span<const std::vector<double>> stm_parts, bool use_ltm,
                                 bool use_stm, const Combination& viewpoints,
                                 const Combination& models, std::vector<double>& ltm,
                                 std::vector<double>& stm, std::vector<double>& out);

// The symbols a viewpoint has met, as dense ids 0..size-1 for its PPM models.
class SymbolTable {
 public:
  int id(std::int64_t value);          // adds an unseen value
  int find(std::int64_t value) const;  // -1 when unseen
  int size() const { return static_cast<int>(values_.size()); }
  const std::vector<std::int64_t>& values() const { return values_; }

 private:
  std::unordered_map<std::int64_t, int> ids_;
  std::vector<std::int64_t> values_;
};

struct MelodyModelOptions {
  std::vector<Viewpoint> viewpoints = {{{BasicViewpoint::cpitch}}};
  PpmOptions ltm_ppm{Escape::c, -1, false};
  PpmOptions stm_ppm{Escape::x, -1, true};
  Combination viewpoint_combination{true, 2.0};
  Combination ltm_stm_combination{true, 2.0};
  bool use_ltm = true;
  bool use_stm = false;
  bool ltm_learns = false;  // LTM+: the long-term model learns each piece after predicting it
  // Whether a derived viewpoint's PPM predicts over only the symbols the candidate pitches can
  // make in this context (IDyOM), rather than over every symbol met and then renormalised over
  // the reachable ones (see ppm.h). The short-term model needs it: without it, on JSB
  // validation, adding the STM cost 0.1-0.2 bits/note instead of gaining. The long-term model
  // of the linked rhythm viewpoints does better without it (1.311 against 1.432 bits/note).
  // Model files store these two from format version 2 on; a version 1 file reads as these defaults.
  bool ltm_context_alphabet = false;
  bool stm_context_alphabet = true;
};

// One note's prediction.
struct NotePrediction {
  std::vector<double> distribution;  // over pitch_domain() (empty unless asked for)
  double probability = 0.0;          // of the note's actual pitch
  double information_content = 0.0;  // bits, -log2 probability
  double entropy = 0.0;              // bits, of the distribution
};

class MelodyModel {
 public:
  explicit MelodyModel(MelodyModelOptions options = {});

  const MelodyModelOptions& options() const { return options_; }
  void set_options(const MelodyModelOptions& options);  // keeps the viewpoints' models
  // The candidate pitches predictions range over (sorted). Training adds the pitches it meets.
  const std::vector<int>& pitch_domain() const { return domain_; }
  void add_to_domain(int pitch);

  void train(const Melody& melody);
  // Predicts each note from the ones before it (the STM learns the piece as it goes; with
  // ltm_learns the LTM learns it afterwards). Pitches outside the domain join it first.
  std::vector<NotePrediction> predict(const Melody& melody, bool keep_distributions = false);
  // The predictions predict() would give on a copy of this model with ltm_learns off, bit for
  // bit, without the copy: the short-term models live in the call, the long-term ones are only
  // read, and the model is left as it was (pitches and symbols it has not met count for this
  // call only, as in predict_next).
  std::vector<NotePrediction> predict_unchanged(const Melody& melody,
                                                bool keep_distributions = false) const;
  // The distribution of the note after `context` (duration and bar position of the candidate
  // taken from `next`, whose pitch is ignored). Does not change the model.
  NotePrediction predict_next(const Melody& context, const MelodyNote& next) const;

  // Model files read and write these.
  struct ViewpointModel {
    Viewpoint viewpoint;
    SymbolTable symbols;
    Ppm ltm;
  };
  const std::vector<ViewpointModel>& viewpoint_models() const { return models_; }
  std::vector<ViewpointModel>& viewpoint_models() { return models_; }
  void set_pitch_domain(std::vector<int> domain) { domain_ = std::move(domain); }

 private:
  // Runs the models over `melody`; predictions when out != nullptr. Self is MelodyModel (the
  // pitch domain, symbol tables and alphabets grow with what the melody meets) or const
  // MelodyModel (predict_next: nothing changes, and the model is not copied).
  template <class Self>
  static void run_models(Self& self, const Melody& melody, std::vector<NotePrediction>* out,
                         bool keep, const MelodyNote* next, NotePrediction* next_out,
                         bool ltm_learns);

  MelodyModelOptions options_;
  std::vector<ViewpointModel> models_;
  std::vector<int> domain_;
};

}  // namespace duet::model
