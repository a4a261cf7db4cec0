// Viewpoints (Conklin & Witten 1995; Pearce 2005): ways of seeing a note in its melody, each a
// function from a melody prefix to a symbol. Basic ones read the note (pitch, duration); derived
// ones read it against its context (interval from the previous note, from the tonic, from the
// first note); linked ones pair several (interval x duration). A model over a derived viewpoint
// still predicts pitch: every candidate pitch maps to the symbol it would make, and the
// viewpoint's probability for a symbol is shared evenly among the pitches that make it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/sequence.h"

namespace duet::model {

enum class BasicViewpoint : std::uint8_t {
  cpitch,     // MIDI pitch
  cpint,      // semitones from the previous note (undefined on the first note)
  contour,    // -1, 0, +1: direction from the previous note
  cpintfref,  // pitch class relative to the tonic, 0..11 (undefined without a key)
  cpintfip,   // semitones from the first note of the piece
  dur,        // duration in beat ticks
  bioi,       // onset minus the previous onset, beat ticks (undefined on the first note)
  posinbar,   // onset within the bar, beat ticks
  mode,       // 0 major, 1 minor (undefined without a key)
};

// A viewpoint: one basic viewpoint, or several linked (their symbols paired).
struct Viewpoint {
  std::vector<BasicViewpoint> parts;
  friend bool operator==(const Viewpoint&, const Viewpoint&) = default;
};

// "cpint", "cpint*dur", "cpintfref*cpint".
std::string viewpoint_name(const Viewpoint& viewpoint);
base::Result<Viewpoint> parse_viewpoint(std::string_view name);
// Whether the viewpoint reads anything but pitch (so it needs the predicted note's duration and
// onset to be given).
bool uses_rhythm(const Viewpoint& viewpoint);

// The viewpoint's symbol for note i of notes (whose pitch is replaced by `pitch`), or nothing
// where the viewpoint is undefined. Reads notes[0..i] only.
std::optional<std::int64_t> viewpoint_symbol(const Viewpoint& viewpoint,
                                             std::span<const MelodyNote> notes, std::size_t i,
                                             int pitch);

// What viewpoint_symbol reads of note i and the notes before it, all but the pitch put in: one
// value per part (the previous pitch, the key, the first pitch, the duration...). Where two
// calls' contexts are equal, each pitch gets the same symbol (or none) from both, so a caller
// may reuse the symbols it worked out for every candidate pitch. Nothing for a viewpoint of more
// than kContextParts parts.
inline constexpr std::size_t kContextParts = 4;
using ViewpointContext = std::array<std::int64_t, kContextParts>;
std::optional<ViewpointContext> viewpoint_context(const Viewpoint& viewpoint,
                                                  std::span<const MelodyNote> notes, std::size_t i);

}  // namespace duet::model
