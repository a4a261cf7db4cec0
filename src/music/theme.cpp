#include "music/theme.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace duet::music {

using base::ErrorKind;
using base::make_error;
using time::BeatDur;
using time::BeatPos;

namespace {

// Longest single duration part written with ':N' (ticks): 1000 whole notes. Keeps every sum of
// a text's notes far inside int64.
constexpr std::int64_t kMaxPartTicks = 1000 * 4 * time::kTicksPerQuarter;

struct DurationLetter {
  char letter;
  std::int64_t ticks;
};
constexpr std::array<DurationLetter, 7> kLetters{
    {{'w', 7680}, {'h', 3840}, {'q', 1920}, {'e', 960}, {'s', 480}, {'t', 240}, {'x', 120}}};

std::int64_t letter_ticks(char c) {
  for (const auto& l : kLetters) {
    if (l.letter == c) return l.ticks;
  }
  return 0;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// One duration part ("q", "e.", "q3", ":700") from the front of `text`; advances `text`.
base::Result<std::int64_t> parse_duration_part(std::string_view& text) {
  if (text.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "a duration is missing; end the token with w h q e s t or x");
  }
  if (text.front() == ':') {
    std::size_t i = 1;
    std::int64_t ticks = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ticks = ticks * 10 + (text[i] - '0');
      if (ticks > kMaxPartTicks) {
        return make_error(ErrorKind::out_of_range, "the length in ticks is over ", kMaxPartTicks,
                          " (1000 whole notes)");
      }
      ++i;
    }
    if (i == 1 || ticks == 0) {
      return make_error(ErrorKind::invalid_input,
                        "':' must be followed by a length in ticks above 0 (1920 per quarter)");
    }
    text.remove_prefix(i);
    return ticks;
  }
  std::int64_t ticks = letter_ticks(text.front());
  if (ticks == 0) {
    return make_error(ErrorKind::invalid_input, "'", text.front(),
                      "' is not a duration; use w h q e s t x (whole to 64th) or :ticks");
  }
  text.remove_prefix(1);
  int dots = 0;
  while (!text.empty() && text.front() == '.') {
    ++dots;
    text.remove_prefix(1);
  }
  if (dots > 2) return make_error(ErrorKind::invalid_input, "more than two dots");
  if (dots == 1) ticks = ticks * 3 / 2;
  if (dots == 2) ticks = ticks * 7 / 4;
  if (!text.empty() && (text.front() == '3' || text.front() == '5')) {
    ticks = text.front() == '3' ? ticks * 2 / 3 : ticks * 4 / 5;
    text.remove_prefix(1);
  }
  return ticks;
}

// A whole duration: parts joined by '~'; the text must be used up.
base::Result<std::int64_t> parse_duration(std::string_view text) {
  std::int64_t total = 0;
  while (true) {
    auto part = parse_duration_part(text);
    if (!part) return part.error();
    total += *part;
    if (text.empty()) return total;
    if (text.front() != '~') {
      return make_error(ErrorKind::invalid_input, "unexpected '", text,
                        "' after the duration; tie parts with '~' (h~e)");
    }
    text.remove_prefix(1);
  }
}

struct ParsedToken {
  bool rest = false;
  int pitch = 0;
  std::int64_t ticks = 0;
};

base::Result<ParsedToken> parse_note_token(std::string_view token) {
  ParsedToken out;
  const char first = token.front();
  if (first == 'r' || first == 'R') {
    out.rest = true;
    std::string_view rest = token.substr(1);
    if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9')
      rest.remove_prefix(1);
    auto ticks = parse_duration(rest);
    if (!ticks) return ticks.error();
    out.ticks = *ticks;
    return out;
  }
  const char upper = static_cast<char>(first >= 'a' && first <= 'z' ? first - 'a' + 'A' : first);
  if (upper < 'A' || upper > 'G') {
    return make_error(ErrorKind::invalid_input, "'", first,
                      "' is not a pitch letter or 'r'; write a note as C4q or a rest as rq");
  }
  std::size_t i = 1;
  while (i < token.size() && (token[i] == '#' || token[i] == 'b'))
    ++i;
  const std::size_t octave_start = i;
  if (i < token.size() && token[i] == '-') ++i;
  while (i < token.size() && token[i] >= '0' && token[i] <= '9')
    ++i;
  if (i == octave_start || (i == octave_start + 1 && token[octave_start] == '-')) {
    return make_error(ErrorKind::invalid_input,
                      "the octave is missing; write the pitch as C4 (middle C), Bb3, F#5");
  }
  auto pitch = parse_pitch(token.substr(0, i));
  if (!pitch) return pitch.error();
  const int midi = pitch->midi();
  if (midi < 0 || midi > 127) {
    return make_error(ErrorKind::out_of_range, "pitch ", token.substr(0, i), " is MIDI ", midi,
                      ", outside 0..127");
  }
  auto ticks = parse_duration(token.substr(i));
  if (!ticks) return ticks.error();
  out.pitch = midi;
  out.ticks = *ticks;
  return out;
}

