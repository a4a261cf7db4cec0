// What the two model-file targets (model_file_fuzz, model_chord_file_fuzz) share: the input with a
// matching CRC-32 for half the inputs, and the limits they read under.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/model_file.h"

namespace duet::fuzz {

// The files end in a CRC-32 that random bytes almost never match, so for odd-sized inputs of 16
// bytes or more the last four bytes are replaced with the right CRC: the parser behind the check
// is fuzzed too.
inline std::vector<std::uint8_t> with_crc_for_odd_sizes(const std::uint8_t* data,
                                                        std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  if (size % 2 == 1 && size >= 16) {
    const std::uint32_t crc = model::crc32(std::span(bytes).first(size - 4));
    for (std::size_t i = 0; i < 4; ++i)
      bytes[size - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  }
  return bytes;
}

// Small limits, so that no input allocates much or rebuilds for long (trie nodes, context steps).
inline constexpr model::ModelLimits kFuzzLimits{std::uint64_t{1} << 18, std::uint64_t{1} << 22};
// For reading back what a model that read writes: a little more room than it had.
inline constexpr model::ModelLimits kRereadLimits{std::uint64_t{1} << 20, std::uint64_t{1} << 24};

}  // namespace duet::fuzz
