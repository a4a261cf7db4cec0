// libFuzzer target for the CMX3600 EDL reader and writer.
//
// Any input must give a value or an Error, never a crash or a hang. When it gives a cut (strict
// or lenient), writing it and reading the result at the cut's rate must give an equal cut, and
// writing that again must give the same text. Shots are derived on every cut read.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "picture/edl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::picture;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The first byte picks the rate, so that drop-frame counting is exercised too.
  static const duet::time::FrameRate rates[] = {
      duet::time::FrameRate::fps24(),         duet::time::FrameRate::fps25(),
      duet::time::FrameRate::fps29_97(false), duet::time::FrameRate::fps29_97(true),
      duet::time::FrameRate::fps30(),         duet::time::FrameRate::fps59_94(true)};
  const std::size_t pick = size > 0 ? static_cast<std::uint8_t>(data[0]) % 6 : 0;
  for (const bool lenient : {false, true}) {
    EdlOptions options;
    options.rate = rates[pick];
    options.lenient = lenient;
    // The high bit: the rate is only a default, and an FCM DROP FRAME may choose 29.97 DF.
    options.rate_from_fcm = size > 0 && (static_cast<std::uint8_t>(data[0]) & 0x80) != 0;
    const auto read = read_edl(text, options);
    if (!read) continue;
    (void)read->cut.shots();
    const std::string written = write_edl(read->cut);
    EdlOptions again;
    again.rate = read->cut.rate;
    const auto back = read_edl(written, again);
    if (!back || !(back->cut == read->cut)) __builtin_trap();  // not a round trip
    if (write_edl(back->cut) != written) __builtin_trap();     // the writer is not stable
  }
  return 0;
}
