#include "model/eval.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "model/chord_model.h"
#include "model/corpus.h"
#include "model/jsb.h"
#include "model/pop909.h"
#include "model/pop909_eval.h"

namespace duet::model {

namespace {

Viewpoint vp(std::initializer_list<BasicViewpoint> parts) {
  return Viewpoint{parts};
}

MelodyModelOptions fixed_order(int order) {
  MelodyModelOptions o;
  o.viewpoints = {vp({BasicViewpoint::cpitch})};
  o.ltm_ppm = PpmOptions{Escape::c, order, false};
  return o;
}

double mean_bits(MelodyModel& model, const std::vector<Melody>& test, std::size_t& notes) {
  double total = 0;
  notes = 0;
  for (const Melody& m : test) {
    for (const auto& p : model.predict(m)) {
      total += p.information_content;
      ++notes;
    }
  }
  return notes ? total / static_cast<double>(notes) : 0.0;
}

}  // namespace

MelodyModelOptions jsb_pitch_system() {
  using B = BasicViewpoint;
  MelodyModelOptions o;
  o.viewpoints = {vp({B::cpitch}), vp({B::cpintfip}), vp({B::cpint, B::cpintfref}),
                  vp({B::cpintfip, B::cpintfref})};
  o.viewpoint_combination = Combination{true, 1.0};
  // Chosen on the JSB validation split (trained on train only): with the STM, an arithmetic
  // LTM-STM combination with bias 7 did best (1.574 against 1.577 for LTM+ alone).
  o.ltm_stm_combination = Combination{false, 7.0};
  o.use_stm = false;
  o.ltm_learns = true;
  return o;
}

MelodyModelOptions with_stm(MelodyModelOptions o) {
  o.use_stm = true;
  return o;
}

MelodyModelOptions jsb_duration_system() {
  using B = BasicViewpoint;
  MelodyModelOptions o = jsb_pitch_system();
  o.viewpoints = {vp({B::cpitch}),        vp({B::cpintfip}),         vp({B::cpint, B::cpintfref}),
                  vp({B::cpint, B::dur}), vp({B::cpintfip, B::dur}), vp({B::cpint, B::posinbar})};
  // Validation: with the STM, geometric with bias 2 did best (1.293 against 1.311 for LTM+).
  o.ltm_stm_combination = Combination{true, 2.0};
  return o;
}

std::vector<EvalRow> evaluate_melodies(const std::string& task, const std::vector<Melody>& train,
                                       const std::vector<Melody>& test) {
  struct System {
    std::string name;
    MelodyModelOptions options;
    std::optional<double> goal;
  };
  MelodyModelOptions star = fixed_order(-1);
  const std::vector<System> systems = {
      {"order-1 baseline (PPM-C, pitch)", fixed_order(1), std::nullopt},
      {"order-2 baseline (PPM-C, pitch)", fixed_order(2), std::nullopt},
      {"PPM-C* pitch only (LTM)", star, std::nullopt},
      {"multiple viewpoints, LTM+", jsb_pitch_system(), 1.50},
      {"multiple viewpoints, LTM+ & STM", with_stm(jsb_pitch_system()), 1.50},
      {"multiple viewpoints, LTM+, duration given", jsb_duration_system(), 1.25},
      {"multiple viewpoints, LTM+ & STM, duration given", with_stm(jsb_duration_system()), 1.25},
  };
  std::vector<EvalRow> rows;
  for (const System& s : systems) {
    MelodyModel model(s.options);
    for (const Melody& m : train)
      model.train(m);
    // The pitch domain covers the test pitches too (IDyOM's alphabets span the dataset).
    for (const Melody& m : test) {
      for (const auto& n : m.notes)
        model.add_to_domain(n.pitch);
    }
    EvalRow row;
    row.task = task;
    row.model = s.name;
    row.measure = "bits/note";
    row.value = mean_bits(model, test, row.events);
    row.goal = s.goal;
    rows.push_back(row);
  }
  return rows;
}

base::Result<std::vector<EvalRow>> evaluate_jsb(const std::filesystem::path& json_path) {
  auto corpus = read_jsb_chorales(json_path);
  if (!corpus) return corpus.error();
  std::vector<Melody> train = corpus->train;
  train.insert(train.end(), corpus->valid.begin(), corpus->valid.end());
  return evaluate_melodies("JSB chorales, soprano", train, corpus->test);
}

base::Result<std::vector<EvalRow>> evaluate_nottingham(const std::filesystem::path& directory) {
  auto corpus = read_melody_corpus(directory);
  if (!corpus) return corpus.error();
  std::vector<Melody> all;
  for (const CorpusFile& file : corpus->files) {
    for (const Melody& m : file.melodies) {
      if (!m.notes.empty()) all.push_back(m);
    }
  }
  if (all.empty()) {
    return base::make_error(base::ErrorKind::invalid_input, directory.string(),
                            ": no ABC tunes with notes there");
  }
  const auto held = held_out_split(all.size(), 7);
  std::vector<Melody> train;
  std::vector<Melody> test;
  for (std::size_t i = 0; i < all.size(); ++i)
    (held[i] ? test : train).push_back(std::move(all[i]));
  return evaluate_melodies("Nottingham, melody", train, test);
}

base::Result<std::vector<EvalRow>> evaluate_pop909_analysis(
    const std::filesystem::path& directory,
    const std::function<void(std::size_t, std::size_t)>& progress) {
  auto figures = evaluate_pop909(directory, {}, progress);
  if (!figures) return figures.error();
  std::vector<EvalRow> rows;
  for (const KeyFindingFigures& k : figures->keys) {
    const std::string model = "key profile " + std::string(music::to_string(k.profile));
    rows.push_back(EvalRow{"POP909 key finding", model, "exact", k.exact_accuracy(), std::nullopt,
                           false, k.songs});
    rows.push_back(EvalRow{"POP909 key finding", model, "MIREX score", k.mirex_score(),
                           std::nullopt, false, k.songs});
  }
  for (const ChordFigures& c : figures->chords) {
    const std::string model = "chord recognition, " + c.name;
    const std::optional<double> goal =
        c.name == "major/minor" ? std::optional<double>(0.85) : std::nullopt;
    rows.push_back(EvalRow{"POP909 chord recognition", model, "majmin", c.majmin.accuracy(), goal,
                           false, figures->songs});
    rows.push_back(EvalRow{"POP909 chord recognition", model, "root+triad", c.triads.accuracy(),
                           std::nullopt, false, figures->songs});
    rows.push_back(EvalRow{"POP909 chord recognition", model, "root", c.root.accuracy(),
                           std::nullopt, false, figures->songs});
  }
  return rows;
}

std::vector<bool> held_out_split(std::size_t count, std::uint32_t seed, double fraction) {
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(seed);
  for (std::size_t i = count; i > 1; --i) {
    const std::size_t j = rng() % i;
    std::swap(order[i - 1], order[j]);
  }
  std::vector<bool> held(count, false);
  const auto n = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(count)));
  for (std::size_t i = 0; i < n && i < count; ++i)
    held[order[i]] = true;
  return held;
}

