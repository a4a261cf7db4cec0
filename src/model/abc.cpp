#include "model/abc.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <numeric>
#include <utility>

#include "base/file.h"

namespace duet::model {
namespace {

using base::ErrorKind;

// A length or a time in whole notes, exact. Numerators and denominators stay small in real
// tunes; an operation that would overflow fails (hostile input), it never wraps.
struct Frac {
  std::int64_t num = 0;
  std::int64_t den = 1;
};

constexpr std::int64_t kMaxDen = std::int64_t{1} << 40;

bool normalise(Frac& f) {
  if (f.den == 0) return false;
  std::int64_t g = std::gcd(f.num, f.den);
  if (g > 1) {
    f.num /= g;
    f.den /= g;
  }
  return f.den <= kMaxDen && f.num < kMaxDen * 1024 && f.num > -kMaxDen * 1024;
}

bool mul(const Frac& a, const Frac& b, Frac& out) {
  Frac r;
  if (__builtin_mul_overflow(a.num, b.num, &r.num)) return false;
  if (__builtin_mul_overflow(a.den, b.den, &r.den)) return false;
  out = r;
  return normalise(out);
}

bool add(const Frac& a, const Frac& b, Frac& out) {
  std::int64_t g = std::gcd(a.den, b.den);
  std::int64_t bd = b.den / g;
  Frac r;
  std::int64_t x = 0, y = 0;
  if (__builtin_mul_overflow(a.num, bd, &x)) return false;
  if (__builtin_mul_overflow(b.num, a.den / g, &y)) return false;
  if (__builtin_add_overflow(x, y, &r.num)) return false;
  if (__builtin_mul_overflow(a.den, bd, &r.den)) return false;
  out = r;
  return normalise(out);
}

bool less(const Frac& a, const Frac& b) {
  // Both are normalised and bounded by 2^50, so the cross products fit in 128 bits of doubles;
  // compare with long double to stay exact enough for bounded values.
  return static_cast<long double>(a.num) * static_cast<long double>(b.den) <
         static_cast<long double>(b.num) * static_cast<long double>(a.den);
}

// Beat ticks of a time in whole notes, rounded to the nearest tick (exact for every length
// down to a 64th-note triplet).
std::int64_t ticks_of(const Frac& f) {
  const std::int64_t whole = 4 * time::kTicksPerQuarter;
  long double t = static_cast<long double>(f.num) * whole / static_cast<long double>(f.den);
  return static_cast<std::int64_t>(t < 0 ? t - 0.5L : t + 0.5L);
}

struct Meter {
  MeterContext context;
  bool free = false;  // M:none
};

Frac bar_length(const Meter& m) {
  return Frac{m.context.numerator, m.context.denominator};
}

// Sharps (positive) or flats (negative) of the major key on each tonic, by pitch class of the
// letter plus its accidental; indexes 0..11 with the conventional spelling.
int major_sharps(char letter, int accidental) {
  // Circle-of-fifths position of the natural letters: F -1, C 0, G 1, D 2, A 3, E 4, B 5.
  int base = 0;
  switch (letter) {
    case 'F':
      base = -1;
      break;
    case 'C':
      base = 0;
      break;
    case 'G':
      base = 1;
      break;
    case 'D':
      base = 2;
      break;
    case 'A':
      base = 3;
      break;
    case 'E':
      base = 4;
      break;
    case 'B':
      base = 5;
      break;
    default:
      break;
  }
  return base + 7 * accidental;
}

int letter_pc(char upper) {
  switch (upper) {
    case 'C':
      return 0;
    case 'D':
      return 2;
    case 'E':
      return 4;
    case 'F':
      return 5;
    case 'G':
      return 7;
    case 'A':
      return 9;
    case 'B':
      return 11;
    default:
      return 0;
  }
}

// Key signature: the alteration (-2..2 semitones) of each letter A..G (index letter - 'A').
using Signature = std::array<int, 7>;

Signature signature_of_sharps(int sharps) {
  Signature s{};
  static constexpr char kSharpOrder[] = "FCGDAEB";
  static constexpr char kFlatOrder[] = "BEADGCF";
  for (int i = 0; i < std::min(std::abs(sharps), 7); ++i) {
    if (sharps > 0)
      s[static_cast<std::size_t>(kSharpOrder[i] - 'A')] = 1;
    else
      s[static_cast<std::size_t>(kFlatOrder[i] - 'A')] = -1;
  }
  return s;
}

struct Key {
  Signature signature{};
  std::optional<KeyContext> context;
};

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    --e;
  return std::string(s.substr(b, e - b));
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

// Where a message points: "line 12, column 5".
std::string where(int line, int column) {
  return column > 0 ? base::cat("line ", line, ", column ", column) : base::cat("line ", line);
}

struct ParseError {
  int line = 0, column = 0;
  std::string message;
};

// K: field value -> key. Accepts tonic + optional accidental + optional mode (any case, first
// three letters significant), "none"/empty, "HP"/"Hp" (bagpipe: no signature), then optional
// explicit accidentals (^f _b =c) and clef/other key=value words, which are ignored.
std::optional<Key> parse_key(std::string_view text, std::string* problem) {
  std::string t = trim(text);
  if (auto pct = t.find('%'); pct != std::string::npos) t = trim(t.substr(0, pct));
  Key key;
  std::size_t i = 0;
  std::string low = lower(t);
  if (t.empty() || low.rfind("none", 0) == 0 || t.rfind("HP", 0) == 0 || t.rfind("Hp", 0) == 0) {
    i = t.empty() ? 0 : (low.rfind("none", 0) == 0 ? 4 : 2);
  } else if (t[0] >= 'A' && t[0] <= 'G') {
    char letter = t[0];
    i = 1;
    int accidental = 0;
    if (i < t.size() && (t[i] == '#' || t[i] == 'b')) {
      accidental = t[i] == '#' ? 1 : -1;
      ++i;
    }
    while (i < t.size() && t[i] == ' ')
      ++i;
    std::size_t m = i;
    while (m < t.size() && std::isalpha(static_cast<unsigned char>(t[m])))
      ++m;
    std::string mode = lower(std::string_view(t).substr(i, m - i));
    int offset = 0;
    bool minor = false;
    std::string m3 = mode.substr(0, std::min<std::size_t>(3, mode.size()));
    if (mode.empty() || m3 == "maj" || m3 == "ion") {
      offset = 0;
    } else if (mode == "m" || m3 == "min" || m3 == "aeo") {
      offset = -3;
      minor = true;
    } else if (m3 == "mix") {
      offset = -1;
    } else if (m3 == "dor") {
      offset = -2;
      minor = true;
    } else if (m3 == "phr") {
      offset = -4;
      minor = true;
    } else if (m3 == "lyd") {
      offset = 1;
    } else if (m3 == "loc") {
      offset = -5;
      minor = true;
    } else if (m3 == "exp") {
      offset = 0;
    } else {
      // Not a mode: a clef or other word follows the tonic ("K:G clef=treble", "K:D exp").
      m = i;
      if (mode.find('=') == std::string::npos && !mode.empty() &&
          t.find('=', i) == std::string::npos) {
        *problem = base::cat("unknown mode \"", mode,
                             "\" in the K: field (use maj, m, dor, mix, "
                             "phr, lyd, loc or aeo)");
        return std::nullopt;
      }
    }
    i = m;
    int sharps = major_sharps(letter, accidental) + offset;
    if (m3 != "exp") key.signature = signature_of_sharps(sharps);
    int pc = ((letter_pc(letter) + accidental) % 12 + 12) % 12;
    key.context = KeyContext{pc, minor};
  } else {
    *problem = base::cat("the K: field \"", t, "\" does not start with a tonic A-G or \"none\"");
    return std::nullopt;
  }
  // Explicit accidentals, words such as clef=treble are skipped.
  while (i < t.size()) {
    while (i < t.size() && t[i] == ' ')
      ++i;
    if (i >= t.size()) break;
    int alt = 0;
    bool explicit_accidental = false;
    if (t[i] == '^' || t[i] == '_' || t[i] == '=') {
      explicit_accidental = true;
      char c = t[i];
      int count = 0;
      while (i < t.size() && t[i] == c && count < 2) {
        ++i;
        ++count;
      }
      alt = c == '^' ? count : (c == '_' ? -count : 0);
    }
    if (explicit_accidental && i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) {
      char up = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i])));
      if (up >= 'A' && up <= 'G') key.signature[static_cast<std::size_t>(up - 'A')] = alt;
      ++i;
    } else {
      while (i < t.size() && t[i] != ' ')
        ++i;  // a clef= or other word
    }
  }
  return key;
}

