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
  // Runs of equal probabilities are common (the symbols only the escape reaches): such a run
  // takes its log once (the same term, added in the same order).
  double h = 0.0;
  double last_p = -1.0;
  double last_term = 0.0;
  for (double p : distribution) {
    if (p > 0.0) {
      if (p != last_p) {
        last_p = p;
        last_term = p * std::log2(p);
      }
      h -= last_term;
    }
  }
  return h;
}

Ppm::Ppm(int alphabet_size, PpmOptions options) : alphabet_size_(alphabet_size), options_(options) {
  blocks_.push_back(Block{});  // the root
}

std::uint32_t Ppm::find_edge(std::uint32_t node, std::int32_t symbol) const {
  const Block b = blocks_[node];
  if (node == 0) {
    const auto slot = static_cast<std::size_t>(symbol + 1);
    return slot < root_index_.size() && root_index_[slot] != kNone
               ? b.begin_or_tail + root_index_[slot]
               : kNone;
  }
  if (b.size == 0) return kNone;
  const Edge* e = edges_.data() + b.begin_or_tail;
  // Newest first, as the sibling chain runs (only a damaged version 1 file could hold two
  // children with one symbol; both ways then find the same one).
  for (std::uint32_t i = b.size; i-- > 0;) {
    if (e[i].symbol == symbol) return b.begin_or_tail + i;
  }
  return kNone;
}

std::uint32_t Ppm::find_child(std::uint32_t node, std::int32_t symbol) const {
  const std::uint32_t e = find_edge(node, symbol);
  return e == kNone ? kNone : edges_[e].child;
}

std::size_t Ppm::memory_bytes() const {
  std::size_t bytes = data_.capacity() * sizeof(std::int32_t) + blocks_.capacity() * sizeof(Block) +
                      edges_.capacity() * sizeof(Edge) +
                      root_index_.capacity() * sizeof(std::uint32_t);
  for (const auto& f : free_blocks_)
    bytes += f.capacity() * sizeof(std::uint32_t);
  return bytes;
}

std::vector<Ppm::Node> Ppm::nodes() const {
  std::vector<Node> out(blocks_.size());
  out[0].symbol = root_.symbol;
  out[0].count = root_.count;
  out[0].ux_count = root_.ux_count;
  for (std::size_t p = 0; p < blocks_.size(); ++p) {
    const Block b = blocks_[p];
    if (b.size == 0) {
      out[p].tail = b.begin_or_tail;
      continue;
    }
    // The sibling chain runs from the newest child to the oldest.
    const Edge* e = edges_.data() + b.begin_or_tail;
    out[p].first_child = e[b.size - 1].child;
    for (std::uint32_t i = 0; i < b.size; ++i) {
      Node& n = out[e[i].child];
      n.symbol = e[i].symbol;
      n.count = e[i].count;
      n.ux_count = e[i].ux_count;
      n.next_sibling = i > 0 ? e[i - 1].child : kNone;
    }
  }
  return out;
}

void Ppm::shrink_to_fit() {
  if (!packed_) {
    std::vector<Edge> packed;
    packed.reserve(blocks_.size() - 1);  // every node but the root is one edge
    for (Block& b : blocks_) {
      if (b.size == 0) continue;
      const auto begin = static_cast<std::uint32_t>(packed.size());
      packed.insert(packed.end(), edges_.begin() + b.begin_or_tail,
                    edges_.begin() + b.begin_or_tail + b.size);
      b.begin_or_tail = begin;
    }
    edges_ = std::move(packed);
    packed_end_ = static_cast<std::uint32_t>(edges_.size());
    free_blocks_.clear();
    free_blocks_.shrink_to_fit();
    packed_ = true;
    packed_nodes_ = blocks_.size();
  }
  data_.shrink_to_fit();
  blocks_.shrink_to_fit();
  root_index_.shrink_to_fit();
  compute_root_stats();
}

void Ppm::compute_root_stats() {
  root_stats_ = RootStats{};
  const Block b = blocks_[0];
  for (std::uint32_t i = 0; i < b.size; ++i) {
    const Edge& e = edges_[b.begin_or_tail + i];
    // A symbol the index does not lead to here is held twice: leave the stats invalid.
    const auto slot = static_cast<std::size_t>(e.symbol + 1);
    if (slot >= root_index_.size() || root_index_[slot] != i) return;
    if (e.symbol == kEnd || e.count == 0) continue;
    root_stats_.total += e.count;
    ++root_stats_.types;
    if (e.count == 1) ++root_stats_.singletons;
  }
  root_stats_.valid = true;
}

