#include "serve/requests.h"

#include <gtest/gtest.h>

namespace duet::serve {
namespace {

TEST(ComposeBody, ReadsEveryFieldAndDefaultsTheRest) {
  auto b = read_compose_body(R"({"cues": ["1M1", "2M3"], "candidates": 6, "keep": 2, "seed": 9,
                                 "out": "takes"})");
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(b->request.cues.size(), 2u);
  EXPECT_EQ(b->request.cues[1].to_string(), "2M3");
  EXPECT_EQ(b->request.candidates, 6);
  EXPECT_EQ(b->request.keep, 2);
  EXPECT_EQ(b->request.seed, 9u);
  EXPECT_EQ(b->out, "takes");
  auto empty = read_compose_body("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->request.cues.empty());  // every cue
  EXPECT_EQ(empty->request.candidates, 8);
  EXPECT_EQ(empty->out, "compose");
}

TEST(ComposeBody, RefusesWhatTheEngineWouldWithOneSentence) {
  for (const char* bad :
       {"{oops", "[1, 2]", R"({"cues": "1M1"})", R"({"cues": [7]})", R"({"cues": ["not a cue"]})",
        R"({"candidates": 0})", R"({"candidates": 65})", R"({"candidates": 2, "keep": 3})",
        R"({"candidates": "8"})", R"({"seed": -1})", R"({"out": ""})",
        R"({"candidates": 18446744073709551615})"}) {
    const auto b = read_compose_body(bad);
    ASSERT_FALSE(b) << bad;
    EXPECT_EQ(b.error().message.find('\n'), std::string::npos);
  }
}

TEST(ComposeBody, LocksNameAFileAndBarsOrAPart) {
  auto b = read_compose_body(R"({"cues": ["1M1"], "locks": [{"file": "c/1M1-2.mid",
                                 "bars": [1, 4]}, {"file": "c/1M1-2.mid", "part": "Cello"}]})");
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(b->request.locks.size(), 2u);
  EXPECT_EQ(b->request.locks[0].file, "c/1M1-2.mid");
  EXPECT_EQ(b->request.locks[0].bars, (std::pair<std::int64_t, std::int64_t>{1, 4}));
  EXPECT_FALSE(b->request.locks[0].part);
  EXPECT_EQ(b->request.locks[1].part, "Cello");
  for (const char* bad :
       {R"({"locks": {}})", R"({"locks": [{"bars": [1, 2]}]})", R"({"locks": [{"file": ""}]})",
        R"({"locks": [{"file": "a", "bars": [0, 2]}]})",
        R"({"locks": [{"file": "a", "bars": [3, 2]}]})",
        R"({"locks": [{"file": "a", "bars": [1]}]})", R"({"locks": [{"file": "a", "part": 3}]})"}) {
    const auto r = read_compose_body(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("lock"), std::string::npos) << r.error().message;
  }
}

TEST(CritiqueBody, NamesAFile) {
  auto b = read_critique_body(R"({"file": "mine/1M3.mid"})");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, "mine/1M3.mid");
  EXPECT_FALSE(read_critique_body("{}"));
  EXPECT_FALSE(read_critique_body(R"({"file": ""})"));
  EXPECT_FALSE(read_critique_body(R"({"file": 7})"));
}

TEST(ApplyBody, NeedsAnOptionWithinTheOptions) {
  auto b = read_apply_body(R"({"option": 3, "options": 4})");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->option, 3);
  EXPECT_EQ(b->options, 4);
  EXPECT_FALSE(read_apply_body("{}"));
  EXPECT_FALSE(read_apply_body(R"({"option": 6})"));  // 5 options unless told
  EXPECT_FALSE(read_apply_body(R"({"option": 0})"));
  EXPECT_FALSE(read_apply_body(R"({"option": 1.5})"));
  EXPECT_FALSE(read_apply_body(R"({"option": 1, "options": 101})"));
}

TEST(CueEditBody, TakesTheFieldsAndTheReason) {
  auto edit = read_cue_edit_body(R"({"title": "Dawn", "reason": "renamed"})", "edited");
  ASSERT_TRUE(edit) << edit.error().message;
  EXPECT_EQ(edit->reason, "renamed");
  EXPECT_EQ(edit->fields, nlohmann::json({{"title", "Dawn"}}));
  auto plain = read_cue_edit_body(R"({"title": "Dawn"})", "edited");
  EXPECT_EQ(plain->reason, "edited");
  EXPECT_FALSE(read_cue_edit_body(R"({"reason": 3})", "edited"));
  EXPECT_FALSE(read_cue_edit_body("[1, 2]", "edited"));
}

TEST(CueEditBody, RefusesBodiesNestedPastTheBoundBeforeParsing) {
  std::string deep(100000, '[');
  auto r = read_cue_edit_body("{\"hits\": " + deep, "edited");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nests deeper"), std::string::npos);
  // Brackets inside strings do not count.
  auto quoted =
      read_cue_edit_body(R"({"notes": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", "edited");
  EXPECT_TRUE(quoted) << quoted.error().message;
}

