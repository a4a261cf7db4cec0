// Implementation detail of probe_film and analyse_film: owning handles for FFmpeg objects and the
// opening of a film. Not part of the public API (it includes FFmpeg's headers).
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

}  // namespace duet::picture::detail
