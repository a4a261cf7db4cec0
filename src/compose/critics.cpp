#include "compose/critics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "base/text.h"
#include "music/instrument.h"
#include "music/pitch.h"

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

bool percussion(const Part& part) {
  return part.channel == 9 || part.role == Role::percussion;
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

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 1e-12 || syy <= 1e-12) return 0;
  return sxy / std::sqrt(sxx * syy);
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
    if (percussion(p) || p.notes.empty()) continue;
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
  for (const auto& hit : cue.hits) {
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
    if (landed) {
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
  int agree = 0, estimated = 0;
  double distance = 0;
  std::vector<std::string> off, silent;
  for (const auto& [from, to] : spans_of(score)) {
    const TimePos t0 = map.time_at(from);
    std::vector<model::EmotionNote> notes;
    for (const auto& p : score.parts) {
      if (percussion(p)) continue;
      for (const auto& n : p.notes) {
        if (n.start < from || n.start >= to) continue;
        const TimePos a = map.time_at(n.start);
        const TimePos b = map.time_at(n.start + n.length);
        notes.push_back({n.pitch, time::seconds(a - t0), time::seconds(b - a), n.velocity});
      }
    }
    const std::string span = bar_span(map, from, to);
    if (notes.empty()) {
      silent.push_back(span + " are silent");
      continue;
    }
    std::sort(notes.begin(), notes.end(), [](const auto& a, const auto& b) {
      return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
    });
    // One estimate over the span (a window as long as the span).
    eo.window = std::max(1.0, notes.back().onset + notes.back().duration);
    eo.hop = eo.window;
    auto e = model::estimate_emotion(em, notes, eo);
    if (!e) {
      silent.push_back(span + " cannot be estimated: " + e.error().message);
      continue;
    }
    const TimePos mid = map.time_at(from + BeatDur((to - from).ticks() / 2));
    const auto target = cue.emotion.value_at(mid);
    if (!target) continue;
    const model::Quadrant want = model::quadrant_of(target->valence >= 0, target->arousal >= 0);
    const model::Quadrant got = e->whole.quadrant;
    ++estimated;
    distance += std::hypot(e->whole.valence - target->valence, e->whole.arousal - target->arousal);
    if (want == got) {
      ++agree;
    } else {
      std::string why;
      // The feature that pushed the estimate most the wrong way (reasons come largest first).
      const bool valence_off = model::high_valence(want) != model::high_valence(got);
      const auto& reasons = valence_off ? e->valence_reasons : e->arousal_reasons;
      const bool got_high = valence_off ? model::high_valence(got) : model::high_arousal(got);
      for (const auto& reason : reasons) {
        if ((reason.contribution > 0) == got_high && reason.contribution != 0) {
          why = " (" + model::describe(reason, valence_off ? "valence" : "arousal") + ")";
          break;
        }
      }
      off.push_back(span + " read as " + std::string(quadrant_words(got)) +
                    " where the scene asks " + std::string(quadrant_words(want)) + why);
    }
  }
  if (estimated == 0) {
    r.reasons.push_back("no section has notes to estimate");
    for (auto& s : silent)
      r.reasons.push_back(std::move(s));
    return r;
  }
  r.judged = true;
  r.count = agree;
  r.of = estimated;
  r.measure = static_cast<double>(agree) / estimated;
  const double mean_distance = distance / estimated;
  r.score = 0.6 * r.measure + 0.4 * std::max(0.0, 1.0 - mean_distance / 2.83);
  r.reasons.push_back(std::to_string(agree) + " of " + std::to_string(estimated) +
                      " sections in the scene's quadrant (" + percent(agree, estimated) +
                      "); mean valence-arousal distance " + base::fixed(mean_distance, 2));
  for (auto& o : off)
    r.reasons.push_back(std::move(o));
  for (auto& s : silent)
    r.reasons.push_back(std::move(s));
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
  const double rho = pearson(surprise, tension);
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
  r.unit = "violations per 100 chords";
  struct Voice {
    const Part* part;
    bool bass;
    double mean;
  };
  std::vector<Voice> voices;
  for (const auto& p : score.parts) {
    if (p.notes.empty() || (p.role != Role::bass && p.role != Role::harmony)) continue;
    double sum = 0;
    for (const auto& n : p.notes)
      sum += n.pitch;
    voices.push_back({&p, p.role == Role::bass, sum / static_cast<double>(p.notes.size())});
  }
  if (voices.size() < 2) {
    r.reasons.push_back("fewer than two harmony voices (bass and harmony parts) to check");
    return r;
  }
  // Highest voice first: crossings are two neighbours out of this order.
  std::stable_sort(voices.begin(), voices.end(),
                   [](const Voice& a, const Voice& b) { return a.mean > b.mean; });
  std::vector<BeatPos> at;
  if (!score.chords.empty()) {
    for (const auto& c : score.chords)
      at.push_back(c.at);
  } else {
    std::set<std::int64_t> starts;
    for (const auto& v : voices)
      for (const auto& n : v.part->notes)
        starts.insert(n.start.ticks());
    for (auto s : starts)
      at.push_back(BeatPos(s));
  }
  // The pitch each voice sounds at a position (-1: silent).
  auto pitch_at = [](const Voice& v, BeatPos b) {
    int best = -1;
    for (const auto& n : v.part->notes) {
      if (n.start > b) break;
      if (b < n.start + n.length) {
        if (best < 0 || (v.bass ? n.pitch < best : n.pitch > best)) best = n.pitch;
      }
    }
    return best;
  };
  std::vector<std::vector<int>> grid(at.size(), std::vector<int>(voices.size(), -1));
  for (std::size_t i = 0; i < at.size(); ++i)
    for (std::size_t v = 0; v < voices.size(); ++v)
      grid[i][v] = pitch_at(voices[v], at[i]);
  // Two parts that sound in octaves or unison at 3 of 4 positions (at least 4) where both play
  // double each other (an orchestrator's doubling, not two voices): their octaves are not counted.
  const std::size_t nv = voices.size();
  std::vector<std::vector<bool>> doubling(nv, std::vector<bool>(nv, false));
  std::vector<std::string> doublings;
  for (std::size_t a = 0; a < nv; ++a) {
    for (std::size_t b = a + 1; b < nv; ++b) {
      int both = 0, octaves = 0;
      for (const auto& row : grid) {
        if (row[a] < 0 || row[b] < 0) continue;
        ++both;
        if (std::abs(row[a] - row[b]) % 12 == 0) ++octaves;
      }
      if (both >= 4 && 4 * octaves >= 3 * both) {
        doubling[a][b] = true;
        doublings.push_back(voices[b].part->name + " and " + voices[a].part->name +
                            " move in octaves: a doubling, not counted");
      }
    }
  }
  // Crossings matter inside a section's voicing (strings with strings): a harp or a horn line
  // passing a viola is orchestration, not a crossing.
  // The choir of a part: the bowed strings (GM 40-44 and the ensembles 48-51) together, every
  // other part by its General MIDI group of eight programs (harp 46 is not a bowed string).
  auto family = [](const Voice& v) {
    const int p = v.part->program;
    return (p >= 40 && p <= 44) || (p >= 48 && p <= 51) ? 100 : p / 8;
  };
  int parallels = 0, crossings = 0;
  std::vector<std::string> found;
  auto name = [](const Voice& v) { return v.part->name; };
  for (std::size_t i = 0; i < at.size(); ++i) {
    for (std::size_t a = 0; a < voices.size(); ++a) {
      for (std::size_t b = a + 1; b < voices.size(); ++b) {
        const int a2 = grid[i][a], b2 = grid[i][b];
        if (a2 < 0 || b2 < 0) continue;
        if (b == a + 1 && a2 < b2 && family(voices[a]) == family(voices[b])) {
          ++crossings;
          if (found.size() < 12) {
            found.push_back("voice crossing: " + name(voices[b]) + " (" + pitch_name(b2) +
                            ") above " + name(voices[a]) + " (" + pitch_name(a2) + ") at " +
                            bar_beat(score.tempo_map, at[i]));
          }
        }
        if (i == 0) continue;
        const int a1 = grid[i - 1][a], b1 = grid[i - 1][b];
        if (a1 < 0 || b1 < 0 || a1 == a2 || b1 == b2) continue;  // both voices must move
        if ((a2 - a1 > 0) != (b2 - b1 > 0)) continue;            // the same way
        const int i1 = std::abs(a1 - b1) % 12, i2 = std::abs(a2 - b2) % 12;
        if (i1 != i2 || (i2 != 7 && i2 != 0)) continue;
        if (i2 == 0 && doubling[a][b]) continue;
        ++parallels;
        if (found.size() < 12) {
          found.push_back(std::string(i2 == 7 ? "parallel fifths" : "parallel octaves") +
                          " between " + name(voices[b]) + " and " + name(voices[a]) + " at " +
                          bar_beat(score.tempo_map, at[i]) + " (" + pitch_name(b1) + "-" +
                          pitch_name(a1) + " to " + pitch_name(b2) + "-" + pitch_name(a2) + ")");
        }
      }
    }
  }
  const int chords = static_cast<int>(at.size());
  r.judged = chords > 0;
  r.count = parallels + crossings;
  r.of = chords;
  const double p100 = chords ? 100.0 * parallels / chords : 0;
  const double c100 = chords ? 100.0 * crossings / chords : 0;
  r.measure = p100 + c100;
  r.score = std::exp(-(p100 / 5 + c100 / 20));
  r.reasons.push_back(std::to_string(parallels) + " parallel fifths or octaves and " +
                      std::to_string(crossings) + " voice crossings over " +
                      std::to_string(chords) + (score.chords.empty() ? " onsets" : " chords") +
                      " in " + std::to_string(voices.size()) + " harmony voices");
  for (auto& f : found)
    r.reasons.push_back(std::move(f));
  if (parallels + crossings > static_cast<int>(found.size()))
    r.reasons.push_back("and " + std::to_string(parallels + crossings - found.size()) + " more");
  for (auto& d : doublings)
    r.reasons.push_back(std::move(d));
  return r;
}

CriticResult critic_ranges(const Score& score) {
  CriticResult r;
  r.kind = CriticKind::ranges;
  r.unit = "notes outside their instrument's range";
  int notes = 0, outside = 0, uncomfortable = 0, unknown_parts = 0;
  for (const auto& p : score.parts) {
    if (percussion(p) || p.notes.empty()) continue;
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
  return r;
}

std::vector<FoundTheme> find_themes(const Score& score, const std::vector<NamedTheme>& themes,
                                    double threshold) {
  std::vector<FoundTheme> found;
  for (const auto& p : score.parts) {
    if (percussion(p) || p.notes.empty()) continue;
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
  return c;
}

}  // namespace duet::compose
