// Sequence models (src/model): training time and next-note predictions per second, against a
// fixed-context baseline in the same run, and the cost of model files.
//
// The targets: training on all POP909 melodies in under 60 s on one core; at least
// 100,000 next-event predictions per second. A "prediction" is one full distribution over the
// alphabet (PPM) or over the pitch domain (the multiple-viewpoint system) for one note of a
// held-out melody, the cursor then advancing past the actual note.
//
// Data: synthetic melodies (always; a fixed seed) and, when ../shared/data is present (or
// DUET_SHARED_DATA names it), the JSB chorales (what the default model learns) and the MELODY
// tracks of all 909 POP909 songs. The corpora are read before timing.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <span>
#include <vector>

#include "model/eval.h"
#include "model/jsb.h"
#include "model/model_file.h"
#include "model/mvs.h"
#include "model/pop909.h"
#include "model/ppm.h"

namespace {

namespace fs = std::filesystem;
using namespace duet;
using model::Melody;

fs::path data_root() {
  const char* env = std::getenv("DUET_SHARED_DATA");
  return env ? fs::path(env) : fs::path(DUET_SHARED_DATA_DIR);
}

struct Split {
  std::vector<Melody> train;
  std::vector<Melody> test;
  std::size_t train_notes = 0;
  std::size_t test_notes = 0;
  void count() {
    train_notes = test_notes = 0;
    for (const auto& m : train)
      train_notes += m.notes.size();
    for (const auto& m : test)
      test_notes += m.notes.size();
  }
};

// Synthetic melodies: a random walk in C major over quarter notes in 4/4, in phrases of 8 notes
// of which about half repeat an earlier phrase (as tunes do), so that long contexts recur.
std::vector<Melody> synthetic_melodies(int count, int notes_per_melody, std::uint32_t seed) {
  std::mt19937 rng(seed);
  static constexpr int kScale[] = {0, 2, 4, 5, 7, 9, 11};
  std::vector<Melody> out;
  for (int k = 0; k < count; ++k) {
    Melody m;
    m.id = "synthetic/" + std::to_string(k);
    std::vector<int> pitches;
    int degree = 14;  // C5 as the 14th degree above C3
    while (static_cast<int>(pitches.size()) < notes_per_melody) {
      const std::size_t phrases = pitches.size() / 8;
      if (phrases > 0 && rng() % 2 == 0) {
        const std::size_t from = (rng() % phrases) * 8;
        for (std::size_t i = 0; i < 8; ++i)
          pitches.push_back(pitches[from + i]);
        continue;
      }
      for (int i = 0; i < 8; ++i) {
        const int step = static_cast<int>(rng() % 5) - 2;
        degree = std::clamp(degree + step, 7, 21);
        pitches.push_back(48 + 12 * (degree / 7) + kScale[degree % 7]);
      }
    }
    pitches.resize(static_cast<std::size_t>(notes_per_melody));
    const std::int64_t quarter = time::kTicksPerQuarter;
    for (std::size_t i = 0; i < pitches.size(); ++i) {
      model::MelodyNote n;
      n.pitch = pitches[i];
      n.onset = time::BeatPos(static_cast<std::int64_t>(i) * quarter);
      n.duration = time::BeatDur(quarter);
      n.bar_position = time::BeatDur((static_cast<std::int64_t>(i) % 4) * quarter);
      n.key = model::KeyContext{0, false};
      m.notes.push_back(n);
    }
    out.push_back(std::move(m));
  }
  return out;
}

const Split& synthetic() {
  static const Split s = [] {
    Split out;
    out.train = synthetic_melodies(300, 64, 1);
    out.test = synthetic_melodies(50, 64, 2);
    out.count();
    return out;
  }();
  return s;
}

const Split& jsb() {
  static const Split s = [] {
    Split out;
    auto corpus = model::read_jsb_chorales(data_root() / "jsb" / "Jsb16thSeparated.json");
    if (!corpus) return out;
    out.train = corpus->train;
    out.train.insert(out.train.end(), corpus->valid.begin(), corpus->valid.end());
    out.test = corpus->test;
    out.count();
    return out;
  }();
  return s;
}

// All POP909 MELODY tracks as training data (test: none). Only in optimised builds: in a Debug
// build (the test suite's smoke run) training on them takes many minutes.
const Split& pop909() {
  static const Split s = [] {
    Split out;
#ifdef NDEBUG
    for (const auto& folder : model::pop909_song_folders(data_root() / "pop909")) {
      auto song = model::read_pop909_song(folder);
      if (song) out.train.push_back(model::pop909_melody(*song));
    }
    out.count();
#endif
    return out;
  }();
  return s;
}

const Split* split_for(benchmark::State& state, int which) {
  const Split* s = which == 0 ? &synthetic() : which == 1 ? &jsb() : &pop909();
  if (s->train.empty()) {
    state.SkipWithError(which == 1 ? "no JSB chorales: ../shared/data/jsb is absent (set "
                                     "DUET_SHARED_DATA)"
                                   : "no POP909: ../shared/data/pop909 is absent (set "
                                     "DUET_SHARED_DATA), or this is a Debug build");
    return nullptr;
  }
  return s;
}

// Pitch sequences as dense symbols (ids in order of first appearance over train then test).
struct PitchSymbols {
  std::vector<std::vector<int>> train, test;
  int alphabet = 0;
};

PitchSymbols pitch_symbols(const Split& s) {
  PitchSymbols out;
  std::map<int, int> ids;
  auto convert = [&](const std::vector<Melody>& melodies, std::vector<std::vector<int>>& into) {
    for (const auto& m : melodies) {
      std::vector<int> seq;
      for (const auto& n : m.notes) {
        const auto [it, added] = ids.emplace(n.pitch, static_cast<int>(ids.size()));
        seq.push_back(it->second);
      }
      into.push_back(std::move(seq));
    }
  };
  convert(s.train, out.train);
  convert(s.test, out.test);
  out.alphabet = static_cast<int>(ids.size());
  return out;
}

// ---- the baseline: an order-2 fixed-context model, a dense count table ----

class Order2Table {
 public:
  explicit Order2Table(int alphabet)
      : a_(static_cast<std::size_t>(alphabet) + 1),  // + 1: "no note yet"
        counts_(a_ * a_ * a_, 0),
        totals_(a_ * a_, 0) {}
  void train(const std::vector<int>& seq) {
    std::size_t p2 = a_ - 1, p1 = a_ - 1;
    for (int s : seq) {
      const auto c = static_cast<std::size_t>(s);
      ++counts_[(p2 * a_ + p1) * a_ + c];
      ++totals_[p2 * a_ + p1];
      p2 = p1;
      p1 = c;
    }
  }
  // Laplace-smoothed distribution of the symbol after (p2, p1).
  void predict(std::size_t p2, std::size_t p1, std::span<double> out) const {
    const std::size_t ctx = p2 * a_ + p1;
    const std::size_t alphabet = a_ - 1;
    const double scale = 1.0 / (static_cast<double>(totals_[ctx]) + static_cast<double>(alphabet));
    const std::uint32_t* row = &counts_[ctx * a_];
    for (std::size_t i = 0; i < alphabet; ++i)
      out[i] = (static_cast<double>(row[i]) + 1.0) * scale;
  }
  std::size_t none() const { return a_ - 1; }

