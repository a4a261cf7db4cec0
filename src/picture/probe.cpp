// probe_film: the container's headers through libavformat.
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "picture/film.h"
#include "picture/video_av_detail.h"

namespace duet::picture {

using base::ErrorKind;
using base::make_error;

namespace detail {

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

namespace {

std::string tag(const AVDictionary* metadata, const char* key) {
  const AVDictionaryEntry* e = av_dict_get(metadata, key, nullptr, 0);
  return e != nullptr && e->value != nullptr ? std::string(e->value) : std::string();
}

// Whole ticks of a stream-time count: count x time_base in superclock ticks.
time::TimeDur ticks_of(std::int64_t count, AVRational base) {
  return time::TimeDur(
      time::mul_div_round(count, std::int64_t{base.num} * time::kSuperclockPerSecond, base.den));
}

// The container's timecode: format tag, then the video stream, then any other stream (the mov
// demuxer puts a tmcd track's start on that data stream).
std::string find_timecode(const AVFormatContext& fc, int video) {
  std::string tc = tag(fc.metadata, "timecode");
  if (tc.empty()) tc = tag(fc.streams[video]->metadata, "timecode");
  for (unsigned i = 0; tc.empty() && i < fc.nb_streams; ++i) {
    tc = tag(fc.streams[i]->metadata, "timecode");
  }
  return tc;
}

}  // namespace

base::Result<OpenFilm> open_film(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return make_error(ErrorKind::io, "cannot read film '", name, "': the file does not exist");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return make_error(ErrorKind::io, "cannot read film '", name,
                      "': it is a folder, not a video file");
  }
  av_log_set_level(AV_LOG_QUIET);  // the library never prints; errors come back as values
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, name.c_str(), nullptr, nullptr);
  if (rc < 0) {
    const bool io = rc == AVERROR(ENOENT) || rc == AVERROR(EACCES) || rc == AVERROR(EIO);
    return make_error(io ? ErrorKind::io : ErrorKind::invalid_input, "cannot read film '", name,
                      "': ", av_error_text(rc), io ? "" : " (not a video file FFmpeg can read)");
  }
  OpenFilm out;
  out.format.reset(raw);
  rc = avformat_find_stream_info(raw, nullptr);
  if (rc < 0) {
    return make_error(ErrorKind::invalid_input, "cannot read film '", name,
                      "': its streams could not be identified (", av_error_text(rc), ")");
  }
  const int video = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (video < 0) {
    return make_error(ErrorKind::unsupported, "film '", name,
                      "' has no video stream; duet needs a picture to analyse");
  }
  const AVStream& vs = *raw->streams[video];
  FilmInfo& info = out.info;
  info.path = path;
  info.container = raw->iformat != nullptr ? raw->iformat->name : "";
  info.video_stream = video;
  info.video_codec = avcodec_get_name(vs.codecpar->codec_id);
  info.width = vs.codecpar->width;
  info.height = vs.codecpar->height;

  const std::string tc_text = find_timecode(*raw, video);
  const bool drop =
      tc_text.find(';') != std::string::npos || tc_text.find('.') != std::string::npos;
  AVRational fr = vs.r_frame_rate;
  if (fr.num <= 0 || fr.den <= 0) fr = vs.avg_frame_rate;
  if ((fr.num <= 0 || fr.den <= 0) && vs.avg_frame_rate.num > 0) fr = vs.avg_frame_rate;
  if (fr.num <= 0 || fr.den <= 0) {
    return make_error(ErrorKind::unsupported, "film '", name,
                      "' does not say its frame rate; duet needs a constant-rate picture");
  }
  // r_frame_rate is the base rate FFmpeg guesses; for variable-rate files avg_frame_rate is
  // nearer what plays, so prefer it when the two disagree and avg is a common rate.
  std::optional<time::FrameRate> rate = snap_frame_rate(fr.num, fr.den, drop);
  if (vs.avg_frame_rate.num > 0 && vs.avg_frame_rate.den > 0 &&
      av_cmp_q(vs.avg_frame_rate, fr) != 0) {
    if (auto avg = snap_frame_rate(vs.avg_frame_rate.num, vs.avg_frame_rate.den, drop)) {
      if (!rate || !(*avg == *rate)) rate = avg;
    }
  }
  const double fps = av_q2d(fr);
  if (!rate) {
    const auto whole = std::max<std::int64_t>(1, std::llround(fps));
    auto fallback = time::FrameRate::create(time::Rational(whole));
    if (!fallback) {
      return make_error(ErrorKind::unsupported, "film '", name, "' runs at ", fps,
                        " frames per second, outside what duet handles (1 to 1000)");
    }
    rate = *fallback;
    info.rate_unusual = true;
    info.warnings.push_back({base::cat("the frame rate ", fr.num, "/", fr.den,
                                       " is not one duet can count exactly; using ", whole)});
  }
  info.rate = *rate;

