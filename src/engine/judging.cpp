#include "engine/judging.h"

#include <algorithm>

#include "base/text.h"
#include "engine/themes_job.h"
#include "model/emotion_model.h"
#include "sync/check.h"

namespace duet::engine {

time::TimeDur hit_tolerance(const project::Manifest& manifest) {
  return sync::tolerance_ticks(manifest.settings.hit_tolerance_frames, manifest.picture.rate);
}

time::TimeDur hit_tolerance(const project::Project& project) {
  return hit_tolerance(project.manifest());
}

base::Result<std::vector<compose::BriefTheme>> cue_themes(const project::Project& project,
                                                          const spot::Cue& cue) {
  std::vector<compose::BriefTheme> out;
  for (const auto& t : project.manifest().themes) {
    if (std::find(cue.themes.begin(), cue.themes.end(), t.name) == cue.themes.end()) continue;
    auto music = theme_music(project, t);
    if (!music) return music.error();
    if (!*music) continue;
    compose::BriefTheme theme;
    theme.name = t.name;
    for (const auto& n : (*music)->melody.notes)
      theme.notes.push_back({n.start, n.length, n.pitch, 80});
    theme.key = (*music)->key;
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
