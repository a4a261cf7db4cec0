#include "model/mvs.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace duet::model {

void combine_distributions(std::span<const std::vector<double>> distributions,
                           const Combination& combination, std::span<double> out) {
  const std::size_t n = out.size();
  std::fill(out.begin(), out.end(), 0.0);
  if (distributions.empty() || n == 0) return;
  if (distributions.size() == 1) {
    std::copy(distributions[0].begin(), distributions[0].begin() + static_cast<long>(n),
              out.begin());
    return;
  }
  const double h_max = n > 1 ? std::log2(static_cast<double>(n)) : 1.0;
  std::vector<double> weights;
  weights.reserve(distributions.size());
  double weight_sum = 0.0;
  for (const auto& d : distributions) {
    const double relative = std::max(entropy_bits(d) / h_max, 1e-6);
    const double w = std::pow(relative, -combination.bias);
    weights.push_back(w);
    weight_sum += w;
  }
  if (combination.geometric) {
    for (std::size_t m = 0; m < distributions.size(); ++m) {
      const double w = weights[m] / weight_sum;
      for (std::size_t x = 0; x < n; ++x) {
        out[x] += w * std::log(std::max(distributions[m][x], 1e-300));
      }
    }
    const double top = *std::max_element(out.begin(), out.end());
    double sum = 0.0;
    for (double& v : out) {
      v = std::exp(v - top);
      sum += v;
    }
    for (double& v : out)
      v /= sum;
  } else {
    for (std::size_t m = 0; m < distributions.size(); ++m) {
      const double w = weights[m] / weight_sum;
      for (std::size_t x = 0; x < n; ++x)
        out[x] += w * distributions[m][x];
    }
  }
}

void combine_long_and_short_term(std::span<const std::vector<double>> ltm_parts,
                                 std::span<const std::vector<double>> stm_parts, bool use_ltm,
                                 bool use_stm, const Combination& viewpoints,
                                 const Combination& models, std::vector<double>& ltm,
                                 std::vector<double>& stm, std::vector<double>& out) {
  const std::size_t n = out.size();
  const auto combine_model = [&](std::span<const std::vector<double>> parts,
                                 std::vector<double>& into) {
    if (parts.empty()) {
      std::fill(into.begin(), into.end(), 1.0 / static_cast<double>(n));
    } else {
      combine_distributions(parts, viewpoints, into);
    }
  };
  combine_model(ltm_parts, ltm);
  combine_model(stm_parts, stm);
  if (use_ltm && use_stm) {
    const std::vector<double> pair[] = {ltm, stm};
    combine_distributions(pair, models, out);
  } else if (use_stm) {
    out = stm;
  } else {
    out = ltm;
  }
}

int SymbolTable::id(std::int64_t value) {
  const auto [it, added] = ids_.emplace(value, static_cast<int>(values_.size()));
  if (added) values_.push_back(value);
  return it->second;
}

int SymbolTable::find(std::int64_t value) const {
  const auto it = ids_.find(value);
  return it == ids_.end() ? -1 : it->second;
}

MelodyModel::MelodyModel(MelodyModelOptions options) : options_(std::move(options)) {
  for (const Viewpoint& v : options_.viewpoints) {
    models_.push_back(ViewpointModel{v, SymbolTable{}, Ppm(0, options_.ltm_ppm)});
  }
}

void MelodyModel::set_options(const MelodyModelOptions& options) {
  options_ = options;
  // Keep trained viewpoints, add new ones empty, in the order the options give.
  std::vector<ViewpointModel> models;
  for (const Viewpoint& v : options_.viewpoints) {
    auto it = std::find_if(models_.begin(), models_.end(),
                           [&](const ViewpointModel& m) { return m.viewpoint == v; });
    if (it != models_.end()) {
      models.push_back(std::move(*it));
    } else {
      models.push_back(ViewpointModel{v, SymbolTable{}, Ppm(0, options_.ltm_ppm)});
    }
    models.back().ltm.set_options(options_.ltm_ppm);
  }
  models_ = std::move(models);
}

void MelodyModel::add_to_domain(int pitch) {
  const auto it = std::lower_bound(domain_.begin(), domain_.end(), pitch);
  if (it == domain_.end() || *it != pitch) domain_.insert(it, pitch);
}

void MelodyModel::train(const Melody& melody) {
  for (const auto& note : melody.notes)
    add_to_domain(note.pitch);
  std::vector<int> sequence;
  for (auto& m : models_) {
    sequence.clear();
    for (std::size_t i = 0; i < melody.notes.size(); ++i) {
      const auto s = viewpoint_symbol(m.viewpoint, melody.notes, i, melody.notes[i].pitch);
      if (s) sequence.push_back(m.symbols.id(*s));
    }
    m.ltm.grow_alphabet(m.symbols.size());
    m.ltm.train(sequence);
  }
}

std::vector<NotePrediction> MelodyModel::predict(const Melody& melody, bool keep_distributions) {
  std::vector<NotePrediction> out;
  run(melody, &out, keep_distributions, nullptr, nullptr, options_.ltm_learns);
  return out;
}

NotePrediction MelodyModel::predict_next(const Melody& context, const MelodyNote& next) const {
  // Unseen symbols join the tables while predicting, so work on a copy.
  MelodyModel copy = *this;
  NotePrediction out;
  copy.run(context, nullptr, true, &next, &out, false);
  return out;
}

