// duet demo: run the main job on the bundled demo and say what it did and wrote.
#include <iostream>
#include <memory>
#include <string>

#include "base/text.h"
#include "commands.h"
#include "engine/demo.h"
#include "output.h"

namespace duet::cli {
namespace {

struct DemoOptions {
  std::string out = "demo-out";
  std::string spec;
};

std::string signed_frames(std::int64_t frames) {
  if (frames == 0) return "on the frame";
  const std::string count = std::to_string(frames < 0 ? -frames : frames);
  return count + (frames == 1 || frames == -1 ? " frame " : " frames ") +
         (frames < 0 ? "early" : "late");
}

int run_demo(const DemoOptions& o) {
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
  std::cout << "\nnext: open " << r.files.front().path.string()
            << " in a DAW (it starts at the cue's timecode), or try 'duet midi info "
            << r.files.front().path.string() << "' and 'duet tempo --help'\n";
  return kExitOk;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand("demo", "Run the main job on the bundled demo cue");
  cmd->add_option("-o,--out", options->out, "Folder to write into (created if missing)")
      ->capture_default_str();
  cmd->add_option("--spec", options->spec,
                  "A demo spec of your own (JSON shaped like examples/demo/1M1.json)");
  cmd->footer(
      "The demo lays cue 1M1 of a short film on the picture at 29.97 drop-frame: a tempo map with\n"
      "an accelerando ramp, a meter change and a ritardando; where the picture's hit points fall "
      "in\n"
      "it; and a multi-track MIDI file (conductor with SMPTE offset and hit markers, strings, "
      "horn,\n"
      "click) that it reads back to check. Files already in the folder are replaced atomically.");
  cmd->callback([options, &exit_code] { exit_code = run_demo(*options); });
}

}  // namespace duet::cli
