// Standard MIDI File reader.
//
// Every offset in an error or warning is a byte offset from the start of the span given to
// read_smf (so it counts the RIFF wrapper when there is one), and tracks are counted from 1 as
// DAWs show them ("track 1" is MidiFile::tracks[0]).
//
// What is tolerated (read, with a Warning) and what is rejected (an Error), and why:
//  - Tolerated: damage where every event the file holds can still be read unambiguously.
//    * A track chunk without end-of-track: its end is the last event's tick.
//    * Bytes after an end-of-track inside its chunk: ignored (many writers pad chunks).
//    * An end-of-track meta event with data bytes: still the end of the track.
//    * A header track count that disagrees with the track chunks found: the chunks win.
//    * A format 0 header over several track chunks: read as format 1, since every chunk is kept.
//    * A header chunk longer than 6 bytes: the extra bytes are ignored (the spec allows growth).
//    * The last track chunk declaring more bytes than the file holds, when its events parse
//      completely up to an end-of-track: the length field is wrong, not the events.
//    * Bytes after the last chunk, once every declared track has been read: ignored (padding).
//    * Chunks of unknown type: skipped, as the spec asks.
//    * Running status carried across meta and SysEx events (the spec says they cancel it).
//    * Known meta types in a non-standard form: kept verbatim as UnknownMeta.
//    * A RIFF RMID wrapper: the file in its 'data' chunk is read.
//  - Rejected: anything where an event would be lost, cut or guessed.
//    * A header or chunk header cut off, a chunk that ends in the middle of an event, a last chunk
//      that runs past the end of the file without reaching an end-of-track (the file was cut).
//    * Variable-length quantities over 4 bytes, a missing data byte or a status byte where a data
//      byte must be, a data byte with no running status, system common/real-time status bytes.
//    * A zero PPQ, an SMPTE rate other than 24/25/29/30, zero SMPTE ticks per frame, format > 2.
//    * Bytes that are not a chunk where a declared track is still missing.
//    * More events than ReadOptions::max_events, or more than 65535 track chunks.
//  - At most 1000 warnings are listed, then one that counts the rest.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "midi/smf.h"
#include "midi/smf_detail.h"

namespace duet::midi {
namespace {

using base::cat;
using base::Error;
using base::ErrorKind;
using base::make_error;
using base::Result;
using base::Warning;

constexpr std::size_t kChunkHeaderBytes = 8;  // 4-byte ID, 4-byte big-endian length
constexpr std::size_t kHeaderDataBytes = 6;   // format, track count, division
constexpr std::size_t kMaxVlqBytes = 4;
constexpr std::size_t kMaxTracks = 65535;  // the header's track count is 16 bits

std::string hex(std::uint8_t byte) {
  constexpr std::string_view digits = "0123456789ABCDEF";
  return {'0', 'x', digits[byte >> 4], digits[byte & 0x0F]};
}

// "byte 1234" or "byte 1234 (track 3)". Messages count tracks from 1, as DAWs show them;
// `track` is the 0-based index into MidiFile::tracks.
std::string where(std::size_t offset, std::optional<std::size_t> track) {
  if (track) return cat("byte ", offset, " (track ", *track + 1, ")");
  return cat("byte ", offset);
}

std::uint32_t read_be32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

std::uint32_t read_le32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return std::uint32_t{bytes[at]} | (std::uint32_t{bytes[at + 1]} << 8) |
         (std::uint32_t{bytes[at + 2]} << 16) | (std::uint32_t{bytes[at + 3]} << 24);
}

std::uint16_t read_be16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

// Precondition: 4 bytes at `at`.
bool is_id(std::span<const std::uint8_t> bytes, std::size_t at, std::string_view id) {
  return std::equal(id.begin(), id.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; });
}

// A chunk ID is four printable ASCII characters; anything else is not a chunk.
bool is_printable_id(std::span<const std::uint8_t> bytes, std::size_t at) {
  return std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     bytes.begin() + static_cast<std::ptrdiff_t>(at + 4),
                     [](std::uint8_t b) { return b >= 0x20 && b <= 0x7E; });
}

