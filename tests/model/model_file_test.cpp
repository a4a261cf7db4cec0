// Model files: version 2 (training sequences, trie rebuilt on load) round trips node for node,
// version 1 (the trie itself) still reads, and damaged or hostile files fail with one sentence.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "base/file.h"
#include "model/corpus.h"
#include "model/eval.h"
#include "model/model_file.h"
#include "model/mvs.h"

namespace duet::model {
namespace {

namespace fs = std::filesystem;

Melody melody(std::initializer_list<int> pitches) {
  Melody m;
  std::int64_t t = 0;
  for (int p : pitches) {
    MelodyNote n;
    n.pitch = p;
    n.onset = time::BeatPos(t);
    n.duration = time::BeatDur(960);
    n.bar_position = time::BeatDur(t % 7680);
    n.key = KeyContext{0, false};
    m.notes.push_back(n);
    t += 960;
  }
  return m;
}

// What duet train builds.
MelodyModelOptions train_options() {
  MelodyModelOptions o = jsb_pitch_system();
  o.use_stm = true;
  o.ltm_learns = false;
  return o;
}

MelodyModel trained(MelodyModelOptions o) {
  MelodyModel model(std::move(o));
  model.train(melody({60, 62, 64, 65, 67, 65, 64, 62, 60}));
  model.train(melody({67, 65, 64, 62, 60, 62, 64, 62, 60}));
  model.train(melody({60, 62, 64, 65, 67, 69, 67, 65, 64, 62, 60}));
  return model;
}

void expect_same_tries(const MelodyModel& a, const MelodyModel& b) {
  EXPECT_EQ(a.pitch_domain(), b.pitch_domain());
  ASSERT_EQ(a.viewpoint_models().size(), b.viewpoint_models().size());
  for (std::size_t v = 0; v < a.viewpoint_models().size(); ++v) {
    const auto& x = a.viewpoint_models()[v];
    const auto& y = b.viewpoint_models()[v];
    EXPECT_EQ(x.viewpoint, y.viewpoint);
    EXPECT_EQ(x.symbols.values(), y.symbols.values());
    EXPECT_EQ(x.ltm.alphabet_size(), y.ltm.alphabet_size());
    EXPECT_EQ(x.ltm.options(), y.ltm.options());
    EXPECT_EQ(x.ltm.data(), y.ltm.data());
    const auto xn = x.ltm.nodes();
    const auto yn = y.ltm.nodes();
    ASSERT_EQ(xn.size(), yn.size()) << "viewpoint " << v;
    for (std::size_t i = 0; i < xn.size(); ++i) {
      const Ppm::Node& n = xn[i];
      const Ppm::Node& m = yn[i];
      ASSERT_TRUE(n.symbol == m.symbol && n.count == m.count && n.ux_count == m.ux_count &&
                  n.first_child == m.first_child && n.next_sibling == m.next_sibling &&
                  n.tail == m.tail)
          << "viewpoint " << v << " node " << i;
    }
  }
}

std::vector<double> probabilities(MelodyModel model, const Melody& m) {
  std::vector<double> out;
  for (const auto& p : model.predict(m))
    out.push_back(p.probability);
  return out;
}

TEST(ModelFile, Crc32IsTheIeeeOne) {
  const std::string text = "123456789";
  EXPECT_EQ(crc32({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}), 0xCBF43926u);
  EXPECT_EQ(crc32({}), 0u);
}

TEST(ModelFile, VersionTwoRebuildsTheSameTrie) {
  MelodyModelOptions flipped = train_options();
  flipped.ltm_context_alphabet = !flipped.ltm_context_alphabet;
  flipped.stm_context_alphabet = !flipped.stm_context_alphabet;
  // The reader counts steps with the order bound at its maximum (model_file.cpp): a bounded
  // model must still come back node for node.
  MelodyModelOptions bounded = train_options();
  bounded.ltm_ppm = PpmOptions{Escape::d, 2, true};
  for (MelodyModelOptions o : {train_options(), jsb_duration_system(), flipped, bounded}) {
    const MelodyModel model = trained(o);
    const auto bytes = encode_model(model);
    ASSERT_EQ(bytes[8], 2);
    auto back = decode_model(bytes, "m.duetmodel");
    ASSERT_TRUE(back.has_value()) << back.error().message;
    expect_same_tries(model, *back);
    EXPECT_EQ(back->options().viewpoints, o.viewpoints);
    EXPECT_EQ(back->options().ltm_ppm, o.ltm_ppm);
    EXPECT_EQ(back->options().stm_ppm, o.stm_ppm);
    EXPECT_EQ(back->options().viewpoint_combination, o.viewpoint_combination);
    EXPECT_EQ(back->options().use_stm, o.use_stm);
    EXPECT_EQ(back->options().ltm_learns, o.ltm_learns);
    EXPECT_EQ(back->options().ltm_context_alphabet, o.ltm_context_alphabet);
    EXPECT_EQ(back->options().stm_context_alphabet, o.stm_context_alphabet);
    EXPECT_EQ(back->options().ltm_stm_combination, o.ltm_stm_combination);
    EXPECT_EQ(encode_model(*back), bytes);
  }
}

// LTM+: the long-term model learns while predicting, and symbols that only candidate pitches
// made join the tables; both survive the file.
TEST(ModelFile, ModelThatLearntWhilePredictingRoundTrips) {
  MelodyModelOptions o = jsb_pitch_system();
  o.ltm_learns = true;
  MelodyModel model = trained(o);
  model.predict(melody({72, 71, 69, 67, 66, 64, 62, 61}));
  auto back = decode_model(encode_model(model), "m");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  expect_same_tries(model, *back);
  const Melody test = melody({60, 61, 63, 66, 70});
  EXPECT_EQ(probabilities(model, test), probabilities(*back, test));
}

TEST(ModelFile, StoresSequencesNotTheTrie) {
  MelodyModel model(train_options());
  for (int k = 0; k < 20; ++k)
    model.train(melody({60, 62, 64, 65, 67, 65, 64, 62, 60, 62, 64, 62, 60, 59, 60}));
  std::size_t nodes = 0, symbols = 0;
  for (const auto& v : model.viewpoint_models()) {
    nodes += v.ltm.node_count();
    symbols += v.ltm.data().size();
  }
  const auto bytes = encode_model(model);
  // One byte per learnt symbol (ids below 128) plus headers; version 1 took 24 bytes a node.
  EXPECT_LT(bytes.size(), symbols + 200);
  EXPECT_LT(bytes.size() * 4, nodes * 24);
}

TEST(ModelFile, ReadsVersionOne) {
  // tests/cli/data/model_v1.duetmodel was written by duet train (format version 1) from
  // tests/cli/data/model_corpus; training again gives the same model.
  const fs::path data = fs::path(DUET_SOURCE_DIR) / "tests" / "cli" / "data";
  auto v1 = load_model(data / "model_v1.duetmodel");
  ASSERT_TRUE(v1.has_value()) << v1.error().message;
  auto corpus = read_melody_corpus(data / "model_corpus");
  ASSERT_TRUE(corpus.has_value()) << corpus.error().message;
  MelodyModel fresh(train_options());
  for (const auto& file : corpus->files) {
    for (const auto& m : file.melodies)
      fresh.train(m);
  }
  ASSERT_GT(fresh.viewpoint_models()[0].ltm.data().size(), 40u);
  expect_same_tries(fresh, *v1);
  // Written again it becomes version 2, which reads back the same.
  auto v2 = decode_model(encode_model(*v1), "v2");
  ASSERT_TRUE(v2.has_value()) << v2.error().message;
  expect_same_tries(*v1, *v2);
  // Both loads leave the tries packed (no spare room in their edge blocks).
  for (const auto* m : {&*v1, &*v2}) {
    for (const auto& v : m->viewpoint_models())
      EXPECT_TRUE(v.ltm.packed());
  }
}

TEST(ModelFile, EveryDamagedByteAndTruncationFails) {
  const auto bytes = encode_model(trained(train_options()));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto damaged = bytes;
    damaged[i] ^= 0x10;
    auto r = decode_model(damaged, "m");
    ASSERT_FALSE(r.has_value()) << "byte " << i;
    if (i >= 12 && i + 4 <= bytes.size()) {
      EXPECT_EQ(r.error().message,
                "m: the file is damaged or cut short (its CRC-32 does not match); rebuild it "
                "with duet train");
    }
  }
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    std::vector<std::uint8_t> part(bytes.begin(), bytes.begin() + static_cast<long>(n));
    EXPECT_FALSE(decode_model(part, "m").has_value()) << n;
  }
  auto version = bytes;
  version[8] = 3;
  EXPECT_EQ(decode_model(version, "m").error().message,
            "m: model format version 3 is newer than this duet reads (1 to 2); use a newer duet or "
            "rebuild it with duet train");
  version[8] = 0;
  EXPECT_EQ(decode_model(version, "m").error().message,
            "m: model format version 0 is not one duet has written; rebuild it with duet train");
}