bool looks_like_meter(std::string_view token) {
  return !token.empty() && token.front() >= '0' && token.front() <= '9';
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Single-token durations: letter, dots, tuplet; first found wins, so plain values are preferred
// to dotted, dotted to triplets.
std::string single_duration_text(std::int64_t ticks) {
  for (const char* tuplet : {"", "3", "5"}) {
    for (int dots = 0; dots <= 2; ++dots) {
      for (const auto& l : kLetters) {
        std::int64_t t = l.ticks;
        if (dots == 1) t = t * 3 / 2;
        if (dots == 2) t = t * 7 / 4;
        if (tuplet[0] == '3') t = t * 2 / 3;
        if (tuplet[0] == '5') t = t * 4 / 5;
        if (t == ticks) return std::string(1, l.letter) + std::string(dots, '.') + tuplet;
      }
    }
  }
  return {};
}

}  // namespace

base::Result<void> validate_melody(const Melody& melody) {
  BeatPos previous_end(0);
  for (std::size_t i = 0; i < melody.notes.size(); ++i) {
    const auto& n = melody.notes[i];
    if (n.length.ticks() <= 0) {
      return make_error(ErrorKind::invalid_input, "note ", i + 1, " has length ", n.length.ticks(),
                        " ticks; a note lasts more than 0");
    }
    if (n.pitch < 0 || n.pitch > 127) {
      return make_error(ErrorKind::out_of_range, "note ", i + 1, " has pitch ", n.pitch,
                        ", outside MIDI 0..127");
    }
    if (n.start < previous_end) {
      return make_error(ErrorKind::invalid_input, "note ", i + 1, " starts at tick ",
                        n.start.ticks(), ", before the previous note ends (", previous_end.ticks(),
                        "); a melody has one note at a time");
    }
    previous_end = n.start + n.length;
  }
  if (melody.length < previous_end - BeatPos(0)) {
    return make_error(ErrorKind::invalid_input, "the melody's length (", melody.length.ticks(),
                      " ticks) ends before its last note (", previous_end.ticks(), ")");
  }
  if (melody.pickup.ticks() < 0 ||
      (melody.pickup.ticks() > 0 &&
       (!melody.meter || melody.pickup >= melody.meter->bar_length()))) {
    return make_error(ErrorKind::invalid_input, "the pickup of ", melody.pickup.ticks(),
                      " ticks needs a meter and must be shorter than its bar");
  }
  return {};
}

