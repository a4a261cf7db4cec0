// duet spot: draft a spotting from the picture, print it, and (with a project) merge it in
// without touching the composer's cues.
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "cue_output.h"
#include "output.h"
#include "picture/analysis.h"
#include "picture/edl.h"
#include "progress.h"
#include "project/project.h"
#include "spot/draft.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct SpotOptions {
  std::string film;
  std::string edl;
  std::string project;
  std::string rate;
  std::string start;
  bool json = false;
  bool quiet = false;
  spot::DraftOptions draft;
};

std::string text_of(const std::vector<std::uint8_t>& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

int run_spot(const SpotOptions& o) {
  // The project, when given, says where the film and the cut are and how time is counted.
  std::optional<project::Project> proj;
  std::string film = o.film, edl_path = o.edl;
  if (!o.project.empty()) {
    std::vector<project::Problem> warnings;
    auto loaded = project::Project::load(o.project, &warnings);
    if (!loaded) return report(loaded.error());
    proj = std::move(*loaded);
    const auto& pic = proj->manifest().picture;
    if (film.empty() && !pic.film.empty()) film = (proj->dir() / pic.film).string();
    if (edl_path.empty() && !pic.edl.empty()) edl_path = (proj->dir() / pic.edl).string();
  }
  if (film.empty()) {
    return usage_error(
        "no film: give one (duet spot FILM) or a project whose picture names one (--project DIR)");
  }

  // Read the whole cut first: a bad EDL should fail before minutes of analysis.
  std::optional<time::FrameRate> rate;
  if (!o.rate.empty()) {
    auto parsed = time::FrameRate::parse(o.rate);
    if (!parsed) return usage_error("--rate: " + parsed.error().message);
    rate = *parsed;
  } else if (proj) {
    rate = proj->manifest().picture.rate;
  }

  picture::AnalysisOptions options;
  ProgressBar bar("analysing " + fs::path(film).filename().string());
  if (!o.quiet) options.progress = [&bar](double fraction) { return bar.update(fraction); };
  // Probe first so that a rate and timecode problem is reported before the long pass.
  auto info = picture::probe_film(film);
  if (!info) return report(info.error());
  if (!rate) rate = info->rate;

  std::optional<picture::Cut> cut;
  if (!edl_path.empty()) {
    auto bytes = base::read_file(edl_path, std::uintmax_t{64} << 20);
    if (!bytes) return report(bytes.error());
    picture::EdlOptions edl_options;
    edl_options.rate = *rate;
    auto read = picture::read_edl(text_of(*bytes), edl_options);
    if (!read) return report(read.error().with_context(edl_path + ": "));
    for (const auto& w : read->warnings)
      std::cerr << "warning: " << edl_path << ": " << w.message << "\n";
    cut = std::move(read->cut);
  }

  time::Timecode start{};
  if (!o.start.empty()) {
    auto parsed = time::parse_timecode(o.start, *rate);
    if (!parsed) return usage_error("--start: " + parsed.error().message);
    start = *parsed;
  } else if (proj) {
    start = proj->manifest().picture.start;
  } else if (info->start_timecode) {
    start = *info->start_timecode;
  } else {
    std::cerr << "warning: " << film
              << " carries no start timecode; counting from 00:00:00:00 (give --start)\n";
  }

  auto analysis = picture::analyse_film(film, options);
  bar.finish();
  if (!analysis) return report(analysis.error());
  auto draft = spot::draft_spotting(*analysis, cut ? &*cut : nullptr, *rate, start, o.draft);
  if (!draft) return report(draft.error());

  std::optional<spot::MergeResult> merged;
  if (proj) {
    auto result = proj->apply_draft(draft->cues);
    if (!result) return report(result.error());
    merged = std::move(*result);
  }

  const auto tc = [&](time::TimePos t) { return project::timecode_text(t, *rate); };
  if (o.json) {
    project::Manifest m;
    m.picture.rate = *rate;
    m.picture.start = start;
    m.cues = merged ? merged->cues : draft->cues;
    Json j;
    j["film"] = film;
    j["draft"] = true;
    j["remarks"] = draft->remarks;
    j["runs"] = Json::array();
    for (const auto& n : draft->notes) {
      j["runs"].push_back(
          Json{{"from", tc(n.start)}, {"to", tc(n.end)}, {"cue", n.cue}, {"summary", n.summary}});
    }
    j["cues"] = Json::parse(project::write_manifest(m))["cues"];
    if (merged) {
      j["merge"] = Json::array();
      for (const auto& a : merged->actions) {
        j["merge"].push_back(Json{{"cue", a.id.to_string()},
                                  {"action", spot::merge_action_name(a.kind)},
                                  {"message", a.message}});
      }
    }
    std::cout << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return kExitOk;
  }

  std::cout << "DRAFT spotting of " << fs::path(film).filename().string() << " ("
            << base::fixed(time::seconds(info->duration), 1) << " s, " << rate->name()
            << " fps, from " << time::format_timecode(start, *rate) << ")\n"
            << "A starting point, not a decision: edit the cues in the project; a later "
               "'duet spot' never overwrites your edits.\n";
  for (const auto& r : draft->remarks)
    std::cout << r << "\n";
  std::cout << "\n";
  Table runs({"from", "to", "proposal", "why"});
  for (const auto& n : draft->notes) {
    std::string what = "no music";
    if (n.cue) {
      for (const auto& c : draft->cues)
        if (c.in == time::TimePos(n.start)) what = "cue " + c.id.to_string();
    }
    runs.add({tc(n.start), tc(n.end), what, n.summary});
  }
  runs.print(std::cout);
  for (const auto& c : draft->cues) {
    std::cout << "\n";
    print_cue(std::cout, c, *rate);
  }
  if (merged) {
    std::cout << "\nmerged into " << proj->manifest_path().generic_string() << ":\n";
    for (const auto& a : merged->actions) {
      std::cout << "  " << a.id.to_string() << "  " << spot::merge_action_name(a.kind) << ": "
                << a.message << "\n";
    }
  } else {
    std::cout << "\nNothing was saved: give --project DIR (made with 'duet new') to keep the "
                 "draft and edit it.\n";
  }
  return kExitOk;
}

}  // namespace

