// libFuzzer target for the MusicXML theme reader (music/theme_io.h).
//
// Any input must give a melody or an Error, never a crash; a melody must be valid and survive
// the text form's round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "music/theme.h"
#include "music/theme_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::music;
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  if (const auto melody = melody_from_musicxml(xml)) {
    if (!validate_melody(*melody)) __builtin_trap();
    const auto back = parse_melody(to_text(*melody));
    if (!back || !(*back == *melody)) __builtin_trap();
  }
  return 0;
}
