#include "model/emotion_model.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "base/file.h"
#include "base/hash.h"
#include "base/text.h"
#include "midi/timing.h"

namespace duet::model {

// Defined in the generated emotion_default_model.cpp (models/emotion-default.json).
extern const char* const kDefaultEmotionModelJson;

namespace {

double sigmoid(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Standardised features are clamped to +-3: music unlike the training data (a feature five
// standard deviations out) must not let one linear term swamp the others.
constexpr double kMaxZ = 3.0;

// Whether feature i is known in f. Even velocities (score-like MIDI, a sequencer's default,
// dynamics 0) say nothing of how loud the music is meant to be: the performance features are
// then unknown.
bool known(std::size_t i, const EmotionFeatures& f) {
  return !feature_info(static_cast<int>(i)).performance ||
         f[static_cast<std::size_t>(EmotionFeature::dynamics)] >= 1e-9;
}

// An unknown feature stands at its centre (z = 0).
EmotionFeatures standardise(const EmotionModel& m, const EmotionFeatures& f) {
  EmotionFeatures z{};
  for (std::size_t i = 0; i < z.size(); ++i) {
    z[i] = m.used[i] && known(i, f) ? std::clamp((f[i] - m.centre[i]) / m.scale[i], -kMaxZ, kMaxZ)
                                    : 0.0;
  }
  return z;
}

double score(const EmotionHead& h, const EmotionFeatures& z) {
  double s = h.bias;
  for (std::size_t i = 0; i < z.size(); ++i)
    s += h.weights[i] * z[i];
  return s;
}

// The mlp's quadrant scores (before the softmax) for standardised features.
std::array<double, 4> mlp_scores(const EmotionMlp& mlp, const EmotionFeatures& z) {
  std::array<double, 4> s = mlp.output_bias;
  for (std::size_t j = 0; j < mlp.hidden.size(); ++j) {
    const double h = std::tanh(score(mlp.hidden[j], z));
    for (std::size_t k = 0; k < 4; ++k)
      s[k] += mlp.output[k][j] * h;
  }
  return s;
}

// Softmax of four scores, in place.
void softmax4(std::array<double, 4>& s) {
  const double top = *std::max_element(s.begin(), s.end());
  double total = 0;
  for (double& v : s)
    total += (v = std::exp(v - top));
  for (double& v : s)
    v /= total;
}

// The mlp's log-odds of high valence (dimension 0) or high arousal (1).
double mlp_log_odds(const EmotionMlp& mlp, const EmotionFeatures& z, int dimension) {
  auto p = mlp_scores(mlp, z);
  softmax4(p);
  const double high = dimension == 0 ? p[0] + p[3] : p[0] + p[1];
  return std::log(std::max(high, 1e-12)) - std::log(std::max(1 - high, 1e-12));
}

// The effective linear weights of valence (dimension 0) or arousal (1).
EmotionFeatures effective_weights(const EmotionModel& m, int dimension) {
  if (m.kind == EmotionModel::Kind::heads) {
    return dimension == 0 ? m.valence.weights : m.arousal.weights;
  }
  EmotionFeatures w{};
  for (std::size_t k = 0; k < 4; ++k) {
    const auto q = static_cast<Quadrant>(k);
    const bool high = dimension == 0 ? high_valence(q) : high_arousal(q);
    for (std::size_t i = 0; i < w.size(); ++i)
      w[i] += (high ? 0.5 : -0.5) * m.quadrants[k].weights[i];
  }
  return w;
}

std::vector<EmotionReason> reasons(const EmotionModel& m, const EmotionFeatures& f, int dimension) {
  const auto z = standardise(m, f);
  std::vector<EmotionReason> out;
  if (m.kind == EmotionModel::Kind::mlp) {
    // Occlusion: what the feature adds to the log-odds over being at its centre (z = 0).
    const double full = mlp_log_odds(m.mlp, z, dimension);
    for (std::size_t i = 0; i < z.size(); ++i) {
      if (!m.used[i]) continue;
      auto without = z;
      without[i] = 0;
      out.push_back({static_cast<EmotionFeature>(i), f[i], z[i],
                     full - mlp_log_odds(m.mlp, without, dimension)});
    }
  } else {
    const auto w = effective_weights(m, dimension);
    for (std::size_t i = 0; i < z.size(); ++i) {
      if (!m.used[i] || w[i] == 0) continue;
      out.push_back({static_cast<EmotionFeature>(i), f[i], z[i], w[i] * z[i]});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const EmotionReason& a, const EmotionReason& b) {
    return std::fabs(a.contribution) > std::fabs(b.contribution);
  });
  return out;
}

// Model numbers are bounded so that no score can overflow to infinity (and infinities to NaN).
constexpr double kMaxNumber = 1e6, kMinScale = 1e-6;
bool in_range(const nlohmann::json& v) {
  return v.is_number() && std::isfinite(v.get<double>()) &&
         std::fabs(v.get<double>()) <= kMaxNumber;
}

base::Error bad(std::string_view where, std::string_view path, std::string_view what) {
  return base::make_error(base::ErrorKind::invalid_input, where, ": ", path, ": ", what);
}

base::Result<EmotionHead> read_head(const nlohmann::json& j, std::string_view where,
                                    const std::string& path, const EmotionModel& m) {
  if (!j.is_object()) return bad(where, path, "expected an object with \"bias\" and \"weights\"");
  EmotionHead h;
  if (j.contains("bias")) {
    if (!in_range(j["bias"]))
      return bad(where, path + "/bias", "expected a number between -1e6 and 1e6");
    h.bias = j["bias"].get<double>();
  }
  if (j.contains("weights")) {
    const auto& w = j["weights"];
    if (!w.is_object())
      return bad(where, path + "/weights", "expected an object of feature weights");
    for (const auto& [name, value] : w.items()) {
      const int i = feature_index(name);
      if (i < 0 || !m.used[static_cast<std::size_t>(i)]) {
        return bad(where, path + "/weights/" + name,
                   "not a feature of this model (list it in \"features\")");
      }
      if (!in_range(value))
        return bad(where, path + "/weights/" + name, "expected a number between -1e6 and 1e6");
      h.weights[static_cast<std::size_t>(i)] = value.get<double>();
    }
  }
  return h;
}

nlohmann::json write_head(const EmotionModel& m, const EmotionHead& h) {
  nlohmann::json w = nlohmann::json::object();
  for (int i = 0; i < kEmotionFeatureCount; ++i) {
    if (m.used[static_cast<std::size_t>(i)])
      w[std::string(feature_info(i).name)] = h.weights[static_cast<std::size_t>(i)];
  }
  return {{"bias", h.bias}, {"weights", w}};
}

// Trains kind mlp on standardised features: the mean log loss of the 4-way softmax + l2/2 times
// the squared weights (not the biases), by full-batch Adam (Kingma & Ba 2015) from a start drawn
// by the seed (Glorot-like scales). Single-threaded in a fixed order, so a seed gives the same
// model on every run.
void train_mlp(EmotionModel& m, const std::vector<EmotionFeatures>& z, std::span<const int> y,
               const EmotionTrainOptions& o) {
  const auto hidden = static_cast<std::size_t>(std::clamp(o.hidden, 1, kMaxEmotionHidden));
  constexpr std::size_t kF = kEmotionFeatureCount;
  std::size_t used = 0;
  for (bool u : m.used)
    used += u;
  // Parameters, flattened: U (hidden x kF), c (hidden), V (4 x hidden), b (4).
  const std::size_t u0 = 0, c0 = hidden * kF, v0 = c0 + hidden, b0 = v0 + 4 * hidden;
  const std::size_t count = b0 + 4;
  std::vector<double> theta(count, 0.0), grad(count), first(count, 0.0), second(count, 0.0);
  std::vector<bool> penalised(count, false);
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> in_init(
      0.0, 1.0 / std::sqrt(static_cast<double>(std::max<std::size_t>(used, 1))));
  std::normal_distribution<double> out_init(0.0, 1.0 / std::sqrt(static_cast<double>(hidden)));
  for (std::size_t j = 0; j < hidden; ++j) {
    for (std::size_t i = 0; i < kF; ++i) {
      if (!m.used[i]) continue;
      theta[u0 + j * kF + i] = in_init(rng);
      penalised[u0 + j * kF + i] = true;
    }
  }
  for (std::size_t k = 0; k < 4 * hidden; ++k) {
    theta[v0 + k] = out_init(rng);
    penalised[v0 + k] = true;
  }
  const double n = static_cast<double>(z.size());
  constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEpsilon = 1e-8;
  std::vector<double> h(hidden), dh(hidden);
  for (int it = 1; it <= o.iterations; ++it) {
    std::fill(grad.begin(), grad.end(), 0.0);
    for (std::size_t e = 0; e < z.size(); ++e) {
      for (std::size_t j = 0; j < hidden; ++j) {
        double a = theta[c0 + j];
        const double* row = &theta[u0 + j * kF];
        for (std::size_t i = 0; i < kF; ++i)
          a += row[i] * z[e][i];
        h[j] = std::tanh(a);
      }
      std::array<double, 4> p{};
      for (std::size_t k = 0; k < 4; ++k) {
        p[k] = theta[b0 + k];
        for (std::size_t j = 0; j < hidden; ++j)
          p[k] += theta[v0 + k * hidden + j] * h[j];
      }
      softmax4(p);
      std::fill(dh.begin(), dh.end(), 0.0);
      for (std::size_t k = 0; k < 4; ++k) {
        const double d = p[k] - (static_cast<int>(k) == y[e] ? 1.0 : 0.0);
        grad[b0 + k] += d;
        for (std::size_t j = 0; j < hidden; ++j) {
          grad[v0 + k * hidden + j] += d * h[j];
          dh[j] += d * theta[v0 + k * hidden + j];
        }
      }
      for (std::size_t j = 0; j < hidden; ++j) {
        const double da = dh[j] * (1 - h[j] * h[j]);
        grad[c0 + j] += da;
        double* row = &grad[u0 + j * kF];
        for (std::size_t i = 0; i < kF; ++i)
          row[i] += da * z[e][i];  // z is 0 for unused features
      }
    }
    const double correct1 = 1 - std::pow(kBeta1, it), correct2 = 1 - std::pow(kBeta2, it);
    for (std::size_t q = 0; q < count; ++q) {
      if (q < c0 && !penalised[q]) continue;  // an unused feature's weight stays 0
      const double g = grad[q] / n + (penalised[q] ? o.l2 * theta[q] : 0.0);
      first[q] = kBeta1 * first[q] + (1 - kBeta1) * g;
      second[q] = kBeta2 * second[q] + (1 - kBeta2) * g * g;
      theta[q] -=
          o.learning_rate * (first[q] / correct1) / (std::sqrt(second[q] / correct2) + kEpsilon);
    }
  }
  m.mlp = EmotionMlp{};
  m.mlp.hidden.resize(hidden);
  for (std::size_t j = 0; j < hidden; ++j) {
    m.mlp.hidden[j].bias = theta[c0 + j];
    for (std::size_t i = 0; i < kF; ++i)
      m.mlp.hidden[j].weights[i] = theta[u0 + j * kF + i];
  }
  for (std::size_t k = 0; k < 4; ++k) {
    m.mlp.output_bias[k] = theta[b0 + k];
    m.mlp.output[k].assign(theta.begin() + static_cast<long>(v0 + k * hidden),
                           theta.begin() + static_cast<long>(v0 + (k + 1) * hidden));
  }
}

}  // namespace

std::string_view to_string(Quadrant q) {
  static constexpr std::array<std::string_view, 4> kNames = {"Q1", "Q2", "Q3", "Q4"};
  return kNames[static_cast<std::size_t>(q)];
}
Quadrant quadrant_of(bool hv, bool ha) {
  if (ha) return hv ? Quadrant::q1 : Quadrant::q2;
  return hv ? Quadrant::q4 : Quadrant::q3;
}
bool high_valence(Quadrant q) {
  return q == Quadrant::q1 || q == Quadrant::q4;
}
bool high_arousal(Quadrant q) {
  return q == Quadrant::q1 || q == Quadrant::q2;
}

EmotionPoint apply_model(const EmotionModel& m, const EmotionFeatures& f) {
  const auto z = standardise(m, f);
  EmotionPoint p;
  if (m.kind == EmotionModel::Kind::heads) {
    const double pv = sigmoid(score(m.valence, z));
    const double pa = sigmoid(score(m.arousal, z));
    p.valence = 2 * pv - 1;
    p.arousal = 2 * pa - 1;
    p.probability = {pv * pa, (1 - pv) * pa, (1 - pv) * (1 - pa), pv * (1 - pa)};
    p.quadrant = quadrant_of(pv >= 0.5, pa >= 0.5);
    return p;
  }
  std::array<double, 4> s{};
  if (m.kind == EmotionModel::Kind::mlp) {
    s = mlp_scores(m.mlp, z);
  } else {
    for (std::size_t k = 0; k < 4; ++k)
      s[k] = score(m.quadrants[k], z);
  }
  softmax4(s);
  p.probability = s;
  std::size_t best = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (p.probability[k] > p.probability[best]) best = k;
  }
  const auto& pr = p.probability;
  // Rounding in the softmax can carry a sum of shares 2^-52 past 1; the range is -1..1.
  p.valence = std::clamp(pr[0] + pr[3] - pr[1] - pr[2], -1.0, 1.0);
  p.arousal = std::clamp(pr[0] + pr[1] - pr[2] - pr[3], -1.0, 1.0);
  p.quadrant = static_cast<Quadrant>(best);
  return p;
}

std::vector<EmotionReason> valence_reasons(const EmotionModel& m, const EmotionFeatures& f) {
  return reasons(m, f, 0);
}
std::vector<EmotionReason> arousal_reasons(const EmotionModel& m, const EmotionFeatures& f) {
  return reasons(m, f, 1);
}

std::string describe(const EmotionReason& r, std::string_view dimension) {
  const auto& info = feature_info(r.feature);
  return base::cat(r.standardised >= 0 ? info.high : info.low, " -> ",
                   r.contribution >= 0 ? "higher " : "lower ", dimension);
}

bool uses_sequence_model(const EmotionModel& m) {
  for (int i = 0; i < kEmotionFeatureCount; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (!m.used[u] || !feature_info(i).sequence) continue;
    bool weighted = m.valence.weights[u] != 0 || m.arousal.weights[u] != 0;
    for (const auto& h : m.quadrants)
      weighted = weighted || h.weights[u] != 0;
    for (const auto& h : m.mlp.hidden)
      weighted = weighted || h.weights[u] != 0;
    if (weighted) return true;
  }
  return false;
}

TempoMapCheck check_tempo_map(std::span<const std::int64_t> onset_ticks, int ticks_per_quarter,
                              bool tempo_event) {
  TempoMapCheck c;
  c.tempo_event = tempo_event;
  if (ticks_per_quarter <= 0) return c;
  std::vector<std::int64_t> ticks(onset_ticks.begin(), onset_ticks.end());
  std::sort(ticks.begin(), ticks.end());
  ticks.erase(std::unique(ticks.begin(), ticks.end()), ticks.end());
  c.onsets = static_cast<int>(ticks.size());
  for (const std::int64_t t : ticks) {
    // 16ths: t = k ppq / 4; 8th and 16th triplets: t = k ppq / 6.
    if ((t * 4) % ticks_per_quarter == 0 || (t * 6) % ticks_per_quarter == 0) ++c.on_grid;
  }
  c.use_map = tempo_event && c.onsets > 0 && c.share() >= kTempoMapOnGrid;
  return c;
}

TempoMapCheck check_tempo_map(const midi::MidiFile& file) {
  if (file.division.kind != midi::Division::Kind::ppq) return {};
  bool tempo_event = false;
  std::vector<std::int64_t> onsets;
  const std::size_t tracks =
      file.format == 2 ? std::min<std::size_t>(1, file.tracks.size()) : file.tracks.size();
  for (std::size_t t = 0; t < file.tracks.size(); ++t) {
    const auto& track = file.tracks[t];
    if (t < tracks) {
      for (const auto& e : track.events)
        tempo_event = tempo_event || std::holds_alternative<midi::SetTempo>(e.message);
    }
    for (const auto& n : midi::pair_notes(track))
      if (n.channel != 9) onsets.push_back(n.start);
  }
  return check_tempo_map(onsets, file.division.ticks_per_quarter, tempo_event);
}

std::string TempoMapCheck::describe() const {
  const std::string grid = std::to_string(static_cast<int>(std::lround(100 * share()))) +
                           "% of the onsets on its 16th or triplet grid";
  if (use_map) return "the tempo map (" + grid + ")";
  if (!tempo_event) return "the notes (the file has no tempo event)";
  return "the notes (the tempo map is a default they ignore: " + grid + ")";
}

double MapBeat::bpm(double from, double to) const {
  const auto at = [this](double seconds) {
    return map.origin() +
           time::TimeDur(static_cast<std::int64_t>(
               std::llround((start + seconds) * static_cast<double>(time::kSuperclockPerSecond))));
  };
  const time::BeatPos a = map.beats_at(at(from));
  const double quarters = static_cast<double>((map.beats_at(at(to)) - a).ticks()) /
                          static_cast<double>(time::kTicksPerQuarter);
  double qpm =
      to > from && quarters > 0 ? quarters * 60.0 / (to - from) : map.quarters_per_minute_at(a);
  const time::Meter m = map.meter_at(a);
  if ((m.numerator == 6 || m.numerator == 9 || m.numerator == 12) && m.denominator >= 8)
    qpm *= m.denominator / 12.0;  // a dotted quarter (x/8) or dotted 8th (x/16) per beat
  double bpm = qpm;
  while (bpm > 200)
    bpm /= 2;
  while (bpm < 40 && bpm > 0)
    bpm *= 2;
  return bpm;
}

PieceFeatures piece_features(std::span<const EmotionNote> notes, const MelodyModel* sequence_model,
                             const MapBeat* beat_map) {
  PieceFeatures p;
  if (notes.empty()) return p;
  p.bpm = beat_map ? beat_map->bpm(notes.front().onset, last_end(notes)) : estimate_beat(notes).bpm;
  p.features = measure_features(notes, 60.0 / p.bpm, last_end(notes) - notes.front().onset);
  if (sequence_model != nullptr) add_expectation(p.features, *sequence_model, notes, 60.0 / p.bpm);
  return p;
}

base::Result<EmotionEstimate> estimate_emotion(const EmotionModel& model,
                                               std::span<const EmotionNote> notes,
                                               const EmotionOptions& options) {
  if (notes.empty()) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "there are no notes to estimate an emotion from");
  }
  if (!(options.window > 0) || !(options.hop > 0)) {
    return base::make_error(base::ErrorKind::out_of_range,
                            "the emotion curve's window and hop must be positive seconds");
  }
  if (options.sequence_model == nullptr && uses_sequence_model(model)) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "this emotion model weights the sequence model's surprise and "
                            "uncertainty: give it a melody model (duet emotion --sequence-model "
                            "models/default.duetmodel)");
  }
  const double end = last_end(notes);
  double sounding = 0;
  for (const auto& n : notes)
    sounding += n.duration;
  const double span = end - notes.front().onset;
  if (!(span <= kMaxEmotionSpan)) {
    return base::make_error(
        base::ErrorKind::out_of_range, "the notes span ", base::fixed(span / 3600, 1),
        " hours (the first begins at ", base::fixed(notes.front().onset, 3),
        " s, the last ends at ", base::fixed(end, 3), " s), more than the ",
        base::fixed(kMaxEmotionSpan / 3600, 0),
        " hours duet estimates an emotion over: is a note stuck or stray far after the music? "
        "Cut the file to the cue");
  }
  // Over a minute at least, so that a short cluster of many notes is measured.
  const double over = std::max(span, 60.0);
  if (!(sounding <= kMaxEmotionVoices * over)) {
    return base::make_error(
        base::ErrorKind::out_of_range, "the notes sound ", base::fixed(sounding / over, 0),
        " at once on average over their ", base::fixed(span, 3), " s, more than the ",
        base::fixed(kMaxEmotionVoices, 0),
        " duet estimates an emotion for: are notes stuck (a note-on without its note-off)?");
  }
  EmotionEstimate e;
  const MapBeat* beat_map = options.beat_map ? &*options.beat_map : nullptr;
  const auto piece = piece_features(notes, options.sequence_model, beat_map);
  e.bpm = piece.bpm;
  e.beat_from_map = beat_map != nullptr;
  e.features = piece.features;
  e.whole = apply_model(model, e.features);
  e.valence_reasons = valence_reasons(model, e.features);
  e.arousal_reasons = arousal_reasons(model, e.features);
  // Windows lie on a grid of hops from 0 s; those that end before the first note are empty, so
  // a cue that begins hours into the file starts a few windows before its first note.
  const double skipped =
      std::floor(notes.front().onset / options.hop) - std::ceil(options.window / options.hop) - 1;
  for (double start = std::max(0.0, skipped) * options.hop;; start += options.hop) {
    const double stop = std::min(start + options.window, std::max(end, options.window));
    const auto first = std::lower_bound(notes.begin(), notes.end(), start,
                                        [](const EmotionNote& n, double t) { return n.onset < t; });
    const auto last = std::lower_bound(first, notes.end(), stop,
                                       [](const EmotionNote& n, double t) { return n.onset < t; });
    if (first == last) {
      // A window where no note begins (a rest, a held chord) has nothing to measure: a gap in
      // the curve.
      if (stop >= end) break;
      continue;
    }
    // In a window a note sounds at most one window long: a drone or a stuck note is heard as
    // long, not measured beat by beat for hours in every window it began in.
    std::vector<EmotionNote> window(first, last);
    for (auto& n : window)
      n.duration = std::min(n.duration, options.window);
    EmotionWindow w;
    w.start = start;
    w.end = stop;
    const double bpm = beat_map ? beat_map->bpm(start, stop) : estimate_beat(window, e.bpm).bpm;
    w.features = measure_features(window, 60.0 / bpm, stop - start);
    if (options.sequence_model != nullptr)
      add_expectation(w.features, *options.sequence_model, window, 60.0 / bpm);
    w.point = apply_model(model, w.features);
    e.curve.push_back(w);
    if (stop >= end) break;
  }
  return e;
}

