// Standard MIDI Files: a typed model of every event a file can hold, read and written losslessly
// at the event level (reading what we wrote gives the same events; bytes may differ only in
// running status and variable-length encodings).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/error.h"
#include "base/result.h"

namespace duet::midi {

// ---- Channel voice messages (channel is 0..15; data bytes are 0..127) ----
struct NoteOff {
  std::uint8_t channel = 0, key = 0, velocity = 0;
  friend bool operator==(const NoteOff&, const NoteOff&) = default;
};
// A NoteOn with velocity 0 is kept as written (a note-off by convention); pairing treats it so.
struct NoteOn {
  std::uint8_t channel = 0, key = 0, velocity = 0;
  friend bool operator==(const NoteOn&, const NoteOn&) = default;
};
struct PolyPressure {
  std::uint8_t channel = 0, key = 0, pressure = 0;
  friend bool operator==(const PolyPressure&, const PolyPressure&) = default;
};
struct ControlChange {
  std::uint8_t channel = 0, controller = 0, value = 0;
  friend bool operator==(const ControlChange&, const ControlChange&) = default;
};
struct ProgramChange {
  std::uint8_t channel = 0, program = 0;
  friend bool operator==(const ProgramChange&, const ProgramChange&) = default;
};
struct ChannelPressure {
  std::uint8_t channel = 0, pressure = 0;
  friend bool operator==(const ChannelPressure&, const ChannelPressure&) = default;
};
// value: -8192..8191, 0 = centre.
struct PitchBend {
  std::uint8_t channel = 0;
  std::int16_t value = 0;
  friend bool operator==(const PitchBend&, const PitchBend&) = default;
};

// ---- System exclusive: F0 (complete or first packet) or F7 (continuation / escape) ----
struct SysEx {
  bool escape = false;             // true: written with F7
  std::vector<std::uint8_t> data;  // bytes after the length, as in the file (F0 form ends in F7)
  friend bool operator==(const SysEx&, const SysEx&) = default;
};

// ---- Meta events ----
struct SequenceNumber {
  std::uint16_t number = 0;
  friend bool operator==(const SequenceNumber&, const SequenceNumber&) = default;
};
enum class TextKind : std::uint8_t {
  text = 0x01,
  copyright = 0x02,
  track_name = 0x03,
  instrument_name = 0x04,
  lyric = 0x05,
  marker = 0x06,
  cue_point = 0x07,
  program_name = 0x08,
  device_name = 0x09,
};
// Text is kept as bytes (files use Latin-1, Shift-JIS, UTF-8...); text() never transcodes.
struct Text {
  TextKind kind = TextKind::text;
  std::string text;
  friend bool operator==(const Text&, const Text&) = default;
};
struct ChannelPrefix {
  std::uint8_t channel = 0;
  friend bool operator==(const ChannelPrefix&, const ChannelPrefix&) = default;
};
struct PortPrefix {
  std::uint8_t port = 0;
  friend bool operator==(const PortPrefix&, const PortPrefix&) = default;
};
// Microseconds per quarter note, 1..16777215.
struct SetTempo {
  std::uint32_t microseconds_per_quarter = 500000;
  friend bool operator==(const SetTempo&, const SetTempo&) = default;
};
// hours byte carries the rate in bits 5-6 (0: 24, 1: 25, 2: 29.97 drop, 3: 30) as in the file.
struct SmpteOffset {
  std::uint8_t hours_and_rate = 0, minutes = 0, seconds = 0, frames = 0, fractional_frames = 0;
  friend bool operator==(const SmpteOffset&, const SmpteOffset&) = default;
};
struct TimeSignature {
  std::uint8_t numerator = 4;
  std::uint8_t denominator_power = 2;  // denominator = 2^power
  std::uint8_t clocks_per_click = 24;
  std::uint8_t thirty_seconds_per_quarter = 8;
  friend bool operator==(const TimeSignature&, const TimeSignature&) = default;
};
struct KeySignature {
  std::int8_t sharps = 0;  // -7..7, negative = flats
  bool minor = false;
  friend bool operator==(const KeySignature&, const KeySignature&) = default;
};
struct SequencerSpecific {
  std::vector<std::uint8_t> data;
  friend bool operator==(const SequencerSpecific&, const SequencerSpecific&) = default;
};
// Any meta type not above (and known types whose length is not the standard one), kept verbatim.
struct UnknownMeta {
  std::uint8_t type = 0;
  std::vector<std::uint8_t> data;
  friend bool operator==(const UnknownMeta&, const UnknownMeta&) = default;
};

using Message =
    std::variant<NoteOff, NoteOn, PolyPressure, ControlChange, ProgramChange, ChannelPressure,
                 PitchBend, SysEx, SequenceNumber, Text, ChannelPrefix, PortPrefix, SetTempo,
                 SmpteOffset, TimeSignature, KeySignature, SequencerSpecific, UnknownMeta>;

struct Event {
  std::int64_t tick = 0;  // absolute, in the file's division units, from the track's start
  Message message;
  friend bool operator==(const Event&, const Event&) = default;
};

// One track chunk. End-of-track is not an event: it is `end_tick` (>= the last event's tick);
// the writer always emits it.
struct Track {
  std::vector<Event> events;  // in file order (non-decreasing tick)
  std::int64_t end_tick = 0;
  friend bool operator==(const Track&, const Track&) = default;
};

// The header's division: ticks per quarter note, or SMPTE frames per second and ticks per frame.
struct Division {
  enum class Kind { ppq, smpte } kind = Kind::ppq;
  std::uint16_t ticks_per_quarter = 480;  // kind == ppq; 1..32767
  std::uint8_t smpte_fps = 0;             // kind == smpte: 24, 25, 29 (29.97 drop) or 30
  std::uint8_t ticks_per_frame = 0;       // kind == smpte
  friend bool operator==(const Division&, const Division&) = default;
};

struct MidiFile {
  int format = 1;  // 0, 1 or 2
  Division division;
  std::vector<Track> tracks;
  friend bool operator==(const MidiFile&, const MidiFile&) = default;
};

struct ReadOptions {
  // Upper bound on events in one file, a guard against memory blow-up on hostile input.
  std::size_t max_events = 50'000'000;
};

// What the reader tolerated (missing end-of-track, header track count that disagrees with the
// chunks, a RIFF RMID wrapper...). Each says where, like errors do.
struct ReadReport {
  MidiFile file;
  std::vector<base::Warning> warnings;
};

// Parses a whole file held in memory. Errors name the byte offset and what was expected.
base::Result<ReadReport> read_smf(std::span<const std::uint8_t> bytes,
                                  const ReadOptions& options = {});

struct WriteOptions {
  bool running_status = true;
};

// Serialises a file. Fails (ErrorKind::invalid_input) when the model cannot be written as a valid
// SMF: format 0 with other than one track, a data byte over 127, events out of tick order,
// a tempo of 0 or over 24 bits, a division out of range.
base::Result<std::vector<std::uint8_t>> write_smf(const MidiFile& file,
                                                  const WriteOptions& options = {});

// A note paired from its on and off events.
struct Note {
  std::uint8_t channel = 0, key = 0, velocity = 0, off_velocity = 0;
  std::int64_t start = 0;     // tick of the note-on
  std::int64_t duration = 0;  // ticks to the matching note-off (0 allowed)
  friend bool operator==(const Note&, const Note&) = default;
};

// Pairs note-ons with note-offs (or note-ons of velocity 0) on the same channel and key, first in
// first out: overlapping notes of the same pitch end in the order they began. Notes that never end
// are closed at the track's end_tick with a warning; stray note-offs are ignored with a warning.
// Notes come out sorted by start, then by file order.
std::vector<Note> pair_notes(const Track& track, std::vector<base::Warning>* warnings = nullptr);

}  // namespace duet::midi
