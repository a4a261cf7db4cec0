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

struct LoudnessMeter::State {
  std::unique_ptr<ebur128_state, StateDeleter> ebu;
};

base::Result<LoudnessMeter> LoudnessMeter::make(int sample_rate) {
  auto state = std::make_shared<State>();
  state->ebu.reset(ebur128_init(2, static_cast<unsigned long>(sample_rate),
                                EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
  if (!state->ebu) {
    return base::make_error(base::ErrorKind::unsupported, "libebur128 cannot measure audio at ",
                            sample_rate, " Hz");
  }
  return LoudnessMeter(std::move(state));
}

base::Result<void> LoudnessMeter::add(std::span<const float> block) {
  if (block.size() >= 2 && ebur128_add_frames_float(state_->ebu.get(), block.data(),
                                                    block.size() / 2) != EBUR128_SUCCESS) {
    return base::make_error(base::ErrorKind::impossible, "libebur128 failed to measure the audio");
  }
  return {};
}

Loudness LoudnessMeter::result() const {
  Loudness result;
  double lufs = 0;
  if (ebur128_loudness_global(state_->ebu.get(), &lufs) == EBUR128_SUCCESS && std::isfinite(lufs)) {
    result.integrated_lufs = lufs;
  }
  double peak = 0;
  for (unsigned int c = 0; c < 2; ++c) {
    double p = 0;
    if (ebur128_true_peak(state_->ebu.get(), c, &p) == EBUR128_SUCCESS) peak = std::max(peak, p);
  }
  result.true_peak_dbtp = db_of(peak);
  return result;
}

base::Result<Loudness> measure_loudness(const Audio& audio) {
  auto meter = LoudnessMeter::make(audio.sample_rate);
  if (!meter) return meter.error();
  if (auto ok = meter->add(audio.samples); !ok) return ok.error();
  return meter->result();
}

Normalization normalization_for(const Loudness& before, const NormalizeOptions& options) {
  Normalization n;
  n.before = before;
  n.after = before;
  if (!n.before.integrated_lufs) return n;
  double gain_db = options.target_lufs - *n.before.integrated_lufs;
  if (n.before.true_peak_dbtp + gain_db > options.ceiling_dbtp) {
    gain_db = options.ceiling_dbtp - n.before.true_peak_dbtp;
    n.peak_limited = true;
  }
  n.gain_db = gain_db;
  return n;
}

base::Result<Normalization> normalize(Audio& mix, std::vector<Audio*> stems,
                                      const NormalizeOptions& options) {
  auto before = measure_loudness(mix);
  if (!before) return before.error();
  Normalization n = normalization_for(*before, options);
  if (!n.before.integrated_lufs) return n;
  const auto gain = static_cast<float>(std::pow(10.0, n.gain_db / 20.0));
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

base::Result<Ducker> Ducker::make(std::vector<DuckWindow> windows, const DuckOptions& options,
                                  int sample_rate) {
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
  Ducker d;
  d.floor_ = std::pow(10.0, -options.depth_db / 20.0);
  d.ramp_ = std::max(0.0, options.ramp_seconds);
  d.rate_ = sample_rate;
  // Windows whose ramped spans overlap form a group; each group's frames are visited once with
  // its own windows, so a whole film with hundreds of windows costs its windows' length, not
  // frames x windows.
  std::sort(windows.begin(), windows.end(), [](const DuckWindow& a, const DuckWindow& b) {
    return a.start_seconds < b.start_seconds;
  });
  const double rate = sample_rate;
  for (std::size_t i = 0; i < windows.size();) {
    Group group;
    group.windows.push_back(windows[i]);
    double group_end = windows[i].end_seconds + d.ramp_;
    for (++i; i < windows.size() && windows[i].start_seconds - d.ramp_ <= group_end; ++i) {
      group.windows.push_back(windows[i]);
      group_end = std::max(group_end, windows[i].end_seconds + d.ramp_);
    }
    const double group_start = group.windows.front().start_seconds - d.ramp_;
    group.first = static_cast<std::int64_t>(std::max(0.0, std::floor(group_start * rate)));
    group.last = static_cast<std::int64_t>(std::ceil(group_end * rate)) + 1;
    d.groups_.push_back(std::move(group));
  }
  return d;
}

// Gain at a time: the lowest over the group's windows (1 far from all of them).
double Ducker::gain_at(double t, const Group& group) const {
  double g = 1.0;
  for (const DuckWindow& w : group.windows) {
    double x = 1.0;  // 1 = no duck, 0 = full depth
    if (t >= w.start_seconds && t <= w.end_seconds) {
      x = 0.0;
    } else if (t < w.start_seconds && ramp_ > 0 && t > w.start_seconds - ramp_) {
      x = (w.start_seconds - t) / ramp_;
    } else if (t > w.end_seconds && ramp_ > 0 && t < w.end_seconds + ramp_) {
      x = (t - w.end_seconds) / ramp_;
    }
    g = std::min(g, floor_ + (1.0 - floor_) * x);
  }
  return g;
}

void Ducker::apply(std::int64_t first_frame, std::size_t frames, std::span<float* const> audio) {
  const std::int64_t end = first_frame + static_cast<std::int64_t>(frames);
  while (next_ < groups_.size() && groups_[next_].last <= first_frame)
    ++next_;
  for (std::size_t k = next_; k < groups_.size() && groups_[k].first < end; ++k) {
    const Group& group = groups_[k];
    for (std::int64_t f = std::max(first_frame, group.first); f < std::min(end, group.last); ++f) {
      const auto g = static_cast<float>(gain_at(static_cast<double>(f) / rate_, group));
      if (g == 1.0f) continue;
      const auto at = static_cast<std::size_t>(f - first_frame) * 2;
      for (float* a : audio) {
        a[at] *= g;
        a[at + 1] *= g;
      }
    }
  }
}

base::Result<void> duck(Audio& mix, std::vector<Audio*> stems,
                        const std::vector<DuckWindow>& windows, const DuckOptions& options) {
  auto ducker = Ducker::make(windows, options, mix.sample_rate);
  if (!ducker) return ducker.error();
  // Each audio by itself, from frame 0 (stems may be shorter than the mix).
  Ducker copy = *ducker;
  float* m = mix.samples.data();
  copy.apply(0, mix.frames(), std::span<float* const>(&m, 1));
  for (Audio* stem : stems) {
    Ducker again = *ducker;
    float* p = stem->samples.data();
    again.apply(0, stem->frames(), std::span<float* const>(&p, 1));
  }
  return {};
}

}  // namespace duet::render
