#include "model/ppm.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace duet::model {

namespace {

struct EscapeParams {
  double k;  // added to every seen symbol's count
  double d;  // divides the type count in the escape weight
};

EscapeParams escape_params(Escape e) {
  switch (e) {
    case Escape::a:
      return {0.0, 1.0};
    case Escape::b:
      return {-1.0, 1.0};
    case Escape::c:
      return {0.0, 1.0};
    case Escape::d:
      return {-0.5, 2.0};
    case Escape::x:
      return {0.0, 1.0};
  }
  return {0.0, 1.0};
}

}  // namespace

double information_content(double p) {
  return p > 0.0 ? -std::log2(p) : INFINITY;
}

double entropy_bits(std::span<const double> distribution) {
  double h = 0.0;
  for (double p : distribution) {
    if (p > 0.0) h -= p * std::log2(p);
  }
  return h;
}

Ppm::Ppm(int alphabet_size, PpmOptions options) : alphabet_size_(alphabet_size), options_(options) {
  nodes_.push_back(Node{});  // the root
  blocks_.push_back(Block{});
}

std::uint32_t Ppm::find_edge(std::uint32_t node, std::int32_t symbol) const {
  const Block b = blocks_[node];
  if (node == 0) {
    const auto slot = static_cast<std::size_t>(symbol + 1);
    return slot < root_index_.size() && root_index_[slot] != kNone ? b.begin + root_index_[slot]
                                                                   : kNone;
  }
  const Edge* e = edges_.data() + b.begin;
  // Newest first, as the sibling chain runs (only a damaged version 1 file could hold two
  // children with one symbol; both ways then find the same one).
  for (std::uint32_t i = b.size; i-- > 0;) {
    if (e[i].symbol == symbol) return b.begin + i;
  }
  return kNone;
}

std::uint32_t Ppm::find_child(std::uint32_t node, std::int32_t symbol) const {
  const std::uint32_t e = find_edge(node, symbol);
  return e == kNone ? kNone : edges_[e].child;
}

std::size_t Ppm::memory_bytes() const {
  std::size_t bytes = nodes_.capacity() * sizeof(Node) + data_.capacity() * sizeof(std::int32_t) +
                      blocks_.capacity() * sizeof(Block) + edges_.capacity() * sizeof(Edge) +
                      root_index_.capacity() * sizeof(std::uint32_t);
  for (const auto& f : free_blocks_)
    bytes += f.capacity() * sizeof(std::uint32_t);
  return bytes;
}

void Ppm::add_edge(std::uint32_t parent, std::int32_t symbol, std::uint32_t child) {
  Block& b = blocks_[parent];
  if (b.size == 0 || std::has_single_bit(b.size)) {
    // Full (sizes 0, 1, 2, 4...): move to a block twice the size, reusing a free one if any.
    const std::uint32_t capacity = b.size == 0 ? 1 : 2 * b.size;
    const auto log2 = static_cast<std::size_t>(std::countr_zero(capacity));
    if (free_blocks_.size() <= log2) free_blocks_.resize(log2 + 1);
    std::uint32_t begin = 0;
    if (!free_blocks_[log2].empty()) {
      begin = free_blocks_[log2].back();
      free_blocks_[log2].pop_back();
    } else {
      begin = static_cast<std::uint32_t>(edges_.size());
      edges_.resize(edges_.size() + capacity);
    }
    std::copy_n(edges_.begin() + b.begin, b.size, edges_.begin() + begin);
    if (b.size > 0) free_blocks_[log2 - 1].push_back(b.begin);
    b.begin = begin;
  }
  edges_[b.begin + b.size] = Edge{symbol, child, nodes_[child].count, nodes_[child].ux_count};
  if (parent == 0) {
    // Positions within a block survive its moves.
    const auto slot = static_cast<std::size_t>(symbol + 1);
    if (root_index_.size() <= slot) root_index_.resize(slot + 1, kNone);
    root_index_[slot] = b.size;
  }
  ++b.size;
}