// Up to 4 bytes at `at`, quoted when printable, else as hex bytes.
std::string describe_id(std::span<const std::uint8_t> bytes, std::size_t at) {
  const std::size_t n = std::min<std::size_t>(4, bytes.size() - at);
  const auto first = bytes.begin() + static_cast<std::ptrdiff_t>(at);
  if (n == 4 && is_printable_id(bytes, at)) return cat("'", std::string(first, first + 4), "'");
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += (i ? " " : "") + hex(bytes[at + i]);
  return out.empty() ? "nothing" : out;
}

std::string_view channel_message_name(std::uint8_t status) {
  switch (status >> 4) {
    case 0x8:
      return "note-off";
    case 0x9:
      return "note-on";
    case 0xA:
      return "polyphonic pressure";
    case 0xB:
      return "control change";
    case 0xC:
      return "program change";
    case 0xD:
      return "channel pressure";
    default:
      return "pitch bend";
  }
}

Message make_channel_message(std::uint8_t status, std::uint8_t d1, std::uint8_t d2) {
  const auto channel = static_cast<std::uint8_t>(status & 0x0F);
  switch (status >> 4) {
    case 0x8:
      return NoteOff{channel, d1, d2};
    case 0x9:
      return NoteOn{channel, d1, d2};
    case 0xA:
      return PolyPressure{channel, d1, d2};
    case 0xB:
      return ControlChange{channel, d1, d2};
    case 0xC:
      return ProgramChange{channel, d1};
    case 0xD:
      return ChannelPressure{channel, d1};
    default:
      return PitchBend{channel,
                       static_cast<std::int16_t>(((d2 << 7) | d1) - detail::kPitchBendCentre)};
  }
}

// Collects warnings, keeping at most kMaxWarnings: hostile input (thousands of unknown chunks) must
// not turn a small file into a large list, and a person reads only the first few anyway.
class WarningSink {
 public:
  static constexpr std::size_t kMaxWarnings = 1000;

  template <class... Args>
  void add(std::size_t at, std::optional<std::size_t> track, Args&&... args) {
    if (list_.size() >= kMaxWarnings) {
      ++dropped_;
      return;
    }
    list_.push_back(Warning{cat(where(at, track), ": ", std::forward<Args>(args)...)});
  }

  std::vector<Warning> take() {
    if (dropped_ > 0) {
      list_.push_back(Warning{cat(dropped_, " more warnings were not listed")});
    }
    return std::move(list_);
  }

 private:
  std::vector<Warning> list_;
  std::size_t dropped_ = 0;
};

// What one track chunk gave.
struct TrackOutcome {
  Track track;
  bool ended = false;               // an end-of-track meta event was found
  std::size_t end_of_track_at = 0;  // offset of its status byte, when ended
  std::size_t stop = 0;  // offset just past the last byte read (past the end-of-track if ended)
};

// Reads the events of one track chunk in bytes[begin, limit). `declared_end` is where the chunk's
// length says it ends; when it is past `limit` the file was cut and the messages say so.
class TrackReader {
 public:
  TrackReader(std::span<const std::uint8_t> bytes, std::size_t begin, std::size_t limit,
              std::uint64_t declared_end, std::size_t track_index, std::size_t& event_count,
              const ReadOptions& options, WarningSink& warnings)
      : bytes_(bytes),
        begin_(begin),
        pos_(begin),
        limit_(limit),
        declared_end_(declared_end),
        track_index_(track_index),
        event_count_(event_count),
        options_(options),
        warnings_(warnings) {}

