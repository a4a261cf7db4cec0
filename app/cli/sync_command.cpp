// duet sync: tempo maps that land a cue's hit points.
//   duet sync PROJECT --cue 1M3 [--apply N]   ranked options for a cue; --apply keeps one
//   duet sync PROJECT --all [--apply N]        the same for every cue with hit points
//   duet sync check PROJECT --cue 1M3         each hit's error under the cue's tempo map
//   duet sync fit --rate 24 --hits ...         the composer's calculator, without a project
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "engine/session.h"
#include "output.h"
#include "project/project.h"
#include "sync/check.h"
#include "sync/fit.h"
#include "sync/fit_changes.h"
#include "sync/hits_text.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace duet::cli {
namespace {

using Json = nlohmann::ordered_json;
using base::ErrorKind;
using base::make_error;
using time::Rational;

// Options every fitting form shares.
struct FitArgs {
  std::string meter;
  std::string tolerance;
  std::string min_tempo;
  std::string max_tempo;
  bool pickup = false;
  bool frame_clicks = false;
  std::string max_change = "8";
  int max_changes = 8;
  bool meter_bars = false;
  bool ramps = false;
  std::string prefer;  // BPM; empty: the cue's emotion, else 120
  int options = 5;
  bool json = false;
};

struct SyncArgs {
  FitArgs fit;
  std::string project;
  std::string cue;
  bool all = false;  // every cue with hit points, one after another
  int apply = 0;
  bool allow_misses = false;  // apply an option that lands fewer hard hits than another
};

struct CalcArgs {
  FitArgs fit;
  std::string rate;
  std::vector<std::string> hits;
  std::string hits_file;
  std::string start;
};

struct CheckArgs {
  std::string project;
  std::string cue;
  std::string tolerance;
  bool json = false;
};

base::Result<Rational> parse_number(const std::string& text, const std::string& what) {
  auto r = Rational::parse(text);
  if (!r) {
    return make_error(ErrorKind::invalid_input, what, ": ", r.error().message);
  }
  return *r;
}

std::string signed_fixed(double value, int decimals) {
  std::string text = base::fixed(value, decimals);
  if (text == "-" + base::fixed(0.0, decimals)) text = base::fixed(0.0, decimals);
  return (value >= 0 || text == base::fixed(0.0, decimals) ? "+" : "") + text;
}

// The settings the arguments give (engine::SyncSettings); errors name the option.
base::Result<engine::SyncSettings> parse_settings(const FitArgs& a) {
  engine::SyncSettings s;
  if (!a.meter.empty()) {
    auto m = time::parse_meter(a.meter);
    if (!m) return m.error().with_context("--meter");
    s.meter = *m;
  }
  for (const auto& [text, what, slot] : {std::tuple{&a.tolerance, "--tolerance", &s.tolerance},
                                         std::tuple{&a.min_tempo, "--min-tempo", &s.min_tempo},
                                         std::tuple{&a.max_tempo, "--max-tempo", &s.max_tempo},
                                         std::tuple{&a.prefer, "--prefer", &s.prefer}}) {
    if (text->empty()) continue;
    auto t = parse_number(*text, what);
    if (!t) return t.error();
    *slot = *t;
  }
  std::string change = a.max_change;
  if (!change.empty() && change.back() == '%') change.pop_back();
  auto pct = parse_number(change, "--max-change");
  if (!pct) return pct.error();
  s.max_change = *pct / Rational(100);
  s.max_changes = a.max_changes;
  s.meter_bars = a.meter_bars;
  s.ramps = a.ramps;
  s.pickup = a.pickup;
  s.frame_clicks = a.frame_clicks;
  s.options = a.options;
  return s;
}

void print_hits(const std::vector<spot::HitPoint>& hits, const sync::CheckReport& check,
                const time::FrameRate& rate) {
  Table t({"  hit", "time", "label", "kind", "land", "bar|beat|tick", "error (frames)",
           "error (ms)", "landed"});
  for (const sync::HitError& e : check.hits) {
    const spot::HitPoint& h = hits[e.index];
    t.add({base::cat("  ", e.index + 1), time::label_at(h.at, rate), h.label,
           std::string(spot::hit_kind_name(h.kind)), h.land.to_string(), e.bbt.to_string(),
           signed_fixed(e.error_frames, 2), signed_fixed(e.error_ms, 1), e.landed ? "yes" : "NO"});
  }
  t.print(std::cout);
}

void print_settings(const sync::FitOptions& fit, std::size_t hard, std::size_t soft) {
  std::cout << hard << " hard and " << soft << " soft hits; first downbeat "
            << (fit.pickup ? "after a pickup from " : "at ") << time::label_at(fit.start, fit.rate)
            << ", " << fit.rate.name() << " fps, " << fit.meter.to_string() << ", tolerance "
            << fit.tolerance_frames.to_decimal(3)
            << (fit.tolerance_frames == Rational(1) ? " frame, " : " frames, ")
            << fit.min_qpm.to_decimal(3) << " to " << fit.max_qpm.to_decimal(3) << " BPM"
            << (fit.frame_clicks ? ", frame clicks only" : "") << "; among equals, nearest "
            << base::fixed(fit.preferred_qpm, 0) << " BPM first\n";
}

// The ranked options as text or JSON; `head` holds the JSON fields before them.
int show(const engine::SyncProposal& p, Json head, bool json) {
  const sync::FitOptions& fit = p.fit;
  std::size_t hard = 0;
  for (const auto& h : p.hits)
    hard += h.kind == spot::HitKind::hard ? 1 : 0;
  if (json) {
    std::cout
        << engine::to_json(p, std::move(head)).dump(2, ' ', false, Json::error_handler_t::replace)
        << "\n";
  } else {
    print_settings(fit, hard, p.hits.size() - hard);
    if (!p.impossible.empty()) {
      std::cout << "Not every hard hit can land: " << p.impossible << ".\n";
    }
    for (std::size_t i = 0; i < p.options.size(); ++i) {
      const engine::SyncOption& s = p.options[i];
      std::cout << "\noption " << (i + 1) << ": " << s.title << "\n  " << s.reason << "\n";
      std::cout << "  tempo map: ";
      const auto tempos = time::format_tempo_entries(s.map);
      for (std::size_t k = 0; k < tempos.size(); ++k)
        std::cout << (k ? " " : "") << tempos[k];
      std::cout << "; meter";
      for (const auto& e : time::format_meter_entries(s.map.meters()))
        std::cout << " " << e;
      std::cout << "; downbeat 1 at " << time::label_at(s.map.origin(), fit.rate) << "\n";
      print_hits(p.hits, s.check, fit.rate);
    }
  }
  if (p.options.empty()) {
    return report(make_error(ErrorKind::impossible, "no tempo from ", fit.min_qpm.to_decimal(3),
                             " to ", fit.max_qpm.to_decimal(3),
                             " BPM lands any hit; widen the range or the tolerance"));
  }
  return kExitOk;
}

// ---- duet sync PROJECT --cue ID ----

int run_sync_cue(engine::Session& session, const SyncArgs& a, const engine::SyncSettings& settings,
                 const spot::CueId& id) {
  auto proposal = session.propose_sync(id, settings);
  if (!proposal) return report(proposal.error());
  const spot::Cue& cue = proposal->cue;
  const time::FrameRate& rate = proposal->fit.rate;
  if (a.apply != 0) {
    const std::size_t n = proposal->options.size();
    if (a.apply < 1 || static_cast<std::size_t>(a.apply) > n) {
      return usage_error(base::cat("--apply ", a.apply, ": there ", n == 1 ? "is 1 option" : "are ",
                                   n == 1 ? "" : std::to_string(n), n == 1 ? "" : " options",
                                   "; run without --apply to see them"));
    }
    auto applied = session.apply_sync(*proposal, a.apply, a.allow_misses);
    if (!applied) return report(applied.error());
    print_warnings(applied->warnings);
    if (a.fit.json) {
      std::cout
          << engine::to_json(*applied, rate).dump(2, ' ', false, Json::error_handler_t::replace)
          << "\n";
      return kExitOk;
    }
    if (!applied->changed) {
      std::cout << cue.id.to_string() << " already has option " << a.apply << " ("
                << applied->chosen.title << "); nothing changed\n";
      return kExitOk;
    }
    const project::Project& project = session.project();
    std::cout << "applied option " << a.apply << " (" << applied->chosen.title << ") to "
              << cue.id.to_string() << "; saved " << project.manifest_path().generic_string()
              << ", the cue before is kept in "
              << (project.dir() / "history" / cue.id.to_string()).generic_string() << "/\n";
    return kExitOk;
  }
  if (!a.fit.json) {
    std::cout << cue.id.to_string() << (cue.title.empty() ? "" : " \"" + cue.title + "\"") << ": "
              << time::label_at(cue.in, rate) << " to " << time::label_at(cue.out, rate) << "\n";
  }
  return show(*proposal, Json{{"cue", cue.id.to_string()}, {"title", cue.title}}, a.fit.json);
}

int run_sync(const SyncArgs& a) {
  if (a.project.empty()) {
    return usage_error(
        "give a project (duet sync DIR --cue 1M3), or use 'duet sync fit' without one");
  }
  if (!a.all && a.cue.empty()) {
    return usage_error("give the cue with --cue (such as --cue 1M3), or --all for every cue");
  }
  if (a.all && !a.cue.empty()) return usage_error("give either --cue or --all, not both");
  // One JSON document per cue would not be one document: JSON stays a one-cue view.
  if (a.all && a.fit.json) return usage_error("--json shows one cue: use --cue instead of --all");
  auto session = engine::Session::open(a.project);
  if (!session) return report(session.error());
  std::optional<spot::CueId> only;
  if (!a.all) {
    auto id = spot::parse_cue_id(a.cue);
    if (!id) return report(id.error().with_context("--cue"));
    only = *id;
  }
  auto settings = parse_settings(a.fit);
  if (!settings) return report(settings.error());
  if (only) return run_sync_cue(*session, a, *settings, *only);
  // Each cue is fitted and saved in turn (an --apply saves the project), so a failure part way
  // leaves the cues before it applied and the rest as they were.
  int status = kExitOk;
  bool first = true;
  std::vector<spot::Cue> cues = session->project().manifest().cues;
  for (const spot::Cue& cue : cues) {
    if (!first) std::cout << "\n";
    first = false;
    if (cue.hits.empty()) {
      std::cout << cue.id.to_string() << ": no hit points; skipped\n";
      continue;
    }
    const int one = run_sync_cue(*session, a, *settings, cue.id);
    if (one != kExitOk && status == kExitOk) status = one;
  }
  return status;
}

// ---- duet sync check PROJECT --cue ID ----

int run_check(const CheckArgs& a) {
  if (a.cue.empty()) {
    return report(
        make_error(ErrorKind::invalid_input, "give the cue with --cue (such as --cue 1M3)"));
  }
  auto session = engine::Session::open(a.project);
  if (!session) return report(session.error());
  auto id = spot::parse_cue_id(a.cue);
  if (!id) return report(id.error().with_context("--cue"));
  std::optional<Rational> tolerance;
  if (!a.tolerance.empty()) {
    auto t = parse_number(a.tolerance, "--tolerance");
    if (!t) return report(t.error());
    tolerance = *t;
  }
  auto checked = session->check_sync(*id, tolerance);
  if (!checked) return report(checked.error());
  const spot::Cue& cue = checked->cue;
  const sync::CheckReport& check = checked->check;
  const time::FrameRate& rate = session->project().manifest().picture.rate;
  if (a.json) {
    std::cout << engine::to_json(*checked, rate).dump(2, ' ', false, Json::error_handler_t::replace)
              << "\n";
    return kExitOk;
  }
  std::cout << cue.id.to_string() << (cue.title.empty() ? "" : " \"" + cue.title + "\"")
            << ": tempo map ";
  const auto tempos = time::format_tempo_entries(*cue.tempo_map);
  for (std::size_t k = 0; k < tempos.size(); ++k)
    std::cout << (k ? " " : "") << tempos[k];
  std::cout << "; meter";
  for (const auto& e : time::format_meter_entries(cue.tempo_map->meters()))
    std::cout << " " << e;
  std::cout << "; downbeat 1 at " << time::label_at(cue.tempo_map->origin(), rate) << "; tolerance "
            << checked->tolerance.to_decimal(3)
            << (checked->tolerance == Rational(1) ? " frame" : " frames") << " at " << rate.name()
            << " fps\n";
  std::cout << "lands " << check.hard_landed << " of " << check.hard_total << " hard hits and "
            << check.soft_landed << " of " << check.soft_total << " soft hits; worst hard error "
            << base::fixed(check.worst_error_frames, 2) << " frames, RMS "
            << base::fixed(check.rms_error_frames, 2) << "\n";
  if (cue.hits.empty()) {
    std::cout << "the cue has no hit points\n";
    return kExitOk;
  }
  print_hits(cue.hits, check, rate);
  return kExitOk;
}

// ---- duet sync fit (no project) ----

int run_calc(const CalcArgs& a) {
  if (a.rate.empty()) return usage_error("give the picture's frame rate with --rate (such as 24)");
  auto rate = time::FrameRate::parse(a.rate);
  if (!rate) return report(rate.error().with_context("--rate"));
  std::vector<spot::HitPoint> hits;
  for (const std::string& h : a.hits) {
    auto hit = sync::parse_hit_text(h, *rate);
    if (!hit) return report(hit.error().with_context("--hits"));
    hits.push_back(std::move(*hit));
  }
  if (!a.hits_file.empty()) {
    auto bytes = base::read_file(a.hits_file, std::uintmax_t{16} << 20);
    if (!bytes) return report(bytes.error());
    auto more = sync::parse_hits_csv(std::string(bytes->begin(), bytes->end()), *rate);
    if (!more) return report(more.error().with_context(a.hits_file));
    hits.insert(hits.end(), more->begin(), more->end());
  }
  if (hits.empty()) return usage_error("give the hit points with --hits or --hits-file");
  std::stable_sort(hits.begin(), hits.end(),
                   [](const spot::HitPoint& x, const spot::HitPoint& y) { return x.at < y.at; });
  sync::FitOptions fit;
  fit.rate = *rate;
  fit.start = hits.front().at;
  if (!a.start.empty()) {
    auto code = time::parse_timecode(a.start, *rate);
    if (!code) return report(code.error().with_context("--start"));
    fit.start = time::to_time(*code, *rate);
  }
  auto settings = parse_settings(a.fit);
  if (!settings) return report(settings.error());
  auto proposal = engine::propose_sync(hits, fit, *settings);
  if (!proposal) return report(proposal.error());
  return show(*proposal, Json::object(), a.fit.json);
}

void add_fit_args(CLI::App* app, FitArgs& a) {
  app->add_option("--meter", a.meter, "Meter, such as 4/4 or 6/8 (default 4/4, or the cue's)");
  app->add_option("--tolerance", a.tolerance,
                  "How far a hit may land from its frame, in frames (default 1, or the "
                  "project's setting); 0.5 is half a frame");
  app->add_option("--min-tempo", a.min_tempo,
                  "Slowest tempo to consider, quarter notes per minute (default 40, or the "
                  "project's setting)");
  app->add_option("--max-tempo", a.max_tempo, "Fastest tempo (default 240, or the project's)");
  app->add_flag("--pickup", a.pickup,
                "Let the music start on a pickup: the first downbeat may fall after the start");
  app->add_flag("--frame-clicks", a.frame_clicks,
                "Only frame-click tempos (F-k: F frames and k eighths of a frame per beat)");
  app->add_option("--max-change", a.max_change,
                  "When no constant tempo lands every hard hit: the largest tempo change at a bar "
                  "line, in percent of the tempo before")
      ->capture_default_str();
  app->add_option("--max-changes", a.max_changes,
                  "When no constant tempo lands every hard hit: the most tempo changes to try")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  app->add_flag("--meter-changes", a.meter_bars,
                "When no constant tempo lands every hard hit: a change may also be one bar of "
                "another meter (the meter's beats ± 1 or 2) at the same tempo");
  app->add_flag("--ramps", a.ramps,
                "When no constant tempo lands every hard hit: a change may also be a ramp "
                "(accelerando or ritardando, linear in beats) from the tempo before to one within "
                "--max-change, reached 1 to 16 bars later");
  app->add_option("--prefer", a.prefer,
                  "Between options that land the same hits equally well, the one nearest this "
                  "tempo first (BPM; default: what the cue's emotion curve suggests, else 120)");
  app->add_option("--options", a.options, "How many ranked options to show")->capture_default_str();
  app->add_flag("--json", a.json, "Print JSON");
}

}  // namespace

