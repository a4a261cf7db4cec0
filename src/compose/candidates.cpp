#include "compose/candidates.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "base/text.h"
#include "compose/random.h"
#include "model/chord_model.h"

namespace duet::compose {

std::string total_rule_text(const CriticWeights& weights, bool fit) {
  // Critics grouped by weight, heaviest first; within a group in CriticKind's order.
  std::vector<std::pair<double, std::vector<std::string>>> groups;
  for (int k = 0; k < kCriticCount; ++k) {
    const auto kind = static_cast<CriticKind>(k);
    std::string name(to_string(kind));
    std::replace(name.begin(), name.end(), '-', ' ');
    const double w = weights.weight(kind);
    auto group =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == w; });
    if (group == groups.end()) group = groups.insert(groups.end(), {w, {}});
    group->second.push_back(std::move(name));
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const auto number = [](double x) {
    std::ostringstream out;
    out << x;
    return out.str();
  };
  std::string text = "a weighted mean (";
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (g > 0) text += "; ";
    for (std::size_t n = 0; n < groups[g].second.size(); ++n)
      text += (n > 0 ? ", " : "") + groups[g].second[n];
    text += " " + number(groups[g].first);
  }
  text += ")";
  if (fit) {
    text += ", tipped by the approach's fit (x " + number(weights.fit_floor) + " + " +
            number(1 - weights.fit_floor) + " fit)";
  }
  text += ", x" + number(weights.per_missed_hard_hit) + " per hard hit missed, x" +
          number(weights.per_voice_fault) + " per parallel or crossing (between every two real " +
          "voices), x" + number(weights.per_range_violation) + " per note out of range";
  return text;
}

double CriticWeights::weight(CriticKind kind) const {
  switch (kind) {
    case CriticKind::sync:
      return sync;
    case CriticKind::emotion:
      return emotion;
    case CriticKind::tension:
      return tension;
    case CriticKind::themes:
      return themes;
    case CriticKind::voice_leading:
      return voice_leading;
    case CriticKind::ranges:
      return ranges;
    case CriticKind::likelihood:
      return likelihood;
    case CriticKind::orchestration:
      return orchestration;
    case CriticKind::harmony:
      return harmony;
    case CriticKind::rhythm:
      return rhythm;
    case CriticKind::form:
      return form;
  }
  return 0;
}

double total_score(const Critique& critique, const CriticWeights& weights) {
  double sum = 0, weight = 0;
  for (const auto& c : critique.critics) {
    if (!c.judged) continue;
    const double w = weights.weight(c.kind);
    sum += w * c.score;
    weight += w;
  }
  double total = weight > 0 ? sum / weight : 0;
  const auto& sync = critique.get(CriticKind::sync);
  if (sync.judged) total *= std::pow(weights.per_missed_hard_hit, sync.of - sync.count);
  const auto& vl = critique.get(CriticKind::voice_leading);
  if (vl.judged) total *= std::pow(weights.per_voice_fault, vl.count);
  const auto& ranges = critique.get(CriticKind::ranges);
  if (ranges.judged) total *= std::pow(weights.per_range_violation, ranges.count);
  return total;
}

std::string candidate_file_name(const spot::CueId& cue, int rank) {
  return cue.to_string() + "-" + std::to_string(rank) + ".mid";
}

std::uint64_t candidate_seed(std::uint64_t seed, int index) {
  Rng rng(seed);
  std::uint64_t s = 0;
  for (int i = 0; i <= index; ++i)
    s = rng.next();
  return s;
}

