#include <gtest/gtest.h>

#include <cmath>

#include "spot/merge.h"
#include "spot/validate.h"
#include "spot_test_util.h"

namespace duet::spot {
namespace {

using testing::make_cue;
using testing::sec;
using K = MergeAction::Kind;

const MergeAction* action_for(const MergeResult& r, const char* id) {
  for (const auto& a : r.actions)
    if (a.id.to_string() == id) return &a;
  return nullptr;
}

const Cue* cue_of(const MergeResult& r, const char* id) {
  for (const auto& c : r.cues)
    if (c.id.to_string() == id) return &c;
  return nullptr;
}

// The first draft, as `duet spot` would leave it in the project.
std::vector<Cue> first_draft() {
  auto r =
      merge_draft({}, {make_cue("1M1", 0, 30), make_cue("1M2", 40, 60), make_cue("1M3", 70, 90)});
  return r->cues;
}

TEST(Fingerprint, ChangesWithEveryField) {
  const Cue base = make_cue("1M1", 0, 10);
  const std::string f = fingerprint(base);
  EXPECT_EQ(f.size(), 16u);
  EXPECT_EQ(f, fingerprint(base));
  auto differs = [&](auto edit) {
    Cue c = base;
    edit(c);
    return fingerprint(c) != f;
  };
  EXPECT_TRUE(differs([](Cue& c) { c.title += "!"; }));
  EXPECT_TRUE(differs([](Cue& c) { c.id.part = "A"; }));
  EXPECT_TRUE(differs([](Cue& c) { c.in += time::TimeDur(1); }));
  EXPECT_TRUE(differs([](Cue& c) { c.usage = Usage::source; }));
  EXPECT_TRUE(differs([](Cue& c) { c.notes = "x"; }));
  EXPECT_TRUE(differs([](Cue& c) { c.hits.push_back({sec(1), ""}); }));
  EXPECT_TRUE(differs([](Cue& c) { c.dialogue.push_back({sec(1), sec(2), ""}); }));
  EXPECT_TRUE(differs([](Cue& c) { c.emotion.keys.push_back({sec(1), {}}); }));
  EXPECT_TRUE(differs([](Cue& c) { c.characters.push_back("Anna"); }));
  EXPECT_TRUE(differs([](Cue& c) { c.themes.push_back("love"); }));
  // A tempo map is the composer's choice (duet sync --apply): a fitted draft is no longer
  // untouched.
  EXPECT_TRUE(differs([](Cue& c) { c.tempo_map = time::TempoMap(); }));
  EXPECT_TRUE(differs([](Cue& c) {
                c.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(90));
              }) &&
              fingerprint([] {
                Cue c = make_cue("1M1", 0, 10);
                c.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(90));
                return c;
              }()) != fingerprint([] {
                Cue c = make_cue("1M1", 0, 10);
                c.tempo_map = time::TempoMap();
                return c;
              }()));
  // The fingerprint does not hash itself.
  EXPECT_FALSE(differs([](Cue& c) { c.draft_fingerprint = "0123456789abcdef"; }));
  // Length prefixes keep two fields from trading characters.
  Cue a = base, b = base;
  a.title = "ab";
  a.notes = "c";
  b.title = "a";
  b.notes = "bc";
  EXPECT_NE(fingerprint(a), fingerprint(b));
  // A hit weight changed in its last bit is an edit.
  Cue w1 = base, w2 = base;
  w1.hits = {{sec(1), "", HitKind::hard, 1.0}};
  w2.hits = {{sec(1), "", HitKind::hard, std::nextafter(1.0, 2.0)}};
  EXPECT_NE(fingerprint(w1), fingerprint(w2));
}

TEST(MergeDraft, FirstDraftStampsEveryCue) {
  auto cues = first_draft();
  ASSERT_EQ(cues.size(), 3u);
  for (const auto& c : cues) {
    EXPECT_TRUE(c.is_draft());
    EXPECT_TRUE(is_untouched_draft(c));
  }
}

