#include "engine/eval_compose.h"
#include "engine/judging.h"
#include "spot/placement.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "base/error.h"
#include "base/file.h"
#include "base/text.h"
#include "compose/approach.h"
#include "compose/candidates.h"
#include "compose/craft.h"
#include "compose/critics.h"
#include "compose/random.h"
#include "compose/writer.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "music/key_finding.h"
#include "music/theme.h"
#include "music/theme_io.h"
#include "project/project.h"
#include "render/loudness.h"
#include "render/render.h"
#include "time/meter_map.h"
#include "time/tempo_map.h"
#include "time/timecode.h"

namespace duet::engine {
namespace {

namespace fs = std::filesystem;
using base::ErrorKind;
using time::BeatDur;
using time::BeatPos;
using time::TimeDur;
using time::TimePos;

// ---- The bench's patterns (index i of the generated briefs; see make_bench) ----

constexpr std::array<double, 6> kHitsPerMinute = {0, 1, 2, 3, 4, 6};
constexpr std::array<double, 6> kDialogue = {0.0, 0.15, 0.30, 0.50, 0.05, 0.40};
constexpr std::array<int, 6> kSeconds = {20, 45, 75, 120, 180, 240};
constexpr std::array<std::string_view, 10> kHitLabels = {
    "door slams", "cut to the harbour", "the boat appears", "gunshot",       "she turns",
    "lights out", "the kiss",           "glass breaks",     "the car stops", "he falls"};
constexpr std::array<std::string_view, 2> kSpeakers = {"ANNA", "MARK"};

// The seconds of the 2-minute briefs the speed goal is read on.
constexpr double kTwoMinutesFrom = 100, kTwoMinutesTo = 140;

bool quadrant_high_valence(int q) {
  return q == 0 || q == 3;
}
bool quadrant_high_arousal(int q) {
  return q == 0 || q == 1;
}

TimePos at_frame(std::int64_t frame, const time::FrameRate& rate) {
  return time::time_of_frame(frame, rate);
}
std::int64_t frames_of(double seconds, const time::FrameRate& rate) {
  return static_cast<std::int64_t>(std::llround(seconds * rate.fps().to_double()));
}

std::string percent(double share) {
  return base::fixed(100.0 * share, 0) + "%";
}

// The tempo map a brief is given (exact: the beat a whole number of frames; inexact: what a sync
// that lands hits within a frame leaves).
struct GivenMap {
  time::Tempo tempo;
  time::Meter meter;
};

base::Result<time::TempoMap> make_map(const GivenMap& g, TimePos origin) {
  auto meters = time::MeterMap::from_bars({{1, g.meter}});
  if (!meters) return meters.error();
  return time::TempoMap::create({{BeatPos(0), g.tempo, time::Ramp::none}}, *meters, origin);
}

// The film time of the nearest beat (or downbeat) of `map` to `t`, on the nearest frame.
TimePos on_the_grid(const time::TempoMap& map, TimePos t, bool downbeat,
                    const time::FrameRate& rate) {
  const BeatPos b = map.beats_at(t);
  const time::Meter m = map.meter_at(b);
  const std::int64_t unit = downbeat ? m.bar_length().ticks() : m.beat_length().ticks();
  const std::int64_t snapped = (b.ticks() + unit / 2) / unit * unit;
  return at_frame(time::nearest_frame(map.time_at(BeatPos(snapped)), rate), rate);
}

std::string shape_words(TensionShape s) {
  return std::string(to_string(s));
}

// The description of a brief from what it is.
std::string describe_brief(const BenchBrief& b) {
  std::string d = std::string(model::to_string(b.quadrant)) + " " + shape_words(b.shape) + ", " +
                  base::fixed(b.seconds, 0) + " s, " + std::to_string(b.hard_hits) + " hard hit" +
                  (b.hard_hits == 1 ? "" : "s");
  if (b.hard_hits > 0) {
    d += " (" + base::fixed(b.hard_hits_per_minute, 1) + "/min, " +
         std::to_string(b.accented_hits) + " accented)";
  }
  if (b.soft_hits > 0) d += ", " + std::to_string(b.soft_hits) + " soft";
  d += ", " + percent(b.dialogue_share) + " dialogue";
  if (b.theme) d += ", theme";
  if (b.tempo != TempoGiven::none && b.brief.cue.tempo_map) {
    const auto& map = *b.brief.cue.tempo_map;
    const bool made = b.source == "bench" || b.source == "sketch";
    d += ", tempo map " + base::fixed(map.quarters_per_minute_at(BeatPos(0)), 3) + " " +
         map.meter_at(BeatPos(0)).to_string() + " (" +
         (made ? std::string(to_string(b.tempo)) : std::string("the project's")) + ")";
  }
  if (b.brief.segue) d += ", segue";
  d += ", " + base::fixed(b.rate.fps().to_double(), 0) + " fps";
  return d;
}

compose::BriefTheme bench_theme() {
  compose::BriefTheme theme;
  theme.name = std::string(kBenchThemeName);
  auto melody = music::parse_melody(kBenchTheme);
  for (const auto& n : melody->notes)  // the constant parses (the bench tests say so)
    theme.notes.push_back({n.start, n.length, n.pitch, 80});
  theme.key = *music::parse_key("D minor");
  return theme;
}

double dialogue_share_of(const spot::Cue& cue) {
  const double total = time::seconds(cue.out - cue.in);
  if (total <= 0) return 0;
  double spoken = 0;
  for (const auto& w : cue.dialogue) {
    const TimePos a = std::max(w.start, cue.in), z = std::min(w.end, cue.out);
    if (z > a) spoken += time::seconds(z - a);
  }
  return spoken / total;
}

// What a cue is, from the cue (its quadrant, tension shape, hits, dialogue, length).
void describe_from_cue(BenchBrief& b) {
  const spot::Cue& cue = b.brief.cue;
  const compose::SceneSummary s = compose::summarise(cue);
  b.quadrant = model::quadrant_of(s.valence >= 0, s.arousal >= 0);
  b.seconds = s.seconds;
  b.dialogue_share = dialogue_share_of(cue);
  b.hard_hits = b.accented_hits = b.soft_hits = 0;
  for (const auto& h : cue.hits) {
    if (h.kind == spot::HitKind::hard) {
      ++b.hard_hits;
      if (h.accent) ++b.accented_hits;
    } else {
      ++b.soft_hits;
    }
  }
  b.hard_hits_per_minute = b.seconds > 0 ? 60.0 * b.hard_hits / b.seconds : 0;
  b.theme = !b.brief.themes.empty();
  b.shape = TensionShape::flat;
  if (!cue.emotion.empty()) {
    const auto at = [&](double f) {
      return cue.emotion
          .value_at(cue.in + TimeDur(static_cast<std::int64_t>(
                                 static_cast<double>((cue.out - cue.in).ticks()) * f)))
          ->tension;
    };
    const double a = at(0), m = at(0.6), z = at(1);
    if (m > std::max(a, z) + 0.1) {
      b.shape = TensionShape::arch;
    } else if (z > a + 0.1) {
      b.shape = TensionShape::rising;
    } else if (z < a - 0.1) {
      b.shape = TensionShape::falling;
    }
  }
}

// One generated brief (index i of the bench; cycle i / 24 varies the jitter only).
BenchBrief generated(int i, std::uint64_t seed, std::int64_t& next_frame_24,
                     std::int64_t& next_frame_25, int& number_24, int& number_25) {
  compose::Rng rng(compose::candidate_seed(seed, i));
  BenchBrief b;
  b.source = "bench";
  const int p = i % 24;
  const int quadrant = p % 4;
  const TensionShape shape = std::array{TensionShape::rising, TensionShape::falling,
                                        TensionShape::arch}[static_cast<std::size_t>((p / 4) % 3)];
  const bool fps24 = ((p / 4) + p) % 2 == 0;
  double density = kHitsPerMinute[static_cast<std::size_t>((p + p / 12) % 6)];
  const double dialogue = kDialogue[static_cast<std::size_t>((p / 4 + p) % 6)];
  const int seconds = kSeconds[static_cast<std::size_t>((p + p / 6) % 6)];
  const bool theme = p % 3 == 0;
  const bool segue = p % 8 == 7;
  TempoGiven tempo = TempoGiven::none;
  GivenMap given;
  if (p % 6 == 5) {
    // i = 5, 11, 17, 23: 24 fps 120 4/4; 25 fps 89.552 4/4 (inexact); 25 fps 125 3/4;
    // 24 fps 90 6/8 (a dotted quarter of 60).
    switch (p) {
      case 5:
        tempo = TempoGiven::exact;
        given = {time::Tempo::quarters_per_minute(120), {4, 4}};
        break;
      case 11:
        tempo = TempoGiven::inexact;
        given = {time::Tempo::quarters_per_minute(time::Rational(11194, 125)), {4, 4}};
        break;
      case 17:
        tempo = TempoGiven::exact;
        given = {time::Tempo::quarters_per_minute(125), {3, 4}};
        break;
      default:
        tempo = TempoGiven::exact;
        given = {time::Tempo::quarters_per_minute(90), {6, 8}};
        break;
    }
  }
  // A map is fitted to hits: those briefs have some (3 a minute where the pattern has none).
  if (tempo != TempoGiven::none && density == 0) density = 3;
  // The inexact map is the 25 fps one by construction (p = 11 is at 25 fps); keep the rates the
  // tempos were chosen for.
  const time::FrameRate rate = fps24 ? time::FrameRate::fps24() : time::FrameRate::fps25();
  b.rate = rate;
  std::int64_t& next_frame = fps24 ? next_frame_24 : next_frame_25;
  int& number = fps24 ? number_24 : number_25;

  spot::Cue& cue = b.brief.cue;
  cue.id = spot::CueId{fps24 ? 24 : 25, ++number, ""};
  cue.title = std::string(model::to_string(model::quadrant_of(quadrant_high_valence(quadrant),
                                                              quadrant_high_arousal(quadrant)))) +
              " " + std::string(to_string(shape)) + " " + std::to_string(seconds) + " s";
  const std::int64_t in_frame = next_frame;
  const std::int64_t out_frame = in_frame + frames_of(seconds, rate);
  next_frame = out_frame + frames_of(10, rate);
  cue.in = at_frame(in_frame, rate);
  cue.out = at_frame(out_frame, rate);
  if (tempo != TempoGiven::none) {
    auto map = make_map(given, cue.in);
    if (map) cue.tempo_map = *map;  // the constants above make valid maps
  }

  // The curve: valence and arousal stay in the quadrant (at least 0.3 from the axis, so that the
  // emotion critic is not judging a target on the line); tension follows the shape.
  const double vs = quadrant_high_valence(quadrant) ? 1 : -1;
  const double as = quadrant_high_arousal(quadrant) ? 1 : -1;
  const double v0 = vs * (0.4 + 0.25 * rng.uniform());
  const double a0 = as * (0.35 + 0.25 * rng.uniform());
  const double a1 = as * std::clamp(std::abs(a0) + 0.2 * (rng.uniform() - 0.3), 0.3, 0.9);
  std::vector<std::pair<double, double>> tension;  // (fraction of the cue, tension)
  switch (shape) {
    case TensionShape::rising:
      tension = {{0, 0.1 + 0.1 * rng.uniform()}, {1, 0.8 + 0.1 * rng.uniform()}};
      break;
    case TensionShape::falling:
      tension = {{0, 0.8 + 0.1 * rng.uniform()}, {1, 0.1 + 0.1 * rng.uniform()}};
      break;
    default:
      tension = {{0, 0.15 + 0.1 * rng.uniform()},
                 {0.6, 0.85 + 0.1 * rng.uniform()},
                 {1, 0.25 + 0.1 * rng.uniform()}};
      break;
  }
  if (seconds >= 120 && shape != TensionShape::arch) {
    // A long scene turns halfway: the tension jumps, the feeling stays in its quadrant.
    const double mid = (tension.front().second + tension.back().second) / 2;
    tension.insert(tension.begin() + 1, {0.5, std::clamp(mid + 0.15, 0.0, 1.0)});
  }
  for (const auto& [f, t] : tension) {
    spot::EmotionKey k;
    k.at = at_frame(in_frame + static_cast<std::int64_t>(
                                   std::llround(f * static_cast<double>(out_frame - in_frame))),
                    rate);
    k.value.valence = v0 * (1 - 0.2 * f);
    k.value.arousal = a0 + (a1 - a0) * f;
    k.value.tension = t;
    cue.emotion.keys.push_back(k);
  }

  // Hard hits: spread over the cue with jitter, at least 1.5 s from the start and 1 s from the
  // out, 1 s apart; accented and not in turn; on a beat (or downbeat) of a given map.
  // Rounded down from a quarter over, so that the density never passes the pattern's.
  const int hits = static_cast<int>(std::floor(density * seconds / 60.0 + 0.25));
  double last = -10;
  for (int k = 0; k < hits; ++k) {
    double t = seconds * (k + 0.5 + 0.5 * (rng.uniform() - 0.5)) / hits;
    t = std::clamp(t, 1.5, seconds - 1.0);
    if (t - last < 1.0) continue;
    spot::HitPoint h;
    h.accent = k % 2 == 0;
    h.kind = spot::HitKind::hard;
    h.land = h.accent ? spot::Landing::downbeat() : spot::Landing::beat();
    h.label = std::string(kHitLabels[static_cast<std::size_t>((i + k) % kHitLabels.size())]);
    h.at = at_frame(in_frame + frames_of(t, rate), rate);
    if (cue.tempo_map) h.at = on_the_grid(*cue.tempo_map, h.at, h.accent, rate);
    if (h.at <= cue.in || h.at >= cue.out) continue;
    if (!cue.hits.empty() && h.at - cue.hits.back().at < TimeDur(time::kSuperclockPerSecond))
      continue;
    last = time::seconds(h.at - cue.in);
    cue.hits.push_back(std::move(h));
  }
  if (p % 4 == 2 && seconds >= 45) {
    // A soft hit in the first third: the music may mark it.
    spot::HitPoint h;
    h.kind = spot::HitKind::soft;
    h.label = "a glance";
    h.at = at_frame(in_frame + frames_of(seconds * (0.2 + 0.1 * rng.uniform()), rate), rate);
    if (cue.tempo_map) h.at = on_the_grid(*cue.tempo_map, h.at, false, rate);
    cue.hits.push_back(std::move(h));
  }

  // Dialogue: the share of the cue in 1-3 windows spread over it.
  if (dialogue > 0) {
    const double total = dialogue * seconds;
    const int windows = std::clamp(static_cast<int>(std::lround(total / 8.0)), 1, 3);
    const double length = total / windows;
    for (int w = 0; w < windows; ++w) {
      const double centre =
          seconds * (w + 0.5 + 0.2 * (rng.uniform() - 0.5) * (1 - dialogue)) / windows;
      const double from = std::clamp(centre - length / 2, 0.5, seconds - 0.5 - length);
      spot::DialogueWindow d;
      d.start = at_frame(in_frame + frames_of(from, rate), rate);
      d.end = at_frame(in_frame + frames_of(from + length, rate), rate);
      d.speaker = std::string(kSpeakers[static_cast<std::size_t>(w % 2)]);
      if (d.end > d.start) cue.dialogue.push_back(std::move(d));
    }
  }
  if (theme) {
    cue.themes.push_back(std::string(kBenchThemeName));
    b.brief.themes.push_back(bench_theme());
  }
  b.brief.segue = segue;
  if (segue) cue.notes = "segue: the next cue starts where this one ends";
  b.brief.hit_tolerance = rate.frame_duration();  // one frame, as a project's default
  spot::sort_contents(cue);
  describe_from_cue(b);
  b.shape = shape;  // as made (a long cue's turn does not change it)
  b.quadrant = model::quadrant_of(quadrant_high_valence(quadrant), quadrant_high_arousal(quadrant));
  b.tempo = tempo;
  b.balance = i % 3 == 0;
  b.description = describe_brief(b);
  return b;
}

// A quadrant sketch: 30 s at 96 BPM in 4/4 (a beat of 15 frames at 24 fps), a flat curve, no
// hits, no dialogue, no theme: one section.
BenchBrief sketch(int q, std::int64_t& next_frame) {
  BenchBrief b;
  b.source = "sketch";
  const time::FrameRate rate = time::FrameRate::fps24();
  b.rate = rate;
  spot::Cue& cue = b.brief.cue;
  cue.id = spot::CueId{90, q + 1, ""};
  const auto quadrant = model::quadrant_of(quadrant_high_valence(q), quadrant_high_arousal(q));
  cue.title = std::string(model::to_string(quadrant)) + " sketch";
  const std::int64_t in_frame = next_frame;
  const std::int64_t out_frame = in_frame + frames_of(30, rate);
  next_frame = out_frame + frames_of(10, rate);
  cue.in = at_frame(in_frame, rate);
  cue.out = at_frame(out_frame, rate);
  auto map = make_map({time::Tempo::quarters_per_minute(96), {4, 4}}, cue.in);
  if (map) cue.tempo_map = *map;
  spot::Emotion e;
  e.valence = quadrant_high_valence(q) ? 0.6 : -0.6;
  e.arousal = quadrant_high_arousal(q) ? 0.6 : -0.6;
  e.tension = 0.4;
  cue.emotion.keys.push_back({cue.in, e});
  cue.emotion.keys.push_back({cue.out, e});
  b.brief.hit_tolerance = rate.frame_duration();
  describe_from_cue(b);
  b.quadrant = quadrant;
  b.tempo = TempoGiven::exact;
  b.description = describe_brief(b);
  return b;
}

// ---- Project cues ----

// ---- Measuring ----

music::Melody melody_of_theme(const compose::BriefTheme& t) {
  music::Melody m;
  for (const auto& n : t.notes)
    m.notes.push_back({n.start, n.length, n.pitch});
  if (!m.notes.empty()) m.length = m.notes.back().start + m.notes.back().length - BeatPos(0);
  return m;
}

// Every statement of `theme` in `line`: the best window (music::find_theme) while it is
// recognisable (>= 0.5), then again in what is left on either side of it.
constexpr double kThemeFound = 0.5;
std::vector<music::ThemeMatch> statements(const music::Melody& theme, const music::Melody& line) {
  std::vector<music::ThemeMatch> found;
  const std::size_t least = std::max<std::size_t>(2, theme.notes.size() / 2);
  std::vector<std::pair<std::size_t, std::size_t>> todo = {{0, line.notes.size()}};
  while (!todo.empty() && found.size() < 256) {
    const auto [from, to] = todo.back();
    todo.pop_back();
    if (to - from < least) continue;
    music::Melody part;
    part.notes.assign(line.notes.begin() + static_cast<std::ptrdiff_t>(from),
                      line.notes.begin() + static_cast<std::ptrdiff_t>(to));
    part.length = part.notes.back().start + part.notes.back().length - BeatPos(0);
    music::ThemeMatch m = music::find_theme(theme, part);
    if (m.count == 0 || m.score < kThemeFound) continue;
    found.push_back(m);
    todo.emplace_back(from, from + m.first);
    todo.emplace_back(from + m.first + m.count, to);
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.start < b.start; });
  return found;
}

// Sections' targets from the cue's curve (at each section's middle, as the plan sets them) and
// theme uses found in the melodic parts.
void annotate(compose::Score& score, const BenchBrief& brief) {
  const spot::Cue& cue = brief.brief.cue;
  const auto& map = score.tempo_map;
  for (std::size_t i = 0; i < score.sections.size(); ++i) {
    const BeatPos from = score.sections[i].at;
    const BeatPos to = i + 1 < score.sections.size() ? score.sections[i + 1].at : score.end;
    const TimePos t0 = map.time_at(from), t1 = map.time_at(std::max(from, to));
    if (auto e = cue.emotion.value_at(t0 + TimeDur((t1 - t0).ticks() / 2))) {
      score.sections[i].valence = e->valence;
      score.sections[i].arousal = e->arousal;
      score.sections[i].tension = e->tension;
    }
  }
  score.themes.clear();
  for (const auto& t : brief.brief.themes) {
    const music::Melody theme = melody_of_theme(t);
    if (theme.notes.empty()) continue;
    for (const auto& p : score.parts) {
      if (p.role != compose::Role::melody && p.role != compose::Role::countermelody) continue;
      if (compose::is_percussion(p) || p.notes.empty()) continue;
      const model::Melody line = compose::melody_of(p, map);
      music::Melody m;
      for (const auto& n : line.notes)
        m.notes.push_back({n.onset, n.duration, n.pitch});
      if (m.notes.empty()) continue;
      m.length = m.notes.back().start + m.notes.back().length - BeatPos(0);
      for (const auto& s : statements(theme, m))
        score.themes.push_back({t.name, "found", p.name, s.start, s.length, s.score});
    }
  }
  std::sort(score.themes.begin(), score.themes.end(),
            [](const auto& a, const auto& b) { return a.at < b.at; });
}

std::string ending_fault(const compose::Ending& e) {
  std::vector<std::string> why;
  if (!e.tonic_or_third) why.emplace_back("not the tonic or third");
  if (!e.long_enough) why.emplace_back("shorter than 2 beats");
  if (!e.strong) why.emplace_back("off the strong beat");
  if (!e.tonic_bass) why.emplace_back("not over the tonic");
  std::string out;
  for (const auto& w : why)
    out += (out.empty() ? "" : ", ") + w;
  return out;
}

// The frames of `audio` in [from, to) seconds, appended to `out` (zeros past its end).
void append_span(const render::Audio& audio, double from, double to, render::Audio& out) {
  const auto a = static_cast<std::size_t>(std::max(0.0, std::floor(from * audio.sample_rate)));
  const auto z = static_cast<std::size_t>(std::max(0.0, std::ceil(to * audio.sample_rate)));
  for (std::size_t f = a; f < z; ++f) {
    const bool in = f < audio.frames();
    out.samples.push_back(in ? audio.samples[2 * f] : 0.0f);
    out.samples.push_back(in ? audio.samples[2 * f + 1] : 0.0f);
  }
}

// The rendered balance: the melody part (with the parts that double it) and the rest of the
// non-percussion parts, each rendered alone through FluidSynth; integrated loudness (BS.1770,
// gated) of each over the spans where a melody note sounds, and over the whole renders.
base::Result<void> measure_balance(const compose::Score& score, const EvalOptions& options,
                                   Figures& f) {
  const compose::Part* melody = compose::melody_part(score);
  if (melody == nullptr) return {};
  const compose::MelodyCover cover = compose::melody_covered_share(score);
  std::set<std::string> lead = {melody->name};
  lead.insert(cover.doublings.begin(), cover.doublings.end());
  compose::Score m = score, a = score;
  m.parts.clear();
  a.parts.clear();
  for (const auto& p : score.parts) {
    if (compose::is_percussion(p) || p.notes.empty()) continue;
    (lead.count(p.name) ? m : a).parts.push_back(p);
  }
  if (a.parts.empty()) {
    f.balance_solo = true;
    return {};
  }
  render::RenderOptions ro;
  if (!options.soundfont.empty()) ro.soundfont = options.soundfont;
  auto render_part = [&](const compose::Score& s) -> base::Result<render::Audio> {
    auto file = compose::to_midi(s);
    if (!file) return file.error();
    auto r = render::render_midi(*file, ro);
    if (!r) return r.error();
    return std::move(r->mix);
  };
  auto ma = render_part(m);
  if (!ma) return ma.error();
  auto aa = render_part(a);
  if (!aa) return aa.error();
  // The melody's sounding spans in seconds from beat 0 (sample 0 of the renders), joined where
  // they are under 50 ms apart.
  const auto& map = score.tempo_map;
  std::vector<std::pair<double, double>> spans;
  for (const auto& n : melody->notes)
    spans.emplace_back(time::seconds(map.time_at(n.start) - map.origin()),
                       time::seconds(map.time_at(n.start + n.length) - map.origin()));
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<double, double>> joined;
  for (const auto& s : spans) {
    if (!joined.empty() && s.first <= joined.back().second + 0.05) {
      joined.back().second = std::max(joined.back().second, s.second);
    } else {
      joined.push_back(s);
    }
  }
  render::Audio mc, ac;
  mc.sample_rate = ma->sample_rate;
  ac.sample_rate = aa->sample_rate;
  for (const auto& [from, to] : joined) {
    append_span(*ma, from, to, mc);
    append_span(*aa, from, to, ac);
  }
  auto lm = render::measure_loudness(mc);
  auto la = render::measure_loudness(ac);
  auto wm = render::measure_loudness(*ma);
  auto wa = render::measure_loudness(*aa);
  if (!lm || !la || !wm || !wa) return (!lm ? lm : !la ? la : !wm ? wm : wa).error();
  if (lm->integrated_lufs && la->integrated_lufs)
    f.balance_db = *lm->integrated_lufs - *la->integrated_lufs;
  else if (lm->integrated_lufs)
    f.balance_solo = true;
  if (wm->integrated_lufs && wa->integrated_lufs)
    f.balance_whole_db = *wm->integrated_lufs - *wa->integrated_lufs;
  return {};
}

base::Result<compose::Score> read_baseline(const fs::path& path, const BenchBrief& brief) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  auto smf = midi::read_smf(*bytes);
  if (!smf) return smf.error().with_context(path.generic_string());
  const auto origin = spot::place_midi(smf->file, brief.brief.cue, brief.rate);
  auto score = compose::from_midi(smf->file, origin.at);
  if (!score) return score.error().with_context(path.generic_string());
  annotate(*score, brief);
  return std::move(*score);
}

