#include "music/chord.h"

#include <array>
#include <cctype>
#include <initializer_list>

namespace duet::music {

namespace {

struct KindInfo {
  ChordKind kind;
  TriadClass triad;
  bool majmin;
  std::string_view harte;  // printed name after "root:"
  std::string_view lead;   // printed suffix in lead-sheet notation
  std::string_view abc;    // printed suffix in Nottingham ABC notation
  std::initializer_list<ChordTone> tones;
};

using T = TriadClass;
using K = ChordKind;

// Tones as (diatonic number, semitones above the root).
const std::array<KindInfo, 20> kKinds = {{
    {K::maj, T::maj, true, "maj", "", "", {{1, 0}, {3, 4}, {5, 7}}},
    {K::min, T::min, true, "min", "m", "m", {{1, 0}, {3, 3}, {5, 7}}},
    {K::dim, T::dim, false, "dim", "dim", "d", {{1, 0}, {3, 3}, {5, 6}}},
    {K::aug, T::aug, false, "aug", "aug", "a", {{1, 0}, {3, 4}, {5, 8}}},
    {K::sus2, T::sus, false, "sus2", "sus2", "sus2", {{1, 0}, {2, 2}, {5, 7}}},
    {K::sus4, T::sus, false, "sus4", "sus4", "sus4", {{1, 0}, {4, 5}, {5, 7}}},
    {K::dom7, T::maj, true, "7", "7", "7", {{1, 0}, {3, 4}, {5, 7}, {7, 10}}},
    {K::maj7, T::maj, true, "maj7", "maj7", "maj7", {{1, 0}, {3, 4}, {5, 7}, {7, 11}}},
    {K::min7, T::min, true, "min7", "m7", "m7", {{1, 0}, {3, 3}, {5, 7}, {7, 10}}},
    {K::min_maj7, T::min, true, "minmaj7", "mmaj7", "mmaj7", {{1, 0}, {3, 3}, {5, 7}, {7, 11}}},
    {K::hdim7, T::dim, false, "hdim7", "m7b5", "m7b5", {{1, 0}, {3, 3}, {5, 6}, {7, 10}}},
    {K::dim7, T::dim, false, "dim7", "dim7", "d7", {{1, 0}, {3, 3}, {5, 6}, {7, 9}}},
    {K::aug7, T::aug, false, "aug(b7)", "aug7", "a7", {{1, 0}, {3, 4}, {5, 8}, {7, 10}}},
    {K::maj6, T::maj, true, "maj6", "6", "6", {{1, 0}, {3, 4}, {5, 7}, {6, 9}}},
    {K::min6, T::min, true, "min6", "m6", "m6", {{1, 0}, {3, 3}, {5, 7}, {6, 9}}},
    {K::dom9, T::maj, true, "9", "9", "9", {{1, 0}, {3, 4}, {5, 7}, {7, 10}, {9, 14}}},
    {K::maj9, T::maj, true, "maj9", "maj9", "maj9", {{1, 0}, {3, 4}, {5, 7}, {7, 11}, {9, 14}}},
    {K::min9, T::min, true, "min9", "m9", "m9", {{1, 0}, {3, 3}, {5, 7}, {7, 10}, {9, 14}}},
    {K::dom7_sus4, T::sus, false, "sus4(b7)", "7sus4", "7sus4", {{1, 0}, {4, 5}, {5, 7}, {7, 10}}},
    {K::dom7_b9, T::maj, true, "7(b9)", "7b9", "7b9", {{1, 0}, {3, 4}, {5, 7}, {7, 10}, {9, 13}}},
}};

// Tones stored flat so chord_tones can hand out a span.
struct ToneTable {
  std::array<std::array<ChordTone, 5>, kKinds.size()> tones{};
  std::array<std::size_t, kKinds.size()> counts{};
  ToneTable() {
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
      std::size_t n = 0;
      for (const ChordTone& tone : kKinds[i].tones)
        tones[i][n++] = tone;
      counts[i] = n;
    }
  }
};

const ToneTable& tone_table() {
  static const ToneTable table;
  return table;
}

const KindInfo& info(ChordKind kind) {
  return kKinds[static_cast<std::size_t>(kind)];
}

struct Alias {
  std::string_view text;
  ChordKind kind;
};

// Harte shorthands (Harte et al. 2005) and the extended forms POP909 writes.
constexpr std::array<Alias, 20> kHarteAliases = {{
    {"maj", K::maj},
    {"min", K::min},
    {"dim", K::dim},
    {"aug", K::aug},
    {"sus2", K::sus2},
    {"sus4", K::sus4},
    {"7", K::dom7},
    {"maj7", K::maj7},
    {"min7", K::min7},
    {"minmaj7", K::min_maj7},
    {"hdim7", K::hdim7},
    {"dim7", K::dim7},
    {"aug(b7)", K::aug7},
    {"maj6", K::maj6},
    {"min6", K::min6},
    {"9", K::dom9},
    {"maj9", K::maj9},
    {"min9", K::min9},
    {"sus4(b7)", K::dom7_sus4},
    {"7(b9)", K::dom7_b9},
}};

// Lead-sheet and Nottingham suffixes.
constexpr std::array<Alias, 46> kLeadAliases = {{
    {"", K::maj},
    {"maj", K::maj},
    {"M", K::maj},
    {"m", K::min},
    {"min", K::min},
    {"-", K::min},
    {"d", K::dim},
    {"dim", K::dim},
    {"o", K::dim},
    {"a", K::aug},
    {"aug", K::aug},
    {"+", K::aug},
    {"sus2", K::sus2},
    {"sus4", K::sus4},
    {"sus", K::sus4},
    {"7", K::dom7},
    {"maj7", K::maj7},
    {"M7", K::maj7},
    {"m7", K::min7},
    {"min7", K::min7},
    {"-7", K::min7},
    {"mmaj7", K::min_maj7},
    {"m(maj7)", K::min_maj7},
    {"mM7", K::min_maj7},
    {"m7b5", K::hdim7},
    {"min7b5", K::hdim7},
    {"dim7", K::dim7},
    {"d7", K::dim7},
    {"o7", K::dim7},
    {"aug7", K::aug7},
    {"a7", K::aug7},
    {"+7", K::aug7},
    {"7#5", K::aug7},
    {"6", K::maj6},
    {"maj6", K::maj6},
    {"m6", K::min6},
    {"min6", K::min6},
    {"9", K::dom9},
    {"maj9", K::maj9},
    {"M9", K::maj9},
    {"m9", K::min9},
    {"min9", K::min9},
    {"7sus4", K::dom7_sus4},
    {"7sus", K::dom7_sus4},
    {"7b9", K::dom7_b9},
    {"hdim7", K::hdim7},
}};

base::Error symbol_error(std::string_view text, std::string_view why) {
  return base::make_error(base::ErrorKind::invalid_input, "chord symbol '", text, "': ", why);
}

// Semitones of a degree number in the major scale (1 0, 2 2, 3 4, 4 5, 5 7, 6 9, 7 11, 9 14...).
int major_scale_semitones(int number) {
  constexpr std::array<int, 7> kMajor = {0, 2, 4, 5, 7, 9, 11};
  return kMajor[static_cast<std::size_t>((number - 1) % 7)] + 12 * ((number - 1) / 7);
}

// Reads a root: an upper-case letter and '#'/'b' accidentals. Returns characters used, 0 if none.
std::size_t read_root(std::string_view text, NoteName* root) {
  if (text.empty() || text[0] < 'A' || text[0] > 'G') return 0;
  auto parsed = parse_note_name(text.substr(0, 1));
  if (!parsed) return 0;
  *root = *parsed;
  std::size_t i = 1;
  while (i < text.size() && i < 3 && (text[i] == '#' || text[i] == 'b')) {
    if (i == 2 && text[i] != text[1]) break;
    root->accidental += text[i] == '#' ? 1 : -1;
    ++i;
  }
  return i;
}

// A Harte bass degree: accidentals then a number ("b3", "5", "#4", "b7", "9").
base::Result<NoteName> harte_bass(std::string_view whole, std::string_view degree,
                                  const NoteName& root) {
  int accidental = 0;
  std::size_t i = 0;
  while (i < degree.size() && (degree[i] == 'b' || degree[i] == '#')) {
    accidental += degree[i] == '#' ? 1 : -1;
    ++i;
  }
  if (i >= degree.size() || i > 2) {
    return symbol_error(whole, "the bass after '/' must be a degree such as 3, b3, 5 or b7");
  }
  int number = 0;
  for (; i < degree.size(); ++i) {
    if (degree[i] < '0' || degree[i] > '9' || number > 20) {
      return symbol_error(whole, "the bass after '/' must be a degree such as 3, b3, 5 or b7");
    }
    number = number * 10 + (degree[i] - '0');
  }
  if (number < 1 || number > 13) {
    return symbol_error(whole, "the bass degree must be 1 to 13");
  }
  return transpose(root, number - 1, major_scale_semitones(number) + accidental);
}

// A lead-sheet or ABC bass: a letter in either case, then '#', '+' (ABC's sharp) or 'b'.
base::Result<NoteName> lead_bass(std::string_view whole, std::string_view text) {
  NoteName bass;
  if (text.empty())
    return symbol_error(whole, "nothing after '/' (write a bass note, such as C/E)");
  const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (upper < 'A' || upper > 'G') {
    return symbol_error(whole, "the bass after '/' must be a note name such as E, f+ or Bb");
  }
  bass = *parse_note_name(std::string_view(&upper, 1));
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '#' || text[i] == '+') {
      ++bass.accidental;
    } else if (text[i] == 'b') {
      --bass.accidental;
    } else {
      return symbol_error(whole, "the bass after '/' must be a note name such as E, f+ or Bb");
    }
  }
  if (bass.accidental < -2 || bass.accidental > 2) {
    return symbol_error(whole, "the bass has more than two accidentals");
  }
  return bass;
}

