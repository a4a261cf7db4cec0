// Writing Standard MIDI Files: exact bytes, running status, end-of-track placement, and the
// models the writer refuses.
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
using test::concat;
using test::header;
using test::kEndOfTrack;
using test::track;

MidiFile one_track(std::vector<Event> events, std::int64_t end_tick = 0) {
  MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = 96;
  file.tracks.push_back(Track{std::move(events), end_tick});
  return file;
}

// A sustain-pedal phrase: two chord notes, a velocity-0 off, a marker between pedal events.
MidiFile pedal_phrase() {
  return one_track({{0, NoteOn{0, 60, 100}},
                    {0, NoteOn{0, 64, 90}},
                    {96, NoteOn{0, 60, 0}},
                    {96, ControlChange{0, 64, 127}},
                    {96, Text{TextKind::marker, "A"}},
                    {192, ControlChange{0, 64, 0}}},
                   384);
}

::testing::AssertionResult fails_with(const MidiFile& file, const std::string& words) {
  const auto result = write_smf(file);
  if (result) return ::testing::AssertionFailure() << "expected an error, got bytes";
  if (result.error().kind != base::ErrorKind::invalid_input) {
    return ::testing::AssertionFailure() << "expected invalid_input: " << result.error().message;
  }
  if (result.error().message.find(words) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "expected \"" << words << "\" in \"" << result.error().message << "\"";
  }
  return ::testing::AssertionSuccess();
}

TEST(SmfWrite, WritesRunningStatusBetweenChannelMessagesOnly) {
  // [GIVEN] a phrase where note-ons repeat a status and a marker sits between two pedal events
  // [WHEN] it is written with running status
  const auto bytes = write_smf(pedal_phrase());
  ASSERT_TRUE(bytes) << bytes.error().message;
  // [THEN] repeated statuses are dropped, and the status after the meta event is written again
  const Bytes expected = concat({header(1, 1, 96), track({0x00, 0x90, 0x3C, 0x64,       //
                                                          0x00, 0x40, 0x5A,             //
                                                          0x60, 0x3C, 0x00,             //
                                                          0x00, 0xB0, 0x40, 0x7F,       //
                                                          0x00, 0xFF, 0x06, 0x01, 'A',  //
                                                          0x60, 0xB0, 0x40, 0x00,       //
                                                          0x81, 0x40, 0xFF, 0x2F, 0x00})});
  EXPECT_EQ(*bytes, expected);
}

TEST(SmfWrite, WritesEveryStatusWithoutRunningStatus) {
  const auto bytes = write_smf(pedal_phrase(), WriteOptions{false});
  ASSERT_TRUE(bytes) << bytes.error().message;
  const Bytes expected = concat({header(1, 1, 96), track({0x00, 0x90, 0x3C, 0x64,       //
                                                          0x00, 0x90, 0x40, 0x5A,       //
                                                          0x60, 0x90, 0x3C, 0x00,       //
                                                          0x00, 0xB0, 0x40, 0x7F,       //
                                                          0x00, 0xFF, 0x06, 0x01, 'A',  //
                                                          0x60, 0xB0, 0x40, 0x00,       //
                                                          0x81, 0x40, 0xFF, 0x2F, 0x00})});
  EXPECT_EQ(*bytes, expected);
}

TEST(SmfWrite, SysExCancelsRunningStatusAndADifferentChannelNeedsItsStatus) {
  const MidiFile file = one_track({{0, NoteOn{0, 60, 100}},
                                   {0, SysEx{false, {0x01, 0xF7}}},
                                   {0, NoteOn{0, 62, 100}},
                                   {0, NoteOn{1, 62, 100}},
                                   {0, NoteOn{1, 63, 100}}});
  const auto bytes = write_smf(file);
  ASSERT_TRUE(bytes) << bytes.error().message;
  const Bytes expected = concat({header(1, 1, 96), track({0x00, 0x90, 0x3C, 0x64,        //
                                                          0x00, 0xF0, 0x02, 0x01, 0xF7,  //
                                                          0x00, 0x90, 0x3E, 0x64,        //
                                                          0x00, 0x91, 0x3E, 0x64,        //
                                                          0x00, 0x3F, 0x64,              //
                                                          0x00, 0xFF, 0x2F, 0x00})});
  EXPECT_EQ(*bytes, expected);
}

TEST(SmfWrite, EndOfTrackGoesAtTheLaterOfEndTickAndTheLastEvent) {
  // [GIVEN] a track whose end_tick (10) is before its last event (200)
  MidiFile file = one_track({{200, ProgramChange{0, 1}}}, 10);
  const auto bytes = write_smf(file);
  ASSERT_TRUE(bytes) << bytes.error().message;
  // [THEN] the end-of-track has delta 0 after the last event, and reading gives end_tick 200
  EXPECT_EQ(*bytes,
            concat({header(1, 1, 96), track({0x81, 0x48, 0xC0, 0x01, 0x00, 0xFF, 0x2F, 0x00})}));
  const auto back = read_smf(*bytes);
  ASSERT_TRUE(back) << back.error().message;
  file.tracks[0].end_tick = 200;
  EXPECT_EQ(back->file, file);

  // An empty track with an end tick is a silent stretch of that length.
  const auto empty = write_smf(one_track({}, 1000));
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, concat({header(1, 1, 96), track({0x87, 0x68, 0xFF, 0x2F, 0x00})}));
}

