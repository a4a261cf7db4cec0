// duet new / show / validate / sheet: the project on disk and its spotting sheet.
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
