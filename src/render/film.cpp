// Worker threads take cues in order of where they start from an atomic counter and render each
// one with its own FluidSynth synths (render_midi makes and frees them: a synth is never shared
// between threads). A finished cue is summed into a rolling window of the track only when every
// cue starting before it has been, under one lock, so the order of the float additions, and so
// every sample, is the same for any number of workers. Everything before the next cue's start is
// then final: it is ducked, measured and handed to the sink a second at a time, and dropped.
#include "render/film.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include "base/error.h"
#include "midi/timing.h"
#include "time/timecode.h"

namespace duet::render {
namespace {

using base::ErrorKind;
using base::make_error;

// Nearest sample of a duration on the superclock (negative durations round symmetrically).
std::int64_t sample_of(time::TimeDur d, int rate) {
  const std::int64_t num = d.ticks() * rate;  // fits for about 45 hours at 192 kHz
  const std::int64_t half = time::kSuperclockPerSecond / 2;
  return num >= 0 ? (num + half) / time::kSuperclockPerSecond
                  : -((-num + half) / time::kSuperclockPerSecond);
}

// A rolling stretch of the track: frame `start` of the track is frame 0 of the buffers. Frames
// before `start` have gone to the sink.
struct Window {
  std::int64_t start = 0;
  std::size_t head = 0;  // floats of each buffer already handed on (compacted now and then)
  std::vector<float> mix;
  std::array<std::vector<float>, kSectionCount> stems;

  std::int64_t end() const { return start + static_cast<std::int64_t>((mix.size() - head) / 2); }
  // Adds `from` (interleaved stereo) with its frame 0 at track frame `at`, frames [begin, end) of
  // it only.
  static void add(std::vector<float>& to, std::size_t head, std::int64_t window_start,
                  const std::vector<float>& from, std::int64_t at, std::int64_t begin,
                  std::int64_t end) {
    if (end <= begin) return;
    const auto need = head + static_cast<std::size_t>(at + end - window_start) * 2;
    if (to.size() < need) to.resize(need, 0.0f);
    for (std::int64_t f = begin; f < end; ++f) {
      const auto t = head + static_cast<std::size_t>(at + f - window_start) * 2;
      const auto k = static_cast<std::size_t>(f) * 2;
      to[t] += from[k];
      to[t + 1] += from[k + 1];
    }
  }
};

// Fades frames [from, to) of `audio` (interleaved stereo) linearly to silence, and silences the
// rest after `to`.
void fade_out(std::vector<float>& audio, std::int64_t from, std::int64_t to) {
  const auto frames = static_cast<std::int64_t>(audio.size() / 2);
  for (std::int64_t f = std::max<std::int64_t>(0, from); f < frames; ++f) {
    const float g = f >= to ? 0.0f
                            : static_cast<float>(to - f) /
                                  static_cast<float>(std::max<std::int64_t>(1, to - from));
    audio[static_cast<std::size_t>(f) * 2] *= g;
    audio[static_cast<std::size_t>(f) * 2 + 1] *= g;
  }
}

}  // namespace

spot::MidiPlacement cue_origin(const FilmCue& cue, const time::FrameRate& rate) {
  return spot::place_midi(cue.midi, cue.cue, rate);
}

base::Result<StreamedFilm> stream_film(const std::vector<FilmCue>& cues, const FilmOptions& options,
                                       const TrackSink& sink) {
  if (cues.empty()) {
    return make_error(ErrorKind::invalid_input, "the project has no cues to render");
  }
  const int rate = options.render.sample_rate;
  StreamedFilm result;
  result.sample_rate = rate;
  // The track's length in frames; 0: up to the end of the last tail.
  const std::int64_t limit = options.film_duration.ticks() > 0
                                 ? std::max<std::int64_t>(0, sample_of(options.film_duration, rate))
                                 : 0;
  const bool stems = options.render.stems;

  unsigned jobs = options.jobs > 0 ? options.jobs : std::thread::hardware_concurrency();
  jobs = std::clamp<unsigned>(jobs, 1, static_cast<unsigned>(cues.size()));
  result.jobs = jobs;

  // Where each cue starts, known before anything is rendered; the order of placing.
  result.cues.resize(cues.size());
  for (std::size_t i = 0; i < cues.size(); ++i) {
    PlacedCue& p = result.cues[i];
    p.id = cues[i].cue.id.to_string();
    p.midi_path = cues[i].midi_path;
    p.origin = cue_origin(cues[i], options.rate);
    p.first_sample = sample_of(p.origin.at - options.film_start, rate);
  }
  std::vector<std::size_t> order(cues.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return result.cues[a].first_sample < result.cues[b].first_sample;
  });

