#include "spot/placement.h"

#include "midi/timing.h"

namespace duet::spot {

MidiPlacement place_midi(const midi::MidiFile& file, const Cue& cue, const time::FrameRate& rate) {
  using From = MidiPlacement::From;
  if (const auto at = midi::smpte_start_at(file, rate)) return {*at, From::smpte_offset};
  if (cue.tempo_map) return {cue.tempo_map->origin(), From::tempo_map};
  return {cue.in, From::in_point};
}

std::string_view to_string(MidiPlacement::From from) {
  switch (from) {
    case MidiPlacement::From::smpte_offset:
      return "smpte offset";
    case MidiPlacement::From::tempo_map:
      return "tempo map";
    case MidiPlacement::From::in_point:
      return "in point";
  }
  return "in point";
}

}  // namespace duet::spot
