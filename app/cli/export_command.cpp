// duet export / cuesheet / credits: the hand-off (docs/hand-off.md). MusicXML and DAW MIDI per cue
// from the composed MIDI; the cue sheet for the rights societies; the credits it prints.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "compose/candidates.h"
#include "compose/score.h"
#include "export/cue_sheet.h"
#include "export/musicxml.h"
#include "midi/smf.h"
#include "output.h"
#include "project/project.h"
#include "spot/placement.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;
using base::cat;

// ---- duet export ----

struct ExportOptions {
  std::string project;
  std::string cue;
  bool all = false;
  std::string from;
  std::string out;
  bool musicxml = false;
  bool midi = false;
};

struct OutFile {
  std::string path;
  std::string text;  // or bytes
  std::vector<std::uint8_t> bytes;
  std::string what;
};

// The files of one cue, made in memory (nothing is written when any of them fails).
base::Result<std::vector<OutFile>> export_cue(const ExportOptions& o, const project::Manifest& m,
                                              const spot::Cue& cue, const std::string& midi_path) {
  const std::string id = cue.id.to_string();
  auto bytes = base::read_file(midi_path, std::uintmax_t{256} << 20);
  if (!bytes) return bytes.error().with_context("cue " + id);
  auto read = midi::read_smf(*bytes);
  if (!read) return read.error().with_context("cue " + id + " (" + midi_path + ")");
  const time::TimePos origin = spot::place_midi(read->file, cue, m.picture.rate).at;
  auto score = compose::from_midi(read->file, origin);
  if (!score) return score.error().with_context("cue " + id + " (" + midi_path + ")");
  if (score->hits.empty()) {
    // A composer's own file has no hit markers: the cue's hit points, on the file's clock.
    for (const spot::HitPoint& h : cue.hits) {
      score->hits.push_back(
          {score->tempo_map.beats_at(h.at), h.label, h.kind == spot::HitKind::hard});
    }
  }
  const std::string title = cue.title.empty() ? id : id + " " + cue.title;
  std::vector<OutFile> out;
  if (o.musicxml) {
    auto xml = exporting::to_musicxml(*score, {.title = title});
    if (!xml) return xml.error().with_context("cue " + id);
    out.push_back({(fs::path(o.out) / (id + ".musicxml")).generic_string(),
                   std::move(*xml),
                   {},
                   cat(score->parts.size(), score->parts.size() == 1 ? " part" : " parts")});
  }
  if (o.midi) {
    compose::MidiExportOptions options;
    options.rate = m.picture.rate;
    options.title = title;
    auto file = compose::to_midi(*score, options);
    if (!file) return file.error().with_context("cue " + id);
    auto smf = midi::write_smf(*file);
    if (!smf) return smf.error().with_context("cue " + id);
    out.push_back({(fs::path(o.out) / (id + ".mid")).generic_string(),
                   {},
                   std::move(*smf),
                   cat("DAW MIDI at ", project::timecode_text(origin, m.picture.rate))});
  }
  return out;
}

int run_export(ExportOptions o) {
  if (o.all == !o.cue.empty()) return usage_error("give --cue ID or --all (one of them)");
  if (!o.musicxml && !o.midi) o.musicxml = o.midi = true;
  auto loaded = project::Project::load(o.project);
  if (!loaded) return report(loaded.error());
  const project::Manifest& m = loaded->manifest();
  std::vector<spot::Cue> chosen;
  if (o.all) {
    chosen = m.cues;
  } else {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return usage_error("--cue: " + id.error().message);
    auto c = loaded->cue(*id);
    if (!c) return report(c.error());
    chosen.push_back(**c);
  }
  std::vector<OutFile> outputs;
  for (const spot::Cue& c : chosen) {
    const std::string id = c.id.to_string();
    const std::string path =
        (fs::path(o.from) / compose::candidate_file_name(c.id, 1)).generic_string();
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      if (o.all) {
        std::cout << id << ": no composed MIDI (" << path << "); skipped\n";
        continue;
      }
      return report(base::make_error(
          base::ErrorKind::io, "cue ", id, " has no composed MIDI: expected ", path,
          "; write it with 'duet compose ", o.project, " --cue ", id, " --out ", o.from, "'"));
    }
    auto files = export_cue(o, m, c, path);
    if (!files) return report(files.error());
    for (auto& f : *files)
      outputs.push_back(std::move(f));
  }
  if (outputs.empty()) {
    return report(base::make_error(
        base::ErrorKind::invalid_input, "no cue of ", o.project, " has a composed MIDI file in ",
        o.from, "; write them with 'duet compose ", o.project, " --all --out ", o.from, "'"));
  }
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec)
    return report(
        base::make_error(base::ErrorKind::io, "cannot create ", o.out, ": ", ec.message()));
  for (const OutFile& f : outputs) {
    auto ok = f.bytes.empty() ? base::write_file_atomic(f.path, f.text)
                              : base::write_file_atomic(f.path, f.bytes);
    if (!ok) return report(ok.error());
    std::cout << "wrote " << f.path << " (" << f.what << ")\n";
  }
  return kExitOk;
}

