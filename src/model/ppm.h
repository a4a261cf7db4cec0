// Prediction by partial matching (PPM) with blending over an integer alphabet, after IDyOM's
// PPM* (Pearce 2005; Cleary & Teahan 1997; Bunton 1996).
//
// The model stores every substring of its training sequences in a suffix trie whose unique
// tails stay compressed: a context seen once keeps only a pointer into the stored data, and is
// expanded into nodes when it occurs a second time. So unbounded order costs memory in
// proportion to the repeated material, not to the square of the sequence length.
//
// Prediction (interpolated smoothing, IDyOM's ppm-star): from the selected context down to
// order 0 and then the uniform order -1,
//   p(s) += escape * w(c) * (n(s|c) + k) / N(c)
//   escape *= 1 - w(c)
// where N(c) sums n(x|c) + k over the symbols x seen in context c except those seen in the
// context one order up (IDyOM's exclusion), w(c) = N(c) / (N(c) + T(c)/d) (A: N/(N+1)),
// T(c) the number of symbol types seen in c (X: the singletons + 1), and (k, d) = A (0,1),
// B (-1,1), C (0,1), D (-1/2,2), X (0,1). The distribution is normalised at the end. With no
// order bound (PPM*) the selected context is the shortest deterministic one (one continuation
// ever seen, counting the end of a sequence) on the chain of matching suffixes, or the longest
// match when none is deterministic; with a bound, the longest match no longer than it. As in
// IDyOM's get-distribution, when a shorter state is selected its own level blends with full
// counts even under update exclusion (the lower levels use the update-excluded counts).
//
// Storage: each node's children lie side by side in one block of edges_ (the child's symbol,
// index and counts), so that finding a child or reading all of a context's counts walks one run
// of memory; the root's children are also indexed by symbol. Per node there is only its block
// (where it starts and how many edges it holds, or while it has none, its compressed tail): 8
// bytes, plus its 16-byte edge in its parent's block, 24 bytes a node. While learning, a block
// holds a power of two of edges; one that fills up moves to a block twice its size, and the old
// block is reused by a later node of that size. shrink_to_fit() packs the blocks exactly (model
// files do it after loading, and a model that does not learn while predicting does it before
// its first prediction). The version 1 file form (first child and next sibling per node) is
// made on demand by nodes().
//
// Prediction may be limited to a subset of the alphabet (IDyOM sets a derived viewpoint's
// alphabet, per event, to the symbols the candidate pitches can make): symbols outside it take
// no part, neither in the counts N(c) and T(c) nor in the order -1 estimate, which becomes
// uniform over the subset. Leaving them in and renormalising afterwards is not the same: the
// escape mass meant for unreachable symbols would go to the ones already seen, making a model
// with little data (a short-term model) much too confident.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace duet::model {

enum class Escape : std::uint8_t { a, b, c, d, x };

struct PpmOptions {
  Escape escape = Escape::c;
  int order_bound = -1;           // -1: unbounded (PPM*)
  bool update_exclusion = false;  // count a symbol only in the contexts that predicted it
  friend bool operator==(const PpmOptions&, const PpmOptions&) = default;
};

class Ppm {
 public:
  static constexpr std::int32_t kEnd = -1;  // end-of-sequence marker in the stored data
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // One node in the form version 1 model files store (nodes() makes them on demand).
  struct Node {
    std::int32_t symbol = 0;     // the last symbol of this context (kEnd for an end)
    std::uint32_t count = 0;     // occurrences of this string
    std::uint32_t ux_count = 0;  // update-excluded count
    std::uint32_t first_child = kNone;
    std::uint32_t next_sibling = kNone;
    std::uint32_t tail = kNone;  // while count == 1: index in data() of the next symbol
  };

  explicit Ppm(int alphabet_size = 0, PpmOptions options = {});

  const PpmOptions& options() const { return options_; }
  void set_options(const PpmOptions& options) { options_ = options; }
  int alphabet_size() const { return alphabet_size_; }
  // Symbols are 0..alphabet_size-1; the alphabet may grow (the order -1 estimate follows it).
  void grow_alphabet(int size) {
    if (size > alphabet_size_) alphabet_size_ = size;
  }

  // Adds a whole sequence (its symbols must be in the alphabet).
  void train(std::span<const int> sequence);

  // Walks a sequence one symbol at a time: predict() gives the distribution of the next symbol,
  // advance() moves on (and, for a learning cursor, adds the symbol to the model).
  class Cursor {
   public:
    // learn: add each symbol to the model as it goes (the short-term model, or "LTM+").
    Cursor(Ppm& model, bool learn);
    Cursor(const Ppm& model);
    ~Cursor();
    Cursor(const Cursor&) = delete;
    Cursor& operator=(const Cursor&) = delete;

    // Fills out (size alphabet_size()) with the distribution of the next symbol (sums to 1).
    // allowed (size alphabet_size(), or empty for all): nonzero for the symbols that may occur;
    // the others get probability 0 and take no part in the estimate.
    void predict(std::span<double> out, std::span<const std::uint8_t> allowed = {}) const;
    // The same before its final normalisation, over an alphabet of alphabet_size symbols (at
    // least the model's; the extra ones are symbols it has never seen, met only by the order -1
    // estimate): writes out's first alphabet_size values and returns their sum, so that
    // out[s] / sum (when sum > 0; else out[s]) is exactly what predict() would give. Lets a
    // caller that needs a few symbols skip dividing the whole alphabet, and predict over a
    // larger alphabet without growing a model it must not change. allowed_symbols (optional,
    // with allowed): the same set as allowed, in increasing order, non-empty; saves a pass over
    // the alphabet.
    double predict_unnormalised(std::span<double> out, std::span<const std::uint8_t> allowed,
                                int alphabet_size,
                                std::span<const std::uint32_t> allowed_symbols = {}) const;
    void advance(int symbol);
    // Ends the sequence (a learning cursor stores its end).
    void finish();
    // The order (context length) predict() starts blending from.
    int selected_order() const;

