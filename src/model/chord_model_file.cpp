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
constexpr std::size_t kMaxViewpoints = 64;

void write_viewpoints(Writer& w, const std::vector<ChordViewpoint>& viewpoints) {
  w.varint(viewpoints.size());
  for (const ChordViewpoint& v : viewpoints)
    detail::write_parts(w, v.parts);
}

// "" when the viewpoints were read, else what is wrong.
std::string_view read_viewpoints(Reader& r, std::vector<ChordViewpoint>& out) {
  const std::size_t n = r.count(2);
  if (!r.ok) return detail::kCutShort;
  if (n > kMaxViewpoints) return "it names more than 64 viewpoints";
  for (std::size_t v = 0; v < n; ++v) {
    ChordViewpoint viewpoint;
    if (auto what = detail::read_parts(r, kMaxBasic, viewpoint.parts); !what.empty()) return what;
    out.push_back(std::move(viewpoint));
  }
  return "";
}

}  // namespace

std::vector<std::uint8_t> encode_chord_model(const ChordModel& model) {
  Writer w;
  w.header(kMagic, kChordModelFormatVersion);
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
    detail::write_symbols(w, m.table);
    detail::write_sequences(w, m.major);
    detail::write_sequences(w, m.minor);
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
  if (!detail::has_signature(bytes, kMagic, kHeaderSize)) {
    return fail("not a duet chord model file (no DUETCHRD signature)");
  }
  const std::uint32_t version = detail::format_version(bytes);
  if (version != kChordModelFormatVersion) {
    return base::make_error(base::ErrorKind::unsupported, where, ": chord model format version ",
                            version, " is not one this duet reads (", kChordModelFormatVersion,
                            "); use the duet that wrote it or rebuild it with duet train --chords");
  }
  std::span<const std::uint8_t> body;
  if (auto what = detail::checked_body(bytes, kHeaderSize, body); !what.empty()) return fail(what);
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
  if (!r.ok) return fail(detail::kCutShort);
  if (count != models.size())
    return fail("the number of viewpoint models does not match its options");
  std::uint64_t nodes = 0;
  std::uint64_t steps = 0;
  for (auto& m : models) {
    const std::size_t n_symbols = r.count(1);
    if (auto what = detail::read_symbols(r, n_symbols, m.table); !what.empty()) return fail(what);
    const int alphabet = m.table.size();
    for (Ppm* ppm : {&m.major, &m.minor}) {
      std::vector<std::vector<int>> sequences;
      if (auto what = detail::read_sequences(
              r, static_cast<std::uint64_t>(alphabet),
              "a learnt symbol is outside its viewpoint's symbol table", sequences);
          !what.empty()) {
        return fail(what);
      }
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
