// Checks of cues, as sentences a composer understands, each pointing at the field it is about.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "spot/cue.h"

namespace duet::spot {

// One thing wrong with a cue list. `field` is a path inside the cue in JSON-pointer form
// ("in", "hits/0/time", "emotion/2/valence"), so that the project can name the place in its file
// ("/cues/<cue>/<field>"); empty for the cue as a whole.
struct Problem {
  std::size_t cue = 0;  // index into the list that was checked
  std::string field;
  std::string message;  // one sentence, no trailing period
};

// How times appear in messages; the project passes timecode at its rate. The default prints
// seconds on the timeline ("3610.000 s").
using TimeText = std::function<std::string(time::TimePos)>;
std::string seconds_text(time::TimePos at);

// Checks one cue: out after in; hits inside the cue (in <= time <= out, a button on the last
// frame is allowed), weights > 0 and finite, subdivisions valid; dialogue windows with start
// before end and overlapping the cue; emotion keyframes in strictly increasing time, inside the
// cue, valence and arousal in -1..1, tension in 0..1 (and finite).
std::vector<Problem> validate_cue(const Cue& cue, std::size_t index = 0,
                                  const TimeText& text = seconds_text);

// Every cue, plus ids used twice (the second one is reported, naming the first).
std::vector<Problem> validate_cues(const std::vector<Cue>& cues,
                                   const TimeText& text = seconds_text);

}  // namespace duet::spot
