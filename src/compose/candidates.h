// Candidates: the engine's "best lines" for a cue. N candidates are written with seeds drawn from
// one seed (splitmix64), every critic judges each, and the critics' scores combine into one total
// that ranks them; the top k come back with their per-critic scores and reasons.
//
// The total (0..1) is a weighted mean of the judged critics' scores (a critic that did not judge
// is left out of the mean), then multiplied by a factor per fault a composer would not accept in
// a first reading: per hard hit missed, per parallel or crossing, per note outside its
// instrument's range; make_candidates then tips it by the fit of the candidate's approach to the
// scene. The weights and factors are CriticWeights' (below); total_rule_text writes them out for
// the help and the reports, so that they are stated in one place.
// So one missed hard hit halves a candidate's total whatever else it does well. Ties keep the
// order of generation (the candidate made first ranks first). The same brief, options and seed
// always give the same candidates in the same order.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/critics.h"
#include "compose/writer.h"

namespace duet::compose {

struct CriticWeights {
  double sync = 3, emotion = 4, tension = 1, themes = 1.5, voice_leading = 2, ranges = 2,
         likelihood = 1;
  // The craft critics (compose/craft.h): what the composer's review found missing.
  double orchestration = 2, harmony = 2, rhythm = 1.5, form = 1.5;
  double per_missed_hard_hit = 0.5;  // factor per hard hit missed
  double per_voice_fault = 0.9;      // per parallel fifth/octave or crossing
  double per_range_violation = 0.8;  // per note outside its instrument's playable range
  // make_candidates multiplies by (fit_floor + (1 - fit_floor) * fit), fit in 0..1: the critics
  // judge the music, the approach's fit to the scene tips close calls.
  double fit_floor = 0.85;
  double weight(CriticKind kind) const;
};

// The rule of the total in words, from `weights`: "a weighted mean (emotion 4; sync 3; voice
// leading, ranges, orchestration, harmony 2; ...), x0.5 per hard hit missed, ...", the critics
// grouped by weight, heaviest first. With `fit`, the approach's tip is included.
std::string total_rule_text(const CriticWeights& weights = {}, bool fit = true);

// The combined score of a critique (see above).
double total_score(const Critique& critique, const CriticWeights& weights = {});

// The seed of candidate `index` (0-based): the index+1-th draw of splitmix64 from `seed`.
std::uint64_t candidate_seed(std::uint64_t seed, int index);

struct CandidateOptions {
  int candidates = 8;  // 1..64 written
  int keep = 3;        // 1..candidates returned
  std::uint64_t seed = 1;
  CriticOptions critics;
  CriticWeights weights;
  WriterModels models;  // read only: every candidate writes with a copy of the chord model
  // Every candidate in this approach (the composer asked for it); absent: the candidates take
  // the approaches in the order they fit the scene (rank_approaches), round robin over those
  // that fit at least a quarter as well as the best (two at least), so that they differ.
  std::optional<Approach> approach;
  // Called after each candidate is written and judged (from whichever thread judged it, never
  // two at once); returning false stops (an error).
  std::function<bool(int done, int total)> progress;
  // Candidates written at once; 0 = every core. Each is written with its own copy of the chord
  // model as it was given, so the candidates, their order and the models' state afterwards are
  // the same whatever the number of threads.
  unsigned jobs = 0;
};

// The file name of a kept candidate, "<cue>-<rank>.mid" ("1M3-1.mid" for the best): what
// duet compose writes and what score-film, export and the craft bench read back.
std::string candidate_file_name(const spot::CueId& cue, int rank);

struct Candidate {
  int rank = 0;   // 1 = best
  int index = 0;  // order of generation, 0-based
  std::uint64_t seed = 0;
  double total = 0;  // 0..1
  Approach approach = Approach::lyrical;
  double fit = 0;  // the approach's fit to the scene, 0..1 (ApproachFit)
  WrittenCue written;
  Critique critique;
};

// Writes and ranks the candidates. The kept ones take different approaches first: the best
// candidate of each approach, in the order of their totals, then the next best. Fails when the
// options are out of range, the writer fails for a seed (its error, naming the seed), a score
// cannot be judged, or progress returns false.
base::Result<std::vector<Candidate>> make_candidates(const CueBrief& brief,
                                                     const CandidateOptions& options);

// Judges a score that is already written (the composer's own) against a cue: the critique and its
// total, for the same report as a candidate's.
struct Evaluation {
  Critique critique;
  double total = 0;
};
base::Result<Evaluation> evaluate(const Score& score, const spot::Cue& cue,
                                  const CriticOptions& options, const CriticWeights& weights = {});

}  // namespace duet::compose
