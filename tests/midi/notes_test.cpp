// Note pairing: first in, first out per channel and key.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "midi/smf.h"
#include "midi/smf_test_util.h"

namespace duet::midi {
namespace {

Track make_track(std::vector<Event> events, std::int64_t end_tick) {
  return Track{std::move(events), end_tick};
}

TEST(PairNotes, PairsOnsWithOffsAndVelocityZeroOns) {
  const Track track = make_track({{0, NoteOn{0, 60, 100}},
                                  {0, ControlChange{0, 64, 127}},
                                  {480, NoteOff{0, 60, 33}},
                                  {480, NoteOn{0, 62, 90}},
                                  {960, NoteOn{0, 62, 0}}},
                                 960);
  std::vector<base::Warning> warnings;
  const std::vector<Note> notes = pair_notes(track, &warnings);
  const std::vector<Note> expected = {{0, 60, 100, 33, 0, 480}, {0, 62, 90, 0, 480, 480}};
  EXPECT_EQ(notes, expected);
  EXPECT_TRUE(warnings.empty());
}

TEST(PairNotes, OverlappingNotesOfOnePitchEndFirstInFirstOut) {
  // [GIVEN] C4 struck at 0 and again at 100 before the first is released, then two releases
  const Track track = make_track({{0, NoteOn{0, 60, 100}},
                                  {100, NoteOn{0, 60, 50}},
                                  {200, NoteOff{0, 60, 1}},
                                  {300, NoteOff{0, 60, 2}}},
                                 300);
  // [WHEN] notes are paired
  const std::vector<Note> notes = pair_notes(track);
  // [THEN] the first release ends the first note and the second the second
  const std::vector<Note> expected = {{0, 60, 100, 1, 0, 200}, {0, 60, 50, 2, 100, 200}};
  EXPECT_EQ(notes, expected);
}

TEST(PairNotes, ZeroLengthNotesAndRetriggersAtTheSameTick) {
  // [GIVEN] a zero-length note (on and off at tick 10), and at tick 20 an off then an on of E4
  const Track track = make_track({{10, NoteOn{0, 60, 100}},
                                  {10, NoteOff{0, 60, 0}},
                                  {15, NoteOn{0, 64, 70}},
                                  {20, NoteOn{0, 64, 0}},
                                  {20, NoteOn{0, 64, 80}},
                                  {30, NoteOff{0, 64, 0}}},
                                 30);
  std::vector<base::Warning> warnings;
  const std::vector<Note> notes = pair_notes(track, &warnings);
  // [THEN] the zero-length note is kept with duration 0, and the retrigger makes two notes
  const std::vector<Note> expected = {
      {0, 60, 100, 0, 10, 0}, {0, 64, 70, 0, 15, 5}, {0, 64, 80, 0, 20, 10}};
  EXPECT_EQ(notes, expected);
  EXPECT_TRUE(warnings.empty());
}

TEST(PairNotes, ChannelsAndKeysArePairedSeparately) {
  const Track track = make_track({{0, NoteOn{0, 60, 100}},
                                  {0, NoteOn{1, 60, 100}},
                                  {0, NoteOn{0, 61, 100}},
                                  {10, NoteOff{1, 60, 0}},
                                  {20, NoteOff{0, 61, 0}},
                                  {30, NoteOff{0, 60, 0}}},
                                 30);
  const std::vector<Note> expected = {
      {0, 60, 100, 0, 0, 30}, {1, 60, 100, 0, 0, 10}, {0, 61, 100, 0, 0, 20}};
  EXPECT_EQ(pair_notes(track), expected);
}

TEST(PairNotes, NotesThatNeverEndCloseAtTheTrackEndWithAWarning) {
  // [GIVEN] a note-on with no off, in a track ending at 1920
  const Track track = make_track({{480, NoteOn{9, 36, 127}}, {500, NoteOn{3, 70, 60}}}, 1920);
  std::vector<base::Warning> warnings;
  // [WHEN] notes are paired
  const std::vector<Note> notes = pair_notes(track, &warnings);
  // [THEN] each lasts to the end, and a warning names channel, key and tick
  const std::vector<Note> expected = {{9, 36, 127, 0, 480, 1440}, {3, 70, 60, 0, 500, 1420}};
  EXPECT_EQ(notes, expected);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].message,
            "note-on for channel 10 key 36 at tick 480 never ends; closed at the track's end, tick "
            "1920");
  EXPECT_EQ(warnings[1].message,
            "note-on for channel 4 key 70 at tick 500 never ends; closed at the track's end, tick "
            "1920");
}