// Figures of one writer on one brief, rendered when asked.
base::Result<Figures> measure_with_balance(const BenchBrief& brief,
                                           const std::vector<compose::Score>& kept,
                                           const EvalOptions& options, bool render) {
  Figures f = measure_scores(brief, kept, options);
  if (render && !kept.empty()) {
    if (auto ok = measure_balance(kept.front(), options, f); !ok)
      return ok.error().with_context("cue " + brief.brief.cue.id.to_string() + " balance");
  }
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool meets(const Goal& g, double v) {
  constexpr double eps = 1e-9;
  switch (g.compare) {
    case Compare::at_most:
      return v <= g.target + eps;
    case Compare::at_least:
      return v >= g.target - eps;
    case Compare::less_than:
      return v < g.target;
  }
  return false;
}

// A row's summary from each brief's figure (nullopt: not judged on that brief) and the bench's
// figure formed by `combine` from the judged ones.
template <class Value, class Combine>
Summary summary_of(const std::vector<BriefReport>& briefs, bool baseline, const Goal& goal,
                   Value value, Combine combine, bool worst_is_max) {
  Summary s;
  std::vector<std::pair<const Figures*, double>> judged;
  for (const auto& b : briefs) {
    const Figures& f = baseline ? b.baseline : b.current;
    if (!f.measured) continue;
    if (auto v = value(f)) {
      judged.emplace_back(&f, *v);
      ++s.judged;
      if (meets(goal, *v)) ++s.met;
      if (!s.worst || (worst_is_max ? *v > *s.worst : *v < *s.worst)) s.worst = *v;
    }
  }
  if (!judged.empty()) s.value = combine(judged);
  return s;
}

}  // namespace

