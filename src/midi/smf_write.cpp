// Standard MIDI File writer.
//
// The writer refuses any model that would not read back as itself (see write_smf in smf.h), so
// that read_smf(write_smf(file)) == file holds for every file it accepts, up to end_tick being
// raised to the last event's tick. Running status is used only between channel messages: meta and
// SysEx events cancel it, as the spec says, so strict readers accept what we write.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "midi/smf.h"
#include "midi/smf_detail.h"

namespace duet::midi {
namespace {

using base::Error;
using base::ErrorKind;
using base::make_error;
using base::Result;

constexpr std::size_t kMaxTracks = 65535;              // the header's track count is 16 bits
constexpr std::uint32_t kMaxTempo = 0xFF'FFFF;         // 24 bits of microseconds per quarter
constexpr std::uint64_t kMaxChunkBytes = 0xFFFF'FFFF;  // 32-bit chunk length

class SmfWriter {
 public:
  explicit SmfWriter(const WriteOptions& options) : running_status_(options.running_status) {}

  Result<std::vector<std::uint8_t>> write(const MidiFile& file) {
    if (const Result<void> header = write_header(file); !header) return header.error();
    for (std::size_t i = 0; i < file.tracks.size(); ++i) {
      if (const Result<void> track = write_track(file.tracks[i], i); !track) return track.error();
    }
    return std::move(out_);
  }

 private:
  Result<void> write_header(const MidiFile& file) {
    if (file.format < 0 || file.format > 2) {
      return make_error(ErrorKind::invalid_input, "format ", file.format,
                        " is not a Standard MIDI File format; expected 0, 1 or 2");
    }
    if (file.format == 0 && file.tracks.size() != 1) {
      return make_error(ErrorKind::invalid_input, "a format 0 file holds exactly one track, not ",
                        file.tracks.size());
    }
    if (file.tracks.size() > kMaxTracks) {
      return make_error(ErrorKind::invalid_input, file.tracks.size(),
                        " tracks do not fit a Standard MIDI File; expected at most 65535");
    }
    const Division& d = file.division;
    std::uint16_t division = 0;
    if (d.kind == Division::Kind::ppq) {
      if (d.ticks_per_quarter < 1 || d.ticks_per_quarter > 32767) {
        return make_error(ErrorKind::invalid_input, "division of ", d.ticks_per_quarter,
                          " ticks per quarter note is out of range; expected 1..32767");
      }
      division = d.ticks_per_quarter;
    } else {
      if (d.smpte_fps != 24 && d.smpte_fps != 25 && d.smpte_fps != 29 && d.smpte_fps != 30) {
        return make_error(ErrorKind::invalid_input, "SMPTE division frame rate ", int{d.smpte_fps},
                          " is not valid; expected 24, 25, 29 or 30");
      }
      if (d.ticks_per_frame == 0) {
        return make_error(ErrorKind::invalid_input,
                          "SMPTE division has 0 ticks per frame; expected 1..255");
      }
      // High byte: minus the frame rate in two's complement; low byte: ticks per frame.
      const auto rate_byte = static_cast<std::uint8_t>(256 - d.smpte_fps);
      division = static_cast<std::uint16_t>((rate_byte << 8) | d.ticks_per_frame);
    }
    append_id("MThd");
    append_be32(6);
    append_be16(static_cast<std::uint16_t>(file.format));
    append_be16(static_cast<std::uint16_t>(file.tracks.size()));
    append_be16(division);
    return {};
  }

  Result<void> write_track(const Track& track, std::size_t index) {
    track_index_ = index;
    at_end_of_track_ = false;
    append_id("MTrk");
    const std::size_t length_at = out_.size();
    append_be32(0);  // patched below, once the length is known
    running_ = 0;
    std::int64_t previous = 0;
    for (std::size_t i = 0; i < track.events.size(); ++i) {
      const Event& event = track.events[i];
      event_index_ = i;
      tick_ = event.tick;
      if (event.tick < previous) {
        return fail(event.tick < 0 ? "the tick is negative"
                                   : "events are out of tick order; expected ticks that never "
                                     "decrease within a track");
      }
      if (const Result<void> delta = append_delta(event.tick - previous); !delta) return delta;
      previous = event.tick;
      if (const Result<void> message = std::visit(*this, event.message); !message) return message;
    }
    if (track.end_tick < 0) {
      return make_error(ErrorKind::invalid_input, "track ", index + 1, ": end tick ",
                        track.end_tick, " is negative");
    }
    const std::int64_t end = std::max(track.end_tick, previous);
    at_end_of_track_ = true;
    tick_ = end;
    if (const Result<void> delta = append_delta(end - previous); !delta) return delta;
    out_.insert(out_.end(), {detail::kMetaStatus, detail::kEndOfTrackType, 0x00});
    const std::uint64_t length = out_.size() - length_at - 4;
    if (length > kMaxChunkBytes) {
      return make_error(ErrorKind::invalid_input, "track ", index + 1, " needs ", length,
                        " bytes, more than a chunk can hold (4294967295)");
    }
    patch_be32(length_at, static_cast<std::uint32_t>(length));
    return {};
  }

