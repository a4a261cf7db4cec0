// Model files (.duetmodel) from arbitrary bytes: no crash, no undefined behaviour, no huge
// allocation or endless rebuild (small limits); a model that reads predicts a distribution that
// sums to 1 over its pitch domain, and writes back to bytes that read again. Odd-sized inputs
// get the right CRC-32 for version 2 files (model_file_bytes.h).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "model/model_file.h"
#include "model_file_bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::model;
  const std::vector<std::uint8_t> bytes = duet::fuzz::with_crc_for_odd_sizes(data, size);
  auto model = decode_model(bytes, "fuzz.duetmodel", duet::fuzz::kFuzzLimits);
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
  auto again = decode_model(encode_model(*model), "again", duet::fuzz::kRereadLimits);
  if (!again) std::abort();
  return 0;
}
