// duet compose: candidates for a cue (or every cue), each written by the cue writer with its own
// seed, judged by the critics and ranked; the kept ones are written as MIDI files that land at the
// cue's timecode, with a report of every critic's score and reasons.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "commands.h"
#include "compose/approach.h"
#include "compose/candidates.h"
#include "engine/session.h"
#include "model_options.h"
#include "output.h"
#include "progress.h"
#include "spot/cue.h"

namespace duet::cli {
namespace {

struct ComposeOptions {
  std::string project;
  std::string cue;
  bool all = false;
  int candidates = 8;
  int keep = 3;
  std::uint64_t seed = 1;
  unsigned jobs = 0;
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

// --lock FILE.mid:bars=9-16 | FILE.mid:part=Violins I | FILE.mid:part=Violins I,bars=9-16
base::Result<engine::ComposeLock> parse_lock(const std::string& text) {
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
  engine::ComposeLock lock;
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

int run_compose(const ComposeOptions& o) {
  if (o.all == !o.cue.empty()) return usage_error("give --cue ID or --all (one of them)");
  if (o.keep > o.candidates) {
    return usage_error("--keep " + std::to_string(o.keep) + " is more than --candidates " +
                       std::to_string(o.candidates));
  }
  engine::ComposeRequest request;
  if (!o.all) {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return usage_error("--cue: " + id.error().message);
    request.cues.push_back(*id);
  }
  if (o.all && !o.locks.empty()) return usage_error("--lock needs one --cue, not --all");
  for (const auto& t : o.locks) {
    auto lock = parse_lock(t);
    if (!lock) return usage_error(lock.error().message);
    if (!request.locks.empty() && lock->file != request.locks.front().file) {
      return usage_error("--lock: every lock must come from the same MIDI file ('" +
                         request.locks.front().file + "' and '" + lock->file + "')");
    }
    request.locks.push_back(*lock);
  }
  if (!o.approach.empty()) {
    auto a = compose::parse_approach(o.approach);
    if (!a) return usage_error("--approach: " + a.error().message);
    request.approach = *a;
  }
  request.candidates = o.candidates;
  request.keep = o.keep;
  request.seed = o.seed;
  request.jobs = o.jobs;
  request.melody_model = o.model;
  request.chord_model = o.chord_model;
  request.out = o.out;
  request.roll = o.roll;

  auto session = engine::Session::open(o.project, {.models_dir = o.models});
  if (!session) return report(session.error());
  StageBars bars(!o.quiet);
  auto composed = session->compose(request, bars.progress());
  bars.finish();
  if (!composed) return report(composed.error());
  print_warnings(composed->warnings);
  if (o.json) {
    std::cout << engine::to_json(*composed).dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& c : composed->cues) {
    std::cout << c.text << "wrote " << c.report_txt.generic_string() << " and "
              << c.report_json.generic_string() << "\n";
    for (const auto& k : c.kept) {
      if (!k.roll.empty()) std::cout << "wrote the piano roll " << k.roll.generic_string() << "\n";
    }
  }
  if (composed->cues.size() > 1) std::cout << engine::summary_text(composed->summary) << "\n";
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
  c->add_option("--jobs", o->jobs,
                "Candidates written at once (default: every core); the music is the same for "
                "any number")
      ->check(CLI::Range(0u, 1024u));
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
      wrap("Each candidate is written with its own seed (splitmix64 draws from --seed) and judged "
           "by the critics (see 'duet critique --help'). The total is " +
           compose::total_rule_text() +
           ". The MIDI files carry the tempo map, markers for sections and hits, and an SMPTE "
           "offset at the cue's in. The same project, options and seed always give the same "
           "files.") +
      "\n"
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
