#include "model/ppm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace duet::model {
namespace {

// Distribution after training on "a b a b" (alphabet a, b, c) and reading the context `ctx`.
std::vector<double> after(Escape escape, const std::vector<int>& ctx) {
  Ppm ppm(3, PpmOptions{escape, -1, false});
  const std::vector<int> training = {0, 1, 0, 1};
  ppm.train(training);
  Ppm::Cursor cursor(static_cast<const Ppm&>(ppm));
  for (int s : ctx)
    cursor.advance(s);
  std::vector<double> p(3);
  cursor.predict(p);
  return p;
}

void expect_dist(const std::vector<double>& p, double a, double b, double c) {
  EXPECT_NEAR(p[0], a, 1e-12);
  EXPECT_NEAR(p[1], b, 1e-12);
  EXPECT_NEAR(p[2], c, 1e-12);
}

// Order 0 only: a:2 b:2, w = 4/6, then the uniform order -1 over the 3 - 2 + 1 unseen slots.
TEST(Ppm, HandComputedOrderZeroEscapeC) {
  expect_dist(after(Escape::c, {}), 3.0 / 7, 3.0 / 7, 1.0 / 7);
}

// Context "a": the deterministic order-1 context (b:2) is selected; at order 0 the count of b,
// seen one order up, leaves N (IDyOM's exclusion) but still adds to b's numerator.
TEST(Ppm, HandComputedEscapeC) {
  expect_dist(after(Escape::c, {0}), 0.2, 11.0 / 15, 1.0 / 15);
}
TEST(Ppm, HandComputedEscapeA) {
  expect_dist(after(Escape::a, {0}), 5.0 / 23, 17.0 / 23, 1.0 / 23);
}
TEST(Ppm, HandComputedEscapeB) {
  expect_dist(after(Escape::b, {0}), 0.25, 0.625, 0.125);
}
TEST(Ppm, HandComputedEscapeD) {
  expect_dist(after(Escape::d, {0}), 1.0 / 6, 19.0 / 24, 1.0 / 24);
}
TEST(Ppm, HandComputedEscapeX) {
  expect_dist(after(Escape::x, {0}), 5.0 / 23, 17.0 / 23, 1.0 / 23);
}

// A short-term model learning "a b a b" as it goes (PPM-C): the fourth symbol is predicted
// from the order-1 context "a", first seen at the start.
TEST(Ppm, LearningCursorHandComputed) {
  Ppm ppm(3);
  Ppm::Cursor cursor(ppm, true);
  std::vector<double> p(3);
  const std::vector<int> seq = {0, 1, 0, 1};
  const std::vector<double> expected = {1.0 / 3, 1.0 / 6, 2.0 / 5, 0.6};
  for (std::size_t i = 0; i < seq.size(); ++i) {
    cursor.predict(p);
    EXPECT_NEAR(p[static_cast<std::size_t>(seq[i])], expected[i], 1e-12) << "symbol " << i;
    cursor.advance(seq[i]);
  }
  cursor.finish();
}

// Learning as it goes ends with the same model as training on the whole sequence.
TEST(Ppm, LearningCursorMatchesTraining) {
  const std::vector<int> seq = {0, 1, 2, 0, 1, 2, 0, 2, 1, 1, 0};
  Ppm trained(3);
  trained.train(seq);
  Ppm learnt(3);
  {
    Ppm::Cursor c(learnt, true);
    std::vector<double> p(3);
    for (int s : seq) {
      c.predict(p);
      c.advance(s);
    }
    c.finish();
  }
  ASSERT_EQ(trained.node_count(), learnt.node_count());
  const auto t = trained.nodes();
  const auto l = learnt.nodes();
  for (std::size_t i = 0; i < trained.node_count(); ++i) {
    EXPECT_EQ(t[i].count, l[i].count);
    EXPECT_EQ(t[i].symbol, l[i].symbol);
  }
}

// The compressed trie gives the same counts as counting substrings by brute force.
TEST(Ppm, CountsEqualSubstringOccurrences) {
  const std::vector<std::vector<int>> seqs = {
      {0, 1, 0, 1, 0, 1, 1}, {1, 0, 1, 2, 2, 2, 2}, {0, 1, 0}};
  Ppm ppm(3);
  for (const auto& s : seqs)
    ppm.train(s);
  const auto nodes = ppm.nodes();
  // Walk each substring from the root and compare counts with brute force.
  for (const auto& s : seqs) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      for (std::size_t j = i + 1; j <= s.size(); ++j) {
        std::vector<int> sub(s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(j));
        std::size_t expected = 0;
        for (const auto& t : seqs) {
          for (std::size_t k = 0; k + sub.size() <= t.size(); ++k) {
            if (std::equal(sub.begin(), sub.end(), t.begin() + static_cast<long>(k))) ++expected;
          }
        }
        // Find the node, or the compressed tail holding it (count 1).
        std::uint32_t node = 0;
        std::size_t depth = 0;
        for (; depth < sub.size(); ++depth) {
          std::uint32_t next = Ppm::kNone;
          for (std::uint32_t c = nodes[node].first_child; c != Ppm::kNone;
               c = nodes[c].next_sibling) {
            if (nodes[c].symbol == sub[depth]) next = c;
          }
          if (next == Ppm::kNone) break;
          node = next;
        }
        if (depth == sub.size()) {
          EXPECT_EQ(nodes[node].count, expected);
        } else {
          EXPECT_EQ(nodes[node].count, 1u);  // the rest lies in a compressed tail
          EXPECT_EQ(expected, 1u);
        }
      }
    }
  }
}

