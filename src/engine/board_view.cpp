#include "engine/board_view.h"

#include <algorithm>
#include <string>

#include "base/file.h"
#include "compose/score.h"
#include "midi/smf.h"
#include "picture/edl.h"
#include "spot/placement.h"
#include "sync/streamer.h"
#include "time/timecode.h"

namespace duet::engine {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double secs(time::TimePos p) {
  return time::seconds(p);
}

json rate_json(const time::FrameRate& rate) {
  return {{"name", rate.name()},
          {"num", rate.fps().num()},
          {"den", rate.fps().den()},
          {"nominal", rate.nominal()},
          {"drop", rate.dropped_per_minute()}};
}

}  // namespace

base::Result<json> cut_view(const project::Project& project) {
  const auto& pic = project.manifest().picture;
  const time::TimePos start = time::to_time(pic.start, pic.rate);
  json j{{"rate", rate_json(pic.rate)},
         {"start", time::format_timecode(pic.start, pic.rate)},
         {"start_s", secs(start)},
         {"film", pic.film},
         {"edl", pic.edl},
         {"shots", json::array()},
         {"warnings", json::array()}};
  if (pic.edl.empty()) return j;
  const fs::path path = project.dir() / pic.edl;
  auto bytes = base::read_file(path, std::uintmax_t{64} << 20);  // an EDL is kilobytes
  if (!bytes) return bytes.error();
  picture::EdlOptions options;
  options.rate = pic.rate;
  auto read = picture::read_edl(std::string(bytes->begin(), bytes->end()), options);
  if (!read) return read.error().with_context(path.generic_string());
  for (const auto& w : read->warnings)
    j["warnings"].push_back(pic.edl + ": " + w.message);
  for (const auto& shot : read->cut.shots()) {
    j["shots"].push_back({{"event", shot.event},
                          {"reel", shot.reel},
                          {"clip", shot.clip_name},
                          {"in", time::label_at(shot.record_in, pic.rate)},
                          {"out", time::label_at(shot.record_out, pic.rate)},
                          {"in_s", secs(shot.record_in)},
                          {"out_s", secs(shot.record_out)},
                          {"transition", picture::transition_code(shot.transition)}});
  }
  return j;
}

base::Result<json> music_view(const project::Project& project, const spot::CueId& id,
                              const fs::path& file) {
  auto found = project.cue(id);
  if (!found) return found.error();
  const spot::Cue& cue = **found;
  const auto& rate = project.manifest().picture.rate;
  auto bytes = base::read_file(file);
  if (!bytes) return bytes.error();
  auto smf = midi::read_smf(*bytes);
  if (!smf) return smf.error().with_context(file.generic_string());
  const spot::MidiPlacement placed = spot::place_midi(smf->file, cue, rate);
  auto score = compose::from_midi(smf->file, placed.at);
  if (!score) return score.error().with_context(file.generic_string());
  const time::TempoMap& map = score->tempo_map;
  const auto at = [&](time::BeatPos b) { return secs(map.time_at(b)); };

  json parts = json::array();
  for (const auto& part : score->parts) {
    json notes = json::array();
    for (const auto& n : part.notes)
      notes.push_back({at(n.start), at(n.start + n.length), n.pitch, n.velocity});
    parts.push_back({{"name", part.name},
                     {"role", compose::to_string(part.role)},
                     {"program", part.program},
                     {"channel", part.channel},
                     {"notes", std::move(notes)}});
  }
  json bars = bar_lines(map, map.time_at(score->end));
  json sections = json::array();
  for (const auto& s : score->sections)
    sections.push_back({{"label", s.label}, {"reason", s.reason}, {"t", at(s.at)}});
  json themes = json::array();
  for (const auto& u : score->themes)
    themes.push_back({{"theme", u.theme},
                      {"part", u.part},
                      {"derivation", u.derivation},
                      {"recognisability", u.recognisability},
                      {"t", at(u.at)},
                      {"end", at(u.at + u.length)}});
  return json{{"cue", id.to_string()},
              {"file", file.filename().generic_string()},
              {"placed",
               {{"at", time::label_at(placed.at, rate)},
                {"at_s", secs(placed.at)},
                {"from", spot::to_string(placed.from)}}},
              {"parts", std::move(parts)},
              {"bars", std::move(bars)},
              {"sections", std::move(sections)},
              {"themes", std::move(themes)},
              {"end", at(score->end)}};
}

json bar_lines(const time::TempoMap& map, time::TimePos until) {
  json bars = json::array();
  for (std::int64_t bar = 1; bar <= 10'000; ++bar) {
    auto t = map.time_at(time::BBT{bar, 1, 0});
    if (!t || *t > until) break;
    bars.push_back({{"bar", bar}, {"t", secs(*t)}});
  }
  return bars;
}

base::Result<json> streamers_view(const project::Project& project, const spot::CueId& id) {
  auto found = project.cue(id);
  if (!found) return found.error();
  const spot::Cue& cue = **found;
  json list = json::array();
  if (!cue.tempo_map) return json{{"streamers", list}, {"bars", json::array()}};
  auto streamers = sync::cue_streamers(cue, *cue.tempo_map, project.manifest().picture.rate);
  if (!streamers) return streamers.error();
  for (const auto& s : *streamers) {
    json flutters = json::array();
    for (const auto& f : s.flutters)
      flutters.push_back(secs(f));
    list.push_back({{"kind", sync::streamer_kind_name(s.kind)},
                    {"colour", sync::colour_name(s.colour)},
                    {"label", s.label},
                    {"at", secs(s.at)},
                    {"sweep", secs(s.sweep_start)},
                    {"punch_end", secs(s.punch_end)},
                    {"flutters", std::move(flutters)}});
  }
  return json{{"streamers", std::move(list)}, {"bars", bar_lines(*cue.tempo_map, cue.out)}};
}

}  // namespace duet::engine
