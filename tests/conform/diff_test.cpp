#include "conform/diff.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "conform/reedit.h"
#include "conform_test_util.h"
#include "picture/edl.h"

namespace duet::conform {
namespace {

namespace fs = std::filesystem;
using picture::Cut;

using test_support::kFixtures;
using test_support::load_cut;
using test_support::read_cut;

// 01:00:SS:FF at 24 fps as a record frame number.
std::int64_t tc(int seconds, int frames) {
  return 86'400 + seconds * 24 + frames;
}

std::string list(const CutDiff& d) {
  std::string out;
  for (const Change& c : d.changes) {
    out += std::string(to_string(c.kind)) + " " + std::to_string(c.old_in) + "-" +
           std::to_string(c.old_out) + " -> " + std::to_string(c.new_in) + "-" +
           std::to_string(c.new_out) + "\n";
  }
  return out;
}

TEST(CutDiff, ACutAgainstItselfIsUnchangedAndMapsEveryFrameToItself) {
  const Cut cut = load_cut("reel2_v1.edl");
  const auto d = diff_cuts(cut, cut);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_TRUE(d->unchanged()) << list(*d);
  EXPECT_EQ(d->frames_removed, 0);
  EXPECT_EQ(d->frames_added, 0);
  for (std::int64_t f = tc(2, 0); f < tc(30, 0); f += 7) {
    const Mapped m = d->map.map_frame(f);
    EXPECT_EQ(m.frame, f);
    EXPECT_FALSE(m.removed);
  }
}

// [GIVEN] an editor's list (Avid's layout) and the next version of it, in which the editor
// trimmed a shot's tail, lifted a shot, swapped two shots (the shorter one is the one moved), put
// in a pickup and added a dissolve [WHEN] they are compared [THEN] the change list is those edits,
// and the dissolve changes nothing.
TEST(CutDiff, AnEditorsTwoListsGiveTheEditsMade) {
  const auto d = diff_cuts(load_cut("reel2_v1.edl"), load_cut("reel2_v2.edl"));
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->changes.size(), 4u) << list(*d);
  const Change& trim = d->changes[0];
  EXPECT_EQ(trim.kind, ChangeKind::trim);
  EXPECT_EQ(trim.old_in, tc(8, 12));
  EXPECT_EQ(trim.old_out, tc(9, 0));
  EXPECT_EQ(trim.new_in, tc(8, 12));
  EXPECT_EQ(trim.reel, "B002C011");
  EXPECT_EQ(trim.old_event, 3);
  const Change& lift = d->changes[1];
  EXPECT_EQ(lift.kind, ChangeKind::remove);
  EXPECT_EQ(lift.old_in, tc(11, 12));
  EXPECT_EQ(lift.old_out, tc(13, 12));
  EXPECT_EQ(lift.new_in, tc(11, 0));
  const Change& move = d->changes[2];
  EXPECT_EQ(move.kind, ChangeKind::move);
  EXPECT_EQ(move.old_in, tc(16, 12));
  EXPECT_EQ(move.old_out, tc(18, 0));
  EXPECT_EQ(move.new_in, tc(11, 0));
  EXPECT_EQ(move.new_out, tc(12, 12));
  const Change& pickup = d->changes[3];
  EXPECT_EQ(pickup.kind, ChangeKind::insert);
  EXPECT_EQ(pickup.new_in, tc(19, 12));
  EXPECT_EQ(pickup.new_out, tc(21, 0));
  EXPECT_EQ(pickup.reel, "D001C001");
  EXPECT_EQ(pickup.old_in, tc(22, 0));
  // The map: the door shot moved 2.5 s earlier, the stairs 1 s, straight through the dissolve.
  EXPECT_EQ(d->map.map_frame(tc(19, 0)).frame, tc(16, 12));
  EXPECT_EQ(d->map.map_frame(tc(24, 20)).frame, tc(23, 20));
  EXPECT_EQ(d->map.map_frame(tc(25, 3)).frame, tc(24, 3));
  EXPECT_EQ(d->map.map_frame(tc(29, 23)).frame, tc(28, 23));
  EXPECT_FALSE(d->map.map_frame(tc(24, 20)).removed);
  const Mapped keys = d->map.map_frame(tc(12, 0));
  EXPECT_TRUE(keys.removed);
  EXPECT_EQ(keys.frame, tc(11, 0));
  // Blocks: the stairs move as one block, a span across the lift does not.
  std::int64_t offset = 0;
  EXPECT_TRUE(d->map.moves_as_block(tc(25, 0), tc(30, 0), &offset));
  EXPECT_EQ(offset, -24);
  EXPECT_FALSE(d->map.moves_as_block(tc(10, 0), tc(14, 0), &offset));
  EXPECT_EQ(d->frames_removed, 12 + 48);
  EXPECT_EQ(d->frames_added, 36);
}

TEST(CutDiff, CutsAtDifferentRatesAreRefused) {
  Cut a = load_cut("reel2_v1.edl");
  Cut b = a;
  b.rate = time::FrameRate::fps25();
  const auto d = diff_cuts(a, b);
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().message.find("24 fps and the new one at 25 fps"), std::string::npos)
      << d.error().message;
}

