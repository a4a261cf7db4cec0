// duet sketch: the musical controls for a point of feeling, with their reasons and the composer's
// overrides, and a short MIDI sketch made from them; --check measures the mapping against the
// emotion estimator.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "compose/emotion_check.h"
#include "compose/emotion_map.h"
#include "compose/sketch.h"
#include "midi/gm.h"
#include "midi/smf.h"
#include "model/emotion_model.h"
#include "output.h"

namespace duet::cli {
namespace {

struct SketchOptions {
  double valence = 0, arousal = 0, tension = 0;
  double trend_valence = 0, trend_arousal = 0, trend_tension = 0;
  std::uint64_t seed = 1;
  int bars = 8;
  std::vector<std::string> settings;
  std::string out;
  bool json = false;
  bool check = false;
  int seeds = 10;
  std::string model;
  std::vector<std::string> neutral;
};

nlohmann::json value_json(const compose::MusicalControls& c, std::string_view name) {
  if (name == "tonic") return c.tonic.value;
  if (name == "mode") return std::string(music::to_string(c.mode.value));
  if (name == "vocabulary") {
    const auto& v = c.vocabulary.value;
    return {{"modal_mixture", v.modal_mixture},
            {"chromatic_mediants", v.chromatic_mediants},
            {"suspensions", v.suspensions},
            {"clusters", v.clusters}};
  }
  if (name == "tempo") {
    const auto& t = c.tempo.value;
    return {{"min_bpm", t.min_bpm}, {"max_bpm", t.max_bpm}, {"drift", t.drift}};
  }
  if (name == "density") return c.density.value;
  if (name == "activity") return c.activity.value;
  if (name == "register") {
    const auto& r = c.register_span.value;
    return {{"centre", r.centre}, {"span", r.span}, {"low", r.low()}, {"high", r.high()}};
  }
  if (name == "spacing") return c.spacing.value;
  if (name == "dynamics") {
    const auto& d = c.dynamics.value;
    return {{"min_velocity", d.min_velocity},
            {"max_velocity", d.max_velocity},
            {"crescendo", d.crescendo}};
  }
  if (name == "legato") return c.legato.value;
  if (name == "palette") {
    const auto& p = c.palette.value;
    return {{"melody", p.melody}, {"accompaniment", p.accompaniment}, {"bass", p.bass}};
  }
  return c.harmonic_rhythm.value;
}

int run_check(const SketchOptions& o) {
  model::EmotionModel loaded;
  const model::EmotionModel* m = &model::default_emotion_model();
  if (!o.model.empty()) {
    auto file = model::load_emotion_model(o.model);
    if (!file) return report(file.error());
    loaded = *file;
    m = &loaded;
  }
  compose::QuadrantCheckOptions options;
  options.seeds = o.seeds;
  options.bars = o.bars;
  for (const std::string& name : o.neutral) {
    if (name == "all") {
      for (std::string_view n : compose::control_names())
        options.neutral.emplace_back(n);
    } else {
      options.neutral.push_back(name);
    }
  }
  auto check = compose::check_quadrants(*m, options);
  if (!check) return report(check.error());
  const auto row_json = [](const compose::QuadrantCheckRow& r) {
    return nlohmann::json{{"n", r.n},
                          {"accuracy", r.accuracy()},
                          {"valence_correct", r.valence_correct},
                          {"arousal_correct", r.arousal_correct},
                          {"predicted", r.predicted},
                          {"mean_valence", r.mean_valence},
                          {"mean_arousal", r.mean_arousal}};
  };
  if (o.json) {
    nlohmann::json j;
    j["model"] = o.model.empty() ? "default" : o.model;
    j["magnitudes"] = options.magnitudes;
    j["tensions"] = options.tensions;
    j["seeds"] = options.seeds;
    j["bars"] = options.bars;
    j["neutral"] = options.neutral;
    j["sketches"] = check->sketches;
    j["accuracy"] = check->accuracy();
    nlohmann::json quadrants = nlohmann::json::array();
    for (std::size_t q = 0; q < 4; ++q) {
      nlohmann::json row = row_json(check->quadrants[q]);
      row["intended"] = "Q" + std::to_string(q + 1);
      quadrants.push_back(row);
    }
    j["quadrants"] = quadrants;
    nlohmann::json tensions = nlohmann::json::array();
    for (std::size_t t = 0; t < check->by_tension.size(); ++t) {
      nlohmann::json row = row_json(check->by_tension[t]);
      row["tension"] = options.tensions[t];
      tensions.push_back(row);
    }
    j["by_tension"] = tensions;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::string magnitudes, tensions;
  for (double v : options.magnitudes)
    magnitudes += (magnitudes.empty() ? "" : " ") + base::fixed(v, 1);
  for (double t : options.tensions)
    tensions += (tensions.empty() ? "" : " ") + base::fixed(t, 1);
  std::cout << "quadrant check: " << check->sketches << " sketches of " << options.bars
            << " bars (|valence| and |arousal| " << magnitudes << "; tension " << tensions
            << "; seeds 1.." << options.seeds << "), "
            << (o.model.empty() ? "default emotion model" : o.model) << "\n";
  if (!options.neutral.empty()) {
    std::string names;
    for (const std::string& n : options.neutral)
      names += (names.empty() ? "" : ", ") + n;
    std::cout << "held neutral (the mapping's values at valence 0, arousal 0, tension 0): " << names
              << "\n";
  }
  std::cout << "\n";
  Table table({"intended", "sketches", "in quadrant", "valence sign", "arousal sign", "-> Q1", "Q2",
               "Q3", "Q4", "mean valence", "mean arousal"});
  const auto add = [&](const std::string& label, const compose::QuadrantCheckRow& r) {
    table.add({label, std::to_string(r.n), base::fixed(r.accuracy(), 3),
               base::fixed(static_cast<double>(r.valence_correct) / r.n, 3),
               base::fixed(static_cast<double>(r.arousal_correct) / r.n, 3),
               std::to_string(r.predicted[0]), std::to_string(r.predicted[1]),
               std::to_string(r.predicted[2]), std::to_string(r.predicted[3]),
               base::fixed(r.mean_valence, 2), base::fixed(r.mean_arousal, 2)});
  };
  for (std::size_t q = 0; q < 4; ++q)
    add("Q" + std::to_string(q + 1), check->quadrants[q]);
  table.print(std::cout);
  std::cout << "\n";
  Table tensions_table({"tension", "sketches", "in quadrant", "valence sign", "arousal sign"});
  for (std::size_t t = 0; t < check->by_tension.size(); ++t) {
    const compose::QuadrantCheckRow& r = check->by_tension[t];
    tensions_table.add({base::fixed(options.tensions[t], 1), std::to_string(r.n),
                        base::fixed(r.accuracy(), 3),
                        base::fixed(static_cast<double>(r.valence_correct) / r.n, 3),
                        base::fixed(static_cast<double>(r.arousal_correct) / r.n, 3)});
  }
  tensions_table.print(std::cout);
  std::cout << "\nall quadrants: " << base::fixed(check->accuracy(), 3)
            << " in the intended quadrant (goal: 0.900 in each)\n";
  return kExitOk;
}

int run_sketch(const SketchOptions& o) {
  const compose::EmotionPoint point{o.valence, o.arousal, o.tension};
  const compose::EmotionTrend trend{o.trend_valence, o.trend_arousal, o.trend_tension};
  const compose::MusicalControls mapped = compose::controls_for(point, trend);
  compose::ControlOverrides overrides;
  for (const std::string& setting : o.settings) {
    if (auto ok = compose::parse_override(setting, mapped, overrides); !ok) {
      return usage_error(ok.error().message);
    }
  }
  auto controls = compose::apply_overrides(mapped, overrides);
  if (!controls) return usage_error(controls.error().message + "; change the --set value");

  compose::SketchOptions sketch_options;
  sketch_options.seed = o.seed;
  sketch_options.bars = o.bars;
  std::optional<compose::Sketch> sketch;
  if (!o.out.empty()) {
    auto made = compose::make_sketch(*controls, sketch_options);
    if (!made) return report(made.error());
    auto bytes = midi::write_smf(made->file);
    if (!bytes) return report(bytes.error());
    if (auto ok = base::write_file_atomic(o.out, *bytes); !ok) return report(ok.error());
    sketch = std::move(*made);
  }

  if (o.json) {
    nlohmann::json j;
    j["point"] = {{"valence", o.valence}, {"arousal", o.arousal}, {"tension", o.tension}};
    j["trend"] = {
        {"valence", o.trend_valence}, {"arousal", o.trend_arousal}, {"tension", o.trend_tension}};
    nlohmann::json list = nlohmann::json::array();
    for (std::string_view name : compose::control_names()) {
      list.push_back({{"control", name},
                      {"value", value_json(*controls, name)},
                      {"text", compose::describe(*controls, name)},
                      {"reason", compose::reason_of(*controls, name)},
                      {"overridden", compose::is_overridden(*controls, name)}});
    }
    j["controls"] = list;
    if (sketch) {
      nlohmann::json chords = nlohmann::json::array();
      for (const auto& c : sketch->chords) {
        chords.push_back({{"beat", c.beat},
                          {"beats", c.beats},
                          {"symbol", c.symbol},
                          {"role", c.role},
                          {"suspension", c.suspension},
                          {"cluster", c.cluster}});
      }
      j["sketch"] = {{"file", o.out},
                     {"seed", o.seed},
                     {"bars", o.bars},
                     {"start_bpm", sketch->start_bpm},
                     {"end_bpm", sketch->end_bpm},
                     {"notes", sketch->notes},
                     {"chords", chords}};
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }

  std::cout << "valence " << base::fixed(o.valence, 2) << ", arousal " << base::fixed(o.arousal, 2)
            << ", tension " << base::fixed(o.tension, 2);
  if (trend.valence != 0 || trend.arousal != 0 || trend.tension != 0) {
    std::cout << "; heading " << base::fixed(trend.valence, 2) << ", "
              << base::fixed(trend.arousal, 2) << ", " << base::fixed(trend.tension, 2);
  }
  std::cout << "\n\n";
  Table table({"control", "value", "reason"});
  bool any_set = false;
  for (std::string_view name : compose::control_names()) {
    const bool set = compose::is_overridden(*controls, name);
    any_set = any_set || set;
    table.add({std::string(name) + (set ? " *" : ""), compose::describe(*controls, name),
               std::string(compose::reason_of(*controls, name))});
  }
  table.print(std::cout);
  if (any_set) std::cout << "* set by the composer\n";
  if (sketch) {
    std::cout << "\nchords ";
    for (const auto& c : sketch->chords) {
      std::cout << " " << c.symbol;
      if (c.role != "diatonic") std::cout << " (" << c.role << ")";
    }
    std::cout << "\nwrote " << o.out << ": " << o.bars << " bars of 4/4, "
              << base::fixed(sketch->start_bpm, 1) << " -> " << base::fixed(sketch->end_bpm, 1)
              << " BPM, " << sketch->notes << " notes, seed " << o.seed << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_sketch_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<SketchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sketch", "The musical controls for a feeling, and a short MIDI sketch made from them");
  cmd->add_option("--valence", o->valence, "Valence, -1 (negative) .. 1 (positive); default 0")
      ->check(CLI::Range(-1.0, 1.0));
  cmd->add_option("--arousal", o->arousal, "Arousal, -1 (calm) .. 1 (excited); default 0")
      ->check(CLI::Range(-1.0, 1.0));
  cmd->add_option("--tension", o->tension, "Tension, 0 (resolved) .. 1; default 0")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--trend-valence", o->trend_valence,
                  "Change of valence over the passage (end minus start), -2..2")
      ->check(CLI::Range(-2.0, 2.0));
  cmd->add_option("--trend-arousal", o->trend_arousal,
                  "Change of arousal over the passage: > 0 grows (crescendo, accelerando)")
      ->check(CLI::Range(-2.0, 2.0));
  cmd->add_option("--trend-tension", o->trend_tension,
                  "Change of tension over the passage: > 0 builds (faster harmony)")
      ->check(CLI::Range(-1.0, 1.0));
  cmd->add_option("--set", o->settings,
                  "Set a control yourself, name=value (repeatable): tonic=D mode=dorian "
                  "tempo=90 or 80-100, drift, density, activity, register=67:14, spacing, "
                  "velocity=40-70, crescendo, legato, palette=73,48,43, harmonic_rhythm, "
                  "modal_mixture, chromatic_mediants, suspensions, clusters");
  cmd->add_option("--seed", o->seed,
                  "Seed of the sketch (default 1): the same seed, the same file");
  cmd->add_option("--bars", o->bars, "Bars of 4/4 in the sketch (default 8)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--out", o->out, "Write the sketch to this .mid file");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_flag("--check", o->check,
                "Instead: sketch a grid of points in each quadrant and report how often the "
                "emotion estimator puts them back in it");
  cmd->add_option("--seeds", o->seeds, "--check: seeds per point (default 10)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--model", o->model, "--check: an emotion model file (default: the shipped one)");
  cmd->add_option("--neutral", o->neutral,
                  "--check: hold these controls at the neutral point's values (repeatable, or "
                  "comma-separated; 'all' for the baseline): what each cue carries")
      ->delimiter(',');
  cmd->footer(
      "Each control comes with the reason the mapping chose it (docs/emotion-mapping.md cites the\n"
      "sources); controls you --set are marked with *. Examples:\n"
      "  duet sketch --valence 0.7 --arousal 0.6 --out joy.mid\n"
      "  duet sketch --valence -0.6 --arousal -0.5 --tension 0.4 --set mode=dorian --set tempo=60\n"
      "  duet sketch --valence 0.2 --arousal 0 --trend-arousal 0.8 --out build.mid --json\n"
      "  duet sketch --check");
  cmd->callback([o, &exit_code] { exit_code = o->check ? run_check(*o) : run_sketch(*o); });
}

}  // namespace duet::cli