// M: value -> meter. "C" 4/4, "C|" 2/2, "none" free, "2+3/8" sums the numerator.
std::optional<Meter> parse_meter(std::string_view text, std::string* problem) {
  std::string t = trim(text);
  if (auto pct = t.find('%'); pct != std::string::npos) t = trim(t.substr(0, pct));
  Meter m;
  if (t == "C") return Meter{{4, 4}, false};
  if (t == "C|") return Meter{{2, 2}, false};
  if (t.empty() || lower(t) == "none") return Meter{{4, 4}, true};
  auto slash = t.find('/');
  if (slash == std::string::npos) {
    *problem = base::cat("the M: field \"", t, "\" is not a meter such as 6/8, C or C|");
    return std::nullopt;
  }
  std::string numerator = trim(std::string_view(t).substr(0, slash));
  std::string denominator = trim(std::string_view(t).substr(slash + 1));
  if (numerator.size() >= 2 && numerator.front() == '(' && numerator.back() == ')') {
    numerator = numerator.substr(1, numerator.size() - 2);
  }
  int sum = 0;
  int current = 0;
  bool digits = false;
  for (char c : numerator) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      current = current * 10 + (c - '0');
      digits = true;
      if (current > 64) break;
    } else if (c == '+' || c == ' ') {
      sum += current;
      current = 0;
    } else {
      digits = false;
      break;
    }
  }
  sum += current;
  int den = 0;
  bool den_ok = !denominator.empty() && denominator.size() <= 3;
  for (char c : den_ok ? denominator : std::string()) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      den_ok = false;
    else
      den = den * 10 + (c - '0');
  }
  if (!digits || sum <= 0 || sum > 64 || !den_ok ||
      (den != 1 && den != 2 && den != 4 && den != 8 && den != 16 && den != 32 && den != 64)) {
    *problem = base::cat("the M: field \"", t,
                         "\" is not a meter such as 6/8 (numerator 1..64, denominator a power of "
                         "two up to 64)");
    return std::nullopt;
  }
  m.context = {sum, den};
  return m;
}

// L: value -> unit note length, "1/8" (or "1" for a whole note).
std::optional<Frac> parse_unit(std::string_view text, std::string* problem) {
  std::string t = trim(text);
  if (auto pct = t.find('%'); pct != std::string::npos) t = trim(t.substr(0, pct));
  std::int64_t a = 0, b = 1;
  auto slash = t.find('/');
  std::string as = slash == std::string::npos ? t : t.substr(0, slash);
  std::string bs = slash == std::string::npos ? "1" : t.substr(slash + 1);
  bool ok = !as.empty() && !bs.empty() && as.size() <= 4 && bs.size() <= 4;
  for (char c : as)
    ok = ok && std::isdigit(static_cast<unsigned char>(c));
  for (char c : bs)
    ok = ok && std::isdigit(static_cast<unsigned char>(c));
  if (ok) {
    a = std::stoll(as);
    b = std::stoll(bs);
  }
  if (!ok || a == 0 || b == 0) {
    *problem = base::cat("the L: field \"", t, "\" is not a unit note length such as 1/8");
    return std::nullopt;
  }
  Frac f{a, b};
  normalise(f);
  return f;
}

// Play order ("AABB", "A2B", "(AB)3C", with '.' and spaces as separators) -> part labels.
std::string expand_order(std::string_view order, int depth = 0) {
  std::string out;
  std::size_t i = 0;
  while (i < order.size() && out.size() < 4096) {
    char c = order[i];
    std::string item;
    if (c == '(' && depth < 8) {
      int level = 1;
      std::size_t j = i + 1;
      while (j < order.size() && level > 0) {
        if (order[j] == '(') ++level;
        if (order[j] == ')') --level;
        ++j;
      }
      item = expand_order(order.substr(i + 1, (level == 0 ? j - 1 : j) - i - 1), depth + 1);
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      item = std::string(1, c);
      ++i;
    } else {
      ++i;
      continue;
    }
    int times = 0;
    while (i < order.size() && std::isdigit(static_cast<unsigned char>(order[i]))) {
      times = std::min(times * 10 + (order[i] - '0'), 99);
      ++i;
    }
    if (times == 0) times = 1;
    for (int k = 0; k < times && out.size() < 4096; ++k)
      out += item;
  }
  return out;
}

