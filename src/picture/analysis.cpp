// analyse_film: one pass over the film's packets, decoding the picture and the sound as the
// container interleaves them, feeding the picture, loudness and dialogue analysers.
#include "picture/analysis.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

extern "C" {
#include <libavutil/channel_layout.h>
}

#include "base/text.h"
#include "picture/video_av_detail.h"

namespace duet::picture {
namespace {

using base::ErrorKind;
using base::make_error;
using namespace detail;

// Converts one audio stream to one float layout and rate, placing it on the film's timeline:
// silence before audio that starts late, samples dropped before the first frame.
class AudioFeed {
 public:
  AudioFeed(int out_channels, int out_rate) : out_channels_(out_channels), out_rate_(out_rate) {}

  // Returns false when the resampler cannot be set up for the frame's format.
  bool push(const AVFrame& frame, double start_seconds,
            const std::function<void(std::span<const float>)>& sink) {
    if (!swr_) {
      AVChannelLayout in_layout{};
      if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
        av_channel_layout_default(&in_layout, frame.ch_layout.nb_channels);
      } else if (av_channel_layout_copy(&in_layout, &frame.ch_layout) < 0) {
        return false;
      }
      AVChannelLayout out_layout{};
      if (out_channels_ == in_layout.nb_channels) {
        av_channel_layout_copy(&out_layout, &in_layout);
      } else {
        av_channel_layout_default(&out_layout, out_channels_);
      }
      SwrContext* raw = nullptr;
      const int rc = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, out_rate_,
                                         &in_layout, static_cast<AVSampleFormat>(frame.format),
                                         frame.sample_rate, 0, nullptr);
      av_channel_layout_uninit(&in_layout);
      av_channel_layout_uninit(&out_layout);
      swr_.reset(raw);
      if (rc < 0 || swr_init(raw) < 0) return false;
      // Place the first sample on the timeline.
      const auto offset = std::llround(start_seconds * out_rate_);
      if (offset > 0) {
        std::vector<float> silence(static_cast<std::size_t>(offset * out_channels_), 0.0f);
        sink(silence);
      } else {
        drop_ = -offset;
      }
    }
    convert(frame.extended_data, frame.nb_samples, sink);
    return true;
  }

  void flush(const std::function<void(std::span<const float>)>& sink) {
    if (swr_) convert(nullptr, 0, sink);
  }

 private:
  void convert(uint8_t* const* data, int samples,
               const std::function<void(std::span<const float>)>& sink) {
    const int capacity = swr_get_out_samples(swr_.get(), samples);
    if (capacity <= 0) return;
    buffer_.resize(static_cast<std::size_t>(capacity * out_channels_));
    uint8_t* out[1] = {reinterpret_cast<uint8_t*>(buffer_.data())};
    const int got =
        swr_convert(swr_.get(), out, capacity, const_cast<const uint8_t**>(data), samples);
    if (got <= 0) return;
    std::int64_t first = std::min<std::int64_t>(drop_, got);
    drop_ -= first;
    if (first == got) return;
    sink(std::span<const float>(buffer_.data() + first * out_channels_,
                                static_cast<std::size_t>((got - first) * out_channels_)));
  }

  int out_channels_;
  int out_rate_;
  SwrPtr swr_;
  std::int64_t drop_ = 0;  // output samples still to drop (audio before the first frame)
  std::vector<float> buffer_;
};

double seconds_of(std::int64_t ts, AVRational base) {
  return static_cast<double>(ts) * av_q2d(base);
}

}  // namespace