TEST(Ppm, DistributionsSumToOneForEveryEscapeAndBound) {
  const std::vector<int> seq = {0, 3, 1, 0, 3, 1, 2, 2, 0, 3, 4, 1, 0, 3};
  for (Escape e : {Escape::a, Escape::b, Escape::c, Escape::d, Escape::x}) {
    for (int bound : {-1, 0, 1, 2, 5}) {
      for (bool ux : {false, true}) {
        Ppm ppm(5, PpmOptions{e, bound, ux});
        ppm.train(seq);
        Ppm::Cursor c(ppm, true);
        std::vector<double> p(5);
        for (int s : seq) {
          c.predict(p);
          EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-12);
          for (double x : p)
            EXPECT_GT(x, 0.0);
          c.advance(s);
        }
      }
    }
  }
}

TEST(Ppm, OrderBoundLimitsSelectedOrder) {
  const std::vector<int> seq = {0, 1, 2, 0, 1, 2, 0, 1, 2};
  Ppm ppm(3, PpmOptions{Escape::c, 2, false});
  ppm.train(seq);
  Ppm::Cursor c(static_cast<const Ppm&>(ppm));
  for (int s : {0, 1, 2, 0, 1})
    c.advance(s);
  EXPECT_EQ(c.selected_order(), 2);
  Ppm star(3);
  star.train(seq);
  Ppm::Cursor d(static_cast<const Ppm&>(star));
  for (int s : {0, 1, 2, 0, 1})
    d.advance(s);
  EXPECT_EQ(d.selected_order(), 1);  // "1" is always followed by 2: the shortest deterministic
}

TEST(Ppm, UpdateExclusionChangesTheEstimate) {
  const std::vector<int> seq = {0, 1, 0, 1, 0, 2, 0, 1};
  std::vector<double> p(3), q(3);
  Ppm plain(3, PpmOptions{Escape::c, 1, false});
  Ppm ux(3, PpmOptions{Escape::c, 1, true});
  plain.train(seq);
  ux.train(seq);
  Ppm::Cursor a(static_cast<const Ppm&>(plain)), b(static_cast<const Ppm&>(ux));
  a.predict(p);
  b.predict(q);
  EXPECT_GT(std::abs(p[0] - q[0]), 1e-6);
}

