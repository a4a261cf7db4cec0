#include "music/theme_transform.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>

#include "base/text.h"

namespace duet::music {

using base::ErrorKind;
using base::make_error;
using time::BeatDur;
using time::BeatPos;
using time::Rational;

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::string signed_text(std::int64_t v) {
  return (v >= 0 ? "+" : "") + std::to_string(v);
}
std::string signed_text(const Rational& r) {
  return (r.num() >= 0 ? "+" : "") + r.to_string();
}

// Where a pitch sits in a key: scale index (7 per octave, 0 = the tonic in MIDI octave -1) and
// alteration in semitones against the scale note.
struct ScalePosition {
  std::int64_t index = 0;
  int alteration = 0;
};

std::array<int, 7> scale_offsets(const Key& key) {
  std::array<int, 7> out{};
  const auto notes = scale(key);
  const int tonic = key.tonic.pitch_class();
  for (std::size_t i = 0; i < 7; ++i)
    out[i] = wrap_pitch_class(notes[i].pitch_class() - tonic);
  return out;
}

ScalePosition position_in(const Key& key, int pitch) {
  const ScaleDegree degree = scale_degree(key, wrap_pitch_class(pitch));
  const auto offsets = scale_offsets(key);
  const int base = offsets[static_cast<std::size_t>(degree.degree - 1)] + degree.alteration;
  const std::int64_t octave = floor_div(pitch - key.tonic.pitch_class() - base, 12);
  return {octave * 7 + (degree.degree - 1), degree.alteration};
}

// The pitch at a scale position of a scale with these offsets whose tonic (index 0) is MIDI
// `tonic`.
std::int64_t pitch_at(int tonic, const std::array<int, 7>& offsets, const ScalePosition& p) {
  const std::int64_t octave = floor_div(p.index, 7);
  const auto degree = static_cast<std::size_t>(p.index - octave * 7);
  return tonic + octave * 12 + offsets[degree] + p.alteration;
}

base::Result<int> checked_pitch(std::int64_t pitch, std::size_t note) {
  if (pitch < 0 || pitch > 127) {
    return make_error(ErrorKind::out_of_range, "note ", note + 1, " would be MIDI ", pitch,
                      ", outside 0..127");
  }
  return static_cast<int>(pitch);
}

// The spelling of a tonic moved by semitones with the fewest accidentals in its signature.
Key moved_key(const Key& key, int semitones) {
  const int pc = wrap_pitch_class(key.tonic.pitch_class() + semitones);
  Key sharp{spell_pitch_class(pc, false), key.mode};
  Key flat{spell_pitch_class(pc, true), key.mode};
  return std::abs(flat.signature()) < std::abs(sharp.signature()) ? flat : sharp;
}

int smallest_shift(int from_pc, int to_pc) {
  const int up = wrap_pitch_class(to_pc - from_pc);  // 0..11
  return up > 5 ? up - 12 : up;                      // -6..5
}

BeatDur wrap_pickup(const Melody& m, std::int64_t pickup) {
  if (!m.meter) return BeatDur(0);
  const std::int64_t bar = m.meter->bar_length().ticks();
  return BeatDur(pickup - floor_div(pickup, bar) * bar);
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
      ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t')
      ++j;
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

base::Result<int> parse_int(std::string_view text, int lo, int hi, std::string_view what) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.size() > 6 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return make_error(ErrorKind::invalid_input, "'", text, "' is not a whole number of ", what);
  }
  int v = 0;
  for (char c : digits)
    v = v * 10 + (c - '0');
  if (negative) v = -v;
  if (v < lo || v > hi) {
    return make_error(ErrorKind::out_of_range, what, " ", v, " is outside ", lo, "..", hi);
  }
  return v;
}

base::Result<Mode> parse_mode(std::string_view text) {
  for (Mode m : {Mode::major, Mode::dorian, Mode::phrygian, Mode::lydian, Mode::mixolydian,
                 Mode::minor, Mode::locrian}) {
    if (text == to_string(m)) return m;
  }
  if (text == "ionian") return Mode::major;
  if (text == "aeolian") return Mode::minor;
  return make_error(ErrorKind::invalid_input, "'", text,
                    "' is not a mode; use major, minor, dorian, phrygian, lydian, mixolydian, "
                    "locrian");
}

}  // namespace

// ---- The single transformations ----

