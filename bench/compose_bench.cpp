// The emotion-to-music mapping and the sketch generator: how long a set of controls, an 8-bar
// sketch, and one sketch through the emotion estimator (one cell of the quadrant check) take.
// Figures in docs/emotion-mapping.md.
#include <benchmark/benchmark.h>

#include "compose/emotion_map.h"
#include "compose/sketch.h"
#include "model/emotion_model.h"

namespace {

using namespace duet;

// Points from calm and sad (0) to excited and tense (2): the sketches grow with arousal.
compose::EmotionPoint point_of(std::int64_t index) {
  switch (index) {
    case 0:
      return {-0.6, -0.6, 0.2};
    case 1:
      return {0.3, 0.0, 0.3};
    default:
      return {-0.3, 0.9, 0.8};
  }
}

void BM_ControlsFor(benchmark::State& state) {
  const compose::EmotionPoint p = point_of(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(compose::controls_for(p, {0, 0.2, 0.1}));
  }
}
BENCHMARK(BM_ControlsFor)->Arg(0)->Arg(1)->Arg(2);

void BM_Sketch8Bars(benchmark::State& state) {
  const compose::MusicalControls c = compose::controls_for(point_of(state.range(0)));
  std::uint64_t seed = 1;
  std::int64_t notes = 0;
  for (auto _ : state) {
    compose::SketchOptions o;
    o.seed = seed++;
    auto s = compose::make_sketch(c, o);
    notes += s->notes;
    benchmark::DoNotOptimize(s);
  }
  state.counters["notes/sketch"] =
      benchmark::Counter(static_cast<double>(notes) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_Sketch8Bars)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

void BM_SketchAndEstimate(benchmark::State& state) {
  const compose::MusicalControls c = compose::controls_for(point_of(state.range(0)));
  const model::EmotionModel& m = model::default_emotion_model();
  std::uint64_t seed = 1;
  for (auto _ : state) {
    compose::SketchOptions o;
    o.seed = seed++;
    auto s = compose::make_sketch(c, o);
    benchmark::DoNotOptimize(model::estimate_emotion(m, s->file));
  }
}
BENCHMARK(BM_SketchAndEstimate)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
