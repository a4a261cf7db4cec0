// The ABC reader on arbitrary bytes: no crash, no undefined behaviour; when it parses, every
// note is well-formed (pitch 0..127, positive duration, onsets in order without overlap, bar
// position inside the bar).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "model/abc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  duet::model::AbcOptions options;
  options.skip_bad_tunes = (size % 2) == 0;
  options.max_notes_per_tune = 20'000;
  auto book = duet::model::parse_abc(text, "fuzz.abc", options);
  if (!book) return 0;
  for (const auto& tune : book->tunes) {
    std::int64_t previous_end = 0;
    for (const auto& note : tune.melody.notes) {
      bool ok = note.pitch >= 0 && note.pitch <= 127 && note.duration.ticks() > 0 &&
                note.onset.ticks() >= previous_end && note.bar_position.ticks() >= 0 &&
                note.bar_position.ticks() < note.meter.bar().ticks();
      if (!ok) std::abort();
      previous_end = note.onset.ticks() + note.duration.ticks();
    }
  }
  return 0;
}
