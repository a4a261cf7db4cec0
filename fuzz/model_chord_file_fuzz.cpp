// Chord model files (DUETCHRD) from arbitrary bytes: no crash, no undefined behaviour, no huge
// allocation or endless rebuild (small limits); a model that reads predicts distributions over
// the 60 chord symbols that sum to 1, and writes back to bytes that read again. Odd-sized inputs
// get the right CRC-32 (model_file_bytes.h).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "model/chord_model_file.h"
#include "model_file_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::model;
  const std::vector<std::uint8_t> bytes = duet::fuzz::with_crc_for_odd_sizes(data, size);
  auto model = decode_chord_model(bytes, "fuzz.duetmodel", duet::fuzz::kFuzzLimits);
  if (!model) {
    if (model.error().message.empty()) std::abort();
    return 0;
  }
  const std::vector<ChordItem> items = {{0, 2, 0}, {35, 2, 2}, {25, 1, 0}, {0, 0, 1}};
  for (bool minor : {false, true}) {
    ChordModel copy = *model;
    const auto p = copy.predict(items, minor);
    if (p.size() != items.size()) std::abort();
    for (const auto& d : p) {
      const double sum = std::accumulate(d.begin(), d.end(), 0.0);
      if (d.size() != static_cast<std::size_t>(kChordSymbols) || !(std::fabs(sum - 1.0) < 1e-6)) {
        std::abort();
      }
    }
  }
  auto again = decode_chord_model(encode_chord_model(*model), "again", duet::fuzz::kRereadLimits);
  if (!again) std::abort();
  return 0;
}
