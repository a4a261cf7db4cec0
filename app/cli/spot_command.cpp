// duet spot: draft a spotting from the picture, print it, and (with a project) merge it in
// without touching the composer's cues.
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/text.h"
#include "commands.h"
#include "cue_output.h"
#include "engine/session.h"
#include "output.h"
#include "progress.h"
#include "project/project.h"

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

int run_spot(const SpotOptions& o) {
  std::optional<engine::Session> session;
  if (!o.project.empty()) {
    auto opened = engine::Session::open(o.project);
    if (!opened) return report(opened.error());
    session = std::move(*opened);
  }
  if (o.film.empty() && (!session || session->project().manifest().picture.film.empty())) {
    return usage_error(
        "no film: give one (duet spot FILM) or a project whose picture names one (--project DIR)");
  }
  engine::SpotRequest request;
  request.film = o.film;
  request.edl = o.edl;
  request.start = o.start;
  request.draft = o.draft;
  if (!o.rate.empty()) {
    auto parsed = time::FrameRate::parse(o.rate);
    if (!parsed) return usage_error("--rate: " + parsed.error().message);
    request.rate = *parsed;
  }
  StageBars bars(!o.quiet);
  auto spotted = session ? session->spot(request, bars.progress())
                         : engine::spot_film(request, bars.progress());
  bars.finish();
  if (!spotted) return report(spotted.error());
  const engine::SpotReport& r = *spotted;
  for (const auto& w : r.warnings)
    std::cerr << "warning: " << w << "\n";

  if (o.json) {
    std::cout << engine::to_json(r).dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  const auto tc = [&](time::TimePos t) { return time::nearest_label(t, r.rate); };
  const bool short_read = time::seconds(r.info.duration - r.read) > 1.0;
  std::cout << "DRAFT spotting of " << fs::path(r.film).filename().string() << " ("
            << (short_read ? base::fixed(time::seconds(r.read), 1) + " s read of " : "")
            << base::fixed(time::seconds(r.info.duration), 1) << " s, " << r.rate.name()
            << " fps, from " << time::format_timecode(r.start, r.rate) << ")\n"
            << "A starting point, not a decision: edit the cues in the project; a later "
               "'duet spot' never overwrites your edits.\n";
  for (const auto& remark : r.draft.remarks)
    std::cout << remark << "\n";
  std::cout << "\n";
  Table runs({"from", "to", "proposal", "why"});
  for (const auto& n : r.draft.notes) {
    std::string what = "no music";
    if (n.cue) {
      for (const auto& c : r.draft.cues)
        if (c.in == time::TimePos(n.start)) what = "cue " + c.id.to_string();
    }
    runs.add({tc(n.start), tc(n.end), what, n.summary});
  }
  runs.print(std::cout);
  for (const auto& c : r.draft.cues) {
    std::cout << "\n";
    print_cue(std::cout, c, r.rate);
  }
  if (r.merged) {
    std::cout << "\nmerged into " << session->project().manifest_path().generic_string() << ":\n";
    for (const auto& a : r.merged->actions) {
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
  spot->add_option("--max-cue", o->draft.max_cue_seconds,
                   "Longest cue to propose without a strong reason, in seconds: a longer scene is "
                   "split at its strongest turn (one shot longer than this stays whole)")
      ->capture_default_str()
      ->check(CLI::Range(10.0, 36000.0));
  spot->add_option("--split", o->draft.split_penalty,
                   "How different the feeling must be to start a new cue: the share of five "
                   "minutes' variation a new cue must explain (higher: fewer, longer cues)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 10.0));
  spot->add_option("--music-share", o->draft.max_music_share,
                   "In a film of 10 minutes or more, the most of it to score: the runs that ask "
                   "least for music are left dry past it")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 1.0));
  spot->add_flag("--json", o->json, "Print JSON");
  spot->add_flag("--quiet", o->quiet, "No progress bar on stderr");
  spot->footer(
      "The draft proposes cues where the feeling of the picture changes (motion, light, colour,\n"
      "loudness, dialogue), leaves calm dialogue scenes dry, marks the cuts inside a cue where\n"
      "the feeling changes as hit points, and drafts each cue's emotion curve from the picture.\n"
      "Cues grow in number with the film (about one per two to three minutes of varied\n"
      "picture), stay under --max-cue unless one shot is longer, and a feature is scored over\n"
      "at most --music-share of its length.\n"
      "Example: duet spot film.mp4 --edl cut.edl --project myfilm");
  spot->callback([o, &exit_code] { exit_code = run_spot(*o); });
}

}  // namespace duet::cli
