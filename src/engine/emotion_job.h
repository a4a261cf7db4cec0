// The emotion job: a MIDI file's valence and arousal estimated (model/emotion_model.h), as a whole
// and over time, with the reasons, and, when asked, compared with a cue's target curve and
// plotted. Not project-level: a free function, which reads a project only for the target.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/emotion_model.h"
#include "model/emotion_plot.h"
#include "spot/cue.h"

namespace duet::engine {

struct EmotionRequest {
  std::filesystem::path file;  // the MIDI file
  std::string model;           // an emotion model file; "" for the shipped hand-set default
  std::string sequence_model;  // a melody model (.duetmodel) for models that weight surprise
  // A project and one of its cues, whose emotion curve is the target; both or neither.
  std::filesystem::path project;
  std::optional<spot::CueId> cue;
  std::filesystem::path plot;  // also write an SVG plot of the estimate (and target); "" none
};

struct EmotionReport {
  std::filesystem::path file;
  std::string model;              // "shipped default, hand-set" or the model file
  std::string model_fingerprint;  // model::emotion_model_fingerprint
  model::EmotionEstimate estimate;
  std::optional<spot::CueId> cue;
  std::vector<model::EmotionTarget> target;  // the cue's keyframes, seconds from its in
  std::filesystem::path plot;                // written, when asked
};

// Reads and estimates; writes only the plot, once the estimate is made. Fails naming the file
// that cannot be read, the model, or the cue the project lacks.
base::Result<EmotionReport> estimate_file_emotion(const EmotionRequest& request);

// As `duet emotion --json` prints it: {"arousal", "beat_from", "bpm", ["cue"], "curve":
// [{"arousal", "end", "quadrant", "start", "valence"}], "features", "file", "model",
// "model_fingerprint",
// ["onsets_on_tempo_grid"], ["plot"], "probabilities", "quadrant", "reasons": {"arousal",
// "valence"}, ["target"], "valence"}, numbers at 4 decimals.
nlohmann::json to_json(const EmotionReport& report);

}  // namespace duet::engine