base::Result<Chord> parse_harte(std::string_view text) {
  Chord chord;
  const std::size_t used = read_root(text, &chord.root);
  if (used == 0) {
    return symbol_error(text, "expected a root A-G (with # or b), such as C:maj or Bb:min7");
  }
  std::string_view rest = text.substr(used);
  std::string_view bass_text;
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    bass_text = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (rest.empty()) {
    chord.kind = K::maj;  // Harte: a bare root is a major triad
  } else if (rest[0] != ':') {
    return symbol_error(text, "expected ':' after the root, as in C:maj");
  } else {
    const std::string_view shorthand = rest.substr(1);
    bool found = false;
    for (const Alias& alias : kHarteAliases) {
      if (alias.text == shorthand) {
        chord.kind = alias.kind;
        found = true;
        break;
      }
    }
    if (!found) {
      return symbol_error(text, base::cat("unknown quality '", shorthand,
                                          "' (known: maj min dim aug sus2 sus4 7 maj7 min7 "
                                          "minmaj7 hdim7 dim7 aug(b7) maj6 min6 9 maj9 min9 "
                                          "sus4(b7) 7(b9))"));
    }
  }
  if (text.find('/') != std::string_view::npos) {
    auto bass = harte_bass(text, bass_text, chord.root);
    if (!bass) return bass.error();
    if (!(*bass == chord.root)) chord.bass = *bass;  // "/1" is root position
  }
  return chord;
}

