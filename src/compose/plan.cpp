#include "compose/plan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "base/hash.h"
#include "base/text.h"
#include "compose/tonal.h"
#include "music/instrument.h"
#include "music/pitch.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::TimeDur;
using time::TimePos;
constexpr std::int64_t kQuarter = time::kTicksPerQuarter;
constexpr std::int64_t kSixteenth = kQuarter / 4;

double emotion_distance(const spot::Emotion& a, const spot::Emotion& b) {
  return std::abs(a.valence - b.valence) + std::abs(a.arousal - b.arousal) +
         std::abs(a.tension - b.tension);
}

std::string label_of(std::size_t i) {
  std::string out;
  std::size_t n = i;
  do {
    out.insert(out.begin(), static_cast<char>('A' + n % 26));
    n = n / 26;
  } while (n-- > 0);
  return out;
}

// Tonics that lie well on strings (open strings G D A E and C of the violas and cellos as tonic or
// dominant, and the flat keys of the orchestral repertoire): D, G, C, F, Bb, E, A.
constexpr std::array<int, 7> kStringTonics = {2, 7, 0, 5, 10, 4, 9};

// The tempo the approach leans to inside the mapping's range: lyrical and chamber writing
// breathe at the slow end, ostinati and drums push at the fast end.
double tempo_factor(Approach a) {
  switch (a) {
    case Approach::lyrical:
      return 0.93;
    case Approach::ostinato:
      return 1.06;
    case Approach::pulse:
      return 1.0;
    case Approach::chamber:
      return 0.9;
    case Approach::hybrid:
      return 1.08;
  }
  return 1.0;
}

// The meter of a cue written to its own tempo map. Lyrical and chamber writing often sing in
// three; ostinati group eighths in 4/4 or swing in 6/8; tension likes the limp of 5/4.
time::Meter meter_for(Approach a, const SceneSummary& scene, Rng& rng) {
  const double x = rng.uniform();
  switch (a) {
    case Approach::lyrical:
      if (scene.arousal < 0.2 && x < 0.4) return {3, 4};
      break;
    case Approach::chamber:
      if (x < 0.35) return {3, 4};
      if (x < 0.55 && scene.arousal > -0.6) return {6, 8};
      break;
    case Approach::ostinato:
      if (scene.tension > 0.6 && x < 0.2) return {5, 4};
      if (scene.arousal < 0.6 && x < 0.35) return {6, 8};
      break;
    case Approach::pulse:
      if (x < 0.3) return {3, 4};
      break;
    case Approach::hybrid:
      if (scene.tension > 0.7 && x < 0.15) return {5, 4};
      break;
  }
  return {4, 4};
}

// The eighth-note groups of a bar: the groove's accents. Even groups for calm music, the
// additive 3+3+2 (and its rotations) where the music must drive; 5/4 as 3+3+2+2, 6/8 as 3+3.
std::vector<int> groups_for(const time::Meter& m, double drive, Rng& rng) {
  const int eighths = static_cast<int>(m.bar_length().ticks() / (kQuarter / 2));
  if (m.denominator == 8 && m.numerator % 3 == 0) return std::vector<int>(eighths / 3, 3);
  if (eighths == 8) {
    if (drive < 0.35) return {2, 2, 2, 2};
    const double x = rng.uniform();
    if (x < 0.55) return {3, 3, 2};
    if (x < 0.8) return {3, 2, 3};
    return {2, 3, 3};
  }
  if (eighths == 6)
    return drive > 0.6 && rng.chance(0.3) ? std::vector<int>{3, 3} : std::vector<int>{2, 2, 2};
  if (eighths == 10)
    return rng.chance(0.6) ? std::vector<int>{3, 3, 2, 2} : std::vector<int>{3, 2, 3, 2};
  if (eighths == 7) return {2, 2, 3};
  std::vector<int> out;
  for (int left = eighths; left > 0; left -= std::min(left, 2))
    out.push_back(std::min(left, 2));
  return out;
}

}  // namespace

std::string_view to_string(HitTreatment t) {
  switch (t) {
    case HitTreatment::stinger:
      return "stinger";
    case HitTreatment::tutti:
      return "tutti";
    case HitTreatment::colour:
      return "colour change";
    case HitTreatment::dropout:
      return "drop-out";
    case HitTreatment::mark:
      return "mark";
  }
  return "mark";
}

