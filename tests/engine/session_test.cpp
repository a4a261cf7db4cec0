#include "engine/session.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "base/file.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;
using test_support::cue_id;

using test_support::kData;
const fs::path kProject = kData / "project_compose";
using test_support::kModels;

using SessionTest = test_support::TempDirTest;

TEST_F(SessionTest, ComposeWritesTheKeptCandidatesAndReportsThem) {
  auto session = Session::open(kProject, {.models_dir = kModels});
  ASSERT_TRUE(session) << session.error().message;
  ComposeRequest request;
  request.cues = {cue_id("1M1")};
  request.candidates = 2;
  request.keep = 2;
  request.out = dir_;
  std::set<std::string> stages;
  double last = 0;
  auto report = session->compose(request, [&](const std::string& what, double fraction) {
    stages.insert(what);
    EXPECT_GE(fraction, last);
    last = fraction;
    return true;
  });
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(stages, std::set<std::string>{"composing 1M1"});
  EXPECT_DOUBLE_EQ(last, 1.0);
  ASSERT_EQ(report->cues.size(), 1u);
  const ComposedCue& cue = report->cues.front();
  ASSERT_EQ(cue.kept.size(), 2u);
  EXPECT_EQ(cue.kept[0].file, dir_ / "1M1-1.mid");
  EXPECT_EQ(cue.kept[1].file, dir_ / "1M1-2.mid");
  EXPECT_GE(cue.kept[0].candidate.total, cue.kept[1].candidate.total);
  for (const auto& k : cue.kept)
    EXPECT_TRUE(fs::exists(k.file)) << k.file;
  EXPECT_TRUE(fs::exists(cue.report_txt));
  const auto text = base::read_file(cue.report_txt);
  ASSERT_TRUE(text);
  EXPECT_EQ(std::string(text->begin(), text->end()), cue.text);
  // The shipped models wrote it, named in the report with their hashes.
  EXPECT_EQ(report->models.melody.name(), "default.duetmodel (shipped)");
  EXPECT_EQ(report->models.chords.name(), "default-chords.duetmodel (shipped)");
  const auto json = to_json(*report);
  EXPECT_EQ(json["cues"][0]["kept"][0]["file"], (dir_ / "1M1-1.mid").generic_string());
  EXPECT_EQ(json["summary"]["cues"], 1);
  EXPECT_EQ(json["cues"][0]["models"]["melody"]["hash"], report->models.melody.hash);
}

TEST_F(SessionTest, TheSameRequestGivesTheSameBytesAndLoadsTheModelsOnce) {
  auto session = Session::open(kProject, {.models_dir = kModels});
  ASSERT_TRUE(session);
  auto first = session->models("", "", true);
  auto again = session->models("", "", true);
  ASSERT_TRUE(first && again);
  EXPECT_EQ(*first, *again);
  ComposeRequest request;
  request.cues = {cue_id("1M2")};
  request.candidates = 2;
  request.keep = 1;
  request.out = dir_ / "a";
  ASSERT_TRUE(session->compose(request));
  request.out = dir_ / "b";
  ASSERT_TRUE(session->compose(request));
  EXPECT_EQ(*base::read_file(dir_ / "a/1M2-1.mid"), *base::read_file(dir_ / "b/1M2-1.mid"));
  // Candidates written one at a time or three at once, with the shipped chord model: the same
  // bytes (each writes with its own copy of the model).
  request.candidates = 3;
  request.keep = 3;
  request.jobs = 1;
  request.out = dir_ / "serial";
  ASSERT_TRUE(session->compose(request));
  request.jobs = 3;
  request.out = dir_ / "parallel";
  ASSERT_TRUE(session->compose(request));
  for (const char* f : {"1M2-1.mid", "1M2-2.mid", "1M2-3.mid"})
    EXPECT_EQ(*base::read_file(dir_ / "serial" / f), *base::read_file(dir_ / "parallel" / f)) << f;
}