// Every child lookup agrees with the sibling chains (the version 1 file form), including nodes
// with hundreds of children whose edge blocks moved many times (sizes 1, 2, 4 ... 512), and the
// counts are the substring counts.
TEST(Ppm, ManyChildrenPerNodeAgreeWithSiblingChains) {
  constexpr int kAlphabet = 300;
  Ppm ppm(kAlphabet);
  // The root, the context "0" and the context "1 0" each get kAlphabet children.
  std::vector<int> seq;
  for (int s = 0; s < kAlphabet; ++s) {
    seq.insert(seq.end(), {1, 0, s});
  }
  ppm.train(seq);
  ppm.train(std::vector<int>{5, 6, 7, 5, 6, 8});
  const auto nodes = ppm.nodes();
  std::size_t widest = 0;
  for (std::uint32_t n = 0; n < nodes.size(); ++n) {
    std::vector<std::uint32_t> chain;
    for (std::uint32_t c = nodes[n].first_child; c != Ppm::kNone; c = nodes[c].next_sibling)
      chain.push_back(c);
    ASSERT_EQ(ppm.child_count(n), chain.size()) << "node " << n;
    widest = std::max(widest, chain.size());
    for (std::uint32_t c : chain)
      EXPECT_EQ(ppm.find_child(n, nodes[c].symbol), c) << "node " << n;
  }
  EXPECT_GE(widest, static_cast<std::size_t>(kAlphabet));
  for (int s = 0; s < kAlphabet; ++s) {
    const std::uint32_t one = ppm.find_child(0, 1);
    ASSERT_NE(one, Ppm::kNone);
    const std::uint32_t one_zero = ppm.find_child(one, 0);
    ASSERT_NE(one_zero, Ppm::kNone);
    const std::uint32_t child = ppm.find_child(one_zero, s);
    ASSERT_NE(child, Ppm::kNone) << s;
    EXPECT_EQ(nodes[child].count, 1u);
  }
  EXPECT_EQ(nodes[ppm.find_child(0, 0)].count, static_cast<std::uint32_t>(kAlphabet + 1));
  EXPECT_EQ(ppm.find_child(0, kAlphabet + 5), Ppm::kNone);
  EXPECT_EQ(ppm.find_child(ppm.find_child(0, 5), 9), Ppm::kNone);
}

// A model rebuilt from its nodes and data (version 1 files) predicts exactly as the original,
// bounded or not, with and without update exclusion, and learns on identically.
TEST(Ppm, FromPartsPredictsAndLearnsExactlyAsTheOriginal) {
  const std::vector<std::vector<int>> train = {
      {0, 1, 2, 0, 1, 3, 0, 1, 2, 4}, {4, 4, 4, 0, 1, 2}, {2, 3, 2, 3, 2, 3, 0}};
  const std::vector<int> test = {0, 1, 2, 0, 1, 3, 3, 2, 3, 2, 4, 4, 0};
  for (int bound : {-1, 0, 1, 3}) {
    for (bool ux : {false, true}) {
      Ppm original(5, PpmOptions{Escape::c, bound, ux});
      for (const auto& t : train)
        original.train(t);
      Ppm rebuilt;
      ASSERT_TRUE(
          Ppm::from_parts(5, original.options(), original.nodes(), original.data(), rebuilt));
      Ppm::Cursor a(original, true);
      Ppm::Cursor b(rebuilt, true);
      std::vector<double> p(5), q(5);
      for (int s : test) {
        a.predict(p);
        b.predict(q);
        EXPECT_EQ(p, q) << "bound " << bound;
        EXPECT_EQ(a.selected_order(), b.selected_order());
        a.advance(s);
        b.advance(s);
      }
      a.finish();
      b.finish();
      ASSERT_EQ(original.node_count(), rebuilt.node_count());
      const auto o = original.nodes();
      const auto r = rebuilt.nodes();
      for (std::uint32_t n = 0; n < original.node_count(); ++n) {
        EXPECT_EQ(o[n].count, r[n].count);
        EXPECT_EQ(original.child_count(n), rebuilt.child_count(n));
      }
    }
  }
}

bool same_trie(const Ppm& a, const Ppm& b) {
  const auto x = a.nodes();
  const auto y = b.nodes();
  if (x.size() != y.size() || a.data() != b.data()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i].symbol != y[i].symbol || x[i].count != y[i].count || x[i].ux_count != y[i].ux_count ||
        x[i].first_child != y[i].first_child || x[i].next_sibling != y[i].next_sibling ||
        x[i].tail != y[i].tail) {
      return false;
    }
  }
  return true;
}

