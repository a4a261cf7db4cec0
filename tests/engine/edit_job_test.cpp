// Cue edits through the engine session (edit_job.h): checked by the project file's reader, saved
// atomically, the cue before kept as a version, and nothing changed when an edit is refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "engine/session.h"
#include "project/manifest.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

using test_support::kData;

class EditTest : public test_support::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::copy(kData / "project_sync", dir_, fs::copy_options::recursive);
  }
  std::string manifest() {
    auto bytes = base::read_file(dir_ / "duet.json");
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
  }
  Session open() {
    auto session = Session::open(dir_);
    EXPECT_TRUE(session) << session.error().message;
    return std::move(*session);
  }
};

spot::CueId id(const char* text) {
  return *spot::parse_cue_id(text);
}

TEST_F(EditTest, AMovedHitIsSavedAndTheCueBeforeIsKept) {
  Session session = open();
  const spot::Cue before = *session.project().find_cue(id("1M3"));
  json hits = project::write_cue(before, session.project().manifest().picture.rate)["hits"];
  hits[1]["time"] = "01:00:04:06";  // "door" six frames later
  hits[1]["kind"] = "soft";
  auto edited = session.edit_cue({id("1M3"), json{{"hits", hits}}, "door moved"});
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_TRUE(edited->changed);
  EXPECT_EQ(edited->kept_version, 1);
  ASSERT_TRUE(edited->cue);
  EXPECT_EQ(edited->cue->hits.size(), before.hits.size());
  EXPECT_EQ(edited->cue->hits[1].kind, spot::HitKind::soft);
  EXPECT_EQ(edited->cue->in, before.in);  // fields not given are kept
  EXPECT_EQ(edited->cue->title, before.title);

  // On disk, read by a new session, and the version before with its reason.
  Session again = open();
  EXPECT_EQ(*again.project().find_cue(id("1M3")), *edited->cue);
  auto versions = again.cue_versions(id("1M3"));
  ASSERT_TRUE(versions) << versions.error().message;
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().reason, "door moved");
  EXPECT_EQ(versions->front().cue, before);
  const json listed = to_json(*versions, again.project().manifest().picture.rate);
  EXPECT_EQ(listed[0]["cue"]["hits"][1]["time"], "01:00:04:00");

  // The same edit again changes nothing and keeps no second version.
  auto same = again.edit_cue({id("1M3"), json{{"hits", hits}}, "door moved"});
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_FALSE(same->changed);
  EXPECT_EQ(same->kept_version, 0);
  EXPECT_EQ(again.cue_versions(id("1M3"))->size(), 1u);
}

TEST_F(EditTest, ARedrawnCurveAndANewOutPoint) {
  Session session = open();
  const json curve = json::array({
      {{"time", "01:00:02:00"}, {"valence", -0.5}, {"arousal", 0.2}, {"tension", 0.4}},
      {{"time", "01:00:20:00"}, {"valence", 0.3}, {"arousal", 0.8}, {"tension", 0.9}},
  });
  auto edited =
      session.edit_cue({id("1M3"), json{{"emotion", curve}, {"out", "01:00:24:00"}}, "redrawn"});
  ASSERT_TRUE(edited) << edited.error().message;
  ASSERT_EQ(edited->cue->emotion.keys.size(), 2u);
  EXPECT_DOUBLE_EQ(edited->cue->emotion.keys[1].value.arousal, 0.8);
  const json written = to_json(*edited, session.project().manifest().picture.rate);
  EXPECT_EQ(written["cue"]["out"], "01:00:24:00");
  EXPECT_EQ(written["kept_version"], 1);
}

TEST_F(EditTest, RefusedEditsNameTheFieldAndChangeNothing) {
  Session session = open();
  const std::string before = manifest();
  const auto refused = [&](json fields, const std::string& words) {
    auto r = session.edit_cue({id("1M3"), std::move(fields), "refused"});
    ASSERT_FALSE(r) << "accepted " << words;
    EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.rfind("nothing changed", 0), 0u) << r.error().message;
    EXPECT_EQ(manifest(), before);
  };
  // A hit past the cue's out point.
  refused(json{{"hits", json::array({{{"time", "01:00:40:00"}, {"kind", "hard"}}})}},
          "cue 1M3: hits/0");
  // A curve point that is not a number.
  refused(json{{"emotion", json::array({{{"time", "01:00:03:00"}, {"valence", "sad"}}})}},
          "cue 1M3: emotion/0/valence");
  // An impossible timecode (frame 30 at 24 fps).
  refused(json{{"in", "01:00:02:30"}}, "cue 1M3: in");
  // A misspelt field is refused, not dropped.
  refused(json{{"hit", json::array()}}, "cue 1M3: hit: unknown key");
  // A theme the project does not have.
  refused(json{{"themes", json::array({"nobody"})}}, "theme 'nobody'");
  // The id.
  refused(json{{"id", "1M4"}}, "id cannot change");
  auto missing = session.edit_cue({id("9M9"), json{{"title", "x"}}, "renamed"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("has no cue 9M9"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "history"));
}

TEST_F(EditTest, AddRemoveAndRestoreKeepEveryVersion) {
  Session session = open();
  auto added = session.add_cue(
      json{{"id", "1M4"}, {"in", "01:00:40:00"}, {"out", "01:00:50:00"}, {"title", "Dawn"}},
      "added on the board");
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->cue->title, "Dawn");
  EXPECT_EQ(added->kept_version, 0);
  auto twice =
      session.add_cue(json{{"id", "1M4"}, {"in", "01:00:40:00"}, {"out", "01:00:50:00"}}, "again");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("already a cue 1M4"), std::string::npos);
  auto backwards = session.add_cue(
      json{{"id", "1M5"}, {"in", "01:01:00:00"}, {"out", "01:00:55:00"}}, "backwards");
  ASSERT_FALSE(backwards);
  EXPECT_NE(backwards.error().message.find("cue 1M5"), std::string::npos);

  auto removed = session.remove_cue(id("1M4"), "not needed");
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_FALSE(removed->cue);
  EXPECT_EQ(removed->kept_version, 1);
  EXPECT_EQ(session.project().find_cue(id("1M4")), nullptr);
  // A removed cue keeps its versions, and comes back from them.
  auto versions = session.cue_versions(id("1M4"));
  ASSERT_TRUE(versions) << versions.error().message;
  ASSERT_EQ(versions->size(), 1u);
  auto restored = session.restore_cue(id("1M4"), 1);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_TRUE(restored->changed);
  EXPECT_EQ(restored->cue->title, "Dawn");
  auto no_such = session.restore_cue(id("1M4"), 7);
  ASSERT_FALSE(no_such);
  EXPECT_NE(no_such.error().message.find("has no version 7"), std::string::npos);
  EXPECT_FALSE(session.cue_versions(id("8M8")));
}

}  // namespace
}  // namespace duet::engine