  Result<TrackOutcome> read() {
    TrackOutcome outcome;
    std::int64_t tick = 0;
    std::uint8_t running = 0;  // last channel status, 0 when none
    while (pos_ < limit_) {
      const Result<std::uint32_t> delta = vlq("delta time");
      if (!delta) return delta.error();
      tick += *delta;
      if (pos_ >= limit_) return cut_off("an event after the delta time");
      const std::size_t status_at = pos_;
      std::uint8_t status = bytes_[pos_];
      if (status < 0x80) {
        if (running == 0) {
          return fail(status_at, "data byte ", hex(status),
                      " with no running status in effect; expected a status byte (0x80..0xEF, "
                      "0xF0, 0xF7 or 0xFF)");
        }
        status = running;  // running status: the byte is the first data byte
      } else {
        ++pos_;
      }

      Message message;
      if (status < 0xF0) {
        running = status;
        const std::string_view name = channel_message_name(status);
        const Result<std::uint8_t> d1 = data_byte(name);
        if (!d1) return d1.error();
        std::uint8_t d2 = 0;
        const std::uint8_t kind = status >> 4;
        if (kind != 0xC && kind != 0xD) {
          const Result<std::uint8_t> second = data_byte(name);
          if (!second) return second.error();
          d2 = *second;
        }
        message = make_channel_message(status, *d1, d2);
      } else if (status == detail::kSysExStatus || status == detail::kSysExEscapeStatus) {
        // Running status is kept across SysEx (tolerated; see the top of this file).
        Result<std::vector<std::uint8_t>> data =
            length_and_data("system exclusive", "system exclusive length");
        if (!data) return data.error();
        message = SysEx{status == detail::kSysExEscapeStatus, std::move(*data)};
      } else if (status == detail::kMetaStatus) {
        if (pos_ >= limit_) return cut_off("a meta event type");
        const std::uint8_t type = bytes_[pos_++];
        Result<std::vector<std::uint8_t>> data = length_and_data("meta event", "meta event length");
        if (!data) return data.error();
        if (type == detail::kEndOfTrackType) {
          if (!data->empty()) {
            warn(status_at, "end-of-track meta event carries ", data->size(),
                 " data bytes (standard: 0); taken as the end of the track");
          }
          outcome.ended = true;
          outcome.end_of_track_at = status_at;
          outcome.track.end_tick = tick;
          outcome.stop = pos_;
          return outcome;
        }
        message = detail::decode_meta(type, *data);
        if (std::holds_alternative<UnknownMeta>(message)) {
          const std::string_view name = detail::known_meta_name(type);
          if (!name.empty()) {
            warn(status_at, name, " meta event (type ", hex(type), ") of ", data->size(),
                 " bytes is not in its standard form; kept verbatim as an unknown meta event");
          }
        }
      } else {
        return fail(status_at, "status byte ", hex(status),
                    " (system common or real-time) cannot start an event in a track; expected "
                    "0x80..0xEF, 0xF0, 0xF7 or 0xFF");
      }

      if (event_count_ >= options_.max_events) {
        return make_error(ErrorKind::out_of_range, where(status_at, track_index_), ": more than ",
                          options_.max_events,
                          " events (ReadOptions::max_events); raise the limit to read this file");
      }
      ++event_count_;
      outcome.track.events.push_back(Event{tick, std::move(message)});
    }
    outcome.track.end_tick = tick;
    outcome.stop = pos_;
    return outcome;
  }

 private:
  template <class... Args>
  Error fail(std::size_t at, Args&&... args) const {
    return make_error(ErrorKind::invalid_input, where(at, track_index_), ": ",
                      std::forward<Args>(args)...);
  }

  template <class... Args>
  void warn(std::size_t at, Args&&... args) {
    warnings_.add(at, track_index_, std::forward<Args>(args)...);
  }

  // The bytes ran out at pos_ while `expected` was still to come.
  Error cut_off(std::string_view expected) const {
    if (declared_end_ > limit_) {
      return fail(pos_, "the data ends in the middle of an event (the track chunk at byte ",
                  begin_ - kChunkHeaderBytes, " declares ", declared_end_ - begin_,
                  " bytes but only ", limit_ - begin_, " are present); expected ", expected);
    }
    return fail(pos_, "the track chunk ends in the middle of an event; expected ", expected);
  }

