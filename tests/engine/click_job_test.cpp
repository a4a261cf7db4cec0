// The click and streamer jobs on tests/cli/data/project_click (1M1: 3/4, 150 ramping to 100, two
// hits; 1M2: no tempo map): what each reports, writes, and leaves alone when it fails.
#include "engine/click_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "base/file.h"
#include "engine/session.h"
#include "time/timecode.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;
using test_support::cue_id;
using test_support::text_of;

using test_support::kData;
const fs::path kClickProject = kData / "project_click";

time::TimePos at(const char* timecode) {
  const auto rate = time::FrameRate::fps24();
  return time::to_time(*time::parse_timecode(timecode, rate), rate);
}

class ClickJobTest : public test_support::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    auto opened = Session::open(kClickProject);
    ASSERT_TRUE(opened) << opened.error().message;
    session_.emplace(std::move(*opened));
  }

  // 1M1's streamers burned into a copy of the 4 s film, and as CSV, all in dir_ (made).
  StreamersRequest burn_request() {
    StreamersRequest request;
    request.cues = {cue_id("1M1")};
    request.film = (kData / "two-shots.mov").string();
    request.out = dir_ / "burned.mov";
    request.csv = dir_ / "s.csv";
    fs::create_directories(dir_);
    return request;
  }

  std::optional<Session> session_;
};

TEST_F(ClickJobTest, AClickWritesBothFilesIntoANewFolderAndCountsItsClicks) {
  ClickRequest request;
  request.cue = cue_id("1M1");
  request.out = dir_ / "clicks";
  auto report = session_->click(request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->cue.id, cue_id("1M1"));
  ASSERT_EQ(report->clicks.size(), 6u);
  EXPECT_EQ(report->counts[0], 2u);  // downbeats
  EXPECT_EQ(report->counts[1], 4u);  // beats
  EXPECT_EQ(report->counts[2], 0u);  // subdivisions
  EXPECT_EQ(report->count_in, 0u);
  EXPECT_EQ(report->start, at("10:00:00:12"));
  EXPECT_EQ(report->written,
            (std::vector<fs::path>{request.out / "1M1-click.mid", request.out / "1M1-click.wav"}));
  for (const auto& f : report->written)
    EXPECT_GT(fs::file_size(f), 0u) << f;
  const auto json = to_json(*report, time::FrameRate::fps24());
  EXPECT_EQ(json["clicks"], 6);
  EXPECT_EQ(json["last_click_bbt"], "2|3|0");
  EXPECT_EQ(json["start"], "10:00:00:12");
  EXPECT_EQ(json["start_offset"], 0);
  EXPECT_EQ(json["files"][1], (request.out / "1M1-click.wav").generic_string());
}

TEST_F(ClickJobTest, ACountOffAndSubdivisionsStartTheFilesEarlier) {
  ClickRequest request;
  request.cue = cue_id("1M1");
  request.out = dir_;
  request.wav = false;
  request.click.subdivide = *sync::parse_subdivision("8th");
  request.click.count_in_bars = 1;
  auto report = session_->click(request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->clicks.size(), 15u);
  EXPECT_EQ(report->count_in, 3u);  // one bar of 3/4
  EXPECT_EQ(report->counts[2], 6u);
  EXPECT_LT(report->start, at("10:00:00:12"));
  // The count-off bar at 150 BPM starts between frames: 8.333 ms after 09:59:59:07.
  EXPECT_EQ(time::frame_at(report->start, time::FrameRate::fps24()),
            time::frame_at(at("09:59:59:07"), time::FrameRate::fps24()));
  EXPECT_EQ(report->start_offset, time::TimeDur(time::kSuperclockPerSecond / 120));
  EXPECT_EQ(report->written, (std::vector<fs::path>{dir_ / "1M1-click.mid"}));
  EXPECT_FALSE(fs::exists(dir_ / "1M1-click.wav"));
}

TEST_F(ClickJobTest, AGivenTempoMapStandsInForTheCues) {
  ClickRequest request;
  request.cue = cue_id("1M2");
  request.out = dir_;
  request.wav = false;
  request.map = {{"1=90"}, {"1=6/8"}};
  auto report = session_->click(request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->map.meter_at(time::BeatPos(0)).to_string(), "6/8");
  EXPECT_TRUE(fs::exists(dir_ / "1M2-click.mid"));
}

