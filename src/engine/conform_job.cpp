#include "engine/conform_job.h"

#include <algorithm>
#include <set>

#include "base/file.h"
#include "base/text.h"
#include "engine/deliver_job.h"
#include "engine/project_job.h"
#include "engine/session.h"
#include "export/conform_page.h"
#include "midi/timing.h"
#include "picture/edl.h"
#include "picture/film.h"
#include "project/manifest.h"
#include "spot/placement.h"
#include "time/timecode.h"

namespace duet::engine {

namespace fs = std::filesystem;
using base::ErrorKind;
using base::make_error;

namespace {

base::Result<picture::EdlRead> read_cut(const fs::path& path, const time::FrameRate& rate) {
  auto bytes = base::read_file(path, std::uintmax_t{64} << 20);  // an EDL is kilobytes
  if (!bytes) return bytes.error();
  picture::EdlOptions options;
  options.rate = rate;
  auto read = picture::read_edl(std::string(bytes->begin(), bytes->end()), options);
  if (!read) return read.error().with_context(path.generic_string());
  return read;
}

nlohmann::ordered_json span_json(std::int64_t in, std::int64_t out, const picture::Cut& cut) {
  return {
      {"in", cut.timecode(in, cut.fcm)}, {"out", cut.timecode(out, cut.fcm)}, {"frames", out - in}};
}

std::string tc(time::TimePos p, const time::FrameRate& rate) {
  return time::nearest_label(p, rate);
}

// A cue's MIDI files in `from`: <cue>-<n>.mid, in name order.
std::vector<fs::path> cue_files(const fs::path& from, const spot::CueId& cue) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (from.empty() || !fs::is_directory(from, ec)) return out;
  const std::string prefix = cue.to_string() + "-";
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with(prefix) && name.ends_with(".mid") &&
        name.size() > prefix.size() + 4 &&
        std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end() - 4,
                    [](char c) { return c >= '0' && c <= '9'; })) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

base::Result<CutDiffReport> diff_edls(const CutDiffRequest& request) {
  auto old_read = read_cut(request.old_edl, request.rate);
  if (!old_read) return old_read.error();
  auto new_read = read_cut(request.new_edl, request.rate);
  if (!new_read) return new_read.error();
  CutDiffReport out;
  out.old_edl = request.old_edl;
  out.new_edl = request.new_edl;
  for (const auto& w : old_read->warnings) {
    out.warnings.push_back(request.old_edl.generic_string() + ": " + w.message);
  }
  for (const auto& w : new_read->warnings) {
    out.warnings.push_back(request.new_edl.generic_string() + ": " + w.message);
  }
  out.old_cut = std::move(old_read->cut);
  out.new_cut = std::move(new_read->cut);
  auto diff = conform::diff_cuts(out.old_cut, out.new_cut);
  if (!diff) {
    return diff.error().with_context(request.old_edl.generic_string() + " against " +
                                     request.new_edl.generic_string());
  }
  out.diff = std::move(*diff);
  return out;
}

nlohmann::ordered_json to_json(const CutDiffReport& r) {
  const conform::CutDiff& d = r.diff;
  nlohmann::ordered_json j;
  j["old"] = {{"edl", r.old_edl.generic_string()},
              {"title", r.old_cut.title},
              {"picture", span_json(d.old_first, d.old_last, r.old_cut)}};
  j["new"] = {{"edl", r.new_edl.generic_string()},
              {"title", r.new_cut.title},
              {"picture", span_json(d.new_first, d.new_last, r.new_cut)}};
  j["rate"] = d.rate.name();
  j["frames_kept"] = d.frames_kept;
  j["frames_removed"] = d.frames_removed;
  j["frames_added"] = d.frames_added;
  j["healed_slips"] = d.healed;
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const conform::Change& c : d.changes) {
    nlohmann::ordered_json cj;
    cj["kind"] = std::string(conform::to_string(c.kind));
    cj["old"] = span_json(c.old_in, c.old_out, r.old_cut);
    cj["new"] = span_json(c.new_in, c.new_out, r.new_cut);
    cj["reel"] = c.reel;
    cj["old_event"] = c.old_event;
    cj["new_event"] = c.new_event;
    changes.push_back(cj);
  }
  j["changes"] = changes;
  nlohmann::ordered_json map = nlohmann::ordered_json::array();
  for (const conform::Segment& s : d.map.segments()) {
    map.push_back({{"old", span_json(s.old_in, s.old_out, r.old_cut)},
                   {"new", span_json(s.new_in, s.new_out, r.new_cut)},
                   {"offset_frames", s.offset()}});
  }
  j["map"] = map;
  j["warnings"] = r.warnings;
  return j;
}

