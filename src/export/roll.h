// A piano-roll picture of a cue's music: what a composer looks at instead of reading a report.
//
// Namespace duet::exporting (the directory is src/export, but `export` is a C++ keyword).
#pragma once

#include <string>

#include "compose/score.h"
#include "spot/cue.h"
#include "time/frame_rate.h"

namespace duet::exporting {

struct RollOptions {
  // The picture's rate: the timecode under the bars is labelled at it.
  time::FrameRate rate = time::FrameRate::fps24();
  // The heading ("1M3 The Chase, candidate 1"); "" writes the cue's id and title.
  std::string title;
  // Horizontal scale in SVG pixels per quarter note, used while the picture stays within
  // max_width; a longer cue is squeezed to max_width (a 30-minute cue included).
  double px_per_quarter = 24;
  double max_width = 6000;  // the whole picture, margins included; at least 800
};

// A self-contained SVG (no scripts, no outside files; it opens in a browser) of the score over
// the cue, x linear in musical time (quarter notes) from the earlier of beat 0 and the cue's in
// to the later of the music's end and the cue's out:
// - every part's notes as bars on a pitch x time grid, a colour per role (the melody strongest
//   and drawn on top), velocity as opacity; the grid spans whole octaves around the notes with a
//   C label (C2, C3 ...) and a line per octave; parts on the General MIDI percussion channel
//   (10) are drawn in a lane of their own under the grid, a row per drum; a <title> per note
//   names its part, pitch, velocity and bar|beat. Each note is one <rect class="note ROLE">.
// - the time axis in bars: bar lines and numbers, beat ticks, meter changes and tempo marks
//   from the score's tempo map; the film's timecode at the options' rate under the grid at
//   round intervals; outside the cue's in..out the grid is greyed.
// - the cue's hit points as vertical lines (class "hit hard": solid, "hit soft": dashed) with
//   their labels at the top; dialogue windows as shaded rects (class "dialogue") over the grid;
//   the score's sections (rehearsal mark and reason), chord symbols and theme uses (brackets
//   naming theme and part) in strips above the bars; the cue's emotion curve sampled over the
//   cue as three lines (valence, arousal, tension; the spotting sheet's colours) in a strip
//   under the grid; a legend naming every part with notes.
// Every text is escaped for XML. The width is the margins plus the music at px_per_quarter,
// at least 800 and at most max_width pixels; the height follows the pitch range and the strips.
// The score's positions are beats of its own tempo map; the cue's times are placed through it.
std::string piano_roll_svg(const compose::Score& score, const spot::Cue& cue,
                           const RollOptions& options = {});

}  // namespace duet::exporting
