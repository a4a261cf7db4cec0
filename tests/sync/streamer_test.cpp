// Streamers and punches for a cue, the overlays burned for them, and their marker lists (CSV and
// MIDI markers).
#include "sync/streamer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "midi/smf.h"
#include "midi/timing.h"
#include "sync/markers.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace duet::sync {
namespace {

using time::TimePos;

const time::FrameRate kRate = time::FrameRate::fps24();

TimePos tc(const char* text) {
  return time::to_time(time::parse_timecode(text, kRate).value(), kRate);
}

// 1M3 from 01:00:10:00 to 01:00:40:00: 120 for 4 bars, a ramp 120 -> 90 over bars 5-8, then 90
// in 3/4 from bar 9; a hard hit and a soft one.
struct Fixture {
  spot::Cue cue;
  time::TempoMap map;
  Fixture() {
    cue.id = spot::parse_cue_id("1M3").value();
    cue.in = tc("01:00:10:00");
    cue.out = tc("01:00:40:00");
    cue.hits.push_back({tc("01:00:14:12"), "door slams", spot::HitKind::hard});
    cue.hits.push_back({tc("01:00:16:00"), "she turns", spot::HitKind::soft});
    map = time::parse_tempo_map({"1=120", "5=120~", "9=90"}, {"1=4/4", "9=3/4"}, cue.in).value();
  }
};

TEST(Streamers, StartHitsWarningsAndEndInTimeOrderWithTheirColours) {
  const Fixture f;
  const auto list = cue_streamers(f.cue, f.map, kRate).value();
  ASSERT_EQ(list.size(), 6u);
  // Bar 5 is 8 s in; bar 9 is 8 s + 16 beats of the ramp from 120 to 90: 32 ln(4/3) = 9.206 s
  // later, 01:00:27:04.94, so its streamer is on 01:00:27:05.
  EXPECT_NEAR(time::seconds(f.map.time_at(f.map.meters().bar_start(9)) - f.cue.in),
              8 + 32 * std::log(4.0 / 3.0), 1e-6);
  struct Expected {
    StreamerKind kind;
    StreamerColour colour;
    std::string label;
    TimePos at;
    std::string position;
  };
  const Expected expected[] = {
      {StreamerKind::start, StreamerColour::green, "1M3 start", tc("01:00:10:00"), "1|1|0"},
      {StreamerKind::hit, StreamerColour::white, "door slams", tc("01:00:14:12"), "3|2|0"},
      {StreamerKind::hit, StreamerColour::yellow, "she turns", tc("01:00:16:00"), "4|1|0"},
      {StreamerKind::warning, StreamerColour::yellow, "tempo 120, ramp", tc("01:00:18:00"),
       "5|1|0"},
      {StreamerKind::warning, StreamerColour::yellow, "tempo 90, meter 3/4", tc("01:00:27:05"),
       "9|1|0"},
      {StreamerKind::end, StreamerColour::red, "1M3 end", tc("01:00:40:00"),
       f.map.bbt_at(tc("01:00:40:00")).to_string()},
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Streamer& s = list[i];
    EXPECT_EQ(s.kind, expected[i].kind) << i;
    EXPECT_EQ(s.colour, expected[i].colour) << i;
    EXPECT_EQ(s.label, expected[i].label) << i;
    EXPECT_EQ(s.at, expected[i].at) << i;
    // 3 s = 72 frames before, a 2-frame punch, no flutters by default.
    EXPECT_EQ(s.sweep_start, s.at - kRate.frame_duration() * 72) << i;
    EXPECT_EQ(s.punch_end, s.at + kRate.frame_duration() * 2) << i;
    EXPECT_TRUE(s.flutters.empty());
  }
  // Positions are the events' own: bar 9 lands between frames, and its streamer, on the
  // nearest frame, still says 9|1|0.
  for (std::size_t i = 0; i < list.size(); ++i)
    EXPECT_EQ(list[i].position.to_string(), expected[i].position) << i;
}

TEST(Streamers, OptionsChooseLengthPunchFluttersAndWhatIsShown) {
  const Fixture f;
  StreamerOptions o;
  o.length = time::TimeDur(2 * time::kSuperclockPerSecond);
  o.punch_frames = 3;
  o.flutter_beats = 3;
  o.changes = false;
  const auto list = cue_streamers(f.cue, f.map, kRate, o).value();
  ASSERT_EQ(list.size(), 4u);
  const Streamer& door = list[1];
  EXPECT_EQ(door.sweep_start, door.at - kRate.frame_duration() * 48);
  EXPECT_EQ(door.punch_end, door.at + kRate.frame_duration() * 3);
  // The hit is on 3|2|0 at 120 (4.5 s in): the three beats before it, half a second apart (12
  // frames).
  ASSERT_EQ(door.flutters.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(door.flutters[static_cast<std::size_t>(i)],
              door.at - kRate.frame_duration() * (12 * (3 - i)));
  }
  // The start's flutters would be before bar 1 (the count-off): the first tempo continues, and
  // they are within the 2 s streamer.
  EXPECT_EQ(list[0].flutters.size(), 3u);
  o.hits = false;
  EXPECT_EQ(cue_streamers(f.cue, f.map, kRate, o).value().size(), 2u);

  StreamerOptions bad;
  bad.length = time::TimeDur(time::kSuperclockPerSecond / 2);
  EXPECT_FALSE(cue_streamers(f.cue, f.map, kRate, bad));
  bad = {};
  bad.punch_frames = 0;
  EXPECT_FALSE(cue_streamers(f.cue, f.map, kRate, bad));
  bad = {};
  bad.flutter_beats = 9;
  EXPECT_NE(cue_streamers(f.cue, f.map, kRate, bad).error().message.find("flutter"),
            std::string::npos);
}

TEST(Streamers, ChangesAfterTheOutAreNotShown) {
  Fixture f;
  f.cue.out = tc("01:00:19:00");
  f.cue.hits.pop_back();
  const auto list = cue_streamers(f.cue, f.map, kRate).value();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list.back().kind, StreamerKind::end);
  EXPECT_EQ(list[2].label, "tempo 120, ramp");
}

