// duet render: a MIDI file to a 48 kHz 24-bit WAV through FluidSynth (src/render), with stems per
// section and loudness normalisation.
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "midi/smf.h"
#include "output.h"
#include "progress.h"
#include "render/loudness.h"
#include "render/render.h"
#include "render_output.h"

namespace duet::cli {

std::optional<std::optional<double>> parse_loudness(const std::string& text) {
  if (text == "none") return std::optional<double>();
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < -40 || value > -5) return std::nullopt;
  return std::optional<double>(value);
}

namespace {

namespace fs = std::filesystem;

struct RenderCommandOptions {
  std::string midi;
  std::string out;
  std::string stems;
  std::string soundfont = std::string(render::kDefaultSoundFont);
  std::string loudness = "none";
  double ceiling = -1.0;
  bool click = false;
  std::vector<std::string> ducks;
  double duck_db = 10.0;
  bool json = false;
  bool quiet = false;
};

int run_render(const RenderCommandOptions& o) {
  const auto target = parse_loudness(o.loudness);
  if (!target) return loudness_usage_error(o.loudness);
  // --duck START-END in seconds.
  std::vector<render::DuckWindow> windows;
  for (const std::string& d : o.ducks) {
    const auto dash = d.find('-', 1);
    double a = 0, b = 0;
    bool ok = dash != std::string::npos;
    if (ok) {
      const char* end_a = d.data() + dash;
      const char* end_b = d.data() + d.size();
      auto ra = std::from_chars(d.data(), end_a, a);
      auto rb = std::from_chars(d.data() + dash + 1, end_b, b);
      ok = ra.ec == std::errc() && ra.ptr == end_a && rb.ec == std::errc() && rb.ptr == end_b &&
           a >= 0 && b >= a;
    }
    if (!ok) {
      return usage_error("--duck: '" + d +
                         "' is not a window; give START-END in seconds from the file's start, "
                         "such as 12.5-15");
    }
    windows.push_back({a, b});
  }
  auto bytes = base::read_file(o.midi, std::uintmax_t{256} << 20);
  if (!bytes) return report(bytes.error());
  auto read = midi::read_smf(*bytes);
  if (!read) return report(read.error().with_context(o.midi));

  render::RenderOptions options;
  options.soundfont = o.soundfont;
  options.stems = !o.stems.empty();
  ProgressBar bar("rendering");
  if (!o.quiet) options.progress = [&bar](double fraction) { return bar.update(fraction); };
  auto rendered = render::render_midi(read->file, options);
  if (!o.quiet) bar.finish();
  if (!rendered) {
    // Errors about the file itself (format 2) name it; SoundFont errors name the SoundFont.
    const base::Error& e = rendered.error();
    return report(e.kind == base::ErrorKind::unsupported ? e.with_context(o.midi) : e);
  }

  std::optional<render::Audio> click;
  if (o.click) {
    if (o.stems.empty())
      return usage_error("--click writes into the stems folder: give --stems DIR");
    auto made = render::render_click(read->file, rendered->mix.frames(), rendered->mix.sample_rate);
    if (!made) return report(made.error().with_context(o.midi));
    click = std::move(*made);
  }

  if (!windows.empty()) {
    std::vector<render::Audio*> stems;
    for (auto& s : rendered->stems)
      stems.push_back(&s.audio);
    render::DuckOptions d;
    d.depth_db = o.duck_db;
    if (auto ok = render::duck(rendered->mix, stems, windows, d); !ok) return report(ok.error());
  }
  std::optional<render::Normalization> normalization;
  std::optional<render::Loudness> loudness;
  if (*target) {
    std::vector<render::Audio*> stems;
    for (auto& s : rendered->stems)
      stems.push_back(&s.audio);
    render::NormalizeOptions n;
    n.target_lufs = **target;
    n.ceiling_dbtp = o.ceiling;
    auto done = render::normalize(rendered->mix, stems, n);
    if (!done) return report(done.error());
    normalization = *done;
    loudness = done->after;
  } else {
    auto measured = render::measure_loudness(rendered->mix);
    if (!measured) return report(measured.error());
    loudness = *measured;
  }

  // Everything is rendered before anything is written; each file is saved atomically.
  std::vector<std::string> written;
  if (auto ok = make_parent(o.out); !ok) return report(ok.error());
  if (auto ok = render::write_wav(o.out, rendered->mix); !ok) return report(ok.error());
  written.push_back(fs::path(o.out).generic_string());
  if (!o.stems.empty()) {
    const std::string base_name = fs::path(o.out).stem().string();
    if (auto ok = write_stems(o.stems, base_name, rendered->stems, written); !ok) {
      return report(ok.error());
    }
    if (click) {
      const fs::path path = fs::path(o.stems) / (base_name + "-click.wav");
      if (auto ok = render::write_wav(path, *click); !ok) return report(ok.error());
      written.push_back(path.generic_string());
    }
  }

  const double seconds = rendered->mix.seconds();
  if (o.json) {
    nlohmann::json j;
    j["midi"] = o.midi;
    j["soundfont"] = o.soundfont;
    j["sample_rate"] = rendered->mix.sample_rate;
    j["bits"] = 24;
    j["music_seconds"] = rendered->music_seconds;
    j["seconds"] = seconds;
    add_loudness_json(j, *loudness);
    if (normalization) {
      j["normalization"] = {{"target_lufs", **target},
                            {"ceiling_dbtp", o.ceiling},
                            {"gain_db", round_db(normalization->gain_db)},
                            {"peak_limited", normalization->peak_limited}};
    }
    if (!windows.empty()) {
      j["duck"] = {{"depth_db", o.duck_db}, {"windows", nlohmann::json::array()}};
      for (const auto& w : windows)
        j["duck"]["windows"].push_back({w.start_seconds, w.end_seconds});
    }
    j["stems"] = nlohmann::json::array();
    for (const auto& s : rendered->stems)
      j["stems"].push_back(render::section_name(s.section));
    j["written"] = written;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "rendered " << o.midi << ": " << base::fixed(rendered->music_seconds, 3)
            << " s of music + " << base::fixed(seconds - rendered->music_seconds, 3) << " s tail, "
            << rendered->mix.sample_rate << " Hz 24-bit stereo";
  print_stem_count(std::cout, rendered->stems.size());
  std::cout << "\n";
  print_loudness(std::cout, *loudness, normalization, o.ceiling);
  if (!windows.empty()) {
    std::cout << "  ducked " << windows.size()
              << (windows.size() == 1 ? " dialogue window" : " dialogue windows") << " by "
              << base::fixed(o.duck_db, 1) << " dB (before the loudness was measured)\n";
  }
  for (const auto& f : written)
    std::cout << "wrote " << f << "\n";
  return kExitOk;
}

}  // namespace

void add_render_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RenderCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "render", "Render a MIDI file to a 48 kHz 24-bit WAV through FluidSynth, with stems");
  cmd->add_option("midi", o->midi, "The MIDI file (format 0 or 1)")->required();
  cmd->add_option("--out", o->out, "The WAV file to write (the mix)")->required();
  cmd->add_option("--stems", o->stems,
                  "Also write one WAV per section that plays into this folder: "
                  "<out>-strings, -woodwinds, -brass, -percussion, -harp_keys, -choir, -synths, "
                  "-other (they sum to "
                  "the mix)");
  cmd->add_option("--soundfont", o->soundfont,
                  "An SF2/SF3 SoundFont (default " + std::string(render::kDefaultSoundFont) +
                      ", Debian package " + std::string(render::kDefaultSoundFontPackage) + ")");
  cmd->add_option("--loudness", o->loudness,
                  "Normalise the integrated loudness: -23 (EBU R 128), -16, any LUFS from -40 "
                  "to -5, or none (the default)");
  cmd->add_option("--ceiling", o->ceiling,
                  "True-peak ceiling in dBTP for --loudness (default -1): the gain stops here")
      ->check(CLI::Range(-20.0, 0.0));
  cmd->add_flag("--click", o->click,
                "With --stems, also write <out>-click.wav: the file's tempo map clicked on every "
                "beat (as 'duet click'), aligned with the mix and not part of it");
  cmd->add_option("--duck", o->ducks,
                  "A dialogue window START-END in seconds from the file's start (12.5-15): the "
                  "music goes down by --duck-db inside it, with 0.25 s ramps; repeatable");
  cmd->add_option("--duck-db", o->duck_db, "How far --duck lowers the music, in dB (default 10)")
      ->check(CLI::Range(0.0, 60.0));
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_flag("--quiet", o->quiet, "No progress bar on stderr");
  cmd->footer(
      "Reverb and chorus are on, as the SoundFont's presets ask. Sections come from each\n"
      "channel's General MIDI program when a note starts (strings 41-56, brass 57-64, woodwinds\n"
      "65-80, percussion 113-120 and channel 10, keys/other the rest). With --stems each section\n"
      "is rendered by its own synth, with its own reverb, and the mix is their sum. Loudness is\n"
      "ITU-R BS.1770 (libebur128); one gain is applied to the mix and every stem, never more\n"
      "than the true-peak ceiling allows (a gain, not a limiter). Ducking comes before the\n"
      "loudness is measured.\n"
      "\n"
      "Examples:\n"
      "  duet render 1M3.mid --out 1M3.wav\n"
      "  duet render 1M3.mid --out mix/1M3.wav --stems stems --click --loudness=-23\n"
      "  duet render 1M3.mid --out 1M3.wav --soundfont MyOrchestra.sf2 --loudness=-16 --json\n"
      "  duet render 1M3.mid --out 1M3.wav --duck 4-7.5 --duck 12-15 --duck-db 8");
  cmd->callback([o, &exit_code] { exit_code = run_render(*o); });
}

}  // namespace duet::cli
