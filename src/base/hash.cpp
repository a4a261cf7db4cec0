#include "hash.h"

namespace duet::base {

std::uint64_t stable_hash(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;  // the FNV-1a offset basis
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;  // the FNV prime
  }
  return h;
}

std::uint64_t stable_hash(std::span<const std::uint8_t> bytes) {
  return stable_hash(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string hex64(std::uint64_t value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 16; ++i)
    out[static_cast<std::size_t>(i)] = kHex[(value >> (60 - 4 * i)) & 0xf];
  return out;
}

}  // namespace duet::base
