// libFuzzer target for reading audio files (render::decode_audio through libsndfile).
//
// Any input must give audio or an Error, never a crash or a hang; audio that decodes holds whole
// stereo frames (an even number of interleaved samples).
#include <cstddef>
#include <cstdint>
#include <span>

#include "render/render.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto audio = duet::render::decode_audio(std::span<const std::uint8_t>(data, size));
  if (audio) {
    if (audio->samples.size() % 2 != 0) __builtin_trap();
  }
  return 0;
}
