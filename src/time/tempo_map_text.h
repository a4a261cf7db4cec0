// A compact text form of tempo maps, for the command line and for files people edit:
//
//   tempo changes  "1=120", "5=120~" (ramp, linear in beats, to the next change),
//                  "5|3=90~time" (ramp linear in time), "9=q.=60", "13=12-2" (frame click)
//   meter changes  "1=4/4", "5=3/4"
//
// Positions are bar|beat|tick (see BBT); meters are placed by bar number, so the text form
// round-trips maps whose meter changes fall on bar lines (a MIDI file's mid-bar change does not).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "time/frame_rate.h"
#include "time/tempo_map.h"

namespace duet::time {

// Builds a map from text entries. Without tempo entries the map runs at 120; without a meter at
// bar 1 it starts in 4/4. `rate` is needed only for frame-click tempos. Errors quote the entry.
base::Result<TempoMap> parse_tempo_map(const std::vector<std::string>& tempos,
                                       const std::vector<std::string>& meters,
                                       TimePos origin = TimePos(0),
                                       const FrameRate* rate = nullptr);

// The text entries of a map, such that parse_tempo_map gives the same map back.
std::vector<std::string> format_tempo_entries(const TempoMap& map);
std::vector<std::string> format_meter_entries(const MeterMap& map);

}  // namespace duet::time
