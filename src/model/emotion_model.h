// The emotion estimator: valence and arousal (each -1..1) and the quadrant of a piece of music,
// for the whole piece and as a curve over time, with the features that drove each estimate.
//
// Quick use (what src/compose calls to check its music):
//
//   const EmotionModel& model = default_emotion_model();   // shipped, hand-set, not EMOPIA
//   auto estimate = estimate_emotion(model, midi_file);    // or on a vector of EmotionNote
//   if (estimate) { estimate->valence; estimate->arousal; estimate->quadrant; }
//
// The model is linear over standardised features (emotion_features.h),
// z = clamp((x - centre) / scale, -3, 3) (clamped so that music unlike the training data cannot
// let one term swamp the rest):
//   kind "heads":   P(high valence) = sigmoid(b_v + w_v . z), P(high arousal) likewise;
//                   valence = 2 P(high valence) - 1 (so -1..1), arousal likewise; the quadrant is
//                   the signs (Q1 v+ a+, Q2 v- a+, Q3 v- a-, Q4 v+ a-).
//   kind "softmax": P(Qk) = softmax_k(b_k + w_k . z); valence = P(Q1) + P(Q4) - P(Q2) - P(Q3),
//                   arousal = P(Q1) + P(Q2) - P(Q3) - P(Q4); the quadrant is the most probable.
//   kind "mlp":     one hidden layer, h_j = tanh(c_j + u_j . z), then P(Qk) = softmax_k(b_k +
//                   v_k . h), read as for softmax: a small nonlinear model.
// When every velocity is the same (dynamics 0: score-like MIDI), the performance features
// (loudness, dynamics) count as unknown: their z is 0 whatever the model's centre.
// A feature's contribution to an estimate is its term w . z (for softmax, the valence weight is
// (w_Q1 + w_Q4 - w_Q2 - w_Q3) / 2, the arousal one likewise): the reasons a composer reads.
// For "mlp", which has no one weight per feature, it is found by occlusion: the change in the
// axis's log-odds, log(P(high) / P(low)), when that feature's z is set to 0 (its centre).
//
// Model files are JSON (docs/emotion-evaluation.md):
//   {"format": "duet-emotion-model", "version": 1, "kind": "heads" | "softmax",
//    "description": "...",
//    "features": [{"name": "mode", "centre": 0.0, "scale": 0.2}, ...],
//    "valence": {"bias": 0.0, "weights": {"mode": 1.0, ...}},     (kind heads)
//    "arousal": {"bias": 0.0, "weights": {...}},                   (kind heads)
//    "quadrants": [{"bias": 0.0, "weights": {...}} x 4]}           (kind softmax: Q1..Q4)
//    "hidden": [{"bias": 0.0, "weights": {"mode": 0.3, ...}} x H],  (kind mlp: 1..256 units)
//    "output": [{"bias": 0.0, "weights": [H numbers]} x 4]          (kind mlp: Q1..Q4)
// Features not listed, and weights not given, are 0 (unused).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "midi/smf.h"
#include "model/emotion_features.h"
#include "time/tempo_map.h"

