#include "compose/melody.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "base/text.h"
#include "compose/tonal.h"
#include "compose/voicing.h"
#include "model/mvs.h"
#include "music/pitch.h"
#include "music/theme.h"
#include "music/theme_transform.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
constexpr std::int64_t kQuarter = time::kTicksPerQuarter;
constexpr std::int64_t k16 = kQuarter / 4;

bool minor_like(music::Mode mode) {
  return !bright(mode);
}

// ---------------------------------------------------------------- the idea

// A cell: notes by onset inside one bar, in sixteenths, with diatonic steps from its first note.
struct Cell {
  std::vector<int> onset;   // sixteenths from the bar's start
  std::vector<int> length;  // sixteenths to the next onset (the last: to the bar's end)
  std::vector<int> steps;   // diatonic steps from the first note
  int bar = 16;             // the bar's length in sixteenths
  std::size_t size() const { return onset.size(); }
};

// Each note of a cell lasts to the next onset (the last to the bar's end).
void close_lengths(Cell& c) {
  c.length.clear();
  for (std::size_t i = 0; i < c.size(); ++i)
    c.length.push_back((i + 1 < c.size() ? c.onset[i + 1] : c.bar) - c.onset[i]);
}

// Idiomatic one-bar rhythms per meter, in sixteenths (after the cells of common-practice and
// film melodies: long-short pairs, dotted figures, anacrustic groups).
//
// In 4/4 each feeling has its own pool, so that the four feelings of one energy do not share
// one melodic rhythm (weights over one pool lost to the line's pace): bright energy springs
// (dotted eighths and their sixteenths), tense energy drives in even short values, grief moves in
// long plain values, calm warmth sways (the dotted quarter's lilt, even quarters).
std::vector<std::vector<int>> rhythms_for(int bar16, bool compound, double valence,
                                          double arousal) {
  if (bar16 == 16 && !compound) {
    if (valence >= 0 && arousal >= 0)
      return {{3, 1, 4, 8},       {4, 3, 1, 8},       {3, 1, 3, 1, 8},      {3, 1, 4, 3, 1, 4},
              {3, 1, 2, 2, 4, 4}, {3, 1, 3, 1, 4, 4}, {2, 1, 1, 3, 1, 4, 4}};
    if (valence < 0 && arousal >= 0)
      return {{2, 2, 2, 2, 8},       {2, 2, 2, 2, 4, 4},       {1, 1, 2, 2, 2, 4, 4},
              {2, 2, 2, 2, 2, 2, 4}, {1, 1, 1, 1, 4, 2, 2, 4}, {2, 1, 1, 2, 2, 2, 2, 4},
              {1, 1, 2, 1, 1, 2, 8}};
    // (Grief keeps to the beats; calm's lilt is on the off-beat eighths.)
    if (valence < 0) return {{8, 8}, {12, 4}, {8, 4, 4}, {4, 4, 8}, {4, 8, 4}, {4, 4, 4, 4}};
    return {{6, 2, 8},       {6, 2, 4, 4},    {6, 2, 6, 2},
            {4, 2, 2, 4, 4}, {6, 2, 2, 2, 4}, {6, 2, 4, 2, 2}};
  }
  if (compound && bar16 == 12)
    return {{4, 2, 6},       {6, 4, 2},          {4, 2, 4, 2},       {2, 2, 2, 6}, {6, 2, 2, 2},
            {2, 2, 2, 4, 2}, {2, 2, 2, 2, 2, 2}, {1, 1, 2, 2, 2, 4}, {8, 4}};
  switch (bar16) {
    case 16:
      return {{8, 4, 4},
              {6, 2, 8},
              {12, 4},
              {4, 4, 8},
              {6, 2, 4, 4},
              {4, 2, 2, 8},
              {2, 2, 4, 8},
              {4, 4, 4, 4},
              {3, 1, 4, 8},
              {4, 4, 6, 2},
              {2, 4, 2, 8},
              {2, 2, 2, 2, 4, 4},
              {3, 3, 2, 4, 4},
              {2, 2, 4, 2, 2, 4},
              {1, 1, 2, 2, 2, 4, 4},
              {2, 1, 1, 2, 2, 2, 2, 4},
              {1, 1, 1, 1, 4, 2, 2, 4}};
    case 12:
      return {{8, 4},       {6, 2, 4},       {4, 8},          {4, 2, 2, 4},      {4, 4, 4},
              {6, 2, 2, 2}, {2, 2, 2, 2, 4}, {3, 1, 2, 2, 4}, {1, 1, 2, 2, 2, 4}};
    case 20:
      return {{8, 4, 8},
              {6, 6, 8},
              {4, 2, 2, 4, 8},
              {6, 2, 4, 8},
              {2, 2, 2, 2, 4, 4, 4},
              {3, 3, 2, 4, 4, 4},
              {1, 1, 2, 2, 2, 4, 4, 4}};
    case 8:
      return {{4, 4}, {6, 2}, {2, 2, 4}, {3, 1, 4}, {2, 2, 2, 2}, {1, 1, 2, 4}};
    default:
      break;
  }
  // Any other bar: quarters with a long last note.
  std::vector<int> r;
  int left = bar16;
  while (left > 8) {
    r.push_back(4);
    left -= 4;
  }
  r.push_back(left);
  return {r};
}

