// Reading hand-built Standard MIDI Files: every event type, both division kinds, running status,
// the tolerated damage (with warnings) and the rejected damage (with the byte offset).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "midi/smf.h"
#include "midi/smf_test_util.h"

namespace duet::midi {
namespace {

using test::ascii;
using test::be32;
using test::Bytes;
using test::chunk;
using test::concat;
using test::error_at;
using test::has_warning;
using test::header;
using test::kEndOfTrack;
using test::one_track_file;
using test::track;

// Offset of the first event byte in one_track_file: 14 (header) + 8 (MTrk and length).
constexpr std::size_t kFirstEvent = 22;

const Track& only_track(const base::Result<ReadReport>& report) {
  return report->file.tracks.at(0);
}

TEST(SmfRead, ReadsEveryChannelMessage) {
  const Bytes events = concat({{0x00, 0x90, 0x3C, 0x64},        // note-on C4
                               {0x60, 0x80, 0x3C, 0x40},        // note-off after 96 ticks
                               {0x00, 0xA1, 0x3C, 0x20},        // poly pressure, channel index 1
                               {0x00, 0xB2, 0x07, 0x64},        // control change 7
                               {0x00, 0xC3, 0x05},              // program change
                               {0x00, 0xD4, 0x30},              // channel pressure
                               {0x00, 0xE5, 0x00, 0x40},        // pitch bend centre
                               {0x00, 0xEF, 0x7F, 0x7F},        // pitch bend max
                               {0x81, 0x00, 0xE0, 0x00, 0x00},  // pitch bend min, 128 later
                               {0x00, 0x9F, 0x3C, 0x00},        // velocity-0 note-on
                               kEndOfTrack});
  const auto report = read_smf(one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->warnings.empty());
  EXPECT_EQ(report->file.format, 1);
  EXPECT_EQ(report->file.division, (Division{Division::Kind::ppq, 480, 0, 0}));
  const std::vector<Event> expected = {
      {0, NoteOn{0, 60, 100}},        {96, NoteOff{0, 60, 64}},  {96, PolyPressure{1, 60, 32}},
      {96, ControlChange{2, 7, 100}}, {96, ProgramChange{3, 5}}, {96, ChannelPressure{4, 48}},
      {96, PitchBend{5, 0}},          {96, PitchBend{15, 8191}}, {224, PitchBend{0, -8192}},
      {224, NoteOn{15, 60, 0}}};
  EXPECT_EQ(only_track(report).events, expected);
  EXPECT_EQ(only_track(report).end_tick, 224);
}

TEST(SmfRead, ReadsSysExPacketsAndEveryMetaEvent) {
  const Bytes events = concat({
      {0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7},        // GM on, complete packet
      {0x00, 0xF7, 0x02, 0xF3, 0x01},                          // escape: song select
      {0x00, 0xFF, 0x00, 0x02, 0x01, 0x02},                    // sequence number 258
      {0x00, 0xFF, 0x01, 0x02, 'h', 'i'},                      // text
      {0x00, 0xFF, 0x02, 0x01, 'c'},                           // copyright
      {0x00, 0xFF, 0x03, 0x04, 'L', 'e', 'a', 'd'},            // track name
      {0x00, 0xFF, 0x04, 0x01, 'i'},                           // instrument name
      {0x00, 0xFF, 0x05, 0x02, 'l', 'a'},                      // lyric
      {0x00, 0xFF, 0x06, 0x02, 'A', 0xE9},                     // marker, Latin-1 byte kept as is
      {0x00, 0xFF, 0x07, 0x00},                                // cue point, empty
      {0x00, 0xFF, 0x08, 0x01, 'p'},                           // program name
      {0x00, 0xFF, 0x09, 0x01, 'd'},                           // device name
      {0x00, 0xFF, 0x20, 0x01, 0x05},                          // channel prefix
      {0x00, 0xFF, 0x21, 0x01, 0x02},                          // port prefix
      {0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20},              // 500000 us per quarter
      {0x00, 0xFF, 0x54, 0x05, 0x61, 0x02, 0x03, 0x04, 0x05},  // SMPTE offset, 25 fps
      {0x00, 0xFF, 0x58, 0x04, 0x06, 0x03, 0x18, 0x08},        // 6/8
      {0x00, 0xFF, 0x59, 0x02, 0xFD, 0x01},                    // 3 flats, minor
      {0x00, 0xFF, 0x7F, 0x03, 0x00, 0x00, 0x41},              // sequencer specific
      {0x00, 0xFF, 0x60, 0x02, 0xAB, 0xCD},                    // a meta type nobody defined
      kEndOfTrack,
  });
  const auto report = read_smf(one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->warnings.empty());
  const std::vector<Message> expected = {
      SysEx{false, {0x7E, 0x7F, 0x09, 0x01, 0xF7}},
      SysEx{true, {0xF3, 0x01}},
      SequenceNumber{258},
      Text{TextKind::text, "hi"},
      Text{TextKind::copyright, "c"},
      Text{TextKind::track_name, "Lead"},
      Text{TextKind::instrument_name, "i"},
      Text{TextKind::lyric, "la"},
      Text{TextKind::marker, std::string("A\xE9")},
      Text{TextKind::cue_point, ""},
      Text{TextKind::program_name, "p"},
      Text{TextKind::device_name, "d"},
      ChannelPrefix{5},
      PortPrefix{2},
      SetTempo{500000},
      SmpteOffset{0x61, 2, 3, 4, 5},
      TimeSignature{6, 3, 24, 8},
      KeySignature{-3, true},
      SequencerSpecific{{0x00, 0x00, 0x41}},
      UnknownMeta{0x60, {0xAB, 0xCD}},
  };
  const Track& t = only_track(report);
  ASSERT_EQ(t.events.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(t.events[i].message, expected[i]) << "event " << i;
    EXPECT_EQ(t.events[i].tick, 0);
  }
}

TEST(SmfRead, KnownMetaTypesInANonStandardFormAreKeptVerbatimWithAWarning) {
  const Bytes events = concat({
      {0x00, 0xFF, 0x00, 0x00},                    // sequence number without its number
      {0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1},        // tempo one byte short
      {0x00, 0xFF, 0x51, 0x03, 0x00, 0x00, 0x00},  // tempo of 0
      {0x00, 0xFF, 0x59, 0x02, 0x08, 0x00},        // 8 sharps
      {0x00, 0xFF, 0x59, 0x02, 0x00, 0x02},        // mode byte 2
      {0x00, 0xFF, 0x20, 0x01, 0x10},              // channel prefix 16
      {0x00, 0xFF, 0x58, 0x05, 4, 2, 24, 8, 0},    // time signature one byte long
      kEndOfTrack,
  });
  const auto report = read_smf(one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  const std::vector<Message> expected = {
      UnknownMeta{0x00, {}},
      UnknownMeta{0x51, {0x07, 0xA1}},
      UnknownMeta{0x51, {0, 0, 0}},
      UnknownMeta{0x59, {0x08, 0x00}},
      UnknownMeta{0x59, {0x00, 0x02}},
      UnknownMeta{0x20, {0x10}},
      UnknownMeta{0x58, {4, 2, 24, 8, 0}},
  };
  const Track& t = only_track(report);
  ASSERT_EQ(t.events.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(t.events[i].message, expected[i]);
  ASSERT_EQ(report->warnings.size(), expected.size());
  EXPECT_EQ(report->warnings[1].message,
            "byte 27 (track 1): set tempo meta event (type 0x51) of 2 bytes is not in its "
            "standard form; kept verbatim as an unknown meta event");
}

TEST(SmfRead, ReadsFormatsZeroAndTwo) {
  const auto zero = read_smf(one_track_file(kEndOfTrack, 0));
  ASSERT_TRUE(zero) << zero.error().message;
  EXPECT_EQ(zero->file.format, 0);
  const auto two = read_smf(concat({header(2, 2, 0x0060), track(kEndOfTrack), track(kEndOfTrack)}));
  ASSERT_TRUE(two) << two.error().message;
  EXPECT_EQ(two->file.format, 2);
  EXPECT_EQ(two->file.tracks.size(), 2u);
  EXPECT_EQ(two->file.division.ticks_per_quarter, 96);
}

TEST(SmfRead, ReadsEverySmpteDivision) {
  struct Case {
    std::uint8_t high;
    std::uint8_t fps;
  };
  for (const Case c : {Case{0xE8, 24}, Case{0xE7, 25}, Case{0xE3, 29}, Case{0xE2, 30}}) {
    const auto division = static_cast<std::uint16_t>((c.high << 8) | 40);
    const auto report = read_smf(concat({header(1, 1, division), track(kEndOfTrack)}));
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->file.division, (Division{Division::Kind::smpte, 0, c.fps, 40}));
  }
}

TEST(SmfRead, ReadsTheLargestPpqAndTheLargestDelta) {
  const Bytes events = {0xFF, 0xFF, 0xFF, 0x7F, 0x90, 0x3C, 0x64, 0x00, 0xFF, 0x2F, 0x00};
  const auto report = read_smf(concat({header(0, 1, 0x7FFF), track(events)}));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->file.division.ticks_per_quarter, 32767);
  EXPECT_EQ(only_track(report).events.at(0).tick, 0x0FFFFFFF);
}

TEST(SmfRead, RunningStatusRepeatsTheLastChannelStatus) {
  // [GIVEN] three note-ons and a control change, the later ones sharing status bytes
  const Bytes events = {0x00, 0x91, 0x3C, 0x64,  // note-on, channel index 1
                        0x10, 0x40, 0x50,        // running status: note-on E4
                        0x10, 0x3C, 0x00,        // running status: velocity-0 note-on
                        0x00, 0xC1, 0x07,        // program change
                        0x00, 0x08,              // running status with one data byte
                        0x00, 0xFF, 0x2F, 0x00};
  // [WHEN] the file is read
  const auto report = read_smf(one_track_file(events));
  // [THEN] each running-status event is the status before it with new data bytes
  ASSERT_TRUE(report) << report.error().message;
  const std::vector<Event> expected = {{0, NoteOn{1, 60, 100}},
                                       {16, NoteOn{1, 64, 80}},
                                       {32, NoteOn{1, 60, 0}},
                                       {32, ProgramChange{1, 7}},
                                       {32, ProgramChange{1, 8}}};
  EXPECT_EQ(only_track(report).events, expected);
}

TEST(SmfRead, RunningStatusSurvivesMetaAndSysExEventsAsManyReadersAllow) {
  const Bytes events = {0x00, 0x90, 0x3C, 0x64,       //
                        0x00, 0xFF, 0x01, 0x01, 'x',  // text: the spec says this cancels
                        0x00, 0x3E, 0x64,             // running status carried over anyway
                        0x00, 0xF0, 0x01, 0xF7,       // SysEx
                        0x00, 0x40, 0x64,             // carried over again
                        0x00, 0xFF, 0x2F, 0x00};
  const auto report = read_smf(one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  const auto& e = only_track(report).events;
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e[2].message, Message(NoteOn{0, 62, 100}));
  EXPECT_EQ(e[4].message, Message(NoteOn{0, 64, 100}));
}

TEST(SmfRead, UnwrapsRiffRmidWithAWarningAndCountsOffsetsFromTheRiffHeader) {
  const Bytes smf = one_track_file(concat({{0x00, 0x90, 0x3C, 0x64}, kEndOfTrack}));
  // RIFF lengths are little-endian, and a chunk of odd size is followed by a pad byte.
  const Bytes info = concat({ascii("LIST"), test::le32(7), ascii("INFOabc"), {0x00}});
  const Bytes data =
      concat({ascii("data"), test::le32(static_cast<std::uint32_t>(smf.size())), smf});
  const Bytes riff_body = concat({ascii("RMID"), info, data});
  const Bytes riff =
      concat({ascii("RIFF"), test::le32(static_cast<std::uint32_t>(riff_body.size())), riff_body});
  const auto report = read_smf(riff);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->file, read_smf(smf)->file);
  EXPECT_TRUE(has_warning(report->warnings, "RIFF RMID wrapper"));