TEST(Streamers, OverlaysAreOnTheFilmsTimeline) {
  const Fixture f;
  StreamerOptions o;
  o.flutter_beats = 2;
  const auto list = cue_streamers(f.cue, f.map, kRate, o).value();
  const TimePos film_start = tc("01:00:00:00");
  const auto overlays = streamer_overlays(list, film_start, kRate);
  std::size_t flutters = 0;
  for (const Streamer& s : list)
    flutters += s.flutters.size();
  ASSERT_EQ(overlays.size(), 2 * list.size() + flutters);
  const picture::Overlay& sweep = overlays[0];
  EXPECT_EQ(sweep.kind, picture::OverlayKind::sweep);
  EXPECT_EQ(sweep.end, TimePos(10 * time::kSuperclockPerSecond));  // 01:00:10:00 is 10 s in
  EXPECT_EQ(sweep.start, TimePos(7 * time::kSuperclockPerSecond));
  EXPECT_EQ(sweep.colour, (picture::Rgb{0, 255, 0}));
  EXPECT_EQ(overlays[1].kind, picture::OverlayKind::flash);
  const picture::Overlay& punch = overlays[1 + list[0].flutters.size()];
  EXPECT_EQ(punch.kind, picture::OverlayKind::punch);
  EXPECT_EQ(punch.end - punch.start, kRate.frame_duration() * 2);
  EXPECT_EQ(overlays.back().colour, (picture::Rgb{255, 0, 0}));
}

TEST(Markers, CsvListsEachStreamer) {
  Fixture f;
  f.cue.hits = {{tc("01:00:14:12"), "door, slams", spot::HitKind::hard}};
  StreamerOptions o;
  o.changes = false;
  o.flutter_beats = 2;
  const auto list = cue_streamers(f.cue, f.map, kRate, o).value();
  // The end, 30 s in, is 12.794 s after bar 9 (17.206 s) at 90 in 3/4: 15|2 and 0.19 of a beat;
  // its flutters are on 15|1 (29.206 s) and 15|2 (29.872 s), on their nearest frames.
  EXPECT_EQ(streamer_csv(list, kRate),
            "timecode,frame,kind,colour,label,position,streamer_start,punch_frames,flutters\n"
            "01:00:10:00,86640,start,green,1M3 start,1|1|0,01:00:07:00,2,01:00:09:00 01:00:09:12\n"
            "01:00:14:12,86748,hit,white,\"door, slams\",3|2|0,01:00:11:12,2,01:00:13:12 "
            "01:00:14:00\n"
            "01:00:40:00,87360,end,red,1M3 end,15|2|367,01:00:37:00,2,01:00:39:05 01:00:39:21\n");
}

TEST(Markers, MidiMarkersSitAtTheirEventsOnTheTempoMap) {
  const Fixture f;
  const auto list = cue_streamers(f.cue, f.map, kRate).value();
  MarkerMidiOptions o;
  o.rate = kRate;
  const auto read = midi::read_smf(streamer_midi(list, f.map, o).value()).value();
  ASSERT_EQ(read.file.tracks.size(), 1u);
  const auto smpte = midi::smpte_start(read.file);
  ASSERT_TRUE(smpte.has_value());
  EXPECT_EQ(smpte->position, f.cue.in);
  const midi::Timeline timeline = midi::Timeline::of(read.file);
  std::vector<std::pair<std::string, TimePos>> markers;
  for (const midi::Event& e : read.file.tracks[0].events) {
    if (const auto* t = std::get_if<midi::Text>(&e.message);
        t && t->kind == midi::TextKind::marker) {
      markers.push_back({t->text, smpte->position + (timeline.time_of_tick(e.tick) - TimePos(0))});
    }
  }
  ASSERT_EQ(markers.size(), list.size());
  EXPECT_EQ(markers[0].first, "GREEN start: 1M3 start");
  EXPECT_EQ(markers[1].first, "WHITE hit: door slams");
  EXPECT_EQ(markers[2].first, "YELLOW hit: she turns");
  EXPECT_EQ(markers[3].first, "YELLOW warning: tempo 120, ramp");
  EXPECT_EQ(markers[5].first, "RED end: 1M3 end");
  for (std::size_t i = 0; i < list.size(); ++i) {
    // Within a beat tick (0.26 ms at 120) and the MIDI tempo's microseconds.
    EXPECT_LT(std::abs(time::microseconds(markers[i].second - list[i].at)), 400.0) << i;
  }
  Fixture early;
  early.cue.hits = {{tc("01:00:09:00"), "too early", spot::HitKind::hard}};
  const auto before = cue_streamers(early.cue, early.map, kRate).value();
  EXPECT_FALSE(streamer_midi(before, early.map, o));
  EXPECT_FALSE(streamer_midi({}, early.map, o));
}

}  // namespace
}  // namespace duet::sync
