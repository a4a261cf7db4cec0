// Click tracks: events through ramps and meter changes, count-off bars, the WAV's sample
// positions (read back with libsndfile) and the MIDI file's tempo map and SMPTE offset.
#include "sync/click.h"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "base/file.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace duet::sync {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::Ramp;
using time::TempoMap;
using time::TimePos;

time::Tempo qpm(std::int64_t v) {
  return time::Tempo::quarters_per_minute(time::Rational(v));
}

TempoMap parse(std::vector<std::string> tempos, std::vector<std::string> meters = {},
               TimePos origin = TimePos(0)) {
  return time::parse_tempo_map(tempos, meters, origin).value();
}

TEST(Subdivision, ParsesNamesAndFractions) {
  EXPECT_EQ(parse_subdivision("8th").value().grid(), BeatDur(960));
  EXPECT_EQ(parse_subdivision("16th").value().grid(), BeatDur(480));
  EXPECT_EQ(parse_subdivision("8th-triplet").value().grid(), BeatDur(640));
  EXPECT_EQ(parse_subdivision("Triplet").value().grid(), BeatDur(640));
  EXPECT_EQ(parse_subdivision("16th-triplet").value().grid(), BeatDur(320));
  EXPECT_EQ(parse_subdivision("1/20").value().grid(), BeatDur(384));
  EXPECT_TRUE(parse_subdivision("none").value().none());
  EXPECT_FALSE(parse_subdivision("1/7"));
  EXPECT_FALSE(parse_subdivision("quavers"));
  EXPECT_NE(parse_subdivision("9th").error().message.find("8th-triplet"), std::string::npos);
}

// [GIVEN] 60 -> 120 over one 4/4 bar, linear in beats, then 120
// [THEN]  the click on bar 2 is 4 ln 2 s after bar 1 (docs/tempo-math.md's vector), and the
//         beats between accelerate
TEST(ClickEvents, FollowTheRampVector) {
  const TempoMap map = parse({"1=60~", "2=120"});
  const auto clicks = click_events(map, map.meters().bar_start(2)).value();
  ASSERT_EQ(clicks.size(), 5u);
  EXPECT_EQ(clicks[0].kind, ClickKind::downbeat);
  EXPECT_EQ(clicks[1].kind, ClickKind::beat);
  EXPECT_EQ(clicks[4].kind, ClickKind::downbeat);
  EXPECT_NEAR(time::seconds(clicks[4].at), 4 * std::log(2.0), 1e-8);
  for (std::size_t i = 2; i < clicks.size(); ++i) {
    EXPECT_LT(clicks[i].at - clicks[i - 1].at, clicks[i - 1].at - clicks[i - 2].at);
  }
}

