// Constant-tempo fitting: the tempos that land the most weighted hit points, found exactly.
//
// A hit at τ superclock ticks after the cue's start lands on a grid point x beat ticks after
// the start when |x · 8,820,000 / q − τ| <= tol, that is for every tempo q (quarters per
// minute) in the closed interval [8,820,000·x / (τ + tol), 8,820,000·x / (τ − tol)]. The fitter
// lists those intervals for every hit and every grid point in the tempo range, sweeps their
// endpoints in exact rational order with the hits' weights, and keeps the plateaus of landed
// weight that are higher than both neighbours. docs/sync.md has the maths and the ranking rules.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include "base/result.h"
#include "spot/cue.h"
#include "sync/check.h"
#include "time/frame_rate.h"
#include "time/rational.h"
#include "time/tempo.h"
#include "time/tempo_map.h"

namespace duet::sync {

struct FitOptions {
  time::FrameRate rate = time::FrameRate::fps24();
  time::Meter meter;
  // The cue's start: where the music starts, and its first downbeat unless `pickup` is on.
  time::TimePos start;
  time::Rational min_qpm{40};          // tempo range, quarter notes per minute
  time::Rational max_qpm{240};         // 1 <= min < max <= 10,000
  time::Rational tolerance_frames{1};  // how far a hit may land from its frame, >= 0
  // A free start offset: the music may start on a pickup of any length on the finest grid the
  // hits use, shorter than a bar; the first downbeat then comes after the start.
  bool pickup = false;
  // Only frame-click tempos (F-k: F frames and k eighths of a frame per beat, beat = quarter).
  bool frame_clicks = false;
  std::size_t max_options = 5;
  // Between options that land the same hits equally well (multiples of one tempo often do:
  // 40, 80, 120, 160 and 200 BPM land hits 6 s apart alike), the one nearest this tempo on a
  // log scale ranks first, quarter notes per minute. 120 is the preferred tempo listeners and
  // performers gravitate to (Moelants 2002); the CLI sets it from the cue's emotion curve.
  double preferred_qpm = 120.0;
  // A tempo this many times slower or faster than the preferred one is implausible for the cue
  // (a calm cue at 220 BPM): such options rank below plausible ones that land as much hard
  // weight, whatever soft hits they add. 0: every tempo in the range is plausible.
  double plausible_ratio_down = 2.0;
  double plausible_ratio_up = 1.6;
};

struct FitOption {
  time::TempoMap map;  // constant tempo; origin = the first downbeat on the film timeline
  time::Tempo tempo;
  // The tempos that land the same weight as `tempo` (the plateau it was taken from), quarter
  // notes per minute; equal for a frame click (a single tempo).
  time::Rational plateau_low;
  time::Rational plateau_high;
  time::BeatDur pickup;  // beat ticks from the start to the first downbeat (0: none)
  std::optional<std::pair<int, int>> click;  // frames and eighths, for a frame-click tempo
  CheckReport check;                         // every hit under `map`
  bool plausible = true;                     // within the plausible ratios of the preferred tempo
  std::string reason;                        // one line: why it ranks where it does
};

// Whether a tempo (quarters per minute) is plausible for options' preferred tempo.
bool plausible_tempo(double qpm, const FitOptions& options);

// The ranked options, best first (at most max_options). Fails when there are no hits, a hit
// comes before the start, or the options are out of range; an empty list means no tempo in the
// range lands any hit.
base::Result<std::vector<FitOption>> fit_constant(const std::vector<spot::HitPoint>& hits,
                                                  const FitOptions& options);

// The score of one tempo (and pickup) by the same exact rule the sweep uses: landed hard
// weight and landed soft weight, thousandths. For tests and the benchmark's brute-force scan.
struct Score {
  std::int64_t hard = 0;
  std::int64_t soft = 0;
  friend auto operator<=>(const Score&, const Score&) = default;
};
Score score_tempo(const std::vector<spot::HitPoint>& hits, const FitOptions& options,
                  const time::Rational& qpm, time::BeatDur pickup = time::BeatDur(0));

// The best score of the exact sweep (no ranking, no reports): what the benchmark times.
Score best_score(const std::vector<spot::HitPoint>& hits, const FitOptions& options);

// The brute-force baseline: the best score over tempos min, min + step, ... <= max.
Score scan_best_score(const std::vector<spot::HitPoint>& hits, const FitOptions& options,
                      const time::Rational& step);

}  // namespace duet::sync