std::string_view to_string(CueEnding e) {
  switch (e) {
    case CueEnding::held:
      return "a held chord";
    case CueEnding::button:
      return "a button";
    case CueEnding::open:
      return "open, into the next cue";
  }
  return "a held chord";
}

double intensity_of(const spot::Emotion& e) {
  return std::clamp(0.55 * (e.arousal + 1) / 2 + 0.45 * e.tension, 0.0, 1.0);
}

// ---------------------------------------------------------------- the grid

BeatPos CuePlan::bar_start(BeatPos at) const {
  const auto bbt = tempo_map.bbt_at(at);
  return tempo_map.meters().bar_start(bbt.bar);
}

BeatDur CuePlan::bar_length(BeatPos at) const {
  return tempo_map.meter_at(at).bar_length();
}

BeatDur CuePlan::beat_length(BeatPos at) const {
  const auto m = tempo_map.meter_at(at);
  if (m.denominator == 8 && m.numerator % 3 == 0 && m.numerator > 3)
    return BeatDur(3 * kQuarter / 2);
  return m.beat_length();
}

int CuePlan::metric_weight(BeatPos at) const {
  const BeatPos bar = bar_start(at);
  const std::int64_t pos = (at - bar).ticks();
  if (pos == 0) return 3;
  const auto m = tempo_map.meter_at(at);
  const std::int64_t beat = beat_length(at).ticks();
  const std::int64_t barlen = m.bar_length().ticks();
  if (pos % beat == 0) {
    // The middle of an even bar (beat 3 of 4/4) and the compound beats of 6/8 are strong.
    if (barlen % 2 == 0 && pos * 2 == barlen && (barlen / beat) % 2 == 0) return 2;
    if (beat == 3 * kQuarter / 2) return 2;
    if (m.numerator == 5 && m.denominator == 4 && pos == 3 * kQuarter) return 2;
    return 1;
  }
  if (pos % (kQuarter / 2) == 0) return 0;
  return -1;
}

std::size_t CuePlan::section_index(BeatPos at) const {
  for (std::size_t i = sections.size(); i-- > 0;)
    if (sections[i].at <= at) return i;
  return 0;
}

const PlannedSection& CuePlan::section_at(BeatPos at) const {
  return sections[section_index(at)];
}

const Phrase* CuePlan::phrase_at(BeatPos at) const {
  for (const auto& p : phrases)
    if (p.at <= at && at < p.end) return &p;
  return nullptr;
}

bool CuePlan::in_dialogue(BeatPos from, BeatPos to) const {
  for (const auto& w : dialogue)
    if (from < w.to && w.from < to) return true;
  return false;
}

std::optional<BeatPos> CuePlan::dialogue_start_in(BeatPos from, BeatPos to) const {
  std::optional<BeatPos> out;
  for (const auto& w : dialogue)
    if (w.from >= from && w.from < to && (!out || w.from < *out)) out = w.from;
  return out;
}

double CuePlan::tension_at(BeatPos at) const {
  if (!cue) return section_at(at).emotion.tension;
  const auto e = cue->emotion.value_at(tempo_map.time_at(at));
  return e ? e->tension : section_at(at).emotion.tension;
}

double CuePlan::relative_tension(BeatPos at) const {
  const double t = tension_at(at);
  if (tension_high - tension_low < 0.1) return t;
  return std::clamp((t - tension_low) / (tension_high - tension_low), 0.0, 1.0);
}

double CuePlan::intensity_at(BeatPos at) const {
  return section_at(at).intensity;
}

const PlannedHit* CuePlan::hit_at(BeatPos at) const {
  for (const auto& h : hits)
    if (h.at == at) return &h;
  return nullptr;
}

const PlannedHit* CuePlan::next_hit(BeatPos at) const {
  for (const auto& h : hits)
    if (h.at >= at && (h.hard || h.accent)) return &h;
  return nullptr;
}

// ---------------------------------------------------------------- planning

