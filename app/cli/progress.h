// A progress bar for long jobs, drawn on stderr when it is a terminal: one line redrawn in place
// ("analysing  [########------]  57%  ETA 0:12"). When stderr is a file or a pipe (a log, a
// script, CI) nothing is drawn, as git does, so that logs hold the results and the errors only.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>

#include "engine/progress.h"

namespace duet::cli {

class ProgressBar {
 public:
  // tty: draw (redrawn in place); false draws nothing. The default asks whether stderr is a
  // terminal.
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
  bool drawn_ = false;
  bool finished_ = false;
};

// The bars of an engine job (engine::Progress): one bar per stage, labelled with the stage's name
// ("composing 1M3"), the previous one finished when the stage changes. Draws nothing when `show`
// is false (--quiet).
class StageBars {
 public:
  explicit StageBars(bool show) : show_(show) {}
  // The job's progress callback; this object must outlive the job.
  engine::Progress progress();
  // Ends the last bar's line (call once, when the job ends).
  void finish();

 private:
  bool show_;
  std::string stage_;
  std::optional<ProgressBar> bar_;
};

}  // namespace duet::cli
