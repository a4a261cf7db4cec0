// duet compose: candidates for a cue (or every cue), each written by the cue writer with its own
// seed, judged by the critics and ranked; the kept ones are written as MIDI files that land at the
// cue's timecode, with a report of every critic's score and reasons.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "compose/candidates.h"
#include "compose/score.h"
#include "critique_output.h"
#include "export/roll.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "output.h"
#include "progress.h"
#include "project/project.h"
#include "time/timecode.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;

struct ComposeOptions {
  std::string project;
  std::string cue;
  bool all = false;
  int candidates = 8;
  int keep = 3;
  std::uint64_t seed = 1;
  std::vector<std::string> locks;
  std::string out = "compose";
  std::string model;
  std::string chord_model;
  std::string models;
  std::string approach;
  bool json = false;
  bool quiet = false;
  std::string roll;  // --roll F.svg: a piano roll per kept candidate
};

// --roll F.svg names F itself for one cue's one kept candidate, else F-<cue>-<rank>.svg beside it.
fs::path roll_path(const std::string& roll, bool single, const std::string& id, int rank) {
  if (single) return roll;
  const fs::path f(roll);
  return f.parent_path() /
         (f.stem().string() + "-" + id + "-" + std::to_string(rank) + f.extension().string());
}

// --lock FILE.mid:bars=9-16 | FILE.mid:part=Violins I | FILE.mid:part=Violins I,bars=9-16
struct LockText {
  std::string file;
  std::optional<std::string> part;
  std::optional<std::pair<std::int64_t, std::int64_t>> bars;  // first, last (inclusive)
};

base::Result<LockText> parse_lock(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return base::make_error(base::ErrorKind::invalid_input, "--lock '", text, "': ", why,
                            "; write FILE.mid:bars=9-16, FILE.mid:part=Violins I or "
                            "FILE.mid:part=Violins I,bars=9-16");
  };
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t colon = std::string::npos;
  for (const char* ext : {".mid:", ".midi:", ".smf:"}) {
    const auto at = lower.rfind(ext);
    if (at != std::string::npos) {
      colon = at + std::char_traits<char>::length(ext) - 1;
      break;
    }
  }
  if (colon == std::string::npos) return bad("no MIDI file (.mid) followed by ':'");
  LockText lock;
  lock.file = text.substr(0, colon);
  std::string spec = text.substr(colon + 1);
  if (spec.empty()) return bad("nothing to lock after the file");
  // part=NAME may hold commas only as the last item; split on ",bars=" / "bars=" first.
  std::string part_text, bars_text;
  if (spec.rfind("bars=", 0) == 0) {
    const auto comma = spec.find(",part=");
    bars_text = spec.substr(5, comma == std::string::npos ? std::string::npos : comma - 5);
    if (comma != std::string::npos) part_text = spec.substr(comma + 6);
  } else if (spec.rfind("part=", 0) == 0) {
    const auto comma = spec.rfind(",bars=");
    part_text = spec.substr(5, comma == std::string::npos ? std::string::npos : comma - 5);
    if (comma != std::string::npos) bars_text = spec.substr(comma + 6);
  } else {
    return bad("expected bars= or part= after the file");
  }
  if (spec.rfind("part=", 0) == 0 || spec.find(",part=") != std::string::npos) {
    if (part_text.empty()) return bad("part= names no part");
    lock.part = part_text;
  }
  if (!bars_text.empty() || spec.rfind("bars=", 0) == 0 ||
      spec.find(",bars=") != std::string::npos) {
    const auto dash = bars_text.find('-');
    std::int64_t a = 0, b = 0;
    const std::string first = bars_text.substr(0, dash);
    const std::string last = dash == std::string::npos ? first : bars_text.substr(dash + 1);
    auto r1 = std::from_chars(first.data(), first.data() + first.size(), a);
    auto r2 = std::from_chars(last.data(), last.data() + last.size(), b);
    if (first.empty() || last.empty() || r1.ec != std::errc() ||
        r1.ptr != first.data() + first.size() || r2.ec != std::errc() ||
        r2.ptr != last.data() + last.size() || a < 1 || b < a) {
      return bad("bars= takes FIRST-LAST bar numbers from 1, FIRST <= LAST (as 9-16)");
    }
    lock.bars = std::make_pair(a, b);
  }
  return lock;
}

