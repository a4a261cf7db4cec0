// Cues in whole seconds for the spot tests.
#pragma once

#include "spot/cue.h"

namespace duet::spot::testing {

inline time::TimePos sec(double s) {
  return time::TimePos(
      static_cast<std::int64_t>(s * static_cast<double>(time::kSuperclockPerSecond)));
}

inline Cue make_cue(const char* id, double in, double out) {
  Cue c;
  c.id = *parse_cue_id(id);
  c.title = std::string("cue ") + id;
  c.in = sec(in);
  c.out = sec(out);
  return c;
}

}  // namespace duet::spot::testing
