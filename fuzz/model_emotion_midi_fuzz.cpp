// The emotion estimator (duet emotion) on Standard MIDI Files from arbitrary bytes: no crash,
// hang or unbounded allocation. A file it refuses gets a message (notes spanning more than
// kMaxEmotionSpan are refused); one it estimates gives finite valence and arousal in -1..1 for
// the whole piece and every window, finite features, and windows that start in order and end
// after they start.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "midi/smf.h"
#include "model/emotion_features.h"
#include "model/emotion_model.h"

namespace {

bool in_range(const duet::model::EmotionPoint& p) {
  return std::fabs(p.valence) <= 1.0 && std::fabs(p.arousal) <= 1.0;
}

bool finite(const duet::model::EmotionFeatures& f) {
  for (double v : f) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet;
  midi::ReadOptions read;
  read.max_events = 1'000'000;  // as midi_smf_fuzz: inputs are at most -max_len bytes
  const auto report = midi::read_smf(std::span<const std::uint8_t>(data, size), read);
  if (!report) return 0;  // the reader's own target covers its errors
  const auto notes = model::emotion_notes(report->file);
  if (!notes) {
    if (notes.error().message.empty()) std::abort();
    return 0;
  }
  // Pieces up to kMaxEmotionSpan (hours) are measured beat by beat: a fraction of a second each
  // in a release build, but seconds under the sanitizers' instrumentation. Longer than half an
  // hour, only the refusal past the limit is checked here (the limit itself is a unit test).
  const double span = model::last_end(*notes) - notes->front().onset;
  if (span > 1800 && span <= model::kMaxEmotionSpan) return 0;
  const auto e = model::estimate_emotion(model::default_emotion_model(), *notes);
  if (span > model::kMaxEmotionSpan && e) std::abort();
  if (!e) {
    if (e.error().message.empty()) std::abort();
    return 0;
  }
  if (!in_range(e->whole) || !finite(e->features)) std::abort();
  double previous = -1;
  for (const auto& w : e->curve) {
    if (!in_range(w.point) || !finite(w.features)) std::abort();
    if (!(w.start > previous) || !(w.end > w.start)) std::abort();
    previous = w.start;
  }
  return 0;
}
