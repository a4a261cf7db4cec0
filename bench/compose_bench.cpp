// The emotion-to-music mapping and the sketch generator: how long a set of controls, an 8-bar
// sketch, and one sketch through the emotion estimator (one cell of the quadrant check) take.
// Figures in docs/emotion-mapping.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>

#include "compose/emotion_map.h"
#include "compose/sketch.h"
#include "compose/writer.h"
#include "model/chord_model.h"
#include "model/emotion_model.h"
#include "model/model_file.h"
#include "model/pop909.h"
#include "two_minute_cue.h"

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

// ---- The cue writer (docs/composing.md) ----

using bench::melody_model;
using bench::two_minute_brief;

// A chord model trained on the first 200 POP909 songs (nullptr without ../shared/data).
model::ChordModel* chord_model() {
  static std::optional<model::ChordModel> m = []() -> std::optional<model::ChordModel> {
    const auto dir = std::filesystem::path(DUET_SHARED_DATA_DIR) / "pop909";
    if (!std::filesystem::is_directory(dir)) return std::nullopt;
    model::ChordModel chords;
    int songs = 0;
    for (const auto& folder : model::pop909_song_folders(dir)) {
      if (songs == 200) break;
      auto song = model::read_pop909_song(folder);
      if (!song) continue;
      const auto sequence = model::pop909_chord_sequence(*song);
      if (!sequence.key) continue;
      chords.train(model::chord_symbols(sequence), sequence.key->minor);
      ++songs;
    }
    return chords;
  }();
  return m ? &*m : nullptr;
}

// Arg 0: no models (functional table, weighted steps); 1: the shipped melody model; 2: the
// melody model and a chord model trained on POP909.
void BM_WriteCue2Min(benchmark::State& state) {
  const compose::CueBrief brief = two_minute_brief();
  compose::WriterModels models;
  if (state.range(0) >= 1) {
    models.melody = melody_model();
    if (!models.melody) {
      state.SkipWithError("no models/default.duetmodel");
      return;
    }
  }
  if (state.range(0) >= 2) {
    models.chords = chord_model();
    if (!models.chords) {
      state.SkipWithError("no ../shared/data/pop909");
      return;
    }
  }
  std::uint64_t seed = 1;
  // Quality figures over every cue written (the checks are outside the timing).
  double notes = 0, chords = 0, parallels = 0, out_of_range = 0, uncomfortable = 0, fallbacks = 0;
  // Theme statements and their recognisability, and the keys the sections are in.
  double theme_uses = 0, recognised = 0, recognised_min = 1, keys = 0;
  for (auto _ : state) {
    auto w = compose::write_cue(brief, seed++, models);
    if (!w) {
      state.SkipWithError(w.error().message.c_str());
      return;
    }
    state.PauseTiming();
    for (const auto& p : w->score.parts)
      notes += static_cast<double>(p.notes.size());
    chords += static_cast<double>(w->score.chords.size());
    parallels += compose::count_parallels(w->score);
    out_of_range += compose::count_range_violations(w->score);
    uncomfortable += compose::count_uncomfortable(w->score);
    fallbacks += w->notes.voicing_fallbacks;
    for (const auto& u : w->score.themes) {
      ++theme_uses;
      recognised += u.recognisability;
      recognised_min = std::min(recognised_min, u.recognisability);
    }
    std::set<int> tonics;
    for (const auto& s : w->score.sections)
      tonics.insert(s.key.tonic.pitch_class());
    keys += static_cast<double>(tonics.size());
    state.ResumeTiming();
    benchmark::DoNotOptimize(w);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["notes/cue"] = notes / n;
  state.counters["chords/cue"] = chords / n;
  state.counters["parallels/100ch"] = chords > 0 ? 100 * parallels / chords : 0;
  state.counters["out_of_range"] = out_of_range;
  state.counters["uncomfortable"] = uncomfortable;
  state.counters["fallbacks"] = fallbacks;
  state.counters["themes/cue"] = theme_uses / n;
  state.counters["recog_mean"] = theme_uses > 0 ? recognised / theme_uses : 0;
  state.counters["recog_min"] = theme_uses > 0 ? recognised_min : 0;
  state.counters["keys/cue"] = keys / n;
}
BENCHMARK(BM_WriteCue2Min)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