// The brief's locks from --lock texts (all from one MIDI file, placed by its SMPTE offset or at
// the cue's in).
std::optional<int> add_locks(const ComposeOptions& o, const project::Project& project,
                             compose::CueBrief& brief) {
  if (o.locks.empty()) return std::nullopt;
  std::vector<LockText> texts;
  for (const auto& t : o.locks) {
    auto lock = parse_lock(t);
    if (!lock) return usage_error(lock.error().message);
    if (!texts.empty() && lock->file != texts.front().file) {
      return usage_error("--lock: every lock must come from the same MIDI file ('" +
                         texts.front().file + "' and '" + lock->file + "')");
    }
    texts.push_back(*lock);
  }
  const std::string& file = texts.front().file;
  auto bytes = base::read_file(file);
  if (!bytes) return report(bytes.error());
  auto smf = midi::read_smf(*bytes);
  if (!smf) return report(smf.error().with_context(file));
  time::TimePos origin = brief.cue.in;
  if (const auto at = midi::smpte_start_at(smf->file, project.manifest().picture.rate))
    origin = *at;

  auto score = compose::from_midi(smf->file, origin);
  if (!score) return report(score.error().with_context(file));
  for (const auto& t : texts) {
    compose::Lock lock;
    lock.part = t.part;
    lock.from = time::BeatPos(0);
    lock.to = score->end;
    if (t.bars) {
      auto from = score->tempo_map.beats_at(time::BBT{t.bars->first, 1, 0});
      auto to = score->tempo_map.beats_at(time::BBT{t.bars->second + 1, 1, 0});
      if (!from || !to) return report(from ? to.error() : from.error());
      lock.from = *from;
      lock.to = *to;
      // The cue's own bars on the file's map: a lock outside them keeps nothing.
      const auto& map = score->tempo_map;
      const auto first_bar = map.bbt_at(map.beats_at(brief.cue.in)).bar;
      const auto last_bar = map.bbt_at(map.beats_at(brief.cue.out) - time::BeatDur(1)).bar;
      const std::string cue_bars = "cue " + brief.cue.id.to_string() + " covers bars " +
                                   std::to_string(first_bar) + "-" + std::to_string(last_bar) +
                                   " of " + file;
      if (t.bars->first > last_bar || t.bars->second < first_bar)
        return report(base::make_error(
            base::ErrorKind::invalid_input, "--lock bars ", t.bars->first, "-", t.bars->second,
            " lie outside the cue: ", cue_bars, "; lock bars inside them"));
      if (t.bars->second > last_bar || t.bars->first < first_bar)
        std::cerr << "duet: warning: --lock bars " << t.bars->first << "-" << t.bars->second
                  << " reach outside the cue (" << cue_bars
                  << "); only the bars inside it are kept\n";
    }
    if (t.part) {
      const bool known = std::any_of(score->parts.begin(), score->parts.end(),
                                     [&](const compose::Part& p) { return p.name == *t.part; });
      if (!known) {
        std::string names;
        for (const auto& p : score->parts)
          names += (names.empty() ? "" : ", ") + p.name;
        return report(base::make_error(base::ErrorKind::invalid_input, "--lock: ", file,
                                       " has no part '", *t.part, "' (its parts: ", names, ")"));
      }
    }
    brief.locks.push_back(lock);
  }
  brief.locked_from = std::move(*score);
  return std::nullopt;
}