TEST(JobBodies, ScoreDeliverAndSpotTakeTheirFieldsAndRefuseTheRest) {
  auto score = read_score_body(R"({"cues": ["1M1"], "stems": "stems", "loudness": -23})");
  ASSERT_TRUE(score) << score.error().message;
  EXPECT_EQ(score->from, "compose");
  EXPECT_EQ(score->cues.size(), 1u);
  EXPECT_EQ(*score->loudness, -23);
  EXPECT_FALSE(read_score_body(R"({"from": "c"})"));          // nothing to write
  auto wav = read_score_body(R"({"wav": "board/1M1.wav"})");  // the music track alone
  ASSERT_TRUE(wav) << wav.error().message;
  EXPECT_EQ(wav->wav, "board/1M1.wav");
  EXPECT_FALSE(read_score_body(R"({"wav": 3})"));
  EXPECT_FALSE(read_score_body(R"({"out": "a.mp4", "loudness": 3})"));
  EXPECT_FALSE(read_score_body(R"({"out": "a.mp4", "cues": ["not a cue"]})"));
  // "take": the candidate a cue is delivered from, in both jobs.
  auto taken = read_score_body(R"({"out": "a.mp4", "take": {"1M3": 2}})");
  ASSERT_TRUE(taken) << taken.error().message;
  EXPECT_EQ(taken->take, (std::map<spot::CueId, int>{{*spot::parse_cue_id("1M3"), 2}}));
  EXPECT_EQ(read_deliver_body(R"({"take": {"2M1": 3}})")->take.size(), 1u);
  EXPECT_FALSE(read_score_body(R"({"out": "a.mp4", "take": {"1M3": 0}})"));
  EXPECT_FALSE(read_score_body(R"({"out": "a.mp4", "take": {"x": 2}})"));
  EXPECT_FALSE(read_deliver_body(R"({"take": [2]})"));
  // "excerpt": the named cues with their rolls, for audition.
  auto review =
      read_score_body(R"({"cues": ["1M3"], "out": "r.mp4", "excerpt": {"pre_roll": 2.5}})");
  ASSERT_TRUE(review) << review.error().message;
  ASSERT_TRUE(review->excerpt);
  EXPECT_EQ(review->excerpt->pre_roll, 2.5);
  EXPECT_EQ(review->excerpt->post_roll, 4.0);
  EXPECT_FALSE(review->excerpt->alone);
  EXPECT_TRUE(read_score_body(R"({"cues": ["1M3"], "out": "r.mp4", "excerpt": {"alone": true}})")
                  ->excerpt->alone);
  EXPECT_FALSE(read_score_body(R"({"cues": ["1M3"], "out": "r.mp4", "excerpt": {"alone": 1}})"));
  EXPECT_FALSE(read_score_body(R"({"out": "r.mp4", "excerpt": {}})"));  // no cue named
  // An audition from a point: its timecode (read at the project's rate by the server), its
  // longest, and only its span rendered.
  auto point = read_score_body(
      R"({"cues": ["1M3"], "wav": "a.wav", "excerpt": {"from": "01:00:12:03", "seconds": 20, )"
      R"("chase": true}})");
  ASSERT_TRUE(point) << point.error().message;
  EXPECT_EQ(point->excerpt_from, "01:00:12:03");
  EXPECT_EQ(point->excerpt->seconds, 20.0);
  EXPECT_TRUE(point->excerpt->chase);
  EXPECT_FALSE(point->excerpt->from);
  for (const char* bad : {R"({"from": 12})", R"({"seconds": 0})", R"({"seconds": "20"})",
                          R"({"seconds": 4000})", R"({"chase": "yes"})"}) {
    const std::string body =
        std::string(R"({"cues": ["1M3"], "wav": "a.wav", "excerpt": )") + bad + "}";
    auto refused = read_score_body(body);
    ASSERT_FALSE(refused) << body;
    EXPECT_NE(refused.error().message.find("excerpt takes"), std::string::npos);
  }
  EXPECT_FALSE(
      read_score_body(R"({"cues": ["1M3"], "out": "r.mp4", "excerpt": {"pre_roll": -1}})"));
  EXPECT_EQ(read_deliver_body("")->out, "deliver");
  EXPECT_FALSE(read_deliver_body(R"({"out": ""})"));
  EXPECT_TRUE(read_empty_body(""));
  EXPECT_TRUE(read_empty_body("{}"));
  EXPECT_FALSE(read_empty_body(R"({"split": 1})"));
}

TEST(ThemeBodies, ATextThemeAndATagOfCuesOrAll) {
  auto theme = read_theme_body(R"({"text": "4/4 D4q E4q", "key": "D minor"})");
  ASSERT_TRUE(theme) << theme.error().message;
  EXPECT_EQ(std::get<engine::ThemeText>(theme->source).text, "4/4 D4q E4q");
  EXPECT_EQ(theme->key, "D minor");
  EXPECT_FALSE(read_theme_body(R"({"key": "D minor"})"));
  EXPECT_FALSE(read_theme_body(R"({"text": ""})"));
  auto tag = read_tag_body(R"({"cues": ["1M1", "1M2"], "untag": true})");
  ASSERT_TRUE(tag) << tag.error().message;
  EXPECT_EQ(tag->cues.size(), 2u);
  EXPECT_TRUE(tag->untag);
  EXPECT_TRUE(read_tag_body(R"({"all": true})")->all);
  EXPECT_FALSE(read_tag_body("{}"));
  EXPECT_FALSE(read_tag_body(R"({"cues": ["1M1"], "all": true})"));
  EXPECT_FALSE(read_tag_body(R"({"all": "yes"})"));
}

TEST(RestoreBody, NeedsAVersionFromOne) {
  EXPECT_EQ(read_restore_body(R"({"version": 3})")->version, 3);
  EXPECT_FALSE(read_restore_body("{}"));
  EXPECT_FALSE(read_restore_body(R"({"version": 0})"));
  EXPECT_FALSE(read_restore_body(R"({"version": "2"})"));
}

}  // namespace
}  // namespace duet::serve
