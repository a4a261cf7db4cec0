#include "engine/spot_job.h"

#include "engine/conform_job.h"

#include "base/error.h"
#include "base/file.h"
#include "base/text.h"
#include "engine/session.h"
#include "export/sheet.h"
#include "picture/analysis.h"
#include "picture/edl.h"
#include "project/manifest.h"

namespace duet::engine {

namespace fs = std::filesystem;
using base::ErrorKind;
using base::make_error;
using Json = nlohmann::ordered_json;

namespace {

// Sets `out.read` from the frames the analysis decoded and warns when that is short of the
// container's length or of the cut: a damaged or cut-off file is otherwise spotted as if whole.
// The draft itself never runs past what was read (spot::draft_spotting measures the film by the
// frames decoded).
void note_what_was_read(SpotReport& out, const picture::FilmAnalysis& analysis,
                        const picture::Cut* cut) {
  const time::TimeDur read =
      time::time_of_frame(analysis.frames, out.rate) - time::time_of_frame(0, out.rate);
  out.read = read;
  const time::TimePos origin = time::to_time(out.start, out.rate);
  const std::string end = time::label_at(origin + read, out.rate);
  const std::string film = std::filesystem::path(out.film).filename().string();
  // A decoder may drop a frame or two at the ends of a whole file: a second (or 1%) is slack.
  const double slack = std::max(1.0, 0.01 * time::seconds(out.info.duration));
  if (time::seconds(out.info.duration - read) > slack) {
    out.warnings.push_back(base::cat(
        film, ": only ", base::fixed(time::seconds(read), 1), " s of picture could be read of the ",
        base::fixed(time::seconds(out.info.duration), 1),
        " s its header gives: the file is damaged or cut short after ", end,
        "; cues are drafted only up to there (re-export or re-copy the film)"));
  }
  if (cut == nullptr) return;
  const auto shots = cut->shots();
  time::TimePos cut_end = origin;
  std::size_t past = 0;
  for (const auto& s : shots) {
    cut_end = std::max(cut_end, s.record_out);
    if (s.record_in >= origin + read) ++past;
  }
  if (time::seconds(cut_end - (origin + read)) > 1.0) {
    out.warnings.push_back(base::cat(
        "the cut runs to ", time::label_at(cut_end, out.rate), " but the picture read ends at ",
        end, ": ", past, past == 1 ? " event starts" : " events start",
        " past it and nothing is drafted there (is this the film the cut was made for?)"));
  }
}

// The draft of `r.film`; `project` (null without one) gives the defaults.
base::Result<SpotReport> draft(SpotRequest r, const project::Project* project,
                               const Progress& progress) {
  if (project) {
    const project::Picture& pic = project->manifest().picture;
    if (r.film.empty() && !pic.film.empty()) r.film = (project->dir() / pic.film).string();
    if (r.edl.empty() && !pic.edl.empty()) r.edl = (project->dir() / pic.edl).string();
    if (!r.rate) r.rate = pic.rate;
  }
  if (r.film.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "no film to spot: name one, or set the project's picture.film");
  }
  SpotReport out;
  out.film = r.film;
  // Probe first, and read the whole cut, so that a bad film, rate or EDL fails before minutes of
  // analysis.
  auto info = picture::probe_film(r.film);
  if (!info) return info.error();
  out.info = std::move(*info);
  out.rate = r.rate.value_or(out.info.rate);

  std::optional<picture::Cut> cut;
  if (!r.edl.empty()) {
    auto bytes = base::read_file(r.edl, std::uintmax_t{64} << 20);  // an EDL is kilobytes
    if (!bytes) return bytes.error();
    picture::EdlOptions edl_options;
    edl_options.rate = out.rate;
    auto read = picture::read_edl(std::string(bytes->begin(), bytes->end()), edl_options);
    if (!read) return read.error().with_context(r.edl);
    for (const auto& w : read->warnings)
      out.warnings.push_back(r.edl + ": " + w.message);
    cut = std::move(read->cut);
  }

  if (!r.start.empty()) {
    auto parsed = time::parse_timecode(r.start, out.rate);
    if (!parsed) return parsed.error().with_context("--start");
    out.start = *parsed;
  } else if (project) {
    out.start = project->manifest().picture.start;
  } else if (out.info.start_timecode) {
    out.start = *out.info.start_timecode;
  } else {
    out.warnings.push_back(r.film +
                           " carries no start timecode; counting from 00:00:00:00 (give --start)");
  }

