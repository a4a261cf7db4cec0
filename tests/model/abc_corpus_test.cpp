// Corpus test: every tune of the Nottingham Music Database (../shared/data/nottingham/ABC_cleaned)
// reads, has notes, and its bar positions fit its meter; note counts are compared with the
// database's own MIDI renders of the melodies. Skips with a message when the data is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "base/file.h"
#include "midi/smf.h"
#include "model/abc.h"

namespace duet::model {
namespace {
namespace fs = std::filesystem;

fs::path shared_data_dir() {
  if (const char* env = std::getenv("DUET_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return DUET_SHARED_DATA_DIR;
}

fs::path nottingham_dir() {
  return shared_data_dir() / "nottingham";
}

std::vector<fs::path> abc_files() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(nottingham_dir() / "ABC_cleaned", ec)) {
    if (entry.path().extension() == ".abc") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Notes of a MIDI render: note-ons with velocity > 0 in every track.
std::size_t midi_onset_count(const fs::path& path) {
  auto bytes = base::read_file(path);
  if (!bytes) return 0;
  auto file = midi::read_smf(*bytes);
  if (!file) return 0;
  std::size_t count = 0;
  for (const auto& track : file->file.tracks)
    count += midi::pair_notes(track).size();
  return count;
}

TEST(AbcCorpus, EveryNottinghamTuneReads) {
  auto files = abc_files();
  if (files.empty()) {
    GTEST_SKIP() << "no Nottingham ABC files under " << (nottingham_dir() / "ABC_cleaned")
                 << " (set DUET_SHARED_DATA)";
  }
  std::size_t tunes = 0, notes = 0, compared = 0, matched = 0;
  std::vector<std::string> mismatches;
  auto started = std::chrono::steady_clock::now();
  std::vector<AbcBook> books;
  for (const auto& path : files) {
    AbcOptions options;
    options.id_prefix = "nottingham/" + path.stem().string();
    options.skip_bad_tunes = true;
    auto book = read_abc_file(path, options);
    ASSERT_TRUE(book.has_value()) << book.error().message;
    for (const auto& warning : book->warnings)
      ADD_FAILURE() << warning.message;
    books.push_back(std::move(*book));
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (const auto& tune : books[f].tunes) {
      ++tunes;
      ASSERT_FALSE(tune.melody.notes.empty()) << tune.melody.id;
      notes += tune.melody.notes.size();
      std::int64_t previous_end = 0;
      for (const auto& note : tune.melody.notes) {
        ASSERT_GE(note.pitch, 0);
        ASSERT_LE(note.pitch, 127);
        ASSERT_GT(note.duration.ticks(), 0) << tune.melody.id;
        ASSERT_GE(note.bar_position.ticks(), 0) << tune.melody.id;
        ASSERT_LT(note.bar_position.ticks(), note.meter.bar().ticks()) << tune.melody.id;
        ASSERT_GE(note.onset.ticks(), previous_end) << tune.melody.id;
        previous_end = note.onset.ticks() + note.duration.ticks();
      }
      fs::path render = nottingham_dir() / "MIDI" / "melody" /
                        (files[f].stem().string() + std::to_string(tune.number) + ".mid");
      if (fs::exists(render)) {
        ++compared;
        std::size_t expected = midi_onset_count(render);
        if (expected == tune.melody.notes.size())
          ++matched;
        else if (mismatches.size() < 400)
          mismatches.push_back(tune.melody.id + " " + std::to_string(tune.melody.notes.size()) +
                               " vs midi " + std::to_string(expected));
      }
    }
  }
  std::cout << "Nottingham: " << tunes << " tunes, " << notes << " notes, read in " << seconds
            << " s; note counts equal to the MIDI render for " << matched << " of " << compared
            << " tunes\n";
  if (const char* verbose = std::getenv("DUET_ABC_VERBOSE"); verbose != nullptr) {
    for (const auto& m : mismatches)
      std::cout << "  " << m << "\n";
  }
  EXPECT_EQ(tunes, 1034u);
}

}  // namespace
}  // namespace duet::model