std::string candidate_text(const compose::Candidate& c, const std::string& file) {
  std::string out = "rank " + std::to_string(c.rank) + "  total " + base::fixed(c.total, 2) +
                    "  seed " + std::to_string(c.seed) + "  candidate " +
                    std::to_string(c.index + 1) + "  " + file + "\n";
  out += "  approach      " + std::string(compose::to_string(c.approach)) + ": " +
         std::string(compose::describe(c.approach)) + "\n";
  out += "                " + c.written.notes.approach_reason + "\n";
  out += critique_text(c.critique, "  ");
  return out;
}

int run_compose(const ComposeOptions& o) {
  if (o.all == !o.cue.empty()) return usage_error("give --cue ID or --all (one of them)");
  if (o.keep > o.candidates) {
    return usage_error("--keep " + std::to_string(o.keep) + " is more than --candidates " +
                       std::to_string(o.candidates));
  }
  std::optional<spot::CueId> only;
  if (!o.all) {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return usage_error("--cue: " + id.error().message);
    only = *id;
  }
  if (o.all && !o.locks.empty()) return usage_error("--lock needs one --cue, not --all");
  // A roll's folder is checked before the minutes of composing, so that a typo costs nothing.
  if (const fs::path folder = fs::path(o.roll).parent_path(); !o.roll.empty() && !folder.empty()) {
    std::error_code roll_ec;
    // (The --out folder, which compose makes itself, will be there.)
    const bool in_out =
        fs::weakly_canonical(folder, roll_ec) == fs::weakly_canonical(o.out, roll_ec);
    if (!in_out && !fs::is_directory(folder, roll_ec)) {
      return report(base::make_error(base::ErrorKind::io, "cannot write the piano roll ", o.roll,
                                     ": the folder ", folder.generic_string(), " does not exist"));
    }
  }
  auto project = project::Project::load(o.project);
  if (!project) return report(project.error());
  const auto& manifest = project->manifest();
  std::vector<const spot::Cue*> cues;
  if (only) {
    const spot::Cue* cue = project->find_cue(*only);
    if (cue == nullptr) {
      std::string ids;
      for (const auto& c : manifest.cues)
        ids += (ids.empty() ? "" : ", ") + c.id.to_string();
      return report(base::make_error(
          base::ErrorKind::invalid_input, "the project ", project->manifest_path().generic_string(),
          " has no cue ", only->to_string(), " (its cues: ", ids.empty() ? "none" : ids, ")"));
    }
    cues.push_back(cue);
  } else {
    for (const auto& c : manifest.cues)
      cues.push_back(&c);
    if (cues.empty()) {
      return report(base::make_error(base::ErrorKind::invalid_input, "the project ",
                                     project->manifest_path().generic_string(),
                                     " has no cues; spot some with 'duet spot'"));
    }
  }
  engine::ModelsRequest asked;
  asked.dir = o.models;
  asked.melody = o.model;
  asked.chords = o.chord_model;
  asked.want_chords = true;
  auto loaded = engine::load_models(asked);
  if (!loaded) return report(loaded.error());
  // Which models write and judge the candidates, for the reports.
  compose::CriticOptions named;
  if (loaded->melody) named.melody_model = &*loaded->melody;
  ModelsUsed models = models_used(named, *loaded);
  models.chords_asked = true;
  std::optional<compose::Approach> approach;
  if (!o.approach.empty()) {
    auto a = compose::parse_approach(o.approach);
    if (!a) return usage_error("--approach: " + a.error().message);
    approach = *a;
  }

  // Everything is made and judged before anything is written.
  struct CueResult {
    const spot::Cue* cue;
    std::vector<compose::Candidate> kept;
    std::vector<std::vector<std::uint8_t>> files;
  };
  std::vector<CueResult> results;
  for (const spot::Cue* cue : cues) {
    compose::CueBrief brief;
    brief.cue = *cue;
    auto themes = cue_themes(*project, *cue);
    if (!themes) return report(themes.error());
    brief.themes = std::move(*themes);
    if (auto code = add_locks(o, *project, brief)) return *code;

    compose::CandidateOptions options;
    options.candidates = o.candidates;
    options.keep = o.keep;
    options.seed = o.seed;
    options.critics.hit_tolerance = hit_tolerance(*project);
    brief.hit_tolerance = options.critics.hit_tolerance;
    if (loaded->melody) {
      options.critics.melody_model = &*loaded->melody;
      options.models.melody = &*loaded->melody;
    }
    options.critics.melody_model_name = models.melody.name();
    // Candidates are written one at a time, so they can share the chord model (its short-term
    // model starts empty at every call).
    if (loaded->chords) options.models.chords = &*loaded->chords;
    if (approach) options.approach = *approach;
    const std::string id = cue->id.to_string();
    std::optional<ProgressBar> bar;
    if (!o.quiet) {
      bar.emplace("composing " + id);
      options.progress = [&bar](int done, int total) {
        return bar->update(static_cast<double>(done) / total);
      };
    }
    auto made = compose::make_candidates(brief, options);
    if (bar) bar->finish();
    if (!made) return report(made.error().with_context("cue " + id));
    CueResult r;
    r.cue = cue;
    for (const auto& c : *made) {
      compose::MidiExportOptions export_options;
      export_options.rate = manifest.picture.rate;
      export_options.title = id + (cue->title.empty() ? "" : " " + cue->title);
      auto file = compose::to_midi(c.written.score, export_options);
      if (!file) return report(file.error().with_context("cue " + id));
      auto bytes = midi::write_smf(*file);
      if (!bytes) return report(bytes.error().with_context("cue " + id));
      r.files.push_back(std::move(*bytes));
    }
    r.kept = std::move(*made);
    results.push_back(std::move(r));
  }

  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec) {
    return report(base::make_error(base::ErrorKind::io, "cannot create the folder ", o.out, ": ",
                                   ec.message()));
  }
  nlohmann::json all = nlohmann::json::array();
  std::string text;
  for (const auto& r : results) {
    const std::string id = r.cue->id.to_string();
    nlohmann::json cue_json;
    cue_json["cue"] = id;
    cue_json["title"] = r.cue->title;
    cue_json["in"] = time::format_timecode(
        time::from_frames(time::nearest_frame(r.cue->in, manifest.picture.rate),
                          manifest.picture.rate),
        manifest.picture.rate);
    cue_json["candidates_written"] = o.candidates;
    cue_json["seed"] = o.seed;
    cue_json["models"] = models_json(models);
    cue_json["kept"] = nlohmann::json::array();
    std::string cue_text = id + (r.cue->title.empty() ? "" : " \"" + r.cue->title + "\"") + ": " +
                           std::to_string(o.candidates) + " candidates (seed " +
                           std::to_string(o.seed) + "), the best " + std::to_string(r.kept.size()) +
                           "\n" + models_text(models);
    std::string rolls_text;
    for (std::size_t i = 0; i < r.kept.size(); ++i) {
      const auto& c = r.kept[i];
      const std::string name = id + "-" + std::to_string(c.rank) + ".mid";
      const fs::path path = fs::path(o.out) / name;
      if (auto ok = base::write_file_atomic(path, r.files[i]); !ok) return report(ok.error());
      cue_text += candidate_text(c, path.generic_string());
      std::string roll_file;
      if (!o.roll.empty()) {
        const bool single = results.size() == 1 && r.kept.size() == 1;
        roll_file = roll_path(o.roll, single, id, c.rank).generic_string();
        exporting::RollOptions roll;
        roll.rate = manifest.picture.rate;
        roll.title = id + (r.cue->title.empty() ? "" : " " + r.cue->title) + ", rank " +
                     std::to_string(c.rank) + " (candidate " + std::to_string(c.index + 1) +
                     ", seed " + std::to_string(c.seed) + ")";
        const std::string svg = exporting::piano_roll_svg(c.written.score, *r.cue, roll);
        if (auto ok = base::write_file_atomic(roll_file, svg); !ok) return report(ok.error());
        rolls_text += "wrote the piano roll " + roll_file + "\n";
      }
      nlohmann::json j;
      j["rank"] = c.rank;
      j["candidate"] = c.index + 1;
      j["seed"] = c.seed;
      j["total"] = c.total;
      j["approach"] = std::string(compose::to_string(c.approach));
      j["approach_fit"] = c.fit;
      j["approach_reason"] = c.written.notes.approach_reason;
      j["file"] = path.generic_string();
      if (!roll_file.empty()) j["roll"] = roll_file;
      j["critics"] = critique_json(c.critique);
      j["writer"] = c.written.notes.log;
      cue_json["kept"].push_back(std::move(j));
    }
    const fs::path report_txt = fs::path(o.out) / (id + "-report.txt");
    const fs::path report_json = fs::path(o.out) / (id + "-report.json");
    if (auto ok = base::write_file_atomic(report_txt, cue_text); !ok) return report(ok.error());
    if (auto ok = base::write_file_atomic(report_json, cue_json.dump(2) + "\n"); !ok)
      return report(ok.error());
    text += cue_text + "wrote " + report_txt.generic_string() + " and " +
            report_json.generic_string() + "\n";
    text += rolls_text;
    all.push_back(std::move(cue_json));
  }
  // The figures over every cue's best candidate (docs/composing.md, "Measured").
  int hard = 0, hard_landed = 0, sections = 0, agree = 0, chords = 0, faults = 0, notes = 0,
      outside = 0, themes = 0;
  double recognisability = 0;
  for (const auto& r : results) {
    const auto& best = r.kept.front().critique;
    if (const auto& c = best.get(compose::CriticKind::sync); c.judged) {
      hard += c.of;
      hard_landed += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::emotion); c.judged) {
      sections += c.of;
      agree += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::voice_leading); c.judged) {
      chords += c.of;
      faults += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::ranges); c.judged) {
      notes += c.of;
      outside += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::themes); c.judged) {
      ++themes;
      recognisability += c.measure;
    }
  }
  nlohmann::json summary;
  summary["cues"] = results.size();
  summary["hard_hits"] = hard;
  summary["hard_hits_landed"] = hard_landed;
  summary["sections"] = sections;
  summary["sections_in_quadrant"] = agree;
  summary["voice_leading_onsets"] = chords;
  summary["voice_leading_faults"] = faults;
  summary["notes"] = notes;
  summary["notes_out_of_range"] = outside;
  summary["cues_with_themes"] = themes;
  if (themes > 0) summary["theme_recognisability"] = recognisability / themes;
  if (o.json) {
    std::cout << nlohmann::json{{"cues", all}, {"summary", summary}}.dump(2) << "\n";
  } else {
    std::cout << text;
    if (results.size() > 1) {
      std::cout << "best candidates of " << results.size() << " cues: " << hard_landed << " of "
                << hard << " hard hits landed; " << agree << " of " << sections
                << " sections in the scene's quadrant"
                << (sections ? " (" + base::fixed(100.0 * agree / sections, 0) + "%)" : "") << "; "
                << faults << " voice-leading faults in " << chords << " onsets; " << outside
                << " of " << notes << " notes out of range";
      if (themes > 0)
        std::cout << "; theme recognisability " << base::fixed(recognisability / themes, 2);
      std::cout << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void add_compose_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ComposeOptions>();
  CLI::App* c = app.add_subcommand(
      "compose", "Write candidates for a cue, rank them with the critics, keep the best as MIDI");
  c->add_option("project", o->project, "The project folder (made with 'duet new')")->required();
  c->add_option("--cue", o->cue, "The cue, by id (1M3)");
  c->add_flag("--all", o->all, "Every cue of the project");
  c->add_option("--candidates", o->candidates, "Candidates written per cue (default 8)")
      ->check(CLI::Range(1, 64));
  c->add_option("--keep", o->keep, "Candidates kept and written, best first (default 3)")
      ->check(CLI::Range(1, 64));
  c->add_option("--seed", o->seed, "The seed the candidates' seeds are drawn from (default 1)");
  c->add_option("--lock", o->locks,
                "Keep material from a MIDI file and write around it: FILE.mid:bars=9-16, "
                "FILE.mid:part=Violins I, FILE.mid:part=Violins I,bars=9-16 (repeatable, one "
                "file)");
  c->add_option("--out", o->out,
                "The folder for <cue>-<rank>.mid and <cue>-report.txt/.json (default compose)");
  c->add_option("--model", o->model,
                "Melody model for the writer and the critics (default: the shipped "
                "default.duetmodel; 'none' for no model)");
  c->add_option("--chord-model", o->chord_model,
                "Chord model for the writer's harmony (default: the shipped "
                "default-chords.duetmodel; 'none' for a table of functional moves)");
  add_models_option(*c, o->models);
  c->add_option("--approach", o->approach,
                "Write every candidate in one approach: lyrical, ostinato, pulse-minimal, "
                "chamber or hybrid-percussion (default: the approaches that fit the scene, so "
                "that the kept candidates differ)");
  c->add_flag("--json", o->json, "Print the report as JSON");
  c->add_flag("--quiet", o->quiet, "No progress bar");
  c->add_option("--roll", o->roll,
                "Draw each kept candidate as a piano roll (SVG): F.svg for one cue and --keep 1, "
                "else F-<cue>-<rank>.svg beside it");
  c->footer(
      "Each candidate is written with its own seed (splitmix64 draws from --seed) and judged by\n"
      "the critics (see 'duet critique --help'). The total is a weighted mean (emotion 4; sync 3;\n"
      "voice leading, ranges, orchestration, harmony 2; themes, rhythm, form 1.5; tension,\n"
      "likelihood 1), tipped by the approach's fit (x 0.85 + 0.15 fit), halved for every hard\n"
      "hit missed, x0.9 per parallel or crossing (between every two real voices), x0.8 per\n"
      "note out of range. The MIDI files carry the tempo map, markers for sections and hits,\n"
      "and an SMPTE offset at the cue's in. The same project, options and seed always give the\n"
      "same files.\n"
      "\n"
      "Candidates take different approaches, each a way of scoring the scene: lyrical (a\n"
      "singing melody over sustained strings), ostinato (a grouped string ostinato drives),\n"
      "pulse-minimal (a repeated-note pulse over slow harmony), chamber (a few solo players),\n"
      "hybrid-percussion (drums, low strings in sixteenths, brass). They are tried in the order\n"
      "they fit the scene's feeling, dialogue and hits, and the kept candidates are the best of\n"
      "different approaches first; --approach NAME writes every candidate in one.\n"
      "\n"
      "--roll F.svg draws a kept candidate for a browser: the parts' notes on a pitch x bars\n"
      "grid (a colour per role, velocity as opacity, percussion in its own lane), the hits,\n"
      "dialogue windows, sections, chords and themes over it, the timecode and the cue's\n"
      "emotion curve under it. With several cues or kept candidates it writes\n"
      "F-<cue>-<rank>.svg beside F (F-1M3-1.svg ...).\n"
      "\n"
      "Examples:\n"
      "  duet compose film --cue 1M3\n"
      "  duet compose film --all --candidates 8 --keep 1 --out scores\n"
      "  duet compose film --cue 1M3 --lock mine.mid:bars=1-8 --seed 7\n"
      "  duet compose film --cue 1M3 --keep 1 --roll 1M3.svg\n"
      "  duet compose film --cue 1M3 --approach ostinato --keep 2");
  c->callback([o, &exit_code] { exit_code = run_compose(*o); });
}

}  // namespace duet::cli