   private:
    struct Loc {
      std::uint32_t node;  // kNone: a virtual context inside a compressed tail
      std::uint32_t pos;   // for a virtual context: index in data of its one continuation
    };
    void collect(const Loc& loc, bool update_excluded, std::size_t alphabet,
                 std::span<const std::uint8_t> allowed,
                 std::vector<std::pair<int, double>>& out) const;
    bool deterministic(const Loc& loc) const;
    Loc to_loc(std::uint32_t node) const;

    const Ppm* model_;
    Ppm* learner_ = nullptr;
    std::vector<Loc> active_;  // matching suffixes of the context, index = order
    // Scratch reused by every advance() (no allocation per symbol once grown).
    std::vector<Loc> next_;
    std::vector<std::uint32_t> children_;
    std::vector<std::uint32_t> counts_;  // children_'s counts after the update
    bool finished_ = false;
  };

  std::size_t node_count() const { return blocks_.size(); }
  // The trie in version 1 form (made on each call: O(nodes)). A node that has children keeps no
  // tail (a version 1 file could give it one; nothing ever read it).
  std::vector<Node> nodes() const;
  const std::vector<std::int32_t>& data() const { return data_; }
  // Rebuilds a model from its stored parts (model files); false when they are inconsistent
  // (including a node that is no node's child, or is one more than once). Packed exactly.
  static bool from_parts(int alphabet_size, PpmOptions options, std::vector<Node> nodes,
                         std::vector<std::int32_t> data, Ppm& out);

  // The child of `node` for `symbol` (kEnd for an end), or kNone.
  std::uint32_t find_child(std::uint32_t node, std::int32_t symbol) const;
  // How many children `node` has (its distinct continuations, ends included).
  std::uint32_t child_count(std::uint32_t node) const { return blocks_[node].size; }
  // Bytes held by the trie and the learnt data (capacity, not size: what the model costs).
  std::size_t memory_bytes() const;
  // Packs the edge blocks without spare room and frees unused capacity; the model stays the
  // same (O(nodes); a no-op when nothing was learnt since the last call). It may learn after.
  void shrink_to_fit();
  // shrink_to_fit() when the trie has grown by half since it was last packed (or never was): a
  // caller that trains and predicts in turn then packs O(log nodes) times, not every time.
  void shrink_if_grown() {
    if (!packed_ && 2 * node_count() >= 3 * packed_nodes_) shrink_to_fit();
  }
  bool packed() const { return packed_; }

 private:
  // A node's string, as a child of its parent: its last symbol and its counts.
  struct Edge {
    std::int32_t symbol;  // the child's symbol (kEnd for an end)
    std::uint32_t child;  // the child node
    std::uint32_t count;
    std::uint32_t ux_count;
  };
  struct Block {
    // size > 0: index in edges_ of the node's first edge. size == 0: while the node has been
    // seen once, index in data_ of its one continuation (kNone for none: an end, or the root).
    std::uint32_t begin_or_tail = kNone;
    // Edges in use. The block holds std::bit_ceil(size) edges, or exactly size when it lies
    // below packed_end_ (packed by shrink_to_fit or from_parts).
    std::uint32_t size = 0;
  };
  // Index in edges_ of node's edge for symbol, or kNone.
  std::uint32_t find_edge(std::uint32_t node, std::int32_t symbol) const;
  std::uint32_t last_edge(std::uint32_t node) const {
    return blocks_[node].begin_or_tail + blocks_[node].size - 1;
  }
  std::uint32_t add_child(std::uint32_t parent, std::int32_t symbol, std::uint32_t tail);
  void add_edge(std::uint32_t parent, std::int32_t symbol, std::uint32_t child);
  // One more occurrence of the edge's child string; its new count.
  std::uint32_t increment(std::uint32_t edge);

  int alphabet_size_ = 0;
  PpmOptions options_;
  std::vector<std::int32_t> data_;  // all learnt sequences, each followed by kEnd
  std::vector<Block> blocks_;       // per node (0: the root, the empty context): its children
  std::vector<Edge> edges_;
  Edge root_{0, 0, 0, 0};         // the root's symbol and counts (only version 1 files set them)
  std::uint32_t packed_end_ = 0;  // edges_ below this hold packed (exactly sized) blocks
  bool packed_ = false;           // nothing learnt since the last packing
  std::size_t packed_nodes_ = 0;  // node_count() at the last packing
  // Blocks given up by a node that outgrew them, by log2 of their size, for reuse.
  std::vector<std::vector<std::uint32_t>> free_blocks_;
  std::vector<std::uint32_t> root_index_;  // symbol + 1 -> position in the root's block, or kNone
  // The root's usable edges (not the end, count > 0), worked out when the model is packed and
  // dropped when it learns: their count total, how many there are, how many have count 1.
  // predict_unnormalised then needs no pass over the root's edges of its own (see there).
  struct RootStats {
    std::uint64_t total = 0;
    std::uint32_t types = 0;
    std::uint32_t singletons = 0;
    bool valid = false;  // false also when the root holds a symbol twice (a damaged file)
  };
  void compute_root_stats();
  RootStats root_stats_;
};

// Bits of information content of probability p.
double information_content(double p);
// Entropy in bits of a distribution.
double entropy_bits(std::span<const double> distribution);

}  // namespace duet::model
