#include "engine/sync_job.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "base/text.h"
#include "compose/emotion_map.h"
#include "engine/session.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace duet::engine {

using base::ErrorKind;
using base::make_error;
using time::Rational;
using Json = nlohmann::ordered_json;

namespace {

Json hits_json(const std::vector<spot::HitPoint>& hits, const sync::CheckReport& check,
               const time::FrameRate& rate) {
  Json list = Json::array();
  for (const sync::HitError& e : check.hits) {
    const spot::HitPoint& h = hits[e.index];
    list.push_back(Json{{"hit", e.index + 1},
                        {"time", time::label_at(h.at, rate)},
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

base::Result<sync::ChangeOptions> change_options(const SyncSettings& s,
                                                 const sync::FitOptions& fit) {
  if (!(s.max_change > Rational(0)) || !(s.max_change < Rational(1))) {
    return make_error(ErrorKind::out_of_range, "--max-change ",
                      (s.max_change * Rational(100)).to_decimal(3),
                      " is out of range; give a percentage above 0 and below 100");
  }
  sync::ChangeOptions c;
  c.fit = fit;
  c.max_change = s.max_change;
  c.max_changes = s.max_changes;
  c.meter_bars = s.meter_bars;
  c.ramps = s.ramps;
  return c;
}

}  // namespace

base::Result<void> apply_settings(const SyncSettings& s, sync::FitOptions& fit) {
  if (s.meter) fit.meter = *s.meter;
  if (s.tolerance) fit.tolerance_frames = *s.tolerance;
  if (s.min_tempo) fit.min_qpm = *s.min_tempo;
  if (s.max_tempo) fit.max_qpm = *s.max_tempo;
  if (s.prefer) {
    if (*s.prefer < Rational(1) || *s.prefer > Rational(10000)) {
      return make_error(ErrorKind::out_of_range, "--prefer ", s.prefer->to_decimal(3),
                        " is out of range; give a tempo from 1 to 10000 BPM");
    }
    fit.preferred_qpm = s.prefer->to_double();
  }
  fit.pickup = s.pickup;
  fit.frame_clicks = s.frame_clicks;
  if (s.options < 1 || s.options > 100) {
    return make_error(ErrorKind::out_of_range, "--options ", s.options,
                      " is out of range; ask for 1 to 100 options");
  }
  fit.max_options = static_cast<std::size_t>(s.options);
  return {};
}

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

base::Result<SyncProposal> propose_sync(const std::vector<spot::HitPoint>& hits,
                                        sync::FitOptions fit, const SyncSettings& settings) {
  if (auto ok = apply_settings(settings, fit); !ok) return ok.error();
  // Checked first, so that a bad setting is refused even when it is not needed.
  auto copts = change_options(settings, fit);
  if (!copts) return copts.error();
  auto constant = sync::fit_constant(hits, fit);
  if (!constant) return constant.error();
  SyncProposal out;
  out.hits = hits;
  out.fit = fit;
  const bool landed = !constant->empty() && constant->front().check.all_hard_landed();
  // Only an implausible tempo (a calm cue at 240 BPM) lands every hard hit: tempo changes within
  // the plausible band are tried too, and come first when they land them all.
  const bool implausible = landed && !constant->front().plausible;
  if (implausible) {
    const double preferred = std::max(fit.preferred_qpm, 1.0);
    const auto band = [](double bpm) {
      return Rational::parse(base::fixed(bpm, 3)).value_or(Rational(120));
    };
    if (fit.plausible_ratio_down > 0)
      copts->fit.min_qpm = std::max(fit.min_qpm, band(preferred / fit.plausible_ratio_down));
    if (fit.plausible_ratio_up > 0)
      copts->fit.max_qpm = std::min(fit.max_qpm, band(preferred * fit.plausible_ratio_up));
  }
  if ((!landed || implausible) && copts->fit.min_qpm < copts->fit.max_qpm &&
      std::any_of(hits.begin(), hits.end(),
                  [](const spot::HitPoint& h) { return h.kind == spot::HitKind::hard; })) {
    auto changed = sync::fit_changes(hits, *copts);
    // A composer would rather write a bar of 3/4 than play a calm cue at 240 BPM: when tempo
    // changes alone cannot land the hits at a plausible tempo, single bars of another meter may.
    if (!changed && implausible && !copts->meter_bars) {
      sync::ChangeOptions with_bars = *copts;
      with_bars.meter_bars = true;
      changed = sync::fit_changes(hits, with_bars);
    }
    if (changed) {
      out.options.push_back(
          SyncOption{changed->map, changed->check,
                     base::cat(changed->changes, changed->changes == 1 ? " change at a bar line"
                                                                       : " changes at bar lines"),
                     changed->reason, std::nullopt, changed->changes});
    } else if (changed.error().kind == ErrorKind::impossible) {
      if (!implausible) out.impossible = changed.error().message;
    } else if (!implausible) {
      return changed.error();
    }
  }
  for (sync::FitOption& f : *constant) {
    std::string title = f.tempo.to_string() + " BPM";
    if (f.click) title += base::cat(" (", f.click->first, "-", f.click->second, " click)");
    out.options.push_back(SyncOption{f.map, f.check, title, f.reason, f, 0});
  }
  if (out.options.size() > fit.max_options) out.options.resize(fit.max_options);
  return out;
}

base::Result<SyncProposal> Session::propose_sync(const spot::CueId& id,
                                                 const SyncSettings& settings) {
  auto found = project_.cue(id);
  if (!found) return found.error();
  const spot::Cue& cue = **found;
  const project::Manifest& m = project_.manifest();
  if (cue.hits.empty()) {
    return make_error(ErrorKind::invalid_input, "cue ", cue.id.to_string(),
                      " has no hit points to fit; add them in ",
                      project_.manifest_path().generic_string());
  }
  sync::FitOptions fit;
  fit.rate = m.picture.rate;
  fit.start = cue.in;
  fit.tolerance_frames = m.settings.hit_tolerance_frames;
  fit.min_qpm = Rational::parse(base::fixed(m.settings.tempo_min_bpm, 3)).value_or(Rational(40));
  fit.max_qpm = Rational::parse(base::fixed(m.settings.tempo_max_bpm, 3)).value_or(Rational(240));
  if (cue.tempo_map) fit.meter = cue.tempo_map->meter_at(time::BeatPos(0));
  if (auto t = tempo_from_emotion(cue)) fit.preferred_qpm = *t;
  auto proposal = engine::propose_sync(cue.hits, fit, settings);
  if (!proposal) return proposal.error().with_context("cue " + cue.id.to_string());
  proposal->cue = cue;
  return proposal;
}

std::string missed_hits_text(const std::vector<spot::HitPoint>& hits,
                             const sync::CheckReport& check, const time::FrameRate& rate,
                             std::size_t most) {
  std::vector<std::string> named;
  std::size_t missed = 0;
  for (const sync::HitError& e : check.hits) {
    const spot::HitPoint& h = hits[e.index];
    if (e.landed || h.kind != spot::HitKind::hard) continue;
    if (++missed > most) continue;
    named.push_back(base::cat(time::label_at(h.at, rate),
                              h.label.empty() ? "" : " (" + h.label + ")", " ",
                              base::fixed(std::abs(e.error_frames), 1), " frames ",
                              e.error_frames > 0 ? "late" : "early"));
  }
  std::string text;
  for (std::size_t i = 0; i < named.size(); ++i)
    text += (i ? ", " : "") + named[i];
  if (missed > most) text += base::cat(" and ", missed - most, " more");
  return text;
}

base::Result<SyncApplied> Session::apply_sync(const SyncProposal& proposal, int option,
                                              bool allow_misses) {
  if (option < 1 || static_cast<std::size_t>(option) > proposal.options.size()) {
    return make_error(ErrorKind::out_of_range, "option ", option, " of ", proposal.options.size(),
                      " does not exist");
  }
  SyncApplied applied;
  applied.option = option;
  applied.chosen = proposal.options[static_cast<std::size_t>(option - 1)];
  const sync::CheckReport& check = applied.chosen.check;
  const std::string cue_name = proposal.cue.id.to_string();
  // The option landing the most hard hits: one that lands fewer is not applied by mistake.
  std::size_t best = 0;
  for (std::size_t i = 1; i < proposal.options.size(); ++i)
    if (proposal.options[i].check.hard_weight_landed >
        proposal.options[best].check.hard_weight_landed)
      best = i;
  const sync::CheckReport& top = proposal.options[best].check;
  if (check.hard_weight_landed < top.hard_weight_landed && !allow_misses) {
    return make_error(ErrorKind::invalid_input, "option ", option, " (", applied.chosen.title,
                      ") lands ", check.hard_landed, " of ", check.hard_total, " hard hits of cue ",
                      cue_name, ", and option ", best + 1, " (", proposal.options[best].title,
                      ") lands ", top.hard_landed, "; apply option ", best + 1,
                      ", or allow the misses");
  }
  for (const sync::HitError& e : check.hits)
    if (!e.landed && proposal.hits[e.index].kind == spot::HitKind::hard)
      applied.missed.push_back(e.index);
  if (!applied.missed.empty()) {
    applied.warnings.push_back(base::cat(
        "cue ", cue_name, ": the applied map (", applied.chosen.title, ") misses ",
        applied.missed.size(), " of ", check.hard_total,
        " hard hits: ", missed_hits_text(proposal.hits, check, project_.manifest().picture.rate),
        proposal.impossible.empty() ? "" : "; " + proposal.impossible));
  }
  auto found = project_.cue(proposal.cue.id);
  if (!found) return found.error();
  applied.cue = **found;
  applied.changed = !(applied.cue.tempo_map && *applied.cue.tempo_map == applied.chosen.map);
  applied.cue.tempo_map = applied.chosen.map;
  auto saved = project_.replace_cue(
      applied.cue, base::cat("tempo fit applied: option ", option, ", ", applied.chosen.title));
  if (!saved) return saved.error();
  return applied;
}

base::Result<SyncCheck> Session::check_sync(const spot::CueId& id,
                                            std::optional<time::Rational> tolerance) {
  auto found = project_.cue(id);
  if (!found) return found.error();
  const spot::Cue& cue = **found;
  const project::Manifest& m = project_.manifest();
  if (!cue.tempo_map) {
    return make_error(ErrorKind::invalid_input, "cue ", cue.id.to_string(),
                      " has no tempo map; choose one with 'duet sync ",
                      project_.dir().generic_string(), " --cue ", cue.id.to_string(),
                      " --apply N'");
  }
  SyncCheck out;
  out.cue = cue;
  out.tolerance = tolerance.value_or(m.settings.hit_tolerance_frames);
  if (out.tolerance < Rational(0) || out.tolerance > Rational(1000)) {
    return make_error(ErrorKind::out_of_range, "--tolerance ", out.tolerance.to_decimal(3),
                      " is out of range; give 0 to 1000 frames");
  }
  const time::FrameRate& rate = m.picture.rate;
  out.check =
      sync::check_hits(cue.hits, *cue.tempo_map, rate, sync::tolerance_ticks(out.tolerance, rate));
  return out;
}

Json to_json(const SyncProposal& p, Json head) {
  const sync::FitOptions& fit = p.fit;
  head["rate"] = fit.rate.name();
  head["meter"] = fit.meter.to_string();
  head["tolerance_frames"] = fit.tolerance_frames.to_decimal(3);
  head["tempo_range"] = Json::array({fit.min_qpm.to_decimal(3), fit.max_qpm.to_decimal(3)});
  if (!p.impossible.empty()) head["impossible"] = p.impossible;
  head["options"] = Json::array();
  for (std::size_t i = 0; i < p.options.size(); ++i) {
    const SyncOption& s = p.options[i];
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
    o["hits"] = hits_json(p.hits, s.check, fit.rate);
    head["options"].push_back(std::move(o));
  }
  return head;
}

Json to_json(const SyncApplied& a, const time::FrameRate& rate) {
  return Json{{"cue", a.cue.id.to_string()},
              {"applied", a.option},
              {"changed", a.changed},
              {"title", a.chosen.title},
              {"map", map_json(a.chosen.map, rate)},
              {"summary", summary_json(a.chosen.check)},
              {"missed_hard_hits", a.missed},
              {"warnings", a.warnings}};
}

Json to_json(const SyncCheck& c, const time::FrameRate& rate) {
  return Json{{"cue", c.cue.id.to_string()},
              {"rate", rate.name()},
              {"tolerance_frames", c.tolerance.to_decimal(3)},
              {"map", map_json(*c.cue.tempo_map, rate)},
              {"summary", summary_json(c.check)},
              {"hits", hits_json(c.cue.hits, c.check, rate)}};
}

}  // namespace duet::engine