  Result<std::uint32_t> vlq(std::string_view what) {
    const std::size_t start = pos_;
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < kMaxVlqBytes; ++i) {
      if (pos_ >= limit_) return cut_off(cat("the rest of the ", what));
      const std::uint8_t byte = bytes_[pos_++];
      value = (value << 7) | (byte & 0x7Fu);
      if ((byte & 0x80) == 0) return value;
    }
    return fail(start, what,
                " is a variable-length quantity longer than 4 bytes; expected at most 4 bytes, the "
                "last below 0x80");
  }

  Result<std::uint8_t> data_byte(std::string_view event_name) {
    if (pos_ >= limit_) return cut_off(cat("a data byte of the ", event_name));
    const std::uint8_t byte = bytes_[pos_];
    if (byte >= 0x80) {
      return fail(pos_, "found ", hex(byte), " where a data byte of the ", event_name,
                  " must be; expected a data byte (0x00..0x7F)");
    }
    ++pos_;
    return byte;
  }

  // A variable-length length, then that many bytes. The length is checked against the bytes left
  // before anything is allocated.
  Result<std::vector<std::uint8_t>> length_and_data(std::string_view event_name,
                                                    std::string_view length_name) {
    const Result<std::uint32_t> length = vlq(length_name);
    if (!length) return length.error();
    if (*length > limit_ - pos_) {
      const std::size_t found = limit_ - pos_;
      if (declared_end_ > limit_) {
        return fail(limit_, "the data ends in the middle of a ", event_name,
                    " (the track chunk at byte ", begin_ - kChunkHeaderBytes, " declares ",
                    declared_end_ - begin_, " bytes but only ", limit_ - begin_,
                    " are present); expected ", *length, " data bytes, found ", found);
      }
      return fail(limit_, "the track chunk ends in the middle of a ", event_name, "; expected ",
                  *length, " data bytes, found ", found);
    }
    const auto first = bytes_.begin() + static_cast<std::ptrdiff_t>(pos_);
    pos_ += *length;
    return std::vector<std::uint8_t>(first, first + static_cast<std::ptrdiff_t>(*length));
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t begin_;
  std::size_t pos_;
  std::size_t limit_;
  std::uint64_t declared_end_;
  std::size_t track_index_;
  std::size_t& event_count_;
  const ReadOptions& options_;
  WarningSink& warnings_;
};

class SmfReader {
 public:
  SmfReader(std::span<const std::uint8_t> bytes, const ReadOptions& options)
      : bytes_(bytes), options_(options) {}

  Result<ReadReport> read() {
    std::size_t begin = 0;
    std::size_t end = bytes_.size();
    if (bytes_.size() >= 4 && is_id(bytes_, 0, "RIFF")) {
      const Result<std::pair<std::size_t, std::size_t>> inner = unwrap_riff();
      if (!inner) return inner.error();
      begin = inner->first;
      end = inner->second;
    }
    if (const Result<void> header = read_header(begin, end); !header) return header.error();
    if (const Result<void> chunks = read_chunks(end); !chunks) return chunks.error();
    return ReadReport{std::move(file_), warnings_.take()};
  }

 private:
  template <class... Args>
  static Error fail(std::size_t at, Args&&... args) {
    return make_error(ErrorKind::invalid_input, where(at, std::nullopt), ": ",
                      std::forward<Args>(args)...);
  }

  template <class... Args>
  void warn(std::size_t at, Args&&... args) {
    warnings_.add(at, std::nullopt, std::forward<Args>(args)...);
  }

  template <class... Args>
  void warn_track(std::size_t at, std::size_t track, Args&&... args) {
    warnings_.add(at, track, std::forward<Args>(args)...);
  }