TEST_F(ClickJobTest, ClickErrorsNameTheCueAndWriteNothing) {
  ClickRequest request;
  request.out = dir_;
  request.cue = cue_id("1M2");
  auto no_map = session_->click(request);
  ASSERT_FALSE(no_map);
  EXPECT_NE(no_map.error().message.find("cue 1M2 has no tempo map"), std::string::npos)
      << no_map.error().message;

  request.cue = cue_id("1M9");
  auto no_cue = session_->click(request);
  ASSERT_FALSE(no_cue);
  EXPECT_NE(no_cue.error().message.find("has no cue 1M9"), std::string::npos)
      << no_cue.error().message;

  request.cue = cue_id("1M2");
  request.map = {{"1=90"}, {"1=6/8"}};
  request.click.subdivide = *sync::parse_subdivision("8th-triplet");
  auto bad_grid = session_->click(request);
  ASSERT_FALSE(bad_grid);
  EXPECT_NE(bad_grid.error().message.find("8th-triplet"), std::string::npos);

  request.map = {{"1=nonsense"}, {}};
  auto bad_entry = session_->click(request);
  ASSERT_FALSE(bad_entry);
  EXPECT_NE(bad_entry.error().message.find("nonsense"), std::string::npos)
      << bad_entry.error().message;

  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(ClickJobTest, StreamersAreMadeFirstAndWrittenOnlyWhenAsked) {
  StreamersRequest request;
  request.cues = {cue_id("1M1")};
  request.csv = dir_ / "s.csv";
  request.midi = dir_ / "s.mid";
  fs::create_directories(dir_);
  auto plan = session_->plan_streamers(request);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->streamers.size(), 5u);  // start, 2 hits, the tempo change, end
  EXPECT_EQ(plan->cue_of, std::vector<spot::CueId>(5, cue_id("1M1")));
  EXPECT_EQ(plan->streamers.front().label, "1M1 start");
  EXPECT_EQ(plan->streamers.front().at, at("10:00:00:12"));
  EXPECT_FALSE(plan->csv.empty());
  EXPECT_FALSE(plan->midi.empty());
  // The cue starts half a second into the picture: its streamers cannot sweep in before the
  // first frame (issue 16), so they start there, shorter, and one warning says so.
  EXPECT_EQ(plan->streamers.front().sweep_start, at("10:00:00:00"));
  for (const auto& st : plan->streamers) {
    EXPECT_GE(st.sweep_start, at("10:00:00:00")) << st.label;
    for (const auto& f : st.flutters)
      EXPECT_GE(f, at("10:00:00:00")) << st.label;
  }
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_NE(plan->warnings[0].find("cue 1M1: streamers would begin before the picture's first "
                                   "frame (10:00:00:00); shortened: '1M1 start' to 0.50 s"),
            std::string::npos)
      << plan->warnings[0];
  EXPECT_TRUE(fs::is_empty(dir_));
  const auto json = to_json(*plan, time::FrameRate::fps24());
  EXPECT_EQ(json["streamers"][1]["label"], "door");
  EXPECT_EQ(json["streamers"][1]["timecode"], "10:00:01:12");
  EXPECT_EQ(json["streamers"][2]["kind"], "warning");

  auto written = session_->write_streamers(*plan);
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_FALSE(written->burned);
  EXPECT_EQ(written->written, (std::vector<fs::path>{request.csv, request.midi}));
  EXPECT_EQ(text_of(request.csv), plan->csv);
  auto midi = base::read_file(request.midi);
  ASSERT_TRUE(midi);
  EXPECT_EQ(*midi, plan->midi);
}

TEST_F(ClickJobTest, AllCuesSkipThoseWithoutATempoMapWithAWarning) {
  StreamersRequest request;
  request.options.changes = false;
  auto plan = session_->plan_streamers(request);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->streamers.size(), 4u);
  ASSERT_EQ(plan->warnings.size(), 2u);  // and 1M1's streamers shortened at the picture's start
  EXPECT_NE(plan->warnings[0].find("cue 1M2 has no tempo map"), std::string::npos);

  request.cues = {cue_id("1M1"), cue_id("1M2")};
  request.map = {{"1=90"}, {}};
  EXPECT_FALSE(session_->plan_streamers(request));  // a given map is for one cue
}

TEST_F(ClickJobTest, StreamersAreBurnedIntoTheFilmThenTheListsWritten) {
  StreamersRequest request = burn_request();
  auto plan = session_->plan_streamers(request);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_TRUE(plan->film_info);
  std::set<std::string> stages;
  auto written = session_->write_streamers(*plan, [&](const std::string& what, double) {
    stages.insert(what);
    return true;
  });
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(stages, std::set<std::string>{"burning streamers into burned.mov"});
  ASSERT_TRUE(written->burned);
  EXPECT_EQ(written->burned->frames, 96);  // 4 s at 24 fps
  EXPECT_EQ(to_json(*written)["burned"]["frames"], 96);
  EXPECT_EQ(written->written, (std::vector<fs::path>{request.out, request.csv}));
  EXPECT_TRUE(fs::exists(request.out));
}

TEST_F(ClickJobTest, AFailedOrCancelledBurnLeavesEveryFileAsItWas) {
  StreamersRequest request = burn_request();
  auto plan = session_->plan_streamers(request);
  ASSERT_TRUE(plan) << plan.error().message;
  auto cancelled =
      session_->write_streamers(*plan, [](const std::string&, double) { return false; });
  ASSERT_FALSE(cancelled);
  EXPECT_EQ(cancelled.error().kind, base::ErrorKind::impossible);
  EXPECT_TRUE(fs::is_empty(dir_));

  request.out = dir_ / "x.nothing";
  auto bad = session_->plan_streamers(request);
  ASSERT_TRUE(bad);
  EXPECT_FALSE(session_->write_streamers(*bad));
  EXPECT_TRUE(fs::is_empty(dir_));

  request.film = (dir_ / "nowhere.mov").string();
  auto missing = session_->plan_streamers(request);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nowhere.mov"), std::string::npos);
}

}  // namespace
}  // namespace duet::engine