void add_sync_command(CLI::App& app, int& exit_code) {
  auto s = std::make_shared<SyncArgs>();
  auto calc = std::make_shared<CalcArgs>();
  auto chk = std::make_shared<CheckArgs>();
  CLI::App* sync = app.add_subcommand(
      "sync", "Tempo maps that land a cue's hit points: ranked options, apply one, check one");
  sync->require_subcommand(0, 1);
  sync->add_option("project", s->project, "The project folder (made with 'duet new')");
  sync->add_option("--cue", s->cue, "The cue, such as 1M3");
  sync->add_flag("--all", s->all,
                 "Every cue that has hit points, in order (cues without hits are skipped); with "
                 "--apply N, option N of each");
  sync->add_option("--apply", s->apply,
                   "Keep option N: its tempo map goes into the cue, and the cue as it was is kept "
                   "as a version");
  sync->add_flag("--allow-misses", s->allow_misses,
                 "With --apply: keep the option even when another lands more hard hits (a map "
                 "that misses hard hits is always named in a warning)");
  add_fit_args(sync, s->fit);
  sync->footer(
      "Each option lands the most weighted hits within the tolerance: every hard hit first, then\n"
      "the weight of the soft ones, then the smaller error. The constant tempos are exact (every\n"
      "tempo that lands a hit on its grid point is an interval; the intervals are swept), and\n"
      "each option says which range of tempos lands the same hits. When no constant tempo lands\n"
      "every hard hit, the fewest tempo changes at bar lines within --max-change come first, or\n"
      "a sentence names the two hits that conflict. Among options whose errors differ by less\n"
      "than a tenth of a frame, the tempo nearest the preferred one (from the cue's feeling, or\n"
      "--prefer) ranks first, and a tempo far from it (below half, above 1.6 times) ranks after\n"
      "those that land the same hard hits. --apply refuses an option that lands fewer hard hits\n"
      "than another (unless --allow-misses) and names every hard hit the applied map misses.\n"
      "Examples:\n"
      "  duet sync myfilm --cue 1M3\n"
      "  duet sync myfilm --cue 1M3 --pickup --options 3\n"
      "  duet sync myfilm --cue 1M3 --apply 1\n"
      "  duet sync myfilm --all --apply 1\n"
      "  duet sync check myfilm --cue 1M3\n"
      "  duet sync fit --rate 24 --hits 01:00:02:00,01:00:05:12:soft,01:00:09:00:downbeat");

  CLI::App* fit = sync->add_subcommand(
      "fit", "The composer's calculator: tempos for hit points given on the command line");
  fit->add_option("--rate", calc->rate, "The picture's frame rate (24, 25, 29.97df...)");
  fit->add_option("--hits", calc->hits,
                  "Hit points, comma-separated timecodes; each may add :hard or :soft (default "
                  "hard), a landing (:downbeat, :beat (default), :8th, :16th, :8th-triplet, "
                  ":16th-triplet, :1/n) and :w=WEIGHT")
      ->delimiter(',');
  fit->add_option("--hits-file", calc->hits_file,
                  "A CSV file of hits: time[,kind[,land[,weight[,label]]]] per line, '#' "
                  "comments");
  fit->add_option("--start", calc->start,
                  "The cue's start, and its first downbeat (default: the first hit)");
  add_fit_args(fit, calc->fit);
  fit->footer(
      "Example: duet sync fit --rate 24 --meter 4/4 --tolerance 1 \\\n"
      "           --hits 01:00:02:00,01:00:04:00:downbeat,01:00:05:12:soft:8th");

  CLI::App* check =
      sync->add_subcommand("check", "Each hit's bar|beat and error under the cue's tempo map");
  check->add_option("project", chk->project, "The project folder")->required();
  check->add_option("--cue", chk->cue, "The cue, such as 1M3")->required();
  check->add_option("--tolerance", chk->tolerance,
                    "Frames a hit may miss by (default: the project's setting)");
  check->add_flag("--json", chk->json, "Print JSON");
  check->footer("Example: duet sync check myfilm --cue 1M3");

  fit->callback([calc, &exit_code] { exit_code = run_calc(*calc); });
  check->callback([chk, &exit_code] { exit_code = run_check(*chk); });
  sync->callback([s, fit, check, &exit_code] {
    if (fit->parsed() || check->parsed()) return;
    exit_code = run_sync(*s);
  });
}

}  // namespace duet::cli
