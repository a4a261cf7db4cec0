// libFuzzer target for the music text parsers: chord symbols (Harte, ABC, lead sheet), keys,
// pitches, note names and intervals.
//
// Any input must give a value or an Error, never a crash. When it gives a value, printing it in
// the same notation and parsing that again must give the same value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "music/chord.h"
#include "music/key.h"
#include "music/pitch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::music;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (ChordNotation notation :
       {ChordNotation::harte, ChordNotation::abc, ChordNotation::lead_sheet}) {
    const auto chord = parse_chord_symbol(text, notation);
    if (!chord) continue;
    const auto back = parse_chord_symbol(to_string(*chord, notation), notation);
    if (!back || !(*back == *chord)) __builtin_trap();
    (void)chord->pitch_class_mask();
    (void)spelled_tones(*chord);
  }
  if (const auto key = parse_key(text)) {
    const auto back = parse_key(to_string(*key));
    if (!back || !(*back == *key)) __builtin_trap();
    for (int pc = 0; pc < 12; ++pc) {
      if (spell_in_key(*key, pc).pitch_class() != pc) __builtin_trap();
    }
  }
  if (const auto pitch = parse_pitch(text)) {
    const auto back = parse_pitch(to_string(*pitch));
    if (!back || !(*back == *pitch)) __builtin_trap();
  }
  if (const auto interval = parse_interval(text)) {
    const auto back = parse_interval(to_string(*interval));
    if (!back || !(*back == *interval)) __builtin_trap();
  }
  return 0;
}
