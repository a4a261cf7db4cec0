#include "engine/click_job.h"

#include <algorithm>
#include <cmath>
#include <system_error>

#include "base/error.h"
#include "base/file.h"
#include "base/text.h"
#include "engine/session.h"
#include "project/manifest.h"
#include "sync/markers.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace duet::engine {

namespace fs = std::filesystem;
using base::cat;
using base::ErrorKind;
using base::make_error;
using time::TimePos;
using Json = nlohmann::ordered_json;

namespace {

struct CueAndMap {
  spot::Cue cue;
  time::TempoMap map;
};

// Cue `id` with the tempo map to use: the override's (bar 1 at the cue's in), else the cue's own.
base::Result<CueAndMap> cue_and_map(const project::Project& project, const spot::CueId& id,
                                    const TempoOverride& override_map) {
  auto found = project.cue(id);
  if (!found) return found.error();
  const spot::Cue& cue = **found;
  const time::FrameRate& rate = project.manifest().picture.rate;
  if (!override_map.empty()) {
    auto map = time::parse_tempo_map(override_map.tempos, override_map.meters, cue.in, &rate);
    if (!map) return map.error();
    return CueAndMap{cue, std::move(*map)};
  }
  if (!cue.tempo_map) {
    return make_error(ErrorKind::invalid_input, "cue ", id.to_string(),
                      " has no tempo map yet; fit one with 'duet sync ",
                      project.dir().generic_string(), " --cue ", id.to_string(),
                      " --apply', or give --tempo entries (bar 1 at the cue's in)");
  }
  return CueAndMap{cue, *cue.tempo_map};
}

}  // namespace

base::Result<ClickReport> Session::click(const ClickRequest& request) {
  auto cm = cue_and_map(project_, request.cue, request.map);
  if (!cm) return cm.error();
  const time::FrameRate& rate = project_.manifest().picture.rate;
  ClickReport out;
  out.cue = std::move(cm->cue);
  out.map = std::move(cm->map);
  // The click runs from bar 1 to the cue's out (a click on the out when it is on a beat).
  auto clicks = sync::click_events(out.map, out.map.beats_at(out.cue.out), request.click);
  if (!clicks) return clicks.error();
  out.clicks = std::move(*clicks);
  out.start = out.clicks.front().at;
  out.start_offset = out.start - time::time_of_frame(time::frame_at(out.start, rate), rate);
  for (const auto& c : out.clicks) {
    ++out.counts[static_cast<int>(c.kind)];
    out.count_in += c.count_in;
  }

  const std::string id = out.cue.id.to_string();
  std::optional<std::vector<std::uint8_t>> midi_bytes, wav_bytes;
  if (request.midi) {
    sync::ClickMidiOptions midi_options;
    midi_options.rate = rate;
    midi_options.track_name = id + " click";
    auto bytes = sync::click_midi(out.map, out.clicks, midi_options);
    if (!bytes) return bytes.error();
    midi_bytes = std::move(*bytes);
  }
  if (request.wav) {
    auto audio = sync::render_clicks(out.clicks, out.start, {request.sample_rate});
    if (!audio) return audio.error();
    auto bytes = sync::click_wav(*audio);
    if (!bytes) return bytes.error();
    wav_bytes = std::move(*bytes);
  }
  // Everything is made before anything is written.
  if (auto made = make_dir(request.out); !made) return made.error();
  if (midi_bytes) {
    const fs::path path = request.out / (id + "-click.mid");
    if (auto ok = base::write_file_atomic(path, *midi_bytes); !ok) return ok.error();
    out.written.push_back(path);
  }
  if (wav_bytes) {
    const fs::path path = request.out / (id + "-click.wav");
    if (auto ok = base::write_file_atomic(path, *wav_bytes); !ok) return ok.error();
    out.written.push_back(path);
  }
  return out;
}