namespace {

struct Boundary {
  TimePos at;
  bool hard;
  std::string reason;
};

// The section boundaries on the film timeline: the cue's start, every hard hit, and the
// keyframes where the story turns (0.6 or more, L1, from the feeling the current section started
// with). Hard hits always start a section; a turn within 3 s of another boundary, of a hard hit
// after it or of the end joins what is there.
std::vector<Boundary> boundaries(const spot::Cue& cue) {
  const spot::Emotion first = cue.emotion.value_at(cue.in).value_or(spot::Emotion{});
  std::vector<Boundary> bounds{{cue.in, false, "the cue begins"}};
  for (const auto& h : cue.hits) {
    if (h.kind != spot::HitKind::hard || h.at < cue.in || h.at >= cue.out) continue;
    const std::string why = "hard hit '" + h.label + "'";
    if (h.at == cue.in)
      bounds.front() = {h.at, true, why};
    else
      bounds.push_back({h.at, true, why});
  }
  spot::Emotion reference = first;
  for (const auto& k : cue.emotion.keys) {
    if (k.at <= cue.in || k.at >= cue.out) continue;
    if (emotion_distance(k.value, reference) < 0.6) continue;
    reference = k.value;
    bounds.push_back({k.at, false,
                      "the story turns (valence " + base::fixed(k.value.valence, 2) + ", arousal " +
                          base::fixed(k.value.arousal, 2) + ", tension " +
                          base::fixed(k.value.tension, 2) + ")"});
  }
  std::stable_sort(bounds.begin(), bounds.end(),
                   [](const Boundary& a, const Boundary& b) { return a.at < b.at; });
  const TimeDur kNear(3 * time::kSuperclockPerSecond);
  std::vector<Boundary> kept;
  for (const auto& b : bounds) {
    if (!kept.empty() && b.at == kept.back().at) {
      if (b.hard) kept.back() = b;
      continue;
    }
    if (!b.hard && ((!kept.empty() && b.at - kept.back().at < kNear) || cue.out - b.at < kNear))
      continue;
    if (!b.hard && std::any_of(bounds.begin(), bounds.end(), [&](const Boundary& o) {
          return o.hard && o.at > b.at && o.at - b.at < kNear;
        }))
      continue;
    kept.push_back(b);
  }
  return kept;
}

// The coarsest grid point (the bar line, a beat, an eighth, a sixteenth) whose time is within
// the tolerance of `t`; the nearest sixteenth when none is.
BeatPos snap_to_grid(const CuePlan& plan, TimePos t, TimeDur tolerance) {
  const auto& map = plan.tempo_map;
  const BeatPos raw = map.beats_at(t);
  auto nearest = [&](BeatPos origin, std::int64_t unit) {
    const std::int64_t off = (raw - origin).ticks();
    const std::int64_t k = off >= 0 ? (off + unit / 2) / unit : -((-off + unit / 2) / unit);
    return origin + BeatDur(k * unit);
  };
  auto close = [&](BeatPos b) {
    const auto d = map.time_at(b) - t;
    return std::abs(d.ticks()) <= tolerance.ticks();
  };
  const BeatPos bar = plan.bar_start(raw);
  const BeatPos next_bar = bar + plan.bar_length(raw);
  const BeatPos near_bar = (raw - bar) <= (next_bar - raw) ? bar : next_bar;
  if (close(near_bar)) return near_bar;
  for (std::int64_t unit : {plan.beat_length(raw).ticks(), kQuarter, kQuarter / 2, kSixteenth}) {
    const BeatPos b = nearest(bar, unit);
    if (close(b)) return b;
  }
  return nearest(bar, kSixteenth);
}

}  // namespace

