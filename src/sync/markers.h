// Marker lists of streamers, for the music editor and the DAW: a CSV file and a MIDI file whose
// markers sit at each event (with the tempo map, so they land on the DAW's grid).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/streamer.h"
#include "time/frame_rate.h"
#include "time/tempo_map.h"

namespace duet::sync {

// One line per streamer, in the given order, after the header
//   timecode,frame,kind,colour,label,position,streamer_start,punch_frames,flutters
// timecode and frame of the event (frame counted from 00:00:00:00 at `rate`), position its
// bar|beat|tick in the cue's map, streamer_start the timecode of the streamer's first frame,
// flutters the timecodes of the flutter flashes separated by spaces.
std::string streamer_csv(const std::vector<Streamer>& streamers, const time::FrameRate& rate);

struct MarkerMidiOptions {
  int ticks_per_quarter = 960;
  std::string track_name = "Streamers";
  std::optional<time::FrameRate> rate;  // writes an SMPTE offset for the map's origin
};

// A MIDI file with one track: the tempo map (conductor_track), and a marker per streamer at its
// event, named "<COLOUR> <kind>: <label>" ("GREEN start: 1M3 start"). Fails when a streamer
// comes before the map's origin (MIDI ticks start at 0) or there are none.
base::Result<std::vector<std::uint8_t>> streamer_midi(const std::vector<Streamer>& streamers,
                                                      const time::TempoMap& map,
                                                      const MarkerMidiOptions& options = {});

}  // namespace duet::sync
