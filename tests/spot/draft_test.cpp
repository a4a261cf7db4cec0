#include "spot/draft.h"

#include <gtest/gtest.h>

#include <string>

#include "picture/edl.h"
#include "spot/validate.h"

namespace duet::spot {
namespace {

const time::FrameRate kRate = time::FrameRate::fps24();
const time::Timecode kStart{1, 0, 0, 0};

time::TimePos film_time(double seconds) {
  return time::TimePos(static_cast<std::int64_t>(seconds * time::kSuperclockPerSecond));
}
time::TimePos project_time(double seconds) {
  return time::to_time(kStart, kRate) + (film_time(seconds) - time::TimePos{});
}

struct Stretch {
  int seconds;
  double motion, brightness, warmth, lufs;
};

// A film made of stretches, each a shot with steady features, cut hard between them.
picture::FilmAnalysis film(const std::vector<Stretch>& stretches) {
  picture::FilmAnalysis a;
  a.info.rate = kRate;
  a.loudness.measured = true;
  int at = 0;
  for (std::size_t i = 0; i < stretches.size(); ++i) {
    const auto& s = stretches[i];
    if (i > 0) {
      picture::ShotCut cut;
      cut.frame = at * 24;
      cut.at = film_time(at);
      cut.score = 1;
      cut.confidence = 1;
      a.cuts.push_back(cut);
    }
    for (int k = 0; k < s.seconds; ++k) {
      a.series.motion.push_back(s.motion);
      a.series.brightness.push_back(s.brightness);
      a.series.warmth.push_back(s.warmth);
      a.loudness.short_term_lufs.push_back(s.lufs);
      a.loudness.momentary_lufs.push_back(s.lufs);
    }
    at += s.seconds;
  }
  a.frames = at * 24;
  return a;
}

const Stretch kCalmDark{30, 0.006, 0.12, -0.05, -45};
const Stretch kLoudBright{30, 0.12, 0.7, 0.2, -16};

TEST(Draft, ContrastingHalvesBecomeTwoCuesSplitAtTheCut) {
  const auto a = film({kCalmDark, kLoudBright});
  auto d = draft_spotting(a, nullptr, kRate, kStart);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->cues.size(), 2u);
  EXPECT_EQ(d->cues[0].id.to_string(), "1M1");
  EXPECT_EQ(d->cues[1].id.to_string(), "1M2");
  EXPECT_EQ(d->cues[0].in, project_time(0));
  EXPECT_EQ(d->cues[0].out, project_time(30));
  EXPECT_EQ(d->cues[1].in, project_time(30));
  EXPECT_EQ(d->cues[1].out, project_time(60));
  // The drafted feeling follows the picture: the second half is more aroused and brighter.
  const auto first = d->cues[0].emotion.value_at(project_time(15));
  const auto second = d->cues[1].emotion.value_at(project_time(45));
  ASSERT_TRUE(first && second);
  EXPECT_LT(first->arousal, -0.5);
  EXPECT_GT(second->arousal, 0.5);
  EXPECT_LT(first->valence, second->valence);
  EXPECT_LT(first->tension, second->tension);
  // Every cue says it is a draft and validates.
  for (const auto& c : d->cues) {
    EXPECT_NE(c.notes.find("Draft"), std::string::npos);
  }
  EXPECT_TRUE(validate_cues(d->cues).empty());
}

TEST(Draft, SimilarShotsMakeOneCueWithHitsAtTheCutsThatChangeTheFeeling) {
  // Three shots alike in feeling, and one brighter and busier one in the middle: one cue (the
  // penalty for a new cue is not worth it at this contrast), hits at the two cuts around the
  // bright shot, none at the cut between two identical shots.
  DraftOptions options;
  options.split_penalty = 10;  // never split
  const auto a = film({{20, 0.01, 0.3, 0.0, -30},
                       {20, 0.01, 0.3, 0.0, -30},
                       {20, 0.05, 0.6, 0.1, -22},
                       {20, 0.01, 0.3, 0.0, -30}});
  auto d = draft_spotting(a, nullptr, kRate, kStart, options);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->cues.size(), 1u);
  const auto& hits = d->cues[0].hits;
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].at, project_time(40));
  EXPECT_EQ(hits[1].at, project_time(60));
  EXPECT_EQ(hits[0].label, "cut to the next shot");
  // The rise in loudness into the bright shot is accented, the fall out of it is not.
  EXPECT_TRUE(hits[0].accent);
  EXPECT_FALSE(hits[1].accent);
}

TEST(Draft, HitsCloserThanTheGapKeepTheStronger) {
  DraftOptions options;
  options.split_penalty = 10;
  options.min_cue_seconds = 1;
  options.min_hit_gap_seconds = 2.5;
  // Cuts at 20 s (a small change) and 22 s (a large one): only the one at 22 s stays.
  const auto a =
      film({{20, 0.01, 0.3, 0.0, -30}, {2, 0.02, 0.45, 0.0, -30}, {20, 0.1, 0.9, 0.3, -15}});
  auto d = draft_spotting(a, nullptr, kRate, kStart, options);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->cues.size(), 1u);
  ASSERT_EQ(d->cues[0].hits.size(), 1u);
  EXPECT_EQ(d->cues[0].hits[0].at, project_time(22));
  EXPECT_EQ(d->cues[0].hits[0].kind, HitKind::hard);
  EXPECT_EQ(d->cues[0].hits[0].land, Landing::downbeat());
}