// shrink_to_fit packs the edge blocks exactly: the trie, the predictions and what it learns
// afterwards (its full blocks then move out to power-of-two ones) are those of the unpacked
// model, and it holds at most 24 bytes a node plus the learnt data.
TEST(Ppm, PackingChangesNothingButMemory) {
  std::vector<std::vector<int>> train;
  for (int i = 0; i < 40; ++i) {
    std::vector<int> seq;
    for (int j = 0; j < 30; ++j)
      seq.push_back((i * 7 + j * j * 3 + (j % 5) * i) % 11);
    train.push_back(seq);
  }
  const std::vector<int> test = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 3, 3, 3, 9, 1, 0, 10};
  for (bool ux : {false, true}) {
    Ppm loose(11, PpmOptions{Escape::c, -1, ux});
    for (const auto& t : train)
      loose.train(t);
    Ppm packed = loose;
    EXPECT_FALSE(packed.packed());
    packed.shrink_to_fit();
    EXPECT_TRUE(packed.packed());
    EXPECT_LT(packed.memory_bytes(), loose.memory_bytes());
    EXPECT_LE(packed.memory_bytes(), 24 * packed.node_count() +
                                         sizeof(std::int32_t) * packed.data().size() +
                                         sizeof(std::uint32_t) * 13);
    EXPECT_TRUE(same_trie(loose, packed));
    // Twice in a row: the same.
    packed.shrink_to_fit();
    EXPECT_TRUE(same_trie(loose, packed));
    {
      Ppm::Cursor a(loose, true);
      Ppm::Cursor b(packed, true);
      std::vector<double> p(11), q(11);
      for (int round = 0; round < 3; ++round) {
        for (int s : test) {
          a.predict(p);
          b.predict(q);
          ASSERT_EQ(p, q) << "ux " << ux;
          ASSERT_EQ(a.selected_order(), b.selected_order());
          a.advance(s);
          b.advance(s);
        }
      }
      a.finish();
      b.finish();
    }
    EXPECT_FALSE(packed.packed());
    EXPECT_TRUE(same_trie(loose, packed));
    // Learnt on, packed again, still the same as the never-packed model.
    packed.shrink_to_fit();
    for (const auto& t : train) {
      loose.train(t);
      packed.train(t);
    }
    EXPECT_TRUE(same_trie(loose, packed));
  }
}

// A packed model that does not learn works out its root level from stored totals (ppm.cpp,
// root_fast); a model never packed walks the root's edges. Both must give the same bits, for
// every escape and bound, over a larger alphabet, and again after the packed model learns on
// (which drops the totals) and is packed again (which makes them anew).
TEST(Ppm, StoredRootTotalsGiveTheSameBitsAsTheRootWalk) {
  std::vector<std::vector<int>> train;
  for (int i = 0; i < 30; ++i) {
    std::vector<int> seq;
    for (int j = 0; j < 40; ++j)
      seq.push_back((i * 5 + j * j * 7 + (j % 3) * i) % 17);
    train.push_back(seq);
  }
  const std::vector<int> test = {0, 1, 2, 3, 16, 3, 3, 9, 1, 0, 10, 12, 5, 5, 5, 7, 2, 11};
  for (Escape e : {Escape::a, Escape::b, Escape::c, Escape::d, Escape::x}) {
    for (int bound : {-1, 0, 1, 3}) {
      Ppm loose(17, PpmOptions{e, bound, false});
      for (const auto& t : train)
        loose.train(t);
      Ppm packed = loose;
      packed.shrink_to_fit();
      for (int pass = 0; pass < 2; ++pass) {
        Ppm::Cursor a(static_cast<const Ppm&>(loose));
        Ppm::Cursor b(static_cast<const Ppm&>(packed));
        std::vector<double> p(20), q(20);
        for (int s : test) {
          const double sp = a.predict_unnormalised(p, {}, 20);
          const double sq = b.predict_unnormalised(q, {}, 20);
          ASSERT_EQ(sp, sq);
          ASSERT_EQ(p, q);
          a.predict(p);
          b.predict(q);
          ASSERT_EQ(p, q);
          a.advance(s);
          b.advance(s);
        }
        // Learn one sequence on the packed model (a learning cursor drops its totals, so the
        // root is walked until it is packed again) and the same on the loose one.
        packed.train(test);
        loose.train(test);
        {
          Ppm::Cursor c(static_cast<const Ppm&>(loose));
          Ppm::Cursor d(static_cast<const Ppm&>(packed));
          std::vector<double> r(17), t(17);
          for (int s : test) {
            c.predict(r);
            d.predict(t);
            ASSERT_EQ(r, t);
            c.advance(s);
            d.advance(s);
          }
        }
        packed.shrink_to_fit();
      }
    }
  }
}

