// duet bench: the engine's signature on a generated feature-length film (engine/feature_bench.h).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "base/text.h"
#include "commands.h"
#include "engine/feature_bench.h"
#include "model_options.h"
#include "output.h"
#include "progress.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;

struct BenchOptions {
  int minutes = 100;
  int cues = 0;
  int candidates = 8;
  std::uint64_t seed = 1;
  bool no_render = false;
  std::string out;
  std::string models;
  bool json = false;
  bool quiet = false;
};

int run_bench(const BenchOptions& o) {
  engine::FeatureBenchOptions options;
  options.minutes = o.minutes;
  options.cues = o.cues;
  options.candidates = o.candidates;
  options.seed = o.seed;
  options.render = !o.no_render;
  options.models_dir = o.models;
  // Without --out the project goes to a temporary folder, removed at the end.
  const bool temporary = o.out.empty();
  options.dir = temporary ? fs::temp_directory_path() / ("duet-bench-" + std::to_string(::getpid()))
                          : fs::path(o.out);
  StageBars bars(!o.quiet);
  auto result = engine::run_feature_bench(options, bars.progress());
  bars.finish();
  if (temporary) {
    std::error_code ec;
    fs::remove_all(options.dir, ec);
  }
  if (!result) return report(result.error());
  if (o.json) {
    std::cout << engine::to_json(*result).dump(2) << "\n";
    return kExitOk;
  }
  Table table({"stage", "seconds", "what"});
  for (const auto& s : result->stages)
    table.add({s.name, base::fixed(s.seconds, 2), s.what});
  table.print(std::cout);
  std::cout << "total " << base::fixed(result->seconds, 1) << " s for a " << result->minutes
            << "-minute film, " << result->cues << " cues\n";
  std::cout << "signature " << result->signature << "\n";
  if (!temporary) std::cout << "the project: " << options.dir.generic_string() << "\n";
  return kExitOk;
}

}  // namespace

void add_bench_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* c = app.add_subcommand(
      "bench", "The engine's signature: a generated feature film synced, composed and rendered");
  c->add_option("--minutes", o->minutes, "The film's length in minutes (default 100)")
      ->check(CLI::Range(1, 240));
  c->add_option("--cues", o->cues, "How many cues (default 40 per 100 minutes)")
      ->check(CLI::Range(0, 999));
  c->add_option("--candidates", o->candidates, "Candidates written per cue (default 8)")
      ->check(CLI::Range(1, 64));
  c->add_option("--seed", o->seed, "The seed of the film and the candidates (default 1)");
  c->add_flag("--no-render", o->no_render, "Leave out the render stage");
  c->add_option("--out", o->out,
                "Keep the bench's project in this new folder (default: a temporary one, removed)");
  add_models_option(*c, o->models);
  c->add_flag("--json", o->json, "Print JSON");
  c->add_flag("--quiet", o->quiet, "No progress bars");
  c->footer(
      "The signature is a hash over the project after sync and every kept MIDI file: the same\n"
      "build and options give the same signature on any machine. A change that moves it\n"
      "changed what duet writes. The render stage is timed, not hashed. Figures and how each\n"
      "stage grows with the film's length: docs/benchmarks.md.\n"
      "\n"
      "Examples:\n"
      "  duet bench\n"
      "  duet bench --minutes 10 --no-render");
  c->callback([o, &exit_code] { exit_code = run_bench(*o); });
}

}  // namespace duet::cli
