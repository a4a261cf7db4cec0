// Chord model files (chord_model_file.h) and chord sequences read from notes (chord_corpus.h):
// a decoded model predicts exactly what the original does, damaged files fail with the file
// named, and chords come out of notes with the key, durations and bar positions expected.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/file.h"
#include "midi/smf.h"
#include "model/chord_corpus.h"
#include "model/chord_model_file.h"

namespace duet::model {
namespace {

constexpr int I = 0, ii = 11, IV = 25, V = 35, vi = 46, i_min = 1, iv_min = 26, bVI = 40;

std::vector<ChordItem> items(std::initializer_list<int> symbols, int beats = 2) {
  std::vector<ChordItem> out;
  int onset = 0;
  for (int s : symbols) {
    out.push_back(ChordItem{s, beats, onset % 4});
    onset += beats;
  }
  return out;
}

ChordModel trained(const ChordModelOptions& options) {
  ChordModel model(options);
  model.train(items({I, IV, V, I, vi, ii, V, I}), false);
  model.train(items({I, vi, IV, V, I}, 4), false);
  model.train(items({i_min, iv_min, V, i_min, bVI, V, i_min}), true);
  model.train(items({i_min, bVI, iv_min, V}, 1), true);
  return model;
}

void expect_same_predictions(ChordModel& a, ChordModel& b) {
  for (bool minor : {false, true}) {
    for (const auto& song : {items({I, IV, ii, V, I, vi}), items({i_min, V, bVI, 60 - 5}, 3),
                             chord_items(std::vector<int>{I, 7, 12, V})}) {
      const auto pa = a.predict(song, minor);
      const auto pb = b.predict(song, minor);
      ASSERT_EQ(pa.size(), pb.size());
      for (std::size_t k = 0; k < pa.size(); ++k)
        EXPECT_EQ(pa[k], pb[k]) << "chord " << k << (minor ? " minor" : " major");
    }
  }
}

TEST(ChordModelFile, DecodedModelPredictsExactlyWhatTheOriginalDoes) {
  ChordModelOptions other = default_chord_system();
  other.by_mode = false;
  other.ltm_learns = true;
  other.stm_viewpoints = {ChordViewpoint{{ChordBasic::symbol}},
                          ChordViewpoint{{ChordBasic::degree, ChordBasic::position}}};
  other.ltm_ppm = PpmOptions{Escape::d, 3, true};
  for (const ChordModelOptions& options : {default_chord_system(), other, ChordModelOptions{}}) {
    ChordModel original = trained(options);
    const auto bytes = encode_chord_model(original);
    auto decoded = decode_chord_model(bytes, "t.duetmodel");
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(decoded->options(), options);
    EXPECT_EQ(encode_chord_model(*decoded), bytes);  // byte-identical when written again
    expect_same_predictions(original, *decoded);
  }
}

TEST(ChordModelFile, DamagedFilesFailNamingTheFile) {
  const auto bytes = encode_chord_model(trained(default_chord_system()));
  auto not_model = decode_chord_model(std::vector<std::uint8_t>(20, 'x'), "t.duetmodel");
  ASSERT_FALSE(not_model.has_value());
  EXPECT_EQ(not_model.error().message,
            "t.duetmodel: not a duet chord model file (no DUETCHRD signature); rebuild it with "
            "duet train --chords");
  // A melody model is not a chord model.
  auto melody = decode_chord_model(encode_model(MelodyModel{}), "m.duetmodel");
  ASSERT_FALSE(melody.has_value());
  EXPECT_NE(melody.error().message.find("no DUETCHRD signature"), std::string::npos);

  auto newer = bytes;
  newer[8] = 9;
  auto v = decode_chord_model(newer, "t.duetmodel");
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().kind, base::ErrorKind::unsupported);
  EXPECT_NE(v.error().message.find("format version 9"), std::string::npos);

  auto flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  auto crc = decode_chord_model(flipped, "t.duetmodel");
  ASSERT_FALSE(crc.has_value());
  EXPECT_NE(crc.error().message.find("CRC-32 does not match"), std::string::npos);

  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto cut = decode_chord_model(std::span(bytes).first(n), "t.duetmodel");
    ASSERT_FALSE(cut.has_value()) << n;
    EXPECT_EQ(cut.error().message.rfind("t.duetmodel: ", 0), 0u) << cut.error().message;
  }
}

TEST(ChordModelFile, BodyErrorsBehindAValidCrc) {
  auto bytes = encode_chord_model(trained(ChordModelOptions{}));
  // Bytes after the last model, with the CRC made right again.
  bytes.resize(bytes.size() - 4);
  bytes.push_back(0);
  const std::uint32_t c = crc32(bytes);
  for (int i = 0; i < 4; ++i)
    bytes.push_back(static_cast<std::uint8_t>(c >> (8 * i)));
  auto extra = decode_chord_model(bytes, "t.duetmodel");
  ASSERT_FALSE(extra.has_value());
  EXPECT_NE(extra.error().message.find("bytes after the last viewpoint model"), std::string::npos);
}

TEST(ChordModelFile, RebuildStopsAtTheLimits) {
  const auto bytes = encode_chord_model(trained(default_chord_system()));
  auto limited = decode_chord_model(bytes, "t.duetmodel", ModelLimits{10, 1u << 20});
  ASSERT_FALSE(limited.has_value());
  EXPECT_EQ(limited.error().kind, base::ErrorKind::out_of_range);
  EXPECT_EQ(limited.error().message.rfind("t.duetmodel: rebuilding", 0), 0u);
}