// Contour shapes (diatonic steps from the first note), chosen by the feeling:
//   gap-fill   a leap up, then steps down into the gap (Meyer's gap-fill; the warm film tune);
//   arch       steps up to a high point and back;
//   sigh       falling steps in pairs (the lament);
//   climb      repeated notes, then rising (energy);
//   circle     a tense turn around one note, a step either side.
std::vector<int> contour(std::size_t n, double valence, double arousal, double tension, Rng& rng) {
  enum Shape { gap_fill, arch, sigh, climb, circle };
  std::array<double, 5> w = {0.2, 0.2, 0.1, 0.1, 0.05};
  if (valence > 0.2 && arousal < 0.3) w[gap_fill] += 0.6, w[arch] += 0.3;
  if (valence < -0.2 && arousal < 0.2) w[sigh] += 0.8;
  if (arousal > 0.3) w[climb] += 0.5, w[arch] += 0.2;
  if (tension > 0.6) w[circle] += 0.6;
  const auto shape = static_cast<Shape>(rng.pick(w));
  std::vector<int> s(n, 0);
  const int leap = rng.chance(0.5) ? 4 : (rng.chance(0.5) ? 3 : 5);
  for (std::size_t i = 1; i < n; ++i) {
    const int k = static_cast<int>(i);
    switch (shape) {
      case gap_fill:
        s[i] = i == 1 ? leap : s[i - 1] - 1;
        break;
      case arch: {
        const int top = static_cast<int>(n) / 2 + 1;
        s[i] = k <= top ? s[i - 1] + (k == 1 && n > 3 ? 2 : 1) : s[i - 1] - 1;
        break;
      }
      case sigh:
        s[i] = i == 1 ? 2 : (i % 2 == 0 ? s[i - 1] - 1 : s[i - 1] + 1) - (i % 2 == 0 ? 0 : 1);
        break;
      case climb:
        s[i] = i < 2 ? s[i - 1] : s[i - 1] + (i + 1 == n ? 2 : 1);
        break;
      case circle: {
        static constexpr std::array<int, 6> turn = {0, 1, 0, -1, 0, 2};
        s[i] = turn[i % turn.size()];
        break;
      }
    }
  }
  return s;
}

Cell cell_from_rhythm(const std::vector<int>& rhythm, int bar16) {
  Cell c;
  c.bar = bar16;
  int at = 0;
  for (int r : rhythm) {
    if (at >= bar16) break;
    c.onset.push_back(at);
    c.length.push_back(std::min(r, bar16 - at));
    at += r;
  }
  if (!c.length.empty()) c.length.back() = bar16 - c.onset.back();
  c.steps.assign(c.onset.size(), 0);
  return c;
}

// The scale of a key as sounding pitch classes, degree 0 the tonic.
struct Scale {
  int tonic = 0;
  std::array<int, 7> steps{};  // semitones from the tonic
  // The pitch of a diatonic index (7 per octave; 0 = the tonic in octave 0, MIDI 0..11).
  int pitch(int index) const {
    const int oct = index >= 0 ? index / 7 : -((-index + 6) / 7);
    const int d = index - 7 * oct;
    return tonic + 12 * oct + steps[static_cast<std::size_t>(d)];
  }
  // The diatonic index of the scale tone at or nearest below a pitch.
  int index(int pitch) const {
    const int rel = pitch - tonic;
    const int oct = rel >= 0 ? rel / 12 : -((-rel + 11) / 12);
    const int pc = rel - 12 * oct;
    int d = 0;
    for (int i = 0; i < 7; ++i)
      if (steps[static_cast<std::size_t>(i)] <= pc) d = i;
    return 7 * oct + d;
  }
};

Scale scale_of(int tonic, music::Mode mode) {
  return {tonic, steps_of(tonic, mode)};
}

// A cell of the featured theme: its notes in bar `bar` of the theme (counted from its first
// note; at most eight), their rhythm in sixteenths and diatonic steps in the theme's key.
std::optional<Cell> theme_cell(const BriefTheme& theme, int bar16, int bar) {
  if (theme.notes.size() < 2) return std::nullopt;
  const Scale sc = scale_of(theme.key.tonic.pitch_class(), theme.key.mode);
  const BeatPos origin = theme.notes.front().start;
  Cell c;
  c.bar = bar16;
  int first = 0;
  for (std::size_t i = 0; i < theme.notes.size() && c.size() < 8; ++i) {
    const auto& n = theme.notes[i];
    const std::int64_t at = (n.start - origin).ticks();
    if (at % k16 != 0) return std::nullopt;  // a tuplet theme: its own rhythm is kept by statements
    const int at16 = static_cast<int>(at / k16) - bar * bar16;
    if (at16 < 0) continue;
    if (at16 >= bar16) break;
    if (c.size() == 0) first = sc.index(n.pitch);
    c.onset.push_back(at16);
    c.steps.push_back(sc.index(n.pitch) - first);
  }
  if (c.size() < 2 || c.onset.front() != 0) return std::nullopt;
  close_lengths(c);
  return c;
}