// ---- The written tune: a list of elements in written order, split into parts ----

enum class ElemKind { note, rest, bar, chord_symbol, meter };

struct Elem {
  ElemKind kind = ElemKind::note;
  int pitch = 0;     // note: the top note of a chord
  Frac length;       // note and rest, in whole notes
  bool tie = false;  // note: tied to the next note of the same pitch
  std::optional<KeyContext> key;
  // bar: repeat marks and endings
  bool repeat_end = false, repeat_start = false, section_end = false;
  std::vector<int> endings;  // a bar line that opens an ending ("|1", ":|[2", "[1,3")
  Meter meter;               // meter element: the new meter; note: the meter in force
  std::string text;          // chord symbol
  int line = 0, column = 0;
};

struct Part {
  std::string label;
  std::vector<Elem> elems;
};

struct WrittenTune {
  std::vector<Part> parts;  // parts[0] is the unlabelled material before the first P:
  std::string order;        // expanded play order, empty: written order
};

class TuneParser {
 public:
  TuneParser(AbcTune& tune, std::string_view source) : tune_(tune), source_(source) {}

  std::optional<ParseError> header_field(char field, std::string_view value, int line);
  std::optional<ParseError> body_line(std::string_view text, int line);
  void finish_header(int line);
  bool in_body() const { return in_body_; }
  WrittenTune& written() { return written_; }
  std::optional<ParseError> end_of_tune(int line);

 private:
  std::optional<ParseError> body_field(char field, std::string_view value, int line, int column);
  std::optional<ParseError> note_length(std::string_view text, std::size_t& i, int line,
                                        Frac& length);
  void push(Elem e);
  void reset_bar_accidentals() { bar_accidentals_.clear(); }
  Frac apply_modifiers(Frac length, int line, int column, std::optional<ParseError>& error);

  AbcTune& tune_;
  std::string_view source_;
  WrittenTune written_{{Part{}}, {}};
  bool in_body_ = false;
  std::optional<Meter> header_meter_;
  std::optional<Frac> unit_;
  Meter meter_;
  Key key_;
  bool seen_key_ = false;
  bool seen_title_ = false;
  bool seen_meter_ = false;
  std::string order_text_;
  std::map<std::pair<int, int>, int> bar_accidentals_;  // (letter index, octave) -> alteration
  // Tuplet state: factor applied to the next `tuplet_left_` notes.
  Frac tuplet_factor_{1, 1};
  int tuplet_left_ = 0;
  // Broken rhythm: factor for the next note.
  Frac broken_next_{1, 1};
  bool in_grace_ = false;
  std::string first_voice_;
  bool skipping_voice_ = false;
  bool warned_voice_ = false;
};

void TuneParser::push(Elem e) {
  written_.parts.back().elems.push_back(std::move(e));
}

std::optional<ParseError> TuneParser::header_field(char field, std::string_view value, int line) {
  std::string problem;
  switch (field) {
    case 'T':
      if (!seen_title_) {
        tune_.title = trim(value);
        seen_title_ = true;
      }
      break;
    case 'M': {
      auto m = parse_meter(value, &problem);
      if (!m) return ParseError{line, 0, problem};
      meter_ = *m;
      header_meter_ = *m;
      if (!seen_meter_) tune_.meter = m->context;
      seen_meter_ = true;
      break;
    }
    case 'L': {
      auto u = parse_unit(value, &problem);
      if (!u) return ParseError{line, 0, problem};
      unit_ = *u;
      break;
    }
    case 'P':
    case 'Y':  // Nottingham's cleaned files write the play order in Y: (P: names a part there)
      order_text_ = trim(value);
      break;
    case 'K': {
      auto k = parse_key(value, &problem);
      if (!k) return ParseError{line, 0, problem};
      key_ = *k;
      tune_.key_text = trim(value);
      tune_.key = k->context;
      seen_key_ = true;
      finish_header(line);
      break;
    }
    default:
      break;  // S, N, R, Z, Q, C, O, H, B, D, F, G, I, W, w...: information only
  }
  return std::nullopt;
}

void TuneParser::finish_header(int line) {
  if (in_body_) return;
  in_body_ = true;
  if (!seen_key_) {
    tune_.warnings.push_back({base::cat(source_, ": ", where(line, 0), ": tune X:", tune_.number,
                                        " has no K: field before its music; C major assumed")});
  }
  if (!unit_) {
    // ABC 2.1: without L:, the unit is 1/16 when the header meter is below 3/4, else 1/8.
    Frac unit{1, 8};
    if (header_meter_ && !header_meter_->free &&
        4 * header_meter_->context.numerator < 3 * header_meter_->context.denominator) {
      unit = {1, 16};
    }
    unit_ = unit;
  }
  written_.order = expand_order(order_text_);
  Elem m;
  m.kind = ElemKind::meter;
  m.meter = meter_;
  m.line = line;
  push(m);
}

std::optional<ParseError> TuneParser::body_field(char field, std::string_view value, int line,
                                                 int column) {
  std::string problem;
  switch (field) {
    case 'M': {
      auto m = parse_meter(value, &problem);
      if (!m) return ParseError{line, column, problem};
      meter_ = *m;
      Elem e;
      e.kind = ElemKind::meter;
      e.meter = *m;
      e.line = line;
      e.column = column;
      push(e);
      break;
    }
    case 'L': {
      auto u = parse_unit(value, &problem);
      if (!u) return ParseError{line, column, problem};
      unit_ = *u;
      break;
    }
    case 'K': {
      auto k = parse_key(value, &problem);
      if (!k) return ParseError{line, column, problem};
      key_ = *k;
      bar_accidentals_.clear();
      break;
    }
    case 'P': {
      std::string label = trim(value);
      Part part;
      part.label = label;
      written_.parts.push_back(std::move(part));
      // A part starts where the meter in force is; repeat it so the part is self-contained.
      Elem m;
      m.kind = ElemKind::meter;
      m.meter = meter_;
      m.line = line;
      push(m);
      break;
    }
    case 'V': {
      std::string id = trim(value);
      if (auto sp = id.find(' '); sp != std::string::npos) id = id.substr(0, sp);
      if (first_voice_.empty()) first_voice_ = id;
      skipping_voice_ = id != first_voice_;
      if (skipping_voice_ && !warned_voice_) {
        warned_voice_ = true;
        tune_.warnings.push_back(
            {base::cat(source_, ": ", where(line, column), ": tune X:", tune_.number,
                       " has several voices; only voice ", first_voice_, " is read")});
      }
      break;
    }
    default:
      break;  // T, Q, W, w, N, R, S...: no effect on the melody
  }
  return std::nullopt;
}

