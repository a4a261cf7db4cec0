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
#include "compose/emotion_map.h"
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

// One proposal, as shown: a constant tempo (fit.h) or tempo changes (fit_changes.h).
struct Shown {
  time::TempoMap map;
  sync::CheckReport check;
  std::string title;  // "117.551 BPM (12-2 click)", "2 tempo changes"
  std::string reason;
  std::optional<sync::FitOption> constant;
  int changes = 0;
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

std::string tc(time::TimePos t, const time::FrameRate& rate) {
  return time::format_timecode(time::timecode_at(t, rate), rate);
}

// Fills FitOptions from the arguments over the defaults (the project's settings, when there is
// one). Errors name the option.
base::Result<void> apply_args(const FitArgs& a, sync::FitOptions& o) {
  if (!a.meter.empty()) {
    auto m = time::parse_meter(a.meter);
    if (!m) return m.error().with_context("--meter");
    o.meter = *m;
  }
  if (!a.tolerance.empty()) {
    auto t = parse_number(a.tolerance, "--tolerance");
    if (!t) return t.error();
    o.tolerance_frames = *t;
  }
  if (!a.min_tempo.empty()) {
    auto t = parse_number(a.min_tempo, "--min-tempo");
    if (!t) return t.error();
    o.min_qpm = *t;
  }
  if (!a.max_tempo.empty()) {
    auto t = parse_number(a.max_tempo, "--max-tempo");
    if (!t) return t.error();
    o.max_qpm = *t;
  }
  if (!a.prefer.empty()) {
    auto t = parse_number(a.prefer, "--prefer");
    if (!t) return t.error();
    if (*t < Rational(1) || *t > Rational(10000)) {
      return make_error(ErrorKind::out_of_range, "--prefer ", a.prefer,
                        " is out of range; give a tempo from 1 to 10000 BPM");
    }
    o.preferred_qpm = t->to_double();
  }
  o.pickup = a.pickup;
  o.frame_clicks = a.frame_clicks;
  if (a.options < 1 || a.options > 100) {
    return make_error(ErrorKind::out_of_range, "--options ", a.options,
                      " is out of range; ask for 1 to 100 options");
  }
  o.max_options = static_cast<std::size_t>(a.options);
  return {};
}

base::Result<sync::ChangeOptions> change_options(const FitArgs& a, const sync::FitOptions& fit) {
  sync::ChangeOptions c;
  c.fit = fit;
  std::string text = a.max_change;
  if (!text.empty() && text.back() == '%') text.pop_back();
  auto pct = parse_number(text, "--max-change");
  if (!pct) return pct.error();
  if (!(*pct > Rational(0)) || !(*pct < Rational(100))) {
    return make_error(ErrorKind::out_of_range, "--max-change ", a.max_change,
                      " is out of range; give a percentage above 0 and below 100");
  }
  c.max_change = *pct / Rational(100);
  c.max_changes = a.max_changes;
  c.meter_bars = a.meter_bars;
  c.ramps = a.ramps;
  return c;
}

// The ranked proposals: when no constant tempo lands every hard hit, the fewest changes that do
// come first. `impossible` gets the conflict sentence when even that fails.
base::Result<std::vector<Shown>> propose(const std::vector<spot::HitPoint>& hits,
                                         const FitArgs& args, const sync::FitOptions& fit,
                                         std::string& impossible) {
  // Checked first, so that a bad option is refused even when it is not needed.
  auto copts = change_options(args, fit);
  if (!copts) return copts.error();
  auto constant = sync::fit_constant(hits, fit);
  if (!constant) return constant.error();
  std::vector<Shown> out;
  const bool landed = !constant->empty() && constant->front().check.all_hard_landed();
  if (!landed && std::any_of(hits.begin(), hits.end(), [](const spot::HitPoint& h) {
        return h.kind == spot::HitKind::hard;
      })) {
    auto changed = sync::fit_changes(hits, *copts);
    if (changed) {
      out.push_back(
          Shown{changed->map, changed->check,
                base::cat(changed->changes, changed->changes == 1 ? " change at a bar line"
                                                                  : " changes at bar lines"),
                changed->reason, std::nullopt, changed->changes});
    } else if (changed.error().kind == ErrorKind::impossible) {
      impossible = changed.error().message;
    } else {
      return changed.error();
    }
  }
  for (sync::FitOption& f : *constant) {
    std::string title = f.tempo.to_string() + " BPM";
    if (f.click) title += base::cat(" (", f.click->first, "-", f.click->second, " click)");
    out.push_back(Shown{f.map, f.check, title, f.reason, f, 0});
  }
  if (out.size() > fit.max_options) out.resize(fit.max_options);
  return out;
}

Json hits_json(const std::vector<spot::HitPoint>& hits, const sync::CheckReport& check,
               const time::FrameRate& rate) {
  Json list = Json::array();
  for (const sync::HitError& e : check.hits) {
    const spot::HitPoint& h = hits[e.index];
    list.push_back(Json{{"hit", e.index + 1},
                        {"time", tc(h.at, rate)},
                        {"label", h.label},
                        {"kind", std::string(spot::hit_kind_name(h.kind))},
                        {"land", h.land.to_string()},
                        {"weight", h.weight},
                        {"bbt", e.bbt.to_string()},
                        {"error_frames", std::round(e.error_frames * 1000) / 1000},
                        {"error_ms", std::round(e.error_ms * 1000) / 1000},
                        {"error_superclock", e.error.ticks()},
                        {"landed", e.landed}});
  }
  return list;
}

Json map_json(const time::TempoMap& map, const time::FrameRate& rate) {
  const std::int64_t frame = time::frame_at(map.origin(), rate);
  return Json{{"origin", time::format_timecode(time::from_frames(frame, rate), rate)},
              {"origin_offset", (map.origin() - time::time_of_frame(frame, rate)).ticks()},
              {"tempos", time::format_tempo_entries(map)},
              {"meters", time::format_meter_entries(map.meters())}};
}

Json summary_json(const sync::CheckReport& c) {
  return Json{{"all_hard_landed", c.all_hard_landed()},
              {"hard_landed", c.hard_landed},
              {"hard_total", c.hard_total},
              {"soft_landed", c.soft_landed},
              {"soft_total", c.soft_total},
              {"worst_hard_error_frames", std::round(c.worst_error_frames * 1000) / 1000},
              {"rms_error_frames", std::round(c.rms_error_frames * 1000) / 1000}};
}

void print_hits(const std::vector<spot::HitPoint>& hits, const sync::CheckReport& check,
                const time::FrameRate& rate) {
  Table t({"  hit", "time", "label", "kind", "land", "bar|beat|tick", "error (frames)",
           "error (ms)", "landed"});
  for (const sync::HitError& e : check.hits) {
    const spot::HitPoint& h = hits[e.index];
    t.add({base::cat("  ", e.index + 1), tc(h.at, rate), h.label,
           std::string(spot::hit_kind_name(h.kind)), h.land.to_string(), e.bbt.to_string(),
           signed_fixed(e.error_frames, 2), signed_fixed(e.error_ms, 1), e.landed ? "yes" : "NO"});
  }
  t.print(std::cout);
}

void print_settings(const sync::FitOptions& fit, std::size_t hard, std::size_t soft) {
  std::cout << hard << " hard and " << soft << " soft hits; first downbeat "
            << (fit.pickup ? "after a pickup from " : "at ") << tc(fit.start, fit.rate) << ", "
            << fit.rate.name() << " fps, " << fit.meter.to_string() << ", tolerance "
            << fit.tolerance_frames.to_decimal(3)
            << (fit.tolerance_frames == Rational(1) ? " frame, " : " frames, ")
            << fit.min_qpm.to_decimal(3) << " to " << fit.max_qpm.to_decimal(3) << " BPM"
            << (fit.frame_clicks ? ", frame clicks only" : "") << "; among equals, nearest "
            << base::fixed(fit.preferred_qpm, 0) << " BPM first\n";
}

// The tempo a cue's feeling suggests: the middle of the emotion mapping's tempo range
// (src/compose, docs/emotion-mapping.md) at the cue's average feeling, sampled at 32 points.
// Nothing when the cue has no emotion curve.
std::optional<double> tempo_from_emotion(const spot::Cue& cue) {
  if (cue.emotion.empty()) return std::nullopt;
  spot::Emotion mean;
  constexpr int kSamples = 32;
  for (int i = 0; i < kSamples; ++i) {
    const time::TimePos at =
        cue.in + time::TimeDur((cue.out - cue.in).ticks() * i / (kSamples - 1));
    const spot::Emotion e = cue.emotion.value_at(at).value_or(spot::Emotion{});
    mean.valence += e.valence / kSamples;
    mean.arousal += e.arousal / kSamples;
    mean.tension += e.tension / kSamples;
  }
  const compose::TempoRange range = compose::controls_for(mean).tempo.value;
  return (range.min_bpm + range.max_bpm) / 2;
}

int show(const std::vector<spot::HitPoint>& hits, const std::vector<Shown>& shown,
         const std::string& impossible, const sync::FitOptions& fit, Json head, bool json) {
  std::size_t hard = 0;
  for (const auto& h : hits)
    hard += h.kind == spot::HitKind::hard ? 1 : 0;
  if (json) {
    head["rate"] = fit.rate.name();
    head["meter"] = fit.meter.to_string();
    head["tolerance_frames"] = fit.tolerance_frames.to_decimal(3);
    head["tempo_range"] = Json::array({fit.min_qpm.to_decimal(3), fit.max_qpm.to_decimal(3)});
    if (!impossible.empty()) head["impossible"] = impossible;
    head["options"] = Json::array();
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const Shown& s = shown[i];
      Json o{{"option", i + 1}, {"title", s.title}, {"reason", s.reason}};
      o["kind"] = s.constant ? "constant" : "changes";
      if (s.constant) {
        o["tempo"] = s.constant->tempo.per_minute.to_decimal(9);
        o["tempo_exact"] = s.constant->tempo.per_minute.to_string();
        o["plateau"] = Json::array(
            {s.constant->plateau_low.to_decimal(6), s.constant->plateau_high.to_decimal(6)});
        o["pickup_beats"] =
            Rational(s.constant->pickup.ticks(), fit.meter.beat_length().ticks()).to_decimal(3);
        if (s.constant->click) {
          o["click"] = base::cat(s.constant->click->first, "-", s.constant->click->second);
        }
      } else {
        o["changes"] = s.changes;
      }
      o["map"] = map_json(s.map, fit.rate);
      o["summary"] = summary_json(s.check);
      o["hits"] = hits_json(hits, s.check, fit.rate);
      head["options"].push_back(std::move(o));
    }
    std::cout << head.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  } else {
    print_settings(fit, hard, hits.size() - hard);
    if (!impossible.empty()) {
      std::cout << "Not every hard hit can land: " << impossible << ".\n";
    }
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const Shown& s = shown[i];
      std::cout << "\noption " << (i + 1) << ": " << s.title << "\n  " << s.reason << "\n";
      std::cout << "  tempo map: ";
      const auto tempos = time::format_tempo_entries(s.map);
      for (std::size_t k = 0; k < tempos.size(); ++k)
        std::cout << (k ? " " : "") << tempos[k];
      std::cout << "; meter";
      for (const auto& e : time::format_meter_entries(s.map.meters()))
        std::cout << " " << e;
      std::cout << "; downbeat 1 at " << tc(s.map.origin(), fit.rate) << "\n";
      print_hits(hits, s.check, fit.rate);
    }
  }
  if (shown.empty()) {
    return report(make_error(ErrorKind::impossible, "no tempo from ", fit.min_qpm.to_decimal(3),
                             " to ", fit.max_qpm.to_decimal(3),
                             " BPM lands any hit; widen the range or the tolerance"));
  }
  return kExitOk;
}