// entropy_bits takes one log per run of equal probabilities: the same bits as a log each.
TEST(Ppm, EntropyOfRunsIsTheSameBitsAsTermByTerm) {
  std::vector<double> p = {0.1, 0.1, 0.1, 0.0, 0.2, 0.05, 0.05, 0.1, 0.3, 0.0, 0.0};
  for (int round = 0; round < 50; ++round) {
    double naive = 0.0;
    for (double x : p) {
      if (x > 0.0) naive -= x * std::log2(x);
    }
    ASSERT_EQ(entropy_bits(p), naive);
    std::rotate(p.begin(), p.begin() + 1 + round % 3, p.end());
    p[static_cast<std::size_t>(round) % p.size()] *= 1.0 / 3.0;
  }
}

// A version 1 trie whose node is no node's child (it would have no context) is refused, and so
// is one whose chains loop.
TEST(Ppm, FromPartsRefusesNodesOutsideTheTrie) {
  Ppm original(3);
  original.train(std::vector<int>{0, 1, 0, 1, 2});
  auto nodes = original.nodes();
  Ppm out;
  ASSERT_TRUE(Ppm::from_parts(3, original.options(), nodes, original.data(), out));
  EXPECT_TRUE(out.packed());
  EXPECT_TRUE(same_trie(original, out));
  auto orphan = nodes;
  orphan.push_back(Ppm::Node{1, 1, 0, Ppm::kNone, Ppm::kNone, Ppm::kNone});
  EXPECT_FALSE(Ppm::from_parts(3, original.options(), orphan, original.data(), out));
  auto loop = nodes;
  const std::uint32_t first = loop[0].first_child;
  ASSERT_NE(first, Ppm::kNone);
  loop[first].next_sibling = first;
  EXPECT_FALSE(Ppm::from_parts(3, original.options(), loop, original.data(), out));
}

// predict_unnormalised is predict() before its division, over an alphabet at least the model's
// (the extra symbols take only the order -1 share); the sorted list of allowed symbols, when
// given, changes nothing.
TEST(Ppm, UnnormalisedPredictionDividesToPredict) {
  const std::vector<int> seq = {0, 1, 2, 0, 1, 2, 3, 0, 1};
  for (Escape e : {Escape::a, Escape::b, Escape::c, Escape::d, Escape::x}) {
    for (int bound : {-1, 2}) {
      Ppm ppm(4, PpmOptions{e, bound, true});
      ppm.train(seq);
      Ppm grown = ppm;
      grown.grow_alphabet(6);
      Ppm::Cursor c(static_cast<const Ppm&>(ppm));
      Ppm::Cursor g(static_cast<const Ppm&>(grown));
      const std::vector<std::uint8_t> allowed = {1, 0, 1, 1, 0, 1};
      const std::vector<std::uint32_t> list = {0, 2, 3, 5};
      for (int s : {0, 1, 2}) {
        std::vector<double> p(6), u(6), v(6);
        // Over the model's own alphabet.
        c.predict(p);
        double sum = c.predict_unnormalised(u, {}, 4);
        for (std::size_t i = 0; i < 4; ++i)
          EXPECT_EQ(u[i] / sum, p[i]);
        // Over a larger one, as a grown copy would predict, with and without the list.
        g.predict(p, allowed);
        sum = c.predict_unnormalised(u, allowed, 6);
        const double sum_list = c.predict_unnormalised(v, allowed, 6, list);
        EXPECT_EQ(sum, sum_list);
        for (std::uint32_t i : list) {
          EXPECT_EQ(u[i] / sum, p[i]) << i;
          EXPECT_EQ(v[i] / sum, p[i]) << i;
        }
        c.advance(s);
        g.advance(s);
      }
    }
  }
}