std::optional<ParseError> TuneParser::note_length(std::string_view text, std::size_t& i, int line,
                                                  Frac& length) {
  std::int64_t num = 0;
  bool has_num = false;
  int column = static_cast<int>(i) + 1;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    num = num * 10 + (text[i] - '0');
    has_num = true;
    ++i;
    if (num > 100000) return ParseError{line, column, "a note length is too large"};
  }
  Frac f{has_num ? num : 1, 1};
  while (i < text.size() && text[i] == '/') {
    ++i;
    std::int64_t d = 0;
    bool has_d = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      d = d * 10 + (text[i] - '0');
      has_d = true;
      ++i;
      if (d > 100000) return ParseError{line, column, "a note length divisor is too large"};
    }
    if (has_d && d == 0) return ParseError{line, column, "a note length divides by 0"};
    if (!mul(f, Frac{1, has_d ? d : 2}, f)) {
      return ParseError{line, column, "a note length is too fine to represent"};
    }
  }
  if (f.num == 0) return ParseError{line, column, "a note length is 0"};
  if (!mul(f, *unit_, length)) return ParseError{line, column, "a note length is too fine"};
  return std::nullopt;
}

Frac TuneParser::apply_modifiers(Frac length, int line, int column,
                                 std::optional<ParseError>& error) {
  Frac r = length;
  bool ok = true;
  if (tuplet_left_ > 0) {
    ok = ok && mul(r, tuplet_factor_, r);
    --tuplet_left_;
  }
  ok = ok && mul(r, broken_next_, r);
  broken_next_ = {1, 1};
  if (!ok) error = ParseError{line, column, "a note length is too fine to represent"};
  return r;
}

std::vector<int> parse_ending_numbers(std::string_view text, std::size_t& i) {
  std::vector<int> numbers;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) break;
    int a = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      a = std::min(a * 10 + (text[i] - '0'), 99);
      ++i;
    }
    int b = a;
    if (i + 1 < text.size() && text[i] == '-' &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      ++i;
      b = 0;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        b = std::min(b * 10 + (text[i] - '0'), 99);
        ++i;
      }
    }
    for (int n = a; n <= b && numbers.size() < 16; ++n)
      numbers.push_back(n);
    if (i + 1 < text.size() && text[i] == ',' &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      ++i;
      continue;
    }
    break;
  }
  return numbers;
}

