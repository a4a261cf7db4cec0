#include "compose/critics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "base/text.h"
#include "compose/craft.h"
#include "music/instrument.h"
#include "music/pitch.h"
#include "sync/check.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::TimeDur;
using time::TimePos;

std::string percent(int count, int of) {
  return of > 0 ? std::to_string((100 * count + of / 2) / of) + "%" : "-";
}

std::string pitch_name(int midi) {
  return music::to_string(music::pitch_of_midi(midi));
}

// "bars 9-12" or "bar 9".
std::string bar_span(const time::TempoMap& map, BeatPos from, BeatPos to) {
  const auto a = map.bbt_at(from).bar;
  const auto b = map.bbt_at(to > from ? to - BeatDur(1) : from).bar;
  return a == b ? "bar " + std::to_string(a)
                : "bars " + std::to_string(a) + "\u2013" + std::to_string(b);
}

std::string_view quadrant_words(model::Quadrant q) {
  switch (q) {
    case model::Quadrant::q1:
      return "Q1 (bright, excited)";
    case model::Quadrant::q2:
      return "Q2 (tense)";
    case model::Quadrant::q3:
      return "Q3 (sad)";
    case model::Quadrant::q4:
      return "Q4 (calm)";
  }
  return "?";
}

std::string notes_word(int n) {
  return std::to_string(n) + (n == 1 ? " note" : " notes");
}

double mean_velocity(const Part& part) {
  if (part.notes.empty()) return 0;
  double sum = 0;
  for (const auto& n : part.notes)
    sum += n.velocity;
  return sum / static_cast<double>(part.notes.size());
}

// The spans the emotion critic estimates: the sections, else every 4 bars.
std::vector<std::pair<BeatPos, BeatPos>> spans_of(const Score& score) {
  std::vector<std::pair<BeatPos, BeatPos>> spans;
  if (!score.sections.empty()) {
    for (std::size_t i = 0; i < score.sections.size(); ++i) {
      const BeatPos from = score.sections[i].at;
      const BeatPos to = i + 1 < score.sections.size() ? score.sections[i + 1].at : score.end;
      if (to > from) spans.emplace_back(from, to);
    }
    return spans;
  }
  const auto last_bar = score.tempo_map.bbt_at(score.end - BeatDur(1)).bar;
  for (std::int64_t bar = 1; bar <= last_bar; bar += 4) {
    auto from = score.tempo_map.beats_at(time::BBT{bar, 1, 0});
    auto to = score.tempo_map.beats_at(time::BBT{bar + 4, 1, 0});
    if (!from || !to) break;
    spans.emplace_back(*from, std::min(*to, score.end));
  }
  return spans;
}

// The melody's information content per note; empty when there is no melody.
struct MelodyIc {
  model::Melody melody;
  std::vector<double> bits;
};
std::optional<MelodyIc> melody_ic(const Score& score, const model::MelodyModel& model) {
  const Part* part = melody_part(score);
  if (part == nullptr) return std::nullopt;
  MelodyIc out;
  out.melody = melody_of(*part, score.tempo_map);
  if (out.melody.notes.empty()) return std::nullopt;
  model::MelodyModel copy = model;  // predict() may grow the pitch domain
  for (const auto& p : copy.predict(out.melody))
    out.bits.push_back(p.information_content);
  return out;
}

// A critic made of several measures with goals: each judged part scores 1 at its goal, falling
// linearly to 0 at its bound; the critic's score is their mean and its measure the share of
// goals met.
struct Parts {
  double sum = 0;
  int judged = 0, met = 0, averaged = 0;
  double factor = 1;
  void add(double score, bool goal_met) {
    sum += score;
    ++averaged;
    count(goal_met);
  }
  // A part whose goal is 0 faults (hygiene): it multiplies the mean instead of joining it.
  void multiply(double score, bool goal_met) {
    factor *= score;
    count(goal_met);
  }
  void count(bool goal_met) {
    ++judged;
    met += goal_met ? 1 : 0;
  }
  void finish(CriticResult& r) const {
    r.judged = judged > 0;
    if (!r.judged) return;
    r.count = met;
    r.of = judged;
    r.measure = static_cast<double>(met) / judged;
    r.score = (averaged > 0 ? sum / averaged : 1.0) * factor;
  }
};

// 1 at or under the goal, 0 at or over the bound.
double ramp_down(double x, double goal, double bound) {
  if (x <= goal) return 1;
  if (x >= bound) return 0;
  return (bound - x) / (bound - goal);
}
// 1 at or over the goal, 0 at or under the bound.
double ramp_up(double x, double bound, double goal) {
  if (x >= goal) return 1;
  if (x <= bound) return 0;
  return (x - bound) / (goal - bound);
}

std::string pct(double share) {
  return std::to_string(std::llround(100 * share)) + "%";
}

// A median pitch: "D2", or "D2/D#2" between two.
std::string pitch_between(double pitch) {
  const auto lo = static_cast<int>(std::floor(pitch));
  return pitch == lo ? pitch_name(lo) : pitch_name(lo) + "/" + pitch_name(lo + 1);
}

std::string beats_word(double beats) {
  return base::fixed(beats, beats == std::floor(beats) ? 0 : 1) + (beats == 1 ? " beat" : " beats");
}

std::string bars_word(std::int64_t n) {
  return std::to_string(n) + (n == 1 ? " bar" : " bars");
}
}  // namespace

std::string_view to_string(CriticKind kind) {
  switch (kind) {
    case CriticKind::sync:
      return "sync";
    case CriticKind::emotion:
      return "emotion";
    case CriticKind::tension:
      return "tension";
    case CriticKind::themes:
      return "themes";
    case CriticKind::voice_leading:
      return "voice-leading";
    case CriticKind::ranges:
      return "ranges";
    case CriticKind::likelihood:
      return "likelihood";
    case CriticKind::orchestration:
      return "orchestration";
    case CriticKind::harmony:
      return "harmony";
    case CriticKind::rhythm:
      return "rhythm";
    case CriticKind::form:
      return "form";
  }
  return "?";
}

std::string bar_beat(const time::TempoMap& map, BeatPos at) {
  const auto bbt = map.bbt_at(at);
  return "bar " + std::to_string(bbt.bar) + " beat " + std::to_string(bbt.beat);
}

