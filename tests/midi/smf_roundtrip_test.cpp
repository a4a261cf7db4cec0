// Model -> bytes -> model: reading what was written gives an equal MidiFile, with and without
// running status, for a rich hand-made model and for many random ones.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "midi/smf.h"
#include "midi/smf_test_util.h"

namespace duet::midi {
namespace {

// Every message type, three tracks, simultaneous events, a gap of the largest delta, an end tick
// past the last event and one below it (which the writer raises).
MidiFile rich_file() {
  MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = 960;
  Track conductor;
  conductor.events = {{0, SequenceNumber{1}},
                      {0, Text{TextKind::track_name, "1M3 The Approach"}},
                      {0, Text{TextKind::copyright, "(c) duet"}},
                      {0, SmpteOffset{0x61, 0, 59, 10, 0}},
                      {0, TimeSignature{6, 3, 36, 8}},
                      {0, KeySignature{-3, true}},
                      {0, SetTempo{600000}},
                      {3840, Text{TextKind::marker, "hit: door slam"}},
                      {3840, SetTempo{1}},
                      {3840, SetTempo{0xFFFFFF}},
                      {5760, Text{TextKind::cue_point, "streamer"}},
                      {5760, UnknownMeta{0x51, {0, 0, 0}}},
                      {5760, UnknownMeta{0x60, {1, 2, 3}}},
                      {5760 + 0x0FFFFFFF, Text{TextKind::text, std::string("\0\xFF", 2)}}};
  conductor.end_tick = 5760 + 0x0FFFFFFF + 100;
  Track strings;
  strings.events = {{0, Text{TextKind::instrument_name, "Violins I"}},
                    {0, Text{TextKind::program_name, "Long"}},
                    {0, Text{TextKind::device_name, "Port A"}},
                    {0, ChannelPrefix{2}},
                    {0, PortPrefix{1}},
                    {0, SysEx{false, {0x41, 0x10, 0x42, 0x12, 0xF7}}},
                    {0, SysEx{true, {0xF0, 0x01}}},
                    {0, ProgramChange{2, 48}},
                    {0, ControlChange{2, 7, 100}},
                    {0, ControlChange{2, 11, 64}},
                    {0, NoteOn{2, 60, 80}},
                    {0, NoteOn{2, 64, 80}},
                    {480, PolyPressure{2, 60, 30}},
                    {480, ChannelPressure{2, 40}},
                    {960, PitchBend{2, -8192}},
                    {960, PitchBend{2, 8191}},
                    {960, PitchBend{2, 0}},
                    {1920, NoteOff{2, 60, 64}},
                    {1920, NoteOn{2, 64, 0}},
                    {1920, Text{TextKind::lyric, "ah"}},
                    {1920, NoteOn{2, 67, 1}},
                    {2880, NoteOff{2, 67, 0}},
                    {2880, SequencerSpecific{{0x00, 0x00, 0x41, 0x01}}}};
  strings.end_tick = 3840;
  Track empty;
  empty.end_tick = 0;
  file.tracks = {conductor, strings, empty};
  return file;
}

void expect_round_trip(const MidiFile& file, bool running_status, const std::string& label) {
  const auto bytes = write_smf(file, WriteOptions{running_status});
  ASSERT_TRUE(bytes) << label << ": " << bytes.error().message;
  const auto back = read_smf(*bytes);
  ASSERT_TRUE(back) << label << ": " << back.error().message;
  // What the writer produces reads without complaint, apart from the non-standard meta forms the
  // model asked for.
  for (const base::Warning& w : back->warnings) {
    EXPECT_NE(w.message.find("not in its standard form"), std::string::npos)
        << label << ": " << w.message;
  }
  MidiFile expected = file;
  for (Track& track : expected.tracks) {
    if (!track.events.empty()) {
      track.end_tick = std::max(track.end_tick, track.events.back().tick);
    }
  }
  EXPECT_EQ(back->file, expected) << label;
}

TEST(SmfRoundTrip, ARichFileComesBackEqualWithAndWithoutRunningStatus) {
  // [GIVEN] a file using every message type and both edge deltas
  const MidiFile file = rich_file();
  // [WHEN] it is written and read back, [THEN] the model is equal
  expect_round_trip(file, true, "running status");
  expect_round_trip(file, false, "no running status");
  // Running status saves bytes on this file.
  EXPECT_LT(write_smf(file, WriteOptions{true})->size(),
            write_smf(file, WriteOptions{false})->size());
}

TEST(SmfRoundTrip, AnEndTickBelowTheLastEventIsRaisedToIt) {
  MidiFile file = rich_file();
  file.tracks[1].end_tick = 5;
  expect_round_trip(file, true, "low end tick");
}

TEST(SmfRoundTrip, SmpteDivisionsComeBackEqual) {
  for (const int fps : {24, 25, 29, 30}) {
    MidiFile file = rich_file();
    file.division = Division{Division::Kind::smpte, 0, static_cast<std::uint8_t>(fps), 100};
    expect_round_trip(file, true, "smpte " + std::to_string(fps));
  }
}

TEST(SmfRoundTripProperty, RandomFilesComeBackEqual) {
  // Fixed seeds: a failure names its seed, and test::random_file(seed) rebuilds the model.
  for (std::uint32_t seed = 1; seed <= 600; ++seed) {
    const MidiFile file = test::random_file(seed);
    expect_round_trip(file, true, "seed " + std::to_string(seed) + ", running status");
    expect_round_trip(file, false, "seed " + std::to_string(seed) + ", no running status");
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(SmfRoundTripProperty, WritingWhatWasReadGivesTheSameBytes) {
  // The writer's output is a fixed point: read it and write it again with the same options.
  for (std::uint32_t seed = 1000; seed < 1200; ++seed) {
    for (const bool running_status : {true, false}) {
      const auto bytes = write_smf(test::random_file(seed), WriteOptions{running_status});
      ASSERT_TRUE(bytes) << "seed " << seed;
      const auto back = read_smf(*bytes);
      ASSERT_TRUE(back) << "seed " << seed;
      const auto again = write_smf(back->file, WriteOptions{running_status});
      ASSERT_TRUE(again) << "seed " << seed;
      EXPECT_EQ(*again, *bytes) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace duet::midi
