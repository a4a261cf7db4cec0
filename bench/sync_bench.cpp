// Constant-tempo fitting: the exact sweep (sync::best_score, and the full ranked fit with its
// checks) against the brute-force baseline, a scan of every 0.001 BPM of the range, in the same
// run. The cue: N hits at random frames over 120 s at 24 fps, landing on downbeats, beats, 8ths
// and 16ths in 4/4 (a quarter each), three in four hard, weights 1 to 3, tolerance one frame,
// tempo range 40-240 BPM. Counters: the landed weight (thousandths) each method finds, so a run
// shows the exact answer is equal or better.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "sync/fit.h"

namespace {

using namespace duet;

std::vector<spot::HitPoint> bench_hits(int count) {
  std::mt19937 rng(4);
  std::uniform_int_distribution<std::int64_t> frame(1, 24 * 120);
  std::uniform_int_distribution<int> pick(0, 3);
  std::vector<spot::HitPoint> hits;
  spot::HitPoint first;
  first.land = spot::Landing::downbeat();
  hits.push_back(first);
  const spot::Landing lands[] = {spot::Landing::downbeat(), spot::Landing::beat(),
                                 spot::Landing::subdivision(8), spot::Landing::subdivision(16)};
  for (int i = 1; i < count; ++i) {
    spot::HitPoint h;
    h.at = time::time_of_frame(frame(rng), time::FrameRate::fps24());
    h.land = lands[pick(rng)];
    h.kind = pick(rng) == 0 ? spot::HitKind::soft : spot::HitKind::hard;
    h.weight = 1 + pick(rng) % 3;
    hits.push_back(h);
  }
  std::sort(hits.begin(), hits.end(),
            [](const spot::HitPoint& a, const spot::HitPoint& b) { return a.at < b.at; });
  return hits;
}

sync::FitOptions bench_options() {
  sync::FitOptions o;
  o.min_qpm = 40;
  o.max_qpm = 240;
  o.tolerance_frames = 1;
  return o;
}

void report(benchmark::State& state, const sync::Score& s) {
  state.counters["hard_weight"] = static_cast<double>(s.hard);
  state.counters["soft_weight"] = static_cast<double>(s.soft);
}

void BM_ExactSweep(benchmark::State& state) {
  const auto hits = bench_hits(static_cast<int>(state.range(0)));
  const auto options = bench_options();
  sync::Score s;
  for (auto _ : state) {
    s = sync::best_score(hits, options);
    benchmark::DoNotOptimize(s);
  }
  report(state, s);
}

void BM_ExactRankedFit(benchmark::State& state) {
  const auto hits = bench_hits(static_cast<int>(state.range(0)));
  const auto options = bench_options();
  sync::Score s;
  for (auto _ : state) {
    auto fit = sync::fit_constant(hits, options);
    benchmark::DoNotOptimize(fit);
    s = sync::Score{fit->front().check.hard_weight_landed, fit->front().check.soft_weight_landed};
  }
  report(state, s);
}

void BM_BruteForceScan(benchmark::State& state) {
  const auto hits = bench_hits(static_cast<int>(state.range(0)));
  const auto options = bench_options();
  sync::Score s;
  for (auto _ : state) {
    s = sync::scan_best_score(hits, options, time::Rational(1, 1000));
    benchmark::DoNotOptimize(s);
  }
  report(state, s);
}

BENCHMARK(BM_ExactSweep)->Arg(10)->Arg(200)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExactRankedFit)->Arg(10)->Arg(200)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BruteForceScan)->Arg(10)->Arg(200)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