  // [GIVEN] the same wrapper around a file with a bad data byte at SMF offset 24
  Bytes bad = riff;
  const std::size_t smf_start = 12 + info.size() + 8;
  bad[smf_start + 24] = 0xC0;
  // [THEN] the error counts from the start of the RIFF file
  EXPECT_TRUE(error_at(read_smf(bad), smf_start + 24, "data byte"));
}

TEST(SmfRead, RiffWithoutADataChunkOrOfAnotherFormIsAnError) {
  const Bytes no_data = concat({ascii("RIFF"), test::le32(4), ascii("RMID")});
  EXPECT_TRUE(error_at(read_smf(no_data), 12, "no 'data' chunk"));
  const Bytes wave = concat({ascii("RIFF"), test::le32(4), ascii("WAVE")});
  const auto result = read_smf(wave);
  EXPECT_TRUE(error_at(result, 8, "expected 'RMID'"));
  EXPECT_EQ(result.error().kind, base::ErrorKind::unsupported);
  EXPECT_TRUE(error_at(read_smf(ascii("RIFF1234")), 8, "RIFF header is cut off"));
}

TEST(SmfRead, SkipsUnknownChunksWithAWarning) {
  const Bytes file =
      concat({header(1, 1, 0x01E0), chunk("XFIH", ascii("vendor")), track(kEndOfTrack)});
  const auto report = read_smf(file);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->file.tracks.size(), 1u);
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_EQ(report->warnings[0].message, "byte 14: unknown chunk 'XFIH' of 6 bytes skipped");
}

