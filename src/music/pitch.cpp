#include "music/pitch.h"

#include <array>
#include <cctype>
#include <charconv>

namespace duet::music {

namespace {

constexpr std::array<int, 7> kNatural = {0, 2, 4, 5, 7, 9, 11};
constexpr std::array<char, 7> kLetters = {'C', 'D', 'E', 'F', 'G', 'A', 'B'};

bool letter_of(char c, Letter* out) {
  const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i < kLetters.size(); ++i) {
    if (kLetters[i] == upper) {
      *out = static_cast<Letter>(i);
      return true;
    }
  }
  return false;
}

// Parses the letter and up to two accidentals at the front of `text`; returns the count of
// characters read, 0 when there is no letter.
std::size_t parse_name_prefix(std::string_view text, NoteName* out) {
  if (text.empty() || !letter_of(text[0], &out->letter)) return 0;
  out->accidental = 0;
  std::size_t i = 1;
  while (i < text.size() && (text[i] == '#' || text[i] == 'b') && i < 3) {
    out->accidental += text[i] == '#' ? 1 : -1;
    // "#b" is not an accidental anyone writes.
    if (i == 2 && text[1] != text[2]) return 0;
    ++i;
  }
  return i;
}

int letter_index(Letter letter) {
  return static_cast<int>(letter);
}

// Semitones of the "reference" (major or perfect) interval for a diatonic number.
int reference_semitones(int number) {
  const int simple = (number - 1) % 7;
  const int octaves = (number - 1) / 7;
  return kNatural[static_cast<std::size_t>(simple)] + 12 * octaves;
}

// Offset of a quality from the reference interval (major or perfect) in semitones.
int quality_offset(IntervalQuality quality, bool perfect) {
  switch (quality) {
    case IntervalQuality::doubly_diminished:
      return perfect ? -2 : -3;
    case IntervalQuality::diminished:
      return perfect ? -1 : -2;
    case IntervalQuality::minor:
      return -1;
    case IntervalQuality::perfect:
    case IntervalQuality::major:
      return 0;
    case IntervalQuality::augmented:
      return 1;
    case IntervalQuality::doubly_augmented:
      return 2;
  }
  return 0;
}

}  // namespace

int natural_pitch_class(Letter letter) {
  return kNatural[static_cast<std::size_t>(letter)];
}
char letter_char(Letter letter) {
  return kLetters[static_cast<std::size_t>(letter)];
}

base::Result<NoteName> parse_note_name(std::string_view text) {
  NoteName name;
  const std::size_t used = parse_name_prefix(text, &name);
  if (used == 0 || used != text.size()) {
    return base::make_error(base::ErrorKind::invalid_input, "'", text,
                            "' is not a note name (write a letter A-G and up to two # or b, "
                            "such as C, F# or Bb)");
  }
  return name;
}

std::string to_string(const NoteName& name) {
  std::string out(1, letter_char(name.letter));
  for (int i = 0; i < name.accidental; ++i)
    out += '#';
  for (int i = 0; i > name.accidental; --i)
    out += 'b';
  return out;
}

NoteName spell_pitch_class(int pitch_class, bool prefer_flats) {
  const int pc = wrap_pitch_class(pitch_class);
  for (std::size_t i = 0; i < kNatural.size(); ++i) {
    if (kNatural[i] == pc) return NoteName{static_cast<Letter>(i), 0};
  }
  // A black key: the letter below raised, or the letter above lowered.
  for (std::size_t i = 0; i < kNatural.size(); ++i) {
    if (!prefer_flats && kNatural[i] == pc - 1) return NoteName{static_cast<Letter>(i), 1};
    if (prefer_flats && kNatural[i] == pc + 1) return NoteName{static_cast<Letter>(i), -1};
  }
  return NoteName{};  // unreachable: every black key has natural neighbours
}

int Pitch::midi() const {
  return 12 * (octave + 1) + natural_pitch_class(name.letter) + name.accidental;
}

base::Result<Pitch> parse_pitch(std::string_view text) {
  Pitch pitch;
  const std::size_t used = parse_name_prefix(text, &pitch.name);
  const auto bad = [&] {
    return base::make_error(base::ErrorKind::invalid_input, "'", text,
                            "' is not a pitch (write a note name and an octave, such as C4, "
                            "F#3 or Bb-1)");
  };
  if (used == 0 || used == text.size()) return bad();
  const char* first = text.data() + used;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, pitch.octave);
  if (ec != std::errc() || end != last || pitch.octave < -1 || pitch.octave > 10) return bad();
  return pitch;
}

std::string to_string(const Pitch& pitch) {
  return to_string(pitch.name) + std::to_string(pitch.octave);
}

Pitch pitch_of_midi(int midi, bool prefer_flats) {
  Pitch pitch;
  pitch.name = spell_pitch_class(midi, prefer_flats);
  // Floor division so that negative numbers land in octave -2 and below.
  const int octave_index = midi >= 0 ? midi / 12 : -((11 - midi) / 12);
  pitch.octave = octave_index - 1;
  return pitch;
}

bool is_perfect_number(int number) {
  const int simple = (number - 1) % 7;
  return simple == 0 || simple == 3 || simple == 4;
}

int Interval::semitones() const {
  return reference_semitones(number) + quality_offset(quality, is_perfect_number(number));
}