base::Result<Chord> parse_lead(std::string_view text) {
  std::string_view body = text;
  // Nottingham marks optional chords with parentheses: "(E7)".
  if (body.size() >= 2 && body.front() == '(' && body.back() == ')') {
    body = body.substr(1, body.size() - 2);
  }
  Chord chord;
  const std::size_t used = read_root(body, &chord.root);
  if (used == 0) {
    return symbol_error(text, "expected a root A-G (with # or b), such as G, Em or Bb7");
  }
  std::string_view suffix = body.substr(used);
  std::string_view bass_text;
  bool has_slash = false;
  if (const std::size_t slash = suffix.find('/'); slash != std::string_view::npos) {
    bass_text = suffix.substr(slash + 1);
    suffix = suffix.substr(0, slash);
    has_slash = true;
  }
  bool found = false;
  for (const Alias& alias : kLeadAliases) {
    if (alias.text == suffix) {
      chord.kind = alias.kind;
      found = true;
      break;
    }
  }
  if (!found) {
    return symbol_error(text, base::cat("unknown chord suffix '", suffix,
                                        "' (known: m d dim a aug + sus2 sus4 7 maj7 m7 mmaj7 "
                                        "m7b5 dim7 aug7 6 m6 9 maj9 m9 7sus4 7b9)"));
  }
  if (has_slash) {
    auto bass = lead_bass(text, bass_text);
    if (!bass) return bass.error();
    if (!(*bass == chord.root)) chord.bass = *bass;
  }
  return chord;
}

