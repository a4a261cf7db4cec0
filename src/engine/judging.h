// What the jobs that write or judge a cue share (compose, critique, the craft bench): the critics'
// inputs from a project (the hit tolerance, the themes a cue tags) and a judged score's report as
// text and JSON, so that every face prints the same.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/critics.h"
#include "compose/writer.h"
#include "engine/models.h"
#include "project/project.h"

namespace duet::engine {

// The project's hit tolerance as a duration (its frames at the picture's rate, rounded down to a
// superclock tick, as sync::tolerance_ticks makes every tolerance).
time::TimeDur hit_tolerance(const project::Manifest& manifest);
time::TimeDur hit_tolerance(const project::Project& project);

// The project's themes that `cue` tags, each read by theme_music (themes_job.h: the registry's
// text, else the melody part of its MIDI file; the registry's key, else found from the notes);
// themes with neither, or with no notes, are left out. Fails when a tagged theme's text or file
// cannot be read.
base::Result<std::vector<compose::BriefTheme>> cue_themes(const project::Project& project,
                                                          const spot::Cue& cue);

// Which models judged a score, for the reports: the emotion model (the shipped default, named by
// its fingerprint, or a file), the melody model and, where the job writes, the chord model (each
// named and hashed).
struct ModelsUsed {
  std::string emotion;              // "shipped default, hand-set" or the file's path
  std::string emotion_fingerprint;  // model::emotion_model_fingerprint
  ModelFile melody;                 // path "" for none
  ModelFile chords;
  bool chords_asked = false;  // the job writes (compose), so reports name the chord model
};
// Names the models `loaded` and `options` hold, and fills the critics' name of the melody model.
ModelsUsed models_used(compose::CriticOptions& options, const Models& loaded, bool chords_asked);
// "models: emotion shipped default, hand-set (fingerprint 0123456789ab); melody
// default.duetmodel (shipped) (hash 0123456789abcdef)\n"
std::string models_text(const ModelsUsed& models);
nlohmann::json models_json(const ModelsUsed& models);

// One judged score: "  sync           1.00  lands 3 of 3 hard hits" and its other reasons, one
// critic after the other in CriticKind order.
std::string critique_text(const compose::Critique& critique, const std::string& indent);
nlohmann::json critique_json(const compose::Critique& critique);

}  // namespace duet::engine