TEST(Draft, ACalmDialogueSceneIsLeftDry) {
  auto a = film({kLoudBright, {30, 0.006, 0.4, 0.0, -40}, kLoudBright});
  // Speech over 80% of the middle scene.
  for (int s = 31; s < 59; s += 4) {
    a.dialogue.push_back({film_time(s), film_time(s + 3.5), 0.9});
  }
  auto d = draft_spotting(a, nullptr, kRate, kStart);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->notes.size(), 3u);
  EXPECT_FALSE(d->notes[1].cue);
  EXPECT_NE(d->notes[1].summary.find("left dry"), std::string::npos);
  ASSERT_EQ(d->cues.size(), 2u);
  EXPECT_EQ(d->cues[0].out, project_time(30));
  EXPECT_EQ(d->cues[1].in, project_time(60));
}

TEST(Draft, DialogueWindowsInsideACueAreKept) {
  auto a = film({kCalmDark, kLoudBright});
  a.dialogue.push_back({film_time(5), film_time(8), 0.9});
  a.dialogue.push_back({film_time(28), film_time(33), 0.9});  // across the cut
  auto d = draft_spotting(a, nullptr, kRate, kStart);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->cues.size(), 2u);
  ASSERT_EQ(d->cues[0].dialogue.size(), 2u);
  EXPECT_EQ(d->cues[0].dialogue[0].start, project_time(5));
  EXPECT_EQ(d->cues[0].dialogue[1].end, project_time(30));  // cut at the cue's end
  ASSERT_EQ(d->cues[1].dialogue.size(), 1u);
  EXPECT_EQ(d->cues[1].dialogue[0].start, project_time(30));
}

TEST(Draft, NoCueIsShorterThanTheMinimum) {
  DraftOptions options;
  options.split_penalty = 0.0001;  // split wherever the feeling changes
  options.min_cue_seconds = 15;
  const auto a = film({{10, 0.01, 0.2, 0, -40},
                       {10, 0.1, 0.8, 0.2, -15},
                       {10, 0.01, 0.2, 0, -40},
                       {10, 0.1, 0.8, 0.2, -15}});
  auto d = draft_spotting(a, nullptr, kRate, kStart, options);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_FALSE(d->notes.empty());
  for (const auto& n : d->notes)
    EXPECT_GE(time::seconds(n.end - n.start), 15.0);
}

TEST(Draft, TheEditorsCutGivesTheScenesAndTheirNames) {
  const std::string edl =
      "TITLE: TEST\nFCM: NON-DROP FRAME\n\n"
      "001  A001     V     C        10:00:00:00 10:00:30:00 01:00:00:00 01:00:30:00\n"
      "* FROM CLIP NAME: HARBOUR\n\n"
      "002  A002     V     C        11:00:00:00 11:00:30:00 01:00:30:00 01:01:00:00\n"
      "* FROM CLIP NAME: CHASE\n";
  auto cut = picture::read_edl(edl, {});
  ASSERT_TRUE(cut.has_value()) << cut.error().message;
  auto a = film({kCalmDark, kLoudBright});
  a.cuts.clear();  // the picture saw nothing: the cut still gives the scenes
  auto d = draft_spotting(a, &cut->cut, kRate, kStart);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->cues.size(), 2u);
  EXPECT_EQ(d->cues[0].title, "HARBOUR");
  EXPECT_EQ(d->cues[1].title, "CHASE");
  ASSERT_FALSE(d->remarks.empty());
  EXPECT_NE(d->remarks[0].find("the picture shows 0 of its 1 transitions"), std::string::npos)
      << d->remarks[0];
}

TEST(Draft, ACutThatMissesTheFilmIsAnError) {
  const std::string edl =
      "TITLE: ELSEWHERE\n\n"
      "001  A001     V     C        10:00:00:00 10:00:30:00 05:00:00:00 05:00:30:00\n";
  auto cut = picture::read_edl(edl, {});
  ASSERT_TRUE(cut.has_value()) << cut.error().message;
  auto d = draft_spotting(film({kCalmDark}), &cut->cut, kRate, kStart);
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message.find("do not overlap the film"), std::string::npos)
      << d.error().message;
}

TEST(Draft, AnEmptyAnalysisIsAnError) {
  picture::FilmAnalysis empty;
  auto d = draft_spotting(empty, nullptr, kRate, kStart);
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message.find("no pictures"), std::string::npos);
}

TEST(Draft, ReelsFollowTheHourOfTheTimecode) {
  const time::Timecode reel2{2, 0, 0, 0};
  auto d = draft_spotting(film({kCalmDark, kLoudBright}), nullptr, kRate, reel2);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_FALSE(d->cues.empty());
  EXPECT_EQ(d->cues[0].id.to_string(), "2M1");
}

TEST(Draft, TheSameAnalysisGivesTheSameDraft) {
  const auto a = film({kCalmDark, kLoudBright, kCalmDark});
  auto d1 = draft_spotting(a, nullptr, kRate, kStart);
  auto d2 = draft_spotting(a, nullptr, kRate, kStart);
  ASSERT_TRUE(d1.has_value() && d2.has_value());
  EXPECT_EQ(d1->cues, d2->cues);
}

}  // namespace
}  // namespace duet::spot
