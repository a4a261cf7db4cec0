// What duet compose and duet critique share: the critics' inputs from a project (hit tolerance,
// the melody model, the themes a cue tags) and the report of a judged score as text and JSON.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/candidates.h"
#include "compose/writer.h"
#include "engine/models.h"
#include "model/mvs.h"
#include "project/project.h"

namespace duet::cli {

// Which models judged a score, for the reports: the emotion model (the shipped default, named by
// its fingerprint, or a file), the melody model and, for compose, the writer's chord model (each
// named and hashed, engine/models.h). Fills the critics' names too.
struct ModelsUsed {
  std::string emotion;              // "shipped default, hand-set" or the file's path
  std::string emotion_fingerprint;  // model::emotion_model_fingerprint
  engine::ModelFile melody;         // path "" for none
  engine::ModelFile chords;
  bool chords_asked = false;  // the job uses a chord model (compose), so reports name it
};
ModelsUsed models_used(compose::CriticOptions& options, const engine::Models& loaded);
// "models: emotion shipped default, hand-set (fingerprint 0123456789ab); melody
// default.duetmodel (shipped) (hash 0123456789abcdef)"
std::string models_text(const ModelsUsed& models);
nlohmann::json models_json(const ModelsUsed& models);

// --models DIR, for every command that reads the shipped models (engine::find_models_dir).
void add_models_option(CLI::App& command, std::string& dir);

// The project's hit tolerance as a duration (frames at the picture's rate).
time::TimeDur hit_tolerance(const project::Project& project);

// The project's themes that `cue` tags, with their melody (the registry's text, else the melody
// part of its MIDI file from beat 0) and key (the registry's, else estimated from the notes);
// themes with neither are left out. Fails when a tagged theme's text or file cannot be read.
base::Result<std::vector<compose::BriefTheme>> cue_themes(const project::Project& project,
                                                          const spot::Cue& cue);

// One judged score: "  sync           1.00  lands 3 of 3 hard hits" and its other reasons, one
// critic after the other in CriticKind order (sync ... likelihood, then the craft critics
// orchestration, harmony, rhythm and form).
std::string critique_text(const compose::Critique& critique, const std::string& indent);
nlohmann::json critique_json(const compose::Critique& critique);

}  // namespace duet::cli