void Ppm::add_edge(std::uint32_t parent, std::int32_t symbol, std::uint32_t child) {
  packed_ = false;
  Block& b = blocks_[parent];
  // A packed block is always full; a power-of-two one is full at sizes 0, 1, 2, 4...
  const bool in_packed = b.size > 0 && b.begin_or_tail < packed_end_;
  if (b.size == 0 || in_packed || std::has_single_bit(b.size)) {
    // Move to a block of the next power of two (twice the size, from a power of two), reusing
    // a free one if any.
    const std::uint32_t capacity = std::bit_ceil(b.size + 1);
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
    if (b.size > 0) {
      std::copy_n(edges_.begin() + b.begin_or_tail, b.size, edges_.begin() + begin);
      // A packed block's room is not reused (a later packing reclaims it).
      if (!in_packed) free_blocks_[log2 - 1].push_back(b.begin_or_tail);
    }
    b.begin_or_tail = begin;
  }
  edges_[b.begin_or_tail + b.size] = Edge{symbol, child, 1, 0};
  if (parent == 0) {
    // Positions within a block survive its moves.
    const auto slot = static_cast<std::size_t>(symbol + 1);
    if (root_index_.size() <= slot) root_index_.resize(slot + 1, kNone);
    root_index_[slot] = b.size;
  }
  ++b.size;
}

std::uint32_t Ppm::add_child(std::uint32_t parent, std::int32_t symbol, std::uint32_t tail) {
  const auto id = static_cast<std::uint32_t>(blocks_.size());
  blocks_.push_back(Block{symbol == kEnd ? kNone : tail, 0});
  add_edge(parent, symbol, id);
  return id;
}

std::uint32_t Ppm::increment(std::uint32_t edge) {
  const std::uint32_t count = ++edges_[edge].count;
  const std::uint32_t node = edges_[edge].child;
  const Block b = blocks_[node];
  if (count == 2 && b.size == 0 && b.begin_or_tail != kNone) {
    // The second occurrence: expand the first one's continuation out of the compressed tail.
    const std::uint32_t tail = b.begin_or_tail;
    blocks_[node].begin_or_tail = kNone;
    const std::int32_t next = data_[tail];
    add_child(node, next, tail + 1);
    edges_[last_edge(node)].ux_count = 1;
  }
  return count;
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
  if (n > kNone) return false;
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
  // The child blocks, packed, from the sibling chains (which, checked above, are simple paths).
  // Each node's edges in the order of its chain reversed, as add_child would have kept them.
  std::vector<Block> blocks(n);
  std::vector<Edge> edges;
  edges.reserve(n - 1);
  std::vector<std::uint32_t> root_index;
  for (std::uint32_t p = 0; p < n; ++p) {
    const auto begin = static_cast<std::uint32_t>(edges.size());
    for (std::uint32_t c = nodes[p].first_child; c != kNone; c = nodes[c].next_sibling) {
      if (edges.size() == n - 1) return false;  // a node in two chains
      edges.push_back(Edge{nodes[c].symbol, c, nodes[c].count, nodes[c].ux_count});
    }
    std::reverse(edges.begin() + begin, edges.end());
    const auto size = static_cast<std::uint32_t>(edges.size() - begin);
    blocks[p] = size > 0 ? Block{begin, size} : Block{nodes[p].tail, 0};
    if (p == 0) {
      for (std::uint32_t i = 0; i < size; ++i) {
        const auto slot = static_cast<std::size_t>(edges[i].symbol + 1);
        if (root_index.size() <= slot) root_index.resize(slot + 1, kNone);
        root_index[slot] = i;
      }
    }
  }
  // Every node but the root is in exactly one chain (a node in none has no context).
  if (edges.size() != n - 1) return false;
  out.alphabet_size_ = alphabet_size;
  out.options_ = options;
  out.data_ = std::move(data);
  out.data_.shrink_to_fit();
  out.blocks_ = std::move(blocks);
  out.edges_ = std::move(edges);
  out.root_ = Edge{nodes[0].symbol, 0, nodes[0].count, nodes[0].ux_count};
  out.root_index_ = std::move(root_index);
  out.free_blocks_.clear();
  out.packed_end_ = static_cast<std::uint32_t>(out.edges_.size());
  out.packed_ = true;
  out.packed_nodes_ = n;
  out.compute_root_stats();
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
  const Block b = m.blocks_[node];
  if (b.size == 0 && b.begin_or_tail != kNone) return Loc{kNone, b.begin_or_tail};
  return Loc{node, 0};
}

