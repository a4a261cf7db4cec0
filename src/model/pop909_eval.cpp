#include "model/pop909_eval.h"

#include <algorithm>

namespace duet::model {

double mirex_key_score(const KeyContext& reference, const KeyContext& estimate) {
  const int up = ((estimate.tonic - reference.tonic) % 12 + 12) % 12;
  if (reference.minor == estimate.minor) {
    if (up == 0) return 1.0;
    if (up == 7) return 0.5;  // a fifth above (mir_eval's default: ascending fifths only)
    return 0.0;
  }
  if (up == 0) return 0.2;  // parallel
  // Relative: C major <-> A minor.
  if (!reference.minor && up == 9) return 0.3;
  if (reference.minor && up == 3) return 0.3;
  return 0.0;
}

std::vector<music::TimedNote> pop909_timed_notes(const Pop909Song& song, double melody_weight) {
  std::vector<music::TimedNote> notes;
  for (const Pop909Track* track : {&song.melody, &song.bridge, &song.piano}) {
    const double weight = track == &song.piano ? 1.0 : melody_weight;
    for (const Pop909Note& note : track->notes) {
      notes.push_back(
          {note.pitch, note.start_seconds, note.end_seconds - note.start_seconds, weight});
    }
  }
  return notes;
}

std::vector<double> pop909_beat_boundaries(const Pop909Song& song) {
  std::vector<double> out;
  for (const Pop909Beat& beat : song.beats)
    out.push_back(beat.seconds);
  if (out.size() >= 2) out.push_back(out.back() + (out.back() - out[out.size() - 2]));
  return out;
}

std::vector<music::ChordSpan> pop909_reference_chords(const Pop909Song& song) {
  std::vector<music::ChordSpan> out;
  for (const Pop909ChordLabel& label : song.chords) {
    music::ChordSpan span{label.start_seconds, label.end_seconds, std::nullopt};
    if (label.chord) span.chord = music::label_of(*label.chord);
    out.push_back(span);
  }
  return out;
}

namespace {

void add(music::ChordScore& total, const music::ChordScore& part) {
  total.matched += part.matched;
  total.scored += part.scored;
}

}  // namespace

base::Result<Pop909Evaluation> evaluate_pop909(
    const std::filesystem::path& directory, const Pop909EvalOptions& options,
    const std::function<void(std::size_t, std::size_t)>& progress) {
  std::vector<std::filesystem::path> folders = pop909_song_folders(directory);
  if (folders.empty()) {
    return base::make_error(base::ErrorKind::io, directory.string(),
                            ": no POP909 song folders (001, 002...) here; point --dir at the "
                            "POP909 directory");
  }
  if (options.limit > 0 && folders.size() > options.limit) folders.resize(options.limit);

  Pop909Evaluation evaluation;
  for (music::KeyProfile profile : music::all_key_profiles()) {
    evaluation.keys.push_back(KeyFindingFigures{profile});
  }
  music::ChordRecognitionOptions majmin_options = options.chords;
  majmin_options.classes = {music::TriadClass::maj, music::TriadClass::min};
  const std::vector<std::pair<std::string, music::ChordRecognitionOptions>> runs = {
      {"five classes", options.chords}, {"major/minor", majmin_options}};
  for (const auto& run : runs)
    evaluation.chords.push_back(ChordFigures{run.first, {}, {}, {}});

  for (std::size_t i = 0; i < folders.size(); ++i) {
    auto song = read_pop909_song(folders[i]);
    if (!song) return song.error();
    ++evaluation.songs;

    if (!song->keys.empty()) {
      const KeyContext reference = key_context(song->keys.front().key);
      const auto histogram = music::pitch_class_histogram(pop909_timed_notes(*song, 1.0));
      for (KeyFindingFigures& figures : evaluation.keys) {
        const music::KeyEstimate estimate = music::find_key(histogram, figures.profile);
        const double score = mirex_key_score(reference, {estimate.tonic, estimate.minor});
        ++figures.songs;
        figures.mirex_total += score;
        if (score == 1.0)
          ++figures.exact;
        else if (score == 0.5)
          ++figures.fifth;
        else if (score == 0.3)
          ++figures.relative;
        else if (score == 0.2)
          ++figures.parallel;
        else
          ++figures.other;
      }
    }

    const auto notes = pop909_timed_notes(*song, options.melody_weight);
    const auto boundaries = pop909_beat_boundaries(*song);
    const auto reference = pop909_reference_chords(*song);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      const auto estimate = music::recognize_chords(notes, boundaries, runs[r].second);
      ChordFigures& figures = evaluation.chords[r];
      add(figures.majmin,
          music::compare_chords(reference, estimate, music::ChordComparison::majmin));
      add(figures.triads,
          music::compare_chords(reference, estimate, music::ChordComparison::triads));
      add(figures.root, music::compare_chords(reference, estimate, music::ChordComparison::root));
    }
    if (progress) progress(i + 1, folders.size());
  }
  return evaluation;
}

}  // namespace duet::model
