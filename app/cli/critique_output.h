// What duet compose and duet critique share: the critics' inputs from a project (hit tolerance,
// the melody model, the themes a cue tags) and the report of a judged score as text and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/candidates.h"
#include "compose/writer.h"
#include "model/mvs.h"
#include "project/project.h"

namespace duet::cli {

// The melody model for the tension and likelihood critics (and the writer): `path` when given,
// else models/default.duetmodel when it exists (nothing when it does not: those critics then say
// they could not judge).
base::Result<std::optional<model::MelodyModel>> load_melody_model(const std::string& path);
// The path load_melody_model reads for `path`: itself when given, else models/default.duetmodel
// when it exists, else "" (no melody model).
std::string melody_model_path(const std::string& path);

// Which models judged a score, for the reports: the emotion model (the shipped default, named by
// its fingerprint, or a file) and the melody model's path. Fills the critics' names too.
struct ModelsUsed {
  std::string emotion;              // "shipped default, hand-set" or the file's path
  std::string emotion_fingerprint;  // model::emotion_model_fingerprint
  std::string melody;               // the path, "" for none
};
ModelsUsed models_used(compose::CriticOptions& options, const std::string& melody_path);
// "models: emotion shipped default, hand-set (fingerprint 0123456789ab); melody
// models/default.duetmodel"
std::string models_text(const ModelsUsed& models);
nlohmann::json models_json(const ModelsUsed& models);

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
