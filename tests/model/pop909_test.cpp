// The POP909 reader on a song folder written here (always runs), and on the real corpus when
// ../shared/data/pop909 is present (skips with a message otherwise).
#include "model/pop909.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/file.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "model/pop909_eval.h"

namespace duet::model {
namespace {

namespace fs = std::filesystem;

// A song 002 at 120 bpm (a quarter is 0.5 s): a C major bar then an A minor bar in PIANO, a
// melody E D C with two notes at the same onset, one bridge note.
class Pop909Folder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("duet_pop909_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    folder_ = root_ / "002";
    fs::create_directories(folder_);
    midi::MidiFile file;
    file.format = 1;
    file.division.ticks_per_quarter = 480;
    midi::Track conductor;
    conductor.events.push_back({0, midi::SetTempo{500000}});
    conductor.events.push_back({0, midi::TimeSignature{4, 2, 24, 8}});
    file.tracks.push_back(conductor);
    const auto note = [](int key, std::int64_t start, std::int64_t duration) {
      midi::Note n;
      n.key = static_cast<std::uint8_t>(key);
      n.velocity = 90;
      n.start = start;
      n.duration = duration;
      return n;
    };
    file.tracks.push_back(midi::track_from_notes(
        "MELODY", 0, 0,
        {note(76, 0, 480), note(74, 480, 960), note(67, 480, 480), note(72, 1920, 480)}));
    file.tracks.push_back(midi::track_from_notes("BRIDGE", 1, 0, {note(64, 0, 1920)}));
    file.tracks.push_back(
        midi::track_from_notes("PIANO", 2, 0,
                               {note(48, 0, 1920), note(52, 0, 1920), note(55, 0, 1920),
                                note(45, 1920, 1920), note(48, 1920, 1920), note(52, 1920, 1920)}));
    if (!write_song_midi(file)) FAIL() << "could not write the test MIDI file";
    write("chord_midi.txt", "0.0\t1.0\tC:maj\n1.0\t2.0\tC:maj\n2.0\t4.0\tA:min7\n4.0\t5.0\tN\n");
    write("beat_midi.txt",
          "0.0 1.0 1.0\n0.5 0.0 0.0\n1.0 1.0 0.0\n1.5 0.0 0.0\n2.0 1.0 1.0\n"
          "2.5 0.0 0.0\n3.0 1.0 0.0\n3.5 0.0 0.0\n");
    write("key_audio.txt", "0.0\t4.0\tC:maj\n");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  bool write_song_midi(const midi::MidiFile& file) {
    auto bytes = midi::write_smf(file);
    if (!bytes) return false;
    return base::write_file_atomic(folder_ / "002.mid", std::string(bytes->begin(), bytes->end()))
        .has_value();
  }
  void write(const char* name, const std::string& text) {
    ASSERT_TRUE(base::write_file_atomic(folder_ / name, text).has_value());
  }
  fs::path root_, folder_;
};

TEST_F(Pop909Folder, ReadsTracksAnnotationsAndTimes) {
  auto song = read_pop909_song(folder_);
  ASSERT_TRUE(song.has_value()) << song.error().message;
  EXPECT_EQ(song->id, "002");
  ASSERT_EQ(song->melody.notes.size(), 4u);
  ASSERT_EQ(song->piano.notes.size(), 6u);
  ASSERT_EQ(song->bridge.notes.size(), 1u);
  const Pop909Note& last = song->melody.notes.back();
  EXPECT_EQ(last.pitch, 72);
  EXPECT_DOUBLE_EQ(last.start_seconds, 2.0);
  EXPECT_DOUBLE_EQ(last.end_seconds, 2.5);
  EXPECT_EQ(last.onset, time::BeatPos(4 * time::kTicksPerQuarter));
  EXPECT_EQ(last.duration, time::BeatDur(time::kTicksPerQuarter));
  ASSERT_EQ(song->chords.size(), 4u);
  EXPECT_EQ(song->chords[2].label, "A:min7");
  EXPECT_FALSE(song->chords[3].chord.has_value());
  ASSERT_EQ(song->beats.size(), 8u);
  EXPECT_TRUE(song->beats[4].downbeat);
  EXPECT_TRUE(song->beats[2].strong);
  EXPECT_FALSE(song->beats[2].downbeat);
  ASSERT_EQ(song->keys.size(), 1u);
  EXPECT_EQ(music::to_string(song->keys[0].key), "C major");
  EXPECT_EQ(song->beat_at_seconds(1.0), time::BeatPos(2 * time::kTicksPerQuarter));
}

TEST_F(Pop909Folder, ChordSequenceMergesSplitLabelsAndDropsN) {
  auto song = read_pop909_song(folder_);
  ASSERT_TRUE(song.has_value()) << song.error().message;
  const ChordSequence sequence = pop909_chord_sequence(*song);
  EXPECT_EQ(sequence.id, "pop909/002");
  ASSERT_TRUE(sequence.key.has_value());
  EXPECT_EQ(*sequence.key, (KeyContext{0, false}));
  ASSERT_EQ(sequence.chords.size(), 2u);
  EXPECT_EQ(sequence.chords[0].root, 0);
  EXPECT_EQ(sequence.chords[0].quality, ChordClass::maj);
  EXPECT_EQ(sequence.chords[0].onset, time::BeatPos(0));
  EXPECT_EQ(sequence.chords[0].duration, time::BeatDur(4 * time::kTicksPerQuarter));
  EXPECT_EQ(sequence.chords[1].root, 9);
  EXPECT_EQ(sequence.chords[1].quality, ChordClass::min);
  EXPECT_EQ(sequence.chords[1].duration, time::BeatDur(4 * time::kTicksPerQuarter));
}

TEST_F(Pop909Folder, MelodyIsMonophonic) {
  auto song = read_pop909_song(folder_);
  ASSERT_TRUE(song.has_value()) << song.error().message;
  const Melody melody = pop909_melody(*song);
  ASSERT_EQ(melody.notes.size(), 3u);  // the G under the D is dropped
  EXPECT_EQ(melody.notes[1].pitch, 74);
  // The D (960 file ticks at 480 PPQ, from tick 480) keeps its length: the C starts later.
  EXPECT_EQ(melody.notes[1].duration, time::BeatDur(2 * time::kTicksPerQuarter));
  EXPECT_EQ(melody.notes[2].bar_position, time::BeatDur(0));
  EXPECT_EQ(melody.notes[1].bar_position, time::BeatDur(time::kTicksPerQuarter));
  ASSERT_TRUE(melody.notes[0].key.has_value());
  EXPECT_EQ(melody.notes[0].meter, (MeterContext{4, 4}));
  for (std::size_t i = 1; i < melody.notes.size(); ++i) {
    EXPECT_LE(melody.notes[i - 1].onset + melody.notes[i - 1].duration, melody.notes[i].onset);
  }
}

TEST_F(Pop909Folder, RecognisesItsChordsAndKey) {
  auto song = read_pop909_song(folder_);
  ASSERT_TRUE(song.has_value()) << song.error().message;
  const auto notes = pop909_timed_notes(*song, 0.5);
  const auto estimate = music::recognize_chords(notes, pop909_beat_boundaries(*song));
  const auto score = music::compare_chords(pop909_reference_chords(*song), estimate,
                                           music::ChordComparison::majmin);
  // All 5 s are scored; the N from 4 to 5 s lies past the beats, where no estimate counts as N.
  EXPECT_DOUBLE_EQ(score.scored, 5.0);
  EXPECT_NEAR(score.accuracy(), 1.0, 1e-9);
}

TEST_F(Pop909Folder, ErrorsNameTheFileAndLine) {
  write("chord_midi.txt", "0.0\t1.0\tC:maj\n1.0\t2.0\tC:mystery\n");
  auto song = read_pop909_song(folder_);
  ASSERT_FALSE(song.has_value());
  EXPECT_NE(song.error().message.find("002/chord_midi.txt line 2"), std::string::npos)
      << song.error().message;
  EXPECT_NE(song.error().message.find("mystery"), std::string::npos);

  write("chord_midi.txt", "0.0\t1.0\tC:maj\n");
  write("beat_midi.txt", "0.0 1.0 1.0\n0.5 x 0.0\n");
  song = read_pop909_song(folder_);
  ASSERT_FALSE(song.has_value());
  EXPECT_NE(song.error().message.find("002/beat_midi.txt line 2"), std::string::npos)
      << song.error().message;

  write("beat_midi.txt", "0.0 1.0 1.0\n");
  write("key_audio.txt", "0.0\t4.0\tC:lydian\n");
  song = read_pop909_song(folder_);
  ASSERT_FALSE(song.has_value());
  EXPECT_NE(song.error().message.find("002/key_audio.txt line 1"), std::string::npos);

  fs::remove(folder_ / "key_audio.txt");
  song = read_pop909_song(folder_);
  ASSERT_FALSE(song.has_value());
  EXPECT_NE(song.error().message.find("key_audio.txt"), std::string::npos);

  fs::remove(folder_ / "002.mid");
  song = read_pop909_song(folder_);
  ASSERT_FALSE(song.has_value());
  EXPECT_NE(song.error().message.find("002.mid"), std::string::npos);
}

TEST_F(Pop909Folder, EvaluationCountsTheSong) {
  int calls = 0;
  auto evaluation = evaluate_pop909(root_, {}, [&](std::size_t done, std::size_t total) {
    ++calls;
    EXPECT_EQ(total, 1u);
    EXPECT_EQ(done, 1u);
  });
  ASSERT_TRUE(evaluation.has_value()) << evaluation.error().message;
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(evaluation->songs, 1u);
  ASSERT_EQ(evaluation->keys.size(), 4u);
  for (const KeyFindingFigures& k : evaluation->keys)
    EXPECT_EQ(k.songs, 1u);
  ASSERT_EQ(evaluation->chords.size(), 2u);
  EXPECT_NEAR(evaluation->chords[1].majmin.accuracy(), 1.0, 1e-9);
  EXPECT_FALSE(evaluate_pop909(folder_).has_value());  // no song folders inside a song folder
}

TEST(MirexKeyScore, WeightsRelatedKeys) {
  const KeyContext c{0, false}, am{9, true};
  EXPECT_DOUBLE_EQ(mirex_key_score(c, c), 1.0);
  EXPECT_DOUBLE_EQ(mirex_key_score(c, {7, false}), 0.5);
  EXPECT_DOUBLE_EQ(mirex_key_score(c, {5, false}), 0.0);  // a fifth below is not credited
  EXPECT_DOUBLE_EQ(mirex_key_score(c, am), 0.3);
  EXPECT_DOUBLE_EQ(mirex_key_score(am, c), 0.3);
  EXPECT_DOUBLE_EQ(mirex_key_score(c, {0, true}), 0.2);
  EXPECT_DOUBLE_EQ(mirex_key_score(am, {4, true}), 0.5);
  EXPECT_DOUBLE_EQ(mirex_key_score(c, {2, false}), 0.0);
}

fs::path shared_pop909() {
  if (const char* env = std::getenv("DUET_SHARED_DATA"); env != nullptr && *env != '\0') {
    return fs::path(env) / "pop909";
  }
  return fs::path(DUET_SHARED_DATA_DIR) / "pop909";
}

TEST(Pop909Corpus, ReadsTheFirstSongs) {
  const fs::path dir = shared_pop909();
  if (!fs::exists(dir / "001")) {
    GTEST_SKIP() << "POP909 not found at " << dir.string()
                 << " (set DUET_SHARED_DATA to the directory holding pop909/ to run this test)";
  }
  Pop909EvalOptions options;
  options.limit = 20;
  auto evaluation = evaluate_pop909(dir, options);
  ASSERT_TRUE(evaluation.has_value()) << evaluation.error().message;
  EXPECT_EQ(evaluation->songs, 20u);
  // Far above chance (1/24 for keys, ~1/25 for chords): the readers and recognisers work.
  EXPECT_GT(evaluation->keys[0].mirex_score(), 0.5);
  EXPECT_GT(evaluation->chords[0].majmin.accuracy(), 0.7);
  auto song = read_pop909_song(dir / "001");
  ASSERT_TRUE(song.has_value()) << song.error().message;
  EXPECT_FALSE(song->melody.notes.empty());
  EXPECT_FALSE(pop909_chord_sequence(*song).chords.empty());
  EXPECT_FALSE(pop909_melody(*song).notes.empty());
}

}  // namespace
}  // namespace duet::model