void add_spot_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SpotOptions>();
  CLI::App* spot = app.add_subcommand(
      "spot", "Draft a spotting from the picture: cues, hit points, dialogue, emotion curves");
  spot->add_option("film", o->film, "The video file (default: the project's film with --project)");
  spot->add_option("--edl", o->edl,
                   "The editor's cut (CMX3600): its shots are the scenes (default: the "
                   "project's cut; without one, the cuts found in the picture)");
  spot->add_option("--project", o->project,
                   "Merge the draft into this project (made with 'duet new'); the composer's "
                   "cues and edited drafts are kept, replaced drafts are kept as versions");
  spot->add_option("--rate", o->rate,
                   "Frame rate of the timecodes (default: the project's, else the film's)");
  spot->add_option("--start", o->start,
                   "Timecode of the film's first frame (default: the project's, else the "
                   "film's own timecode, else 00:00:00:00)");
  spot->add_option("--min-cue", o->draft.min_cue_seconds, "Shortest cue to propose, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 3600.0));
  spot->add_option("--split", o->draft.split_penalty,
                   "How different the feeling must be to start a new cue: the share of the "
                   "film's variation a new cue must explain (higher: fewer, longer cues)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  spot->add_flag("--json", o->json, "Print JSON");
  spot->add_flag("--quiet", o->quiet, "No progress bar on stderr");
  spot->footer(
      "The draft proposes cues where the feeling of the picture changes (motion, light, colour,\n"
      "loudness, dialogue), leaves calm dialogue scenes dry, marks the cuts inside a cue where\n"
      "the feeling changes as hit points, and drafts each cue's emotion curve from the picture.\n"
      "Example: duet spot film.mp4 --edl cut.edl --project myfilm");
  spot->callback([o, &exit_code] { exit_code = run_spot(*o); });
}

}  // namespace duet::cli