void MelodyModel::run(const Melody& melody, std::vector<NotePrediction>* out, bool keep,
                      const MelodyNote* next, NotePrediction* next_out, bool ltm_learns) {
  for (const auto& note : melody.notes)
    add_to_domain(note.pitch);
  std::vector<MelodyNote> notes = melody.notes;
  const std::size_t predicted = notes.size();
  if (next != nullptr) notes.push_back(*next);
  const std::size_t v_count = models_.size();
  const std::size_t d_count = domain_.size();

  std::vector<Ppm> stms;
  stms.reserve(v_count);
  std::vector<std::unique_ptr<Ppm::Cursor>> ltm_cursors;
  std::vector<std::unique_ptr<Ppm::Cursor>> stm_cursors;
  for (auto& m : models_) {
    stms.emplace_back(m.symbols.size(), options_.stm_ppm);
    if (ltm_learns) {
      ltm_cursors.push_back(std::make_unique<Ppm::Cursor>(m.ltm, true));
    } else {
      ltm_cursors.push_back(std::make_unique<Ppm::Cursor>(static_cast<const Ppm&>(m.ltm)));
    }
  }
  for (auto& stm : stms)
    stm_cursors.push_back(std::make_unique<Ppm::Cursor>(stm, true));

  std::vector<std::vector<double>> ltm_dists;
  std::vector<std::vector<double>> stm_dists;
  std::vector<double> buffer;
  std::vector<int> ids(d_count);
  std::vector<int> sharing;
  std::vector<double> ltm_p(d_count);
  std::vector<double> stm_p(d_count);
  std::vector<double> final_p(d_count);

  // The viewpoint's distribution over the symbols the candidate pitches make (its alphabet in
  // this context, as IDyOM's set-alphabet-from-context), shared evenly among the pitches that
  // make each symbol.
  std::vector<std::uint8_t> reachable;
  auto to_pitch = [&](const Ppm::Cursor& cursor, int alphabet, bool context_alphabet) {
    buffer.assign(static_cast<std::size_t>(alphabet), 0.0);
    cursor.predict(buffer, context_alphabet ? std::span<const std::uint8_t>(reachable)
                                            : std::span<const std::uint8_t>());
    std::vector<double> p(d_count);
    double sum = 0.0;
    for (std::size_t c = 0; c < d_count; ++c) {
      const auto id = static_cast<std::size_t>(ids[c]);
      p[c] = buffer[id] / sharing[id];
      sum += p[c];
    }
    if (sum <= 0.0) {
      std::fill(p.begin(), p.end(), 1.0 / static_cast<double>(d_count));
    } else {
      for (double& x : p)
        x /= sum;
    }
    return p;
  };

  if (out != nullptr) out->reserve(predicted);
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const bool is_next = i == predicted;
    ltm_dists.clear();
    stm_dists.clear();
    std::vector<int> actual(v_count, -1);
    for (std::size_t v = 0; v < v_count; ++v) {
      auto& m = models_[v];
      const auto defined = viewpoint_symbol(m.viewpoint, notes, i, notes[i].pitch);
      if (!defined) continue;
      for (std::size_t c = 0; c < d_count; ++c) {
        const auto s = viewpoint_symbol(m.viewpoint, notes, i, domain_[c]);
        ids[c] = m.symbols.id(*s);
      }
      if (!is_next) actual[v] = m.symbols.id(*defined);
      const int alphabet = m.symbols.size();
      m.ltm.grow_alphabet(alphabet);
      stms[v].grow_alphabet(alphabet);
      sharing.assign(static_cast<std::size_t>(alphabet), 0);
      reachable.assign(static_cast<std::size_t>(alphabet), 0);
      for (std::size_t c = 0; c < d_count; ++c) {
        ++sharing[static_cast<std::size_t>(ids[c])];
        reachable[static_cast<std::size_t>(ids[c])] = 1;
      }
      if (options_.use_ltm)
        ltm_dists.push_back(to_pitch(*ltm_cursors[v], alphabet, options_.ltm_context_alphabet));
      if (options_.use_stm)
        stm_dists.push_back(to_pitch(*stm_cursors[v], alphabet, options_.stm_context_alphabet));
    }
    combine_long_and_short_term(ltm_dists, stm_dists, options_.use_ltm, options_.use_stm,
                                options_.viewpoint_combination, options_.ltm_stm_combination, ltm_p,
                                stm_p, final_p);
    NotePrediction prediction;
    prediction.entropy = entropy_bits(final_p);
    if (is_next) {
      prediction.distribution = final_p;
      if (next_out != nullptr) *next_out = std::move(prediction);
      break;
    }
    const auto at = std::lower_bound(domain_.begin(), domain_.end(), notes[i].pitch);
    prediction.probability = final_p[static_cast<std::size_t>(at - domain_.begin())];
    prediction.information_content = information_content(prediction.probability);
    if (keep) prediction.distribution = final_p;
    if (out != nullptr) out->push_back(std::move(prediction));
    for (std::size_t v = 0; v < v_count; ++v) {
      if (actual[v] < 0) continue;
      ltm_cursors[v]->advance(actual[v]);
      stm_cursors[v]->advance(actual[v]);
    }
  }
  for (auto& c : ltm_cursors)
    c->finish();
}

}  // namespace duet::model