std::string_view to_string(TensionShape shape) {
  switch (shape) {
    case TensionShape::rising:
      return "rising";
    case TensionShape::falling:
      return "falling";
    case TensionShape::arch:
      return "arch";
    case TensionShape::flat:
      return "flat";
  }
  return "flat";
}

std::string_view to_string(TempoGiven tempo) {
  switch (tempo) {
    case TempoGiven::none:
      return "none";
    case TempoGiven::exact:
      return "exact";
    case TempoGiven::inexact:
      return "inexact";
  }
  return "none";
}

bool Row::met(const Summary& s) const {
  return s.value && meets(goal, *s.value);
}

Bench make_bench(const BenchOptions& options) {
  Bench bench;
  const int n = std::clamp(options.briefs, 1, 96);
  // Each rate's cues one after another from 01:00:10:00, 10 s apart.
  std::int64_t next_24 = time::to_frames(time::Timecode{1, 0, 10, 0}, time::FrameRate::fps24());
  std::int64_t next_25 = time::to_frames(time::Timecode{1, 0, 10, 0}, time::FrameRate::fps25());
  int number_24 = 0, number_25 = 0;
  for (int i = 0; i < n; ++i)
    bench.briefs.push_back(generated(i, options.seed, next_24, next_25, number_24, number_25));
  if (options.sketches) {
    for (int q = 0; q < 4; ++q)
      bench.sketches.push_back(sketch(q, next_24));
  }
  return bench;
}

