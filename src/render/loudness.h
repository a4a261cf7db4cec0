// Loudness of rendered audio (EBU R 128 / ITU-R BS.1770 through libebur128) and normalisation to
// a target with a true-peak ceiling.
#pragma once

#include <optional>
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

}  // namespace duet::render
