#include "model/model_file.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <variant>

#include "base/file.h"
#include "model/binary_io.h"

namespace duet::model {

namespace {

constexpr char kMagic[8] = {'D', 'U', 'E', 'T', 'M', 'O', 'D', 'L'};
constexpr std::size_t kHeaderSize = 12;  // magic + version
constexpr std::uint8_t kMaxBasic = static_cast<std::uint8_t>(BasicViewpoint::mode);

using detail::Reader;
using detail::Writer;

constexpr std::array<std::uint32_t, 256> crc_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

struct Failure {
  base::ErrorKind kind;
  std::string what;
};

// Everything a format version's reader produces before the model is put together.
struct Parsed {
  MelodyModelOptions options;
  std::vector<int> domain;
  std::vector<MelodyModel::ViewpointModel> models;
};

using ParseResult = std::variant<Parsed, Failure>;

Failure invalid(std::string_view what) {
  return Failure{base::ErrorKind::invalid_input, std::string(what)};
}

// The options both versions store; version 2 adds two flags (the context alphabets), version 1
// files get MelodyModelOptions' defaults for them.
bool read_options(Reader& r, MelodyModelOptions& o, int version) {
  if (!r.ppm_options(o.ltm_ppm) || !r.ppm_options(o.stm_ppm) ||
      !r.combination(o.viewpoint_combination) || !r.combination(o.ltm_stm_combination)) {
    return false;
  }
  const std::uint8_t flags = r.u8();
  o.use_ltm = (flags & 1) != 0;
  o.use_stm = (flags & 2) != 0;
  o.ltm_learns = (flags & 4) != 0;
  if (version == 1) return r.ok && flags < 8;
  o.ltm_context_alphabet = (flags & 8) != 0;
  o.stm_context_alphabet = (flags & 16) != 0;
  return r.ok && flags < 32;
}

std::optional<Failure> check_domain(const std::vector<int>& domain) {
  for (std::size_t i = 0; i < domain.size(); ++i) {
    if (domain[i] < 0 || domain[i] > 127) return invalid("a pitch of the domain is not 0..127");
    if (i > 0 && domain[i] <= domain[i - 1]) return invalid("the pitch domain is not sorted");
  }
  return std::nullopt;
}

std::optional<Failure> read_viewpoint(Reader& r, Viewpoint& vp) {
  if (auto what = detail::read_parts(r, kMaxBasic, vp.parts); !what.empty()) return invalid(what);
  return std::nullopt;
}

ParseResult parse_v1(Reader& r, const ModelLimits& limits) {
  Parsed p;
  MelodyModelOptions& o = p.options;
  if (!read_options(r, o, 1)) return invalid("the options are cut short or out of range");
  p.domain.resize(r.count32(4));
  for (int& x : p.domain)
    x = r.i32();
  const std::uint32_t viewpoints = r.count32(1);
  if (!r.ok) return invalid("the file is cut short");
  if (auto f = check_domain(p.domain)) return *f;
  o.viewpoints.clear();
  std::uint64_t total_nodes = 0;
  for (std::uint32_t v = 0; v < viewpoints; ++v) {
    Viewpoint vp;
    if (auto f = read_viewpoint(r, vp)) return *f;
    SymbolTable symbols;
    const std::uint32_t n_symbols = r.count32(8);
    for (std::uint32_t i = 0; i < n_symbols; ++i) {
      if (symbols.id(static_cast<std::int64_t>(r.u64())) != static_cast<int>(i)) {
        return invalid("a symbol table repeats a value");
      }
    }
    const std::int32_t alphabet = r.i32();
    std::vector<Ppm::Node> nodes(r.count32(24));
    total_nodes += nodes.size();
    if (total_nodes > limits.max_nodes) {
      return Failure{base::ErrorKind::out_of_range, "the model has more trie nodes than allowed"};
    }
    for (Ppm::Node& n : nodes) {
      n.symbol = r.i32();
      n.count = r.u32();
      n.ux_count = r.u32();
      n.first_child = r.u32();
      n.next_sibling = r.u32();
      n.tail = r.u32();
    }
    std::vector<std::int32_t> data(r.count32(4));
    for (std::int32_t& s : data)
      s = r.i32();
    if (!r.ok) return invalid("the file is cut short");
    // The alphabet is always the symbol table's size; a larger one would only cost memory at
    // every prediction.
    if (alphabet != static_cast<std::int32_t>(n_symbols)) {
      return invalid("a model's alphabet is not the size of its symbol table");
    }
    Ppm ppm;
    if (!Ppm::from_parts(alphabet, o.ltm_ppm, std::move(nodes), std::move(data), ppm)) {
      return invalid("a viewpoint's trie is inconsistent");
    }
    o.viewpoints.push_back(vp);
    p.models.push_back(MelodyModel::ViewpointModel{vp, std::move(symbols), std::move(ppm)});
  }
  if (r.left() != 0) return invalid("there are bytes after the last viewpoint");
  return p;
}

// Trains a trie on `sequences` as MelodyModel did (each in turn, each ended), counting the
// context updates (the cursor's longest active context + 1 per symbol) and the nodes so as to
// stop past the limits.
std::optional<Failure> rebuild(const std::vector<std::vector<int>>& sequences, int alphabet,
                               const PpmOptions& options, const ModelLimits& limits,
                               std::uint64_t& nodes_so_far, std::uint64_t& steps, Ppm& out) {
  // With the order bound at its maximum, selected_order() is the longest active context.
  PpmOptions counting = options;
  counting.order_bound = std::numeric_limits<int>::max();
  Ppm ppm(alphabet, counting);
  const auto too_big = [&] {
    return Failure{base::ErrorKind::out_of_range,
                   "rebuilding the model would take more than the allowed time or memory (it is "
                   "damaged or was trained on extremely repetitive melodies)"};
  };
  for (const auto& sequence : sequences) {
    Ppm::Cursor cursor(ppm, true);
    for (std::size_t i = 0; i <= sequence.size(); ++i) {
      steps += static_cast<std::uint64_t>(cursor.selected_order()) + 1;
      if (steps > limits.max_steps) return too_big();
      if (i == sequence.size()) {
        cursor.finish();
      } else {
        cursor.advance(sequence[i]);
      }
      if (nodes_so_far + ppm.node_count() > limits.max_nodes) return too_big();
    }
  }
  nodes_so_far += ppm.node_count();
  ppm.set_options(options);
  ppm.shrink_to_fit();  // a loaded model has no spare room to keep
  out = std::move(ppm);
  return std::nullopt;
}

ParseResult parse_v2(Reader& r, const ModelLimits& limits) {
  Parsed p;
  MelodyModelOptions& o = p.options;
  if (!read_options(r, o, 2)) return invalid("the options are cut short or out of range");
  p.domain.resize(r.count(1));
  int pitch = 0;
  for (std::size_t i = 0; i < p.domain.size(); ++i) {
    const std::uint64_t step = r.varint();
    if (!r.ok) return invalid("the file is cut short");
    if (step > 127 || (i > 0 && step == 0) || pitch + static_cast<int>(step) > 127) {
      return invalid("a pitch of the domain is not 0..127 or the domain is not sorted");
    }
    pitch += static_cast<int>(step);
    p.domain[i] = pitch;
  }
  const std::size_t viewpoints = r.count(1);
  if (!r.ok) return invalid("the file is cut short");
  o.viewpoints.clear();
  std::uint64_t nodes = 0;
  std::uint64_t steps = 0;
  for (std::size_t v = 0; v < viewpoints; ++v) {
    Viewpoint vp;
    if (auto f = read_viewpoint(r, vp)) return *f;
    SymbolTable symbols;
    const std::size_t n_symbols = r.count(1);
    if (n_symbols > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return invalid("a symbol table is too large");
    }
    if (auto what = detail::read_symbols(r, n_symbols, symbols); !what.empty()) {
      return invalid(what);
    }
    std::vector<std::vector<int>> sequences;
    if (auto what = detail::read_sequences(
            r, n_symbols, "a training sequence uses a symbol outside its table", sequences);
        !what.empty()) {
      return invalid(what);
    }
    Ppm ppm;
    if (auto f =
            rebuild(sequences, static_cast<int>(n_symbols), o.ltm_ppm, limits, nodes, steps, ppm)) {
      return *f;
    }
    o.viewpoints.push_back(vp);
    p.models.push_back(MelodyModel::ViewpointModel{vp, std::move(symbols), std::move(ppm)});
  }
  if (r.left() != 0) return invalid("there are bytes after the last viewpoint");
  return p;
}

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
  static constexpr auto table = crc_table();
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : bytes)
    c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::vector<std::uint8_t> encode_model(const MelodyModel& model) {
  Writer w;
  w.header(kMagic, kModelFormatVersion);
  const MelodyModelOptions& o = model.options();
  w.ppm_options(o.ltm_ppm);
  w.ppm_options(o.stm_ppm);
  w.combination(o.viewpoint_combination);
  w.combination(o.ltm_stm_combination);
  w.u8(static_cast<std::uint8_t>((o.use_ltm ? 1 : 0) | (o.use_stm ? 2 : 0) |
                                 (o.ltm_learns ? 4 : 0) | (o.ltm_context_alphabet ? 8 : 0) |
                                 (o.stm_context_alphabet ? 16 : 0)));
  w.varint(model.pitch_domain().size());
  int previous = 0;
  for (int p : model.pitch_domain()) {
    w.varint(static_cast<std::uint64_t>(p - previous));
    previous = p;
  }
  w.varint(model.viewpoint_models().size());
  for (const auto& m : model.viewpoint_models()) {
    detail::write_parts(w, m.viewpoint.parts);
    detail::write_symbols(w, m.symbols);
    // A sequence not ended (a learning cursor still open) is one MelodyModel never leaves.
    detail::write_sequences(w, m.ltm);
  }
  w.u32(crc32(w.out));
  return std::move(w.out);
}

base::Result<Ppm> rebuild_ppm(const std::vector<std::vector<int>>& sequences, int alphabet,
                              const PpmOptions& options, const ModelLimits& limits,
                              std::uint64_t& nodes, std::uint64_t& steps) {
  Ppm ppm;
  if (auto f = rebuild(sequences, alphabet, options, limits, nodes, steps, ppm)) {
    return base::make_error(f->kind, f->what);
  }
  return ppm;
}

base::Result<MelodyModel> decode_model(std::span<const std::uint8_t> bytes, std::string_view where,
                                       const ModelLimits& limits) {
  auto fail = [&](const Failure& f) {
    return base::make_error(f.kind, where, ": ", f.what, "; rebuild it with duet train");
  };
  if (!detail::has_signature(bytes, kMagic, kHeaderSize)) {
    return fail(invalid("not a duet model file (no DUETMODL signature)"));
  }
  const std::uint32_t version = detail::format_version(bytes);
  ParseResult parsed;
  if (version == 1) {
    Reader r(bytes, kHeaderSize);
    parsed = parse_v1(r, limits);
  } else if (version == 2) {
    std::span<const std::uint8_t> body;
    if (auto what = detail::checked_body(bytes, kHeaderSize, body); !what.empty()) {
      return fail(invalid(what));
    }
    Reader r(body, kHeaderSize);
    parsed = parse_v2(r, limits);
  } else if (version > kModelFormatVersion) {
    return base::make_error(base::ErrorKind::unsupported, where, ": model format version ", version,
                            " is newer than this duet reads (1 to ", kModelFormatVersion,
                            "); use a newer duet or rebuild it with duet train");
  } else {
    return base::make_error(base::ErrorKind::unsupported, where, ": model format version ", version,
                            " is not one duet has written; rebuild it with duet train");
  }
  if (const auto* f = std::get_if<Failure>(&parsed)) return fail(*f);
  Parsed& p = std::get<Parsed>(parsed);
  MelodyModel model(p.options);
  model.viewpoint_models() = std::move(p.models);
  model.set_pitch_domain(std::move(p.domain));
  return model;
}

base::Result<void> save_model(const MelodyModel& model, const std::filesystem::path& path) {
  const auto bytes = encode_model(model);
  return base::write_file_atomic(path, bytes);
}

base::Result<MelodyModel> load_model(const std::filesystem::path& path, const ModelLimits& limits) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  return decode_model(*bytes, path.string(), limits);
}

}  // namespace duet::model
