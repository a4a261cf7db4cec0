// The film: probe, one-pass analysis (cuts, dissolves, series, loudness, dialogue) on films made
// at test time by the ffmpeg program from lavfi sources and espeak-ng speech; and the picture and
// sound analysers on synthetic input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "picture/analysis.h"
#include "picture/film.h"

namespace duet::picture {
namespace {

namespace fs = std::filesystem;

bool have(const char* program) {
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

// Frames, in seconds, where the main test film changes (see make_films).
constexpr std::int64_t kCutFrames[] = {48, 96, 144};
constexpr std::int64_t kDissolveFirst = 192, kDissolveLast = 215;  // xfade of 1 s from 8 s
constexpr double kSpeechStart = 3.5;  // seconds; espeak-ng speech, then silence to 8.5 s
constexpr double kSpeechEnd = 8.0;

class Films : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!have("ffmpeg") || !have("espeak-ng")) return;
    dir_ = fs::temp_directory_path() / ("duet-video-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string speech = "espeak-ng -w '" + d +
                               "/speech.wav' 'Where were you last night? I waited at the "
                               "station until the last train had gone.'";
    // 11 s at 24 fps: testsrc2 | mandelbrot | smptebars with a one-frame flash | life dissolving
    // into cellauto. Sound (mono 48 kHz): a 440 Hz tone to 3 s, silence, speech from 3.5 s
    // padded to 8.5 s, pink noise to 11 s.
    const std::string film =
        "ffmpeg -v error -y"
        " -f lavfi -i 'testsrc2=s=320x180:r=24:d=2'"
        " -f lavfi -i 'mandelbrot=s=320x180:r=24,trim=duration=2'"
        " -f lavfi -i \"smptebars=s=320x180:r=24:d=2,lutyuv=y=maxval:enable='eq(n,20)'\""
        " -f lavfi -i 'life=s=320x180:r=24:mold=10:life_color=#ffcc40,trim=duration=3'"
        " -f lavfi -i 'cellauto=s=320x180:r=24:rule=110,trim=duration=3'"
        " -i '" +
        d +
        "/speech.wav'"
        " -f lavfi -i 'sine=f=440:d=3' -f lavfi -i 'anoisesrc=c=pink:a=0.2:d=2.5'"
        " -f lavfi -i 'anullsrc=r=48000:cl=mono,atrim=duration=0.5'"
        " -filter_complex '[3][4]xfade=transition=fade:duration=1:offset=2[x];"
        "[0][1][2][x]concat=n=4:v=1:a=0,format=yuv420p[v];"
        "[6]aformat=sample_rates=48000:channel_layouts=mono[a0];"
        "[8]aformat=sample_rates=48000:channel_layouts=mono[a1];"
        "[5]aresample=48000,aformat=sample_rates=48000:channel_layouts=mono,apad=whole_dur=5[a2];"
        "[7]aformat=sample_rates=48000:channel_layouts=mono[a3];"
        "[a0][a1][a2][a3]concat=n=4:v=0:a=1[a]'"
        " -map '[v]' -map '[a]' -c:v libx264 -preset ultrafast -c:a aac"
        " -metadata:s:a:0 language=eng -timecode 01:00:00:00 '" +
        d + "/film.mov'";
    // 29.97 drop-frame, no sound; and a 1 kHz sine at -20 dBFS (amplitude 0.1) for loudness.
    const std::string ntsc =
        "ffmpeg -v error -y -f lavfi -i 'testsrc2=s=160x90:r=30000/1001:d=1' -c:v libx264 "
        "-preset ultrafast -timecode '00:59:59;28' '" +
        d + "/ntsc.mov'";
    const std::string sine =
        "ffmpeg -v error -y -f lavfi -i 'color=c=gray:s=160x90:r=25:d=6' -f lavfi -i "
        "'aevalsrc=0.1*sin(2*PI*1000*t):s=48000:d=6' -c:v libx264 -preset ultrafast -c:a pcm_s16le "
        "'" +
        d + "/sine.mkv'";
    ready_ = std::system(speech.c_str()) == 0 && std::system(film.c_str()) == 0 &&
             std::system(ntsc.c_str()) == 0 && std::system(sine.c_str()) == 0;
    std::ofstream(dir_ / "garbage.mov") << "this is not a film";
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  void SetUp() override {
    if (!have("ffmpeg") || !have("espeak-ng")) {
      GTEST_SKIP() << "ffmpeg and espeak-ng are needed to make test films (scripts/install-deps)";
    }
    ASSERT_TRUE(ready_) << "making the test films failed";
  }
  static const FilmAnalysis& analysis() {
    static const FilmAnalysis a = [] {
      auto r = analyse_film(dir_ / "film.mov");
      EXPECT_TRUE(r) << r.error().message;
      return r ? *r : FilmAnalysis{};
    }();
    return a;
  }
  static inline fs::path dir_;
  static inline bool ready_ = false;
};

TEST_F(Films, ProbeReadsRateLengthTimecodeAndAudio) {
  auto info = probe_film(dir_ / "film.mov");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->rate, time::FrameRate::fps24());
  EXPECT_EQ(info->width, 320);
  EXPECT_EQ(info->height, 180);
  EXPECT_EQ(info->video_codec, "h264");
  EXPECT_EQ(info->frame_count, 264);
  EXPECT_NEAR(time::seconds(info->duration), 11.0, 0.01);
  ASSERT_TRUE(info->start_timecode.has_value());
  EXPECT_EQ(*info->start_timecode, (time::Timecode{1, 0, 0, 0}));
  ASSERT_EQ(info->audio.size(), 1u);
  EXPECT_EQ(info->audio[0].codec, "aac");
  EXPECT_EQ(info->audio[0].sample_rate, 48000);
  EXPECT_EQ(info->audio[0].channels, 1);
  EXPECT_EQ(info->audio[0].language, "eng");
  // Frame 48 is 01:00:02:00.
  EXPECT_EQ(timecode_of(*info, time::time_of_frame(48, info->rate)), (time::Timecode{1, 0, 2, 0}));
}

TEST_F(Films, ProbeReadsDropFrameFromTheTimecode) {
  auto info = probe_film(dir_ / "ntsc.mov");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->rate, time::FrameRate::fps29_97(true));
  ASSERT_TRUE(info->start_timecode.has_value());
  EXPECT_EQ(*info->start_timecode, (time::Timecode{0, 59, 59, 28}));
  EXPECT_TRUE(info->audio.empty());
}