  if (vs.duration != AV_NOPTS_VALUE && vs.duration > 0) {
    info.duration = ticks_of(vs.duration, vs.time_base);
  } else if (raw->duration != AV_NOPTS_VALUE && raw->duration > 0) {
    info.duration = ticks_of(raw->duration, AVRational{1, AV_TIME_BASE});
  }
  info.frame_count = vs.nb_frames > 0
                         ? vs.nb_frames
                         : time::mul_div_round(info.duration.ticks(), info.rate.fps().num(),
                                               info.rate.fps().den() * time::kSuperclockPerSecond);

  if (!tc_text.empty()) {
    auto tc = time::parse_timecode(tc_text, info.rate);
    if (tc) {
      info.start_timecode = *tc;
    } else {
      info.warnings.push_back({base::cat("the container's timecode '", tc_text,
                                         "' was ignored: ", tc.error().message)});
    }
  }

  for (unsigned i = 0; i < raw->nb_streams; ++i) {
    const AVStream& s = *raw->streams[i];
    if (s.codecpar->codec_type != AVMEDIA_TYPE_AUDIO) continue;
    AudioStreamInfo a;
    a.index = static_cast<int>(i);
    a.codec = avcodec_get_name(s.codecpar->codec_id);
    a.sample_rate = s.codecpar->sample_rate;
    a.channels = s.codecpar->ch_layout.nb_channels;
    a.language = tag(s.metadata, "language");
    if (a.language == "und") a.language.clear();
    info.audio.push_back(a);
  }
  return out;
}

base::Result<CodecPtr> open_decoder(const AVStream& stream, int threads,
                                    const std::filesystem::path& path) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (codec == nullptr) {
    return make_error(ErrorKind::unsupported, "cannot decode film '", path.string(),
                      "': FFmpeg has no decoder for its ",
                      avcodec_get_name(stream.codecpar->codec_id), " stream ", stream.index);
  }
  CodecPtr ctx(avcodec_alloc_context3(codec));
  int rc = avcodec_parameters_to_context(ctx.get(), stream.codecpar);
  if (rc >= 0) {
    ctx->thread_count = threads;
    ctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    ctx->pkt_timebase = stream.time_base;
    rc = avcodec_open2(ctx.get(), codec, nullptr);
  }
  if (rc < 0) {
    return make_error(ErrorKind::invalid_input, "cannot decode film '", path.string(), "': the ",
                      codec->name, " decoder for stream ", stream.index, " would not open (",
                      av_error_text(rc), ")");
  }
  return ctx;
}

}  // namespace detail

std::optional<time::FrameRate> snap_frame_rate(std::int64_t num, std::int64_t den,
                                               bool drop_frame) {
  if (num <= 0 || den <= 0) return std::nullopt;
  const double fps = static_cast<double>(num) / static_cast<double>(den);
  // Common rates: whole rates, and the 1001 rates of the NTSC family.
  std::optional<time::Rational> best;
  double best_error = 0.0005;  // relative; 23.976 and 24 are 0.1% apart
  auto consider = [&](time::Rational r) {
    const double error = std::abs(fps - r.to_double()) / r.to_double();
    if (error < best_error) {
      best_error = error;
      best = r;
    }
  };
  const auto whole = std::llround(fps);
  if (whole >= 1 && whole <= 1000) consider(time::Rational(whole));
  for (std::int64_t nominal : {24, 30, 48, 60, 120, 240}) {
    consider(time::Rational(nominal * 1000, 1001));
  }
  time::Rational chosen = best ? *best : time::Rational(num, den);
  const bool can_drop = chosen.den() == 1001 && (chosen.num() / 1000) % 30 == 0;
  auto rate = time::FrameRate::create(chosen, drop_frame && can_drop);
  if (!rate) return std::nullopt;
  return *rate;
}

base::Result<FilmInfo> probe_film(const std::filesystem::path& path) {
  auto open = detail::open_film(path);
  if (!open) return open.error();
  return std::move(open->info);
}

time::Timecode start_timecode_or_zero(const FilmInfo& info) {
  return info.start_timecode.value_or(time::Timecode{});
}

time::Timecode timecode_of(const FilmInfo& info, time::TimePos position) {
  const std::int64_t start = time::to_frames(start_timecode_or_zero(info), info.rate);
  return time::from_frames(start + time::frame_at(position, info.rate), info.rate);
}

}  // namespace duet::picture
