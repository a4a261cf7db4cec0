// Tempo and meter as values: what a composer writes above the staff ("q = 120", "e. = 60",
// "6/8", a 12-2 frame click), and bar|beat|tick positions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "time/frame_rate.h"
#include "time/rational.h"
#include "time/units.h"

namespace duet::time {

// A tempo: so many note values per minute. 120 quarters per minute is {120, 1/4};
// a dotted quarter at 60 (6/8 in two) is {60, 3/8}.
struct Tempo {
  Rational per_minute{120};
  Rational note_value{1, 4};  // the note that gets the beat, as a fraction of a whole note

  static Tempo quarters_per_minute(Rational qpm) { return Tempo{qpm, Rational(1, 4)}; }
  // The same speed counted in quarter notes.
  Rational quarters_per_minute() const { return per_minute * note_value * Rational(4); }
  // "120", "e=180", "q.=60", "1/4=117.551" (decimals rounded to 3 places).
  std::string to_string() const;

  friend bool operator==(const Tempo&, const Tempo&) = default;
};

// Range accepted everywhere, in quarter notes per minute.
inline const Rational kMinQuartersPerMinute{1};
inline const Rational kMaxQuartersPerMinute{10000};

// Parses a tempo: "120", "117.55", "q=120", "e=180", "h=60", "q.=60" (dotted), "s=240",
// "1/8=180", "3/8=40". Letters: w whole, h half, q quarter, e eighth, s sixteenth, t 32nd.
// A frame click "12-2" (12 frames and 2 eighths of a frame per beat, the click-book notation)
// needs the picture's frame rate; "12-0" or "12f" is 12 whole frames per beat.
base::Result<Tempo> parse_tempo(std::string_view text, const FrameRate* rate = nullptr);

// The frame-click tempo: one beat every (frames + eighths/8) frames, exactly.
// 12-2 at 24 fps is 11520/98 = 117.551 BPM.
Tempo frame_click(int frames, int eighths, const FrameRate& rate);

// A meter (time signature). The beat is the denominator's note value: 6/8 counts six eighths.
struct Meter {
  int numerator = 4;
  int denominator = 4;  // 1, 2, 4, 8, 16, 32 or 64

  BeatDur beat_length() const { return BeatDur(4 * kTicksPerQuarter / denominator); }
  BeatDur bar_length() const { return beat_length() * numerator; }
  std::string to_string() const;
  friend bool operator==(const Meter&, const Meter&) = default;
};

// Checks numerator 1..64 and a power-of-two denominator 1..64.
base::Result<Meter> make_meter(int numerator, int denominator);
// Parses "4/4", "6/8", "7/8", "5/4"...
base::Result<Meter> parse_meter(std::string_view text);

// A musical position as a musician reads it: bar, beat in the bar, tick in the beat.
// Bars and beats count from 1 (bars before bar 1, such as a pickup, are 0, -1, ...). Ticks are
// the same 1,920-per-quarter ticks as BeatPos, counted from the start of the beat, so a 6/8 beat
// (an eighth) holds ticks 0..959.
struct BBT {
  std::int64_t bar = 1;
  int beat = 1;
  int tick = 0;
  // "5|2|0"
  std::string to_string() const;
  friend bool operator==(const BBT&, const BBT&) = default;
  friend auto operator<=>(const BBT&, const BBT&) = default;
};

// Parses "5", "5|2" or "5|2|480" (bar, beat, tick). Range checks against a meter are the
// MeterMap's job.
base::Result<BBT> parse_bbt(std::string_view text);

}  // namespace duet::time
