// What a MIDI file holds, at a glance: the facts `duet midi info` shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "time/tempo_map.h"

namespace duet::midi {

struct TrackSummary {
  std::size_t index = 0;
  std::string name;        // track-name meta event, empty if none
  std::string instrument;  // instrument-name meta event, empty if none
  std::size_t events = 0;
  std::size_t notes = 0;
  std::vector<int> channels;              // 0..15, sorted, those with notes or channel messages
  std::vector<int> programs;              // program changes in order of first appearance
  int lowest_key = -1, highest_key = -1;  // -1 when the track has no notes
  std::int64_t end_tick = 0;
};

struct Marker {
  std::int64_t tick = 0;
  TextKind kind = TextKind::marker;  // marker or cue point
  std::string text;
};

struct KeyChange {
  std::int64_t tick = 0;
  KeySignature key;
};

struct FileSummary {
  int format = 1;
  Division division;
  std::vector<TrackSummary> tracks;
  std::size_t notes = 0;
  std::int64_t end_tick = 0;  // the latest track end
  time::TimeDur duration;     // from tick 0 to end_tick
  Timeline timeline;          // tempo map (PPQ files) and tick -> time
  std::vector<KeyChange> keys;
  std::vector<Marker> markers;
  std::optional<SmpteStart> smpte_start;
  std::vector<base::Warning> warnings;  // from pairing notes and building the tempo map
};

FileSummary summarize(const MidiFile& file);

// "C major", "F# minor", "Bb major"...
std::string key_name(const KeySignature& key);

}  // namespace duet::midi
