#include "picture/burn.h"

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cstdio>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "base/text.h"
#include "picture/video_av_detail.h"

namespace duet::picture {
namespace {

using base::ErrorKind;
using base::make_error;
using detail::av_error_text;

struct GraphFreer {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};
struct InOutFreer {
  void operator()(AVFilterInOut* io) const { avfilter_inout_free(&io); }
};
using GraphPtr = std::unique_ptr<AVFilterGraph, GraphFreer>;
using InOutPtr = std::unique_ptr<AVFilterInOut, InOutFreer>;

std::string num(double v) {
  return base::fixed(v, 9);
}

std::string hex(Rgb c) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%02X%02X%02X", c.r, c.g, c.b);
  return text;
}

// BT.601 limited range, as drawbox converts its colours, so the punch matches the streamer.
struct Yuv {
  int y, u, v;
};
Yuv to_yuv(Rgb c) {
  const double r = c.r, g = c.g, b = c.b;
  const auto clamp8 = [](double x) {
    return static_cast<int>(std::clamp(std::lround(x), 0L, 255L));
  };
  return {clamp8(16 + 0.257 * r + 0.504 * g + 0.098 * b),
          clamp8(128 - 0.148 * r - 0.291 * g + 0.439 * b),
          clamp8(128 + 0.439 * r - 0.368 * g - 0.071 * b)};
}

}  // namespace

std::string overlay_filter(const std::vector<Overlay>& overlays, int width, int height,
                           const time::FrameRate& rate) {
  // Frame timestamps are exact multiples of the frame period, but t is a double: a quarter of a
  // frame either side decides which frames an overlay is on without rounding trouble. Single
  // quotes keep the expressions' commas from the graph's parser (one level of quoting).
  const double eps = time::seconds(rate.frame_duration()) / 4;
  const int line = std::max(2, (width / 80) & ~1);  // 8 pixels at 640 wide, 24 at 1920
  const int radius = std::max(2, height / 6);
  const std::string fps = std::to_string(rate.fps().num()) + "/" + std::to_string(rate.fps().den());
  std::string graph = "[in]format=yuv420p";
  int label = 0;
  for (const Overlay& o : overlays) {
    const double a = time::seconds(o.start), b = time::seconds(o.end);
    switch (o.kind) {
      case OverlayKind::sweep: {
        // drawbox evaluates its position once (FFmpeg 5.1), so the moving line is a small
        // coloured picture laid over the film by overlay, whose position follows t per frame.
        const double span = std::max(b - a, eps);
        const std::string n = std::to_string(label);
        graph += "[v" + n + "];color=c=" + hex(o.colour) + ":s=" + std::to_string(line) + "x" +
                 std::to_string(height) + ":r=" + fps + "[s" + n + "];[v" + n + "][s" + n +
                 "]overlay=shortest=1:x='clip((t-(" + num(a) + "))/" + num(span) +
                 ",0,1)*(W-w)':y=0:eval=frame:enable='between(t," + num(a - eps) + "," +
                 num(b + eps) + ")'";
        ++label;
        break;
      }
      case OverlayKind::punch: {
        const Yuv c = to_yuv(o.colour);
        const std::string inside = "lte(hypot((X/W-0.5)*" + std::to_string(width) + ",(Y/H-0.5)*" +
                                   std::to_string(height) + ")," + std::to_string(radius) + ")";
        graph += ",geq=lum='if(" + inside + "," + std::to_string(c.y) + ",lum(X,Y))':cb='if(" +
                 inside + "," + std::to_string(c.u) + ",cb(X,Y))':cr='if(" + inside + "," +
                 std::to_string(c.v) + ",cr(X,Y))':enable='between(t," + num(a - eps) + "," +
                 num(b - eps) + ")'";
        break;
      }
      case OverlayKind::flash:
        graph += ",drawbox=x=0:y=0:w=iw:h=ih:color=" + hex(o.colour) +
                 "@0.4:t=fill:enable='between(t," + num(a - eps) + "," + num(b - eps) + ")'";
        break;
    }
  }
  return graph + "[out]";
}

