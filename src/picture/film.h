// The film itself: what a video file holds (probe_film), read through FFmpeg's libraries.
//
// Times on the film's timeline are TimePos from its first frame (TimePos 0 = the start of frame
// 0); the container's start timecode is carried beside them, never folded into them, so that
// frame 0 is timecode `start_timecode` and frame n is to_frames(start_timecode) + n.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "time/frame_rate.h"
#include "time/timecode.h"
#include "time/units.h"

namespace duet::picture {

struct AudioStreamInfo {
  int index = 0;         // stream index in the container (as ffprobe counts)
  std::string codec;     // FFmpeg's codec name: "aac", "pcm_s16le", "opus"...
  int sample_rate = 0;   // Hz
  int channels = 0;      // 1 mono, 2 stereo, 6 for 5.1...
  std::string language;  // the stream's "language" tag ("eng"), empty when absent
};

struct FilmInfo {
  std::filesystem::path path;
  std::string container;  // FFmpeg's demuxer name: "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
  int video_stream = 0;   // index of the video stream duet reads (FFmpeg's "best" one)
  std::string video_codec;
  int width = 0;  // pixels, as coded (no sample-aspect correction)
  int height = 0;
  // The picture's rate. FFmpeg's rational (r_frame_rate, or avg_frame_rate when the two disagree
  // and avg is a common rate) is snapped to the nearest common rate within 0.05% (2997/125 is
  // 24000/1001); drop-frame comes from the timecode's ';' separator at 29.97 and 59.94.
  time::FrameRate rate = time::FrameRate::fps24();
  // True when FFmpeg's rational was not a common rate and was used as it is (or, failing that,
  // rounded to a whole number of frames per second).
  bool rate_unusual = false;
  time::TimeDur duration;        // of the video stream (container duration when it has none)
  std::int64_t frame_count = 0;  // from the container's count, else duration x rate
  // From the container: a "timecode" tag on the format, the video stream or a tmcd/data stream.
  std::optional<time::Timecode> start_timecode;
  std::vector<AudioStreamInfo> audio;
  // Things accepted anyway: a timecode tag that does not parse at the rate, an unusual rate.
  std::vector<base::Warning> warnings;
};

// Opens a film and reads its headers (no decoding of pictures). Errors (ErrorKind::io for a file
// that cannot be opened, invalid_input for one FFmpeg cannot read, unsupported for a file with no
// video stream or a rate outside 1..1000 fps) are one sentence naming the file.
base::Result<FilmInfo> probe_film(const std::filesystem::path& path);

// The start timecode at the film's rate, 00:00:00:00 when the container has none.
time::Timecode start_timecode_or_zero(const FilmInfo& info);

// The timecode label of a position on the film's timeline (frame 0 = start timecode).
time::Timecode timecode_of(const FilmInfo& info, time::TimePos position);

// Maps a frame rate as FFmpeg gives it (num/den) to a duet rate: the nearest common rate within
// 0.05% (23.976 and 24 are 0.1% apart), else the exact rational when duet accepts it, else none.
// drop_frame applies only to 29.97 and 59.94 (and other 1001 multiples of 30). Exposed for tests.
std::optional<time::FrameRate> snap_frame_rate(std::int64_t num, std::int64_t den, bool drop_frame);

}  // namespace duet::picture
