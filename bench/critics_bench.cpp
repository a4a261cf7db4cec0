// The critics and the candidate search (docs/composing.md, "Measured"): every critic on one
// written two-minute cue, and 8 candidates written, judged and ranked for it (the goal:
// under 5 s on one core). Arg 0: no melody model (tension and likelihood not judged, the writer's
// melody by rules); arg 1: models/default.duetmodel (or DUET_MODEL) for the writer and critics.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <optional>

#include "compose/candidates.h"
#include "compose/critics.h"
#include "compose/writer.h"
#include "model/model_file.h"
#include "two_minute_cue.h"

namespace duet {
namespace {

using bench::melody_model;
using bench::two_minute_brief;

bool with_model(benchmark::State& state, const model::MelodyModel*& out) {
  out = nullptr;
  if (state.range(0) == 0) return true;
  out = melody_model();
  if (out == nullptr) state.SkipWithError("no models/default.duetmodel (set DUET_MODEL)");
  return out != nullptr;
}

// Every critic on one written cue.
void BM_Critique2Min(benchmark::State& state) {
  const compose::CueBrief brief = two_minute_brief();
  const model::MelodyModel* mm = nullptr;
  if (!with_model(state, mm)) return;
  auto w = compose::write_cue(brief, 1, {nullptr, mm});
  if (!w) {
    state.SkipWithError(w.error().message.c_str());
    return;
  }
  compose::CriticOptions o;
  o.melody_model = mm;
  for (auto _ : state) {
    auto c = compose::critique(w->score, brief.cue, o);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_Critique2Min)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// 8 candidates written, judged and ranked, the best 3 kept; counters: the best one's figures.
void BM_Candidates8x2Min(benchmark::State& state) {
  const compose::CueBrief brief = two_minute_brief();
  const model::MelodyModel* mm = nullptr;
  if (!with_model(state, mm)) return;
  compose::CandidateOptions o;
  o.candidates = 8;
  o.keep = 3;
  o.critics.melody_model = mm;
  o.models.melody = mm;
  std::uint64_t seed = 1;
  double landed = 0, hard = 0, agree = 0, sections = 0, total = 0;
  for (auto _ : state) {
    o.seed = seed++;
    auto c = compose::make_candidates(brief, o);
    if (!c) {
      state.SkipWithError(c.error().message.c_str());
      return;
    }
    const auto& best = c->front().critique;
    landed += best.get(compose::CriticKind::sync).count;
    hard += best.get(compose::CriticKind::sync).of;
    agree += best.get(compose::CriticKind::emotion).count;
    sections += best.get(compose::CriticKind::emotion).of;
    total += c->front().total;
    benchmark::DoNotOptimize(c);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["hard_landed"] = hard > 0 ? landed / hard : 0;
  state.counters["quadrant_agree"] = sections > 0 ? agree / sections : 0;
  state.counters["best_total"] = total / n;
}
BENCHMARK(BM_Candidates8x2Min)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace duet

BENCHMARK_MAIN();
