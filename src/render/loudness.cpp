#include "render/loudness.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "base/error.h"

namespace duet::render {
namespace {

struct StateDeleter {
  void operator()(ebur128_state* s) const { ebur128_destroy(&s); }
};

double db_of(double linear) {
  return linear > 0 ? 20.0 * std::log10(linear) : -200.0;
}

}  // namespace

base::Result<Loudness> measure_loudness(const Audio& audio) {
  std::unique_ptr<ebur128_state, StateDeleter> state(ebur128_init(
      2, static_cast<unsigned long>(audio.sample_rate), EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
  if (!state) {
    return base::make_error(base::ErrorKind::unsupported, "libebur128 cannot measure audio at ",
                            audio.sample_rate, " Hz");
  }
  if (audio.frames() > 0 && ebur128_add_frames_float(state.get(), audio.samples.data(),
                                                     audio.frames()) != EBUR128_SUCCESS) {
    return base::make_error(base::ErrorKind::impossible, "libebur128 failed to measure the audio");
  }
  Loudness result;
  double lufs = 0;
  if (ebur128_loudness_global(state.get(), &lufs) == EBUR128_SUCCESS && std::isfinite(lufs)) {
    result.integrated_lufs = lufs;
  }
  double peak = 0;
  for (unsigned int c = 0; c < 2; ++c) {
    double p = 0;
    if (ebur128_true_peak(state.get(), c, &p) == EBUR128_SUCCESS) peak = std::max(peak, p);
  }
  result.true_peak_dbtp = db_of(peak);
  return result;
}

base::Result<Normalization> normalize(Audio& mix, std::vector<Audio*> stems,
                                      const NormalizeOptions& options) {
  auto before = measure_loudness(mix);
  if (!before) return before.error();
  Normalization n;
  n.before = *before;
  if (!n.before.integrated_lufs) {
    n.after = n.before;
    return n;
  }
  double gain_db = options.target_lufs - *n.before.integrated_lufs;
  if (n.before.true_peak_dbtp + gain_db > options.ceiling_dbtp) {
    gain_db = options.ceiling_dbtp - n.before.true_peak_dbtp;
    n.peak_limited = true;
  }
  n.gain_db = gain_db;
  const auto gain = static_cast<float>(std::pow(10.0, gain_db / 20.0));
  for (float& x : mix.samples)
    x *= gain;
  for (Audio* stem : stems) {
    for (float& x : stem->samples)
      x *= gain;
  }
  auto after = measure_loudness(mix);
  if (!after) return after.error();
  n.after = *after;
  return n;
}

}  // namespace duet::render
