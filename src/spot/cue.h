// Cues and what the composer writes down about them: hit points, dialogue windows, an emotion
// curve, story tags. Plain values; the project (src/project) reads and writes them as JSON.
//
// Every time here is a time::TimePos on the film timeline: TimePos 0 is timecode 00:00:00:00
// at the project's rate, so a cue at 01:00:10:00 sits at 3,610 s (time::to_time). The timeline
// is the record side of the cut (the EDL's record timecodes). Timecode text belongs to the edges
// (the project file, the faces, the spotting sheet).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "spot/emotion.h"
#include "time/frame_rate.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::spot {

// ---- Cue ids: reel + "M" + number, with an optional letter for a cue inserted later ----
//
// "1M3" is reel 1, cue 3; "2M10" reel 2, cue 10; "1M3A" a cue added between 1M3 and 1M4 after
// the numbering was fixed (the usual habit). Parsing accepts a lower-case "m" and leading zeros
// ("1m03" is 1M3) and writes the canonical form. The bare three-digit form "103" is refused:
// it is ambiguous (1M03 or 10M3?), and the message says to write 1M3.
struct CueId {
  int reel = 1;      // 0..999 (reel 0 is sometimes used for a prologue or main title)
  int number = 1;    // 0..9999
  std::string part;  // "" or one capital letter A..Z

  std::string to_string() const;
  // Sorted by reel, then number, then part ("" before "A"): the order of the spotting sheet.
  friend auto operator<=>(const CueId&, const CueId&) = default;
  friend bool operator==(const CueId&, const CueId&) = default;
};

base::Result<CueId> parse_cue_id(std::string_view text);

// ---- Usage: how the music sits in the film (the cue-sheet codes) ----
enum class Usage {
  background_instrumental,  // BI
  background_vocal,         // BV
  visual_instrumental,      // VI: the source is seen or implied on screen
  visual_vocal,             // VV
  main_title,               // MT
  end_title,                // ET
  source,                   // SRC: source music (radio, band in the scene)
};
// "BI", "BV", "VI", "VV", "MT", "ET", "SRC".
std::string_view usage_code(Usage usage);
// "background instrumental"...
std::string_view usage_name(Usage usage);
// Parses a code, upper or lower case.
base::Result<Usage> parse_usage(std::string_view text);

// ---- Hit points ----
enum class HitKind {
  hard,  // must land within the tolerance
  soft,  // should land; the sync may trade it away
};
std::string_view hit_kind_name(HitKind kind);  // "hard", "soft"
base::Result<HitKind> parse_hit_kind(std::string_view text);

// What the music must put on the hit: a bar's downbeat, any beat, or any point of a
// subdivision grid. A subdivision is a note value 1/n of a whole note: 8 an eighth, 16 a
// sixteenth, 12 an eighth-note triplet, 24 a sixteenth-note triplet; n must divide 7,680 so that
// the grid is a whole number of musical ticks (1,920 per quarter).
struct Landing {
  enum class Kind { downbeat, beat, subdivision };
  Kind kind = Kind::beat;
  int note_value = 0;  // n of 1/n for Kind::subdivision, 0 otherwise

  static Landing downbeat() { return {Kind::downbeat, 0}; }
  static Landing beat() { return {Kind::beat, 0}; }
  static Landing subdivision(int n) { return {Kind::subdivision, n}; }
  // The grid in musical ticks (7,680 / n); only for Kind::subdivision.
  time::BeatDur grid() const { return time::BeatDur(7680 / (note_value > 0 ? note_value : 1)); }
  std::string to_string() const;
  friend bool operator==(const Landing&, const Landing&) = default;
};
// "downbeat", "beat", "8th", "16th", "8th-triplet", "16th-triplet", "32nd", or "1/n" for any
// other n (n must divide 7,680).
base::Result<Landing> parse_landing(std::string_view text);

struct HitPoint {
  time::TimePos at;
  std::string label;  // "door slams"
  HitKind kind = HitKind::hard;
  double weight = 1.0;  // relative importance, > 0 (the sync maximises the landed weight)
  Landing land = Landing::beat();
  bool accent = false;  // the orchestra marks it (a stab, a cymbal), not just the grid
  friend bool operator==(const HitPoint&, const HitPoint&) = default;
};

// ---- Dialogue windows: spans where the music leaves room for speech ----
struct DialogueWindow {
  time::TimePos start;
  time::TimePos end;
  std::string speaker;  // may be empty
  friend bool operator==(const DialogueWindow&, const DialogueWindow&) = default;
};

// ---- The cue ----
struct Cue {
  CueId id;
  std::string title;
  time::TimePos in;   // first frame of the music
  time::TimePos out;  // where it ends (after in)
  Usage usage = Usage::background_instrumental;
  std::string notes;
  std::vector<HitPoint> hits;  // by time
  std::vector<DialogueWindow> dialogue;
  EmotionCurve emotion;
  std::vector<std::string> characters;  // story tags: who is present
  std::vector<std::string> themes;      // story tags: which themes (by name) belong here
  // Set by drafting (merge_draft): the fingerprint of the cue as drafted. A cue whose content
  // still matches it is an untouched draft; empty means the composer's cue. See merge.h.
  std::string draft_fingerprint;
  // The cue's tempo map, once one is chosen (duet sync --apply, or written by hand): its tempo
  // changes, meters, and its origin, the film time of beat 0 (the first downbeat). Clicks,
  // streamers and exports read it from here.
  std::optional<time::TempoMap> tempo_map;
  // The MIDI file the composer kept for the cue (a candidate chosen on the board, or their own
  // file), relative to the project folder; "" when none. score-film and deliver take it unless
  // told another take (engine::find_takes).
  std::string music;

  time::TimeDur duration() const { return out - in; }
  bool is_draft() const { return !draft_fingerprint.empty(); }
  friend bool operator==(const Cue&, const Cue&) = default;
};

// Puts hits, dialogue windows and emotion keyframes in time order (stable).
void sort_contents(Cue& cue);
// Sorts cues by id (the order of the file and the sheet).
void sort_cues(std::vector<Cue>& cues);

// Moves every time of the cue (in, out, hits, dialogue, emotion keyframes) to the start of the
// nearest frame at `rate`: the project file holds timecode, so a cue must sit on frames to be
// saved and read back unchanged (drafts from video analysis do not).
void snap_to_frames(Cue& cue, const time::FrameRate& rate);

}  // namespace duet::spot
