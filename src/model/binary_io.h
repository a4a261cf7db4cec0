// The little-endian fields, LEB128 varints and bounded reads of duet's binary model files
// (model_file.h, chord_model_file.h), and the parts both formats store the same way: the
// signature, version and CRC-32 around the body, viewpoints' parts, symbol tables and the
// sequences a trie learnt. Internal to src/model.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "model/model_file.h"
#include "model/mvs.h"
#include "model/ppm.h"

namespace duet::model::detail {

class Writer {
 public:
  // The 8-byte signature and the u32 format version that start both formats.
  void header(const char (&magic)[8], std::uint32_t version) {
    out.insert(out.end(), magic, magic + 8);
    u32(version);
  }
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

// The readers below return "" when all went well, else what is wrong (the end of a sentence
// that the caller prefixes with the file's name).
inline constexpr std::string_view kCutShort = "the file is cut short";

// Both formats: an 8-byte signature, a u32 version (header_size = 12 bytes), the body, then the
// CRC-32 of everything before it.
inline bool has_signature(std::span<const std::uint8_t> bytes, const char (&magic)[8],
                          std::size_t header_size) {
  return bytes.size() >= header_size && std::memcmp(bytes.data(), magic, 8) == 0;
}
// Precondition: has_signature.
inline std::uint32_t format_version(std::span<const std::uint8_t> bytes) {
  Reader header(bytes, 8);
  return header.u32();
}
// `body`: every byte before the CRC-32, when the CRC matches.
inline std::string_view checked_body(std::span<const std::uint8_t> bytes, std::size_t header_size,
                                     std::span<const std::uint8_t>& body) {
  if (bytes.size() < header_size + 4) return kCutShort;
  body = bytes.first(bytes.size() - 4);
  Reader tail(bytes, body.size());
  if (tail.u32() != crc32(body)) {
    return "the file is damaged or cut short (its CRC-32 does not match)";
  }
  return "";
}

// A viewpoint: u8 number of parts (1 to 3), then each part's u8 code (at most max_part).
template <class Part>
void write_parts(Writer& w, const std::vector<Part>& parts) {
  w.u8(static_cast<std::uint8_t>(parts.size()));
  for (Part b : parts)
    w.u8(static_cast<std::uint8_t>(b));
}
template <class Part>
std::string_view read_parts(Reader& r, std::uint8_t max_part, std::vector<Part>& parts) {
  constexpr std::size_t kMaxParts = 3;
  const std::size_t n = r.u8();
  if (!r.ok) return kCutShort;
  if (n == 0 || n > kMaxParts) return "a viewpoint has no parts or more than three";
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t b = r.u8();
    if (!r.ok) return kCutShort;
    if (b > max_part) return "a viewpoint has an unknown part";
    parts.push_back(static_cast<Part>(b));
  }
  return "";
}

// A symbol table: varint count, then each value as a zigzag varint difference from the one
// before (wrapping arithmetic, so any int64 round-trips).
inline void write_symbols(Writer& w, const SymbolTable& table) {
  w.varint(table.values().size());
  std::int64_t previous = 0;
  for (std::int64_t v : table.values()) {
    w.svarint(static_cast<std::int64_t>(static_cast<std::uint64_t>(v) -
                                        static_cast<std::uint64_t>(previous)));
    previous = v;
  }
}
// Reads the `n` values after the count.
inline std::string_view read_symbols(Reader& r, std::size_t n, SymbolTable& table) {
  std::int64_t value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    value = static_cast<std::int64_t>(static_cast<std::uint64_t>(value) +
                                      static_cast<std::uint64_t>(r.svarint()));
    if (!r.ok) return kCutShort;
    if (table.id(value) != static_cast<int>(i)) return "a symbol table repeats a value";
  }
  return r.ok ? "" : kCutShort;
}

// Each sequence a trie learnt (its data is every one followed by kEnd; one still open is stored
// too and ends when read back): varint count, then each as a varint length and varint symbols.
inline void write_sequences(Writer& w, const Ppm& ppm) {
  const auto& data = ppm.data();
  std::vector<std::pair<std::size_t, std::size_t>> sequences;  // [begin, end) in data
  std::size_t begin = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == Ppm::kEnd) {
      sequences.emplace_back(begin, i);
      begin = i + 1;
    }
  }
  if (begin < data.size()) sequences.emplace_back(begin, data.size());
  w.varint(sequences.size());
  for (const auto& [b, e] : sequences) {
    w.varint(e - b);
    for (std::size_t i = b; i < e; ++i)
      w.varint(static_cast<std::uint64_t>(data[i]));
  }
}
// Every symbol must be below `alphabet`; `outside` is what to say of one that is not.
inline std::string_view read_sequences(Reader& r, std::uint64_t alphabet, std::string_view outside,
                                       std::vector<std::vector<int>>& sequences) {
  sequences.resize(r.count(1));
  for (auto& sequence : sequences) {
    sequence.resize(r.count(1));
    for (int& s : sequence) {
      const std::uint64_t id = r.varint();
      if (!r.ok) return kCutShort;
      if (id >= alphabet) return outside;
      s = static_cast<int>(id);
    }
  }
  return r.ok ? "" : kCutShort;
}

}  // namespace duet::model::detail
