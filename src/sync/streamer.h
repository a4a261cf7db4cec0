// Streamers and punches: the visual cues a conductor watches on the picture. A streamer is a
// vertical line that crosses the frame left to right over a few seconds and reaches the right
// edge on the frame of an event; the punch is a bright circle on that frame and the next one or
// two. Flutters are optional flashes on the beats just before the event, counting the player in.
//
// Colours follow the scoring-stage habit:
//   green   the start: the cue's first downbeat (bar 1)
//   yellow  a warning: each tempo or meter change inside the cue (where it happens), so the
//           players are not surprised; and a soft hit point (one the music may let pass)
//   white   a hard hit point
//   red     the end of the cue
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "picture/burn.h"
#include "spot/cue.h"
#include "time/frame_rate.h"
#include "time/tempo_map.h"

namespace duet::sync {

enum class StreamerKind { start, warning, hit, end };
std::string_view streamer_kind_name(StreamerKind kind);  // "start", "warning", "hit", "end"

enum class StreamerColour { green, yellow, white, red };
std::string_view colour_name(StreamerColour colour);  // "green", "yellow", "white", "red"
picture::Rgb rgb(StreamerColour colour);

// Every time is on the film timeline (TimePos 0 = timecode 00:00:00:00, as cues are) and starts
// a frame: the punch is on whole frames, and so is the streamer's first frame.
struct Streamer {
  StreamerKind kind = StreamerKind::hit;
  StreamerColour colour = StreamerColour::white;
  std::string label;          // "1M3 start", the hit's label, "tempo 96", "1M3 end"
  time::TimePos at;           // the event's frame: the streamer reaches the right edge here
  time::TimePos sweep_start;  // the streamer's first frame: `at` less the length
  time::TimePos punch_end;    // the first frame after the punch
  std::vector<time::TimePos> flutters;  // one-frame flashes on the beats before `at`
  time::BBT position;  // where the event falls in the cue's tempo map (before moving to its frame)
  friend bool operator==(const Streamer&, const Streamer&) = default;
};

struct StreamerOptions {
  time::TimeDur length = time::TimeDur(3 * time::kSuperclockPerSecond);  // 1 to 10 s; 2-4 usual
  int punch_frames = 2;                                                  // 1 to 6 (2 or 3 usual)
  int flutter_beats = 0;  // flashes on this many beats before each event (0 to 8); 0: none
  bool hits = true;       // streamers for the cue's hit points
  bool changes = true;    // yellow warnings on tempo and meter changes inside the cue
};

// The streamers of one cue with its tempo map, in time order: green on bar 1, the hits, the
// warnings, red at the cue's out. Each event is moved to the start of its nearest frame at
// `rate`. Fails when an option is out of its range.
base::Result<std::vector<Streamer>> cue_streamers(const spot::Cue& cue, const time::TempoMap& map,
                                                  const time::FrameRate& rate,
                                                  const StreamerOptions& options = {});

// The shapes to burn into the film for these streamers: each streamer's sweep, punch and
// flutter flashes, on the film's timeline (`film_start` is the timeline position of the film's
// first frame: to_time of its start timecode).
std::vector<picture::Overlay> streamer_overlays(const std::vector<Streamer>& streamers,
                                                time::TimePos film_start,
                                                const time::FrameRate& rate);

}  // namespace duet::sync
