// A cue as text, for the commands that show cues (duet show, duet spot).
#pragma once

#include <iosfwd>

#include "spot/cue.h"
#include "time/frame_rate.h"

namespace duet::cli {

// "1M1 Title (background instrumental)" then one line per hit, dialogue window and emotion
// keyframe (timecode at `rate`), the story tags and the notes.
void print_cue(std::ostream& out, const spot::Cue& cue, const time::FrameRate& rate);

}  // namespace duet::cli
