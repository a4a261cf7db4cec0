#include "spot/draft.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "base/error.h"
#include "base/text.h"
#include "time/timecode.h"

namespace duet::spot {
namespace {

using base::cat;
using base::fixed;

constexpr int kFeatures = 5;  // motion, brightness, warmth, loudness, dialogue
using Features = std::array<double, kFeatures>;

double clamp01(double v) {
  return std::clamp(v, 0.0, 1.0);
}
double clamp11(double v) {
  return std::clamp(v, -1.0, 1.0);
}

// Motion on a log scale: 0.005 (a locked-off shot with grain) -> 0, 0.15 (a chase) -> 1.
double motion_scale(double motion) {
  const double lo = std::log10(0.005), hi = std::log10(0.15);
  return clamp01((std::log10(std::max(motion, 1e-4)) - lo) / (hi - lo));
}
// Short-term loudness: -50 LUFS (room tone) -> 0, -15 LUFS (a loud action scene) -> 1.
double loudness_scale(double lufs) {
  return clamp01((lufs + 50.0) / 35.0);
}

// The drafted feeling of a feature vector (docs/spotting.md): light and warmth read as valence,
// motion and loudness as arousal, motion, darkness and loudness as tension.
Emotion emotion_of(const Features& f) {
  const double m = f[0], b = f[1], w = f[2] - 0.5, l = f[3];
  Emotion e;
  e.arousal = clamp11(-1.0 + 2.0 * (0.55 * m + 0.45 * l));
  e.valence = clamp11(1.8 * (b - 0.35) + 1.0 * w);
  e.tension = clamp01(0.4 * m + 0.3 * (1.0 - b) + 0.3 * l);
  return e;
}

double distance(const Features& a, const Features& b) {
  double sum = 0;
  for (int k = 0; k < kFeatures; ++k)
    sum += (a[k] - b[k]) * (a[k] - b[k]);
  return std::sqrt(sum);
}

double round2(double v) {
  return std::round(v * 100.0) / 100.0;
}

// Per-second features of the film (element i covers [i s, i+1 s) from the first frame).
std::vector<Features> second_features(const picture::FilmAnalysis& analysis) {
  const auto& s = analysis.series;
  const std::size_t n = s.motion.size();
  std::vector<Features> out(n);
  // Dialogue: the share of each second inside a dialogue window.
  std::vector<double> speech(n, 0.0);
  for (const auto& window : analysis.dialogue) {
    const double a = time::seconds(window.start), b = time::seconds(window.end);
    for (auto i = static_cast<std::size_t>(std::max(0.0, std::floor(a)));
         i < n && static_cast<double>(i) < b; ++i) {
      const double lo = std::max(a, static_cast<double>(i)),
                   hi = std::min(b, static_cast<double>(i) + 1.0);
      if (hi > lo) speech[i] += hi - lo;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    double lufs = picture::kSilenceLufs;
    if (analysis.loudness.measured && !analysis.loudness.short_term_lufs.empty()) {
      lufs = analysis.loudness
                 .short_term_lufs[std::min(i, analysis.loudness.short_term_lufs.size() - 1)];
    }
    out[i] = {motion_scale(s.motion[i]), i < s.brightness.size() ? s.brightness[i] : 0.0,
              clamp01(0.5 + (i < s.warmth.size() ? s.warmth[i] : 0.0)), loudness_scale(lufs),
              clamp01(speech[i])};
  }
  return out;
}

// Mean features over [a, b) seconds from the first frame, weighted by overlap.
Features mean_over(const std::vector<Features>& per_second, double a, double b) {
  Features sum{};
  double weight = 0;
  const auto n = per_second.size();
  for (auto i = static_cast<std::size_t>(std::max(0.0, std::floor(a)));
       i < n && static_cast<double>(i) < b; ++i) {
    const double w =
        std::min(b, static_cast<double>(i) + 1.0) - std::max(a, static_cast<double>(i));
    if (w <= 0) continue;
    for (int k = 0; k < kFeatures; ++k)
      sum[k] += w * per_second[i][k];
    weight += w;
  }
  if (weight > 0)
    for (auto& v : sum)
      v /= weight;
  return sum;
}

struct Scene {
  time::TimePos start;  // on the project timeline
  time::TimePos end;
  std::string name;       // the clip name from the cut, "" when unknown
  bool dissolve = false;  // begins with a dissolve from the scene before
  Features features{};
  double seconds = 0;
};

// Optimal segmentation of scenes into runs: least squares within a run plus a penalty per run,
// no run shorter than min_seconds (unless the film is). The penalty is penalty_share of the
// feature variation of reference_seconds of the film (the whole film when it is shorter), so a
// feature gets as many cues per hour as a short film does, not the same number. A run longer
// than max_seconds pays the penalty again for every max_seconds past it (a long scene is split at
// its strongest turn unless it is one shot); runs over three times that are not tried, so the
// search is linear in the number of scenes. Returns the first scene of each run.
std::vector<std::size_t> segment(const std::vector<Scene>& scenes, double min_seconds,
                                 double max_seconds, double penalty_share,
                                 double reference_seconds) {
  const std::size_t n = scenes.size();
  // Prefix sums of w, w*f and w*|f|^2 give any run's weighted sum of squares in O(1).
  std::vector<double> w(n + 1, 0.0), ff(n + 1, 0.0);
  std::vector<Features> wf(n + 1, Features{});
  for (std::size_t i = 0; i < n; ++i) {
    const double sw = scenes[i].seconds;
    w[i + 1] = w[i] + sw;
    double sq = 0;
    for (int k = 0; k < kFeatures; ++k) {
      wf[i + 1][k] = wf[i][k] + sw * scenes[i].features[k];
      sq += scenes[i].features[k] * scenes[i].features[k];
    }
    ff[i + 1] = ff[i] + sw * sq;
  }
  auto sse = [&](std::size_t a, std::size_t b) {
    const double weight = w[b] - w[a];
    if (weight <= 0) return 0.0;
    double mean_sq = 0;
    for (int k = 0; k < kFeatures; ++k) {
      const double s = wf[b][k] - wf[a][k];
      mean_sq += s * s;
    }
    return std::max(0.0, (ff[b] - ff[a]) - mean_sq / weight);
  };
  const double total = w[n];
  const double lambda =
      penalty_share * sse(0, n) * std::min(1.0, reference_seconds / std::max(total, 1e-9)) + 1e-9;
  const double inf = std::numeric_limits<double>::infinity();
  const double longest = std::max(max_seconds, 1.0);
  auto run = [&](double min_len) {
    std::vector<double> best(n + 1, inf);
    std::vector<std::size_t> from(n + 1, 0);
    best[0] = 0;
    for (std::size_t j = 1; j <= n; ++j) {
      for (std::size_t i = j; i-- > 0;) {
        const double len = w[j] - w[i];
        if (len > 3 * longest && i + 1 < j) break;  // one scene may be longer than that
        if (best[i] == inf) continue;
        // A run may be short only when it is the whole film.
        if (len < min_len - 1e-9) continue;
        const double over = std::max(0.0, len - longest) / longest;
        const double cost = best[i] + sse(i, j) + lambda * (1.0 + 4.0 * over);
        if (cost < best[j]) {
          best[j] = cost;
          from[j] = i;
        }
      }
    }
    std::vector<std::size_t> starts;
    if (best[n] == inf) return starts;
    for (std::size_t j = n; j > 0; j = from[j])
      starts.push_back(from[j]);
    std::reverse(starts.begin(), starts.end());
    return starts;
  };
  auto starts = run(std::min(min_seconds, total));
  // No split satisfies the minimum (scenes too long to join within the search): split anyway.
  if (starts.empty()) starts = run(0);
  if (starts.empty()) return {0};
  return starts;
}

// How much a run asks for music, 0..1: energy, tension and strong feeling ask for it; speech
// and stillness leave room for the picture to play alone.
double need_for_music(const Emotion& e, double dialogue_share) {
  return std::clamp(0.45 * (e.arousal + 1.0) / 2.0 + 0.35 * e.tension + 0.2 * std::abs(e.valence) -
                        0.3 * dialogue_share,
                    0.0, 1.0);
}

std::string words_for(const Emotion& e, double dialogue_share) {
  std::string energy = e.arousal > 0.4    ? "driving"
                       : e.arousal > 0.0  ? "moving"
                       : e.arousal > -0.5 ? "calm"
                                          : "still";
  std::string light = e.valence > 0.3 ? "bright" : e.valence < -0.3 ? "dark" : "half-lit";
  std::string text = energy + " (arousal " + fixed(e.arousal, 2) + "), " + light + " (valence " +
                     fixed(e.valence, 2) + "), tension " + fixed(e.tension, 2);
  if (dialogue_share >= 0.05)
    text += cat(", dialogue ", static_cast<int>(std::lround(dialogue_share * 100)), "%");
  return text;
}

}  // namespace

base::Result<Draft> draft_spotting(const picture::FilmAnalysis& analysis, const picture::Cut* edl,
                                   const time::FrameRate& rate, const time::Timecode& film_start,
                                   const DraftOptions& options) {
  using base::ErrorKind;
  if (analysis.series.motion.empty() || analysis.frames <= 0) {
    return base::make_error(ErrorKind::invalid_input,
                            "the analysis holds no pictures, so there is nothing to spot");
  }
  const time::TimePos origin = time::to_time(film_start, rate);
  const time::TimeDur length =
      time::time_of_frame(analysis.frames, rate) - time::time_of_frame(0, rate);
  const time::TimePos film_end = origin + length;
  const auto per_second = second_features(analysis);
  auto tc = [&](time::TimePos at) { return time::label_at(at, rate); };
  auto film_seconds = [&](time::TimePos at) { return time::seconds(at - origin); };

  Draft draft;

  // 1. Scenes: the editor's shots, else what the picture showed.
  std::vector<Scene> scenes;
  std::vector<time::TimePos> picture_cuts;  // hard cuts and dissolve starts, project timeline
  for (const auto& c : analysis.cuts)
    picture_cuts.push_back(origin + (c.at - time::TimePos{}));
  for (const auto& g : analysis.gradual)
    if (g.kind == picture::GradualKind::dissolve)
      picture_cuts.push_back(origin + (g.start - time::TimePos{}));
  std::sort(picture_cuts.begin(), picture_cuts.end());
  const time::TimeDur frame = time::time_of_frame(1, rate) - time::time_of_frame(0, rate);

  if (edl != nullptr) {
    const auto shots = edl->shots();
    for (const auto& shot : shots) {
      const time::TimePos a = std::max(shot.record_in, origin);
      const time::TimePos b = std::min(shot.record_out, film_end);
      if (b - a < frame) continue;
      if (!scenes.empty() && a < scenes.back().end) scenes.back().end = a;  // overlapping events
      Scene scene{a, b, shot.clip_name.empty() ? shot.reel : shot.clip_name,
                  shot.transition.kind == picture::TransitionKind::dissolve};
      scenes.push_back(scene);
    }
    if (scenes.empty()) {
      return base::make_error(ErrorKind::invalid_input, "the cut's record timecodes (",
                              shots.empty() ? "none" : tc(shots.front().record_in),
                              " on) do not overlap the film (", tc(origin), " to ", tc(film_end),
                              "); check the film's start timecode (--start) or the EDL");
    }
    // Fill what the cut leaves uncovered at the head and tail, and any gaps, as scenes of their
    // own, so that the whole film is spotted.
    // Slivers under a second (a frame of slack at the tail) join the scene beside them.
    const time::TimeDur sliver = time::TimeDur(time::kSuperclockPerSecond);
    std::vector<Scene> filled;
    time::TimePos at = origin;
    for (auto& scene : scenes) {
      if (scene.start - at >= sliver) {
        filled.push_back(Scene{at, scene.start, "", false});
      } else if (scene.start > at) {
        if (filled.empty()) {
          scene.start = at;
        } else {
          filled.back().end = scene.start;
        }
      }
      filled.push_back(scene);
      at = scene.end;
    }
    if (film_end - at >= sliver) {
      filled.push_back(Scene{at, film_end, "", false});
    } else {
      filled.back().end = film_end;
    }
    scenes = std::move(filled);
    // How the editor's cut and the picture agree (within a frame).
    int seen = 0, transitions = 0;
    for (std::size_t i = 1; i < scenes.size(); ++i) {
      ++transitions;
      const auto near =
          std::lower_bound(picture_cuts.begin(), picture_cuts.end(), scenes[i].start - frame);
      if (near != picture_cuts.end() && *near <= scenes[i].start + frame) ++seen;
    }
    draft.remarks.push_back(cat("scenes from the cut: ", scenes.size(),
                                " shots; the picture shows ", seen, " of its ", transitions,
                                " transitions within a frame (", picture_cuts.size(),
                                " cuts and dissolves found in the picture)"));
  } else {
    time::TimePos at = origin;
    for (const auto& c : picture_cuts) {
      if (c - at < frame || film_end - c < frame) continue;
      scenes.push_back(Scene{at, c, "", false});
      at = c;
    }
    scenes.push_back(Scene{at, film_end, "", false});
    for (std::size_t i = 1; i < scenes.size(); ++i) {
      for (const auto& g : analysis.gradual)
        if (g.kind == picture::GradualKind::dissolve &&
            origin + (g.start - time::TimePos{}) == scenes[i].start)
          scenes[i].dissolve = true;
    }
    draft.remarks.push_back(cat("scenes from the picture: ", scenes.size(),
                                " shots (no cut given; pass the EDL for the editor's shots)"));
  }
  for (auto& scene : scenes) {
    scene.seconds = time::seconds(scene.end - scene.start);
    scene.features = mean_over(per_second, film_seconds(scene.start), film_seconds(scene.end));
  }

  // 2-3. Runs of similar feeling.
  const auto starts = segment(scenes, options.min_cue_seconds, options.max_cue_seconds,
                              options.split_penalty, options.split_reference_seconds);

  // 4. Which runs are scored. Calm dialogue plays dry; past the music share a film of feature
  // length may carry, the runs that ask least for music play dry too.
  struct Run {
    std::size_t first = 0, last = 0;
    time::TimePos in, out;
    Features features{};
    Emotion mood;
    double need = 0;
    std::string dry;  // why it is left dry; "" when scored
  };
  std::vector<Run> runs;
  for (std::size_t r = 0; r < starts.size(); ++r) {
    Run run;
    run.first = starts[r];
    run.last = (r + 1 < starts.size() ? starts[r + 1] : scenes.size()) - 1;
    run.in = scenes[run.first].start;
    run.out = scenes[run.last].end;
    run.features = mean_over(per_second, film_seconds(run.in), film_seconds(run.out));
    run.mood = emotion_of(run.features);
    run.need = need_for_music(run.mood, run.features[4]);
    if (run.features[4] >= options.dry_dialogue_share && run.mood.arousal < options.dry_arousal)
      run.dry = "left dry, the scene plays on its dialogue";
    runs.push_back(run);
  }
  const double film_s = time::seconds(length);
  if (film_s >= options.music_share_from_minutes * 60.0) {
    double scored = 0;
    for (const Run& run : runs)
      if (run.dry.empty()) scored += time::seconds(run.out - run.in);
    std::vector<std::size_t> order;
    for (std::size_t r = 0; r < runs.size(); ++r)
      if (runs[r].dry.empty()) order.push_back(r);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return runs[a].need < runs[b].need; });
    for (std::size_t r : order) {
      if (scored <= options.max_music_share * film_s) break;
      runs[r].dry = cat("left dry: the picture asks least for music here (", fixed(runs[r].need, 2),
                        "), and the film is scored ",
                        static_cast<int>(options.max_music_share * 100), "% at most");
      scored -= time::seconds(runs[r].out - runs[r].in);
    }
    int dry = 0;
    for (const Run& run : runs)
      if (!run.dry.empty()) ++dry;
    draft.remarks.push_back(cat("music over ", static_cast<int>(std::lround(100 * scored / film_s)),
                                "% of the film: ", runs.size() - static_cast<std::size_t>(dry),
                                " cues, ", dry, " stretches left dry"));
  }

