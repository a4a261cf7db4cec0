// duet picture probe / analyze: what a film holds, and what a composer spots by in it.
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "output.h"
#include "picture/analysis.h"
#include "picture/film.h"
#include "progress.h"

namespace duet::cli {
namespace {

using picture::FilmInfo;

struct PictureOptions {
  std::string path;
  bool json = false;
  std::string out;
  bool quiet = false;
  std::string analysis_size = "64x36";
};

// Numbers in JSON to a fixed precision, so that files stay readable and diffs small.
double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string tc_text(const FilmInfo& info, time::TimePos at) {
  return time::format_timecode(picture::timecode_of(info, at), info.rate);
}

std::string channels_text(int channels) {
  switch (channels) {
    case 1:
      return "mono";
    case 2:
      return "stereo";
    case 6:
      return "5.1";
    case 8:
      return "7.1";
    default:
      return std::to_string(channels) + " channels";
  }
}

nlohmann::json info_json(const FilmInfo& info) {
  nlohmann::json j;
  j["file"] = info.path.string();
  j["container"] = info.container;
  j["video"] = {{"stream", info.video_stream},
                {"codec", info.video_codec},
                {"width", info.width},
                {"height", info.height}};
  j["rate"] = info.rate.name();
  j["fps"] = info.rate.fps().to_string();
  j["drop_frame"] = info.rate.drop_frame();
  j["start_timecode"] = info.start_timecode
                            ? nlohmann::json(time::format_timecode(*info.start_timecode, info.rate))
                            : nlohmann::json(nullptr);
  j["duration_seconds"] = rounded(time::seconds(info.duration), 6);
  j["frame_count"] = info.frame_count;
  j["audio"] = nlohmann::json::array();
  for (const auto& a : info.audio) {
    j["audio"].push_back({{"stream", a.index},
                          {"codec", a.codec},
                          {"sample_rate", a.sample_rate},
                          {"channels", a.channels},
                          {"language", a.language}});
  }
  j["warnings"] = nlohmann::json::array();
  for (const auto& w : info.warnings)
    j["warnings"].push_back(w.message);
  return j;
}

void print_info(const FilmInfo& info) {
  const std::string start = time::format_timecode(picture::start_timecode_or_zero(info), info.rate);
  std::cout << info.path.string() << ": " << info.width << "x" << info.height << " "
            << info.video_codec << ", " << info.rate.name() << " fps, " << info.frame_count
            << " frames ("
            << time::format_timecode(time::from_frames(info.frame_count, info.rate), info.rate)
            << "), starts at " << start
            << (info.start_timecode ? " (container timecode)" : " (no timecode in the file)")
            << "\n";
  for (const auto& a : info.audio) {
    std::cout << "audio stream " << a.index << ": " << a.codec << ", " << a.sample_rate << " Hz, "
              << channels_text(a.channels) << (a.language.empty() ? "" : ", " + a.language) << "\n";
  }
  if (info.audio.empty()) std::cout << "no audio\n";
  for (const auto& w : info.warnings)
    std::cerr << "duet: warning: " << w.message << "\n";
}

int run_probe(const PictureOptions& o) {
  auto info = picture::probe_film(o.path);
  if (!info) return report(info.error());
  if (o.json) {
    std::cout << info_json(*info).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    print_info(*info);
  }
  return kExitOk;
}

nlohmann::json analysis_json(const picture::FilmAnalysis& a) {
  const FilmInfo& info = a.info;
  nlohmann::json j = info_json(info);
  j["frames_decoded"] = a.frames;
  j["cuts"] = nlohmann::json::array();
  for (const auto& c : a.cuts) {
    j["cuts"].push_back({{"frame", c.frame},
                         {"timecode", tc_text(info, c.at)},
                         {"seconds", rounded(time::seconds(c.at), 6)},
                         {"score", rounded(c.score, 4)},
                         {"confidence", rounded(c.confidence, 3)}});
  }
  j["gradual"] = nlohmann::json::array();
  for (const auto& g : a.gradual) {
    j["gradual"].push_back({{"kind", std::string(picture::to_string(g.kind))},
                            {"start_frame", g.start_frame},
                            {"end_frame", g.end_frame},
                            {"start_timecode", tc_text(info, g.start)},
                            {"end_timecode", tc_text(info, g.end)},
                            {"confidence", rounded(g.confidence, 3)}});
  }
  const auto series = [](const std::vector<double>& v, int decimals) {
    nlohmann::json s = nlohmann::json::array();
    for (double x : v)
      s.push_back(rounded(x, decimals));
    return s;
  };
  j["per_second"] = {{"motion", series(a.series.motion, 4)},
                     {"brightness", series(a.series.brightness, 4)},
                     {"warmth", series(a.series.warmth, 4)}};
  if (a.loudness.measured) {
    j["loudness"] = {{"stream", a.audio_stream},
                     {"integrated_lufs", rounded(a.loudness.integrated_lufs, 2)},
                     {"range_lu", rounded(a.loudness.range_lu, 2)},
                     {"momentary_lufs", series(a.loudness.momentary_lufs, 2)},
                     {"short_term_lufs", series(a.loudness.short_term_lufs, 2)}};
  } else {
    j["loudness"] = nullptr;
  }
  j["dialogue"] = nlohmann::json::array();
  for (const auto& d : a.dialogue) {
    j["dialogue"].push_back({{"start_timecode", tc_text(info, d.start)},
                             {"end_timecode", tc_text(info, d.end)},
                             {"start_seconds", rounded(time::seconds(d.start), 3)},
                             {"end_seconds", rounded(time::seconds(d.end), 3)},
                             {"confidence", rounded(d.confidence, 3)}});
  }
  return j;
}

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v)
    sum += x;
  return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

void print_analysis(const picture::FilmAnalysis& a) {
  const FilmInfo& info = a.info;
  print_info(info);
  std::cout << "\ncuts: " << a.cuts.size() << "\n";
  Table cuts({"timecode", "frame", "score", "confidence"});
  for (const auto& c : a.cuts) {
    cuts.add({tc_text(info, c.at), std::to_string(c.frame), base::fixed(c.score, 3),
              base::fixed(c.confidence, 2)});
  }
  if (!a.cuts.empty()) cuts.print(std::cout);
  std::cout << "\ndissolves and fades: " << a.gradual.size() << "\n";
  Table gradual({"from", "to", "frames", "kind", "confidence"});
  for (const auto& g : a.gradual) {
    gradual.add({tc_text(info, g.start), tc_text(info, g.end),
                 std::to_string(g.start_frame) + "-" + std::to_string(g.end_frame),
                 std::string(picture::to_string(g.kind)), base::fixed(g.confidence, 2)});
  }
  if (!a.gradual.empty()) gradual.print(std::cout);
  std::cout << "\npicture per second (" << a.series.motion.size() << " s): motion mean "
            << base::fixed(mean_of(a.series.motion), 3) << ", brightness mean "
            << base::fixed(mean_of(a.series.brightness), 3) << ", warmth mean "
            << base::fixed(mean_of(a.series.warmth), 3) << " (every second in --json)\n";
  if (a.loudness.measured) {
    std::cout << "loudness (stream " << a.audio_stream << "): integrated "
              << base::fixed(a.loudness.integrated_lufs, 1) << " LUFS, range "
              << base::fixed(a.loudness.range_lu, 1) << " LU\n";
    std::cout << "\ndialogue-likely windows: " << a.dialogue.size() << "\n";
    Table dialogue({"from", "to", "seconds", "confidence"});
    for (const auto& d : a.dialogue) {
      dialogue.add({tc_text(info, d.start), tc_text(info, d.end),
                    base::fixed(time::seconds(d.end - d.start), 2), base::fixed(d.confidence, 2)});
    }
    if (!a.dialogue.empty()) dialogue.print(std::cout);
  } else {
    std::cout << "no audio: no loudness or dialogue\n";
  }
}

int run_analyze(const PictureOptions& o) {
  picture::AnalysisOptions options;
  const auto x = o.analysis_size.find('x');
  try {
    if (x == std::string::npos) throw std::invalid_argument("no x");
    options.analysis_width = std::stoi(o.analysis_size.substr(0, x));
    options.analysis_height = std::stoi(o.analysis_size.substr(x + 1));
  } catch (const std::exception&) {
    options.analysis_width = 0;
  }
  if (options.analysis_width < 8 || options.analysis_height < 8 || options.analysis_width > 640 ||
      options.analysis_height > 360) {
    return usage_error("--analysis-size '" + o.analysis_size +
                       "' is not WIDTHxHEIGHT between 8x8 and 640x360 (the default is 64x36)");
  }
  ProgressBar bar("analysing");
  if (!o.quiet) options.progress = [&bar](double fraction) { return bar.update(fraction); };
  auto analysis = picture::analyse_film(o.path, options);
  bar.finish();
  if (!analysis) return report(analysis.error());
  const nlohmann::json j = analysis_json(*analysis);
  if (!o.out.empty()) {
    auto saved = base::write_file_atomic(
        o.out, j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!saved) return report(saved.error());
  }
  if (o.json) {
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    print_analysis(*analysis);
  }
  return kExitOk;
}

}  // namespace

