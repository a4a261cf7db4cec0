#include "music/key.h"

namespace duet::music {

namespace {

constexpr std::array<std::string_view, 7> kModeNames = {
    "major", "dorian", "phrygian", "lydian", "mixolydian", "minor", "locrian"};

// Semitones of each degree of each mode, from the tonic.
constexpr std::array<std::array<int, 7>, 7> kModeSteps = {{
    {0, 2, 4, 5, 7, 9, 11},  // major (ionian)
    {0, 2, 3, 5, 7, 9, 10},  // dorian
    {0, 1, 3, 5, 7, 8, 10},  // phrygian
    {0, 2, 4, 6, 7, 9, 11},  // lydian
    {0, 2, 4, 5, 7, 9, 10},  // mixolydian
    {0, 2, 3, 5, 7, 8, 10},  // minor (aeolian)
    {0, 1, 3, 5, 6, 8, 10},  // locrian
}};

// Signature of a mode on C, in fifths (C dorian has the signature of Bb major: -2).
constexpr std::array<int, 7> kModeFifths = {0, -2, -4, 1, -1, -3, -5};

// Position of a natural letter on the line of fifths from C (F -1, C 0, G 1 ... B 5).
constexpr std::array<int, 7> kLetterFifths = {0, 2, 4, -1, 1, 3, 5};

}  // namespace

std::string_view to_string(Mode mode) {
  return kModeNames[static_cast<std::size_t>(mode)];
}

int Key::signature() const {
  return kLetterFifths[static_cast<std::size_t>(tonic.letter)] + 7 * tonic.accidental +
         kModeFifths[static_cast<std::size_t>(mode)];
}

base::Result<Key> parse_key(std::string_view text) {
  const auto bad = [&] {
    return base::make_error(base::ErrorKind::invalid_input, "'", text,
                            "' is not a key (write a tonic and a mode, such as C major, F# minor, "
                            "D dorian, Am or Eb:min)");
  };
  // The tonic: a letter and accidentals, up to a space, a colon or the end.
  std::size_t end = 0;
  while (end < text.size() && text[end] != ' ' && text[end] != ':')
    ++end;
  std::string_view head = text.substr(0, end);
  std::string_view tail = end < text.size() ? text.substr(end + 1) : std::string_view();
  Key key;
  if (end == text.size() && head.size() >= 2 && head.back() == 'm') {
    head.remove_suffix(1);  // "Am", "F#m"
    key.mode = Mode::minor;
  }
  auto tonic = parse_note_name(head);
  if (!tonic || head.empty() || head[0] < 'A' || head[0] > 'G') return bad();
  key.tonic = *tonic;
  if (end == text.size()) return key;
  if (text[end] == ':') {
    if (tail == "maj") return key;
    if (tail == "min") {
      key.mode = Mode::minor;
      return key;
    }
    return bad();
  }
  for (std::size_t i = 0; i < kModeNames.size(); ++i) {
    if (tail == kModeNames[i]) {
      key.mode = static_cast<Mode>(i);
      return key;
    }
  }
  if (tail == "ionian") return key;
  if (tail == "aeolian") {
    key.mode = Mode::minor;
    return key;
  }
  return bad();
}

std::string to_string(const Key& key) {
  return to_string(key.tonic) + " " + std::string(to_string(key.mode));
}

std::array<NoteName, 7> scale(const Key& key) {
  std::array<NoteName, 7> out{};
  const auto& steps = kModeSteps[static_cast<std::size_t>(key.mode)];
  for (int i = 0; i < 7; ++i) {
    out[static_cast<std::size_t>(i)] = transpose(key.tonic, i, steps[static_cast<std::size_t>(i)]);
  }
  return out;
}

std::string to_string(const ScaleDegree& degree) {
  std::string out;
  for (int i = 0; i < degree.alteration; ++i)
    out += '#';
  for (int i = 0; i > degree.alteration; --i)
    out += 'b';
  return out + std::to_string(degree.degree);
}

ScaleDegree scale_degree(const Key& key, const NoteName& note) {
  const int steps =
      ((static_cast<int>(note.letter) - static_cast<int>(key.tonic.letter)) % 7 + 7) % 7;
  const NoteName scale_note = scale(key)[static_cast<std::size_t>(steps)];
  int alteration = wrap_pitch_class(note.pitch_class() - scale_note.pitch_class());
  if (alteration > 6) alteration -= 12;
  return ScaleDegree{steps + 1, alteration};
}

NoteName spell_in_key(const Key& key, int pitch_class) {
  const int pc = wrap_pitch_class(pitch_class);
  for (const NoteName& note : scale(key)) {
    if (note.pitch_class() == pc) return note;
  }
  // Chromatic: against the major scale of the tonic, b2 b3 #4 b6 b7 (one of them is the
  // chromatic note, since a diatonic mode differs from major only in those degrees).
  const int interval = wrap_pitch_class(pc - key.tonic.pitch_class());
  switch (interval) {
    case 1:
      return transpose(key.tonic, 1, 1);  // b2
    case 3:
      return transpose(key.tonic, 2, 3);  // b3
    case 6:
      return transpose(key.tonic, 3, 6);  // #4
    case 8:
      return transpose(key.tonic, 5, 8);  // b6
    case 10:
      return transpose(key.tonic, 6, 10);  // b7
    case 9:
      return transpose(key.tonic, 5, 9);  // 6 (raised 6th of minor modes)
    case 11:
      return transpose(key.tonic, 6, 11);  // 7 (raised 7th / leading tone)
    case 4:
      return transpose(key.tonic, 2, 4);  // 3 (picardy third)
    case 2:
      return transpose(key.tonic, 1, 2);
    case 5:
      return transpose(key.tonic, 3, 5);
    case 7:
      return transpose(key.tonic, 4, 7);
    default:
      return key.tonic;
  }
}

ScaleDegree scale_degree(const Key& key, int pitch_class) {
  return scale_degree(key, spell_in_key(key, pitch_class));
}

}  // namespace duet::music
