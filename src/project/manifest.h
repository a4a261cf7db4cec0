// The project manifest, duet.json: what a project holds, and its text form
// (docs/project-format.md).
//
// Times inside are time::TimePos on the film timeline (TimePos 0 = timecode 00:00:00:00 at the
// project rate); in the file they are timecode strings at the project rate, so a music editor can
// read them. The text form is canonical: cues sorted by id, their hits, dialogue windows and
// emotion keyframes by time, keys in a fixed order, 2-space indent, a final newline. The same
// manifest always gives the same bytes, so a project diffs well in version control.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "export/cue_sheet.h"
#include "spot/cue.h"
#include "time/frame_rate.h"
#include "time/rational.h"
#include "time/timecode.h"

namespace duet::project {

// The schema this duet writes and the newest it reads.
inline constexpr int kSchemaVersion = 1;
inline constexpr std::string_view kManifestName = "duet.json";

struct Picture {
  std::string film;  // path of the film, relative to the project folder; "" when none yet
  time::FrameRate rate = time::FrameRate::fps24();
  time::Timecode start{1, 0, 0, 0};  // timecode of the film's first frame
  std::string edl;                   // path of the cut (CMX3600), relative; "" when none
  friend bool operator==(const Picture&, const Picture&) = default;
};

// A theme (leitmotif): what it stands for and the theme itself. The melody, key and harmony are
// kept as their text forms (music::parse_melody, music::parse_key, music::parse_harmony) so that
// the file diffs well and reads back byte for byte; validate_manifest checks that they parse.
struct Theme {
  std::string name;        // unique in the project; cues tag themes by this name
  std::string stands_for;  // "Anna", "the sea", "the lie"
  std::string midi;        // path of a MIDI file holding the theme, relative; may be ""
  std::string melody;      // compact melody text ("4/4 D4q F4e A4e D5h | ..."); "" when none
  std::string key;         // "D minor", "Eb lydian"; "" when none
  std::string harmony;     // chord symbols under the melody ("Dm | Bb F | C"); "" when none
  friend bool operator==(const Theme&, const Theme&) = default;
};

struct Settings {
  // How far a hard hit may land from its frame, 0..12 frames, exact: 1/2 is half a frame (the
  // same number as `duet sync --tolerance`, at most three decimals in duet.json).
  time::Rational hit_tolerance_frames{1};
  double tempo_min_bpm = 40.0;   // the tempo range the sync searches, in beats per minute,
  double tempo_max_bpm = 240.0;  // 10 <= min < max <= 400
  friend bool operator==(const Settings&, const Settings&) = default;
};

// What the cue sheet for the rights societies needs (docs/project-format.md, "production"): all
// optional. Shares are checked by validate_manifest (each group sums to 100).
struct Production {
  std::string title;           // the production's title; "" means the project's title
  std::string company;         // the production company
  exporting::Credits credits;  // the writers and publishers of every cue without its own
  bool empty() const { return title.empty() && company.empty() && credits.empty(); }
  friend bool operator==(const Production&, const Production&) = default;
};

struct Manifest {
  std::string title;
  Picture picture;
  std::vector<spot::Cue> cues;
  std::vector<Theme> themes;
  Settings settings;
  Production production;
  // A cue's own credits (its "credits" key), overriding the production's, by cue id.
  std::map<spot::CueId, exporting::Credits> cue_credits;
  friend bool operator==(const Manifest&, const Manifest&) = default;
};

// The production's title (the project's title when none is set).
std::string production_title(const Manifest& manifest);
// The credits of a cue: its own when it has them, else the production's.
const exporting::Credits& credits_for(const Manifest& manifest, const spot::CueId& cue);

// A problem found in a manifest: a JSON pointer ("/cues/2/hits/0/time", "" for the whole file)
// and one sentence.
struct Problem {
  std::string path;
  std::string message;
};
// "duet.json: /cues/2/hits/0/time: <message>" ("duet.json: <message>" without a path).
std::string to_string(const Problem& problem, std::string_view file = kManifestName);

struct ManifestCheck {
  std::optional<Manifest> manifest;  // present exactly when there are no errors
  std::vector<Problem> errors;
  std::vector<Problem> warnings;  // unknown keys, cues before the picture starts...
};

// Reads a manifest from text (any schema version this duet reads, upgraded to the current one)
// and checks it: every error and warning, each with its JSON path.
ManifestCheck check_manifest(std::string_view text);

// The same, as a Result: the first error (with "and N more problems" when there are more).
// Warnings go to `warnings` when given.
base::Result<Manifest> parse_manifest(std::string_view text,
                                      std::vector<Problem>* warnings = nullptr);

// The problems of a manifest held in memory (what check_manifest checks after reading):
// the cues (spot::validate_cues, with times as timecode), theme names, melodies, keys and
// harmonies ("/themes/0/melody: token 3 ..."), settings ranges, times
// within the 24 hours of timecode, credits (names, shares in 0..100 summing to 100 per group:
// "/production/writers", "/cues/2/credits/publishers").
std::vector<Problem> validate_manifest(const Manifest& manifest);

// The canonical text (see above). Times not on a frame are written at the nearest frame; cues
// and their contents are written sorted.
std::string write_manifest(const Manifest& manifest);

// One cue's object as write_manifest writes it in "cues" (its contents sorted; its credits, kept
// beside the cues, left out).
nlohmann::ordered_json write_cue(const spot::Cue& cue, const time::FrameRate& rate);

// Credits as write_manifest writes them ({"writers": [...], "publishers": [...]}, empty groups
// left out), for reports that show them.
nlohmann::ordered_json write_credits(const exporting::Credits& credits);

}  // namespace duet::project
