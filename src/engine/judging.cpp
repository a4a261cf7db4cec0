#include "engine/judging.h"

#include <algorithm>
#include <filesystem>

#include "base/file.h"
#include "base/text.h"
#include "compose/score.h"
#include "midi/smf.h"
#include "model/emotion_model.h"
#include "music/key_finding.h"
#include "music/theme.h"

namespace duet::engine {

namespace fs = std::filesystem;

time::TimeDur hit_tolerance(const project::Project& project) {
  const auto& m = project.manifest();
  return m.picture.rate.frame_duration() * m.settings.hit_tolerance_frames;
}

base::Result<std::vector<compose::BriefTheme>> cue_themes(const project::Project& project,
                                                          const spot::Cue& cue) {
  std::vector<compose::BriefTheme> out;
  for (const auto& t : project.manifest().themes) {
    if (std::find(cue.themes.begin(), cue.themes.end(), t.name) == cue.themes.end()) continue;
    compose::BriefTheme theme;
    theme.name = t.name;
    if (!t.melody.empty()) {
      // The registry's compact text (duet themes add), in the key it names.
      auto melody = music::parse_melody(t.melody);
      if (!melody) return melody.error().with_context("theme '" + t.name + "'");
      for (const auto& n : melody->notes)
        theme.notes.push_back({n.start, n.length, n.pitch, 80});
    } else if (!t.midi.empty()) {
      const fs::path path = project.dir() / t.midi;
      auto bytes = base::read_file(path);
      if (!bytes) return bytes.error();
      auto smf = midi::read_smf(*bytes);
      if (!smf) return smf.error().with_context(path.generic_string());
      auto score = compose::from_midi(smf->file, time::TimePos(0));
      if (!score) return score.error().with_context(path.generic_string());
      const compose::Part* part = compose::melody_part(*score);
      if (part == nullptr) {
        return base::make_error(base::ErrorKind::invalid_input, path.generic_string(),
                                ": the theme '", t.name, "' has no melody");
      }
      const model::Melody line = compose::melody_of(*part, score->tempo_map);
      if (line.notes.empty()) continue;
      const time::BeatPos first = line.notes.front().onset;
      for (const auto& n : line.notes)
        theme.notes.push_back({time::BeatPos(0) + (n.onset - first), n.duration, n.pitch, 80});
    } else {
      continue;
    }
    if (theme.notes.empty()) continue;
    if (!t.key.empty()) {
      auto key = music::parse_key(t.key);
      if (!key) return key.error().with_context("theme '" + t.name + "'");
      theme.key = *key;
    } else {
      std::vector<music::TimedNote> timed;
      for (const auto& n : theme.notes)
        timed.push_back({n.pitch, static_cast<double>(n.start.ticks()),
                         static_cast<double>(n.length.ticks()), 1.0});
      theme.key = music::to_key(music::find_key(music::pitch_class_histogram(timed)));
    }
    out.push_back(std::move(theme));
  }
  return out;
}

ModelsUsed models_used(compose::CriticOptions& options, const Models& loaded, bool chords_asked) {
  ModelsUsed m;
  const model::EmotionModel& em =
      options.emotion_model ? *options.emotion_model : model::default_emotion_model();
  m.emotion =
      options.emotion_model_name.empty() ? "shipped default, hand-set" : options.emotion_model_name;
  m.emotion_fingerprint = model::emotion_model_fingerprint(em);
  m.melody = loaded.melody_file;
  m.chords = loaded.chord_file;
  m.chords_asked = chords_asked;
  options.melody_model_name = m.melody.name();
  return m;
}

namespace {
std::string model_text(const ModelFile& f) {
  return f.path.empty() ? "none" : f.name() + " (hash " + f.hash + ")";
}
nlohmann::json model_json(const ModelFile& f) {
  if (f.path.empty()) return nullptr;
  return {{"file", f.name()}, {"hash", f.hash}};
}
}  // namespace

std::string models_text(const ModelsUsed& models) {
  std::string text = "models: emotion " + models.emotion + " (fingerprint " +
                     models.emotion_fingerprint + "); melody " + model_text(models.melody);
  if (models.chords_asked) text += "; chords " + model_text(models.chords);
  return text + "\n";
}

nlohmann::json models_json(const ModelsUsed& models) {
  nlohmann::json j = {{"emotion", models.emotion},
                      {"emotion_fingerprint", models.emotion_fingerprint},
                      {"melody", model_json(models.melody)}};
  if (models.chords_asked) j["chords"] = model_json(models.chords);
  return j;
}

std::string critique_text(const compose::Critique& critique, const std::string& indent) {
  std::string out;
  for (const auto& c : critique.critics) {
    std::string name(compose::to_string(c.kind));
    name.resize(std::max<std::size_t>(name.size(), 14), ' ');
    const std::string score = c.judged ? base::fixed(c.score, 2) : "  - ";
    for (std::size_t i = 0; i < c.reasons.size(); ++i) {
      if (i == 0) {
        out += indent + name + score + "  " + c.reasons[i] + "\n";
      } else {
        out += indent + std::string(name.size() + 6, ' ') + c.reasons[i] + "\n";
      }
    }
  }
  return out;
}

nlohmann::json critique_json(const compose::Critique& critique) {
  nlohmann::json critics = nlohmann::json::array();
  for (const auto& c : critique.critics) {
    nlohmann::json j;
    j["critic"] = std::string(compose::to_string(c.kind));
    j["judged"] = c.judged;
    if (c.judged) {
      j["score"] = c.score;
      j["measure"] = c.measure;
      j["unit"] = c.unit;
      j["count"] = c.count;
      j["of"] = c.of;
    }
    j["reasons"] = c.reasons;
    critics.push_back(std::move(j));
  }
  return critics;
}

}  // namespace duet::engine