std::uint32_t Ppm::add_child(std::uint32_t parent, std::int32_t symbol, std::uint32_t tail) {
  const auto id = static_cast<std::uint32_t>(nodes_.size());
  Node n;
  n.symbol = symbol;
  n.count = 1;
  n.ux_count = 0;
  n.tail = symbol == kEnd ? kNone : tail;
  n.next_sibling = nodes_[parent].first_child;
  nodes_.push_back(n);
  blocks_.push_back(Block{});
  nodes_[parent].first_child = id;
  add_edge(parent, symbol, id);
  return id;
}

void Ppm::increment(std::uint32_t edge) {
  ++edges_[edge].count;
  const std::uint32_t node = edges_[edge].child;
  Node& n = nodes_[node];
  ++n.count;
  if (n.count == 2 && n.tail != kNone) {
    // The second occurrence: expand the first one's continuation out of the compressed tail.
    const std::uint32_t tail = n.tail;
    n.tail = kNone;
    const std::int32_t next = data_[tail];
    const std::uint32_t child = add_child(node, next, tail + 1);
    nodes_[child].ux_count = 1;
    edges_[last_edge(node)].ux_count = 1;
  }
}

void Ppm::train(std::span<const int> sequence) {
  Cursor cursor(*this, true);
  for (int s : sequence)
    cursor.advance(s);
  cursor.finish();
}

bool Ppm::from_parts(int alphabet_size, PpmOptions options, std::vector<Node> nodes,
                     std::vector<std::int32_t> data, Ppm& out) {
  if (nodes.empty() || alphabet_size < 0) return false;
  const auto n = nodes.size();
  for (const Node& node : nodes) {
    if (node.first_child != kNone && node.first_child >= n) return false;
    if (node.next_sibling != kNone && node.next_sibling >= n) return false;
    if (node.tail != kNone && node.tail >= data.size()) return false;
    if (node.symbol < kEnd || node.symbol >= alphabet_size) return false;
  }
  for (std::int32_t s : data) {
    if (s < kEnd || s >= alphabet_size) return false;
  }
  if (!data.empty() && data.back() != kEnd) return false;
  // Sibling chains must not loop (a corrupt file could make one): each node is some node's
  // child or sibling at most once.
  std::vector<std::uint8_t> linked(n, 0);
  for (const Node& node : nodes) {
    for (std::uint32_t link : {node.first_child, node.next_sibling}) {
      if (link == kNone) continue;
      if (link == 0 || linked[link]) return false;
      linked[link] = 1;
    }
  }
  out.alphabet_size_ = alphabet_size;
  out.options_ = options;
  out.nodes_ = std::move(nodes);
  out.data_ = std::move(data);
  out.blocks_.assign(n, Block{});
  out.edges_.clear();
  out.free_blocks_.clear();
  out.root_index_.clear();
  // The child blocks, from the sibling chains (which, checked above, are simple paths). Each
  // node's edges in the order of its chain, as add_child would have kept them.
  std::vector<std::uint32_t> chain;
  for (std::uint32_t p = 0; p < n; ++p) {
    chain.clear();
    for (std::uint32_t c = out.nodes_[p].first_child; c != kNone; c = out.nodes_[c].next_sibling)
      chain.push_back(c);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
      out.add_edge(p, out.nodes_[*it].symbol, *it);
  }
  return true;
}

// ---- Cursor ----

Ppm::Cursor::Cursor(Ppm& model, bool learn) : model_(&model), learner_(learn ? &model : nullptr) {
  active_.push_back(Loc{0, 0});
}

Ppm::Cursor::Cursor(const Ppm& model) : model_(&model) {
  active_.push_back(Loc{0, 0});
}

Ppm::Cursor::~Cursor() = default;

Ppm::Cursor::Loc Ppm::Cursor::to_loc(std::uint32_t node) const {
  const Ppm& m = *model_;
  if (m.blocks_[node].size == 0 && m.nodes_[node].tail != kNone) {
    return Loc{kNone, m.nodes_[node].tail};
  }
  return Loc{node, 0};
}

