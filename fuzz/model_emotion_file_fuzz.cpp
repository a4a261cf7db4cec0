// Emotion model files (JSON) from arbitrary bytes: no crash, no undefined behaviour; an error has
// a message; a model that reads gives finite valence and arousal in -1..1 for some features and
// writes back to text that reads as the same model.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/emotion_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::model;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto model = decode_emotion_model(text, "fuzz.json");
  if (!model) {
    if (model.error().message.empty()) std::abort();
    return 0;
  }
  EmotionFeatures f{};
  for (std::size_t i = 0; i < f.size(); ++i)
    f[i] = static_cast<double>(i % 5) * 0.3 - 0.5;
  const auto p = apply_model(*model, f);
  // Huge weights may saturate the scores; the results must still be numbers in range.
  if (!(std::fabs(p.valence) <= 1.0) || !(std::fabs(p.arousal) <= 1.0)) std::abort();
  (void)valence_reasons(*model, f);
  (void)arousal_reasons(*model, f);
  auto again = decode_emotion_model(encode_emotion_model(*model), "again");
  if (!again || !(*again == *model)) std::abort();
  return 0;
}
