#include "model/chord_model.h"

#include <array>
#include <memory>

namespace duet::model {

int chord_symbol(int root, ChordClass quality, const KeyContext& key) {
  const int degree = ((root - key.tonic) % 12 + 12) % 12;
  return degree * 5 + static_cast<int>(quality);
}

std::vector<int> chord_symbols(const ChordSequence& sequence) {
  std::vector<int> out;
  if (!sequence.key) return out;
  for (const ChordEvent& c : sequence.chords) {
    const int s = chord_symbol(c.root, c.quality, *sequence.key);
    if (out.empty() || out.back() != s) out.push_back(s);
  }
  return out;
}

std::string chord_symbol_name(int symbol) {
  static const std::array<const char*, 12> kDegrees = {"I",   "bII", "II",  "bIII", "III",  "IV",
                                                       "#IV", "V",   "bVI", "VI",   "bVII", "VII"};
  const int degree = symbol / 5;
  const auto quality = static_cast<ChordClass>(symbol % 5);
  std::string name = kDegrees[static_cast<std::size_t>(degree)];
  if (quality == ChordClass::min || quality == ChordClass::dim) {
    for (char& ch : name) {
      if (ch == 'I' || ch == 'V') ch = static_cast<char>(ch - 'A' + 'a');
    }
  }
  switch (quality) {
    case ChordClass::dim:
      name += "o";
      break;
    case ChordClass::aug:
      name += "+";
      break;
    case ChordClass::sus:
      name += "sus";
      break;
    default:
      break;
  }
  return name;
}

ChordModel::ChordModel(ChordModelOptions options)
    : options_(options),
      major_(kChordSymbols, options.ltm_ppm),
      minor_(kChordSymbols, options.ltm_ppm) {}

void ChordModel::set_options(const ChordModelOptions& options) {
  options_ = options;
  major_.set_options(options.ltm_ppm);
  minor_.set_options(options.ltm_ppm);
}

void ChordModel::train(std::span<const int> symbols, bool minor) {
  ltm(minor).train(symbols);
}

std::vector<std::vector<double>> ChordModel::predict(std::span<const int> symbols,
                                                     bool minor) const {
  std::vector<std::vector<double>> out;
  out.reserve(symbols.size());
  Ppm::Cursor ltm_cursor(ltm(minor));
  Ppm stm(kChordSymbols, options_.stm_ppm);
  Ppm::Cursor stm_cursor(stm, true);
  std::vector<std::vector<double>> parts;
  for (int s : symbols) {
    parts.clear();
    if (options_.use_ltm) {
      parts.emplace_back(kChordSymbols);
      ltm_cursor.predict(parts.back());
    }
    if (options_.use_stm) {
      parts.emplace_back(kChordSymbols);
      stm_cursor.predict(parts.back());
    }
    std::vector<double> p(kChordSymbols, 1.0 / kChordSymbols);
    if (!parts.empty()) combine_distributions(parts, options_.combination, p);
    out.push_back(std::move(p));
    ltm_cursor.advance(s);
    stm_cursor.advance(s);
  }
  return out;
}

}  // namespace duet::model
