// duet new / show / validate / history / restore / sheet: the project on disk, its cues' kept
// versions and its spotting sheet.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "cue_output.h"
#include "engine/project_job.h"
#include "engine/session.h"
#include "output.h"
#include "project/project.h"
#include "spot/merge.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;

struct NewOptions {
  std::string dir;
  std::string title;
  std::string film;
  std::string rate = "24";
  std::string start = "01:00:00:00";
  std::string edl;
};

struct ShowOptions {
  std::string dir;
  bool json = false;
};

struct HistoryOptions {
  std::string dir;
  std::string cue;
  int show = 0;  // print this version in full (0: the table only)
  bool json = false;
};

struct RestoreOptions {
  std::string dir;
  std::string cue;
  int version = 0;
};

struct SheetOptions {
  std::string dir;
  std::string csv;
  std::string html;
};

void print_problems(const std::vector<project::Problem>& problems, const char* kind,
                    std::ostream& out) {
  for (const auto& p : problems)
    out << kind << ": " << project::to_string(p) << "\n";
}

int run_new(const NewOptions& o) {
  auto rate = time::FrameRate::parse(o.rate);
  if (!rate) return usage_error("--rate: " + rate.error().message);
  auto start = time::parse_timecode(o.start, *rate);
  if (!start) return usage_error("--start: " + start.error().message);
  engine::NewProjectRequest request;
  request.dir = o.dir;
  request.title = o.title;
  request.film = o.film;
  request.edl = o.edl;
  request.rate = *rate;
  request.start = *start;
  auto made = engine::create_project(request);
  if (!made) return report(made.error());
  const project::Manifest& m = made->manifest;
  std::cout << "created " << made->manifest_path.generic_string() << ": '" << m.title << "', "
            << rate->name() << " fps, picture starts at "
            << time::format_timecode(m.picture.start, *rate) << "\n";
  if (!m.picture.film.empty()) std::cout << "film: " << m.picture.film << "\n";
  if (!m.picture.edl.empty()) std::cout << "cut: " << m.picture.edl << "\n";
  print_problems(made->warnings, "warning", std::cerr);
  return kExitOk;
}

int run_show(const ShowOptions& o) {
  std::vector<project::Problem> warnings;
  auto p = project::Project::load(o.dir, &warnings);
  if (!p) return report(p.error());
  const project::Manifest& m = p->manifest();
  const time::FrameRate& rate = m.picture.rate;
  const auto tc = [&](time::TimePos t) { return time::nearest_label(t, rate); };
  if (o.json) {
    auto j = engine::project_json(*p, warnings);
    if (!j) return report(j.error());
    std::cout << j->dump(2) << "\n";
    return kExitOk;
  }
  print_problems(warnings, "warning", std::cerr);
  std::cout << (m.title.empty() ? "(untitled)" : m.title) << "\n";
  std::cout << "picture: " << (m.picture.film.empty() ? "(no film yet)" : m.picture.film) << ", "
            << rate.name() << " fps, starts at " << time::format_timecode(m.picture.start, rate)
            << "\n";
  std::cout << "cut: " << (m.picture.edl.empty() ? "(none)" : m.picture.edl) << "\n";
  for (const auto& t : m.themes) {
    std::cout << "theme: " << t.name << (t.stands_for.empty() ? "" : " (" + t.stands_for + ")")
              << (t.midi.empty() ? "" : ", " + t.midi) << "\n";
  }
  std::cout << "cues: " << m.cues.size() << "\n";
  if (m.cues.empty()) return kExitOk;
  std::cout << "\n";
  Table table({"cue", "title", "in", "out", "duration", "usage", "hits", "state"});
  for (const auto& c : m.cues) {
    table.add({c.id.to_string(), c.title, tc(c.in), tc(c.out),
               time::duration_label(c.duration(), rate), std::string(spot::usage_code(c.usage)),
               std::to_string(c.hits.size()), std::string(spot::cue_state(c))});
  }
  table.print(std::cout);
  for (const auto& c : m.cues) {
    auto versions = p->versions(c.id);
    if (!versions) return report(versions.error());
    const bool details = !c.hits.empty() || !c.dialogue.empty() || !c.emotion.empty() ||
                         !c.notes.empty() || !c.characters.empty() || !c.themes.empty() ||
                         !versions->empty();
    if (!details) continue;
    std::cout << "\n";
    print_cue(std::cout, c, rate);
    for (const auto& v : *versions) {
      std::cout << "  version  " << v.number << "  " << v.saved << "  " << v.reason << "\n";
    }
  }
  return kExitOk;
}

