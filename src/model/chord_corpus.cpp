#include "model/chord_corpus.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <variant>

#include "base/file.h"
#include "midi/smf.h"
#include "model/pop909.h"
#include "music/chord_recognition.h"

namespace duet::model {

ChordSong chord_song_from_notes(std::span<const music::TimedNote> notes, int beats_per_bar) {
  ChordSong song;
  if (notes.empty()) return song;
  beats_per_bar = std::max(beats_per_bar, 1);
  const music::KeyEstimate key = music::find_key(music::pitch_class_histogram(notes));
  song.minor = key.minor;
  const KeyContext context{key.tonic, key.minor};
  const auto boundaries = music::regular_boundaries(notes, 0.0, 1.0);
  const auto spans = music::recognize_chords(notes, boundaries);
  struct Raw {
    int root;
    ChordClass quality;
    double start;
    double end;
  };
  std::vector<Raw> raw;
  for (const music::ChordSpan& span : spans) {
    if (!span.chord) continue;  // no note sounds: N
    const ChordClass quality = chord_class(span.chord->triad);
    if (!raw.empty() && raw.back().root == span.chord->root && raw.back().quality == quality) {
      raw.back().end = span.end;
      continue;
    }
    raw.push_back(Raw{span.chord->root, quality, span.start, span.end});
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    ChordItem item;
    item.symbol = chord_symbol(raw[i].root, raw[i].quality, context);
    const double end = i + 1 < raw.size() ? raw[i + 1].start : raw[i].end;
    item.duration = static_cast<int>(std::lround(end - raw[i].start));
    const long beat = std::lround(raw[i].start);
    item.bar_position = static_cast<int>(beat % beats_per_bar);
    song.items.push_back(item);
  }
  return song;
}

ChordSong jsb_chord_song(const JsbSteps& steps) {
  constexpr double kStepBeats = 0.25;  // a 16th note
  std::vector<music::TimedNote> notes;
  std::size_t voices = 0;
  for (const auto& step : steps)
    voices = std::max(voices, step.size());
  for (std::size_t v = 0; v < voices; ++v) {
    int current = -1;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const int pitch = v < steps[i].size() ? steps[i][v] : -1;
      if (pitch >= 0 && pitch == current) {
        notes.back().duration += kStepBeats;
      } else if (pitch >= 0) {
        notes.push_back(
            music::TimedNote{pitch, static_cast<double>(i) * kStepBeats, kStepBeats, 1});
      }
      current = pitch;
    }
  }
  std::sort(notes.begin(), notes.end(), [](const music::TimedNote& a, const music::TimedNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  return chord_song_from_notes(notes, 4);
}

std::vector<ChordSong> jsb_chord_songs(const JsbChoraleSteps& corpus) {
  std::vector<ChordSong> songs;
  for (const auto* split : {&corpus.train, &corpus.valid, &corpus.test}) {
    for (const JsbSteps& steps : *split)
      songs.push_back(jsb_chord_song(steps));
  }
  return songs;
}

base::Result<ChordSong> read_midi_chord_song(const std::filesystem::path& path) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  auto read = midi::read_smf(*bytes);
  if (!read) return read.error().with_context(path.string());
  const midi::MidiFile& file = read->file;
  if (file.division.kind != midi::Division::Kind::ppq) {
    return base::make_error(base::ErrorKind::unsupported, path.string(),
                            ": the file times its events in SMPTE frames, not beats; chords need "
                            "beats (export it from the DAW with a tempo map)");
  }
  const double tpq = file.division.ticks_per_quarter;
  int beats_per_bar = 4;
  std::optional<std::int64_t> signature_tick;
  std::vector<music::TimedNote> notes;
  for (const midi::Track& track : file.tracks) {
    for (const midi::Event& event : track.events) {
      if (const auto* ts = std::get_if<midi::TimeSignature>(&event.message)) {
        if (!signature_tick || event.tick < *signature_tick) {
          signature_tick = event.tick;
          // Beats are quarter notes: 6/8 has 3 per bar, 3/4 has 3.
          const double quarters = ts->numerator * 4.0 / std::pow(2.0, ts->denominator_power);
          beats_per_bar = std::max(1, static_cast<int>(std::lround(quarters)));
        }
      }
    }
    for (const midi::Note& note : midi::pair_notes(track)) {
      if (note.channel == 9 || note.duration <= 0) continue;
      notes.push_back(music::TimedNote{note.key, static_cast<double>(note.start) / tpq,
                                       static_cast<double>(note.duration) / tpq, 1});
    }
  }
  if (notes.empty()) {
    return base::make_error(base::ErrorKind::invalid_input, path.string(),
                            ": no pitched notes (only drums or none)");
  }
  // One chord is recognised per beat: bound the beats so that a hostile file cannot ask for
  // billions of them (100,000 beats is over eight hours at 200 beats a minute).
  constexpr double kMaxBeats = 100'000;
  for (const music::TimedNote& n : notes) {
    if (n.onset + n.duration > kMaxBeats) {
      return base::make_error(base::ErrorKind::out_of_range, path.string(),
                              ": a note ends past beat 100,000; the file is too long to read "
                              "chords from");
    }
  }
  std::sort(notes.begin(), notes.end(), [](const music::TimedNote& a, const music::TimedNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  return chord_song_from_notes(notes, beats_per_bar);
}

ChordModelOptions default_chord_system() {
  ChordModelOptions o = pop909_chord_system();
  // The writer asks for the next chord again and again as a cue grows; a long-term model that
  // learnt each of those calls would learn the cue many times over.
  o.ltm_learns = false;
  return o;
}

base::Result<std::vector<EvalRow>> evaluate_jsb_chords(const std::filesystem::path& json_path) {
  auto steps = read_jsb_steps(json_path);
  if (!steps) return steps.error();
  const auto songs = jsb_chord_songs(*steps);
  const auto held = held_out_split(songs.size(), kJsbChordSplitSeed);
  std::vector<ChordSong> train, test;
  for (std::size_t i = 0; i < songs.size(); ++i)
    (held[i] ? test : train).push_back(songs[i]);
  ChordModelOptions bigram;
  bigram.use_stm = false;
  bigram.ltm_ppm.order_bound = 1;
  ChordModelOptions trigram = bigram;
  trigram.ltm_ppm.order_bound = 2;
  const std::vector<std::pair<std::string, ChordModelOptions>> systems = {
      {"order-1 baseline (bigram, PPM-C)", bigram},
      {"order-2 baseline (PPM-C)", trigram},
      {"LTM alone (4 viewpoints, PPM-X*)", pop909_chord_ltm_system()},
      {"shipped: LTM & STM (4 viewpoints)", default_chord_system()},
      {"LTM+ & STM (4 viewpoints)", pop909_chord_system()},
  };
  // What the cue writer gives the model: the chords so far with no durations or bar positions
  // (compose/writer.cpp), so only the symbol and root motion viewpoints take part.
  std::vector<ChordSong> test_as_writer = test;
  for (ChordSong& song : test_as_writer) {
    for (ChordItem& item : song.items) {
      item.duration = 0;
      item.bar_position = -1;
    }
  }
  std::vector<EvalRow> rows;
  for (const auto& [name, options] : systems) {
    const ChordScore score = score_chord_model(options, train, test);
    rows.push_back(
        EvalRow{"JSB chords", name, "top-1", score.top1, std::nullopt, false, score.events});
    rows.push_back(
        EvalRow{"JSB chords", name, "top-5", score.top5, std::nullopt, false, score.events});
  }
  const ChordScore writer = score_chord_model(default_chord_system(), train, test_as_writer);
  const std::string name = "shipped, as the writer asks (no durations or bar positions)";
  rows.push_back(
      EvalRow{"JSB chords", name, "top-1", writer.top1, std::nullopt, false, writer.events});
  rows.push_back(
      EvalRow{"JSB chords", name, "top-5", writer.top5, std::nullopt, false, writer.events});
  return rows;
}

}  // namespace duet::model
