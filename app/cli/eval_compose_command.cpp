// duet eval-compose: the craft bench (issue 14, "Measured"). A thin face over
// engine::run_eval_compose: it loads the models, builds the bench, and prints the table (metric |
// goal | baseline | new | met?), the per-brief figures under --detail, or JSON.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/text.h"
#include "commands.h"
#include "engine/eval_compose.h"
#include "engine/judging.h"
#include "model/chord_model_file.h"
#include "model/emotion_model.h"
#include "model_options.h"
#include "music/pitch.h"
#include "output.h"
#include "progress.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;

struct EvalComposeOptions {
  int briefs = 24;
  std::uint64_t bench_seed = 1;
  bool no_sketches = false;
  std::string project;
  std::string baseline;
  std::string judge;
  std::string write_bench;
  std::string out;
  int candidates = 8;
  int keep = 3;
  std::uint64_t seed = 1;
  std::string balance = "subset";
  std::string soundfont;
  std::string model;
  std::string chord_model;
  std::string models;
  bool json = false;
  bool detail = false;
  bool list = false;
  bool quiet = false;
};

std::string pitch_text(double midi) {
  const int rounded = static_cast<int>(std::lround(midi));
  return music::to_string(music::pitch_of_midi(rounded)) + " (" + base::fixed(midi, 1) + ")";
}

std::string value_text(engine::Unit unit, double v) {
  switch (unit) {
    case engine::Unit::share:
      return base::fixed(100.0 * v, 0) + "%";
    case engine::Unit::db:
      return (v >= 0 ? "+" : "") + base::fixed(v, 1) + " dB";
    case engine::Unit::pitch:
      return pitch_text(v);
    case engine::Unit::semitones:
      return base::fixed(v, 0) + " st";
    case engine::Unit::chords:
    case engine::Unit::count:
      return base::fixed(v, 0);
    case engine::Unit::r:
    case engine::Unit::similarity:
      return base::fixed(v, 2);
    case engine::Unit::per_100:
      return base::fixed(v, 1);
    case engine::Unit::seconds:
      return base::fixed(v, 2) + " s";
  }
  return base::fixed(v, 2);
}

std::string goal_text(const engine::Row& row) {
  const std::string op = row.goal.compare == engine::Compare::at_most    ? "<= "
                         : row.goal.compare == engine::Compare::at_least ? ">= "
                                                                         : "< ";
  // The goal as the issue writes it: no decimals it does not have.
  std::string target = base::fixed(row.goal.target, 2);
  while (target.find('.') != std::string::npos && (target.back() == '0' || target.back() == '.'))
    target.pop_back();
  switch (row.unit) {
    case engine::Unit::pitch:
      return op + "E2 (40)";
    case engine::Unit::share:
      if (row.goal.target >= 1) return "all";
      return op + base::fixed(100.0 * row.goal.target, 0) + "%";
    case engine::Unit::count:
      return row.goal.target == 0 ? "0" : op + target;
    case engine::Unit::db:
      return op + target + " dB";
    case engine::Unit::semitones:
      return op + target + " st";
    case engine::Unit::per_100:
      return op + target + " per 100";
    case engine::Unit::seconds:
      return op + target + " s";
    default:
      return op + target;
  }
}

std::string summary_text(const engine::Row& row, const engine::Summary& s) {
  if (!s.value) return "-";
  std::string out = value_text(row.unit, *s.value);
  if (s.of && (row.unit == engine::Unit::count)) {
    out += " of " + base::fixed(*s.of, 0);
  } else if (s.of && row.unit == engine::Unit::share && row.goal.target >= 1) {
    out += " (" + base::fixed(*s.value * *s.of, 0) + " of " + base::fixed(*s.of, 0) + ")";
  }
  if (s.judged > 0) out += " [" + std::to_string(s.met) + "/" + std::to_string(s.judged) + "]";
  return out;
}

