// Conform through the session (conform_job.h): a project with a composed cue re-fitted to the
// editor's next cut, the joins written anew by compose, everything else kept.
#include "engine/conform_job.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <tuple>
#include <vector>

#include "base/file.h"
#include "engine/session.h"
#include "midi/smf.h"
#include "midi/timing.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;

using ConformJobTest = test_support::TempDirTest;

// Each note of a file by track, as (bar, offset in the bar, key, length) in beat ticks.
using NoteKey = std::tuple<std::int64_t, std::int64_t, int, std::int64_t>;
std::map<std::size_t, std::vector<NoteKey>> notes_by_bar(const fs::path& path) {
  auto bytes = base::read_file(path);
  EXPECT_TRUE(bytes.has_value());
  const midi::MidiFile file = midi::read_smf(*bytes)->file;
  const midi::Timeline timeline = midi::Timeline::of(file);
  const int ppq = file.division.ticks_per_quarter;
  std::map<std::size_t, std::vector<NoteKey>> out;
  for (std::size_t t = 0; t < file.tracks.size(); ++t) {
    for (const midi::Note& n : midi::pair_notes(file.tracks[t])) {
      const time::BeatPos at = midi::beat_of_tick(n.start, ppq);
      const time::BBT bbt = timeline.tempo_map().bbt_at(at);
      const time::BeatPos bar = timeline.tempo_map().meters().bar_start(bbt.bar);
      out[t].emplace_back(bbt.bar, (at - bar).ticks(), n.key,
                          (midi::beat_of_tick(n.start + n.duration, ppq) - at).ticks());
    }
  }
  return out;
}

// [GIVEN] the Reel 2 project with cue 2M1 composed, and the editor's next cut [WHEN] it is
// conformed with the joins written anew, and again with plain splices [THEN] compose wrote the
// bars at the joins, and every note of every other bar is the same in both, note for note; the
// project keeps the cue's version before; a dry run writes nothing.
TEST_F(ConformJobTest, TheJoinsAreWrittenAnewAndEveryOtherBarIsKeptNoteForNote) {
  fs::create_directories(dir_);
  for (const char* name : {"a", "b"}) {
    fs::copy(test_support::kData / "project_conform", dir_ / name, fs::copy_options::recursive);
  }
  std::vector<std::map<std::size_t, std::vector<NoteKey>>> results;
  std::vector<std::int64_t> join_bars;
  for (const char* name : {"a", "b"}) {
    auto session = Session::open(dir_ / name, {.models_dir = test_support::kModels});
    ASSERT_TRUE(session) << session.error().message;
    ComposeRequest compose;
    compose.cues = {*spot::parse_cue_id("2M1")};
    compose.candidates = 2;
    compose.keep = 1;
    compose.out = dir_ / name / "compose";
    auto composed = session->compose(compose);
    ASSERT_TRUE(composed) << composed.error().message;

    ConformRequest request;
    request.new_edl = dir_ / name / "reel2_v2.edl";
    request.from = dir_ / name / "compose";
    request.rewrite_joins = std::string(name) == "a";
    request.dry_run = true;
    auto dry = session->conform(request);
    ASSERT_TRUE(dry) << dry.error().message;
    EXPECT_TRUE(dry->written.empty());
    EXPECT_FALSE(fs::exists(dir_ / name / "compose-conformed"));

    request.dry_run = false;
    auto report = session->conform(request);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->midi.size(), 1u);
    const MidiRefitted& m = report->midi.front();
    EXPECT_EQ(m.to, dir_ / name / "compose-conformed" / "2M1-1.mid");
    EXPECT_EQ(m.joins_rewritten, request.rewrite_joins) << name;
    ASSERT_FALSE(m.join_bars.empty());
    join_bars = m.join_bars;
    results.push_back(notes_by_bar(m.to));
    EXPECT_EQ(session->cue_versions(*spot::parse_cue_id("2M1"))->size(), 1u);
  }
  // Same composition (same seed), so outside the joins the two files agree note for note.
  int kept = 0;
  int differ = 0;
  for (const auto& [track, notes] : results[1]) {
    for (const NoteKey& n : notes) {
      const bool at_join =
          std::find(join_bars.begin(), join_bars.end(), std::get<0>(n)) != join_bars.end();
      const auto& other = results[0][track];
      const bool found = std::find(other.begin(), other.end(), n) != other.end();
      if (!at_join) {
        EXPECT_TRUE(found) << "track " << track << " bar " << std::get<0>(n) << " key "
                           << std::get<2>(n);
        ++kept;
      } else if (!found) {
        ++differ;
      }
    }
  }
  EXPECT_GT(kept, 20);
  EXPECT_GT(differ, 0) << "compose wrote the join bars as they were";
}

}  // namespace
}  // namespace duet::engine