base::Result<std::vector<ChordSong>> read_pop909_chord_songs(
    const std::filesystem::path& directory,
    const std::function<void(std::size_t, std::size_t)>& progress) {
  const auto folders = pop909_song_folders(directory);
  if (folders.empty()) {
    return base::make_error(base::ErrorKind::io, directory.string(),
                            ": no POP909 song folders (001, 002...) there");
  }
  std::vector<ChordSong> songs;
  for (std::size_t i = 0; i < folders.size(); ++i) {
    if (progress) progress(i, folders.size());
    auto song = read_pop909_song(folders[i]);
    if (!song) return song.error();
    Pop909ChordItems items = pop909_chord_items(*song);
    songs.push_back(ChordSong{std::move(items.items), items.minor});
  }
  return songs;
}

ChordScore score_chord_model(const ChordModelOptions& options, std::span<const ChordSong> train,
                             std::span<const ChordSong> test) {
  ChordModel model(options);
  for (const ChordSong& song : train)
    model.train(song.items, song.minor);
  ChordScore score;
  std::size_t top1 = 0, top5 = 0;
  for (const ChordSong& song : test) {
    const auto dists = model.predict(song.items, song.minor);
    for (std::size_t k = 1; k < song.items.size(); ++k) {
      const auto& p = dists[k];
      const double actual = p[static_cast<std::size_t>(song.items[k].symbol)];
      int rank = 0;  // symbols at least as probable as the actual one, other than it
      for (std::size_t x = 0; x < p.size(); ++x)
        rank += x != static_cast<std::size_t>(song.items[k].symbol) && p[x] >= actual;
      ++score.events;
      top1 += rank == 0;
      top5 += rank < 5;
    }
  }
  const double n = static_cast<double>(std::max<std::size_t>(score.events, 1));
  score.top1 = static_cast<double>(top1) / n;
  score.top5 = static_cast<double>(top5) / n;
  return score;
}