 private:
  std::size_t a_;
  std::vector<std::uint32_t> counts_;
  std::vector<std::uint32_t> totals_;
};

void BM_PredictOrder2Baseline(benchmark::State& state) {
  const Split* s = split_for(state, static_cast<int>(state.range(0)));
  if (s == nullptr) return;
  const PitchSymbols sym = pitch_symbols(*s);
  Order2Table table(sym.alphabet);
  for (const auto& seq : sym.train)
    table.train(seq);
  std::vector<double> dist(static_cast<std::size_t>(sym.alphabet));
  double bits = 0;
  std::int64_t predictions = 0;
  for (auto _ : state) {
    bits = 0;
    for (const auto& seq : sym.test) {
      std::size_t p2 = table.none(), p1 = table.none();
      for (int x : seq) {
        table.predict(p2, p1, dist);
        bits += model::information_content(dist[static_cast<std::size_t>(x)]);
        p2 = p1;
        p1 = static_cast<std::size_t>(x);
      }
      predictions += static_cast<std::int64_t>(seq.size());
    }
    benchmark::DoNotOptimize(bits);
  }
  state.SetItemsProcessed(predictions);
  state.counters["bits/note"] = bits / static_cast<double>(s->test_notes);
}

// The pitch PPM alone (PPM-C*, the long-term model), or bounded to order 2 (range(1) = 2).
void BM_PredictPitchPpm(benchmark::State& state) {
  const Split* s = split_for(state, static_cast<int>(state.range(0)));
  if (s == nullptr) return;
  const PitchSymbols sym = pitch_symbols(*s);
  model::Ppm ppm(sym.alphabet,
                 model::PpmOptions{model::Escape::c, static_cast<int>(state.range(1)), false});
  for (const auto& seq : sym.train)
    ppm.train(seq);
  ppm.shrink_to_fit();  // as a loaded model is
  std::vector<double> dist(static_cast<std::size_t>(sym.alphabet));
  double bits = 0;
  std::int64_t predictions = 0;
  for (auto _ : state) {
    bits = 0;
    for (const auto& seq : sym.test) {
      model::Ppm::Cursor cursor(static_cast<const model::Ppm&>(ppm));
      for (int x : seq) {
        cursor.predict(dist);
        bits += model::information_content(dist[static_cast<std::size_t>(x)]);
        cursor.advance(x);
      }
      predictions += static_cast<std::int64_t>(seq.size());
    }
    benchmark::DoNotOptimize(bits);
  }
  state.SetItemsProcessed(predictions);
  state.counters["bits/note"] = bits / static_cast<double>(s->test_notes);
  state.counters["nodes"] = static_cast<double>(ppm.node_count());
  state.counters["bytes"] = static_cast<double>(ppm.memory_bytes());
}

// What duet train writes: the four pitch viewpoints (or the six with durations, range(1) = 1),
// long-term model plus short-term model learning each test melody, entropy-weighted.
model::MelodyModelOptions train_system(bool with_duration) {
  model::MelodyModelOptions o =
      with_duration ? model::jsb_duration_system() : model::jsb_pitch_system();
  o.use_stm = true;
  o.ltm_learns = false;
  return o;
}

void BM_PredictMultipleViewpoints(benchmark::State& state) {
  const Split* s = split_for(state, static_cast<int>(state.range(0)));
  if (s == nullptr) return;
  model::MelodyModel m(train_system(state.range(1) == 1));
  for (const auto& melody : s->train)
    m.train(melody);
  for (const auto& melody : s->test) {
    for (const auto& n : melody.notes)
      m.add_to_domain(n.pitch);
  }
  double bits = 0;
  std::int64_t predictions = 0;
  for (auto _ : state) {
    bits = 0;
    for (const auto& melody : s->test) {
      for (const auto& p : m.predict(melody))
        bits += p.information_content;
      predictions += static_cast<std::int64_t>(melody.notes.size());
    }
    benchmark::DoNotOptimize(bits);
  }
  state.SetItemsProcessed(predictions);
  state.counters["bits/note"] = bits / static_cast<double>(s->test_notes);
  state.counters["domain"] = static_cast<double>(m.pitch_domain().size());
}

// duet predict's one call: the next note after an 8-note context, from a whole trained model
// (predict_next reads the model in place; it used to copy it, which cost most of the call).
void BM_PredictNextCall(benchmark::State& state) {
  const Split* s = split_for(state, static_cast<int>(state.range(0)));
  if (s == nullptr) return;
  model::MelodyModel m(train_system(false));
  for (const auto& melody : s->train)
    m.train(melody);
  Melody context = s->test.front();
  context.notes.resize(std::min<std::size_t>(context.notes.size(), 8));
  model::MelodyNote next = context.notes.back();
  next.onset = next.onset + next.duration;
  for (auto _ : state) {
    auto p = m.predict_next(context, next);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}

// Training: every training melody of the split, one core, from an empty model each time.
// range(1): 0 the pitch PPM alone, 1 duet train's four viewpoints, 2 the six with durations.
void BM_Train(benchmark::State& state) {
  const Split* s = split_for(state, static_cast<int>(state.range(0)));
  if (s == nullptr) return;
  const int system = static_cast<int>(state.range(1));
  const PitchSymbols sym = system == 0 ? pitch_symbols(*s) : PitchSymbols{};
  std::size_t nodes = 0;
  std::size_t bytes = 0;   // what the tries and learnt data hold (capacity)
  std::size_t packed = 0;  // the same after shrink_to_fit (as loading or predicting leaves them)
  for (auto _ : state) {
    if (system == 0) {
      model::Ppm ppm(sym.alphabet);
      for (const auto& seq : sym.train)
        ppm.train(seq);
      nodes = ppm.node_count();
      bytes = ppm.memory_bytes();
      state.PauseTiming();
      ppm.shrink_to_fit();
      packed = ppm.memory_bytes();
      state.ResumeTiming();
    } else {
      model::MelodyModel m(train_system(system == 2));
      for (const auto& melody : s->train)
        m.train(melody);
      nodes = 0;
      bytes = 0;
      for (const auto& v : m.viewpoint_models()) {
        nodes += v.ltm.node_count();
        bytes += v.ltm.memory_bytes();
      }
      state.PauseTiming();
      packed = 0;
      for (auto& v : m.viewpoint_models()) {
        v.ltm.shrink_to_fit();
        packed += v.ltm.memory_bytes();
      }
      state.ResumeTiming();
      benchmark::DoNotOptimize(m);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s->train_notes));
  state.counters["melodies"] = static_cast<double>(s->train.size());
  state.counters["notes"] = static_cast<double>(s->train_notes);
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["packed_bytes"] = static_cast<double>(packed);
}

// Model files: encoding and decoding duet train's model of the split's training melodies.
const model::MelodyModel& trained(int which) {
  static std::map<int, model::MelodyModel> cache;
  auto it = cache.find(which);
  if (it == cache.end()) {
    const Split& s = which == 0 ? synthetic() : which == 1 ? jsb() : pop909();
    model::MelodyModel m(train_system(false));
    for (const auto& melody : s.train)
      m.train(melody);
    it = cache.emplace(which, std::move(m)).first;
  }
  return it->second;
}

void BM_EncodeModel(benchmark::State& state) {
  if (split_for(state, static_cast<int>(state.range(0))) == nullptr) return;
  const auto& m = trained(static_cast<int>(state.range(0)));
  std::size_t size = 0;
  for (auto _ : state) {
    const auto bytes = model::encode_model(m);
    size = bytes.size();
    benchmark::DoNotOptimize(bytes.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  state.counters["file_bytes"] = static_cast<double>(size);
}

void BM_DecodeModel(benchmark::State& state) {
  if (split_for(state, static_cast<int>(state.range(0))) == nullptr) return;
  const auto bytes = model::encode_model(trained(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    auto m = model::decode_model(bytes, "bench.duetmodel");
    if (!m) {
      state.SkipWithError(m.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  state.counters["file_bytes"] = static_cast<double>(bytes.size());
}

// Arguments: {data set (0 synthetic, 1 JSB, 2 POP909), variant}.
void data_sets(benchmark::internal::Benchmark* b, std::initializer_list<std::int64_t> variants,
               bool with_pop909) {
  for (std::int64_t d = 0; d <= (with_pop909 ? 2 : 1); ++d) {
    for (std::int64_t v : variants)
      b->Args({d, v});
  }
}

BENCHMARK(BM_PredictOrder2Baseline)
    ->Apply([](auto* b) { data_sets(b, {0}, false); }) -> Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PredictPitchPpm)->Apply([](auto* b) {
                               data_sets(b, {2, -1}, false);
                             }) -> Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PredictMultipleViewpoints)->Apply([](auto* b) {
                                         data_sets(b, {0, 1}, false);
                                       }) -> Unit(benchmark::kMillisecond);
BENCHMARK(BM_PredictNextCall)
    ->Apply([](auto* b) { data_sets(b, {0}, false); }) -> Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Train)->Apply([](auto* b) {
                     data_sets(b, {0, 1, 2}, true);
                   }) -> Unit(benchmark::kMillisecond) -> MeasureProcessCPUTime() -> UseRealTime();
BENCHMARK(BM_EncodeModel)
    ->Apply([](auto* b) { data_sets(b, {0}, true); }) -> Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeModel)
    ->Apply([](auto* b) { data_sets(b, {0}, true); }) -> Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
