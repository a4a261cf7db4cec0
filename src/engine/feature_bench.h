// duet bench: the signature, as a chess engine's `bench`. A generated feature-length project
// (cues, hard and soft hits, dialogue, emotion curves, a theme on a third of the cues) run end to
// end through the engine: every cue's tempo map fitted and applied, every cue composed (candidates
// written, judged, the best kept), every kept cue rendered. It prints one signature, a hash over
// what the stages made (the project after sync, every kept MIDI file), the same on every run and
// machine for the same build and options, and the time of each stage.
//
// The rendered audio is timed but not hashed: FluidSynth's floating point may differ between
// CPUs. Spotting is not a stage yet: it reads a film, and drafting on a generated film is issue
// 19's work (docs/benchmarks.md, "duet bench").
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/progress.h"

namespace duet::engine {

struct FeatureBenchOptions {
  int minutes = 100;   // the film's length; 1..240
  int cues = 0;        // 0: 40 per 100 minutes (at least 1)
  int candidates = 8;  // per cue
  std::uint64_t seed = 1;
  bool render = true;         // the render stage (the signature does not include it)
  std::filesystem::path dir;  // where the project is made; it must not exist yet
  std::string models_dir;     // --models DIR
};

struct BenchStage {
  std::string name;  // "generate", "sync", "compose", "render"
  double seconds = 0;
  std::string what;  // "40 cues, 312 hard hits landed of 312", ...
};

struct FeatureBenchReport {
  int minutes = 0;
  int cues = 0;
  double music_seconds = 0;  // the cues' total length
  std::vector<BenchStage> stages;
  std::string signature;  // 16 hex digits
  double seconds = 0;     // all stages
};

base::Result<FeatureBenchReport> run_feature_bench(const FeatureBenchOptions& options,
                                                   const Progress& progress = {});

// What `duet bench --json` prints: minutes, cues, music_seconds, signature, seconds, and the
// stages ({stage, seconds, what}).
nlohmann::json to_json(const FeatureBenchReport& report);

}  // namespace duet::engine