TEST_F(SessionTest, CancelledComposeWritesNothing) {
  auto session = Session::open(kProject, {.models_dir = kModels});
  ASSERT_TRUE(session);
  ComposeRequest request;
  request.candidates = 3;
  request.keep = 1;
  request.out = dir_;
  auto report = session->compose(request, [](const std::string&, double) { return false; });
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind, base::ErrorKind::impossible);
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(SessionTest, ACueTheProjectLacksIsOneSentenceListingItsCues) {
  auto session = Session::open(kProject, {.models_dir = kModels});
  ASSERT_TRUE(session);
  ComposeRequest request;
  request.cues = {cue_id("9M9")};
  request.out = dir_;
  auto report = session->compose(request);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("has no cue 9M9 (its cues: 1M1, 1M2)"), std::string::npos)
      << report.error().message;
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(SessionTest, CritiqueJudgesAComposedCueAsComposeJudgedIt) {
  auto session = Session::open(kProject, {.models_dir = kModels});
  ASSERT_TRUE(session);
  ComposeRequest request;
  request.cues = {cue_id("1M1")};
  request.candidates = 1;
  request.keep = 1;
  request.out = dir_;
  auto composed = session->compose(request);
  ASSERT_TRUE(composed) << composed.error().message;
  CritiqueRequest critique;
  critique.cue = cue_id("1M1");
  critique.file = dir_ / "1M1-1.mid";
  auto judged = session->critique(critique);
  ASSERT_TRUE(judged) << judged.error().message;
  // Placed by the SMPTE offset compose wrote, judged by the same critics.
  EXPECT_EQ(judged->placed.from, spot::MidiPlacement::From::smpte_offset);
  const auto& kept = composed->cues.front().kept.front().candidate.critique;
  EXPECT_EQ(judged->judged.critique.get(compose::CriticKind::sync).count,
            kept.get(compose::CriticKind::sync).count);
  EXPECT_GT(judged->notes, 0);
  EXPECT_EQ(to_json(*judged)["file"], "1M1-1.mid");
}

}  // namespace
}  // namespace duet::engine

namespace duet::engine {
namespace {

const fs::path kSyncProject = fs::path(DUET_SOURCE_DIR) / "tests/cli/data/project_sync";

// [GIVEN] a calm cue's hard downbeats at whole seconds that only 240 BPM (a bar a second) lands
// with one constant tempo (issue 19: calm cues got 205-240 BPM)
// [THEN] tempo changes within the plausible band come first when they land every hard hit, and
//        240 BPM stays on the list, saying it is far faster than the cue's feeling
TEST(SyncProposal, AnImplausibleTempoGivesWayToChangesThatLandEveryHardHit) {
  const time::FrameRate rate = time::FrameRate::fps24();
  std::vector<spot::HitPoint> hits;
  for (int second : {26, 73, 95, 133, 175}) {
    spot::HitPoint h;
    h.at = time::time_of_frame(second * 24, rate);
    h.land = spot::Landing::downbeat();
    hits.push_back(h);
  }
  sync::FitOptions fit;
  fit.rate = rate;
  fit.preferred_qpm = 74;
  auto proposal = propose_sync(hits, fit, {});
  ASSERT_TRUE(proposal) << proposal.error().message;
  ASSERT_GE(proposal->options.size(), 2u);
  const SyncOption& first = proposal->options.front();
  EXPECT_FALSE(first.constant);
  EXPECT_TRUE(first.check.all_hard_landed());
  for (const auto& entry : first.map.tempo_changes()) {
    const double bpm = entry.tempo.quarters_per_minute().to_double();
    EXPECT_GE(bpm, 74 / 2.0);
    EXPECT_LE(bpm, 74 * 1.6);
  }
  bool listed = false;
  for (const SyncOption& o : proposal->options)
    if (o.constant && o.constant->tempo.per_minute == time::Rational(240)) {
      listed = true;
      EXPECT_FALSE(o.constant->plausible);
      EXPECT_NE(o.reason.find("far faster than the preferred 74 BPM"), std::string::npos);
    }
  EXPECT_TRUE(listed);

  // Hard downbeats 5 s apart then 9 s (94, 99, 108, 173, 217 s in) need more than an 8% change
  // between them at a calm tempo: single bars of another meter land them at 97-101 BPM.
  hits.clear();
  for (int second : {94, 99, 108, 173, 217}) {
    spot::HitPoint h;
    h.at = time::time_of_frame(second * 24, rate);
    h.land = spot::Landing::downbeat();
    hits.push_back(h);
  }
  fit.preferred_qpm = 83;
  auto barred = propose_sync(hits, fit, {});
  ASSERT_TRUE(barred) << barred.error().message;
  const SyncOption& best = barred->options.front();
  EXPECT_FALSE(best.constant);
  EXPECT_TRUE(best.check.all_hard_landed());
  EXPECT_GT(best.map.meters().changes().size(), 1u) << best.reason;  // a bar of another meter
  for (const auto& entry : best.map.tempo_changes())
    EXPECT_LE(entry.tempo.quarters_per_minute().to_double(), 83 * 1.6);
}

TEST_F(SessionTest, SyncProposesAppliesAVersionAndChecksWhatItApplied) {
  fs::copy(kSyncProject, dir_, fs::copy_options::recursive);
  auto session = Session::open(dir_, {.models_dir = kModels});
  ASSERT_TRUE(session) << session.error().message;
  const spot::CueId id = cue_id("1M3");
  SyncSettings settings;
  settings.options = 2;
  auto proposal = session->propose_sync(id, settings);
  ASSERT_TRUE(proposal) << proposal.error().message;
  ASSERT_EQ(proposal->options.size(), 2u);
  EXPECT_TRUE(proposal->options.front().check.all_hard_landed());
  // The preferred tempo is what the cue's feeling suggests, unless the request names one.
  const auto suggested = tempo_from_emotion(proposal->cue);
  if (suggested) {
    EXPECT_DOUBLE_EQ(proposal->fit.preferred_qpm, *suggested);
  } else {
    EXPECT_DOUBLE_EQ(proposal->fit.preferred_qpm, 120.0);
  }
  settings.prefer = time::Rational(90);
  auto preferring = session->propose_sync(id, settings);
  ASSERT_TRUE(preferring);
  EXPECT_DOUBLE_EQ(preferring->fit.preferred_qpm, 90.0);

  EXPECT_FALSE(session->check_sync(id));  // no map yet: one sentence saying how to get one
  auto applied = session->apply_sync(*proposal, 1);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_TRUE(applied->changed);
  auto versions = session->project().versions(id);
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->size(), 1u);
  auto again = session->apply_sync(*proposal, 1);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_FALSE(session->apply_sync(*proposal, 3));