// Material shown twice: the new cut repeats a flashback shot. The old frames go where the run
// around them still plays, not to the repeat.
TEST(CutDiff, MaterialShownTwiceFollowsTheLongestConsistentRun) {
  const Cut old_cut = read_cut(
      "TITLE: T\n"
      "001  A001 V C 10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00\n"
      "002  B001 V C 11:00:00:00 11:00:02:00 01:00:02:00 01:00:04:00\n"
      "003  C001 V C 12:00:00:00 12:00:02:00 01:00:04:00 01:00:06:00\n");
  const Cut new_cut = read_cut(
      "TITLE: T\n"
      "001  B001 V C 11:00:00:00 11:00:01:00 01:00:00:00 01:00:01:00\n"
      "002  A001 V C 10:00:00:00 10:00:02:00 01:00:01:00 01:00:03:00\n"
      "003  B001 V C 11:00:00:00 11:00:02:00 01:00:03:00 01:00:05:00\n"
      "004  C001 V C 12:00:00:00 12:00:02:00 01:00:05:00 01:00:07:00\n");
  const auto d = diff_cuts(old_cut, new_cut);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_EQ(d->map.map_frame(tc(2, 5)).frame, tc(3, 5));
  EXPECT_EQ(d->map.map_frame(tc(4, 0)).frame, tc(5, 0));
  ASSERT_EQ(d->changes.size(), 1u) << list(*d);
  EXPECT_EQ(d->changes[0].kind, ChangeKind::insert);
  EXPECT_EQ(d->changes[0].new_out, tc(1, 0));
}

// A roll of two frames (one shot two frames longer, the next two shorter) and a slip of one
// frame leave the film's length unchanged: healed, not listed.
TEST(CutDiff, OneAndTwoFrameSlipsAreHealed) {
  const Cut old_cut = read_cut(
      "TITLE: T\n"
      "001  A001 V C 10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00\n"
      "002  B001 V C 11:00:00:00 11:00:02:00 01:00:02:00 01:00:04:00\n"
      "003  C001 V C 12:00:00:00 12:00:02:00 01:00:04:00 01:00:06:00\n"
      "004  D001 V C 13:00:00:00 13:00:02:00 01:00:06:00 01:00:08:00\n");
  const Cut new_cut = read_cut(
      "TITLE: T\n"
      "001  A001 V C 10:00:00:00 10:00:02:02 01:00:00:00 01:00:02:02\n"
      "002  B001 V C 11:00:00:02 11:00:02:00 01:00:02:02 01:00:04:00\n"
      "003  C001 V C 12:00:00:01 12:00:02:01 01:00:04:00 01:00:06:00\n"
      "004  D001 V C 13:00:00:00 13:00:02:00 01:00:06:00 01:00:08:00\n");
  const auto d = diff_cuts(old_cut, new_cut);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  EXPECT_TRUE(d->changes.empty()) << list(*d);
  EXPECT_EQ(d->healed, 2);
  for (std::int64_t f = tc(0, 0); f < tc(8, 0); ++f) {
    EXPECT_EQ(d->map.map_frame(f).frame, f);
    EXPECT_FALSE(d->map.map_frame(f).removed);
  }
  // With healing off the same lists show the slips.
  DiffOptions exact;
  exact.heal_frames = 0;
  EXPECT_FALSE(diff_cuts(old_cut, new_cut, exact)->changes.empty());
}

TEST(CutDiff, ASpeedChangeStretchesTheMap) {
  const Cut old_cut = read_cut(
      "TITLE: T\n"
      "001  A001 V C 10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00\n"
      "002  B001 V C 11:00:00:00 11:00:02:00 01:00:02:00 01:00:04:00\n"
      "003  C001 V C 12:00:00:00 12:00:02:00 01:00:04:00 01:00:06:00\n");
  const Cut new_cut = read_cut(
      "TITLE: T\n"
      "001  A001 V C 10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00\n"
      "002  B001 V C 11:00:00:00 11:00:04:00 01:00:02:00 01:00:06:00\n"
      "M2   B001       012.0                11:00:00:00\n"
      "003  C001 V C 12:00:00:00 12:00:02:00 01:00:06:00 01:00:08:00\n");
  const auto d = diff_cuts(old_cut, new_cut);
  ASSERT_TRUE(d.has_value()) << d.error().message;
  ASSERT_EQ(d->changes.size(), 1u) << list(*d);
  EXPECT_EQ(d->changes[0].kind, ChangeKind::speed);
  EXPECT_EQ(d->changes[0].new_out - d->changes[0].new_in, 96);
  EXPECT_EQ(d->map.map_frame(tc(3, 0)).frame, tc(4, 0));
  EXPECT_EQ(d->map.map_frame(tc(5, 0)).frame, tc(7, 0));
}