int run_validate(const std::string& typed) {
  const fs::path dir = project::project_folder(typed);
  const fs::path file = dir / project::kManifestName;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return report(base::make_error(base::ErrorKind::io, "no duet project in ", dir.string(), " (",
                                   file.string(), " does not exist)"));
  }
  auto bytes = base::read_file(file, std::uintmax_t{64} << 20);
  if (!bytes) return report(bytes.error());
  const project::ManifestCheck check =
      project::check_manifest(std::string(bytes->begin(), bytes->end()));
  std::vector<project::Problem> warnings = check.warnings;
  if (check.manifest) {
    auto p = project::Project::load(dir);
    if (p) {
      auto missing = engine::missing_files(*p);
      warnings.insert(warnings.end(), missing.begin(), missing.end());
      auto past = engine::cues_past_the_film(*p);
      warnings.insert(warnings.end(), past.begin(), past.end());
    }
  }
  print_problems(check.errors, "error", std::cout);
  print_problems(warnings, "warning", std::cout);
  if (!check.errors.empty()) {
    std::cerr << "duet: " << file.generic_string() << " has " << check.errors.size()
              << (check.errors.size() == 1 ? " error" : " errors") << "\n";
    return kExitFailure;
  }
  std::cout << "ok";
  if (!warnings.empty()) {
    std::cout << " (" << warnings.size() << (warnings.size() == 1 ? " warning" : " warnings")
              << ")";
  }
  std::cout << "\n";
  return kExitOk;
}

int run_sheet(const SheetOptions& o) {
  auto session = engine::Session::open(o.dir);
  if (!session) return report(session.error());
  auto sheet = session->sheet({.csv = o.csv, .html = o.html});
  if (!sheet) return report(sheet.error());
  if (o.csv.empty() && o.html.empty()) {
    std::cout << sheet->csv;
    return kExitOk;
  }
  for (const auto& path : sheet->written) {
    std::cout << "wrote " << path.string() << " (" << sheet->cues
              << (sheet->cues == 1 ? " cue" : " cues") << ")\n";
  }
  return kExitOk;
}

// A cue's kept versions, the oldest first, then the cue as it is now.
int run_history(const HistoryOptions& o) {
  auto id = spot::parse_cue_id(o.cue);
  if (!id) return usage_error("--cue: " + id.error().message);
  auto session = engine::Session::open(o.dir);
  if (!session) return report(session.error());
  const time::FrameRate& rate = session->project().manifest().picture.rate;
  auto versions = session->cue_versions(*id);
  if (!versions) return report(versions.error());
  if (o.json) {
    std::cout << engine::to_json(*versions, rate).dump(2) << "\n";
    return kExitOk;
  }
  const std::string name = id->to_string();
  if (o.show != 0) {
    for (const auto& v : *versions) {
      if (v.number != o.show) continue;
      std::cout << name << " version " << v.number << ", kept " << v.saved
                << " before: " << v.reason << "\n";
      print_cue(std::cout, v.cue, rate);
      return kExitOk;
    }
    return report(
        base::Error{base::ErrorKind::invalid_input,
                    base::cat("cue ", name, " has no version ", o.show, "; it has ",
                              versions->size(), versions->size() == 1 ? " version" : " versions",
                              " ('duet history ", o.dir, " --cue ", name, "' lists them)")});
  }
  const auto tc = [&](time::TimePos t) { return time::nearest_label(t, rate); };
  const auto row = [&](const std::string& version, const std::string& when, const std::string& why,
                       const spot::Cue& c) {
    return std::vector<std::string>{version,
                                    when,
                                    tc(c.in),
                                    tc(c.out),
                                    std::to_string(c.hits.size()),
                                    c.tempo_map ? "yes" : "no",
                                    c.title,
                                    why};
  };
  Table table({"version", "kept", "in", "out", "hits", "tempo map", "title", "changed by"});
  for (const auto& v : *versions)
    table.add(row(std::to_string(v.number), v.saved, v.reason, v.cue));
  const spot::Cue* now = session->project().find_cue(*id);
  if (now != nullptr) table.add(row("now", "", "", *now));
  std::cout << name << ": " << versions->size()
            << (versions->size() == 1 ? " version kept" : " versions kept")
            << ", each as it was before the change named beside it\n";
  table.print(std::cout);
  if (now == nullptr) {
    std::cout << name << " was removed; 'duet restore " << o.dir << " --cue " << name
              << " --version " << versions->back().number << "' brings it back\n";
  } else if (!versions->empty()) {
    std::cout
        << "'duet history " << o.dir << " --cue " << name
        << " --show N' prints a version in full; 'duet restore ... --version N' puts it back\n";
  }
  return kExitOk;
}

int run_restore(const RestoreOptions& o) {
  auto id = spot::parse_cue_id(o.cue);
  if (!id) return usage_error("--cue: " + id.error().message);
  auto session = engine::Session::open(o.dir);
  if (!session) return report(session.error());
  auto restored = session->restore_cue(*id, o.version);
  if (!restored) return report(restored.error());
  const std::string name = id->to_string();
  if (!restored->changed) {
    std::cout << name << " is already as version " << o.version << " was; nothing changed\n";
    return kExitOk;
  }
  std::cout << "restored " << name << " from version " << o.version;
  if (restored->kept_version > 0) {
    std::cout << "; the cue it replaced is kept as version " << restored->kept_version;
  }
  std::cout << "\nsaved " << session->project().manifest_path().generic_string() << "\n";
  return kExitOk;
}

}  // namespace

