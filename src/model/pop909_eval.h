// Evaluation of key finding and chord recognition on POP909 (see docs/model-evaluation.md).
//   Key finding: the duration-weighted pitch-class histogram of all three tracks against the
//   first key in key_audio.txt, for every key profile: exact accuracy and the MIREX weighted
//   score (same key 1, estimate a fifth above 0.5, relative 0.3, parallel 0.2, else 0).
//   Chord recognition: beat-synchronous (beat_midi.txt) template matching with Viterbi
//   smoothing, against chord_midi.txt, duration-weighted over all songs (MIREX majmin, triads,
//   root), once with all five classes and once with major/minor only.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/pop909.h"
#include "model/sequence.h"
#include "music/chord_recognition.h"
#include "music/key_finding.h"

namespace duet::model {

// MIREX key score of an estimate against a reference.
double mirex_key_score(const KeyContext& reference, const KeyContext& estimate);

// The notes of a song for the recognisers, in seconds; the melody and bridge are weighted by
// `melody_weight` (they carry passing tones), the piano by 1.
std::vector<music::TimedNote> pop909_timed_notes(const Pop909Song& song,
                                                 double melody_weight = 1.0);
// Segment boundaries from beat_midi.txt: every beat, and the last beat plus one beat length.
std::vector<double> pop909_beat_boundaries(const Pop909Song& song);
// chord_midi.txt as spans in seconds.
std::vector<music::ChordSpan> pop909_reference_chords(const Pop909Song& song);

struct KeyFindingFigures {
  music::KeyProfile profile = music::KeyProfile::krumhansl_kessler;
  std::size_t songs = 0;
  std::size_t exact = 0, fifth = 0, relative = 0, parallel = 0, other = 0;
  double mirex_total = 0;
  double exact_accuracy() const {
    return songs ? static_cast<double>(exact) / static_cast<double>(songs) : 0;
  }
  double mirex_score() const { return songs ? mirex_total / static_cast<double>(songs) : 0; }
};

struct ChordFigures {
  std::string name;                        // "five classes", "major/minor"
  music::ChordScore majmin, triads, root;  // seconds summed over all songs
};

struct Pop909EvalOptions {
  std::size_t limit = 0;                  // evaluate only the first N songs (0 = all)
  double melody_weight = 0.25;            // for chord recognition (key finding uses all notes at 1)
  music::ChordRecognitionOptions chords;  // the five-class run; the maj/min run copies it
};

struct Pop909Evaluation {
  std::size_t songs = 0;
  std::vector<KeyFindingFigures> keys;  // one per profile, in all_key_profiles() order
  std::vector<ChordFigures> chords;     // five classes, then major/minor
};

// Reads every song folder under `directory` and evaluates. Fails on the first song that cannot be
// read (the message names its file and line) or when there are no song folders.
base::Result<Pop909Evaluation> evaluate_pop909(
    const std::filesystem::path& directory, const Pop909EvalOptions& options = {},
    const std::function<void(std::size_t done, std::size_t total)>& progress = {});

}  // namespace duet::model
