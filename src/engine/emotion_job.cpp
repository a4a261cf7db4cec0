#include "engine/emotion_job.h"

#include <cmath>
#include <cstdint>

#include "base/file.h"
#include "compose/score.h"
#include "midi/smf.h"
#include "model/emotion_features.h"
#include "model/model_file.h"
#include "project/project.h"
#include "spot/placement.h"
#include "time/timecode.h"

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

// The cue's emotion keyframes as the plot's target (seconds from the cue's in), its hits as
// marks, its in point and the project's rate (for timecode on the axis), and where the file
// starts against the in point (spot::place_midi).
struct CueContext {
  std::vector<model::EmotionTarget> target;
  std::vector<model::PlotMark> hits;
  time::TimePos in;
  time::FrameRate rate = time::FrameRate::fps24();
  time::TimePos music_at;  // where the file's tick 0 plays
};

base::Result<CueContext> cue_context(const std::filesystem::path& dir, const spot::CueId& id,
                                     const midi::MidiFile& file) {
  auto p = project::Project::load(dir);
  if (!p) return p.error();
  auto found = p->cue(id);
  if (!found) return found.error();
  const spot::Cue* cue = *found;
  CueContext out;
  out.in = cue->in;
  out.rate = p->manifest().picture.rate;
  out.music_at = spot::place_midi(file, *cue, out.rate).at;
  const auto from_in = [&](time::TimePos t) { return time::to_seconds(t - cue->in).to_double(); };
  for (const auto& k : cue->emotion.keys) {
    out.target.push_back({from_in(k.at), k.value.valence, k.value.arousal, k.value.tension});
  }
  for (const auto& h : cue->hits) {
    out.hits.push_back({from_in(h.at), h.label,
                        h.kind == spot::HitKind::hard ? model::PlotMark::Kind::hard_hit
                                                      : model::PlotMark::Kind::soft_hit});
  }
  return out;
}

// The sections of a file duet wrote (its "A: reason" markers), in seconds from its tick 0; none
// for a file without them.
std::vector<model::PlotMark> section_marks(const midi::MidiFile& file) {
  std::vector<model::PlotMark> out;
  auto score = compose::from_midi(file, time::TimePos(0));
  if (!score) return out;
  for (const auto& section : score->sections) {
    out.push_back({time::seconds(score->tempo_map.time_at(section.at) - time::TimePos(0)),
                   section.label, model::PlotMark::Kind::section});
  }
  return out;
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
  std::optional<CueContext> context;
  if (request.cue) {
    auto made = cue_context(request.project, *request.cue, smf->file);
    if (!made) return made.error();
    context = std::move(*made);
    out.target = context->target;
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
    model::EmotionPlotOptions plot;
    plot.title = title;
    plot.marks = section_marks(smf->file);
    if (context) {
      // On the cue's clock: 0 at its in point, labelled with timecode, with its hits.
      plot.music_offset = time::seconds(context->music_at - context->in);
      for (auto& mark : plot.marks)
        mark.time += plot.music_offset;
      plot.marks.insert(plot.marks.end(), context->hits.begin(), context->hits.end());
      plot.time_label = [in = context->in, rate = context->rate](double seconds) {
        return time::nearest_label(
            in + time::TimeDur(std::llround(seconds * time::kSuperclockPerSecond)), rate);
      };
    }
    auto written = base::write_file_atomic(request.plot,
                                           model::emotion_plot_svg(out.estimate, out.target, plot));
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
      j["target"].push_back({{"time", r4(t.time)},
                             {"valence", r4(t.valence)},
                             {"arousal", r4(t.arousal)},
                             {"tension", r4(t.tension)}});
  }
  if (!report.plot.empty()) j["plot"] = report.plot.string();
  return j;
}

}  // namespace duet::engine