// Builds version 2 files by hand: the 31 option bytes of a real file, then `body`, then the CRC.
std::vector<std::uint8_t> v2_file(const std::vector<std::uint8_t>& body) {
  const auto real = encode_model(MelodyModel(train_options()));
  std::vector<std::uint8_t> out(real.begin(), real.begin() + 12 + 31);
  out.insert(out.end(), body.begin(), body.end());
  const std::uint32_t crc = crc32(out);
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  return out;
}

std::string v2_error(const std::vector<std::uint8_t>& body) {
  auto r = decode_model(v2_file(body), "m");
  return r.has_value() ? "(read)" : r.error().message;
}

TEST(ModelFile, HandBuiltVersionTwoFiles) {
  // domain {60, 62}; one viewpoint cpitch; symbols {60, 62}; one sequence 0 1 0.
  const std::vector<std::uint8_t> good = {2, 60, 2, 1, 1, 0, 2, 120, 4, 1, 3, 0, 1, 0};
  auto ok = decode_model(v2_file(good), "m");
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->pitch_domain(), (std::vector<int>{60, 62}));
  EXPECT_EQ(ok->viewpoint_models()[0].symbols.values(), (std::vector<std::int64_t>{60, 62}));
  EXPECT_EQ(ok->viewpoint_models()[0].ltm.data(), (std::vector<std::int32_t>{0, 1, 0, Ppm::kEnd}));

  const std::string suffix = "; rebuild it with duet train";
  EXPECT_EQ(v2_error({2, 60, 0, 1, 1, 0, 2, 120, 4, 1, 3, 0, 1, 0}),
            "m: a pitch of the domain is not 0..127 or the domain is not sorted" + suffix);
  EXPECT_EQ(v2_error({2, 100, 40, 1, 1, 0, 2, 120, 4, 1, 3, 0, 1, 0}),
            "m: a pitch of the domain is not 0..127 or the domain is not sorted" + suffix);
  EXPECT_EQ(v2_error({2, 60, 2, 1, 0, 2, 120, 4, 1, 3, 0, 1, 0}),
            "m: a viewpoint has no parts or more than three" + suffix);
  EXPECT_EQ(v2_error({2, 60, 2, 1, 1, 9, 2, 120, 4, 1, 3, 0, 1, 0}),
            "m: a viewpoint has an unknown part" + suffix);
  EXPECT_EQ(v2_error({2, 60, 2, 1, 1, 0, 2, 120, 0, 1, 3, 0, 1, 0}),
            "m: a symbol table repeats a value" + suffix);
  EXPECT_EQ(v2_error({2, 60, 2, 1, 1, 0, 2, 120, 4, 1, 3, 0, 2, 0}),
            "m: a training sequence uses a symbol outside its table" + suffix);
  EXPECT_EQ(v2_error({2, 60, 2, 1, 1, 0, 2, 120, 4, 1, 3, 0, 1, 0, 7}),
            "m: there are bytes after the last viewpoint" + suffix);
  EXPECT_EQ(v2_error({2, 60, 2, 1, 1, 0, 2, 120, 4, 1, 30, 0, 1, 0}),
            "m: the file is cut short" + suffix);
  // A count far beyond the file, and a varint longer than ten bytes.
  EXPECT_EQ(v2_error({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), "m: the file is cut short" + suffix);
  EXPECT_EQ(v2_error({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}),
            "m: the file is cut short" + suffix);
}

