// duet demo: run the main job on the bundled demo and say what it did and wrote.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "base/text.h"
#include "commands.h"
#include "engine/demo.h"
#include "engine/film_demo.h"
#include "model_options.h"
#include "output.h"
#include "progress.h"

namespace duet::cli {
namespace {
namespace fs = std::filesystem;

struct DemoOptions {
  std::string out = "demo-out";
  std::string spec;
  std::string film;  // the film demo: the whole path on this film
  std::string edl;
  std::string recut_edl;  // the editor's next cut, conformed after the whole path
  std::string recut_film;
  std::string models;
  bool quiet = false;
};

// The film demo: every step's line and files, then where to look first.
int run_film_demo(const DemoOptions& o) {
  StageBars bars(!o.quiet);
  engine::FilmDemoRequest request;
  request.film = o.film;
  request.edl = o.edl;
  request.out = o.out;
  request.models_dir = o.models;
  request.recut_edl = o.recut_edl;
  request.recut_film = o.recut_film;
  auto result = engine::run_film_demo(request, bars.progress());
  bars.finish();
  if (!result) return report(result.error());
  const engine::FilmDemoReport& r = *result;
  std::cout << "\nthe film demo: " << o.film << " scored, picture to hand-off\n";
  for (const engine::FilmDemoStep& s : r.steps) {
    std::cout << "  " << s.name << std::string(s.name.size() < 10 ? 10 - s.name.size() : 1, ' ')
              << s.summary << "  (" << base::fixed(s.seconds, 1) << " s)\n";
    // The main file of each step, and how many more; every file is in the folders named.
    if (!s.files.empty()) {
      std::cout << "            " << s.files.front().string();
      if (s.files.size() > 1) std::cout << " and " << s.files.size() - 1 << " more";
      std::cout << "\n";
    }
  }
  print_warnings(r.warnings);
  std::cout << "\nnext: watch " << (fs::path(o.out) / "film").string()
            << "/*-scored.mp4; open the spotting sheet " << (r.project / "spotting.html").string()
            << "; read why each cue was chosen in " << (fs::path(o.out) / "compose").string()
            << "/<cue>-report.txt; try 'duet show " << r.project.string() << "'";
  if (!o.recut_edl.empty()) {
    std::cout << "; see what the re-cut did to each cue in "
              << (fs::path(o.out) / "conform" / "conform.html").string();
  }
  std::cout << "\n";
  return kExitOk;
}

std::string signed_frames(std::int64_t frames) {
  if (frames == 0) return "on the frame";
  const std::string count = std::to_string(frames < 0 ? -frames : frames);
  return count + (frames == 1 || frames == -1 ? " frame " : " frames ") +
         (frames < 0 ? "early" : "late");
}

int run_demo(const DemoOptions& o) {
  if (o.film.empty() && !o.edl.empty()) return usage_error("--edl goes with --film");
  if ((!o.recut_edl.empty() || !o.recut_film.empty()) && (o.edl.empty() || o.recut_edl.empty())) {
    return usage_error(
        "--recut-edl goes with --film and --edl (the first cut), --recut-film "
        "with --recut-edl");
  }
  auto result = engine::run_demo({o.out, o.spec});
  if (!result) return report(result.error());
  const engine::DemoReport& r = *result;
  std::cout << "duet demo: \"" << r.film_title << "\", cue " << r.cue_id << " \"" << r.cue_title
            << "\" at " << r.rate.name() << "\n"
            << "  cue in " << r.cue_in << ", out " << r.cue_out << ", "
            << base::fixed(r.cue_seconds, 3) << " s, " << r.bars.size() << " bars\n\n";

  std::cout << "tempo map (bar|beat|tick=tempo; ~ ramps linearly in beats to the next change, "
               "~time linearly in time)\n  tempos: ";
  for (std::size_t i = 0; i < r.tempo_entries.size(); ++i) {
    std::cout << (i ? "  " : "") << r.tempo_entries[i];
  }
  std::cout << "\n  meters: ";
  for (std::size_t i = 0; i < r.meter_entries.size(); ++i) {
    std::cout << (i ? "  " : "") << r.meter_entries[i];
  }
  std::cout << "\n\n";
  Table bars({"bar", "meter", "tempo", "cue time", "timecode", "frame"});
  for (const auto& b : r.bars) {
    bars.add({std::to_string(b.bar), b.meter.to_string(), base::fixed(b.quarters_per_minute, 2),
              base::fixed(b.cue_seconds, 3) + " s", b.timecode, std::to_string(b.frame)});
  }
  bars.print(std::cout);

  std::cout << "\nhit points: where the picture's hits fall in this tempo map (fitting a map that "
               "lands them is duet sync's job)\n";
  Table hits({"timecode", "hit", "falls at", "nearest beat", "misses by"});
  for (const auto& h : r.hits) {
    hits.add({h.timecode, h.label, h.position.to_string(), h.nearest_beat.to_string(),
              signed_frames(h.frames_off) + " (" + base::fixed(h.ms_off, 1) + " ms)"});
  }
  hits.print(std::cout);

  std::cout << "\ntimecode at " << r.rate.name() << " (frame 0 is 00:00:00:00)\n";
  Table conversions({"", "timecode", "frame", "seconds"});
  for (const auto& c : r.conversions) {
    conversions.add({c.what, c.timecode, std::to_string(c.frame), c.seconds});
  }
  conversions.print(std::cout);

  std::cout << "\nMIDI: " << r.midi_tracks << " tracks, " << r.midi_notes
            << " notes; read back, every 16th note lands within "
            << base::fixed(r.readback_error_us, 2) << " µs of the tempo map\n\nwrote\n";
  for (const auto& f : r.files)
    std::cout << "  " << f.path.string() << "  " << f.description << "\n";
  if (!o.film.empty()) return run_film_demo(o);
  std::cout << "\nnext: open " << r.files.front().path.string()
            << " in a DAW (it starts at the cue's timecode), or try 'duet midi info "
            << r.files.front().path.string() << "' and 'duet tempo --help'\n"
            << "the whole path on a film, picture to hand-off: ./run demo (it makes the demo film "
            << "and runs 'duet demo --film')\n";
  return kExitOk;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Run the main job on the bundled demo: a cue's tempo map, then with --film the whole "
      "path on the demo film");
  cmd->add_option("-o,--out", options->out, "Folder to write into (created if missing)")
      ->capture_default_str();
  cmd->add_option("--spec", options->spec,
                  "A demo spec of your own (JSON shaped like examples/demo/1M1.json)");
  cmd->add_option("--film", options->film,
                  "Then run the whole path on this film: project, spot, sync, click, streamers, "
                  "theme, compose, scored film, spotting sheet, cue sheet, export "
                  "(scripts/make-demo-film makes the demo film)");
  cmd->add_option("--edl", options->edl, "The film's cut (CMX3600), with --film");
  cmd->add_option("--recut-edl", options->recut_edl,
                  "Then conform to the editor's next cut (CMX3600), with --film and --edl: the "
                  "project copied to OUT/project-recut and re-fitted, the report in OUT/conform");
  cmd->add_option("--recut-film", options->recut_film,
                  "The re-cut's film, with --recut-edl: it is scored from the re-fitted MIDI");
  add_models_option(*cmd, options->models);
  cmd->add_flag("--quiet", options->quiet, "No progress bars");
  cmd->footer(
      "The demo lays cue 1M1 of a short film on the picture at 29.97 drop-frame: a tempo map with\n"
      "an accelerando ramp, a meter change and a ritardando; where the picture's hit points fall "
      "in\n"
      "it; and a multi-track MIDI file (conductor with SMPTE offset and hit markers, strings, "
      "horn,\n"
      "click) that it reads back to check. Files already in the folder are replaced atomically.\n"
      "\n"
      "With --film it goes on to the whole path on that film, each step a job of the engine, into\n"
      "OUT/project, OUT/click, OUT/compose, OUT/stems, OUT/film and OUT/deliver; a step that "
      "fails\n"
      "names itself and leaves the steps before it done. './run demo' makes the demo film and\n"
      "runs it, then conforms the project to the editor's re-cut of the film: ./run demo  (or:\n"
      "scripts/make-demo-film demo-out/film && duet demo --film demo-out/film/demo-film.mp4\n"
      "--edl demo-out/film/demo-film.edl --recut-edl demo-out/film/demo-film-recut.edl\n"
      "--recut-film demo-out/film/demo-film-recut.mp4)");
  cmd->callback([options, &exit_code] { exit_code = run_demo(*options); });
}

}  // namespace duet::cli
