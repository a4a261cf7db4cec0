// Putting music onto a copy of a film: a test film made by the ffmpeg program (H.264 with
// B-frames, AAC sine, start timecode 01:00:00:00), a music track of impulses at known samples,
// and the copy checked from outside: ffprobe's packet list (with each packet's MD5) for the
// stream copy, the ffmpeg program's decode for where the impulses sound, and decode_film_audio.
#include "picture/mux.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "picture/film.h"

namespace duet::picture {
namespace {

namespace fs = std::filesystem;

constexpr int kRate = 48000;
// Impulses at 1 s and 2.5 s from the first frame, and a 1 s mark between for PCM.
const std::vector<std::size_t> kImpulses{48000, 120000};

bool have(const char* program) {
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0)
    out.append(buffer, n);
  pclose(p);
  return out;
}

// `frames` stereo frames of silence with the impulses that fall inside them.
std::vector<float> impulses(std::size_t frames) {
  std::vector<float> music(frames * 2, 0.0f);
  for (std::size_t at : kImpulses) {
    if (at >= frames) continue;
    music[2 * at] = 0.9f;
    music[2 * at + 1] = 0.9f;
  }
  return music;
}

// The frame of the loudest sample within half a second of `near` (left channel).
std::size_t peak_near(const std::vector<float>& s, std::size_t near) {
  std::size_t best = near;
  float top = -1;
  for (std::size_t f = near - kRate / 2; f < near + kRate / 2 && 2 * f < s.size(); ++f) {
    if (std::abs(s[2 * f]) > top) {
      top = std::abs(s[2 * f]);
      best = f;
    }
  }
  return best;
}

double rms(const std::vector<float>& s, double from, double to) {
  double sum = 0;
  const auto a = static_cast<std::size_t>(from * kRate), b = static_cast<std::size_t>(to * kRate);
  for (std::size_t k = 2 * a; k < 2 * b; ++k)
    sum += static_cast<double>(s[k]) * s[k];
  return std::sqrt(sum / static_cast<double>(2 * (b - a)));
}

class Mux : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!have("ffmpeg") || !have("ffprobe")) return;
    dir_ = fs::temp_directory_path() / ("duet-mux-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    // 4 s of test pattern at 24 fps (x264 veryfast: B-frames, so dts before pts) with a 440 Hz
    // tone, from 01:00:00:00; and a file with sound only.
    const std::string film =
        "ffmpeg -v error -y -f lavfi -i 'testsrc=s=320x180:r=24:d=4' -f lavfi -i "
        "'sine=f=440:d=4' -c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac -timecode "
        "01:00:00:00 '" +
        (dir_ / "film.mp4").string() + "' && ffmpeg -v error -y -f lavfi -i 'sine=d=2' -c:a aac '" +
        (dir_ / "sound-only.mp4").string() + "'";
    ready_ = std::system(film.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  void SetUp() override {
    if (!have("ffmpeg") || !have("ffprobe")) {
      GTEST_SKIP() << "the ffmpeg and ffprobe programs are needed to make and read the test film";
    }
    ASSERT_TRUE(ready_) << "ffmpeg could not make the test films";
  }
  // Every video packet: pts, dts, size, flags and the MD5 of its bytes.
  static std::string video_packets(const fs::path& film) {
    return run(
        "ffprobe -v error -select_streams v:0 -show_entries "
        "packet=pts_time,dts_time,size,flags,data_hash -show_data_hash md5 -of csv '" +
        film.string() + "'");
  }
  // Sound stream `index` (0-based among sound streams) decoded by the ffmpeg program as 48 kHz
  // stereo floats.
  static std::vector<float> ffmpeg_decode(const fs::path& film, int index) {
    const fs::path raw = dir_ / "decoded.f32";
    const std::string cmd = "ffmpeg -v error -y -i '" + film.string() +
                            "' -map 0:a:" + std::to_string(index) + " -f f32le -ac 2 -ar 48000 '" +
                            raw.string() + "'";
    std::vector<float> samples;
    if (std::system(cmd.c_str()) != 0) return samples;
    std::ifstream in(raw, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    samples.resize(bytes.size() / sizeof(float));
    std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
    return samples;
  }
  static bool only_expected_files() {
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (name.find(".tmp-") != std::string::npos) return false;
    }
    return true;
  }
  static inline fs::path dir_;
  static inline bool ready_ = false;
};

// [GIVEN] the film and a 4 s music track with impulses at 1 s and 2.5 s
// [WHEN]  the music is added as a second track of an .mp4
// [THEN]  the video packets are the film's own (same bytes, same timestamps), the film's sound is
//         kept as track 1, the music (AAC 256 kb/s) is track 2 with each impulse within 1 ms of
//         its sample, the length and the start timecode are the film's
TEST_F(Mux, SeparateTrackKeepsThePictureAndLandsTheMusic) {
  const fs::path out = dir_ / "separate.mp4";
  MuxOptions options;
  options.track = MusicTrack::separate;
  std::vector<double> progress;
  options.progress = [&](double f) {
    progress.push_back(f);
    return true;
  };
  const auto report = mux_music(dir_ / "film.mp4", impulses(4 * kRate), kRate, out, options);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->audio_codec, "aac");
  EXPECT_EQ(report->audio_bit_rate, 256000);
  EXPECT_EQ(report->video_packets, 96);
  EXPECT_EQ(report->audio_tracks, 2);
  EXPECT_FALSE(report->mixed_original);
  EXPECT_TRUE(report->timecode);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), 1.0);

  const std::string before = video_packets(dir_ / "film.mp4");
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(video_packets(out), before);

  const auto in_info = probe_film(dir_ / "film.mp4");
  const auto info = probe_film(out);
  ASSERT_TRUE(in_info && info) << (info ? "" : info.error().message);
  EXPECT_EQ(info->duration, in_info->duration);
  EXPECT_EQ(info->frame_count, 96);
  ASSERT_TRUE(info->start_timecode.has_value());
  EXPECT_EQ(*info->start_timecode, (time::Timecode{1, 0, 0, 0}));
  ASSERT_EQ(info->audio.size(), 2u);
  EXPECT_EQ(info->audio[1].codec, "aac");
  EXPECT_EQ(info->audio[1].sample_rate, kRate);

  for (const auto& decoded : {ffmpeg_decode(out, 1), *decode_film_audio(out, 1, kRate)}) {
    ASSERT_GT(decoded.size(), std::size_t{2 * 3 * kRate});
    // The music lasts as long as the picture (AAC's last frame may round up by < 1024 samples).
    EXPECT_NEAR(static_cast<double>(decoded.size() / 2), 4.0 * kRate, 1024);
    for (std::size_t at : kImpulses) {
      const auto found = static_cast<long>(peak_near(decoded, at));
      EXPECT_LE(std::abs(found - static_cast<long>(at)), kRate / 1000) << "impulse at " << at;
    }
  }
  // The film's own sound is still there, untouched: a 440 Hz tone, not the impulses.
  const auto original = ffmpeg_decode(out, 0);
  ASSERT_GT(original.size(), std::size_t{2 * 3 * kRate});
  EXPECT_GT(rms(original, 0.5, 0.9), 0.05);
}

