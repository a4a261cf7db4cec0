#include "picture/video_picture.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace duet::picture {
namespace {

// Frames kept for the comparisons: the widest dissolve span (2 x 16) plus the flash lags.
constexpr int kRing = 40;
constexpr std::array<int, 3> kGradualSpans{4, 8, 16};
constexpr int kBackLags = 5;  // distances to frames t-2 .. t-6
constexpr int kBins = 64;     // 4 levels of each of R, G, B
// A transition end with mean luma below this (0..1) is black: the transition is a fade.
constexpr double kBlack = 0.06;

float luma_of(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  return 0.2126f * r + 0.7152f * g + 0.0722f * b;
}

// Mean absolute difference of two pictures of the same size, 0..1.
float mean_abs_diff(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  long sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    sum += std::abs(int{a[i]} - int{b[i]});
  return static_cast<float>(static_cast<double>(sum) / (255.0 * static_cast<double>(a.size())));
}

// Mean |m - (a + b) / 2| / 255: how far the middle frame is from the even mix of the ends.
float mix_residual(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& m,
                   const std::vector<std::uint8_t>& b) {
  long sum = 0;  // in half units
  for (std::size_t i = 0; i < a.size(); ++i) {
    sum += std::abs(2 * int{m[i]} - int{a[i]} - int{b[i]});
  }
  return static_cast<float>(static_cast<double>(sum) / (510.0 * static_cast<double>(a.size())));
}

}  // namespace

std::string_view to_string(GradualKind kind) {
  switch (kind) {
    case GradualKind::dissolve:
      return "dissolve";
    case GradualKind::fade_in:
      return "fade in";
    case GradualKind::fade_out:
      return "fade out";
  }
  return "dissolve";
}

PictureAnalyser::PictureAnalyser(const time::FrameRate& rate, int width, int height,
                                 CutOptions options)
    : rate_(rate), width_(width), height_(height), options_(options), ring_(kRing) {}

const PictureAnalyser::Frame& PictureAnalyser::back_frame(int k) const {
  return ring_[static_cast<std::size_t>((pushed_ - 1 - k) % kRing)];
}

float PictureAnalyser::distance(const Frame& a, const Frame& b) const {
  float hist = 0;
  for (int i = 0; i < kBins; ++i)
    hist += std::abs(a.histogram[i] - b.histogram[i]);
  hist *= 0.5f;
  const float pixels = std::min(1.0f, 4.0f * mean_abs_diff(a.rgb, b.rgb));
  return 0.5f * (hist + pixels);
}

