// Burning overlays into a copy of a film: a black test film made by the ffmpeg program, a
// streamer, a punch and a flash burned in, and the copy decoded back (by the ffmpeg program, to
// raw grey frames) to see where the line is on each frame and what the punch and flash light.
#include "picture/burn.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "picture/film.h"

namespace duet::picture {
namespace {

namespace fs = std::filesystem;
using time::TimePos;

constexpr int kWidth = 320, kHeight = 180;

bool have(const char* program) {
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

TimePos frame_time(std::int64_t frame) {
  return time::time_of_frame(frame, time::FrameRate::fps24());
}

class Burn : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!have("ffmpeg")) return;
    dir_ = fs::temp_directory_path() / ("duet-burn-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    // 4 s of black at 24 fps with a 440 Hz tone, from 01:00:00:00.
    const std::string film =
        "ffmpeg -v error -y -f lavfi -i 'color=c=black:s=320x180:r=24:d=4' "
        "-f lavfi -i 'sine=f=440:d=4' -c:v libx264 -preset ultrafast "
        "-pix_fmt yuv420p -c:a aac -timecode 01:00:00:00 '" +
        (dir_ / "film.mp4").string() + "'";
    ready_ = std::system(film.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  void SetUp() override {
    if (!have("ffmpeg")) GTEST_SKIP() << "the ffmpeg program is needed to make the test film";
    ASSERT_TRUE(ready_) << "ffmpeg could not make the test film";
  }
  // The frames of a film as 8-bit grey (luma) pictures.
  static std::vector<std::vector<std::uint8_t>> grey_frames(const fs::path& film) {
    const fs::path raw = dir_ / "frames.gray";
    const std::string cmd = "ffmpeg -v error -y -i '" + film.string() +
                            "' -fps_mode passthrough -f rawvideo -pix_fmt gray '" + raw.string() +
                            "'";
    std::vector<std::vector<std::uint8_t>> frames;
    if (std::system(cmd.c_str()) != 0) return frames;
    std::ifstream in(raw, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    const std::size_t size = kWidth * kHeight;
    for (std::size_t at = 0; at + size <= bytes.size(); at += size) {
      frames.emplace_back(bytes.begin() + static_cast<long>(at),
                          bytes.begin() + static_cast<long>(at + size));
    }
    return frames;
  }
  static std::uint8_t pixel(const std::vector<std::uint8_t>& f, int x, int y) {
    return f[static_cast<std::size_t>(y * kWidth + x)];
  }
  // Left edge of the bright vertical line on row 20 (above the punch), or -1.
  static int line_x(const std::vector<std::uint8_t>& f) {
    for (int x = 0; x < kWidth; ++x)
      if (pixel(f, x, 20) > 128) return x;
    return -1;
  }
  static inline fs::path dir_;
  static inline bool ready_ = false;
};

// [GIVEN] a white streamer from frame 12 to the hit on frame 48, a white punch on frames 48-49,
//         a red flash on frame 60
// [THEN]  the line appears on frame 12 at the left edge, moves right at a steady speed, reaches
//         the right edge on frame 48 and is gone on frame 49; the centre is bright on frames
//         48 and 49 only; frame 60 alone is washed with red; the sound, the frame count and the
//         start timecode are kept
TEST_F(Burn, StreamerReachesTheRightEdgeOnTheHitFrameThenThePunch) {
  const std::vector<Overlay> overlays{
      {OverlayKind::sweep, frame_time(12), frame_time(48), {255, 255, 255}},
      {OverlayKind::punch, frame_time(48), frame_time(50), {255, 255, 255}},
      {OverlayKind::flash, frame_time(60), frame_time(61), {255, 0, 0}},
  };
  const fs::path out = dir_ / "burned.mp4";
  std::vector<double> progress;
  BurnOptions options;
  options.progress = [&](double f) {
    progress.push_back(f);
    return true;
  };
  const auto report = burn_overlays(dir_ / "film.mp4", overlays, out, options);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->frames, 96);
  EXPECT_EQ(report->encoder, "libx264");
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));

  const auto info = probe_film(out);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->rate, time::FrameRate::fps24());
  ASSERT_TRUE(info->start_timecode.has_value());
  EXPECT_EQ(*info->start_timecode, (time::Timecode{1, 0, 0, 0}));
  ASSERT_EQ(info->audio.size(), 1u);
  EXPECT_EQ(info->audio[0].codec, "aac");

  const auto frames = grey_frames(out);
  ASSERT_EQ(frames.size(), 96u);
  const int line = kWidth / 80;
  EXPECT_EQ(line_x(frames[11]), -1);
  EXPECT_EQ(line_x(frames[12]), 0);
  int previous = -1;
  for (int n = 12; n <= 48; ++n) {
    const int x = line_x(frames[static_cast<std::size_t>(n)]);
    // overlay puts the line on an even column (the chroma of yuv420p is in pairs of pixels).
    const double expected = (n - 12) / 36.0 * (kWidth - line);
    EXPECT_LE(x, expected) << "frame " << n;
    EXPECT_GT(x, expected - 2) << "frame " << n;
    EXPECT_GT(x, previous) << "frame " << n;
    previous = x;
  }
  EXPECT_EQ(line_x(frames[48]), kWidth - line);
  EXPECT_GT(pixel(frames[48], kWidth - 1, 20), 200);
  EXPECT_EQ(line_x(frames[49]), -1);

  const auto centre = [&](int n) { return pixel(frames[static_cast<std::size_t>(n)], 160, 90); };
  EXPECT_LT(centre(47), 40);
  EXPECT_GT(centre(48), 200);
  EXPECT_GT(centre(49), 200);
  EXPECT_LT(centre(50), 40);
  // The punch is a circle a third of the height across: bright 25 pixels from the centre,
  // dark 35 pixels away.
  EXPECT_GT(pixel(frames[48], 160 + 25, 90), 200);
  EXPECT_LT(pixel(frames[48], 160 + 35, 90), 40);

