// Corpus test: every *.mid under the shared data directory reads without error and round-trips
// (read -> write -> read gives an equal model, with and without running status). The directory is
// DUET_SHARED_DATA from the environment, else the DUET_SHARED_DATA_DIR compile definition; the
// test skips with a message when it is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "base/file.h"
#include "midi/smf.h"

namespace duet::midi {
namespace {
namespace fs = std::filesystem;

fs::path shared_data_dir() {
  if (const char* env = std::getenv("DUET_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return DUET_SHARED_DATA_DIR;
}

std::vector<fs::path> midi_files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::string extension = it->path().extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (it->is_regular_file() && extension == ".mid") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SmfCorpus, EveryFileReadsAndRoundTrips) {
  const fs::path dir = shared_data_dir();
  if (!fs::is_directory(dir)) {
    GTEST_SKIP() << "no shared data at " << dir.string()
                 << " (set DUET_SHARED_DATA to a directory of .mid files to run this test)";
  }
  const std::vector<fs::path> files = midi_files_under(dir);
  if (files.empty()) GTEST_SKIP() << "no .mid files under " << dir.string();

  const auto started = std::chrono::steady_clock::now();
  std::size_t failures = 0;
  std::size_t warned = 0;
  std::size_t events = 0;
  constexpr std::size_t kMaxReported = 20;  // keep the log readable when something breaks widely
  const auto report_failure = [&](const fs::path& path, const std::string& what) {
    if (++failures <= kMaxReported) ADD_FAILURE() << path.string() << ": " << what;
  };
  for (const fs::path& path : files) {
    const auto bytes = base::read_file(path);
    if (!bytes) {
      report_failure(path, bytes.error().message);
      continue;
    }
    const auto report = read_smf(*bytes);
    if (!report) {
      report_failure(path, report.error().message);
      continue;
    }
    if (!report->warnings.empty()) ++warned;
    for (const Track& track : report->file.tracks) {
      events += track.events.size();
      (void)pair_notes(track);
    }
    for (const bool running_status : {true, false}) {
      const auto written = write_smf(report->file, WriteOptions{running_status});
      if (!written) {
        report_failure(path, "write: " + written.error().message);
        continue;
      }
      const auto back = read_smf(*written);
      if (!back) {
        report_failure(path, "re-read: " + back.error().message);
      } else if (!(back->file == report->file)) {
        report_failure(path, std::string("re-read model differs (running status ") +
                                 (running_status ? "on" : "off") + ")");
      }
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "[ corpus   ] " << files.size() << " files, " << events << " events, " << warned
            << " with warnings, " << failures << " failures, " << seconds << " s\n";
  EXPECT_EQ(failures, 0u);
}

}  // namespace
}  // namespace duet::midi
