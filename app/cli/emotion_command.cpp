// duet emotion, emotion-train, emotion-eval: the emotion estimator of src/model from the command
// line.
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "engine/emotion_job.h"
#include "engine/models.h"
#include "model/emotion_eval.h"
#include "model/emotion_model.h"
#include "model/model_file.h"
#include "model_options.h"
#include "output.h"
#include "progress.h"

namespace duet::cli {

namespace {

std::string signed_fixed(double v, int decimals) {
  return (v >= 0 ? "+" : "") + base::fixed(v, decimals);
}

std::string_view quadrant_words(model::Quadrant q) {
  switch (q) {
    case model::Quadrant::q1:
      return "high valence, high arousal";
    case model::Quadrant::q2:
      return "low valence, high arousal";
    case model::Quadrant::q3:
      return "low valence, low arousal";
    case model::Quadrant::q4:
      return "high valence, low arousal";
  }
  return "";
}

struct EmotionOptions {
  std::string file;
  bool json = false;
  std::string plot;
  std::string model;
  std::string project;
  std::string cue;
  std::string sequence_model;
};

int run_emotion(const EmotionOptions& o) {
  if (o.project.empty() != o.cue.empty()) {
    return usage_error(
        "--project and --cue go together: the cue's target curve comes from the "
        "project");
  }
  engine::EmotionRequest request;
  request.file = o.file;
  request.model = o.model;
  request.sequence_model = o.sequence_model;
  request.project = o.project;
  request.plot = o.plot;
  if (!o.cue.empty()) {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return report(id.error());
    request.cue = *id;
  }
  auto estimated = engine::estimate_file_emotion(request);
  if (!estimated) return report(estimated.error());
  if (o.json) {
    std::cout << engine::to_json(*estimated).dump(2) << "\n";
    return kExitOk;
  }
  const model::EmotionEstimate& e = estimated->estimate;
  const std::string beat_source =
      e.tempo_check ? e.tempo_check->describe() : std::string("the notes");
  std::cout << o.file << ": valence " << signed_fixed(e.whole.valence, 2) << ", arousal "
            << signed_fixed(e.whole.arousal, 2) << ": " << model::to_string(e.whole.quadrant)
            << " (" << quadrant_words(e.whole.quadrant) << ")\n";
  std::cout << "model: " << estimated->model << " (fingerprint " << estimated->model_fingerprint
            << "); beat: " << base::fixed(e.bpm, 0) << " BPM from " << beat_source << "\n";
  const auto print_reasons = [](const std::vector<model::EmotionReason>& rs,
                                std::string_view dimension) {
    std::cout << "why " << dimension << ":";
    const std::size_t shown = std::min<std::size_t>(3, rs.size());
    for (std::size_t i = 0; i < shown; ++i) {
      std::cout << (i ? "; " : " ") << model::describe(rs[i], dimension) << " ("
                << signed_fixed(rs[i].contribution, 2) << ")";
    }
    std::cout << "\n";
  };
  print_reasons(e.valence_reasons, "valence");
  print_reasons(e.arousal_reasons, "arousal");
  Table table({"start", "end", "valence", "arousal", "quadrant"});
  for (const auto& w : e.curve) {
    table.add({base::fixed(w.start, 1), base::fixed(w.end, 1), signed_fixed(w.point.valence, 2),
               signed_fixed(w.point.arousal, 2), std::string(model::to_string(w.point.quadrant))});
  }
  table.print(std::cout);
  if (!o.cue.empty()) {
    const std::size_t keys = estimated->target.size();
    std::cout << "cue " << o.cue << ": " << keys << " target keyframe" << (keys == 1 ? "" : "s")
              << "\n";
  }
  if (!o.plot.empty()) std::cout << "wrote " << o.plot << "\n";
  return kExitOk;
}

std::unique_ptr<ProgressBar> bar_unless(bool quiet, const char* label) {
  return quiet ? nullptr : std::make_unique<ProgressBar>(label);
}

// Loads a melody model for the surprise features; an empty path loads nothing.
base::Result<std::optional<model::MelodyModel>> load_sequence_model(const std::string& path) {
  if (path.empty()) return std::optional<model::MelodyModel>();
  auto m = model::load_model(path);
  if (!m) return m.error();
  return std::optional<model::MelodyModel>(std::move(*m));
}

struct EmotionTrainOptions {
  std::string emopia;
  std::string out;
  std::string sequence_model;
  std::uint64_t seed = 1;
  bool quiet = false;
};

int run_emotion_train(const EmotionTrainOptions& o) {
  auto sequence = load_sequence_model(o.sequence_model);
  if (!sequence) return report(sequence.error());
  const model::MelodyModel* seq = *sequence ? &**sequence : nullptr;
  auto bar = bar_unless(o.quiet, "measuring EMOPIA clips");
  auto clips = model::read_emopia(o.emopia, seq, [&](std::size_t done, std::size_t total) {
    if (bar) bar->update(static_cast<double>(done) / static_cast<double>(total));
  });
  if (bar) bar->finish();
  if (!clips) return report(clips.error());
  auto m = model::train_emopia_model(*clips, o.seed, seq != nullptr);
  if (!m) return report(m.error());
  auto saved = model::save_emotion_model(*m, o.out);
  if (!saved) return report(saved.error());
  std::cout << "wrote " << o.out << ": " << m->description << "\n";
  std::cout << "EMOPIA is licensed CC BY-NC-SA 4.0: use this model for non-commercial work only\n";
  return kExitOk;
}

struct EmotionEvalOptions {
  std::string data = "../shared/data";
  std::string sequence_model;  // a file, "" for the shipped default, "none"
  std::string models;
  std::string features_csv;
  bool json = false;
  bool quiet = false;
};

std::string spread_text(const model::Spread& s, int runs) {
  return base::fixed(s.mean, 3) + (runs > 1 ? " ± " + base::fixed(s.sd, 3) : "");
}

int run_emotion_eval(const EmotionEvalOptions& o) {
  const auto dir = std::filesystem::path(o.data) / "emopia";
  if (!std::filesystem::is_directory(dir)) {
    std::cout << "skipped EMOPIA: no " << dir.string() << "\n";
    return kExitOk;
  }
  const auto start = std::chrono::steady_clock::now();
  std::string sequence_note;
  std::optional<model::MelodyModel> sequence;
  auto sequence_file =
      engine::resolve_model_file(o.models, o.sequence_model, engine::kMelodyModelFile);
  if (!sequence_file) return report(sequence_file.error());
  if (!sequence_file->path.empty()) {
    auto loaded = load_sequence_model(sequence_file->path);
    if (!loaded) return report(loaded.error());
    sequence = std::move(*loaded);
  } else {
    sequence_note = "no sequence model (--sequence-model none): the surprise candidate is left out";
  }
  auto bar = bar_unless(o.quiet, "measuring EMOPIA clips");
  auto clips = model::read_emopia(
      dir, sequence ? &*sequence : nullptr, [&](std::size_t done, std::size_t total) {
        if (bar) bar->update(static_cast<double>(done) / static_cast<double>(total));
      });
  if (bar) bar->finish();
  if (!clips) return report(clips.error());
  if (!o.features_csv.empty()) {
    auto written = base::write_file_atomic(o.features_csv, model::emopia_features_csv(*clips));
    if (!written) return report(written.error());
  }
  const auto measured = std::chrono::steady_clock::now();
  model::EmotionEvalOptions eval_options;
  eval_options.with_sequence = sequence.has_value();
  const auto ev = model::evaluate_emotion(*clips, eval_options);
  const auto end = std::chrono::steady_clock::now();
  const double measure_s = std::chrono::duration<double>(measured - start).count();
  const double total_s = std::chrono::duration<double>(end - start).count();
  if (o.json) {
    nlohmann::json j;
    j["rows"] = nlohmann::json::array();
    for (const auto& r : ev.rows) {
      nlohmann::json row = {{"system", r.system},
                            {"condition", r.condition},
                            {"accuracy", {{"mean", r.accuracy.mean}, {"sd", r.accuracy.sd}}},
                            {"valence", {{"mean", r.valence.mean}, {"sd", r.valence.sd}}},
                            {"arousal", {{"mean", r.arousal.mean}, {"sd", r.arousal.sd}}},
                            {"examples", r.examples},
                            {"runs", r.runs}};
      if (r.confusion) row["confusion"] = *r.confusion;
      j["rows"].push_back(row);
    }
    j["chosen"] = ev.chosen;
    if (!sequence_note.empty()) j["skipped"] = sequence_note;
    j["anchors"] = {{"emopia_baseline", 0.684}, {"best_published", 0.752}};
    j["seconds"] = {{"features", measure_s}, {"total", total_s}};
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "EMOPIA (" << clips->size() << " clips): 4-quadrant accuracy, valence and arousal "
            << "binary accuracy, mean ± sd over seeds (CV: pooled over the 5 folds of a seed)\n";
  Table table({"system", "condition", "4Q", "valence", "arousal", "clips x runs"});
  for (const auto& r : ev.rows) {
    table.add({r.system, r.condition, spread_text(r.accuracy, r.runs),
               spread_text(r.valence, r.runs), spread_text(r.arousal, r.runs),
               base::cat(r.examples, " x ", r.runs)});
  }
  table.print(std::cout);
  std::cout << "anchors on the test split: 0.684 (EMOPIA authors' baseline), 0.752 (best "
               "published)\n";
  std::cout << "chosen by grouped CV: " << ev.chosen << "\n";
  if (!sequence_note.empty()) std::cout << sequence_note << "\n";
  for (const auto& r : ev.rows) {
    if (r.condition != "test split" || !r.confusion) continue;
    if (r.system != ev.chosen && r.system.rfind("shipped", 0) != 0) continue;
    std::cout << "confusion on the test split (rows actual, columns predicted; first seed): "
              << r.system << "\n";
    Table c({"", "Q1", "Q2", "Q3", "Q4"});
    for (std::size_t a = 0; a < 4; ++a) {
      std::vector<std::string> row = {"Q" + std::to_string(a + 1)};
      for (std::size_t p = 0; p < 4; ++p)
        row.push_back(std::to_string((*r.confusion)[a][p]));
      c.add(row);
    }
    c.print(std::cout);
  }
  std::cout << "took " << base::fixed(total_s, 1) << " s (features " << base::fixed(measure_s, 1)
            << " s)\n";
  return kExitOk;
}

}  // namespace

void add_emotion_commands(CLI::App& app, int& exit_code) {
  auto e = std::make_shared<EmotionOptions>();
  CLI::App* emotion = app.add_subcommand(
      "emotion", "Estimate the valence and arousal of a MIDI file, as a whole and over time");
  emotion->add_option("file", e->file, "The MIDI file")->required();
  emotion->add_flag("--json", e->json, "Print JSON");
  emotion->add_option("--plot", e->plot, "Write an SVG plot of valence and arousal over time");
  emotion->add_option("--model", e->model,
                      "An emotion model file (default: the shipped hand-set model)");
  emotion->add_option("--project", e->project, "A project whose cue's target curve to compare");
  emotion->add_option("--cue", e->cue, "The cue (e.g. 1M3) in --project");
  emotion->add_option("--sequence-model", e->sequence_model,
                      "A melody model (.duetmodel) for models that weight surprise");
  emotion->footer(
      "Valence and arousal run from -1 to 1; the quadrant is Q1 (high valence, high arousal),\n"
      "Q2 (low, high), Q3 (low, low) or Q4 (high, low). The curve has 8 s windows every 4 s.\n"
      "The beat is the file's tempo map when its notes follow it (a tempo event, and 70% of the\n"
      "onsets on its 16th or triplet grid); a performance's default map is ignored and the beat\n"
      "heard from the notes.\n"
      "Examples:\n"
      "  duet emotion cue.mid --plot cue.svg\n"
      "  duet emotion 1M3.mid --project film --cue 1M3 --plot 1M3.svg --json");
  emotion->callback([e, &exit_code] { exit_code = run_emotion(*e); });

  auto t = std::make_shared<EmotionTrainOptions>();
  CLI::App* train = app.add_subcommand(
      "emotion-train", "Train the opt-in emotion model on EMOPIA (non-commercial use only)");
  train->add_option("--emopia", t->emopia, "The EMOPIA folder (with midis/ and split/)")
      ->required();
  train->add_option("--out", t->out, "The model file to write (JSON)")->required();
  train->add_option("--seed", t->seed,
                    "Seed S (default 1): the choice is by grouped CV over seeds S..S+4");
  train->add_option("--sequence-model", t->sequence_model,
                    "Also try the sequence model's surprise features (a .duetmodel)");
  train->add_flag("--quiet", t->quiet, "No progress bar");
  train->footer(
      "Example:\n  duet emotion-train --emopia ../shared/data/emopia --out emopia.json\n"
      "  duet emotion song.mid --model emopia.json");
  train->callback([t, &exit_code] { exit_code = run_emotion_train(*t); });

  auto v = std::make_shared<EmotionEvalOptions>();
  CLI::App* eval = app.add_subcommand(
      "emotion-eval", "Measure the emotion estimator on EMOPIA (docs/emotion-evaluation.md)");
  eval->add_option("--data", v->data, "The shared data folder (default ../shared/data)");
  eval->add_option("--sequence-model", v->sequence_model,
                   "Melody model for the surprise features (default: the shipped "
                   "default.duetmodel; 'none' leaves them out)");
  add_models_option(*eval, v->models);
  eval->add_option("--features-csv", v->features_csv,
                   "Also write every clip's measured features (performed and score-like) as CSV");
  eval->add_flag("--json", v->json, "Print JSON");
  eval->add_flag("--quiet", v->quiet, "No progress bar");
  eval->callback([v, &exit_code] { exit_code = run_emotion_eval(*v); });
}

}  // namespace duet::cli