  // RIFF 'RMID' (little-endian lengths): the SMF is the body of the 'data' sub-chunk. Returns the
  // [begin, end) range of that body.
  Result<std::pair<std::size_t, std::size_t>> unwrap_riff() {
    constexpr std::size_t kRiffHeaderBytes = 12;  // 'RIFF', length, form type
    if (bytes_.size() < kRiffHeaderBytes) {
      return fail(bytes_.size(),
                  "the RIFF header is cut off; expected 12 bytes ('RIFF', length, "
                  "'RMID'), found ",
                  bytes_.size());
    }
    if (!is_id(bytes_, 8, "RMID")) {
      return make_error(ErrorKind::unsupported, "byte 8: RIFF form type ", describe_id(bytes_, 8),
                        " is not a MIDI file; expected 'RMID'");
    }
    std::size_t pos = kRiffHeaderBytes;
    while (bytes_.size() - pos >= kChunkHeaderBytes) {
      const std::uint64_t size = read_le32(bytes_, pos + 4);
      const std::size_t body = pos + kChunkHeaderBytes;
      const std::size_t left = bytes_.size() - body;
      if (is_id(bytes_, pos, "data")) {
        std::size_t body_end = bytes_.size();
        if (size > left) {
          warn(pos, "RIFF 'data' chunk declares ", size, " bytes but only ", left,
               " remain; the Standard MIDI File inside is read up to the end of the data");
        } else {
          body_end = body + static_cast<std::size_t>(size);
        }
        warn(0, "RIFF RMID wrapper; read the Standard MIDI File in its 'data' chunk at byte ",
             body);
        return std::pair{body, body_end};
      }
      const std::uint64_t padded = size + (size & 1);  // RIFF chunks are padded to even length
      if (padded > left) break;
      pos = body + static_cast<std::size_t>(padded);
    }
    return fail(pos,
                "the RIFF RMID file has no 'data' chunk; expected a 'data' chunk holding a "
                "Standard MIDI File");
  }

  Result<void> read_header(std::size_t begin, std::size_t end) {
    const std::size_t avail = end - begin;
    constexpr std::string_view kMThd = "MThd";
    const bool prefix_matches = std::equal(
        bytes_.begin() + static_cast<std::ptrdiff_t>(begin),
        bytes_.begin() + static_cast<std::ptrdiff_t>(begin + std::min(avail, std::size_t{4})),
        kMThd.begin(), [](std::uint8_t b, char c) { return b == static_cast<std::uint8_t>(c); });
    if (!prefix_matches) {
      return fail(begin,
                  "not a Standard MIDI File; expected 'MThd' (or 'RIFF' for an RMID file), "
                  "found ",
                  describe_id(bytes_.first(end), begin));
    }
    if (avail < kChunkHeaderBytes + kHeaderDataBytes) {
      return fail(end, "the header is cut off after ", avail,
                  " bytes; expected 14 bytes ('MThd', length, format, track count, division)");
    }
    const std::uint32_t length = read_be32(bytes_, begin + 4);
    if (length < kHeaderDataBytes) {
      return fail(begin + 4, "header chunk length ", length,
                  " is too small; expected 6 (format, track count, division)");
    }
    if (length > avail - kChunkHeaderBytes) {
      return fail(begin + 4, "header chunk declares ", length, " bytes but only ",
                  avail - kChunkHeaderBytes, " remain in the file");
    }
    const std::size_t at = begin + kChunkHeaderBytes;
    const std::uint16_t format = read_be16(bytes_, at);
    if (format > 2) {
      return make_error(ErrorKind::unsupported, where(at, std::nullopt), ": format ", format,
                        " is not a Standard MIDI File format; expected 0, 1 or 2");
    }
    declared_tracks_ = read_be16(bytes_, at + 2);
    const std::uint8_t hi = bytes_[at + 4];
    const std::uint8_t lo = bytes_[at + 5];
    Division division;
    if (hi & 0x80) {
      // SMPTE: the high byte is minus the frame rate (two's complement), the low byte ticks per
      // frame.
      const int fps = -static_cast<int>(static_cast<std::int8_t>(hi));
      if (fps != 24 && fps != 25 && fps != 29 && fps != 30) {
        return fail(at + 4, "SMPTE division frame rate ", -fps,
                    " is not valid; expected -24, -25, -29 or -30");
      }
      if (lo == 0) {
        return fail(at + 5, "SMPTE division has 0 ticks per frame; expected 1..255");
      }
      division.kind = Division::Kind::smpte;
      division.ticks_per_quarter = 0;
      division.smpte_fps = static_cast<std::uint8_t>(fps);
      division.ticks_per_frame = lo;
    } else {
      const std::uint16_t ppq = read_be16(bytes_, at + 4);
      if (ppq == 0) {
        return fail(at + 4, "division of 0 ticks per quarter note; expected 1..32767");
      }
      division.ticks_per_quarter = ppq;
    }
    if (length > kHeaderDataBytes) {
      warn(begin + 4, "header chunk is ", length, " bytes long; the ", length - kHeaderDataBytes,
           " bytes after the standard 6 are ignored");
    }
    file_.format = format;
    file_.division = division;
    header_at_ = begin;
    pos_ = at + length;
    return {};
  }