 public:
  // std::visit entry points, one per message type.
  Result<void> operator()(const NoteOff& m) {
    return channel(0x80, "note-off", m.channel, m.key, m.velocity);
  }
  Result<void> operator()(const NoteOn& m) {
    return channel(0x90, "note-on", m.channel, m.key, m.velocity);
  }
  Result<void> operator()(const PolyPressure& m) {
    return channel(0xA0, "polyphonic pressure", m.channel, m.key, m.pressure);
  }
  Result<void> operator()(const ControlChange& m) {
    return channel(0xB0, "control change", m.channel, m.controller, m.value);
  }
  Result<void> operator()(const ProgramChange& m) {
    return channel(0xC0, "program change", m.channel, m.program);
  }
  Result<void> operator()(const ChannelPressure& m) {
    return channel(0xD0, "channel pressure", m.channel, m.pressure);
  }
  Result<void> operator()(const PitchBend& m) {
    if (m.value < -detail::kPitchBendCentre || m.value >= detail::kPitchBendCentre) {
      return fail("pitch bend value ", m.value, " is out of range; expected -8192..8191");
    }
    const int wire = m.value + detail::kPitchBendCentre;  // 0..16383
    return channel(0xE0, "pitch bend", m.channel, static_cast<std::uint8_t>(wire & 0x7F),
                   static_cast<std::uint8_t>(wire >> 7));
  }
  Result<void> operator()(const SysEx& m) {
    running_ = 0;
    out_.push_back(m.escape ? detail::kSysExEscapeStatus : detail::kSysExStatus);
    return length_and_data(m.data);
  }
  Result<void> operator()(const SequenceNumber& m) {
    return meta(0x00, {static_cast<std::uint8_t>(m.number >> 8),
                       static_cast<std::uint8_t>(m.number & 0xFF)});
  }
  Result<void> operator()(const Text& m) {
    const auto type = static_cast<std::uint8_t>(m.kind);
    if (type < 0x01 || type > 0x09) {
      return fail("text kind ", int{type}, " is not a text meta type; expected 1..9");
    }
    const auto* first = reinterpret_cast<const std::uint8_t*>(m.text.data());
    return meta(type, std::span<const std::uint8_t>(first, m.text.size()));
  }
  Result<void> operator()(const ChannelPrefix& m) {
    if (m.channel > 15) {
      return fail("channel prefix ", int{m.channel}, " is out of range; expected 0..15");
    }
    return meta(0x20, {m.channel});
  }
  Result<void> operator()(const PortPrefix& m) { return meta(0x21, {m.port}); }
  Result<void> operator()(const SetTempo& m) {
    const std::uint32_t us = m.microseconds_per_quarter;
    if (us == 0 || us > kMaxTempo) {
      return fail("tempo of ", us,
                  " microseconds per quarter note is out of range; expected 1..16777215");
    }
    return meta(0x51, {static_cast<std::uint8_t>(us >> 16), static_cast<std::uint8_t>(us >> 8),
                       static_cast<std::uint8_t>(us)});
  }
  Result<void> operator()(const SmpteOffset& m) {
    return meta(0x54, {m.hours_and_rate, m.minutes, m.seconds, m.frames, m.fractional_frames});
  }
  Result<void> operator()(const TimeSignature& m) {
    return meta(
        0x58, {m.numerator, m.denominator_power, m.clocks_per_click, m.thirty_seconds_per_quarter});
  }
  Result<void> operator()(const KeySignature& m) {
    if (m.sharps < -7 || m.sharps > 7) {
      return fail("key signature of ", int{m.sharps}, " sharps is out of range; expected -7..7");
    }
    return meta(0x59,
                {static_cast<std::uint8_t>(m.sharps), static_cast<std::uint8_t>(m.minor ? 1 : 0)});
  }
  Result<void> operator()(const SequencerSpecific& m) { return meta(0x7F, m.data); }
  Result<void> operator()(const UnknownMeta& m) {
    if (m.type == detail::kEndOfTrackType) {
      return fail("an end-of-track meta event cannot be written as an event; set Track::end_tick");
    }
    if (!std::holds_alternative<UnknownMeta>(detail::decode_meta(m.type, m.data))) {
      return fail("unknown meta event of type ", int{m.type},
                  " holds the standard form of a typed event and would read back as that type; "
                  "use the typed event instead");
    }
    return meta(m.type, m.data);
  }

