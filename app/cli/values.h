// Reading the time values people type on the command line.
#pragma once

#include <string_view>

#include "base/result.h"
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

}  // namespace duet::cli