base::Result<FilmAnalysis> analyse_film(const std::filesystem::path& path,
                                        const AnalysisOptions& options) {
  const std::string name = path.string();
  auto open = open_film(path);
  if (!open) return open.error();
  AVFormatContext* fc = open->format.get();
  FilmAnalysis out;
  out.info = std::move(open->info);
  const int video = out.info.video_stream;
  const int audio =
      options.audio ? av_find_best_stream(fc, AVMEDIA_TYPE_AUDIO, -1, video, nullptr, 0) : -1;
  out.audio_stream = audio >= 0 ? audio : -1;
  for (unsigned i = 0; i < fc->nb_streams; ++i) {
    const int index = static_cast<int>(i);
    if (index != video && index != out.audio_stream) fc->streams[i]->discard = AVDISCARD_ALL;
  }
  const AVStream& vs = *fc->streams[video];
  auto vdec = open_decoder(vs, options.threads, path);
  if (!vdec) return vdec.error();
  CodecPtr adec;
  if (out.audio_stream >= 0) {
    auto opened = open_decoder(*fc->streams[out.audio_stream], options.threads, path);
    if (opened) {
      adec = std::move(*opened);
    } else {
      // The picture can still be analysed; the sound is left out and the film says why.
      out.info.warnings.push_back(
          {opened.error().message + "; loudness and dialogue are left out"});
      fc->streams[out.audio_stream]->discard = AVDISCARD_ALL;
      out.audio_stream = -1;
    }
  }

  const int width = std::max(4, options.analysis_width);
  const int height = std::max(4, options.analysis_height);
  PictureAnalyser picture(out.info.rate, width, height, options.cuts);
  std::vector<std::uint8_t> small(static_cast<std::size_t>(width * height * 3));
  SwsContext* sws = nullptr;  // owned below; sws_getCachedContext may replace it
  SwsPtr sws_owner;

  std::optional<LoudnessMeter> loudness;
  DialogueDetector dialogue(options.dialogue);
  std::optional<AudioFeed> loud_feed;
  AudioFeed speech_feed(1, DialogueDetector::kSampleRate);
  const auto loud_sink = [&](std::span<const float> s) { loudness->push(s); };
  const auto speech_sink = [&](std::span<const float> s) { dialogue.push(s); };

  // The timeline's origin: the first frame's timestamp.
  const double origin =
      vs.start_time != AV_NOPTS_VALUE ? seconds_of(vs.start_time, vs.time_base) : 0.0;
  const double duration = std::max(time::seconds(out.info.duration), 1e-6);
  double reported = -1;
  long bad_packets = 0;
  bool audio_broken = false;

  FramePtr frame(av_frame_alloc());
  PacketPtr packet(av_packet_alloc());

  const auto take_video = [&]() -> bool {
    const AVFrame& f = *frame;
    sws = sws_getCachedContext(sws, f.width, f.height, static_cast<AVPixelFormat>(f.format), width,
                               height, AV_PIX_FMT_RGB24, SWS_AREA, nullptr, nullptr, nullptr);
    if (sws == nullptr) {
      sws_owner.release();  // sws_getCachedContext freed the old one before failing
      return false;
    }
    if (sws_owner.get() != sws) {
      sws_owner.release();  // sws_getCachedContext freed the old one
      sws_owner.reset(sws);
    }
    uint8_t* dst[4] = {small.data(), nullptr, nullptr, nullptr};
    int stride[4] = {width * 3, 0, 0, 0};
    sws_scale(sws, f.data, f.linesize, 0, f.height, dst, stride);
    picture.push(small);
    return true;
  };
  const auto take_audio = [&]() {
    const AVFrame& f = *frame;
    if (audio_broken) return;
    const std::int64_t ts = f.best_effort_timestamp;
    const AVStream& as = *fc->streams[out.audio_stream];
    const double start = (ts != AV_NOPTS_VALUE ? seconds_of(ts, as.time_base) : origin) - origin;
    if (!loudness) {
      const int channels = f.ch_layout.nb_channels;
      if (channels < 1 || channels > 64 || f.sample_rate < 8000 || f.sample_rate > 384000) {
        audio_broken = true;
        return;
      }
      loudness.emplace(channels, f.sample_rate);
      loud_feed.emplace(channels, f.sample_rate);
    }
    if (!loud_feed->push(f, start, loud_sink) || !speech_feed.push(f, start, speech_sink)) {
      audio_broken = true;
    }
  };
  // Sends one packet (or the flush) to a decoder and takes every frame it gives back.
  const auto decode = [&](AVCodecContext* dec, const AVPacket* pkt,
                          bool is_video) -> base::Result<void> {
    int rc = avcodec_send_packet(dec, pkt);
    if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) {
      ++bad_packets;  // a damaged packet: players skip it, so do we
      return {};
    }
    while ((rc = avcodec_receive_frame(dec, frame.get())) >= 0) {
      if (is_video) {
        if (!take_video()) {
          av_frame_unref(frame.get());
          return make_error(ErrorKind::unsupported, "cannot analyse film '", name,
                            "': its picture format cannot be converted for analysis");
        }
      } else {
        take_audio();
      }
      av_frame_unref(frame.get());
    }
    if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) ++bad_packets;
    return {};
  };

  for (;;) {
    const int rc = av_read_frame(fc, packet.get());
    if (rc == AVERROR_EOF) break;
    if (rc < 0) {
      return make_error(ErrorKind::io, "cannot analyse film '", name, "': reading failed after ",
                        base::fixed(reported * duration, 1), " s (", av_error_text(rc), ")");
    }
    const int index = packet->stream_index;
    base::Result<void> done;
    if (index == video) {
      done = decode(vdec->get(), packet.get(), true);
    } else if (index == out.audio_stream) {
      done = decode(adec.get(), packet.get(), false);
    }
    std::int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
    const AVRational base = fc->streams[index]->time_base;
    av_packet_unref(packet.get());
    if (!done) return done.error();
    if (options.progress && ts != AV_NOPTS_VALUE) {
      const double fraction = std::clamp((seconds_of(ts, base) - origin) / duration, 0.0, 1.0);
      if (fraction >= reported + 0.005) {
        reported = fraction;
        if (!options.progress(fraction)) {
          return make_error(ErrorKind::impossible, "analysis of film '", name,
                            "' was cancelled at ", base::fixed(100 * fraction, 1), "%");
        }
      }
    }
  }
  if (auto done = decode(vdec->get(), nullptr, true); !done) return done.error();
  if (adec) {
    if (auto done = decode(adec.get(), nullptr, false); !done) return done.error();
    if (loud_feed) loud_feed->flush(loud_sink);
    speech_feed.flush(speech_sink);
  }
  if (options.progress && !options.progress(1.0)) {
    return make_error(ErrorKind::impossible, "analysis of film '", name, "' was cancelled at 100%");
  }

  PictureResult pictures = picture.finish();
  if (pictures.frames == 0) {
    return make_error(ErrorKind::invalid_input, "cannot analyse film '", name,
                      "': no picture could be decoded from it");
  }
  out.frames = pictures.frames;
  out.cuts = std::move(pictures.cuts);
  out.gradual = std::move(pictures.gradual);
  out.series = std::move(pictures.series);
  if (loudness) {
    out.loudness = loudness->finish();
    out.dialogue = dialogue.finish();
  }
  if (audio_broken) {
    out.info.warnings.push_back(
        {"the sound could not be converted for analysis; loudness and "
         "dialogue cover only what came before"});
  }
  if (bad_packets > 0) {
    out.info.warnings.push_back(
        {base::cat(bad_packets, " damaged packets could not be decoded and were skipped")});
  }
  return out;
}

}  // namespace duet::picture