TEST(ChordModelFile, SavesAndLoads) {
  const auto dir = std::filesystem::temp_directory_path() / "duet_chord_model_file_test";
  std::filesystem::create_directories(dir);
  ChordModel model = trained(default_chord_system());
  ASSERT_TRUE(save_chord_model(model, dir / "c.duetmodel").has_value());
  auto loaded = load_chord_model(dir / "c.duetmodel");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  expect_same_predictions(model, *loaded);
  EXPECT_FALSE(load_chord_model(dir / "missing.duetmodel").has_value());
  std::filesystem::remove_all(dir);
}

music::TimedNote note(int pitch, double onset, double duration) {
  return music::TimedNote{pitch, onset, duration, 1};
}

// I (2 beats), IV (2), V (2), I (2) in C major, three voices, then silence and I again.
std::vector<music::TimedNote> cadence() {
  std::vector<music::TimedNote> n;
  const int chords[4][3] = {{48, 64, 67}, {53, 65, 69}, {55, 62, 71}, {48, 64, 72}};
  for (int c = 0; c < 4; ++c)
    for (int p : chords[c])
      n.push_back(note(p, 2.0 * c, 2.0));
  return n;
}

TEST(ChordCorpus, ChordsFromNotesRelativeToTheFoundKey) {
  const ChordSong song = chord_song_from_notes(cadence(), 4);
  EXPECT_FALSE(song.minor);
  const std::vector<ChordItem> expected = {{I, 2, 0}, {IV, 2, 2}, {V, 2, 0}, {I, 2, 2}};
  EXPECT_EQ(song.items, expected);
  // Transposed to E major: the same degrees; 3 beats a bar.
  auto up = cadence();
  for (auto& n : up)
    n.pitch += 4;
  const ChordSong e = chord_song_from_notes(up, 3);
  const std::vector<ChordItem> expected3 = {{I, 2, 0}, {IV, 2, 2}, {V, 2, 1}, {I, 2, 0}};
  EXPECT_EQ(e.items, expected3);
  EXPECT_TRUE(chord_song_from_notes({}, 4).items.empty());
}

TEST(ChordCorpus, JsbChoraleStepsMergeHeldNotes) {
  // Four voices, 16ths: C major for 8 steps (2 beats), G major for 8, C major for 8.
  JsbSteps steps;
  for (int i = 0; i < 8; ++i)
    steps.push_back({72, 67, 64, 48});
  for (int i = 0; i < 8; ++i)
    steps.push_back({74, 67, 62, 55});
  for (int i = 0; i < 8; ++i)
    steps.push_back({72, 67, 64, 48});
  const ChordSong song = jsb_chord_song(steps);
  EXPECT_FALSE(song.minor);
  const std::vector<ChordItem> expected = {{I, 2, 0}, {V, 2, 2}, {I, 2, 0}};
  EXPECT_EQ(song.items, expected);
}

TEST(ChordCorpus, MidiFileChordsWithItsMeter) {
  midi::MidiFile file;
  file.division.ticks_per_quarter = 480;
  midi::Track conductor;
  conductor.events.push_back({0, midi::TimeSignature{3, 2, 24, 8}});
  conductor.end_tick = 0;
  midi::Track piano;
  std::int64_t t = 0;
  for (const auto& chord : {std::array{48, 64, 67}, std::array{53, 65, 69}, std::array{55, 62, 71},
                            std::array{48, 64, 72}}) {
    for (int p : chord)
      piano.events.push_back({t, midi::NoteOn{0, static_cast<std::uint8_t>(p), 90}});
    for (int p : chord)
      piano.events.push_back({t + 960, midi::NoteOff{0, static_cast<std::uint8_t>(p), 0}});
    t += 960;
  }
  piano.events.push_back({0, midi::NoteOn{9, 36, 100}});  // drums are not harmony
  piano.events.push_back({t, midi::NoteOff{9, 36, 0}});
  std::stable_sort(piano.events.begin(), piano.events.end(),
                   [](const midi::Event& a, const midi::Event& b) { return a.tick < b.tick; });
  piano.end_tick = t;
  file.tracks = {conductor, piano};
  auto bytes = midi::write_smf(file);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  const auto dir = std::filesystem::temp_directory_path() / "duet_chord_corpus_test";
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(base::write_file_atomic(dir / "a.mid", *bytes).has_value());
  auto song = read_midi_chord_song(dir / "a.mid");
  ASSERT_TRUE(song.has_value()) << song.error().message;
  const std::vector<ChordItem> expected = {{I, 2, 0}, {IV, 2, 2}, {V, 2, 1}, {I, 2, 0}};
  EXPECT_EQ(song->items, expected);
  ASSERT_TRUE(base::write_file_atomic(dir / "b.mid", std::vector<std::uint8_t>{1, 2, 3}));
  auto bad = read_midi_chord_song(dir / "b.mid");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("b.mid"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(ChordCorpus, JsbChordModelIsReproducible) {
  const std::filesystem::path path =
      std::filesystem::path(DUET_SHARED_DATA_DIR) / "jsb" / "Jsb16thSeparated.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no JSB corpus at " << path;
  auto steps = read_jsb_steps(path);
  ASSERT_TRUE(steps.has_value()) << steps.error().message;
  const auto songs = jsb_chord_songs(*steps);
  EXPECT_EQ(songs.size(), 382u);
  std::vector<std::uint8_t> first;
  for (int run = 0; run < 2; ++run) {
    ChordModel model(default_chord_system());
    for (const auto& s : songs)
      model.train(s.items, s.minor);
    const auto bytes = encode_chord_model(model);
    if (run == 0) first = bytes;
    EXPECT_EQ(bytes, first);
  }
  EXPECT_LT(first.size(), 200'000u);
}

}  // namespace
}  // namespace duet::model