base::Result<Melody> transpose(const Melody& melody, int semitones) {
  Melody out = melody;
  for (std::size_t i = 0; i < out.notes.size(); ++i) {
    auto p = checked_pitch(std::int64_t{out.notes[i].pitch} + semitones, i);
    if (!p) return p.error();
    out.notes[i].pitch = *p;
  }
  return out;
}

base::Result<Melody> transpose_diatonic(const Melody& melody, const Key& key, int steps) {
  Melody out = melody;
  const auto offsets = scale_offsets(key);
  for (std::size_t i = 0; i < out.notes.size(); ++i) {
    ScalePosition pos = position_in(key, out.notes[i].pitch);
    pos.index += steps;
    auto p = checked_pitch(pitch_at(key.tonic.pitch_class(), offsets, pos), i);
    if (!p) return p.error();
    out.notes[i].pitch = *p;
  }
  return out;
}

base::Result<Melody> change_key(const Melody& melody, const Key& from, const Key& to) {
  Melody out = melody;
  const auto offsets = scale_offsets(to);
  const int tonic =
      from.tonic.pitch_class() + smallest_shift(from.tonic.pitch_class(), to.tonic.pitch_class());
  const auto from_offsets = scale_offsets(from);
  for (std::size_t i = 0; i < out.notes.size(); ++i) {
    ScalePosition pos = position_in(from, out.notes[i].pitch);
    // A chromatic note that is the new scale's own degree becomes that degree: minor's raised
    // leading tone is major's leading tone, not a doubly raised one.
    const auto degree = static_cast<std::size_t>(pos.index - floor_div(pos.index, 7) * 7);
    if (pos.alteration != 0 &&
        wrap_pitch_class(from_offsets[degree] + pos.alteration) == offsets[degree]) {
      pos.alteration = 0;
    }
    auto p = checked_pitch(pitch_at(tonic, offsets, pos), i);
    if (!p) return p.error();
    out.notes[i].pitch = *p;
  }
  return out;
}

base::Result<Melody> augment(const Melody& melody, const Rational& ratio) {
  if (ratio < Rational(1, 8) || ratio > Rational(8)) {
    return make_error(ErrorKind::out_of_range, "the augmentation ratio ", ratio.to_string(),
                      " is outside 1/8..8");
  }
  // Repeated augmentation doubles the ticks each time; past this (10,000 whole notes) it would
  // soon overflow them, and no theme is that long.
  constexpr double kWhole = 4 * time::kTicksPerQuarter, kMaxWholes = 10'000;
  const double wholes = static_cast<double>(melody.length.ticks()) * ratio.to_double() / kWhole;
  if (wholes > kMaxWholes) {
    return make_error(ErrorKind::out_of_range, "augmenting x", ratio.to_string(),
                      " would make the melody ", base::fixed(wholes, 0),
                      " whole notes long, over the 10000 a variant may last");
  }
  auto scale_ticks = [&](std::int64_t t) {
    return time::mul_div_round(t, ratio.num(), ratio.den());
  };
  Melody out = melody;
  for (std::size_t i = 0; i < out.notes.size(); ++i) {
    const auto& n = melody.notes[i];
    const std::int64_t start = scale_ticks(n.start.ticks());
    const std::int64_t end = scale_ticks((n.start + n.length).ticks());
    if (end <= start) {
      return make_error(ErrorKind::out_of_range, "note ", i + 1, " (", n.length.ticks(),
                        " ticks) would last no time at x", ratio.to_string());
    }
    out.notes[i].start = BeatPos(start);
    out.notes[i].length = BeatDur(end - start);
  }
  out.length = BeatDur(scale_ticks(melody.length.ticks()));
  out.pickup = wrap_pickup(melody, scale_ticks(melody.pickup.ticks()));
  return out;
}

base::Result<Melody> fragment_notes(const Melody& melody, int count) {
  if (count < 1) {
    return make_error(ErrorKind::out_of_range, "a fragment of ", count,
                      " notes is empty; ask for 1 or more");
  }
  Melody out = melody;
  if (static_cast<std::size_t>(count) < out.notes.size()) {
    out.notes.resize(static_cast<std::size_t>(count));
    const auto& last = out.notes.back();
    out.length = (last.start + last.length) - BeatPos(0);
  }
  return out;
}

