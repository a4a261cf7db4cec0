// Burning overlays into a copy of a film: the streamers, punches and flutters a conductor watches
// (src/sync makes them from cues; this layer only draws shapes at times).
//
// The film is decoded with libavcodec, drawn on with libavfilter (a small colour picture moved
// by overlay for the sweeping line, since drawbox evaluates its position only once in FFmpeg
// 5.1; geq for the punch's circle, on its frames only; drawbox for the flash), encoded with libx264
// (mpeg4 when FFmpeg has no libx264) and muxed with its sound streams copied as they are and its
// start timecode kept. The copy is written to a temporary file beside the output and renamed over
// it at the end, so a failed or cancelled burn leaves no half-written file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::picture {

struct Rgb {
  std::uint8_t r = 255, g = 255, b = 255;
  friend bool operator==(const Rgb&, const Rgb&) = default;
};

enum class OverlayKind {
  // A vertical line crossing the frame left to right: at the left edge on the frame showing at
  // `start`, at the right edge on the frame that starts at `end` (the hit), moving at a steady
  // speed in between; gone after that frame.
  sweep,
  // A filled circle in the centre of the frame, a third of the frame's height across, on every
  // frame that starts in [start, end).
  punch,
  // The whole frame washed with the colour (40% opaque) on every frame that starts in
  // [start, end): a flutter's flash.
  flash,
};

// Times are on the film's timeline: TimePos 0 is the start of the film's first frame (film.h).
struct Overlay {
  OverlayKind kind = OverlayKind::sweep;
  time::TimePos start;
  time::TimePos end;
  Rgb colour;
  friend bool operator==(const Overlay&, const Overlay&) = default;
};

// The libavfilter graph that draws the overlays on a yuv420p picture of width x height, with
// frame timestamps t in seconds from the first frame. Exposed for tests and for the record.
std::string overlay_filter(const std::vector<Overlay>& overlays, int width, int height,
                           const time::FrameRate& rate);

struct BurnOptions {
  // Called every 0.5% or so with the fraction of frames done (0..1), and with 1 at the end;
  // returning false stops the burn, which then fails with "... cancelled", writing nothing.
  std::function<bool(double fraction)> progress;
  int crf = 18;                     // libx264 quality (0..51, lower is better; 18 looks lossless)
  std::string preset = "veryfast";  // libx264 speed/size trade-off
  int threads = 0;                  // decoder and encoder threads; 0 lets FFmpeg choose
  // An excerpt: only the film's frames [first_frame, first_frame + frames) (frames -1: to the
  // end), each exact (the film is read from the key frame before and decoded up to it). The copy
  // starts at time 0 with the start timecode of its first frame, its sound cut to the same
  // span; overlay times stay on the film's timeline.
  std::int64_t first_frame = 0;
  std::int64_t frames = -1;
};

struct BurnReport {
  std::int64_t frames = 0;  // video frames written
  std::string encoder;      // "libx264" or "mpeg4"
  std::string filter;       // the filter graph used
};

// Writes a copy of `film` with the overlays burned in to `out` (container from its extension:
// .mp4, .mov, .mkv...). Errors are one sentence naming the file: a film that does not exist or
// FFmpeg cannot read, an output that would overwrite the film or cannot be written, a container
// FFmpeg does not know, a cancelled burn. On error nothing is left at `out` that was not there.
base::Result<BurnReport> burn_overlays(const std::filesystem::path& film,
                                       const std::vector<Overlay>& overlays,
                                       const std::filesystem::path& out,
                                       const BurnOptions& options = {});

}  // namespace duet::picture
