// Model files (.duetmodel) from arbitrary bytes: no crash, no undefined behaviour, no huge
// allocation or endless rebuild (small limits); a model that reads predicts a distribution that
// sums to 1 over its pitch domain, and writes back to bytes that read again.
//
// Version 2 files end in a CRC-32 that random bytes almost never match, so for odd-sized inputs
// the target replaces the last four bytes with the right CRC: the parser behind the check is
// fuzzed too.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "model/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::model;
  std::vector<std::uint8_t> bytes(data, data + size);
  if (size % 2 == 1 && size >= 16) {
    const std::uint32_t crc = crc32(std::span(bytes).first(size - 4));
    for (std::size_t i = 0; i < 4; ++i)
      bytes[size - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  }
  const ModelLimits limits{std::uint64_t{1} << 18, std::uint64_t{1} << 22};
  auto model = decode_model(bytes, "fuzz.duetmodel", limits);
  if (!model) {
    if (model.error().message.empty()) std::abort();
    return 0;
  }
  if (model->pitch_domain().empty()) return 0;
  Melody context;
  for (int i = 0; i < 4; ++i) {
    MelodyNote n;
    n.pitch = model->pitch_domain()[static_cast<std::size_t>(i) % model->pitch_domain().size()];
    n.onset = duet::time::BeatPos(i * 960);
    n.duration = duet::time::BeatDur(960);
    n.bar_position = duet::time::BeatDur((i % 4) * 960);
    n.key = KeyContext{0, false};
    context.notes.push_back(n);
  }
  MelodyNote next = context.notes.back();
  next.onset = duet::time::BeatPos(4 * 960);
  next.bar_position = duet::time::BeatDur(0);
  const auto p = model->predict_next(context, next);
  const double sum = std::accumulate(p.distribution.begin(), p.distribution.end(), 0.0);
  if (p.distribution.size() != model->pitch_domain().size() || !(std::fabs(sum - 1.0) < 1e-6)) {
    std::abort();
  }
  auto again = decode_model(encode_model(*model), "again",
                            ModelLimits{
                                std::uint64_t{1} << 20,
                                std::uint64_t{1} << 24,
                            });
  if (!again) std::abort();
  return 0;
}