  std::optional<Ducker> ducker;
  if (options.duck) {
    std::vector<DuckWindow> windows;
    for (const FilmCue& c : cues) {
      for (const spot::DialogueWindow& w : c.cue.dialogue) {
        const double a = time::seconds(w.start - options.film_start);
        const double b = time::seconds(w.end - options.film_start);
        if (b < 0) continue;
        windows.push_back({std::max(0.0, a), b});
      }
    }
    result.duck_windows = windows.size();
    auto made = Ducker::make(std::move(windows), *options.duck, rate);
    if (!made) return made.error();
    ducker = std::move(*made);
  }
  auto meter = LoudnessMeter::make(rate);
  if (!meter) return meter.error();

  // Progress weights: each cue's length on the picture (at least a second).
  std::vector<double> weight(cues.size());
  double total_weight = 0;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    weight[i] = std::max(1.0, time::seconds(cues[i].cue.duration()));
    total_weight += weight[i];
  }

  std::mutex lock;  // guards everything below it, the sink, and calls to options.progress
  std::vector<double> done(cues.size(), 0.0);
  std::size_t cues_done = 0;
  std::vector<std::optional<RenderResult>> ready(cues.size());  // by place in `order`
  std::size_t placed = 0;
  std::optional<base::Error> failure;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next{0};
  Window window;
  std::vector<float> block_mix;
  std::array<std::vector<float>, kSectionCount> block_stems;

  const auto report = [&]() -> bool {
    if (!options.progress) return true;
    double sum = 0;
    for (std::size_t i = 0; i < cues.size(); ++i)
      sum += weight[i] * done[i];
    return options.progress(std::min(1.0, sum / total_weight), cues_done, cues.size());
  };
  // Under the lock: hands the track before `until` to the sink, a second at a time.
  const auto flush = [&](std::int64_t until) -> base::Result<void> {
    if (limit > 0) until = std::min(until, limit);
    while (window.start < until) {
      const auto n = static_cast<std::size_t>(std::min<std::int64_t>(rate, until - window.start));
      const auto take = [&](std::vector<float>& from, std::vector<float>& to) {
        to.assign(n * 2, 0.0f);
        const std::size_t have = from.size() > window.head ? from.size() - window.head : 0;
        std::copy_n(from.begin() + static_cast<std::ptrdiff_t>(std::min(from.size(), window.head)),
                    std::min(have, n * 2), to.begin());
      };
      take(window.mix, block_mix);
      std::vector<float*> buffers{block_mix.data()};
      if (stems) {
        for (std::size_t k = 0; k < kSectionCount; ++k) {
          take(window.stems[k], block_stems[k]);
          buffers.push_back(block_stems[k].data());
        }
      }
      if (ducker) ducker->apply(window.start, n, buffers);
      if (auto ok = meter->add(block_mix); !ok) return ok.error();
      TrackBlock block{window.start, block_mix, {}};
      if (stems)
        for (std::size_t k = 0; k < kSectionCount; ++k)
          block.stems[k] = block_stems[k];
      if (auto ok = sink(block); !ok) return ok.error();
      window.start += static_cast<std::int64_t>(n);
      window.head += n * 2;
      // Compact once the handed-on part is the larger: each float moves at most twice.
      if (window.head >= window.mix.size()) {
        window.mix.clear();
        for (auto& st : window.stems)
          st.clear();
        window.head = 0;
      } else if (window.head > window.mix.size() / 2) {
        const auto drop = static_cast<std::ptrdiff_t>(window.head);
        window.mix.erase(window.mix.begin(), window.mix.begin() + drop);
        for (auto& st : window.stems)
          if (st.size() > window.head) {
            st.erase(st.begin(), st.begin() + drop);
          } else {
            st.clear();
          }
        window.head = 0;
      }
    }
    return {};
  };
  // Under the lock: sums every finished cue whose predecessors (by start) are all in, then
  // hands on what no later cue can change.
  const auto place_ready = [&]() -> base::Result<void> {
    while (placed < cues.size() && ready[placed]) {
      RenderResult& r = *ready[placed];
      PlacedCue& p = result.cues[order[placed]];
      const auto frames = static_cast<std::int64_t>(r.mix.frames());
      // Where the audio's first frame lands: tick 0's place, or later when it was chased.
      const std::int64_t at = p.first_sample + r.first_frame;
      std::int64_t begin = std::max<std::int64_t>(0, window.start - at);
      std::int64_t end = frames;
      p.cut_at_start = p.first_sample < 0;
      if (limit > 0 && at + frames > limit) {
        // Past the film's end: the last second on the picture fades out.
        end = std::max<std::int64_t>(begin, limit - at);
        const std::int64_t fade_from = std::max<std::int64_t>(begin, end - rate);
        fade_out(r.mix.samples, fade_from, end);
        for (Stem& st : r.stems)
          fade_out(st.audio.samples, fade_from, end);
        const auto music_end = static_cast<std::int64_t>(std::llround(r.music_seconds * rate));
        p.cut_at_end = p.first_sample + music_end > limit;
        p.tail_faded = !p.cut_at_end;
      }
      Window::add(window.mix, window.head, window.start, r.mix.samples, at, begin, end);
      for (const Stem& st : r.stems) {
        const auto k = static_cast<std::size_t>(st.section);
        Window::add(window.stems[k], window.head, window.start, st.audio.samples, at, begin, end);
        result.plays[k] = true;
      }
      ready[placed].reset();  // the cue's audio is in the window: free it
      ++placed;
      const std::int64_t safe = placed < cues.size() ? result.cues[order[placed]].first_sample
                                                     : std::numeric_limits<std::int64_t>::max();
      // Without a film length the track ends where the last tail ends.
      if (auto ok = flush(placed < cues.size() || limit > 0 ? safe : window.end()); !ok) return ok;
    }
    return {};
  };

  const auto work = [&]() {
    for (;;) {
      const std::size_t k = next.fetch_add(1);
      if (k >= cues.size() || stop.load()) return;
      const std::size_t i = order[k];
      RenderOptions ro = options.render;
      if (options.chase) {
        // The cue's own frames that the track holds; one more at the end, so that a cue running
        // past the track is seen to and fades as a whole render would.
        const std::int64_t first = result.cues[i].first_sample;
        const std::int64_t from = std::max<std::int64_t>(0, -first);
        if (from > 0 || limit > 0) {
          ro.span = RenderOptions::Span{from, limit > 0 ? std::max(from, limit - first + 1) : -1};
        }
      }
      ro.progress = [&, i](double fraction) {
        if (stop.load()) return false;
        const std::lock_guard<std::mutex> guard(lock);
        done[i] = fraction;
        if (!report()) {
          stop.store(true);
          return false;
        }
        return true;
      };
      auto rendered = render_midi(cues[i].midi, ro);
      const std::lock_guard<std::mutex> guard(lock);
      if (!rendered) {
        if (!failure && !stop.load()) {
          failure = rendered.error().with_context("cue " + cues[i].cue.id.to_string() + " (" +
                                                  cues[i].midi_path + ")");
        }
        stop.store(true);
        return;
      }
      PlacedCue& p = result.cues[i];
      p.frames = rendered->mix.frames();
      p.music_seconds = rendered->music_seconds;
      done[i] = 1.0;
      ++cues_done;
      ready[k] = std::move(*rendered);
      if (auto ok = place_ready(); !ok) {
        if (!failure) failure = ok.error();
        stop.store(true);
        return;
      }
      if (!report()) stop.store(true);
    }
  };
  if (jobs == 1) {
    work();
  } else {
    std::vector<std::thread> workers;
    workers.reserve(jobs);
    for (unsigned t = 0; t < jobs; ++t)
      workers.emplace_back(work);
    for (std::thread& t : workers)
      t.join();
  }
  if (failure) return *failure;
  if (stop.load() || placed < cues.size()) {
    return make_error(ErrorKind::impossible, "rendering the film's music was cancelled");
  }
  // At least one frame, so every output has a length.
  if (window.start == 0 && limit == 0) {
    if (auto ok = flush(1); !ok) return ok.error();
  }
  result.frames = static_cast<std::size_t>(window.start);
  result.loudness = meter->result();
  return result;
}