nlohmann::ordered_json to_json(const ConformReport& r) {
  nlohmann::ordered_json j;
  j["dry_run"] = r.dry_run;
  j["cut"] = to_json(r.cut);
  const time::FrameRate& rate = r.cut.diff.rate;
  nlohmann::ordered_json cues = nlohmann::ordered_json::array();
  for (const conform::CueRefit& c : r.cues) {
    nlohmann::ordered_json cj;
    cj["cue"] = c.before.id.to_string();
    cj["fate"] = std::string(conform::to_string(c.fate));
    cj["reasons"] = c.reasons;
    cj["before"] = {{"in", tc(c.before.in, rate)}, {"out", tc(c.before.out, rate)}};
    if (c.after) {
      cj["after"] = {{"in", tc(c.after->in, rate)}, {"out", tc(c.after->out, rate)}};
    } else {
      cj["after"] = nullptr;
    }
    cj["offset_frames"] = c.offset_frames;
    nlohmann::ordered_json lost = nlohmann::ordered_json::array();
    for (const spot::HitPoint& h : c.lost_hits) {
      lost.push_back({{"at", tc(h.at, rate)},
                      {"label", h.label},
                      {"kind", std::string(spot::hit_kind_name(h.kind))}});
    }
    cj["lost_hits"] = lost;
    nlohmann::ordered_json missed = nlohmann::ordered_json::array();
    for (const spot::HitPoint& h : c.missed_hits) {
      missed.push_back({{"at", tc(h.at, rate)}, {"label", h.label}});
    }
    cj["missed_hits"] = missed;
    if (c.music) {
      nlohmann::ordered_json edits = nlohmann::ordered_json::array();
      for (const conform::BarEdit& e : c.music->edits) {
        const auto& map = *c.before.tempo_map;
        nlohmann::ordered_json ej;
        ej["kind"] = e.kind == conform::BarEdit::Kind::remove ? "remove" : "repeat";
        ej["bar"] = map.bbt_at(e.at).bar;
        ej["bars"] = e.length.ticks() / map.meter_at(e.at).bar_length().ticks();
        if (e.kind == conform::BarEdit::Kind::repeat)
          ej["copy_of_bar"] = map.bbt_at(e.copy_from).bar;
        edits.push_back(ej);
      }
      cj["bar_edits"] = edits;
      cj["bars_touched"] = c.music->bars_touched;
      cj["largest_tempo_ease"] = c.music->largest_ease;
    }
    cues.push_back(cj);
  }
  j["cues"] = cues;
  nlohmann::ordered_json midi = nlohmann::ordered_json::array();
  for (const MidiRefitted& m : r.midi) {
    midi.push_back({{"cue", m.cue.to_string()},
                    {"from", m.from.generic_string()},
                    {"to", m.to.generic_string()},
                    {"bars_touched", m.bars_touched},
                    {"join_bars", m.join_bars},
                    {"joins_rewritten", m.joins_rewritten}});
  }
  j["midi"] = midi;
  nlohmann::ordered_json written = nlohmann::ordered_json::array();
  for (const fs::path& p : r.written)
    written.push_back(p.generic_string());
  j["written"] = written;
  j["warnings"] = r.warnings;
  return j;
}

std::string conform_html(const CutDiffReport& diff, const ConformReport* conform) {
  exporting::ConformPage page;
  page.title =
      (diff.old_cut.title.empty() ? diff.old_edl.filename().string() : diff.old_cut.title) + " → " +
      (diff.new_cut.title.empty() ? diff.new_edl.filename().string() : diff.new_cut.title);
  page.old_name = diff.old_edl.filename().string();
  page.new_name = diff.new_edl.filename().string();
  page.old_cut = diff.old_cut;
  page.new_cut = diff.new_cut;
  page.diff = diff.diff;
  if (conform != nullptr) {
    const time::FrameRate& rate = diff.diff.rate;
    for (const conform::CueRefit& c : conform->cues) {
      exporting::ConformedCue cc;
      cc.id = c.before.id;
      cc.title = c.before.title;
      cc.fate = std::string(conform::to_string(c.fate));
      cc.old_in = time::frame_at(c.before.in, rate);
      cc.old_out = time::frame_at(c.before.out, rate);
      cc.new_in = c.after ? time::frame_at(c.after->in, rate) : cc.old_in;
      cc.new_out = c.after ? time::frame_at(c.after->out, rate) : cc.old_in;
      cc.reasons = c.reasons;
      page.cues.push_back(std::move(cc));
    }
  }
  return exporting::conform_html(page);
}

