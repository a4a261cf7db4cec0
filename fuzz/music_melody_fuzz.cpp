// libFuzzer target for the compact melody text (music/theme.h) and the transformation steps
// (music/theme_transform.h).
//
// Any input must give a value or an Error, never a crash. A parsed melody must be valid, print
// and parse back to itself, and score 1 against itself; parsed steps must print and parse back
// to themselves and apply (or fail cleanly) to a small theme.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "music/theme.h"
#include "music/theme_transform.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::music;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto melody = parse_melody(text)) {
    if (!validate_melody(*melody)) __builtin_trap();
    const auto back = parse_melody(to_text(*melody));
    if (!back || !(*back == *melody)) __builtin_trap();
    if (melody->notes.size() <= 64 && recognisability(*melody, *melody) != 1.0) __builtin_trap();
  }
  if (const auto steps = parse_steps(text)) {
    const auto back = parse_steps(to_string(*steps));
    if (!back || !(*back == *steps)) __builtin_trap();
    const auto theme = parse_melody("4/4 C4q D4e E4e G4h | A4q. Bb4e rq C5q");
    const auto key = parse_key("F major");
    if (const auto variant = apply_steps(*theme, *key, *steps)) {
      if (!validate_melody(variant->melody)) __builtin_trap();
      const double r = recognisability(*theme, variant->melody);
      if (!(r >= 0.0 && r <= 1.0)) __builtin_trap();
    }
  }
  return 0;
}