base::Result<Melody> fragment_bars(const Melody& melody, int bars) {
  if (!melody.meter) {
    return make_error(ErrorKind::invalid_input,
                      "a fragment by bars needs the melody's meter; give one (\"4/4 C4q ...\") or "
                      "take a number of notes");
  }
  if (bars < 1) {
    return make_error(ErrorKind::out_of_range, "a fragment of ", bars,
                      " bars is empty; ask for 1 or more");
  }
  const BeatPos end = BeatPos(0) + melody.pickup + melody.meter->bar_length() * bars;
  Melody out = melody;
  out.notes.clear();
  for (const auto& n : melody.notes) {
    if (n.start >= end) break;
    MelodyNote kept = n;
    if (kept.start + kept.length > end) kept.length = end - kept.start;
    out.notes.push_back(kept);
  }
  if (out.notes.empty()) {
    return make_error(ErrorKind::invalid_input, "the first ", bars, " bar(s) hold no notes");
  }
  out.length = std::min(melody.length, end - BeatPos(0));
  return out;
}

base::Result<Melody> invert(const Melody& melody, const Key& key) {
  Melody out = melody;
  if (out.notes.empty()) return out;
  const auto offsets = scale_offsets(key);
  const ScalePosition axis = position_in(key, melody.notes.front().pitch);
  for (std::size_t i = 0; i < out.notes.size(); ++i) {
    const ScalePosition pos = position_in(key, out.notes[i].pitch);
    const ScalePosition mirrored{2 * axis.index - pos.index, 2 * axis.alteration - pos.alteration};
    auto p = checked_pitch(pitch_at(key.tonic.pitch_class(), offsets, mirrored), i);
    if (!p) return p.error();
    out.notes[i].pitch = *p;
  }
  return out;
}

Melody retrograde(const Melody& melody) {
  Melody out = melody;
  out.notes.clear();
  const std::int64_t total = melody.length.ticks();
  for (auto it = melody.notes.rbegin(); it != melody.notes.rend(); ++it) {
    const std::int64_t end = (it->start + it->length).ticks();
    out.notes.push_back({BeatPos(total - end), it->length, it->pitch});
  }
  out.pickup = wrap_pickup(melody, total - melody.pickup.ticks());
  return out;
}

base::Result<Melody> displace(const Melody& melody, const Rational& quarters) {
  if (quarters < Rational(-64) || quarters > Rational(64)) {
    return make_error(ErrorKind::out_of_range, "a displacement of ", quarters.to_string(),
                      " quarter notes is outside -64..64");
  }
  const std::int64_t by =
      time::mul_div_round(quarters.num(), time::kTicksPerQuarter, quarters.den());
  Melody out = melody;
  for (std::size_t i = 0; i < out.notes.size(); ++i) {
    out.notes[i].start += BeatDur(by);
    if (out.notes[i].start.ticks() < 0) {
      return make_error(ErrorKind::out_of_range, "displacing by ", quarters.to_string(),
                        " quarter notes would start note ", i + 1, " before the melody's start");
    }
  }
  out.length += BeatDur(by);
  return out;
}

// ---- Steps ----

std::string to_string(const TransformStep& s) {
  switch (s.kind) {
    case StepKind::transpose:
      return "transpose " + signed_text(s.amount);
    case StepKind::transpose_diatonic:
      return "transpose " + signed_text(s.amount) + " diatonic";
    case StepKind::mode:
      return "mode " + std::string(to_string(s.mode));
    case StepKind::key:
      return "key " + (s.key ? to_string(*s.key) : std::string("?"));
    case StepKind::augment:
      return "augment " + s.ratio.to_string();
    case StepKind::fragment_notes:
      return "fragment " + std::to_string(s.amount);
    case StepKind::fragment_bars:
      return "fragment " + std::to_string(s.amount) + (s.amount == 1 ? " bar" : " bars");
    case StepKind::invert:
      return "invert";
    case StepKind::retrograde:
      return "retrograde";
    case StepKind::displace:
      return "displace " + s.ratio.to_string();
    case StepKind::reharmonize:
      return "reharmonize " + s.text;
    case StepKind::reorchestrate:
      return "reorchestrate " + s.text;
  }
  return {};
}

std::string describe(const TransformStep& s) {
  switch (s.kind) {
    case StepKind::transpose:
      return "transposed " + signed_text(s.amount);
    case StepKind::transpose_diatonic:
      return "transposed " + signed_text(s.amount) + " scale steps";
    case StepKind::mode:
      return std::string(to_string(s.mode));
    case StepKind::key:
      return "to " + (s.key ? to_string(*s.key) : std::string("?"));
    case StepKind::augment:
      return (s.ratio < Rational(1) ? "diminished x" : "augmented x") + s.ratio.to_string();
    case StepKind::fragment_notes:
      return "head: first " + std::to_string(s.amount) + (s.amount == 1 ? " note" : " notes");
    case StepKind::fragment_bars:
      return "head: first " + std::to_string(s.amount) + (s.amount == 1 ? " bar" : " bars");
    case StepKind::invert:
      return "inverted";
    case StepKind::retrograde:
      return "retrograde";
    case StepKind::displace:
      return "displaced " + signed_text(s.ratio) + " quarter";
    case StepKind::reharmonize:
      return "reharmonized " + s.text;
    case StepKind::reorchestrate:
      return "re-orchestrated for " + s.text;
  }
  return {};
}

