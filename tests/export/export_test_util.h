// What the export tests share: a timecode at 24 fps as a film time.
#pragma once

#include "time/frame_rate.h"
#include "time/timecode.h"
#include "time/units.h"

namespace duet::exporting::test_support {

// HH:MM:SS:FF at 24 fps.
inline time::TimePos at(int h, int m, int s, int f) {
  return time::to_time(time::Timecode{h, m, s, f}, time::FrameRate::fps24());
}

}  // namespace duet::exporting::test_support
