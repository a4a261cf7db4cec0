#include "values.h"

#include "time/timecode.h"

namespace duet::cli {

TimeText classify(std::string_view text) {
  if (text.find_first_of(":;") != std::string_view::npos) return TimeText::timecode;
  if (!text.empty() && text.back() == 's') return TimeText::seconds;
  return TimeText::other;
}

base::Result<time::TimePos> parse_time_point(std::string_view text, const time::FrameRate& rate,
                                             time::TimePos seconds_origin) {
  if (classify(text) == TimeText::timecode) {
    auto tc = time::parse_timecode(text, rate);
    if (!tc) return tc.error();
    return time::to_time(*tc, rate);
  }
  auto offset = time::parse_seconds(text);
  if (!offset) return offset.error();
  return seconds_origin + *offset;
}

}  // namespace duet::cli
