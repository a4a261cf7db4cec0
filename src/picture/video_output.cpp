// The writing side shared by mux_music and burn_overlays: an output beside a temporary file, the
// streams copied from the film, interleaved writing and the finish (the rename that makes the
// complete file appear at once).
#include <unistd.h>

#include "picture/video_av_detail.h"
#include "time/timecode.h"

namespace duet::picture::detail {

using base::ErrorKind;
using base::make_error;

base::Result<OpenFilm> open_film_to_copy(const std::filesystem::path& film,
                                         const std::filesystem::path& out) {
  auto opened = open_film(film);
  if (!opened) return opened.error();
  std::error_code ec;
  if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(out, film, ec)) {
    return make_error(ErrorKind::invalid_input, "the output '", out.string(),
                      "' is the film itself; give another file name");
  }
  return opened;
}

std::filesystem::path temp_path_beside(const std::filesystem::path& out) {
  return out.parent_path() / ("." + out.filename().string() + ".tmp-" + std::to_string(getpid()));
}

base::Result<OutputPtr> open_output(const std::filesystem::path& out,
                                    const std::filesystem::path& temp) {
  const std::string out_name = out.string();
  const AVOutputFormat* format = av_guess_format(nullptr, out_name.c_str(), nullptr);
  if (format == nullptr) {
    return make_error(ErrorKind::invalid_input, "cannot tell the container of '", out_name,
                      "' from its extension; use .mp4, .mov or .mkv");
  }
  AVFormatContext* raw_out = nullptr;
  if (int rc = avformat_alloc_output_context2(&raw_out, format, nullptr, temp.c_str()); rc < 0) {
    return make_error(ErrorKind::io, "cannot write '", out_name, "': ", av_error_text(rc));
  }
  return OutputPtr(raw_out);
}

AVStream* copy_stream(AVFormatContext* output, const AVStream& from) {
  AVStream* copy = avformat_new_stream(output, nullptr);
  avcodec_parameters_copy(copy->codecpar, from.codecpar);
  copy->codecpar->codec_tag = 0;
  copy->time_base = from.time_base;
  av_dict_copy(&copy->metadata, from.metadata, 0);
  return copy;
}

std::vector<int> copy_sound_streams(AVFormatContext* output, const AVFormatContext& in,
                                    bool keep_disposition) {
  std::vector<int> map(in.nb_streams, -1);
  for (unsigned s = 0; s < in.nb_streams; ++s) {
    const AVStream* a = in.streams[s];
    if (a->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) continue;
    AVStream* copy = copy_stream(output, *a);
    if (keep_disposition) copy->disposition = a->disposition;
    map[s] = copy->index;
  }
  return map;
}

bool set_start_timecode(AVStream* stream, const FilmInfo& info) {
  if (!info.start_timecode) return false;
  av_dict_set(&stream->metadata, "timecode",
              time::format_timecode(*info.start_timecode, info.rate).c_str(), 0);
  return true;
}

base::Result<void> open_encoder(AVCodecContext* enc, const AVCodec* codec, AVDictionary** options,
                                const AVFormatContext& output, const std::filesystem::path& out) {
  if (output.oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  const int rc = avcodec_open2(enc, codec, options);
  if (rc < 0) {
    return make_error(ErrorKind::unsupported, "cannot write '", out.string(), "': the ",
                      codec->name, " encoder would not open (", av_error_text(rc), ")");
  }
  return {};
}

base::Result<void> start_output(AVFormatContext* output, const std::filesystem::path& temp,
                                const std::filesystem::path& out) {
  if (!(output->oformat->flags & AVFMT_NOFILE)) {
    const int rc = avio_open(&output->pb, temp.c_str(), AVIO_FLAG_WRITE);
    if (rc < 0) {
      return make_error(ErrorKind::io, "cannot write '", out.string(), "': ", av_error_text(rc));
    }
  }
  const int rc = avformat_write_header(output, nullptr);
  if (rc < 0) {
    return make_error(ErrorKind::io, "cannot write '", out.string(), "': the ",
                      output->oformat->name, " container refused the streams (", av_error_text(rc),
                      ")");
  }
  return {};
}

int write_copied_packet(AVFormatContext* output, AVPacket* packet, AVRational from,
                        const AVStream& to) {
  av_packet_rescale_ts(packet, from, to.time_base);
  packet->stream_index = to.index;
  packet->pos = -1;
  return av_interleaved_write_frame(output, packet);
}

int write_mapped_packet(AVFormatContext* output, const AVFormatContext& in,
                        const std::vector<int>& map, AVPacket* packet) {
  const int s = packet->stream_index;
  if (s < 0 || s >= static_cast<int>(map.size()) || map[static_cast<std::size_t>(s)] < 0) return 0;
  return write_copied_packet(output, packet, in.streams[s]->time_base,
                             *output->streams[map[static_cast<std::size_t>(s)]]);
}

int write_encoded(AVCodecContext* enc, AVPacket* encoded, AVFormatContext* output,
                  const AVStream& to) {
  for (;;) {
    int r = avcodec_receive_packet(enc, encoded);
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return 0;
    if (r < 0) return r;
    av_packet_rescale_ts(encoded, enc->time_base, to.time_base);
    encoded->stream_index = to.index;
    r = av_interleaved_write_frame(output, encoded);
    if (r < 0) return r;
  }
}

base::Result<void> finish_copy(AVFormatContext* output, TempFile& temp,
                               const std::filesystem::path& out, const std::filesystem::path& film,
                               int rc, bool cancelled, const CopyWords& words) {
  if (cancelled) {
    return make_error(ErrorKind::impossible, words.doing, " '", out.string(),
                      "' was cancelled; nothing was written");
  }
  if (rc < 0) {
    return make_error(ErrorKind::invalid_input, "cannot ", words.to_do, " a copy of film '",
                      film.string(), "': ", av_error_text(rc));
  }
  rc = av_write_trailer(output);
  if (rc >= 0 && !(output->oformat->flags & AVFMT_NOFILE)) rc = avio_closep(&output->pb);
  if (rc < 0) {
    return make_error(ErrorKind::io, "cannot write '", out.string(), "': ", av_error_text(rc));
  }
  std::error_code ec;
  std::filesystem::rename(temp.path(), out, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot write '", out.string(), "': ", ec.message());
  }
  temp.release();
  return {};
}

}  // namespace duet::picture::detail
