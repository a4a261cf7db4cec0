// The spotting sheet: the list of cues the music editor prints and works from.
//
// Namespace duet::exporting (the directory is src/export, but `export` is a C++ keyword).
#pragma once

#include <string>
#include <vector>

#include "spot/cue.h"
#include "time/frame_rate.h"
#include "time/timecode.h"

namespace duet::exporting {

struct Sheet {
  std::string title;
  time::FrameRate rate = time::FrameRate::fps24();
  time::Timecode start{1, 0, 0, 0};  // the picture's first frame
  std::vector<spot::Cue> cues;       // any order; the sheet sorts them by id
};

// CSV (RFC 4180, CRLF-free: one "\n" per row), one row per cue in id order, with the header
// cue,title,in,out,duration,usage,hits,notes. in/out are timecode at the sheet's rate, duration
// the frame count as a timecode label, usage the code (BI...), hits "TC label (hard, downbeat,
// accent); ..." in time order. Fields are quoted when they hold a comma, quote or line break.
std::string sheet_csv(const Sheet& sheet);

// The timeline picture as inline SVG: the film from its start (or the first cue, if earlier) to
// the last cue's out; one lane per cue with a bar from in to out labelled with its id; hit
// points as ticks (hard ones taller); dialogue windows shaded; the emotion curves drawn over each
// bar (valence, arousal, tension). Each cue's bar carries id="cue-<id>".
std::string timeline_svg(const Sheet& sheet);

// A self-contained HTML page (no scripts, no outside files; prints on A4 or Letter landscape):
// the title, the picture's rate and start, the timeline, and a table of the cues with their hits,
// dialogue windows, emotion keyframes, story tags and notes.
std::string sheet_html(const Sheet& sheet);

}  // namespace duet::exporting