// ---- Tolerated damage: read, with a warning that says where ----

TEST(SmfRead, ATrackWithoutEndOfTrackEndsAtItsLastEvent) {
  const Bytes events = {0x00, 0x90, 0x3C, 0x64, 0x83, 0x60, 0x80, 0x3C, 0x00};
  const auto report = read_smf(one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(only_track(report).end_tick, 480);
  EXPECT_EQ(only_track(report).events.size(), 2u);
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_EQ(report->warnings[0].message,
            "byte 14 (track 1): the track chunk has no end-of-track; its end is taken as tick "
            "480, the last event's");
}

TEST(SmfRead, BytesAfterEndOfTrackInItsChunkAreIgnored) {
  const Bytes events = concat({kEndOfTrack, {0x00, 0x90, 0x3C, 0x64}});
  const auto report = read_smf(one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(only_track(report).events.empty());
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_EQ(report->warnings[0].message,
            "byte 26 (track 1): the track chunk continues for 4 bytes after its end-of-track; "
            "ignored");
}

TEST(SmfRead, EndOfTrackWithDataBytesStillEndsTheTrack) {
  const Bytes events = {0x00, 0x90, 0x3C, 0x64, 0x10, 0xFF, 0x2F, 0x01, 0x00};
  const auto report = read_smf(one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(only_track(report).end_tick, 16);
  EXPECT_TRUE(
      has_warning(report->warnings, "byte 27 (track 1): end-of-track meta event carries 1"));
}

TEST(SmfRead, AHeaderTrackCountThatDisagreesWithTheChunksIsAWarning) {
  // [GIVEN] a header declaring 3 tracks over a file that ends cleanly after 2
  const auto fewer =
      read_smf(concat({header(1, 3, 0x01E0), track(kEndOfTrack), track(kEndOfTrack)}));
  // [THEN] both tracks are read and the disagreement is reported at the count's offset
  ASSERT_TRUE(fewer) << fewer.error().message;
  EXPECT_EQ(fewer->file.tracks.size(), 2u);
  ASSERT_EQ(fewer->warnings.size(), 1u);
  EXPECT_EQ(fewer->warnings[0].message,
            "byte 10: the header declares 3 tracks but 2 track chunks were found; all chunks "
            "found are read");

  // [GIVEN] a header declaring 1 track over 2 chunks: every chunk is still read
  const auto more =
      read_smf(concat({header(1, 1, 0x01E0), track(kEndOfTrack), track(kEndOfTrack)}));
  ASSERT_TRUE(more) << more.error().message;
  EXPECT_EQ(more->file.tracks.size(), 2u);
  EXPECT_TRUE(has_warning(more->warnings, "declares 1 tracks but 2"));
}

TEST(SmfRead, AFormatZeroHeaderOverSeveralTracksIsReadAsFormatOne) {
  const auto report =
      read_smf(concat({header(0, 2, 0x01E0), track(kEndOfTrack), track(kEndOfTrack)}));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->file.format, 1);
  EXPECT_TRUE(has_warning(report->warnings, "byte 8: format 0 header over 2 track chunks"));
}

TEST(SmfRead, ALastChunkThatOverrunsTheFileButEndsCleanlyIsRead) {
  // [GIVEN] a track chunk whose length says 100 bytes but whose 8 bytes end in an end-of-track
  const Bytes events = {0x00, 0x90, 0x3C, 0x64, 0x00, 0xFF, 0x2F, 0x00};
  const Bytes file = concat({header(1, 1, 0x01E0), ascii("MTrk"), be32(100), events});
  // [WHEN] it is read
  const auto report = read_smf(file);
  // [THEN] the events are there and the wrong length is reported
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(only_track(report).events.size(), 1u);
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_EQ(report->warnings[0].message,
            "byte 18 (track 1): the track chunk declares 100 bytes but only 8 remain; its events "
            "end with an end-of-track at byte 27 and are read");
}

TEST(SmfRead, ChunksAfterAnOverrunningChunkAreStillRead) {
  // [GIVEN] a first track whose length field is too large, swallowing the second chunk
  const Bytes first = concat({{0x00, 0x90, 0x3C, 0x64}, kEndOfTrack});
  const Bytes second = track(concat({{0x00, 0x91, 0x3C, 0x64}, kEndOfTrack}));
  const Bytes file =
      concat({header(1, 2, 0x01E0), ascii("MTrk"),
              be32(static_cast<std::uint32_t>(first.size() + second.size() + 50)), first, second});
  const auto report = read_smf(file);
  // [THEN] the first ends at its end-of-track, and the second is read as a chunk of its own
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->file.tracks.size(), 2u);
  EXPECT_EQ(report->file.tracks[1].events.at(0).message, Message(NoteOn{1, 60, 100}));
}

TEST(SmfRead, BytesAfterTheLastChunkAreIgnored) {
  const Bytes file = concat({one_track_file(kEndOfTrack), {0x00, 0x00, 0x00}});
  const auto report = read_smf(file);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_EQ(report->warnings[0].message,
            "byte 26: 3 bytes after the last chunk are not a chunk; ignored");

  const Bytes padded = concat({one_track_file(kEndOfTrack), Bytes(64, 0x00)});
  const auto zeros = read_smf(padded);
  ASSERT_TRUE(zeros) << zeros.error().message;
  EXPECT_TRUE(has_warning(zeros->warnings, "64 bytes after the last chunk"));
}

TEST(SmfRead, ALongerHeaderChunkIsReadAndItsExtraBytesIgnored) {
  const Bytes file =
      concat({ascii("MThd"), be32(8), {0, 1, 0, 1, 0x01, 0xE0, 0xAA, 0xBB}, track(kEndOfTrack)});
  const auto report = read_smf(file);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->file.tracks.size(), 1u);
  EXPECT_TRUE(has_warning(report->warnings, "byte 4: header chunk is 8 bytes long"));
}