TEST_F(Films, BadFilesSayWhichFileAndWhat) {
  auto missing = probe_film(dir_ / "nothing-here.mov");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, base::ErrorKind::io);
  EXPECT_NE(missing.error().message.find("nothing-here.mov"), std::string::npos);
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);

  auto garbage = analyse_film(dir_ / "garbage.mov");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().kind, base::ErrorKind::invalid_input);
  EXPECT_NE(garbage.error().message.find("garbage.mov"), std::string::npos);

  auto folder = probe_film(dir_);
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().message.find("folder"), std::string::npos);

  auto sound_only = probe_film(dir_ / "speech.wav");
  ASSERT_FALSE(sound_only);
  EXPECT_EQ(sound_only.error().kind, base::ErrorKind::unsupported);
  EXPECT_NE(sound_only.error().message.find("no video stream"), std::string::npos);
}

TEST_F(Films, FindsTheHardCutsAndNotTheFlash) {
  const FilmAnalysis& a = analysis();
  EXPECT_EQ(a.frames, 264);
  ASSERT_EQ(a.cuts.size(), std::size(kCutFrames));
  for (std::size_t i = 0; i < a.cuts.size(); ++i) {
    EXPECT_LE(std::abs(a.cuts[i].frame - kCutFrames[i]), 1) << "cut " << i;
    EXPECT_EQ(a.cuts[i].at, time::time_of_frame(a.cuts[i].frame, a.info.rate));
    EXPECT_GT(a.cuts[i].confidence, 0.5);
    EXPECT_LE(a.cuts[i].confidence, 1.0);
  }
}