std::string met_text(const engine::Row& row, bool has_baseline) {
  const auto one = [&](const engine::Summary& s) -> std::string {
    if (!s.value) return "-";
    return row.met(s) ? "yes" : "no";
  };
  return has_baseline ? one(row.baseline) + ", " + one(row.current) : one(row.current);
}

nlohmann::json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::string_view unit_name(engine::Unit unit) {
  switch (unit) {
    case engine::Unit::share:
      return "share";
    case engine::Unit::db:
      return "dB";
    case engine::Unit::pitch:
      return "MIDI pitch";
    case engine::Unit::semitones:
      return "semitones";
    case engine::Unit::chords:
      return "chords";
    case engine::Unit::r:
      return "r";
    case engine::Unit::per_100:
      return "per 100 melody notes";
    case engine::Unit::count:
      return "count";
    case engine::Unit::similarity:
      return "similarity";
    case engine::Unit::seconds:
      return "seconds";
  }
  return "";
}

nlohmann::json summary_json(const engine::Row& row, const engine::Summary& s) {
  nlohmann::json j;
  j["value"] = optional_json(s.value);
  j["met"] = s.value ? nlohmann::json(row.met(s)) : nlohmann::json(nullptr);
  j["briefs_judged"] = s.judged;
  j["briefs_meeting_goal"] = s.met;
  j["of"] = optional_json(s.of);
  j["worst"] = optional_json(s.worst);
  return j;
}

nlohmann::json figures_json(const engine::Figures& f) {
  nlohmann::json j;
  j["measured"] = f.measured;
  if (!f.measured) {
    j["missing"] = f.missing;
    return j;
  }
  j["scores"] = f.scores;
  j["approach"] = f.approach;  // "" for a baseline file (its writer does not say)
  j["seconds"] = optional_json(f.seconds);
  j["covered"] = optional_json(f.covered);
  j["balance_db"] = optional_json(f.balance_db);
  j["balance_whole_db"] = optional_json(f.balance_whole_db);
  j["balance_solo"] = f.balance_solo;
  j["bass_median"] = optional_json(f.bass_median);
  j["tutti_span"] = f.tutti_span ? nlohmann::json(*f.tutti_span) : nlohmann::json(nullptr);
  j["tonic_dominant"] = optional_json(f.tonic_dominant);
  j["alternation"] = f.alternation ? nlohmann::json(*f.alternation) : nlohmann::json(nullptr);
  j["colour_r"] = optional_json(f.colour_r);
  j["melody_notes"] = f.melody_notes;
  j["clashes"] = f.clashes;
  j["onsets"] = f.onsets;
  j["off_grid"] = f.off_grid;
  j["notes"] = f.notes;
  j["short_notes"] = f.short_notes;
  j["jaccard_mean"] = optional_json(f.jaccard_mean);
  j["jaccard_max"] = optional_json(f.jaccard_max);
  j["development"] = optional_json(f.development);
  j["development_bars"] = f.development_bars;
  j["developed_bars"] = f.developed_bars;
  j["ending_ok"] = f.ending_judged ? nlohmann::json(f.ending_ok) : nlohmann::json(nullptr);
  j["ending_segue"] = f.ending_segue;
  j["ending_fault"] = f.ending_fault;
  j["hard_hits"] = f.hard_hits;
  j["hard_landed"] = f.hard_landed;
  j["parallels"] = f.parallels;
  j["notes_checked_for_range"] = f.range_notes;
  j["out_of_range"] = f.out_of_range;
  j["sections"] = f.sections;
  j["sections_in_quadrant"] = f.sections_in_quadrant;
  j["judge_sections"] =
      f.judge_sections ? nlohmann::json(*f.judge_sections) : nlohmann::json(nullptr);
  j["judge_in_quadrant"] =
      f.judge_in_quadrant ? nlohmann::json(*f.judge_in_quadrant) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json report_json(const engine::EvalReport& r, const std::string& baseline) {
  nlohmann::json j;
  j["candidates"] = r.candidates;
  j["keep"] = r.keep;
  j["seed"] = r.seed;
  j["baseline"] = r.has_baseline ? nlohmann::json(baseline) : nlohmann::json(nullptr);
  j["judge"] = r.judge_name.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.judge_name);
  j["rows"] = nlohmann::json::array();
  for (const auto& row : r.rows) {
    nlohmann::json x;
    x["key"] = row.key;
    x["metric"] = row.metric;
    x["unit"] = unit_name(row.unit);
    x["goal"] = {{"compare", row.goal.compare == engine::Compare::at_most    ? "at_most"
                             : row.goal.compare == engine::Compare::at_least ? "at_least"
                                                                             : "less_than"},
                 {"target", row.goal.target}};
    x["how"] = row.how;
    if (!row.note.empty()) x["note"] = row.note;
    x["baseline"] = summary_json(row, row.baseline);
    x["new"] = summary_json(row, row.current);
    j["rows"].push_back(std::move(x));
  }
  for (const auto* list : {&r.briefs, &r.sketches}) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& b : *list) {
      nlohmann::json x;
      x["cue"] = b.cue;
      x["source"] = b.source;
      x["description"] = b.description;
      x["cue_seconds"] = b.cue_seconds;
      x["rendered"] = b.balance;
      x["new"] = figures_json(b.current);
      if (r.has_baseline) x["baseline"] = figures_json(b.baseline);
      arr.push_back(std::move(x));
    }
    j[list == &r.briefs ? "briefs" : "sketches"] = std::move(arr);
  }
  return j;
}