base::Result<BurnReport> burn_overlays(const std::filesystem::path& film,
                                       const std::vector<Overlay>& overlays,
                                       const std::filesystem::path& out,
                                       const BurnOptions& options) {
  auto opened = detail::open_film_to_copy(film, out);
  if (!opened) return opened.error();
  AVFormatContext* in = opened->format.get();
  FilmInfo info = opened->info;
  // An excerpt counts its frames, its timecode and its filters' t from its own first frame.
  const bool excerpt = options.first_frame > 0 || options.frames >= 0;
  if (options.first_frame < 0 || options.frames == 0 || options.frames < -1) {
    return make_error(ErrorKind::invalid_input, "cannot excerpt film '", film.string(),
                      "': frames ", options.first_frame, " + ", options.frames,
                      " is not a span of its pictures");
  }
  if (info.frame_count > 0 && options.first_frame >= info.frame_count) {
    return make_error(ErrorKind::out_of_range, "cannot excerpt film '", film.string(), "': it has ",
                      info.frame_count, " frames, the excerpt starts at frame ",
                      options.first_frame);
  }
  const time::TimeDur skipped =
      time::time_of_frame(options.first_frame, info.rate) - time::time_of_frame(0, info.rate);
  std::vector<Overlay> shifted = overlays;
  for (Overlay& o : shifted) {
    o.start = o.start - skipped;
    o.end = o.end - skipped;
  }
  if (info.start_timecode) {
    info.start_timecode = time::from_frames(
        time::to_frames(*info.start_timecode, info.rate) + options.first_frame, info.rate);
  }
  const std::string out_name = out.string();
  AVStream* in_video = in->streams[info.video_stream];
  auto decoder = detail::open_decoder(*in_video, options.threads, film);
  if (!decoder) return decoder.error();
  AVCodecContext* dec = decoder->get();

  // The container comes from the final name; the bytes go to a temporary beside it.
  detail::TempFile temp(detail::temp_path_beside(out));
  auto opened_output = detail::open_output(out, temp.path());
  if (!opened_output) return opened_output.error();
  detail::OutputPtr output = std::move(*opened_output);

  // The filter graph: buffer source -> overlays -> buffer sink.
  GraphPtr graph(avfilter_graph_alloc());
  const AVRational tb = in_video->time_base;
  const AVRational sar =
      dec->sample_aspect_ratio.num > 0 ? dec->sample_aspect_ratio : AVRational{1, 1};
  const std::string source_args =
      "video_size=" + std::to_string(dec->width) + "x" + std::to_string(dec->height) +
      ":pix_fmt=" + std::to_string(static_cast<int>(dec->pix_fmt)) +
      ":time_base=" + std::to_string(tb.num) + "/" + std::to_string(tb.den) +
      ":pixel_aspect=" + std::to_string(sar.num) + "/" + std::to_string(sar.den);
  AVFilterContext* source = nullptr;
  AVFilterContext* sink = nullptr;
  int rc = avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), "in",
                                        source_args.c_str(), nullptr, graph.get());
  if (rc >= 0) {
    rc = avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr,
                                      nullptr, graph.get());
  }
  BurnReport report;
  report.filter = overlay_filter(shifted, dec->width, dec->height, info.rate);
  if (rc >= 0) {
    InOutPtr outputs(avfilter_inout_alloc());
    InOutPtr inputs(avfilter_inout_alloc());
    outputs->name = av_strdup("in");
    outputs->filter_ctx = source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink;
    AVFilterInOut* o = outputs.release();
    AVFilterInOut* i = inputs.release();
    rc = avfilter_graph_parse_ptr(graph.get(), report.filter.c_str(), &i, &o, nullptr);
    avfilter_inout_free(&i);
    avfilter_inout_free(&o);
    if (rc >= 0) rc = avfilter_graph_config(graph.get(), nullptr);
  }
  if (rc < 0) {
    return make_error(ErrorKind::unsupported, "cannot draw on film '", film.string(),
                      "': FFmpeg's filters would not set up (", av_error_text(rc), ")");
  }

  // The encoder: libx264 when Debian's FFmpeg has it, else FFmpeg's own MPEG-4 part 2.
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
  if (codec == nullptr) {
    return make_error(ErrorKind::unsupported, "cannot write '", out_name,
                      "': this FFmpeg has neither a libx264 nor an MPEG-4 encoder");
  }
  report.encoder = codec->name;
  detail::CodecPtr encoder(avcodec_alloc_context3(codec));
  AVCodecContext* enc = encoder.get();
  enc->width = av_buffersink_get_w(sink);
  enc->height = av_buffersink_get_h(sink);
  enc->pix_fmt = static_cast<AVPixelFormat>(av_buffersink_get_format(sink));
  enc->sample_aspect_ratio = av_buffersink_get_sample_aspect_ratio(sink);
  enc->time_base = av_buffersink_get_time_base(sink);
  enc->framerate =
      AVRational{static_cast<int>(info.rate.fps().num()), static_cast<int>(info.rate.fps().den())};
  enc->thread_count = options.threads;
  enc->color_range = dec->color_range;
  enc->colorspace = dec->colorspace;
  enc->color_primaries = dec->color_primaries;
  enc->color_trc = dec->color_trc;
  AVDictionary* codec_options = nullptr;
  if (report.encoder == "libx264") {
    av_dict_set(&codec_options, "preset", options.preset.c_str(), 0);
    av_dict_set(&codec_options, "crf", std::to_string(options.crf).c_str(), 0);
  } else {
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * 3;
  }
  auto opened_encoder = detail::open_encoder(enc, codec, &codec_options, *output, out);
  av_dict_free(&codec_options);
  if (!opened_encoder) return opened_encoder.error();

  // Streams: the new picture, then every sound stream copied. The start timecode goes on the
  // picture stream, where the MOV/MP4 muxer makes a timecode track of it.
  av_dict_copy(&output->metadata, in->metadata, 0);
  AVStream* out_video = avformat_new_stream(output.get(), nullptr);
  avcodec_parameters_from_context(out_video->codecpar, enc);
  out_video->time_base = enc->time_base;
  out_video->avg_frame_rate = enc->framerate;
  av_dict_copy(&out_video->metadata, in_video->metadata, 0);
  detail::set_start_timecode(out_video, info);
  const std::vector<int> audio_map = detail::copy_sound_streams(output.get(), *in, false);
  if (auto started = detail::start_output(output.get(), temp.path(), out); !started) {
    return started.error();
  }

  detail::PacketPtr packet(av_packet_alloc());
  detail::PacketPtr encoded(av_packet_alloc());
  detail::FramePtr frame(av_frame_alloc());
  detail::FramePtr filtered(av_frame_alloc());
  std::optional<std::int64_t> first_pts;  // the filters' t counts from the first frame
  std::int64_t expected = std::max<std::int64_t>(1, info.frame_count);
  // An excerpt: the film's first frame's time (video time base), the span kept, and the shift
  // that starts the copy at 0. Frame n of the film starts at origin + n frames.
  const std::int64_t origin = in_video->start_time != AV_NOPTS_VALUE ? in_video->start_time : 0;
  const auto film_ts = [&](std::int64_t frame_number, AVRational base) {
    const time::TimeDur d =
        time::time_of_frame(frame_number, info.rate) - time::time_of_frame(0, info.rate);
    return av_rescale_q(origin, tb, base) +
           av_rescale_q(d.ticks(), AVRational{1, static_cast<int>(time::kSuperclockPerSecond)},
                        base);
  };
  const std::int64_t keep_from = film_ts(options.first_frame, tb);
  std::optional<std::int64_t> keep_to;  // exclusive, video time base
  if (options.frames > 0) {
    keep_to = film_ts(options.first_frame + options.frames, tb);
    expected = options.frames;
  } else if (excerpt) {
    expected = std::max<std::int64_t>(1, info.frame_count - options.first_frame);
  }
  bool excerpt_done = false;  // every frame of the excerpt has gone to the filters
  if (excerpt) {
    first_pts = keep_from;
    if (options.first_frame > 0) {
      // To the key frame at or before the excerpt's first frame (a little before, so that a
      // rounded timestamp cannot skip it); the frames before it are decoded and dropped.
      const int sought = av_seek_frame(in, info.video_stream, keep_from - 1, AVSEEK_FLAG_BACKWARD);
      if (sought < 0) {
        return make_error(ErrorKind::unsupported, "cannot excerpt film '", film.string(),
                          "': FFmpeg cannot seek in it (", av_error_text(sought), ")");
      }
    }
  }
  // Half a frame in the video time base: a frame whose timestamp lies within it of the excerpt's
  // edge belongs to the side it is nearest.
  const std::int64_t half_frame = std::max<std::int64_t>(
      1, av_rescale_q(time::time_of_frame(1, info.rate).ticks() / 2,
                      AVRational{1, static_cast<int>(time::kSuperclockPerSecond)}, tb));
  int last_permille = -1;
  bool cancelled = false;

  const auto write_encoded = [&]() -> int {
    return detail::write_encoded(enc, encoded.get(), output.get(), *out_video);
  };
  const auto drain_filter = [&]() -> int {
    for (;;) {
      int r = av_buffersink_get_frame(sink, filtered.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return 0;
      if (r < 0) return r;
      // The copy keeps the film's timestamps; an excerpt starts at 0.
      if (filtered->pts != AV_NOPTS_VALUE && first_pts && !excerpt) filtered->pts += *first_pts;
      filtered->pict_type = AV_PICTURE_TYPE_NONE;
      r = avcodec_send_frame(enc, filtered.get());
      av_frame_unref(filtered.get());
      if (r < 0) return r;
      if ((r = write_encoded()) < 0) return r;
      ++report.frames;
      const int permille =
          static_cast<int>(std::min<std::int64_t>(1000, report.frames * 1000 / expected));
      if (options.progress && permille / 5 != last_permille / 5) {
        last_permille = permille;
        if (!options.progress(std::min(1.0, permille / 1000.0))) {
          cancelled = true;
          return AVERROR_EXIT;
        }
      }
    }
  };
  const auto decode = [&](const AVPacket* p) -> int {
    int r = avcodec_send_packet(dec, p);
    if (r < 0 && r != AVERROR_EOF) return r;
    for (;;) {
      r = avcodec_receive_frame(dec, frame.get());
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return 0;
      if (r < 0) return r;
      std::int64_t pts = frame->best_effort_timestamp;
      if (pts == AV_NOPTS_VALUE) pts = frame->pts;
      if (excerpt && pts != AV_NOPTS_VALUE) {
        if (pts < keep_from - half_frame || excerpt_done ||
            (keep_to && pts >= *keep_to - half_frame)) {
          if (keep_to && pts >= *keep_to - half_frame) excerpt_done = true;
          av_frame_unref(frame.get());
          continue;
        }
      }
      if (!first_pts) first_pts = pts == AV_NOPTS_VALUE ? 0 : pts;
      frame->pts = pts == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : pts - *first_pts;
      r = av_buffersrc_add_frame_flags(source, frame.get(), 0);
      av_frame_unref(frame.get());
      if (r < 0) return r;
      if ((r = drain_filter()) < 0) return r;
    }
  };

  // The sound of an excerpt: the packets that sound inside it, moved to start with it. Its span
  // in each stream's own time base, worked out once rather than for every packet.
  std::vector<std::pair<std::int64_t, std::int64_t>> sound_span(in->nb_streams);
  for (unsigned k = 0; k < in->nb_streams; ++k) {
    const AVRational base = in->streams[k]->time_base;
    sound_span[k] = {film_ts(options.first_frame, base),
                     keep_to ? film_ts(options.first_frame + options.frames, base)
                             : std::numeric_limits<std::int64_t>::max()};
  }
  const auto copy_sound = [&](AVPacket* p) -> int {
    if (!excerpt) return detail::write_mapped_packet(output.get(), *in, audio_map, p);
    const std::int64_t at = p->pts != AV_NOPTS_VALUE ? p->pts : p->dts;
    if (at == AV_NOPTS_VALUE) return 0;
    const auto [from, to] = sound_span[static_cast<std::size_t>(p->stream_index)];
    // The packet that sounds across the excerpt's start is kept, starting before 0: the
    // container's edit list skips its head, as it does an encoder's priming, so the sound stays
    // in sync to the sample (packets that start inside would drift by up to a packet's length).
    if (at + std::max<std::int64_t>(p->duration, 0) <= from) return 0;
    if (at >= to) return 0;
    if (p->pts != AV_NOPTS_VALUE) p->pts -= from;
    if (p->dts != AV_NOPTS_VALUE) p->dts -= from;
    return detail::write_mapped_packet(output.get(), *in, audio_map, p);
  };
  // Reading stops a second past the excerpt's end, once its last frame has gone by: packets of
  // the sound are interleaved within a fraction of a second of the picture's.
  bool stopped = false;
  const std::int64_t read_to = keep_to ? *keep_to + av_rescale_q(1, AVRational{1, 1}, tb) : 0;
  rc = detail::for_each_packet(in, packet.get(), [&](AVPacket* p) {
    if (excerpt_done && keep_to) {
      const std::int64_t at = p->dts != AV_NOPTS_VALUE ? p->dts : p->pts;
      const AVRational base = in->streams[p->stream_index]->time_base;
      if (at != AV_NOPTS_VALUE && av_rescale_q(at, base, tb) > read_to) {
        stopped = true;
        return AVERROR_EOF;
      }
    }
    if (p->stream_index != info.video_stream) return copy_sound(p);
    if (excerpt_done) return 0;
    return decode(p);
  });
  if (stopped && rc == AVERROR_EOF) rc = 0;
  // Flush the decoder, the filters and the encoder, in that order.
  if (rc >= 0) rc = decode(nullptr);
  if (rc >= 0) rc = av_buffersrc_add_frame_flags(source, nullptr, 0);
  if (rc >= 0) rc = drain_filter();
  if (rc >= 0) rc = avcodec_send_frame(enc, nullptr);
  if (rc >= 0) rc = write_encoded();
  if (auto finished = detail::finish_copy(output.get(), temp, out, film, rc, cancelled,
                                          {"burning streamers into", "burn streamers into"});
      !finished) {
    return finished.error();
  }
  if (options.progress) options.progress(1.0);
  return report;
}

}  // namespace duet::picture