// ---- duet sync PROJECT --cue ID ----

struct Loaded {
  project::Project project;
  spot::Cue cue;
};

base::Result<Loaded> load_cue(const std::string& dir, const std::string& cue_text) {
  if (cue_text.empty()) {
    return make_error(ErrorKind::invalid_input, "give the cue with --cue (such as --cue 1M3)");
  }
  auto p = project::Project::load(dir);
  if (!p) return p.error();
  auto id = spot::parse_cue_id(cue_text);
  if (!id) return id.error().with_context("--cue");
  auto cue = p->cue(*id);
  if (!cue) return cue.error();
  spot::Cue copy = **cue;
  return Loaded{std::move(*p), std::move(copy)};
}

int run_sync_cue(const SyncArgs& a, const std::string& cue_text) {
  auto loaded = load_cue(a.project, cue_text);
  if (!loaded) return report(loaded.error());
  const project::Manifest& m = loaded->project.manifest();
  spot::Cue& cue = loaded->cue;
  if (cue.hits.empty()) {
    return report(make_error(ErrorKind::invalid_input, "cue ", cue.id.to_string(),
                             " has no hit points to fit; add them in ", a.project, "/duet.json"));
  }
  sync::FitOptions fit;
  fit.rate = m.picture.rate;
  fit.start = cue.in;
  fit.tolerance_frames = Rational(m.settings.hit_tolerance_frames);
  fit.min_qpm = Rational::parse(base::fixed(m.settings.tempo_min_bpm, 3)).value_or(Rational(40));
  fit.max_qpm = Rational::parse(base::fixed(m.settings.tempo_max_bpm, 3)).value_or(Rational(240));
  if (cue.tempo_map) fit.meter = cue.tempo_map->meter_at(time::BeatPos(0));
  if (auto t = tempo_from_emotion(cue)) fit.preferred_qpm = *t;
  if (auto applied = apply_args(a.fit, fit); !applied) return report(applied.error());
  std::string impossible;
  auto shown = propose(cue.hits, a.fit, fit, impossible);
  if (!shown) return report(shown.error().with_context("cue " + cue.id.to_string()));

  if (a.apply != 0) {
    if (a.apply < 1 || static_cast<std::size_t>(a.apply) > shown->size()) {
      return usage_error(
          base::cat("--apply ", a.apply, ": there ", shown->size() == 1 ? "is 1 option" : "are ",
                    shown->size() == 1 ? "" : std::to_string(shown->size()),
                    shown->size() == 1 ? "" : " options", "; run without --apply to see them"));
    }
    const Shown& chosen = (*shown)[static_cast<std::size_t>(a.apply - 1)];
    const bool same = cue.tempo_map && *cue.tempo_map == chosen.map;
    cue.tempo_map = chosen.map;
    auto saved = loaded->project.replace_cue(
        cue, base::cat("tempo fit applied: option ", a.apply, ", ", chosen.title));
    if (!saved) return report(saved.error());
    if (a.fit.json) {
      Json j{{"cue", cue.id.to_string()},
             {"applied", a.apply},
             {"changed", !same},
             {"title", chosen.title},
             {"map", map_json(chosen.map, fit.rate)},
             {"summary", summary_json(chosen.check)}};
      std::cout << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
      return kExitOk;
    }
    if (same) {
      std::cout << cue.id.to_string() << " already has option " << a.apply << " (" << chosen.title
                << "); nothing changed\n";
      return kExitOk;
    }
    std::cout << "applied option " << a.apply << " (" << chosen.title << ") to "
              << cue.id.to_string() << "; saved "
              << loaded->project.manifest_path().generic_string() << ", the cue before is kept in "
              << (loaded->project.dir() / "history" / cue.id.to_string()).generic_string() << "/\n";
    return kExitOk;
  }
  if (!a.fit.json) {
    std::cout << cue.id.to_string() << (cue.title.empty() ? "" : " \"" + cue.title + "\"") << ": "
              << tc(cue.in, fit.rate) << " to " << tc(cue.out, fit.rate) << "\n";
  }
  return show(cue.hits, *shown, impossible, fit,
              Json{{"cue", cue.id.to_string()}, {"title", cue.title}}, a.fit.json);
}

