#include "time/tempo.h"

#include <gtest/gtest.h>

#include <string>

namespace duet::time {
namespace {

TEST(TempoVectors, TwelveTwoFrameClickAt24IsAbout117Point55) {
  const Tempo click = frame_click(12, 2, FrameRate::fps24());
  EXPECT_EQ(click.quarters_per_minute(), Rational(11520, 98));
  EXPECT_EQ(click.quarters_per_minute().to_decimal(2), "117.55");
  const FrameRate r24 = FrameRate::fps24();
  EXPECT_EQ(parse_tempo("12-2", &r24).value(), click);
}

TEST(Tempo, AFrameClickBeatIsAWholeNumberOfSuperclockTicks) {
  // 12 2/8 frames at 24 fps = 12.25 * 11,760,000 ticks per beat.
  const Rational qpm = frame_click(12, 2, FrameRate::fps24()).quarters_per_minute();
  EXPECT_EQ(Rational(kSuperclockPerSecond * 60) / qpm, Rational(144'060'000));
}

TEST(Tempo, ParsesNoteValues) {
  EXPECT_EQ(parse_tempo("120").value(), Tempo::quarters_per_minute(120));
  EXPECT_EQ(parse_tempo("117.55").value().quarters_per_minute(), Rational(11755, 100));
  EXPECT_EQ(parse_tempo("e=180").value().quarters_per_minute(), Rational(90));
  EXPECT_EQ(parse_tempo("q.=60").value().quarters_per_minute(), Rational(90));
  EXPECT_EQ(parse_tempo("h=60").value().quarters_per_minute(), Rational(120));
  EXPECT_EQ(parse_tempo("3/8=40").value().quarters_per_minute(), Rational(60));
  EXPECT_EQ(parse_tempo("q.=60").value().to_string(), "q.=60");
  EXPECT_EQ(parse_tempo("e=180").value().to_string(), "e=180");
  EXPECT_EQ(parse_tempo("120").value().to_string(), "120");
  const FrameRate r24 = FrameRate::fps24();
  EXPECT_EQ(parse_tempo("12f", &r24).value().quarters_per_minute(), Rational(120));
}

TEST(Tempo, RejectsWithReasons) {
  const auto no_rate = parse_tempo("12-2");
  ASSERT_FALSE(no_rate);
  EXPECT_NE(no_rate.error().message.find("needs the picture's frame rate"), std::string::npos);
  const FrameRate r24 = FrameRate::fps24();
  EXPECT_FALSE(parse_tempo("12-8", &r24));  // eighths run 0..7
  EXPECT_FALSE(parse_tempo("0-2", &r24));
  EXPECT_FALSE(parse_tempo("x=120"));
  EXPECT_FALSE(parse_tempo("fast"));
  EXPECT_FALSE(parse_tempo("0"));
  EXPECT_FALSE(parse_tempo("-120"));
  const auto slow = parse_tempo("0.5");
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().kind, base::ErrorKind::out_of_range);
  EXPECT_FALSE(parse_tempo("20000"));
}

TEST(Meter, LengthsInTicks) {
  EXPECT_EQ(parse_meter("4/4").value().bar_length(), BeatDur(7680));
  EXPECT_EQ(parse_meter("6/8").value().beat_length(), BeatDur(960));
  EXPECT_EQ(parse_meter("6/8").value().bar_length(), BeatDur(5760));
  EXPECT_EQ(parse_meter("3/2").value().bar_length(), BeatDur(11520));
  EXPECT_EQ(parse_meter("7/64").value().beat_length(), BeatDur(120));
  for (const char* bad : {"4", "4/3", "0/4", "65/4", "4/128", "a/4", "4/"}) {
    EXPECT_FALSE(parse_meter(bad)) << bad;
  }
}

TEST(BBT, ParsesAndPrints) {
  EXPECT_EQ(parse_bbt("5").value(), (BBT{5, 1, 0}));
  EXPECT_EQ(parse_bbt("5|2").value(), (BBT{5, 2, 0}));
  EXPECT_EQ(parse_bbt("5|2|480").value(), (BBT{5, 2, 480}));
  EXPECT_EQ(parse_bbt("0|4").value(), (BBT{0, 4, 0}));
  EXPECT_EQ((BBT{12, 3, 960}).to_string(), "12|3|960");
  for (const char* bad : {"", "|", "5|", "5|0", "5|2|-1", "5|2|3|4", "x", "5.2"}) {
    EXPECT_FALSE(parse_bbt(bad)) << bad;
  }
}

}  // namespace
}  // namespace duet::time
