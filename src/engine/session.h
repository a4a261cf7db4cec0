// engine::Session: one open project and what its jobs share (the loaded models), behind which the
// faces (the duet command, the board's server) run every job: typed requests in, typed reports
// out, the faces only parse and print.
//
// Call order: open a session on a project folder, then run jobs on it. A session is not shared
// between threads; a job that writes files writes them only once everything is made.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "base/result.h"
#include "engine/click_job.h"
#include "engine/compose_job.h"
#include "engine/conform_job.h"
#include "engine/critique_job.h"
#include "engine/deliver_job.h"
#include "engine/edit_job.h"
#include "engine/models.h"
#include "engine/progress.h"
#include "engine/spot_job.h"
#include "engine/sync_job.h"
#include "engine/themes_job.h"
#include "project/project.h"

namespace duet::engine {

struct SessionOptions {
  std::string models_dir;  // --models DIR; "" to find the shipped models (engine/models.h)
};

class Session {
 public:
  // Loads PROJECT/duet.json; fails as project::Project::load does.
  static base::Result<Session> open(const std::filesystem::path& project_dir,
                                    SessionOptions options = {});

  const project::Project& project() const { return project_; }

  // The models a job asks for (each a file, "" for the shipped default, "none"), loaded once per
  // session and kept: a second job with the same choice reads nothing again.
  base::Result<Models*> models(const std::string& melody, const std::string& chords,
                               bool want_chords);

  // Writes, ranks and keeps candidates for the request's cues (compose_job.h).
  base::Result<ComposeReport> compose(const ComposeRequest& request, const Progress& progress = {});

  // Judges a MIDI file against a cue (critique_job.h); writes only the piano roll, when asked.
  base::Result<CritiqueReport> critique(const CritiqueRequest& request);

  // Ranked tempo maps for a cue's hit points (sync_job.h), over the project's settings.
  base::Result<SyncProposal> propose_sync(const spot::CueId& cue, const SyncSettings& settings);
  // Keeps option `option` (1 = the first) of `proposal` as its cue's tempo map: a new version of
  // the cue, the one before kept in the project's history.
  // Applies option `option` (1-based) as a new version of the cue. An option that lands fewer
  // hard hits than another option of the proposal is refused unless `allow_misses`; one that
  // misses hard hits is applied with a warning naming them.
  base::Result<SyncApplied> apply_sync(const SyncProposal& proposal, int option,
                                       bool allow_misses = false);
  // Each hit's error under the cue's tempo map; `tolerance` in frames, default the project's.
  base::Result<SyncCheck> check_sync(const spot::CueId& cue,
                                     std::optional<time::Rational> tolerance = std::nullopt);

  // Spotting, the spotting sheet, click and streamers (spot_job.h, click_job.h).
  // A draft spotting of the project's film (the request's defaults are the project's picture),
  // merged into the project: the composer's cues and edited drafts kept, replaced drafts kept as
  // versions. Nothing is saved when the draft fails.
  base::Result<SpotReport> spot(const SpotRequest& request, const Progress& progress = {});
  // The spotting sheet of the project's cues; writes the files the request names (both made
  // first).
  base::Result<SheetReport> sheet(const SheetRequest& request = {}) const;
  // One cue's click track: both files made, then written into request.out.
  base::Result<ClickReport> click(const ClickRequest& request);
  // The streamers of the request's cues and every list's contents, the film probed: nothing
  // written. Then write_streamers burns the film (progress: "burning streamers into <file>") and
  // writes the lists after it, so a failed burn leaves every file as it was.
  base::Result<StreamersPlan> plan_streamers(const StreamersRequest& request) const;
  base::Result<StreamersWritten> write_streamers(const StreamersPlan& plan,
                                                 const Progress& progress = {});

  // Cue edits (edit_job.h): each checked by the project file's reader, saved atomically, the cue
  // before kept as a version. `reason` is kept with that version.
  base::Result<CueEdited> edit_cue(const CueEdit& edit);
  // A new cue from its fields as duet.json writes them (at least "id", "in", "out").
  base::Result<CueEdited> add_cue(const nlohmann::json& fields, const std::string& reason);
  // Removes a cue; it is kept as its newest version, so restore_cue brings it back.
  base::Result<CueEdited> remove_cue(const spot::CueId& id, const std::string& reason);
  // A cue's kept versions, the oldest first (a removed cue's too).
  base::Result<std::vector<project::CueVersion>> cue_versions(const spot::CueId& id) const;
  // Puts version `number` back as the cue (the current one kept as a version first).
  base::Result<CueEdited> restore_cue(const spot::CueId& id, int number);

  // Conform (conform_job.h): the project's cut against a new one; every cue moved or
  // re-fitted and saved as a new version (the one before kept), the MIDI of the cues re-fitted
  // into a new folder, the picture set to the new cut. A dry run writes nothing.
  base::Result<ConformReport> conform(const ConformRequest& request);

  // Delivery: score-film, export, the cue sheet and credits (deliver_job.h).
  // Every cue's MIDI rendered at its timecode into one track for the film, muxed onto a copy of
  // it and/or written as WAV and stems; progress "rendering N cues", then "writing <file>".
  // Every MIDI file is read and the track made before anything is written.
  base::Result<ScoreFilmReport> score_film(const ScoreFilmRequest& request,
                                           const Progress& progress = {});
  // MusicXML and DAW MIDI of the cues' composed takes; every file made before any is written.
  base::Result<ExportReport> export_cues(const ExportRequest& request);
  // The cue sheet (CSV and page); writes the files the request names, both made first.
  base::Result<CueSheetReport> cue_sheet(const CueSheetRequest& request = {});
  // The credits; a request with a change saves it first (validated, atomic; nothing changes on
  // failure).
  base::Result<CreditsReport> credits(const CreditsRequest& request = {});

  // The theme jobs (themes_job.h): the registry listed and shown, a theme added (or replaced),
  // removed, cues tagged with it, and its variants. Each change is validated first and saved
  // atomically as a new version (the theme or cue before kept in history/).
  ThemeList themes() const;
  base::Result<ThemeShown> show_theme(std::string_view name) const;
  base::Result<ThemeAdded> add_theme(const AddThemeRequest& request);
  base::Result<ThemeRemoved> remove_theme(const RemoveThemeRequest& request);
  base::Result<ThemeTagged> tag_theme(const TagThemeRequest& request);
  // Writes only the request's MIDI file, once the variant is made.
  base::Result<ThemeVaried> vary_theme(const VaryThemeRequest& request) const;

 private:
  // Runs `save` (which saves `cue` or what becomes of it) and reports what changed.
  base::Result<CueEdited> saved_as(const spot::Cue& cue,
                                   const std::function<base::Result<void>()>& save);

  Session(project::Project project, SessionOptions options)
      : project_(std::move(project)), options_(std::move(options)) {}

  project::Project project_;
  SessionOptions options_;
  std::map<std::tuple<std::string, std::string, bool>, std::unique_ptr<Models>> models_;
};

}  // namespace duet::engine