std::string opt_text(const std::optional<double>& v, int decimals, const std::string& unit = "") {
  return v ? base::fixed(*v, decimals) + unit : "-";
}
std::string share_text(const std::optional<double>& v) {
  return v ? base::fixed(100.0 * *v, 0) + "%" : "-";
}

// One writer's figures on one brief, in one line.
std::string figures_line(const engine::Figures& f) {
  if (!f.measured) return f.missing.empty() ? "not measured" : f.missing;
  std::ostringstream o;
  if (!f.approach.empty()) o << f.approach << "  ";
  if (f.seconds) o << base::fixed(*f.seconds, 2) << " s  ";
  o << "covered " << share_text(f.covered);
  if (f.balance_db)
    o << "  balance " << (*f.balance_db >= 0 ? "+" : "") << base::fixed(*f.balance_db, 1) << " dB";
  if (f.balance_solo) o << "  balance (melody alone)";
  o << "  bass " << (f.bass_median ? pitch_text(*f.bass_median) : "-");
  o << "  span " << (f.tutti_span ? std::to_string(*f.tutti_span) : "-");
  o << "  I/V " << share_text(f.tonic_dominant);
  o << "  alternation " << (f.alternation ? std::to_string(*f.alternation) : "-");
  o << "  colour r " << opt_text(f.colour_r, 2);
  o << "  clashes " << f.clashes << "/" << f.melody_notes;
  o << "  off-grid " << f.off_grid << "/" << f.onsets;
  o << "  short " << f.short_notes;
  o << "  development " << share_text(f.development);
  o << "  ending "
    << (!f.ending_judged ? "-"
        : f.ending_ok    ? (f.ending_segue ? "segue" : "ok")
                         : "no (" + f.ending_fault + ")");
  o << "  hits " << f.hard_landed << "/" << f.hard_hits;
  o << "  parallels " << f.parallels;
  o << "  out of range " << f.out_of_range;
  o << "  quadrant " << f.sections_in_quadrant << "/" << f.sections;
  if (f.judge_sections) o << " (judge " << *f.judge_in_quadrant << "/" << *f.judge_sections << ")";
  o << "  jaccard " << opt_text(f.jaccard_mean, 2) << " max " << opt_text(f.jaccard_max, 2);
  return o.str();
}

std::string usage_text(const engine::Bench& bench) {
  std::string out;
  for (const auto* list : {&bench.briefs, &bench.sketches})
    for (const auto& b : *list)
      out += b.brief.cue.id.to_string() + "  " + b.description + (b.balance ? "  [rendered]" : "") +
             "\n";
  return out;
}

