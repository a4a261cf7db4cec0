// Render speed (docs/render.md): a 16-part orchestral cue rendered by duet::render (the mix, and
// the mix with five section stems) and by the fluidsynth program (`fluidsynth -ni -F`) on the
// same MIDI file in the same run. x_realtime is seconds of audio per second of wall time;
// x_realtime_cpu per second of CPU time, which on a busy machine is the fairer figure: every
// renderer here is single-threaded, so it is the multiple of real time per core. SoundFont
// loading is included in both.
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "base/file.h"
#include "midi/gm.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "render/film.h"
#include "render/render.h"

namespace {

namespace fs = std::filesystem;
using duet::midi::Note;

constexpr int kPpq = 480;
constexpr int kBars = 12;  // at 96 bpm in 4/4: 30 s of music

// Sixteen parts of a small orchestra on a I-vi-IV-V progression in C, each with its own rhythm:
// strings in quarter and half notes, winds in eighths, brass in half notes, timpani and drums on
// the beats, harp arpeggios in sixteenths.
duet::midi::MidiFile orchestral_cue() {
  struct Part {
    std::uint8_t channel, program;
    int low;     // lowest key of its register
    int step;    // ticks per note
    int spread;  // chord tones walked through
  };
  const std::vector<Part> parts = {
      {0, 40, 67, 480, 3},  {1, 40, 60, 480, 3},   {2, 41, 55, 960, 3},  {3, 42, 43, 960, 3},
      {4, 43, 31, 1920, 1}, {5, 73, 72, 240, 4},   {6, 68, 67, 480, 3},  {7, 71, 60, 240, 4},
      {8, 70, 43, 960, 2},  {9, 0, 36, 480, 1},    {10, 60, 55, 960, 3}, {11, 56, 64, 960, 2},
      {12, 57, 48, 960, 2}, {13, 58, 36, 1920, 1}, {14, 47, 41, 480, 1}, {15, 46, 48, 120, 4},
  };
  const int roots[4] = {0, 9, 5, 7};  // C, A minor, F, G
  const int triad_major[3] = {0, 4, 7}, triad_minor[3] = {0, 3, 7};
  duet::midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = kPpq;
  duet::midi::Track conductor;
  conductor.events.push_back({0, duet::midi::SetTempo{625000}});  // 96 bpm
  conductor.events.push_back({0, duet::midi::TimeSignature{}});
  file.tracks.push_back(conductor);
  for (const Part& p : parts) {
    std::vector<Note> notes;
    for (int bar = 0; bar < kBars; ++bar) {
      const int root = roots[bar % 4];
      const int* triad = bar % 4 == 1 ? triad_minor : triad_major;
      for (int t = 0, k = 0; t < 4 * kPpq; t += p.step, ++k) {
        Note n;
        n.channel = p.channel;
        if (p.channel == duet::midi::kGmDrumChannel) {
          n.key = static_cast<std::uint8_t>(k % 2 == 0 ? 36 : 38);  // kick, snare
        } else {
          const int tone = triad[k % p.spread % 3] + 12 * (k % p.spread / 3);
          n.key = static_cast<std::uint8_t>(p.low + (root + tone) % 24);
        }
        n.velocity = static_cast<std::uint8_t>(70 + (k * 7) % 30);
        n.start = bar * 4 * kPpq + t;
        n.duration = p.step * 9 / 10;
        notes.push_back(n);
      }
    }
    file.tracks.push_back(duet::midi::track_from_notes("part", p.channel, p.program, notes));
  }
  return file;
}

constexpr double kMusicSeconds = kBars * 4 * 0.625;

bool have_soundfont() {
  return fs::exists(fs::path(duet::render::kDefaultSoundFont));
}

void render_duet(benchmark::State& state, bool stems, bool used_samples_only = true) {
  if (!have_soundfont()) {
    state.SkipWithError("the SoundFont is absent; install fluid-soundfont-gm");
    return;
  }
  const auto file = orchestral_cue();
  duet::render::RenderOptions options;
  options.stems = stems;
  options.load_used_samples_only = used_samples_only;
  double audio_seconds = 0;
  const std::clock_t cpu_start = std::clock();
  for (auto _ : state) {
    auto r = duet::render::render_midi(file, options);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    audio_seconds = r->mix.seconds();
    benchmark::DoNotOptimize(r->mix.samples.data());
  }
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  state.counters["x_realtime_cpu"] = audio_seconds * static_cast<double>(state.iterations()) / cpu;
  state.counters["audio_s"] = audio_seconds;
  state.counters["x_realtime"] = benchmark::Counter(
      audio_seconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_DuetRenderMix(benchmark::State& state) {
  render_duet(state, false);
}
void BM_DuetRenderStems(benchmark::State& state) {
  render_duet(state, true);
}
// As before synth.dynamic-sample-loading: the whole SoundFont loaded for every synth.
void BM_DuetRenderMixWholeSoundFont(benchmark::State& state) {
  render_duet(state, false, false);
}
void BM_DuetRenderStemsWholeSoundFont(benchmark::State& state) {
  render_duet(state, true, false);
}

// A film of eight copies of the cue, two at a time overlapping, rendered with state.range(0)
// worker threads: the wall-time speedup of the parallel film render.
void BM_DuetFilm(benchmark::State& state) {
  if (!have_soundfont()) {
    state.SkipWithError("the SoundFont is absent; install fluid-soundfont-gm");
    return;
  }
  std::vector<duet::render::FilmCue> cues;
  for (int i = 0; i < 8; ++i) {
    duet::render::FilmCue c;
    c.cue.id.number = i + 1;
    c.cue.in = duet::time::TimePos(duet::time::kSuperclockPerSecond * 20 * i);
    c.cue.out = c.cue.in + duet::time::TimeDur(duet::time::kSuperclockPerSecond * 30);
    c.midi = orchestral_cue();
    c.midi_path = "cue16.mid";
    cues.push_back(std::move(c));
  }
  duet::render::FilmOptions options;
  options.jobs = static_cast<unsigned>(state.range(0));
  double audio_seconds = 0;
  for (auto _ : state) {
    auto r = duet::render::render_film(cues, options);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      return;
    }
    audio_seconds = 0;
    for (const auto& c : r->cues)
      audio_seconds += static_cast<double>(c.frames) / r->mix.sample_rate;
    benchmark::DoNotOptimize(r->mix.samples.data());
  }
  state.counters["audio_s"] = audio_seconds;
  state.counters["x_realtime"] = benchmark::Counter(
      audio_seconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// User + system CPU seconds of the finished child processes (the shell and fluidsynth).
double children_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  const auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

// The fluidsynth program on the same MIDI file, written to a 48 kHz WAV, with `settings` (-o
// options) added.
void fluidsynth_program(benchmark::State& state, const std::string& settings) {
  if (!have_soundfont() || std::system("command -v fluidsynth >/dev/null 2>&1") != 0) {
    state.SkipWithError("the fluidsynth program or the SoundFont is absent (scripts/install-deps)");
    return;
  }
  const fs::path dir = fs::temp_directory_path() / "duet_render_bench";
  fs::create_directories(dir);
  const fs::path mid = dir / "cue16.mid";
  const fs::path wav = dir / "cue16-fluidsynth.wav";
  auto bytes = duet::midi::write_smf(orchestral_cue());
  if (!bytes || !duet::base::write_file_atomic(mid, *bytes)) {
    state.SkipWithError("cannot write the MIDI file");
    return;
  }
  const std::string command = "fluidsynth -ni -q " + settings + " -F '" + wav.string() +
                              "' -r 48000 '" + std::string(duet::render::kDefaultSoundFont) +
                              "' '" + mid.string() + "' >/dev/null 2>&1";
  const double cpu_start = children_cpu_seconds();
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) {
      state.SkipWithError("fluidsynth failed");
      return;
    }
  }
  // The program's file length (its own tail rule) is taken as its audio: frames / 48000 from
  // the file size (16-bit stereo after a 44-byte header).
  const double audio_seconds = static_cast<double>(fs::file_size(wav) - 44) / (48000.0 * 2 * 2);
  const double cpu = children_cpu_seconds() - cpu_start;
  state.counters["x_realtime_cpu"] = audio_seconds * static_cast<double>(state.iterations()) / cpu;
  state.counters["audio_s"] = audio_seconds;
  state.counters["x_realtime"] = benchmark::Counter(
      audio_seconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  fs::remove_all(dir);
}

void BM_FluidsynthProgram(benchmark::State& state) {
  fluidsynth_program(state, "");
}
// The program with duet's settings: samples loaded as used, 1,024 voices.
void BM_FluidsynthProgramDuetSettings(benchmark::State& state) {
  fluidsynth_program(state, "-o synth.dynamic-sample-loading=1 -o synth.polyphony=1024");
}

BENCHMARK(BM_DuetRenderMix)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DuetRenderMixWholeSoundFont)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DuetRenderStems)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DuetRenderStemsWholeSoundFont)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FluidsynthProgram)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FluidsynthProgramDuetSettings)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DuetFilm)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
