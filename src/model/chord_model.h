// Chord sequences through the same machinery: PPM over chord symbols (the root relative to the
// key's tonic x {maj, min, dim, aug, sus}, 60 symbols), a long-term model per mode (major keys
// and minor keys learn apart, the chord model's "conditioned on mode"), a short-term model that
// learns the song so far, combined by entropy weighting.
#pragma once

#include <span>
#include <vector>

#include "model/mvs.h"
#include "model/ppm.h"
#include "model/sequence.h"

namespace duet::model {

inline constexpr int kChordSymbols = 60;

// 5 * ((root - tonic) mod 12) + quality.
int chord_symbol(int root, ChordClass quality, const KeyContext& key);
// The sequence's chords as symbols, consecutive repeats merged; empty without a key.
std::vector<int> chord_symbols(const ChordSequence& sequence);
// "I", "iv", "bVII", "V+", "ii°", "IVsus".
std::string chord_symbol_name(int symbol);

struct ChordModelOptions {
  PpmOptions ltm_ppm{Escape::c, -1, false};
  // Chosen on a validation tenth of the POP909 training songs (seed 11): pop songs repeat
  // their progressions, so the most confident escape (A) with update exclusion and an
  // arithmetic combination with bias 4 did best (top-1 0.615 against 0.555 for PPM-X* and a
  // geometric combination with bias 2).
  PpmOptions stm_ppm{Escape::a, -1, true};
  Combination combination{false, 4.0};
  bool use_ltm = true;
  bool use_stm = true;
  bool by_mode = true;  // one long-term model per mode; false: one for all
  friend bool operator==(const ChordModelOptions&, const ChordModelOptions&) = default;
};

class ChordModel {
 public:
  explicit ChordModel(ChordModelOptions options = {});
  const ChordModelOptions& options() const { return options_; }
  void set_options(const ChordModelOptions& options);

  // Learns a song's symbols (from chord_symbols) in the given mode.
  void train(std::span<const int> symbols, bool minor);
  // The distribution (kChordSymbols values) of each symbol given the ones before it.
  std::vector<std::vector<double>> predict(std::span<const int> symbols, bool minor) const;

  Ppm& ltm(bool minor) { return options_.by_mode && minor ? minor_ : major_; }
  const Ppm& ltm(bool minor) const { return options_.by_mode && minor ? minor_ : major_; }

 private:
  ChordModelOptions options_;
  Ppm major_;  // all songs when !by_mode
  Ppm minor_;
};

}  // namespace duet::model
