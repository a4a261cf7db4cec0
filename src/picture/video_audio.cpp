#include "picture/video_audio.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace duet::picture {

// ---- Loudness ----

struct LoudnessMeter::Impl {
  ebur128_state* state = nullptr;
  int channels = 0;
  unsigned long rate = 0;
  unsigned long in_second = 0;  // sample frames pushed since the last whole second
  Loudness result;

  ~Impl() {
    if (state != nullptr) ebur128_destroy(&state);
  }
  static double clamp_lufs(double lufs) {
    return std::isfinite(lufs) ? std::max(lufs, kSilenceLufs) : kSilenceLufs;
  }
  void mark_second() {
    double momentary = -HUGE_VAL, short_term = -HUGE_VAL;
    ebur128_loudness_momentary(state, &momentary);
    ebur128_loudness_shortterm(state, &short_term);
    result.momentary_lufs.push_back(clamp_lufs(momentary));
    result.short_term_lufs.push_back(clamp_lufs(short_term));
  }
};

LoudnessMeter::LoudnessMeter(int channels, int sample_rate) : impl_(std::make_unique<Impl>()) {
  impl_->channels = channels;
  impl_->rate = static_cast<unsigned long>(sample_rate);
  impl_->state = ebur128_init(static_cast<unsigned>(channels), impl_->rate,
                              EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA);
  impl_->result.measured = true;
}

LoudnessMeter::~LoudnessMeter() = default;

void LoudnessMeter::push(std::span<const float> interleaved) {
  if (impl_->state == nullptr) return;
  const auto channels = static_cast<std::size_t>(impl_->channels);
  std::size_t frames = interleaved.size() / channels;
  const float* data = interleaved.data();
  // Feed up to each whole second so that the per-second readings fall on the second.
  while (frames > 0) {
    const std::size_t take = std::min<std::size_t>(frames, impl_->rate - impl_->in_second);
    ebur128_add_frames_float(impl_->state, data, take);
    data += take * channels;
    frames -= take;
    impl_->in_second += take;
    if (impl_->in_second == impl_->rate) {
      impl_->mark_second();
      impl_->in_second = 0;
    }
  }
}

Loudness LoudnessMeter::finish() {
  if (impl_->state == nullptr) return Loudness{};
  if (impl_->in_second > 0) {
    impl_->mark_second();
    impl_->in_second = 0;
  }
  double integrated = -HUGE_VAL, range = 0;
  ebur128_loudness_global(impl_->state, &integrated);
  ebur128_loudness_range(impl_->state, &range);
  impl_->result.integrated_lufs = Impl::clamp_lufs(integrated);
  impl_->result.range_lu = std::isfinite(range) ? range : 0.0;
  return impl_->result;
}

// ---- Dialogue ----

namespace {

constexpr int kFrame = DialogueDetector::kSampleRate / 100;  // 10 ms
constexpr int kStep = 25;                                    // frames per 0.25 s step
constexpr int kWindow = 200;                                 // frames in the 2 s window
constexpr double kEdgeVariation = 0.3;

// Maps x to 0..1 between two anchors.
double ramp(double x, double low, double high) {
  return std::clamp((x - low) / (high - low), 0.0, 1.0);
}

}  // namespace

DialogueDetector::DialogueDetector(DialogueOptions options) : options_(options) {
  // RBJ cookbook Butterworth sections (Q = 1/sqrt 2): high-pass at 300 Hz, low-pass at 3400 Hz.
  auto make = [](double f0, bool high) {
    const double w0 = 2 * std::numbers::pi * f0 / kSampleRate;
    const double alpha = std::sin(w0) / (2 * std::numbers::sqrt2 / 2);
    const double c = std::cos(w0);
    const double a0 = 1 + alpha;
    Biquad q{};
    if (high) {
      q.b0 = (1 + c) / 2 / a0;
      q.b1 = -(1 + c) / a0;
    } else {
      q.b0 = (1 - c) / 2 / a0;
      q.b1 = (1 - c) / a0;
    }
    q.b2 = q.b0;
    q.a1 = -2 * c / a0;
    q.a2 = (1 - alpha) / a0;
    return q;
  };
  high_pass_ = make(300, true);
  low_pass_ = make(3400, false);
}

void DialogueDetector::push(std::span<const float> mono) {
  for (float sample : mono) {
    const double x = sample;
    const double band = low_pass_.run(high_pass_.run(x));
    frame_full_ += x * x;
    frame_band_ += band * band;
    if (++frame_fill_ == kFrame) {
      full_.push_back(static_cast<float>(frame_full_ / kFrame));
      band_.push_back(static_cast<float>(frame_band_ / kFrame));
      frame_full_ = frame_band_ = 0;
      frame_fill_ = 0;
    }
  }
}