bool is_field_letter(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

std::optional<ParseError> TuneParser::body_line(std::string_view text, int line) {
  // A field line in the body (M:, K:, L:, P:, V:, T:, w:...).
  if (text.size() >= 2 && is_field_letter(text[0]) && text[1] == ':' && !(text[0] == '|')) {
    return body_field(text[0], text.substr(2), line, 1);
  }
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto col = [&](std::size_t at) { return static_cast<int>(at) + 1; };
  auto error = [&](std::size_t at, std::string message) {
    return ParseError{line, col(at), std::move(message)};
  };
  // The note or chord element that a following '>' or '<' and '-' refer to.
  while (i < n) {
    char c = text[i];
    if (c == '%') break;  // comment to the end of the line
    if (c == '\\') {
      ++i;
      continue;
    }  // line continuation: lines join anyway
    if (std::isspace(static_cast<unsigned char>(c)) || c == '`' || c == 'y' || c == '$' ||
        c == '*') {
      ++i;
      continue;
    }
    if (skipping_voice_) {
      // Another voice's music: only an inline [V:] field can bring us back.
      if (c == '[' && i + 2 < n && text[i + 1] == 'V' && text[i + 2] == ':') {
        std::size_t close = text.find(']', i);
        if (close == std::string_view::npos)
          return error(i, "an inline field [V:... is not closed with ]");
        if (auto e = body_field('V', text.substr(i + 3, close - i - 3), line, col(i))) return e;
        i = close + 1;
        continue;
      }
      ++i;
      continue;
    }
    if (c == '"') {
      std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        return error(i, "a chord symbol or annotation in quotes is not closed on its line");
      }
      std::string body = trim(text.substr(i + 1, close - i - 1));
      i = close + 1;
      // Annotations start with ^ _ < > @ (placed text), not chords.
      if (!body.empty() && std::string_view("^_<>@").find(body[0]) == std::string_view::npos &&
          !in_grace_) {
        Elem e;
        e.kind = ElemKind::chord_symbol;
        e.text = body;
        e.line = line;
        e.column = col(i);
        push(e);
      }
      continue;
    }
    if (c == '!') {
      std::size_t close = text.find('!', i + 1);
      if (close == std::string_view::npos)
        return error(i, "a decoration !... is not closed with !");
      i = close + 1;
      continue;
    }
    if (c == '+') {
      // Old-style decoration +trill+; a lone '+' (as in the Nottingham "[+GB]") is ignored.
      std::size_t j = i + 1;
      while (j < n && std::isalpha(static_cast<unsigned char>(text[j])))
        ++j;
      i = (j < n && text[j] == '+' && j > i + 1) ? j + 1 : i + 1;
      continue;
    }
    if (c == '.' || c == '~' || c == 'H' || c == 'L' || c == 'M' || c == 'O' || c == 'P' ||
        c == 'S' || c == 'T' || c == 'u' || c == 'v' || c == 'R' || c == 'J' || c == 'W') {
      ++i;  // single-character decorations
      continue;
    }
    if (c == '{') {
      // Grace notes take no time and are not part of the melody: skip to the closing brace.
      std::size_t close = text.find('}', i + 1);
      if (close == std::string_view::npos)
        return error(i, "grace notes {... are not closed with }");
      i = close + 1;
      continue;
    }
    if (c == '}') {
      in_grace_ = false;
      ++i;
      continue;
    }
    if (c == '&') return error(i, "voice overlay (&) is not supported");
    if (c == '(') {
      if (i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
        std::size_t j = i + 1;
        std::array<int, 3> pqr{0, 0, 0};
        std::array<bool, 3> given{false, false, false};
        for (int k = 0; k < 3; ++k) {
          if (k > 0) {
            if (j < n && text[j] == ':')
              ++j;
            else
              break;
          }
          while (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) {
            pqr[static_cast<std::size_t>(k)] =
                std::min(pqr[static_cast<std::size_t>(k)] * 10 + (text[j] - '0'), 99);
            given[static_cast<std::size_t>(k)] = true;
            ++j;
          }
        }
        int p = pqr[0];
        if (p < 2) return error(i, "a tuplet (p must have p of at least 2");
        int q = pqr[1];
        if (!given[1] || q == 0) {
          bool compound = meter_.context.numerator % 3 == 0 && meter_.context.numerator > 3;
          switch (p) {
            case 2:
              q = 3;
              break;
            case 3:
              q = 2;
              break;
            case 4:
              q = 3;
              break;
            case 6:
              q = 2;
              break;
            case 8:
              q = 3;
              break;
            default:
              q = compound ? 3 : 2;
              break;
          }
        }
        int r = given[2] && pqr[2] > 0 ? pqr[2] : p;
        tuplet_factor_ = Frac{q, p};
        normalise(tuplet_factor_);
        tuplet_left_ = r;
        i = j;
      } else {
        ++i;  // a slur
      }
      continue;
    }
    if (c == ')') {
      ++i;
      continue;
    }
    if (c == '-') {
      // A tie written apart from its note ("A -A" in the Nottingham files): ties the last note.
      auto& elems = written_.parts.back().elems;
      auto it = std::find_if(elems.rbegin(), elems.rend(),
                             [](const Elem& e) { return e.kind == ElemKind::note; });
      if (it == elems.rend()) return error(i, "a tie (-) with no note before it");
      it->tie = true;
      ++i;
      continue;
    }
    if (c == '>' || c == '<') {
      int count = 0;
      while (i < n && text[i] == c && count < 3) {
        ++i;
        ++count;
      }
      // The previous note or rest gets the long (>) or short (<) share.
      Elem* prev = nullptr;
      for (auto it = written_.parts.back().elems.rbegin(); it != written_.parts.back().elems.rend();
           ++it) {
        if (it->kind == ElemKind::note || it->kind == ElemKind::rest) {
          prev = &*it;
          break;
        }
        if (it->kind == ElemKind::bar) break;
      }
      if (prev == nullptr) return error(i - 1, "broken rhythm (> or <) with no note before it");
      std::int64_t den = std::int64_t{1} << count;  // 2, 4, 8
      Frac longer{2 * den - 1, den};                // 3/2, 7/4, 15/8
      Frac shorter{1, den};                         // 1/2, 1/4, 1/8
      bool ok = mul(prev->length, c == '>' ? longer : shorter, prev->length);
      broken_next_ = c == '>' ? shorter : longer;
      if (!ok) return error(i - 1, "a note length is too fine to represent");
      continue;
    }
    if (c == '[' && i + 2 < n && is_field_letter(text[i + 1]) && text[i + 2] == ':') {
      std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) {
        return error(i, base::cat("an inline field [", text[i + 1], ":... is not closed with ]"));
      }
      if (auto e = body_field(text[i + 1], text.substr(i + 3, close - i - 3), line, col(i)))
        return e;
      i = close + 1;
      continue;
    }
    if (c == '|' || c == ':' ||
        (c == '[' && i + 1 < n &&
         (text[i + 1] == '|' || std::isdigit(static_cast<unsigned char>(text[i + 1]))))) {
      Elem bar;
      bar.kind = ElemKind::bar;
      bar.line = line;
      bar.column = col(i);
      std::string run;
      std::size_t j = i;
      if (c == '[' && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
        // "[1" ending after a bar line written earlier: the bar line was already pushed.
        j = i + 1;
        bar.endings = parse_ending_numbers(text, j);
        // Merge with the bar line just before, when there is one with nothing between.
        auto& elems = written_.parts.back().elems;
        if (!elems.empty() && elems.back().kind == ElemKind::bar && elems.back().endings.empty()) {
          elems.back().endings = bar.endings;
        } else {
          push(bar);
        }
        i = j;
        continue;
      }
      while (j < n && (text[j] == '|' || text[j] == ':' ||
                       (text[j] == '[' && j + 1 < n && text[j + 1] == '|') ||
                       (text[j] == ']' && !run.empty() && run.back() == '|'))) {
        run += text[j];
        ++j;
      }
      if (run.find('|') == std::string::npos && run.size() >= 2 &&
          run.find_first_not_of(':') == std::string::npos) {
        // "::" : end one repeat and start the next.
        bar.repeat_end = bar.repeat_start = true;
      } else if (run.find('|') == std::string::npos) {
        return error(i, "a ':' outside a bar line");
      } else {
        bar.repeat_end = run.front() == ':';
        bar.repeat_start = run.back() == ':';
        bar.section_end = run.find("||") != std::string::npos ||
                          run.find("|]") != std::string::npos ||
                          run.find("[|") != std::string::npos;
      }
      // An ending right after the bar line: "|1", ":|2", "|[1", ":|[2".
      if (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) {
        bar.endings = parse_ending_numbers(text, j);
      } else if (j + 1 < n && text[j] == '[' &&
                 std::isdigit(static_cast<unsigned char>(text[j + 1]))) {
        ++j;
        bar.endings = parse_ending_numbers(text, j);
      }
      push(bar);
      reset_bar_accidentals();
      i = j;
      continue;
    }
    // Notes, chords, rests.
    bool chord = c == '[';
    bool is_rest = c == 'z' || c == 'x' || c == 'Z' || c == 'X';
    bool is_note =
        (c >= 'A' && c <= 'G') || (c >= 'a' && c <= 'g') || c == '^' || c == '_' || c == '=';
    if (!chord && !is_rest && !is_note) {
      return error(i, base::cat("unexpected character '", c, "' in the music"));
    }
    std::size_t start = i;
    if (is_rest) {
      ++i;
      Frac length;
      if (c == 'Z' || c == 'X') {
        std::int64_t bars = 0;
        bool has = false;
        while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) {
          bars = std::min<std::int64_t>(bars * 10 + (text[i] - '0'), 10000);
          has = true;
          ++i;
        }
        if (!has) bars = 1;
        if (bars == 0) return error(start, "a multi-bar rest of 0 bars");
        if (!mul(bar_length(meter_), Frac{bars, 1}, length))
          return error(start, "a rest is too long");
      } else if (auto e = note_length(text, i, line, length)) {
        return e;
      }
      if (in_grace_) continue;
      std::optional<ParseError> err;
      Elem e;
      e.kind = ElemKind::rest;
      e.length = (c == 'Z' || c == 'X') ? length : apply_modifiers(length, line, col(start), err);
      if (err) return err;
      e.line = line;
      e.column = col(start);
      push(e);
      continue;
    }
    // One note, or a chord of notes in brackets: parse the notes, keep the top one.
    if (chord) ++i;
    int top = -1;
    Frac first_length;
    bool first = true;
    bool tie = false;
    while (true) {
      if (chord) {
        while (i < n && (text[i] == ' ' || text[i] == '+' || text[i] == '.' || text[i] == '~' ||
                         text[i] == '(' || text[i] == ')')) {
          ++i;
        }
        if (i < n && text[i] == '!') {
          std::size_t close = text.find('!', i + 1);
          if (close == std::string_view::npos)
            return error(i, "a decoration !... is not closed with !");
          i = close + 1;
          continue;
        }
        if (i < n && text[i] == '"') {
          std::size_t close = text.find('"', i + 1);
          if (close == std::string_view::npos)
            return error(i, "a chord symbol in quotes is not closed on its line");
          i = close + 1;
          continue;
        }
        if (i < n && text[i] == ']') {
          ++i;
          break;
        }
        if (i >= n) return error(start, "a chord [... is not closed with ] on its line");
        char next = text[i];
        bool note_start = (next >= 'A' && next <= 'G') || (next >= 'a' && next <= 'g') ||
                          next == '^' || next == '_' || next == '=';
        if (!note_start && top >= 0) {
          // "[e2c2(3A/2B/2c/2|" (jigs.abc X:153): a chord left open ends where its notes end.
          tune_.warnings.push_back(
              {base::cat(source_, ": ", where(line, col(start)),
                         ": a chord [... is not closed; it ends at column ", col(i))});
          break;
        }
      }
      std::size_t note_start = i;
      int alteration = 0;
      bool explicit_accidental = false;
      if (i < n && (text[i] == '^' || text[i] == '_' || text[i] == '=')) {
        explicit_accidental = true;
        char a = text[i];
        int count = 0;
        while (i < n && text[i] == a && count < 2) {
          ++i;
          ++count;
        }
        alteration = a == '^' ? count : (a == '_' ? -count : 0);
      }
      if (i >= n || !((text[i] >= 'A' && text[i] <= 'G') || (text[i] >= 'a' && text[i] <= 'g'))) {
        return error(note_start, chord ? "a chord holds something other than notes"
                                       : "an accidental is not followed by a note letter");
      }
      char letter = text[i];
      ++i;
      char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(letter)));
      int octave = letter >= 'a' ? 1 : 0;
      while (i < n && (text[i] == '\'' || text[i] == ',')) {
        octave += text[i] == '\'' ? 1 : -1;
        ++i;
        if (octave > 10 || octave < -10)
          return error(note_start, "a note is outside the MIDI range");
      }
      std::size_t letter_index = static_cast<std::size_t>(upper - 'A');
      auto key = std::make_pair(static_cast<int>(letter_index), octave);
      if (explicit_accidental) {
        bar_accidentals_[key] = alteration;
      } else if (auto it = bar_accidentals_.find(key); it != bar_accidentals_.end()) {
        alteration = it->second;
      } else {
        alteration = key_.signature[letter_index];
      }
      int pitch = 60 + 12 * octave + letter_pc(upper) + alteration;
      if (pitch < 0 || pitch > 127)
        return error(note_start, "a note is outside the MIDI range 0..127");
      Frac length;
      if (auto e = note_length(text, i, line, length)) return e;
      if (i < n && text[i] == '-') {
        tie = true;
        ++i;
      }
      if (first) first_length = length;
      first = false;
      top = std::max(top, pitch);
      if (!chord) break;
    }
    if (chord) {
      if (top < 0) return error(start, "an empty chord []");
      // A length after the chord multiplies the first note's length.
      Frac outer{1, 1};
      if (i < n && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '/')) {
        std::int64_t num = 0;
        bool has = false;
        while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) {
          num = std::min<std::int64_t>(num * 10 + (text[i] - '0'), 100000);
          has = true;
          ++i;
        }
        outer = Frac{has ? num : 1, 1};
        while (i < n && text[i] == '/') {
          ++i;
          std::int64_t d = 0;
          bool hd = false;
          while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) {
            d = std::min<std::int64_t>(d * 10 + (text[i] - '0'), 100000);
            hd = true;
            ++i;
          }
          if (hd && d == 0) return error(start, "a chord length divides by 0");
          if (!mul(outer, Frac{1, hd ? d : 2}, outer))
            return error(start, "a chord length is too fine");
        }
        if (outer.num == 0) return error(start, "a chord length is 0");
      }
      if (!mul(first_length, outer, first_length))
        return error(start, "a chord length is too fine");
      if (i < n && text[i] == '-') {
        tie = true;
        ++i;
      }
    }
    if (in_grace_) continue;  // grace notes take no time
    std::optional<ParseError> err;
    Elem e;
    e.kind = ElemKind::note;
    e.pitch = top;
    e.length = apply_modifiers(first_length, line, col(start), err);
    if (err) return err;
    e.tie = tie;
    e.key = key_.context;
    e.meter = meter_;
    e.line = line;
    e.column = col(start);
    push(e);
  }
  return std::nullopt;
}

