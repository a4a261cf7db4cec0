#include <gtest/gtest.h>

#include <cmath>

#include "spot/validate.h"
#include "spot_test_util.h"

namespace duet::spot {
namespace {

using testing::make_cue;
using testing::sec;

TEST(Validate, AGoodCueHasNoProblems) {
  Cue c = make_cue("1M1", 10, 20);
  c.hits = {{sec(10), "start"},
            {sec(15), "slam", HitKind::hard, 2.0, Landing::downbeat(), true},
            {sec(20), "button"}};
  c.dialogue = {{sec(8), sec(12), "Anna"}};  // may start before the cue
  c.emotion.keys = {{sec(10), {-1, -1, 0}}, {sec(20), {1, 1, 1}}};
  EXPECT_TRUE(validate_cue(c).empty());
}

TEST(Validate, OutBeforeIn) {
  auto p = validate_cue(make_cue("1M1", 20, 10));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].field, "out");
  EXPECT_EQ(p[0].message,
            "cue 1M1 ends at 10.000 s, before its start 20.000 s; out must come after in");
  auto same = validate_cue(make_cue("1M1", 10, 10));
  ASSERT_EQ(same.size(), 1u);
  EXPECT_NE(same[0].message.find("at its start"), std::string::npos);
}

TEST(Validate, HitOutsideTheCueNamesTheHitAndTheCue) {
  Cue c = make_cue("2M4", 10, 20);
  c.hits = {{sec(15), "ok"}, {sec(21), "late"}};
  auto p = validate_cue(c, 3);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].cue, 3u);
  EXPECT_EQ(p[0].field, "hits/1/time");
  EXPECT_EQ(p[0].message, "hit 'late' at 21.000 s is outside cue 2M4 (10.000 s to 20.000 s)");
}

TEST(Validate, UsesTheTimeTextItIsGiven) {
  Cue c = make_cue("1M1", 10, 20);
  c.hits = {{sec(5), ""}};
  auto p = validate_cue(c, 0, [](time::TimePos t) {
    return "T" + std::to_string(t.ticks() / time::kSuperclockPerSecond);
  });
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].message, "hit 1 at T5 is outside cue 1M1 (T10 to T20)");
}

TEST(Validate, WeightsAndSubdivisions) {
  Cue c = make_cue("1M1", 0, 10);
  c.hits = {{sec(1), "a", HitKind::hard, 0.0},
            {sec(2), "b", HitKind::soft, std::nan("")},
            {sec(3), "c", HitKind::soft, 1.0, Landing::subdivision(7)}};
  auto p = validate_cue(c);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].field, "hits/0/weight");
  EXPECT_EQ(p[0].message, "hit 'a' has weight 0; a weight must be a number above 0");
  EXPECT_EQ(p[1].field, "hits/1/weight");
  EXPECT_NE(p[1].message.find("not a number"), std::string::npos);
  EXPECT_EQ(p[2].field, "hits/2/land");
}

TEST(Validate, DialogueWindows) {
  Cue c = make_cue("1M1", 10, 20);
  c.dialogue = {{sec(12), sec(11), ""}, {sec(25), sec(30), "Bo"}, {sec(19), sec(22), ""}};
  auto p = validate_cue(c);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].field, "dialogue/0/end");
  EXPECT_EQ(p[1].field, "dialogue/1/start");
  EXPECT_NE(p[1].message.find("lies outside cue 1M1"), std::string::npos);
}

TEST(Validate, EmotionRangesOrderAndPlace) {
  Cue c = make_cue("1M1", 10, 20);
  c.emotion.keys = {{sec(12), {1.5, 0, 0}},
                    {sec(11), {0, -1.2, 0}},
                    {sec(13), {0, 0, -0.1}},
                    {sec(21), {0, 0, 1}}};
  auto p = validate_cue(c);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].field, "emotion/0/valence");
  EXPECT_EQ(p[0].message, "emotion keyframe 1 valence is 1.5, outside -1..1");
  EXPECT_EQ(p[1].field, "emotion/1/time");
  EXPECT_NE(p[1].message.find("increasing time"), std::string::npos);
  EXPECT_EQ(p[2].field, "emotion/1/arousal");
  EXPECT_EQ(p[3].field, "emotion/2/tension");
  EXPECT_EQ(p[3].message, "emotion keyframe 3 tension is -0.1, outside 0..1");
  EXPECT_EQ(p[4].field, "emotion/3/time");
}

TEST(Validate, DuplicateIds) {
  std::vector<Cue> cues{make_cue("1M1", 0, 5), make_cue("1M2", 5, 9), make_cue("1m01", 10, 12)};
  auto p = validate_cues(cues);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].cue, 2u);
  EXPECT_EQ(p[0].field, "id");
  EXPECT_EQ(p[0].message, "cue id 1M1 is used twice (cue 1 and cue 3); each cue needs its own id");
}

TEST(Validate, OverlappingCuesInTimeAreAllowed) {
  // A segue: the next cue starts before the last one ends.
  std::vector<Cue> cues{make_cue("1M1", 0, 10), make_cue("1M2", 8, 20)};
  EXPECT_TRUE(validate_cues(cues).empty());
}

}  // namespace
}  // namespace duet::spot