int run_eval_compose(const EvalComposeOptions& o) {
  engine::EvalOptions options;
  if (o.balance == "none") {
    options.balance = engine::Balance::none;
  } else if (o.balance == "subset") {
    options.balance = engine::Balance::subset;
  } else if (o.balance == "all") {
    options.balance = engine::Balance::all;
  } else {
    return usage_error("--balance takes none, subset or all, not '" + o.balance + "'");
  }
  if (o.keep > o.candidates) {
    return usage_error("--keep " + std::to_string(o.keep) + " is more than --candidates " +
                       std::to_string(o.candidates));
  }
  engine::BenchOptions bo;
  bo.briefs = o.briefs;
  bo.seed = o.bench_seed;
  bo.sketches = !o.no_sketches;
  engine::Bench bench = engine::make_bench(bo);

  if (!o.write_bench.empty()) {
    auto written = engine::write_bench(bench, o.write_bench);
    if (!written) return report(written.error());
    int cues = 0;
    for (const auto* list : {&bench.briefs, &bench.sketches})
      cues += static_cast<int>(list->size());
    std::cout << "wrote " << cues << " cues of the craft bench:\n";
    for (const auto& p : *written)
      std::cout << "  " << (p / "duet.json").generic_string() << "\n";
    std::cout << "compose them with another build of duet, into one folder, then measure:\n";
    for (const auto& p : *written)
      std::cout << "  duet compose " << p.generic_string()
                << " --all --candidates 8 --keep 3 --out OLD\n";
    std::cout << "  duet eval-compose --baseline OLD\n";
    return kExitOk;
  }
  if (!o.project.empty()) {
    if (auto ok = engine::add_project(bench, o.project); !ok) return report(ok.error());
  }
  if (o.list) {
    std::cout << usage_text(bench);
    return kExitOk;
  }

  engine::ModelsRequest asked;
  asked.dir = o.models;
  asked.melody = o.model;
  asked.chords = o.chord_model;
  asked.want_chords = true;
  auto loaded = engine::load_models(asked);
  if (!loaded) return report(loaded.error());
  std::optional<model::EmotionModel> judge;
  if (!o.judge.empty()) {
    auto m = model::load_emotion_model(o.judge);
    if (!m) return report(m.error());
    judge = std::move(*m);
    options.judge = &*judge;
    options.judge_name = fs::path(o.judge).filename().string();
  }
  if (!o.baseline.empty()) {
    std::error_code ec;
    if (!fs::is_directory(o.baseline, ec)) {
      return report(base::make_error(base::ErrorKind::io, "--baseline ", o.baseline,
                                     " is not a folder (of <cue>-<rank>.mid files)"));
    }
    options.baseline = fs::path(o.baseline);
  }
  if (!o.out.empty()) {
    std::error_code ec;
    fs::create_directories(o.out, ec);
    if (ec || !fs::is_directory(o.out, ec)) {
      return report(base::make_error(base::ErrorKind::io, "--out ", o.out,
                                     " is not a folder and cannot be made one: choose another"));
    }
    options.out = fs::path(o.out);
  }
  options.candidates = o.candidates;
  options.keep = o.keep;
  options.seed = o.seed;
  if (loaded->melody) {
    options.models.melody = &*loaded->melody;
    options.melody_model = &*loaded->melody;
  }
  if (loaded->chords) options.models.chords = &*loaded->chords;
  options.soundfont = o.soundfont;

  std::optional<ProgressBar> bar;
  if (!o.quiet && isatty(fileno(stderr)) != 0) {
    bar.emplace("measuring the bench");
    options.progress = [&bar](int done, int total, const std::string&) {
      return bar->update(static_cast<double>(done) / total);
    };
  }
  auto result = engine::run_eval_compose(bench, options);
  if (bar) bar->finish();
  if (!result) return report(result.error());
  const engine::EvalReport& r = *result;

  if (o.json) {
    std::cout << report_json(r, o.baseline).dump(2) << "\n";
    return kExitOk;
  }
  int generated = 0, project = 0, rendered = 0;
  for (const auto& b : r.briefs) {
    (b.source == "bench" ? generated : project) += 1;
    rendered += b.balance ? 1 : 0;
  }
  std::cout << "craft bench: " << generated << " generated briefs";
  if (project > 0) std::cout << " and " << project << " cues of " << o.project;
  std::cout << ", " << r.sketches.size() << " quadrant sketches; " << r.candidates
            << " candidates, " << r.keep << " kept, seed " << r.seed << "\n";
  std::cout << "rendered for the balance: " << rendered << " briefs; baseline: "
            << (r.has_baseline ? o.baseline : std::string("none (--baseline DIR)"))
            << "; judge: " << (r.judge_name.empty() ? std::string("none") : r.judge_name) << "\n\n";
  Table table(
      {"metric", "goal", "baseline", "new", r.has_baseline ? "met? (baseline, new)" : "met?"});
  for (const auto& row : r.rows) {
    table.add({row.metric, goal_text(row), summary_text(row, row.baseline),
               summary_text(row, row.current), met_text(row, r.has_baseline)});
  }
  table.print(std::cout);
  std::cout << "\n[k/n]: briefs meeting the goal alone, of those judged. Notes:\n";
  for (const auto& row : r.rows)
    if (!row.note.empty()) std::cout << "  " << row.key << ": " << row.note << "\n";
  if (o.detail) {
    for (const auto* list : {&r.briefs, &r.sketches}) {
      std::cout << "\n" << (list == &r.briefs ? "briefs" : "quadrant sketches") << ":\n";
      for (const auto& b : *list) {
        std::cout << b.cue << "  " << b.description << (b.balance ? "  [rendered]" : "") << "\n";
        std::cout << "  new       " << figures_line(b.current) << "\n";
        if (r.has_baseline) std::cout << "  baseline  " << figures_line(b.baseline) << "\n";
      }
    }
  }
  return kExitOk;
}

}  // namespace

