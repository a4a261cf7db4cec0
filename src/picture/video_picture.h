// Picture analysis on small frames: hard cuts, gradual transitions (dissolves and fades) and
// per-second motion, brightness and colour warmth. It knows nothing of FFmpeg: analyse_film
// decodes and scales each frame to a small RGB picture and pushes it here, and tests push
// synthetic pictures.
//
// Hard cuts. Each frame gets a distance to the frame before it,
//   d = (histogram distance + pixel distance) / 2, both in 0..1:
//   histogram distance: half the L1 distance of the normalised 4x4x4 RGB histograms (robust to
//     motion inside a shot, blind to two shots of the same colours);
//   pixel distance: mean absolute RGB difference / 255, x4 and capped at 1 (sees a cut between
//     look-alike shots, but also motion).
// A frame t is a cut when d(t) is the largest in t-2..t+2, at least `min_score`, and at least
// `ratio` times the mean d of the frames around it (t-window..t+window without t-1..t+1): the
// adaptive threshold of PySceneDetect's AdaptiveDetector, which lets fast motion raise its own
// bar. Flash guard: when any of the next `flash_frames` frames is closer to frame t-1 than
// `flash_return` x d(t), the picture came back and t was a flash (or a one-frame glitch), not a
// cut.
//
// Gradual transitions. A dissolve from A to B shows frames (1-a)A + aB with a rising linearly, so
// the middle frame of any span inside it is the mean of the span's ends. For spans of 2L frames
// (L = 4, 8, 16) the detector measures D = |F(m-L) - F(m+L)| and R = |F(m) - (F(m-L) + F(m+L))/2|
// (mean absolute RGB / 255); m is inside a gradual transition when D >= gradual_min_change and
// R <= gradual_linearity x D, at two spans or more (a slow zoom can pass at one). Motion, hard
// cuts and static shots fail one test or the other. Runs of such frames make one transition,
// from m-L to m+L; it is a fade when one end is near black.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::picture {

struct CutOptions {
  double min_score = 0.12;  // lowest frame distance (0..1) that can be a cut
  double ratio = 3.0;       // how far above the local mean distance a cut must stand
  int window = 12;          // frames each side for the local mean (half a second at 24 fps)
  int flash_frames = 4;     // frames after a candidate searched for the picture coming back
  double flash_return = 0.5;
  // Fast motion: a frame distance of at least `strong_score` is a cut at `strong_ratio` x the
  // local mean when it also stands `strong_peak` x above both neighbours.
  double strong_score = 0.75;
  double strong_ratio = 1.5;
  double strong_peak = 1.35;
  // Structure guard: a cut changes what is in the picture, so the luma of the two frames
  // correlates poorly; fades, dissolves and light changes keep the structure (correlation
  // near 1, brightness and contrast aside). A candidate with 1 - correlation below this is not
  // a cut.
  double min_structure_change = 0.3;
  bool gradual = true;               // look for dissolves and fades
  double gradual_min_change = 0.06;  // mean |RGB| change (0..1) across a span
  double gradual_linearity = 0.22;   // largest residual from the linear mix, relative to D
  int gradual_min_frames = 6;        // shortest run of matching middle frames kept
};

struct ShotCut {
  std::int64_t frame = 0;  // first frame of the new shot
  time::TimePos at;        // start of that frame, from the first frame of the film
  double score = 0;        // the frame distance d (0..1)
  double confidence = 0;   // 0.5 at the thresholds, towards 1 as d clears them
};

enum class GradualKind { dissolve, fade_in, fade_out };

struct GradualTransition {
  GradualKind kind = GradualKind::dissolve;
  std::int64_t start_frame = 0;  // first frame of the mix
  std::int64_t end_frame = 0;    // last frame of the mix
  time::TimePos start;
  time::TimePos end;  // end of end_frame
  double confidence = 0;
};

// Per-second series: element i covers the frames shown in [i s, i+1 s) from the first frame;
// the last element may cover less than a second.
struct PictureSeries {
  std::vector<double> motion;      // mean absolute luma change between frames, 0..1 (cut frames
                                   // and flashes left out); 0 for a still picture
  std::vector<double> brightness;  // mean luma (BT.709 weights on the RGB values), 0..1
  std::vector<double> warmth;      // mean (R - B) / 255, -1 (blue) .. 1 (red/orange)
};

struct PictureResult {
  std::int64_t frames = 0;
  std::vector<ShotCut> cuts;
  std::vector<GradualTransition> gradual;
  PictureSeries series;
};

std::string_view to_string(GradualKind kind);

class PictureAnalyser {
 public:
  // Frames are packed RGB24 pictures of width x height (rows of width*3 bytes, no padding).
  // Preconditions: width and height >= 4.
  PictureAnalyser(const time::FrameRate& rate, int width, int height, CutOptions options = {});

  // The next frame, in display order. Precondition: rgb.size() == width*height*3.
  void push(std::span<const std::uint8_t> rgb);

  // Decides the cuts and transitions over all frames pushed.
  PictureResult finish() const;

 private:
  struct Frame {
    std::vector<std::uint8_t> rgb;
    std::vector<float> histogram;  // 64 bins, sum 1
  };
  struct Features {
    float d1 = 0;         // distance to the frame before (the cut score)
    float back[5] = {};   // distance to frames t-2 .. t-6 (the flash guard)
    float motion = 0;     // mean |luma change| to the frame before, 0..1
    float structure = 0;  // 1 - correlation of luma with the frame before, 0..2
    float luma = 0;
    float warmth = 0;
    bool gradual_mid = false;    // middle of a linear mix at some span
    int gradual_matches = 0;     // spans at which it is the middle of a linear mix
    int gradual_span = 0;        // L of the widest span that matched
    float gradual_strength = 0;  // 1 - R / (linearity x D) at that span, 0..1
  };
  const Frame& back_frame(int k) const;  // k frames before the newest (0 = newest)
  float distance(const Frame& a, const Frame& b) const;

  time::FrameRate rate_;
  int width_;
  int height_;
  CutOptions options_;
  std::vector<Frame> ring_;  // the last kRing frames
  std::int64_t pushed_ = 0;
  std::vector<Features> features_;
};

}  // namespace duet::picture