std::string to_string(const std::vector<TransformStep>& steps) {
  std::string out;
  for (const auto& s : steps) {
    if (!out.empty()) out += "; ";
    out += to_string(s);
  }
  return out;
}

base::Result<std::vector<Chord>> parse_harmony(std::string_view text) {
  std::vector<Chord> out;
  std::size_t number = 0;
  for (std::string_view w : words(text)) {
    if (w == "|") continue;
    ++number;
    auto chord = parse_chord_symbol(w, ChordNotation::lead_sheet);
    if (!chord) {
      return make_error(chord.error().kind, "chord ", number, " '", w,
                        "': ", chord.error().message);
    }
    out.push_back(*chord);
  }
  if (out.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "the harmony has no chords; write chord symbols such as 'Dm Bb F C'");
  }
  return out;
}

base::Result<TransformStep> parse_step(std::string_view text) {
  const auto w = words(text);
  if (w.empty()) return make_error(ErrorKind::invalid_input, "the step is empty");
  const std::string_view op = w[0];
  TransformStep s;
  auto expect_args = [&](std::size_t lo, std::size_t hi) -> base::Result<void> {
    if (w.size() - 1 < lo || w.size() - 1 > hi) {
      return make_error(ErrorKind::invalid_input, "'", trim(text), "' has ", w.size() - 1,
                        " value(s) after '", op, "'; see docs/themes.md for the step forms");
    }
    return {};
  };
  const std::string_view rest = trim(text.substr(text.find(op) + op.size()));
  if (op == "transpose") {
    if (auto ok = expect_args(1, 2); !ok) return ok.error();
    if (w.size() == 3 && w[2] != "diatonic") {
      return make_error(ErrorKind::invalid_input, "'", w[2],
                        "' after the amount: only 'diatonic' may follow");
    }
    const bool diatonic = w.size() == 3;
    auto v =
        diatonic ? parse_int(w[1], -28, 28, "scale steps") : parse_int(w[1], -48, 48, "semitones");
    if (!v) return v.error();
    s.kind = diatonic ? StepKind::transpose_diatonic : StepKind::transpose;
    s.amount = *v;
  } else if (op == "mode") {
    if (auto ok = expect_args(1, 1); !ok) return ok.error();
    auto m = parse_mode(w[1]);
    if (!m) return m.error();
    s.kind = StepKind::mode;
    s.mode = *m;
  } else if (op == "key") {
    if (auto ok = expect_args(1, 2); !ok) return ok.error();
    auto k = parse_key(rest);
    if (!k) return k.error();
    s.kind = StepKind::key;
    s.key = *k;
  } else if (op == "augment" || op == "displace") {
    if (auto ok = expect_args(1, 1); !ok) return ok.error();
    auto r = Rational::parse(w[1]);
    if (!r) return r.error();
    s.kind = op == "augment" ? StepKind::augment : StepKind::displace;
    s.ratio = *r;
    // The step prints the ratio as a reduced fraction, whose parts the reader takes up to 12
    // digits: a decimal over a decimal can reduce to longer ones, which would not read back.
    constexpr std::int64_t kMaxPart = 999'999'999'999;
    if (s.ratio.num() > kMaxPart || s.ratio.num() < -kMaxPart || s.ratio.den() > kMaxPart) {
      return make_error(ErrorKind::out_of_range, "'", w[1], "' reduces to ", s.ratio.to_string(),
                        ", too precise to write back; use a fraction such as 3/2 or a decimal "
                        "such as 1.5");
    }
    if (s.kind == StepKind::augment && (s.ratio < Rational(1, 8) || s.ratio > Rational(8))) {
      return make_error(ErrorKind::out_of_range, "the augmentation ratio ", s.ratio.to_string(),
                        " is outside 1/8..8");
    }
    if (s.kind == StepKind::displace && (s.ratio < Rational(-64) || s.ratio > Rational(64))) {
      return make_error(ErrorKind::out_of_range, "a displacement of ", s.ratio.to_string(),
                        " quarter notes is outside -64..64");
    }
  } else if (op == "fragment") {
    if (auto ok = expect_args(1, 2); !ok) return ok.error();
    auto v = parse_int(w[1], 1, 10000, "notes or bars");
    if (!v) return v.error();
    if (w.size() == 3 && w[2] != "bar" && w[2] != "bars") {
      return make_error(ErrorKind::invalid_input, "'", w[2],
                        "' after the count: write 'fragment 4' (notes) or 'fragment 1 bar'");
    }
    s.kind = w.size() == 3 ? StepKind::fragment_bars : StepKind::fragment_notes;
    s.amount = *v;
  } else if (op == "invert" || op == "retrograde") {
    if (auto ok = expect_args(0, 0); !ok) return ok.error();
    s.kind = op == "invert" ? StepKind::invert : StepKind::retrograde;
  } else if (op == "reharmonize") {
    auto chords = parse_harmony(rest);
    if (!chords) return chords.error();
    s.kind = StepKind::reharmonize;
    s.text = std::string(rest);
  } else if (op == "reorchestrate") {
    if (rest.empty()) {
      return make_error(ErrorKind::invalid_input, "'reorchestrate' needs an instrument name");
    }
    s.kind = StepKind::reorchestrate;
    s.text = std::string(rest);
  } else {
    return make_error(ErrorKind::invalid_input, "'", op,
                      "' is not a step; use transpose, mode, key, augment, fragment, invert, "
                      "retrograde, displace, reharmonize or reorchestrate");
  }
  return s;
}

