// Theme input from files: the melody of a Standard MIDI File track and of a MusicXML part, and a
// melody written back as a Standard MIDI File.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "music/theme.h"

namespace duet::music {

struct MidiMelodyOptions {
  // The track to read (0-based, in file order; error messages number tracks from 1, as 'duet
  // midi info' does). Without one, every track's notes are merged and the highest line is taken.
  std::optional<std::size_t> track = std::nullopt;
  // Bars to keep, 1-based and inclusive (the file's time signatures say where they are). Notes
  // that start before the first bar are dropped; a note running past the last bar is cut there.
  std::optional<std::int64_t> first_bar = std::nullopt;
  std::optional<std::int64_t> last_bar = std::nullopt;
};

// The highest line (at each onset the highest note sounds; a note ends where the next begins)
// of a MIDI file's notes, on the musical clock from the start of the first bar that holds a note
// (or the first bar asked for). Starts and lengths are rounded to a 40-tick grid (a 48th of a
// quarter) so that played files do not carry millisecond jitter into the text form. The meter
// is the file's at that bar. Fails when the file does not parse, has SMPTE division (no beats),
// the track does not exist, or no note is left; messages name the track and bars.
base::Result<Melody> melody_from_midi(std::span<const std::uint8_t> bytes,
                                      const MidiMelodyOptions& options = {});

struct MusicXmlMelodyOptions {
  // A part by its part-name or id (<score-part id="P1"><part-name>Flute</part-name>); without
  // one, the first part.
  std::optional<std::string> part = std::nullopt;
};

// The first voice of a partwise MusicXML part: notes, rests, ties (merged into one note),
// durations from <duration> and <divisions> (so dots and tuplets come as written), chords (the
// highest note is kept), <backup>/<forward>, an opening implicit measure as the pickup, and the
// first <time> as the meter. Grace and cue notes are skipped. Fails naming the measure (its
// number attribute) and what is missing; XML syntax errors name the byte offset.
base::Result<Melody> melody_from_musicxml(std::string_view xml,
                                          const MusicXmlMelodyOptions& options = {});

// The same, reading a file; errors start with the file's path.
base::Result<Melody> read_midi_melody(const std::filesystem::path& path,
                                      const MidiMelodyOptions& options = {});
base::Result<Melody> read_musicxml_melody(const std::filesystem::path& path,
                                          const MusicXmlMelodyOptions& options = {});

// A one-track Standard MIDI File (format 1: a conductor track with the meter and tempo, then the
// melody on channel 0 with `program`) at `quarters_per_minute`.
base::Result<std::vector<std::uint8_t>> melody_to_midi(const Melody& melody,
                                                       double quarters_per_minute = 100,
                                                       int program = 0);

}  // namespace duet::music