base::Result<Melody> parse_melody(std::string_view text) {
  Melody melody;
  std::optional<BeatDur> explicit_pickup;
  std::optional<BeatPos> first_bar_line;
  BeatPos position(0);
  std::size_t token_number = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    const std::size_t offset = i;
    std::size_t end = i + 1;
    if (text[i] != '|') {
      while (end < text.size() && !is_space(text[end]) && text[end] != '|')
        ++end;
    }
    const std::string_view token = text.substr(offset, end - offset);
    i = end;
    ++token_number;
    auto where = [&](const base::Error& e) {
      return base::Error{e.kind, base::cat("token ", token_number, " '", token, "' at byte ",
                                           offset, ": ", e.message)};
    };
    if (token_number == 1 && looks_like_meter(token)) {
      const std::size_t plus = token.find('+');
      auto meter = time::parse_meter(token.substr(0, plus));
      if (!meter) return where(meter.error());
      melody.meter = *meter;
      if (plus != std::string_view::npos) {
        auto pickup = parse_duration(token.substr(plus + 1));
        if (!pickup) return where(pickup.error());
        if (*pickup >= meter->bar_length().ticks()) {
          return where(make_error(ErrorKind::invalid_input, "a pickup must be shorter than a bar"));
        }
        explicit_pickup = BeatDur(*pickup);
        melody.pickup = *explicit_pickup;
      }
      continue;
    }
    if (token == "|") {
      if (!melody.meter) continue;  // without a meter, bar lines are only for the reader
      const std::int64_t bar = melody.meter->bar_length().ticks();
      if (!explicit_pickup && !first_bar_line) {
        first_bar_line = position;
        const std::int64_t p = position.ticks();
        if (p % bar != 0 && p > bar) {
          return where(
              make_error(ErrorKind::invalid_input, "the first bar line falls ", p,
                         " ticks in, more than a ", melody.meter->to_string(), " bar (", bar,
                         " ticks) and not at its end; check the durations of the first bar"));
        }
        melody.pickup = BeatDur(p % bar);
        continue;
      }
      const std::int64_t off = position.ticks() - melody.pickup.ticks();
      if (off % bar != 0) {
        const std::int64_t into = off - floor_div(off, bar) * bar;
        return where(make_error(ErrorKind::invalid_input, "this bar line falls ", into,
                                " ticks into a ", melody.meter->to_string(), " bar (", bar,
                                " ticks a bar, 1920 a quarter); check the durations before it"));
      }
      continue;
    }
    auto parsed = parse_note_token(token);
    if (!parsed) return where(parsed.error());
    if (!parsed->rest) {
      melody.notes.push_back(MelodyNote{position, BeatDur(parsed->ticks), parsed->pitch});
    }
    position += BeatDur(parsed->ticks);
    if (position.ticks() > std::numeric_limits<std::int64_t>::max() / 4) {
      return where(make_error(ErrorKind::out_of_range, "the melody is too long"));
    }
  }
  if (melody.notes.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "the melody has no notes; write notes such as 'C4q D4e E4e G4h'");
  }
  melody.length = position - BeatPos(0);
  return melody;
}

std::string duration_text(BeatDur length) {
  const std::int64_t ticks = length.ticks();
  if (ticks <= 0) return ":" + std::to_string(ticks);
  if (auto single = single_duration_text(ticks); !single.empty()) return single;
  // Whole notes tied, then up to three plain or dotted parts, largest first.
  const std::int64_t whole = 4 * time::kTicksPerQuarter;
  std::int64_t wholes = ticks / whole;
  std::int64_t rest = ticks % whole;
  if (wholes <= 8) {
    std::string out;
    for (std::int64_t k = 0; k < wholes; ++k)
      out += out.empty() ? "w" : "~w";
    int parts = 0;
    while (rest > 0 && parts < 3) {
      std::string best;
      std::int64_t best_ticks = 0;
      // A single token for the whole remainder (dotted or tuplet) ends the search.
      if (auto single = single_duration_text(rest); !single.empty()) {
        best = single;
        best_ticks = rest;
      } else {
        for (int dots = 0; dots <= 2; ++dots) {
          for (const auto& l : kLetters) {
            std::int64_t t = l.ticks;
            if (dots == 1) t = t * 3 / 2;
            if (dots == 2) t = t * 7 / 4;
            if (t <= rest && t > best_ticks) {
              best_ticks = t;
              best = std::string(1, l.letter) + std::string(static_cast<std::size_t>(dots), '.');
            }
          }
        }
      }
      if (best.empty()) break;
      out += out.empty() ? best : "~" + best;
      rest -= best_ticks;
      ++parts;
    }
    if (rest == 0) return out;
  }
  // In ticks, tied in parts the reader takes (a very long note from MusicXML or MIDI).
  std::string out;
  for (std::int64_t left = ticks; left > 0; left -= std::min(left, kMaxPartTicks))
    out += (out.empty() ? ":" : "~:") + std::to_string(std::min(left, kMaxPartTicks));
  return out;
}

std::string pitch_text(int midi, const MelodyTextOptions& options) {
  const int pc = wrap_pitch_class(midi);
  NoteName name;
  if (options.key) {
    name = spell_in_key(*options.key, pc);
  } else {
    name = spell_pitch_class(pc, false);
    if (pc == 10 || pc == 3) name = spell_pitch_class(pc, true);
  }
  // The octave belongs to the letter (B#3 sounds as C4).
  const int raw = natural_pitch_class(name.letter) + name.accidental;
  const int octave = static_cast<int>(floor_div(midi - raw, 12)) - 1;
  return to_string(Pitch{name, octave});
}

