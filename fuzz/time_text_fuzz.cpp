// Fuzzes the text parsers of src/time (frame rates, timecode, tempo, meter, bar|beat|tick,
// tempo-map entries) and checks their round trips: whatever parses must format and parse back to
// the same value, and every map built must convert monotonically.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace {

using namespace duet::time;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

// Splits the input into lines; line 1 is a frame rate, line 2 a timecode, the rest are
// tempo-map entries (those with '/' after '=' are meters).
std::vector<std::string> lines_of(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> lines(1);
  for (std::size_t i = 0; i < size && lines.size() <= 24; ++i) {
    if (data[i] == '\n') {
      lines.emplace_back();
    } else if (lines.back().size() < 64) {
      lines.back().push_back(static_cast<char>(data[i]));
    }
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> lines = lines_of(data, size);
  auto rate = FrameRate::parse(lines[0]);
  (void)Rational::parse(lines[0]);
  (void)parse_bbt(lines[0]);
  (void)parse_meter(lines[0]);
  (void)parse_tempo(lines[0]);
  if (rate) {
    check(FrameRate::parse(rate->name()).has_value());
    check(*FrameRate::parse(rate->name()) == *rate);
    if (lines.size() > 1) {
      if (auto tc = parse_timecode(lines[1], *rate)) {
        const std::int64_t frame = to_frames(*tc, *rate);
        check(from_frames(frame, *rate) == *tc);
        check(*parse_timecode(format_timecode(*tc, *rate), *rate) == *tc);
        check(frame_at(time_of_frame(frame, *rate), *rate) == frame);
      }
      (void)parse_tempo(lines[1], &*rate);
    }
  }
  std::vector<std::string> tempos, meters;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    const std::size_t eq = lines[i].find('=');
    const bool meter = eq != std::string::npos && lines[i].find('/', eq) != std::string::npos &&
                       lines[i].find('~') == std::string::npos;
    (meter ? meters : tempos).push_back(lines[i]);
  }
  auto map = parse_tempo_map(tempos, meters, TimePos(0), rate ? &*rate : nullptr);
  if (map) {
    auto again = parse_tempo_map(format_tempo_entries(*map), format_meter_entries(map->meters()),
                                 TimePos(0), rate ? &*rate : nullptr);
    check(again.has_value());
    TimePos previous = map->time_at(BeatPos(-1));
    for (std::int64_t b = 0; b < 64 * 1920; b += 97) {
      const TimePos t = map->time_at(BeatPos(b));
      check(previous <= t);
      check(again->time_at(BeatPos(b)) == t);
      const BeatPos back = map->beats_at(t);
      check(back.ticks() >= b - 1 && back.ticks() <= b + 1);
      previous = t;
    }
  }
  return 0;
}