// ---- Rejected: an error naming the byte offset and what was expected ----

TEST(SmfReadError, EmptyTruncatedOrForeignHeaders) {
  EXPECT_TRUE(error_at(read_smf(Bytes{}), 0, "header is cut off after 0 bytes"));
  EXPECT_TRUE(error_at(read_smf(ascii("MTh")), 3, "header is cut off"));
  const Bytes header_only = header(1, 1, 0x01E0);
  EXPECT_TRUE(error_at(read_smf(Bytes(header_only.begin(), header_only.begin() + 10)), 10,
                       "expected 14 bytes"));
  EXPECT_TRUE(error_at(read_smf(ascii("GIF89a\x01\x00\x01\x00 and so on")), 0,
                       "not a Standard MIDI File; expected 'MThd'"));
  EXPECT_TRUE(error_at(read_smf(Bytes{0x00, 0xFF, 0x10, 0x80, 0x00, 0x00}), 0,
                       "found 0x00 0xFF 0x10 0x80"));
}

TEST(SmfReadError, HeaderFieldsOutOfRange) {
  const Bytes short_header = concat({ascii("MThd"), be32(5), {0, 1, 0, 1, 0x01, 0xE0}});
  EXPECT_TRUE(error_at(read_smf(short_header), 4, "header chunk length 5 is too small"));
  const Bytes long_header = concat({ascii("MThd"), be32(9), {0, 1, 0, 1, 0x01, 0xE0, 0}});
  EXPECT_TRUE(error_at(read_smf(long_header), 4, "declares 9 bytes but only 7 remain"));

  const auto format3 = read_smf(concat({header(3, 1, 0x01E0), track(kEndOfTrack)}));
  EXPECT_TRUE(error_at(format3, 8, "format 3 is not a Standard MIDI File format"));
  EXPECT_EQ(format3.error().kind, base::ErrorKind::unsupported);

  EXPECT_TRUE(error_at(read_smf(concat({header(1, 1, 0x0000), track(kEndOfTrack)})), 12,
                       "division of 0 ticks per quarter note"));
  EXPECT_TRUE(error_at(read_smf(concat({header(1, 1, 0xE900), track(kEndOfTrack)})), 12,
                       "SMPTE division frame rate -23 is not valid"));
  EXPECT_TRUE(error_at(read_smf(concat({header(1, 1, 0xE700), track(kEndOfTrack)})), 13,
                       "SMPTE division has 0 ticks per frame"));
}