 private:
  template <class... Args>
  Error fail(Args&&... args) const {
    if (at_end_of_track_) {
      return make_error(ErrorKind::invalid_input, "track ", track_index_ + 1,
                        ", end-of-track (tick ", tick_, "): ", std::forward<Args>(args)...);
    }
    return make_error(ErrorKind::invalid_input, "track ", track_index_ + 1, ", event ",
                      event_index_ + 1, " (tick ", tick_, "): ", std::forward<Args>(args)...);
  }

  Result<void> check_data_byte(std::string_view name, std::string_view field,
                               std::uint8_t value) const {
    if (value > 0x7F) {
      return fail(name, " ", field, " ", int{value}, " is over 127");
    }
    return {};
  }

  // A channel message; `d2` is absent (-1) for the one-data-byte messages.
  Result<void> channel(std::uint8_t kind, std::string_view name, std::uint8_t channel_number,
                       std::uint8_t d1, int d2 = -1) {
    if (channel_number > 15) {
      return fail(name, " channel ", int{channel_number}, " is out of range; expected 0..15");
    }
    if (const Result<void> ok = check_data_byte(name, "first data byte", d1); !ok) return ok;
    if (d2 >= 0) {
      const auto second = static_cast<std::uint8_t>(d2);
      if (const Result<void> ok = check_data_byte(name, "second data byte", second); !ok) return ok;
    }
    const auto status = static_cast<std::uint8_t>(kind | channel_number);
    if (!running_status_ || status != running_) out_.push_back(status);
    running_ = status;
    out_.push_back(d1);
    if (d2 >= 0) out_.push_back(static_cast<std::uint8_t>(d2));
    return {};
  }

  Result<void> meta(std::uint8_t type, std::span<const std::uint8_t> data) {
    running_ = 0;
    out_.push_back(detail::kMetaStatus);
    out_.push_back(type);
    return length_and_data(data);
  }
  Result<void> meta(std::uint8_t type, std::initializer_list<std::uint8_t> data) {
    return meta(type, std::span<const std::uint8_t>(data.begin(), data.size()));
  }

  Result<void> length_and_data(std::span<const std::uint8_t> data) {
    if (data.size() > detail::kMaxVlq) {
      return fail(data.size(),
                  " data bytes are more than a variable-length quantity can count "
                  "(268435455)");
    }
    append_vlq(static_cast<std::uint32_t>(data.size()));
    out_.insert(out_.end(), data.begin(), data.end());
    return {};
  }

  Result<void> append_delta(std::int64_t delta) {
    if (delta > std::int64_t{detail::kMaxVlq}) {
      return fail("the gap of ", delta,
                  " ticks from the previous event is over the 268435455 a delta time can hold");
    }
    append_vlq(static_cast<std::uint32_t>(delta));
    return {};
  }

  // Precondition: value <= kMaxVlq. Big-endian groups of 7 bits, all but the last with bit 7 set.
  void append_vlq(std::uint32_t value) {
    std::uint8_t groups[4];
    int n = 0;
    do {
      groups[n++] = static_cast<std::uint8_t>(value & 0x7F);
      value >>= 7;
    } while (value != 0);
    while (n > 1)
      out_.push_back(static_cast<std::uint8_t>(groups[--n] | 0x80));
    out_.push_back(groups[0]);
  }

  void append_id(std::string_view id) { out_.insert(out_.end(), id.begin(), id.end()); }
  void append_be16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v >> 8));
    out_.push_back(static_cast<std::uint8_t>(v));
  }
  void append_be32(std::uint32_t v) {
    append_be16(static_cast<std::uint16_t>(v >> 16));
    append_be16(static_cast<std::uint16_t>(v));
  }
  void patch_be32(std::size_t at, std::uint32_t v) {
    out_[at] = static_cast<std::uint8_t>(v >> 24);
    out_[at + 1] = static_cast<std::uint8_t>(v >> 16);
    out_[at + 2] = static_cast<std::uint8_t>(v >> 8);
    out_[at + 3] = static_cast<std::uint8_t>(v);
  }

  bool running_status_;
  std::vector<std::uint8_t> out_;
  std::uint8_t running_ = 0;  // status byte in effect for running status, 0 when none
  // Where we are, for error messages.
  std::size_t track_index_ = 0;
  std::size_t event_index_ = 0;
  bool at_end_of_track_ = false;
  std::int64_t tick_ = 0;
};

}  // namespace

Result<std::vector<std::uint8_t>> write_smf(const MidiFile& file, const WriteOptions& options) {
  return SmfWriter(options).write(file);
}

}  // namespace duet::midi
