#include "model/chord_model.h"

#include <algorithm>
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

std::vector<ChordItem> chord_items(std::span<const int> symbols) {
  std::vector<ChordItem> out;
  out.reserve(symbols.size());
  for (int s : symbols)
    out.push_back(ChordItem{s, 0, -1});
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

ChordModel::ChordModel(ChordModelOptions options) : options_(std::move(options)) {
  const auto add = [&](const ChordViewpoint& v, bool ltm_side) {
    auto it = std::find_if(models_.begin(), models_.end(),
                           [&](const ViewpointModel& m) { return m.viewpoint == v; });
    if (it == models_.end()) {
      models_.push_back(ViewpointModel{v, SymbolTable{}, Ppm(0, options_.ltm_ppm),
                                       Ppm(0, options_.ltm_ppm), false, false});
      it = models_.end() - 1;
    }
    (ltm_side ? it->in_ltm : it->in_stm) = true;
  };
  for (const ChordViewpoint& v : options_.viewpoints)
    add(v, true);
  for (const ChordViewpoint& v :
       options_.stm_viewpoints.empty() ? options_.viewpoints : options_.stm_viewpoints)
    add(v, false);
}

void ChordModel::train(std::span<const ChordItem> items, bool minor) {
  std::vector<int> sequence;
  for (auto& m : models_) {
    if (!m.in_ltm) continue;
    sequence.clear();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto v = chord_viewpoint_value(m.viewpoint, items, i, items[i].symbol);
      if (v) sequence.push_back(m.table.id(*v));
    }
    Ppm& model = ltm(m, minor);
    model.grow_alphabet(m.table.size());
    model.train(sequence);
  }
}

std::vector<std::vector<double>> ChordModel::predict(std::span<const ChordItem> items, bool minor) {
  constexpr auto kN = static_cast<std::size_t>(kChordSymbols);
  const std::size_t v_count = models_.size();
  std::vector<Ppm> stms;
  stms.reserve(v_count);
  std::vector<std::unique_ptr<Ppm::Cursor>> ltm_cursors, stm_cursors;
  for (auto& m : models_) {
    stms.emplace_back(m.table.size(), options_.stm_ppm);
    Ppm& l = ltm(m, minor);
    if (options_.ltm_learns) {
      ltm_cursors.push_back(std::make_unique<Ppm::Cursor>(l, true));
    } else {
      ltm_cursors.push_back(std::make_unique<Ppm::Cursor>(static_cast<const Ppm&>(l)));
    }
  }
  for (auto& stm : stms)
    stm_cursors.push_back(std::make_unique<Ppm::Cursor>(stm, true));

  std::vector<std::vector<double>> result;
  result.reserve(items.size());
  std::vector<std::vector<double>> ltm_parts, stm_parts;
  std::vector<double> buffer, ltm_p(kN), stm_p(kN), final_p(kN);
  std::array<int, kN> ids{};
  std::vector<int> sharing;
  std::vector<std::uint8_t> reachable;
  // The viewpoint's distribution over its values, shared evenly among the candidates that make
  // each value. The short-term model predicts over only the values the candidates can make
  // (mvs.h: an unreachable value's escape mass must not go to the values seen so far).
  const auto to_symbols = [&](const Ppm::Cursor& cursor, int alphabet, bool context_alphabet) {
    buffer.assign(static_cast<std::size_t>(alphabet), 0.0);
    cursor.predict(buffer, context_alphabet ? std::span<const std::uint8_t>(reachable)
                                            : std::span<const std::uint8_t>());
    std::vector<double> p(kN);
    double sum = 0;
    for (std::size_t c = 0; c < kN; ++c) {
      const auto id = static_cast<std::size_t>(ids[c]);
      p[c] = buffer[id] / sharing[id];
      sum += p[c];
    }
    for (double& x : p)
      x = sum > 0 ? x / sum : 1.0 / static_cast<double>(kN);
    return p;
  };

  std::vector<int> actual(v_count);
  for (std::size_t i = 0; i < items.size(); ++i) {
    ltm_parts.clear();
    stm_parts.clear();
    std::fill(actual.begin(), actual.end(), -1);
    for (std::size_t v = 0; v < v_count; ++v) {
      auto& m = models_[v];
      const auto defined = chord_viewpoint_value(m.viewpoint, items, i, items[i].symbol);
      if (!defined) continue;
      for (std::size_t c = 0; c < kN; ++c) {
        ids[c] = m.table.id(*chord_viewpoint_value(m.viewpoint, items, i, static_cast<int>(c)));
      }
      actual[v] = m.table.id(*defined);
      const int alphabet = m.table.size();
      ltm(m, minor).grow_alphabet(alphabet);
      stms[v].grow_alphabet(alphabet);
      sharing.assign(static_cast<std::size_t>(alphabet), 0);
      reachable.assign(static_cast<std::size_t>(alphabet), 0);
      for (std::size_t c = 0; c < kN; ++c) {
        ++sharing[static_cast<std::size_t>(ids[c])];
        reachable[static_cast<std::size_t>(ids[c])] = 1;
      }
      if (options_.use_ltm && m.in_ltm)
        ltm_parts.push_back(to_symbols(*ltm_cursors[v], alphabet, false));
      if (options_.use_stm && m.in_stm)
        stm_parts.push_back(to_symbols(*stm_cursors[v], alphabet, true));
    }
    combine_long_and_short_term(ltm_parts, stm_parts, options_.use_ltm, options_.use_stm,
                                options_.viewpoint_combination, options_.combination, ltm_p, stm_p,
                                final_p);
    result.push_back(final_p);
    for (std::size_t v = 0; v < v_count; ++v) {
      if (actual[v] < 0) continue;
      ltm_cursors[v]->advance(actual[v]);
      stm_cursors[v]->advance(actual[v]);
    }
  }
  for (auto& c : ltm_cursors)
    c->finish();
  return result;
}

}  // namespace duet::model
