// A hash that is the same on every platform, compiler and run (std::hash is not): for seeds drawn
// from names, fingerprints of models and drafts, and the hashes reports print for files.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace duet::base {

// FNV-1a, 64 bits, over the bytes of `bytes`.
std::uint64_t stable_hash(std::string_view bytes);
std::uint64_t stable_hash(std::span<const std::uint8_t> bytes);

// `value` as 16 lower-case hex digits, most significant first.
std::string hex64(std::uint64_t value);

}  // namespace duet::base
