// Conform at feature length (docs/benchmarks.md, "Conform"): a 100-minute cut of 1,500 shots
// re-edited with a dozen edits of every kind, compared, and its 40 cues re-fitted, each with its
// MIDI (four parts in eighth notes) re-fitted and written. Rendering is not included.
#include <benchmark/benchmark.h>

#include <vector>

#include "conform/diff.h"
#include "conform/reedit.h"
#include "conform/refit.h"
#include "midi/timing.h"

namespace {

using namespace duet;

const time::FrameRate kRate = time::FrameRate::fps24();

struct Feature {
  picture::Cut old_cut;
  picture::Cut new_cut;
  std::vector<spot::Cue> cues;
  std::vector<midi::MidiFile> midi;
};

const Feature& feature() {
  static const Feature f = [] {
    Feature out;
    conform::RandomCutOptions co;
    co.seed = 100;
    co.shots = 1500;  // 100 minutes at 4 s a shot
    co.shortest = 24;
    co.longest = 168;
    out.old_cut = conform::random_cut(co);
    conform::ReeditOptions ro;
    ro.seed = 7;
    ro.edits = 12;
    out.new_cut = conform::reedit(out.old_cut, ro)->cut;
    const auto diff = conform::diff_cuts(out.old_cut, out.new_cut);
    const std::int64_t first = diff->old_first;
    const std::int64_t slot = (diff->old_last - first) / 40;
    for (int i = 0; i < 40; ++i) {
      spot::Cue cue;
      cue.id = *spot::parse_cue_id(std::to_string(1 + i / 10) + "M" + std::to_string(1 + i % 10));
      cue.in = time::time_of_frame(first + i * slot + slot / 4, kRate);
      cue.out = time::time_of_frame(first + i * slot + 3 * slot / 4, kRate);
      cue.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(100 + 2 * (i % 20)),
                                               {}, cue.in);
      const std::int64_t beats =
          (cue.tempo_map->beats_at(cue.out) - time::BeatPos(0)).ticks() / 1920;
      for (std::int64_t b = 4; b < beats; b += 8) {
        spot::HitPoint h;
        h.at = cue.tempo_map->time_at(time::BeatPos(b * 1920));
        cue.hits.push_back(h);
      }
      midi::MidiFile file;
      file.division.ticks_per_quarter = 960;
      file.tracks.push_back(*midi::conductor_track(*cue.tempo_map, time::BeatPos(beats * 1920)));
      for (std::uint8_t part = 0; part < 4; ++part) {
        std::vector<midi::Note> notes;
        for (std::int64_t e = 0; e < 2 * beats; ++e) {
          notes.push_back(
              {part, static_cast<std::uint8_t>(48 + 7 * part + e % 12), 80, 0, e * 480, 400});
        }
        file.tracks.push_back(midi::track_from_notes("part", part, 0, notes));
      }
      out.cues.push_back(cue);
      out.midi.push_back(std::move(file));
    }
    return out;
  }();
  return f;
}

void BM_DiffFeatureCut(benchmark::State& state) {
  const Feature& f = feature();
  for (auto _ : state) {
    auto d = conform::diff_cuts(f.old_cut, f.new_cut);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_DiffFeatureCut)->Unit(benchmark::kMillisecond);

// The whole conform but the render: the diff, 40 cues re-fitted, their MIDI re-fitted and
// written to bytes.
void BM_ConformFeature40Cues(benchmark::State& state) {
  const Feature& f = feature();
  std::int64_t refitted = 0;
  for (auto _ : state) {
    auto d = conform::diff_cuts(f.old_cut, f.new_cut);
    for (std::size_t i = 0; i < f.cues.size(); ++i) {
      const conform::CueRefit r = conform::refit_cue(f.cues[i], *d);
      if (!r.after) continue;
      const conform::MusicRefit music = conform::refit_music(*f.cues[i].tempo_map, f.cues[i], *d);
      auto file = conform::refit_midi(f.midi[i], music, kRate, "cue");
      auto bytes = midi::write_smf(*file);
      benchmark::DoNotOptimize(bytes);
      refitted += r.fate == conform::CueFate::unchanged ? 0 : 1;
    }
  }
  state.counters["cues_changed"] =
      static_cast<double>(refitted) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ConformFeature40Cues)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