TEST_F(Films, FlagsTheDissolve) {
  const FilmAnalysis& a = analysis();
  ASSERT_EQ(a.gradual.size(), 1u);
  const GradualTransition& g = a.gradual[0];
  EXPECT_EQ(g.kind, GradualKind::dissolve);
  // It overlaps the true dissolve and does not reach the cuts.
  EXPECT_LE(g.start_frame, kDissolveLast);
  EXPECT_GE(g.end_frame, kDissolveFirst);
  EXPECT_GT(g.start_frame, kCutFrames[2]);
  EXPECT_LT(g.end_frame - g.start_frame, 60);
}

TEST_F(Films, PerSecondSeriesCoverTheFilm) {
  const FilmAnalysis& a = analysis();
  ASSERT_EQ(a.series.motion.size(), 11u);
  ASSERT_EQ(a.series.brightness.size(), 11u);
  ASSERT_EQ(a.series.warmth.size(), 11u);
  for (std::size_t s = 0; s < 11; ++s) {
    EXPECT_GE(a.series.motion[s], 0.0);
    EXPECT_LE(a.series.motion[s], 1.0);
    EXPECT_GT(a.series.brightness[s], 0.0);
    EXPECT_LT(a.series.brightness[s], 1.0);
    EXPECT_GE(a.series.warmth[s], -1.0);
    EXPECT_LE(a.series.warmth[s], 1.0);
  }
  // The yellow-on-black life (seconds 6-7) is warmer than the colour bars (seconds 4-5).
  EXPECT_GT(a.series.warmth[6], a.series.warmth[4]);
  // The bars stand still (the flash in second 4 does not count as motion); testsrc2 moves.
  EXPECT_LT(a.series.motion[4], 0.5 * a.series.motion[0]);
  EXPECT_LT(a.series.motion[5], 0.5 * a.series.motion[0]);
}

TEST_F(Films, FindsTheSpeechAndNotTheToneOrTheNoise) {
  const FilmAnalysis& a = analysis();
  ASSERT_TRUE(a.loudness.measured);
  ASSERT_FALSE(a.dialogue.empty());
  double inside = 0, outside = 0;
  for (const DialogueWindow& w : a.dialogue) {
    const double start = time::seconds(w.start), end = time::seconds(w.end);
    EXPECT_LT(start, end);
    EXPECT_GE(w.confidence, 0.5);
    const double overlap = std::max(0.0, std::min(end, kSpeechEnd) - std::max(start, kSpeechStart));
    inside += overlap;
    outside += (end - start) - overlap;
  }
  EXPECT_GT(inside, 0.7 * (kSpeechEnd - kSpeechStart));
  EXPECT_LT(outside, 0.75);
}

TEST_F(Films, LoudnessOfASineAtMinus20dBFS) {
  // BS.1770: a 1 kHz sine of amplitude 0.1 (mean square 0.005, -23.0 dB) reads -23.0 + the
  // K-filter's gain at 1 kHz (+0.69 dB) - 0.691 = about -23.0 LUFS; FFmpeg's ebur128 filter
  // says -23.0 for it too.
  auto a = analyse_film(dir_ / "sine.mkv");
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(a->loudness.measured);
  EXPECT_NEAR(a->loudness.integrated_lufs, -23.0, 0.3);
  EXPECT_NEAR(a->loudness.range_lu, 0.0, 0.5);
  ASSERT_EQ(a->loudness.momentary_lufs.size(), 6u);
  ASSERT_EQ(a->loudness.short_term_lufs.size(), 6u);
  EXPECT_NEAR(a->loudness.momentary_lufs[3], -23.0, 0.3);
  EXPECT_NEAR(a->loudness.short_term_lufs[5], -23.0, 0.3);
  EXPECT_TRUE(a->dialogue.empty());
  // A still grey picture: no cuts, no motion, brightness of mid grey.
  EXPECT_TRUE(a->cuts.empty());
  ASSERT_FALSE(a->series.brightness.empty());
  EXPECT_NEAR(a->series.brightness[0], 128.0 / 255.0, 0.03);
  EXPECT_NEAR(a->series.motion[2], 0.0, 0.01);
}

