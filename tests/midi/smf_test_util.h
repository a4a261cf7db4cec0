// Helpers for the MIDI tests: building SMF bytes by hand, checking where an error points, and
// generating random (valid) models for property tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "midi/smf.h"

namespace duet::midi::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

inline Bytes ascii(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

inline Bytes be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

inline Bytes le32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
          static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
}

// A 14-byte header chunk. `division` is the raw 16-bit field (0x01E0 = 480 PPQ, 0xE728 = -25 fps,
// 40 ticks per frame).
inline Bytes header(std::uint16_t format, std::uint16_t tracks, std::uint16_t division) {
  return concat({ascii("MThd"),
                 be32(6),
                 {static_cast<std::uint8_t>(format >> 8), static_cast<std::uint8_t>(format),
                  static_cast<std::uint8_t>(tracks >> 8), static_cast<std::uint8_t>(tracks),
                  static_cast<std::uint8_t>(division >> 8), static_cast<std::uint8_t>(division)}});
}

// A chunk whose length field is the body's size.
inline Bytes chunk(std::string_view id, const Bytes& body) {
  return concat({ascii(id), be32(static_cast<std::uint32_t>(body.size())), body});
}

inline Bytes track(const Bytes& events) {
  return chunk("MTrk", events);
}

inline const Bytes kEndOfTrack = {0x00, 0xFF, 0x2F, 0x00};  // delta 0, end-of-track

// A format 1, 480 PPQ file with one track holding `events` (which should end in an end-of-track
// when the test wants a clean file).
inline Bytes one_track_file(const Bytes& events, std::uint16_t format = 1) {
  return concat({header(format, 1, 0x01E0), track(events)});
}

// Checks that `result` failed with a message that starts "byte <offset>" and contains `words`.
template <class T>
::testing::AssertionResult error_at(const base::Result<T>& result, std::size_t offset,
                                    std::string_view words = {}) {
  if (result) return ::testing::AssertionFailure() << "expected an error, got a value";
  const std::string& message = result.error().message;
  const std::string prefix = "byte " + std::to_string(offset);
  const bool offset_ok = message.rfind(prefix, 0) == 0 && message.size() > prefix.size() &&
                         (message[prefix.size()] == ':' || message[prefix.size()] == ' ');
  if (!offset_ok) {
    return ::testing::AssertionFailure()
           << "expected \"" << prefix << "...\", got \"" << message << "\"";
  }
  if (message.find(words) == std::string::npos) {
    return ::testing::AssertionFailure() << "expected \"" << words << "\" in \"" << message << "\"";
  }
  return ::testing::AssertionSuccess() << message;
}

// True when some warning contains `words`.
inline bool has_warning(const std::vector<base::Warning>& warnings, std::string_view words) {
  for (const base::Warning& w : warnings) {
    if (w.message.find(words) != std::string::npos) return true;
  }
  return false;
}

// A random message that the writer accepts and the reader gives back as itself.
inline Message random_message(std::mt19937& rng) {
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const auto u8 = [&](int lo, int hi) { return static_cast<std::uint8_t>(pick(lo, hi)); };
  const auto bytes = [&](int max_len) {
    std::vector<std::uint8_t> data(static_cast<std::size_t>(pick(0, max_len)));
    for (auto& b : data)
      b = u8(0, 255);
    return data;
  };
  // Channel messages are the common case in real files; weight them so running status matters.
  const int kind = pick(0, 30);
  const std::uint8_t ch = u8(0, 15);
  switch (kind) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return NoteOn{ch, u8(0, 127), u8(0, 127)};
    case 5:
    case 6:
    case 7:
      return NoteOff{ch, u8(0, 127), u8(0, 127)};
    case 8:
      return PolyPressure{ch, u8(0, 127), u8(0, 127)};
    case 9:
    case 10:
      return ControlChange{ch, u8(0, 127), u8(0, 127)};
    case 11:
      return ProgramChange{ch, u8(0, 127)};
    case 12:
      return ChannelPressure{ch, u8(0, 127)};
    case 13:
      return PitchBend{ch, static_cast<std::int16_t>(pick(-8192, 8191))};
    case 14:
      return SysEx{pick(0, 1) == 1, bytes(20)};
    case 15:
      return SequenceNumber{static_cast<std::uint16_t>(pick(0, 65535))};
    case 16: {
      std::string text;
      for (const std::uint8_t b : bytes(16))
        text.push_back(static_cast<char>(b));
      return Text{static_cast<TextKind>(pick(1, 9)), text};
    }
    case 17:
      return ChannelPrefix{u8(0, 15)};
    case 18:
      return PortPrefix{u8(0, 255)};
    case 19:
      return SetTempo{static_cast<std::uint32_t>(pick(1, 0xFFFFFF))};
    case 20:
      return SmpteOffset{u8(0, 255), u8(0, 255), u8(0, 255), u8(0, 255), u8(0, 255)};
    case 21:
      return TimeSignature{u8(0, 255), u8(0, 255), u8(0, 255), u8(0, 255)};
    case 22:
      return KeySignature{static_cast<std::int8_t>(pick(-7, 7)), pick(0, 1) == 1};
    case 23:
      return SequencerSpecific{bytes(12)};
    case 24: {
      // Types duet does not type, or a typed type in a non-standard form.
      const std::uint8_t types[] = {0x0A, 0x0F, 0x4B, 0x60, 0x7E, 0x80, 0xFE};
      return UnknownMeta{types[pick(0, 6)], bytes(10)};
    }
    case 25:
      return UnknownMeta{0x51, {0x00, 0x00, 0x00}};  // a tempo of 0 is kept verbatim
    case 26:
      return UnknownMeta{0x59, {0x09, 0x00}};  // nine sharps
    case 27:
      return UnknownMeta{0x58, {0x04, 0x02, 0x18}};  // a time signature one byte short
    default:
      return NoteOn{ch, u8(0, 127), 0};  // velocity-0 note-on: an off by convention
  }
}

// A random valid file: any format, either division, up to `max_tracks` tracks of up to
// `max_events` events with gaps that include 0 and deltas near the 28-bit limit.
inline MidiFile random_file(std::uint32_t seed, int max_tracks = 4, int max_events = 60) {
  std::mt19937 rng(seed);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  MidiFile file;
  file.format = pick(0, 2);
  if (pick(0, 3) == 0) {
    const std::uint8_t rates[] = {24, 25, 29, 30};
    file.division = Division{Division::Kind::smpte, 0, rates[pick(0, 3)],
                             static_cast<std::uint8_t>(pick(1, 255))};
  } else {
    file.division.ticks_per_quarter = static_cast<std::uint16_t>(pick(1, 32767));
  }
  const int tracks = file.format == 0 ? 1 : pick(0, max_tracks);
  for (int t = 0; t < tracks; ++t) {
    Track track;
    std::int64_t tick = 0;
    const int events = pick(0, max_events);
    for (int e = 0; e < events; ++e) {
      const int gap_kind = pick(0, 20);
      if (gap_kind == 0) {
        tick += 0x0FFFFFFF;  // the largest delta a file can hold
      } else if (gap_kind < 8) {
        tick += pick(1, 1000);
      }  // else: same tick as the previous event
      track.events.push_back(Event{tick, random_message(rng)});
    }
    track.end_tick = tick + (pick(0, 2) == 0 ? pick(0, 5000) : 0);
    file.tracks.push_back(std::move(track));
  }
  return file;
}

}  // namespace duet::midi::test
