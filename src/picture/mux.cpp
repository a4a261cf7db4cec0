// The video packets go from the demuxer to the muxer untouched (only their timestamps are
// rescaled to the output stream's time base, which the muxer may choose); the music is encoded a
// frame at a time, kept about half a second ahead of the video so the file interleaves well.
#include "picture/mux.h"

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "base/text.h"
#include "picture/video_av_detail.h"

namespace duet::picture {
namespace {

using base::ErrorKind;
using base::make_error;
using detail::av_error_text;

// The first video frame's time in the video stream's time base (the timeline's origin).
std::int64_t video_origin(const AVStream& video) {
  return video.start_time != AV_NOPTS_VALUE ? video.start_time : 0;
}

std::string lower_extension(const std::filesystem::path& p) {
  std::string e = p.extension().string();
  for (char& c : e)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

// One sound stream decoded packet by packet into stereo floats at the music's rate, placed on the
// film's timeline (frame 0 = the first video frame: silence before sound that starts late, sound
// before it dropped). What decode_film_audio gathers whole and mux_music mixes a block at a time,
// so a feature's sound is never held in memory at once.
class SoundDecoder {
 public:
  SoundDecoder(detail::CodecPtr decoder, const AVStream& stream, double origin_seconds,
               int sample_rate)
      : decoder_(std::move(decoder)),
        stream_(&stream),
        origin_(origin_seconds),
        rate_(sample_rate),
        frame_(av_frame_alloc()) {}

  // Decodes one packet (nullptr: the end, flushing the decoder and the resampler). A damaged
  // packet is skipped, as players do. Negative: an FFmpeg error (broken(): a format that cannot
  // be converted).
  int send(AVPacket* packet) {
    if (finished_) return 0;
    if (packet == nullptr) {
      finished_ = true;
      int rc = avcodec_send_packet(decoder_.get(), nullptr) >= 0 ? take_frames() : 0;
      if (rc >= 0 && swr_) convert(nullptr, 0);
      return rc;
    }
    return avcodec_send_packet(decoder_.get(), packet) >= 0 ? take_frames() : 0;
  }
  bool broken() const { return broken_; }
  bool finished() const { return finished_; }
  // The timeline frame up to which sound is decoded (every frame before it is known).
  std::int64_t end() const {
    return taken_ + static_cast<std::int64_t>((fifo_.size() - head_) / 2);
  }
  // Adds gain x the sound of the next `frames` frames into `out` (interleaved stereo; frames past
  // what is decoded add nothing) and forgets them.
  void mix_into(float* out, std::int64_t frames, float gain) {
    const std::int64_t have = std::min<std::int64_t>(frames, end() - taken_);
    for (std::int64_t k = 0; k < 2 * have; ++k)
      out[k] += gain * fifo_[head_ + static_cast<std::size_t>(k)];
    head_ += static_cast<std::size_t>(std::max<std::int64_t>(0, have)) * 2;
    taken_ += frames;
    if (head_ >= fifo_.size()) {
      fifo_.clear();
      head_ = 0;
    } else if (head_ > (1u << 20)) {
      fifo_.erase(fifo_.begin(), fifo_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  // Everything decoded and not yet taken.
  std::vector<float> take_all() {
    std::vector<float> out(fifo_.begin() + static_cast<std::ptrdiff_t>(head_), fifo_.end());
    taken_ = end();
    fifo_.clear();
    head_ = 0;
    return out;
  }

 private:
  void append(const float* data, std::int64_t frames) {
    // Sound before the track's frame `taken_` (already mixed) is late: drop it.
    const std::int64_t skip = std::min<std::int64_t>(drop_, frames);
    drop_ -= skip;
    fifo_.insert(fifo_.end(), data + skip * 2, data + frames * 2);
  }
  void convert(uint8_t* const* data, int samples) {
    const int capacity = swr_get_out_samples(swr_.get(), samples);
    if (capacity <= 0) return;
    buffer_.resize(static_cast<std::size_t>(capacity) * 2);
    uint8_t* to[1] = {reinterpret_cast<uint8_t*>(buffer_.data())};
    const int got =
        swr_convert(swr_.get(), to, capacity, const_cast<const uint8_t**>(data), samples);
    if (got > 0) append(buffer_.data(), got);
  }
  int take_frames() {
    AVCodecContext* dec = decoder_.get();
    for (;;) {
      int rc = avcodec_receive_frame(dec, frame_.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return 0;
      if (rc < 0) return rc;
      if (!swr_) {
        AVChannelLayout in_layout{};
        if (frame_->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
          av_channel_layout_default(&in_layout, frame_->ch_layout.nb_channels);
        } else {
          av_channel_layout_copy(&in_layout, &frame_->ch_layout);
        }
        AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
        SwrContext* raw = nullptr;
        rc = swr_alloc_set_opts2(&raw, &stereo, AV_SAMPLE_FMT_FLT, rate_, &in_layout,
                                 static_cast<AVSampleFormat>(frame_->format), frame_->sample_rate,
                                 0, nullptr);
        av_channel_layout_uninit(&in_layout);
        swr_.reset(raw);
        if (rc < 0 || swr_init(raw) < 0) {
          broken_ = true;
          return AVERROR(EINVAL);
        }
        const std::int64_t ts = frame_->best_effort_timestamp;
        const double start =
            (ts != AV_NOPTS_VALUE ? static_cast<double>(ts) * av_q2d(stream_->time_base)
                                  : origin_) -
            origin_;
        const auto offset = static_cast<std::int64_t>(std::llround(start * rate_));
        if (offset > 0) {
          fifo_.assign(static_cast<std::size_t>(offset) * 2, 0.0f);
        } else {
          drop_ = -offset;
        }
      }
      convert(frame_->extended_data, frame_->nb_samples);
      av_frame_unref(frame_.get());
    }
  }

  detail::CodecPtr decoder_;
  const AVStream* stream_;
  double origin_;
  int rate_;
  detail::FramePtr frame_;
  detail::SwrPtr swr_;
  std::vector<float> fifo_, buffer_;
  std::size_t head_ = 0;    // floats of fifo_ already taken
  std::int64_t taken_ = 0;  // timeline frame of fifo_[head_]
  std::int64_t drop_ = 0;   // frames still to drop (sound before the first video frame)
  bool broken_ = false;
  bool finished_ = false;
};

base::Result<SoundDecoder> open_sound(const AVFormatContext& in, const FilmInfo& info,
                                      int audio_index, int sample_rate,
                                      const std::filesystem::path& film) {
  const int stream_index = info.audio[static_cast<std::size_t>(audio_index)].index;
  const AVStream& stream = *in.streams[stream_index];
  auto decoder = detail::open_decoder(stream, 0, film);
  if (!decoder) return decoder.error();
  const AVStream& video = *in.streams[info.video_stream];
  const double origin = static_cast<double>(video_origin(video)) * av_q2d(video.time_base);
  return SoundDecoder(std::move(*decoder), stream, origin, sample_rate);
}

base::Error sound_error(const std::filesystem::path& film, const SoundDecoder& sound, int rc) {
  return make_error(
      ErrorKind::invalid_input, "cannot decode the sound of film '", film.string(), "': ",
      sound.broken() ? std::string("its sample format cannot be converted") : av_error_text(rc));
}

}  // namespace

base::Result<std::vector<float>> decode_film_audio(const std::filesystem::path& film,
                                                   int audio_index, int sample_rate) {
  auto opened = detail::open_film(film);
  if (!opened) return opened.error();
  AVFormatContext* in = opened->format.get();
  const FilmInfo& info = opened->info;
  if (audio_index < 0 || audio_index >= static_cast<int>(info.audio.size())) {
    return make_error(ErrorKind::invalid_input, "film '", film.string(), "' has ",
                      info.audio.size(), " sound streams; there is no sound stream ",
                      audio_index + 1);
  }
  auto sound = open_sound(*in, info, audio_index, sample_rate, film);
  if (!sound) return sound.error();
  const int stream_index = info.audio[static_cast<std::size_t>(audio_index)].index;
  detail::PacketPtr packet(av_packet_alloc());
  int rc = detail::for_each_packet(in, packet.get(), [&](AVPacket* p) -> int {
    return p->stream_index == stream_index ? sound->send(p) : 0;
  });
  if (rc >= 0) rc = sound->send(nullptr);
  if (rc < 0) return sound_error(film, *sound, rc);
  return sound->take_all();
}

base::Result<MuxReport> mux_music(const std::filesystem::path& film, std::span<const float> music,
                                  int sample_rate, const std::filesystem::path& out,
                                  const MuxOptions& options) {
  std::size_t at = 0;  // floats of `music` read so far
  const MusicReader reader = [&](std::span<float> block) -> base::Result<void> {
    const std::size_t n = std::min(block.size(), music.size() - std::min(at, music.size()));
    std::copy_n(music.begin() + static_cast<std::ptrdiff_t>(std::min(at, music.size())), n,
                block.begin());
    std::fill(block.begin() + static_cast<std::ptrdiff_t>(n), block.end(), 0.0f);
    at += block.size();
    return {};
  };
  return mux_music(film, reader, sample_rate, out, options);
}

base::Result<MuxReport> mux_music(const std::filesystem::path& film, const MusicReader& music,
                                  int sample_rate, const std::filesystem::path& out,
                                  const MuxOptions& options) {
  const std::string out_name = out.string();
  if (sample_rate < 8000 || sample_rate > 192000) {
    return make_error(ErrorKind::out_of_range, "music sample rate ", sample_rate,
                      " Hz is outside 8000..192000");
  }
  if (options.original_gain_db < -60 || options.original_gain_db > 12) {
    return make_error(ErrorKind::out_of_range, "the film's sound gain ", options.original_gain_db,
                      " dB is outside -60..12");
  }
  const std::string ext = lower_extension(out);
  const bool pcm = ext == ".mov" || ext == ".mkv";
  if (!pcm && ext != ".mp4" && ext != ".m4v") {
    return make_error(ErrorKind::invalid_input, "cannot tell the container of '", out_name,
                      "' from its extension; use .mp4, .mov or .mkv");
  }
  auto opened = detail::open_film_to_copy(film, out);
  if (!opened) return opened.error();
  AVFormatContext* in = opened->format.get();
  const FilmInfo& info = opened->info;
  AVStream* in_video = in->streams[info.video_stream];
  const AVRational music_tb{1, sample_rate};
  const std::int64_t origin = video_origin(*in_video);
  const std::int64_t origin_samples = av_rescale_q(origin, in_video->time_base, music_tb);

  // The track: the music cut or padded to the picture's length, the film's sound under it,
  // mixed a frame of the encoder at a time as the film's packets go by.
  const auto frames = static_cast<std::size_t>(
      std::max<std::int64_t>(1, std::llround(time::seconds(info.duration) * sample_rate)));
  MuxReport report;
  std::optional<SoundDecoder> sound;
  int sound_stream = -1;
  if (options.track == MusicTrack::mix && !info.audio.empty()) {
    auto opened_sound = open_sound(*in, info, 0, sample_rate, film);
    if (!opened_sound) return opened_sound.error();
    sound.emplace(std::move(*opened_sound));
    sound_stream = info.audio.front().index;
    report.mixed_original = true;
  }
  const auto sound_gain = static_cast<float>(std::pow(10.0, options.original_gain_db / 20.0));

  detail::TempFile temp(detail::temp_path_beside(out));
  auto opened_output = detail::open_output(out, temp.path());
  if (!opened_output) return opened_output.error();
  detail::OutputPtr output = std::move(*opened_output);

  // The music encoder: AAC in MP4 (256 kb/s, transparent for a mock-up), 24-bit PCM elsewhere.
  const AVCodec* codec = avcodec_find_encoder(pcm ? AV_CODEC_ID_PCM_S24LE : AV_CODEC_ID_AAC);
  if (codec == nullptr) {
    return make_error(ErrorKind::unsupported, "cannot write '", out_name, "': this FFmpeg has no ",
                      pcm ? "24-bit PCM" : "AAC", " encoder");
  }
  detail::CodecPtr encoder(avcodec_alloc_context3(codec));
  AVCodecContext* enc = encoder.get();
  enc->sample_rate = sample_rate;
  enc->sample_fmt = pcm ? AV_SAMPLE_FMT_S32 : AV_SAMPLE_FMT_FLTP;
  av_channel_layout_default(&enc->ch_layout, 2);
  enc->time_base = music_tb;
  if (!pcm) enc->bit_rate = 256000;
  if (auto opened_encoder = detail::open_encoder(enc, codec, nullptr, *output, out);
      !opened_encoder) {
    return opened_encoder.error();
  }
  report.audio_codec = codec->name;
  report.audio_bit_rate = pcm ? 0 : 256000;
  report.music_seconds = static_cast<double>(frames) / sample_rate;

  // Streams: the picture (copied), the film's sound (copied, separate only), the music.
  av_dict_copy(&output->metadata, in->metadata, 0);
  AVStream* out_video = detail::copy_stream(output.get(), *in_video);
  out_video->avg_frame_rate = in_video->avg_frame_rate;
  out_video->r_frame_rate = in_video->r_frame_rate;
  out_video->sample_aspect_ratio = in_video->sample_aspect_ratio;
  out_video->disposition = in_video->disposition;
  report.timecode = detail::set_start_timecode(out_video, info);
  const std::vector<int> audio_map = options.track == MusicTrack::separate
                                         ? detail::copy_sound_streams(output.get(), *in, true)
                                         : std::vector<int>(in->nb_streams, -1);
  AVStream* out_music = avformat_new_stream(output.get(), nullptr);
  avcodec_parameters_from_context(out_music->codecpar, enc);
  out_music->time_base = music_tb;
  av_dict_set(&out_music->metadata, "title",
              report.mixed_original ? "music and film sound" : "music", 0);
  // The film's own sound stays the default track when the music is a separate one.
  out_music->disposition =
      options.track == MusicTrack::separate && !info.audio.empty() ? 0 : AV_DISPOSITION_DEFAULT;
  report.audio_tracks = static_cast<int>(output->nb_streams) - 1;

  if (auto started = detail::start_output(output.get(), temp.path(), out); !started) {
    return started.error();
  }

  // Encodes music frames until `until` (frames into the track) or the end, then flushes at the end.
  const int frame_size = enc->frame_size > 0 ? enc->frame_size : 1024;
  std::size_t encoded_to = 0;
  detail::FramePtr frame(av_frame_alloc());
  detail::PacketPtr packet(av_packet_alloc());
  detail::PacketPtr encoded(av_packet_alloc());
  const auto write_encoded = [&]() -> int {
    return detail::write_encoded(enc, encoded.get(), output.get(), *out_music);
  };
  std::vector<float> block;
  std::optional<base::Error> music_failed;
  const auto encode_until = [&](std::size_t until) -> int {
    until = std::min(until, frames);
    // The film's sound under the music must be decoded first; the music waits for it (the
    // container interleaves the two within a second or so).
    if (sound && !sound->finished()) {
      until = std::min(until, static_cast<std::size_t>(std::max<std::int64_t>(0, sound->end())));
    }
    while (encoded_to < until) {
      const int n = static_cast<int>(std::min<std::size_t>(frame_size, frames - encoded_to));
      // A whole encoder frame of the film's sound must be there (the last one may be short).
      if (sound && !sound->finished() && until - encoded_to < static_cast<std::size_t>(n)) break;
      av_frame_unref(frame.get());
      frame->format = enc->sample_fmt;
      frame->sample_rate = sample_rate;
      frame->nb_samples = n;
      int r = av_channel_layout_copy(&frame->ch_layout, &enc->ch_layout);
      if (r >= 0) r = av_frame_get_buffer(frame.get(), 0);
      if (r < 0) return r;
      block.resize(static_cast<std::size_t>(n) * 2);
      if (auto got = music(block); !got) {
        music_failed = got.error();
        return AVERROR_EXIT;
      }
      if (sound) sound->mix_into(block.data(), n, sound_gain);
      for (float& x : block)
        x = std::clamp(x, -1.0f, 1.0f);
      const float* src = block.data();
      if (pcm) {
        auto* dst = reinterpret_cast<std::int32_t*>(frame->data[0]);
        for (int k = 0; k < 2 * n; ++k) {
          // 24-bit PCM from the top 24 bits of a 32-bit sample.
          dst[k] =
              static_cast<std::int32_t>(std::lround(static_cast<double>(src[k]) * 8388607.0)) * 256;
        }
      } else {
        auto* left = reinterpret_cast<float*>(frame->data[0]);
        auto* right = reinterpret_cast<float*>(frame->data[1]);
        for (int k = 0; k < n; ++k) {
          left[k] = src[2 * k];
          right[k] = src[2 * k + 1];
        }
      }
      frame->pts = origin_samples + static_cast<std::int64_t>(encoded_to);
      encoded_to += static_cast<std::size_t>(n);
      r = avcodec_send_frame(enc, frame.get());
      if (r < 0) return r;
      if ((r = write_encoded()) < 0) return r;
    }
    return 0;
  };

  const double duration = std::max(time::seconds(info.duration), 1e-6);
  std::size_t encode_target = 0;  // half a second ahead of the last video packet
  int last_permille = -1;
  bool cancelled = false;
  int rc = detail::for_each_packet(in, packet.get(), [&](AVPacket* p) -> int {
    if (p->stream_index == sound_stream) {
      const int r = sound->send(p);
      return r < 0 ? r : encode_until(encode_target);
    }
    if (p->stream_index != info.video_stream) {
      return detail::write_mapped_packet(output.get(), *in, audio_map, p);
    }
    int r = 0;
    const std::int64_t ts = p->dts != AV_NOPTS_VALUE ? p->dts : p->pts;
    if (ts != AV_NOPTS_VALUE) {
      // The music half a second ahead of the picture.
      const std::int64_t at = av_rescale_q(ts - origin, in_video->time_base, music_tb);
      encode_target = static_cast<std::size_t>(std::max<std::int64_t>(0, at + sample_rate / 2));
      r = encode_until(encode_target);
      const double t = static_cast<double>(at) / sample_rate;
      const int permille = static_cast<int>(std::clamp(t / duration, 0.0, 1.0) * 1000);
      if (options.progress && permille / 5 != last_permille / 5) {
        last_permille = permille;
        if (!options.progress(permille / 1000.0)) {
          cancelled = true;
          r = AVERROR_EXIT;
        }
      }
    }
    if (r >= 0) {
      r = detail::write_copied_packet(output.get(), p, in_video->time_base, *out_video);
      ++report.video_packets;
    }
    return r;
  });
  if (rc >= 0 && sound) {
    rc = sound->send(nullptr);
    if (rc < 0) {
      return sound_error(film, *sound, rc);
    }
  }
  if (rc >= 0) rc = encode_until(frames);
  if (music_failed) return *music_failed;
  if (rc >= 0) rc = avcodec_send_frame(enc, nullptr);
  if (rc >= 0) rc = write_encoded();
  if (auto finished = detail::finish_copy(output.get(), temp, out, film, rc, cancelled,
                                          {"putting the music onto", "put the music onto"});
      !finished) {
    return finished.error();
  }
  if (options.progress) options.progress(1.0);
  return report;
}

}  // namespace duet::picture