// Property over random maps: every click sits at time_at of its position, times strictly
// increase, each bar has its meter's beats with a downbeat first, and each beat its
// subdivisions.
TEST(ClickEvents, RandomRampsClickAtTimeAtOfEveryPosition) {
  std::mt19937_64 rng(20261126);
  const int subdivisions[] = {0, 8, 16, 12, 24};
  for (int round = 0; round < 200; ++round) {
    std::vector<time::TempoChange> tempos;
    std::int64_t at = 0;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      const Ramp ramp = i + 1 == n       ? Ramp::none
                        : rng() % 3 == 0 ? Ramp::none
                        : rng() % 2 == 0 ? Ramp::linear_in_beats
                                         : Ramp::linear_in_time;
      tempos.push_back({BeatPos(at), qpm(30 + static_cast<std::int64_t>(rng() % 250)), ramp});
      at += 480 * (1 + static_cast<std::int64_t>(rng() % 40));
    }
    std::vector<std::pair<std::int64_t, time::Meter>> bars{{1, time::Meter{4, 4}}};
    if (rng() % 2 == 0) bars.push_back({3, time::Meter{3, 4}});
    if (rng() % 2 == 0) bars.push_back({5, time::Meter{2, 2}});
    auto meters = time::MeterMap::from_bars(bars).value();
    const TimePos origin(static_cast<std::int64_t>(rng() % 1'000'000'000'000));
    const TempoMap map = TempoMap::create(tempos, meters, origin).value();
    ClickOptions options;
    options.subdivide.note_value = subdivisions[rng() % 5];
    options.count_in_bars = static_cast<int>(rng() % 3);
    const BeatPos end = map.meters().bar_start(2 + static_cast<std::int64_t>(rng() % 10));
    const auto clicks = click_events(map, end, options).value();
    ASSERT_FALSE(clicks.empty());
    for (std::size_t i = 0; i < clicks.size(); ++i) {
      const Click& c = clicks[i];
      ASSERT_EQ(c.at, map.time_at(c.position)) << "round " << round << " click " << i;
      if (i > 0) {
        ASSERT_LT(clicks[i - 1].at, c.at);
      }
      const time::BBT bbt = map.bbt_at(c.position);
      const bool on_beat = bbt.tick == 0;
      ASSERT_EQ(c.kind == ClickKind::downbeat, on_beat && bbt.beat == 1);
      ASSERT_EQ(c.kind == ClickKind::subdivision, !on_beat);
      ASSERT_EQ(c.count_in, bbt.bar < 1);
      if (!on_beat) {
        ASSERT_EQ(bbt.tick % (7680 / options.subdivide.note_value), 0);
      }
    }
    // Every beat of every bar from the first count-off bar to `end` is there.
    std::size_t beats = 0;
    for (std::int64_t bar = 1 - options.count_in_bars; map.meters().bar_start(bar) <= end; ++bar) {
      const time::Meter m = map.meter_at(map.meters().bar_start(bar));
      beats += map.meters().bar_start(bar) == end ? 1 : static_cast<std::size_t>(m.numerator);
    }
    std::size_t counted = 0;
    for (const Click& c : clicks)
      counted += c.kind != ClickKind::subdivision;
    ASSERT_EQ(counted, beats) << "round " << round;
    // Subdivisions: (beat / grid - 1) per beat outside the count-off, none on `end`.
    if (!options.subdivide.none()) {
      std::size_t expected = 0, got = 0;
      for (const Click& c : clicks) {
        if (c.kind == ClickKind::subdivision) ++got;
        if (c.kind != ClickKind::subdivision && !c.count_in && c.position < end) {
          const auto per =
              map.meter_at(c.position).beat_length().ticks() / options.subdivide.grid().ticks();
          expected += static_cast<std::size_t>(std::max<std::int64_t>(per - 1, 0));
        }
      }
      ASSERT_EQ(got, expected) << "round " << round;
    }
  }
}

// [GIVEN] a cue at 10 s starting with a ramp from 60, in 3/4, and 2 count-off bars
// [THEN]  six count-off beats one second apart (the first tempo, unramped, and the first meter),
//         the last a second before the cue, with no subdivisions
TEST(ClickEvents, CountOffBarsRunAtTheFirstTempoAndMeter) {
  const TempoMap map =
      parse({"1=60~", "3=120"}, {"1=3/4"}, TimePos(std::int64_t{10} * 282'240'000));
  ClickOptions options;
  options.count_in_bars = 2;
  options.subdivide.note_value = 8;
  const auto clicks = click_events(map, map.meters().bar_start(2), options).value();
  std::vector<Click> count_in;
  for (const Click& c : clicks) {
    if (c.count_in) count_in.push_back(c);
  }
  ASSERT_EQ(count_in.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(count_in[i].at, TimePos((4 + static_cast<std::int64_t>(i)) * 282'240'000));
    EXPECT_EQ(count_in[i].kind, i % 3 == 0 ? ClickKind::downbeat : ClickKind::beat);
  }
  EXPECT_FALSE(clicks[6].count_in);
  EXPECT_EQ(clicks[6].at, TimePos(std::int64_t{10} * 282'240'000));
  EXPECT_EQ(clicks[7].kind, ClickKind::subdivision);
}

TEST(ClickEvents, RefusesSubdivisionsThatDoNotDivideTheBeat) {
  const TempoMap map = parse({"1=120"}, {"1=4/4", "3=6/8"});
  ClickOptions options;
  options.subdivide.note_value = 12;  // eighth-note triplets: 640 ticks; a 6/8 beat is 960
  const auto clicks = click_events(map, map.meters().bar_start(5), options);
  ASSERT_FALSE(clicks);
  EXPECT_NE(clicks.error().message.find("6/8 (bar 3)"), std::string::npos)
      << clicks.error().message;
  options.count_in_bars = 17;
  EXPECT_FALSE(click_events(map, map.meters().bar_start(2), options));
  EXPECT_FALSE(click_events(map, BeatPos(-1)));
}

TEST(ClickEvents, SixteenthsInSixEightClickTheHalfBeat) {
  const TempoMap map = parse({"1=q.=60"}, {"1=6/8"});
  ClickOptions options;
  options.subdivide.note_value = 16;
  const auto clicks = click_events(map, map.meters().bar_start(2) - BeatDur(1), options).value();
  ASSERT_EQ(clicks.size(), 12u);  // 6 eighths, each with one 16th
  EXPECT_EQ(clicks[1].kind, ClickKind::subdivision);
  EXPECT_EQ(clicks[1].position, BeatPos(480));
}