// The Harte degree of `bass` above `root` ("3", "b3", "5", "b7", "#4").
std::string harte_degree(const NoteName& root, const NoteName& bass) {
  const int steps = ((static_cast<int>(bass.letter) - static_cast<int>(root.letter)) % 7 + 7) % 7;
  const int number = steps + 1;
  int offset =
      wrap_pitch_class(bass.pitch_class() - root.pitch_class()) - major_scale_semitones(number);
  if (offset > 6) offset -= 12;
  if (offset < -6) offset += 12;
  std::string out;
  for (int i = 0; i < offset; ++i)
    out += '#';
  for (int i = 0; i > offset; --i)
    out += 'b';
  return out + std::to_string(number);
}

}  // namespace

std::string_view to_string(TriadClass triad) {
  switch (triad) {
    case TriadClass::maj:
      return "maj";
    case TriadClass::min:
      return "min";
    case TriadClass::dim:
      return "dim";
    case TriadClass::aug:
      return "aug";
    case TriadClass::sus:
      return "sus";
  }
  return "maj";
}

std::span<const ChordKind> all_chord_kinds() {
  static const std::array<ChordKind, kKinds.size()> kinds = [] {
    std::array<ChordKind, kKinds.size()> out{};
    for (std::size_t i = 0; i < kKinds.size(); ++i)
      out[i] = kKinds[i].kind;
    return out;
  }();
  return kinds;
}

std::span<const ChordTone> chord_tones(ChordKind kind) {
  const auto index = static_cast<std::size_t>(kind);
  return {tone_table().tones[index].data(), tone_table().counts[index]};
}

TriadClass triad_class(ChordKind kind) {
  return info(kind).triad;
}
bool is_majmin(ChordKind kind) {
  return info(kind).majmin;
}

std::uint16_t Chord::pitch_class_mask() const {
  unsigned mask = 0;
  for (const ChordTone& tone : chord_tones(kind)) {
    mask |= 1u << wrap_pitch_class(root.pitch_class() + tone.semitones);
  }
  if (bass) mask |= 1u << bass->pitch_class();
  return static_cast<std::uint16_t>(mask);
}

std::vector<NoteName> spelled_tones(const Chord& chord) {
  std::vector<NoteName> out;
  for (const ChordTone& tone : chord_tones(chord.kind)) {
    out.push_back(transpose(chord.root, tone.number - 1, tone.semitones));
  }
  return out;
}

bool is_no_chord(std::string_view text) {
  return text == "N" || text == "NC" || text == "N.C.";
}

base::Result<Chord> parse_chord_symbol(std::string_view text, ChordNotation notation) {
  if (is_no_chord(text)) {
    return symbol_error(text, "this is the no-chord label; read labels with parse_chord_label");
  }
  if (notation == ChordNotation::harte) return parse_harte(text);
  return parse_lead(text);
}

base::Result<std::optional<Chord>> parse_chord_label(std::string_view text,
                                                     ChordNotation notation) {
  if (is_no_chord(text)) return std::optional<Chord>();
  auto chord = parse_chord_symbol(text, notation);
  if (!chord) return chord.error();
  return std::optional<Chord>(*chord);
}

std::string to_string(const Chord& chord, ChordNotation notation) {
  const KindInfo& kind = info(chord.kind);
  switch (notation) {
    case ChordNotation::harte: {
      std::string out = to_string(chord.root) + ":" + std::string(kind.harte);
      if (chord.bass) out += "/" + harte_degree(chord.root, *chord.bass);
      return out;
    }
    case ChordNotation::abc: {
      std::string out = to_string(chord.root) + std::string(kind.abc);
      if (chord.bass) {
        out += '/';
        out += static_cast<char>(
            std::tolower(static_cast<unsigned char>(letter_char(chord.bass->letter))));
        for (int i = 0; i < chord.bass->accidental; ++i)
          out += '+';
        for (int i = 0; i > chord.bass->accidental; --i)
          out += 'b';
      }
      return out;
    }
    case ChordNotation::lead_sheet: {
      std::string out = to_string(chord.root) + std::string(kind.lead);
      if (chord.bass) out += "/" + to_string(*chord.bass);
      return out;
    }
  }
  return {};
}

}  // namespace duet::music
