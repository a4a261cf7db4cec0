// Viewpoints over chord sequences, after the melody ones (viewpoint.h): ways of seeing the next
// chord against the chords before it and its place in time. Every viewpoint maps a candidate
// chord symbol (chord_model.h: degree relative to the key in force x quality, 60 symbols) to a
// value; a model over a viewpoint predicts its values, and each value's probability is shared
// evenly among the candidates that make it (as mvs.h does for pitch).
//
// What is known when the next chord is predicted: the chords before it (symbols, durations) and
// the moment of the change, that is the new chord's onset within the bar. Its own duration is
// not known (it lies in the future), so no viewpoint reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/sequence.h"

namespace duet::model {

struct Pop909Song;

// One chord of a sequence as the chord model sees it.
struct ChordItem {
  int symbol = 0;         // 5 * degree + quality, 0..59 (chord_symbol)
  int duration = 0;       // beats from this chord's onset to the next chord's (0: unknown)
  int bar_position = -1;  // beats from the last downbeat to the onset (-1: unknown)
  friend bool operator==(const ChordItem&, const ChordItem&) = default;
};

enum class ChordBasic : std::uint8_t {
  symbol,         // the chord symbol, 0..59
  degree,         // the root relative to the key, 0..11
  quality,        // ChordClass, 0..4
  root_interval,  // (degree - previous degree) mod 12: transposition-invariant root motion
  prev_quality,   // the previous chord's quality (given)
  prev_duration,  // the previous chord's duration class (given; duration_class)
  position,       // the onset's beat within the bar, 0..7 (7: the 8th beat or later; given)
};

struct ChordViewpoint {
  std::vector<ChordBasic> parts;  // one, or several linked
  friend bool operator==(const ChordViewpoint&, const ChordViewpoint&) = default;
};

// "symbol", "root_interval*quality", "prev_quality*root_interval*quality".
std::string chord_viewpoint_name(const ChordViewpoint& viewpoint);
base::Result<ChordViewpoint> parse_chord_viewpoint(std::string_view name);

// A duration in beats as one of 9 classes: 1, 2, 3, 4, 5-6, 7-8, 9-12, 13-16, more (0 for
// 0 or less).
int duration_class(int beats);

// The viewpoint's value for chord i of items with its symbol replaced by `candidate`, or nothing
// where it is undefined (root motion and the previous chord's parts on the first chord; position
// or duration unknown). Reads items[0..i-1] and items[i].bar_position only.
std::optional<std::int64_t> chord_viewpoint_value(const ChordViewpoint& viewpoint,
                                                  std::span<const ChordItem> items, std::size_t i,
                                                  int candidate);

// A POP909 song's chords as the chord evaluation protocol reads them (docs/model-evaluation.md):
// chord_midi.txt in order, N dropped, each label reduced to root x {maj, min, dim, aug, sus},
// consecutive chords with the same root and class merged (after the reduction, across dropped
// N stretches); each chord's symbol relative to the key of key_audio.txt in force at its onset
// (the first key before the first annotation starts); durations and positions in beats from
// beat_midi.txt. `minor` is the mode of the first key. Empty when the song has no key.
struct Pop909ChordItems {
  std::vector<ChordItem> items;
  bool minor = false;
};
Pop909ChordItems pop909_chord_items(const Pop909Song& song);

// Index of the beat nearest `seconds` in rising beat times (0 when there are none).
std::size_t nearest_beat(std::span<const double> beat_seconds, double seconds);

}  // namespace duet::model
