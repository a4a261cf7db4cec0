#include "sync/hits_text.h"

#include <gtest/gtest.h>

namespace duet::sync {
namespace {

using time::FrameRate;

TEST(HitsText, OneHitWithModifiersInAnyOrder) {
  const FrameRate df = FrameRate::fps29_97(true);
  auto h = parse_hit_text("01:00:05;12:16th:soft:w=2.5", df);
  ASSERT_TRUE(h.has_value()) << h.error().message;
  EXPECT_EQ(h->at, time::time_of_frame(107892 + 5 * 30 + 12, df));
  EXPECT_EQ(h->kind, spot::HitKind::soft);
  EXPECT_EQ(h->land, spot::Landing::subdivision(16));
  EXPECT_EQ(h->weight, 2.5);
  auto plain = parse_hit_text("01:00:00:00", FrameRate::fps24());
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->kind, spot::HitKind::hard);
  EXPECT_EQ(plain->land, spot::Landing::beat());
  EXPECT_EQ(plain->weight, 1.0);
}

TEST(HitsText, ErrorsQuoteTheHitAndNameThePart) {
  const FrameRate r = FrameRate::fps24();
  auto bad = parse_hit_text("01:00:00:00:loud", r);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.rfind("hit '01:00:00:00:loud': 'loud' is not hard, soft", 0), 0u)
      << bad.error().message;
  EXPECT_FALSE(parse_hit_text("01:00:00:24", r).has_value());
  EXPECT_FALSE(parse_hit_text("01:00:00:00:w=0", r).has_value());
  EXPECT_FALSE(parse_hit_text("01:00:00:00:w=x", r).has_value());
  EXPECT_FALSE(parse_hit_text("", r).has_value());
}

TEST(HitsText, CsvWithHeaderCommentsDefaultsAndLabelsWithCommas) {
  const std::string text =
      "# spotting of 1M3\r\n"
      "time,kind,land,weight,label\r\n"
      "\r\n"
      "01:00:00:00,hard,downbeat,,start\r\n"
      " 01:00:01:00 , , , , \r\n"
      "01:00:02:12,soft,8th,2,glance, then away\r\n";
  auto hits = parse_hits_csv(text, FrameRate::fps24());
  ASSERT_TRUE(hits.has_value()) << hits.error().message;
  ASSERT_EQ(hits->size(), 3u);
  EXPECT_EQ((*hits)[0].label, "start");
  EXPECT_EQ((*hits)[0].land, spot::Landing::downbeat());
  EXPECT_EQ((*hits)[1].kind, spot::HitKind::hard);
  EXPECT_EQ((*hits)[1].label, "");
  EXPECT_EQ((*hits)[2].label, "glance, then away");
  EXPECT_EQ((*hits)[2].weight, 2.0);
  auto bad = parse_hits_csv("01:00:00:00\n01:00:01:00,maybe\n", FrameRate::fps24());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.rfind("line 2: hit '01:00:01:00:maybe'", 0), 0u)
      << bad.error().message;
}

TEST(HitsText, FormatRoundTrips) {
  const FrameRate r = FrameRate::fps29_97(true);
  for (const char* text :
       {"00:10:00;00:soft:8th-triplet", "23:59:59;29:hard:downbeat", "01:00:00;02:hard:1/40"}) {
    auto h = parse_hit_text(text, r);
    ASSERT_TRUE(h.has_value()) << text;
    EXPECT_EQ(format_hit_text(*h, r), text);
  }
}

}  // namespace
}  // namespace duet::sync