TEST(PairNotes, AnEndTickBeforeAnUnendedNoteGivesADurationOfZero) {
  const Track track = make_track({{480, NoteOn{0, 60, 100}}}, 0);
  const std::vector<Note> notes = pair_notes(track);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].duration, 0);
}

TEST(PairNotes, StrayOffsAreIgnoredWithAWarning) {
  const Track track = make_track({{5, NoteOff{2, 50, 0}},
                                  {6, NoteOn{2, 50, 0}},
                                  {7, NoteOn{2, 50, 90}},
                                  {8, NoteOff{2, 50, 0}}},
                                 8);
  std::vector<base::Warning> warnings;
  const std::vector<Note> notes = pair_notes(track, &warnings);
  const std::vector<Note> expected = {{2, 50, 90, 0, 7, 1}};
  EXPECT_EQ(notes, expected);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].message,
            "note-off for channel 3 key 50 at tick 5 has no sounding note to end; ignored");
  EXPECT_TRUE(test::has_warning(warnings, "at tick 6 has no sounding note"));
  // Without a warnings vector the result is the same.
  EXPECT_EQ(pair_notes(track), expected);
}

TEST(PairNotes, OutputIsSortedByStartThenFileOrder) {
  // [GIVEN] notes that end in a different order from the one they start in
  const Track track = make_track({{0, NoteOn{0, 72, 1}},
                                  {0, NoteOn{0, 48, 2}},
                                  {0, NoteOn{0, 60, 3}},
                                  {5, NoteOff{0, 60, 0}},
                                  {5, NoteOn{0, 40, 4}},
                                  {6, NoteOff{0, 48, 0}},
                                  {7, NoteOff{0, 40, 0}},
                                  {9, NoteOff{0, 72, 0}}},
                                 9);
  // [THEN] they come out by start, ties in file order
  const std::vector<Note> notes = pair_notes(track);
  ASSERT_EQ(notes.size(), 4u);
  EXPECT_EQ(notes[0].velocity, 1);
  EXPECT_EQ(notes[1].velocity, 2);
  EXPECT_EQ(notes[2].velocity, 3);
  EXPECT_EQ(notes[3].velocity, 4);
}

TEST(PairNotes, OutOfRangeChannelsAndKeysInAHandBuiltModelDoNotCrash) {
  const Track track = make_track({{0, NoteOn{255, 255, 1}}, {1, NoteOff{255, 255, 0}}}, 1);
  const std::vector<Note> expected = {{255, 255, 1, 0, 0, 1}};
  EXPECT_EQ(pair_notes(track), expected);
}

TEST(PairNotes, PairsNotesReadFromAFile) {
  using test::Bytes;
  // [GIVEN] a file using running status and velocity-0 offs, as most sequencers write
  const Bytes events = {0x00, 0x90, 0x3C, 0x64, 0x60, 0x3C, 0x00, 0x00, 0x3E,
                        0x64, 0x60, 0x3E, 0x00, 0x00, 0xFF, 0x2F, 0x00};
  const auto report = read_smf(test::one_track_file(events));
  ASSERT_TRUE(report) << report.error().message;
  const std::vector<Note> expected = {{0, 60, 100, 0, 0, 96}, {0, 62, 100, 0, 96, 96}};
  EXPECT_EQ(pair_notes(report->file.tracks.at(0)), expected);
}

}  // namespace
}  // namespace duet::midi