  picture::AnalysisOptions options;
  const std::string stage = "analysing " + std::filesystem::path(r.film).filename().string();
  if (progress) options.progress = [&](double fraction) { return progress(stage, fraction); };
  auto analysis = picture::analyse_film(r.film, options);
  if (!analysis) return analysis.error();
  for (const auto& w : analysis->info.warnings)
    out.warnings.push_back(r.film + ": " + w.message);
  note_what_was_read(out, *analysis, cut ? &*cut : nullptr);
  auto drafted =
      spot::draft_spotting(*analysis, cut ? &*cut : nullptr, out.rate, out.start, r.draft);
  if (!drafted) return drafted.error();
  out.draft = std::move(*drafted);
  return out;
}

}  // namespace

base::Result<SpotReport> spot_film(const SpotRequest& request, const Progress& progress) {
  return draft(request, nullptr, progress);
}

base::Result<SpotReport> Session::spot(const SpotRequest& request, const Progress& progress) {
  // A new cut under cues the composer made: their hits would stay at the old times. Conform
  // moves them; spotting only drafts.
  std::vector<std::string> recut;
  const project::Picture& pic = project_.manifest().picture;
  if (!request.edl.empty() && !pic.edl.empty()) {
    std::error_code ec;
    const fs::path old_edl = (project_.dir() / pic.edl).lexically_normal();
    if (!fs::equivalent(old_edl, request.edl, ec)) {
      auto diff = diff_edls({old_edl, request.edl, pic.rate});
      if (!diff) return diff.error();
      if (!diff->diff.changes.empty()) {
        std::vector<std::string> kept;
        for (const spot::Cue& c : project_.manifest().cues) {
          if (!spot::is_untouched_draft(c)) kept.push_back(c.id.to_string());
        }
        const std::string what =
            "the cut changed: " + request.edl + " differs from the project's " + pic.edl + " (" +
            std::to_string(diff->diff.changes.size()) + " changes; 'duet conform diff " +
            old_edl.generic_string() + " " + request.edl + "' lists them)";
        if (!kept.empty()) {
          std::string ids;
          for (const std::string& id : kept)
            ids += (ids.empty() ? "" : ", ") + id;
          return make_error(ErrorKind::invalid_input, what, ". The cues ", ids,
                            " are the composer's and sit on the old cut: conform them first "
                            "('duet conform ",
                            project_.dir().generic_string(), " --new-cut ", request.edl,
                            "'), then spot again");
        }
        recut.push_back(what +
                        "; the project's cues were all untouched drafts, drafted again "
                        "on the new cut (the old ones kept as versions)");
      }
    }
  }
  auto out = draft(request, &project_, progress);
  if (!out) return out.error();
  out->warnings.insert(out->warnings.begin(), recut.begin(), recut.end());
  // The composer's cues and edited drafts are kept; replaced drafts are kept as versions.
  auto merged = project_.apply_draft(out->draft.cues);
  if (!merged) return merged.error();
  out->merged = std::move(*merged);
  return out;
}

Json to_json(const SpotReport& r) {
  const auto tc = [&](time::TimePos t) { return time::nearest_label(t, r.rate); };
  project::Manifest m;
  m.picture.rate = r.rate;
  m.picture.start = r.start;
  m.cues = r.merged ? r.merged->cues : r.draft.cues;
  Json j;
  j["film"] = r.film;
  j["seconds"] = time::seconds(r.info.duration);  // as the film's header gives it
  j["seconds_read"] = time::seconds(r.read);      // the picture decoded and spotted
  j["draft"] = true;
  j["remarks"] = r.draft.remarks;
  j["runs"] = Json::array();
  for (const auto& n : r.draft.notes) {
    j["runs"].push_back(
        Json{{"from", tc(n.start)}, {"to", tc(n.end)}, {"cue", n.cue}, {"summary", n.summary}});
  }
  j["cues"] = Json::parse(project::write_manifest(m))["cues"];
  if (r.merged) {
    j["merge"] = Json::array();
    for (const auto& a : r.merged->actions) {
      j["merge"].push_back(Json{{"cue", a.id.to_string()},
                                {"action", spot::merge_action_name(a.kind)},
                                {"message", a.message}});
    }
  }
  return j;
}

base::Result<SheetReport> Session::sheet(const SheetRequest& request) const {
  const project::Manifest& m = project_.manifest();
  const exporting::Sheet sheet{m.title, m.picture.rate, m.picture.start, m.cues};
  SheetReport out;
  out.csv = exporting::sheet_csv(sheet);
  out.html = exporting::sheet_html(sheet);
  out.cues = m.cues.size();
  // Both are made before either is written.
  for (const auto& [path, text] : {std::pair{request.csv, &out.csv}, {request.html, &out.html}}) {
    if (path.empty()) continue;
    if (auto ok = base::write_file_atomic(path, *text); !ok) return ok.error();
    out.written.push_back(path);
  }
  return out;
}

}  // namespace duet::engine