// ---- Playing: repeats and endings expanded, parts in order, times laid out ----

struct Played {
  bool is_note = false;  // else a rest
  int pitch = 0;
  Frac onset, length;
  bool tie = false;
  std::optional<KeyContext> key;
  Meter meter;
};

struct BarMark {
  Frac time;
  bool part_start = false;
};

class Player {
 public:
  explicit Player(std::size_t max_notes) : max_notes_(max_notes) {}

  std::optional<ParseError> play_part(const Part& part);
  std::vector<Played>& played() { return played_; }
  std::vector<BarMark>& bars() { return bars_; }
  std::vector<std::pair<Frac, std::string>>& symbols() { return symbols_; }
  std::vector<std::pair<Frac, Meter>>& meters() { return meters_; }
  Frac now() const { return now_; }

 private:
  std::optional<ParseError> emit(const Elem& e);

  std::size_t max_notes_;
  Frac now_{0, 1};
  std::vector<Played> played_;
  std::vector<BarMark> bars_;
  std::vector<std::pair<Frac, std::string>> symbols_;
  std::vector<std::pair<Frac, Meter>> meters_;
  std::size_t steps_ = 0;
};

std::optional<ParseError> Player::emit(const Elem& e) {
  switch (e.kind) {
    case ElemKind::note:
    case ElemKind::rest: {
      Played p;
      p.is_note = e.kind == ElemKind::note;
      p.pitch = e.pitch;
      p.onset = now_;
      p.length = e.length;
      p.tie = e.tie;
      p.key = e.key;
      p.meter = e.meter;
      if (!add(now_, e.length, now_)) return ParseError{e.line, e.column, "the tune is too long"};
      played_.push_back(p);
      if (played_.size() > max_notes_) {
        return ParseError{e.line, e.column,
                          base::cat("the tune plays more than ", max_notes_,
                                    " notes and rests once its repeats are expanded")};
      }
      break;
    }
    case ElemKind::bar:
      if (bars_.empty() || less(bars_.back().time, now_)) bars_.push_back({now_, false});
      break;
    case ElemKind::chord_symbol:
      symbols_.emplace_back(now_, e.text);
      break;
    case ElemKind::meter:
      meters_.emplace_back(now_, e.meter);
      break;
  }
  return std::nullopt;
}

