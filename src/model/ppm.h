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
// Storage: nodes_ keeps each node's first child and next sibling (the form version 1 model files
// store), and, for speed, each node's children also lie side by side in one block of edges_
// (symbol and child), so that finding a child or reading all of a context's counts does not
// chase a linked list through memory; the root's children are also indexed by symbol. Blocks
// hold a power of two of edges; one that fills up moves to a block twice its size, and the old
// block is reused by a later node of that size.
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
    bool finished_ = false;
  };

  std::size_t node_count() const { return nodes_.size(); }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<std::int32_t>& data() const { return data_; }
  // Rebuilds a model from its stored parts (model files); false when they are inconsistent.
  static bool from_parts(int alphabet_size, PpmOptions options, std::vector<Node> nodes,
                         std::vector<std::int32_t> data, Ppm& out);

  // The child of `node` for `symbol` (kEnd for an end), or kNone.
  std::uint32_t find_child(std::uint32_t node, std::int32_t symbol) const;
  // How many children `node` has (its distinct continuations, ends included).
  std::uint32_t child_count(std::uint32_t node) const { return blocks_[node].size; }
  // Bytes held by the trie and the learnt data (capacity, not size: what the model costs).
  std::size_t memory_bytes() const;

 private:
  // The child's symbol and counts are copied here (and kept equal to its node's) so that
  // reading a context's counts walks one run of memory.
  struct Edge {
    std::int32_t symbol;  // the child's symbol (kEnd for an end)
    std::uint32_t child;  // index in nodes_
    std::uint32_t count;
    std::uint32_t ux_count;
  };
  struct Block {
    std::uint32_t begin = 0;  // index in edges_ of the node's first edge
    std::uint32_t size = 0;   // edges in use; the block holds std::bit_ceil(size)
  };
  // Index in edges_ of node's edge for symbol, or kNone.
  std::uint32_t find_edge(std::uint32_t node, std::int32_t symbol) const;
  std::uint32_t last_edge(std::uint32_t node) const {
    return blocks_[node].begin + blocks_[node].size - 1;
  }
  std::uint32_t add_child(std::uint32_t parent, std::int32_t symbol, std::uint32_t tail);
  void add_edge(std::uint32_t parent, std::int32_t symbol, std::uint32_t child);
  // One more occurrence of the edge's child string.
  void increment(std::uint32_t edge);

  int alphabet_size_ = 0;
  PpmOptions options_;
  std::vector<Node> nodes_;         // nodes_[0] is the root (the empty context)
  std::vector<std::int32_t> data_;  // all learnt sequences, each followed by kEnd
  std::vector<Block> blocks_;       // per node: its children's edges
  std::vector<Edge> edges_;
  // Blocks given up by a node that outgrew them, by log2 of their size, for reuse.
  std::vector<std::vector<std::uint32_t>> free_blocks_;
  std::vector<std::uint32_t> root_index_;  // symbol + 1 -> position in the root's block, or kNone
};

// Bits of information content of probability p.
double information_content(double p);
// Entropy in bits of a distribution.
double entropy_bits(std::span<const double> distribution);

}  // namespace duet::model