  // 5. Cues.
  std::vector<int> next_number(1000, 1);
  for (const Run& run : runs) {
    const std::size_t first = run.first, last = run.last;
    const time::TimePos in = run.in, out = run.out;
    const Emotion mood = run.mood;
    const double dialogue_share = run.features[4];
    DraftNote note{in, out, true, words_for(mood, dialogue_share)};
    if (!run.dry.empty()) {
      note.cue = false;
      note.summary += ": " + run.dry;
      draft.notes.push_back(note);
      continue;
    }

    Cue cue;
    const auto in_tc = time::timecode_at(in, rate);
    cue.id.reel = film_start.hours >= 1 ? std::clamp(in_tc.hours, 0, 999) : 1;
    cue.id.number = next_number[static_cast<std::size_t>(cue.id.reel)]++;
    cue.in = in;
    cue.out = out;
    cue.usage = Usage::background_instrumental;
    const std::string& a = scenes[first].name;
    const std::string& b = scenes[last].name;
    cue.title = a.empty() ? "Scene at " + tc(in) : (b.empty() || b == a ? a : a + " to " + b);

    // Hits: the cuts inside the run where the feeling changes.
    struct Candidate {
      HitPoint hit;
      double change;
    };
    std::vector<Candidate> candidates;
    for (std::size_t i = first + 1; i <= last; ++i) {
      const Scene& before = scenes[i - 1];
      const Scene& after = scenes[i];
      const double change = distance(before.features, after.features);
      if (change < options.soft_hit_change) continue;
      HitPoint hit;
      hit.at = after.start;
      const bool hard = change >= options.hard_hit_change && !after.dissolve;
      hit.kind = hard ? HitKind::hard : HitKind::soft;
      hit.land = hard ? Landing::downbeat() : Landing::beat();
      hit.weight = round2(std::min(3.0, change / options.soft_hit_change));
      // A rise in loudness across the cut wants an accent.
      hit.accent = after.features[3] - before.features[3] >= 6.0 / 35.0;
      hit.label = (after.dissolve ? "dissolve to " : "cut to ") +
                  (after.name.empty() ? std::string("the next shot") : after.name);
      candidates.push_back({hit, change});
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& x, const Candidate& y) { return x.change > y.change; });
    const auto gap = time::duration_from_seconds(time::Rational(
        static_cast<std::int64_t>(std::lround(options.min_hit_gap_seconds * 1000)), 1000));
    for (const auto& c : candidates) {
      const bool crowded = std::any_of(cue.hits.begin(), cue.hits.end(), [&](const HitPoint& h) {
        return (h.at > c.hit.at ? h.at - c.hit.at : c.hit.at - h.at) < gap;
      });
      if (!crowded) cue.hits.push_back(c.hit);
    }

