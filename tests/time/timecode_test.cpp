#include "time/timecode.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace duet::time {
namespace {

FrameRate rate(const char* text) {
  return FrameRate::parse(text).value();
}

std::vector<FrameRate> every_rate() {
  return {FrameRate::fps23_976(),     FrameRate::fps24(),        FrameRate::fps25(),
          FrameRate::fps29_97(false), FrameRate::fps29_97(true), FrameRate::fps30(),
          FrameRate::fps47_952(),     FrameRate::fps48(),        FrameRate::fps50(),
          FrameRate::fps59_94(false), FrameRate::fps59_94(true), FrameRate::fps60()};
}

// ---- The vectors the foundation issue names ----

TEST(TimecodeVectors, OneHourAt2997DropFrameIsFrame107892) {
  const FrameRate df = rate("29.97df");
  const Timecode tc = parse_timecode("01:00:00;00", df).value();
  EXPECT_EQ(to_frames(tc, df), 107892);
  EXPECT_EQ(format_timecode(from_frames(107892, df), df), "01:00:00;00");
}

TEST(TimecodeVectors, Frame17982IsTenMinutesDropAndNineFiftyNineTwelveNonDrop) {
  EXPECT_EQ(format_timecode(from_frames(17982, rate("29.97df")), rate("29.97df")), "00:10:00;00");
  EXPECT_EQ(format_timecode(from_frames(17982, rate("29.97")), rate("29.97")), "00:09:59:12");
}

TEST(TimecodeVectors, Frame10790IsSixMinutesTwoDropAndFiveFiftyNineTwentyNonDrop) {
  EXPECT_EQ(format_timecode(from_frames(10790, rate("29.97df")), rate("29.97df")), "00:06:00;02");
  EXPECT_EQ(format_timecode(from_frames(10790, rate("29.97")), rate("29.97")), "00:05:59:20");
  EXPECT_EQ(to_frames(parse_timecode("00:06:00;02", rate("29.97df")).value(), rate("29.97df")),
            10790);
}

TEST(TimecodeVectors, OneHourNonDropAt2997Is3603Point6Seconds) {
  const FrameRate ndf = rate("29.97");
  const Timecode tc = parse_timecode("01:00:00:00", ndf).value();
  EXPECT_EQ(seconds_of_frame(to_frames(tc, ndf), ndf), Rational(36036, 10));
  EXPECT_EQ(to_seconds(to_time(tc, ndf)), Rational(36036, 10));
  EXPECT_EQ(to_time(tc, ndf), position_from_seconds(Rational(36036, 10)));
}

// ---- Frame rates ----

TEST(FrameRate, ParsesTheNamesPeopleUse) {
  EXPECT_EQ(rate("23.976").fps(), Rational(24000, 1001));
  EXPECT_EQ(rate("23.98").fps(), Rational(24000, 1001));
  EXPECT_EQ(rate("47.952").fps(), Rational(48000, 1001));
  EXPECT_EQ(rate("59.94 DF"), FrameRate::fps59_94(true));
  EXPECT_EQ(rate("29.97ndf"), FrameRate::fps29_97(false));
  EXPECT_EQ(rate("30000/1001df"), FrameRate::fps29_97(true));
  EXPECT_EQ(rate("25fps"), FrameRate::fps25());
  EXPECT_EQ(rate("29.97df").name(), "29.97 DF");
  EXPECT_EQ(rate("29.97").name(), "29.97 NDF");
  EXPECT_EQ(rate("23.976").name(), "23.976");
  EXPECT_EQ(rate("24").name(), "24");
}

TEST(FrameRate, NamesParseBackToTheSameRate) {
  for (const char* text : {"3000/1001", "120000/1001df", "23.976", "59.94df", "50", "1000"}) {
    EXPECT_EQ(rate(rate(text).name().c_str()), rate(text)) << text;
  }
}

TEST(FrameRate, EveryListedRateHasAWholeNumberOfTicksPerFrame) {
  for (const FrameRate& r : every_rate()) {
    EXPECT_EQ(Rational(r.frame_duration().ticks()) * r.fps(), Rational(kSuperclockPerSecond))
        << r.name();
  }
  EXPECT_EQ(FrameRate::fps24().frame_duration().ticks(), 11'760'000);
  EXPECT_EQ(FrameRate::fps29_97(true).frame_duration().ticks(), 9'417'408);
}

TEST(FrameRate, RejectsNonsenseWithAClearMessage) {
  const auto drop25 = FrameRate::parse("25df");
  ASSERT_FALSE(drop25);
  EXPECT_NE(drop25.error().message.find("drop-frame timecode exists only at 29.97"),
            std::string::npos);
  EXPECT_FALSE(FrameRate::parse("0"));
  EXPECT_FALSE(FrameRate::parse("fast"));
  EXPECT_FALSE(FrameRate::parse("-24"));
  // Found by fuzzing: rates so slow or so precise that ticks per frame overflowed.
  EXPECT_FALSE(FrameRate::parse(".943000001/0159.88"));
  EXPECT_FALSE(FrameRate::parse("24000/1000001"));
  const auto odd = FrameRate::parse("11");
  ASSERT_FALSE(odd);
  EXPECT_NE(odd.error().message.find("whole number of superclock ticks"), std::string::npos);
}

TEST(FrameRate, FrameAtFloorsAndNearestRounds) {
  const FrameRate r = FrameRate::fps24();
  const std::int64_t period = r.frame_duration().ticks();
  EXPECT_EQ(frame_at(TimePos(10 * period + period - 1), r), 10);
  EXPECT_EQ(frame_at(TimePos(-1), r), -1);
  EXPECT_EQ(nearest_frame(TimePos(10 * period + period / 2), r), 11);
  EXPECT_EQ(nearest_frame(TimePos(10 * period + period / 2 - 1), r), 10);
}

// ---- Parsing ----

TEST(Timecode, AcceptsColonsAndSemicolons) {
  const FrameRate df = rate("29.97df");
  EXPECT_EQ(parse_timecode("01:02:03;04", df).value(), (Timecode{1, 2, 3, 4}));
  EXPECT_EQ(parse_timecode("01;02;03;04", df).value(), (Timecode{1, 2, 3, 4}));
  EXPECT_EQ(parse_timecode("01:02:03:04", df).value(), (Timecode{1, 2, 3, 4}));
  EXPECT_EQ(parse_timecode("1:2:3:4", rate("25")).value(), (Timecode{1, 2, 3, 4}));
}

TEST(Timecode, RejectsOutOfRangeFieldsNamingTheField) {
  const FrameRate r24 = rate("24");
  const auto frames = parse_timecode("01:00:00:24", r24);
  ASSERT_FALSE(frames);
  EXPECT_EQ(frames.error().message,
            "timecode 01:00:00:24 has frames 24, but frames run from 00 to 23 at 24");
  const auto minutes = parse_timecode("01:60:00:00", r24);
  ASSERT_FALSE(minutes);
  EXPECT_NE(minutes.error().message.find("minutes 60"), std::string::npos);
  EXPECT_FALSE(parse_timecode("24:00:00:00", r24));
  EXPECT_FALSE(parse_timecode("00:00:60:00", r24));
  EXPECT_TRUE(parse_timecode("00:00:00:29", rate("29.97")));
  EXPECT_FALSE(parse_timecode("00:00:00:30", rate("29.97")));
}

TEST(Timecode, RejectsLabelsThatDropFrameSkips) {
  const FrameRate df = rate("29.97df");
  const auto skipped = parse_timecode("00:01:00;00", df);
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().message,
            "timecode 00:01:00;00 does not exist at 29.97 DF: drop-frame counting skips frames 00 "
            "to 01 at the start of every minute not divisible by ten; the next label is "
            "00:01:00;02");
  EXPECT_FALSE(parse_timecode("00:01:00;01", df));
  EXPECT_TRUE(parse_timecode("00:01:00;02", df));
  EXPECT_TRUE(parse_timecode("00:10:00;00", df));             // every tenth minute keeps its labels
  EXPECT_TRUE(parse_timecode("00:01:00:00", rate("29.97")));  // non-drop keeps them all
  const FrameRate df60 = rate("59.94df");
  EXPECT_FALSE(parse_timecode("00:01:00;03", df60));
  EXPECT_TRUE(parse_timecode("00:01:00;04", df60));
}