base::Result<EmotionEstimate> estimate_emotion(const EmotionModel& model,
                                               const midi::MidiFile& file,
                                               const EmotionOptions& options) {
  auto notes = emotion_notes(file);
  if (!notes) return notes.error();
  const TempoMapCheck check = check_tempo_map(file);
  EmotionOptions o = options;
  if (check.use_map && !o.beat_map) o.beat_map = MapBeat{midi::Timeline::of(file).tempo_map(), 0};
  auto e = estimate_emotion(model, *notes, o);
  if (e) e->tempo_check = check;
  return e;
}

base::Result<EmotionModel> train_emotion_model(std::span<const EmotionFeatures> features,
                                               std::span<const int> quadrants,
                                               const EmotionTrainOptions& options) {
  if (features.empty() || features.size() != quadrants.size()) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "emotion training needs one quadrant per example and at least one "
                            "example");
  }
  for (int q : quadrants) {
    if (q < 0 || q > 3)
      return base::make_error(base::ErrorKind::out_of_range, "a quadrant index is not 0..3");
  }
  EmotionModel m;
  m.kind = options.kind;
  m.description = options.description;
  const bool all = std::none_of(options.use.begin(), options.use.end(), [](bool b) { return b; });
  const auto n = static_cast<double>(features.size());
  // A feature's centre and scale come from the examples where it is known (known, above), so
  // that score-like examples among the training data do not pull the performance features'.
  for (std::size_t i = 0; i < m.used.size(); ++i) {
    m.used[i] = all || options.use[i];
    double mean = 0, var = 0, count = 0;
    for (const auto& f : features) {
      if (!known(i, f)) continue;
      mean += f[i];
      count += 1;
    }
    mean = count > 0 ? mean / count : 0.0;
    for (const auto& f : features)
      if (known(i, f)) var += (f[i] - mean) * (f[i] - mean);
    const double sd = count > 0 ? std::sqrt(var / count) : 0.0;
    m.centre[i] = mean;
    m.scale[i] = sd > 1e-9 ? sd : 1.0;
    // Unused features are not written to the file: leave them as a read model has them (0).
    if (!m.used[i]) m.centre[i] = m.scale[i] = 0.0;
  }
  std::vector<EmotionFeatures> z;
  z.reserve(features.size());
  for (const auto& f : features)
    z.push_back(standardise(m, f));
  if (m.kind == EmotionModel::Kind::mlp) {
    if (options.hidden < 1 || options.hidden > kMaxEmotionHidden || !(options.learning_rate > 0)) {
      return base::make_error(base::ErrorKind::out_of_range,
                              base::cat("an emotion mlp needs 1..", kMaxEmotionHidden,
                                        " hidden units and a positive learning rate"));
    }
    train_mlp(m, z, quadrants, options);
    return m;
  }

  // Heads: two binary targets; softmax: four classes. Both by full-batch gradient descent with
  // Nesterov momentum on the mean log loss + l2/2 |w|^2.
  std::mt19937_64 rng(options.seed);
  std::normal_distribution<double> jitter(0.0, 0.01);
  const std::size_t outputs = m.kind == EmotionModel::Kind::heads ? 2 : 4;
  std::vector<EmotionHead> heads(outputs), velocity(outputs);
  for (auto& h : heads) {
    for (std::size_t i = 0; i < h.weights.size(); ++i)
      h.weights[i] = m.used[i] ? jitter(rng) : 0.0;
  }
  constexpr double kRate = 0.5, kMomentum = 0.9;
  std::vector<EmotionHead> grad(outputs), look(outputs);
  for (int it = 0; it < options.iterations; ++it) {
    for (std::size_t k = 0; k < outputs; ++k) {
      look[k] = heads[k];
      look[k].bias += kMomentum * velocity[k].bias;
      for (std::size_t i = 0; i < look[k].weights.size(); ++i)
        look[k].weights[i] += kMomentum * velocity[k].weights[i];
      grad[k] = EmotionHead{};
    }
    for (std::size_t e = 0; e < z.size(); ++e) {
      const auto q = static_cast<Quadrant>(quadrants[e]);
      std::array<double, 4> err{};
      if (outputs == 2) {
        err[0] = sigmoid(score(look[0], z[e])) - (high_valence(q) ? 1.0 : 0.0);
        err[1] = sigmoid(score(look[1], z[e])) - (high_arousal(q) ? 1.0 : 0.0);
      } else {
        std::array<double, 4> s{};
        double top = -1e300, total = 0;
        for (std::size_t k = 0; k < 4; ++k)
          top = std::max(top, s[k] = score(look[k], z[e]));
        for (std::size_t k = 0; k < 4; ++k)
          total += (s[k] = std::exp(s[k] - top));
        for (std::size_t k = 0; k < 4; ++k)
          err[k] = s[k] / total - (static_cast<int>(k) == quadrants[e] ? 1.0 : 0.0);
      }
      for (std::size_t k = 0; k < outputs; ++k) {
        grad[k].bias += err[k];
        for (std::size_t i = 0; i < z[e].size(); ++i)
          grad[k].weights[i] += err[k] * z[e][i];
      }
    }
    for (std::size_t k = 0; k < outputs; ++k) {
      velocity[k].bias = kMomentum * velocity[k].bias - kRate * grad[k].bias / n;
      heads[k].bias += velocity[k].bias;
      for (std::size_t i = 0; i < heads[k].weights.size(); ++i) {
        if (!m.used[i]) continue;
        const double g = grad[k].weights[i] / n + options.l2 * look[k].weights[i];
        velocity[k].weights[i] = kMomentum * velocity[k].weights[i] - kRate * g;
        heads[k].weights[i] += velocity[k].weights[i];
      }
    }
  }
  if (outputs == 2) {
    m.valence = heads[0];
    m.arousal = heads[1];
  } else {
    for (std::size_t k = 0; k < 4; ++k)
      m.quadrants[k] = heads[k];
  }
  return m;
}