TEST_F(Films, ProgressRisesToOneAndCanCancel) {
  std::vector<double> seen;
  AnalysisOptions options;
  options.progress = [&](double f) {
    seen.push_back(f);
    return true;
  };
  ASSERT_TRUE(analyse_film(dir_ / "sine.mkv", options));
  ASSERT_GE(seen.size(), 3u);
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_GE(seen[i], seen[i - 1]);
  EXPECT_EQ(seen.back(), 1.0);

  options.progress = [](double f) { return f < 0.3; };
  auto cancelled = analyse_film(dir_ / "sine.mkv", options);
  ASSERT_FALSE(cancelled);
  EXPECT_NE(cancelled.error().message.find("cancelled"), std::string::npos);
}

// ---- Without FFmpeg ----

TEST(SnapFrameRate, MapsFfmpegRationalsToCommonRates) {
  EXPECT_EQ(*snap_frame_rate(24000, 1001, false), time::FrameRate::fps23_976());
  EXPECT_EQ(*snap_frame_rate(2997, 125, false), time::FrameRate::fps23_976());
  EXPECT_EQ(*snap_frame_rate(24, 1, false), time::FrameRate::fps24());
  EXPECT_EQ(*snap_frame_rate(25, 1, false), time::FrameRate::fps25());
  EXPECT_EQ(*snap_frame_rate(30000, 1001, true), time::FrameRate::fps29_97(true));
  EXPECT_EQ(*snap_frame_rate(2997, 100, false), time::FrameRate::fps29_97(false));
  EXPECT_EQ(*snap_frame_rate(60000, 1001, true), time::FrameRate::fps59_94(true));
  EXPECT_EQ(*snap_frame_rate(12800, 256, false), time::FrameRate::fps50());
  // Drop-frame is asked for but 25 has none: the rate stays non-drop.
  EXPECT_EQ(*snap_frame_rate(25, 1, true), time::FrameRate::fps25());
  EXPECT_FALSE(snap_frame_rate(0, 1, false));
  EXPECT_FALSE(snap_frame_rate(1, 0, false));
}

// Synthetic pictures: 16x9 RGB.
constexpr int kW = 16, kH = 9;
std::vector<std::uint8_t> picture_of(int seed, double gain = 1.0) {
  std::vector<std::uint8_t> rgb(kW * kH * 3);
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      for (int c = 0; c < 3; ++c) {
        const double v = 128 + 100 * std::sin(0.7 * x * (seed + 1) + 1.3 * y * (c + 1) + seed);
        rgb[static_cast<std::size_t>((y * kW + x) * 3 + c)] =
            static_cast<std::uint8_t>(std::clamp(v * gain, 0.0, 255.0));
      }
    }
  }
  return rgb;
}

TEST(PictureAnalyser, CutsAtTheFirstFrameOfTheNewShot) {
  PictureAnalyser a(time::FrameRate::fps24(), kW, kH);
  for (int i = 0; i < 30; ++i)
    a.push(picture_of(1));
  for (int i = 0; i < 30; ++i)
    a.push(picture_of(5));
  const PictureResult r = a.finish();
  EXPECT_EQ(r.frames, 60);
  ASSERT_EQ(r.cuts.size(), 1u);
  EXPECT_EQ(r.cuts[0].frame, 30);
  EXPECT_EQ(r.cuts[0].at, time::time_of_frame(30, time::FrameRate::fps24()));
  EXPECT_TRUE(r.gradual.empty());
  ASSERT_EQ(r.series.motion.size(), 3u);       // 60 frames at 24 fps: 2.5 s
  EXPECT_NEAR(r.series.motion[1], 0.0, 1e-6);  // the cut frame does not count as motion
}

