// Edits of a project's cues, as the board makes them: a hit moved or added, a curve redrawn, a
// cue's in or out changed, a cue added or removed, an earlier version brought back. Every edit is
// checked by the project file's own reader (project/manifest.h), so what the API accepts is
// exactly what duet.json may hold, with the same sentences; it is saved atomically and the cue
// as it was is kept as a version (project/project.h). Run through engine::Session.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "project/project.h"
#include "spot/cue.h"
#include "time/frame_rate.h"

namespace duet::engine {

// A change to one cue. `fields` holds the cue's fields written as duet.json writes them
// (docs/project-format.md: "title", "in", "out", "usage", "notes", "hits", "dialogue", "emotion",
// "characters", "themes", "tempo_map"; times as timecode at the project's rate): each one given
// replaces the cue's, the others are kept. "id" may be given only unchanged; a "tempo_map" of
// null removes the map.
struct CueEdit {
  spot::CueId cue;
  nlohmann::json fields = nlohmann::json::object();
  std::string reason = "edited";  // kept with the version before ("hits moved on the board")
};

struct CueEdited {
  std::optional<spot::Cue> cue;  // as saved (its contents sorted); none when removed
  bool changed = false;          // false: the edit left the cue as it was, nothing was saved
  int kept_version = 0;          // the number the cue before was kept under (0: there was none)
};

// {"cue": {...as duet.json writes it...} | null, "changed", "kept_version"}
nlohmann::ordered_json to_json(const CueEdited& edited, const time::FrameRate& rate);
// [{"version", "saved", "reason", "cue": {...}}], the oldest first.
nlohmann::ordered_json to_json(const std::vector<project::CueVersion>& versions,
                               const time::FrameRate& rate);

}  // namespace duet::engine