base::Result<void> add_project(Bench& bench, const fs::path& dir) {
  auto project = project::Project::load(dir);
  if (!project) return project.error();
  const auto& manifest = project->manifest();
  std::set<std::string> ids;
  for (const auto* list : {&bench.briefs, &bench.sketches})
    for (const auto& b : *list)
      ids.insert(b.brief.cue.id.to_string());
  for (const auto& cue : manifest.cues) {
    if (ids.count(cue.id.to_string())) {
      return base::make_error(ErrorKind::invalid_input, "the project ", dir.generic_string(),
                              " has a cue ", cue.id.to_string(),
                              " and so has the bench; rename it or leave --project out");
    }
    BenchBrief b;
    b.source = dir.generic_string();
    b.rate = manifest.picture.rate;
    b.brief.cue = cue;
    auto themes = cue_themes(*project, cue);
    if (!themes) return themes.error().with_context("cue " + cue.id.to_string());
    b.brief.themes = std::move(*themes);
    b.brief.hit_tolerance = hit_tolerance(manifest);
    describe_from_cue(b);
    b.tempo = cue.tempo_map ? TempoGiven::exact : TempoGiven::none;
    b.balance = true;
    b.description = describe_brief(b);
    bench.briefs.push_back(std::move(b));
  }
  return {};
}