std::string to_text(const Melody& melody, const MelodyTextOptions& options) {
  // Token boundaries: where each note or rest starts, in order.
  struct Token {
    BeatPos start;
    std::string text;
  };
  std::vector<Token> tokens;
  BeatPos position(0);
  for (const auto& n : melody.notes) {
    if (n.start > position) tokens.push_back({position, "r" + duration_text(n.start - position)});
    tokens.push_back({n.start, pitch_text(n.pitch, options) + duration_text(n.length)});
    position = n.start + n.length;
  }
  const BeatPos end = BeatPos(0) + melody.length;
  if (end > position) tokens.push_back({position, "r" + duration_text(end - position)});

  // Bar lines before tokens that start on a bar boundary (not at 0).
  std::vector<bool> bar_before(tokens.size(), false);
  std::optional<BeatPos> first_printed;
  if (melody.meter && options.bar_lines) {
    const std::int64_t bar = melody.meter->bar_length().ticks();
    for (std::size_t k = 1; k < tokens.size(); ++k) {
      const std::int64_t off = tokens[k].start.ticks() - melody.pickup.ticks();
      if (off % bar == 0) {
        bar_before[k] = true;
        if (!first_printed) first_printed = tokens[k].start;
      }
    }
  }
  std::string out;
  if (melody.meter) {
    out = melody.meter->to_string();
    // The pickup is said in the meter token when the first printed bar line does not show it.
    const bool shown = first_printed && first_printed->ticks() == melody.pickup.ticks();
    if (melody.pickup.ticks() > 0 && !shown) out += "+" + duration_text(melody.pickup);
  }
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (!out.empty()) out += ' ';
    if (bar_before[k]) out += "| ";
    out += tokens[k].text;
  }
  return out;
}

// ---- Recognisability ----

namespace {

// One step from a note to the next: the pitch interval (semitones) and the log2 ratio of the
// two notes' inter-onset intervals (rests belong to the note before them).
struct Step {
  int interval = 0;
  double rhythm = 0;
};

std::vector<Step> steps_of(const Melody& m) {
  std::vector<Step> out;
  const auto& n = m.notes;
  if (n.size() < 2) return out;
  std::vector<double> ioi(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::int64_t t =
        i + 1 < n.size() ? (n[i + 1].start - n[i].start).ticks() : n[i].length.ticks();
    ioi[i] = static_cast<double>(std::max<std::int64_t>(t, 1));
  }
  for (std::size_t i = 1; i < n.size(); ++i) {
    out.push_back(Step{n[i].pitch - n[i - 1].pitch, std::log2(ioi[i] / ioi[i - 1])});
  }
  return out;
}

int sign(int v) {
  return (v > 0) - (v < 0);
}

// Similarity of two steps, 0..1: exact interval, interval size, contour and rhythm.
double step_similarity(const Step& a, const Step& b) {
  const int d = std::abs(a.interval - b.interval);
  const double exact = std::max(0.0, 1.0 - d / 3.0);  // a semitone off (diatonic moves) keeps 2/3
  const double size =
      std::max(0.0, 1.0 - std::abs(std::abs(a.interval) - std::abs(b.interval)) / 3.0);
  const double contour = sign(a.interval) == sign(b.interval) ? 1.0 : 0.0;
  const double rhythm = std::max(0.0, 1.0 - std::abs(a.rhythm - b.rhythm));
  return 0.35 * exact + 0.15 * size + 0.15 * contour + 0.35 * rhythm;
}

// Global alignment of two step sequences: a substitution scores its similarity shifted down by
// kBaseline (so that a poor match costs), a gap costs kGap. Normalised by the longer sequence,
// clamped to 0..1.
constexpr double kBaseline = 0.35;
constexpr double kGap = 0.3;

double align(const std::vector<Step>& a, const std::vector<Step>& b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<double> prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j)
    prev[j] = -kGap * static_cast<double>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = -kGap * static_cast<double>(i);
    for (std::size_t j = 1; j <= m; ++j) {
      const double sub =
          prev[j - 1] + (step_similarity(a[i - 1], b[j - 1]) - kBaseline) / (1.0 - kBaseline);
      cur[j] = std::max({sub, prev[j] - kGap, cur[j - 1] - kGap});
    }
    std::swap(prev, cur);
  }
  const double best = prev[m];
  return std::clamp(best / static_cast<double>(std::max(n, m)), 0.0, 1.0);
}

