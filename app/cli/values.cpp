#include "values.h"

#include "base/error.h"
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

base::Result<void> add_take(std::string_view text, engine::Takes& takes, std::string_view option) {
  const auto eq = text.find('=');
  const auto bad = [&] {
    return base::make_error(base::ErrorKind::invalid_input, option, ": '", text,
                            "' is not ID=RANK or ID=FILE (such as 1M3=2 for the second-best "
                            "candidate, or 1M3=mine.mid)");
  };
  if (eq == std::string_view::npos || eq + 1 >= text.size()) return bad();
  auto id = spot::parse_cue_id(text.substr(0, eq));
  if (!id) return bad();
  const std::string_view value = text.substr(eq + 1);
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 2 || std::stoi(std::string(value)) < 1) {
      return base::make_error(base::ErrorKind::out_of_range, option, ": '", text,
                              "': a candidate's rank counts from 1 (the best) to 64");
    }
    takes.take[*id] = std::stoi(std::string(value));
    takes.midi.erase(*id);
  } else {
    takes.midi[*id] = std::string(value);
    takes.take.erase(*id);
  }
  return {};
}

}  // namespace duet::cli
