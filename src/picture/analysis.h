// One decoding pass over a film (picture and sound together, as the container interleaves them)
// that measures what a composer spots by: shot cuts and dissolves, per-second motion, brightness
// and colour warmth, EBU R128 loudness and dialogue-likely windows.
//
// Times are TimePos from the first frame (TimePos 0 = the start of frame 0); info.start_timecode
// labels frame 0. Audio is placed on that timeline by its timestamps (audio that starts after the
// first frame is padded with silence, audio before it is dropped).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "base/result.h"
#include "picture/film.h"
#include "picture/video_audio.h"
#include "picture/video_picture.h"

namespace duet::picture {

struct AnalysisOptions {
  // Called about every 0.5% of the film with the fraction read so far (0..1), and with 1 at the
  // end; returning false stops the analysis, which then fails with "analysis ... cancelled".
  std::function<bool(double fraction)> progress;
  int threads = 0;  // decoder threads; 0 lets FFmpeg choose (one per core)
  // The small picture the analysis looks at (pixels); 64x36 (16:9) gave the best recall of
  // 32x18, 64x36 and 128x72 (docs/picture-evaluation.md).
  int analysis_width = 64;
  int analysis_height = 36;
  bool audio = true;  // analyse the sound (loudness and dialogue) when the film has any
  CutOptions cuts;
  DialogueOptions dialogue;
};

struct FilmAnalysis {
  FilmInfo info;
  std::int64_t frames = 0;  // frames decoded
  int audio_stream = -1;    // the stream measured (FFmpeg's best audio stream), -1 for none
  std::vector<ShotCut> cuts;
  std::vector<GradualTransition> gradual;
  PictureSeries series;  // per second: motion, brightness, warmth
  Loudness loudness;
  std::vector<DialogueWindow> dialogue;
};

// Fails with one sentence naming the file: it cannot be opened or decoded (ErrorKind::io or
// invalid_input), has no video (unsupported), or the progress callback cancelled (impossible).
base::Result<FilmAnalysis> analyse_film(const std::filesystem::path& path,
                                        const AnalysisOptions& options = {});

}  // namespace duet::picture
