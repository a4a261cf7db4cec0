// Implementation detail of probe_film, analyse_film, mux_music and burn_overlays: owning handles
// for FFmpeg objects, the opening of a film and the writing of a copy of it. Not part of the public
// API (it includes FFmpeg's headers).
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "picture/film.h"

namespace duet::picture::detail {

struct FormatCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecFreer {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFreer {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsFreer {
  void operator()(SwsContext* c) const { sws_freeContext(c); }
};
struct SwrFreer {
  void operator()(SwrContext* c) const { swr_free(&c); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFreer>;
using SwrPtr = std::unique_ptr<SwrContext, SwrFreer>;

// FFmpeg's text for an error code ("Invalid data found when processing input").
std::string av_error_text(int code);

struct OpenFilm {
  FormatPtr format;
  FilmInfo info;
};

// Opens the container, reads stream information and fills the FilmInfo (probe_film is this
// without the context).
base::Result<OpenFilm> open_film(const std::filesystem::path& path);

// An opened decoder for a stream. threads: 0 = FFmpeg's choice.
base::Result<CodecPtr> open_decoder(const AVStream& stream, int threads,
                                    const std::filesystem::path& path);

// Reads every packet of `in` in turn and hands it to take(AVPacket*), which returns 0 or an
// FFmpeg error code; the packet is unreferenced after it. Returns 0 at the end of the file, else
// the first error (av_read_frame's or take's).
template <class Take>
int for_each_packet(AVFormatContext* in, AVPacket* packet, Take&& take) {
  int rc = 0;
  while (rc >= 0) {
    rc = av_read_frame(in, packet);
    if (rc == AVERROR_EOF) return 0;
    if (rc < 0) break;
    rc = take(packet);
    av_packet_unref(packet);
  }
  return rc;
}

// --- Writing a copy of a film (mux_music, burn_overlays; video_output.cpp) ---

// open_film, refusing an output `out` that is the film itself.
base::Result<OpenFilm> open_film_to_copy(const std::filesystem::path& film,
                                         const std::filesystem::path& out);

struct OutputCloser {
  void operator()(AVFormatContext* c) const {
    if (c->pb != nullptr && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
using OutputPtr = std::unique_ptr<AVFormatContext, OutputCloser>;

// Removes the temporary output unless released (every error path after it is created).
class TempFile {
 public:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!path_.empty()) {
      std::error_code ec;
      std::filesystem::remove(path_, ec);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  std::filesystem::path path_;
};

// The hidden temporary beside `out` that the bytes go to until the file is complete
// (".NAME.tmp-PID").
std::filesystem::path temp_path_beside(const std::filesystem::path& out);

// An output context whose container comes from the final name `out` and whose bytes will go to
// `temp`. Errors name `out`.
base::Result<OutputPtr> open_output(const std::filesystem::path& out,
                                    const std::filesystem::path& temp);

// A new output stream with `from`'s codec parameters (codec tag cleared, so the muxer picks its
// own), time base and metadata.
AVStream* copy_stream(AVFormatContext* output, const AVStream& from);

// Every sound stream of `in` copied into `output` (copy_stream, with the disposition too when
// keep_disposition); the result maps an input stream index to its output index, -1 if not copied.
std::vector<int> copy_sound_streams(AVFormatContext* output, const AVFormatContext& in,
                                    bool keep_disposition);

// Sets the film's start timecode on `stream` (the picture stream, where the MOV/MP4 muxer makes a
// timecode track of it; Matroska keeps the tag). False when the film has none.
bool set_start_timecode(AVStream* stream, const FilmInfo& info);

// Opens `enc` with `codec` and its options (may be null), with a global header where `output`'s
// container wants one. Errors name `out`.
base::Result<void> open_encoder(AVCodecContext* enc, const AVCodec* codec, AVDictionary** options,
                                const AVFormatContext& output, const std::filesystem::path& out);

// Opens the temporary file (unless the container writes no file) and writes the header. Errors
// name `out`.
base::Result<void> start_output(AVFormatContext* output, const std::filesystem::path& temp,
                                const std::filesystem::path& out);

// Writes a packet copied from a stream with time base `from` to the output stream `to`.
int write_copied_packet(AVFormatContext* output, AVPacket* packet, AVRational from,
                        const AVStream& to);

// If input stream `s` is mapped by copy_sound_streams, writes the packet to its copy (else 0).
int write_mapped_packet(AVFormatContext* output, const AVFormatContext& in,
                        const std::vector<int>& map, AVPacket* packet);

// Takes every packet the encoder has ready and writes it to the output stream `to`. Returns 0 or
// FFmpeg's error code.
int write_encoded(AVCodecContext* enc, AVPacket* encoded, AVFormatContext* output,
                  const AVStream& to);

// How a copy's messages name what it does: "burning streamers into" / "burn streamers into".
struct CopyWords {
  const char* doing;
  const char* to_do;
};

// The end of a copy whose packets are all written (rc: 0 or the first FFmpeg error): the error
// when it was cancelled ("<doing> 'OUT' was cancelled; nothing was written") or failed ("cannot
// <to_do> a copy of film 'FILM': ..."), else the trailer written, the temporary file closed and
// renamed to `out` (releasing `temp`); errors of that name `out`.
base::Result<void> finish_copy(AVFormatContext* output, TempFile& temp,
                               const std::filesystem::path& out, const std::filesystem::path& film,
                               int rc, bool cancelled, const CopyWords& words);

}  // namespace duet::picture::detail