base::Result<std::vector<fs::path>> write_bench(const Bench& bench, const fs::path& dir) {
  struct Group {
    std::string folder;
    time::FrameRate rate;
    std::vector<spot::Cue> cues;
  };
  std::vector<Group> groups = {{"bench-24fps", time::FrameRate::fps24(), {}},
                               {"bench-25fps", time::FrameRate::fps25(), {}}};
  for (const auto* list : {&bench.briefs, &bench.sketches}) {
    for (const auto& b : *list) {
      if (b.source != "bench" && b.source != "sketch") continue;
      for (auto& g : groups)
        if (g.rate == b.rate) g.cues.push_back(b.brief.cue);
    }
  }
  for (const auto& g : groups) {
    std::error_code ec;
    if (fs::exists(dir / g.folder / project::kManifestName, ec)) {
      return base::make_error(ErrorKind::invalid_input, "cannot write the bench into ",
                              (dir / g.folder).generic_string(),
                              ": a project is already there; remove it or choose another folder");
    }
  }
  std::vector<fs::path> written;
  for (auto& g : groups) {
    if (g.cues.empty()) continue;
    project::Manifest m;
    m.title = "duet craft bench (" + base::fixed(g.rate.fps().to_double(), 0) + " fps)";
    m.picture.rate = g.rate;
    m.picture.start = time::Timecode{1, 0, 0, 0};
    project::Theme theme;
    theme.name = std::string(kBenchThemeName);
    theme.stands_for = "the harbour (the demo's theme)";
    theme.melody = std::string(kBenchTheme);
    theme.key = "D minor";
    m.themes.push_back(theme);
    spot::sort_cues(g.cues);
    m.cues = std::move(g.cues);
    auto created = project::Project::create(dir / g.folder, std::move(m));
    if (!created) return created.error();
    written.push_back(dir / g.folder);
  }
  return written;
}

base::Result<compose::Score> measuring_form(const compose::Score& score, const BenchBrief& brief) {
  compose::MidiExportOptions mo;
  mo.ticks_per_quarter = time::kTicksPerQuarter;  // lossless
  auto file = compose::to_midi(score, mo);
  if (!file) return file.error();
  auto read = compose::from_midi(*file, score.tempo_map.origin());
  if (!read) return read.error();
  annotate(*read, brief);
  return std::move(*read);
}

