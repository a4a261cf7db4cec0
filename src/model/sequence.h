// The sequences the models learn from: melodies (one note at a time) and chord progressions,
// with the context a musician reads them in (key, meter, position in the bar).
//
// Every corpus reader (ABC, JSB chorales, POP909, any MIDI file) produces these, so the sequence
// models never see a file format. Musical time is in beat ticks (time::BeatDur, 1,920 per
// quarter note) from the start of the piece.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "time/units.h"

namespace duet::model {

// A key as the corpora give it: tonic pitch class (0 = C .. 11 = B) and mode.
struct KeyContext {
  int tonic = 0;       // pitch class 0..11
  bool minor = false;  // major (and other non-minor modes mapped to major) or minor
  friend bool operator==(const KeyContext&, const KeyContext&) = default;
};

// A meter: numerator / denominator (4/4, 6/8, 3/4...).
struct MeterContext {
  int numerator = 4;
  int denominator = 4;
  time::BeatDur bar() const {
    return time::BeatDur(numerator * 4 * time::kTicksPerQuarter / denominator);
  }
  friend bool operator==(const MeterContext&, const MeterContext&) = default;
};

// One note of a melody. Rests are not notes: a rest shows as a gap between one note's end and
// the next note's onset (a viewpoint may read it).
struct MelodyNote {
  int pitch = 60;                 // MIDI note number 0..127
  time::BeatPos onset;            // from the start of the piece
  time::BeatDur duration;         // > 0
  time::BeatDur bar_position;     // onset within its bar (0 = the downbeat)
  MeterContext meter;             // the meter in force at the onset
  std::optional<KeyContext> key;  // the key in force, when the source says it
  friend bool operator==(const MelodyNote&, const MelodyNote&) = default;
};

struct Melody {
  std::string id;                 // "jsb/train/12", "nottingham/jigs_simple_chords_3", "pop909/001"
  std::vector<MelodyNote> notes;  // by onset, no two sounding at once
};

// Chord qualities the chord model predicts (the five classes); sevenths and extensions
// reduce to their triad.
enum class ChordClass { maj, min, dim, aug, sus };

struct ChordEvent {
  int root = 0;  // pitch class 0..11
  ChordClass quality = ChordClass::maj;
  time::BeatPos onset;
  time::BeatDur duration;
  friend bool operator==(const ChordEvent&, const ChordEvent&) = default;
};

struct ChordSequence {
  std::string id;
  std::optional<KeyContext> key;   // the (first) annotated key
  std::vector<ChordEvent> chords;  // by onset; "no chord" stretches are left out
};

}  // namespace duet::model