const Part* melody_part(const Score& score) {
  for (const auto& p : score.parts)
    if (p.role == Role::melody && !p.notes.empty()) return &p;
  const Part* best = nullptr;
  double best_mean = -1;
  for (const auto& p : score.parts) {
    if (is_percussion(p) || p.notes.empty()) continue;
    double sum = 0;
    for (const auto& n : p.notes)
      sum += n.pitch;
    const double mean = sum / static_cast<double>(p.notes.size());
    if (mean > best_mean) {
      best_mean = mean;
      best = &p;
    }
  }
  return best;
}

model::Melody melody_of(const Part& part, const time::TempoMap& map) {
  model::Melody melody;
  melody.id = part.name;
  std::vector<ScoreNote> notes = part.notes;
  std::stable_sort(notes.begin(), notes.end(), [](const ScoreNote& a, const ScoreNote& b) {
    return a.start != b.start ? a.start < b.start : a.pitch > b.pitch;
  });
  for (std::size_t i = 0; i < notes.size(); ++i) {
    if (i > 0 && notes[i].start == notes[i - 1].start) continue;  // the highest of a chord
    const ScoreNote& n = notes[i];
    model::MelodyNote m;
    m.pitch = n.pitch;
    m.onset = n.start;
    m.duration = n.length;
    for (std::size_t j = i + 1; j < notes.size(); ++j) {
      if (notes[j].start > n.start) {
        m.duration = std::min(n.length, notes[j].start - n.start);
        break;
      }
    }
    const auto bbt = map.bbt_at(n.start);
    const auto bar_start = map.beats_at(time::BBT{bbt.bar, 1, 0});
    m.bar_position = bar_start ? n.start - *bar_start : BeatDur(0);
    const auto meter = map.meter_at(n.start);
    m.meter = {meter.numerator, meter.denominator};
    melody.notes.push_back(m);
  }
  return melody;
}

CriticResult critic_sync(const Score& score, const spot::Cue& cue, const CriticOptions& options) {
  CriticResult r;
  r.kind = CriticKind::sync;
  r.unit = "hard hits landed";
  if (cue.hits.empty()) {
    r.reasons.push_back("the cue has no hit points");
    return r;
  }
  const auto& map = score.tempo_map;
  // Every onset on the film timeline, with whether it is an accent.
  struct Onset {
    TimePos at;
    BeatPos beat;
    bool accent;
  };
  std::vector<Onset> onsets;
  std::map<std::int64_t, int> parts_starting;  // beat ticks -> parts with an onset there
  for (const auto& p : score.parts) {
    std::set<std::int64_t> starts;
    for (const auto& n : p.notes)
      starts.insert(n.start.ticks());
    for (auto s : starts)
      ++parts_starting[s];
  }
  for (const auto& p : score.parts) {
    const double mean = mean_velocity(p);
    for (const auto& n : p.notes) {
      const bool loud = n.velocity >= mean + 10 || n.velocity >= 110;
      const bool tutti = parts_starting[n.start.ticks()] >= 3;
      onsets.push_back({map.time_at(n.start), n.start, loud || tutti});
    }
  }
  auto near = [&](BeatPos b, TimePos t) {
    const TimeDur d = map.time_at(b) - t;
    return std::llabs(d.ticks()) <= options.hit_tolerance.ticks();
  };
  double weight = 0, credit = 0;
  int hard = 0, hard_landed = 0, soft = 0, soft_landed = 0;
  std::vector<std::string> misses, plain;
  // Whether the tempo map lands each hit on the grid its landing asks for: the one rule `duet
  // sync check` reports by, so the critic never counts a hit that sync says is missed.
  const sync::CheckReport grid =
      sync::check_hits(cue.hits, map, options.rate, options.hit_tolerance);
  for (std::size_t index = 0; index < cue.hits.size(); ++index) {
    const spot::HitPoint& hit = cue.hits[index];
    const sync::HitError& on_grid = grid.hits[index];
    const bool is_hard = hit.kind == spot::HitKind::hard;
    const double w = is_hard ? 3.0 : 1.0;
    weight += w;
    (is_hard ? hard : soft) += 1;
    bool landed = false, marked = false;
    std::int64_t nearest = std::numeric_limits<std::int64_t>::max();
    for (const auto& o : onsets) {
      const std::int64_t d = (o.at - hit.at).ticks();
      if (std::llabs(d) < std::llabs(nearest)) nearest = d;
      if (std::llabs(d) <= options.hit_tolerance.ticks()) {
        landed = true;
        if (o.accent) marked = true;
      }
    }
    if (landed && !marked) {
      for (const auto& c : score.chords)
        if (near(c.at, hit.at)) marked = true;
      for (const auto& s : score.sections)
        if (near(s.at, hit.at)) marked = true;
    }
    const std::string where = bar_beat(map, map.beats_at(hit.at));
    const std::string name = std::string(is_hard ? "hard" : "soft") + " hit '" + hit.label + "'";
    if (landed && !on_grid.landed) {
      misses.push_back(base::cat(
          "misses ", name, " at ", where, ": a note sounds there, but the ", "tempo map's ",
          hit.land.to_string(), " is ", base::fixed(std::abs(on_grid.error_frames), 2), " frames ",
          on_grid.error_frames > 0 ? "late" : "early", " (as 'duet sync check' says)"));
    } else if (landed) {
      (is_hard ? hard_landed : soft_landed) += 1;
      credit += w * (marked ? 1.0 : 0.8);
      if (!marked) {
        plain.push_back(name + " at " + where +
                        " lands on a plain onset: no accent, chord change or section start");
      }
    } else if (nearest == std::numeric_limits<std::int64_t>::max()) {
      misses.push_back("misses " + name + " at " + where + ": no note at all");
    } else {
      const double s = time::seconds(TimeDur(nearest));
      misses.push_back("misses " + name + " at " + where + ": the nearest onset is " +
                       base::fixed(std::abs(s), 3) + " s " + (s < 0 ? "early" : "late"));
    }
  }
  r.judged = true;
  r.score = credit / weight;
  r.count = hard_landed;
  r.of = hard;
  r.measure = hard > 0 ? static_cast<double>(hard_landed) / hard : 1.0;
  r.reasons.push_back("lands " + std::to_string(hard_landed) + " of " + std::to_string(hard) +
                      " hard hits and " + std::to_string(soft_landed) + " of " +
                      std::to_string(soft) + " soft hits (within " +
                      base::fixed(time::seconds(options.hit_tolerance) * 1000, 0) + " ms)");
  for (auto& m : misses)
    r.reasons.push_back(std::move(m));
  for (auto& p : plain)
    r.reasons.push_back(std::move(p));
  return r;
}

