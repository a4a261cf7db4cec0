// Where a cue's MIDI file sits on the film: one rule for every job that reads a cue's music
// (duet critique, compose's locks, score-film, export, the craft bench's baseline).
#pragma once

#include <string_view>

#include "midi/smf.h"
#include "spot/cue.h"
#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::spot {

struct MidiPlacement {
  enum class From {
    smpte_offset,  // the file says where it starts
    tempo_map,     // bar 1 of the cue's tempo map
    in_point,      // the cue's first frame
  };
  time::TimePos at;  // where the file's tick 0 lands (TimePos 0 = 00:00:00:00 at the rate)
  From from = From::in_point;
};

// The file's SMPTE offset when it has one (midi::smpte_start_at: read as a timecode label at
// the project's rate, since MIDI writes 23.976 as 24 and 29.97 as 30); else the start of the
// cue's tempo map, where a DAW export of the cue alone begins (bar 1 may lie before the in point
// with a pickup); else the cue's in point.
MidiPlacement place_midi(const midi::MidiFile& file, const Cue& cue, const time::FrameRate& rate);

// "smpte offset", "tempo map" or "in point", as reports print it.
std::string_view to_string(MidiPlacement::From from);

}  // namespace duet::spot
