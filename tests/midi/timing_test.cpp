#include "midi/timing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "midi/summary.h"
#include "time/tempo_map_text.h"

namespace duet::midi {
namespace {

using time::BeatPos;
using time::kSuperclockPerSecond;
using time::TimePos;

MidiFile ppq_file(std::vector<Event> conductor, std::uint16_t ppq = 480) {
  MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = ppq;
  Track track;
  track.events = std::move(conductor);
  track.end_tick = track.events.empty() ? 0 : track.events.back().tick;
  file.tracks.push_back(track);
  return file;
}

MidiFile reread(const MidiFile& file) {
  auto bytes = write_smf(file);
  EXPECT_TRUE(bytes) << (bytes ? "" : bytes.error().message);
  auto back = read_smf(*bytes);
  EXPECT_TRUE(back) << (back ? "" : back.error().message);
  return back->file;
}

TEST(Ticks, ExactWhenThePpqDividesOneNineTwentyAndNearestOtherwise) {
  EXPECT_EQ(beat_of_tick(480, 480), BeatPos(1920));
  EXPECT_EQ(beat_of_tick(7, 96), BeatPos(140));
  EXPECT_EQ(tick_of_beat(BeatPos(1920), 384), 384);
  EXPECT_EQ(beat_of_tick(1, 1000), BeatPos(2));  // 1.92 rounds to 2
  EXPECT_EQ(tick_of_beat(BeatPos(2), 1000), 1);
}

TEST(Timeline, TempoEventsBecomeATempoMap) {
  // [GIVEN] 480 PPQ, 120 BPM, then 60 BPM from the third quarter
  const MidiFile file = ppq_file({{0, SetTempo{500000}}, {960, SetTempo{1000000}}});
  const Timeline timeline = Timeline::of(file);
  // [THEN] two quarters take 1 s, the next two take 2 s
  EXPECT_EQ(timeline.time_of_tick(960), TimePos(kSuperclockPerSecond));
  EXPECT_EQ(timeline.time_of_tick(1920), TimePos(3 * kSuperclockPerSecond));
  EXPECT_EQ(timeline.beat_of(1920), BeatPos(4 * 1920));
  EXPECT_EQ(timeline.tempo_map().tempo_changes().size(), 2u);
}

TEST(Timeline, DefaultsTo120AndFourFourBeforeTheFirstEvents) {
  const Timeline timeline = Timeline::of(ppq_file({{480, SetTempo{1000000}}}));
  EXPECT_EQ(timeline.time_of_tick(480), TimePos(kSuperclockPerSecond / 2));
  EXPECT_EQ(timeline.tempo_map().meter_at(BeatPos(0)), (time::Meter{4, 4}));
}

TEST(Timeline, TimeSignaturesBecomeMetersAndBadOnesAreSkippedWithAWarning) {
  std::vector<base::Warning> warnings;
  const MidiFile file = ppq_file({{0, TimeSignature{3, 2, 24, 8}},
                                  {1440 * 2, TimeSignature{6, 3, 36, 8}},
                                  {1440 * 3, TimeSignature{4, 9, 24, 8}}});
  const Timeline timeline = Timeline::of(file, &warnings);
  const auto& map = timeline.tempo_map();
  EXPECT_EQ(map.bbt_at(*timeline.beat_of(1440 * 2)), (time::BBT{3, 1, 0}));
  EXPECT_EQ(map.meter_at(*timeline.beat_of(1440 * 2)), (time::Meter{6, 8}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].message.find("time signature skipped"), std::string::npos);
}

TEST(Timeline, ExtremeTemposAreClampedWithAWarning) {
  std::vector<base::Warning> warnings;
  const Timeline timeline = Timeline::of(ppq_file({{0, SetTempo{1}}}), &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_DOUBLE_EQ(timeline.tempo_map().quarters_per_minute_at(BeatPos(0)), 10000.0);
}

TEST(Timeline, SmpteDivisionTicksInRealTime) {
  MidiFile file;
  file.division = Division{Division::Kind::smpte, 0, 25, 40};
  file.tracks.push_back(Track{});
  const Timeline timeline = Timeline::of(file);
  EXPECT_FALSE(timeline.has_beats());
  EXPECT_FALSE(timeline.beat_of(1000));
  EXPECT_EQ(timeline.time_of_tick(1000), TimePos(kSuperclockPerSecond));
  file.division.smpte_fps = 29;  // 29.97 drop-frame
  EXPECT_EQ(Timeline::of(file).time_of_tick(30 * 40), TimePos(kSuperclockPerSecond * 1001 / 1000));
}

TEST(SmpteOffset, RoundTripsAtDropFrame) {
  const time::FrameRate df = time::FrameRate::fps29_97(true);
  const TimePos start = time::to_time(time::parse_timecode("01:00:10;00", df).value(), df);
  const SmpteOffset offset = smpte_offset_at(start, df);
  EXPECT_EQ(offset.hours_and_rate, (2 << 5) | 1);
  EXPECT_EQ(offset.seconds, 10);
  MidiFile file = ppq_file({{0, offset}});
  const auto found = smpte_start(reread(file));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->rate, df);
  EXPECT_EQ(found->position, start);
}

TEST(SmpteOffset, ReadAtTheProjectsRateWhenMidiLabelsItSo) {
  const time::FrameRate film = time::FrameRate::fps23_976();
  const TimePos start = time::to_time(time::parse_timecode("01:00:10:12", film).value(), film);
  // MIDI writes 23.976 as 24: the label read at 23.976 is where the DAW puts the file.
  const MidiFile file = reread(ppq_file({{0, smpte_offset_at(start, film)}}));
  ASSERT_TRUE(smpte_start_at(file, film));
  EXPECT_EQ(*smpte_start_at(file, film), start);
  EXPECT_NE(smpte_start(file)->position, start);  // at 24 fps the same label is earlier
  // A label of another rate (25 in a 24 fps project) is read at its own rate.
  const time::FrameRate pal = time::FrameRate::fps25();
  const TimePos at25 = time::to_time(time::parse_timecode("01:00:10:12", pal).value(), pal);
  const MidiFile other = reread(ppq_file({{0, smpte_offset_at(at25, pal)}}));
  EXPECT_EQ(smpte_start_at(other, time::FrameRate::fps24()), at25);
  EXPECT_FALSE(smpte_start_at(reread(ppq_file({})), film));
}

// Writes a map as a conductor track, reads it back, and measures the worst timing error at every
// 16th note.
double worst_error_us(const time::TempoMap& map, BeatPos end, int ppq) {
  ConductorOptions options;
  options.ticks_per_quarter = ppq;
  auto track = conductor_track(map, end, options);
  EXPECT_TRUE(track);
  MidiFile file;
  file.division.ticks_per_quarter = static_cast<std::uint16_t>(ppq);
  file.tracks.push_back(*track);
  const Timeline timeline = Timeline::of(reread(file));
  double worst = 0;
  for (BeatPos b(0); b <= end; b += time::BeatDur(480)) {
    const double error =
        std::abs(time::microseconds(timeline.time_of_tick(tick_of_beat(b, ppq)) - map.time_at(b)));
    worst = std::max(worst, error);
  }
  return worst;
}

TEST(ConductorTrack, RampsLandWithinMicrosecondsAfterAMidiRoundTrip) {
  // [GIVEN] the demo's shapes: a ramp linear in beats, a meter change, a ramp linear in time
  const auto map = time::TempoMap::create(
      {{BeatPos(0), time::Tempo::quarters_per_minute(84), time::Ramp::linear_in_beats},
       {BeatPos(16 * 1920), time::Tempo::quarters_per_minute(126), time::Ramp::linear_in_time},
       {BeatPos(28 * 1920), time::Tempo::quarters_per_minute(75)}},
      time::MeterMap::from_bars({{1, time::Meter{4, 4}}, {5, time::Meter{3, 4}}}).value());
  ASSERT_TRUE(map);
  // [WHEN] written as stepped MIDI tempo events and read back
  // [THEN] every 16th note lands within 2 µs of the exact map
  EXPECT_LT(worst_error_us(*map, BeatPos(40 * 1920), 960), 2.0);
  EXPECT_LT(worst_error_us(*map, BeatPos(40 * 1920), 480), 2.0);
}

TEST(ConductorTrack, AConstantTempoDriftsAtMostHalfAMicrosecondPerQuarter) {
  // 117.551 BPM (a 12-2 frame click) is 510416.67 µs per quarter: MIDI can only say 510417.
  const auto map = time::TempoMap::constant(time::frame_click(12, 2, time::FrameRate::fps24()));
  const double worst = worst_error_us(map, BeatPos(100 * 1920), 960);
  EXPECT_LE(worst, 0.5 * 100 + 1);
  EXPECT_GT(worst, 10.0);  // the drift is real, and this test would see it grow
}

TEST(ConductorTrack, WritesNameSmpteOffsetAndMeters) {
  const auto map = time::parse_tempo_map({"1=120"}, {"1=4/4", "3=6/8"}).value();
  ConductorOptions options;
  options.track_name = "1M1 conductor";
  options.rate = time::FrameRate::fps24();
  const Track track = conductor_track(map, BeatPos(8 * 1920), options).value();
  ASSERT_GE(track.events.size(), 4u);
  EXPECT_EQ(track.events[0].message, Message(Text{TextKind::track_name, "1M1 conductor"}));
  EXPECT_TRUE(std::holds_alternative<SmpteOffset>(track.events[1].message));
  int signatures = 0;
  for (const Event& e : track.events) {
    if (const auto* sig = std::get_if<TimeSignature>(&e.message)) {
      ++signatures;
      if (sig->numerator == 6) {
        EXPECT_EQ(sig->denominator_power, 3);
        EXPECT_EQ(e.tick, 2 * 4 * 960);
      }
    }
  }
  EXPECT_EQ(signatures, 2);
  EXPECT_FALSE(conductor_track(map, BeatPos(0), ConductorOptions{0, time::BeatDur(480), "", {}}));
}

TEST(TrackFromNotes, RepeatedAndZeroLengthNotesPairBackAsWritten) {
  const std::vector<Note> notes{{0, 60, 90, 0, 0, 480},
                                {0, 60, 80, 0, 480, 480},
                                {0, 64, 70, 0, 480, 0},
                                {0, 67, 70, 0, 960, 240}};
  const Track track = track_from_notes("Horn", 0, 60, notes);
  std::vector<base::Warning> warnings;
  const std::vector<Note> back = pair_notes(track, &warnings);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(back, notes);
  EXPECT_EQ(track.end_tick, 1200);
  EXPECT_EQ(track.events[1].message, Message(ProgramChange{0, 60}));
  EXPECT_EQ(track_from_notes("Drums", 9, 0, {}).events.size(), 1u);  // no program on drums
}

TEST(Summary, CountsTracksNotesInstrumentsMarkersAndDuration) {
  MidiFile file = ppq_file({{0, Text{TextKind::track_name, "Conductor"}},
                            {0, SetTempo{1000000}},
                            {0, KeySignature{-1, true}},
                            {960, Text{TextKind::marker, "door opens"}}});
  file.tracks.push_back(
      track_from_notes("Strings", 0, 48, {{0, 50, 80, 0, 0, 1920}, {0, 62, 80, 0, 0, 1920}}));
  file.tracks.push_back(track_from_notes("Click", 9, 0, {{9, 76, 100, 0, 0, 60}}));
  const FileSummary s = summarize(reread(file));
  ASSERT_EQ(s.tracks.size(), 3u);
  EXPECT_EQ(s.notes, 3u);
  EXPECT_EQ(s.tracks[1].name, "Strings");
  EXPECT_EQ(s.tracks[1].programs, std::vector<int>{48});
  EXPECT_EQ(s.tracks[1].lowest_key, 50);
  EXPECT_EQ(s.tracks[1].highest_key, 62);
  EXPECT_EQ(s.tracks[2].channels, std::vector<int>{9});
  EXPECT_EQ(s.tracks[0].lowest_key, -1);
  ASSERT_EQ(s.markers.size(), 1u);
  EXPECT_EQ(s.markers[0].text, "door opens");
  ASSERT_EQ(s.keys.size(), 1u);
  EXPECT_EQ(key_name(s.keys[0].key), "D minor");
  EXPECT_EQ(s.duration, time::TimeDur(4 * kSuperclockPerSecond));  // 4 quarters at 60
  EXPECT_TRUE(s.warnings.empty());
}

TEST(Summary, KeyNames) {
  EXPECT_EQ(key_name(KeySignature{0, false}), "C major");
  EXPECT_EQ(key_name(KeySignature{3, true}), "F# minor");
  EXPECT_EQ(key_name(KeySignature{-7, false}), "Cb major");
  EXPECT_EQ(key_name(KeySignature{7, true}), "A# minor");
}

}  // namespace
}  // namespace duet::midi