CriticResult critic_emotion(const Score& score, const spot::Cue& cue,
                            const CriticOptions& options) {
  CriticResult r;
  r.kind = CriticKind::emotion;
  r.unit = "sections in the target quadrant";
  if (cue.emotion.empty()) {
    r.reasons.push_back("the cue has no emotion curve");
    return r;
  }
  const model::EmotionModel& em =
      options.emotion_model ? *options.emotion_model : model::default_emotion_model();
  model::EmotionOptions eo;
  eo.sequence_model = options.melody_model;
  const bool needs_sequence = model::uses_sequence_model(em);
  if (needs_sequence && options.melody_model == nullptr) {
    r.reasons.push_back("the emotion model weights surprise but no melody model was given");
    return r;
  }
  const auto& map = score.tempo_map;
  // The critic judges what duet emotion plots for the written file: the same notes (every part
  // off the General MIDI drum channel, in seconds from the cue's start), the same windows (8 s
  // every 4 s) and the same beat (the tempo map when the notes follow it, model::check_tempo_map;
  // else heard from the notes). Each window is held against the target at its middle, and a
  // section agrees when at least half of the windows centred in it do. (It used to estimate
  // each section as one window, with a beat heard anew from that section's notes, against the
  // target at the section's middle only: a section could agree while most of the plotted curve
  // over it did not.)
  const TimePos origin = map.origin();
  std::vector<model::EmotionNote> notes;
  std::vector<std::int64_t> onsets;
  for (const auto& p : score.parts) {
    if (p.channel == 9) continue;
    for (const auto& n : p.notes) {
      const double a = time::seconds(map.time_at(n.start) - origin);
      const double b = time::seconds(map.time_at(n.start + n.length) - origin);
      notes.push_back({n.pitch, a, std::max(0.0, b - a), n.velocity});
      onsets.push_back(n.start.ticks());
    }
  }
  if (notes.empty()) {
    r.reasons.push_back("no notes off the drum channel to estimate");
    return r;
  }
  std::stable_sort(notes.begin(), notes.end(), [](const auto& x, const auto& y) {
    return x.onset != y.onset ? x.onset < y.onset : x.pitch < y.pitch;
  });
  const model::TempoMapCheck beat = model::check_tempo_map(onsets, time::kTicksPerQuarter, true);
  eo.window = 8;
  eo.hop = 4;
  if (beat.use_map) eo.beat_map = model::MapBeat{map, 0};
  auto e = model::estimate_emotion(em, notes, eo);
  if (!e) {
    r.reasons.push_back("the music cannot be estimated: " + e.error().message);
    return r;
  }
  auto at_seconds = [&](double t) {
    return origin + time::TimeDur(static_cast<std::int64_t>(
                        std::llround(t * static_cast<double>(time::kSuperclockPerSecond))));
  };
  struct Judged {
    const model::EmotionWindow* window;
    double middle;
    model::Quadrant want;
    bool agree;
  };
  std::vector<Judged> windows;
  double distance = 0;
  for (const auto& w : e->curve) {
    const double middle = (w.start + w.end) / 2;
    const auto target = cue.emotion.value_at(at_seconds(middle));
    if (!target) continue;
    const model::Quadrant want = model::quadrant_of(target->valence >= 0, target->arousal >= 0);
    windows.push_back({&w, middle, want, want == w.point.quadrant});
    distance += std::hypot(w.point.valence - target->valence, w.point.arousal - target->arousal);
  }
  if (windows.empty()) {
    r.reasons.push_back("no window of the music lies under the emotion curve");
    return r;
  }
  int agree = 0, sections = 0, windows_agree = 0;
  for (const auto& j : windows)
    windows_agree += j.agree ? 1 : 0;
  std::vector<std::string> disagree;
  for (const auto& [from, to] : spans_of(score)) {
    const double a = time::seconds(map.time_at(from) - origin);
    const double b = time::seconds(map.time_at(to) - origin);
    int in = 0, yes = 0;
    for (const auto& j : windows) {
      if (j.middle < a || j.middle >= b) continue;
      ++in;
      yes += j.agree ? 1 : 0;
    }
    if (in == 0) {
      // A section shorter than the hop: the window centred nearest its middle.
      const double mid = (a + b) / 2;
      const auto nearest =
          std::min_element(windows.begin(), windows.end(), [mid](const Judged& x, const Judged& y) {
            return std::abs(x.middle - mid) < std::abs(y.middle - mid);
          });
      in = 1;
      yes = nearest->agree ? 1 : 0;
    }
    ++sections;
    if (2 * yes >= in) {
      ++agree;
    } else {
      disagree.push_back(bar_span(map, from, to) + " (" + std::to_string(in - yes) + " of " +
                         std::to_string(in) + " windows off)");
    }
  }
  r.judged = true;
  r.count = agree;
  r.of = sections;
  r.measure = static_cast<double>(agree) / sections;
  const double window_share =
      static_cast<double>(windows_agree) / static_cast<double>(windows.size());
  const double mean_distance = distance / static_cast<double>(windows.size());
  r.score = 0.6 * window_share + 0.4 * std::max(0.0, 1.0 - mean_distance / 2.83);
  r.reasons.push_back(std::to_string(agree) + " of " + std::to_string(sections) +
                      " sections in the scene's quadrant (" + percent(agree, sections) + "); " +
                      std::to_string(windows_agree) + " of " + std::to_string(windows.size()) +
                      " windows (8 s every 4 s, as duet emotion plots them); mean valence-arousal "
                      "distance " +
                      base::fixed(mean_distance, 2));
  if (!disagree.empty()) {
    std::string line = "sections off the curve:";
    for (std::size_t i = 0; i < disagree.size(); ++i)
      line += (i ? ", " : " ") + disagree[i];
    r.reasons.push_back(line);
  }
  // Each run of windows off the target the same way, with the feature that pushed the estimate
  // most the wrong way in its first window.
  for (std::size_t i = 0; i < windows.size();) {
    if (windows[i].agree) {
      ++i;
      continue;
    }
    const model::Quadrant got = windows[i].window->point.quadrant, want = windows[i].want;
    std::size_t j = i + 1;
    while (j < windows.size() && !windows[j].agree && windows[j].window->point.quadrant == got &&
           windows[j].want == want)
      ++j;
    const double t0 = windows[i].window->start, t1 = windows[j - 1].window->end;
    const bool valence_off = model::high_valence(want) != model::high_valence(got);
    const auto& f = windows[i].window->features;
    const auto reasons =
        valence_off ? model::valence_reasons(em, f) : model::arousal_reasons(em, f);
    const bool got_high = valence_off ? model::high_valence(got) : model::high_arousal(got);
    std::string why;
    for (const auto& reason : reasons) {
      if ((reason.contribution > 0) == got_high && reason.contribution != 0) {
        why = " (" + model::describe(reason, valence_off ? "valence" : "arousal") + ")";
        break;
      }
    }
    r.reasons.push_back(bar_span(map, map.beats_at(at_seconds(t0)), map.beats_at(at_seconds(t1))) +
                        " (" + base::fixed(t0, 0) + "-" + base::fixed(t1, 0) + " s) read as " +
                        std::string(quadrant_words(got)) + " where the scene asks " +
                        std::string(quadrant_words(want)) + why);
    i = j;
  }
  r.reasons.push_back("estimated by " +
                      (options.emotion_model_name.empty()
                           ? (options.emotion_model ? std::string("the given emotion model")
                                                    : std::string("the shipped emotion model")) +
                                 " (fingerprint " + model::emotion_model_fingerprint(em) + ")"
                           : "the emotion model " + options.emotion_model_name) +
                      "; the beat, " + base::fixed(e->bpm, 0) + " BPM, from " + beat.describe());
  return r;
}