TEST(LeadIn, TimesAfterTheLeadAreTheMapsTimes) {
  const TempoMap map =
      parse({"1=97~", "2|3=131~time", "4=73"}, {"1=5/4", "3=7/8"}, TimePos(1'234'567'891));
  const BeatDur lead = map.meters().changes().front().meter.bar_length() * 2;
  const TempoMap shifted = with_lead_in(map, lead).value();
  for (std::int64_t b = 0; b < 30 * 1920; b += 160) {
    ASSERT_EQ(shifted.time_at(BeatPos(b) + lead), map.time_at(BeatPos(b))) << b;
  }
  EXPECT_EQ(shifted.origin(), map.time_at(BeatPos(0) - lead));
  EXPECT_EQ(shifted.meter_at(BeatPos(0)), (time::Meter{5, 4}));
  EXPECT_EQ(shifted.bbt_at(BeatPos(0) + lead).bar, 3);
  EXPECT_FALSE(with_lead_in(map, BeatDur(-1)));
}

// Onsets: the first sample of each click is its peak, and the samples before it are silent
// (clicks are far enough apart here for the 40 ms bursts to have ended).
std::vector<std::int64_t> onsets(const std::vector<int>& pcm) {
  std::vector<std::int64_t> out;
  std::int64_t quiet_run = 1000;
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const bool loud = std::abs(pcm[i]) > (1 << 28);  // over 1/8 of full scale
    if (loud && quiet_run >= 100) out.push_back(static_cast<std::int64_t>(i));
    quiet_run = std::abs(pcm[i]) < (1 << 20) ? quiet_run + 1 : 0;
  }
  return out;
}

TEST(ClickWav, ClicksStartAtTheirSamplesAndTheFileKnowsItsTimecode) {
  // 29.97 DF, cue at 01:00:10;00, a ramp through non-integer beat periods, 1 bar count-off.
  const auto rate = time::FrameRate::fps29_97(true);
  const TimePos cue_in = time::to_time(time::parse_timecode("01:00:10;00", rate).value(), rate);
  const TempoMap map = parse({"1=84~", "3=126~time", "5=100"}, {"1=4/4", "4=3/4"}, cue_in);
  ClickOptions options;
  options.count_in_bars = 1;
  const auto clicks = click_events(map, map.meters().bar_start(6), options).value();
  const TimePos start = clicks.front().at;
  const ClickAudio audio = render_clicks(clicks, start).value();
  const auto bytes = click_wav(audio).value();

  const auto path = std::filesystem::temp_directory_path() /
                    ("duet-click-test-" + std::to_string(getpid()) + ".wav");
  ASSERT_TRUE(base::write_file_atomic(path, bytes));
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  EXPECT_EQ(info.samplerate, 48000);
  EXPECT_EQ(info.channels, 1);
  EXPECT_EQ(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
  std::vector<int> pcm(static_cast<std::size_t>(info.frames));
  ASSERT_EQ(sf_read_int(file, pcm.data(), info.frames), info.frames);
  SF_BROADCAST_INFO bext{};
  ASSERT_EQ(sf_command(file, SFC_GET_BROADCAST_INFO, &bext, sizeof(bext)), SF_TRUE);
  sf_close(file);
  std::filesystem::remove(path);

  const std::uint64_t reference =
      (static_cast<std::uint64_t>(bext.time_reference_high) << 32) | bext.time_reference_low;
  EXPECT_EQ(static_cast<std::int64_t>(reference), sample_at(start, TimePos(0), 48000));
  const auto found = onsets(pcm);
  ASSERT_EQ(found.size(), clicks.size());
  for (std::size_t i = 0; i < clicks.size(); ++i) {
    const double exact = time::seconds(clicks[i].at - start) * 48000.0;
    EXPECT_EQ(found[i], sample_at(clicks[i].at, start, 48000)) << i;
    EXPECT_LE(std::abs(static_cast<double>(found[i]) - exact), 0.5) << i;
  }
  // Downbeats are louder than beats.
  EXPECT_GT(std::abs(pcm[static_cast<std::size_t>(found[0])]),
            std::abs(pcm[static_cast<std::size_t>(found[1])]));
  EXPECT_EQ(pcm.size(), static_cast<std::size_t>(found.back() + 4800));
}

TEST(ClickWav, RefusesRatesWithoutWholeTicksAndClicksBeforeTheStart) {
  const TempoMap map;
  const auto clicks = click_events(map, BeatPos(1920)).value();
  EXPECT_FALSE(render_clicks(clicks, TimePos(0), {22050}));
  EXPECT_FALSE(render_clicks(clicks, TimePos(1)));
  EXPECT_EQ(sample_at(TimePos(2940), TimePos(0), 48000), 1);  // half a sample goes later
  EXPECT_EQ(sample_at(TimePos(2939), TimePos(0), 48000), 0);
}

// The MIDI file, read back: its tempo map puts every click note within a few microseconds of
// the click (ramps written as steps), its SMPTE offset is the first click's timecode, and the
// notes tell downbeats, beats and subdivisions apart.
TEST(ClickMidi, RoundTripsTheTempoMapAndLandsAtTheTimecode) {
  const auto rate = time::FrameRate::fps24();
  const TimePos cue_in = time::to_time(time::Timecode{1, 0, 10, 0}, rate);
  const TempoMap map = parse({"1=84~", "3=126~time", "5|3=100"}, {"1=4/4", "4=3/4"}, cue_in);
  for (int subdivision : {0, 16, 12}) {
    ClickOptions options;
    options.count_in_bars = 2;
    options.subdivide.note_value = subdivision;
    const auto clicks = click_events(map, map.meters().bar_start(7), options).value();
    ClickMidiOptions midi_options;
    midi_options.rate = rate;
    const auto bytes = click_midi(map, clicks, midi_options).value();
    const auto read = midi::read_smf(bytes).value();
    EXPECT_TRUE(read.warnings.empty());
    ASSERT_EQ(read.file.tracks.size(), 2u);
    const auto smpte = midi::smpte_start(read.file);
    ASSERT_TRUE(smpte.has_value());
    // The count-off starts 2 bars of 84 before the cue: 40/7 s, not on a frame; the offset
    // holds hundredths of a frame.
    EXPECT_LE(std::abs(time::seconds(smpte->position - clicks.front().at)), 0.01 / 24 + 1e-9);
    const midi::Timeline timeline = midi::Timeline::of(read.file);
    const auto notes = midi::pair_notes(read.file.tracks[1]);
    ASSERT_EQ(notes.size(), clicks.size());
    double worst_us = 0;
    for (std::size_t i = 0; i < notes.size(); ++i) {
      const TimePos in_file =
          clicks.front().at + (timeline.time_of_tick(notes[i].start) - TimePos(0));
      worst_us = std::max(worst_us, std::abs(time::microseconds(in_file - clicks[i].at)));
      EXPECT_EQ(notes[i].channel, 9);
      const std::uint8_t key = clicks[i].kind == ClickKind::downbeat ? kDownbeatKey
                               : clicks[i].kind == ClickKind::beat   ? kBeatKey
                                                                     : kSubdivisionKey;
      EXPECT_EQ(notes[i].key, key);
    }
    // MIDI tempo has a resolution of 1 us per quarter: ramp steps carry their rounding forward
    // (within 1 us), constant segments cannot (84 q is 714,285.714 us, written 714,286: 0.29 us
    // a beat, 2.3 us over the count-off's 8 beats).
    EXPECT_LT(worst_us, 3.0) << "subdivision " << subdivision;
    // Meters: the file's bar 3 is the cue's bar 1; its 3/4 starts at the cue's bar 4 (file 6).
    EXPECT_EQ(timeline.tempo_map().meter_at(timeline.tempo_map().meters().bar_start(6)),
              (time::Meter{3, 4}));
    EXPECT_EQ(timeline.tempo_map().meter_at(timeline.tempo_map().meters().bar_start(5)),
              (time::Meter{4, 4}));
  }
}

TEST(ClickMidi, WithoutCountOffTickZeroIsTheCueStart) {
  const auto rate = time::FrameRate::fps25();
  const TempoMap map = parse({"1=120"}, {}, time::to_time(time::Timecode{1, 2, 3, 4}, rate));
  const auto clicks = click_events(map, map.meters().bar_start(3)).value();
  ClickMidiOptions o;
  o.rate = rate;
  const auto read = midi::read_smf(click_midi(map, clicks, o).value()).value();
  const auto smpte = midi::smpte_start(read.file);
  ASSERT_TRUE(smpte.has_value());
  EXPECT_EQ(smpte->position, map.origin());
  EXPECT_EQ(midi::pair_notes(read.file.tracks[1]).front().start, 0);
  EXPECT_FALSE(click_midi(map, {}, o));
}

}  // namespace
}  // namespace duet::sync