void add_project_commands(CLI::App& app, int& exit_code) {
  {
    auto o = std::make_shared<NewOptions>();
    CLI::App* cmd = app.add_subcommand("new", "Make a new project folder (duet.json)");
    cmd->add_option("dir", o->dir, "The project folder (made when missing)")->required();
    cmd->add_option("--title", o->title, "The film's title (default: the folder's name)");
    cmd->add_option("--film", o->film, "The picture file (stored relative to the project)");
    cmd->add_option("-r,--rate", o->rate, "Frame rate: 23.976, 24, 25, 29.97, 29.97df, ...")
        ->capture_default_str();
    cmd->add_option("--start", o->start, "Timecode of the film's first frame")
        ->capture_default_str();
    cmd->add_option("--edl", o->edl, "The cut as a CMX3600 EDL (stored relative to the project)");
    cmd->footer(
        "Examples:\n"
        "  duet new lighthouse --title \"The Lighthouse\" --film lighthouse.mov --rate 24\n"
        "  duet new reel2 --rate 29.97df --start '01:00:00;00' --edl reel2.edl\n"
        "An existing project is never overwritten.");
    cmd->callback([o, &exit_code] { exit_code = run_new(*o); });
  }
  {
    auto o = std::make_shared<ShowOptions>();
    CLI::App* cmd =
        app.add_subcommand("show", "Print a project: picture, cues, hits, dialogue, emotion");
    cmd->add_option("dir", o->dir, "The project folder")->required();
    cmd->add_flag("--json", o->json, "Print JSON (the manifest plus durations and versions)");
    cmd->callback([o, &exit_code] { exit_code = run_show(*o); });
  }
  {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand(
        "validate", "Check a project's duet.json; print each problem with its JSON path");
    cmd->add_option("dir", *dir, "The project folder")->required();
    cmd->footer("Prints 'ok' and exits 0 when the project reads; otherwise each error, exit 1.");
    cmd->callback([dir, &exit_code] { exit_code = run_validate(*dir); });
  }
  {
    auto o = std::make_shared<HistoryOptions>();
    CLI::App* cmd = app.add_subcommand(
        "history", "List a cue's kept versions: each change duet or you made, and why");
    cmd->add_option("dir", o->dir, "The project folder")->required();
    cmd->add_option("--cue", o->cue, "The cue, by id (1M3)")->required();
    cmd->add_option("--show", o->show, "Print version N in full")->check(CLI::Range(1, 1000000));
    cmd->add_flag("--json", o->json, "Print JSON: [{version, saved, reason, cue}]");
    cmd->footer(
        "Every change to a cue (a sync applied, a draft replaced, an edit, a theme tagged, a\n"
        "restore) first keeps the cue as it was in history/<cue>/<n>.json.\n"
        "Examples:\n"
        "  duet history film --cue 1M3\n"
        "  duet history film --cue 1M3 --show 2\n"
        "  duet restore film --cue 1M3 --version 2");
    cmd->callback([o, &exit_code] { exit_code = run_history(*o); });
  }
  {
    auto o = std::make_shared<RestoreOptions>();
    CLI::App* cmd = app.add_subcommand(
        "restore", "Put a kept version of a cue back (the cue it replaces is kept first)");
    cmd->add_option("dir", o->dir, "The project folder")->required();
    cmd->add_option("--cue", o->cue, "The cue, by id (1M3)")->required();
    cmd->add_option("--version", o->version, "The version to restore ('duet history' lists them)")
        ->required()
        ->check(CLI::Range(1, 1000000));
    cmd->footer(
        "Nothing is lost: the cue as it is now becomes a version of its own, so a restore can be\n"
        "undone with another. A removed cue comes back the same way.\n"
        "Example:\n"
        "  duet restore film --cue 1M3 --version 2");
    cmd->callback([o, &exit_code] { exit_code = run_restore(*o); });
  }
  {
    auto o = std::make_shared<SheetOptions>();
    CLI::App* cmd = app.add_subcommand(
        "sheet", "Write the spotting sheet: CSV, and an HTML page with a timeline to print");
    cmd->add_option("dir", o->dir, "The project folder")->required();
    cmd->add_option("--csv", o->csv, "Write the CSV here");
    cmd->add_option("--html", o->html, "Write the HTML page here");
    cmd->footer("Without --csv or --html the CSV goes to standard output.");
    cmd->callback([o, &exit_code] { exit_code = run_sheet(*o); });
  }
}

}  // namespace duet::cli