TEST(MergeDraft, UntouchedDraftsAreReplacedRemovedOrUnchanged) {
  auto existing = first_draft();
  Cue moved = make_cue("1M2", 42, 62);
  auto r = merge_draft(existing, {make_cue("1M1", 0, 30), moved, make_cue("1M4", 100, 120)});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->cues.size(), 3u);
  EXPECT_EQ(action_for(*r, "1M1")->kind, K::unchanged);
  EXPECT_EQ(action_for(*r, "1M2")->kind, K::replaced);
  EXPECT_EQ(cue_of(*r, "1M2")->in, sec(42));
  EXPECT_EQ(action_for(*r, "1M3")->kind, K::removed);
  EXPECT_EQ(cue_of(*r, "1M3"), nullptr);
  EXPECT_EQ(action_for(*r, "1M4")->kind, K::added);
  // The replaced and removed drafts come back so the project can keep them as versions.
  ASSERT_EQ(r->superseded.size(), 2u);
  EXPECT_EQ(r->superseded[0].in, sec(40));
  EXPECT_EQ(r->superseded[1].id.to_string(), "1M3");
}

TEST(MergeDraft, TheComposersEditsAreNeverOverwritten) {
  // [GIVEN] a draft whose 1M2 the composer retitled and 1M3 they gave a hit
  auto existing = first_draft();
  existing[1].title = "Anna's arrival";
  existing[2].hits.push_back({sec(80), "kiss"});
  // [WHEN] a new draft proposes all three again at other places
  auto r = merge_draft(existing,
                       {make_cue("1M1", 1, 31), make_cue("1M2", 45, 65), make_cue("1M3", 75, 95)});
  ASSERT_TRUE(r) << r.error().message;
  // [THEN] the edited cues are kept as they were and are the composer's now
  const Cue* m2 = cue_of(*r, "1M2");
  ASSERT_NE(m2, nullptr);
  EXPECT_EQ(m2->title, "Anna's arrival");
  EXPECT_EQ(m2->in, sec(40));
  EXPECT_FALSE(m2->is_draft());
  EXPECT_EQ(cue_of(*r, "1M3")->hits.size(), 1u);
  EXPECT_EQ(action_for(*r, "1M2")->kind, K::kept_edited);
  // the untouched 1M1 follows the new draft
  EXPECT_EQ(cue_of(*r, "1M1")->in, sec(1));
  // the new drafts of 1M2 and 1M3 overlap the kept cues' ends: trimmed to what lies after them
  // (45..65 against kept 40..60 leaves 60..65) and renamed, since the composer holds their ids
  const Cue* m2a = cue_of(*r, "1M2A");
  ASSERT_NE(m2a, nullptr);
  EXPECT_EQ(m2a->in, sec(60));
  EXPECT_EQ(m2a->out, sec(65));
  EXPECT_TRUE(is_untouched_draft(*m2a));
  ASSERT_NE(cue_of(*r, "1M3A"), nullptr);
  EXPECT_EQ(cue_of(*r, "1M3A")->in, sec(90));
  EXPECT_EQ(action_for(*r, "1M2A")->kind, K::trimmed);
  EXPECT_TRUE(r->superseded.size() == 1u && r->superseded[0].id.to_string() == "1M1");
  // [AND] merging the same draft again changes nothing
  auto again = merge_draft(
      r->cues, {make_cue("1M1", 1, 31), make_cue("1M2", 45, 65), make_cue("1M3", 75, 95)});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->cues, r->cues);
  EXPECT_TRUE(again->superseded.empty());
}

TEST(MergeDraft, ComposersOwnCuesStayAndDraftsAroundThemAreTrimmedOrDropped) {
  Cue own = make_cue("1M5", 50, 60);
  own.title = "mine";
  auto r = merge_draft({own}, {
                                  make_cue("1M1", 40, 55),    // covers own's start: trim to 40..50
                                  make_cue("1M2", 55, 70),    // covers own's end: trim to 60..70
                                  make_cue("1M3", 45, 65),    // own lies inside: dropped
                                  make_cue("1M4", 52, 58),    // inside own: dropped
                                  make_cue("1M6", 59, 60.5),  // 0.5 s left: too short, dropped
                              });
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(action_for(*r, "1M5")->kind, K::kept_own);
  EXPECT_EQ(cue_of(*r, "1M5")->title, "mine");
  EXPECT_EQ(cue_of(*r, "1M1")->out, sec(50));
  EXPECT_EQ(cue_of(*r, "1M2")->in, sec(60));
  EXPECT_EQ(action_for(*r, "1M1")->kind, K::trimmed);
  EXPECT_EQ(action_for(*r, "1M1")->message,
            "trimmed draft 1M1 to stay clear of the composer's 1M5");
  EXPECT_EQ(cue_of(*r, "1M3"), nullptr);
  EXPECT_EQ(action_for(*r, "1M3")->kind, K::dropped);
  EXPECT_EQ(action_for(*r, "1M3")->message, "dropped draft 1M3: it overlaps the composer's 1M5");
  EXPECT_EQ(cue_of(*r, "1M4"), nullptr);
  EXPECT_EQ(cue_of(*r, "1M6"), nullptr);
  EXPECT_NE(action_for(*r, "1M6")->message.find("too short"), std::string::npos);
  EXPECT_TRUE(validate_cues(r->cues).empty());
}

