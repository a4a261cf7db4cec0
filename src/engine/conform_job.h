// The conform jobs: two cuts compared (diff_edls), and a project re-fitted to a new cut
// (Session::conform): every cue moved or re-fitted through conform::refit_cue, the composer's
// and duet's MIDI re-fitted bar by bar, each cue's previous version kept.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/result.h"
#include "conform/diff.h"
#include "conform/refit.h"
#include "picture/cut.h"
#include "project/project.h"
#include "time/frame_rate.h"

namespace duet::engine {

struct CutDiffRequest {
  std::filesystem::path old_edl;
  std::filesystem::path new_edl;
  time::FrameRate rate = time::FrameRate::fps24();  // EDLs do not say theirs
};

struct CutDiffReport {
  std::filesystem::path old_edl;
  std::filesystem::path new_edl;
  picture::Cut old_cut;
  picture::Cut new_cut;
  conform::CutDiff diff;
  std::vector<std::string> warnings;  // the lists' own (each names its file)
};

// Reads both lists (errors name the file and line) and compares them.
base::Result<CutDiffReport> diff_edls(const CutDiffRequest& request);

// JSON of a diff: the rate, both cuts' spans, the counts, the changes (kind, old and new
// timecodes and frames, length, reel, events) and the map's segments.
nlohmann::ordered_json to_json(const CutDiffReport& report);

struct ConformRequest {
  std::filesystem::path new_edl;   // the new cut (CMX3600 at the project's rate); required
  std::filesystem::path new_film;  // the new film, when there is one: the project then plays it
  // The folder of the cues' MIDI files (what compose wrote: <cue>-<n>.mid); each file of a cue
  // that moved or changed is re-fitted into `out` under its own name; "" for none.
  std::filesystem::path from;
  // The composer's own MIDI files, by cue (each re-fitted into `out` under its own name).
  std::map<spot::CueId, std::filesystem::path> midi;
  // Where the re-fitted MIDI go; "" for <from>-conformed beside `from` (or beside the first
  // composer's file). Never a file already there.
  std::filesystem::path out;
  bool dry_run = false;  // report only: nothing written, the project unchanged
  // The bars on each side of a splice in compose's candidates (the files in `from`) written anew
  // by compose, everything else locked (Session::conform); false keeps the plain splices. The
  // composer's own files (`midi`) are only spliced: their notes are theirs.
  bool rewrite_joins = true;
};

struct MidiRefitted {
  spot::CueId cue;
  std::filesystem::path from;
  std::filesystem::path to;
  std::vector<std::int64_t> bars_touched;  // in the file's own bars
  // The re-fitted file's bars on each side of a splice (1-based, in order), and whether compose
  // wrote them anew.
  std::vector<std::int64_t> join_bars;
  std::int64_t last_bar = 0;   // the re-fitted file's last bar
  bool composers_own = false;  // from ConformRequest::midi
  bool joins_rewritten = false;
};

struct ConformReport {
  CutDiffReport cut;
  std::vector<conform::CueRefit> cues;  // in the project's cue order
  std::vector<MidiRefitted> midi;
  std::vector<std::filesystem::path> written;  // MIDI files, then duet.json
  std::vector<std::string> warnings;
  bool dry_run = false;
};

// JSON of a conform: the diff (as above) and, per cue, its fate, reasons, times before and
// after, lost hits, bar edits; the MIDI re-fitted and the files written.
nlohmann::ordered_json to_json(const ConformReport& report);

// The conform page (export/conform_page.h) of a diff, and of a conform when given.
std::string conform_html(const CutDiffReport& diff, const ConformReport* conform = nullptr);

// The conform itself, for Session::conform: the project's cut (picture.edl) against the new one.
// The MIDI are written first (into a folder that must not hold them yet), then every cue change
// is saved as a new version, then the project's picture points at the new cut and film.
base::Result<ConformReport> conform_project(project::Project& project,
                                            const ConformRequest& request);

}  // namespace duet::engine