ChordModelOptions pop909_chord_ltm_system() {
  const auto v = [](std::initializer_list<ChordBasic> parts) { return ChordViewpoint{parts}; };
  using B = ChordBasic;
  ChordModelOptions o;
  // Chosen on a validation tenth of the training songs (seed 11), docs/model-evaluation.md:
  // top-1/top-5 0.377/0.799 for the symbol alone, 0.408/0.818 for these four.
  o.viewpoints = {v({B::symbol}), v({B::symbol, B::position}), v({B::root_interval, B::quality}),
                  v({B::symbol, B::prev_duration})};
  o.ltm_ppm = PpmOptions{Escape::x, -1, false};
  o.viewpoint_combination = Combination{true, 1.0};
  o.use_stm = false;
  return o;
}

ChordModelOptions pop909_chord_system() {
  ChordModelOptions o = pop909_chord_ltm_system();
  // Validation: the STM (PPM-A* with update exclusion, same viewpoints) and the LTM learning
  // each song after predicting it (LTM+), combined geometrically with bias 2: 0.664/0.9015.
  o.use_stm = true;
  o.stm_ppm = PpmOptions{Escape::a, -1, true};
  o.ltm_learns = true;
  o.combination = Combination{true, 2.0};
  return o;
}

base::Result<std::vector<EvalRow>> evaluate_pop909_chords(
    const std::filesystem::path& directory,
    const std::function<void(std::size_t, std::size_t)>& progress) {
  auto songs = read_pop909_chord_songs(directory, progress);
  if (!songs) return songs.error();
  const auto held = held_out_split(songs->size(), 5);
  std::vector<ChordSong> train, test;
  for (std::size_t i = 0; i < songs->size(); ++i)
    (held[i] ? test : train).push_back((*songs)[i]);
  struct System {
    std::string name;
    ChordModelOptions options;
    std::optional<double> goal1, goal5;
  };
  ChordModelOptions bigram;
  bigram.use_stm = false;
  bigram.ltm_ppm.order_bound = 1;
  ChordModelOptions trigram = bigram;
  trigram.ltm_ppm.order_bound = 2;
  const std::vector<System> systems = {
      {"order-1 baseline (bigram, PPM-C)", bigram, std::nullopt, std::nullopt},
      {"order-2 baseline (PPM-C)", trigram, std::nullopt, std::nullopt},
      {"LTM alone (4 viewpoints, PPM-X*)", pop909_chord_ltm_system(), 0.40, 0.82},
      {"LTM+ & STM (4 viewpoints)", pop909_chord_system(), 0.62, 0.90},
  };
  std::vector<EvalRow> rows;
  for (const System& s : systems) {
    const ChordScore score = score_chord_model(s.options, train, test);
    rows.push_back(
        EvalRow{"POP909 chords", s.name, "top-1", score.top1, s.goal1, false, score.events});
    rows.push_back(
        EvalRow{"POP909 chords", s.name, "top-5", score.top5, s.goal5, false, score.events});
  }
  return rows;
}

}  // namespace duet::model