base::Result<StreamersPlan> Session::plan_streamers(const StreamersRequest& request) const {
  const project::Manifest& m = project_.manifest();
  const time::FrameRate& rate = m.picture.rate;
  StreamersPlan plan;
  plan.request = request;
  if (!request.map.empty() && request.cues.size() != 1) {
    return make_error(ErrorKind::invalid_input,
                      "a tempo map given for the streamers applies to one cue; name one");
  }
  std::vector<CueAndMap> cues;
  if (request.cues.empty()) {
    for (const auto& c : m.cues) {
      if (!c.tempo_map) {
        plan.warnings.push_back("cue " + c.id.to_string() +
                                " has no tempo map; skipped (fit one with 'duet sync')");
        continue;
      }
      cues.push_back({c, *c.tempo_map});
    }
    if (cues.empty()) {
      return make_error(ErrorKind::invalid_input,
                        "no cue of the project has a tempo map; fit them with 'duet sync' first");
    }
  } else {
    for (const auto& id : request.cues) {
      auto cm = cue_and_map(project_, id, request.map);
      if (!cm) return cm.error();
      cues.push_back(std::move(*cm));
    }
  }
  // The picture starts at its first frame: a streamer cannot sweep in before it. One warning per
  // cue names what was shortened and what was left out.
  const TimePos picture_start = time::to_time(m.picture.start, rate);
  for (const auto& cm : cues) {
    auto list = sync::cue_streamers(cm.cue, cm.map, rate, request.options);
    if (!list) return list.error().with_context("cue " + cm.cue.id.to_string());
    std::vector<std::string> shortened, left_out;
    for (auto& s : *list) {
      if (s.sweep_start < picture_start) {
        if (s.at < picture_start) {
          left_out.push_back(cat("'", s.label, "' at ", time::label_at(s.at, rate)));
          continue;
        }
        shortened.push_back(
            cat("'", s.label, "' to ", base::fixed(time::seconds(s.at - picture_start), 2), " s"));
        s.sweep_start = picture_start;
        std::erase_if(s.flutters, [&](TimePos f) { return f < picture_start; });
      }
      plan.streamers.push_back(std::move(s));
      plan.cue_of.push_back(cm.cue.id);
    }
    if (shortened.empty() && left_out.empty()) continue;
    const auto join = [](const std::vector<std::string>& parts) {
      std::string text;
      for (std::size_t i = 0; i < parts.size(); ++i)
        text += (i ? ", " : "") + parts[i];
      return text;
    };
    std::string w = cat("cue ", cm.cue.id.to_string(),
                        ": streamers would begin before the "
                        "picture's first frame (",
                        time::label_at(picture_start, rate), ")");
    if (!shortened.empty()) w += "; shortened: " + join(shortened);
    if (!left_out.empty()) w += "; left out (before the picture): " + join(left_out);
    plan.warnings.push_back(w);
  }

  // The film is checked and the marker lists made before anything is written.
  if (!request.out.empty()) {
    plan.film = request.film;
    if (plan.film.empty() && !m.picture.film.empty()) {
      plan.film = (project_.dir() / m.picture.film).string();
    }
    if (plan.film.empty()) {
      return make_error(ErrorKind::invalid_input,
                        "no film to burn the streamers into: name one, or set the project's "
                        "picture.film");
    }
    auto probed = picture::probe_film(plan.film);
    if (!probed) return probed.error();
    plan.film_info = std::move(*probed);
    if (plan.film_info->start_timecode && !(*plan.film_info->start_timecode == m.picture.start)) {
      plan.warnings.push_back(
          plan.film + " starts at " +
          time::format_timecode(*plan.film_info->start_timecode, plan.film_info->rate) +
          " but the project says " + time::format_timecode(m.picture.start, rate) +
          "; placing streamers by the project's");
    }
  }
  if (!request.csv.empty()) plan.csv = sync::streamer_csv(plan.streamers, rate);
  if (!request.midi.empty()) {
    // One cue: its tempo map, so the markers sit on the DAW's grid. Several: 120 from the first
    // streamer (their maps differ), so the markers sit at their times.
    time::TempoMap map = cues.front().map;
    if (cues.size() > 1) {
      TimePos first = plan.streamers.front().at;
      for (const auto& s : plan.streamers)
        first = std::min(first, s.at);
      map = time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(120)), {},
                                     first);
    }
    sync::MarkerMidiOptions midi_options;
    midi_options.rate = rate;
    auto bytes = sync::streamer_midi(plan.streamers, map, midi_options);
    if (!bytes) return bytes.error();
    plan.midi = std::move(*bytes);
  }
  return plan;
}

