// duet eval-model's measurements: sequence models against fixed-order baselines on held-out
// data, with the protocols of docs/model-evaluation.md.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
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
