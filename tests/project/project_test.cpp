#include "project/project.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "project_test_util.h"

namespace duet::project {
namespace {

namespace fs = std::filesystem;
using testing::fixture;

class ProjectTest : public testing::TempDir {
 protected:
  Project make() {
    auto m = parse_manifest(fixture("full.json"));
    EXPECT_TRUE(m);
    auto p = Project::create(dir_, *m);
    EXPECT_TRUE(p) << p.error().message;
    int tick = 0;
    p->set_clock([tick]() mutable { return "2025-01-01T00:00:0" + std::to_string(tick++) + "Z"; });
    return std::move(*p);
  }
  std::string file_text() const {
    auto bytes = base::read_file(dir_ / "duet.json");
    return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
  }
};

spot::CueId id(const char* text) {
  return *spot::parse_cue_id(text);
}

TEST_F(ProjectTest, CreateWritesTheCanonicalManifestAndRefusesToOverwrite) {
  make();
  EXPECT_EQ(file_text(), fixture("full.json"));
  Manifest other;
  other.title = "other";
  auto again = Project::create(dir_, other);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(file_text(), fixture("full.json"));
}

TEST_F(ProjectTest, LoadGivesTheSameProjectAndSaveTheSameBytes) {
  Project p = make();
  auto loaded = Project::load(dir_);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->manifest(), p.manifest());
  ASSERT_TRUE(loaded->save());
  EXPECT_EQ(file_text(), fixture("full.json"));
}

TEST_F(ProjectTest, LoadTakesTheFolderOrItsDuetJson) {
  Project p = make();
  auto by_file = Project::load(dir_ / "duet.json");
  ASSERT_TRUE(by_file) << by_file.error().message;
  EXPECT_EQ(by_file->dir(), dir_);
  EXPECT_EQ(by_file->manifest(), p.manifest());
  EXPECT_EQ(project_folder(dir_), dir_);
  EXPECT_EQ(project_folder("duet.json"), fs::path("duet.json"));  // no such file here: as typed
  // Another file is not a project.
  ASSERT_TRUE(base::write_file_atomic(dir_ / "notes.json", std::string("{}")));
  EXPECT_FALSE(Project::load(dir_ / "notes.json"));
}

TEST_F(ProjectTest, LoadErrorsNameTheFile) {
  auto none = Project::load(dir_);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no duet project in"), std::string::npos);
  fs::create_directories(dir_);
  ASSERT_TRUE(base::write_file_atomic(dir_ / "duet.json", fixture("schema_newer.json")));
  auto newer = Project::load(dir_);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().message,
            (dir_ / "duet.json").string() +
                ": written by a newer duet (schema 7); this duet reads up to 1 — update duet");
}

TEST_F(ProjectTest, ReplacingACueKeepsThePreviousVersion) {
  Project p = make();
  spot::Cue storm = *p.find_cue(id("1M2"));
  const spot::Cue before = storm;
  storm.title = "The Great Storm";
  ASSERT_TRUE(p.replace_cue(storm, "retitled"));
  EXPECT_EQ(p.find_cue(id("1M2"))->title, "The Great Storm");
  EXPECT_TRUE(fs::exists(dir_ / "history/1M2/1.json"));
  // The file on disk has the change.
  auto reloaded = Project::load(dir_);
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->find_cue(id("1M2"))->title, "The Great Storm");
  auto versions = reloaded->versions(id("1M2"));
  ASSERT_TRUE(versions) << versions.error().message;
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ((*versions)[0].number, 1);
  EXPECT_EQ((*versions)[0].reason, "retitled");
  EXPECT_EQ((*versions)[0].saved, "2025-01-01T00:00:00Z");
  EXPECT_EQ((*versions)[0].cue, before);
  // Putting the same cue again changes nothing and keeps no version.
  ASSERT_TRUE(p.replace_cue(storm, "again"));
  EXPECT_EQ(p.versions(id("1M2"))->size(), 1u);
}

TEST_F(ProjectTest, RestoringKeepsTheCurrentCueToo) {
  Project p = make();
  const spot::Cue original = *p.find_cue(id("1M2"));
  spot::Cue edit = original;
  edit.notes = "first edit";
  ASSERT_TRUE(p.replace_cue(edit, "edit 1"));
  edit.notes = "second edit";
  ASSERT_TRUE(p.replace_cue(edit, "edit 2"));
  ASSERT_TRUE(p.restore_version(id("1M2"), 1, ""));
  EXPECT_EQ(*p.find_cue(id("1M2")), original);
  auto versions = p.versions(id("1M2"));
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[2].reason, "restored version 1");
  EXPECT_EQ((*versions)[2].cue.notes, "second edit");
  auto missing = p.restore_version(id("1M2"), 9, "");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "cue 1M2 has no version 9 (its versions are 1 to 3)");
}