std::optional<ParseError> Player::play_part(const Part& part) {
  const auto& el = part.elems;
  const std::size_t n = el.size();
  bars_.push_back({now_, true});
  std::size_t start = 0;  // where a :| jumps back to
  int pass = 1;
  std::size_t i = 0;
  // The number of passes of the repeat that begins at `from`: 2, or the highest ending number
  // written before the section ends.
  auto passes_from = [&](std::size_t from) {
    int most = 2;
    for (std::size_t k = from; k < n; ++k) {
      if (el[k].kind != ElemKind::bar) continue;
      for (int v : el[k].endings)
        most = std::max(most, v);
      if (k > from && el[k].section_end && el[k].endings.empty() && !el[k].repeat_end) {
        // a double bar closes the last ending
        bool after_ending = false;
        for (std::size_t q = from; q < k; ++q)
          after_ending = after_ending || !el[q].endings.empty();
        if (after_ending) break;
      }
    }
    return most;
  };
  while (i < n) {
    if (++steps_ > 50 * max_notes_) {
      return ParseError{el[i].line, el[i].column, "the repeat structure does not end"};
    }
    const Elem& e = el[i];
    if (e.kind != ElemKind::bar) {
      if (auto err = emit(e)) return err;
      ++i;
      continue;
    }
    if (e.repeat_end) {
      if (pass < passes_from(start)) {
        ++pass;
        if (auto err = emit(e)) return err;  // the bar line itself
        i = start;
        continue;
      }
      pass = 1;
      start = i + 1;
    } else if (e.section_end && pass > 1) {
      pass = 1;
      start = i + 1;
    }
    if (e.repeat_start) {
      start = i + 1;
      pass = 1;
    }
    if (auto err = emit(e)) return err;
    if (!e.endings.empty() &&
        std::find(e.endings.begin(), e.endings.end(), pass) == e.endings.end()) {
      // Skip this ending: on to the ending for this pass, or past the repeat.
      std::size_t k = i + 1;
      std::optional<std::size_t> after_repeat;
      bool found = false;
      for (; k < n; ++k) {
        if (el[k].kind != ElemKind::bar) continue;
        if (!el[k].endings.empty() &&
            std::find(el[k].endings.begin(), el[k].endings.end(), pass) != el[k].endings.end()) {
          found = true;
          break;
        }
        if (el[k].repeat_end) after_repeat = k;
        if ((el[k].section_end || el[k].repeat_start) && !el[k].repeat_end) break;
      }
      if (found) {
        // The ending's bar line: its repeat marks already took effect at the skipped ones.
        i = k;
        if (auto err = emit(el[k])) return err;
        if (el[k].repeat_start) {
          start = k + 1;
          pass = 1;
        }
        ++i;
        continue;
      }
      i = after_repeat ? *after_repeat + 1 : k;
      if (after_repeat) {
        pass = 1;
        start = i;
      }
      continue;
    }
    ++i;
  }
  return std::nullopt;
}

// ---- Tune assembly ----

