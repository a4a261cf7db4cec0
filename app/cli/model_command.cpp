// duet train, duet predict, duet eval-model: the sequence models of src/model from the command
// line.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "base/text.h"
#include "commands.h"
#include "model/chord_corpus.h"
#include "model/chord_model_file.h"
#include "model/corpus.h"
#include "model/eval.h"
#include "model/jsb.h"
#include "model/model_file.h"
#include "music/pitch.h"
#include "output.h"
#include "progress.h"

namespace duet::cli {

namespace {

struct TrainOptions {
  std::string corpus;
  std::string out;
  bool with_duration = false;
  bool chords = false;
  bool quiet = false;
};

// duet train --chords: chord sequences read from the notes (model/chord_corpus.h), one song per
// chorale or MIDI file, the key found per song.
int run_train_chords(const TrainOptions& o) {
  std::vector<model::ChordSong> songs;
  const std::filesystem::path corpus(o.corpus);
  if (corpus.extension() == ".json") {
    auto steps = model::read_jsb_steps(corpus);
    if (!steps) return report(steps.error());
    songs = model::jsb_chord_songs(*steps);
  } else {
    if (!std::filesystem::is_directory(corpus)) {
      return report(base::make_error(base::ErrorKind::io, o.corpus,
                                     ": not a directory of MIDI files or a .json chorale file"));
    }
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(corpus, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::string ext = it->path().extension().string();
      for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (ext == ".mid" || ext == ".midi") files.push_back(it->path());
    }
    if (ec) return report(base::make_error(base::ErrorKind::io, o.corpus, ": ", ec.message()));
    std::sort(files.begin(), files.end());  // the order is the model's: keep it reproducible
    std::unique_ptr<ProgressBar> bar;
    if (!o.quiet) bar = std::make_unique<ProgressBar>("reading");
    for (std::size_t i = 0; i < files.size(); ++i) {
      auto song = model::read_midi_chord_song(files[i]);
      if (!song) {
        std::cerr << "duet: skipped " << song.error().message << "\n";
      } else {
        songs.push_back(std::move(*song));
      }
      if (bar) bar->update(static_cast<double>(i + 1) / static_cast<double>(files.size()));
    }
    if (bar) bar->finish();
  }
  std::erase_if(songs, [](const model::ChordSong& s) { return s.items.empty(); });
  if (songs.empty()) {
    return report(base::make_error(base::ErrorKind::invalid_input, o.corpus,
                                   ": no chords found (give a directory of .mid files or "
                                   "Jsb16thSeparated.json)"));
  }
  model::ChordModel chord_model(model::default_chord_system());
  std::size_t chords = 0, minor = 0;
  for (const auto& song : songs) {
    chord_model.train(song.items, song.minor);
    chords += song.items.size();
    minor += song.minor ? 1 : 0;
  }
  const auto saved = model::save_chord_model(chord_model, o.out);
  if (!saved) return report(saved.error());
  std::cout << "trained on " << songs.size() << " songs (" << songs.size() - minor << " major, "
            << minor << " minor; " << chords << " chords), "
            << chord_model.viewpoint_models().size() << " viewpoints; wrote " << o.out << "\n";
  return kExitOk;
}

int run_train(const TrainOptions& o) {
  if (o.chords) return run_train_chords(o);
  std::vector<model::Melody> melodies;
  const std::filesystem::path corpus(o.corpus);
  if (corpus.extension() == ".json") {
    auto jsb = model::read_jsb_chorales(corpus);
    if (!jsb) return report(jsb.error());
    for (auto* split : {&jsb->train, &jsb->valid, &jsb->test}) {
      melodies.insert(melodies.end(), split->begin(), split->end());
    }
  } else {
    model::CorpusOptions options;
    std::unique_ptr<ProgressBar> bar;
    if (!o.quiet) {
      bar = std::make_unique<ProgressBar>("reading");
      options.progress = [&](std::size_t done, std::size_t total, const std::filesystem::path&) {
        bar->update(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0);
      };
    }
    auto read = model::read_melody_corpus(corpus, options);
    if (bar) bar->finish();
    if (!read) return report(read.error());
    for (const auto& file : read->files) {
      if (file.error) std::cerr << "duet: skipped " << file.error->message << "\n";
      melodies.insert(melodies.end(), file.melodies.begin(), file.melodies.end());
    }
  }
  if (melodies.empty()) {
    return report(base::make_error(base::ErrorKind::invalid_input, o.corpus,
                                   ": no melodies found (give a directory of .mid/.abc files or "
                                   "Jsb16thSeparated.json)"));
  }
  model::MelodyModelOptions options =
      o.with_duration ? model::jsb_duration_system() : model::jsb_pitch_system();
  options.use_stm = true;  // a composer's piece is learnt as they write
  options.ltm_learns = false;
  model::MelodyModel melody_model(options);
  std::unique_ptr<ProgressBar> bar;
  if (!o.quiet) bar = std::make_unique<ProgressBar>("training");
  std::size_t notes = 0;
  for (std::size_t i = 0; i < melodies.size(); ++i) {
    melody_model.train(melodies[i]);
    notes += melodies[i].notes.size();
    if (bar) bar->update(static_cast<double>(i + 1) / static_cast<double>(melodies.size()));
  }
  if (bar) bar->finish();
  const auto saved = model::save_model(melody_model, o.out);
  if (!saved) return report(saved.error());
  std::cout << "trained on " << melodies.size() << " melodies (" << notes << " notes), "
            << melody_model.viewpoint_models().size() << " viewpoints; wrote " << o.out << "\n";
  return kExitOk;
}

struct PredictOptions {
  std::string model;
  std::string context;
  int top = 10;
  bool json = false;
};

int run_predict(const PredictOptions& o) {
  auto loaded = model::load_model(o.model);
  if (!loaded) return report(loaded.error());
  model::Melody context;
  std::istringstream words(o.context);
  std::string word;
  std::int64_t onset = 0;
  const std::int64_t quarter = time::kTicksPerQuarter;
  while (words >> word) {
    auto pitch = music::parse_pitch(word);
    if (!pitch) return usage_error("--context: " + pitch.error().message);
    model::MelodyNote note;
    note.pitch = pitch->midi();
    note.onset = time::BeatPos(onset);
    note.duration = time::BeatDur(quarter);
    note.bar_position = time::BeatDur(onset % (4 * quarter));
    context.notes.push_back(note);
    onset += quarter;
  }
  model::MelodyNote next;
  next.onset = time::BeatPos(onset);
  next.duration = time::BeatDur(quarter);
  next.bar_position = time::BeatDur(onset % (4 * quarter));
  const auto prediction = loaded->predict_next(context, next);
  const auto& domain = loaded->pitch_domain();
  std::vector<std::size_t> order(domain.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return prediction.distribution[a] > prediction.distribution[b];
  });
  order.resize(std::min<std::size_t>(order.size(), static_cast<std::size_t>(o.top)));
  if (o.json) {
    nlohmann::json j;
    j["entropy_bits"] = prediction.entropy;
    j["next"] = nlohmann::json::array();
    for (std::size_t i : order) {
      j["next"].push_back({{"pitch", music::to_string(music::pitch_of_midi(domain[i]))},
                           {"midi", domain[i]},
                           {"probability", prediction.distribution[i]}});
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "next note after " << context.notes.size() << " notes (quarter notes in 4/4)\n";
  std::cout << "entropy  " << base::fixed(prediction.entropy, 3) << " bits\n";
  for (std::size_t i : order) {
    std::cout << "  " << music::to_string(music::pitch_of_midi(domain[i])) << "\t"
              << base::fixed(prediction.distribution[i], 4) << "\n";
  }
  return kExitOk;
}

struct EvalOptions {
  std::string data = "../shared/data";
  bool json = false;
  bool quiet = false;
};

int run_eval(const EvalOptions& o) {
  const std::filesystem::path data(o.data);
  std::vector<model::EvalRow> rows;
  std::vector<std::string> skipped;
  const auto start = std::chrono::steady_clock::now();
  const auto jsb_path = data / "jsb" / "Jsb16thSeparated.json";
  if (std::filesystem::exists(jsb_path)) {
    auto jsb = model::evaluate_jsb(jsb_path);
    if (!jsb) return report(jsb.error());
    rows.insert(rows.end(), jsb->begin(), jsb->end());
    auto jsb_chords = model::evaluate_jsb_chords(jsb_path);
    if (!jsb_chords) return report(jsb_chords.error());
    rows.insert(rows.end(), jsb_chords->begin(), jsb_chords->end());
  } else {
    skipped.push_back("JSB chorales: no " + jsb_path.string());
  }
  const auto pop_path = data / "pop909";
  if (std::filesystem::is_directory(pop_path)) {
    std::unique_ptr<ProgressBar> bar;
    if (!o.quiet) bar = std::make_unique<ProgressBar>("reading POP909");
    auto pop = model::evaluate_pop909_chords(pop_path, [&](std::size_t done, std::size_t total) {
      if (bar) bar->update(static_cast<double>(done) / static_cast<double>(total));
    });
    if (bar) bar->finish();
    if (!pop) return report(pop.error());
    rows.insert(rows.end(), pop->begin(), pop->end());
    std::unique_ptr<ProgressBar> analysis_bar;
    if (!o.quiet) analysis_bar = std::make_unique<ProgressBar>("POP909 keys and chords");
    auto analysis =
        model::evaluate_pop909_analysis(pop_path, [&](std::size_t done, std::size_t total) {
          if (analysis_bar)
            analysis_bar->update(static_cast<double>(done) / static_cast<double>(total));
        });
    if (analysis_bar) analysis_bar->finish();
    if (!analysis) return report(analysis.error());
    rows.insert(rows.end(), analysis->begin(), analysis->end());
  } else {
    skipped.push_back("POP909 chords: no " + pop_path.string());
  }
  const auto nottingham_path = data / "nottingham" / "ABC_cleaned";
  if (std::filesystem::is_directory(nottingham_path)) {
    auto nottingham = model::evaluate_nottingham(nottingham_path);
    if (!nottingham) return report(nottingham.error());
    rows.insert(rows.end(), nottingham->begin(), nottingham->end());
  } else {
    skipped.push_back("Nottingham melody: no " + nottingham_path.string());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (o.json) {
    nlohmann::json j;
    j["rows"] = nlohmann::json::array();
    for (const auto& r : rows) {
      nlohmann::json row = {{"task", r.task},
                            {"model", r.model},
                            {"measure", r.measure},
                            {"value", r.value},
                            {"events", r.events}};
      if (r.goal) {
        row["goal"] = *r.goal;
        row["meets_goal"] = r.lower_is_better ? r.value <= *r.goal : r.value >= *r.goal;
      }
      j["rows"].push_back(row);
    }
    j["skipped"] = skipped;
    j["seconds"] = seconds;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::string task;
  for (const auto& r : rows) {
    if (r.task != task) {
      task = r.task;
      std::cout << task << " (" << r.events << " events predicted)\n";
    }
    std::cout << "  " << r.model << "  " << r.measure << " " << base::fixed(r.value, 3);
    if (r.goal) {
      const bool met = r.lower_is_better ? r.value <= *r.goal : r.value >= *r.goal;
      std::cout << "  (goal " << (r.lower_is_better ? "<= " : ">= ") << base::fixed(*r.goal, 2)
                << (met ? ", met" : ", missed") << ")";
    }
    std::cout << "\n";
  }
  for (const auto& s : skipped)
    std::cout << "skipped " << s << "\n";
  std::cout << "took " << base::fixed(seconds, 1) << " s\n";
  return kExitOk;
}

}  // namespace

void add_model_commands(CLI::App& app, int& exit_code) {
  auto t = std::make_shared<TrainOptions>();
  CLI::App* train = app.add_subcommand(
      "train", "Train a melody model (or with --chords a chord model) on a corpus");
  train
      ->add_option("--corpus", t->corpus,
                   "A directory of .mid/.midi/.abc files (searched recursively), or the JSB "
                   "chorales' Jsb16thSeparated.json")
      ->required();
  train->add_option("--out", t->out, "The model file to write (.duetmodel)")->required();
  train->add_flag("--with-duration", t->with_duration,
                  "Also learn intervals with durations and bar positions");
  train->add_flag("--chords", t->chords,
                  "Train a chord model instead: chords recognised per beat from all the voices, "
                  "the key found per piece");
  train->add_flag("--quiet", t->quiet, "No progress bar on stderr");
  train->callback([t, &exit_code] { exit_code = run_train(*t); });

  auto p = std::make_shared<PredictOptions>();
  CLI::App* predict = app.add_subcommand("predict", "Show the distribution of the next note");
  predict->add_option("--model", p->model, "A model file from duet train")->required();
  predict->add_option("--context", p->context, "The notes so far, e.g. \"C4 D4 E4\"");
  predict->add_option("--top", p->top, "How many pitches to list")
      ->capture_default_str()
      ->check(CLI::Range(1, 128));
  predict->add_flag("--json", p->json, "Print JSON");
  predict->callback([p, &exit_code] { exit_code = run_predict(*p); });

  auto e = std::make_shared<EvalOptions>();
  CLI::App* eval = app.add_subcommand(
      "eval-model", "Measure the sequence models on held-out JSB chorales and POP909 chords");
  eval->add_option("--data", e->data, "The shared data directory")->capture_default_str();
  eval->add_flag("--json", e->json, "Print JSON");
  eval->add_flag("--quiet", e->quiet, "No progress bar on stderr");
  eval->callback([e, &exit_code] { exit_code = run_eval(*e); });
}

}  // namespace duet::cli