base::Result<CuePlan> plan_cue(const CueBrief& brief, Approach approach, Rng& rng) {
  const spot::Cue& cue = brief.cue;
  CuePlan plan;
  plan.cue = &brief.cue;
  plan.approach = approach;
  if (cue.out <= cue.in)
    return base::make_error(base::ErrorKind::out_of_range, "cue ", cue.id.to_string(),
                            " ends before it starts: its out must be after its in");
  const SceneSummary scene = summarise(cue);
  auto kept = boundaries(cue);

  // The controls of each section: the feeling at its middle, its trend over the section.
  std::vector<MusicalControls> controls;
  std::vector<spot::Emotion> feelings;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const TimePos t0 = kept[i].at, t1 = i + 1 < kept.size() ? kept[i + 1].at : cue.out;
    const spot::Emotion e =
        cue.emotion.value_at(t0 + TimeDur((t1 - t0).ticks() / 2)).value_or(spot::Emotion{});
    auto c = apply_overrides(controls_for(e, trend_of(cue.emotion, t0, t1)), brief.overrides);
    if (!c) return c.error();
    controls.push_back(std::move(*c));
    feelings.push_back(e);
  }

  // ---- the tempo map
  std::vector<BeatPos> starts;
  if (brief.locked_from || cue.tempo_map) {
    plan.tempo_map = brief.locked_from ? brief.locked_from->tempo_map : *cue.tempo_map;
    for (const auto& b : kept) {
      BeatPos at = plan.tempo_map.beats_at(b.at);
      if (b.hard) {
        at = snap_to_grid(plan, b.at, brief.hit_tolerance);
      } else {
        const BeatPos bar = plan.bar_start(at);
        const BeatPos next = bar + plan.bar_length(bar);
        at = (at - bar) < (next - at) ? bar : next;
      }
      starts.push_back(at);
    }
    plan.log.push_back(std::string("tempo map: ") +
                       (brief.locked_from ? "the locked score's" : "the cue's own") + ", " +
                       plan.tempo_map.meter_at(BeatPos(0)).to_string());
  } else {
    const time::Meter meter = meter_for(approach, scene, rng);
    const std::int64_t bar_q = meter.bar_length().ticks() / kQuarter;  // 3, 4 or 5 quarters
    const double factor = tempo_factor(approach) * (0.95 + 0.1 * rng.uniform());
    std::vector<time::TempoChange> changes;
    BeatPos beat(0);
    TimePos t = cue.in;
    const std::int64_t sc = time::kSuperclockPerSecond;
    std::vector<bool> dropped(kept.size(), false);
    for (std::size_t i = 0; i < kept.size(); ++i) {
      const auto& range = controls[i].tempo.value;
      double want = (range.min_bpm + range.max_bpm) / 2 * factor;
      // Calm music is never written fast: the mapping's range for a calm scene is the ceiling.
      if (feelings[i].arousal < 0) want = std::min(want, range.max_bpm);
      const std::int64_t bpm = std::clamp<std::int64_t>(std::lround(want), 40, 200);
      time::Rational tempo(bpm);
      starts.push_back(beat);
      if (i + 1 < kept.size()) {
        const std::int64_t span = (kept[i + 1].at - t).ticks();  // superclock ticks
        const double quarters =
            static_cast<double>(span) * static_cast<double>(bpm) / (60.0 * static_cast<double>(sc));
        if (kept[i + 1].hard) {
          // n units of the grid in exactly `span` ticks: n * 60 * sc / span quarters a minute,
          // the coarsest unit (a bar, a quarter, an eighth, a sixteenth) within a fair nudge.
          std::int64_t landed16 = 0;  // sixteenths to the next hit
          for (std::int64_t unit16 :
               {bar_q * 4, std::int64_t{4}, std::int64_t{2}, std::int64_t{1}}) {
            const double units = quarters * 4.0 / static_cast<double>(unit16);
            const std::int64_t n = std::lround(units) * unit16;
            const double ratio = static_cast<double>(n) / std::max(quarters * 4.0, 1e-9);
            const double slack = unit16 >= 4 ? 0.15 : 0.3;
            if (n >= unit16 && ratio > 1 - slack && ratio < 1 + slack) {
              landed16 = n;
              break;
            }
          }
          if (landed16 > 0) {
            tempo = time::Rational(landed16 * 15 * sc, span);
            beat += BeatDur(landed16 * kSixteenth);
          } else {
            // Too close to the boundary before it to carry a section: the hit stays a hit.
            dropped[i + 1] = true;
            beat += BeatDur(std::llround(quarters * 4.0) * kSixteenth);
          }
          t = kept[i + 1].at;
        } else {
          const std::int64_t bars =
              std::max<std::int64_t>(1, std::lround(quarters / static_cast<double>(bar_q)));
          beat += BeatDur(bars * bar_q * kQuarter);
          t += TimeDur(bars * bar_q * 60 * sc / bpm);
          kept[i + 1].at = t;
        }
      }
      if (!changes.empty() && changes.back().at == starts.back())
        changes.back().tempo = time::Tempo::quarters_per_minute(tempo);
      else if (changes.empty() || !(changes.back().tempo.quarters_per_minute() == tempo))
        changes.push_back({starts.back(), time::Tempo::quarters_per_minute(tempo)});
    }
    auto meters = time::MeterMap::create({{BeatPos(0), meter}});
    if (!meters) return meters.error();
    auto map = time::TempoMap::create(changes, *meters, cue.in);
    if (!map) return map.error();
    plan.tempo_map = std::move(*map);
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (kept[i].hard) starts[i] = snap_to_grid(plan, kept[i].at, brief.hit_tolerance);
    for (std::size_t i = kept.size(); i-- > 1;)
      if (dropped[i]) {
        kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(i));
        starts.erase(starts.begin() + static_cast<std::ptrdiff_t>(i));
        controls.erase(controls.begin() + static_cast<std::ptrdiff_t>(i));
        feelings.erase(feelings.begin() + static_cast<std::ptrdiff_t>(i));
      }
    plan.log.push_back(
        "tempo map written here (the cue has none): " + std::to_string(changes.size()) +
        " tempo(s) in " + meter.to_string() + ", hard hits on the grid");
  }
  plan.begin = std::max(BeatPos(0), plan.tempo_map.beats_at(cue.in));
  plan.end = plan.tempo_map.beats_at(cue.out);
  // A whole number of sixteenths: the music ends on the grid (at or before the out).
  plan.end = plan.begin + BeatDur((plan.end - plan.begin).ticks() / kSixteenth * kSixteenth);
  if (plan.end - plan.begin < BeatDur(kQuarter))
    return base::make_error(base::ErrorKind::out_of_range, "cue ", cue.id.to_string(),
                            " is shorter than one beat at its tempo: nothing to write");

  // ---- dialogue windows, widened to whole ticks around the speech
  for (const auto& w : cue.dialogue) {
    if (w.end <= w.start) continue;
    BeatPos from = plan.tempo_map.beats_at(w.start), to = plan.tempo_map.beats_at(w.end);
    while (plan.tempo_map.time_at(from) > w.start)
      from -= BeatDur(1);
    while (plan.tempo_map.time_at(to) < w.end)
      to += BeatDur(1);
    if (to > plan.begin && from < plan.end) plan.dialogue.push_back({from, to});
  }

  // ---- sections
  for (std::size_t i = 0; i < kept.size(); ++i) {
    PlannedSection s;
    s.at = std::clamp(starts[i], plan.begin, plan.end);
    s.end = i + 1 < kept.size() ? std::min(starts[i + 1], plan.end) : plan.end;
    if (s.end <= s.at) continue;
    if (!plan.sections.empty() && s.at < plan.sections.back().end) plan.sections.back().end = s.at;
    s.at_hard_hit = kept[i].hard;
    s.reason = kept[i].reason;
    s.label = label_of(plan.sections.size());
    s.emotion = feelings[i];
    s.intensity = intensity_of(feelings[i]);
    s.controls = controls[i];
    s.tonic = s.controls.tonic.value;
    s.mode = s.controls.mode.value;
    plan.sections.push_back(std::move(s));
  }
  if (plan.sections.empty())
    return base::make_error(base::ErrorKind::out_of_range, "cue ", cue.id.to_string(),
                            " is shorter than one beat at its tempo: nothing to write");
  plan.sections.front().at = plan.begin;
  for (std::size_t i = 0; i + 1 < plan.sections.size(); ++i)
    plan.sections[i].end = plan.sections[i + 1].at;
  plan.sections.back().end = plan.end;

  // ---- themes: the cue's tags that the brief has, given to every other section (A, C, E...)
  std::vector<std::size_t> tagged;
  for (const auto& name : cue.themes)
    for (std::size_t i = 0; i < brief.themes.size(); ++i)
      if (brief.themes[i].name == name && !brief.themes[i].notes.empty()) tagged.push_back(i);
  if (!tagged.empty())
    for (std::size_t i = 0; i < plan.sections.size(); i += 2)
      plan.sections[i].theme = tagged[(i / 2) % tagged.size()];

  // ---- keys: the composer's tonic, else the featured theme's, else one chosen by the cue id;
  // up a step (a rise of 0.2) or to the chromatic mediant (0.5) where the tension rises, down a
  // whole step where it falls by 0.3 or more (the release of an arrival).
  if (brief.overrides.tonic) {
    plan.log.push_back("key: the composer's tonic " +
                       music::to_string(music::spell_pitch_class(*brief.overrides.tonic, true)) +
                       " in every section");
  } else {
    int tonic = 0;
    std::string why;
    if (!tagged.empty()) {
      const auto& theme = brief.themes[tagged.front()];
      tonic = theme.key.tonic.pitch_class();
      why = "the tonic of theme '" + theme.name + "' (" + music::to_string(theme.key) + ")";
    } else {
      const std::string id = cue.id.to_string();
      tonic = kStringTonics[base::stable_hash(id) % kStringTonics.size()];
      why = "a string-friendly tonic chosen by the cue id " + id;
    }
    plan.log.push_back("key: " + music::to_string(music::spell_pitch_class(tonic, true)) + ", " +
                       why);
    for (std::size_t i = 0; i < plan.sections.size(); ++i) {
      auto& s = plan.sections[i];
      if (i > 0) {
        const double rise = s.emotion.tension - plan.sections[i - 1].emotion.tension;
        int move = 0;
        std::string how;
        if (rise >= 0.5) {
          move = 4;
          how = "to the chromatic mediant";
        } else if (rise >= 0.2) {
          move = 2;
          how = "up a whole step";
        } else if (rise <= -0.3) {
          move = -2;
          how = "down a whole step";
        }
        if (move != 0) {
          tonic = music::wrap_pitch_class(tonic + move);
          plan.log.push_back("section " + s.label + ": modulates " + how + " to " +
                             music::to_string(music::spell_pitch_class(tonic, true)) +
                             " (tension " + (rise > 0 ? "rises" : "falls") + " by " +
                             base::fixed(std::abs(rise), 2) + ")");
        }
      }
      s.tonic = tonic;
    }
  }

  // ---- registers: the melody's by the approach, the feeling and the intensity; the harmony
  // is voiced under it (harmony.h). A composer's melody instrument sets its own register.
  for (auto& s : plan.sections) {
    // A singing register: a violin line between about G4 and D6, a flute's a little higher,
    // brass and chamber winds a little lower; never above D6 at its centre's top.
    int centre = 74;
    switch (approach) {
      case Approach::lyrical:
        centre = 74;
        break;
      case Approach::ostinato:
        centre = 76;
        break;
      case Approach::pulse:
        centre = 77;
        break;
      case Approach::chamber:
        centre = s.emotion.valence < -0.3 ? 72 : 74;
        break;
      case Approach::hybrid:
        centre = 70;
        break;
    }
    centre += static_cast<int>(std::lround(2 * s.emotion.valence + 4 * (s.intensity - 0.5)));
    // Halfway to the mapping's register (high for warmth, low for sadness: Gabrielsson &
    // Lindstrom 2010), never so low that the harmony has no room under the melody.
    centre = (centre + s.controls.register_span.value.centre + 1) / 2;
    centre = std::clamp(centre, 67, 79);
    if (s.controls.palette.overridden) {
      if (const auto* inst = music::instrument_for_program(s.controls.palette.value.melody);
          inst && !inst->drums)
        centre = std::clamp(centre, inst->comfortable_low + 7, inst->comfortable_high - 7);
    }
    s.melody_low = centre - 7;
    s.melody_high = centre + 7;
  }

  // ---- the cue's range of tension (its own calm and its own peak)
  plan.tension_low = 1;
  plan.tension_high = 0;
  for (int i = 0; i <= 64; ++i) {
    const BeatPos at = plan.begin + BeatDur((plan.end - plan.begin).ticks() * i / 64);
    const double t = plan.tension_at(std::min(at, plan.end - BeatDur(1)));
    plan.tension_low = std::min(plan.tension_low, t);
    plan.tension_high = std::max(plan.tension_high, t);
  }

  // ---- the climax of each section: the bar where its tension peaks (else about 5/8 through)
  for (auto& s : plan.sections) {
    double lo = 2, hi = -1;
    BeatPos best = s.at;
    for (BeatPos b = s.at; b < s.end; b = plan.bar_start(b) + plan.bar_length(b)) {
      const double t = plan.tension_at(b + BeatDur(plan.bar_length(b).ticks() / 2));
      if (t > hi) {
        hi = t;
        best = plan.bar_start(b) < s.at ? s.at : plan.bar_start(b);
      }
      lo = std::min(lo, t);
    }
    if (hi - lo < 0.05) {
      const BeatPos at = s.at + BeatDur((s.end - s.at).ticks() * 5 / 8);
      best = std::max(s.at, plan.bar_start(at));
    }
    s.climax = best;
  }

  // ---- hits and their treatment
  for (const auto& h : cue.hits) {
    if (h.at < cue.in || h.at >= cue.out) continue;
    PlannedHit p;
    p.at = snap_to_grid(plan, h.at, brief.hit_tolerance);
    if (p.at < plan.begin || p.at >= plan.end) continue;
    p.label = h.label;
    p.hard = h.kind == spot::HitKind::hard;
    p.accent = h.accent;
    const std::size_t si = plan.section_index(p.at);
    const double after = plan.sections[si].intensity;
    const double before =
        si > 0 && plan.sections[si].at == p.at ? plan.sections[si - 1].intensity : after;
    if (h.accent) {
      p.treatment = HitTreatment::stinger;
      p.reason = "an accented cut: a stinger";
    } else if (!p.hard) {
      p.treatment = HitTreatment::mark;
      p.reason = "a soft hit: marked by the harmony";
    } else if (after - before >= 0.2) {
      p.treatment = HitTreatment::tutti;
      p.reason = "the scene grows at the cut (intensity " + base::fixed(before, 2) + " -> " +
                 base::fixed(after, 2) + "): everyone enters on it";
    } else if (after - before <= -0.25) {
      p.treatment = HitTreatment::dropout;
      p.reason = "the scene falls away at the cut (intensity " + base::fixed(before, 2) + " -> " +
                 base::fixed(after, 2) + "): the music drops out";
    } else {
      p.treatment = HitTreatment::colour;
      p.reason = "an unaccented cut: the harmony and colour change on it";
    }
    plan.hits.push_back(std::move(p));
  }
  std::sort(plan.hits.begin(), plan.hits.end(),
            [](const PlannedHit& a, const PlannedHit& b) { return a.at < b.at; });

  // ---- phrases: about ten seconds each (2, 4 or 8 bars), on bar lines from each section's
  // start; a dialogue line ends the phrase before it, and the music picks up on the first strong
  // beat after it.
  for (std::size_t si = 0; si < plan.sections.size(); ++si) {
    const auto& s = plan.sections[si];
    const double bar_seconds = static_cast<double>(plan.bar_length(s.at).ticks()) / kQuarter *
                               60.0 / std::max(1.0, plan.tempo_map.quarters_per_minute_at(s.at));
    const double want = 10.0 / std::max(bar_seconds, 0.1);
    const int phrase_bars = want < 3 ? 2 : want < 6 ? 4 : 8;
    // The regions free of dialogue.
    std::vector<BeatSpan> regions;
    BeatPos from = s.at;
    std::vector<BeatSpan> windows;
    for (const auto& w : plan.dialogue)
      if (w.to > s.at && w.from < s.end) windows.push_back(w);
    std::sort(windows.begin(), windows.end(),
              [](const BeatSpan& a, const BeatSpan& b) { return a.from < b.from; });
    for (const auto& w : windows) {
      // The phrase before a line ends on the grid at or before the line's start.
      const BeatPos stop(std::max<std::int64_t>(0, w.from.ticks()) / kSixteenth * kSixteenth);
      if (stop > from) regions.push_back({from, stop});
      // Resume on the next strong beat after the line.
      BeatPos resume = std::max(from, w.to);
      const std::int64_t r = resume.ticks();
      resume = BeatPos((r + kSixteenth - 1) / kSixteenth * kSixteenth);  // up to the grid
      while (resume < s.end && !plan.strong(resume))
        resume += BeatDur(kSixteenth);
      from = std::max(from, resume);
    }
    if (from < s.end) regions.push_back({from, s.end});
    int index = 0;
    for (const auto& r : regions) {
      if (r.to - r.from < BeatDur(kQuarter)) continue;
      BeatPos at = r.from;
      while (at < r.to) {
        // phrase_bars bar lines after `at`
        BeatPos end = at;
        for (int b = 0; b < phrase_bars && end < r.to; ++b)
          end = plan.bar_start(end) + plan.bar_length(end);
        end = std::min(end, r.to);
        // A remnant shorter than two bars joins this phrase.
        if (r.to - end < plan.bar_length(end) * 2) end = r.to;
        Phrase p;
        p.at = at;
        p.end = end;
        p.section = si;
        p.index = index++;
        p.before_dialogue = end == r.to && r.to < s.end;
        plan.phrases.push_back(p);
        at = end;
      }
    }
  }
  // Cadences: an open (half) cadence, then a closed (authentic) one, as an antecedent and its
  // consequent; a phrase that leads into a hard hit ends on the dominant the hit resolves; the
  // last phrase closes (or stays open into a segue).
  for (std::size_t i = 0; i < plan.phrases.size(); ++i) {
    auto& p = plan.phrases[i];
    p.cadence = p.index % 2 == 0 ? Cadence::half : Cadence::authentic;
    const bool last_of_section =
        i + 1 == plan.phrases.size() || plan.phrases[i + 1].section != p.section;
    if (last_of_section) {
      const bool into_hit = p.section + 1 < plan.sections.size() &&
                            plan.sections[p.section + 1].at_hard_hit &&
                            p.end == plan.sections[p.section + 1].at;
      p.cadence = into_hit ? Cadence::half : Cadence::authentic;
    }
  }
  if (!plan.phrases.empty())
    plan.phrases.back().cadence = brief.segue ? Cadence::open : Cadence::authentic;

  // ---- the groove: one rhythmic cell for the cue
  {
    const time::Meter m = plan.tempo_map.meter_at(plan.begin);
    const double drive = std::clamp(0.5 * (scene.arousal + 1) / 2 + 0.5 * scene.tension, 0.0, 1.0);
    const auto groups = groups_for(m, drive, rng);
    Groove g;
    g.sixteenths = static_cast<int>(m.bar_length().ticks() / kSixteenth);
    g.in_sixteenths =
        (approach == Approach::ostinato || approach == Approach::hybrid) && scene.arousal > 0.35;
    int at = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      g.name += (i ? "+" : "") + std::to_string(groups[i]);
      g.accents.push_back(at);
      at += 2 * groups[i];
    }
    const int step = g.in_sixteenths ? 1 : 2;
    for (int x = 0; x < g.sixteenths; x += step)
      g.onsets.push_back(x);
    plan.groove = std::move(g);
    plan.log.push_back("groove: " + plan.groove.name + " in " + m.to_string() + " (" +
                       (plan.groove.in_sixteenths ? "sixteenths" : "eighths") + ")");
  }

  // ---- the ending: a button after a loud last section, a held chord otherwise, open into a
  // segue. The final chord starts on the last strong beat at least two beats before the end.
  const auto& last = plan.sections.back();
  plan.ending = brief.segue            ? CueEnding::open
                : last.intensity > 0.6 ? CueEnding::button
                                       : CueEnding::held;
  plan.final_chord = plan.begin;
  for (BeatPos b = plan.end - BeatDur(2 * kQuarter); b >= plan.begin; b -= BeatDur(kSixteenth)) {
    if (plan.strong(b)) {
      plan.final_chord = b;
      break;
    }
  }
  plan.final_chord = std::max(plan.final_chord, last.at);
  plan.log.push_back(std::string("ending: ") + std::string(to_string(plan.ending)) + " at tick " +
                     std::to_string(plan.final_chord.ticks()));
  return plan;
}

}  // namespace duet::compose
