#include "model/mvs.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <type_traits>

namespace duet::model {

namespace {

// combine_distributions over spans: each part's entropy is taken over its whole span, the
// combination over out's n values. weights: scratch.
void combine_parts(std::span<const std::span<const double>> distributions,
                   const Combination& combination, std::span<double> out,
                   std::vector<double>& weights) {
  const std::size_t n = out.size();
  std::fill(out.begin(), out.end(), 0.0);
  if (distributions.empty() || n == 0) return;
  if (distributions.size() == 1) {
    std::copy(distributions[0].begin(), distributions[0].begin() + static_cast<long>(n),
              out.begin());
    return;
  }
  const double h_max = n > 1 ? std::log2(static_cast<double>(n)) : 1.0;
  weights.clear();
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
      // Equal neighbours (symbols only the escape reaches) take their log once.
      double last_p = -1.0;
      double last_log = 0.0;
      for (std::size_t x = 0; x < n; ++x) {
        const double p = std::max(distributions[m][x], 1e-300);
        if (p != last_p) {
          last_p = p;
          last_log = std::log(p);
        }
        out[x] += w * last_log;
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

// combine_long_and_short_term over spans; weights: scratch.
void combine_models(std::span<const std::span<const double>> ltm_parts,
                    std::span<const std::span<const double>> stm_parts, bool use_ltm, bool use_stm,
                    const Combination& viewpoints, const Combination& models,
                    std::vector<double>& ltm, std::vector<double>& stm, std::vector<double>& out,
                    std::vector<double>& weights) {
  const std::size_t n = out.size();
  const auto combine_model = [&](std::span<const std::span<const double>> parts,
                                 std::vector<double>& into) {
    if (parts.empty()) {
      std::fill(into.begin(), into.end(), 1.0 / static_cast<double>(n));
    } else {
      combine_parts(parts, viewpoints, into, weights);
    }
  };
  combine_model(ltm_parts, ltm);
  combine_model(stm_parts, stm);
  if (use_ltm && use_stm) {
    const std::span<const double> pair[] = {ltm, stm};
    combine_parts(pair, models, out, weights);
  } else if (use_stm) {
    out = stm;
  } else {
    out = ltm;
  }
}

std::vector<std::span<const double>> as_spans(std::span<const std::vector<double>> vectors) {
  return {vectors.begin(), vectors.end()};
}

}  // namespace

void combine_distributions(std::span<const std::vector<double>> distributions,
                           const Combination& combination, std::span<double> out) {
  std::vector<double> weights;
  combine_parts(as_spans(distributions), combination, out, weights);
}

void combine_long_and_short_term(std::span<const std::vector<double>> ltm_parts,
                                 std::span<const std::vector<double>> stm_parts, bool use_ltm,
                                 bool use_stm, const Combination& viewpoints,
                                 const Combination& models, std::vector<double>& ltm,
                                 std::vector<double>& stm, std::vector<double>& out) {
  std::vector<double> weights;
  combine_models(as_spans(ltm_parts), as_spans(stm_parts), use_ltm, use_stm, viewpoints, models,
                 ltm, stm, out, weights);
}

int SymbolTable::id(std::int64_t value) {
  // Look up first: emplace would allocate a map node even for a value already there.
  const auto found = ids_.find(value);
  if (found != ids_.end()) return found->second;
  const int id = static_cast<int>(values_.size());
  ids_.emplace(value, id);
  values_.push_back(value);
  return id;
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
  // Tries that will not learn here drop the spare room training left in them (once, unless
  // trained much more since): less memory, and the blocks packed in node order.
  if (!options_.ltm_learns) {
    for (ViewpointModel& m : models_)
      m.ltm.shrink_if_grown();
  }
  std::vector<NotePrediction> out;
  run_models(*this, melody, &out, keep_distributions, nullptr, nullptr, options_.ltm_learns);
  return out;
}

std::vector<NotePrediction> MelodyModel::predict_unchanged(const Melody& melody,
                                                           bool keep_distributions) const {
  std::vector<NotePrediction> out;
  run_models(*this, melody, &out, keep_distributions, nullptr, nullptr, false);
  return out;
}

NotePrediction MelodyModel::predict_next(const Melody& context, const MelodyNote& next) const {
  NotePrediction out;
  run_models(*this, context, nullptr, true, &next, &out, false);
  return out;
}

template <class Self>
void MelodyModel::run_models(Self& self, const Melody& melody, std::vector<NotePrediction>* out,
                             bool keep, const MelodyNote* next, NotePrediction* next_out,
                             bool ltm_learns) {
  // A const model (predict_next) is left as it was: its pitch domain is copied, and values its
  // symbol tables have not met get ids past the tables' ends for this run only, in the order
  // met (the ids a copy of the tables would give them); its long-term models predict over the
  // grown alphabets without growing.
  constexpr bool frozen = std::is_const_v<Self>;
  const MelodyModelOptions& options = self.options_;
  std::vector<int> domain_copy;
  if constexpr (frozen) {
    domain_copy = self.domain_;
    for (const auto& note : melody.notes) {
      const auto it = std::lower_bound(domain_copy.begin(), domain_copy.end(), note.pitch);
      if (it == domain_copy.end() || *it != note.pitch) domain_copy.insert(it, note.pitch);
    }
  } else {
    for (const auto& note : melody.notes)
      self.add_to_domain(note.pitch);
  }
  const std::vector<int>& domain = frozen ? domain_copy : self.domain_;
  std::vector<MelodyNote> with_next;
  std::span<const MelodyNote> notes = melody.notes;
  const std::size_t predicted = notes.size();
  if (next != nullptr) {
    with_next = melody.notes;
    with_next.push_back(*next);
    notes = with_next;
  }
  auto& models = self.models_;
  const std::size_t v_count = models.size();
  const std::size_t d_count = domain.size();

  std::vector<std::unordered_map<std::int64_t, int>> unmet(frozen ? v_count : 0);
  const auto symbol_id = [&](std::size_t v, std::int64_t value) -> int {
    if constexpr (frozen) {
      const int found = models[v].symbols.find(value);
      if (found >= 0) return found;
      auto& extra = unmet[v];
      const int id = models[v].symbols.size() + static_cast<int>(extra.size());
      return extra.emplace(value, id).first->second;
    } else {
      return models[v].symbols.id(value);
    }
  };
  const auto alphabet_of = [&](std::size_t v) {
    const int size = models[v].symbols.size();
    if constexpr (frozen) return size + static_cast<int>(unmet[v].size());
    return size;
  };

  std::vector<Ppm> stms;
  stms.reserve(v_count);
  std::vector<std::unique_ptr<Ppm::Cursor>> ltm_cursors;
  std::vector<std::unique_ptr<Ppm::Cursor>> stm_cursors;
  for (auto& m : models) {
    stms.emplace_back(m.symbols.size(), options.stm_ppm);
    if constexpr (!frozen) {
      if (ltm_learns) {
        ltm_cursors.push_back(std::make_unique<Ppm::Cursor>(m.ltm, true));
        continue;
      }
    }
    ltm_cursors.push_back(std::make_unique<Ppm::Cursor>(static_cast<const Ppm&>(m.ltm)));
  }
  for (auto& stm : stms)
    stm_cursors.push_back(std::make_unique<Ppm::Cursor>(stm, true));

  // Working buffers, sized once: each viewpoint's distributions over the pitch domain, the
  // spans handed to the combination, and a PPM's output over its alphabet.
  std::vector<std::vector<double>> ltm_dists(v_count, std::vector<double>(d_count));
  std::vector<std::vector<double>> stm_dists(v_count, std::vector<double>(d_count));
  std::vector<std::span<const double>> ltm_parts;
  std::vector<std::span<const double>> stm_parts;
  ltm_parts.reserve(v_count);
  stm_parts.reserve(v_count);
  std::vector<double> buffer;
  std::vector<double> weights;
  std::vector<int> ids(d_count);
  // Per viewpoint: the candidates' symbol ids by the context they were worked out in.
  std::vector<std::map<ViewpointContext, std::vector<int>>> candidate_ids(v_count);
  std::vector<int> actual(v_count);
  std::vector<double> ltm_p(d_count);
  std::vector<double> stm_p(d_count);
  std::vector<double> final_p(d_count);
  // Per symbol: how many candidate pitches make it, and whether any does. Kept zero between
  // uses (only the candidates' symbols are set and then cleared), so no pass over the alphabet.
  std::vector<int> sharing;
  std::vector<std::uint8_t> reachable;
  std::vector<std::uint32_t> reachable_ids;  // the same, in increasing order

  // The viewpoint's distribution over the symbols the candidate pitches make (its alphabet in
  // this context, as IDyOM's set-alphabet-from-context), shared evenly among the pitches that
  // make each symbol.
  const auto to_pitch = [&](const Ppm::Cursor& cursor, int alphabet, bool context_alphabet,
                            std::vector<double>& p) {
    const auto size = static_cast<std::size_t>(alphabet);
    if (buffer.size() < size) buffer.resize(size);
    const std::span<const std::uint8_t> allowed =
        context_alphabet ? std::span<const std::uint8_t>(reachable).first(size)
                         : std::span<const std::uint8_t>();
    // Only the candidates' symbols are normalised: the same division predict() does.
    const double normaliser =
        cursor.predict_unnormalised(buffer, allowed, alphabet,
                                    context_alphabet ? std::span<const std::uint32_t>(reachable_ids)
                                                     : std::span<const std::uint32_t>());
    double sum = 0.0;
    for (std::size_t c = 0; c < d_count; ++c) {
      const auto id = static_cast<std::size_t>(ids[c]);
      double q = buffer[id];
      if (normaliser > 0.0) q /= normaliser;
      // (Dividing by 1 changes nothing, and most symbols are made by one pitch.)
      p[c] = sharing[id] == 1 ? q : q / sharing[id];
      sum += p[c];
    }
    if (sum <= 0.0) {
      std::fill(p.begin(), p.end(), 1.0 / static_cast<double>(d_count));
    } else {
      for (double& x : p)
        x /= sum;
    }
  };

  if (out != nullptr) out->reserve(predicted);
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const bool is_next = i == predicted;
    ltm_parts.clear();
    stm_parts.clear();
    std::fill(actual.begin(), actual.end(), -1);
    for (std::size_t v = 0; v < v_count; ++v) {
      auto& m = models[v];
      const auto defined = viewpoint_symbol(m.viewpoint, notes, i, notes[i].pitch);
      if (!defined) continue;
      // The candidates' symbols, unless this viewpoint met the same context before in this
      // run (then they are the same, and their ids were given then).
      const auto context = viewpoint_context(m.viewpoint, notes, i);
      const auto cached = context ? candidate_ids[v].find(*context) : candidate_ids[v].end();
      if (cached != candidate_ids[v].end()) {
        std::copy(cached->second.begin(), cached->second.end(), ids.begin());
      } else {
        for (std::size_t c = 0; c < d_count; ++c) {
          const auto s = viewpoint_symbol(m.viewpoint, notes, i, domain[c]);
          ids[c] = symbol_id(v, *s);
        }
        if (context) candidate_ids[v].emplace(*context, ids);
      }
      if (!is_next) actual[v] = symbol_id(v, *defined);
      const int alphabet = alphabet_of(v);
      if constexpr (!frozen) m.ltm.grow_alphabet(alphabet);
      stms[v].grow_alphabet(alphabet);
      const auto size = static_cast<std::size_t>(alphabet);
      if (sharing.size() < size) {
        sharing.resize(size, 0);
        reachable.resize(size, 0);
      }
      reachable_ids.clear();
      for (std::size_t c = 0; c < d_count; ++c) {
        ++sharing[static_cast<std::size_t>(ids[c])];
        reachable[static_cast<std::size_t>(ids[c])] = 1;
        reachable_ids.push_back(static_cast<std::uint32_t>(ids[c]));
      }
      std::sort(reachable_ids.begin(), reachable_ids.end());
      reachable_ids.erase(std::unique(reachable_ids.begin(), reachable_ids.end()),
                          reachable_ids.end());
      if (options.use_ltm) {
        to_pitch(*ltm_cursors[v], alphabet, options.ltm_context_alphabet, ltm_dists[v]);
        ltm_parts.emplace_back(ltm_dists[v]);
      }
      if (options.use_stm) {
        to_pitch(*stm_cursors[v], alphabet, options.stm_context_alphabet, stm_dists[v]);
        stm_parts.emplace_back(stm_dists[v]);
      }
      for (std::size_t c = 0; c < d_count; ++c) {
        sharing[static_cast<std::size_t>(ids[c])] = 0;
        reachable[static_cast<std::size_t>(ids[c])] = 0;
      }
    }
    combine_models(ltm_parts, stm_parts, options.use_ltm, options.use_stm,
                   options.viewpoint_combination, options.ltm_stm_combination, ltm_p, stm_p,
                   final_p, weights);
    NotePrediction prediction;
    prediction.entropy = entropy_bits(final_p);
    if (is_next) {
      prediction.distribution = final_p;
      if (next_out != nullptr) *next_out = std::move(prediction);
      break;
    }
    const auto at = std::lower_bound(domain.begin(), domain.end(), notes[i].pitch);
    prediction.probability = final_p[static_cast<std::size_t>(at - domain.begin())];
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