    // Dialogue windows inside the cue.
    for (const auto& window : analysis.dialogue) {
      const time::TimePos s = std::max(in, origin + (window.start - time::TimePos{}));
      const time::TimePos e = std::min(out, origin + (window.end - time::TimePos{}));
      if (time::seconds(e - s) >= 0.3) cue.dialogue.push_back(DialogueWindow{s, e, ""});
    }

    // Emotion keyframes every step, averaged over the step around them, then thinned where a
    // straight line between neighbours already says the same.
    const double step = std::max(1.0, options.emotion_step_seconds);
    const double a_s = film_seconds(in), b_s = film_seconds(out);
    std::vector<EmotionKey> keys;
    for (double t = a_s;; t += step) {
      const bool last_key = t >= b_s - 0.5 * step;
      const double at = last_key ? b_s : t;
      Emotion e = emotion_of(mean_over(per_second, std::max(a_s, at - step / 2),
                                       std::min(b_s, std::max(at + step / 2, at + 0.5))));
      e = {round2(e.valence), round2(e.arousal), round2(e.tension)};
      const auto pos =
          last_key ? out
                   : in + time::duration_from_seconds(time::Rational(
                              static_cast<std::int64_t>(std::lround((at - a_s) * 1000)), 1000));
      keys.push_back(EmotionKey{pos, e});
      if (last_key) break;
    }
    std::vector<EmotionKey> kept;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i == 0 || i + 1 == keys.size()) {
        kept.push_back(keys[i]);
        continue;
      }
      const auto& p = kept.back();
      const auto& q = keys[i + 1];
      const double u = time::seconds(keys[i].at - p.at) / time::seconds(q.at - p.at);
      auto lerp = [&](double x, double y) { return x + u * (y - x); };
      const bool straight =
          std::abs(lerp(p.value.valence, q.value.valence) - keys[i].value.valence) < 0.08 &&
          std::abs(lerp(p.value.arousal, q.value.arousal) - keys[i].value.arousal) < 0.08 &&
          std::abs(lerp(p.value.tension, q.value.tension) - keys[i].value.tension) < 0.08;
      if (!straight) kept.push_back(keys[i]);
    }
    cue.emotion.keys = std::move(kept);

    std::string starts_on = first == 0 && in == origin ? "starts at the head of the film"
                            : scenes[first].name.empty()
                                ? "starts on the cut at " + tc(in)
                                : "starts on the cut to " + scenes[first].name;
    if (dialogue_share >= 0.2) note.summary += ": underscore that leaves the speech clear";
    cue.notes = "Draft by duet spot: " + note.summary + "; " + starts_on + "; " +
                cat(cue.hits.size(), cue.hits.size() == 1 ? " cut" : " cuts", " to hit.");
    sort_contents(cue);
    snap_to_frames(cue, rate);
    draft.cues.push_back(std::move(cue));
    draft.notes.push_back(note);
  }
  return draft;
}

}  // namespace duet::spot
