// Click tracks: events, WAV rendering and encoding, MIDI, for a 5-minute cue at 120 with a ramp
// (600 beats), with and without 16th-note subdivisions. Figures in docs/clicks-and-streamers.md.
#include <benchmark/benchmark.h>

#include "sync/click.h"
#include "time/tempo_map_text.h"

namespace {

using namespace duet;

time::TempoMap five_minutes() {
  // 120 for 40 bars, a ramp to 90 over 20 bars, then 90 to the end (about 5 minutes).
  return time::parse_tempo_map({"1=120", "41=120~", "61=90"}, {"1=4/4"},
                               time::TimePos(3600 * time::kSuperclockPerSecond))
      .value();
}

sync::ClickOptions options(int subdivide) {
  sync::ClickOptions o;
  o.subdivide.note_value = subdivide;
  o.count_in_bars = 2;
  return o;
}

const time::BeatPos kEnd(150 * 4 * 1920);  // 150 bars

void BM_ClickEvents(benchmark::State& state) {
  const auto map = five_minutes();
  for (auto _ : state) {
    auto clicks = sync::click_events(map, kEnd, options(static_cast<int>(state.range(0))));
    benchmark::DoNotOptimize(clicks);
  }
}
BENCHMARK(BM_ClickEvents)->Arg(0)->Arg(16)->Unit(benchmark::kMicrosecond);

// Render and encode the 24-bit WAV; reports audio seconds per wall second.
void BM_ClickWav(benchmark::State& state) {
  const auto map = five_minutes();
  const auto clicks =
      sync::click_events(map, kEnd, options(static_cast<int>(state.range(0)))).value();
  double audio_seconds = 0;
  for (auto _ : state) {
    auto audio = sync::render_clicks(clicks, clicks.front().at).value();
    auto bytes = sync::click_wav(audio);
    benchmark::DoNotOptimize(bytes);
    audio_seconds += static_cast<double>(audio.samples.size()) / audio.sample_rate;
  }
  state.counters["audio_s_per_s"] = benchmark::Counter(audio_seconds, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClickWav)->Arg(0)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_ClickMidi(benchmark::State& state) {
  const auto map = five_minutes();
  const auto clicks = sync::click_events(map, kEnd, options(16)).value();
  for (auto _ : state) {
    auto bytes = sync::click_midi(map, clicks);
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_ClickMidi)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