// PPM* on one pitch repeated n times builds n nodes in n^2/2 context updates: a small file that
// would cost a long rebuild stops at the limits with its own message.
TEST(ModelFile, RebuildStopsAtTheLimits) {
  MelodyModelOptions o;
  o.viewpoints = {Viewpoint{{BasicViewpoint::cpitch}}};
  MelodyModel model(o);
  Melody drone;
  for (int i = 0; i < 3000; ++i) {
    MelodyNote n;
    n.pitch = 60;
    n.onset = time::BeatPos(i * 960);
    n.duration = time::BeatDur(960);
    drone.notes.push_back(n);
  }
  model.train(drone);
  const auto bytes = encode_model(model);
  EXPECT_LT(bytes.size(), 3100u);
  auto full = decode_model(bytes, "m");
  ASSERT_TRUE(full.has_value()) << full.error().message;
  expect_same_tries(model, *full);

  const std::string message =
      "m: rebuilding the model would take more than the allowed time or memory (it is damaged or "
      "was trained on extremely repetitive melodies); rebuild it with duet train";
  auto slow = decode_model(bytes, "m", ModelLimits{1u << 20, 1'000'000});
  ASSERT_FALSE(slow.has_value());
  EXPECT_EQ(slow.error().kind, base::ErrorKind::out_of_range);
  EXPECT_EQ(slow.error().message, message);
  auto big = decode_model(bytes, "m", ModelLimits{1000, 1u << 30});
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().message, message);
}

TEST(ModelFile, SaveAndLoad) {
  const fs::path dir = fs::temp_directory_path() / "duet_model_file_test";
  fs::create_directories(dir);
  const MelodyModel model = trained(train_options());
  ASSERT_TRUE(save_model(model, dir / "a.duetmodel").has_value());
  auto back = load_model(dir / "a.duetmodel");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  expect_same_tries(model, *back);
  auto missing = load_model(dir / "none.duetmodel");
  EXPECT_FALSE(missing.has_value());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace duet::model
