// duet export / cuesheet / credits: the hand-off (docs/hand-off.md). MusicXML and DAW MIDI per cue
// from the composed MIDI; the cue sheet for the rights societies; the credits it prints.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "engine/session.h"
#include "export/cue_sheet.h"
#include "output.h"
#include "values.h"

namespace duet::cli {
namespace {

// ---- duet export ----

struct ExportOptions {
  std::string project;
  std::string cue;
  bool all = false;
  std::string from;
  std::vector<std::string> takes;  // ID=RANK or ID=FILE
  std::string out;
  bool musicxml = false;
  bool midi = false;
};

int run_export(ExportOptions o) {
  if (o.all == !o.cue.empty()) return usage_error("give --cue ID or --all (one of them)");
  engine::ExportRequest request;
  if (!o.all) {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return usage_error("--cue: " + id.error().message);
    request.cues.push_back(*id);
  }
  request.takes.from = o.from;
  for (const std::string& t : o.takes) {
    if (auto ok = add_take(t, request.takes, "--take"); !ok) return usage_error(ok.error().message);
  }
  request.out = o.out;
  // With neither flag: both.
  request.musicxml = o.musicxml || !o.midi;
  request.midi = o.midi || !o.musicxml;
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  auto exported = session->export_cues(request);
  if (!exported) return report(exported.error());
  print_warnings(exported->warnings);
  for (const auto& f : exported->written)
    std::cout << "wrote " << f.path.generic_string() << " (" << f.what << ")\n";
  return kExitOk;
}

// ---- duet cuesheet ----

struct CueSheetOptions {
  std::string project;
  std::string csv;
  std::string html;
};

int run_cuesheet(const CueSheetOptions& o) {
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  auto sheet = session->cue_sheet({.csv = o.csv, .html = o.html});
  if (!sheet) return report(sheet.error());
  for (const spot::CueId& id : sheet->without_writers) {
    std::cerr << "duet: warning: cue " << id.to_string()
              << " has no writers; set them with 'duet credits " << o.project
              << " --writer NAME:ROLE:SHARE'\n";
  }
  if (o.csv.empty() && o.html.empty()) std::cout << sheet->csv;
  const std::size_t cues = sheet->sheet.entries.size();
  for (const auto& f : sheet->written) {
    std::cout << "wrote " << f.string() << " (music cue sheet, " << cues
              << (cues == 1 ? " cue" : " cues") << ")\n";
  }
  return kExitOk;
}

// ---- duet credits ----

struct CreditsOptions {
  std::string project;
  std::string cue;
  std::optional<std::string> title;
  std::optional<std::string> company;
  std::vector<std::string> writers;
  std::vector<std::string> publishers;
  bool clear = false;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

base::Result<double> share_of(const std::string& text, const std::string& what) {
  std::string t = text;
  if (!t.empty() && t.back() == '%') t.pop_back();
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size()) {
    return base::make_error(base::ErrorKind::invalid_input, what, ": '", text,
                            "' is not a share in percent (such as 50 or 33.33)");
  }
  return v;
}

// NAME:ROLE:SHARE[:SOCIETY[:IPI]]
base::Result<exporting::Writer> parse_writer(const std::string& text) {
  const auto f = split(text, ':');
  if (f.size() < 3 || f.size() > 5) {
    return base::make_error(base::ErrorKind::invalid_input, "--writer '", text,
                            "': give NAME:ROLE:SHARE[:SOCIETY[:IPI]], such as "
                            "\"Jane Doe:C:50:PRS\"");
  }
  auto role = exporting::parse_role(f[1]);
  if (!role) return role.error().with_context("--writer '" + text + "'");
  auto share = share_of(f[2], "--writer '" + text + "'");
  if (!share) return share.error();
  return exporting::Writer{f[0], *role, *share, f.size() > 3 ? f[3] : "", f.size() > 4 ? f[4] : ""};
}

// NAME:SHARE[:SOCIETY[:IPI]]
base::Result<exporting::Publisher> parse_publisher(const std::string& text) {
  const auto f = split(text, ':');
  if (f.size() < 2 || f.size() > 4) {
    return base::make_error(base::ErrorKind::invalid_input, "--publisher '", text,
                            "': give NAME:SHARE[:SOCIETY[:IPI]], such as \"Duet Music:100:PRS\"");
  }
  auto share = share_of(f[1], "--publisher '" + text + "'");
  if (!share) return share.error();
  return exporting::Publisher{f[0], *share, f.size() > 2 ? f[2] : "", f.size() > 3 ? f[3] : ""};
}

void print_credits(const std::string& who, const exporting::Credits& c) {
  std::cout << who << ":\n  writers: " << (c.writers.empty() ? "none" : exporting::writers_text(c))
            << "\n  publishers: " << (c.publishers.empty() ? "none" : exporting::publishers_text(c))
            << "\n";
}

int run_credits(const CreditsOptions& o) {
  engine::CreditsRequest request;
  if (!o.cue.empty()) {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return usage_error("--cue: " + id.error().message);
    if (o.title || o.company) {
      return usage_error("--title and --company belong to the production, not to a cue");
    }
    request.cue = *id;
  }
  request.title = o.title;
  request.company = o.company;
  request.clear = o.clear;
  if (!o.writers.empty()) {
    request.writers.emplace();
    for (const auto& w : o.writers) {
      auto writer = parse_writer(w);
      if (!writer) return usage_error(writer.error().message);
      request.writers->push_back(std::move(*writer));
    }
  }
  if (!o.publishers.empty()) {
    request.publishers.emplace();
    for (const auto& p : o.publishers) {
      auto publisher = parse_publisher(p);
      if (!publisher) return usage_error(publisher.error().message);
      request.publishers->push_back(std::move(*publisher));
    }
  }
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  auto credits = session->credits(request);
  if (!credits) return report(credits.error());
  if (!credits->saved) {
    std::cout << "production: " << credits->title
              << (credits->company.empty() ? "" : " (" + credits->company + ")") << "\n";
    print_credits("production credits", credits->production);
    for (const auto& [id, c] : credits->cues)
      print_credits("cue " + id.to_string(), c);
    return kExitOk;
  }
  print_credits(credits->cue ? "cue " + credits->cue->to_string() : "production credits",
                credits->target);
  std::cout << "saved " << credits->manifest.generic_string() << "\n";
  return kExitOk;
}

}  // namespace

void add_export_commands(CLI::App& app, int& exit_code) {
  {
    auto o = std::make_shared<ExportOptions>();
    CLI::App* cmd = app.add_subcommand(
        "export", "Hand a cue off: MusicXML for the orchestrator, MIDI for a DAW at its timecode");
    cmd->add_option("project", o->project, "The project folder")->required();
    cmd->add_option("--cue", o->cue, "The cue, by id (1M3)");
    cmd->add_flag("--all", o->all, "Every cue with a composed MIDI file (others are skipped)");
    cmd->add_option("--from", o->from,
                    "The folder of the candidates, <cue>-<rank>.mid (what 'duet compose --out "
                    "DIR' wrote); each cue takes its best, <cue>-1.mid, unless --take says");
    cmd->add_option("--take", o->takes,
                    "A cue's take: ID=RANK, a candidate in --from (1M3=2: the second best), or "
                    "ID=FILE, a MIDI file of your own (repeatable)");
    cmd->add_option("--out", o->out, "The folder to write <cue>.musicxml and <cue>.mid into")
        ->required();
    cmd->add_flag("--musicxml", o->musicxml, "Write MusicXML (with neither flag: both)");
    cmd->add_flag("--midi", o->midi,
                  "Write the DAW MIDI: tempo map, meters, markers, SMPTE offset (with neither "
                  "flag: both)");
    cmd->footer(
        "Examples:\n"
        "  duet export film --cue 1M3 --from scores --out deliver\n"
        "  duet export film --all --from scores --out deliver --musicxml\n"
        "  duet export film --cue 1M3 --from scores --take 1M3=2 --out deliver\n"
        "MusicXML: transposed parts, keys, meters, tempo marks, rehearsal marks at sections, hits\n"
        "as text; rhythms on a 64th-note grid (tuplets are approximated). See docs/hand-off.md.");
    cmd->callback([o, &exit_code] { exit_code = run_export(*o); });
  }
  {
    auto o = std::make_shared<CueSheetOptions>();
    CLI::App* cmd = app.add_subcommand(
        "cuesheet", "Write the music cue sheet for the rights societies: CSV and a printable page");
    cmd->add_option("project", o->project, "The project folder")->required();
    cmd->add_option("--csv", o->csv, "Write the CSV here");
    cmd->add_option("--html", o->html, "Write the HTML page (A4 landscape) here");
    cmd->footer(
        "Without --csv or --html the CSV goes to standard output. The production, writers and\n"
        "publishers come from duet.json ('duet credits' sets them).");
    cmd->callback([o, &exit_code] { exit_code = run_cuesheet(*o); });
  }
  {
    auto o = std::make_shared<CreditsOptions>();
    CLI::App* cmd = app.add_subcommand(
        "credits", "Show or set the production and the writers and publishers of the cue sheet");
    cmd->add_option("project", o->project, "The project folder")->required();
    cmd->add_option("--cue", o->cue, "Set one cue's own credits (default: the production's)");
    cmd->add_option("--title", o->title, "The production's title (default: the project's)");
    cmd->add_option("--company", o->company, "The production company");
    cmd->add_option("--writer", o->writers,
                    "NAME:ROLE:SHARE[:SOCIETY[:IPI]] (repeatable; replaces the writers); ROLE is "
                    "C, A, CA, AR or AD");
    cmd->add_option("--publisher", o->publishers,
                    "NAME:SHARE[:SOCIETY[:IPI]] (repeatable; replaces the publishers)");
    cmd->add_flag("--clear", o->clear, "Remove the writers and publishers first");
    cmd->footer(
        "Examples:\n"
        "  duet credits film --company \"North Pictures\" --writer \"Jane Doe:C:100:PRS\" "
        "--publisher \"Duet Music:100:PRS\"\n"
        "  duet credits film --cue 1M2 --writer \"Ana Lima:CA:100:SACEM\"\n"
        "  duet credits film --cue 1M2 --clear      (1M2 takes the production's credits again)\n"
        "Shares of the writers, and of the publishers, must each add up to 100.");
    cmd->callback([o, &exit_code] { exit_code = run_credits(*o); });
  }
}

}  // namespace duet::cli