CriticResult critic_tension(const Score& score, const spot::Cue& cue,
                            const CriticOptions& options) {
  CriticResult r;
  r.kind = CriticKind::tension;
  r.unit = "correlation of surprise with tension";
  if (options.melody_model == nullptr) {
    r.reasons.push_back("no melody model to measure surprise with");
    return r;
  }
  if (cue.emotion.empty()) {
    r.reasons.push_back("the cue has no emotion curve");
    return r;
  }
  auto ic = melody_ic(score, *options.melody_model);
  if (!ic) {
    r.reasons.push_back("the score has no melody");
    return r;
  }
  const auto& map = score.tempo_map;
  // Per bar: mean surprise of the melody's notes, tension at the bar's middle.
  std::map<std::int64_t, std::pair<double, int>> per_bar;
  for (std::size_t i = 0; i < ic->bits.size(); ++i) {
    auto& [sum, n] = per_bar[map.bbt_at(ic->melody.notes[i].onset).bar];
    sum += ic->bits[i];
    ++n;
  }
  std::vector<double> surprise, tension;
  std::vector<std::int64_t> bars;
  for (const auto& [bar, s] : per_bar) {
    auto a = map.beats_at(time::BBT{bar, 1, 0});
    auto b = map.beats_at(time::BBT{bar + 1, 1, 0});
    if (!a || !b) continue;
    auto t = cue.emotion.value_at(map.time_at(*a + BeatDur((*b - *a).ticks() / 2)));
    if (!t) continue;
    surprise.push_back(s.first / s.second);
    tension.push_back(t->tension);
    bars.push_back(bar);
  }
  if (bars.size() < 4) {
    r.reasons.push_back("fewer than 4 bars of melody to follow the tension with");
    return r;
  }
  const auto [lo, hi] = std::minmax_element(tension.begin(), tension.end());
  if (*hi - *lo < 0.05) {
    r.reasons.push_back("the tension curve is flat (" + base::fixed(*lo, 2) +
                        "); there is no shape to follow");
    return r;
  }
  const double rho = pearson_r(surprise, tension);
  r.judged = true;
  r.measure = rho;
  r.score = (rho + 1) / 2;
  r.count = static_cast<int>(bars.size());
  r.of = static_cast<int>(bars.size());
  r.reasons.push_back("the melody's surprise " +
                      std::string(rho >= 0.3   ? "follows"
                                  : rho > -0.1 ? "barely follows"
                                               : "runs against") +
                      " the tension curve (r = " + base::fixed(rho, 2) + " over " +
                      std::to_string(bars.size()) + " bars)");
  // The bar that most contradicts the curve: the most surprising bar where tension is lowest.
  double tension_mean = 0, surprise_mean = 0;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    tension_mean += tension[i];
    surprise_mean += surprise[i];
  }
  tension_mean /= static_cast<double>(bars.size());
  surprise_mean /= static_cast<double>(bars.size());
  std::size_t worst = bars.size();
  double worst_value = 0;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double v = (surprise[i] - surprise_mean) * (tension_mean - tension[i]);
    if (v > worst_value) {
      worst_value = v;
      worst = i;
    }
  }
  if (!options.melody_model_name.empty())
    r.reasons.push_back("the melody model: " + options.melody_model_name);
  if (worst < bars.size() && rho < 0.5) {
    const bool loud = surprise[worst] > surprise_mean;
    r.reasons.push_back("bar " + std::to_string(bars[worst]) + " is " +
                        (loud ? "surprising" : "predictable") + " (" +
                        base::fixed(surprise[worst], 1) + " bits per note) where the tension is " +
                        (loud ? "low" : "high") + " (" + base::fixed(tension[worst], 2) + ")");
  }
  return r;
}

CriticResult critic_themes(const Score& score, const spot::Cue& cue, const CriticOptions& options) {
  CriticResult r;
  r.kind = CriticKind::themes;
  r.unit = "mean recognisability of the themes asked for";
  if (cue.themes.empty()) {
    r.reasons.push_back("the cue asks for no theme");
    return r;
  }
  double sum = 0;
  int found = 0;
  for (const auto& name : cue.themes) {
    double best = 0;
    std::string where;
    for (const auto& u : score.themes) {
      if (u.theme == name && u.recognisability > best) {
        best = u.recognisability;
        where = u.part + " at " + bar_beat(score.tempo_map, u.at) +
                (u.derivation.empty() ? "" : " (" + u.derivation + ")");
      }
    }
    for (const auto& f : options.found_themes) {
      if (f.theme == name && f.recognisability > best) {
        best = f.recognisability;
        where = f.part + " at " + bar_beat(score.tempo_map, f.at);
      }
    }
    sum += best;
    if (best > 0) {
      ++found;
      r.reasons.push_back("theme '" + name + "' heard in " + where + ", recognisability " +
                          base::fixed(best, 2));
    } else {
      r.reasons.push_back("theme '" + name + "' is asked for but not heard");
    }
  }
  r.judged = true;
  r.count = found;
  r.of = static_cast<int>(cue.themes.size());
  r.measure = sum / static_cast<double>(cue.themes.size());
  r.score = r.measure;
  return r;
}

