// The compose job: candidates for a project's cues, written to the cue's picture (tempo map,
// hits, dialogue windows, emotion curve, themes, locks), ranked by the critics, the best kept.
// The command line and the server both run it through engine::Session and print its report.
//
// Call order: Session::open, then Session::compose(request, progress). Nothing is written until
// every cue's candidates are made and judged; then <out>/<cue>-<rank>.mid (compose's file names,
// candidate_file_name), <out>/<cue>-report.txt and .json, and the piano rolls when asked.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compose/approach.h"
#include "compose/candidates.h"
#include "engine/judging.h"
#include "engine/models.h"
#include "engine/progress.h"
#include "spot/cue.h"

namespace duet::engine {

// Material kept from a MIDI file while the rest is written around it: one part, some bars
// (numbered from 1 on the file's own tempo map), or both.
struct ComposeLock {
  std::string file;
  std::optional<std::string> part;
  std::optional<std::pair<std::int64_t, std::int64_t>> bars;  // first, last (inclusive)
};

struct ComposeRequest {
  std::vector<spot::CueId> cues;  // empty: every cue of the project
  int candidates = 8;             // written per cue, 1..64
  int keep = 3;                   // kept, best first; at most `candidates`
  unsigned jobs = 0;       // candidates written at once; 0 = every core (the same music either way)
  std::uint64_t seed = 1;  // the candidates' seeds are drawn from it
  std::vector<ComposeLock> locks;             // one cue only; every lock from the same file
  std::optional<compose::Approach> approach;  // every candidate in one approach
  std::string melody_model;  // a file, "" for the shipped default, "none" (engine/models.h)
  std::string chord_model;   // the same, for the writer's harmony
  std::filesystem::path out = "compose";
  // A piano roll (SVG) per kept candidate: this file for one cue's one kept candidate, else
  // <stem>-<cue>-<rank>.svg beside it. Empty: none.
  std::filesystem::path roll;
};

struct KeptCandidate {
  compose::Candidate candidate;
  std::filesystem::path file;  // where its MIDI file was written
  std::filesystem::path roll;  // its piano roll, empty when none was asked
};

struct ComposedCue {
  spot::Cue cue;
  std::vector<KeptCandidate> kept;
  std::filesystem::path report_txt, report_json;
  std::string text;     // what <cue>-report.txt holds
  nlohmann::json json;  // what <cue>-report.json holds
};

// The figures over every cue's best candidate (docs/composing.md, "Measured").
struct ComposeSummary {
  int cues = 0;
  int hard_hits = 0, hard_hits_landed = 0;
  int sections = 0, sections_in_quadrant = 0;
  int voice_leading_onsets = 0, voice_leading_faults = 0;
  int notes = 0, notes_out_of_range = 0;
  int cues_with_themes = 0;
  double theme_recognisability = 0;  // mean over the cues with themes
};

struct ComposeReport {
  ModelsUsed models;
  std::vector<ComposedCue> cues;
  ComposeSummary summary;
  std::vector<std::string> warnings;  // one sentence each (a lock reaching outside its cue...)
};

// {"cues": [each cue's report.json], "summary": {...}}
nlohmann::json to_json(const ComposeReport& report);
// "best candidates of 3 cues: 5 of 5 hard hits landed; ..." (for more than one cue).
std::string summary_text(const ComposeSummary& summary);

}  // namespace duet::engine