Figures measure_scores(const BenchBrief& brief, const std::vector<compose::Score>& kept,
                       const EvalOptions& options) {
  Figures f;
  if (kept.empty()) return f;
  f.measured = true;
  f.scores = static_cast<int>(kept.size());
  const compose::Score& best = kept.front();
  const spot::Cue& cue = brief.brief.cue;
  std::vector<music::Melody> themes;
  for (const auto& t : brief.brief.themes)
    themes.push_back(melody_of_theme(t));
  const compose::CraftMeasures c = compose::measure_craft(best, cue, themes);
  const double q = time::kTicksPerQuarter;
  if (c.covered.judged) {
    f.covered = c.covered.share;
    f.melody_quarters = static_cast<double>(c.covered.melody_time.ticks()) / q;
    f.covered_quarters = static_cast<double>(c.covered.covered_time.ticks()) / q;
  }
  if (c.bass.judged) f.bass_median = c.bass.median;
  if (c.span.judged) f.tutti_span = c.span.p90;
  if (c.tonic_dominant.judged) {
    f.tonic_dominant = c.tonic_dominant.share;
    f.chord_quarters = static_cast<double>(c.tonic_dominant.total.ticks()) / q;
    f.tonic_dominant_quarters =
        static_cast<double>((c.tonic_dominant.tonic + c.tonic_dominant.dominant).ticks()) / q;
  }
  if (c.alternation.judged) f.alternation = c.alternation.length;
  if (c.colour.judged) f.colour_r = c.colour.r;
  if (c.clashes.judged) {
    f.melody_notes = c.clashes.melody_notes;
    f.clashes = static_cast<int>(c.clashes.clashes.size());
  }
  f.onsets = c.off_grid.onsets;
  f.off_grid = static_cast<int>(c.off_grid.off.size());
  f.notes = c.short_notes.notes;
  f.short_notes = static_cast<int>(c.short_notes.found.size());
  if (c.development.judged) {
    f.development = c.development.share;
    f.development_bars = c.development.bars;
    f.developed_bars = c.development.developed;
  }
  f.ending_judged = c.ending.judged;
  f.ending_ok = c.ending.ok;
  f.ending_segue = c.ending.segue;
  if (c.ending.judged && !c.ending.ok) f.ending_fault = ending_fault(c.ending);
  f.parallels = static_cast<int>(c.voices.parallels.size());
  f.out_of_range = compose::count_range_violations(best);
  for (const auto& p : best.parts)
    if (!compose::is_percussion(p)) f.range_notes += static_cast<int>(p.notes.size());

  compose::CriticOptions co;
  co.hit_tolerance = brief.brief.hit_tolerance;
  co.rate = brief.rate;
  co.melody_model = options.melody_model;
  const compose::CriticResult sync = compose::critic_sync(best, cue, co);
  if (sync.judged) {
    f.hard_hits = sync.of;
    f.hard_landed = sync.count;
  }
  const compose::CriticResult emotion = compose::critic_emotion(best, cue, co);
  if (emotion.judged) {
    f.sections = emotion.of;
    f.sections_in_quadrant = emotion.count;
  }
  if (options.judge != nullptr) {
    co.emotion_model = options.judge;
    const compose::CriticResult judged = compose::critic_emotion(best, cue, co);
    if (judged.judged) {
      f.judge_sections = judged.of;
      f.judge_in_quadrant = judged.count;
    }
  }
  if (kept.size() >= 2) {
    double sum = 0, max = 0;
    int pairs = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      for (std::size_t j = i + 1; j < kept.size(); ++j) {
        const double jac = compose::accompaniment_onset_jaccard(kept[i], kept[j]);
        sum += jac;
        max = std::max(max, jac);
        ++pairs;
      }
    }
    f.jaccard_mean = sum / pairs;
    f.jaccard_max = max;
  }
  return f;
}

