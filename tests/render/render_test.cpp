// Renders through the real FluidSynth and the Debian GM SoundFont; tests that need the SoundFont
// skip with a message when it is not installed. Audio is checked by measured properties (onset,
// level, loudness), never bit for bit.
#include "render/render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "midi/smf.h"
#include "midi/timing.h"
#include "render/loudness.h"

namespace duet::render {
namespace {

namespace fs = std::filesystem;

bool have_soundfont() {
  return fs::exists(fs::path(kDefaultSoundFont));
}
#define REQUIRE_SOUNDFONT()                                                   \
  if (!have_soundfont())                                                      \
  GTEST_SKIP() << "SoundFont " << kDefaultSoundFont << " is absent; install " \
               << kDefaultSoundFontPackage

// A format 1 file at 480 PPQ: a conductor with one tempo, then one track per (channel, program).
midi::MidiFile make_file(
    int bpm,
    const std::vector<std::tuple<std::uint8_t, std::uint8_t, std::vector<midi::Note>>>& parts) {
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = 480;
  midi::Track conductor;
  conductor.events.push_back({0, midi::SetTempo{static_cast<std::uint32_t>(60'000'000 / bpm)}});
  file.tracks.push_back(conductor);
  for (const auto& [channel, program, notes] : parts) {
    file.tracks.push_back(midi::track_from_notes("part", channel, program, notes));
  }
  return file;
}

midi::Note note(std::uint8_t channel, std::uint8_t key, std::int64_t start, std::int64_t dur,
                std::uint8_t velocity = 100) {
  midi::Note n;
  n.channel = channel;
  n.key = key;
  n.velocity = velocity;
  n.start = start;
  n.duration = dur;
  return n;
}

// The first frame whose absolute level passes `threshold`.
std::size_t onset(const Audio& a, float threshold) {
  for (std::size_t f = 0; f < a.frames(); ++f) {
    if (std::abs(a.samples[2 * f]) > threshold || std::abs(a.samples[2 * f + 1]) > threshold) {
      return f;
    }
  }
  return a.frames();
}

float peak(const Audio& a) {
  float p = 0;
  for (float x : a.samples)
    p = std::max(p, std::abs(x));
  return p;
}

// The film stem layout a music editor expects: timpani and the orchestra's mallets with the
// percussion, harp with the keyboards, choir and synths apart from the strings.
TEST(RenderSections, TheFilmStemLayout) {
  EXPECT_EQ(section_of_program(40), Section::strings);      // violin
  EXPECT_EQ(section_of_program(45), Section::strings);      // pizzicato strings
  EXPECT_EQ(section_of_program(48), Section::strings);      // string ensemble
  EXPECT_EQ(section_of_program(55), Section::strings);      // orchestra hit
  EXPECT_EQ(section_of_program(46), Section::harp_keys);    // harp
  EXPECT_EQ(section_of_program(47), Section::percussion);   // timpani
  EXPECT_EQ(section_of_program(0), Section::harp_keys);     // piano
  EXPECT_EQ(section_of_program(8), Section::harp_keys);     // celesta
  EXPECT_EQ(section_of_program(19), Section::harp_keys);    // church organ
  EXPECT_EQ(section_of_program(9), Section::percussion);    // glockenspiel
  EXPECT_EQ(section_of_program(13), Section::percussion);   // xylophone
  EXPECT_EQ(section_of_program(14), Section::percussion);   // tubular bells
  EXPECT_EQ(section_of_program(52), Section::choir);        // choir aahs
  EXPECT_EQ(section_of_program(54), Section::choir);        // synth voice
  EXPECT_EQ(section_of_program(50), Section::synths);       // synth strings
  EXPECT_EQ(section_of_program(80), Section::synths);       // square lead
  EXPECT_EQ(section_of_program(89), Section::synths);       // warm pad
  EXPECT_EQ(section_of_program(56), Section::brass);        // trumpet
  EXPECT_EQ(section_of_program(63), Section::brass);        // synth brass 2
  EXPECT_EQ(section_of_program(64), Section::woodwinds);    // soprano sax
  EXPECT_EQ(section_of_program(73), Section::woodwinds);    // flute
  EXPECT_EQ(section_of_program(79), Section::woodwinds);    // ocarina
  EXPECT_EQ(section_of_program(112), Section::percussion);  // tinkle bell
  EXPECT_EQ(section_of_program(119), Section::percussion);  // reverse cymbal
  EXPECT_EQ(section_of_program(24), Section::other);        // nylon guitar
  EXPECT_EQ(section_of_program(33), Section::other);        // fingered bass
  EXPECT_EQ(section_of_program(105), Section::other);       // banjo
  EXPECT_EQ(section_of_program(120), Section::other);       // guitar fret noise
  EXPECT_EQ(section_of(9, 40), Section::percussion);        // channel 10 is drums whatever
  EXPECT_EQ(section_of(0, 46), Section::harp_keys);
  // Every program has a stem, and every stem a name of its own.
  std::set<std::string_view> names;
  for (int k = 0; k < kSectionCount; ++k)
    names.insert(section_name(static_cast<Section>(k)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kSectionCount));
  EXPECT_EQ(section_name(Section::harp_keys), "harp_keys");
}

TEST(Render, AMissingSoundFontOfTheUsersOwnNamesTheFileNotThePackage) {
  RenderOptions options;
  options.soundfont = "/nonexistent/none.sf2";
  auto r = render_midi(make_file(120, {{0, 0, {note(0, 60, 0, 480)}}}), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("/nonexistent/none.sf2"), std::string::npos);
  EXPECT_EQ(r.error().message.find(kDefaultSoundFontPackage), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("check the file's name and folder"), std::string::npos);
}

TEST(Render, NotASoundFontIsAnError) {
  const fs::path bogus = fs::temp_directory_path() / "duet_render_bogus.sf2";
  std::ofstream(bogus) << "not a soundfont";
  RenderOptions options;
  options.soundfont = bogus;
  auto r = render_midi(make_file(120, {{0, 0, {note(0, 60, 0, 480)}}}), options);
  fs::remove(bogus);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("cannot load"), std::string::npos);
}

TEST(Render, Format2IsRefused) {
  auto file = make_file(120, {{0, 0, {note(0, 60, 0, 480)}}});
  file.format = 2;
  auto r = render_midi(file, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("format 2"), std::string::npos);
}

TEST(Render, OneNoteSoundsAtItsSample) {
  REQUIRE_SOUNDFONT();
  // [GIVEN] one piano note on beat 3 at 120 bpm: 1.0 s = sample 48,000
  auto r = render_midi(make_file(120, {{0, 0, {note(0, 60, 960, 480)}}}), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  // [THEN] silence before it, sound from it, within FluidSynth's 64-sample block (plus attack)
  const std::size_t at = onset(r->mix, 1e-3f);
  EXPECT_GE(at, 48'000u);
  EXPECT_LE(at, 48'000u + 64u + 96u);  // a piano's attack passes -60 dBFS within 2 ms
  EXPECT_GT(peak(r->mix), 0.01f);
  EXPECT_DOUBLE_EQ(r->music_seconds, 1.5);
  // The tail is bounded and rings past the note-off (reverb and release).
  EXPECT_GT(r->mix.seconds(), 1.6);
  EXPECT_LE(r->mix.seconds(), 1.5 + 10.0 + 0.1);
}

TEST(Render, TempoChangesMoveTheOnset) {
  REQUIRE_SOUNDFONT();
  // 60 bpm: beat 2 (tick 480) is at 1.0 s; the same tick at 120 bpm would be at 0.5 s.
  auto r = render_midi(make_file(60, {{0, 0, {note(0, 60, 480, 240)}}}), {});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const std::size_t at = onset(r->mix, 1e-3f);
  EXPECT_GE(at, 48'000u);
  EXPECT_LE(at, 48'000u + 160u);
}

// A span of a file: programs, controllers and held notes at 2.0 s, on two channels. At 120 bpm
// and 480 PPQ a tick is 50 samples exactly, so every event falls on a sample.
midi::MidiFile chase_file() {
  midi::MidiFile file = make_file(
      120, {{0, 73, {note(0, 60, 0, 3840), note(0, 64, 960, 480), note(0, 67, 2880, 480)}},
            {1, 48, {note(1, 55, 1440, 1920)}}});
  midi::insert_event(file.tracks[1], {0, midi::ControlChange{0, 7, 60}});
  midi::insert_event(file.tracks[1], {480, midi::ControlChange{0, 10, 20}});
  midi::insert_event(file.tracks[1], {600, midi::PolyPressure{0, 60, 90}});
  return file;
}

// [GIVEN] a file with a flute holding C4 from 0 to 4 s, E4 from 1 to 1.5 s, G4 from 3 s, its
//         volume set at 0 and its pan at 0.5 s, and strings holding G3 from 1.5 s to 3.5 s
// [WHEN]  only 2.0 s to 3.25 s is rendered
// [THEN]  it is, sample for sample, the file a DAW plays from 2.0 s: the flute's program, volume
//         and pan, then C4 and G3 struck at once (E4 had ended), G4 a second later; it starts at
//         frame 96,000 and stops at 3.25 s with no tail
TEST(RenderSpan, IsTheFileWithWhatSoundsAtItsStartStruckThere) {
  REQUIRE_SOUNDFONT();
  RenderOptions options;
  options.span = RenderOptions::Span{96'000, 156'000};
  auto span = render_midi(chase_file(), options);
  ASSERT_TRUE(span) << span.error().message;
  EXPECT_EQ(span->first_frame, 96'000);
  EXPECT_EQ(span->mix.frames(), std::size_t{60'000});
  EXPECT_DOUBLE_EQ(span->music_seconds, 4.0);  // the whole file's

  midi::MidiFile chased;
  chased.format = 0;
  chased.division.ticks_per_quarter = 480;
  midi::Track t;
  t.events = {{0, midi::SetTempo{500000}},        {0, midi::ProgramChange{0, 73}},
              {0, midi::ControlChange{0, 7, 60}}, {0, midi::ControlChange{0, 10, 20}},
              {0, midi::ProgramChange{1, 48}},    {0, midi::NoteOn{0, 60, 100}},
              {0, midi::NoteOn{1, 55, 100}},      {960, midi::NoteOn{0, 67, 100}}};
  t.end_tick = 960;
  chased.tracks.push_back(t);
  auto expected = render_midi(chased, {});
  ASSERT_TRUE(expected) << expected.error().message;
  ASSERT_GE(expected->mix.frames(), std::size_t{60'000});
  expected->mix.samples.resize(span->mix.samples.size());
  EXPECT_EQ(span->mix.samples, expected->mix.samples);
  EXPECT_GT(peak(span->mix), 0.01f);
  EXPECT_LT(onset(span->mix, 1e-3f), std::size_t{64 + 96});  // C4 and G3 sound at once
}

// [GIVEN] C4 struck at 0 s until 1 s and struck again at 0.5 s until 2.5 s (a file may overlap
//         one key; FluidSynth releases the sounding voice at the second strike, and every voice
//         of the key at the first note-off, 1 s), and E4 held from 1.5 s to 3 s
// [WHEN]  2.0 s to 2.25 s is rendered
// [THEN]  only E4 is chased: the span is E4's render alone, sample for sample (pairing the
//         note-offs with the note-ons instead would strike C4 again)
TEST(RenderSpan, AKeyIsHeldAsTheSynthHoldsIt) {
  REQUIRE_SOUNDFONT();
  RenderOptions options;
  options.span = RenderOptions::Span{96'000, 108'000};
  auto span = render_midi(
      make_file(120,
                {{0, 0, {note(0, 60, 0, 960), note(0, 60, 480, 1920), note(0, 64, 1440, 1440)}}}),
      options);
  ASSERT_TRUE(span) << span.error().message;
  auto alone = render_midi(make_file(120, {{0, 0, {note(0, 64, 0, 960)}}}), {});
  ASSERT_TRUE(alone) << alone.error().message;
  ASSERT_GE(alone->mix.frames(), span->mix.frames());
  alone->mix.samples.resize(span->mix.samples.size());
  EXPECT_GT(peak(span->mix), 0.01f);
  EXPECT_EQ(span->mix.samples, alone->mix.samples);
}

// [GIVEN] the same file, from 2.0 s with no end, and with an end past its last event
// [THEN]  both run to the last event and ring on with the tail, as the whole render does; a
//         span from past the end is silence
TEST(RenderSpan, WithoutAnEndBeforeTheLastEventTheTailRings) {
  REQUIRE_SOUNDFONT();
  RenderOptions options;
  options.span = RenderOptions::Span{96'000, -1};
  auto open = render_midi(chase_file(), options);
  ASSERT_TRUE(open) << open.error().message;
  options.span = RenderOptions::Span{96'000, 10 * 48'000};
  auto past = render_midi(chase_file(), options);
  ASSERT_TRUE(past) << past.error().message;
  EXPECT_GT(open->mix.frames(), std::size_t{192'000 - 96'000 + 4'800});  // 2 s of music, a tail
  EXPECT_EQ(open->mix.samples, past->mix.samples);
  options.span = RenderOptions::Span{5 * 48'000, -1};
  auto after = render_midi(chase_file(), options);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->first_frame, 5 * 48'000);
  EXPECT_LT(peak(after->mix), 1e-4f);
}

midi::MidiFile small_ensemble() {
  std::vector<midi::Note> strings, brass, flute, drums, piano;
  for (int b = 0; b < 8; ++b) {
    const std::int64_t t = b * 480;
    strings.push_back(note(0, static_cast<std::uint8_t>(60 + b % 5), t, 480, 90));
    brass.push_back(note(1, static_cast<std::uint8_t>(48 + b % 3), t, 240, 80));
    flute.push_back(note(2, static_cast<std::uint8_t>(72 + b % 4), t + 240, 240, 70));
    drums.push_back(note(9, 36, t, 120, 110));
    piano.push_back(note(3, static_cast<std::uint8_t>(55 + b % 7), t, 480, 60));
  }
  return make_file(
      120, {{0, 48, strings}, {1, 61, brass}, {2, 73, flute}, {9, 0, drums}, {3, 0, piano}});
}

TEST(Render, StemsSumToTheMix) {
  REQUIRE_SOUNDFONT();
  RenderOptions options;
  options.stems = true;
  double last = -1;
  bool monotonic = true;
  options.progress = [&](double f) {
    monotonic = monotonic && f >= last;
    last = f;
    return true;
  };
  auto r = render_midi(small_ensemble(), options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->stems.size(), 5u);
  EXPECT_EQ(r->stems[0].section, Section::strings);
  EXPECT_EQ(r->stems[1].section, Section::woodwinds);
  EXPECT_EQ(r->stems[2].section, Section::brass);
  EXPECT_EQ(r->stems[3].section, Section::percussion);
  EXPECT_EQ(r->stems[4].section, Section::harp_keys);
  EXPECT_TRUE(monotonic);
  EXPECT_DOUBLE_EQ(last, 1.0);
  float max_diff = 0;
  for (std::size_t k = 0; k < r->mix.samples.size(); ++k) {
    float sum = 0;
    for (const Stem& s : r->stems) {
      ASSERT_EQ(s.audio.samples.size(), r->mix.samples.size());
      sum += s.audio.samples[k];
    }
    max_diff = std::max(max_diff, std::abs(sum - r->mix.samples[k]));
  }
  EXPECT_LT(max_diff, 1e-6f);
  for (const Stem& s : r->stems)
    EXPECT_GT(peak(s.audio), 1e-3f) << section_name(s.section);

  // The single-synth mix (no stems) sounds the same within rounding of the reverb's sums.
  auto single = render_midi(small_ensemble(), {});
  ASSERT_TRUE(single.has_value());
  const auto a = measure_loudness(r->mix);
  const auto b = measure_loudness(single->mix);
  ASSERT_TRUE(a && b && a->integrated_lufs && b->integrated_lufs);
  EXPECT_NEAR(*a->integrated_lufs, *b->integrated_lufs, 0.5);
}

// [GIVEN] the small ensemble (four programs and drums), with stems
// [THEN]  loading only the samples the file's presets use sounds like loading the whole
//         SoundFont: mix and stems equal within 1e-5 (-100 dBFS). Not bit for bit: FluidSynth
//         measures a sample's loop (when a quiet voice may stop) when it loads it, and the
//         percussion stem differed by at most 2e-6 (-114 dBFS) here
TEST(Render, LoadingUsedSamplesOnlyIsTheSameSound) {
  REQUIRE_SOUNDFONT();
  RenderOptions used;
  used.stems = true;
  RenderOptions whole = used;
  whole.load_used_samples_only = false;
  auto a = render_midi(small_ensemble(), used);
  auto b = render_midi(small_ensemble(), whole);
  ASSERT_TRUE(a && b);
  EXPECT_GT(peak(a->mix), 1e-2f);
  const auto worst = [](const Audio& x, const Audio& y) {
    float w = x.samples.size() == y.samples.size() ? 0.0f : 1.0f;
    for (std::size_t k = 0; k < std::min(x.samples.size(), y.samples.size()); ++k)
      w = std::max(w, std::abs(x.samples[k] - y.samples[k]));
    return w;
  };
  EXPECT_LT(worst(a->mix, b->mix), 1e-5f);
  ASSERT_EQ(a->stems.size(), b->stems.size());
  for (std::size_t s = 0; s < a->stems.size(); ++s) {
    EXPECT_LT(worst(a->stems[s].audio, b->stems[s].audio), 1e-5f)
        << section_name(a->stems[s].section);
  }
}

TEST(Render, ProgressCanCancel) {
  REQUIRE_SOUNDFONT();
  RenderOptions options;
  options.progress = [](double) { return false; };
  auto r = render_midi(small_ensemble(), options);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("cancelled"), std::string::npos);
}

TEST(Render, ClickStemClicksOnTheBeats) {
  // 120 bpm: beats every 24,000 samples; the notes run to beat 4 (tick 1440 + 480).
  const auto file = make_file(120, {{0, 0, {note(0, 60, 0, 1920)}}});
  auto click = render_click(file, 120'000);
  ASSERT_TRUE(click.has_value()) << click.error().message;
  ASSERT_EQ(click->frames(), 120'000u);
  // Sound right at each beat's sample, silence just before it.
  for (std::size_t beat = 0; beat <= 4; ++beat) {
    const std::size_t at = beat * 24'000;
    float before = 0, after = 0;
    for (std::size_t f = at - (beat > 0 ? 100 : 0); f < at; ++f)
      before = std::max(before, std::abs(click->samples[2 * f]));
    for (std::size_t f = at; f < at + 100; ++f)
      after = std::max(after, std::abs(click->samples[2 * f]));
    EXPECT_EQ(before, 0.0f) << "beat " << beat;
    EXPECT_GT(after, 0.3f) << "beat " << beat;
  }
  auto smpte = file;
  smpte.division.kind = midi::Division::Kind::smpte;
  smpte.division.smpte_fps = 25;
  smpte.division.ticks_per_frame = 40;
  EXPECT_FALSE(render_click(smpte, 1000).has_value());
}

TEST(RenderLoudness, NormalisesToTheTargetWithinATenthOfALu) {
  REQUIRE_SOUNDFONT();
  RenderOptions options;
  options.stems = true;
  for (double target : {-23.0, -16.0}) {
    auto r = render_midi(small_ensemble(), options);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    std::vector<Audio*> stems;
    for (Stem& s : r->stems)
      stems.push_back(&s.audio);
    NormalizeOptions n;
    n.target_lufs = target;
    n.ceiling_dbtp = 0.0;  // this cue's peaks leave room at both targets
    auto result = normalize(r->mix, stems, n);
    ASSERT_TRUE(result.has_value());
    ASSERT_FALSE(result->peak_limited) << "peak " << result->before.true_peak_dbtp;
    ASSERT_TRUE(result->after.integrated_lufs.has_value());
    EXPECT_NEAR(*result->after.integrated_lufs, target, 0.1);
    EXPECT_LE(result->after.true_peak_dbtp, 0.0 + 0.05);
    // The stems got the same gain: they still sum to the mix.
    for (std::size_t k = 0; k < r->mix.samples.size(); k += 97) {
      float sum = 0;
      for (const Stem& s : r->stems)
        sum += s.audio.samples[k];
      EXPECT_NEAR(sum, r->mix.samples[k], 1e-5f);
    }
  }
}

// A synthetic sine: loudness maths without FluidSynth.
Audio sine(double amplitude, double seconds) {
  Audio a;
  const auto frames = static_cast<std::size_t>(seconds * a.sample_rate);
  for (std::size_t f = 0; f < frames; ++f) {
    const auto x = static_cast<float>(amplitude * std::sin(2 * 3.14159265358979 * 997.0 *
                                                           static_cast<double>(f) / a.sample_rate));
    a.samples.push_back(x);
    a.samples.push_back(x);
  }
  return a;
}

TEST(RenderLoudness, TruePeakCeilingStopsTheGain) {
  // A 1 kHz sine at -6 dBFS in both channels measures about -5.4 LUFS: reaching -16 needs a cut,
  // but reaching 0 would need a boost of about 5 dB that takes the peak above -1 dBTP.
  Audio a = sine(0.5, 5.0);
  NormalizeOptions n;
  n.target_lufs = 0.0;
  n.ceiling_dbtp = -1.0;
  auto r = normalize(a, {}, n);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->peak_limited);
  EXPECT_NEAR(r->after.true_peak_dbtp, -1.0, 0.05);
  EXPECT_LT(*r->after.integrated_lufs, -0.5);

  Audio b = sine(0.5, 5.0);
  n.target_lufs = -16.0;
  auto cut = normalize(b, {}, n);
  ASSERT_TRUE(cut.has_value());
  EXPECT_FALSE(cut->peak_limited);
  EXPECT_NEAR(*cut->after.integrated_lufs, -16.0, 0.1);
  EXPECT_LT(cut->gain_db, 0.0);
}

// [GIVEN] random sets of dialogue windows (overlapping, unsorted, some at the edges) on 6 s of
//         full-scale audio at 8 kHz
// [THEN]  duck() gives, at every frame, the lowest gain over all windows as the definition says
//         (it visits only frames near windows, in groups; this checks it misses none)
TEST(RenderLoudness, DuckingMatchesTheDefinitionEverywhere) {
  std::uint32_t seed = 12345;
  const auto next = [&seed](double lo, double hi) {
    seed = seed * 1664525u + 1013904223u;
    return lo + (hi - lo) * static_cast<double>(seed >> 8) / static_cast<double>(1u << 24);
  };
  const DuckOptions options{9.0, 0.25};
  const double floor = std::pow(10.0, -options.depth_db / 20.0);
  for (int round = 0; round < 20; ++round) {
    Audio audio;
    audio.sample_rate = 8000;
    audio.samples.assign(6 * 8000 * 2, 1.0f);
    std::vector<DuckWindow> windows;
    const int count = 1 + round % 6;
    for (int i = 0; i < count; ++i) {
      const double a = next(-0.5, 6.2);
      windows.push_back({std::max(0.0, a), std::max(0.0, a) + next(0.0, 1.5)});
    }
    ASSERT_TRUE(duck(audio, {}, windows, options));
    for (std::size_t f = 0; f < audio.frames(); ++f) {
      const double t = static_cast<double>(f) / 8000;
      double g = 1.0;
      for (const DuckWindow& w : windows) {
        double x = 1.0;
        if (t >= w.start_seconds && t <= w.end_seconds) {
          x = 0.0;
        } else if (t < w.start_seconds && t > w.start_seconds - 0.25) {
          x = (w.start_seconds - t) / 0.25;
        } else if (t > w.end_seconds && t < w.end_seconds + 0.25) {
          x = (t - w.end_seconds) / 0.25;
        }
        g = std::min(g, floor + (1.0 - floor) * x);
      }
      ASSERT_EQ(audio.samples[2 * f], static_cast<float>(g)) << "round " << round << " frame " << f;
    }
  }
}

TEST(RenderLoudness, DuckingLowersTheWindowAndKeepsTheSum) {
  Audio mix = sine(0.5, 4.0);
  Audio stem = sine(0.5, 4.0);
  // [WHEN] 12 dB down from 1.0 s to 2.0 s with 0.25 s ramps
  DuckOptions options;
  options.depth_db = 12;
  ASSERT_TRUE(duck(mix, {&stem}, {{1.0, 2.0}}, options).has_value());
  const auto level = [&](const Audio& a, double from, double to) {
    float p = 0;
    for (auto f = static_cast<std::size_t>(from * 48000); f < static_cast<std::size_t>(to * 48000);
         ++f)
      p = std::max(p, std::abs(a.samples[2 * f]));
    return 20 * std::log10(p / 0.5);
  };
  // [THEN] unity before the ramp and after it, -12 dB inside, in between on the ramps
  EXPECT_NEAR(level(mix, 0.0, 0.74), 0.0, 0.01);
  EXPECT_NEAR(level(mix, 1.0, 2.0), -12.0, 0.01);
  EXPECT_NEAR(level(mix, 2.26, 4.0), 0.0, 0.01);
  EXPECT_LT(level(mix, 0.85, 0.9), -1.0);
  EXPECT_GT(level(mix, 0.85, 0.9), -11.0);
  EXPECT_EQ(mix.samples, stem.samples);
  EXPECT_FALSE(duck(mix, {}, {{2.0, 1.0}}).has_value());
  DuckOptions deep;
  deep.depth_db = 90;
  EXPECT_FALSE(duck(mix, {}, {{1.0, 2.0}}, deep).has_value());
}

TEST(RenderLoudness, SilenceHasNoLoudnessAndIsLeftAlone) {
  Audio a = sine(0.0, 2.0);
  auto m = measure_loudness(a);
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->integrated_lufs.has_value());
  auto r = normalize(a, {}, {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->gain_db, 0.0);
}

TEST(RenderWav, TwentyFourBitRoundTrip) {
  Audio a = sine(0.25, 0.5);
  a.samples[10] = 1.5f;  // beyond full scale: clipped, not wrapped
  const fs::path path = fs::temp_directory_path() / "duet_render_roundtrip.wav";
  ASSERT_TRUE(write_wav(path, a).has_value());
  auto back = read_audio(path);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->sample_rate, 48000);
  ASSERT_EQ(back->frames(), a.frames());
  EXPECT_GT(back->samples[10], 0.999f);
  float max_diff = 0;
  for (std::size_t k = 0; k < a.samples.size(); ++k) {
    if (k == 10) continue;
    max_diff = std::max(max_diff, std::abs(a.samples[k] - back->samples[k]));
  }
  EXPECT_LT(max_diff, 1.0f / 4'000'000);  // 24-bit: 1 LSB = 1/8,388,608
  fs::remove(path);
}

TEST(RenderWav, UnwritablePathIsAnErrorAndNothingIsLeft) {
  Audio a = sine(0.25, 0.1);
  auto r = write_wav("/nonexistent-dir/x.wav", a);
  EXPECT_FALSE(r.has_value());
  EXPECT_FALSE(fs::exists("/nonexistent-dir/x.wav"));
}

TEST(RenderWav, MonoIsReadAsTwoEqualChannels) {
  // The fuzz seed: 32 frames of 16-bit mono at 48 kHz.
  auto a = read_audio(fs::path(DUET_SOURCE_DIR) / "fuzz/corpus/render_audio_fuzz/mono16.wav");
  ASSERT_TRUE(a.has_value()) << a.error().message;
  EXPECT_EQ(a->sample_rate, 48000);
  ASSERT_EQ(a->frames(), 32u);
  float level = 0;
  for (std::size_t f = 0; f < a->frames(); ++f) {
    EXPECT_EQ(a->samples[2 * f], a->samples[2 * f + 1]);
    level = std::max(level, std::abs(a->samples[2 * f]));
  }
  EXPECT_NEAR(level, 1000.0f / 32768, 1e-4f);
}

TEST(RenderWav, NotAudioIsAnError) {
  const fs::path path = fs::temp_directory_path() / "duet_render_notaudio.wav";
  std::ofstream(path) << "hello";
  auto r = read_audio(path);
  fs::remove(path);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find(path.string()), std::string::npos);
}

}  // namespace
}  // namespace duet::render
