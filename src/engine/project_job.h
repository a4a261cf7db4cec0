// Making a project: the folder and its duet.json, with the film and the cut it scores. The
// command line's `duet new` and the film demo both make projects here, so that where a project
// stores its files is decided once.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/result.h"
#include "project/manifest.h"
#include "project/project.h"
#include "time/frame_rate.h"
#include "time/timecode.h"

namespace duet::engine {

struct NewProjectRequest {
  std::filesystem::path dir;  // the project folder (made when missing)
  std::string title;          // "" for the folder's name
  // The film and its cut (CMX3600) as typed from the current folder; "" none. The project stores
  // them relative to its folder (store_path).
  std::filesystem::path film;
  std::filesystem::path edl;
  time::FrameRate rate = time::FrameRate::fps24();
  time::Timecode start{1, 0, 0, 0};  // the film's first frame
  // Store an absolute film or cut relative to the project too: for a folder that travels whole
  // with its picture (the demo's). Otherwise an absolute path is kept as typed.
  bool always_relative = false;
};

struct NewProjectReport {
  std::filesystem::path manifest_path;
  project::Manifest manifest;
  std::vector<project::Problem> warnings;  // files it names that are not there (yet)
};

// Makes the project; never overwrites one (fails naming duet.json when it is there).
base::Result<NewProjectReport> create_project(const NewProjectRequest& request);

// A path typed from the current folder as a project at `dir` stores it: relative to the project
// folder (an absolute one kept unless `always_relative`).
std::string store_path(const std::filesystem::path& typed, const std::filesystem::path& dir,
                       bool always_relative = false);

// The files a project names (film, cut, themes' MIDI) that are not there: warnings, since a
// project may be set up before the picture arrives.
std::vector<project::Problem> missing_files(const project::Project& project);

// Cues that end after the project's film does (its first frame at the picture's start, plus the
// length FFmpeg reads from its header), as warnings at /cues/N/out: duet.json alone cannot know
// the film's end. None when there is no film or it cannot be read (missing_files says so).
std::vector<project::Problem> cues_past_the_film(const project::Project& project);

// The project as `duet show --json` prints it and the board reads it (GET /api/project):
// duet.json's own fields, and beside each cue what is derived from it (read-only: an edit sends
// duet.json's fields): its duration (timecode) and seconds, its state (spot::cue_state) and its
// kept versions (number, when, why). `warnings` are the project's, as text.
base::Result<nlohmann::ordered_json> project_json(const project::Project& project,
                                                  const std::vector<project::Problem>& warnings);

}  // namespace duet::engine