// The weight of a rhythm for a scene: dotted and syncopated figures for bright energy, even
// runs of short notes for agitation, long and falling values for sadness, even flowing values
// for tenderness (the rhythmic cues of Gabrielsson & Lindstrom 2010). 1 is neutral.
double character_of(const std::vector<int>& r, double v, double a) {
  bool dotted = false, short_values = false, syncopated = false;
  int at = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i] == 3 || r[i] == 6 || r[i] == 12) dotted = true;
    if (r[i] == 1) short_values = true;
    if (at % 4 != 0 && r[i] >= 4) syncopated = true;
    at += r[i];
  }
  const bool even = std::all_of(r.begin(), r.end() - 1, [&](int x) { return x == r.front(); });
  const bool long_end = r.back() >= 8;
  double character = 1.0;
  if (v > 0.2 && a > 0.2) character *= (dotted || syncopated) ? 3.0 : 0.5;
  if (v < -0.2 && a > 0.2) character *= (short_values || (even && r.front() <= 2)) ? 3.0 : 0.5;
  if (v < -0.2 && a <= 0.2) character *= long_end && !short_values ? 3.0 : 0.4;
  if (v >= -0.2 && a <= 0.2) character *= (even || r.front() == 6) && !short_values ? 2.5 : 0.6;
  return character;
}

// The answer to a cell written for the cue: another idiomatic rhythm ending on a longer note,
// and a contour moving the other way, by step (Schoenberg's "contrasting idea").
Cell answer_to(const Cell& a, const std::vector<std::vector<int>>& rhythms, double valence,
               double arousal, Rng& rng) {
  std::vector<double> w;
  for (const auto& r : rhythms) {
    const int n = static_cast<int>(r.size());
    const bool ends_long = r.back() >= r.front();
    w.push_back((ends_long ? 1.0 : 0.2) * character_of(r, valence, arousal) *
                std::exp(-std::abs(n - static_cast<int>(a.size())) * 0.7));
  }
  Cell b = cell_from_rhythm(rhythms[rng.pick(w)], a.bar);
  const int rise = a.steps.empty() ? 0 : a.steps.back() - a.steps.front();
  const int dir = rise > 0 ? -1 : 1;
  for (std::size_t i = 1; i < b.size(); ++i)
    b.steps[i] = b.steps[i - 1] + (rng.chance(0.8) ? dir : -dir) * (rng.chance(0.85) ? 1 : 2);
  return b;
}

// ---------------------------------------------------------------- variations

Cell inverted(Cell c) {
  for (auto& s : c.steps)
    s = -s;
  return c;
}

// The head of a cell (its notes in the first half of the bar) stated twice, the second a step
// up or down: Schoenberg's fragmentation in the continuation.
Cell fragmented(const Cell& c, int step) {
  Cell f;
  f.bar = c.bar;
  const int half = c.bar / 2;
  std::vector<std::size_t> head;
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c.onset[i] < half) head.push_back(i);
  if (head.size() < 2) return c;
  for (int rep = 0; rep < 2; ++rep)
    for (std::size_t i : head) {
      f.onset.push_back(c.onset[i] + rep * half);
      f.steps.push_back(c.steps[i] + rep * step);
    }
  close_lengths(f);
  return f;
}

// The cell's head in doubled values (augmentation), filling the bar.
Cell augmented(const Cell& c) {
  Cell a;
  a.bar = c.bar;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.onset[i] * 2 >= c.bar) break;
    a.onset.push_back(c.onset[i] * 2);
    a.steps.push_back(c.steps[i]);
  }
  if (a.size() < 2) return c;
  close_lengths(a);
  return a;
}

// The cell in halved values, twice in the bar (the second a step higher): diminution.
Cell diminished(const Cell& c) {
  Cell d;
  d.bar = c.bar;
  for (int rep = 0; rep < 2; ++rep)
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c.onset[i] % 2 != 0) return c;  // sixteenths cannot halve on the grid
      d.onset.push_back(c.onset[i] / 2 + rep * c.bar / 2);
      d.steps.push_back(c.steps[i] + rep);
    }
  close_lengths(d);
  return d;
}

// A rhythmic variant: the cell's last two notes joined, or its longest note split in two.
Cell varied(const Cell& c, Rng& rng) {
  Cell v = c;
  if (v.size() >= 4 && rng.chance(0.5)) {
    v.length[v.size() - 2] += v.length.back();
    v.onset.pop_back();
    v.length.pop_back();
    v.steps.pop_back();
    return v;
  }
  std::size_t longest = 0;
  for (std::size_t i = 1; i < v.size(); ++i)
    if (v.length[i] > v.length[longest]) longest = i;
  // A split keeps the halves in eighths or longer (no dotted-eighth pairs from a dotted quarter).
  if (v.length[longest] >= 4 && v.length[longest] % 4 == 0) {
    const int half = v.length[longest] / 2;
    v.length[longest] = half;
    v.onset.insert(v.onset.begin() + static_cast<std::ptrdiff_t>(longest) + 1,
                   v.onset[longest] + half);
    v.length.insert(v.length.begin() + static_cast<std::ptrdiff_t>(longest) + 1, half);
    const int next = longest + 1 < c.size() ? c.steps[longest + 1] : c.steps[longest] - 1;
    v.steps.insert(v.steps.begin() + static_cast<std::ptrdiff_t>(longest) + 1,
                   (c.steps[longest] + next) / 2 == c.steps[longest]
                       ? c.steps[longest] + (next > c.steps[longest] ? 1 : -1)
                       : (c.steps[longest] + next) / 2);
  }
  return v;
}

// ---------------------------------------------------------------- theme statements

struct Statement {
  std::vector<music::TransformStep> steps;
  music::Variant variant;
  BeatPos at;
};

music::TransformStep step_of(music::StepKind kind) {
  music::TransformStep step;
  step.kind = kind;
  return step;
}

