// Themes (docs/themes.md): parsing and printing the melody text, recognisability of one variant,
// and find_theme over a longer line, as the critics and the cue writer call them. Baseline in the
// same run: a plain copy of the melody (the cost floor of handling one).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>

#include "music/theme.h"
#include "music/theme_transform.h"

namespace {

using namespace duet::music;

constexpr const char* kTheme = "4/4 D4q. F4e A4q D5q | C#5h A4h | Bb4q. A4e G4q F4q | E4w";

Melody random_line(std::size_t notes, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> step(-7, 7), dur(0, 3);
  const std::int64_t lengths[] = {960, 1920, 2880, 3840};
  Melody m;
  int pitch = 64;
  duet::time::BeatPos at(0);
  for (std::size_t i = 0; i < notes; ++i) {
    const duet::time::BeatDur len(lengths[dur(rng)]);
    m.notes.push_back({at, len, pitch});
    at += len;
    pitch = std::clamp(pitch + step(rng), 40, 90);
  }
  m.length = at - duet::time::BeatPos(0);
  return m;
}

void BM_CopyMelody(benchmark::State& state) {
  const Melody theme = *parse_melody(kTheme);
  for (auto _ : state) {
    Melody copy = theme;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CopyMelody);

void BM_ParseMelody(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(parse_melody(kTheme));
}
BENCHMARK(BM_ParseMelody);

void BM_MelodyToText(benchmark::State& state) {
  const Melody theme = *parse_melody(kTheme);
  for (auto _ : state)
    benchmark::DoNotOptimize(to_text(theme));
}
BENCHMARK(BM_MelodyToText);

void BM_ApplySteps(benchmark::State& state) {
  const Melody theme = *parse_melody(kTheme);
  const Key key = *parse_key("D minor");
  const auto steps = *parse_steps("transpose +5; mode major; augment 2; invert");
  for (auto _ : state)
    benchmark::DoNotOptimize(apply_steps(theme, key, steps));
}
BENCHMARK(BM_ApplySteps);

// Recognisability of a candidate of the theme's length (11 notes).
void BM_Recognisability(benchmark::State& state) {
  const Melody theme = *parse_melody(kTheme);
  const Melody candidate = random_line(theme.notes.size(), 1);
  for (auto _ : state)
    benchmark::DoNotOptimize(recognisability(theme, candidate));
}
BENCHMARK(BM_Recognisability);

// find_theme over a line of N notes (a two-minute cue's melody has about 200).
void BM_FindTheme(benchmark::State& state) {
  const Melody theme = *parse_melody(kTheme);
  const Melody line = random_line(static_cast<std::size_t>(state.range(0)), 2);
  for (auto _ : state)
    benchmark::DoNotOptimize(find_theme(theme, line));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_FindTheme)->Arg(50)->Arg(200);

}  // namespace

BENCHMARK_MAIN();