TEST(SmfReadError, ATruncatedChunkHeader) {
  const Bytes file = concat({header(1, 2, 0x01E0), track(kEndOfTrack), ascii("MTr")});
  EXPECT_TRUE(error_at(read_smf(file), 26, "chunk header is cut off after 3 bytes"));
}

TEST(SmfReadError, BytesThatAreNotAChunkWhereATrackIsStillMissing) {
  const Bytes file = concat({header(1, 2, 0x01E0), track(kEndOfTrack), Bytes(12, 0x00)});
  EXPECT_TRUE(error_at(read_smf(file), 26, "expected a chunk ID such as 'MTrk' for track 2"));
}

TEST(SmfReadError, AnUnknownChunkRunningPastTheEndWhileATrackIsMissing) {
  const Bytes file = concat({header(1, 1, 0x01E0), ascii("JUNK"), be32(1000), ascii("abc")});
  EXPECT_TRUE(error_at(read_smf(file), 18, "chunk 'JUNK' declares 1000 bytes but only 3"));
}

TEST(SmfReadError, ATrackChunkRunningPastTheEndAndCutMidEvent) {
  // [GIVEN] a chunk declaring 100 bytes of which 6 are there, the last event cut after its status
  const Bytes file = concat(
      {header(1, 1, 0x01E0), ascii("MTrk"), be32(100), {0x00, 0x90, 0x3C, 0x64, 0x00, 0x90}});
  // [THEN] the error is at the end of the data, says the file is cut, and what was expected
  const auto result = read_smf(file);
  EXPECT_TRUE(error_at(result, 28, "(track 1): the data ends in the middle of an event"));
  EXPECT_TRUE(error_at(result, 28, "expected a data byte of the note-on"));
}