base::Result<std::vector<TransformStep>> parse_steps(std::string_view text) {
  std::vector<TransformStep> out;
  std::size_t number = 0;
  while (true) {
    const std::size_t semi = text.find(';');
    const std::string_view part = trim(text.substr(0, semi));
    ++number;
    if (!part.empty()) {
      auto step = parse_step(part);
      if (!step) return step.error().with_context(base::cat("step ", number));
      out.push_back(*step);
    }
    if (semi == std::string_view::npos) break;
    text.remove_prefix(semi + 1);
  }
  return out;
}

std::string Variant::derivation() const {
  std::string out;
  for (const auto& s : steps) {
    if (!out.empty()) out += "; ";
    out += describe(s);
  }
  return out;
}

base::Result<Variant> apply_steps(const Melody& theme, const Key& key,
                                  const std::vector<TransformStep>& steps) {
  Variant v{theme, key, {}, std::nullopt, std::nullopt};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const TransformStep& s = steps[i];
    base::Result<Melody> next = v.melody;
    switch (s.kind) {
      case StepKind::transpose:
        next = transpose(v.melody, s.amount);
        if (next) v.key = moved_key(v.key, s.amount);
        break;
      case StepKind::transpose_diatonic:
        next = transpose_diatonic(v.melody, v.key, s.amount);
        break;
      case StepKind::mode: {
        const Key to{v.key.tonic, s.mode};
        next = change_key(v.melody, v.key, to);
        if (next) v.key = to;
        break;
      }
      case StepKind::key:
        if (!s.key) {
          next = make_error(ErrorKind::invalid_input, "the key step has no key");
          break;
        }
        next = change_key(v.melody, v.key, *s.key);
        if (next) v.key = *s.key;
        break;
      case StepKind::augment:
        next = augment(v.melody, s.ratio);
        break;
      case StepKind::fragment_notes:
        next = fragment_notes(v.melody, s.amount);
        break;
      case StepKind::fragment_bars:
        next = fragment_bars(v.melody, s.amount);
        break;
      case StepKind::invert:
        next = invert(v.melody, v.key);
        break;
      case StepKind::retrograde:
        next = retrograde(v.melody);
        break;
      case StepKind::displace:
        next = displace(v.melody, s.ratio);
        break;
      case StepKind::reharmonize: {
        auto chords = parse_harmony(s.text);
        if (!chords) {
          next = chords.error();
          break;
        }
        v.harmony = s.text;
        break;
      }
      case StepKind::reorchestrate:
        if (trim(s.text).empty()) {
          next = make_error(ErrorKind::invalid_input, "'reorchestrate' needs an instrument name");
          break;
        }
        v.instrument = s.text;
        break;
    }
    if (!next) {
      return next.error().with_context(base::cat("step ", i + 1, " (", to_string(s), ")"));
    }
    v.melody = std::move(*next);
    v.steps.push_back(s);
  }
  return v;
}

}  // namespace duet::music