TEST(PictureAnalyser, AFlashIsNotACut) {
  PictureAnalyser a(time::FrameRate::fps24(), kW, kH);
  for (int i = 0; i < 30; ++i)
    a.push(picture_of(1));
  for (int i = 0; i < 2; ++i)
    a.push(std::vector<std::uint8_t>(kW * kH * 3, 250));
  for (int i = 0; i < 30; ++i)
    a.push(picture_of(1));
  const PictureResult r = a.finish();
  EXPECT_TRUE(r.cuts.empty());
  // Nor is it motion: the still picture reads 0 in the second of the flash.
  ASSERT_EQ(r.series.motion.size(), 3u);
  EXPECT_NEAR(r.series.motion[1], 0.0, 1e-6);
}

TEST(PictureAnalyser, AFadeIsNotACut) {
  PictureAnalyser a(time::FrameRate::fps24(), kW, kH);
  for (int i = 0; i < 24; ++i)
    a.push(picture_of(2));
  for (int i = 1; i <= 12; ++i)
    a.push(picture_of(2, 1.0 - i / 12.0));  // fade out
  for (int i = 0; i < 24; ++i)
    a.push(picture_of(2, 0.0));
  const PictureResult r = a.finish();
  EXPECT_TRUE(r.cuts.empty());
}

TEST(PictureAnalyser, FlagsADissolve) {
  const auto a_pic = picture_of(1), b_pic = picture_of(6);
  PictureAnalyser a(time::FrameRate::fps24(), kW, kH);
  for (int i = 0; i < 30; ++i)
    a.push(a_pic);
  std::vector<std::uint8_t> mix(a_pic.size());
  for (int i = 1; i <= 24; ++i) {
    const double alpha = i / 25.0;
    for (std::size_t k = 0; k < mix.size(); ++k) {
      mix[k] = static_cast<std::uint8_t>(std::lround((1 - alpha) * a_pic[k] + alpha * b_pic[k]));
    }
    a.push(mix);
  }
  for (int i = 0; i < 30; ++i)
    a.push(b_pic);
  const PictureResult r = a.finish();
  EXPECT_TRUE(r.cuts.empty());
  ASSERT_EQ(r.gradual.size(), 1u);
  EXPECT_EQ(r.gradual[0].kind, GradualKind::dissolve);
  EXPECT_LE(r.gradual[0].start_frame, 36);
  EXPECT_GE(r.gradual[0].end_frame, 48);
  EXPECT_GE(r.gradual[0].start_frame, 22);
  EXPECT_LE(r.gradual[0].end_frame, 62);
}

TEST(PictureAnalyser, BrightnessAndWarmth) {
  PictureAnalyser a(time::FrameRate::fps25(), kW, kH);
  std::vector<std::uint8_t> orange(kW * kH * 3), blue(kW * kH * 3);
  for (std::size_t p = 0; p < orange.size(); p += 3) {
    orange[p] = 255, orange[p + 1] = 128, orange[p + 2] = 0;
    blue[p] = 0, blue[p + 1] = 0, blue[p + 2] = 255;
  }
  for (int i = 0; i < 25; ++i)
    a.push(orange);
  for (int i = 0; i < 25; ++i)
    a.push(blue);
  const PictureResult r = a.finish();
  ASSERT_EQ(r.series.warmth.size(), 2u);
  EXPECT_NEAR(r.series.warmth[0], 1.0, 1e-6);
  EXPECT_NEAR(r.series.warmth[1], -1.0, 1e-6);
  EXPECT_NEAR(r.series.brightness[1], 0.0722, 1e-3);
  EXPECT_NEAR(r.series.brightness[0], 0.2126 + 0.7152 * 128 / 255, 1e-3);
}

std::vector<float> sine(double hz, double amplitude, double seconds, int rate, int channels) {
  std::vector<float> out;
  const auto n = static_cast<std::size_t>(seconds * rate);
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = static_cast<float>(
        amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
    for (int c = 0; c < channels; ++c)
      out.push_back(v);
  }
  return out;
}