// [GIVEN] the same music mixed over the film's sound at the default -6 dB, into a .mov
// [THEN]  one sound track, 24-bit PCM, whose impulses are at their exact samples and whose tone
//         is the film's tone 6 dB down
TEST_F(Mux, MixPutsTheFilmsSoundUnderTheMusicInPcm) {
  const fs::path out = dir_ / "mixed.mov";
  const auto report = mux_music(dir_ / "film.mp4", impulses(4 * kRate), kRate, out);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->audio_codec, "pcm_s24le");
  EXPECT_EQ(report->audio_tracks, 1);
  EXPECT_TRUE(report->mixed_original);
  EXPECT_EQ(video_packets(out), video_packets(dir_ / "film.mp4"));
  const auto info = probe_film(out);
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_TRUE(info->start_timecode.has_value());
  EXPECT_EQ(*info->start_timecode, (time::Timecode{1, 0, 0, 0}));
  ASSERT_EQ(info->audio.size(), 1u);

  const auto mixed = ffmpeg_decode(out, 0);
  const auto film_sound = decode_film_audio(dir_ / "film.mp4", 0, kRate);
  ASSERT_TRUE(film_sound);
  ASSERT_GE(mixed.size(), std::size_t{2 * 4 * kRate});
  for (std::size_t at : kImpulses)
    EXPECT_EQ(peak_near(mixed, at), at);
  EXPECT_NEAR(20 * std::log10(rms(mixed, 0.2, 0.9) / rms(*film_sound, 0.2, 0.9)), -6.0, 0.1);
}

// [GIVEN] a missing film, a file with sound only, an output that is the film, an .avi output
// [THEN]  each is one sentence naming the file, and nothing is left behind
TEST_F(Mux, BadInputIsOneSentenceAndLeavesNoFile) {
  const auto music = impulses(kRate);
  const auto missing = mux_music(dir_ / "no-such-film.mp4", music, kRate, dir_ / "a.mp4");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no-such-film.mp4"), std::string::npos);
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "a.mp4"));

  const auto sound_only = mux_music(dir_ / "sound-only.mp4", music, kRate, dir_ / "b.mp4");
  ASSERT_FALSE(sound_only);
  EXPECT_NE(sound_only.error().message.find("no video stream"), std::string::npos)
      << sound_only.error().message;
  EXPECT_FALSE(fs::exists(dir_ / "b.mp4"));

  const auto self = mux_music(dir_ / "film.mp4", music, kRate, dir_ / "film.mp4");
  ASSERT_FALSE(self);
  EXPECT_NE(self.error().message.find("the film itself"), std::string::npos);

  const auto avi = mux_music(dir_ / "film.mp4", music, kRate, dir_ / "c.avi");
  ASSERT_FALSE(avi);
  EXPECT_NE(avi.error().message.find(".mp4, .mov or .mkv"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "c.avi"));

  MuxOptions cancel;
  cancel.progress = [](double) { return false; };
  const auto cancelled = mux_music(dir_ / "film.mp4", music, kRate, dir_ / "d.mp4", cancel);
  ASSERT_FALSE(cancelled);
  EXPECT_NE(cancelled.error().message.find("cancelled"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "d.mp4"));
  EXPECT_TRUE(only_expected_files());
}

}  // namespace
}  // namespace duet::picture
