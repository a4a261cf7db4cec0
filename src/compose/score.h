// A cue's music as the engine writes it and the critics judge it: parts of notes on the musical
// clock under the cue's tempo map, with the plan (sections), the harmony (chords), the themes it
// uses and the hits it marks. MIDI is its hand-off form (to_midi); a composer's own MIDI file can
// be read back into one (from_midi) so that the critics judge it the same way.
//
// Every position is a time::BeatPos (1,920 ticks per quarter) from beat 0 of the tempo map, whose
// origin is the cue's start on the film timeline; tempo_map.time_at(b) is where a note sounds in
// the film.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "midi/smf.h"
#include "music/key.h"
#include "time/frame_rate.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::compose {

struct ScoreNote {
  time::BeatPos start;
  time::BeatDur length;  // > 0
  int pitch = 60;        // sounding MIDI pitch 0..127
  int velocity = 80;     // 1..127
  friend bool operator==(const ScoreNote&, const ScoreNote&) = default;
};

// What a part does in the texture. The voice-leading critic checks the harmony voices (the bass
// and the harmony parts) against each other; the melody critics read the melody part.
enum class Role { melody, countermelody, harmony, bass, pad, ostinato, percussion };
std::string_view to_string(Role role);  // "melody", "countermelody", ...
base::Result<Role> parse_role(std::string_view text);

struct Part {
  std::string name;        // track name: "Violins I", "Horn in F"
  std::string instrument;  // music::orchestra() id ("violin"); "" when unknown (from_midi)
  int program = 0;         // General MIDI program 0..127
  int channel = 0;         // MIDI channel index 0..15 (9 = GM percussion)
  Role role = Role::harmony;
  std::vector<ScoreNote> notes;  // by start, then pitch
  friend bool operator==(const Part&, const Part&) = default;
};

// A chord of the progression: what the harmony voices spell over its span.
struct ScoreChord {
  time::BeatPos at;
  time::BeatDur length;
  std::string symbol;  // lead-sheet symbol, "Cm", "Ab", "G7sus4"
  std::string role;    // "tonic", "dominant", "cadence", "modal mixture", ...
  friend bool operator==(const ScoreChord&, const ScoreChord&) = default;
};

// A section of the plan: from `at` to the next section (or the end).
struct Section {
  time::BeatPos at;
  std::string label;   // rehearsal mark text: "A", "B (door slams)"
  std::string reason;  // why it starts here: "hard hit 'door slams'", "the story turns"
  music::Key key;
  double bpm = 120;  // the tempo the section was planned at (the tempo map is the truth)
  double valence = 0, arousal = 0, tension = 0;  // the target it was written for
  friend bool operator==(const Section&, const Section&) = default;
};

// Where a theme (or a variant of it) is used.
struct ThemeUse {
  std::string theme;       // the registry's name
  std::string derivation;  // how the variant was made: "transposed +5, augmented x2", or
                           // the writer's replayable steps "key D minor; augment 2"
  std::string part;        // the part's name
  time::BeatPos at;
  time::BeatDur length;
  double recognisability = 1.0;  // 0..1 against the theme as registered
  friend bool operator==(const ThemeUse&, const ThemeUse&) = default;
};

struct ScoreHit {
  time::BeatPos at;
  std::string label;
  bool hard = true;
  friend bool operator==(const ScoreHit&, const ScoreHit&) = default;
};

struct Score {
  time::TempoMap tempo_map;  // origin = the cue's start on the film timeline
  time::BeatPos end;         // where the music ends
  std::vector<Part> parts;   // in score order
  std::vector<ScoreChord> chords;
  std::vector<Section> sections;
  std::vector<ThemeUse> themes;
  std::vector<ScoreHit> hits;
  friend bool operator==(const Score&, const Score&) = default;
};

struct MidiExportOptions {
  int ticks_per_quarter = 960;
  // Writes an SMPTE offset for the tempo map's origin at this rate, so that a DAW places the
  // file at the cue's timecode.
  std::optional<time::FrameRate> rate;
  std::string title;  // the conductor track's name ("1M3 The Chase"); "" writes "conductor"
};

// A format-1 Standard MIDI File: a conductor track (name, SMPTE offset, meters, tempos, a marker
// per section "A: reason" and per hit "HIT: label"), then one track per part with its name, its
// instrument id as an instrument-name event, a text event "duet role: melody", its program and its
// notes (musical ticks rescaled to the file's PPQ; positions that do not fall on a file tick
// are rounded to the nearest one). Fails when a note is outside 0..127, a velocity outside 1..127,
// a channel outside 0..15 or the PPQ outside 1..32767.
base::Result<midi::MidiFile> to_midi(const Score& score, const MidiExportOptions& options = {});

// A score from a MIDI file (PPQ division): the tempo map (midi::Timeline::of, origin at the file's
// SMPTE offset when it has one and `origin` is not given), a part per track-and-channel with notes,
// named from the track name, instrument and role from to_midi's events when the track has them,
// else the instrument from the program and the role guessed (channel 10 percussion; among the
// others the part with the highest mean pitch is the melody, the lowest the bass, the rest
// harmony); sections from markers written by to_midi. Fails on SMPTE-division files and
// files with no notes.
base::Result<Score> from_midi(const midi::MidiFile& file,
                              std::optional<time::TimePos> origin = std::nullopt);

// The notes of every part that sound at a position (start <= at < start + length), as pitches.
std::vector<int> sounding_at(const Score& score, time::BeatPos at, bool include_percussion = false);

}  // namespace duet::compose
