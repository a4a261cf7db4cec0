// Tonal tables the generators share (sketch, cue writer): functional root progressions, mode
// scales as semitone steps, mixture degrees and the chord length a harmonic rhythm asks for.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "music/key.h"
#include "music/pitch.h"

namespace duet::compose {

// Functional moves between the scale degrees' triads (rows: from degree 0..6 = I..vii), after the
// common-practice tendencies summarised in Piston's "Table of usual root progressions": tonic to
// anything, predominants (ii, IV) to dominants, dominants (V, vii) home, vi and iii as links.
inline constexpr std::array<std::array<double, 7>, 7> kMoves = {{
    {0.00, 0.15, 0.05, 0.30, 0.25, 0.25, 0.00},  // I
    {0.10, 0.00, 0.00, 0.10, 0.60, 0.10, 0.10},  // ii
    {0.00, 0.20, 0.00, 0.40, 0.00, 0.40, 0.00},  // iii
    {0.25, 0.15, 0.00, 0.00, 0.45, 0.10, 0.05},  // IV
    {0.60, 0.00, 0.00, 0.10, 0.00, 0.30, 0.00},  // V
    {0.00, 0.35, 0.10, 0.40, 0.15, 0.00, 0.00},  // vi
    {0.80, 0.00, 0.00, 0.00, 0.00, 0.20, 0.00},  // vii
}};

// Major-third modes (major, lydian, mixolydian).
inline bool bright(music::Mode mode) {
  return mode == music::Mode::major || mode == music::Mode::lydian ||
         mode == music::Mode::mixolydian;
}

// The semitones of a mode's scale from its tonic (0 first).
inline std::array<int, 7> steps_of(int tonic, music::Mode mode) {
  const music::Key key{music::spell_pitch_class(tonic, true), mode};
  std::array<int, 7> out{};
  const auto names = music::scale(key);
  for (std::size_t i = 0; i < 7; ++i)
    out[i] = music::wrap_pitch_class(names[i].pitch_class() - tonic);
  return out;
}

// The degrees whose borrowed chords are the usual mixture (Aldwell & Schachter, "Harmony and
// Voice Leading", on mixture): in major ii (as ii dim), bIII, iv, bVI and bVII, never the minor
// tonic or the minor dominant, which would change the mode rather than colour it; in minor the
// major IV and V of the parallel major.
inline bool mixture_degree(bool bright_mode, int degree) {
  return bright_mode ? degree == 1 || degree == 2 || degree == 3 || degree == 5 || degree == 6
                     : degree == 3 || degree == 4;
}

// Quarter notes per chord for a harmonic rhythm in chords per 4/4 bar: 4 / rhythm, to the nearest
// power of two (in log terms) from a beat to four bars.
inline double beats_per_chord(double harmonic_rhythm) {
  const double exact = std::log2(4.0 / harmonic_rhythm);
  return std::pow(2.0, std::clamp(std::round(exact), 0.0, 4.0));
}

}  // namespace duet::compose
