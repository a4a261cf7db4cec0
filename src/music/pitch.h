// Pitches with their spelling: a note name (letter + accidental) is what a musician writes, a
// pitch class (0..11) is what the ear hears. C# and Db share pitch class 1 but are different
// names; intervals between spelled pitches keep that difference (C#-F is a d4, Db-F an M3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace duet::music {

enum class Letter : std::uint8_t { C, D, E, F, G, A, B };

// Pitch class of a natural letter: C 0, D 2, E 4, F 5, G 7, A 9, B 11.
int natural_pitch_class(Letter letter);
char letter_char(Letter letter);  // 'C'..'B'

// Wraps any integer to 0..11.
constexpr int wrap_pitch_class(int value) {
  return ((value % 12) + 12) % 12;
}

// A note name without an octave: letter and accidental (-2 double flat .. +2 double sharp).
struct NoteName {
  Letter letter = Letter::C;
  int accidental = 0;  // semitones: -1 flat, +1 sharp

  int pitch_class() const { return wrap_pitch_class(natural_pitch_class(letter) + accidental); }
  friend bool operator==(const NoteName&, const NoteName&) = default;
};

// "C", "F#", "Bb", "C##", "Ebb"; the letter may be lower case; '#'/'b' for sharps and flats,
// up to two. Fails on anything else, naming the text.
base::Result<NoteName> parse_note_name(std::string_view text);
// "C", "F#", "Bb", "C##", "Ebb".
std::string to_string(const NoteName& name);
// The common spelling of a pitch class: sharps (C# D# F# G# A#) or flats (Db Eb Gb Ab Bb).
NoteName spell_pitch_class(int pitch_class, bool prefer_flats);

// A pitch: a note name in an octave (scientific pitch notation: C4 = MIDI 60 = middle C). The
// octave belongs to the letter, so B#3 sounds as C4 and Cb4 as B3.
struct Pitch {
  NoteName name;
  int octave = 4;

  int midi() const;  // may fall outside 0..127 for extreme octaves
  int pitch_class() const { return name.pitch_class(); }
  friend bool operator==(const Pitch&, const Pitch&) = default;
};

// "C4", "C#4", "Bb3", "C-1", "G9". Fails naming the text.
base::Result<Pitch> parse_pitch(std::string_view text);
std::string to_string(const Pitch& pitch);
// The pitch of a MIDI note number with the common spelling (sharps or flats).
Pitch pitch_of_midi(int midi, bool prefer_flats = false);

// ---- Intervals ----

enum class IntervalQuality : std::uint8_t {
  doubly_diminished,
  diminished,
  minor,
  perfect,
  major,
  augmented,
  doubly_augmented,
};

// A spelled interval: a quality and a diatonic number (1 unison, 2 second ... 8 octave, 9 ninth,
// compound numbers allowed), always ascending. Perfect numbers (1, 4, 5 and their octaves) take
// perfect/augmented/diminished; the others major/minor/augmented/diminished.
struct Interval {
  IntervalQuality quality = IntervalQuality::perfect;
  int number = 1;  // >= 1

  int semitones() const;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// True for 1, 4, 5, 8, 11, 12... (the numbers that are perfect, not major/minor).
bool is_perfect_number(int number);
// "P1", "m2", "M3", "P4", "A4", "d5", "P5", "m6", "M7", "P8", "M9", "AA4", "dd7". Fails on a
// quality that the number cannot take ("M5", "P3") or an unknown form.
base::Result<Interval> parse_interval(std::string_view text);
std::string to_string(const Interval& interval);
// The ascending interval from `low` to `high` by spelling (C4 -> E4 is M3, C4 -> Fb4 is d4).
// Fails when `high` is below `low` or the quality would be beyond doubly augmented/diminished.
base::Result<Interval> interval_between(const Pitch& low, const Pitch& high);
// `pitch` moved up by the interval, spelled (C4 + M3 = E4, C#4 + M3 = E#4). Accidentals beyond
// double flat/sharp are kept as they come (the arithmetic stays exact).
Pitch transpose(const Pitch& pitch, const Interval& interval);
// A note name moved up by `steps` letters and `semitones` semitones (the spelled transposition
// without octaves): C + (2 letters, 4 semitones) = E; C# + (2, 3) = E.
NoteName transpose(const NoteName& name, int steps, int semitones);

}  // namespace duet::music