std::vector<Row> summarise_rows(const std::vector<BriefReport>& briefs,
                                const std::vector<BriefReport>& sketches, bool judge) {
  std::vector<Row> rows;
  using Judged = std::vector<std::pair<const Figures*, double>>;
  const auto mean = [](const Judged& j) {
    double s = 0;
    for (const auto& [f, v] : j)
      s += v;
    return s / static_cast<double>(j.size());
  };
  const auto med = [](const Judged& j) {
    std::vector<double> v;
    for (const auto& [f, x] : j)
      v.push_back(x);
    return median(std::move(v));
  };
  const auto max_of = [](const Judged& j) {
    double m = j.front().second;
    for (const auto& [f, v] : j)
      m = std::max(m, v);
    return m;
  };
  // Adds a row; `value` gives a brief's figure, `combine` the bench's, `of` the denominator.
  const auto add = [&](std::string key, std::string metric, Unit unit, Goal goal, std::string how,
                       auto value, auto combine, bool worst_is_max, auto of) {
    Row r;
    r.key = std::move(key);
    r.metric = std::move(metric);
    r.unit = unit;
    r.goal = goal;
    r.how = std::move(how);
    for (const bool base : {true, false}) {
      Summary s = summary_of(briefs, base, goal, value, combine, worst_is_max);
      double total = 0;
      bool any = false;
      for (const auto& b : briefs) {
        const Figures& f = base ? b.baseline : b.current;
        if (!f.measured) continue;
        if (auto o = of(f)) {
          total += *o;
          any = true;
        }
      }
      if (any) s.of = total;
      (base ? r.baseline : r.current) = s;
    }
    rows.push_back(std::move(r));
  };
  const auto none = [](const Figures&) { return std::optional<double>(); };
  const auto opt = [](auto o) -> std::optional<double> {
    if (!o) return std::nullopt;
    return static_cast<double>(*o);
  };
  const auto ratio = [](auto num, auto den) {
    return [num, den](const Judged& j) {
      double a = 0, b = 0;
      for (const auto& [f, v] : j) {
        a += num(*f);
        b += den(*f);
      }
      return b > 0 ? a / b : 0.0;
    };
  };
  const auto sum_of = [](auto part) {
    return [part](const Judged& j) {
      double a = 0;
      for (const auto& [f, v] : j)
        a += part(*f);
      return a;
    };
  };

  add(
      "covered", "melody time with an accompaniment note above it (doublings excepted)",
      Unit::share, {Compare::at_most, 0.20},
      "melody time covered over all melody time of the bench",
      [&](const Figures& f) { return f.covered; },
      ratio([](const Figures& f) { return f.covered_quarters; },
            [](const Figures& f) { return f.melody_quarters; }),
      true, none);
  add(
      "balance", "rendered melody level minus accompaniment (FluidR3)", Unit::db,
      {Compare::at_least, 0},
      "mean over the rendered briefs of the melody's loudness minus the accompaniment's, each "
      "integrated (BS.1770) over the melody's sounding spans",
      [&](const Figures& f) { return f.balance_db; }, mean, false, none);
  add(
      "bass", "median bass pitch in loud sections", Unit::pitch, {Compare::at_most, 40},
      "median of the briefs' medians (MIDI pitch; E2 = 40)",
      [&](const Figures& f) { return f.bass_median; }, med, true, none);
  add(
      "tutti_span", "tutti span in loud sections (90th percentile)", Unit::semitones,
      {Compare::at_least, 48}, "median of the briefs' 90th percentiles",
      [&](const Figures& f) { return opt(f.tutti_span); }, med, false, none);
  add(
      "tonic_dominant", "share of chord time on I and V", Unit::share, {Compare::at_most, 0.5},
      "I and V chord time over all chord time", [&](const Figures& f) { return f.tonic_dominant; },
      ratio([](const Figures& f) { return f.tonic_dominant_quarters; },
            [](const Figures& f) { return f.chord_quarters; }),
      true, none);
  add(
      "alternation", "longest alternation of two chords", Unit::chords, {Compare::at_most, 4},
      "the longest in any brief", [&](const Figures& f) { return opt(f.alternation); }, max_of,
      true, none);
  add(
      "colour", "correlation of colour (7ths, 9ths, sus, pedals) with tension", Unit::r,
      {Compare::at_least, 0.5}, "mean r over the briefs with a tension curve that moves",
      [&](const Figures& f) { return f.colour_r; }, mean, false, none);
  add(
      "clashes", "unprepared strong-beat clashes (m2, M7, m9) per 100 melody notes", Unit::per_100,
      {Compare::at_most, 2}, "all clashes per 100 of all melody notes",
      [&](const Figures& f) -> std::optional<double> {
        if (f.melody_notes == 0) return std::nullopt;
        return 100.0 * f.clashes / f.melody_notes;
      },
      [&](const Judged& j) {
        double c = 0, n = 0;
        for (const auto& [f, v] : j) {
          c += f->clashes;
          n += f->melody_notes;
        }
        return n > 0 ? 100.0 * c / n : 0.0;
      },
      true, [](const Figures& f) { return std::optional<double>(f.melody_notes); });
  add(
      "off_grid", "onsets off the 16th grid (tuplets aside)", Unit::count, {Compare::at_most, 0},
      "all off-grid onsets (of all onsets)",
      [&](const Figures& f) { return std::optional<double>(f.off_grid); },
      sum_of([](const Figures& f) { return static_cast<double>(f.off_grid); }), true,
      [](const Figures& f) { return std::optional<double>(f.onsets); });
  add(
      "jaccard", "accompaniment onset-grid Jaccard between kept candidates", Unit::similarity,
      {Compare::at_most, 0.6}, "mean of the briefs' pairwise means (worst: the highest pair)",
      [&](const Figures& f) { return f.jaccard_mean; }, mean, true, none);
  // The highest pair, not the highest brief mean, is the worst.
  for (const bool base : {true, false}) {
    Summary& s = base ? rows.back().baseline : rows.back().current;
    s.worst.reset();
    for (const auto& b : briefs) {
      const Figures& f = base ? b.baseline : b.current;
      if (f.measured && f.jaccard_max && (!s.worst || *f.jaccard_max > *s.worst))
        s.worst = f.jaccard_max;
    }
  }
  {
    Row r;
    r.key = "rhythm_similarity";
    r.metric = "melodic-rhythm similarity between the four quadrant sketches";
    r.unit = Unit::similarity;
    r.goal = {Compare::at_most, 0.5};
    r.how = "the most similar pair of the four sketches' best candidates";
    rows.push_back(std::move(r));
  }
  (void)sketches;  // filled by run_eval_compose, which holds the sketches' scores
  add(
      "development", "non-theme bars developing theme cells (interval + rhythm)", Unit::share,
      {Compare::at_least, 0.30}, "developed bars over all non-theme melody bars",
      [&](const Figures& f) { return f.development; },
      ratio([](const Figures& f) { return static_cast<double>(f.developed_bars); },
            [](const Figures& f) { return static_cast<double>(f.development_bars); }),
      false, none);
  add(
      "ending", "cues ending on the tonic or third, >= 2 beats, on a strong beat (or a segue)",
      Unit::share, {Compare::at_least, 1.0}, "briefs whose ending is ok",
      [&](const Figures& f) -> std::optional<double> {
        if (!f.ending_judged) return std::nullopt;
        return f.ending_ok ? 1.0 : 0.0;
      },
      mean, false,
      [](const Figures& f) -> std::optional<double> {
        if (!f.ending_judged) return std::nullopt;
        return 1.0;
      });
  add(
      "short_notes", "notes shorter than a 32nd", Unit::count, {Compare::at_most, 0},
      "all short notes (of all non-percussion notes)",
      [&](const Figures& f) { return std::optional<double>(f.short_notes); },
      sum_of([](const Figures& f) { return static_cast<double>(f.short_notes); }), true,
      [](const Figures& f) { return std::optional<double>(f.notes); });
  add(
      "hard_hits", "hard hits landed", Unit::share, {Compare::at_least, 1.0},
      "landed over all hard hits",
      [&](const Figures& f) -> std::optional<double> {
        if (f.hard_hits == 0) return std::nullopt;
        return static_cast<double>(f.hard_landed) / f.hard_hits;
      },
      ratio([](const Figures& f) { return static_cast<double>(f.hard_landed); },
            [](const Figures& f) { return static_cast<double>(f.hard_hits); }),
      false, [](const Figures& f) { return std::optional<double>(f.hard_hits); });
  add(
      "parallels", "parallel fifths/octaves between any two real voices", Unit::count,
      {Compare::at_most, 0}, "all parallels",
      [&](const Figures& f) { return std::optional<double>(f.parallels); },
      sum_of([](const Figures& f) { return static_cast<double>(f.parallels); }), true, none);
  add(
      "out_of_range", "notes out of their instrument's range", Unit::count, {Compare::at_most, 0},
      "all notes out of range (of all non-percussion notes)",
      [&](const Figures& f) { return std::optional<double>(f.out_of_range); },
      sum_of([](const Figures& f) { return static_cast<double>(f.out_of_range); }), true,
      [](const Figures& f) { return std::optional<double>(f.range_notes); });
  add(
      "quadrant", "sections in the scene's quadrant (the shipped estimator)", Unit::share,
      {Compare::at_least, 0.9}, "sections in the quadrant over all sections",
      [&](const Figures& f) -> std::optional<double> {
        if (f.sections == 0) return std::nullopt;
        return static_cast<double>(f.sections_in_quadrant) / f.sections;
      },
      ratio([](const Figures& f) { return static_cast<double>(f.sections_in_quadrant); },
            [](const Figures& f) { return static_cast<double>(f.sections); }),
      false, [](const Figures& f) { return std::optional<double>(f.sections); });
  add(
      "quadrant_judge", "sections in the scene's quadrant (the EMOPIA-trained judge)", Unit::share,
      {Compare::at_least, 0.9}, "sections in the quadrant over all sections",
      [&](const Figures& f) -> std::optional<double> {
        if (!f.judge_sections || *f.judge_sections == 0) return std::nullopt;
        return static_cast<double>(*f.judge_in_quadrant) / *f.judge_sections;
      },
      ratio([](const Figures& f) { return static_cast<double>(f.judge_in_quadrant.value_or(0)); },
            [](const Figures& f) { return static_cast<double>(f.judge_sections.value_or(0)); }),
      false,
      [](const Figures& f) -> std::optional<double> {
        if (!f.judge_sections) return std::nullopt;
        return static_cast<double>(*f.judge_sections);
      });
  if (!judge) rows.back().note = "no judge given (--judge MODEL.json, made by duet emotion-train)";
  {
    Row r;
    r.key = "musicxml_pages";
    r.metric = "MusicXML pages for the demo's 1M2 (12 bars)";
    r.unit = Unit::count;
    r.goal = {Compare::at_most, 3};
    r.note =
        "not measured here: engraving needs MuseScore (duet export --musicxml, then mscore3 and "
        "pdfinfo; docs/hand-off.md)";
    rows.push_back(std::move(r));
  }
  {
    // The figure is the slowest 2-minute brief (100-140 s); the worst is the slowest brief of
    // any length. The baseline's time is another build's: not measured here.
    Row r;
    r.key = "seconds";
    r.metric = "8 candidates for a 2-minute cue";
    r.unit = Unit::seconds;
    r.goal = {Compare::less_than, 5};
    r.how = "the slowest 2-minute brief (100-140 s; worst: the slowest brief of any length)";
    r.note = "the baseline's time is not measured here (another build): time its duet compose";
    for (const auto& b : briefs) {
      const Figures& f = b.current;
      if (!f.measured || !f.seconds) continue;
      if (!r.current.worst || *f.seconds > *r.current.worst) r.current.worst = f.seconds;
      if (b.cue_seconds < kTwoMinutesFrom || b.cue_seconds > kTwoMinutesTo) continue;
      ++r.current.judged;
      if (meets(r.goal, *f.seconds)) ++r.current.met;
      if (!r.current.value || *f.seconds > *r.current.value) r.current.value = f.seconds;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

base::Result<EvalReport> run_eval_compose(const Bench& bench, const EvalOptions& options) {
  if (options.candidates < 1 || options.candidates > 64 || options.keep < 1 ||
      options.keep > options.candidates) {
    return base::make_error(ErrorKind::out_of_range, "the bench writes 1 to 64 candidates and ",
                            "keeps 1 to that many (", options.candidates, " and ", options.keep,
                            " asked)");
  }
  EvalReport report;
  report.candidates = options.candidates;
  report.keep = options.keep;
  report.seed = options.seed;
  report.has_baseline = options.baseline.has_value();
  report.judge_name = options.judge ? options.judge_name : "";
  report.balance = options.balance;
  const int total = static_cast<int>(bench.briefs.size() + bench.sketches.size());
  int done = 0;
  std::vector<compose::Score> sketch_best, sketch_baseline;
  bool all_sketch_baselines = true;
  for (const auto* list : {&bench.briefs, &bench.sketches}) {
    const bool sketches = list == &bench.sketches;
    for (const auto& b : *list) {
      const std::string id = b.brief.cue.id.to_string();
      const bool render = options.balance == Balance::all ||
                          (options.balance == Balance::subset && b.balance && !sketches);
      BriefReport r;
      r.cue = id;
      r.source = b.source;
      r.description = b.description;
      r.balance = render;
      r.cue_seconds = b.seconds;

      // As duet compose ranks them (app/cli/compose_command.cpp), so that the bench's best is
      // the file duet compose would keep.
      compose::CandidateOptions co;
      co.candidates = options.candidates;
      co.keep = options.keep;
      co.seed = options.seed;
      co.models = options.models;
      co.critics.hit_tolerance = b.brief.hit_tolerance;
      co.critics.rate = b.rate;
      co.critics.melody_model = options.melody_model;
      const auto start = std::chrono::steady_clock::now();
      auto made = compose::make_candidates(b.brief, co);
      const auto stop = std::chrono::steady_clock::now();
      if (!made) return made.error().with_context("cue " + id);
      std::vector<compose::Score> kept;
      for (const auto& c : *made) {
        auto m = measuring_form(c.written.score, b);
        if (!m) return m.error().with_context("cue " + id);
        kept.push_back(std::move(*m));
      }
      if (options.out) {
        for (std::size_t k = 0; k < made->size(); ++k) {
          compose::MidiExportOptions mo;
          mo.rate = b.rate;
          mo.title = id;
          auto file = compose::to_midi((*made)[k].written.score, mo);
          if (!file) return file.error().with_context("cue " + id);
          auto bytes = midi::write_smf(*file);
          if (!bytes) return bytes.error().with_context("cue " + id);
          const fs::path path =
              *options.out / compose::candidate_file_name(b.brief.cue.id, static_cast<int>(k) + 1);
          if (auto ok = base::write_file_atomic(path, *bytes); !ok) return ok.error();
        }
      }
      auto current = measure_with_balance(b, kept, options, render);
      if (!current) return current.error();
      r.current = std::move(*current);
      r.current.seconds = std::chrono::duration<double>(stop - start).count();
      if (!made->empty())
        r.current.approach = std::string(compose::to_string(made->front().written.notes.approach));
      if (sketches && !kept.empty()) sketch_best.push_back(kept.front());

      if (options.baseline) {
        std::vector<compose::Score> old;
        for (int rank = 1; rank <= options.keep; ++rank) {
          const fs::path path =
              *options.baseline / compose::candidate_file_name(b.brief.cue.id, rank);
          std::error_code ec;
          if (!fs::exists(path, ec)) {
            if (rank == 1) r.baseline.missing = "no " + path.generic_string();
            break;
          }
          auto s = read_baseline(path, b);
          if (!s) return s.error().with_context("cue " + id + " baseline");
          old.push_back(std::move(*s));
        }
        if (!old.empty()) {
          auto measured = measure_with_balance(b, old, options, render);
          if (!measured) return measured.error();
          r.baseline = std::move(*measured);
          if (sketches) sketch_baseline.push_back(old.front());
        } else if (sketches) {
          all_sketch_baselines = false;
        }
      }
      (sketches ? report.sketches : report.briefs).push_back(std::move(r));
      ++done;
      if (options.progress && !options.progress(done, total, id)) {
        return base::make_error(ErrorKind::impossible, "the bench was stopped after cue ", id);
      }
    }
  }
  report.rows = summarise_rows(report.briefs, report.sketches, options.judge != nullptr);

  // The rows that need more than one brief's figures.
  const auto similarity = [](const std::vector<compose::Score>& s) -> Summary {
    Summary out;
    if (s.size() < 2) return out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      for (std::size_t j = i + 1; j < s.size(); ++j) {
        const double x = compose::melodic_rhythm_similarity(s[i], s[j]);
        ++out.judged;
        if (x <= 0.5 + 1e-9) ++out.met;
        if (!out.value || x > *out.value) out.value = x;
      }
    }
    out.worst = out.value;
    return out;
  };
  for (auto& row : report.rows) {
    if (row.key == "rhythm_similarity") {
      row.current = similarity(sketch_best);
      if (all_sketch_baselines) row.baseline = similarity(sketch_baseline);
    }
  }
  return report;
}

}  // namespace duet::engine