TEST(SmfWrite, WritesBothDivisionKinds) {
  MidiFile file = one_track({});
  file.division = Division{Division::Kind::smpte, 0, 29, 80};
  const auto smpte = write_smf(file);
  ASSERT_TRUE(smpte);
  EXPECT_EQ(*smpte, concat({header(1, 1, 0xE350), track(kEndOfTrack)}));
  file.division = Division{Division::Kind::ppq, 32767, 0, 0};
  const auto ppq = write_smf(file);
  ASSERT_TRUE(ppq);
  EXPECT_EQ(*ppq, concat({header(1, 1, 0x7FFF), track(kEndOfTrack)}));
}

TEST(SmfWrite, HandMadeFilesWithoutRunningStatusComeBackByteForByte) {
  // [GIVEN] files written by hand with minimal delta times and no running status
  const std::vector<Bytes> files = {
      concat({header(0, 1, 0x01E0), track({0x00, 0xFF, 0x03, 0x04, 'P',  'i',  'a',  'n',   //
                                           0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,        //
                                           0x00, 0xFF, 0x58, 0x04, 0x03, 0x02, 0x18, 0x08,  //
                                           0x00, 0xFF, 0x59, 0x02, 0x02, 0x00,              //
                                           0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7,  //
                                           0x00, 0xC0, 0x00,                                //
                                           0x00, 0xB0, 0x07, 0x64,                          //
                                           0x00, 0x90, 0x3C, 0x64,                          //
                                           0x83, 0x60, 0x80, 0x3C, 0x40,                    //
                                           0x00, 0x90, 0x3E, 0x64,                          //
                                           0x00, 0xA0, 0x3E, 0x10,                          //
                                           0x00, 0xD0, 0x20,                                //
                                           0x00, 0xE0, 0x00, 0x50,                          //
                                           0x83, 0x60, 0x90, 0x3E, 0x00,                    //
                                           0x00, 0xFF, 0x7F, 0x02, 0x43, 0x7B,              //
                                           0x00, 0xFF, 0x60, 0x01, 0x00,                    //
                                           0x00, 0xF7, 0x02, 0xF8, 0xFA,                    //
                                           0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0x2F, 0x00})}),
      concat({header(1, 3, 0xE728),
              track({0x00, 0xFF, 0x00, 0x02, 0x00, 0x01,                    //
                     0x00, 0xFF, 0x54, 0x05, 0x61, 0x00, 0x00, 0x00, 0x00,  //
                     0x00, 0xFF, 0x2F, 0x00}),
              track({0x00, 0xFF, 0x20, 0x01, 0x09,  //
                     0x00, 0xFF, 0x21, 0x01, 0x01,  //
                     0x00, 0x99, 0x24, 0x7F,        //
                     0x0A, 0x89, 0x24, 0x00,        //
                     0x28, 0xFF, 0x2F, 0x00}),
              track(kEndOfTrack)}),
      concat({header(2, 2, 0x0001), track({0x00, 0xFF, 0x01, 0x00, 0x00, 0xFF, 0x2F, 0x00}),
              track({0x7F, 0xFF, 0x2F, 0x00})}),
      concat({header(1, 0, 0x0060)}),
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    // [WHEN] each is read and written again without running status
    const auto report = read_smf(files[i]);
    ASSERT_TRUE(report) << "file " << i << ": " << report.error().message;
    EXPECT_TRUE(report->warnings.empty()) << "file " << i;
    const auto bytes = write_smf(report->file, WriteOptions{false});
    ASSERT_TRUE(bytes) << "file " << i << ": " << bytes.error().message;
    // [THEN] the bytes are the same
    EXPECT_EQ(*bytes, files[i]) << "file " << i;
  }
}

// ---- Models that cannot be written as a valid SMF ----

TEST(SmfWriteError, HeaderProblems) {
  MidiFile file = one_track({});
  file.format = 3;
  EXPECT_TRUE(fails_with(file, "format 3 is not a Standard MIDI File format"));
  file.format = -1;
  EXPECT_TRUE(fails_with(file, "format -1"));
  file.format = 0;
  file.tracks.push_back(Track{});
  EXPECT_TRUE(fails_with(file, "a format 0 file holds exactly one track, not 2"));
  file.tracks.clear();
  EXPECT_TRUE(fails_with(file, "not 0"));

  MidiFile many;
  many.tracks.resize(65536);
  EXPECT_TRUE(fails_with(many, "65536 tracks"));
}

TEST(SmfWriteError, DivisionOutOfRange) {
  MidiFile file = one_track({});
  file.division.ticks_per_quarter = 0;
  EXPECT_TRUE(fails_with(file, "division of 0 ticks per quarter note"));
  file.division.ticks_per_quarter = 32768;
  EXPECT_TRUE(fails_with(file, "division of 32768 ticks per quarter note"));
  file.division = Division{Division::Kind::smpte, 0, 23, 40};
  EXPECT_TRUE(fails_with(file, "SMPTE division frame rate 23"));
  file.division = Division{Division::Kind::smpte, 0, 30, 0};
  EXPECT_TRUE(fails_with(file, "SMPTE division has 0 ticks per frame"));
}