TEST_F(ProjectTest, RemovingACueKeepsItAndRestoreBringsItBack) {
  Project p = make();
  const spot::Cue title = *p.find_cue(id("1M1"));
  ASSERT_TRUE(p.remove_cue(id("1M1"), "cut from the film"));
  EXPECT_EQ(p.find_cue(id("1M1")), nullptr);
  EXPECT_FALSE(p.remove_cue(id("1M1"), "again"));
  ASSERT_TRUE(p.restore_version(id("1M1"), 1, "back in"));
  EXPECT_EQ(*p.find_cue(id("1M1")), title);
}

TEST_F(ProjectTest, AnInvalidChangeChangesNothing) {
  Project p = make();
  const std::string before = file_text();
  spot::Cue bad = *p.find_cue(id("1M2"));
  bad.out = bad.in;
  auto r = p.replace_cue(bad, "broken");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("nothing changed: duet.json: /cues/1/out: cue 1M2 ends at", 0),
            0u)
      << r.error().message;
  EXPECT_EQ(file_text(), before);
  EXPECT_FALSE(fs::exists(dir_ / "history/1M2"));
  EXPECT_NE(p.find_cue(id("1M2"))->out, p.find_cue(id("1M2"))->in);
}

TEST_F(ProjectTest, UpdateRefusesCueChanges) {
  Project p = make();
  Manifest m = p.manifest();
  m.title = "Renamed";
  ASSERT_TRUE(p.update(m));
  EXPECT_EQ(Project::load(dir_)->manifest().title, "Renamed");
  m.cues.clear();
  EXPECT_FALSE(p.update(m));
}

TEST_F(ProjectTest, ADraftNeverOverwritesTheComposer) {
  Project p = make();  // 1M1 and 1M2 are the composer's (no fingerprint)
  const time::FrameRate rate = p.manifest().picture.rate;
  const auto at = [&](const char* tc) {
    return time::to_time(*time::parse_timecode(tc, rate), rate);
  };
  spot::Cue d1;
  d1.id = id("1M3");
  d1.in = at("01:05:00:00") + time::TimeDur(1000);  // off the frame: snapped
  d1.out = at("01:06:00:00");
  spot::Cue d2;
  d2.id = id("1M2");
  d2.in = at("01:03:00:00");  // overlaps the composer's 1M2 (to 01:03:20:08): trimmed
  d2.out = at("01:04:00:00");
  auto r = p.apply_draft({d1, d2});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(p.find_cue(id("1M2"))->title, "The Storm");
  ASSERT_NE(p.find_cue(id("1M2A")), nullptr);
  EXPECT_EQ(p.find_cue(id("1M2A"))->in, at("01:03:20:08"));
  EXPECT_EQ(p.find_cue(id("1M3"))->in, at("01:05:00:00"));
  EXPECT_TRUE(spot::is_untouched_draft(*p.find_cue(id("1M3"))));
  // The draft survives a save and a reload as an untouched draft.
  auto reloaded = Project::load(dir_);
  ASSERT_TRUE(reloaded);
  EXPECT_TRUE(spot::is_untouched_draft(*reloaded->find_cue(id("1M3"))));
  // A second draft without 1M3 removes it, and keeps it as a version.
  auto second = reloaded->apply_draft({});
  ASSERT_TRUE(second);
  EXPECT_EQ(reloaded->find_cue(id("1M3")), nullptr);
  EXPECT_EQ(reloaded->find_cue(id("1M2A")), nullptr);
  auto kept = reloaded->versions(id("1M3"));
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].reason, "replaced by a new draft");
  EXPECT_EQ(reloaded->manifest().cues.size(), 2u);
}

TEST(Version, ReadsWhatItWrites) {
  CueVersion v;
  v.number = 4;
  v.saved = "2025-02-03T04:05:06Z";
  v.reason = "tempo fit";
  v.cue.id = *spot::parse_cue_id("3M2A");
  const auto rate = time::FrameRate::fps25();
  v.cue.in = time::to_time({1, 0, 0, 0}, rate);
  v.cue.out = time::to_time({1, 0, 5, 10}, rate);
  v.cue.hits = {{time::to_time({1, 0, 1, 0}, rate), "x"}};
  const std::string text = write_version(v, rate);
  auto back = read_version(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->number, 4);
  EXPECT_EQ(back->saved, v.saved);
  EXPECT_EQ(back->reason, v.reason);
  EXPECT_EQ(back->cue, v.cue);
  EXPECT_FALSE(read_version("{\"schema\": 1}"));
  EXPECT_FALSE(read_version("nope"));
}

}  // namespace
}  // namespace duet::project
