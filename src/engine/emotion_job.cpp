#include "engine/emotion_job.h"

#include <cmath>
#include <cstdint>

#include "base/file.h"
#include "midi/smf.h"
#include "model/emotion_features.h"
#include "model/model_file.h"
#include "project/project.h"

namespace duet::engine {

namespace {

using base::ErrorKind;
using base::make_error;

// JSON numbers at 4 decimals: enough for a plot, and the same on every build.
double r4(double v) {
  return std::round(v * 1e4) / 1e4;
}

nlohmann::json reasons_json(const std::vector<model::EmotionReason>& reasons,
                            std::string_view dimension) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : reasons) {
    out.push_back({{"feature", model::feature_info(r.feature).name},
                   {"value", r4(r.value)},
                   {"standardised", r4(r.standardised)},
                   {"contribution", r4(r.contribution)},
                   {"reason", model::describe(r, dimension)}});
  }
  return out;
}

// The cue's emotion keyframes as the plot's target: seconds from the cue's in.
base::Result<std::vector<model::EmotionTarget>> cue_target(const std::filesystem::path& dir,
                                                           const spot::CueId& id) {
  auto p = project::Project::load(dir);
  if (!p) return p.error();
  auto found = p->cue(id);
  if (!found) return found.error();
  const spot::Cue* cue = *found;
  std::vector<model::EmotionTarget> target;
  for (const auto& k : cue->emotion.keys) {
    target.push_back(
        {time::to_seconds(k.at - cue->in).to_double(), k.value.valence, k.value.arousal});
  }
  return target;
}

}  // namespace

base::Result<EmotionReport> estimate_file_emotion(const EmotionRequest& request) {
  if (request.project.empty() != !request.cue) {
    return make_error(ErrorKind::invalid_input,
                      "a project and a cue go together: the cue's target curve comes from the "
                      "project");
  }
  auto bytes = base::read_file(request.file, std::uintmax_t{256} << 20);
  if (!bytes) return bytes.error();
  auto smf = midi::read_smf(*bytes);
  if (!smf) return smf.error().with_context(request.file.string());
  model::EmotionModel loaded;
  const model::EmotionModel* m = &model::default_emotion_model();
  if (!request.model.empty()) {
    auto l = model::load_emotion_model(request.model);
    if (!l) return l.error();
    loaded = std::move(*l);
    m = &loaded;
  }
  EmotionReport out;
  out.file = request.file;
  out.cue = request.cue;
  if (request.cue) {
    auto target = cue_target(request.project, *request.cue);
    if (!target) return target.error();
    out.target = std::move(*target);
  }
  model::EmotionOptions options;
  std::optional<model::MelodyModel> sequence;
  if (!request.sequence_model.empty()) {
    auto loaded_sequence = model::load_model(request.sequence_model);
    if (!loaded_sequence) return loaded_sequence.error();
    sequence = std::move(*loaded_sequence);
    options.sequence_model = &*sequence;
  }
  auto e = model::estimate_emotion(*m, smf->file, options);
  if (!e) return e.error().with_context(request.file.string());
  out.estimate = std::move(*e);
  out.model = request.model.empty() ? "shipped default, hand-set" : request.model;
  out.model_fingerprint = model::emotion_model_fingerprint(*m);
  if (!request.plot.empty()) {
    const std::string title =
        request.file.filename().string() +
        (request.cue ? " against the target of cue " + request.cue->to_string() : std::string());
    auto written = base::write_file_atomic(
        request.plot, model::emotion_plot_svg(out.estimate, out.target, title));
    if (!written) return written.error();
    out.plot = request.plot;
  }
  return out;
}

nlohmann::json to_json(const EmotionReport& report) {
  const model::EmotionEstimate& e = report.estimate;
  nlohmann::json j;
  j["file"] = report.file.string();
  j["model"] = report.model;
  j["model_fingerprint"] = report.model_fingerprint;
  j["valence"] = r4(e.whole.valence);
  j["arousal"] = r4(e.whole.arousal);
  j["quadrant"] = model::to_string(e.whole.quadrant);
  j["probabilities"] = nlohmann::json::array();
  for (double p : e.whole.probability)
    j["probabilities"].push_back(r4(p));
  j["bpm"] = r4(e.bpm);
  j["beat_from"] = e.beat_from_map ? "tempo map" : "notes";
  if (e.tempo_check) j["onsets_on_tempo_grid"] = r4(e.tempo_check->share());
  nlohmann::json features = nlohmann::json::object();
  for (int i = 0; i < model::kEmotionFeatureCount; ++i)
    features[std::string(model::feature_info(i).name)] =
        r4(e.features[static_cast<std::size_t>(i)]);
  j["features"] = features;
  j["reasons"] = {{"valence", reasons_json(e.valence_reasons, "valence")},
                  {"arousal", reasons_json(e.arousal_reasons, "arousal")}};
  j["curve"] = nlohmann::json::array();
  for (const auto& w : e.curve) {
    j["curve"].push_back({{"start", r4(w.start)},
                          {"end", r4(w.end)},
                          {"valence", r4(w.point.valence)},
                          {"arousal", r4(w.point.arousal)},
                          {"quadrant", model::to_string(w.point.quadrant)}});
  }
  if (report.cue) {
    j["cue"] = report.cue->to_string();
    j["target"] = nlohmann::json::array();
    for (const auto& t : report.target)
      j["target"].push_back(
          {{"time", r4(t.time)}, {"valence", r4(t.valence)}, {"arousal", r4(t.arousal)}});
  }
  if (!report.plot.empty()) j["plot"] = report.plot.string();
  return j;
}

}  // namespace duet::engine