base::Result<std::vector<Candidate>> make_candidates(const CueBrief& brief,
                                                     const CandidateOptions& options) {
  if (options.candidates < 1 || options.candidates > 64) {
    return base::make_error(base::ErrorKind::out_of_range,
                            "the number of candidates must be 1..64 (", options.candidates,
                            " given)");
  }
  if (options.keep < 1 || options.keep > options.candidates) {
    return base::make_error(base::ErrorKind::out_of_range, "the number kept must be 1..",
                            options.candidates, " (", options.keep, " given)");
  }
  // The approaches, best fit first; round robin over those that fit.
  const auto fits = rank_approaches(summarise(brief.cue));
  std::vector<ApproachFit> use;
  if (options.approach) {
    for (const auto& f : fits)
      if (f.approach == *options.approach) use.push_back(f);
  } else {
    for (const auto& f : fits)
      if (use.size() < 2 || f.fit >= 0.25 * fits.front().fit) use.push_back(f);
  }
  // One candidate, start to finish: written with its own copy of the chord model (its
  // short-term model learns the progression as it goes), then judged.
  const auto make_one = [&](int i) -> base::Result<Candidate> {
    Candidate c;
    c.index = i;
    c.seed = candidate_seed(options.seed, i);
    const auto& f = use[static_cast<std::size_t>(i) % use.size()];
    c.approach = f.approach;
    c.fit = f.fit;
    CueBrief mine = brief;
    mine.approach = f.approach;
    std::optional<model::ChordModel> chords;
    if (options.models.chords != nullptr) chords.emplace(*options.models.chords);
    const WriterModels models{chords ? &*chords : nullptr, options.models.melody};
    auto written = write_cue(mine, c.seed, models);
    if (!written) {
      return base::make_error(written.error().kind, "candidate ", i + 1, " (seed ", c.seed,
                              "): ", written.error().message);
    }
    c.written = std::move(*written);
    if (!options.approach) {
      static constexpr std::array<const char*, 5> kOrdinal = {"fits best", "fits second best",
                                                              "fits third best", "fits fourth best",
                                                              "fits fifth best"};
      const std::size_t rank = static_cast<std::size_t>(i) % use.size();
      c.written.notes.approach_reason = std::string(kOrdinal[std::min<std::size_t>(rank, 4)]) +
                                        " (fit " + base::fixed(f.fit, 2) + "): " + f.reason;
      for (auto& line : c.written.notes.log)
        if (line.starts_with("approach: ")) {
          line = "approach: " + std::string(to_string(f.approach)) + ", " +
                 c.written.notes.approach_reason;
          break;
        }
    }
    auto judged = critique(c.written.score, brief.cue, options.critics);
    if (!judged) {
      return base::make_error(judged.error().kind, "candidate ", i + 1, " (seed ", c.seed,
                              "): ", judged.error().message);
    }
    c.critique = std::move(*judged);
    // The critics judge the music; the fit of its approach to the scene tips close calls.
    const double floor = options.weights.fit_floor;
    c.total = total_score(c.critique, options.weights) * (floor + (1 - floor) * c.fit);
    return c;
  };

  // Workers take candidates in order; each result goes to its own slot, so the list (and the
  // error reported, the first by index) does not depend on the threads.
  const auto n = static_cast<std::size_t>(options.candidates);
  std::vector<std::optional<base::Result<Candidate>>> made(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex lock;  // guards `done` and calls to options.progress
  int done = 0;
  bool stopped = false;
  const auto work = [&]() {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n || stop.load()) return;
      auto one = make_one(static_cast<int>(i));
      const bool failed = !one;
      made[i] = std::move(one);
      const std::lock_guard<std::mutex> guard(lock);
      if (failed) {
        stop.store(true);
        return;
      }
      if (stopped) return;  // the caller has stopped: what finishes after is not counted
      ++done;
      if (options.progress && !stopped && !options.progress(done, options.candidates)) {
        stopped = true;
        stop.store(true);
        return;
      }
    }
  };
  unsigned jobs = options.jobs > 0 ? options.jobs : std::thread::hardware_concurrency();
  jobs = std::clamp<unsigned>(jobs, 1, static_cast<unsigned>(n));
  if (jobs == 1) {
    work();
  } else {
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < jobs; ++t)
      workers.emplace_back(work);
    for (auto& t : workers)
      t.join();
  }
  std::vector<Candidate> all;
  for (std::size_t i = 0; i < n; ++i) {
    if (made[i] && !*made[i]) return made[i]->error();
  }
  if (stopped) {
    return base::make_error(base::ErrorKind::impossible, "stopped after ", done, " of ",
                            options.candidates, " candidates");
  }
  for (std::size_t i = 0; i < n; ++i)
    all.push_back(std::move(**made[i]));
  std::stable_sort(all.begin(), all.end(),
                   [](const Candidate& a, const Candidate& b) { return a.total > b.total; });
  // Kept: the best of each approach first (in the order of their totals), then the rest.
  std::vector<Candidate> kept, rest;
  std::vector<Approach> seen;
  for (auto& c : all) {
    if (std::find(seen.begin(), seen.end(), c.approach) == seen.end()) {
      seen.push_back(c.approach);
      kept.push_back(std::move(c));
    } else {
      rest.push_back(std::move(c));
    }
  }
  for (auto& c : rest)
    kept.push_back(std::move(c));
  kept.resize(static_cast<std::size_t>(options.keep));
  for (std::size_t i = 0; i < kept.size(); ++i)
    kept[i].rank = static_cast<int>(i) + 1;
  return kept;
}

base::Result<Evaluation> evaluate(const Score& score, const spot::Cue& cue,
                                  const CriticOptions& options, const CriticWeights& weights) {
  auto judged = critique(score, cue, options);
  if (!judged) return judged.error();
  Evaluation e;
  e.critique = std::move(*judged);
  e.total = total_score(e.critique, weights);
  return e;
}

}  // namespace duet::compose