void PictureAnalyser::push(std::span<const std::uint8_t> rgb) {
  Frame& f = ring_[static_cast<std::size_t>(pushed_ % kRing)];
  f.rgb.assign(rgb.begin(), rgb.end());
  f.histogram.assign(kBins, 0.0f);
  const std::size_t pixels = static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_);
  const float weight = 1.0f / static_cast<float>(pixels);
  double luma = 0;
  long red_minus_blue = 0;
  for (std::size_t p = 0; p < pixels; ++p) {
    const std::uint8_t r = rgb[3 * p], g = rgb[3 * p + 1], b = rgb[3 * p + 2];
    f.histogram[static_cast<std::size_t>(((r >> 6) << 4) | ((g >> 6) << 2) | (b >> 6))] += weight;
    luma += luma_of(r, g, b);
    red_minus_blue += int{r} - int{b};
  }
  ++pushed_;

  Features feat;
  feat.luma = static_cast<float>(luma / (255.0 * static_cast<double>(pixels)));
  feat.warmth = static_cast<float>(static_cast<double>(red_minus_blue) /
                                   (255.0 * static_cast<double>(pixels)));
  if (pushed_ >= 2) {
    const Frame& prev = back_frame(1);
    feat.d1 = distance(f, prev);
    double sum = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (std::size_t p = 0; p < pixels; ++p) {
      const double now = luma_of(f.rgb[3 * p], f.rgb[3 * p + 1], f.rgb[3 * p + 2]);
      const double before = luma_of(prev.rgb[3 * p], prev.rgb[3 * p + 1], prev.rgb[3 * p + 2]);
      sum += std::abs(now - before);
      sx += now;
      sy += before;
      sxx += now * now;
      syy += before * before;
      sxy += now * before;
    }
    const auto count = static_cast<double>(pixels);
    feat.motion = static_cast<float>(sum / (255.0 * count));
    // Pearson correlation; a flat picture (a flash to white, black) correlates with nothing.
    // Flat: luma standard deviation under 1 level in 255.
    const double vx = sxx - sx * sx / count, vy = syy - sy * sy / count;
    const double cov = sxy - sx * sy / count;
    feat.structure =
        vx < count || vy < count ? 1.0f : static_cast<float>(1.0 - cov / std::sqrt(vx * vy));
  }
  for (int lag = 2; lag < 2 + kBackLags; ++lag) {
    if (pushed_ > lag) feat.back[lag - 2] = distance(f, back_frame(lag));
  }
  features_.push_back(feat);

  if (!options_.gradual) return;
  for (int span : kGradualSpans) {
    if (pushed_ <= 2 * span) break;
    const Frame& a = back_frame(2 * span);
    const Frame& m = back_frame(span);
    const float change = mean_abs_diff(a.rgb, f.rgb);
    if (change < options_.gradual_min_change) continue;
    const float residual = mix_residual(a.rgb, m.rgb, f.rgb);
    const float limit = static_cast<float>(options_.gradual_linearity) * change;
    if (residual > limit) continue;
    Features& mid = features_[static_cast<std::size_t>(pushed_ - 1 - span)];
    mid.gradual_span = span;
    // One span alone is matched by smooth changes inside a shot (a slow zoom); a dissolve's
    // middle frames are mixes at every span that fits inside it.
    mid.gradual_mid = ++mid.gradual_matches >= 2;
    mid.gradual_strength = std::max(mid.gradual_strength, 1.0f - residual / limit);
  }
}