TEST(Timecode, RejectsMalformedText) {
  const FrameRate r = rate("25");
  for (const char* bad : {"", "01:00:00", "01:00:00:00:00", "01:00:00:", ":00:00:00", "a1:00:00:00",
                          "01-00-00-00", "001:00:00:00", "01:00:00:0000", " 01:00:00:00"}) {
    const auto result = parse_timecode(bad, r);
    ASSERT_FALSE(result) << bad;
    EXPECT_NE(result.error().message.find("is not a timecode"), std::string::npos) << bad;
  }
}

TEST(Timecode, APositionReadsAsTheFrameShowingOrTheNearestFrame) {
  const FrameRate rate = FrameRate::fps24();
  const TimePos frame_start = time_of_frame(86400, rate);                             // 01:00:00:00
  const TimePos late = frame_start + TimeDur(rate.frame_duration().ticks() * 3 / 5);  // 0.6 in
  EXPECT_EQ(label_at(frame_start, rate), "01:00:00:00");
  EXPECT_EQ(nearest_label(frame_start, rate), "01:00:00:00");
  EXPECT_EQ(label_at(late, rate), "01:00:00:00");       // still showing
  EXPECT_EQ(nearest_label(late, rate), "01:00:00:01");  // nearer the next
  const TimePos half = frame_start + TimeDur(rate.frame_duration().ticks() / 2);
  EXPECT_EQ(nearest_label(half, rate), "01:00:00:01");  // halves go later
  EXPECT_EQ(duration_label(rate.frame_duration() * 36, rate), "00:00:01:12");
  EXPECT_EQ(duration_label(-(rate.frame_duration() * 2), rate), "-00:00:00:02");
  const FrameRate df = *FrameRate::parse("29.97df");
  EXPECT_EQ(label_at(to_time(*parse_timecode("00:01:00;02", df), df), df), "00:01:00;02");
}