void Ppm::Cursor::advance(int symbol) {
  if (finished_) return;
  if (learner_ != nullptr) {
    Ppm& m = *learner_;
    m.root_stats_.valid = false;
    const auto w = static_cast<std::uint32_t>(m.data_.size());
    m.data_.push_back(symbol);
    if (symbol != kEnd && symbol >= m.alphabet_size_) m.alphabet_size_ = symbol + 1;
    // Deepest context first, so that update exclusion can stop at the first context that had
    // already seen the symbol.
    children_.assign(active_.size(), kNone);
    counts_.assign(active_.size(), 0);
    bool ux_open = true;
    for (std::size_t d = active_.size(); d-- > 0;) {
      const std::uint32_t node = active_[d].node;
      // The edge's index in edges_ stays valid while the child grows its own block.
      std::uint32_t e = m.find_edge(node, symbol);
      const bool existed = e != kNone;
      std::uint32_t count = 1;
      if (existed) {
        count = m.increment(e);
      } else {
        m.add_child(node, symbol, w + 1);
        e = m.last_edge(node);
      }
      if (ux_open) {
        ++m.edges_[e].ux_count;
        if (existed) ux_open = false;
      }
      children_[d] = m.edges_[e].child;
      counts_[d] = count;
    }
    // Contexts seen before (count >= 2 now) stay active; suffix closure makes them contiguous.
    active_.resize(1);
    if (symbol == kEnd) return;
    for (std::size_t d = 0; d < children_.size(); ++d) {
      if (counts_[d] < 2) break;
      active_.push_back(Loc{children_[d], 0});
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
  if (b.size == 0) return;
  const Edge* edges = m.edges_.data() + b.begin_or_tail;
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

  // The root level without a pass over the root's edges of its own, when every symbol is
  // allowed, no level uses update-excluded counts and the escape adds nothing to a count (k =
  // 0), on a model that has not learnt since it was packed: N(root) is the stored count total
  // less the counts of the symbols the level above excludes (whole numbers below 2^53, so
  // exact in any order), T(root) is stored, and the root's share of each symbol is added in
  // the final pass over the alphabet. The levels above add into `above` (kept zero between
  // calls) rather than into out, so out needs no clearing first. Every value is what the
  // general path gives, its additions made in the same order.
  const bool root_fast =
      allowed.empty() && m.root_stats_.valid && ep.k == 0.0 && !m.options_.update_exclusion;
  thread_local std::vector<double> above;
  thread_local std::vector<std::uint32_t> touched;
  if (root_fast) {
    if (above.size() < alphabet) above.resize(alphabet, 0.0);
    touched.clear();
  } else {
    std::fill(out.begin(), out.begin() + static_cast<long>(alphabet), 0.0);
  }
  double* const acc = root_fast ? above.data() : out.data();
  double root_scale = 0.0;  // root_fast: the root level's escape * w / N (0: adds nothing)

  double escape = 1.0;
  int root_types = 0;
  const int selected = selected_order();
  // IDyOM: a state chosen below the longest match blends its own level with full counts.
  const bool was_selected = selected != static_cast<int>(active_.size()) - 1;
  for (int d = selected; d >= 0; --d) {
    if (d == 0 && root_fast) {
      std::uint64_t excluded = 0;
      if (excluded_stamp != 0) {
        // trans holds level 1's symbols (each once but in a damaged file: count each once).
        ++stamp;
        if (stamp == 0) {
          std::fill(mark.begin(), mark.end(), 0);
          stamp = 1;
        }
        for (const auto& [s, c] : trans) {
          const auto symbol = static_cast<std::size_t>(s);
          if (mark[symbol] == stamp) continue;
          mark[symbol] = stamp;
          const std::uint32_t e = m.find_edge(0, s);
          if (e != kNone) excluded += m.edges_[e].count;
        }
      }
      root_types = static_cast<int>(m.root_stats_.types);
      const auto node_count = static_cast<double>(m.root_stats_.total - excluded);
      const double types = escape_method == Escape::x
                               ? static_cast<double>(m.root_stats_.singletons) + 1.0
                               : static_cast<double>(m.root_stats_.types);
      double weight = 0.0;
      if (escape_method == Escape::a) {
        weight = node_count / (node_count + 1.0);
      } else {
        const double denominator = node_count + types / ep.d;
        weight = denominator > 0.0 ? node_count / denominator : 0.0;
      }
      if (node_count > 0.0) root_scale = escape * weight / node_count;
      escape *= 1.0 - weight;
      break;
    }
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
        acc[static_cast<std::size_t>(s)] += scale * (c + ep.k);
      if (root_fast) {
        for (const auto& [s, c] : trans)
          touched.push_back(static_cast<std::uint32_t>(s));
      }
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
  if (root_fast) {
    // out[i] = (the levels above' share + the root's) + uniform, as the general path adds.
    const Block root = m.blocks_[0];
    const Edge* root_edges = m.edges_.data() + (root.size > 0 ? root.begin_or_tail : 0);
    const std::uint32_t* index = m.root_index_.data();
    // Symbols below `indexed` have a slot (symbol + 1) in the root's index.
    const std::size_t indexed =
        m.root_index_.empty() ? 0 : std::min(alphabet, m.root_index_.size() - 1);
    // A symbol not at the root adds root_scale * 0 = +0, which leaves v (>= +0) as it is: the
    // general path's skipping it, without a branch.
    for (std::size_t i = 0; i < indexed; ++i) {
      const std::uint32_t at = index[i + 1];
      const std::uint32_t count = at != kNone ? root_edges[at].count : 0;
      double v = above[i] + root_scale * static_cast<double>(count);
      v += uniform;
      out[i] = v;
      sum += v;
    }
    for (std::size_t i = indexed; i < alphabet; ++i) {
      const double v = above[i] + uniform;
      out[i] = v;
      sum += v;
    }
    for (std::uint32_t s : touched)
      above[s] = 0.0;
  } else if (allowed.empty()) {
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