  Result<void> read_chunks(std::size_t end) {
    // Set once a track chunk overran the end of the file but ended cleanly: whatever follows its
    // end-of-track is the rest of a file whose lengths are wrong, read when it looks like chunks.
    bool after_overrun = false;
    std::size_t event_count = 0;
    while (pos_ < end) {
      const std::size_t left = end - pos_;
      const bool all_found = file_.tracks.size() >= declared_tracks_ || after_overrun;
      if (left < kChunkHeaderBytes || !is_printable_id(bytes_, pos_)) {
        if (all_found) {
          warn(pos_, left, " bytes after the last chunk are not a chunk; ignored");
          break;
        }
        if (left < kChunkHeaderBytes) {
          return fail(pos_, "a chunk header is cut off after ", left,
                      " bytes; expected 8 (ID and length) for track ", file_.tracks.size() + 1,
                      " of the ", declared_tracks_, " the header declares");
        }
        return fail(pos_, "expected a chunk ID such as 'MTrk' for track ", file_.tracks.size() + 1,
                    " of the ", declared_tracks_, " the header declares, found ",
                    describe_id(bytes_.first(end), pos_));
      }
      const std::size_t chunk = pos_;
      const std::uint64_t length = read_be32(bytes_, chunk + 4);
      const std::size_t body = chunk + kChunkHeaderBytes;
      const std::uint64_t declared_end = std::uint64_t{body} + length;
      const bool overruns = declared_end > end;
      const std::size_t limit = overruns ? end : static_cast<std::size_t>(declared_end);

      if (!is_id(bytes_, chunk, "MTrk")) {
        if (overruns) {
          if (!all_found) {
            return fail(chunk + 4, "chunk ", describe_id(bytes_, chunk), " declares ", length,
                        " bytes but only ", end - body, " remain in the file");
          }
          warn(chunk, "chunk ", describe_id(bytes_, chunk), " after the last track declares ",
               length, " bytes but only ", end - body, " remain; ignored");
          break;
        }
        warn(chunk, "unknown chunk ", describe_id(bytes_, chunk), " of ", length, " bytes skipped");
        pos_ = limit;
        continue;
      }

      const std::size_t index = file_.tracks.size();
      if (index >= kMaxTracks) {
        return fail(chunk,
                    "more than 65535 track chunks; a Standard MIDI File holds at most "
                    "65535");
      }
      TrackReader reader(bytes_, body, limit, declared_end, index, event_count, options_,
                         warnings_);
      Result<TrackOutcome> outcome = reader.read();
      if (!outcome) return outcome.error();
      if (overruns) {
        if (!outcome->ended) {
          return make_error(ErrorKind::invalid_input, where(end, index),
                            ": the data ends before the end-of-track of the track chunk at byte ",
                            chunk, ", which declares ", length, " bytes but only ", end - body,
                            " are present; the file is truncated");
        }
        warn_track(chunk + 4, index, "the track chunk declares ", length, " bytes but only ",
                   end - body, " remain; its events end with an end-of-track at byte ",
                   outcome->end_of_track_at, " and are read");
        after_overrun = true;
        pos_ = outcome->stop;
      } else {
        if (!outcome->ended) {
          warn_track(chunk, index, "the track chunk has no end-of-track; its end is taken as tick ",
                     outcome->track.end_tick, ", the last event's");
        } else if (outcome->stop < limit) {
          warn_track(outcome->stop, index, "the track chunk continues for ", limit - outcome->stop,
                     " bytes after its end-of-track; ignored");
        }
        pos_ = limit;
      }
      file_.tracks.push_back(std::move(outcome->track));
    }

    if (file_.tracks.size() != declared_tracks_) {
      warn(header_at_ + 10, "the header declares ", declared_tracks_, " tracks but ",
           file_.tracks.size(), " track chunks were found; all chunks found are read");
    }
    if (file_.format == 0) {
      if (file_.tracks.empty()) {
        return fail(pos_, "a format 0 file holds no track chunk; expected exactly one");
      }
      if (file_.tracks.size() > 1) {
        warn(header_at_ + 8, "format 0 header over ", file_.tracks.size(),
             " track chunks (format 0 holds one); read as format 1");
        file_.format = 1;
      }
    }
    return {};
  }

