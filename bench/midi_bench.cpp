// Standard MIDI File throughput over the shared corpus (../shared/data, about 5,000 files, 63 MB).
// Baselines in the same run: summing every byte (the memory floor any parser pays) and writing
// the parsed models back.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <vector>

#include "base/file.h"
#include "midi/smf.h"
#include "midi/timing.h"

namespace {

namespace fs = std::filesystem;
using namespace duet;

struct Corpus {
  std::vector<std::vector<std::uint8_t>> files;
  std::int64_t bytes = 0;
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    const char* env = std::getenv("DUET_SHARED_DATA");
    const fs::path root = env ? fs::path(env) : fs::path(DUET_SHARED_DATA_DIR);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return out;
    std::vector<fs::path> paths;
    for (auto it = fs::recursive_directory_iterator(
             root, fs::directory_options::follow_directory_symlink, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->path().extension() == ".mid") paths.push_back(it->path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      if (auto bytes = base::read_file(p)) {
        out.bytes += static_cast<std::int64_t>(bytes->size());
        out.files.push_back(std::move(*bytes));
      }
    }
    return out;
  }();
  return c;
}

bool need_corpus(benchmark::State& state) {
  if (!corpus().files.empty()) return true;
  state.SkipWithError("no MIDI corpus: ../shared/data is absent (set DUET_SHARED_DATA)");
  return false;
}

void BM_SumBytes(benchmark::State& state) {
  if (!need_corpus(state)) return;
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (const auto& f : corpus().files)
      sum = std::accumulate(f.begin(), f.end(), sum);
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(state.iterations() * corpus().bytes);
}
BENCHMARK(BM_SumBytes)->Unit(benchmark::kMillisecond);

void BM_ReadCorpus(benchmark::State& state) {
  if (!need_corpus(state)) return;
  std::size_t events = 0;
  for (auto _ : state) {
    events = 0;
    for (const auto& f : corpus().files) {
      auto r = midi::read_smf(f);
      for (const auto& t : r->file.tracks)
        events += t.events.size();
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus().bytes);
  state.counters["files"] = static_cast<double>(corpus().files.size());
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events),
                                                  benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ReadCorpus)->Unit(benchmark::kMillisecond);

void BM_ReadPairAndTimeCorpus(benchmark::State& state) {
  if (!need_corpus(state)) return;
  for (auto _ : state) {
    for (const auto& f : corpus().files) {
      auto r = midi::read_smf(f);
      const midi::Timeline timeline = midi::Timeline::of(r->file);
      for (const auto& t : r->file.tracks) {
        for (const auto& n : midi::pair_notes(t)) {
          benchmark::DoNotOptimize(timeline.time_of_tick(n.start));
        }
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus().bytes);
}
BENCHMARK(BM_ReadPairAndTimeCorpus)->Unit(benchmark::kMillisecond);

void BM_WriteCorpus(benchmark::State& state) {
  if (!need_corpus(state)) return;
  std::vector<midi::MidiFile> models;
  for (const auto& f : corpus().files)
    models.push_back(midi::read_smf(f)->file);
  for (auto _ : state) {
    for (const auto& m : models)
      benchmark::DoNotOptimize(midi::write_smf(m));
  }
  state.SetBytesProcessed(state.iterations() * corpus().bytes);
}
BENCHMARK(BM_WriteCorpus)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
