// A whole film's music: cues rendered through the real FluidSynth (skipped without the Debian
// SoundFont) and placed at their timecodes. Placement is checked exactly against each cue
// rendered alone; the parallel track against the serial one sample for sample.
#include "render/film.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "midi/timing.h"
#include "time/timecode.h"

namespace duet::render {
namespace {

namespace fs = std::filesystem;
using time::FrameRate;
using time::Timecode;

#define REQUIRE_SOUNDFONT()                                                   \
  if (!fs::exists(fs::path(kDefaultSoundFont)))                               \
  GTEST_SKIP() << "SoundFont " << kDefaultSoundFont << " is absent; install " \
               << kDefaultSoundFontPackage

constexpr int kRate = 48000;

time::TimePos tc(int h, int m, int s, int f, const FrameRate& rate = FrameRate::fps24()) {
  return time::to_time(Timecode{h, m, s, f}, rate);
}

// 120 BPM at 480 PPQ; one short note per (channel, program, key, start tick).
midi::MidiFile make_file(
    const std::vector<std::tuple<std::uint8_t, std::uint8_t, std::uint8_t, std::int64_t>>& notes) {
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = 480;
  midi::Track conductor;
  conductor.events.push_back({0, midi::SetTempo{500000}});
  file.tracks.push_back(conductor);
  for (const auto& [channel, program, key, start] : notes) {
    midi::Note n;
    n.channel = channel;
    n.key = key;
    n.velocity = 100;
    n.start = start;
    n.duration = 240;
    file.tracks.push_back(midi::track_from_notes("part", channel, program, {n}));
  }
  return file;
}

FilmCue make_cue(const std::string& id, time::TimePos in, midi::MidiFile file) {
  FilmCue c;
  c.cue.id = *spot::parse_cue_id(id);
  c.cue.in = in;
  c.cue.out = in + time::duration_from_seconds(time::Rational(3));
  c.midi = std::move(file);
  c.midi_path = id + "-1.mid";
  return c;
}

std::size_t onset(const std::vector<float>& s, float threshold = 1e-3f) {
  for (std::size_t k = 0; k < s.size(); ++k)
    if (std::abs(s[k]) > threshold) return k / 2;
  return s.size() / 2;
}

FilmOptions options_at(time::TimePos start) {
  FilmOptions o;
  o.film_start = start;
  o.jobs = 1;
  return o;
}

// [GIVEN] five cues of four sections, some overlapping, with stems
// [THEN]  three workers give the same mix and stems as one, sample for sample (this test comes
//         first in the file so that its workers make the process's first synths)
TEST(RenderFilm, ParallelEqualsSerialSampleForSample) {
  REQUIRE_SOUNDFONT();
  std::vector<FilmCue> cues;
  const std::vector<std::uint8_t> programs{48, 73, 56, 0, 40};
  for (int i = 0; i < 5; ++i) {
    cues.push_back(make_cue("1M" + std::to_string(i + 1), tc(1, 0, 1 + i, 12),
                            make_file({{0, programs[static_cast<std::size_t>(i)], 60, 0},
                                       {9, 0, 38, 480},
                                       {1, 0, 64, 240}})));
  }
  FilmOptions serial = options_at(tc(1, 0, 0, 0));
  serial.render.stems = true;
  FilmOptions parallel = serial;
  parallel.jobs = 3;
  // The parallel render first: in a fresh process its workers make the first synths at once,
  // which once raced on FluidSynth's global tables (a 9 dB error); see silence_fluidsynth.
  auto three = render_film(cues, parallel);
  auto one = render_film(cues, serial);
  ASSERT_TRUE(one && three);
  EXPECT_EQ(one->jobs, 1u);
  EXPECT_EQ(three->jobs, 3u);
  EXPECT_TRUE(one->mix.samples == three->mix.samples);
  ASSERT_EQ(one->stems.size(), three->stems.size());
  ASSERT_EQ(one->stems.size(), 5u);  // strings, woodwinds, brass, percussion, keys
  for (std::size_t s = 0; s < one->stems.size(); ++s) {
    EXPECT_EQ(one->stems[s].section, three->stems[s].section);
    EXPECT_TRUE(one->stems[s].audio.samples == three->stems[s].audio.samples);
    EXPECT_EQ(one->stems[s].audio.samples.size(), one->mix.samples.size());
  }
  // The stems still sum to the mix (within float rounding of a different order of additions).
  float worst = 0;
  for (std::size_t k = 0; k < one->mix.samples.size(); ++k) {
    float sum = 0;
    for (const Stem& s : one->stems)
      sum += s.audio.samples[k];
    worst = std::max(worst, std::abs(sum - one->mix.samples[k]));
  }
  EXPECT_LT(worst, 1e-5f);
}

// [GIVEN] a cue at 01:00:02:00 (its in point) and one whose MIDI file carries an SMPTE offset of
//         01:00:02:12 though its in point says 01:00:04:00, on a film starting at 01:00:00:00
// [THEN]  each sounds at its place (2 s and 2.5 s into the track), the SMPTE offset wins, and the
//         track is exactly the two cues rendered alone and summed at those samples
TEST(RenderFilm, CuesSoundAtTheirTimecodesAndOverlapsSum) {
  REQUIRE_SOUNDFONT();
  auto a = make_cue("1M1", tc(1, 0, 2, 0), make_file({{0, 0, 60, 0}}));
  auto b_file = make_file({{0, 48, 67, 0}});
  b_file.tracks.front().events.insert(
      b_file.tracks.front().events.begin(),
      {0, midi::smpte_offset_at(tc(1, 0, 2, 12), FrameRate::fps24())});
  auto b = make_cue("1M2", tc(1, 0, 4, 0), b_file);
  auto film = render_film({a, b}, options_at(tc(1, 0, 0, 0)));
  ASSERT_TRUE(film) << film.error().message;
  ASSERT_EQ(film->cues.size(), 2u);
  EXPECT_EQ(film->cues[0].origin.from, spot::MidiPlacement::From::in_point);
  EXPECT_EQ(film->cues[1].origin.from, spot::MidiPlacement::From::smpte_offset);
  EXPECT_EQ(film->cues[0].first_sample, 2 * kRate);
  EXPECT_EQ(film->cues[1].first_sample, 5 * kRate / 2);
  const std::size_t first = onset(film->mix.samples);
  EXPECT_GE(first, std::size_t{2 * kRate});
  EXPECT_LE(first, std::size_t{2 * kRate + 64 + 480});  // a block late at most, plus the attack

  auto alone_a = render_midi(a.midi, {});
  auto alone_b = render_midi(b.midi, {});
  ASSERT_TRUE(alone_a && alone_b);
  std::vector<float> expected(
      std::max(2 * kRate + alone_a->mix.frames(), 5 * kRate / 2 + alone_b->mix.frames()) * 2, 0.0f);
  for (std::size_t k = 0; k < alone_a->mix.samples.size(); ++k)
    expected[2 * 2 * kRate + k] += alone_a->mix.samples[k];
  for (std::size_t k = 0; k < alone_b->mix.samples.size(); ++k)
    expected[5 * kRate + k] += alone_b->mix.samples[k];
  EXPECT_TRUE(film->mix.samples == expected);
  // The second cue starts inside the first one's tail: the overlap is a sum, not a cut.
  EXPECT_GT(alone_a->mix.frames(), std::size_t{kRate / 2});
}

// [GIVEN] a film 3 s long, a cue that starts a second before it and one that runs past its end
// [THEN]  the track is exactly 3 s and both cues say they were cut
TEST(RenderFilm, TheFilmsLengthCutsTheTrack) {
  REQUIRE_SOUNDFONT();
  auto early = make_cue("1M1", tc(0, 59, 59, 0), make_file({{0, 0, 60, 0}, {0, 0, 62, 960}}));
  auto late = make_cue("1M2", tc(1, 0, 2, 12), make_file({{0, 0, 60, 0}}));
  FilmOptions o = options_at(tc(1, 0, 0, 0));
  o.film_duration = time::duration_from_seconds(time::Rational(3));
  auto film = render_film({early, late}, o);
  ASSERT_TRUE(film) << film.error().message;
  EXPECT_EQ(film->mix.frames(), std::size_t{3 * kRate});
  EXPECT_TRUE(film->cues[0].cut_at_start);
  EXPECT_EQ(film->cues[0].first_sample, -kRate);
  // Its note ends at the film's last frame: only the release tail runs past, and it fades out
  // over the last second instead of stopping dead.
  EXPECT_FALSE(film->cues[1].cut_at_end);
  EXPECT_TRUE(film->cues[1].tail_faded);
  float last = 0;
  for (std::size_t k = film->mix.samples.size() - 2 * 48; k < film->mix.samples.size(); ++k)
    last = std::max(last, std::abs(film->mix.samples[k]));
  EXPECT_LT(last, 0.01f);
  // The early cue's second note (a second after its start) sounds at the film's first frame.
  EXPECT_LE(onset(film->mix.samples), std::size_t{64 + 480});

  // A cue whose notes run past the end is cut there (and faded), and says so.
  auto longer = make_cue("1M2", tc(1, 0, 2, 0), make_file({{0, 0, 60, 0}, {0, 0, 64, 960}}));
  auto cut = render_film({early, longer}, o);
  ASSERT_TRUE(cut) << cut.error().message;
  EXPECT_EQ(cut->mix.frames(), std::size_t{3 * kRate});
  EXPECT_TRUE(cut->cues[1].cut_at_end);
  EXPECT_FALSE(cut->cues[1].tail_faded);
}

// RMS of frames [a, b) of interleaved stereo.
double rms(const std::vector<float>& s, std::size_t a, std::size_t b) {
  double sum = 0;
  for (std::size_t k = 2 * a; k < 2 * b; ++k)
    sum += static_cast<double>(s[k]) * s[k];
  return std::sqrt(sum / static_cast<double>(2 * (b - a)));
}

// [GIVEN] a 20 s cue of a quarter-second note every half second, and a track of 4 s that starts
//         8.125 s into it (01:00:08:03), while a note sounds
// [WHEN]  it is rendered whole and chased (only the track's span)
// [THEN]  the same length, placement and flags; the last second faded in both; from the second
//         second on (the chased note over) the chased track is the whole render's within -20 dB;
//         at its first frame the chased note sounds
TEST(RenderFilm, AChasedSpanIsTheWholeRenderOnceTheChasedNotesEnd) {
  REQUIRE_SOUNDFONT();
  std::vector<std::tuple<std::uint8_t, std::uint8_t, std::uint8_t, std::int64_t>> notes;
  for (int k = 0; k < 40; ++k)
    notes.push_back({0, 0, static_cast<std::uint8_t>(60 + k % 7), k * 480});
  auto cue = make_cue("1M1", tc(1, 0, 0, 0), make_file(notes));
  cue.cue.out = tc(1, 0, 20, 0);
  FilmOptions o = options_at(tc(1, 0, 8, 3));
  o.film_duration = time::duration_from_seconds(time::Rational(4));
  auto whole = render_film({cue}, o);
  ASSERT_TRUE(whole) << whole.error().message;
  o.chase = true;
  auto chased = render_film({cue}, o);
  ASSERT_TRUE(chased) << chased.error().message;
  ASSERT_EQ(chased->mix.frames(), whole->mix.frames());
  EXPECT_EQ(chased->mix.frames(), std::size_t{4 * kRate});
  EXPECT_EQ(chased->cues[0].first_sample, whole->cues[0].first_sample);
  EXPECT_TRUE(chased->cues[0].cut_at_start);
  EXPECT_TRUE(chased->cues[0].cut_at_end);
  EXPECT_EQ(chased->cues[0].cut_at_end, whole->cues[0].cut_at_end);
  EXPECT_LT(chased->cues[0].frames, whole->cues[0].frames);  // only the span was rendered
  const double level = rms(whole->mix.samples, kRate, 2 * kRate);
  EXPECT_GT(level, 1e-3);
  EXPECT_LT(rms(chased->mix.samples, kRate, 3 * kRate) /
                std::max(1e-9, rms(whole->mix.samples, kRate, 3 * kRate)),
            2.0);
  std::vector<float> diff(chased->mix.samples.size());
  for (std::size_t k = 0; k < diff.size(); ++k)
    diff[k] = chased->mix.samples[k] - whole->mix.samples[k];
  // Measured: 4.5% (-27 dB), steady: the chorus and reverb modulate from each synth's first frame,
  // so their phase differs. Off FluidSynth's 64-frame grid it was 150% (every onset moved).
  EXPECT_LT(rms(diff, kRate, 3 * kRate), 0.1 * level);
  EXPECT_LT(std::abs(chased->mix.samples.back()), 0.01f);
  EXPECT_LT(onset(chased->mix.samples), std::size_t{64 + 96});
}

// [GIVEN] three cues given out of time order, a film length, ducking and stems
// [THEN]  the track streamed a block at a time equals render_film's, block after block in time
//         order, exactly the film's length, and a sink's error stops the render and is its error
TEST(StreamFilm, BlocksInTimeOrderMakeTheSameTrack) {
  REQUIRE_SOUNDFONT();
  std::vector<FilmCue> cues{make_cue("1M3", tc(1, 0, 4, 0), make_file({{0, 0, 67, 0}})),
                            make_cue("1M1", tc(1, 0, 0, 12), make_file({{0, 40, 60, 0}})),
                            make_cue("1M2", tc(1, 0, 1, 0), make_file({{9, 0, 38, 0}}))};
  cues[0].cue.dialogue.push_back({tc(1, 0, 4, 6), tc(1, 0, 5, 0), ""});
  FilmOptions o = options_at(tc(1, 0, 0, 0));
  o.film_duration = time::duration_from_seconds(time::Rational(6));
  o.render.stems = true;
  o.duck = DuckOptions{};
  o.jobs = 2;
  auto whole = render_film(cues, o);
  ASSERT_TRUE(whole) << whole.error().message;
  std::vector<float> mix;
  std::int64_t expected_first = 0;
  bool in_order = true;
  auto streamed = stream_film(cues, o, [&](const TrackBlock& b) -> base::Result<void> {
    in_order = in_order && b.first_frame == expected_first;
    expected_first += static_cast<std::int64_t>(b.mix.size() / 2);
    EXPECT_LE(b.mix.size(), std::size_t{2 * kRate});
    mix.insert(mix.end(), b.mix.begin(), b.mix.end());
    return {};
  });
  ASSERT_TRUE(streamed) << streamed.error().message;
  EXPECT_TRUE(in_order);
  EXPECT_EQ(streamed->frames, std::size_t{6 * kRate});
  EXPECT_EQ(mix, whole->mix.samples);
  EXPECT_EQ(streamed->duck_windows, 1u);
  // Placed by where they start, reported in the order given.
  EXPECT_EQ(streamed->cues[0].id, "1M3");
  EXPECT_LT(streamed->cues[1].first_sample, streamed->cues[2].first_sample);

  int calls = 0;
  auto failed = stream_film(cues, o, [&](const TrackBlock&) -> base::Result<void> {
    if (++calls == 2) return base::make_error(base::ErrorKind::io, "the disk is full");
    return {};
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "the disk is full");
}

// [GIVEN] a 23.976 project and a cue whose MIDI file's SMPTE offset was written for 01:00:10:05
//         (MIDI labels 23.976 as 24)
// [THEN]  the label is read at 23.976, so the cue lands on that frame of the picture
TEST(RenderFilm, SmpteLabelIsReadAtTheProjectRate) {
  const FrameRate rate = FrameRate::fps23_976();
  FilmCue c = make_cue("2M1", tc(1, 0, 0, 0, rate), make_file({{0, 0, 60, 0}}));
  const time::TimePos at = tc(1, 0, 10, 5, rate);
  c.midi.tracks.front().events.insert(c.midi.tracks.front().events.begin(),
                                      {0, midi::smpte_offset_at(at, rate)});
  const spot::MidiPlacement origin = cue_origin(c, rate);
  EXPECT_EQ(origin.from, spot::MidiPlacement::From::smpte_offset);
  EXPECT_EQ(origin.at, at);
  // Without the offset (and with no tempo map) the in point counts.
  c.midi.tracks.front().events.erase(c.midi.tracks.front().events.begin());
  EXPECT_EQ(cue_origin(c, rate).from, spot::MidiPlacement::From::in_point);
  EXPECT_EQ(cue_origin(c, rate).at, c.cue.in);
}

// [GIVEN] two cues, progress reported, then a render cancelled at its first report
// [THEN]  fractions never go down and end at 1 with both cues done; the cancelled one fails
TEST(RenderFilm, ProgressAndCancel) {
  REQUIRE_SOUNDFONT();
  std::vector<FilmCue> cues{make_cue("1M1", tc(1, 0, 1, 0), make_file({{0, 0, 60, 0}})),
                            make_cue("1M2", tc(1, 0, 2, 0), make_file({{0, 0, 64, 0}}))};
  FilmOptions o = options_at(tc(1, 0, 0, 0));
  o.jobs = 2;
  double last = -1;
  bool monotonic = true;
  std::size_t last_done = 0, total = 0;
  o.progress = [&](double f, std::size_t done, std::size_t of) {
    monotonic = monotonic && f >= last;
    last = f;
    last_done = done;
    total = of;
    return true;
  };
  auto film = render_film(cues, o);
  ASSERT_TRUE(film) << film.error().message;
  EXPECT_TRUE(monotonic);
  EXPECT_DOUBLE_EQ(last, 1.0);
  EXPECT_EQ(last_done, 2u);
  EXPECT_EQ(total, 2u);

  o.progress = [](double, std::size_t, std::size_t) { return false; };
  auto cancelled = render_film(cues, o);
  ASSERT_FALSE(cancelled);
  EXPECT_NE(cancelled.error().message.find("cancelled"), std::string::npos);
}

// [GIVEN] a cue whose render fails (no such SoundFont), and an empty cue list
// [THEN]  the message names the cue and its MIDI file; no cues is an error too
TEST(RenderFilm, ErrorsNameTheCue) {
  FilmOptions o = options_at(tc(1, 0, 0, 0));
  o.render.soundfont = "/nonexistent/none.sf2";
  auto film = render_film({make_cue("3M7", tc(1, 0, 1, 0), make_file({{0, 0, 60, 0}}))}, o);
  ASSERT_FALSE(film);
  EXPECT_NE(film.error().message.find("3M7"), std::string::npos) << film.error().message;
  EXPECT_NE(film.error().message.find("3M7-1.mid"), std::string::npos);
  EXPECT_NE(film.error().message.find("none.sf2"), std::string::npos);
  EXPECT_FALSE(render_film({}, o));
}

// [GIVEN] a sustained cue with a dialogue window 1.5-2.5 s into the film, ducked by 12 dB, and
//         the whole track normalised to -23 LUFS
// [THEN]  inside the window the level is 12 dB below the unducked render; the track measures
//         -23 LUFS (or is held by the ceiling)
TEST(RenderFilm, DuckingAndLoudnessApplyToTheWholeTrack) {
  REQUIRE_SOUNDFONT();
  midi::MidiFile file = make_file({});
  midi::Note n;
  n.channel = 0;
  n.key = 60;
  n.velocity = 100;
  n.start = 0;
  n.duration = 480 * 8;  // 4 s of organ
  file.tracks.push_back(midi::track_from_notes("organ", 0, 19, {n}));
  FilmCue c = make_cue("1M1", tc(1, 0, 0, 12), file);
  c.cue.dialogue.push_back({tc(1, 0, 1, 12), tc(1, 0, 2, 12), "Anna"});
  FilmOptions plain = options_at(tc(1, 0, 0, 0));
  FilmOptions ducked = plain;
  ducked.duck = DuckOptions{12.0, 0.25};
  auto a = render_film({c}, plain);
  auto b = render_film({c}, ducked);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->duck_windows, 1u);
  const auto rms = [](const std::vector<float>& s, double from, double to) {
    double sum = 0;
    const auto f0 = static_cast<std::size_t>(from * kRate),
               f1 = static_cast<std::size_t>(to * kRate);
    for (std::size_t k = 2 * f0; k < 2 * f1; ++k)
      sum += static_cast<double>(s[k]) * s[k];
    return std::sqrt(sum / static_cast<double>(2 * (f1 - f0)));
  };
  EXPECT_NEAR(20 * std::log10(rms(b->mix.samples, 1.7, 2.3) / rms(a->mix.samples, 1.7, 2.3)), -12.0,
              0.01);
  EXPECT_NEAR(rms(b->mix.samples, 0.8, 1.1), rms(a->mix.samples, 0.8, 1.1), 1e-6);

  FilmOptions loud = plain;
  loud.loudness = NormalizeOptions{-23.0, -1.0};
  auto l = render_film({c}, loud);
  ASSERT_TRUE(l && l->normalization && l->loudness.integrated_lufs);
  if (!l->normalization->peak_limited) {
    EXPECT_NEAR(*l->loudness.integrated_lufs, -23.0, 0.1);
  }
}

}  // namespace
}  // namespace duet::render
