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

base::Result<void> duck(Audio& mix, std::vector<Audio*> stems,
                        const std::vector<DuckWindow>& windows, const DuckOptions& options) {
  if (options.depth_db < 0 || options.depth_db > 60) {
    return base::make_error(base::ErrorKind::out_of_range, "ducking depth ", options.depth_db,
                            " dB is outside 0..60");
  }
  for (const DuckWindow& w : windows) {
    if (w.end_seconds < w.start_seconds) {
      return base::make_error(base::ErrorKind::invalid_input, "dialogue window ", w.start_seconds,
                              "-", w.end_seconds, " s ends before it starts");
    }
  }
  const double floor = std::pow(10.0, -options.depth_db / 20.0);
  const double rate = mix.sample_rate;
  const double ramp = std::max(0.0, options.ramp_seconds);
  // Gain at a time: the lowest over the windows (1 far from all of them).
  const auto gain_at = [&](double t) {
    double g = 1.0;
    for (const DuckWindow& w : windows) {
      double x = 1.0;  // 1 = no duck, 0 = full depth
      if (t >= w.start_seconds && t <= w.end_seconds) {
        x = 0.0;
      } else if (t < w.start_seconds && ramp > 0 && t > w.start_seconds - ramp) {
        x = (w.start_seconds - t) / ramp;
      } else if (t > w.end_seconds && ramp > 0 && t < w.end_seconds + ramp) {
        x = (t - w.end_seconds) / ramp;
      }
      g = std::min(g, floor + (1.0 - floor) * x);
    }
    return g;
  };
  const std::size_t frames = mix.frames();
  for (std::size_t f = 0; f < frames; ++f) {
    const auto g = static_cast<float>(gain_at(static_cast<double>(f) / rate));
    if (g == 1.0f) continue;
    mix.samples[2 * f] *= g;
    mix.samples[2 * f + 1] *= g;
    for (Audio* stem : stems) {
      if (2 * f + 1 < stem->samples.size()) {
        stem->samples[2 * f] *= g;
        stem->samples[2 * f + 1] *= g;
      }
    }
  }
  return {};
}

}  // namespace duet::render
