// SMPTE timecode labels: parse, format, and exact conversion to frames, the timeline and seconds.
//
// A label HH:MM:SS:FF names a frame. At non-drop rates it counts nominal() frames per second of
// labels (so 29.97 NDF runs 0.1% slower than the clock on the wall); at drop-frame rates it skips
// labels ;00 and ;01 (;00 to ;03 at 59.94) at the start of every minute not divisible by ten,
// keeping the labels within about 2 frames a day of the clock. Labels run from 00:00:00:00 to
// the last frame before 24:00:00:00.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::time {

struct Timecode {
  int hours = 0;    // 0..23
  int minutes = 0;  // 0..59
  int seconds = 0;  // 0..59
  int frames = 0;   // 0..nominal-1
  friend bool operator==(const Timecode&, const Timecode&) = default;
};

// Parses "HH:MM:SS:FF"; any separator may be ':' or ';' (";" is the drop-frame habit, but the
// rate, not the separator, decides how labels count). Fields have one or two digits (frames up
// to three). Fails with one sentence naming the field and its range, or, at drop-frame rates,
// naming a label that drop-frame counting skips and the label that follows it.
base::Result<Timecode> parse_timecode(std::string_view text, const FrameRate& rate);

// Checks the fields of a label against a rate (the same checks parse_timecode makes).
base::Result<void> validate(const Timecode& tc, const FrameRate& rate);

// "01:00:00:00" at non-drop rates, "01:00:00;00" at drop-frame rates.
std::string format_timecode(const Timecode& tc, const FrameRate& rate);

// Frame number of a label (00:00:00:00 is frame 0). Precondition: validate(tc, rate) succeeds.
std::int64_t to_frames(const Timecode& tc, const FrameRate& rate);

// Label of a frame number; frame numbers outside one day wrap around (frame -1 is the last
// frame of the day before 00:00:00:00, as timecode does on tape and in every DAW).
Timecode from_frames(std::int64_t frame, const FrameRate& rate);

// Timeline position of the start of the labelled frame.
inline TimePos to_time(const Timecode& tc, const FrameRate& rate) {
  return time_of_frame(to_frames(tc, rate), rate);
}
// Label of the frame showing at a timeline position.
inline Timecode timecode_at(TimePos position, const FrameRate& rate) {
  return from_frames(frame_at(position, rate), rate);
}

// A position's timecode as text. Two rules, each for its own question, and every report asks
// through one of these (never format_timecode over its own rounding):
// - label_at: the frame showing at that instant (floor), the SMPTE meaning of a label: where a
//   beat, a note or a hit falls on the picture ("bar 5 lands at 01:00:04:00").
// - nearest_label: the frame whose start is nearest (halves go later): where a time off the
//   frame grid is written down or snapped to (duet.json, the sheets, the cue sheet).
// Times on a frame's start, as every stored cue time is, read the same under both.
std::string label_at(TimePos position, const FrameRate& rate);
std::string nearest_label(TimePos position, const FrameRate& rate);
// A duration counted in frames (nearest) as a timecode label ("00:01:23:12"); "-" first when
// negative.
std::string duration_label(TimeDur d, const FrameRate& rate);

}  // namespace duet::time