// A fragment: the candidate aligned against the best stretch of the theme (the theme's steps
// before and after it cost nothing), normalised by the candidate and scaled by the square root
// of the share of the theme it covers, so that a head motif of half the theme keeps about 0.7
// of its match and a two-note scrap little.
double align_fragment(const std::vector<Step>& a, const std::vector<Step>& b) {
  if (a.empty() || b.empty() || b.size() >= a.size()) return 0.0;
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<double> prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j)
    prev[j] = -kGap * static_cast<double>(j);
  double best = prev[m];
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = 0.0;  // the theme's opening steps may be skipped
    for (std::size_t j = 1; j <= m; ++j) {
      const double sub =
          prev[j - 1] + (step_similarity(a[i - 1], b[j - 1]) - kBaseline) / (1.0 - kBaseline);
      cur[j] = std::max({sub, prev[j] - kGap, cur[j - 1] - kGap});
    }
    std::swap(prev, cur);
    best = std::max(best, prev[m]);  // and so may its closing steps
  }
  const double coverage = std::sqrt(static_cast<double>(m) / static_cast<double>(n));
  return std::clamp(best / static_cast<double>(m), 0.0, 1.0) * coverage;
}

std::vector<Step> inverted(std::vector<Step> s) {
  for (auto& x : s)
    x.interval = -x.interval;
  return s;
}
std::vector<Step> reversed(std::vector<Step> s) {
  // The retrograde's steps: the same steps read backwards, each interval and ratio negated.
  std::reverse(s.begin(), s.end());
  for (auto& x : s) {
    x.interval = -x.interval;
    x.rhythm = -x.rhythm;
  }
  return s;
}

// A listener recognises an inversion or a retrograde less readily than the theme itself
// (Dowling 1972): those readings count at these fractions.
constexpr double kInversionWeight = 0.6;
constexpr double kRetrogradeWeight = 0.5;
constexpr double kRetrogradeInversionWeight = 0.4;

}  // namespace

double recognisability(const Melody& theme, const Melody& candidate) {
  if (theme.notes.empty() || candidate.notes.empty()) return 0.0;
  const auto a = steps_of(theme);
  const auto b = steps_of(candidate);
  const double direct = std::max(align(a, b), align_fragment(a, b));
  if (direct >= 1.0) return 1.0;
  const double inv = kInversionWeight * align(inverted(a), b);
  const double retro = kRetrogradeWeight * align(reversed(a), b);
  const double ri = kRetrogradeInversionWeight * align(inverted(reversed(a)), b);
  return std::max({direct, inv, retro, ri});
}

ThemeMatch find_theme(const Melody& theme, const Melody& line) {
  ThemeMatch best;
  const std::size_t n = theme.notes.size();
  const std::size_t total = line.notes.size();
  if (n == 0 || total == 0) return best;
  // Windows of half the theme to twice it; a line shorter than half the theme is one window (a
  // fragment at most: recognisability scores it as one).
  const std::size_t hi = std::min(total, 2 * n);
  const std::size_t lo = std::min(std::max<std::size_t>(1, n / 2), hi);
  bool found = false;
  for (std::size_t first = 0; first < total; ++first) {
    for (std::size_t count = lo; count <= hi && first + count <= total; ++count) {
      Melody window;
      window.notes.assign(line.notes.begin() + static_cast<std::ptrdiff_t>(first),
                          line.notes.begin() + static_cast<std::ptrdiff_t>(first + count));
      const double score = recognisability(theme, window);
      const auto count_gap = [&](std::size_t c) { return c > n ? c - n : n - c; };
      if (!found || score > best.score + 1e-12 ||
          (std::abs(score - best.score) <= 1e-12 && count_gap(count) < count_gap(best.count) &&
           first == best.first)) {
        found = true;
        best.first = first;
        best.count = count;
        best.score = score;
      }
    }
  }
  const auto& f = line.notes[best.first];
  const auto& l = line.notes[best.first + best.count - 1];
  best.start = f.start;
  best.length = (l.start + l.length) - f.start;
  return best;
}

}  // namespace duet::music
