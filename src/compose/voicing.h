// Four-part voicing of a chord progression (bass + three upper voices) by a small search: every
// spelling of the chord inside the voices' ranges is tried, and the one that moves least from the
// previous chord wins among those that keep the rules: no parallel fifths or octaves between any
// two voices, no voice crossing, upper voices within an octave of each other. Softer costs: an
// incomplete chord (6), a doubled third (2), an upper voice leaping more than a fifth (3), hidden
// fifths or octaves between the outer voices with a soprano leap (3).
#pragma once

#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace duet::compose {

// Pitches bottom to top: bass, tenor, alto, soprano (MIDI).
using Voicing = std::array<int, 4>;

struct VoiceRange {
  int low = 0, high = 127;  // MIDI, inclusive
};

struct VoicingRequest {
  std::vector<int> pitch_classes;    // the chord's tones (2..4 distinct), root first
  std::vector<int> bass_classes;     // allowed bass tones (the root; the third for an inversion)
  std::array<VoiceRange, 4> ranges;  // bass, tenor, alto, soprano
  std::optional<Voicing> previous;   // the chord before (movement and parallels from it)
  std::optional<Voicing> next;       // a fixed chord after (parallels into it)
  std::array<std::optional<int>, 4> fixed;  // voices whose pitch is given (locked material)
  // The melody over the voices: its pitch just before this chord and at its start. Parallel
  // fifths or octaves between it and any voice break the rules like those between two voices.
  std::optional<std::pair<int, int>> melody;
};

struct VoicingChoice {
  Voicing voicing{};
  bool keeps_rules = true;  // false: no voicing kept every rule; the least bad one was taken
};

// Two voices moving from (upper0, lower0) to (upper1, lower1) make parallel fifths or octaves:
// both move, in the same direction, and the interval between them is a perfect fifth or an
// octave/unison (compound or not) before and after.
bool parallel_perfect(int upper0, int lower0, int upper1, int lower1);

// Parallels between any two of the four voices from a to b.
int parallels_between(const Voicing& a, const Voicing& b);

// Fails only when no pitch of the chord lies in some voice's range (then nothing is returned).
std::optional<VoicingChoice> choose_voicing(const VoicingRequest& request);

}  // namespace duet::compose