void Ppm::Cursor::advance(int symbol) {
  if (finished_) return;
  if (learner_ != nullptr) {
    Ppm& m = *learner_;
    const auto w = static_cast<std::uint32_t>(m.data_.size());
    m.data_.push_back(symbol);
    if (symbol != kEnd && symbol >= m.alphabet_size_) m.alphabet_size_ = symbol + 1;
    // Deepest context first, so that update exclusion can stop at the first context that had
    // already seen the symbol.
    children_.assign(active_.size(), kNone);
    bool ux_open = true;
    for (std::size_t d = active_.size(); d-- > 0;) {
      const std::uint32_t node = active_[d].node;
      // The edge's index in edges_ stays valid while the child grows its own block.
      std::uint32_t e = m.find_edge(node, symbol);
      const bool existed = e != kNone;
      if (existed) {
        m.increment(e);
      } else {
        m.add_child(node, symbol, w + 1);
        e = m.last_edge(node);
      }
      const std::uint32_t c = m.edges_[e].child;
      if (ux_open) {
        ++m.nodes_[c].ux_count;
        ++m.edges_[e].ux_count;
        if (existed) ux_open = false;
      }
      children_[d] = c;
    }
    // Contexts seen before (count >= 2 now) stay active; suffix closure makes them contiguous.
    active_.resize(1);
    if (symbol == kEnd) return;
    for (std::uint32_t c : children_) {
      if (m.nodes_[c].count < 2) break;
      active_.push_back(Loc{c, 0});
    }
    return;
  }
  const Ppm& m = *model_;
  next_.clear();
  next_.push_back(Loc{0, 0});
  for (const Loc& loc : active_) {
    if (loc.node != kNone) {
      const std::uint32_t c = m.find_child(loc.node, symbol);
      if (c == kNone) break;
      next_.push_back(to_loc(c));
    } else {
      if (m.data_[loc.pos] != symbol) break;
      next_.push_back(Loc{kNone, loc.pos + 1});
    }
  }
  active_.swap(next_);
}

void Ppm::Cursor::finish() {
  if (finished_) return;
  if (learner_ != nullptr) advance(kEnd);
  finished_ = true;
  active_.resize(1);
}

bool Ppm::Cursor::deterministic(const Loc& loc) const {
  if (loc.node == kNone) return true;
  return model_->blocks_[loc.node].size == 1;
}

int Ppm::Cursor::selected_order() const {
  const int longest = static_cast<int>(active_.size()) - 1;
  const int bound = model_->options_.order_bound;
  if (bound >= 0) return std::min(longest, bound);
  for (int d = 1; d <= longest; ++d) {
    if (deterministic(active_[static_cast<std::size_t>(d)])) return d;
  }
  return longest;
}

void Ppm::Cursor::collect(const Loc& loc, bool update_excluded, std::size_t alphabet,
                          std::span<const std::uint8_t> allowed,
                          std::vector<std::pair<int, double>>& out) const {
  out.clear();
  const Ppm& m = *model_;
  const auto usable = [&](std::int32_t s) {
    return s != kEnd && static_cast<std::size_t>(s) < alphabet &&
           (allowed.empty() || allowed[static_cast<std::size_t>(s)] != 0);
  };
  if (loc.node == kNone) {
    const std::int32_t s = m.data_[loc.pos];
    if (usable(s)) out.emplace_back(s, 1.0);
    return;
  }
  const Block b = m.blocks_[loc.node];
  const Edge* edges = m.edges_.data() + b.begin;
  for (std::uint32_t i = 0; i < b.size; ++i) {
    const std::int32_t s = edges[i].symbol;
    if (!usable(s)) continue;
    const std::uint32_t count = update_excluded ? edges[i].ux_count : edges[i].count;
    if (count > 0) out.emplace_back(s, static_cast<double>(count));
  }
}

void Ppm::Cursor::predict(std::span<double> out, std::span<const std::uint8_t> allowed) const {
  const auto alphabet = static_cast<std::size_t>(model_->alphabet_size_);
  if (out.size() > alphabet) std::fill(out.begin() + static_cast<long>(alphabet), out.end(), 0.0);
  const double sum = predict_unnormalised(out, allowed, model_->alphabet_size_);
  if (sum > 0.0) {
    for (std::size_t i = 0; i < alphabet; ++i)
      out[i] /= sum;
  }
}

