// Picture frame rates as exact rationals, with drop-frame counting where it exists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "time/rational.h"
#include "time/units.h"

namespace duet::time {

class FrameRate {
 public:
  // Checks the rate: positive, at most 1000 fps, a whole number of superclock ticks per frame
  // (true of every rate in use: 23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60, 119.88,
  // 120...), and drop-frame only for the 1001 rates whose nominal rate is a multiple of 30.
  static base::Result<FrameRate> create(Rational fps, bool drop_frame = false);

  // Parses "24", "25", "23.976" (or "23.98"), "29.97", "29.97df", "29.97ndf", "29.97 DF",
  // "59.94df", "47.952", "30000/1001", "30000/1001df" and any rate create() accepts.
  // The decimal names of the 1001 rates mean the exact 1001 rate. Without "df" a rate is
  // non-drop.
  static base::Result<FrameRate> parse(std::string_view text);

  // The common rates, ready made.
  static FrameRate fps23_976();
  static FrameRate fps24();
  static FrameRate fps25();
  static FrameRate fps29_97(bool drop_frame);
  static FrameRate fps30();
  static FrameRate fps47_952();
  static FrameRate fps48();
  static FrameRate fps50();
  static FrameRate fps59_94(bool drop_frame);
  static FrameRate fps60();

  const Rational& fps() const { return fps_; }
  bool drop_frame() const { return drop_ > 0; }
  // Frame labels per timecode second: 30 for 29.97, 24 for 23.976.
  int nominal() const { return nominal_; }
  // Labels skipped at the start of each minute not divisible by ten (2 at 29.97 DF, 4 at
  // 59.94 DF, 0 otherwise).
  int dropped_per_minute() const { return drop_; }
  // Exact period: 282,240,000 * den / num superclock ticks.
  TimeDur frame_duration() const { return TimeDur(frame_ticks_); }
  // Frames in 24 hours of timecode labels (the wrap-around point).
  std::int64_t frames_per_day() const;

  // "23.976", "24", "29.97 DF", "29.97 NDF", "59.94 DF", "30000/1001"...
  std::string name() const;

  friend bool operator==(const FrameRate& a, const FrameRate& b) {
    return a.fps_ == b.fps_ && a.drop_ == b.drop_;
  }

 private:
  FrameRate(Rational fps, int nominal, int drop, std::int64_t frame_ticks)
      : fps_(fps), nominal_(nominal), drop_(drop), frame_ticks_(frame_ticks) {}
  Rational fps_;
  int nominal_;
  int drop_;
  std::int64_t frame_ticks_;
};

// ---- Frames on the timeline. Frame 0 starts at TimePos 0, which is timecode 00:00:00:00. ----

inline TimePos time_of_frame(std::int64_t frame, const FrameRate& rate) {
  return TimePos(frame * rate.frame_duration().ticks());
}
// The frame a position falls in (floor): the frame showing at that instant.
std::int64_t frame_at(TimePos position, const FrameRate& rate);
// The frame whose start is nearest to a position (halves go later).
std::int64_t nearest_frame(TimePos position, const FrameRate& rate);
// Exact seconds from frame 0 to the start of a frame.
inline Rational seconds_of_frame(std::int64_t frame, const FrameRate& rate) {
  return Rational(frame) / rate.fps();
}

}  // namespace duet::time
