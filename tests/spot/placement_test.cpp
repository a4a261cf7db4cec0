#include "spot/placement.h"

#include <gtest/gtest.h>

#include "midi/timing.h"
#include "time/timecode.h"

namespace duet::spot {
namespace {

using time::FrameRate;
using time::TimePos;

TimePos at(int h, int m, int s, int f, const FrameRate& rate) {
  return time::to_time(time::Timecode{h, m, s, f}, rate);
}

midi::MidiFile one_note_file() {
  midi::MidiFile file;
  file.division.ticks_per_quarter = 480;
  midi::Track track;
  track.events.push_back({0, midi::SetTempo{500000}});
  track.end_tick = 480;
  file.tracks.push_back(track);
  return file;
}

// [GIVEN] a cue with a tempo map whose bar 1 lies a beat before the in (a pickup), and a file
// [THEN]  the file's SMPTE offset places it when it has one; else bar 1 of the map; else the in
TEST(PlaceMidi, SmpteOffsetThenTheTempoMapThenTheInPoint) {
  const FrameRate rate = FrameRate::fps24();
  Cue cue;
  cue.id = *parse_cue_id("1M3");
  cue.in = at(1, 0, 10, 0, rate);
  cue.out = at(1, 0, 40, 0, rate);
  midi::MidiFile file = one_note_file();

  MidiPlacement p = place_midi(file, cue, rate);
  EXPECT_EQ(p.from, MidiPlacement::From::in_point);
  EXPECT_EQ(p.at, cue.in);

  const TimePos bar_one = at(1, 0, 9, 12, rate);
  cue.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(120), {}, bar_one);
  p = place_midi(file, cue, rate);
  EXPECT_EQ(p.from, MidiPlacement::From::tempo_map);
  EXPECT_EQ(p.at, bar_one);

  const TimePos offset = at(1, 0, 11, 5, rate);
  file.tracks.front().events.insert(file.tracks.front().events.begin(),
                                    {0, midi::smpte_offset_at(offset, rate)});
  p = place_midi(file, cue, rate);
  EXPECT_EQ(p.from, MidiPlacement::From::smpte_offset);
  EXPECT_EQ(p.at, offset);
  EXPECT_EQ(to_string(p.from), "smpte offset");
}

}  // namespace
}  // namespace duet::spot
