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
  // Gain at a time: the lowest over `group`'s windows (1 far from all of them).
  const auto gain_at = [&](double t, const std::vector<DuckWindow>& group) {
    double g = 1.0;
    for (const DuckWindow& w : group) {
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
  // Only frames near a window change. Windows whose ramped spans overlap form a group; each
  // group's frames are visited once with its own windows, so a whole film with hundreds of
  // windows costs its windows' length, not frames x windows.
  std::vector<DuckWindow> sorted = windows;
  std::sort(sorted.begin(), sorted.end(), [](const DuckWindow& a, const DuckWindow& b) {
    return a.start_seconds < b.start_seconds;
  });
  const std::size_t frames = mix.frames();
  for (std::size_t i = 0; i < sorted.size();) {
    std::vector<DuckWindow> group{sorted[i]};
    double group_end = sorted[i].end_seconds + ramp;
    for (++i; i < sorted.size() && sorted[i].start_seconds - ramp <= group_end; ++i) {
      group.push_back(sorted[i]);
      group_end = std::max(group_end, sorted[i].end_seconds + ramp);
    }
    const double group_start = group.front().start_seconds - ramp;
    const auto first = static_cast<std::size_t>(std::max(0.0, std::floor(group_start * rate)));
    const auto last = static_cast<std::size_t>(
        std::min(static_cast<double>(frames), std::ceil(group_end * rate) + 1));
    for (std::size_t f = first; f < last; ++f) {
      const auto g = static_cast<float>(gain_at(static_cast<double>(f) / rate, group));
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
  }
  return {};
}

}  // namespace duet::render