std::vector<double> DialogueDetector::confidences() const {
  const int frames = static_cast<int>(band_.size());
  const int steps = (frames + kStep - 1) / kStep;
  std::vector<double> out(static_cast<std::size_t>(steps), 0.0);
  std::vector<double> envelope;
  for (int s = 0; s < steps; ++s) {
    const int centre = s * kStep + kStep / 2;
    const int begin = std::max(0, centre - kWindow / 2);
    const int end = std::min(frames, centre + kWindow / 2);
    const int n = end - begin;
    if (n < kWindow / 4) continue;
    double full = 0, band = 0;
    envelope.assign(static_cast<std::size_t>(n), 0.0);
    for (int i = 0; i < n; ++i) {
      full += full_[static_cast<std::size_t>(begin + i)];
      band += band_[static_cast<std::size_t>(begin + i)];
      envelope[static_cast<std::size_t>(i)] = std::sqrt(band_[static_cast<std::size_t>(begin + i)]);
    }
    // dBFS of the band: a full-scale sine has mean square 1/2.
    const double level = 10 * std::log10(2 * band / n + 1e-20);
    if (level < options_.silence_dbfs) continue;
    const double band_ratio = band / (full + 1e-20);

    double mean = 0;
    for (double e : envelope)
      mean += e;
    mean /= n;
    double variance = 0;
    for (double& e : envelope) {
      e -= mean;
      variance += e * e;
    }
    const double depth = std::sqrt(variance / n) / (mean + 1e-20);
    // Modulation spectrum of the envelope (sampled at 100 Hz) by a direct DFT.
    double syllabic = 0, all = 0;
    for (int k = 1; k <= n / 2; ++k) {
      const double hz = 100.0 * k / n;
      if (hz < 1.0 || hz > 25.0) continue;
      double re = 0, im = 0;
      for (int i = 0; i < n; ++i) {
        const double phase = 2 * std::numbers::pi * k * i / n;
        re += envelope[static_cast<std::size_t>(i)] * std::cos(phase);
        im -= envelope[static_cast<std::size_t>(i)] * std::sin(phase);
      }
      const double power = re * re + im * im;
      all += power;
      if (hz >= 2.0 && hz <= 8.0) syllabic += power;
    }
    const double modulation = all > 0 ? syllabic / all : 0.0;
    const double score =
        ramp(band_ratio, 0.4, 0.7) * ramp(modulation, 0.3, 0.55) * ramp(depth, 0.35, 0.8);
    out[static_cast<std::size_t>(s)] = std::cbrt(score);
  }
  return out;
}

std::vector<DialogueWindow> DialogueDetector::finish() const {
  const std::vector<double> conf = confidences();
  const double step_seconds = static_cast<double>(kStep * kFrame) / kSampleRate;
  const auto bridge = static_cast<std::size_t>(std::lround(options_.bridge_seconds / step_seconds));
  std::vector<DialogueWindow> out;
  const auto frame_pos = [](std::size_t frame) {
    // 10 ms is 2,822,400 superclock ticks.
    return time::TimePos(static_cast<std::int64_t>(frame) * (time::kSuperclockPerSecond / 100));
  };
  // Standard deviation / mean of the speech-band amplitude over the 10 ms frames of a step.
  const auto steadiness = [this](std::size_t step) {
    const std::size_t begin = step * kStep;
    const std::size_t end = std::min(band_.size(), begin + kStep);
    double sum = 0, squares = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const double a = std::sqrt(band_[i]);
      sum += a;
      squares += a * a;
    }
    const auto n = static_cast<double>(end - begin);
    const double mean = sum / n;
    return std::sqrt(std::max(0.0, squares / n - mean * mean)) / (mean + 1e-20);
  };
  for (std::size_t s = 0; s < conf.size();) {
    if (conf[s] < options_.threshold) {
      ++s;
      continue;
    }
    std::size_t last = s;
    double sum = 0;
    int count = 0;
    for (std::size_t i = s; i < conf.size() && i <= last + bridge + 1; ++i) {
      if (conf[i] < options_.threshold) continue;
      last = i;
      sum += conf[i];
      ++count;
    }
    // The 2 s window blurs the edges: drop edge steps whose own 10 ms frames are steady (a tone
    // or a noise beside the speech; speech frames vary by more than 30% around their mean).
    std::size_t first = s;
    while (first < last && steadiness(first) < kEdgeVariation)
      ++first;
    while (last > first && steadiness(last) < kEdgeVariation)
      --last;
    // Trim the quiet ends (speech band 20 dB under the window's mean) off the steps.
    std::size_t begin = first * kStep;
    std::size_t end = std::min(band_.size(), (last + 1) * kStep);
    double mean = 0;
    for (std::size_t i = begin; i < end; ++i)
      mean += band_[i];
    mean /= static_cast<double>(end - begin);
    while (begin < end && band_[begin] < 0.01 * mean)
      ++begin;
    while (end > begin && band_[end - 1] < 0.01 * mean)
      --end;
    const double seconds = static_cast<double>(end - begin) / 100.0;
    if (seconds >= options_.min_seconds) {
      out.push_back(DialogueWindow{frame_pos(begin), frame_pos(end), sum / count});
    }
    s = last + 1;
  }
  return out;
}

}  // namespace duet::picture