TEST(MergeDraft, TrimmingKeepsTheDraftValid) {
  Cue own = make_cue("1M9", 0, 10);
  Cue d = make_cue("1M1", 5, 25);
  d.hits = {{sec(6), "gone"}, {sec(12), "stays"}};
  d.dialogue = {{sec(8), sec(14), "Anna"}};
  d.emotion.keys = {{sec(5), {-1, 0, 0}}, {sec(25), {1, 0, 1}}};
  auto r = merge_draft({own}, {d});
  ASSERT_TRUE(r) << r.error().message;
  const Cue* t = cue_of(*r, "1M1");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->in, sec(10));
  ASSERT_EQ(t->hits.size(), 1u);
  EXPECT_EQ(t->hits[0].label, "stays");
  ASSERT_EQ(t->dialogue.size(), 1u);
  EXPECT_EQ(t->dialogue[0].start, sec(10));
  ASSERT_EQ(t->emotion.keys.size(), 2u);
  EXPECT_EQ(t->emotion.keys[0].at, sec(10));
  EXPECT_DOUBLE_EQ(t->emotion.keys[0].value.valence, -0.5);
  EXPECT_DOUBLE_EQ(t->emotion.keys[0].value.tension, 0.25);
  EXPECT_TRUE(validate_cues(r->cues).empty());
  EXPECT_TRUE(is_untouched_draft(*t));
}

TEST(MergeDraft, AnEditedDraftThatWasRestoredToItsDraftedContentIsADraftAgain) {
  // The fingerprint is of content, so undoing an edit by hand gives the draft back to the engine.
  auto existing = first_draft();
  const std::string title = existing[0].title;
  existing[0].title = "x";
  EXPECT_FALSE(is_untouched_draft(existing[0]));
  existing[0].title = title;
  EXPECT_TRUE(is_untouched_draft(existing[0]));
}

TEST(MergeDraft, ATamperedFingerprintMakesTheCueTheComposers) {
  auto existing = first_draft();
  existing[0].draft_fingerprint = "0000000000000000";
  auto r = merge_draft(existing, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(action_for(*r, "1M1")->kind, K::kept_edited);
  ASSERT_EQ(r->cues.size(), 1u);
  EXPECT_FALSE(r->cues[0].is_draft());
}

TEST(MergeDraft, RenamesRunOutOfLettersThenDrop) {
  std::vector<Cue> own;
  Cue a = make_cue("1M1", 0, 1);
  own.push_back(a);
  for (char c = 'A'; c <= 'Z'; ++c) {
    Cue x = make_cue("1M1", 1 + (c - 'A'), 2 + (c - 'A'));
    x.id.part = std::string(1, c);
    own.push_back(x);
  }
  auto r = merge_draft(own, {make_cue("1M1", 100, 110)});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cues.size(), own.size());
  EXPECT_EQ(r->actions.back().kind, K::dropped);
}

TEST(MergeDraft, AnInvalidDraftChangesNothing) {
  auto r = merge_draft(first_draft(), {make_cue("1M1", 10, 5)});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("the new draft is not valid: cue 1:"), std::string::npos)
      << r.error().message;
  auto twice = merge_draft({}, {make_cue("1M1", 0, 5), make_cue("1M1", 6, 9)});
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("used twice"), std::string::npos);
}

}  // namespace
}  // namespace duet::spot
