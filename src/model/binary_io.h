// The little-endian fields, LEB128 varints and bounded reads of duet's binary model files
// (model_file.h, chord_model_file.h); internal to src/model.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "model/mvs.h"
#include "model/ppm.h"

namespace duet::model::detail {

class Writer {
 public:
  void u8(std::uint8_t v) { out.push_back(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void u64(std::uint64_t v) {
    u32(static_cast<std::uint32_t>(v));
    u32(static_cast<std::uint32_t>(v >> 32));
  }
  void f64(double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    u64(u);
  }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
  }
  // Zigzag: 0, -1, 1, -2... as 0, 1, 2, 3... so that small magnitudes take one byte.
  void svarint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void ppm_options(const PpmOptions& o) {
    u8(static_cast<std::uint8_t>(o.escape));
    i32(o.order_bound);
    u8(o.update_exclusion ? 1 : 0);
  }
  void combination(const Combination& c) {
    u8(c.geometric ? 1 : 0);
    f64(c.bias);
  }
  std::vector<std::uint8_t> out;
};

// Reads little-endian fields; past the end (or a malformed varint) it returns zeros and clears
// ok, so that a caller checks once after a group of reads.
class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, std::size_t start) : in(bytes), pos(start) {}
  std::size_t left() const { return in.size() - pos; }
  bool take(std::size_t n) {
    if (left() < n) {
      ok = false;
      return false;
    }
    return true;
  }
  std::uint8_t u8() {
    if (!take(1)) return 0;
    return in[pos++];
  }
  std::uint32_t u32() {
    if (!take(4)) return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<std::uint32_t>(in[pos++]) << (8 * i);
    return v;
  }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::uint64_t u64() {
    const std::uint64_t lo = u32();
    const std::uint64_t hi = u32();
    return lo | (hi << 32);
  }
  double f64() {
    const std::uint64_t u = u64();
    double v = 0;
    std::memcpy(&v, &u, sizeof v);
    return v;
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = u8();
      if (!ok) return 0;
      // The tenth byte may only carry the 64th bit.
      if (shift == 63 && b > 1) break;
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    ok = false;
    return 0;
  }
  std::int64_t svarint() {
    const std::uint64_t u = varint();
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  // A count of items each taking at least `min_size` bytes: it must fit in what is left, which
  // bounds every allocation by the file's size.
  std::size_t count(std::size_t min_size) {
    const std::uint64_t n = varint();
    if (!ok || n > left() / min_size) {
      ok = false;
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  // Version 1's counts: u32.
  std::uint32_t count32(std::size_t size) {
    const std::uint32_t n = u32();
    if (!ok || left() / size < n) {
      ok = false;
      return 0;
    }
    return n;
  }
  bool ppm_options(PpmOptions& o) {
    const std::uint8_t e = u8();
    o.order_bound = i32();
    const std::uint8_t ux = u8();
    if (e > static_cast<std::uint8_t>(Escape::x) || ux > 1 || o.order_bound < -1) return false;
    o.escape = static_cast<Escape>(e);
    o.update_exclusion = ux == 1;
    return ok;
  }
  bool combination(Combination& c) {
    const std::uint8_t g = u8();
    c.bias = f64();
    c.geometric = g == 1;
    return ok && g <= 1 && c.bias >= 0.0 && c.bias <= 100.0;
  }
  std::span<const std::uint8_t> in;
  std::size_t pos = 0;
  bool ok = true;
};

}  // namespace duet::model::detail