int run_sync(const SyncArgs& a) {
  if (a.project.empty()) {
    return usage_error(
        "give a project (duet sync DIR --cue 1M3), or use 'duet sync fit' without one");
  }
  if (!a.all && a.cue.empty()) {
    return usage_error("give the cue with --cue (such as --cue 1M3), or --all for every cue");
  }
  if (!a.all) return run_sync_cue(a, a.cue);
  if (!a.cue.empty()) return usage_error("give either --cue or --all, not both");
  // One JSON document per cue would not be one document: JSON stays a one-cue view.
  if (a.fit.json) return usage_error("--json shows one cue: use --cue instead of --all");
  auto p = project::Project::load(a.project);
  if (!p) return report(p.error());
  // Each cue is loaded, fitted and saved in turn (an --apply saves the project), so a failure
  // part way leaves the cues before it applied and the rest as they were.
  int status = kExitOk;
  bool first = true;
  for (const spot::Cue& cue : p->manifest().cues) {
    if (!first) std::cout << "\n";
    first = false;
    if (cue.hits.empty()) {
      std::cout << cue.id.to_string() << ": no hit points; skipped\n";
      continue;
    }
    const int one = run_sync_cue(a, cue.id.to_string());
    if (one != kExitOk && status == kExitOk) status = one;
  }
  return status;
}