double Ppm::Cursor::predict_unnormalised(std::span<double> out,
                                         std::span<const std::uint8_t> allowed, int alphabet_size,
                                         std::span<const std::uint32_t> allowed_symbols) const {
  const Ppm& m = *model_;
  const auto alphabet = static_cast<std::size_t>(std::max(alphabet_size, m.alphabet_size_));
  if (alphabet == 0 || out.size() < alphabet) {
    std::fill(out.begin(), out.end(), 0.0);
    return 0.0;
  }
  std::fill(out.begin(), out.begin() + static_cast<long>(alphabet), 0.0);
  if (allowed.size() < alphabet) allowed = {};
  // The allowed symbols in increasing order: the sum below must add them in the same order as
  // a pass over the whole alphabet would (floating-point addition is not associative).
  thread_local std::vector<std::uint32_t> allowed_list;
  std::size_t allowed_count = alphabet;
  if (!allowed.empty() && !allowed_symbols.empty()) {
    allowed_count = allowed_symbols.size();
  } else if (!allowed.empty()) {
    allowed_list.clear();
    for (std::size_t i = 0; i < alphabet; ++i) {
      if (allowed[i] != 0) allowed_list.push_back(static_cast<std::uint32_t>(i));
    }
    allowed_symbols = allowed_list;
    allowed_count = allowed_list.size();
    if (allowed_count == 0) return 0.0;
  }
  const EscapeParams ep = escape_params(m.options_.escape);
  const Escape escape_method = m.options_.escape;

  // Symbols seen one order up (IDyOM excludes their counts from N(c)); marked by level stamps.
  thread_local std::vector<std::uint32_t> mark;
  thread_local std::uint32_t stamp = 0;
  thread_local std::vector<std::pair<int, double>> trans;
  if (mark.size() < alphabet) mark.assign(alphabet, 0);
  std::uint32_t excluded_stamp = 0;  // 0: nothing excluded

  double escape = 1.0;
  int root_types = 0;
  const int selected = selected_order();
  // IDyOM: a state chosen below the longest match blends its own level with full counts.
  const bool was_selected = selected != static_cast<int>(active_.size()) - 1;
  for (int d = selected; d >= 0; --d) {
    const bool ux = m.options_.update_exclusion && !(d == selected && was_selected);
    collect(active_[static_cast<std::size_t>(d)], ux, alphabet, allowed, trans);
    if (d == 0) root_types = static_cast<int>(trans.size());
    double node_count = 0.0;
    double types = 0.0;
    for (const auto& [s, c] : trans) {
      if (escape_method == Escape::x) {
        if (c == 1.0) types += 1.0;
      } else {
        types += 1.0;
      }
      if (excluded_stamp == 0 || mark[static_cast<std::size_t>(s)] != excluded_stamp) {
        node_count += c + ep.k;
      }
    }
    if (escape_method == Escape::x) types += 1.0;
    double weight = 0.0;
    if (escape_method == Escape::a) {
      weight = node_count / (node_count + 1.0);
    } else {
      const double denominator = node_count + types / ep.d;
      weight = denominator > 0.0 ? node_count / denominator : 0.0;
    }
    if (node_count > 0.0) {
      const double scale = escape * weight / node_count;
      for (const auto& [s, c] : trans)
        out[static_cast<std::size_t>(s)] += scale * (c + ep.k);
    }
    escape *= 1.0 - weight;
    if (d == 0) break;
    // This level's symbols are excluded one level down.
    ++stamp;
    if (stamp == 0) {
      std::fill(mark.begin(), mark.end(), 0);
      stamp = 1;
    }
    for (const auto& [s, c] : trans)
      mark[static_cast<std::size_t>(s)] = stamp;
    excluded_stamp = stamp;
  }
  const double uniform = escape / (static_cast<double>(allowed_count) + 1.0 - root_types);
  double sum = 0.0;
  if (allowed.empty()) {
    for (std::size_t i = 0; i < alphabet; ++i) {
      out[i] += uniform;
      sum += out[i];
    }
  } else {
    for (std::uint32_t i : allowed_symbols) {
      out[i] += uniform;
      sum += out[i];
    }
  }
  return sum;
}

}  // namespace duet::model
