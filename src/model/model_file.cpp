#include "model/model_file.h"

#include <algorithm>
#include <cstring>

#include "base/file.h"

namespace duet::model {

namespace {

constexpr char kMagic[8] = {'D', 'U', 'E', 'T', 'M', 'O', 'D', 'L'};

class Writer {
 public:
  void u8(std::uint8_t v) { out.push_back(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    u32(static_cast<std::uint32_t>(u));
    u32(static_cast<std::uint32_t>(u >> 32));
  }
  void f64(double v) {
    std::uint64_t u = 0;
    std::memcpy(&u, &v, sizeof u);
    i64(static_cast<std::int64_t>(u));
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

class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes) : in(bytes) {}
  bool take(std::size_t n) {
    if (in.size() - pos < n) {
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
  std::int64_t i64() {
    const std::uint64_t lo = u32();
    const std::uint64_t hi = u32();
    return static_cast<std::int64_t>(lo | (hi << 32));
  }
  double f64() {
    const auto u = static_cast<std::uint64_t>(i64());
    double v = 0;
    std::memcpy(&v, &u, sizeof v);
    return v;
  }
  // A count of items of `size` bytes each that must fit in what is left.
  std::uint32_t count(std::size_t size) {
    const std::uint32_t n = u32();
    if (!ok || (in.size() - pos) / size < n) {
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

constexpr std::uint8_t kMaxBasic = static_cast<std::uint8_t>(BasicViewpoint::mode);

}  // namespace

std::vector<std::uint8_t> encode_model(const MelodyModel& model) {
  Writer w;
  for (char c : kMagic)
    w.u8(static_cast<std::uint8_t>(c));
  w.u32(kModelFormatVersion);
  const MelodyModelOptions& o = model.options();
  w.ppm_options(o.ltm_ppm);
  w.ppm_options(o.stm_ppm);
  w.combination(o.viewpoint_combination);
  w.combination(o.ltm_stm_combination);
  w.u8(static_cast<std::uint8_t>((o.use_ltm ? 1 : 0) | (o.use_stm ? 2 : 0) |
                                 (o.ltm_learns ? 4 : 0)));
  w.u32(static_cast<std::uint32_t>(model.pitch_domain().size()));
  for (int p : model.pitch_domain())
    w.i32(p);
  w.u32(static_cast<std::uint32_t>(model.viewpoint_models().size()));
  for (const auto& m : model.viewpoint_models()) {
    w.u8(static_cast<std::uint8_t>(m.viewpoint.parts.size()));
    for (BasicViewpoint b : m.viewpoint.parts)
      w.u8(static_cast<std::uint8_t>(b));
    w.u32(static_cast<std::uint32_t>(m.symbols.values().size()));
    for (std::int64_t v : m.symbols.values())
      w.i64(v);
    w.i32(m.ltm.alphabet_size());
    w.u32(static_cast<std::uint32_t>(m.ltm.nodes().size()));
    for (const Ppm::Node& n : m.ltm.nodes()) {
      w.i32(n.symbol);
      w.u32(n.count);
      w.u32(n.ux_count);
      w.u32(n.first_child);
      w.u32(n.next_sibling);
      w.u32(n.tail);
    }
    w.u32(static_cast<std::uint32_t>(m.ltm.data().size()));
    for (std::int32_t s : m.ltm.data())
      w.i32(s);
  }
  return std::move(w.out);
}

base::Result<MelodyModel> decode_model(std::span<const std::uint8_t> bytes,
                                       std::string_view where) {
  auto fail = [&](std::string_view what) {
    return base::make_error(base::ErrorKind::invalid_input, where, ": ", what,
                            "; rebuild it with duet train");
  };
  if (bytes.size() < 12 || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return fail("not a duet model file (no DUETMODL signature)");
  }
  Reader r(bytes);
  r.pos = 8;
  const std::uint32_t version = r.u32();
  if (version != kModelFormatVersion) {
    return base::make_error(base::ErrorKind::unsupported, where, ": model format version ", version,
                            " is not one this duet reads (", kModelFormatVersion,
                            "); rebuild it with duet train");
  }
  MelodyModelOptions o;
  if (!r.ppm_options(o.ltm_ppm) || !r.ppm_options(o.stm_ppm) ||
      !r.combination(o.viewpoint_combination) || !r.combination(o.ltm_stm_combination)) {
    return fail("the options are cut short or out of range");
  }
  const std::uint8_t flags = r.u8();
  o.use_ltm = (flags & 1) != 0;
  o.use_stm = (flags & 2) != 0;
  o.ltm_learns = (flags & 4) != 0;
  std::vector<int> domain(r.count(4));
  for (int& p : domain)
    p = r.i32();
  const std::uint32_t viewpoints = r.count(1);
  if (!r.ok) return fail("the file is cut short");
  for (std::size_t i = 1; i < domain.size(); ++i) {
    if (domain[i] <= domain[i - 1]) return fail("the pitch domain is not sorted");
  }
  o.viewpoints.clear();
  std::vector<MelodyModel::ViewpointModel> models;
  for (std::uint32_t v = 0; v < viewpoints; ++v) {
    Viewpoint vp;
    const std::uint8_t parts = r.u8();
    for (std::uint8_t i = 0; i < parts && r.ok; ++i) {
      const std::uint8_t b = r.u8();
      if (b > kMaxBasic) return fail("a viewpoint has an unknown part");
      vp.parts.push_back(static_cast<BasicViewpoint>(b));
    }
    if (parts == 0 || parts > 3) return fail("a viewpoint has no parts or more than three");
    SymbolTable symbols;
    const std::uint32_t n_symbols = r.count(8);
    for (std::uint32_t i = 0; i < n_symbols; ++i) {
      if (symbols.id(r.i64()) != static_cast<int>(i)) return fail("a symbol table repeats a value");
    }
    const std::int32_t alphabet = r.i32();
    std::vector<Ppm::Node> nodes(r.count(24));
    for (Ppm::Node& n : nodes) {
      n.symbol = r.i32();
      n.count = r.u32();
      n.ux_count = r.u32();
      n.first_child = r.u32();
      n.next_sibling = r.u32();
      n.tail = r.u32();
    }
    std::vector<std::int32_t> data(r.count(4));
    for (std::int32_t& s : data)
      s = r.i32();
    if (!r.ok) return fail("the file is cut short");
    if (alphabet < static_cast<std::int32_t>(n_symbols))
      return fail("a model's alphabet is smaller than its symbol table");
    Ppm ppm;
    if (!Ppm::from_parts(alphabet, o.ltm_ppm, std::move(nodes), std::move(data), ppm)) {
      return fail("a viewpoint's trie is inconsistent");
    }
    o.viewpoints.push_back(vp);
    models.push_back(MelodyModel::ViewpointModel{vp, std::move(symbols), std::move(ppm)});
  }
  if (r.pos != bytes.size()) return fail("there are bytes after the last viewpoint");
  MelodyModel model(o);
  model.viewpoint_models() = std::move(models);
  model.set_pitch_domain(std::move(domain));
  return model;
}

base::Result<void> save_model(const MelodyModel& model, const std::filesystem::path& path) {
  const auto bytes = encode_model(model);
  return base::write_file_atomic(path, bytes);
}

base::Result<MelodyModel> load_model(const std::filesystem::path& path) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  return decode_model(*bytes, path.string());
}

}  // namespace duet::model