namespace duet::model {

inline constexpr int kEmotionModelVersion = 1;

enum class Quadrant { q1, q2, q3, q4 };  // index 0..3
std::string_view to_string(Quadrant q);  // "Q1".."Q4"
// Q1 high valence high arousal, Q2 low/high, Q3 low/low, Q4 high/low.
Quadrant quadrant_of(bool high_valence, bool high_arousal);
bool high_valence(Quadrant q);
bool high_arousal(Quadrant q);

struct EmotionHead {
  double bias = 0;
  EmotionFeatures weights{};  // per standardised feature
  friend bool operator==(const EmotionHead&, const EmotionHead&) = default;
};

// The hidden layer and output of kind "mlp".
inline constexpr int kMaxEmotionHidden = 256;
struct EmotionMlp {
  std::vector<EmotionHead> hidden;            // tanh units over the standardised features
  std::array<std::vector<double>, 4> output;  // per quadrant, a weight per hidden unit
  std::array<double, 4> output_bias{};
  friend bool operator==(const EmotionMlp&, const EmotionMlp&) = default;
};

struct EmotionModel {
  enum class Kind { heads, softmax, mlp } kind = Kind::heads;
  std::string description;
  std::array<bool, kEmotionFeatureCount> used{};  // features listed in the file
  EmotionFeatures centre{};
  EmotionFeatures scale{};                 // > 0
  EmotionHead valence, arousal;            // kind heads
  std::array<EmotionHead, 4> quadrants{};  // kind softmax, Q1..Q4
  EmotionMlp mlp;                          // kind mlp
  friend bool operator==(const EmotionModel&, const EmotionModel&) = default;
};

// One feature's part in an estimate.
struct EmotionReason {
  EmotionFeature feature = EmotionFeature::mode;
  double value = 0;         // the raw feature
  double standardised = 0;  // (value - centre) / scale
  double contribution = 0;  // its term in the valence or arousal score (log-odds units)
};

struct EmotionPoint {
  double valence = 0;                   // -1..1
  double arousal = 0;                   // -1..1
  std::array<double, 4> probability{};  // of Q1..Q4
  Quadrant quadrant = Quadrant::q1;
};

// Applies the model to features (no explanation).
EmotionPoint apply_model(const EmotionModel& model, const EmotionFeatures& features);
// The features that moved valence and arousal, largest |contribution| first (used ones only).
std::vector<EmotionReason> valence_reasons(const EmotionModel& model, const EmotionFeatures& f);
std::vector<EmotionReason> arousal_reasons(const EmotionModel& model, const EmotionFeatures& f);
// "major -> higher valence": the reason in a composer's words.
std::string describe(const EmotionReason& reason, std::string_view dimension);

struct EmotionWindow {
  double start = 0, end = 0;  // seconds
  EmotionPoint point;
  EmotionFeatures features{};
};

// ---- The beat: the tempo map, or heard from the notes ----
//
// A file's tempo map is the music's own when the notes follow it: a sequenced or notated file,
// or a cue duet wrote. Performed MIDI (EMOPIA's clips, a recording made without a click) carries
// a default map that the notes ignore, and its beat must be heard from the notes
// (estimate_beat). The rule (check_tempo_map): the map is used when
//   - the file has at least one tempo event (without one the map is MIDI's default 120), and
//   - at least kTempoMapOnGrid (70%) of the distinct note onsets off the drum channel lie exactly,
//     to the tick, on the map's 16th-note grid or its 8th- or 16th-triplet grid from tick 0
//     (tick x 4 or tick x 6 a multiple of the PPQ).
// Exactly: on EMOPIA's 1,078 clips (384 PPQ, one tempo event each) at most 15% of a clip's
// onsets lie on those grids to the tick (2.4% on average), so every clip is heard from its
// notes; within a tick would not do (one performance moving in near-triplets of the default 120
// reaches 54% within a tick, 92% within 4). A notated, sequenced or quantised file puts nearly
// every onset there. A file of SMPTE division has no beats and is always heard from the notes.
inline constexpr double kTempoMapOnGrid = 0.7;
struct TempoMapCheck {
  bool use_map = false;
  bool tempo_event = false;  // the file has a tempo event
  int onsets = 0;            // distinct onset ticks looked at
  int on_grid = 0;           // of them, on the grid
  double share() const { return onsets > 0 ? static_cast<double>(on_grid) / onsets : 0.0; }
  // "the tempo map (98% of the onsets on its grid)", "the notes (the file has no tempo event)",
  // "the notes (the tempo map is a default they ignore: 3% of the onsets on its grid)".
  std::string describe() const;
};
// From onset positions in ticks at a PPQ (duplicates are counted once).
TempoMapCheck check_tempo_map(std::span<const std::int64_t> onset_ticks, int ticks_per_quarter,
                              bool tempo_event);
TempoMapCheck check_tempo_map(const midi::MidiFile& file);

// The beat a tempo map gives for a span of the notes' time: the quarters the map counts over
// [from, to] seconds per minute (the tempo at `from` when the span is empty), taken as dotted
// quarters in compound meters (6, 9 or 12 beats of an 8th or 16th at the span's start: the
// beat a listener taps), then moved by octaves into estimate_beat's 40..200 BPM. `start` is the
// map's time, in seconds from its origin, of the notes' 0 s.
struct MapBeat {
  time::TempoMap map;
  double start = 0;
  double bpm(double from, double to) const;
};

struct EmotionEstimate {
  EmotionPoint whole;
  double bpm = 120;            // the beat: the tempo map's, else estimated from the notes
  bool beat_from_map = false;  // true: bpm is the tempo map's (EmotionOptions::beat_map)
  // The file overload: why the file's tempo map was or was not used.
  std::optional<TempoMapCheck> tempo_check;
  EmotionFeatures features{};
  std::vector<EmotionReason> valence_reasons, arousal_reasons;
  // One per window in which a note begins, in time order (windows where none begins are left
  // out: a gap in the curve).
  std::vector<EmotionWindow> curve;
};

struct EmotionOptions {
  // The curve: windows of `window` seconds every `hop` seconds from 0 (a piece shorter than a
  // window has one window over all of it). Each window's beat is estimated from its notes with
  // the whole piece's beat as the prior.
  double window = 8.0;
  double hop = 4.0;
  // The melody model for the surprise and uncertainty features (emotion_features.h); needed
  // only by emotion models that weight them (uses_sequence_model).
  const MelodyModel* sequence_model = nullptr;
  // The beat from a tempo map the notes follow (the piece's and each window's); none: heard
  // from the notes. The file overload of estimate_emotion sets it when check_tempo_map says so.
  std::optional<MapBeat> beat_map;
};

// Whether the model weights the sequence model's features (surprise, uncertainty).
bool uses_sequence_model(const EmotionModel& model);

// The longest span of notes (first onset to last end, seconds) an emotion is estimated over:
// a whole film's score is far shorter, and a longer span is a stuck or stray note, whose hours
// of beats the features would otherwise measure one by one.
inline constexpr double kMaxEmotionSpan = 6 * 3600.0;
// The most notes sounding at once on average over that span, or over a minute if it is shorter
// (their summed durations over it): an orchestral tutti is far fewer, and stuck notes would cost
// each of their beats.
inline constexpr double kMaxEmotionVoices = 128;

// Estimates the emotion of notes (sorted by onset, as emotion_notes gives them). Fails when
// there are no notes, they span more than kMaxEmotionSpan or sound more than kMaxEmotionVoices
// deep, the options are not positive, or the model needs a sequence model and
// options.sequence_model is null.
base::Result<EmotionEstimate> estimate_emotion(const EmotionModel& model,
                                               std::span<const EmotionNote> notes,
                                               const EmotionOptions& options = {});
base::Result<EmotionEstimate> estimate_emotion(const EmotionModel& model,
                                               const midi::MidiFile& file,
                                               const EmotionOptions& options = {});

// Whole-piece features with the beat from `beat_map` when given, else estimated from the notes
// (what training reads).
struct PieceFeatures {
  EmotionFeatures features{};
  double bpm = 120;
};
// With a sequence model, surprise and uncertainty too (else they are 0).
PieceFeatures piece_features(std::span<const EmotionNote> notes,
                             const MelodyModel* sequence_model = nullptr,
                             const MapBeat* beat_map = nullptr);

// ---- Training ----
struct EmotionTrainOptions {
  EmotionModel::Kind kind = EmotionModel::Kind::heads;
  std::array<bool, kEmotionFeatureCount> use{};  // all false = every feature
  double l2 = 1e-2;      // penalty on the weights (not the biases), per example
  int iterations = 400;  // full-batch gradient steps (Nesterov momentum; Adam for mlp)
  // Seeds the start (small random weights); the linear losses are convex, so seeds change their
  // result only in the last digits; the mlp's is not, and its seed matters. Deterministic for a
  // seed.
  std::uint64_t seed = 1;
  std::string description;
  // Kind mlp: hidden units (1..kMaxEmotionHidden) and the Adam step size.
  int hidden = 16;
  double learning_rate = 0.01;
};
// Trains on features and quadrants (0..3 = Q1..Q4). Centres and scales are the training mean
// and standard deviation. Fails when there are no examples or the sizes differ.
base::Result<EmotionModel> train_emotion_model(std::span<const EmotionFeatures> features,
                                               std::span<const int> quadrants,
                                               const EmotionTrainOptions& options);

// ---- Files ----
std::string encode_emotion_model(const EmotionModel& model);
// `where` names the source in errors ("model.json"); errors give the JSON path.
base::Result<EmotionModel> decode_emotion_model(std::string_view text, std::string_view where);
base::Result<void> save_emotion_model(const EmotionModel& model, const std::filesystem::path& path);
base::Result<EmotionModel> load_emotion_model(const std::filesystem::path& path);

// The shipped default (models/emotion-default.json, built into the library): weights set by hand
// from the music-psychology literature, not trained on EMOPIA (docs/emotion-evaluation.md).
const EmotionModel& default_emotion_model();

// A model's fingerprint, to say which model gave an estimate: the first 12 hex digits of the
// FNV-1a 64-bit hash of encode_emotion_model(model) (the same model, the same fingerprint).
std::string emotion_model_fingerprint(const EmotionModel& model);

}  // namespace duet::model