BeatDur end_of(const music::Melody& m) {
  return m.notes.empty() ? BeatDur(0) : (m.notes.back().start + m.notes.back().length) - BeatPos(0);
}

music::Melody as_melody(const std::vector<ScoreNote>& notes) {
  music::Melody m;
  if (notes.empty()) return m;
  const BeatPos origin = notes.front().start;
  for (const auto& n : notes) {
    if (!m.notes.empty()) {
      auto& last = m.notes.back();
      const BeatPos start = n.start - BeatDur(origin.ticks());
      if (start <= last.start) continue;
      if (last.start + last.length > start) last.length = start - last.start;
    }
    m.notes.push_back({n.start - BeatDur(origin.ticks()), n.length, n.pitch});
    m.length = std::max(m.length, (m.notes.back().start + m.notes.back().length) - BeatPos(0));
  }
  return m;
}

// The statements of a theme in a section's room, chosen from its feeling (docs/composing.md):
// always moved to the section's key and mode; then tension >= 0.5 and arousal > 0.3: the head
// motif three times in a rising sequence; tension >= 0.5: inverted; arousal < -0.25 with room:
// augmented x2; density > 2 and too long: diminished; cut to the notes that fit.
std::vector<Statement> theme_statements(const music::Melody& theme, const music::Key& theme_key,
                                        const PlannedSection& s, BeatPos at, std::int64_t room) {
  using music::StepKind;
  std::vector<music::TransformStep> base;
  auto key = step_of(StepKind::key);
  key.key = music::Key{music::spell_pitch_class(s.tonic, true), s.mode};
  base.push_back(key);
  const std::int64_t length = end_of(theme).ticks();
  const auto& e = s.emotion;
  const int count = static_cast<int>(theme.notes.size());
  int repeats = 1;
  if (e.tension >= 0.5 && e.arousal > 0.3 && count >= 4) {
    auto head = step_of(StepKind::fragment_notes);
    head.amount = std::clamp((count + 1) / 2, 2, 4);
    base.push_back(head);
    repeats = 3;
  } else if (e.tension >= 0.5) {
    base.push_back(step_of(StepKind::invert));
  } else if (e.arousal < -0.25 && room >= 2 * length) {
    auto slow = step_of(StepKind::augment);
    slow.ratio = time::Rational(2);
    base.push_back(slow);
  } else if (s.controls.density.value > 2.0 && length > room && 2 * room >= length) {
    auto fast = step_of(StepKind::augment);
    fast.ratio = time::Rational(1, 2);
    base.push_back(fast);
  }
  auto first = music::apply_steps(theme, theme_key, base);
  if (!first) return {};
  int fits = 0;
  for (const auto& n : first->melody.notes) {
    if ((n.start + n.length).ticks() > room) break;
    ++fits;
  }
  if (fits < 2) return {};
  if (fits < static_cast<int>(first->melody.notes.size())) {
    auto head = step_of(StepKind::fragment_notes);
    head.amount = fits;
    base.push_back(head);
    first = music::apply_steps(theme, theme_key, base);
    if (!first) return {};
  }
  std::vector<Statement> out;
  out.push_back({base, *first, at});
  const std::int64_t span = (end_of(first->melody).ticks() + kQuarter - 1) / kQuarter * kQuarter;
  for (int j = 1; j < repeats; ++j) {
    const std::int64_t offset = span * j;
    if (offset + end_of(first->melody).ticks() > room) break;
    auto steps = base;
    auto up = step_of(StepKind::transpose_diatonic);
    up.amount = j;
    steps.push_back(up);
    auto v = music::apply_steps(theme, theme_key, steps);
    if (!v) break;
    out.push_back({std::move(steps), std::move(*v), at + BeatDur(offset)});
  }
  return out;
}

int velocity_at(const PlannedSection& s, BeatPos at) {
  const auto& d = s.controls.dynamics.value;
  const double span = static_cast<double>((s.end - s.at).ticks());
  const double x = span > 0 ? static_cast<double>((at - s.at).ticks()) / span : 0.0;
  const double mid = (d.min_velocity + d.max_velocity) / 2.0;
  const double half = (d.max_velocity - d.min_velocity) / 2.0;
  return std::clamp(static_cast<int>(std::lround(mid + half * d.crescendo * (2 * x - 1))), 1, 127);
}

}  // namespace