  // Red at 40% over black: luma about 30 (black is 16).
  const auto mean = [&](int n) {
    double sum = 0;
    for (std::uint8_t v : frames[static_cast<std::size_t>(n)])
      sum += v;
    return sum / (kWidth * kHeight);
  };
  EXPECT_GT(mean(60), 25);
  EXPECT_LT(mean(59), 20);
  EXPECT_LT(mean(61), 20);
}

// [GIVEN] the streamer of the test above, and an excerpt of frames 30 to 69 (a review clip)
// [THEN]  40 frames, each the film's own (the streamer where it was on that frame, the punch on
//         the excerpt's frame 18 = the film's 48), the timecode of frame 30, and the sound cut
//         to the same span
TEST_F(Burn, AnExcerptIsExactToTheFrameWithItsOwnTimecode) {
  const std::vector<Overlay> overlays{
      {OverlayKind::sweep, frame_time(12), frame_time(48), {255, 255, 255}},
      {OverlayKind::punch, frame_time(48), frame_time(50), {255, 255, 255}},
  };
  const fs::path out = dir_ / "excerpt.mp4";
  BurnOptions options;
  options.first_frame = 30;
  options.frames = 40;
  const auto report = burn_overlays(dir_ / "film.mp4", overlays, out, options);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->frames, 40);
  const auto info = probe_film(out);
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_TRUE(info->start_timecode.has_value());
  EXPECT_EQ(*info->start_timecode, (time::Timecode{1, 0, 1, 6}));
  ASSERT_EQ(info->audio.size(), 1u);
  EXPECT_NEAR(time::seconds(info->duration), 40 / 24.0, 0.05);
  const auto frames = grey_frames(out);
  ASSERT_EQ(frames.size(), 40u);
  const int line = kWidth / 80;
  for (int n = 0; n <= 18; ++n) {
    const double expected = (n + 30 - 12) / 36.0 * (kWidth - line);
    const int x = line_x(frames[static_cast<std::size_t>(n)]);
    EXPECT_LE(x, expected) << "excerpt frame " << n;
    EXPECT_GT(x, expected - 2) << "excerpt frame " << n;
  }
  EXPECT_GT(pixel(frames[18], 160, 90), 200);
  EXPECT_LT(pixel(frames[17], 160, 90), 40);
  EXPECT_EQ(line_x(frames[19]), -1);

  // To the end of the film when no count is given; past the end is refused.
  options.frames = -1;
  options.first_frame = 90;
  const auto tail = burn_overlays(dir_ / "film.mp4", {}, dir_ / "tail.mp4", options);
  ASSERT_TRUE(tail) << tail.error().message;
  EXPECT_EQ(tail->frames, 6);
  options.first_frame = 96;
  const auto past = burn_overlays(dir_ / "film.mp4", {}, dir_ / "past.mp4", options);
  ASSERT_FALSE(past);
  EXPECT_NE(past.error().message.find("it has 96 frames"), std::string::npos)
      << past.error().message;
  EXPECT_FALSE(fs::exists(dir_ / "past.mp4"));
}

TEST_F(Burn, NoOverlaysIsAPlainCopy) {
  const auto report = burn_overlays(dir_ / "film.mp4", {}, dir_ / "plain.mkv");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->filter, "[in]format=yuv420p[out]");
  EXPECT_EQ(grey_frames(dir_ / "plain.mkv").size(), 96u);
}

TEST_F(Burn, BadInputIsOneSentenceAndLeavesNothingBehind) {
  const fs::path out = dir_ / "never.mp4";
  auto missing = burn_overlays(dir_ / "no-such-film.mp4", {}, out);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
  std::ofstream(dir_ / "garbage.mp4") << "this is not a film";
  auto garbage = burn_overlays(dir_ / "garbage.mp4", {}, out);
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().message.find("garbage.mp4"), std::string::npos);
  auto same = burn_overlays(dir_ / "film.mp4", {}, dir_ / "film.mp4");
  ASSERT_FALSE(same);
  EXPECT_NE(same.error().message.find("is the film itself"), std::string::npos);
  auto container = burn_overlays(dir_ / "film.mp4", {}, dir_ / "out.notacontainer");
  ASSERT_FALSE(container);
  EXPECT_NE(container.error().message.find("extension"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(Burn, CancellingLeavesTheOldOutputAndNoTemporary) {
  const fs::path out = dir_ / "kept.mp4";
  std::ofstream(out) << "the previous output";
  BurnOptions options;
  options.progress = [](double f) { return f < 0.3; };
  const auto report = burn_overlays(dir_ / "film.mp4", {}, out, options);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("cancelled"), std::string::npos);
  std::ifstream in(out);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "the previous output");
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST(OverlayFilter, DescribesEachOverlayWithItsFrames) {
  const auto rate = time::FrameRate::fps24();
  const std::string graph =
      overlay_filter({{OverlayKind::sweep, TimePos(0), time::time_of_frame(48, rate), {0, 255, 0}}},
                     640, 360, rate);
  EXPECT_EQ(graph,
            "[in]format=yuv420p[v0];color=c=0x00FF00:s=8x360:r=24/1[s0];[v0][s0]overlay=shortest=1:"
            "x='clip((t-(0.000000000))/2.000000000,0,1)*(W-w)':y=0:eval=frame:"
            "enable='between(t,-0.010416667,2.010416667)'[out]");
}

}  // namespace
}  // namespace duet::picture
