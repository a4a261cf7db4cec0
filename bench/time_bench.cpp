// Tempo-map and timecode conversions per second. The baseline is the naive floating-point
// conversion of a constant tempo (seconds = beats * 60 / bpm), the floor any exact method pays
// on top of.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "time/tempo_map.h"
#include "time/timecode.h"

namespace {

using namespace duet::time;

std::vector<BeatPos> random_beats(std::size_t n) {
  std::mt19937_64 rng(1);
  std::vector<BeatPos> out(n);
  for (auto& b : out)
    b = BeatPos(static_cast<std::int64_t>(rng() % (400 * kTicksPerQuarter)));
  return out;
}

// A cue-like map: 16 changes alternating constant tempos and ramps of both kinds, a meter change.
TempoMap cue_map() {
  std::vector<TempoChange> changes;
  for (int i = 0; i < 16; ++i) {
    const Ramp ramp =
        i == 15 ? Ramp::none
                : (i % 3 == 0 ? Ramp::none
                              : (i % 3 == 1 ? Ramp::linear_in_beats : Ramp::linear_in_time));
    changes.push_back({BeatPos(i * 24 * kTicksPerQuarter),
                       Tempo::quarters_per_minute(Rational(80 + 7 * i)), ramp});
  }
  auto meters = MeterMap::from_bars({{1, Meter{4, 4}}, {20, Meter{3, 4}}});
  return TempoMap::create(changes, meters.value()).value();
}

void BM_NaiveDoubleConstant(benchmark::State& state) {
  const auto beats = random_beats(4096);
  const double bpm = 117.55;
  std::size_t i = 0;
  for (auto _ : state) {
    const double seconds = static_cast<double>(beats[i++ & 4095].ticks()) / 1920.0 * 60.0 / bpm;
    benchmark::DoNotOptimize(seconds);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NaiveDoubleConstant);

void BM_TimeAtConstant(benchmark::State& state) {
  const TempoMap map = TempoMap::constant(frame_click(12, 2, FrameRate::fps24()));
  const auto beats = random_beats(4096);
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(map.time_at(beats[i++ & 4095]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimeAtConstant);

void BM_TimeAtCueMap(benchmark::State& state) {
  const TempoMap map = cue_map();
  const auto beats = random_beats(4096);
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(map.time_at(beats[i++ & 4095]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimeAtCueMap);

void BM_BeatsAtCueMap(benchmark::State& state) {
  const TempoMap map = cue_map();
  std::vector<TimePos> times;
  for (BeatPos b : random_beats(4096))
    times.push_back(map.time_at(b));
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(map.beats_at(times[i++ & 4095]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BeatsAtCueMap);

void BM_BbtAtCueMap(benchmark::State& state) {
  const TempoMap map = cue_map();
  const auto beats = random_beats(4096);
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(map.bbt_at(beats[i++ & 4095]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BbtAtCueMap);

void BM_TimecodeFromFramesDropFrame(benchmark::State& state) {
  const FrameRate df = FrameRate::fps29_97(true);
  std::int64_t frame = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(from_frames(frame, df));
    frame = (frame + 7919) % df.frames_per_day();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimecodeFromFramesDropFrame);

void BM_ParseTimecodeDropFrame(benchmark::State& state) {
  const FrameRate df = FrameRate::fps29_97(true);
  for (auto _ : state)
    benchmark::DoNotOptimize(parse_timecode("01:23:45;12", df));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseTimecodeDropFrame);

}  // namespace

BENCHMARK_MAIN();