base::Result<ConformReport> conform_project(project::Project& project,
                                            const ConformRequest& request) {
  const project::Manifest& m = project.manifest();
  if (m.picture.edl.empty()) {
    return make_error(ErrorKind::invalid_input, "the project ", project.manifest_path().string(),
                      " has no cut to conform from (picture.edl): conform compares the project's "
                      "cut with the new one; set picture.edl to the cut its cues were spotted on");
  }
  if (request.new_edl.empty()) {
    return make_error(ErrorKind::invalid_input, "name the new cut (--new-cut NEW.edl)");
  }
  ConformReport out;
  out.dry_run = request.dry_run;
  auto cut = diff_edls(
      {(project.dir() / m.picture.edl).lexically_normal(), request.new_edl, m.picture.rate});
  if (!cut) return cut.error();
  out.cut = std::move(*cut);
  out.warnings = out.cut.warnings;
  const conform::CutDiff& diff = out.cut.diff;
  const time::FrameRate& rate = m.picture.rate;

  conform::RefitOptions options;
  options.tolerance_frames = m.settings.hit_tolerance_frames;
  if (!request.new_film.empty()) {
    auto film = picture::probe_film(request.new_film);
    if (!film) return film.error();
    const time::TimePos end = time::to_time(m.picture.start, rate) + film->duration;
    options.film_end = time::frame_at(end, rate);
  }
  for (const spot::Cue& cue : m.cues)
    out.cues.push_back(conform::refit_cue(cue, diff, options));
  conform::flag_new_overlaps(out.cues, rate);

  // The re-fitted manifest, checked whole before anything is written.
  project::Manifest next = m;
  next.cues.clear();
  for (const conform::CueRefit& c : out.cues) {
    if (c.after) next.cues.push_back(*c.after);
  }
  // Relative to the project, so that it moves with the project.
  next.picture.edl = store_path(request.new_edl, project.dir(), true);
  if (!request.new_film.empty()) {
    next.picture.film = store_path(request.new_film, project.dir(), true);
  }
  const auto problems = project::validate_manifest(next);
  if (!problems.empty()) {
    return make_error(ErrorKind::invalid_input, "the conformed project would not be valid: ",
                      project::to_string(problems.front()));
  }

  // The MIDI: every file of a cue that moved or changed, re-fitted with its own map.
  struct Planned {
    spot::CueId cue;
    fs::path from;
    fs::path to;
    std::vector<std::uint8_t> bytes;
    std::vector<std::int64_t> bars;
    std::vector<std::int64_t> join_bars;
    std::int64_t last_bar = 0;
    bool own = false;
  };
  std::vector<Planned> planned;
  fs::path out_dir = request.out;
  if (out_dir.empty() && !request.from.empty()) {
    out_dir = request.from.parent_path() / (request.from.filename().string() + "-conformed");
    if (request.from.filename().empty()) {
      out_dir = request.from.parent_path().parent_path() /
                (request.from.parent_path().filename().string() + "-conformed");
    }
  }
  if (out_dir.empty() && !request.midi.empty()) {
    out_dir = request.midi.begin()->second.parent_path() / "conformed";
  }
  for (const conform::CueRefit& c : out.cues) {
    if (!c.after) continue;
    std::vector<fs::path> files = cue_files(request.from, c.before.id);
    if (const auto it = request.midi.find(c.before.id); it != request.midi.end()) {
      files.push_back(it->second);
    }
    for (const fs::path& path : files) {
      auto file = read_cue_midi(c.before.id, path);
      if (!file) return file.error();
      const auto own = request.midi.find(c.before.id);
      Planned p{c.before.id,
                path,
                out_dir / path.filename(),
                {},
                {},
                {},
                0,
                own != request.midi.end() && own->second == path};
      if (c.fate == conform::CueFate::unchanged) {
        auto bytes = base::read_file(path, std::uintmax_t{256} << 20);
        if (!bytes) return bytes.error();
        p.bytes = std::move(*bytes);
      } else {
        const midi::Timeline timeline = midi::Timeline::of(*file);
        if (!timeline.has_beats()) {
          out.warnings.push_back(path.generic_string() +
                                 " is in SMPTE time (no bars): it was not re-fitted");
          continue;
        }
        const time::TimePos start = spot::place_midi(*file, c.before, rate).at;
        auto placed = time::TempoMap::create(timeline.tempo_map().tempo_changes(),
                                             timeline.tempo_map().meters(), start);
        if (!placed) return placed.error().with_context(path.generic_string());
        const conform::MusicRefit music = conform::refit_music(*placed, c.before, diff, options);
        auto refitted =
            conform::refit_midi(*file, music, rate, c.before.id.to_string() + " " + c.before.title);
        if (!refitted) return refitted.error().with_context(path.generic_string());
        auto bytes = midi::write_smf(*refitted);
        if (!bytes) return bytes.error().with_context(path.generic_string());
        p.bytes = std::move(*bytes);
        p.bars = music.bars_touched;
        // The bars each side of every splice, on the re-fitted file's own map.
        const midi::Timeline now = midi::Timeline::of(*refitted);
        for (const time::BeatPos j : music.joins()) {
          const std::int64_t before = now.tempo_map().bbt_at(j - time::BeatDur(1)).bar;
          const std::int64_t after = now.tempo_map().bbt_at(j).bar;
          for (const std::int64_t bar : {before, after}) {
            if (bar >= 1 && (p.join_bars.empty() || p.join_bars.back() < bar)) {
              p.join_bars.push_back(bar);
            }
          }
        }
        std::int64_t end_tick = 0;
        for (const midi::Track& t : refitted->tracks)
          end_tick = std::max(end_tick, t.end_tick);
        if (const auto end = now.beat_of(end_tick)) {
          p.last_bar = now.tempo_map().bbt_at(*end - time::BeatDur(1)).bar;
        }
      }
      std::error_code ec;
      if (fs::exists(p.to, ec)) {
        return make_error(ErrorKind::invalid_input, p.to.generic_string(),
                          " is already there: conform never overwrites a file (give --out a new "
                          "folder)");
      }
      planned.push_back(std::move(p));
    }
  }
  for (const Planned& p : planned)
    out.midi.push_back({p.cue, p.from, p.to, p.bars, p.join_bars, p.last_bar, p.own, false});
  if (request.dry_run) return out;

  // Write: the MIDI, then each cue as a new version, then the picture.
  if (!planned.empty()) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) {
      return make_error(ErrorKind::io, "cannot make the folder ", out_dir.generic_string(), ": ",
                        ec.message());
    }
  }
  for (const Planned& p : planned) {
    auto written = base::write_file_atomic(p.to, p.bytes);
    if (!written) return written.error();
    out.written.push_back(p.to);
  }
  const std::string reason = "conformed to " + request.new_edl.filename().string();
  for (const conform::CueRefit& c : out.cues) {
    if (!c.after) {
      auto removed = project.remove_cue(c.before.id, reason + ": all of its picture was cut");
      if (!removed) return removed.error();
    } else if (*c.after != c.before) {
      auto saved = project.replace_cue(
          *c.after, reason + " (" + std::string(conform::to_string(c.fate)) + ")");
      if (!saved) return saved.error();
    }
  }
  bool saved_any = std::any_of(out.cues.begin(), out.cues.end(),
                               [](const auto& c) { return !c.after || *c.after != c.before; });
  if (project.manifest().picture != next.picture) {
    project::Manifest pictured = project.manifest();
    pictured.picture = next.picture;
    auto updated = project.update(pictured);
    if (!updated) return updated.error();
    saved_any = true;
  }
  if (saved_any) out.written.push_back(project.manifest_path());
  return out;
}

