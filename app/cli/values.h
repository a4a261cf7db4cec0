// Reading the time values people type on the command line.
#pragma once

#include <string_view>

#include "base/result.h"
#include "engine/deliver_job.h"
#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::cli {

enum class TimeText {
  timecode,  // has ':' or ';' (01:00:10;00)
  seconds,   // ends in 's' (12.5s)
  other,     // a frame number, a bar|beat|tick...
};
TimeText classify(std::string_view text);

// The timeline position of a timecode at `rate`, or of seconds counted from `seconds_origin`.
// Precondition: classify(text) is timecode or seconds.
base::Result<time::TimePos> parse_time_point(std::string_view text, const time::FrameRate& rate,
                                             time::TimePos seconds_origin);

// --take ID=RANK (a candidate compose kept: 2 is the second best) or ID=FILE (a MIDI file of
// the composer's own), added to `takes`; `option` names the option in the message of a failure.
base::Result<void> add_take(std::string_view text, engine::Takes& takes, std::string_view option);

}  // namespace duet::cli