base::Result<StreamersWritten> Session::write_streamers(const StreamersPlan& plan,
                                                        const Progress& progress) {
  const project::Manifest& m = project_.manifest();
  const StreamersRequest& request = plan.request;
  StreamersWritten out;
  // The lists are written after the burn, so a failed burn leaves every file as it was.
  if (!request.out.empty()) {
    const TimePos film_start = time::to_time(m.picture.start, m.picture.rate);
    picture::BurnOptions burn;
    const std::string stage = "burning streamers into " + request.out.filename().string();
    if (progress) burn.progress = [&](double fraction) { return progress(stage, fraction); };
    auto done = picture::burn_overlays(
        plan.film, sync::streamer_overlays(plan.streamers, film_start, m.picture.rate), request.out,
        burn);
    if (!done) return done.error();
    out.burned = std::move(*done);
    out.written.push_back(request.out);
  }
  if (!request.csv.empty()) {
    if (auto ok = base::write_file_atomic(request.csv, plan.csv); !ok) return ok.error();
    out.written.push_back(request.csv);
  }
  if (!request.midi.empty()) {
    if (auto ok = base::write_file_atomic(request.midi, plan.midi); !ok) return ok.error();
    out.written.push_back(request.midi);
  }
  return out;
}

namespace {

Json files_json(const std::vector<fs::path>& files) {
  Json list = Json::array();
  for (const auto& f : files)
    list.push_back(f.generic_string());
  return list;
}

}  // namespace

Json to_json(const ClickReport& r, const time::FrameRate& rate) {
  const auto tc = [&](TimePos t) { return time::nearest_label(t, rate); };
  return Json{{"cue", r.cue.id.to_string()},
              {"clicks", r.clicks.size()},
              {"downbeats", r.counts[0]},
              {"beats", r.counts[1]},
              {"subdivisions", r.counts[2]},
              {"count_in_clicks", r.count_in},
              {"bar_1", tc(r.map.time_at(time::BeatPos(0)))},
              {"last_click", tc(r.clicks.back().at)},
              {"last_click_bbt", r.map.bbt_at(r.clicks.back().position).to_string()},
              {"cue_out", tc(r.cue.out)},
              {"start", tc(r.start)},
              {"start_offset", r.start_offset.ticks()},
              {"files", files_json(r.written)}};
}

Json to_json(const StreamersPlan& plan, const time::FrameRate& rate) {
  Json list = Json::array();
  for (std::size_t i = 0; i < plan.streamers.size(); ++i) {
    const sync::Streamer& s = plan.streamers[i];
    list.push_back(Json{{"cue", plan.cue_of[i].to_string()},
                        {"timecode", time::nearest_label(s.at, rate)},
                        {"kind", std::string(sync::streamer_kind_name(s.kind))},
                        {"colour", std::string(sync::colour_name(s.colour))},
                        {"position", s.position.to_string()},
                        {"label", s.label}});
  }
  return Json{{"streamers", std::move(list)}, {"warnings", plan.warnings}};
}

Json to_json(const StreamersWritten& w) {
  Json j{{"files", files_json(w.written)}};
  if (w.burned) j["burned"] = Json{{"frames", w.burned->frames}, {"encoder", w.burned->encoder}};
  return j;
}

}  // namespace duet::engine