base::Result<ConformReport> Session::conform(const ConformRequest& request) {
  auto report = conform_project(project_, request);
  if (!report || request.dry_run || !request.rewrite_joins) return report;
  // The splices of compose's candidates, written anew by compose around locks on every other bar.
  for (MidiRefitted& m : report->midi) {
    if (m.composers_own || m.join_bars.empty() || m.last_bar < 1) continue;
    ComposeRequest joins;
    joins.cues = {m.cue};
    joins.candidates = 4;
    joins.keep = 1;
    joins.out = m.to.parent_path() / (".joins-" + m.to.stem().string());
    std::int64_t from = 1;
    for (const std::int64_t bar : m.join_bars) {
      if (bar > from)
        joins.locks.push_back({m.to.string(), std::nullopt, std::pair{from, bar - 1}});
      from = bar + 1;
    }
    if (from <= m.last_bar) {
      joins.locks.push_back({m.to.string(), std::nullopt, std::pair{from, m.last_bar}});
    }
    std::error_code ec;
    const auto cleanup = [&] { fs::remove_all(joins.out, ec); };
    auto composed = joins.locks.empty() ? base::Result<ComposeReport>(base::make_error(
                                              base::ErrorKind::invalid_input, "nothing to lock"))
                                        : compose(joins);
    if (!composed || composed->cues.empty() || composed->cues.front().kept.empty()) {
      report->warnings.push_back(
          m.to.generic_string() + ": the joins were left as spliced (" +
          (composed ? std::string("compose kept no candidate") : composed.error().message) + ")");
      cleanup();
      continue;
    }
    auto bytes = base::read_file(composed->cues.front().kept.front().file);
    if (bytes) {
      if (auto written = base::write_file_atomic(m.to, *bytes); written) m.joins_rewritten = true;
    }
    cleanup();
  }
  return report;
}

}  // namespace duet::engine
