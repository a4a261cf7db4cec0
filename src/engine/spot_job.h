// The spotting jobs: a draft spotting from the picture (spot::draft_spotting over
// picture::analyse_film), printed or merged into the project; and the spotting sheet (CSV and the
// HTML page) of the project's cues.
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/progress.h"
#include "picture/film.h"
#include "spot/draft.h"
#include "spot/merge.h"
#include "time/frame_rate.h"
#include "time/timecode.h"

namespace duet::engine {

struct SpotRequest {
  std::string film;  // the video file; Session::spot's default: the project's picture.film
  std::string edl;   // the editor's cut (CMX3600); default the project's, else none (the cuts
                     // found in the picture make the scenes)
  std::optional<time::FrameRate> rate;  // of the timecodes; default the project's, else the film's
  // The timecode of the film's first frame at that rate, as text ("01:00:00:00"); "": the
  // project's, else the film's own timecode, else 00:00:00:00 (with a warning).
  std::string start;
  spot::DraftOptions draft;
};

struct SpotReport {
  std::string film;        // the file analysed, as named (the project's is under its folder)
  picture::FilmInfo info;  // what the film's header says it holds (its duration...)
  // How much picture was decoded: less than info.duration when the file is damaged or cut short
  // (a warning then says so, and nothing is drafted past it).
  time::TimeDur read;
  time::FrameRate rate = time::FrameRate::fps24();
  time::Timecode start;  // of the film's first frame
  spot::Draft draft;
  // Session::spot: what the merge into the project did (added, kept, replaced as versions...).
  std::optional<spot::MergeResult> merged;
  // Worth telling the composer, not failures: the cut's warnings, a film without timecode.
  std::vector<std::string> warnings;
};

// Drafts a spotting of `request.film` without a project (nothing is written). Progress: one stage,
// "analysing <file name>". Fails, naming the file, when the film or the cut cannot be read, a
// timecode does not parse, the analysis is cancelled (ErrorKind::impossible) or the draft is
// impossible (draft.h).
base::Result<SpotReport> spot_film(const SpotRequest& request, const Progress& progress = {});

// JSON, as `duet spot --json` prints it: the film, the draft's remarks and runs, the cues (as the
// manifest writes them: the merged ones after a merge) and, after a merge, what it did.
nlohmann::ordered_json to_json(const SpotReport& report);

// Where the spotting sheet goes; an empty path is not written.
struct SheetRequest {
  std::filesystem::path csv;
  std::filesystem::path html;
};

struct SheetReport {
  std::string csv;   // export/sheet.h's CSV
  std::string html;  // and its HTML page with the timeline
  std::size_t cues = 0;
  std::vector<std::filesystem::path> written;  // in the order written: the CSV, then the page
};

}  // namespace duet::engine