TEST(SmfWriteError, ChannelMessagesOutOfRange) {
  EXPECT_TRUE(fails_with(one_track({{0, NoteOn{0, 128, 64}}}),
                         "track 1, event 1 (tick 0): note-on first data byte 128 is over 127"));
  EXPECT_TRUE(fails_with(one_track({{0, ProgramChange{0, 1}}, {5, NoteOff{0, 60, 200}}}),
                         "track 1, event 2 (tick 5): note-off second data byte 200 is over 127"));
  EXPECT_TRUE(fails_with(one_track({{0, ControlChange{16, 7, 100}}}),
                         "control change channel 16 is out of range"));
  EXPECT_TRUE(fails_with(one_track({{0, PolyPressure{0, 60, 128}}}), "polyphonic pressure"));
  EXPECT_TRUE(fails_with(one_track({{0, ChannelPressure{0, 255}}}), "channel pressure"));
  EXPECT_TRUE(fails_with(one_track({{0, PitchBend{0, 8192}}}),
                         "pitch bend value 8192 is out of range; expected -8192..8191"));
  EXPECT_TRUE(fails_with(one_track({{0, PitchBend{0, -8193}}}), "pitch bend value -8193"));
}

TEST(SmfWriteError, TicksOutOfOrderNegativeOrTooFarApart) {
  EXPECT_TRUE(fails_with(one_track({{10, ProgramChange{0, 1}}, {5, ProgramChange{0, 2}}}),
                         "track 1, event 2 (tick 5): events are out of tick order"));
  EXPECT_TRUE(fails_with(one_track({{-1, ProgramChange{0, 1}}}), "the tick is negative"));
  EXPECT_TRUE(fails_with(one_track({}, -5), "track 1: end tick -5 is negative"));
  EXPECT_TRUE(fails_with(one_track({{0x10000000, ProgramChange{0, 1}}}),
                         "the gap of 268435456 ticks from the previous event is over"));
  EXPECT_TRUE(fails_with(one_track({{1, ProgramChange{0, 1}}}, 0x10000001),
                         "track 1, end-of-track (tick 268435457): the gap"));
}

TEST(SmfWriteError, MetaEventsOutOfRange) {
  EXPECT_TRUE(fails_with(one_track({{0, SetTempo{0}}}),
                         "tempo of 0 microseconds per quarter note is out of range"));
  EXPECT_TRUE(fails_with(one_track({{0, SetTempo{0x1000000}}}), "tempo of 16777216"));
  EXPECT_TRUE(fails_with(one_track({{0, KeySignature{8, false}}}), "key signature of 8 sharps"));
  EXPECT_TRUE(fails_with(one_track({{0, KeySignature{-8, true}}}), "key signature of -8 sharps"));
  EXPECT_TRUE(fails_with(one_track({{0, ChannelPrefix{16}}}), "channel prefix 16"));
  EXPECT_TRUE(fails_with(one_track({{0, Text{static_cast<TextKind>(0x0A), "x"}}}),
                         "text kind 10 is not a text meta type"));
  EXPECT_TRUE(fails_with(one_track({{0, Text{static_cast<TextKind>(0), "x"}}}), "text kind 0"));
}

TEST(SmfWriteError, UnknownMetaThatWouldReadBackAsSomethingElse) {
  // [GIVEN] unknown meta events holding the standard form of a typed event, or an end-of-track
  // [THEN] the writer refuses them, since reading them back would not give the same model
  EXPECT_TRUE(fails_with(one_track({{0, UnknownMeta{0x51, {0x07, 0xA1, 0x20}}}}),
                         "would read back as that type"));
  EXPECT_TRUE(fails_with(one_track({{0, UnknownMeta{0x03, {'x'}}}}), "type 3"));
  EXPECT_TRUE(fails_with(one_track({{0, UnknownMeta{0x7F, {}}}}), "type 127"));
  EXPECT_TRUE(fails_with(one_track({{0, UnknownMeta{0x2F, {}}}}), "set Track::end_tick"));
  // ...while the same types in a non-standard form are written verbatim.
  const auto bytes = write_smf(one_track({{0, UnknownMeta{0x51, {0x00, 0x00, 0x00}}}}));
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes, concat({header(1, 1, 96), track({0x00, 0xFF, 0x51, 0x03, 0x00, 0x00, 0x00, 0x00,
                                                     0xFF, 0x2F, 0x00})}));
}

TEST(SmfWriteError, DataTooLongForAVariableLengthQuantity) {
  SysEx huge{false, std::vector<std::uint8_t>(0x10000000, 0x00)};
  EXPECT_TRUE(
      fails_with(one_track({{0, std::move(huge)}}),
                 "268435456 data bytes are more than a variable-length quantity can count"));
}

}  // namespace
}  // namespace duet::midi
