// A progress bar for long jobs, drawn on stderr: on a terminal one line redrawn in place
// ("analysing  [########------]  57%  ETA 0:12"), otherwise a plain line at every quarter so
// that logs stay short.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>

namespace duet::cli {

class ProgressBar {
 public:
  // tty: redraw in place; the default asks whether stderr is a terminal.
  explicit ProgressBar(std::string label);
  ProgressBar(std::string label, std::ostream& out, bool tty);

  // Fraction done, 0..1. Returns true (a job may pass it on as its "keep going" answer).
  bool update(double fraction);
  // Ends the bar's line (call once, when the job ends, whether it succeeded or not).
  void finish();

  // "1:05", "1:02:03": the time left at the rate so far, for tests.
  static std::string clock(double seconds);

 private:
  std::string label_;
  std::ostream& out_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  int last_percent_ = -1;
  int last_quarter_ = -1;
  bool drawn_ = false;
  bool finished_ = false;
};

}  // namespace duet::cli