  std::span<const std::uint8_t> bytes_;
  const ReadOptions& options_;
  MidiFile file_;
  WarningSink warnings_;
  std::size_t header_at_ = 0;  // offset of 'MThd'
  std::size_t pos_ = 0;
  std::size_t declared_tracks_ = 0;
};

std::uint16_t be16(std::span<const std::uint8_t> data) {
  return static_cast<std::uint16_t>((data[0] << 8) | data[1]);
}

}  // namespace

namespace detail {

std::string_view known_meta_name(std::uint8_t type) {
  switch (type) {
    case 0x00:
      return "sequence number";
    case 0x20:
      return "channel prefix";
    case 0x21:
      return "port prefix";
    case 0x51:
      return "set tempo";
    case 0x54:
      return "SMPTE offset";
    case 0x58:
      return "time signature";
    case 0x59:
      return "key signature";
    default:
      return {};
  }
}

Message decode_meta(std::uint8_t type, std::span<const std::uint8_t> data) {
  const std::size_t n = data.size();
  if (type >= 0x01 && type <= 0x09) {
    return Text{static_cast<TextKind>(type), std::string(data.begin(), data.end())};
  }
  switch (type) {
    case 0x00:
      if (n == 2) return SequenceNumber{be16(data)};
      break;
    case 0x20:
      if (n == 1 && data[0] <= 15) return ChannelPrefix{data[0]};
      break;
    case 0x21:
      if (n == 1) return PortPrefix{data[0]};
      break;
    case 0x51:
      if (n == 3) {
        const std::uint32_t us =
            (std::uint32_t{data[0]} << 16) | (std::uint32_t{data[1]} << 8) | std::uint32_t{data[2]};
        if (us != 0) return SetTempo{us};
      }
      break;
    case 0x54:
      if (n == 5) return SmpteOffset{data[0], data[1], data[2], data[3], data[4]};
      break;
    case 0x58:
      if (n == 4) return TimeSignature{data[0], data[1], data[2], data[3]};
      break;
    case 0x59: {
      const auto sharps = static_cast<std::int8_t>(n == 2 ? data[0] : 0);
      if (n == 2 && sharps >= -7 && sharps <= 7 && data[1] <= 1) {
        return KeySignature{sharps, data[1] == 1};
      }
      break;
    }
    case 0x7F:
      return SequencerSpecific{std::vector<std::uint8_t>(data.begin(), data.end())};
    default:
      break;
  }
  return UnknownMeta{type, std::vector<std::uint8_t>(data.begin(), data.end())};
}

}  // namespace detail

Result<ReadReport> read_smf(std::span<const std::uint8_t> bytes, const ReadOptions& options) {
  return SmfReader(bytes, options).read();
}

}  // namespace duet::midi