  // An option that lands fewer hard hits than another is refused, naming the better one, unless
  // the misses are allowed; then a warning names each missed hard hit.
  SyncProposal worse = *proposal;
  SyncOption missing = worse.options.front();
  missing.title = "a map that misses";
  missing.check.hard_landed = missing.check.hard_total - 1;
  missing.check.hard_weight_landed -= 1000;
  for (auto& e : missing.check.hits)
    if (worse.hits[e.index].kind == spot::HitKind::hard) {
      e.landed = false;
      e.error_frames = 3.25;
      break;
    }
  worse.options.push_back(missing);
  const int last = static_cast<int>(worse.options.size());
  auto refused = session->apply_sync(worse, last);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("and option 1 ("), std::string::npos)
      << refused.error().message;
  auto allowed = session->apply_sync(worse, last, true);
  ASSERT_TRUE(allowed) << allowed.error().message;
  ASSERT_EQ(allowed->missed.size(), 1u);
  ASSERT_EQ(allowed->warnings.size(), 1u);
  EXPECT_NE(allowed->warnings[0].find("misses 1 of"), std::string::npos) << allowed->warnings[0];
  EXPECT_NE(allowed->warnings[0].find("3.2 frames late"), std::string::npos)
      << allowed->warnings[0];
  EXPECT_TRUE(session->apply_sync(*proposal, 1));  // back to the option that lands them all

  // What was saved is what a new session reads and checks.
  auto reopened = Session::open(dir_, {.models_dir = kModels});
  ASSERT_TRUE(reopened);
  auto checked = reopened->check_sync(id);
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(checked->check.hard_landed, proposal->options.front().check.hard_landed);
  const auto json = to_json(*checked, reopened->project().manifest().picture.rate);
  EXPECT_EQ(json["summary"]["all_hard_landed"], true);
  EXPECT_FALSE(reopened->check_sync(id, time::Rational(-1)));
}

}  // namespace
}  // namespace duet::engine
