// engine::Session: one open project and what its jobs share (the loaded models), behind which the
// faces (the duet command, the board's server) run every job: typed requests in, typed reports
// out, the faces only parse and print.
//
// Call order: open a session on a project folder, then run jobs on it. A session is not shared
// between threads; a job that writes files writes them only once everything is made.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "base/result.h"
#include "engine/compose_job.h"
#include "engine/critique_job.h"
#include "engine/models.h"
#include "engine/progress.h"
#include "engine/sync_job.h"
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
  base::Result<SyncApplied> apply_sync(const SyncProposal& proposal, int option);
  // Each hit's error under the cue's tempo map; `tolerance` in frames, default the project's.
  base::Result<SyncCheck> check_sync(const spot::CueId& cue,
                                     std::optional<time::Rational> tolerance = std::nullopt);

 private:
  Session(project::Project project, SessionOptions options)
      : project_(std::move(project)), options_(std::move(options)) {}

  project::Project project_;
  SessionOptions options_;
  std::map<std::tuple<std::string, std::string, bool>, std::unique_ptr<Models>> models_;
};

}  // namespace duet::engine
