// Themes (leitmotifs) as melodies: a monophonic line of notes on the musical clock, its compact
// text form, and how recognisable one melody is as another (a variant of a theme).
//
// The compact text form, one token per note or rest, separated by spaces:
//   [meter] token token ... with '|' bar lines anywhere between tokens
//   meter    an optional first token "3/4", "6/8" (bar lines are then checked against it)
//   note     pitch + duration: "C4q", "Bb3e.", "F#5h", "C4q3" (C4 = MIDI 60; letter upper or
//            lower case; '#'/'b' up to two; octave -1..9)
//   rest     'r' + duration: "rq", "re."; an octave after the r is allowed and ignored ("r4q"),
//            so that rests can be written like the notes around them
//   duration a letter w h q e s t x (whole .. 32nd, 64th), then dots ('.' x1.5, '..' x1.75),
//            then an optional tuplet digit: 3 (triplet, x2/3) or 5 (quintuplet, x4/5);
//            "q3" is a quarter-note triplet (640 ticks). Parts joined by '~' are tied into one
//            note: "C4h~e" lasts a half plus an eighth. ":N" is a length in ticks (1920 per
//            quarter) for what the letters cannot say: "C4:700".
//   '|'      a bar line; with a meter it must fall on a bar boundary. A first bar shorter than
//            the meter's bar is a pickup (anacrusis): "3/4 G4q | C5h. |".
// Example: "4/4 C4q D4e E4e G4h | A4q. Bb4e rq C5q".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "music/key.h"
#include "time/tempo.h"
#include "time/units.h"

namespace duet::music {

// One sounding note of a melody: its start and length on the musical clock (1920 ticks per
// quarter, from the melody's start) and its sounding MIDI pitch (0..127).
struct MelodyNote {
  time::BeatPos start;
  time::BeatDur length;
  int pitch = 60;
  friend bool operator==(const MelodyNote&, const MelodyNote&) = default;
};

// A monophonic melody. Invariants (parse_melody and the readers keep them; validate_melody
// checks them): notes in order of start, start >= 0, length > 0, no two notes overlap, pitch
// 0..127, `length` >= the end of the last note. A rest is a gap between notes.
struct Melody {
  std::vector<MelodyNote> notes;
  std::optional<time::Meter> meter;  // bar lines are checked and printed only when set
  time::BeatDur pickup{0};           // length of an opening incomplete bar (0: none)
  time::BeatDur length{0};           // whole length, trailing rests included
  friend bool operator==(const Melody&, const Melody&) = default;
};

// Checks the invariants above, naming the first note that breaks one (1-based).
base::Result<void> validate_melody(const Melody& melody);

// Parses the compact text form. Errors name the token and its position (1-based token number,
// 0-based byte offset): "token 5 'Q4q' at byte 12: unknown pitch letter 'Q' ...". An empty text (or
// only a meter) is an error: a theme has at least one note.
base::Result<Melody> parse_melody(std::string_view text);

struct MelodyTextOptions {
  // Spells pitches in this key (Bb in F major, A# in B major); without one, sharps are used
  // except for Bb and Eb, as lead sheets do.
  std::optional<Key> key;
  bool bar_lines = true;  // print '|' at bar boundaries that fall between tokens (needs a meter)
};
// The compact text form; parse_melody(to_text(m)) == m for every valid melody.
std::string to_text(const Melody& melody, const MelodyTextOptions& options = {});
// One pitch as to_text spells it ("Bb4" in F major, "B#3" for MIDI 60 in C# major: the octave
// belongs to the letter).
std::string pitch_text(int midi, const MelodyTextOptions& options = {});

// The duration part of a token for a length ("q", "e.", "q3", "h~e", ":700").
std::string duration_text(time::BeatDur length);

// ---- Recognisability ----

// How recognisable `candidate` is as `theme`, 0..1: 1 for the same melody (in any
// transposition, and under uniform augmentation or diminution), near 0 for an unrelated line.
// Computed from a global alignment (dynamic programming, weighted edit distance) of the two
// melodies' steps (pitch interval and duration ratio from one note to the next), scoring
// interval match, contour (up/down/same) match and rhythm (duration ratio) match; rests are
// folded into the previous note's length (inter-onset intervals). A candidate shorter than the
// theme is also read as a fragment: aligned against the best stretch of the theme and scaled by
// the square root of the share it covers. The theme's inversion,
// retrograde and retrograde inversion are aligned too and count at 0.6, 0.5 and 0.4 of their
// score (they are heard as related, less readily). Two one-note melodies score 1; an empty one
// scores 0. Figures on its separation of variants from random lines are in docs/themes.md.
double recognisability(const Melody& theme, const Melody& candidate);

// The best-matching window of a longer line: `count` notes from note index `first` (0-based)
// whose recognisability as the theme is `score`. Windows from half to twice the theme's note
// count are tried. An empty line gives score 0, count 0.
struct ThemeMatch {
  std::size_t first = 0;
  std::size_t count = 0;
  time::BeatPos start;   // where the window starts in the line
  time::BeatDur length;  // from the first note's start to the last note's end
  double score = 0;
};
ThemeMatch find_theme(const Melody& theme, const Melody& line);

}  // namespace duet::music