std::string emotion_model_fingerprint(const EmotionModel& model) {
  // The first 12 hex digits (48 bits) of the encoding's hash: short enough to read in a report.
  return base::hex64(base::stable_hash(encode_emotion_model(model))).substr(0, 12);
}

std::string encode_emotion_model(const EmotionModel& m) {
  nlohmann::ordered_json j;
  j["format"] = "duet-emotion-model";
  j["version"] = kEmotionModelVersion;
  j["kind"] = m.kind == EmotionModel::Kind::heads     ? "heads"
              : m.kind == EmotionModel::Kind::softmax ? "softmax"
                                                      : "mlp";
  j["description"] = m.description;
  nlohmann::ordered_json features = nlohmann::ordered_json::array();
  for (int i = 0; i < kEmotionFeatureCount; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (!m.used[u]) continue;
    features.push_back(nlohmann::ordered_json{
        {"name", feature_info(i).name}, {"centre", m.centre[u]}, {"scale", m.scale[u]}});
  }
  j["features"] = features;
  if (m.kind == EmotionModel::Kind::heads) {
    j["valence"] = write_head(m, m.valence);
    j["arousal"] = write_head(m, m.arousal);
  } else if (m.kind == EmotionModel::Kind::softmax) {
    nlohmann::json q = nlohmann::json::array();
    for (const auto& h : m.quadrants)
      q.push_back(write_head(m, h));
    j["quadrants"] = q;
  } else {
    nlohmann::json hidden = nlohmann::json::array();
    for (const auto& h : m.mlp.hidden)
      hidden.push_back(write_head(m, h));
    j["hidden"] = hidden;
    nlohmann::json output = nlohmann::json::array();
    for (std::size_t k = 0; k < 4; ++k)
      output.push_back({{"bias", m.mlp.output_bias[k]}, {"weights", m.mlp.output[k]}});
    j["output"] = output;
  }
  return j.dump(2) + "\n";
}