base::Result<FilmResult> render_film(const std::vector<FilmCue>& cues, const FilmOptions& options) {
  FilmResult result;
  result.mix.sample_rate = options.render.sample_rate;
  std::array<Audio, kSectionCount> sections;
  for (Audio& a : sections)
    a.sample_rate = options.render.sample_rate;
  auto streamed = stream_film(cues, options, [&](const TrackBlock& block) -> base::Result<void> {
    result.mix.samples.insert(result.mix.samples.end(), block.mix.begin(), block.mix.end());
    for (std::size_t k = 0; k < kSectionCount; ++k)
      sections[k].samples.insert(sections[k].samples.end(), block.stems[k].begin(),
                                 block.stems[k].end());
    return {};
  });
  if (!streamed) return streamed.error();
  result.cues = std::move(streamed->cues);
  result.duck_windows = streamed->duck_windows;
  result.jobs = streamed->jobs;
  result.loudness = streamed->loudness;
  for (std::size_t k = 0; k < kSectionCount; ++k)
    if (streamed->plays[k])
      result.stems.push_back({static_cast<Section>(k), std::move(sections[k])});
  if (options.loudness) {
    std::vector<Audio*> stems;
    for (Stem& s : result.stems)
      stems.push_back(&s.audio);
    auto n = normalize(result.mix, stems, *options.loudness);
    if (!n) return n.error();
    result.normalization = *n;
    result.loudness = n->after;
  }
  return result;
}

}  // namespace duet::render