// ---- duet sync check PROJECT --cue ID ----

int run_check(const CheckArgs& a) {
  auto loaded = load_cue(a.project, a.cue);
  if (!loaded) return report(loaded.error());
  const project::Manifest& m = loaded->project.manifest();
  const spot::Cue& cue = loaded->cue;
  if (!cue.tempo_map) {
    return report(make_error(ErrorKind::invalid_input, "cue ", cue.id.to_string(),
                             " has no tempo map; choose one with 'duet sync ", a.project, " --cue ",
                             cue.id.to_string(), " --apply N'"));
  }
  Rational tolerance(m.settings.hit_tolerance_frames);
  if (!a.tolerance.empty()) {
    auto t = parse_number(a.tolerance, "--tolerance");
    if (!t) return report(t.error());
    if (*t < Rational(0) || *t > Rational(1000)) {
      return report(make_error(ErrorKind::out_of_range, "--tolerance ", a.tolerance,
                               " is out of range; give 0 to 1000 frames"));
    }
    tolerance = *t;
  }
  const time::FrameRate& rate = m.picture.rate;
  const sync::CheckReport check =
      sync::check_hits(cue.hits, *cue.tempo_map, rate, sync::tolerance_ticks(tolerance, rate));
  if (a.json) {
    Json j{{"cue", cue.id.to_string()},
           {"rate", rate.name()},
           {"tolerance_frames", tolerance.to_decimal(3)},
           {"map", map_json(*cue.tempo_map, rate)},
           {"summary", summary_json(check)},
           {"hits", hits_json(cue.hits, check, rate)}};
    std::cout << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
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
  std::cout << "; downbeat 1 at " << tc(cue.tempo_map->origin(), rate) << "; tolerance "
            << tolerance.to_decimal(3) << (tolerance == Rational(1) ? " frame" : " frames")
            << " at " << rate.name() << " fps\n";
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
  if (auto applied = apply_args(a.fit, fit); !applied) return report(applied.error());
  std::string impossible;
  auto shown = propose(hits, a.fit, fit, impossible);
  if (!shown) return report(shown.error());
  return show(hits, *shown, impossible, fit, Json::object(), a.fit.json);
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
  add_fit_args(sync, s->fit);
  sync->footer(
      "Each option lands the most weighted hits within the tolerance: every hard hit first, then\n"
      "the weight of the soft ones, then the smaller error. The constant tempos are exact (every\n"
      "tempo that lands a hit on its grid point is an interval; the intervals are swept), and\n"
      "each option says which range of tempos lands the same hits. When no constant tempo lands\n"
      "every hard hit, the fewest tempo changes at bar lines within --max-change come first, or\n"
      "a sentence names the two hits that conflict.\n"
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
