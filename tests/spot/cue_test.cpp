#include <gtest/gtest.h>

#include <algorithm>

#include "spot/cue.h"

namespace duet::spot {
namespace {

TEST(CueId, ParsesAndFormatsCanonically) {
  auto a = parse_cue_id("1M3");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->reel, 1);
  EXPECT_EQ(a->number, 3);
  EXPECT_EQ(a->part, "");
  EXPECT_EQ(a->to_string(), "1M3");
  EXPECT_EQ(parse_cue_id("1m03")->to_string(), "1M3");
  EXPECT_EQ(parse_cue_id("2M10")->to_string(), "2M10");
  EXPECT_EQ(parse_cue_id("1m3a")->to_string(), "1M3A");
  EXPECT_EQ(parse_cue_id("0M1")->to_string(), "0M1");
}

TEST(CueId, RefusesMalformedIds) {
  for (const char* bad :
       {"", "M3", "1M", "1X3", "1M3AB", "1M3-", "1000M1", "1M10000", " 1M3", "1M3 ", "1M-3"}) {
    EXPECT_FALSE(parse_cue_id(bad)) << bad;
  }
  auto bare = parse_cue_id("103");
  ASSERT_FALSE(bare);
  EXPECT_NE(bare.error().message.find("ambiguous"), std::string::npos) << bare.error().message;
  EXPECT_NE(bare.error().message.find("1M03"), std::string::npos) << bare.error().message;
}

TEST(CueId, SortsByReelThenNumberThenLetter) {
  std::vector<std::string> texts{"2M1", "1M10", "1M3A", "1M3", "1M2", "10M1", "2M10"};
  std::vector<CueId> ids;
  for (const auto& t : texts)
    ids.push_back(*parse_cue_id(t));
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> sorted;
  for (const auto& id : ids)
    sorted.push_back(id.to_string());
  EXPECT_EQ(sorted,
            (std::vector<std::string>{"1M2", "1M3", "1M3A", "1M10", "2M1", "2M10", "10M1"}));
}

TEST(Usage, CodesRoundTrip) {
  for (Usage u :
       {Usage::background_instrumental, Usage::background_vocal, Usage::visual_instrumental,
        Usage::visual_vocal, Usage::main_title, Usage::end_title, Usage::source}) {
    auto parsed = parse_usage(usage_code(u));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, u);
  }
  EXPECT_EQ(*parse_usage("vi"), Usage::visual_instrumental);
  EXPECT_EQ(usage_code(Usage::source), "SRC");
  EXPECT_EQ(usage_name(Usage::main_title), "main title");
  EXPECT_FALSE(parse_usage("XX"));
}

TEST(Landing, NamedAndFractionalSubdivisions) {
  EXPECT_EQ(parse_landing("downbeat")->kind, Landing::Kind::downbeat);
  EXPECT_EQ(parse_landing("beat")->kind, Landing::Kind::beat);
  EXPECT_EQ(parse_landing("8th")->note_value, 8);
  EXPECT_EQ(parse_landing("16th")->note_value, 16);
  EXPECT_EQ(parse_landing("8th-triplet")->note_value, 12);
  EXPECT_EQ(parse_landing("16th-triplet")->note_value, 24);
  EXPECT_EQ(parse_landing("1/5")->note_value, 5);
  EXPECT_EQ(parse_landing("1/12")->to_string(), "8th-triplet");
  EXPECT_EQ(parse_landing("1/20")->to_string(), "1/20");
  // An eighth-note triplet grid is a third of a quarter note: 640 ticks.
  EXPECT_EQ(parse_landing("8th-triplet")->grid(), time::BeatDur(640));
  EXPECT_EQ(parse_landing("16th")->grid(), time::BeatDur(480));
  EXPECT_FALSE(parse_landing("1/7"));  // 7680 / 7 is not whole
  EXPECT_FALSE(parse_landing("1/0"));
  EXPECT_FALSE(parse_landing("quaver"));
  EXPECT_FALSE(parse_landing("1/8x"));
}

TEST(Landing, EveryNameRoundTrips) {
  for (int n = 1; n <= 7680; ++n) {
    if (7680 % n != 0) continue;
    const Landing l = Landing::subdivision(n);
    auto back = parse_landing(l.to_string());
    ASSERT_TRUE(back) << l.to_string();
    EXPECT_EQ(*back, l);
  }
}

TEST(HitKind, Names) {
  EXPECT_EQ(*parse_hit_kind("soft"), HitKind::soft);
  EXPECT_EQ(hit_kind_name(HitKind::hard), "hard");
  EXPECT_FALSE(parse_hit_kind("Hard "));
}

TEST(Cue, SortContentsOrdersByTime) {
  Cue c;
  c.hits = {{time::TimePos(30), "b"}, {time::TimePos(10), "a"}};
  c.dialogue = {{time::TimePos(50), time::TimePos(60), ""},
                {time::TimePos(5), time::TimePos(8), ""}};
  c.emotion.keys = {{time::TimePos(9), {}}, {time::TimePos(1), {}}};
  sort_contents(c);
  EXPECT_EQ(c.hits[0].label, "a");
  EXPECT_EQ(c.dialogue[0].start, time::TimePos(5));
  EXPECT_EQ(c.emotion.keys[0].at, time::TimePos(1));
}

TEST(Cue, SnapToFramesMovesEveryTimeToTheNearestFrame) {
  const auto rate = time::FrameRate::fps24();
  const std::int64_t f = rate.frame_duration().ticks();
  Cue c;
  c.in = time::TimePos(10 * f + f / 3);       // nearer frame 10
  c.out = time::TimePos(20 * f + 2 * f / 3);  // nearer frame 21
  c.hits = {{time::TimePos(15 * f - 1), ""}};
  c.dialogue = {{time::TimePos(11 * f + 1), time::TimePos(12 * f - 1), ""}};
  c.emotion.keys = {{time::TimePos(13 * f + f / 2), {}}};  // halves go later
  snap_to_frames(c, rate);
  EXPECT_EQ(c.in, time::TimePos(10 * f));
  EXPECT_EQ(c.out, time::TimePos(21 * f));
  EXPECT_EQ(c.hits[0].at, time::TimePos(15 * f));
  EXPECT_EQ(c.dialogue[0].start, time::TimePos(11 * f));
  EXPECT_EQ(c.dialogue[0].end, time::TimePos(12 * f));
  EXPECT_EQ(c.emotion.keys[0].at, time::TimePos(14 * f));
}

}  // namespace
}  // namespace duet::spot