TEST(SmfReadError, ATrackChunkRunningPastTheEndWithoutEndOfTrack) {
  const Bytes file =
      concat({header(1, 1, 0x01E0), ascii("MTrk"), be32(100), {0x00, 0x90, 0x3C, 0x64}});
  EXPECT_TRUE(error_at(read_smf(file), 26, "the data ends before the end-of-track"));
}

TEST(SmfReadError, AnEventCutOffByItsChunksLength) {
  // The chunk says 3 bytes, and the note-on needs 4.
  const Bytes file = concat({header(1, 1, 0x01E0),
                             ascii("MTrk"),
                             be32(3),
                             {0x00, 0x90, 0x3C, 0x64, 0x00, 0xFF, 0x2F, 0x00}});
  EXPECT_TRUE(error_at(read_smf(file), 25,
                       "(track 1): the track chunk ends in the middle of an event; expected a "
                       "data byte of the note-on"));
  // A delta time with no event after it.
  EXPECT_TRUE(error_at(read_smf(one_track_file({0x00, 0xC0, 0x01, 0x81})), kFirstEvent + 4,
                       "expected the rest of the delta time"));
  EXPECT_TRUE(error_at(read_smf(one_track_file({0x00, 0xC0, 0x01, 0x10})), kFirstEvent + 4,
                       "expected an event after the delta time"));
  // A meta event whose length is past the chunk's end.
  EXPECT_TRUE(error_at(read_smf(one_track_file({0x00, 0xFF, 0x01, 0x10, 'a', 'b'})),
                       kFirstEvent + 6,
                       "track chunk ends in the middle of a meta event; expected 16 data bytes, "
                       "found 2"));
  // A SysEx whose length is past the chunk's end.
  EXPECT_TRUE(error_at(read_smf(one_track_file({0x00, 0xF0, 0x05, 0x7E})), kFirstEvent + 4,
                       "middle of a system exclusive"));
  // A meta event cut before its type.
  EXPECT_TRUE(error_at(read_smf(one_track_file({0x00, 0xFF})), kFirstEvent + 2,
                       "expected a meta event type"));
}