TEST(LoudnessMeter, StereoSineIsThreeDecibelsLouderThanMono) {
  LoudnessMeter mono(1, 48000), stereo(2, 48000);
  mono.push(sine(1000, 0.1, 5, 48000, 1));
  stereo.push(sine(1000, 0.1, 5, 48000, 2));
  const Loudness m = mono.finish(), s = stereo.finish();
  EXPECT_NEAR(m.integrated_lufs, -23.0, 0.2);
  EXPECT_NEAR(s.integrated_lufs - m.integrated_lufs, 3.01, 0.05);
  EXPECT_EQ(m.momentary_lufs.size(), 5u);
}

TEST(LoudnessMeter, SilenceReadsTheGate) {
  LoudnessMeter meter(2, 44100);
  meter.push(std::vector<float>(2 * 44100 * 2, 0.0f));
  const Loudness l = meter.finish();
  EXPECT_EQ(l.integrated_lufs, kSilenceLufs);
  ASSERT_EQ(l.momentary_lufs.size(), 2u);
  EXPECT_EQ(l.momentary_lufs[1], kSilenceLufs);
}

TEST(DialogueDetector, ASteadyToneOrNoiseIsNotSpeech) {
  DialogueDetector tone;
  tone.push(sine(1000, 0.3, 6, DialogueDetector::kSampleRate, 1));
  EXPECT_TRUE(tone.finish().empty());

  DialogueDetector noise;
  std::vector<float> n(DialogueDetector::kSampleRate * 6);
  std::uint32_t state = 12345;
  for (float& x : n) {
    state = state * 1664525u + 1013904223u;
    x = static_cast<float>(static_cast<double>(state) / 4294967296.0 - 0.5);
  }
  noise.push(n);
  EXPECT_TRUE(noise.finish().empty());
}

TEST(DialogueDetector, PluckedNotesAndSustainedChordsAreNotSpeech) {
  // Music-like: plucked notes four a second (decaying, in the speech band), and a sustained
  // three-note chord whose bass note changes twice a second.
  const int rate = DialogueDetector::kSampleRate;
  std::vector<float> plucked, chords;
  for (int i = 0; i < rate * 8; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double step = std::floor(std::fmod(t * 4, 8));
    plucked.push_back(
        static_cast<float>(0.3 * std::sin(2 * std::numbers::pi * 220 * std::pow(2, step / 12) * t) *
                           std::exp(-6 * std::fmod(t, 0.25))));
    const double bass = 262 * std::pow(2, std::floor(std::fmod(t * 2, 4)) / 12);
    chords.push_back(static_cast<float>(0.2 * (std::sin(2 * std::numbers::pi * bass * t) +
                                               std::sin(2 * std::numbers::pi * 330 * t) +
                                               std::sin(2 * std::numbers::pi * 392 * t))));
  }
  DialogueDetector a, b;
  a.push(plucked);
  b.push(chords);
  EXPECT_TRUE(a.finish().empty());
  EXPECT_TRUE(b.finish().empty());
}

TEST(DialogueDetector, SyllableRateBurstsOfVoiceBandSoundLookLikeSpeech) {
  // A crude voice: 200 Hz harmonics through the speech band, switched on and off 4 times a second.
  std::vector<float> v;
  const int rate = DialogueDetector::kSampleRate;
  for (int i = 0; i < rate * 6; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double gate = std::fmod(t * 4, 1.0) < 0.55 ? 1.0 : 0.02;
    double x = 0;
    for (int h = 2; h <= 12; ++h)
      x += std::sin(2 * std::numbers::pi * 200 * h * t) / h;
    v.push_back(static_cast<float>(0.2 * gate * x));
  }
  DialogueDetector d;
  d.push(v);
  const auto windows = d.finish();
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_LT(time::seconds(windows[0].start), 1.0);
  EXPECT_GT(time::seconds(windows[0].end), 5.0);
}

}  // namespace
}  // namespace duet::picture
