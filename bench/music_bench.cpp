// Chord recognition (docs/music-theory.md) over a 30-minute cue at 120 BPM, a triad on every
// beat (3,600 segments of a beat): alone (the baseline in the same run), and with a low drone
// held through the whole cue, which once made every segment walk every note since the start.
#include <benchmark/benchmark.h>

#include <vector>

#include "music/chord_recognition.h"

namespace {

using namespace duet::music;

void BM_RecognizeChords30Min(benchmark::State& state) {
  std::vector<TimedNote> notes;
  if (state.range(0) == 1) notes.push_back({26, 0, 1800});  // seconds
  const int chords[4][3] = {{50, 53, 57}, {55, 59, 62}, {50, 54, 57}, {55, 58, 62}};
  for (int beat = 0; beat < 3600; ++beat) {
    for (int pitch : chords[(beat / 4) % 4])
      notes.push_back({pitch, beat * 0.5, 0.45});
  }
  const auto boundaries = regular_boundaries(notes, 0, 0.5);
  for (auto _ : state)
    benchmark::DoNotOptimize(recognize_chords(notes, boundaries));
  state.SetLabel(state.range(0) == 1 ? "with a drone held throughout" : "triads alone");
}
BENCHMARK(BM_RecognizeChords30Min)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
