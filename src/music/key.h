// Keys and modes: a spelled tonic and one of the seven diatonic modes (major and natural minor
// are ionian and aeolian), their key signatures, scales and the scale degree of a note.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "music/pitch.h"

namespace duet::music {

enum class Mode : std::uint8_t { major, dorian, phrygian, lydian, mixolydian, minor, locrian };
std::string_view to_string(Mode mode);  // "major", "dorian", ... "minor", "locrian"

struct Key {
  NoteName tonic;
  Mode mode = Mode::major;

  // Sharps (positive) or flats (negative) in the signature: C major 0, A minor 0, D major 2,
  // Bb major -2, E dorian 2 (the signature of D major). Keys such as G# major give 8: the
  // arithmetic is kept, and has_standard_signature() says whether it fits -7..7.
  int signature() const;
  bool has_standard_signature() const { return signature() >= -7 && signature() <= 7; }
  friend bool operator==(const Key&, const Key&) = default;
};

// "C major", "F# minor", "D dorian"; also the short forms "C", "Am", "F#m" and the Harte form
// "C:maj", "Eb:min" (POP909's key_audio.txt). Fails naming the text.
base::Result<Key> parse_key(std::string_view text);
std::string to_string(const Key& key);  // "C major", "F# minor", "D dorian"

// The seven notes of the key's scale from the tonic, spelled with one letter each
// (F# major: F# G# A# B C# D# E#).
std::array<NoteName, 7> scale(const Key& key);

// A degree of the scale: 1..7 with an alteration against the key's scale (#4 in C major is
// F#: degree 4, alteration +1; b3 is Eb: degree 3, alteration -1).
struct ScaleDegree {
  int degree = 1;      // 1..7
  int alteration = 0;  // semitones against the scale note
  friend bool operator==(const ScaleDegree&, const ScaleDegree&) = default;
};
std::string to_string(const ScaleDegree& degree);  // "1", "b3", "#4"

// The degree of a spelled note, read from its letter (in C major, F# is #4 and Gb is b5).
ScaleDegree scale_degree(const Key& key, const NoteName& note);
// The degree of a pitch class (unspelled): a scale note when it is one, else the usual
// chromatic spelling against the major scale of the tonic (b2 b3 #4 b6 b7), which in minor
// keys reads their lowered degrees as scale notes and the raised 6th and 7th as #6 and #7.
ScaleDegree scale_degree(const Key& key, int pitch_class);
// The spelling of a pitch class in a key (the note of scale_degree(key, pitch_class)).
NoteName spell_in_key(const Key& key, int pitch_class);

}  // namespace duet::music