// ---- duet cuesheet ----

struct CueSheetOptions {
  std::string project;
  std::string csv;
  std::string html;
};

int run_cuesheet(const CueSheetOptions& o) {
  auto loaded = project::Project::load(o.project);
  if (!loaded) return report(loaded.error());
  const project::Manifest& m = loaded->manifest();
  exporting::CueSheet sheet;
  sheet.production = project::production_title(m);
  sheet.company = m.production.company;
  sheet.rate = m.picture.rate;
  for (const spot::Cue& c : m.cues) {
    sheet.entries.push_back({c, project::credits_for(m, c.id)});
    if (project::credits_for(m, c.id).writers.empty()) {
      std::cerr << "duet: warning: cue " << c.id.to_string()
                << " has no writers; set them with 'duet credits " << o.project
                << " --writer NAME:ROLE:SHARE'\n";
    }
  }
  if (o.csv.empty() && o.html.empty()) {
    std::cout << exporting::cue_sheet_csv(sheet);
    return kExitOk;
  }
  const auto write = [&](const std::string& path, const std::string& text) {
    if (auto ok = base::write_file_atomic(path, text); !ok) return report(ok.error());
    std::cout << "wrote " << path << " (music cue sheet, " << m.cues.size()
              << (m.cues.size() == 1 ? " cue" : " cues") << ")\n";
    return kExitOk;
  };
  if (!o.csv.empty()) {
    if (int rc = write(o.csv, exporting::cue_sheet_csv(sheet)); rc != kExitOk) return rc;
  }
  if (!o.html.empty()) {
    if (int rc = write(o.html, exporting::cue_sheet_html(sheet)); rc != kExitOk) return rc;
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
  auto loaded = project::Project::load(o.project);
  if (!loaded) return report(loaded.error());
  project::Manifest m = loaded->manifest();
  std::optional<spot::CueId> cue;
  if (!o.cue.empty()) {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return usage_error("--cue: " + id.error().message);
    if (auto c = loaded->cue(*id); !c) return report(c.error());
    cue = *id;
    if (o.title || o.company) {
      return usage_error("--title and --company belong to the production, not to a cue");
    }
  }
  const bool change =
      o.title || o.company || !o.writers.empty() || !o.publishers.empty() || o.clear;
  if (!change) {
    std::cout << "production: " << project::production_title(m)
              << (m.production.company.empty() ? "" : " (" + m.production.company + ")") << "\n";
    print_credits("production credits", m.production.credits);
    for (const auto& [id, credits] : m.cue_credits)
      print_credits("cue " + id.to_string(), credits);
    return kExitOk;
  }
  exporting::Credits& target = cue ? m.cue_credits[*cue] : m.production.credits;
  if (o.clear) target = {};
  if (!o.writers.empty()) {
    target.writers.clear();
    for (const auto& w : o.writers) {
      auto writer = parse_writer(w);
      if (!writer) return usage_error(writer.error().message);
      target.writers.push_back(std::move(*writer));
    }
  }
  if (!o.publishers.empty()) {
    target.publishers.clear();
    for (const auto& p : o.publishers) {
      auto publisher = parse_publisher(p);
      if (!publisher) return usage_error(publisher.error().message);
      target.publishers.push_back(std::move(*publisher));
    }
  }
  if (o.title) m.production.title = *o.title;
  if (o.company) m.production.company = *o.company;
  if (cue && target.empty()) m.cue_credits.erase(*cue);
  if (auto ok = loaded->update(m); !ok) return report(ok.error());
  const exporting::Credits& saved = cue ? project::credits_for(m, *cue) : m.production.credits;
  print_credits(cue ? "cue " + cue->to_string() : "production credits", saved);
  std::cout << "saved " << loaded->manifest_path().generic_string() << "\n";
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
                    "The folder of the composed MIDI files, <cue>-1.mid (what 'duet compose "
                    "--out DIR' wrote)")
        ->required();
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