CriticResult critic_voice_leading(const Score& score) {
  CriticResult r;
  r.kind = CriticKind::voice_leading;
  r.unit = "violations per 100 onsets";
  const VoiceLeading vl = voice_leading(score);
  if (vl.voices < 2) {
    r.reasons.push_back(
        "fewer than two real voices (melody, countermelody, bass and harmony parts) to check");
    return r;
  }
  const auto& map = score.tempo_map;
  const int parallels = static_cast<int>(vl.parallels.size());
  const int crossings = static_cast<int>(vl.crossings.size());
  std::vector<std::pair<BeatPos, std::string>> found;
  for (const auto& p : vl.parallels) {
    found.emplace_back(p.at, std::string(p.fifths ? "parallel fifths" : "parallel octaves") +
                                 " between " + p.lower + " and " + p.upper + " at " +
                                 bar_beat(map, p.at) + " (" + pitch_name(p.lower_from) + "-" +
                                 pitch_name(p.upper_from) + " to " + pitch_name(p.lower_to) + "-" +
                                 pitch_name(p.upper_to) + ")");
  }
  for (const auto& c : vl.crossings) {
    found.emplace_back(c.at, "voice crossing: " + c.lower + " (" + pitch_name(c.lower_pitch) +
                                 ") above " + c.upper + " (" + pitch_name(c.upper_pitch) + ") at " +
                                 bar_beat(map, c.at));
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  const int positions = vl.positions;
  r.judged = positions > 0;
  r.count = parallels + crossings;
  r.of = positions;
  const double p100 = positions ? 100.0 * parallels / positions : 0;
  const double c100 = positions ? 100.0 * crossings / positions : 0;
  r.measure = p100 + c100;
  r.score = std::exp(-(p100 / 5 + c100 / 20));
  r.reasons.push_back(std::to_string(parallels) + " parallel fifths or octaves and " +
                      std::to_string(crossings) + " voice crossings over " +
                      std::to_string(positions) + " onsets in " + std::to_string(vl.voices) +
                      " real voices");
  constexpr std::size_t kShown = 12;
  for (std::size_t i = 0; i < found.size() && i < kShown; ++i)
    r.reasons.push_back(std::move(found[i].second));
  if (found.size() > kShown)
    r.reasons.push_back("and " + std::to_string(found.size() - kShown) + " more");
  for (const auto& [lower, upper] : vl.doublings)
    r.reasons.push_back(lower + " and " + upper + " move in octaves: a doubling, not counted");
  return r;
}

CriticResult critic_ranges(const Score& score) {
  CriticResult r;
  r.kind = CriticKind::ranges;
  r.unit = "notes outside their instrument's range";
  int notes = 0, outside = 0, uncomfortable = 0, unknown_parts = 0;
  for (const auto& p : score.parts) {
    if (is_percussion(p) || p.notes.empty()) continue;
    const music::Instrument* inst = p.instrument.empty() ? music::instrument_for_program(p.program)
                                                         : music::find_instrument(p.instrument);
    if (inst == nullptr) {
      ++unknown_parts;
      continue;
    }
    int low = 0, high = 0, soft = 0;
    int lowest = 127, highest = 0;
    for (const auto& n : p.notes) {
      ++notes;
      lowest = std::min(lowest, n.pitch);
      highest = std::max(highest, n.pitch);
      if (n.pitch < inst->low) {
        ++low;
      } else if (n.pitch > inst->high) {
        ++high;
      } else if (!inst->comfortable(n.pitch)) {
        ++soft;
      }
    }
    outside += low + high;
    uncomfortable += soft;
    auto first = [&](bool below) {
      for (const auto& n : p.notes)
        if (below ? n.pitch < inst->low : n.pitch > inst->high)
          return pitch_name(n.pitch) + " at " + bar_beat(score.tempo_map, n.start);
      return std::string();
    };
    const std::string range = pitch_name(inst->low) + "-" + pitch_name(inst->high);
    if (low > 0) {
      r.reasons.push_back(p.name + ": " + notes_word(low) + " below its range " + range + " (" +
                          inst->name + "), first " + first(true) + ", lowest " +
                          pitch_name(lowest));
    }
    if (high > 0) {
      r.reasons.push_back(p.name + ": " + notes_word(high) + " above its range " + range + " (" +
                          inst->name + "), first " + first(false) + ", highest " +
                          pitch_name(highest));
    }
    if (soft > 0) {
      r.reasons.push_back(p.name + ": " + notes_word(soft) + " outside the comfortable range " +
                          pitch_name(inst->comfortable_low) + "-" +
                          pitch_name(inst->comfortable_high));
    }
  }
  if (notes == 0) {
    r.reasons.push_back("no part is a known instrument");
    return r;
  }
  r.judged = true;
  r.count = outside;
  r.of = notes;
  r.measure = outside;
  r.score = 1.0 / (1.0 + outside) * (1.0 - 0.5 * uncomfortable / notes);
  r.reasons.insert(r.reasons.begin(), std::to_string(outside) + " of " + std::to_string(notes) +
                                          " notes outside their instrument's range, " +
                                          std::to_string(uncomfortable) +
                                          " outside the comfortable range");
  if (unknown_parts > 0) {
    r.reasons.push_back(std::to_string(unknown_parts) +
                        " parts are not an orchestra instrument and were not checked");
  }
  return r;
}

CriticResult critic_likelihood(const Score& score, const CriticOptions& options) {
  CriticResult r;
  r.kind = CriticKind::likelihood;
  r.unit = "bits per note";
  if (options.melody_model == nullptr) {
    r.reasons.push_back("no melody model to measure the melody with");
    return r;
  }
  auto ic = melody_ic(score, *options.melody_model);
  if (!ic) {
    r.reasons.push_back("the score has no melody");
    return r;
  }
  double sum = 0;
  for (double b : ic->bits)
    sum += b;
  const double bits = sum / static_cast<double>(ic->bits.size());
  r.judged = true;
  r.measure = bits;
  r.count = static_cast<int>(ic->bits.size());
  r.of = r.count;
  r.score = std::clamp(1.0 - (bits - 2.0) / 4.0, 0.0, 1.0);
  r.reasons.push_back("the melody (" + melody_part(score)->name + ", " +
                      std::to_string(ic->bits.size()) + " notes) averages " + base::fixed(bits, 2) +
                      " bits per note under the model; " +
                      (bits <= 2.5   ? "idiomatic"
                       : bits <= 3.5 ? "plausible, with some unexpected turns"
                                     : "unidiomatic: many turns the model does not expect"));
  // The most surprising note, for the composer to look at.
  std::size_t worst = 0;
  for (std::size_t i = 1; i < ic->bits.size(); ++i)
    if (ic->bits[i] > ic->bits[worst]) worst = i;
  const auto& n = ic->melody.notes[worst];
  r.reasons.push_back("the least expected note is " + pitch_name(n.pitch) + " at " +
                      bar_beat(score.tempo_map, n.onset) + " (" + base::fixed(ic->bits[worst], 1) +
                      " bits)");
  if (!options.melody_model_name.empty())
    r.reasons.push_back("the melody model: " + options.melody_model_name);
  return r;
}

CriticResult critic_orchestration(const Score& score) {
  CriticResult r;
  r.kind = CriticKind::orchestration;
  r.unit = "orchestration goals met";
  const auto& map = score.tempo_map;
  Parts parts;
  const MelodyCover cover = melody_covered_share(score);
  if (cover.judged) {
    parts.add(ramp_down(cover.share, kGoalCoveredShare, 0.6), cover.share <= kGoalCoveredShare);
    std::string line = "the melody (" + cover.melody + ") is covered by the accompaniment " +
                       pct(cover.share) + " of its time (goal at most " + pct(kGoalCoveredShare) +
                       ")";
    if (!cover.spans.empty()) {
      const auto longest = std::max_element(
          cover.spans.begin(), cover.spans.end(),
          [](const CoveredSpan& a, const CoveredSpan& b) { return a.to - a.from < b.to - b.from; });
      line += "; the longest stretch: " + longest->part + " (" + pitch_name(longest->above_pitch) +
              ") above it (" + pitch_name(longest->melody_pitch) + ") from " +
              bar_beat(map, longest->from) + ", " +
              beats_word(static_cast<double>((longest->to - longest->from).ticks()) /
                         time::kTicksPerQuarter);
    }
    r.reasons.push_back(line);
    for (const auto& d : cover.doublings)
      r.reasons.push_back(d + " doubles the melody: its colour, not a cover");
  } else {
    r.reasons.push_back("no melody to hear over the accompaniment");
  }
  const BassFoundation bass = bass_median_loud(score);
  const TuttiSpan span = tutti_span(score);
  const std::string where = bass.from_sections ? "in loud sections (target arousal above 0.3)"
                                               : "on the loudest third of the beats";
  if (bass.judged) {
    const bool met = bass.median <= kGoalBassMedian;
    parts.add(ramp_down(bass.median, kGoalBassMedian, kGoalBassMedian + 12), met);
    r.reasons.push_back("the bass " + where + ": median " + pitch_between(bass.median) + " over " +
                        std::to_string(bass.samples) + " beats (goal " +
                        pitch_name(kGoalBassMedian) + " or lower)" +
                        (met ? std::string()
                             : "; the highest, " + pitch_name(bass.highest) + ", at " +
                                   bar_beat(map, bass.highest_at)));
  }
  if (span.judged) {
    parts.add(ramp_up(span.p90, kGoalTuttiSpan / 2.0, kGoalTuttiSpan), span.p90 >= kGoalTuttiSpan);
    r.reasons.push_back("the tutti " + where + " spans " + std::to_string(span.p90) +
                        " semitones (90th percentile over " + std::to_string(span.samples) +
                        " beats; goal at least " + std::to_string(kGoalTuttiSpan) +
                        ", four octaves); the widest " + std::to_string(span.max) + " at " +
                        bar_beat(map, span.max_at));
  }
  if (!bass.judged) {
    r.reasons.push_back(bass.from_sections
                            ? "no loud section (target arousal above 0.3) to judge the bass and "
                              "the tutti's span in"
                            : "nothing sounds on a beat to judge the bass and the tutti's span");
  }
  parts.finish(r);
  return r;
}

CriticResult critic_harmony(const Score& score, const spot::Cue& cue) {
  CriticResult r;
  r.kind = CriticKind::harmony;
  r.unit = "harmony goals met";
  const auto& map = score.tempo_map;
  Parts parts;
  const auto chords = recognised_chords(score);
  const TonicDominant td = tonic_dominant_share(chords);
  if (td.judged) {
    parts.add(ramp_down(td.share, kGoalTonicDominant, 0.9), td.share <= kGoalTonicDominant);
    const double total = static_cast<double>(td.total.ticks());
    r.reasons.push_back("tonic and dominant chords take " + pct(td.share) +
                        " of the chord time (tonic " +
                        pct(static_cast<double>(td.tonic.ticks()) / total) + ", dominant " +
                        pct(static_cast<double>(td.dominant.ticks()) / total) + "; goal at most " +
                        pct(kGoalTonicDominant) + "; " + std::to_string(chords.size()) +
                        " chords recognised from the notes, a chord per beat)");
  } else {
    r.reasons.push_back("no chord sounds to judge the harmony by");
  }
  const Alternation alt = longest_two_chord_alternation(chords);
  if (alt.judged) {
    // (Steep: the writer breaks its swings, so a candidate that still swings past the goal
    // should lose its place to one that does not; at 5 half the part, at 6 none.)
    parts.add(ramp_down(alt.length, kGoalAlternation, 6), alt.length <= kGoalAlternation);
    if (alt.length <= 2) {
      r.reasons.push_back("no two chords go back and forth");
    } else {
      r.reasons.push_back("the longest back-and-forth of two chords: " + alt.first + " and " +
                          alt.second + ", " + std::to_string(alt.length) + " chords, " +
                          bar_span(map, alt.from, alt.to) + " (goal at most " +
                          std::to_string(kGoalAlternation) + ")");
    }
  }
  const ColourTension colour = colour_tension_correlation(score, cue, chords);
  if (colour.judged) {
    parts.add(ramp_up(colour.r, -kGoalColourR, kGoalColourR), colour.r >= kGoalColourR);
    std::string line = "colour (sevenths, ninths, suspensions, pedals) " +
                       std::string(colour.r >= kGoalColourR ? "follows"
                                   : colour.r > 0           ? "barely follows"
                                                            : "does not follow") +
                       " the tension (r = " + base::fixed(colour.r, 2) + " over " +
                       std::to_string(colour.bars.size()) + " bars; goal " +
                       base::fixed(kGoalColourR, 1) + ")";
    if (colour.r < kGoalColourR) {
      const auto tensest = std::max_element(
          colour.bars.begin(), colour.bars.end(),
          [](const BarColour& a, const BarColour& b) { return a.tension < b.tension; });
      line += "; bar " + std::to_string(tensest->bar) + ", the tensest (" +
              base::fixed(tensest->tension, 2) + "), is coloured on " + pct(tensest->colour) +
              " of its beats";
    }
    r.reasons.push_back(line);
  } else if (!colour.not_judged.empty() && td.judged) {
    r.reasons.push_back("colour against tension not judged: " + colour.not_judged);
  }
  const Clashes clashes = unprepared_clashes(score);
  if (clashes.judged) {
    parts.add(ramp_down(clashes.per_100, kGoalClashesPer100, 10),
              clashes.per_100 <= kGoalClashesPer100);
    r.reasons.push_back(
        std::to_string(clashes.clashes.size()) +
        (clashes.clashes.size() == 1 ? " unprepared clash" : " unprepared clashes") +
        " (a minor 2nd, major 7th or minor 9th on a strong "
        "beat, neither tone held or repeated) in " +
        std::to_string(clashes.melody_notes) + " melody notes (" + base::fixed(clashes.per_100, 1) +
        " per 100; goal at most " + base::fixed(kGoalClashesPer100, 0) + ")");
    constexpr std::size_t kShown = 6;
    for (std::size_t i = 0; i < clashes.clashes.size() && i < kShown; ++i) {
      const Clash& c = clashes.clashes[i];
      r.reasons.push_back("clash: " + pitch_name(c.melody_pitch) + " in the melody against " +
                          pitch_name(c.other_pitch) + " (" + c.part + ") at " +
                          bar_beat(map, c.at));
    }
    if (clashes.clashes.size() > kShown)
      r.reasons.push_back("and " + std::to_string(clashes.clashes.size() - kShown) + " more");
  }
  parts.finish(r);
  return r;
}

CriticResult critic_rhythm(const Score& score) {
  CriticResult r;
  r.kind = CriticKind::rhythm;
  r.unit = "rhythm goals met";
  const auto& map = score.tempo_map;
  Parts parts;
  const RhythmPatterns patterns = accompaniment_patterns(score);
  if (patterns.judged) {
    const bool met =
        patterns.identity >= kGoalPatternIdentity && patterns.exact_copies <= kGoalExactCopies;
    parts.add(ramp_up(patterns.identity, 0, kGoalPatternIdentity) *
                  (1 - 0.3 * ramp_up(patterns.exact_copies, kGoalExactCopies, 1.0)),
              met);
    std::string line = "the accompaniment's bar patterns recur in " + pct(patterns.identity) +
                       " of its bars (goal at least " + pct(kGoalPatternIdentity) + "), " +
                       pct(patterns.exact_copies) +
                       " exact copies of the bar before (goal at most " + pct(kGoalExactCopies) +
                       "); " + std::to_string(patterns.distinct) + " distinct patterns in " +
                       std::to_string(patterns.bars) + " bars";
    if (2 * patterns.trivial > patterns.bars)
      line += "; " + std::to_string(patterns.trivial) +
              " bars hold one onset or none (a held chord is no pattern)";
    r.reasons.push_back(line);
  } else {
    r.reasons.push_back("fewer than 2 bars of accompaniment to find a pattern in");
  }
  const Syncopation sync = syncopation(score);
  if (sync.bars > 0) {
    parts.add(ramp_up(sync.share, 0, kGoalSyncopation), sync.share >= kGoalSyncopation);
    std::string line = "syncopation (an off-beat onset accented or held across the beat) in " +
                       std::to_string(sync.syncopated) + " of " + std::to_string(sync.bars) +
                       " bars (" + pct(sync.share) + "; goal at least " + pct(kGoalSyncopation) +
                       ")";
    if (!sync.examples.empty()) {
      line += ", first " + sync.examples.front().part + " at " +
              bar_beat(map, sync.examples.front().at);
    }
    r.reasons.push_back(line);
  }
  const OffGrid grid = off_grid_share(score);
  if (grid.onsets > 0) {
    parts.multiply(ramp_down(grid.share, 0, 0.05), grid.off.empty());
    if (grid.off.empty()) {
      r.reasons.push_back("every onset is on the 16th or triplet grid");
    } else {
      std::string line = std::to_string(grid.off.size()) + " of " + std::to_string(grid.onsets) +
                         " onsets off the 16th and triplet grids (goal 0)";
      for (std::size_t i = 0; i < grid.off.size() && i < 4; ++i) {
        const NoteAt& n = grid.off[i];
        line += std::string(i ? "; " : ": ") + n.part + " at " + bar_beat(map, n.at) + " (" +
                std::to_string(n.ticks) + " ticks past a 16th)";
      }
      r.reasons.push_back(line);
    }
  }
  const ShortNotes shorts = short_notes(score);
  if (shorts.notes > 0) {
    const double share = static_cast<double>(shorts.found.size()) / shorts.notes;
    parts.multiply(ramp_down(share, 0, 0.05), shorts.found.empty());
    if (!shorts.found.empty()) {
      std::string line =
          notes_word(static_cast<int>(shorts.found.size())) + " shorter than a 32nd (goal 0)";
      for (std::size_t i = 0; i < shorts.found.size() && i < 4; ++i) {
        const NoteAt& n = shorts.found[i];
        line += std::string(i ? "; " : ": ") + n.part + " " + pitch_name(n.pitch) + " at " +
                bar_beat(map, n.at) + " (" + std::to_string(n.ticks) + " ticks)";
      }
      r.reasons.push_back(line);
    }
  }
  parts.finish(r);
  return r;
}

CriticResult critic_form(const Score& score, const spot::Cue& cue, const CriticOptions& options) {
  CriticResult r;
  r.kind = CriticKind::form;
  r.unit = "form goals met";
  const auto& map = score.tempo_map;
  Parts parts;
  const Breathing breathing = melody_breathing(score);
  if (breathing.judged) {
    const bool met = breathing.longest_bars <= kGoalPhraseBars;
    parts.add(ramp_down(breathing.longest_bars, kGoalPhraseBars, 2 * kGoalPhraseBars), met);
    if (met) {
      r.reasons.push_back(
          "the melody breathes (a rest of a beat or a note of two beats) at "
          "least every " +
          base::fixed(breathing.longest_bars, 1) + " bars (goal " +
          base::fixed(kGoalPhraseBars, 0) + ")");
    } else {
      r.reasons.push_back("the melody runs " + base::fixed(breathing.longest_bars, 1) +
                          " bars without a breath, " + bar_beat(map, breathing.from) + " to " +
                          bar_beat(map, breathing.to) + " (goal at most " +
                          base::fixed(kGoalPhraseBars, 0) + ")");
    }
  } else {
    r.reasons.push_back("no melody of two notes or more to phrase");
  }
  const Climax climax = melody_climax(score, cue);
  if (climax.judged) {
    parts.add(ramp_down(static_cast<double>(climax.distance_bars), kGoalClimaxBars, 8),
              climax.distance_bars <= kGoalClimaxBars);
    r.reasons.push_back(
        "the melody's highest note, " + pitch_name(climax.pitch) + " at " +
        bar_beat(map, climax.at) + ", is " +
        (climax.distance_bars == 0 ? std::string("in the bar")
                                   : bars_word(climax.distance_bars) + " from the bar") +
        " where the tension peaks (bar " + std::to_string(climax.peak_bar) + ", " +
        base::fixed(climax.peak_tension, 2) + "; goal within " + bars_word(kGoalClimaxBars) + ")");
  } else if (breathing.judged) {
    r.reasons.push_back("the climax not judged: " + climax.not_judged);
  }
  const Ending ending = ending_ok(score);
  if (ending.judged) {
    const int conditions = (ending.tonic_or_third ? 1 : 0) + (ending.long_enough ? 1 : 0) +
                           (ending.strong ? 1 : 0) + (ending.tonic_bass ? 1 : 0);
    parts.add(ending.ok ? 1.0 : conditions / 4.0, ending.ok);
    const double beats = static_cast<double>(ending.length.ticks()) /
                         static_cast<double>(map.meter_at(ending.at).beat_length().ticks());
    const std::string note = pitch_name(ending.pitch) + " at " + bar_beat(map, ending.at);
    if (ending.segue) {
      r.reasons.push_back("the cue segues ('" + ending.segue_label + "'): its last note, " + note +
                          ", need not close");
    } else if (ending.ok) {
      r.reasons.push_back("the ending closes: " + note + " in " + music::to_string(ending.key) +
                          ", " + beats_word(beats) + " long on a strong beat, over " +
                          pitch_name(ending.bass));
    } else {
      std::string line =
          "the ending does not close: " + note + " (" + music::to_string(ending.key) + ")";
      if (!ending.tonic_or_third) line += "; it is not the tonic or the third";
      if (!ending.long_enough) line += "; it lasts " + beats_word(beats) + " (goal 2 or more)";
      if (!ending.strong) line += "; it starts on a weak beat";
      if (!ending.tonic_bass)
        line += "; the bass under it is " + pitch_name(ending.bass) + ", not the tonic";
      r.reasons.push_back(line);
    }
  }
  const ThemeDevelopment dev = theme_development_share(score, options.theme_melodies);
  if (dev.judged) {
    parts.add(ramp_up(dev.share, 0, kGoalDevelopment), dev.share >= kGoalDevelopment);
    std::string line =
        "development: " + std::to_string(dev.developed) + " of " + std::to_string(dev.bars) +
        " melody bars outside the theme's statements use one of its " + std::to_string(dev.cells) +
        " cells (" + pct(dev.share) + "; goal at least " + pct(kGoalDevelopment) + ")";
    if (!dev.bare_bars.empty() && dev.share < kGoalDevelopment) {
      line += "; bars without:";
      for (std::size_t i = 0; i < dev.bare_bars.size() && i < 8; ++i)
        line += (i ? ", " : " ") + std::to_string(dev.bare_bars[i]);
      if (dev.bare_bars.size() > 8) line += ", ...";
    }
    r.reasons.push_back(line);
  } else if (!dev.not_judged.empty() && breathing.judged) {
    r.reasons.push_back("development not judged: " + dev.not_judged);
  }
  parts.finish(r);
  return r;
}

std::vector<FoundTheme> find_themes(const Score& score, const std::vector<NamedTheme>& themes,
                                    double threshold) {
  std::vector<FoundTheme> found;
  for (const auto& p : score.parts) {
    if (is_percussion(p) || p.notes.empty()) continue;
    // The part as one line: the highest note per onset, cut at the next onset.
    const model::Melody m = melody_of(p, score.tempo_map);
    music::Melody line;
    for (const auto& n : m.notes)
      line.notes.push_back({n.onset, n.duration, n.pitch});
    line.length = line.notes.back().start + line.notes.back().length - BeatPos(0);
    for (const auto& t : themes) {
      const music::ThemeMatch match = music::find_theme(t.melody, line);
      if (match.count > 0 && match.score >= threshold)
        found.push_back({t.name, p.name, match.start, match.score});
    }
  }
  return found;
}

base::Result<Critique> critique(const Score& score, const spot::Cue& cue,
                                const CriticOptions& options) {
  bool any = false;
  for (const auto& p : score.parts)
    any = any || !p.notes.empty();
  if (!any) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "the score has no notes; there is nothing to judge");
  }
  Critique c;
  c.critics.push_back(critic_sync(score, cue, options));
  c.critics.push_back(critic_emotion(score, cue, options));
  c.critics.push_back(critic_tension(score, cue, options));
  c.critics.push_back(critic_themes(score, cue, options));
  c.critics.push_back(critic_voice_leading(score));
  c.critics.push_back(critic_ranges(score));
  c.critics.push_back(critic_likelihood(score, options));
  c.critics.push_back(critic_orchestration(score));
  c.critics.push_back(critic_harmony(score, cue));
  c.critics.push_back(critic_rhythm(score));
  c.critics.push_back(critic_form(score, cue, options));
  return c;
}

}  // namespace duet::compose
