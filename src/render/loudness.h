// Loudness of rendered audio (EBU R 128 / ITU-R BS.1770 through libebur128) and normalisation to
// a target with a true-peak ceiling.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "render/render.h"

namespace duet::render {

struct Loudness {
  // Integrated loudness in LUFS; nullopt when the audio is silent (every gated block below
  // -70 LUFS), where no gain can reach a target.
  std::optional<double> integrated_lufs;
  double true_peak_dbtp = -200;  // the louder channel's true peak (4x oversampled), dBTP
};

// Fails only when libebur128 cannot be set up (a sample rate it refuses).
base::Result<Loudness> measure_loudness(const Audio& audio);

// The same measure fed a block at a time (a film's track as it is written): add() the blocks in
// order, then result(). What measure_loudness does with one block.
class LoudnessMeter {
 public:
  static base::Result<LoudnessMeter> make(int sample_rate);
  // Interleaved stereo, in order.
  base::Result<void> add(std::span<const float> block);
  Loudness result() const;

 private:
  struct State;
  explicit LoudnessMeter(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

struct NormalizeOptions {
  double target_lufs = -23.0;  // EBU R 128 broadcast; -16 for streaming
  double ceiling_dbtp = -1.0;  // the true peak never goes above this
};

struct Normalization {
  Loudness before;
  Loudness after;
  double gain_db = 0;         // applied to the mix and every stem
  bool peak_limited = false;  // the ceiling, not the target, set the gain (after is quieter)
};

// The gain normalize() chooses for audio measured as `before` (gain 0 for silence); `after` is
// left as `before` for the caller to measure.
Normalization normalization_for(const Loudness& before, const NormalizeOptions& options);

// Measures `mix`, chooses one gain that brings it to the target unless its true peak would pass
// the ceiling (then the gain stops at the ceiling: a plain gain, not a limiter, so the result may
// be below the target and `peak_limited` says so), and applies that gain to `mix` and to every
// audio in `stems` so they still sum to the mix. Silent audio is left as it is (gain 0).
base::Result<Normalization> normalize(Audio& mix, std::vector<Audio*> stems,
                                      const NormalizeOptions& options);

// A span where dialogue needs room, in seconds from the audio's sample 0.
struct DuckWindow {
  double start_seconds = 0;
  double end_seconds = 0;
};

struct DuckOptions {
  double depth_db = 10.0;      // how far the music goes down inside a window (positive dB)
  double ramp_seconds = 0.25;  // the fade down ends at the window's start; the fade up starts at
                               // its end (linear in amplitude)
};

// Lowers `mix` and every audio in `stems` by the same gain envelope (so they still sum to the
// mix): depth_db inside each window, ramps outside it, unity elsewhere; overlapping windows take
// the lowest gain. Fails when a window ends before it starts or the depth is outside 0..60 dB.
base::Result<void> duck(Audio& mix, std::vector<Audio*> stems,
                        const std::vector<DuckWindow>& windows, const DuckOptions& options = {});

// The same envelope applied a block at a time, for a track written as it is rendered. Blocks
// come in time order; only frames near a window are touched.
class Ducker {
 public:
  // Fails as duck() does on a bad window or depth.
  static base::Result<Ducker> make(std::vector<DuckWindow> windows, const DuckOptions& options,
                                   int sample_rate);
  // Lowers frames [first_frame, first_frame + frames) of each interleaved stereo buffer in
  // `audio` (each `frames` frames long).
  void apply(std::int64_t first_frame, std::size_t frames, std::span<float* const> audio);

 private:
  struct Group {
    std::int64_t first = 0, last = 0;  // frames the group's ramps and windows touch, [first, last)
    std::vector<DuckWindow> windows;
  };
  double gain_at(double t, const Group& group) const;
  std::vector<Group> groups_;
  std::size_t next_ = 0;  // the first group that may still touch a block
  double floor_ = 1.0, ramp_ = 0;
  int rate_ = 48000;
};

}  // namespace duet::render
