#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace duet::cli {

ProgressBar::ProgressBar(std::string label)
    : ProgressBar(std::move(label), std::cerr, isatty(fileno(stderr)) != 0) {}

ProgressBar::ProgressBar(std::string label, std::ostream& out, bool tty)
    : label_(std::move(label)), out_(out), tty_(tty), start_(std::chrono::steady_clock::now()) {}

std::string ProgressBar::clock(double seconds) {
  const auto total = static_cast<long>(std::lround(std::max(0.0, seconds)));
  const long h = total / 3600, m = total / 60 % 60, s = total % 60;
  char text[32];
  if (h > 0) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", h, m, s);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", m, s);
  }
  return text;
}

bool ProgressBar::update(double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  const int percent = static_cast<int>(std::floor(fraction * 100));
  if (!tty_ || percent == last_percent_) return true;
  last_percent_ = percent;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '-');
  std::string eta = "ETA --:--";
  if (fraction > 0.01) eta = "ETA " + clock(elapsed * (1 - fraction) / fraction);
  char pct[8];
  std::snprintf(pct, sizeof pct, "%3d%%", percent);
  out_ << "\r" << label_ << "  [" << bar << "] " << pct << "  " << eta << "\x1b[K" << std::flush;
  drawn_ = true;
  return true;
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (tty_ && drawn_) out_ << "\n" << std::flush;
}

engine::Progress StageBars::progress() {
  if (!show_) return {};
  return [this](const std::string& what, double fraction) {
    if (!bar_ || what != stage_) {
      if (bar_) bar_->finish();
      stage_ = what;
      bar_.emplace(what);
    }
    return bar_->update(fraction);
  };
}

void StageBars::finish() {
  if (bar_) bar_->finish();
  bar_.reset();
}

}  // namespace duet::cli
