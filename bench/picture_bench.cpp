// CMX3600 EDL reading speed on a generated 2,000-event list (Avid-like: cuts, dissolve pairs,
// M2 lines, clip-name and LOC comments). Baseline in the same run: splitting the text into lines
// and counting them, the floor any line-based reader pays. Writing the cut back is measured too.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "picture/edl.h"
#include "time/timecode.h"

namespace {

using namespace duet;

std::string tc(std::int64_t frame) {
  const time::FrameRate r = time::FrameRate::fps24();
  return time::format_timecode(time::from_frames(frame, r), r);
}

// 2,000 events: every 10th a dissolve pair, every 7th with an M2 line, each with a clip name and
// every 5th with a marker.
const std::string& list() {
  static const std::string text = [] {
    std::string out = "TITLE: BENCH 2000\nFCM: NON-DROP FRAME\n";
    std::int64_t record = 86400;
    for (int n = 1; n <= 2000; ++n) {
      char number[16];
      std::snprintf(number, sizeof number, "%03d", n);
      const std::int64_t source = 3600 * 24 * (n % 20) + 17 * n;
      const std::int64_t length = 24 + (n * 37) % 120;
      const std::string reel = "A" + std::to_string(100 + n % 50) + "C00" + std::to_string(n % 9);
      if (n % 10 == 0) {
        out += std::string(number) + "  " + reel + " V     C        " + tc(source) + " " +
               tc(source) + " " + tc(record) + " " + tc(record) + "\n";
        out += std::string(number) + "  " + reel + " V     D    024 " + tc(source + 500) + " " +
               tc(source + 500 + length) + " " + tc(record) + " " + tc(record + length) + "\n";
        out += "* EFFECT NAME: CROSS DISSOLVE\n";
      } else {
        out += std::string(number) + "  " + reel + " AA/V  C        " + tc(source) + " " +
               tc(source + length) + " " + tc(record) + " " + tc(record + length) + "\n";
      }
      if (n % 7 == 0) out += "M2   " + reel + "       048.0                " + tc(source) + "\n";
      out += "* FROM CLIP NAME:  SHOT_" + std::to_string(n) + "_TAKE_2.MOV\n";
      if (n % 5 == 0)
        out += "* LOC: " + tc(record + 3) + " RED     hit " + std::to_string(n) + "\n";
      record += length;
    }
    return out;
  }();
  return text;
}

void set_counters(benchmark::State& state) {
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(list().size()));
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(iterations) * 2000.0, benchmark::Counter::kIsRate);
}

void BM_SplitLines(benchmark::State& state) {
  const std::string_view text = list();
  for (auto _ : state) {
    std::size_t lines = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t end = text.find('\n', pos);
      std::string_view line = text.substr(pos, end - pos);
      benchmark::DoNotOptimize(line);
      ++lines;
      if (end == std::string_view::npos) break;
      pos = end + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  set_counters(state);
}
BENCHMARK(BM_SplitLines);

void BM_ReadEdl(benchmark::State& state) {
  picture::EdlOptions options;
  for (auto _ : state) {
    auto read = picture::read_edl(list(), options);
    if (!read || read->cut.events.size() != 2000) state.SkipWithError("the list did not read");
    benchmark::DoNotOptimize(read);
  }
  set_counters(state);
}
BENCHMARK(BM_ReadEdl);

void BM_ReadEdlAndShots(benchmark::State& state) {
  picture::EdlOptions options;
  for (auto _ : state) {
    auto read = picture::read_edl(list(), options);
    auto shots = read->cut.shots();
    benchmark::DoNotOptimize(shots);
  }
  set_counters(state);
}
BENCHMARK(BM_ReadEdlAndShots);

void BM_WriteEdl(benchmark::State& state) {
  const picture::Cut cut = picture::read_edl(list(), {})->cut;
  for (auto _ : state) {
    std::string text = picture::write_edl(cut);
    benchmark::DoNotOptimize(text);
  }
  set_counters(state);
}
BENCHMARK(BM_WriteEdl);

}  // namespace

BENCHMARK_MAIN();
