// The melody of any MIDI file: the track (or channel) that carries the tune, reduced to one note
// at a time, with bar positions from the file's tempo map and the key from its key signature.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "midi/smf.h"
#include "model/sequence.h"

namespace duet::model {

struct MidiMelody {
  Melody melody;
  int track = 0;           // index of the track the melody came from
  int channel = 0;         // its channel (0..15)
  std::string track_name;  // "" when the track has no name
  std::vector<base::Warning> warnings;
};

// Which notes are the melody: the first track whose name contains "melody", "lead" or "vocal"
// (any case); else, among the (track, channel) note streams off the drum channel (9), the one
// with the highest average pitch among the mostly monophonic ones (fewer than half of its notes
// start while another of its notes sounds), or among all when none is. The chosen notes are
// reduced to a skyline: the highest note at each onset, each note cut where the next begins.
// Fails for SMPTE-division files (no beats) and files with no notes off channel 9.
base::Result<MidiMelody> melody_from_midi(const midi::MidiFile& file, std::string id);

// Reads the file and takes its melody; an empty id becomes the file's stem.
base::Result<MidiMelody> read_midi_melody(const std::filesystem::path& path, std::string id = "");

}  // namespace duet::model
