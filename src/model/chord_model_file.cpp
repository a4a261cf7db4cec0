#include "model/chord_model_file.h"

#include <cstring>
#include <string>

#include "base/file.h"
#include "model/binary_io.h"

namespace duet::model {

namespace {

using detail::Reader;
using detail::Writer;

constexpr char kMagic[8] = {'D', 'U', 'E', 'T', 'C', 'H', 'R', 'D'};
constexpr std::size_t kHeaderSize = 12;  // magic + version
constexpr std::uint8_t kMaxBasic = static_cast<std::uint8_t>(ChordBasic::position);
constexpr std::size_t kMaxParts = 3;
constexpr std::size_t kMaxViewpoints = 64;

void write_viewpoints(Writer& w, const std::vector<ChordViewpoint>& viewpoints) {
  w.varint(viewpoints.size());
  for (const ChordViewpoint& v : viewpoints) {
    w.u8(static_cast<std::uint8_t>(v.parts.size()));
    for (ChordBasic b : v.parts)
      w.u8(static_cast<std::uint8_t>(b));
  }
}

// Each learnt sequence of a trie's data (every one followed by kEnd; one still open is stored
// too and ends when read back).
void write_sequences(Writer& w, const Ppm& ppm) {
  const auto& data = ppm.data();
  std::vector<std::pair<std::size_t, std::size_t>> sequences;
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

// "" when the viewpoints were read, else what is wrong.
std::string read_viewpoints(Reader& r, std::vector<ChordViewpoint>& out) {
  const std::size_t n = r.count(2);
  if (!r.ok) return "the file is cut short";
  if (n > kMaxViewpoints) return "it names more than 64 viewpoints";
  for (std::size_t v = 0; v < n; ++v) {
    ChordViewpoint viewpoint;
    const std::size_t parts = r.u8();
    if (!r.ok) return "the file is cut short";
    if (parts == 0 || parts > kMaxParts) return "a viewpoint has no parts or more than three";
    for (std::size_t i = 0; i < parts; ++i) {
      const std::uint8_t b = r.u8();
      if (!r.ok) return "the file is cut short";
      if (b > kMaxBasic) return "a viewpoint has an unknown part";
      viewpoint.parts.push_back(static_cast<ChordBasic>(b));
    }
    out.push_back(std::move(viewpoint));
  }
  return "";
}

}  // namespace

std::vector<std::uint8_t> encode_chord_model(const ChordModel& model) {
  Writer w;
  w.out.insert(w.out.end(), kMagic, kMagic + 8);
  w.u32(kChordModelFormatVersion);
  const ChordModelOptions& o = model.options();
  w.ppm_options(o.ltm_ppm);
  w.ppm_options(o.stm_ppm);
  w.combination(o.viewpoint_combination);
  w.combination(o.combination);
  w.u8(static_cast<std::uint8_t>((o.use_ltm ? 1 : 0) | (o.use_stm ? 2 : 0) | (o.by_mode ? 4 : 0) |
                                 (o.ltm_learns ? 8 : 0)));
  write_viewpoints(w, o.viewpoints);
  write_viewpoints(w, o.stm_viewpoints);
  w.varint(model.viewpoint_models().size());
  for (const auto& m : model.viewpoint_models()) {
    w.varint(m.table.values().size());
    std::int64_t previous = 0;
    for (std::int64_t v : m.table.values()) {
      w.svarint(static_cast<std::int64_t>(static_cast<std::uint64_t>(v) -
                                          static_cast<std::uint64_t>(previous)));
      previous = v;
    }
    write_sequences(w, m.major);
    write_sequences(w, m.minor);
  }
  w.u32(crc32(w.out));
  return std::move(w.out);
}

base::Result<ChordModel> decode_chord_model(std::span<const std::uint8_t> bytes,
                                            std::string_view where, const ModelLimits& limits) {
  const auto fail = [&](std::string_view what) {
    return base::make_error(base::ErrorKind::invalid_input, where, ": ", what,
                            "; rebuild it with duet train --chords");
  };
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return fail("not a duet chord model file (no DUETCHRD signature)");
  }
  Reader header(bytes, 8);
  const std::uint32_t version = header.u32();
  if (version != kChordModelFormatVersion) {
    return base::make_error(base::ErrorKind::unsupported, where, ": chord model format version ",
                            version, " is not one this duet reads (", kChordModelFormatVersion,
                            "); use the duet that wrote it or rebuild it with duet train --chords");
  }
  if (bytes.size() < kHeaderSize + 4) return fail("the file is cut short");
  const auto body = bytes.first(bytes.size() - 4);
  Reader tail(bytes, body.size());
  if (tail.u32() != crc32(body)) {
    return fail("the file is damaged or cut short (its CRC-32 does not match)");
  }
  Reader r(body, kHeaderSize);
  ChordModelOptions o;
  if (!r.ppm_options(o.ltm_ppm) || !r.ppm_options(o.stm_ppm) ||
      !r.combination(o.viewpoint_combination) || !r.combination(o.combination)) {
    return fail("the options are cut short or out of range");
  }
  const std::uint8_t flags = r.u8();
  if (!r.ok || flags >= 16) return fail("the options are cut short or out of range");
  o.use_ltm = (flags & 1) != 0;
  o.use_stm = (flags & 2) != 0;
  o.by_mode = (flags & 4) != 0;
  o.ltm_learns = (flags & 8) != 0;
  o.viewpoints.clear();
  if (auto what = read_viewpoints(r, o.viewpoints); !what.empty()) return fail(what);
  if (o.viewpoints.empty()) return fail("the model has no viewpoints");
  if (auto what = read_viewpoints(r, o.stm_viewpoints); !what.empty()) return fail(what);
  ChordModel model(o);
  auto& models = model.viewpoint_models();
  const std::size_t count = r.count(1);
  if (!r.ok) return fail("the file is cut short");
  if (count != models.size())
    return fail("the number of viewpoint models does not match its options");
  std::uint64_t nodes = 0;
  std::uint64_t steps = 0;
  for (auto& m : models) {
    const std::size_t n_symbols = r.count(1);
    std::int64_t value = 0;
    for (std::size_t i = 0; i < n_symbols; ++i) {
      value = static_cast<std::int64_t>(static_cast<std::uint64_t>(value) +
                                        static_cast<std::uint64_t>(r.svarint()));
      if (!r.ok) return fail("the file is cut short");
      if (m.table.id(value) != static_cast<int>(i)) return fail("a symbol table repeats a value");
    }
    if (!r.ok) return fail("the file is cut short");
    const int alphabet = m.table.size();
    for (Ppm* ppm : {&m.major, &m.minor}) {
      std::vector<std::vector<int>> sequences(r.count(1));
      for (auto& sequence : sequences) {
        sequence.resize(r.count(1));
        for (int& s : sequence) {
          const std::uint64_t id = r.varint();
          if (!r.ok) return fail("the file is cut short");
          if (id >= static_cast<std::uint64_t>(alphabet)) {
            return fail("a learnt symbol is outside its viewpoint's symbol table");
          }
          s = static_cast<int>(id);
        }
      }
      if (!r.ok) return fail("the file is cut short");
      auto rebuilt = rebuild_ppm(sequences, alphabet, o.ltm_ppm, limits, nodes, steps);
      if (!rebuilt) {
        return base::make_error(rebuilt.error().kind, where, ": ", rebuilt.error().message,
                                "; rebuild it with duet train --chords");
      }
      *ppm = std::move(*rebuilt);
    }
  }
  if (r.left() != 0) return fail("there are bytes after the last viewpoint model");
  return model;
}

base::Result<void> save_chord_model(const ChordModel& model, const std::filesystem::path& path) {
  const auto bytes = encode_chord_model(model);
  return base::write_file_atomic(path, bytes);
}

base::Result<ChordModel> load_chord_model(const std::filesystem::path& path,
                                          const ModelLimits& limits) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  return decode_chord_model(*bytes, path.string(), limits);
}

}  // namespace duet::model
