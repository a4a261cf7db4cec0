#include "time/timecode.h"

#include <array>

namespace duet::time {
namespace {

using base::ErrorKind;
using base::make_error;

std::string two(int v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

// A label is skipped by drop-frame counting when it opens a minute not divisible by ten.
bool is_dropped_label(const Timecode& tc, const FrameRate& rate) {
  return rate.drop_frame() && tc.seconds == 0 && tc.frames < rate.dropped_per_minute() &&
         tc.minutes % 10 != 0;
}

}  // namespace

base::Result<void> validate(const Timecode& tc, const FrameRate& rate) {
  struct Field {
    const char* name;
    int value;
    int limit;
  };
  const std::array<Field, 4> fields{{{"hours", tc.hours, 24},
                                     {"minutes", tc.minutes, 60},
                                     {"seconds", tc.seconds, 60},
                                     {"frames", tc.frames, rate.nominal()}}};
  for (const Field& f : fields) {
    if (f.value < 0 || f.value >= f.limit) {
      return make_error(ErrorKind::out_of_range, "timecode ", format_timecode(tc, rate), " has ",
                        f.name, " ", f.value, ", but ", f.name, " run from 00 to ",
                        two(f.limit - 1), " at ", rate.name());
    }
  }
  if (is_dropped_label(tc, rate)) {
    const Timecode next{tc.hours, tc.minutes, 0, rate.dropped_per_minute()};
    return make_error(ErrorKind::out_of_range, "timecode ", format_timecode(tc, rate),
                      " does not exist at ", rate.name(),
                      ": drop-frame counting skips frames 00 to ",
                      two(rate.dropped_per_minute() - 1),
                      " at the start of every minute not divisible by ten; the next label is ",
                      format_timecode(next, rate));
  }
  return {};
}

base::Result<Timecode> parse_timecode(std::string_view text, const FrameRate& rate) {
  std::array<int, 4> values{};
  std::size_t field = 0;
  int digits = 0;
  const auto bad = [&] {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a timecode (expected HH:MM:SS:FF, or HH:MM:SS;FF for drop-frame)");
  };
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (++digits > (field == 3 ? 3 : 2)) return bad();
      values[field] = values[field] * 10 + (c - '0');
    } else if (c == ':' || c == ';') {
      if (digits == 0 || field == 3) return bad();
      ++field;
      digits = 0;
    } else {
      return bad();
    }
  }
  if (field != 3 || digits == 0) return bad();
  const Timecode tc{values[0], values[1], values[2], values[3]};
  if (auto ok = validate(tc, rate); !ok) return ok.error();
  return tc;
}

std::string format_timecode(const Timecode& tc, const FrameRate& rate) {
  return two(tc.hours) + ":" + two(tc.minutes) + ":" + two(tc.seconds) +
         (rate.drop_frame() ? ";" : ":") + two(tc.frames);
}

std::string label_at(TimePos position, const FrameRate& rate) {
  return format_timecode(timecode_at(position, rate), rate);
}

std::string nearest_label(TimePos position, const FrameRate& rate) {
  return format_timecode(from_frames(nearest_frame(position, rate), rate), rate);
}

std::string duration_label(TimeDur d, const FrameRate& rate) {
  const std::int64_t frames = nearest_frame(TimePos(d.ticks()), rate);
  if (frames < 0) return "-" + duration_label(-d, rate);
  return format_timecode(from_frames(frames, rate), rate);
}

std::int64_t to_frames(const Timecode& tc, const FrameRate& rate) {
  const std::int64_t n = rate.nominal();
  const std::int64_t total_minutes = 60 * std::int64_t{tc.hours} + tc.minutes;
  const std::int64_t labels = (60 * total_minutes + tc.seconds) * n + tc.frames;
  // Drop-frame: every minute not divisible by ten skipped `dropped_per_minute` labels.
  return labels - rate.dropped_per_minute() * (total_minutes - total_minutes / 10);
}

Timecode from_frames(std::int64_t frame, const FrameRate& rate) {
  const std::int64_t day = rate.frames_per_day();
  frame %= day;
  if (frame < 0) frame += day;
  const std::int64_t n = rate.nominal();
  std::int64_t label = frame;
  if (rate.drop_frame()) {
    // Put the skipped labels back: 9 minutes of every ten skipped d labels each.
    const std::int64_t d = rate.dropped_per_minute();
    const std::int64_t per_ten_minutes = 600 * n - 9 * d;
    const std::int64_t per_minute = 60 * n - d;
    const std::int64_t tens = frame / per_ten_minutes;
    const std::int64_t rest = frame % per_ten_minutes;
    label += 9 * d * tens;
    if (rest >= d) label += d * ((rest - d) / per_minute);
  }
  Timecode tc;
  tc.frames = static_cast<int>(label % n);
  const std::int64_t total_seconds = label / n;
  tc.seconds = static_cast<int>(total_seconds % 60);
  tc.minutes = static_cast<int>((total_seconds / 60) % 60);
  tc.hours = static_cast<int>(total_seconds / 3600);
  return tc;
}

}  // namespace duet::time
