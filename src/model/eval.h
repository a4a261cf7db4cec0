// duet eval-model's measurements: sequence models against fixed-order baselines on held-out
// data, with the protocols of docs/model-evaluation.md.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/chord_model.h"
#include "model/mvs.h"

namespace duet::model {

struct EvalRow {
  std::string task;     // "JSB melody (pitch)"
  std::string model;    // "order-1 baseline", "PPM-C* (LTM)"
  std::string measure;  // "bits/note", "top-1", "top-5"
  double value = 0;
  std::optional<double> goal;
  bool lower_is_better = true;
  std::size_t events = 0;  // notes or chords predicted
};

// The viewpoint systems eval-model measures (also what duet train builds by default).
MelodyModelOptions jsb_pitch_system();     // pitch only: intervals, from tonic, from first note
MelodyModelOptions jsb_duration_system();  // the note's duration and bar position given
// The same system with the short-term model switched on (LTM+ & STM, IDyOM's "both+").
MelodyModelOptions with_stm(MelodyModelOptions options);

// Melody: train on `train`, mean bits/note over `test` for each system.
std::vector<EvalRow> evaluate_melodies(const std::string& task, const std::vector<Melody>& train,
                                       const std::vector<Melody>& test);
// JSB chorales: train+valid against test.
base::Result<std::vector<EvalRow>> evaluate_jsb(const std::filesystem::path& json_path);

// A POP909 song's chords as the chord protocol reads them (pop909_chord_items).
struct ChordSong {
  std::vector<ChordItem> items;
  bool minor = false;
};
base::Result<std::vector<ChordSong>> read_pop909_chord_songs(
    const std::filesystem::path& directory,
    const std::function<void(std::size_t, std::size_t)>& progress = {});

// Next-chord prediction: a model with `options` trained on `train`, scored on every chord of
// `test` but the first of each song (nothing comes before it). top-k: the actual symbol is among
// the k most probable (ties against it count as misses).
struct ChordScore {
  double top1 = 0, top5 = 0;
  std::size_t events = 0;
};
ChordScore score_chord_model(const ChordModelOptions& options, std::span<const ChordSong> train,
                             std::span<const ChordSong> test);

// The chord systems eval-model reports (chosen on a validation tenth of the training songs).
ChordModelOptions pop909_chord_ltm_system();  // viewpoints, long-term model alone
ChordModelOptions pop909_chord_system();      // the same with the short-term model

// POP909 chords: 10% of the songs (seed 5) held out; next-chord top-1/top-5.
base::Result<std::vector<EvalRow>> evaluate_pop909_chords(
    const std::filesystem::path& directory,
    const std::function<void(std::size_t, std::size_t)>& progress = {});

// Nottingham (ABC_cleaned under `directory`): every tune read, 10% held out (seed 7) at tune
// level, the same systems and measures as JSB.
base::Result<std::vector<EvalRow>> evaluate_nottingham(const std::filesystem::path& directory);

// POP909 key finding (exact and MIREX score per key profile, against key_audio.txt) and chord
// recognition (duration-weighted accuracy against chord_midi.txt), from evaluate_pop909.
base::Result<std::vector<EvalRow>> evaluate_pop909_analysis(
    const std::filesystem::path& directory,
    const std::function<void(std::size_t, std::size_t)>& progress = {});

// Song-level split: a deterministic shuffle (mt19937, Fisher-Yates) and the first
// ceil(10%) of the shuffled indices held out.
std::vector<bool> held_out_split(std::size_t count, std::uint32_t seed, double fraction = 0.1);

}  // namespace duet::model
