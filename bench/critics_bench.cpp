// The critics and the candidate search (docs/composing.md, "Measured"): every critic on one
// written two-minute cue, and 8 candidates written, judged and ranked for it (the goal:
// under 5 s on one core). Arg 0: no melody model (tension and likelihood not judged, the writer's
// melody by rules); arg 1: models/default.duetmodel (or DUET_MODEL) for the writer and critics.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <optional>

#include "compose/candidates.h"
#include "compose/critics.h"
#include "compose/writer.h"
#include "model/model_file.h"

namespace duet {
namespace {

time::TimePos at_seconds(double s) {
  return time::TimePos(
      static_cast<std::int64_t>(s * static_cast<double>(time::kSuperclockPerSecond)));
}

// The same two-minute cue as compose_bench's BM_WriteCue2Min: four hits, two dialogue windows,
// an emotion curve that turns at 60-75 s, one theme.
compose::CueBrief two_minute_brief() {
  spot::Cue cue;
  const double in = 3600;
  cue.in = at_seconds(in);
  cue.out = at_seconds(in + 120);
  cue.hits = {{at_seconds(in + 20.5), "door", spot::HitKind::hard},
              {at_seconds(in + 47.2), "look", spot::HitKind::soft},
              {at_seconds(in + 71.9), "crash", spot::HitKind::hard},
              {at_seconds(in + 101.3), "cut to black", spot::HitKind::hard}};
  cue.dialogue = {{at_seconds(in + 25), at_seconds(in + 38), "A"},
                  {at_seconds(in + 80), at_seconds(in + 92), "B"}};
  cue.emotion.keys = {{at_seconds(in), {0.5, -0.5, 0.2}},
                      {at_seconds(in + 60), {0.2, 0.0, 0.4}},
                      {at_seconds(in + 75), {-0.6, 0.8, 0.9}},
                      {at_seconds(in + 120), {-0.4, 0.6, 0.7}}};
  cue.themes = {"hero"};
  compose::BriefTheme hero;
  hero.name = "hero";
  const int pitches[] = {62, 66, 69, 74, 73, 69, 71, 66};
  for (int i = 0; i < 8; ++i)
    hero.notes.push_back({time::BeatPos(i * time::kTicksPerQuarter),
                          time::BeatDur(time::kTicksPerQuarter), pitches[i], 80});
  hero.key = {music::NoteName{music::Letter::D, 0}, music::Mode::major};
  return {cue, {hero}, {}, {}, {}};
}

const model::MelodyModel* melody_model() {
  static const std::optional<model::MelodyModel> m = []() -> std::optional<model::MelodyModel> {
    const char* env = std::getenv("DUET_MODEL");
    auto loaded = model::load_model(env ? env : "models/default.duetmodel");
    if (!loaded) return std::nullopt;
    return std::move(*loaded);
  }();
  return m ? &*m : nullptr;
}

bool with_model(benchmark::State& state, const model::MelodyModel*& out) {
  out = nullptr;
  if (state.range(0) == 0) return true;
  out = melody_model();
  if (out == nullptr) state.SkipWithError("no models/default.duetmodel (set DUET_MODEL)");
  return out != nullptr;
}

// Every critic on one written cue.
void BM_Critique2Min(benchmark::State& state) {
  const compose::CueBrief brief = two_minute_brief();
  const model::MelodyModel* mm = nullptr;
  if (!with_model(state, mm)) return;
  auto w = compose::write_cue(brief, 1, {nullptr, mm});
  if (!w) {
    state.SkipWithError(w.error().message.c_str());
    return;
  }
  compose::CriticOptions o;
  o.melody_model = mm;
  for (auto _ : state) {
    auto c = compose::critique(w->score, brief.cue, o);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_Critique2Min)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// 8 candidates written, judged and ranked, the best 3 kept; counters: the best one's figures.
void BM_Candidates8x2Min(benchmark::State& state) {
  const compose::CueBrief brief = two_minute_brief();
  const model::MelodyModel* mm = nullptr;
  if (!with_model(state, mm)) return;
  compose::CandidateOptions o;
  o.candidates = 8;
  o.keep = 3;
  o.critics.melody_model = mm;
  o.models.melody = mm;
  std::uint64_t seed = 1;
  double landed = 0, hard = 0, agree = 0, sections = 0, total = 0;
  for (auto _ : state) {
    o.seed = seed++;
    auto c = compose::make_candidates(brief, o);
    if (!c) {
      state.SkipWithError(c.error().message.c_str());
      return;
    }
    const auto& best = c->front().critique;
    landed += best.get(compose::CriticKind::sync).count;
    hard += best.get(compose::CriticKind::sync).of;
    agree += best.get(compose::CriticKind::emotion).count;
    sections += best.get(compose::CriticKind::emotion).of;
    total += c->front().total;
    benchmark::DoNotOptimize(c);
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["hard_landed"] = hard > 0 ? landed / hard : 0;
  state.counters["quadrant_agree"] = sections > 0 ? agree / sections : 0;
  state.counters["best_total"] = total / n;
}
BENCHMARK(BM_Candidates8x2Min)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace duet

BENCHMARK_MAIN();