base::Result<EmotionModel> decode_emotion_model(std::string_view text, std::string_view where) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return base::make_error(base::ErrorKind::invalid_input, where,
                            ": not valid JSON; an emotion model file is the JSON that duet "
                            "emotion-train writes");
  }
  if (!j.is_object() || !j.contains("format") || j["format"] != "duet-emotion-model") {
    return bad(where, "/format", "expected \"duet-emotion-model\" (this is not an emotion model)");
  }
  if (!j.contains("version") || !j["version"].is_number_integer()) {
    return bad(where, "/version", "expected an integer version");
  }
  if (j["version"].get<long long>() != kEmotionModelVersion) {
    return bad(
        where, "/version",
        base::cat("version ", j["version"].get<long long>(), " is not readable by this duet (",
                  "it reads version ", kEmotionModelVersion, "); use a matching duet"));
  }
  EmotionModel m;
  const std::string kind =
      j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
  if (kind == "heads") {
    m.kind = EmotionModel::Kind::heads;
  } else if (kind == "softmax") {
    m.kind = EmotionModel::Kind::softmax;
  } else if (kind == "mlp") {
    m.kind = EmotionModel::Kind::mlp;
  } else {
    return bad(where, "/kind", "expected \"heads\", \"softmax\" or \"mlp\"");
  }
  if (j.contains("description")) {
    if (!j["description"].is_string()) return bad(where, "/description", "expected a string");
    m.description = j["description"].get<std::string>();
  }
  if (!j.contains("features") || !j["features"].is_array() || j["features"].empty()) {
    return bad(where, "/features", "expected a non-empty array of features");
  }
  for (std::size_t k = 0; k < j["features"].size(); ++k) {
    const auto& f = j["features"][k];
    const std::string path = base::cat("/features/", k);
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string())
      return bad(where, path + "/name", "expected a feature name");
    const int i = feature_index(f["name"].get<std::string>());
    if (i < 0) {
      return bad(where, path + "/name",
                 base::cat("unknown feature \"", f["name"].get<std::string>(), "\""));
    }
    const auto u = static_cast<std::size_t>(i);
    if (m.used[u]) return bad(where, path + "/name", "this feature is listed twice");
    for (const char* field : {"centre", "scale"}) {
      if (!f.contains(field) || !in_range(f[field]))
        return bad(where, path + "/" + field, "expected a number between -1e6 and 1e6");
    }
    m.used[u] = true;
    m.centre[u] = f["centre"].get<double>();
    m.scale[u] = f["scale"].get<double>();
    if (!(m.scale[u] >= kMinScale))
      return bad(where, path + "/scale", "expected a positive number (at least 1e-6)");
  }
  if (m.kind == EmotionModel::Kind::heads) {
    for (const char* name : {"valence", "arousal"}) {
      if (!j.contains(name)) return bad(where, std::string("/") + name, "missing");
      auto h = read_head(j[name], where, std::string("/") + name, m);
      if (!h) return h.error();
      (std::string_view(name) == "valence" ? m.valence : m.arousal) = *h;
    }
  } else if (m.kind == EmotionModel::Kind::mlp) {
    if (!j.contains("hidden") || !j["hidden"].is_array() || j["hidden"].empty() ||
        j["hidden"].size() > static_cast<std::size_t>(kMaxEmotionHidden)) {
      return bad(where, "/hidden",
                 base::cat("expected an array of 1 to ", kMaxEmotionHidden, " hidden units"));
    }
    for (std::size_t u = 0; u < j["hidden"].size(); ++u) {
      auto h = read_head(j["hidden"][u], where, base::cat("/hidden/", u), m);
      if (!h) return h.error();
      m.mlp.hidden.push_back(*h);
    }
    const std::size_t units = m.mlp.hidden.size();
    if (!j.contains("output") || !j["output"].is_array() || j["output"].size() != 4)
      return bad(where, "/output", "expected four output units, Q1 to Q4");
    for (std::size_t k = 0; k < 4; ++k) {
      const auto& o = j["output"][k];
      const std::string path = base::cat("/output/", k);
      if (!o.is_object())
        return bad(where, path, "expected an object with \"bias\" and \"weights\"");
      if (o.contains("bias")) {
        if (!in_range(o["bias"]))
          return bad(where, path + "/bias", "expected a number between -1e6 and 1e6");
        m.mlp.output_bias[k] = o["bias"].get<double>();
      }
      if (!o.contains("weights") || !o["weights"].is_array() || o["weights"].size() != units) {
        return bad(where, path + "/weights",
                   base::cat("expected an array of ", units, " numbers, one per hidden unit"));
      }
      for (std::size_t u = 0; u < units; ++u) {
        if (!in_range(o["weights"][u])) {
          return bad(where, base::cat(path, "/weights/", u),
                     "expected a number between -1e6 and 1e6");
        }
        m.mlp.output[k].push_back(o["weights"][u].get<double>());
      }
    }
  } else {
    if (!j.contains("quadrants") || !j["quadrants"].is_array() || j["quadrants"].size() != 4)
      return bad(where, "/quadrants", "expected four heads, Q1 to Q4");
    for (std::size_t k = 0; k < 4; ++k) {
      auto h = read_head(j["quadrants"][k], where, base::cat("/quadrants/", k), m);
      if (!h) return h.error();
      m.quadrants[k] = *h;
    }
  }
  return m;
}

base::Result<void> save_emotion_model(const EmotionModel& model,
                                      const std::filesystem::path& path) {
  return base::write_file_atomic(path, encode_emotion_model(model));
}

base::Result<EmotionModel> load_emotion_model(const std::filesystem::path& path) {
  auto bytes = base::read_file(path, std::uintmax_t{16} << 20);
  if (!bytes) return bytes.error();
  return decode_emotion_model(
      std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()),
      path.filename().string());
}

const EmotionModel& default_emotion_model() {
  static const EmotionModel model = [] {
    auto m = decode_emotion_model(kDefaultEmotionModelJson, "emotion-default.json");
    // The file is checked by the tests (EmotionModel.DefaultLoads); a broken build-time copy is
    // a programming mistake, reported by Result's exception.
    return std::move(m).value();
  }();
  return model;
}

}  // namespace duet::model