TEST(SmfReadError, VariableLengthQuantitiesLongerThanFourBytes) {
  const Bytes long_delta = {0x00, 0x90, 0x3C, 0x64, 0x81, 0x81, 0x81, 0x81, 0x01, 0x80, 0x3C, 0x00};
  EXPECT_TRUE(error_at(read_smf(one_track_file(long_delta)), kFirstEvent + 4,
                       "(track 1): delta time is a variable-length quantity longer than 4 bytes"));
  const Bytes long_length = {0x00, 0xFF, 0x01, 0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_TRUE(error_at(read_smf(one_track_file(long_length)), kFirstEvent + 3,
                       "meta event length is a variable-length quantity longer than 4 bytes"));
  const Bytes long_sysex = {0x00, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
  EXPECT_TRUE(error_at(read_smf(one_track_file(long_sysex)), kFirstEvent + 2,
                       "system exclusive length is a variable-length quantity longer"));
}

TEST(SmfReadError, AStatusByteWhereADataByteMustBe) {
  const Bytes events = {0x00, 0x90, 0x3C, 0x90, 0x00, 0xFF, 0x2F, 0x00};
  EXPECT_TRUE(error_at(read_smf(one_track_file(events)), kFirstEvent + 3,
                       "(track 1): found 0x90 where a data byte of the note-on must be; expected "
                       "a data byte (0x00..0x7F)"));
  const Bytes first = {0x00, 0xC0, 0xC0};
  EXPECT_TRUE(error_at(read_smf(one_track_file(first)), kFirstEvent + 2, "program change"));
}

TEST(SmfReadError, ADataByteWithNoRunningStatus) {
  const Bytes events = {0x00, 0x3C, 0x64};
  EXPECT_TRUE(error_at(read_smf(one_track_file(events)), kFirstEvent + 1,
                       "(track 1): data byte 0x3C with no running status in effect; expected a "
                       "status byte"));
  // Running status does not carry from one track to the next.
  const Bytes file =
      concat({header(1, 2, 0x01E0), track({0x00, 0x90, 0x3C, 0x64, 0x00, 0xFF, 0x2F, 0x00}),
              track({0x00, 0x3C, 0x64})});
  EXPECT_TRUE(error_at(read_smf(file), 39, "(track 2): data byte 0x3C"));
}

TEST(SmfReadError, StatusBytesThatCannotStartAnEvent) {
  for (const int status : {0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF8, 0xFA, 0xFE}) {
    const Bytes events = {0x00, 0x90, 0x3C, 0x64, 0x00, static_cast<std::uint8_t>(status), 0x00};
    EXPECT_TRUE(error_at(read_smf(one_track_file(events)), kFirstEvent + 5,
                         "cannot start an event in a track"))
        << status;
  }
}

TEST(SmfReadError, AFormatZeroFileWithoutATrack) {
  EXPECT_TRUE(error_at(read_smf(header(0, 1, 0x01E0)), 14, "format 0 file holds no track chunk"));
}

TEST(SmfReadError, ErrorsAreInvalidInputAndOneSentence) {
  const auto result = read_smf(one_track_file({0x00, 0x3C}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, base::ErrorKind::invalid_input);
  EXPECT_EQ(result.error().message.find('\n'), std::string::npos);
  EXPECT_NE(result.error().message.back(), '.');
}

// ---- Guards against hostile input ----

TEST(SmfReadGuard, MaxEventsBoundsTheEventsOfTheWholeFile) {
  // [GIVEN] two tracks of 3 events each
  const Bytes events = {0x00, 0xC0, 0x01, 0x00, 0xC0, 0x02, 0x00,
                        0xC0, 0x03, 0x00, 0xFF, 0x2F, 0x00};
  const Bytes file = concat({header(1, 2, 0x01E0), track(events), track(events)});
  // [WHEN] read with room for exactly 6, then for 5
  ReadOptions options;
  options.max_events = 6;
  EXPECT_TRUE(read_smf(file, options));
  options.max_events = 5;
  const auto result = read_smf(file, options);
  // [THEN] the sixth event (the third of the second track, status byte at 50) is refused, out of
  // range
  EXPECT_TRUE(error_at(result, 50, "(track 2): more than 5 events"));
  EXPECT_EQ(result.error().kind, base::ErrorKind::out_of_range);
}

TEST(SmfReadGuard, AHugeDeclaredLengthAllocatesNothing) {
  // A SysEx and a meta event each claiming 256 MB: checked against the bytes left first.
  EXPECT_TRUE(error_at(read_smf(one_track_file({0x00, 0xF0, 0xFF, 0xFF, 0xFF, 0x7F, 0x01})),
                       kFirstEvent + 7, "expected 268435455 data bytes, found 1"));
  const Bytes file = concat({header(1, 1, 0x01E0),
                             ascii("MTrk"),
                             be32(0xFFFFFFFF),
                             {0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F}});
  EXPECT_TRUE(error_at(read_smf(file), 29, "the data ends in the middle of a meta event"));
}

TEST(SmfReadGuard, WarningsAreCappedAndTheRestCounted) {
  // [GIVEN] 2000 unknown chunks, each worth a warning
  Bytes file = header(1, 1, 0x01E0);
  const Bytes junk = chunk("JUNK", {});
  for (int i = 0; i < 2000; ++i)
    file.insert(file.end(), junk.begin(), junk.end());
  const Bytes last = track(kEndOfTrack);
  file.insert(file.end(), last.begin(), last.end());
  const auto report = read_smf(file);
  // [THEN] the first 1000 are listed and one more counts the rest
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->warnings.size(), 1001u);
  EXPECT_EQ(report->warnings.back().message, "1000 more warnings were not listed");
}

TEST(SmfReadGuard, MoreThan65535TrackChunksIsAnError) {
  Bytes file = header(1, 0xFFFF, 0x01E0);
  const Bytes empty_track = track(kEndOfTrack);
  for (int i = 0; i < 65536; ++i)
    file.insert(file.end(), empty_track.begin(), empty_track.end());
  EXPECT_TRUE(error_at(read_smf(file), 14 + 65535 * 12, "more than 65535 track chunks"));
}

}  // namespace
}  // namespace duet::midi
