// Melodies from MIDI files and the corpus walker, on files built in memory / in a temp folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/file.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "model/corpus.h"
#include "model/midi_corpus.h"

namespace duet::model {
namespace {
namespace fs = std::filesystem;

midi::Note note(int key, std::int64_t start, std::int64_t duration, std::uint8_t channel = 0) {
  midi::Note n;
  n.channel = channel;
  n.key = static_cast<std::uint8_t>(key);
  n.velocity = 90;
  n.start = start;
  n.duration = duration;
  return n;
}

// PPQ 480; a conductor track with 3/4 and an A-minor key signature unless `bare`.
midi::MidiFile make_file(bool bare) {
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = 480;
  midi::Track conductor;
  if (!bare) {
    conductor.events.push_back({0, midi::TimeSignature{3, 2, 24, 8}});
    conductor.events.push_back({0, midi::SetTempo{500000}});
    conductor.events.push_back({0, midi::KeySignature{0, true}});
  }
  file.tracks.push_back(conductor);
  // A high accompaniment in block chords and a lower track named "Melody".
  file.tracks.push_back(midi::track_from_notes(
      "Piano", 1, 0, {note(84, 0, 960, 1), note(88, 0, 960, 1), note(91, 0, 960, 1)}));
  file.tracks.push_back(
      midi::track_from_notes("Melody", 0, 0,
                             {note(60, 0, 480), note(64, 0, 480), note(62, 480, 960),
                              note(65, 960, 480), note(67, 1440, 480)}));
  return file;
}

TEST(MidiMelody, NamedTrackSkylineKeyAndBars) {
  auto m = melody_from_midi(make_file(false), "x");
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->track, 2);
  EXPECT_EQ(m->track_name, "Melody");
  EXPECT_TRUE(m->warnings.empty());
  ASSERT_EQ(m->melody.notes.size(), 4u);
  // Highest note at onset 0 (64, not 60); 62 is cut where 65 begins.
  EXPECT_EQ(m->melody.notes[0].pitch, 64);
  EXPECT_EQ(m->melody.notes[1].pitch, 62);
  EXPECT_EQ(m->melody.notes[1].duration.ticks(), 1920);
  EXPECT_EQ(m->melody.notes[3].onset.ticks(), 3 * 1920);
  // 3/4: the fourth quarter is the next bar's downbeat.
  EXPECT_EQ(m->melody.notes[2].bar_position.ticks(), 2 * 1920);
  EXPECT_EQ(m->melody.notes[3].bar_position.ticks(), 0);
  EXPECT_EQ(m->melody.notes[3].meter, (MeterContext{3, 4}));
  EXPECT_EQ(m->melody.notes[0].key, (KeyContext{9, true}));
}

TEST(MidiMelody, HighestMonophonicTrackWithoutNamesAndNoTempoMapWarning) {
  auto file = make_file(true);
  // Rename the melody track so that no name matches; the chord track is polyphonic.
  for (auto& e : file.tracks[2].events) {
    if (auto* t = std::get_if<midi::Text>(&e.message)) t->text = "Flute";
  }
  file.tracks.push_back(midi::track_from_notes("Bass", 2, 0, {note(36, 0, 1920, 2)}));
  auto m = melody_from_midi(file, "x");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->track, 2);
  ASSERT_EQ(m->warnings.size(), 1u);
  EXPECT_EQ(m->warnings[0].message,
            "no tempo map: 120 BPM and 4/4 assumed, bar positions are guesses");
  EXPECT_EQ(m->melody.notes[3].bar_position.ticks(), 3 * 1920);  // 4/4 assumed
  EXPECT_FALSE(m->melody.notes[0].key.has_value());
}

TEST(MidiMelody, ErrorsForNoNotesAndSmpte) {
  midi::MidiFile empty;
  empty.tracks.push_back({});
  EXPECT_FALSE(melody_from_midi(empty, "x").has_value());
  auto smpte = make_file(false);
  smpte.division = midi::Division{midi::Division::Kind::smpte, 0, 25, 40};
  auto r = melody_from_midi(smpte, "x");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("SMPTE"), std::string::npos);
}

TEST(Corpus, WalksSortedWithProgressAndErrors) {
  fs::path root = fs::temp_directory_path() / ("duet_corpus_test_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "sub");
  auto bytes = midi::write_smf(make_file(false));
  ASSERT_TRUE(bytes.has_value());
  ASSERT_TRUE(base::write_file_atomic(root / "sub" / "b.MID", *bytes).has_value());
  ASSERT_TRUE(base::write_file_atomic(root / "a.abc",
                                      std::string_view("X:1\nK:G\nGAB|\n\nX:2\nK:C\nC ? D|\n"))
                  .has_value());
  ASSERT_TRUE(base::write_file_atomic(root / "c.mid", std::string_view("not midi")).has_value());
  ASSERT_TRUE(base::write_file_atomic(root / "notes.txt", std::string_view("ignored")).has_value());
  std::vector<std::string> seen;
  CorpusOptions options;
  options.id_prefix = "mine";
  options.progress = [&](std::size_t done, std::size_t total, const fs::path& p) {
    seen.push_back(std::to_string(done) + "/" + std::to_string(total) + " " +
                   p.filename().string());
  };
  auto corpus = read_melody_corpus(root, options);
  ASSERT_TRUE(corpus.has_value());
  ASSERT_EQ(corpus->files.size(), 3u);
  EXPECT_EQ(seen, (std::vector<std::string>{"0/3 a.abc", "1/3 c.mid", "2/3 b.MID", "3/3 "}));
  EXPECT_EQ(corpus->files[0].melodies.at(0).id, "mine/a/1");
  EXPECT_EQ(corpus->files[0].warnings.size(), 1u);  // tune 2 left out
  EXPECT_TRUE(corpus->files[1].error.has_value());
  EXPECT_EQ(corpus->files[2].melodies.at(0).id, "mine/sub/b");
  EXPECT_EQ(corpus->melody_count(), 2u);
  EXPECT_EQ(corpus->note_count(), 3u + 4u);
  EXPECT_EQ(corpus->error_count(), 1u);
  EXPECT_FALSE(read_melody_corpus(root / "missing").has_value());
  fs::remove_all(root);
}

}  // namespace
}  // namespace duet::model
