// Chord sequences through the same machinery as melodies: a multiple-viewpoint system (mvs.h)
// over chord symbols (the root relative to the key's tonic x {maj, min, dim, aug, sus}, 60
// symbols). Each viewpoint (chord_viewpoint.h: the symbol, root motion, quality, linked with the
// previous chord's quality or duration and the onset's place in the bar) has a PPM long-term
// model per mode (major keys and minor keys learn apart, the chord model's "conditioned on
// mode") and a short-term model that learns the song so far; the viewpoints are combined within
// each, and then LTM with STM, by entropy weighting (combine_distributions).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/chord_viewpoint.h"
#include "model/mvs.h"
#include "model/ppm.h"
#include "model/sequence.h"

namespace duet::model {

inline constexpr int kChordSymbols = 60;

// 5 * ((root - tonic) mod 12) + quality.
int chord_symbol(int root, ChordClass quality, const KeyContext& key);
// The sequence's chords as symbols relative to its one key, consecutive repeats merged; empty
// without a key. (POP909 evaluation uses pop909_chord_items, which follows key changes.)
std::vector<int> chord_symbols(const ChordSequence& sequence);
// "I", "iv", "bVII", "V+", "iio", "IVsus".
std::string chord_symbol_name(int symbol);
// Items with only their symbols known (no duration or bar position).
std::vector<ChordItem> chord_items(std::span<const int> symbols);

struct ChordModelOptions {
  // The long-term model's viewpoints; the short-term model's (empty: the same).
  std::vector<ChordViewpoint> viewpoints = {{{ChordBasic::symbol}}};
  std::vector<ChordViewpoint> stm_viewpoints;
  PpmOptions ltm_ppm{Escape::c, -1, false};
  PpmOptions stm_ppm{Escape::a, -1, true};
  Combination viewpoint_combination{true, 2.0};
  Combination combination{false, 4.0};  // LTM with STM
  bool use_ltm = true;
  bool use_stm = true;
  bool by_mode = true;      // one long-term model per mode; false: one for all
  bool ltm_learns = false;  // LTM+: the long-term model learns each song after predicting it
  friend bool operator==(const ChordModelOptions&, const ChordModelOptions&) = default;
};

class ChordModel {
 public:
  explicit ChordModel(ChordModelOptions options = {});
  const ChordModelOptions& options() const { return options_; }

  // Learns a song's chords in the given mode.
  void train(std::span<const ChordItem> items, bool minor);
  void train(std::span<const int> symbols, bool minor) { train(chord_items(symbols), minor); }
  // The distribution (kChordSymbols values) of each chord's symbol given the chords before it
  // and its own bar position. Values no viewpoint has met join its table; with ltm_learns the
  // long-term model learns the song afterwards.
  std::vector<std::vector<double>> predict(std::span<const ChordItem> items, bool minor);
  std::vector<std::vector<double>> predict(std::span<const int> symbols, bool minor) {
    return predict(chord_items(symbols), minor);
  }

  // One viewpoint's learnt state, in the order the options name the viewpoints (the LTM's, then
  // the STM's not already named): what chord model files (chord_model_file.h) store.
  struct ViewpointModel {
    ChordViewpoint viewpoint;
    SymbolTable table;
    Ppm major, minor;  // long-term; all songs in `major` when !by_mode
    bool in_ltm = false, in_stm = false;
  };
  std::vector<ViewpointModel>& viewpoint_models() { return models_; }
  const std::vector<ViewpointModel>& viewpoint_models() const { return models_; }

 private:
  Ppm& ltm(ViewpointModel& m, bool minor) const {
    return options_.by_mode && minor ? m.minor : m.major;
  }

  ChordModelOptions options_;
  std::vector<ViewpointModel> models_;
};

}  // namespace duet::model