std::optional<ParseError> build_melody(AbcTune& tune, WrittenTune& written, std::string_view source,
                                       std::size_t max_notes) {
  Player player(max_notes);
  // Parts in play order: the unlabelled opening once, then each named part; with no order
  // (or an order naming no written part), the parts as written.
  std::vector<const Part*> sequence;
  sequence.push_back(&written.parts[0]);
  bool ordered = false;
  if (!written.order.empty() && written.parts.size() > 1) {
    for (char label : written.order) {
      const Part* found = nullptr;
      for (std::size_t k = 1; k < written.parts.size(); ++k) {
        if (!written.parts[k].label.empty() && written.parts[k].label[0] == label) {
          found = &written.parts[k];
          break;
        }
      }
      if (found == nullptr) {
        tune.warnings.push_back(
            {base::cat(source, ": tune X:", tune.number, ": the play order ", "names part ", label,
                       ", which is not written; skipped")});
        continue;
      }
      sequence.push_back(found);
      ordered = true;
    }
  }
  if (!ordered) {
    for (std::size_t k = 1; k < written.parts.size(); ++k)
      sequence.push_back(&written.parts[k]);
  }
  for (const Part* part : sequence) {
    if (auto err = player.play_part(*part)) return err;
  }
  auto& played = player.played();
  auto& bars = player.bars();
  auto& meters = player.meters();
  bars.push_back({player.now(), false});
  // Bar segments: spans between bar lines. Positions count from the segment's bar line, except
  // that a short segment which completes the previous short one continues it (a part's last bar
  // and the next part's pickup), and a short segment opening a part is a pickup (right-aligned).
  std::sort(bars.begin(), bars.end(), [](const BarMark& a, const BarMark& b) {
    if (less(a.time, b.time)) return true;
    if (less(b.time, a.time)) return false;
    return a.part_start && !b.part_start;
  });
  std::vector<BarMark> marks;
  for (const auto& b : bars) {
    if (!marks.empty() && !less(marks.back().time, b.time)) {
      marks.back().part_start = marks.back().part_start || b.part_start;
      continue;
    }
    marks.push_back(b);
  }
  auto meter_at = [&](const Frac& t) {
    Meter m;
    for (const auto& [at, meter] : meters) {
      if (less(t, at)) break;
      m = meter;
    }
    return m;
  };
  // Offset (whole notes) of each segment's start within its bar.
  std::vector<Frac> offsets(marks.size(), Frac{0, 1});
  Frac carry{0, 1};  // length of the previous segment when it was a short (incomplete) bar
  for (std::size_t s = 0; s + 1 < marks.size(); ++s) {
    Frac len;
    add(marks[s + 1].time, Frac{-marks[s].time.num, marks[s].time.den}, len);
    Meter m = meter_at(marks[s].time);
    Frac bar = bar_length(m);
    Frac total;
    add(carry, len, total);
    if (carry.num > 0 && !less(bar, total)) {
      offsets[s] = carry;
      carry = less(total, bar) ? total : Frac{0, 1};
    } else if (less(len, bar) && (marks[s].part_start || s == 0)) {
      add(bar, Frac{-len.num, len.den}, offsets[s]);
      carry = Frac{0, 1};
    } else {
      offsets[s] = Frac{0, 1};
      carry = less(len, bar) ? len : Frac{0, 1};
    }
  }
  // Notes: ties joined (same pitch), rests dropped.
  Melody& melody = tune.melody;
  std::size_t seg = 0;
  bool tie_open = false;
  for (std::size_t k = 0; k < played.size(); ++k) {
    const Played& p = played[k];
    if (!p.is_note) {
      tie_open = false;
      continue;
    }
    std::int64_t on = ticks_of(p.onset);
    Frac end_frac;
    add(p.onset, p.length, end_frac);
    std::int64_t end = ticks_of(end_frac);
    if (tie_open && !melody.notes.empty() && melody.notes.back().pitch == p.pitch &&
        melody.notes.back().onset.ticks() + melody.notes.back().duration.ticks() == on) {
      melody.notes.back().duration = time::BeatDur(end - melody.notes.back().onset.ticks());
      tie_open = p.tie;
      continue;
    }
    tie_open = p.tie;
    if (end <= on) {
      tune.warnings.push_back({base::cat(source, ": tune X:", tune.number,
                                         ": a note shorter than a beat tick was left out")});
      continue;
    }
    while (seg + 1 < marks.size() && !less(p.onset, marks[seg + 1].time))
      ++seg;
    Frac in_bar;
    add(p.onset, Frac{-marks[seg].time.num, marks[seg].time.den}, in_bar);
    add(in_bar, offsets[seg], in_bar);
    Meter m = meter_at(p.onset);
    std::int64_t bar_ticks = m.context.bar().ticks();
    std::int64_t position = ticks_of(in_bar);
    if (m.free)
      position = 0;
    else if (bar_ticks > 0)
      position = ((position % bar_ticks) + bar_ticks) % bar_ticks;
    MelodyNote note;
    note.pitch = p.pitch;
    note.onset = time::BeatPos(on);
    note.duration = time::BeatDur(end - on);
    note.bar_position = time::BeatDur(position);
    note.meter = m.context;
    note.key = p.key;
    melody.notes.push_back(note);
  }
  for (auto& [at, text] : player.symbols()) {
    tune.chord_symbols.push_back({text, time::BeatPos(ticks_of(at))});
  }
  if (melody.notes.empty()) {
    tune.warnings.push_back({base::cat(source, ": tune X:", tune.number, " has no notes")});
  }
  return std::nullopt;
}

struct Line {
  std::string_view text;
  int number = 0;
};

}  // namespace

base::Result<AbcBook> parse_abc(std::string_view text, std::string_view source_name,
                                const AbcOptions& options) {
  AbcBook book;
  // Split into lines (LF, CRLF or CR).
  std::vector<Line> lines;
  {
    std::size_t i = 0;
    int number = 1;
    while (i <= text.size()) {
      std::size_t j = i;
      while (j < text.size() && text[j] != '\n' && text[j] != '\r')
        ++j;
      lines.push_back({text.substr(i, j - i), number++});
      if (j >= text.size()) break;
      if (text[j] == '\r' && j + 1 < text.size() && text[j + 1] == '\n') ++j;
      i = j + 1;
    }
  }
  auto blank = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  };
  std::size_t k = 0;
  while (k < lines.size()) {
    std::string_view t = lines[k].text;
    if (!(t.size() >= 2 && t[0] == 'X' && t[1] == ':')) {
      ++k;  // free text, file header fields and comments between tunes
      continue;
    }
    AbcTune tune;
    tune.line = lines[k].number;
    std::string xs = trim(t.substr(2));
    {
      std::size_t d = 0;
      int x = 0;
      while (d < xs.size() && std::isdigit(static_cast<unsigned char>(xs[d])) && x < 100'000'000) {
        x = x * 10 + (xs[d] - '0');
        ++d;
      }
      tune.number = x;
    }
    std::optional<ParseError> failure;
    if (xs.empty() || !std::isdigit(static_cast<unsigned char>(xs[0]))) {
      failure = ParseError{lines[k].number, 3,
                           base::cat("the X: field \"", xs, "\" is not a tune number")};
    }
    TuneParser parser(tune, source_name);
    ++k;
    for (; k < lines.size() && !blank(lines[k].text); ++k) {
      if (failure) continue;  // skip the rest of a bad tune
      std::string_view l = lines[k].text;
      int number = lines[k].number;
      if (l.size() >= 2 && l[0] == '%') continue;
      if (!parser.in_body()) {
        if (l.size() >= 2 && is_field_letter(l[0]) && l[1] == ':') {
          failure = parser.header_field(l[0], l.substr(2), number);
          continue;
        }
        if (!l.empty() && l[0] == '%') continue;
        parser.finish_header(number);
      }
      failure = parser.body_line(l, number);
    }
    if (!failure && !parser.in_body()) parser.finish_header(tune.line);
    if (!failure) {
      failure = build_melody(tune, parser.written(), source_name, options.max_notes_per_tune);
    }
    if (failure) {
      std::string message = base::cat(source_name, ": ", where(failure->line, failure->column),
                                      ": tune X:", tune.number, ": ", failure->message, ".");
      if (!options.skip_bad_tunes) return base::Error{ErrorKind::invalid_input, message};
      book.warnings.push_back({message + " The tune was left out."});
      continue;
    }
    tune.melody.id = base::cat(options.id_prefix, "/", tune.number);
    book.tunes.push_back(std::move(tune));
  }
  return book;
}

base::Result<AbcBook> read_abc_file(const std::filesystem::path& path, AbcOptions options) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  if (options.id_prefix.empty()) options.id_prefix = path.stem().string();
  std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  return parse_abc(text, path.filename().string(), options);
}

}  // namespace duet::model