TEST(Timecode, FramesWrapAroundTheDay) {
  const FrameRate r = rate("24");
  EXPECT_EQ(format_timecode(from_frames(-1, r), r), "23:59:59:23");
  EXPECT_EQ(format_timecode(from_frames(r.frames_per_day(), r), r), "00:00:00:00");
  const FrameRate df = rate("29.97df");
  EXPECT_EQ(format_timecode(from_frames(df.frames_per_day() - 1, df), df), "23:59:59;29");
  EXPECT_EQ(df.frames_per_day(), 2589408);
}

// ---- Properties over every frame of a day at every rate ----

TEST(TimecodeProperty, EveryFrameOfTheDayRoundTripsAndLabelsIncrease) {
  for (const FrameRate& r : every_rate()) {
    Timecode previous{-1, 0, 0, 0};
    for (std::int64_t frame = 0; frame < r.frames_per_day(); ++frame) {
      const Timecode tc = from_frames(frame, r);
      ASSERT_EQ(to_frames(tc, r), frame) << r.name() << " frame " << frame;
      const auto key = [](const Timecode& t) {
        return std::tuple(t.hours, t.minutes, t.seconds, t.frames);
      };
      ASSERT_LT(key(previous), key(tc)) << r.name() << " frame " << frame;
      previous = tc;
    }
    EXPECT_EQ(format_timecode(previous, r).substr(0, 8), "23:59:59") << r.name();
  }
}

TEST(TimecodeProperty, TextRoundTripsAndValidLabelsAreExactlyTheCountedOnes) {
  std::mt19937_64 rng(7);
  for (const FrameRate& r : every_rate()) {
    std::uniform_int_distribution<std::int64_t> frames(0, r.frames_per_day() - 1);
    for (int i = 0; i < 20000; ++i) {
      const std::int64_t frame = frames(rng);
      const std::string text = format_timecode(from_frames(frame, r), r);
      const auto parsed = parse_timecode(text, r);
      ASSERT_TRUE(parsed) << text;
      ASSERT_EQ(to_frames(*parsed, r), frame) << text;
      // Frames <-> ticks <-> seconds are exact.
      const TimePos t = time_of_frame(frame, r);
      ASSERT_EQ(frame_at(t, r), frame);
      ASSERT_EQ(to_seconds(t), seconds_of_frame(frame, r));
    }
    // A random label is valid exactly when some frame carries it.
    std::uniform_int_distribution<int> h(0, 23), m(0, 59), s(0, 59), f(0, r.nominal() - 1);
    for (int i = 0; i < 20000; ++i) {
      const Timecode tc{h(rng), m(rng), s(rng), f(rng)};
      const bool valid = validate(tc, r).has_value();
      ASSERT_EQ(valid, from_frames(to_frames(tc, r), r) == tc) << format_timecode(tc, r);
    }
  }
}

}  // namespace
}  // namespace duet::time