std::int64_t traced_old_frames(const Reedit& r) {
  std::int64_t n = 0;
  for (std::int64_t t : r.truth)
    n += t >= -1 ? 1 : 0;
  return n;
}

// [GIVEN] 1,000 random cuts, each re-edited with one to four random edits (every kind)
// [WHEN] the old and new cut are compared, each through its EDL text
// [THEN] every old frame maps where the truth says (within a frame inside a speed change, within
// the slip inside a healed slip or roll), removed exactly when the truth says, and the frame
// counts add up: nothing is lost.
TEST(CutDiff, ThousandRandomReeditsMatchTheTruth) {
  int failures = 0;
  for (std::uint64_t seed = 1; seed <= 1000 && failures < 5; ++seed) {
    RandomCutOptions co;
    co.seed = seed;
    co.shots = 12 + static_cast<int>(seed % 30);
    const Cut old_cut = read_cut(picture::write_edl(random_cut(co)));
    ReeditOptions ro;
    ro.seed = seed * 7919;
    ro.edits = 1 + static_cast<int>(seed % 4);
    auto r = reedit(old_cut, ro);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    const Cut new_cut = read_cut(picture::write_edl(r->cut));
    auto d = diff_cuts(old_cut, new_cut);
    ASSERT_TRUE(d.has_value()) << d.error().message;
    std::string why;
    for (std::size_t i = 0; i < r->truth.size() && why.empty(); ++i) {
      const std::int64_t f = r->old_first + static_cast<std::int64_t>(i);
      const std::int64_t truth = r->truth[i];
      const std::int64_t slack = r->tolerance[i];
      const Mapped m = d->map.map_frame(f);
      if (truth >= 0) {
        if (m.removed && slack < 2) why = "frame " + std::to_string(f) + " called removed";
        if (!m.removed && std::abs(m.frame - truth) > slack) {
          why = "frame " + std::to_string(f) + " mapped to " + std::to_string(m.frame) +
                ", truly " + std::to_string(truth);
        }
      } else if (truth == -1 && !m.removed && slack < 2) {
        why = "frame " + std::to_string(f) + " is gone but mapped to " + std::to_string(m.frame);
      }
    }
    if (why.empty() && d->frames_kept + d->frames_removed != traced_old_frames(*r)) {
      why = "frames kept and removed do not add up to the old cut's";
    }
    if (!why.empty()) {
      ++failures;
      std::string edits;
      for (const std::string& a : r->applied)
        edits += "  " + a + "\n";
      ADD_FAILURE() << "seed " << seed << ": " << why << "\nedits:\n" << edits << list(*d);
    }
  }
}

// One edit at a time, the change list names it.
TEST(CutDiff, EachKindOfEditGivesItsChange) {
  struct Case {
    EditOp op;
    std::vector<ChangeKind> expect;  // empty: no change listed
  };
  const std::vector<Case> cases = {
      {EditOp::trim_head, {ChangeKind::trim}},
      {EditOp::trim_tail, {ChangeKind::trim}},
      {EditOp::extend_head, {ChangeKind::extend}},
      {EditOp::extend_tail, {ChangeKind::extend}},
      {EditOp::lift, {ChangeKind::remove}},
      {EditOp::insert, {ChangeKind::insert}},
      {EditOp::move, {ChangeKind::move}},
      {EditOp::swap, {ChangeKind::move}},
      {EditOp::add_dissolve, {}},
      {EditOp::remove_dissolve, {}},
      {EditOp::replace, {ChangeKind::replace}},
      {EditOp::speed, {ChangeKind::speed}},
      {EditOp::slip, {}},
      {EditOp::roll, {}},
  };
  for (const Case& c : cases) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      RandomCutOptions co;
      co.seed = seed;
      co.shots = 20;
      co.dissolves = 0.3;
      co.speeds = 0;
      const Cut old_cut = random_cut(co);
      ReeditOptions ro;
      ro.seed = seed;
      ro.edits = 1;
      ro.ops = {c.op};
      auto r = reedit(old_cut, ro);
      ASSERT_TRUE(r.has_value());
      if (r->ops.empty()) continue;  // no dissolve to remove in this cut
      auto d = diff_cuts(old_cut, r->cut);
      ASSERT_TRUE(d.has_value());
      std::vector<ChangeKind> got;
      for (const Change& ch : d->changes)
        got.push_back(ch.kind);
      EXPECT_EQ(got, c.expect) << to_string(c.op) << ", seed " << seed << ": " << r->applied[0]
                               << "\n"
                               << list(*d);
    }
  }
}

}  // namespace
}  // namespace duet::conform
