// Request bodies of the HTTP API, read into the engine's typed requests: every body a client
// sends goes through here (and the fuzz target serve_request_fuzz checks it on any bytes).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "engine/compose_job.h"
#include "engine/deliver_job.h"
#include "engine/themes_job.h"

namespace duet::serve {

// {"cues": ["1M1", ...], "candidates": 8, "keep": 3, "seed": 1, "out": "compose", "locks":
// [{"file", "bars": [first, last], "part"}]}, every field optional. `out` and the locks' files
// come back as the client wrote them (the server keeps them inside the project).
struct ComposeBody {
  engine::ComposeRequest request;
  std::string out = "compose";
};
base::Result<ComposeBody> read_compose_body(std::string_view body);

// {"option": N, "options": M, "allow_misses": B}: the option to apply (1 = the first) among the
// first M (default 5); B lets it land fewer hard hits than another (Session::apply_sync).
struct ApplyBody {
  int option = 0;
  int options = 5;
  bool allow_misses = false;  // apply an option that lands fewer hard hits than another
};
base::Result<ApplyBody> read_apply_body(std::string_view body);

// A cue's fields as duet.json writes them (docs/project-format.md; the engine's reader checks
// them), and "reason", kept with the version the edit makes (else `default_reason`).
struct CueEditBody {
  nlohmann::json fields;
  std::string reason;
};
base::Result<CueEditBody> read_cue_edit_body(std::string_view body,
                                             std::string_view default_reason);

// {"version": N}: the cue's version to bring back (1 = the oldest kept).
struct RestoreBody {
  int version = 0;
};
base::Result<RestoreBody> read_restore_body(std::string_view body);

// {"file": "mine/1M3.mid"}: the MIDI file to critique, inside the project.
base::Result<std::string> read_critique_body(std::string_view body);

// An empty body or {}: for jobs that take their settings from the project (spot).
base::Result<void> read_empty_body(std::string_view body);

// {"cues": [...], "from": "compose", "take": {"1M3": 2}, "out": "film/scored.mp4", "stems":
// "stems", "wav": "board/1M1.wav", "loudness": -23}: the cues (every cue that has a take when
// absent), the folder of the composed takes, the candidate a cue takes when not the best, and what
// to write, folders and files inside the project (at least one of out, wav and stems); loudness in
// LUFS (-40..-5), absent for none.
struct ScoreBody {
  std::vector<spot::CueId> cues;
  std::map<spot::CueId, int> take;
  std::string from = "compose";
  std::string out;
  std::string stems;
  std::string wav;  // the music track alone, as a WAV (what the board auditions)
  std::optional<double> loudness;
  // "excerpt": {"pre_roll": 4, "post_roll": 4, "alone", "from", "seconds", "chase"}: only the
  // named cues' span with those seconds around it, to audition a cue against its picture
  // (engine::ScoreFilmRequest::excerpt). "from" is a timecode, read at the project's rate by
  // the server (excerpt_from), so the excerpt's `from` is not set here.
  std::optional<engine::ScoreFilmRequest::Excerpt> excerpt;
  std::string excerpt_from;
};
base::Result<ScoreBody> read_score_body(std::string_view body);

// {"from": "compose", "take": {"1M3": 2}, "out": "deliver"}: the export and the cue sheet into
// one folder.
struct DeliverBody {
  std::map<spot::CueId, int> take;
  std::string from = "compose";
  std::string out = "deliver";
};
base::Result<DeliverBody> read_deliver_body(std::string_view body);

// {"text": "4/4 D4q. F4e A4q D5q | C5q A4e F4e G4h", "stands_for", "key", "harmony"}: a theme
// from compact text (music/theme.h); the name comes from the path.
base::Result<engine::AddThemeRequest> read_theme_body(std::string_view body);

// {"cues": ["1M1", ...]} or {"all": true}, with "untag": true to take the tag off.
base::Result<engine::TagThemeRequest> read_tag_body(std::string_view body);

// Bodies nest at most this deep (a cue's fields nest 4 deep); deeper ones are refused before
// they are parsed, so that no reader or writer recurses without bound.
inline constexpr int kMaxBodyDepth = 32;

}  // namespace duet::serve
