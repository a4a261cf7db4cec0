// Chords and chord symbols: a spelled root, a kind (triad, seventh, sixth, ninth, suspension)
// and an optional bass note, read from and written to the notations the corpora use:
//   harte       the MIREX / Harte syntax POP909 uses: "C:maj", "Gb:min7", "A:7", "C:min/b3",
//               "D:sus4(b7)", "N" for no chord (the bass is a degree above the root).
//   abc         Nottingham ABC chord symbols: "G", "D7", "Em", "Cd" (dim), "Ca" (aug),
//               "C/e" (bass lower case, '+' sharp: "D/f+").
//   lead_sheet  the common lead-sheet form: "Cm7", "Bdim", "Caug", "G7sus4", "C/E".
// The abc and lead_sheet parsers accept each other's spellings ("Cdim" and "Cd" both work); they
// differ only in how chords are printed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "music/pitch.h"

namespace duet::music {

// The five classes the chord models and recognisers work with; every kind reduces to one.
enum class TriadClass : std::uint8_t { maj, min, dim, aug, sus };
std::string_view to_string(TriadClass triad);

enum class ChordKind : std::uint8_t {
  maj,
  min,
  dim,
  aug,
  sus2,
  sus4,
  dom7,
  maj7,
  min7,
  min_maj7,
  hdim7,  // half-diminished: m7b5
  dim7,
  aug7,
  maj6,
  min6,
  dom9,
  maj9,
  min9,
  dom7_sus4,
  dom7_b9,
};

// Every kind, in declaration order (for tests and for listing).
std::span<const ChordKind> all_chord_kinds();

struct ChordTone {
  int number = 1;     // diatonic number above the root: 1, 3, 5, 7, 9...
  int semitones = 0;  // above the root
};

// The tones of a kind above the root, root first (maj: 1/0, 3/4, 5/7).
std::span<const ChordTone> chord_tones(ChordKind kind);
TriadClass triad_class(ChordKind kind);
// True for the kinds that the MIREX "majmin" reduction maps to major or minor (triads,
// sevenths, sixths and ninths built on a major or minor triad); dim, aug and sus kinds are not.
bool is_majmin(ChordKind kind);

struct Chord {
  NoteName root;
  ChordKind kind = ChordKind::maj;
  std::optional<NoteName> bass;  // an inversion or slash bass; absent = the root

  TriadClass triad() const { return triad_class(kind); }
  // Pitch classes sounding (chord tones and the bass) as a 12-bit mask, bit 0 = C.
  std::uint16_t pitch_class_mask() const;
  friend bool operator==(const Chord&, const Chord&) = default;
};

// The chord tones spelled from the root (C:min -> C, Eb, G; F#:dim -> F#, A, C).
std::vector<NoteName> spelled_tones(const Chord& chord);

enum class ChordNotation : std::uint8_t { harte, abc, lead_sheet };

// "N" (Harte), "NC" or "N.C." (lead sheets): the label for no chord sounding.
bool is_no_chord(std::string_view text);

// Parses a chord symbol. Fails with a sentence naming the symbol and the part not understood;
// no-chord labels fail too (test is_no_chord first, or use parse_chord_label).
base::Result<Chord> parse_chord_symbol(std::string_view text,
                                       ChordNotation notation = ChordNotation::harte);
// A chord or no chord (std::nullopt for "N", "NC", "N.C.").
base::Result<std::optional<Chord>> parse_chord_label(std::string_view text, ChordNotation notation);

// Prints a chord so that parse_chord_symbol reads it back to the same chord.
std::string to_string(const Chord& chord, ChordNotation notation = ChordNotation::harte);

}  // namespace duet::music