PictureResult PictureAnalyser::finish() const {
  PictureResult out;
  const auto n = static_cast<std::int64_t>(features_.size());
  out.frames = n;
  auto d = [&](std::int64_t i) {
    return static_cast<double>(features_[static_cast<std::size_t>(i)].d1);
  };
  std::vector<bool> excluded(static_cast<std::size_t>(n), false);  // from the motion series

  for (std::int64_t t = 1; t < n; ++t) {
    const double score = d(t);
    if (score < options_.min_score) continue;
    bool peak = true;
    for (std::int64_t i = std::max<std::int64_t>(1, t - 2); i <= std::min(n - 1, t + 2); ++i) {
      if (i != t && (d(i) > score || (i < t && d(i) == score))) peak = false;
    }
    if (!peak) continue;
    double sum = 0;
    int count = 0;
    for (std::int64_t i = std::max<std::int64_t>(1, t - options_.window);
         i <= std::min(n - 1, t + options_.window); ++i) {
      if (std::abs(i - t) <= 1) continue;
      sum += d(i);
      ++count;
    }
    // A floor on the local mean keeps a cut between two still shots from scoring infinitely.
    const double baseline = std::max(count > 0 ? sum / count : 0.0, 0.01);
    const double neighbours = std::max(d(t - 1), t + 1 < n ? d(t + 1) : 0.0);
    const bool plain = score >= options_.ratio * baseline;
    const bool strong = score >= options_.strong_score &&
                        score >= options_.strong_ratio * baseline &&
                        score >= options_.strong_peak * neighbours;
    if (!plain && !strong) continue;
    if (features_[static_cast<std::size_t>(t)].structure < options_.min_structure_change) {
      excluded[static_cast<std::size_t>(t)] = true;
      continue;
    }
    // Flash guard: distance from frame t-1 to frame t+k is the lag-(k+1) distance of t+k.
    bool flash = false;
    for (int k = 1; k <= std::min(options_.flash_frames, kBackLags) && t + k < n; ++k) {
      const double back = features_[static_cast<std::size_t>(t + k)].back[k - 1];
      if (back < options_.flash_return * score && !flash) {
        flash = true;
        // The flash's frames and the return to the picture are not motion either.
        for (std::int64_t i = t; i <= t + k; ++i)
          excluded[static_cast<std::size_t>(i)] = true;
      }
    }
    // The end of a flash: frame t is close to a frame before the flash began.
    for (int k = 2; k <= std::min(options_.flash_frames + 1, 1 + kBackLags); ++k) {
      if (features_[static_cast<std::size_t>(t)].back[k - 2] < options_.flash_return * score) {
        flash = true;
      }
    }
    excluded[static_cast<std::size_t>(t)] = true;
    if (flash) continue;
    const double bar = plain ? options_.ratio * baseline : options_.strong_ratio * baseline;
    const double margin = std::min(score / options_.min_score, score / bar);
    out.cuts.push_back(ShotCut{t, time::time_of_frame(t, rate_), score, 1.0 - 0.5 / margin});
  }

  // Gradual transitions: runs of middle frames (gaps of one frame bridged).
  for (std::int64_t t = 0; t < n;) {
    if (!features_[static_cast<std::size_t>(t)].gradual_mid) {
      ++t;
      continue;
    }
    std::int64_t last = t;
    double strength = 0;
    int matched = 0;
    int widest = 0;
    for (std::int64_t i = t; i < n && i <= last + 2; ++i) {
      const Features& f = features_[static_cast<std::size_t>(i)];
      if (!f.gradual_mid) continue;
      last = i;
      strength += f.gradual_strength;
      widest = std::max(widest, f.gradual_span);
      ++matched;
    }
    if (matched >= options_.gradual_min_frames) {
      const Features& first_f = features_[static_cast<std::size_t>(t)];
      const Features& last_f = features_[static_cast<std::size_t>(last)];
      GradualTransition g;
      g.start_frame = std::max<std::int64_t>(0, t - first_f.gradual_span);
      g.end_frame = std::min(n - 1, last + last_f.gradual_span);
      g.start = time::time_of_frame(g.start_frame, rate_);
      g.end = time::time_of_frame(g.end_frame + 1, rate_);
      const double luma_start = features_[static_cast<std::size_t>(g.start_frame)].luma;
      const double luma_end = features_[static_cast<std::size_t>(g.end_frame)].luma;
      g.kind = luma_start < kBlack ? GradualKind::fade_in
               : luma_end < kBlack ? GradualKind::fade_out
                                   : GradualKind::dissolve;
      g.confidence = 0.5 + 0.5 * strength / matched;
      // A hard cut inside the span is the better explanation of the change.
      bool has_cut = false;
      for (const ShotCut& c : out.cuts)
        has_cut = has_cut || (c.frame > g.start_frame && c.frame <= g.end_frame);
      if (!has_cut) out.gradual.push_back(g);
    }
    t = last + 1;
  }

  // Per-second series.
  const time::Rational& fps = rate_.fps();
  const std::int64_t seconds = n == 0 ? 0 : time::mul_div_floor(n - 1, fps.den(), fps.num()) + 1;
  std::vector<double> motion(static_cast<std::size_t>(seconds)), brightness(motion), warmth(motion);
  std::vector<int> frames(motion.size()), motion_frames(motion.size());
  for (std::int64_t i = 0; i < n; ++i) {
    const auto s = static_cast<std::size_t>(time::mul_div_floor(i, fps.den(), fps.num()));
    const Features& f = features_[static_cast<std::size_t>(i)];
    brightness[s] += f.luma;
    warmth[s] += f.warmth;
    ++frames[s];
    if (i > 0 && !excluded[static_cast<std::size_t>(i)]) {
      motion[s] += f.motion;
      ++motion_frames[s];
    }
  }
  for (std::size_t s = 0; s < motion.size(); ++s) {
    if (frames[s] > 0) {
      brightness[s] /= frames[s];
      warmth[s] /= frames[s];
    }
    if (motion_frames[s] > 0) motion[s] /= motion_frames[s];
  }
  out.series = PictureSeries{std::move(motion), std::move(brightness), std::move(warmth)};
  return out;
}

}  // namespace duet::picture
