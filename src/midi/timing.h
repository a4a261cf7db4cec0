// Standard MIDI Files meet the time model: a file's tempo and meter events become a TempoMap and
// its ticks become beat and timeline positions; a TempoMap becomes a conductor track.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "midi/smf.h"
#include "time/frame_rate.h"
#include "time/tempo_map.h"
#include "time/timecode.h"

namespace duet::midi {

// File ticks at a PPQ <-> beat ticks (1,920 per quarter). Exact when the PPQ divides 1,920
// (24, 48, 96, 120, 192, 240, 384, 480, 960, 1920...); otherwise the nearest beat tick, within
// half a beat tick (1/3840 of a quarter).
time::BeatPos beat_of_tick(std::int64_t tick, int ticks_per_quarter);
std::int64_t tick_of_beat(time::BeatPos position, int ticks_per_quarter);

// Where a file's ticks fall. PPQ files have musical time: a tempo map built from every track's
// tempo and time-signature events (format 2: the first track's, since its tracks are independent
// patterns). SMPTE-division files tick in real time and have no beats.
class Timeline {
 public:
  // Never fails: what the time model cannot hold (a tempo over 10,000 or under 1 quarter per
  // minute, a time signature such as 4/3 or 99/4) is clamped or skipped with a warning.
  static Timeline of(const MidiFile& file, std::vector<base::Warning>* warnings = nullptr);

  bool has_beats() const { return division_.kind == Division::Kind::ppq; }
  // The tempo map (PPQ files); for SMPTE files a constant 120 that no position uses.
  const time::TempoMap& tempo_map() const { return map_; }

  // Position on the timeline of a file tick, from the file's tick 0 at TimePos 0.
  time::TimePos time_of_tick(std::int64_t tick) const;
  // Musical position of a file tick (PPQ files only).
  std::optional<time::BeatPos> beat_of(std::int64_t tick) const;

 private:
  Timeline(Division division, time::TempoMap map) : division_(division), map_(std::move(map)) {}
  Division division_;
  time::TempoMap map_;
};

// The SMPTE offset meta event of the first track, as a frame rate and a timeline position,
// when the file has one (where a DAW places tick 0).
struct SmpteStart {
  time::FrameRate rate;
  time::TimePos position;
};
std::optional<SmpteStart> smpte_start(const MidiFile& file);

// Where a DAW puts the file's tick 0 on a project's timeline: the SMPTE offset's label read at
// the project's rate when MIDI's rate code stands for it (it writes 23.976 as 24 and 29.97 NDF as
// 30: the frame count is what the DAW meant), else at the file's own rate (smpte_start). None
// when the file has no offset or its label is not a timecode.
std::optional<time::TimePos> smpte_start_at(const MidiFile& file, const time::FrameRate& rate);

// An SMPTE offset meta event for a timeline position: MIDI knows 24, 25, 29.97 DF and 30 fps,
// so 23.976 is written as 24 and 29.97 NDF as 30 (the labels are kept; DAWs do the same).
SmpteOffset smpte_offset_at(time::TimePos position, const time::FrameRate& rate);

struct ConductorOptions {
  int ticks_per_quarter = 960;
  // Ramps are written as a tempo event at every step (a 16th note by default).
  time::BeatDur ramp_step = time::BeatDur(480);
  std::string track_name;
  // Writes an SMPTE offset for the map's origin at this rate.
  std::optional<time::FrameRate> rate;
};

// A conductor track for a tempo map up to `end`: track name, SMPTE offset, time signatures and
// tempo events. MIDI tempo has 1 µs-per-quarter resolution, so each ramp step's tempo is chosen
// with the rounding error carried forward: every step boundary lands within a microsecond of the
// exact ramp. Fails when the PPQ is outside 1..32767.
base::Result<Track> conductor_track(const time::TempoMap& map, time::BeatPos end,
                                    const ConductorOptions& options = {});

// Inserts an event after any events at the same tick (the order of insertion is kept).
void insert_event(Track& track, Event event);

// A track from notes: name, a program change (unless the channel is 9, General MIDI drums), and
// the notes as note-on/note-off pairs; at the same tick, note-offs come before note-ons so a
// repeated note is not cut off. end_tick is the last note's end.
Track track_from_notes(const std::string& name, std::uint8_t channel, std::uint8_t program,
                       const std::vector<Note>& notes);

}  // namespace duet::midi