ThemeStatements state_themes(const CuePlan& plan, const CueBrief& brief, WriterNotes& notes) {
  ThemeStatements out;
  for (const auto& s : plan.sections) {
    if (!s.theme) continue;
    const auto& theme = brief.themes[*s.theme];
    const music::Melody registered = as_melody(theme.notes);
    // The statement starts with the section's first phrase and ends before dialogue.
    const Phrase* first = nullptr;
    for (const auto& p : plan.phrases)
      if (p.section == static_cast<std::size_t>(&s - plan.sections.data())) {
        first = &p;
        break;
      }
    if (!first) continue;
    // (In the last section, the statement ends before the final chord: the cadence comes then.)
    const BeatPos stop = &s == &plan.sections.back() ? std::min(s.end, plan.final_chord) : s.end;
    std::int64_t room = (stop - first->at).ticks();
    if (const auto talk = plan.dialogue_start_in(first->at, s.end))
      room = std::min(room, (*talk - first->at).ticks());
    auto statements = theme_statements(registered, theme.key, s, first->at, room);
    if (statements.empty()) continue;
    // Octaves, one move for every statement: the middle nearest the register's centre.
    int lo = 127, hi = 0;
    for (const auto& st : statements)
      for (const auto& n : st.variant.melody.notes) {
        lo = std::min(lo, n.pitch);
        hi = std::max(hi, n.pitch);
      }
    const int centre = (s.melody_low + s.melody_high) / 2;
    // (Rounded up from a little under the half: a theme sings better a shade high than low.)
    const int octave = static_cast<int>(std::floor((centre - (lo + hi) / 2.0) / 12.0 + 0.75)) * 12;
    for (auto& st : statements) {
      if (octave != 0) {
        music::TransformStep move;
        move.kind = music::StepKind::transpose;
        move.amount = octave;
        st.steps.push_back(move);
        auto moved = music::apply_steps(registered, theme.key, st.steps);
        if (!moved) continue;
        st.variant = std::move(*moved);
      }
      BeatPos last_end = st.at;
      for (const auto& n : st.variant.melody.notes) {
        const BeatPos start = st.at + BeatDur(n.start.ticks());
        const BeatDur len = std::min(n.length, s.end - start);
        if (len.ticks() <= 0) continue;
        out.notes.push_back({start, len, std::clamp(n.pitch, 0, 127), velocity_at(s, start)});
        last_end = start + len;
      }
      const double recognised = music::recognisability(registered, st.variant.melody);
      out.uses.push_back(
          {theme.name, music::to_string(st.steps), "", st.at, last_end - st.at, recognised});
      notes.melody_from_themes += static_cast<int>(st.variant.melody.notes.size());
      notes.log.push_back("section " + s.label + ": theme '" + theme.name + "' (" +
                          st.variant.derivation() + "; recognisability " +
                          base::fixed(recognised, 2) + ")");
    }
  }
  std::sort(out.notes.begin(), out.notes.end(),
            [](const ScoreNote& a, const ScoreNote& b) { return a.start < b.start; });
  return out;
}

