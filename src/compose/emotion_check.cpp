#include "compose/emotion_check.h"

#include <algorithm>

#include "compose/emotion_map.h"
#include "compose/sketch.h"

namespace duet::compose {
namespace {

void copy_control(MusicalControls& to, const MusicalControls& from, std::string_view name) {
  if (name == "tonic") to.tonic = from.tonic;
  if (name == "mode") to.mode = from.mode;
  if (name == "vocabulary") to.vocabulary = from.vocabulary;
  if (name == "tempo") to.tempo = from.tempo;
  if (name == "density") to.density = from.density;
  if (name == "activity") to.activity = from.activity;
  if (name == "register") to.register_span = from.register_span;
  if (name == "spacing") to.spacing = from.spacing;
  if (name == "dynamics") to.dynamics = from.dynamics;
  if (name == "legato") to.legato = from.legato;
  if (name == "palette") to.palette = from.palette;
  if (name == "harmonic_rhythm") to.harmonic_rhythm = from.harmonic_rhythm;
}

}  // namespace

double QuadrantCheck::accuracy() const {
  int n = 0, correct = 0;
  for (const auto& row : quadrants) {
    n += row.n;
    correct += row.correct;
  }
  return n ? static_cast<double>(correct) / n : 0;
}

base::Result<QuadrantCheck> check_quadrants(const model::EmotionModel& model,
                                            const QuadrantCheckOptions& options,
                                            const CheckProgress& progress) {
  if (options.magnitudes.empty() || options.tensions.empty() || options.seeds < 1) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "the quadrant check needs at least one magnitude, one tension and "
                            "one seed");
  }
  const MusicalControls neutral = controls_for({0, 0, 0});
  for (const std::string& name : options.neutral) {
    const auto& names = control_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return base::make_error(base::ErrorKind::invalid_input, "'", name,
                              "' is not a control (the controls are tonic, mode, vocabulary, "
                              "tempo, density, activity, register, spacing, dynamics, legato, "
                              "palette and harmonic_rhythm)");
    }
  }
  // Q1 v+ a+, Q2 v- a+, Q3 v- a-, Q4 v+ a-.
  static constexpr std::array<std::array<int, 2>, 4> kSigns = {
      {{1, 1}, {-1, 1}, {-1, -1}, {1, -1}}};
  QuadrantCheck out;
  out.by_tension.resize(options.tensions.size());
  const int total = 4 *
                    static_cast<int>(options.magnitudes.size() * options.magnitudes.size() *
                                     options.tensions.size()) *
                    options.seeds;
  int done = 0;
  for (int q = 0; q < 4; ++q) {
    QuadrantCheckRow& row = out.quadrants[static_cast<std::size_t>(q)];
    for (double vm : options.magnitudes) {
      for (double am : options.magnitudes) {
        for (std::size_t ti = 0; ti < options.tensions.size(); ++ti) {
          const EmotionPoint point{kSigns[static_cast<std::size_t>(q)][0] * vm,
                                   kSigns[static_cast<std::size_t>(q)][1] * am,
                                   options.tensions[ti]};
          MusicalControls controls = controls_for(point);
          for (const std::string& name : options.neutral)
            copy_control(controls, neutral, name);
          for (int seed = 1; seed <= options.seeds; ++seed) {
            SketchOptions so;
            so.seed = static_cast<std::uint64_t>(seed);
            so.bars = options.bars;
            auto sketch = make_sketch(controls, so);
            if (!sketch) return sketch.error();
            auto estimate = model::estimate_emotion(model, sketch->file);
            if (!estimate) return estimate.error();
            const model::EmotionPoint& got = estimate->whole;
            const int predicted = static_cast<int>(got.quadrant);
            for (QuadrantCheckRow* r : {&row, &out.by_tension[ti]}) {
              ++r->n;
              r->correct += predicted == q ? 1 : 0;
              r->valence_correct +=
                  model::high_valence(got.quadrant) == (point.valence > 0) ? 1 : 0;
              r->arousal_correct +=
                  model::high_arousal(got.quadrant) == (point.arousal > 0) ? 1 : 0;
              ++r->predicted[static_cast<std::size_t>(predicted)];
              r->mean_valence += got.valence;
              r->mean_arousal += got.arousal;
            }
            ++out.sketches;
            if (progress) progress(++done, total);
          }
        }
      }
    }
  }
  const auto finish = [](QuadrantCheckRow& r) {
    if (r.n == 0) return;
    r.mean_valence /= r.n;
    r.mean_arousal /= r.n;
  };
  for (QuadrantCheckRow& r : out.quadrants)
    finish(r);
  for (QuadrantCheckRow& r : out.by_tension)
    finish(r);
  return out;
}

}  // namespace duet::compose
