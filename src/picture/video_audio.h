// The film's sound: EBU R128 loudness (libebur128) and dialogue-likely windows. Both take float
// samples; analyse_film decodes and resamples the film's audio and pushes it here, tests push
// synthetic signals.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "time/units.h"

namespace duet::picture {

// EBU R128 / ITU-R BS.1770 loudness. Silence (below the -70 LUFS absolute gate) reads -70.
inline constexpr double kSilenceLufs = -70.0;

struct Loudness {
  bool measured = false;  // false when the film has no audio
  double integrated_lufs = kSilenceLufs;
  double range_lu = 0;  // loudness range (EBU Tech 3342), LU
  // Element i: the loudness at the end of second i+1 of the film (momentary: the last 400 ms,
  // short-term: the last 3 s), LUFS.
  std::vector<double> momentary_lufs;
  std::vector<double> short_term_lufs;
};

class LoudnessMeter {
 public:
  // Channels in FFmpeg's native order (L R C LFE Ls Rs for 5.1; the LFE does not count, as
  // BS.1770 says). Preconditions: channels 1..64, sample_rate 8000..384000 Hz. A mono signal is
  // measured as one channel (a -20 dBFS 1 kHz sine reads about -23 LUFS).
  LoudnessMeter(int channels, int sample_rate);
  ~LoudnessMeter();
  LoudnessMeter(const LoudnessMeter&) = delete;
  LoudnessMeter& operator=(const LoudnessMeter&) = delete;

  // Interleaved samples, full scale +-1. Precondition: size is a multiple of channels.
  void push(std::span<const float> interleaved);
  Loudness finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct DialogueOptions {
  double threshold = 0.5;       // lowest confidence (0..1) of a speech-like stretch
  double min_seconds = 0.5;     // shorter windows are dropped
  double bridge_seconds = 0.6;  // gaps up to this long between windows are closed
  double silence_dbfs = -50;    // speech-band level below which nothing is speech
};

struct DialogueWindow {
  time::TimePos start;  // from the first sample pushed (analyse_film: the first frame)
  time::TimePos end;
  double confidence = 0;  // mean speech-likeness over the window, 0..1
};

// Speech-likeness every 0.25 s, from three measures over a 2 s window of 10 ms frames:
//   band ratio: energy in 300..3400 Hz (the telephone band, where speech lives) / all energy;
//   syllabic modulation: share of the speech-band envelope's modulation power at 2..8 Hz
//     (syllables come 3 to 6 a second) among 1..25 Hz;
//   modulation depth: standard deviation / mean of that envelope (speech stops and starts,
//     tones, drones and steady noise do not).
// Each measure maps to 0..1 between a low and a high anchor and the confidence is their
// geometric mean, so a stretch must look like speech on all three.
class DialogueDetector {
 public:
  static constexpr int kSampleRate = 16000;  // Hz, mono

  explicit DialogueDetector(DialogueOptions options = {});
  void push(std::span<const float> mono);
  std::vector<DialogueWindow> finish() const;

  // Confidence per 0.25 s step (after finish() has the data to see it); for tests and plots.
  std::vector<double> confidences() const;

 private:
  struct Biquad {
    double b0, b1, b2, a1, a2;
    double z1 = 0, z2 = 0;
    double run(double x) {
      const double y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      return y;
    }
  };
  DialogueOptions options_;
  Biquad high_pass_;
  Biquad low_pass_;
  double frame_full_ = 0;  // energy sums of the 10 ms frame being filled
  double frame_band_ = 0;
  int frame_fill_ = 0;
  std::vector<float> full_;  // per 10 ms frame: mean square of the signal
  std::vector<float> band_;  // per 10 ms frame: mean square in 300..3400 Hz
};

}  // namespace duet::picture