MelodyLine write_melody(const CuePlan& plan, const Progression& progression, const CueBrief& brief,
                        const ThemeStatements& statements, const model::MelodyModel* model,
                        Rng& rng, WriterNotes& notes) {
  MelodyLine line;
  line.notes = statements.notes;
  line.themes = statements.uses;
  if (plan.phrases.empty()) return line;
  const time::Meter meter = plan.tempo_map.meter_at(plan.begin);
  const int bar16 = static_cast<int>(meter.bar_length().ticks() / k16);
  const bool compound = meter.denominator == 8 && meter.numerator % 3 == 0;
  const SceneSummary scene = summarise(brief.cue);

  // ---- the idea: the featured theme's first two bars (the basic idea and its answer), else two
  // cells written for the cue
  std::optional<Cell> idea, answer;
  for (const auto& s : plan.sections)
    if (s.theme) {
      idea = theme_cell(brief.themes[*s.theme], bar16, 0);
      if (idea) {
        answer = theme_cell(brief.themes[*s.theme], bar16, 1);
        notes.log.push_back("the idea: the head of theme '" + brief.themes[*s.theme].name + "'");
        break;
      }
    }
  // The cue's pace: its mean density (melody onsets per quarter) over the sections.
  double pace = 0;
  for (const auto& s : plan.sections)
    pace += s.controls.density.value * static_cast<double>((s.end - s.at).ticks());
  pace /= std::max<double>(1.0, static_cast<double>((plan.end - plan.begin).ticks()));
  // The approach sets how busy the line is: a minimal pulse's melody is sparse, chamber and
  // lyrical lines sing in longer values.
  const double approach_pace = plan.approach == Approach::pulse     ? 0.45
                               : plan.approach == Approach::chamber ? 0.8
                               : plan.approach == Approach::lyrical ? 0.8
                                                                    : 1.0;
  const auto rhythms = rhythms_for(bar16, compound, scene.valence, scene.arousal);
  if (!idea) {
    const double want = std::clamp(pace * approach_pace, 0.3, 3.5);
    std::vector<double> w;
    for (const auto& r : rhythms) {
      const double per_quarter = static_cast<double>(r.size()) / (bar16 / 4.0);
      const double character = character_of(r, scene.valence, scene.arousal);
      w.push_back(character * std::exp(-2.5 * std::abs(std::log2(per_quarter / want))));
    }
    Cell c = cell_from_rhythm(rhythms[rng.pick(w)], bar16);
    c.steps = contour(c.size(), scene.valence, scene.arousal, scene.tension, rng);
    idea = c;
    std::string text;
    for (std::size_t i = 0; i < c.size(); ++i)
      text += (i ? " " : "") + std::to_string(c.length[i]);
    notes.log.push_back("the idea: a cell written for the cue (sixteenths " + text + ")");
  }
  if (!answer) answer = answer_to(*idea, rhythms, scene.valence, scene.arousal, rng);
  for (std::size_t i = 0; i < idea->size(); ++i)
    line.idea.emplace_back(BeatDur(idea->onset[i] * k16), idea->steps[i]);

  // ---- the phrases
  std::vector<ScoreNote>& out = line.notes;
  auto covered = [&](BeatPos a, BeatPos b) {
    for (const auto& n : statements.notes)
      if (n.start < b && a < n.start + n.length) return true;
    return false;
  };
  int previous = (plan.sections.front().melody_low + plan.sections.front().melody_high) / 2;
  std::vector<ScoreNote> written;  // this stage's notes, for the model's context
  for (std::size_t pi = 0; pi < plan.phrases.size(); ++pi) {
    const Phrase& p = plan.phrases[pi];
    const auto& s = plan.sections[p.section];
    const Scale sc = scale_of(s.tonic, s.mode);
    const bool last_phrase = pi + 1 == plan.phrases.size();
    // The bars of the phrase.
    // In the last phrase the bar of the final chord is the cadence: its note holds to the end.
    std::vector<std::pair<BeatPos, BeatPos>> bars;
    for (BeatPos b = p.at; b < p.end;) {
      const BeatPos e = std::min(p.end, plan.bar_start(b) + plan.bar_length(b));
      if (last_phrase && plan.final_chord >= b && plan.final_chord < e) {
        bars.emplace_back(b, plan.end);
        break;
      }
      bars.emplace_back(b, e);
      b = e;
    }
    // The plan of the bars: idea, sequence, continuation (fragments), cadence.
    const std::size_t n = bars.size();
    // A sentence: the idea and its answer, then the idea's head fragmented, then the cadence;
    // eight bars state the pair twice (the second time sequenced) before the continuation.
    enum Kind { idea_bar, answer_bar, sequence_bar, fragment_bar, cadence_bar };
    std::vector<Kind> kinds(n, fragment_bar);
    for (std::size_t k = 0; k < n; ++k) {
      if (k < 2 || (n >= 7 && k < 4))
        kinds[k] = k % 2 == 0 ? (k == 0 ? idea_bar : sequence_bar) : answer_bar;
    }
    if (n >= 2) kinds[n - 1] = cadence_bar;
    // The section's cell: augmented where the section moves slower than the cue's pace,
    // diminished where it moves faster; inverted now and then for a contrasting phrase.
    const double rel = s.controls.density.value / std::max(pace, 1e-6);
    Cell cell = *idea;
    if (rel < 0.6) cell = augmented(cell);
    if (rel > 1.7) cell = diminished(cell);
    if (p.index % 4 == 2 && rng.chance(0.4)) cell = inverted(cell);
    const int centre = (s.melody_low + s.melody_high) / 2;
    for (std::size_t bi = 0; bi < n; ++bi) {
      const auto [a, b] = bars[bi];
      if (covered(a, b)) continue;  // a theme statement sings here
      const BeatPos bar0 = plan.bar_start(a);
      const int skip16 = static_cast<int>((a - bar0).ticks() / k16);  // a bar entered mid-way
      const int len16 = static_cast<int>((b - a).ticks() / k16);
      if (len16 <= 0) continue;
      // The register: rising to the section's climax, falling after it (up to a major third).
      const double to_climax = static_cast<double>((a - s.climax).ticks()) /
                               std::max(1.0, static_cast<double>(plan.bar_length(a).ticks()));
      const int lift =
          static_cast<int>(std::lround(4.0 * std::exp(-0.5 * to_climax * to_climax / 4.0)));
      const int target = centre - 2 + lift;
      Cell c = cell;
      Cell reply = *answer;
      if (rel < 0.6) reply = augmented(reply);
      if (kinds[bi] == sequence_bar && rng.chance(0.35)) c = varied(cell, rng);
      if (kinds[bi] == answer_bar) c = rng.chance(0.25) ? varied(reply, rng) : reply;
      if (kinds[bi] == fragment_bar) c = fragmented(cell, rng.chance(0.5) ? 1 : -1);
      if (kinds[bi] == cadence_bar) c = reply;
      std::vector<std::pair<int, int>> rhythm;  // (onset16 from a, length16)
      std::vector<int> steps;
      const bool cadence = kinds[bi] == cadence_bar || (n == 1 && last_phrase);
      const BeatPos final_at = plan.final_chord;
      if (cadence) {
        // A pickup into a long note: the first note of the cell, then the long note on the
        // bar's first strong beat after it (the final chord's beat for the cue's last phrase).
        BeatPos long_at = a;
        if (last_phrase && final_at >= a && final_at < b) {
          long_at = final_at;
        } else {
          for (BeatPos x = a + BeatDur(kQuarter); x < b; x += BeatDur(k16))
            if (plan.strong(x)) {
              long_at = x;
              break;
            }
          if (b - long_at < BeatDur(kQuarter)) long_at = a;
        }
        const int long16 = static_cast<int>((long_at - a).ticks() / k16);
        for (std::size_t i = 0; i < c.size(); ++i) {
          const int on = c.onset[i] - skip16;
          if (on < 0 || on >= long16) continue;
          rhythm.emplace_back(on, 0);
          steps.push_back(c.steps[i]);
        }
        rhythm.emplace_back(long16, 0);
        steps.push_back(0);  // replaced by the cadence tone below
      } else {
        for (std::size_t i = 0; i < c.size(); ++i) {
          const int on = c.onset[i] - skip16;
          if (on < 0 || on >= len16) continue;
          rhythm.emplace_back(on, 0);
          steps.push_back(c.steps[i]);
        }
        if (rhythm.empty()) {
          rhythm.emplace_back(0, 0);
          steps.push_back(0);
        }
      }
      for (std::size_t i = 0; i < rhythm.size(); ++i)
        rhythm[i].second = (i + 1 < rhythm.size() ? rhythm[i + 1].first : len16) - rhythm[i].first;
      // The first pitch: a chord tone of the bar's chord near the target, close to the note
      // before, with the cell's span inside the register.
      const auto& chord0 = progression.at(a);
      const auto tones0 = chord0.tones();
      int lo_step = 0, hi_step = 0;
      for (int st : steps) {
        lo_step = std::min(lo_step, st);
        hi_step = std::max(hi_step, st);
      }
      int start = previous;
      double best = 1e9;
      for (int pitch = s.melody_low - 5; pitch <= s.melody_high + 5; ++pitch) {
        const int pc = music::wrap_pitch_class(pitch);
        if (std::find(tones0.begin(), tones0.end(), pc) == tones0.end()) continue;
        const int idx = sc.index(pitch);
        const int top = sc.pitch(idx + hi_step), bottom = sc.pitch(idx + lo_step);
        double cost = std::abs((top + bottom) / 2.0 - target) + 0.4 * std::abs(pitch - previous);
        if (top > s.melody_high + 4) cost += 3.0 * (top - s.melody_high - 4);
        if (bottom < s.melody_low - 3) cost += 3.0 * (s.melody_low - 3 - bottom);
        if (std::abs(pitch - previous) > 9) cost += 6;
        // Root to root (or fifth to fifth) over a bass moving the same way is parallel octaves
        // (fifths) with it: start the bar on another tone of the chord.
        if (!out.empty() && a > plan.begin) {
          const auto& before = progression.at(a - BeatDur(1));
          const int b0 = before.bass.value_or(before.root), b1 = chord0.bass.value_or(chord0.root);
          const int i0 = music::wrap_pitch_class(previous - b0),
                    i1 = music::wrap_pitch_class(pitch - b1);
          if (b0 != b1 && i0 == i1 && (i0 == 0 || i0 == 7) && pitch != previous) cost += 8;
        }
        cost += rng.uniform() * 1.5;
        if (cost < best) {
          best = cost;
          start = pitch;
        }
      }
      const int base = sc.index(start);
      for (std::size_t i = 0; i < rhythm.size(); ++i) {
        const BeatPos at = a + BeatDur(rhythm[i].first * k16);
        if (at >= b) break;
        BeatDur len(rhythm[i].second * k16);
        const auto& chord = progression.at(at);
        const auto tones = chord.tones();
        // Chord tones that rub a semitone against another chord tone (the root under a major
        // seventh, the ninth over a minor third) are avoided on strong beats.
        auto safe = [&](int pc) {
          for (int t : tones)
            if (t != pc &&
                (music::wrap_pitch_class(t - pc) == 1 || music::wrap_pitch_class(pc - t) == 1))
              return false;
          return std::find(tones.begin(), tones.end(), pc) != tones.end();
        };
        const bool strong = plan.metric_weight(at) >= 1 || at == chord.at;
        int pitch = sc.pitch(base + steps[i]);
        // The scale bent to the chord: a scale tone a semitone from a chord tone takes the chord
        // tone (borrowed and chromatic chords colour the line too).
        for (int t : tones)
          if (std::abs(music::wrap_pitch_class(pitch - t + 6) - 6) == 1 &&
              std::find(tones.begin(), tones.end(), music::wrap_pitch_class(pitch)) ==
                  tones.end()) {
            pitch += music::wrap_pitch_class(t - pitch + 6) - 6;
            break;
          }
        const bool is_last = cadence && i + 1 == rhythm.size();
        if (is_last) {
          // The cadence tone: the tonic or its third on a closed cadence, a tone of the
          // dominant on an open one; by step from the note before where it can.
          std::vector<int> goal;
          if (p.cadence == Cadence::authentic || (last_phrase && plan.ending != CueEnding::open)) {
            goal = {0, minor_like(s.mode) && chord.kind != music::ChordKind::maj ? 3 : 4};
            if (chord.role == "Picardy third") goal = {0, 4};
            for (auto& g : goal)
              g = music::wrap_pitch_class(chord.root + g);
          } else {
            for (int t : tones)
              if (safe(t)) goal.push_back(t);
          }
          int best_p = pitch;
          double best_c = 1e9;
          const int from = out.empty() ? previous : out.back().pitch;
          for (int q = s.melody_low - 5; q <= s.melody_high + 5; ++q) {
            if (std::find(goal.begin(), goal.end(), music::wrap_pitch_class(q)) == goal.end())
              continue;
            const double cost = std::abs(q - from) + 0.3 * std::abs(q - centre);
            if (cost < best_c) {
              best_c = cost;
              best_p = q;
            }
          }
          pitch = best_p;
        } else if (strong && !safe(music::wrap_pitch_class(pitch))) {
          // Move to the nearest safe chord tone, in the cell's direction where it is a tie.
          int best_p = pitch;
          for (int d = 1; d <= 6; ++d) {
            const int dir = i > 0 && steps[i] < steps[i - 1] ? -1 : 1;
            if (safe(music::wrap_pitch_class(pitch + dir * d))) {
              best_p = pitch + dir * d;
              break;
            }
            if (safe(music::wrap_pitch_class(pitch - dir * d))) {
              best_p = pitch - dir * d;
              break;
            }
          }
          pitch = best_p;
        } else if (model && !strong) {
          // Weak beats: the cell's tone or a step either side, as the melody model prefers.
          std::array<int, 3> options = {pitch, sc.pitch(sc.index(pitch) + 1),
                                        sc.pitch(sc.index(pitch) - 1)};
          model::Melody context;
          const std::size_t take = std::min<std::size_t>(written.size(), 10);
          for (std::size_t k = written.size() - take; k < written.size(); ++k) {
            const auto& w = written[k];
            context.notes.push_back({w.pitch, w.start, w.length,
                                     BeatDur((w.start - plan.bar_start(w.start)).ticks()),
                                     model::MeterContext{meter.numerator, meter.denominator},
                                     model::KeyContext{s.tonic, minor_like(s.mode)}});
          }
          const model::MelodyNote next{pitch,
                                       at,
                                       len,
                                       BeatDur((at - plan.bar_start(at)).ticks()),
                                       model::MeterContext{meter.numerator, meter.denominator},
                                       model::KeyContext{s.tonic, minor_like(s.mode)}};
          const auto pred = model->predict_next(context, next);
          const auto& domain = model->pitch_domain();
          if (pred.distribution.size() == domain.size() && !domain.empty()) {
            std::array<double, 3> w{};
            for (std::size_t k = 0; k < 3; ++k) {
              auto it = std::lower_bound(domain.begin(), domain.end(), options[k]);
              const double prob =
                  it != domain.end() && *it == options[k]
                      ? pred.distribution[static_cast<std::size_t>(it - domain.begin())]
                      : 0.0;
              w[k] = (prob + 1e-3) * (k == 0 ? 3.0 : 1.0);
            }
            pitch = options[rng.pick(w)];
            ++notes.melody_from_model;
          }
        }
        if (!(model && !strong && !is_last)) ++notes.melody_from_rules;
        // The length: to the next onset; the last note of a phrase breathes (an eighth, a
        // quarter at slow tempi) unless the line rises into a hit with a pickup.
        if (i + 1 == rhythm.size()) {
          const bool end_of_phrase = bi + 1 == n;
          if (end_of_phrase) {
            if (last_phrase && plan.ending != CueEnding::open) {
              len = plan.end - at;
            } else {
              const double qpm = plan.tempo_map.quarters_per_minute_at(at);
              const BeatDur breath(qpm < 80 ? kQuarter : kQuarter / 2);
              len = b - at > breath + BeatDur(kQuarter) ? (b - at) - breath : b - at;
            }
          } else {
            len = b - at;
          }
        }
        len = std::min(len, b - at);
        if (len < BeatDur(k16)) len = BeatDur(k16);
        pitch = std::clamp(pitch, s.melody_low - 7, s.melody_high + 7);
        // Clear of a locked bass: no fifths or octaves moving with it.
        if (!statements.bass.empty() && !out.empty()) {
          const auto b0 = sounding(statements.bass, at - BeatDur(1)),
                     b1 = sounding(statements.bass, at);
          const int m0 = out.back().pitch;
          auto clash = [&](int q) { return b0 && b1 && parallel_perfect(m0, *b0, q, *b1); };
          if (clash(pitch)) {
            for (int d = 1; d <= 4; ++d) {
              if (!clash(pitch + d) &&
                  std::find(tones.begin(), tones.end(), music::wrap_pitch_class(pitch + d)) !=
                      tones.end()) {
                pitch += d;
                break;
              }
              if (!clash(pitch - d) &&
                  std::find(tones.begin(), tones.end(), music::wrap_pitch_class(pitch - d)) !=
                      tones.end()) {
                pitch -= d;
                break;
              }
            }
          }
        }
        ScoreNote note{at, len, pitch, velocity_at(s, at)};
        out.push_back(note);
        written.push_back(note);
        previous = pitch;
      }
    }
    // A pickup into a tutti or a stinger: three notes rising by step in the breath before it.
    const PlannedHit* into = plan.hit_at(p.end);
    if (into &&
        (into->treatment == HitTreatment::tutti || into->treatment == HitTreatment::stinger) &&
        !written.empty() && pi + 1 < plan.phrases.size() && plan.phrases[pi + 1].at == p.end &&
        !covered(out.back().start, out.back().start + BeatDur(1))) {
      auto& last = out.back();
      const BeatPos run = p.end - BeatDur(3 * k16 * 2);
      if (last.start < run) {
        last.length = std::min(last.length, run - last.start);
        const Scale sc2 = scale_of(plan.sections[plan.phrases[pi + 1].section].tonic,
                                   plan.sections[plan.phrases[pi + 1].section].mode);
        int idx = sc2.index(last.pitch);
        const int velocity = last.velocity;  // (`last` dangles once the run is pushed)
        for (int k = 0; k < 3; ++k) {
          const BeatPos at = run + BeatDur(k * 2 * k16);
          out.push_back({at, BeatDur(2 * k16), sc2.pitch(++idx), velocity + 6 + 3 * k});
        }
        notes.log.push_back("the line rises into the hit at tick " + std::to_string(p.end.ticks()));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const ScoreNote& x, const ScoreNote& y) {
    return x.start != y.start ? x.start < y.start : x.pitch > y.pitch;
  });
  // Monophonic: a note never sounds past the next onset.
  std::vector<ScoreNote> mono;
  for (const auto& n : out) {
    if (!mono.empty() && mono.back().start == n.start) continue;
    if (!mono.empty() && mono.back().start + mono.back().length > n.start)
      mono.back().length = n.start - mono.back().start;
    mono.push_back(n);
  }
  out = std::move(mono);
  return line;
}

}  // namespace duet::compose
