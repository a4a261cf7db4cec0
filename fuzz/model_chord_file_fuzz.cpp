// Chord model files (DUETCHRD) from arbitrary bytes: no crash, no undefined behaviour, no huge
// allocation or endless rebuild (small limits); a model that reads predicts distributions over
// the 60 chord symbols that sum to 1, and writes back to bytes that read again.
//
// The files end in a CRC-32 that random bytes almost never match, so for odd-sized inputs the
// target replaces the last four bytes with the right CRC: the parser behind the check is fuzzed
// too.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "model/chord_model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::model;
  std::vector<std::uint8_t> bytes(data, data + size);
  if (size % 2 == 1 && size >= 16) {
    const std::uint32_t crc = crc32(std::span(bytes).first(size - 4));
    for (std::size_t i = 0; i < 4; ++i)
      bytes[size - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  }
  const ModelLimits limits{std::uint64_t{1} << 18, std::uint64_t{1} << 22};
  auto model = decode_chord_model(bytes, "fuzz.duetmodel", limits);
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
  auto again = decode_chord_model(encode_chord_model(*model), "again",
                                  ModelLimits{std::uint64_t{1} << 20, std::uint64_t{1} << 24});
  if (!again) std::abort();
  return 0;
}