// A long repeated phrase: an order bound stops the selected context at the bound; unbounded
// (PPM*) it lies between 1 and the longest match, and the phrase is predicted well either way.
TEST(Ppm, LongContextsBoundedAndUnbounded) {
  std::vector<int> phrase;
  for (int i = 0; i < 40; ++i)
    phrase.push_back((i * 7) % 13);
  for (int bound : {-1, 0, 1, 5, 30}) {
    Ppm ppm(13, PpmOptions{Escape::c, bound, false});
    Ppm::Cursor learner(ppm, true);
    for (int round = 0; round < 3; ++round) {
      for (int s : phrase)
        learner.advance(s);
    }
    learner.finish();
    Ppm::Cursor c(static_cast<const Ppm&>(ppm));
    std::vector<double> p(13);
    for (std::size_t i = 0; i < phrase.size(); ++i) {
      c.predict(p);
      const int order = c.selected_order();
      // The whole prefix read so far occurs in the training, so the longest match is i.
      if (bound >= 0) {
        EXPECT_EQ(order, std::min<int>(bound, static_cast<int>(i)));
      } else {
        EXPECT_LE(order, static_cast<int>(i));
        EXPECT_GE(order, i > 0 ? 1 : 0);
      }
      // (After a 0 the training is ambiguous: the phrase ends in 0 and starts again with 0.)
      if (i > 0 && bound != 0 && phrase[i - 1] != 0) {
        EXPECT_GT(p[static_cast<std::size_t>(phrase[i])], 0.5) << i;
      }
      c.advance(phrase[i]);
    }
  }
}

TEST(Ppm, InformationContentIsMinusLog2) {
  EXPECT_DOUBLE_EQ(information_content(0.25), 2.0);
  EXPECT_DOUBLE_EQ(information_content(1.0), 0.0);
  const std::vector<double> uniform(8, 0.125);
  EXPECT_DOUBLE_EQ(entropy_bits(uniform), 3.0);
}

}  // namespace
}  // namespace duet::model

namespace duet::model {
namespace {

// With an allowed subset, an empty model is uniform over the subset only (IDyOM's per-event
// alphabet), and the other symbols get nothing.
TEST(Ppm, AllowedSubsetEmptyModelIsUniformOverIt) {
  Ppm ppm(10, PpmOptions{Escape::x, -1, true});
  Ppm::Cursor cursor(ppm, true);
  std::vector<std::uint8_t> allowed(10, 0);
  allowed[2] = allowed[5] = allowed[7] = 1;
  std::vector<double> p(10);
  cursor.predict(p, allowed);
  for (std::size_t i = 0; i < 10; ++i)
    EXPECT_NEAR(p[i], allowed[i] ? 1.0 / 3 : 0.0, 1e-12) << i;
}

// PPM-X after one symbol: w = 1 / (1 + (1 singleton + 1)) = 1/3 for it; the escape 2/3 goes to
// the order -1 estimate over the 3 allowed symbols less the one seen, + 1: 1/3 each. Spreading it
// over the whole alphabet of 10 and renormalising instead would give the seen symbol 0.43.
TEST(Ppm, AllowedSubsetHandComputedEscapeX) {
  Ppm ppm(10, PpmOptions{Escape::x, -1, true});
  Ppm::Cursor cursor(ppm, true);
  cursor.advance(2);
  std::vector<std::uint8_t> allowed(10, 0);
  allowed[2] = allowed[5] = allowed[7] = 1;
  std::vector<double> p(10);
  cursor.predict(p, allowed);
  EXPECT_NEAR(p[2], 1.0 / 3 + 2.0 / 9, 1e-12);
  EXPECT_NEAR(p[5], 2.0 / 9, 1e-12);
  EXPECT_NEAR(p[7], 2.0 / 9, 1e-12);
  EXPECT_EQ(p[0], 0.0);
}

}  // namespace
}  // namespace duet::model