void add_eval_compose_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<EvalComposeOptions>();
  CLI::App* c = app.add_subcommand(
      "eval-compose",
      "The craft bench: a fixed set of briefs written and measured against the craft goals");
  c->add_option("--briefs", o->briefs, "Generated briefs (default 24; 1..96)")
      ->check(CLI::Range(1, 96));
  c->add_option("--bench-seed", o->bench_seed,
                "The seed of the bench's jitter (hit times, curves, dialogue; default 1)");
  c->add_flag("--no-sketches", o->no_sketches, "Leave out the four quadrant sketches");
  c->add_option("--project", o->project,
                "Also a project's cues, with the themes each tags (demo-out/project)");
  c->add_option("--baseline", o->baseline,
                "Another writer's files for the same briefs: DIR/<cue>-<rank>.mid (duet compose "
                "--out DIR)");
  c->add_option("--out", o->out,
                "Also write each brief's kept candidates there: DIR/<cue>-<rank>.mid, as duet "
                "compose names them (to look at, or another run's --baseline)");
  c->add_option("--judge", o->judge,
                "A second emotion estimator (duet emotion-train; EMOPIA-trained, not shipped)");
  c->add_option("--write-bench", o->write_bench,
                "Write the bench as projects (DIR/bench-24fps, DIR/bench-25fps) and stop");
  c->add_option("--candidates", o->candidates, "Candidates written per brief (default 8)")
      ->check(CLI::Range(1, 64));
  c->add_option("--keep", o->keep, "Candidates kept per brief (default 3)")
      ->check(CLI::Range(1, 64));
  c->add_option("--seed", o->seed, "The candidates' seed (default 1)");
  c->add_option("--balance", o->balance,
                "Render for the balance: none, subset (every third brief and every project cue; "
                "default) or all");
  c->add_option("--soundfont", o->soundfont, "SoundFont for the balance (default FluidR3_GM)");
  c->add_option("--model", o->model,
                "Melody model for the writer and the critics (default: the shipped "
                "default.duetmodel; 'none' for no model)");
  c->add_option("--chord-model", o->chord_model,
                "Chord model for the writer (default: the shipped default-chords.duetmodel; "
                "'none' for a table of functional moves)");
  add_models_option(*c, o->models);
  c->add_flag("--json", o->json, "Print the report as JSON");
  c->add_flag("--detail", o->detail, "Also every brief's figures, one line per writer");
  c->add_flag("--list", o->list, "List the bench's briefs and stop");
  c->add_flag("--quiet", o->quiet, "No progress bar");
  c->footer(
      "The bench: 24 generated briefs (cues 24Mn at 24 fps, 25Mn at 25 fps): the four quadrants,\n"
      "rising, falling and arched tension, 0-6 hard hits a minute (accented and not), 0-50%\n"
      "dialogue, 20 s to 4 min, the harbour theme in a third of them, tempo maps already set in\n"
      "four (one inexact: 89.552 BPM at 25 fps), three segues; and four quadrant sketches "
      "(90M1-4:\n"
      "one section, 30 s at 96 BPM). Each is written as duet compose would (8 candidates, 3 kept,\n"
      "seed 1) and its kept candidates measured as MIDI files (--baseline: another writer's).\n"
      "\n"
      "The metrics (goal; the bench's figure; [k/n] briefs meeting the goal alone):\n"
      "  covered       melody time with an accompaniment note above it, doublings excepted (<= "
      "20%)\n"
      "  balance       melody minus accompaniment rendered with FluidR3, BS.1770 loudness over\n"
      "                the melody's sounding time (>= 0 dB; the --balance subset)\n"
      "  bass          median lowest pitch on the beats of loud sections (<= E2)\n"
      "  tutti span    highest minus lowest pitch there, 90th percentile (>= 48 semitones)\n"
      "  I and V       share of the recognised chords' time on the tonic or dominant (<= 50%)\n"
      "  alternation   longest run of two chords back and forth, in any brief (<= 4)\n"
      "  colour        r of 7ths, 9ths, sus and pedals per bar with the tension curve (>= 0.5)\n"
      "  clashes       unprepared m2/M7/m9 on strong beats, melody against the rest (<= 2/100)\n"
      "  off-grid      onsets off the 16th and triplet grids (0)\n"
      "  jaccard       accompaniment onset grids of the kept candidates, pairwise (<= 0.6)\n"
      "  rhythm        melodic-rhythm similarity of the four quadrant sketches, worst pair (<= "
      "0.5)\n"
      "  development   melody bars outside theme statements holding a theme cell (>= 30%)\n"
      "  ending        tonic or third, >= 2 beats, strong beat, over the tonic, or a segue (all)\n"
      "  short notes   notes shorter than a 32nd (0)\n"
      "  hard hits     landed within the tolerance (all); parallels between any two real voices\n"
      "                (0); notes outside their instrument's range (0)\n"
      "  quadrant      sections the estimator hears in the scene's quadrant, shipped and --judge\n"
      "                (>= 90%)\n"
      "  pages         MusicXML pages of the demo's 1M2 (<= 3): not measured here (MuseScore)\n"
      "  seconds       8 candidates for a 2-minute brief (< 5 s; the engine's writer only)\n"
      "docs/composing.md, 'The craft bench', defines each and how to make the baseline column.\n"
      "\n"
      "Examples:\n"
      "  duet eval-compose\n"
      "  duet eval-compose --project demo-out/project --detail\n"
      "  duet eval-compose --write-bench bench && old-duet compose bench/bench-24fps --all --out "
      "old\n"
      "  duet eval-compose --baseline old --judge emopia.json --json");
  c->callback([o, &exit_code] { exit_code = run_eval_compose(*o); });
}

}  // namespace duet::cli