void add_picture_command(CLI::App& app, int& exit_code) {
  CLI::App* picture = app.add_subcommand("picture", "Read a film: its format, cuts, motion, sound");
  picture->require_subcommand(1);

  auto probe_options = std::make_shared<PictureOptions>();
  CLI::App* probe = picture->add_subcommand(
      "probe", "Print a film's size, codec, frame rate, length, start timecode and audio streams");
  probe->add_option("film", probe_options->path, "The video file (anything FFmpeg reads)")
      ->required();
  probe->add_flag("--json", probe_options->json, "Print JSON");
  probe->footer(
      "The rate is snapped to the common rate FFmpeg's figure stands for (2997/125 is 23.976);\n"
      "drop-frame comes from the container's timecode (';' before the frames).");
  probe->callback([probe_options, &exit_code] { exit_code = run_probe(*probe_options); });

  auto analyze_options = std::make_shared<PictureOptions>();
  CLI::App* analyze = picture->add_subcommand(
      "analyze",
      "Find cuts and dissolves, motion, brightness and warmth per second, loudness and dialogue "
      "in one pass");
  analyze->alias("analyse");
  analyze->add_option("film", analyze_options->path, "The video file")->required();
  analyze->add_flag("--json", analyze_options->json, "Print JSON (with every per-second value)");
  analyze->add_option("--out", analyze_options->out, "Also save the JSON to this file");
  analyze->add_flag("--quiet", analyze_options->quiet, "No progress bar on stderr");
  analyze->add_option("--analysis-size", analyze_options->analysis_size,
                      "Size of the small picture the analysis looks at (default 64x36)");
  analyze->footer(
      "Times are timecode at the film's rate from its start timecode (00:00:00:00 when the file\n"
      "has none). Loudness is EBU R128 (LUFS); dialogue windows are where the sound looks like\n"
      "speech (speech-band energy with syllable-rate modulation), a draft for spotting.");
  analyze->callback([analyze_options, &exit_code] { exit_code = run_analyze(*analyze_options); });
}

}  // namespace duet::cli
