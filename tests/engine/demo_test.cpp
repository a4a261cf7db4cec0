#include "engine/demo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "base/file.h"
#include "midi/smf.h"
#include "midi/summary.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;

class DemoTest : public test_support::TempDirTest {
 protected:
  fs::path write_spec(const std::string& text) {
    fs::create_directories(dir_);
    const fs::path path = dir_ / "spec.json";
    std::ofstream(path) << text;
    return path;
  }
};

TEST_F(DemoTest, TheBundledDemoWritesAMidiFileThatReadsBackOnTheTempoMap) {
  const auto report = run_demo({dir_ / "out", {}});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->cue_id, "1M1");
  EXPECT_EQ(report->rate.name(), "29.97 DF");
  EXPECT_EQ(report->cue_in, "01:00:10;00");
  ASSERT_EQ(report->bars.size(), 16u);
  // The ramp and the meter changes are in the map: bar 9 is 3/4 at 126, bar 13 back to 4/4.
  EXPECT_EQ(report->bars[8].meter, (time::Meter{3, 4}));
  EXPECT_NEAR(report->bars[8].quarters_per_minute, 126.0, 1e-9);
  EXPECT_EQ(report->bars[12].meter, (time::Meter{4, 4}));
  // Bars 1-4 at 84: bar 5 starts 16 * 60 / 84 s after the cue's start.
  EXPECT_NEAR(report->bars[4].cue_seconds, 16.0 * 60.0 / 84.0, 1e-8);
  // Bars 5-8 ramp 84 -> 126 linearly in beats: 16 beats take 60/k ln(126/84), k = 42/16.
  EXPECT_NEAR(report->bars[8].cue_seconds - report->bars[4].cue_seconds,
              60.0 / (42.0 / 16.0) * std::log(126.0 / 84.0), 1e-8);
  EXPECT_EQ(report->hits.size(), 4u);
  EXPECT_LT(report->readback_error_us, 10.0);
  // The drop-frame vector of the foundation issue is among the conversions shown.
  EXPECT_EQ(report->conversions[0].timecode, "01:00:00;00");
  EXPECT_EQ(report->conversions[0].frame, 107892);

  ASSERT_EQ(report->files.size(), 3u);
  const auto bytes = base::read_file(dir_ / "out" / "1M1.mid");
  ASSERT_TRUE(bytes);
  const auto read = midi::read_smf(*bytes);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->warnings.empty());
  const midi::FileSummary summary = midi::summarize(read->file);
  EXPECT_EQ(summary.tracks.size(), 4u);
  EXPECT_EQ(summary.notes, report->midi_notes);
  EXPECT_EQ(summary.markers.size(), 5u);
  ASSERT_TRUE(summary.smpte_start);
  EXPECT_EQ(summary.smpte_start->rate, time::FrameRate::fps29_97(true));
  EXPECT_NEAR(time::seconds(summary.duration), report->cue_seconds, 1e-4);
}

TEST_F(DemoTest, ASpecWithABadFieldNamesItAndWritesNothing) {
  // [GIVEN] an output folder holding a file from an earlier run
  fs::create_directories(dir_ / "out");
  std::ofstream(dir_ / "out" / "1M1.mid") << "earlier";
  struct Case {
    const char* spec;
    const char* message;
  };
  const Case cases[] = {
      {"{", "not valid JSON at line 1, column 2"},
      {"{\n  \"picture\": {,\n}", "not valid JSON at line 2, column 15"},
      {R"({"picture": {"title": "x"}, "cue": {}})", "picture.rate is missing"},
      {R"({"picture": {"title": "x", "rate": "29.97df"}, "cue": {"id": "1M1", "title": "t",
          "start": "01:00:00;00", "tempos": ["1=90"], "meters": [], "bars": 0}})",
       "cue.bars must be a whole number from 1 to 10000"},
      {R"({"picture": {"title": "x", "rate": "29.97df"}, "cue": {"id": "1M1", "title": "t",
          "start": "01:01:00;00", "tempos": ["1=90"], "meters": [], "bars": 4}})",
       "cue.start: timecode 01:01:00;00 does not exist at 29.97 DF"},
      {R"({"picture": {"title": "x", "rate": "25"}, "cue": {"id": "1M1", "title": "t",
          "start": "01:00:00:00", "tempos": ["1=90~"], "meters": [], "bars": 4}})",
       "has no tempo to ramp to"},
      {R"({"picture": {"title": "x", "rate": "25"}, "cue": {"id": "1M1", "title": "t",
          "start": "01:00:00:00", "tempos": ["1=90"], "meters": [], "bars": 4,
          "hits": [{"timecode": "02:00:00:00", "label": "late"}]}})",
       "hit 'late' at 02:00:00:00 is outside the cue"},
      {R"({"picture": {"title": "x", "rate": "25"}, "cue": {"id": "1M1", "title": "t",
          "start": "01:00:00:00", "tempos": ["1=90"], "meters": [], "bars": 4,
          "melody": [[1, 5, 60, 1]]}})",
       "cue.melody[0]: position 1|5|0 has beat 5"},
      {R"({"picture": {"title": "x", "rate": "25"}, "cue": {"id": "1M1", "title": "t",
          "start": "01:00:00:00", "tempos": ["1=90"], "meters": [], "bars": 4,
          "chords": [[60, 200]]}})",
       "cue.chords[0] must hold whole numbers from 0 to 127"},
  };
  for (const Case& c : cases) {
    // [WHEN] the demo runs on a bad spec
    const auto report = run_demo({dir_ / "out", write_spec(c.spec)});
    // [THEN] the error names the field, and the earlier file is untouched
    ASSERT_FALSE(report) << c.spec;
    EXPECT_NE(report.error().message.find(c.message), std::string::npos) << report.error().message;
    std::ifstream in(dir_ / "out" / "1M1.mid");
    std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(contents, "earlier");
  }
}

TEST_F(DemoTest, AMissingSpecFileIsAnIoError) {
  const auto report = run_demo({dir_ / "out", dir_ / "no-such-spec.json"});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind, base::ErrorKind::io);
}

}  // namespace
}  // namespace duet::engine
