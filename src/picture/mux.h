// Putting a music track onto the picture: a copy of the film whose video packets are copied as
// they are (no re-encoding; timestamps and the start timecode kept) with the music either mixed
// over the film's own sound or added as a track of its own. FFmpeg's libraries only.
//
// The music's sample 0 sounds at the film's first frame (the first video frame's presentation
// time), so a cue placed at timecode T in the track sounds on the frame of T.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"

namespace duet::picture {

enum class MusicTrack {
  // The music and the film's first sound stream mixed into one stereo track (the film's sound at
  // original_gain_db under the music); a film without sound gets the music alone.
  mix,
  // The film's sound streams copied as they are, then the music as one more stereo track.
  separate,
};

struct MuxOptions {
  MusicTrack track = MusicTrack::mix;
  double original_gain_db = -6.0;  // the film's sound under the music (mix), -60..+12 dB
  // Called with the fraction of the film written (0..1); returning false cancels (nothing is
  // left at the output).
  std::function<bool(double)> progress;
};

struct MuxReport {
  std::string audio_codec;         // "aac" (.mp4, .m4v) or "pcm_s24le" (.mov, .mkv)
  int audio_bit_rate = 0;          // bits per second (AAC); 0 for PCM
  std::int64_t video_packets = 0;  // copied
  int audio_tracks = 0;            // in the copy
  bool mixed_original = false;     // the film's sound is under the music
  bool timecode = false;           // the start timecode was carried over
  double music_seconds = 0;        // of the music track as written (the film's length)
};

// Writes `out`: `film`'s video stream copied, plus the music (interleaved stereo floats, full
// scale 1.0, at `sample_rate`; sample 0 at the film's first frame), cut or padded with silence
// to the video's length. The music is AAC at 256 kb/s in .mp4/.m4v (what every player plays),
// 24-bit PCM in .mov/.mkv (lossless, for a music editor's session). Written to a temporary beside
// `out` and renamed at the end. Errors (one sentence naming the file; nothing is left at `out`):
// the film is missing or FFmpeg cannot read it, it has no video stream, `out` is the film itself,
// the container is not .mp4/.m4v/.mov/.mkv, an encoder or the container refuses, cancellation.
base::Result<MuxReport> mux_music(const std::filesystem::path& film, std::span<const float> music,
                                  int sample_rate, const std::filesystem::path& out,
                                  const MuxOptions& options = {});

// Fills `block` (interleaved stereo, block.size() / 2 frames) with the music's next frames, in
// order from sample 0 (silence past its end). An error stops the mux and is its error.
using MusicReader = std::function<base::Result<void>(std::span<float> block)>;

// The same, with the music read a block at a time as the film is written, and the film's sound
// decoded as its packets go by: memory stays a few seconds of sound whatever the film's length.
// The reader may block (score-film renders the music on other threads while this encodes).
base::Result<MuxReport> mux_music(const std::filesystem::path& film, const MusicReader& music,
                                  int sample_rate, const std::filesystem::path& out,
                                  const MuxOptions& options = {});

// Decodes sound stream `audio_index` (0 = the film's first sound stream, in FilmInfo::audio
// order) as interleaved stereo floats at `sample_rate`, placed on the film's timeline: sample 0
// is the first video frame (silence before sound that starts late, sound before it dropped).
// Errors: the film cannot be read, has no video, or has no such sound stream.
base::Result<std::vector<float>> decode_film_audio(const std::filesystem::path& film,
                                                   int audio_index, int sample_rate);

}  // namespace duet::picture