base::Result<Interval> parse_interval(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return base::make_error(base::ErrorKind::invalid_input, "'", text, "' is not an interval (",
                            why,
                            "; write a quality P, M, m, A, d, AA or dd and a number, such as "
                            "M3, P5 or A4)");
  };
  std::size_t i = 0;
  Interval interval;
  if (text.starts_with("AA")) {
    interval.quality = IntervalQuality::doubly_augmented;
    i = 2;
  } else if (text.starts_with("dd")) {
    interval.quality = IntervalQuality::doubly_diminished;
    i = 2;
  } else if (!text.empty()) {
    i = 1;
    switch (text[0]) {
      case 'P':
        interval.quality = IntervalQuality::perfect;
        break;
      case 'M':
        interval.quality = IntervalQuality::major;
        break;
      case 'm':
        interval.quality = IntervalQuality::minor;
        break;
      case 'A':
        interval.quality = IntervalQuality::augmented;
        break;
      case 'd':
        interval.quality = IntervalQuality::diminished;
        break;
      default:
        return bad("unknown quality");
    }
  } else {
    return bad("empty");
  }
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(text.data() + i, last, interval.number);
  if (ec != std::errc() || end != last || interval.number < 1 || interval.number > 99) {
    return bad("the number must be 1 to 99");
  }
  const bool perfect = is_perfect_number(interval.number);
  const bool needs_perfect_kind = interval.quality == IntervalQuality::perfect;
  const bool needs_imperfect_kind =
      interval.quality == IntervalQuality::major || interval.quality == IntervalQuality::minor;
  if ((perfect && needs_imperfect_kind) || (!perfect && needs_perfect_kind)) {
    return bad(perfect ? "unisons, fourths, fifths and octaves are perfect, not major or minor"
                       : "seconds, thirds, sixths and sevenths are major or minor, not perfect");
  }
  if (interval.semitones() < 0) return bad("it would be below a unison");
  return interval;
}

std::string to_string(const Interval& interval) {
  std::string prefix;
  switch (interval.quality) {
    case IntervalQuality::doubly_diminished:
      prefix = "dd";
      break;
    case IntervalQuality::diminished:
      prefix = "d";
      break;
    case IntervalQuality::minor:
      prefix = "m";
      break;
    case IntervalQuality::perfect:
      prefix = "P";
      break;
    case IntervalQuality::major:
      prefix = "M";
      break;
    case IntervalQuality::augmented:
      prefix = "A";
      break;
    case IntervalQuality::doubly_augmented:
      prefix = "AA";
      break;
  }
  return prefix + std::to_string(interval.number);
}

base::Result<Interval> interval_between(const Pitch& low, const Pitch& high) {
  const int steps = (high.octave * 7 + letter_index(high.name.letter)) -
                    (low.octave * 7 + letter_index(low.name.letter));
  const int semitones = high.midi() - low.midi();
  if (steps < 0 || semitones < 0) {
    return base::make_error(base::ErrorKind::out_of_range, to_string(high), " is below ",
                            to_string(low), "; intervals are measured upwards");
  }
  Interval interval;
  interval.number = steps + 1;
  const int offset = semitones - reference_semitones(interval.number);
  const bool perfect = is_perfect_number(interval.number);
  // Qualities by offset from the reference size: perfect numbers run -2..2, the others -3..2.
  using Q = IntervalQuality;
  static constexpr Q kPerfect[] = {Q::doubly_diminished, Q::diminished, Q::perfect, Q::augmented,
                                   Q::doubly_augmented};
  static constexpr Q kImperfect[] = {Q::doubly_diminished, Q::diminished,      Q::minor, Q::major,
                                     Q::augmented,         Q::doubly_augmented};
  const int lowest = perfect ? -2 : -3;
  if (offset < lowest || offset > 2) {
    return base::make_error(base::ErrorKind::out_of_range, "the interval from ", to_string(low),
                            " to ", to_string(high), " is beyond doubly augmented or diminished");
  }
  interval.quality = (perfect ? kPerfect : kImperfect)[offset - lowest];
  if (interval.number == 1 && offset < 0) {
    return base::make_error(base::ErrorKind::out_of_range, to_string(high), " is below ",
                            to_string(low), "; intervals are measured upwards");
  }
  return interval;
}

NoteName transpose(const NoteName& name, int steps, int semitones) {
  const int index = letter_index(name.letter) + steps;
  NoteName out;
  out.letter = static_cast<Letter>(((index % 7) + 7) % 7);
  // The accidental makes up the difference between the wanted pitch class and the letter's.
  int accidental =
      wrap_pitch_class(name.pitch_class() + semitones - natural_pitch_class(out.letter));
  if (accidental > 6) accidental -= 12;
  out.accidental = accidental;
  return out;
}

Pitch transpose(const Pitch& pitch, const Interval& interval) {
  const int steps = interval.number - 1;
  const int index = pitch.octave * 7 + letter_index(pitch.name.letter) + steps;
  Pitch out;
  out.octave = index >= 0 ? index / 7 : -((6 - index) / 7);
  out.name.letter = static_cast<Letter>(index - out.octave * 7);
  const int target = pitch.midi() + interval.semitones();
  out.name.accidental = target - (12 * (out.octave + 1) + natural_pitch_class(out.name.letter));
  return out;
}

}  // namespace duet::music
