// Worker threads take cues in order from an atomic counter and render each one with its own
// FluidSynth synths (render_midi makes and frees them: a synth is never shared between threads).
// A finished cue is summed into the track only when every cue before it has been, under one
// lock, so the order of the float additions, and so every sample, is the same for any number of
// workers.
#include "render/film.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
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

// Adds `from` (interleaved stereo) into `to` with from's frame 0 at frame `at` of `to`, growing
// `to` up to `limit_frames` (0 = no limit). Returns {cut at start, cut at end}.
std::pair<bool, bool> place(std::vector<float>& to, const std::vector<float>& from, std::int64_t at,
                            std::size_t limit_frames) {
  const auto frames = static_cast<std::int64_t>(from.size() / 2);
  std::int64_t begin = std::max<std::int64_t>(0, -at);  // first frame of `from` that is used
  std::int64_t end = frames;
  bool cut_end = false;
  if (limit_frames > 0 && at + end > static_cast<std::int64_t>(limit_frames)) {
    end = std::max<std::int64_t>(begin, static_cast<std::int64_t>(limit_frames) - at);
    cut_end = true;
  }
  if (end > begin) {
    const auto need = static_cast<std::size_t>(at + end) * 2;
    if (to.size() < need) to.resize(need, 0.0f);
    for (std::int64_t f = begin; f < end; ++f) {
      const auto t = static_cast<std::size_t>(at + f) * 2;
      const auto s = static_cast<std::size_t>(f) * 2;
      to[t] += from[s];
      to[t + 1] += from[s + 1];
    }
  }
  return {begin > 0, cut_end};
}

}  // namespace

spot::MidiPlacement cue_origin(const FilmCue& cue, const time::FrameRate& rate) {
  return spot::place_midi(cue.midi, cue.cue, rate);
}

base::Result<FilmResult> render_film(const std::vector<FilmCue>& cues, const FilmOptions& options) {
  if (cues.empty()) {
    return make_error(ErrorKind::invalid_input, "the project has no cues to render");
  }
  const int rate = options.render.sample_rate;
  FilmResult result;
  result.mix.sample_rate = rate;
  const std::size_t limit = options.film_duration.ticks() > 0
                                ? static_cast<std::size_t>(std::max<std::int64_t>(
                                      0, sample_of(options.film_duration, rate)))
                                : 0;
  result.mix.samples.assign(limit * 2, 0.0f);
  std::array<Audio, kSectionCount> sections;
  std::array<bool, kSectionCount> plays{};
  for (Audio& a : sections) {
    a.sample_rate = rate;
    if (options.render.stems) a.samples.assign(limit * 2, 0.0f);
  }

  unsigned jobs = options.jobs > 0 ? options.jobs : std::thread::hardware_concurrency();
  jobs = std::clamp<unsigned>(jobs, 1, static_cast<unsigned>(cues.size()));
  result.jobs = jobs;

  // Progress weights: each cue's length on the picture (at least a second).
  std::vector<double> weight(cues.size());
  double total_weight = 0;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    weight[i] = std::max(1.0, time::seconds(cues[i].cue.duration()));
    total_weight += weight[i];
  }

  std::mutex lock;  // guards everything below it, and calls to options.progress
  std::vector<double> done(cues.size(), 0.0);
  std::size_t cues_done = 0;
  std::vector<std::optional<RenderResult>> ready(cues.size());
  std::size_t placed = 0;
  std::optional<base::Error> failure;
  result.cues.resize(cues.size());
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> next{0};

  // Under the lock: report progress; false when the caller cancels.
  const auto report = [&]() -> bool {
    if (!options.progress) return true;
    double sum = 0;
    for (std::size_t i = 0; i < cues.size(); ++i)
      sum += weight[i] * done[i];
    return options.progress(std::min(1.0, sum / total_weight), cues_done, cues.size());
  };
  // Under the lock: sums every finished cue whose predecessors are all in.
  const auto place_ready = [&]() {
    while (placed < cues.size() && ready[placed]) {
      const RenderResult& r = *ready[placed];
      PlacedCue& p = result.cues[placed];
      const auto [cut_start, cut_end] =
          place(result.mix.samples, r.mix.samples, p.first_sample, limit);
      p.cut_at_start = cut_start;
      p.cut_at_end = cut_end;
      for (const Stem& s : r.stems) {
        const auto k = static_cast<std::size_t>(s.section);
        place(sections[k].samples, s.audio.samples, p.first_sample, limit);
        plays[k] = true;
      }
      ready[placed].reset();  // the cue's audio is in the track: free it
      ++placed;
    }
  };

  const auto work = [&]() {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= cues.size() || stop.load()) return;
      RenderOptions ro = options.render;
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
      p.id = cues[i].cue.id.to_string();
      p.midi_path = cues[i].midi_path;
      p.origin = cue_origin(cues[i], options.rate);
      p.first_sample = sample_of(p.origin.at - options.film_start, rate);
      p.frames = rendered->mix.frames();
      p.music_seconds = rendered->music_seconds;
      done[i] = 1.0;
      ++cues_done;
      ready[i] = std::move(*rendered);
      place_ready();
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

  // Every stem as long as the mix, so they line up from the film's first frame.
  const std::size_t length = std::max<std::size_t>(result.mix.samples.size(), 2);
  result.mix.samples.resize(length, 0.0f);
  for (std::size_t k = 0; k < sections.size(); ++k) {
    if (!plays[k]) continue;
    sections[k].samples.resize(length, 0.0f);
    result.stems.push_back({static_cast<Section>(k), std::move(sections[k])});
  }
  std::vector<Audio*> stems;
  for (Stem& s : result.stems)
    stems.push_back(&s.audio);

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
    if (auto ok = duck(result.mix, stems, windows, *options.duck); !ok) return ok.error();
  }
  if (options.loudness) {
    auto n = normalize(result.mix, stems, *options.loudness);
    if (!n) return n.error();
    result.normalization = *n;
    result.loudness = n->after;
  } else {
    auto l = measure_loudness(result.mix);
    if (!l) return l.error();
    result.loudness = *l;
  }
  return result;
}

}  // namespace duet::render
