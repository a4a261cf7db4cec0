// The fuzz target's property, checked on its committed seed corpus: every input gives a value or an
// error, and a value writes (with and without running status) and reads back equal.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "base/file.h"
#include "midi/smf.h"

namespace duet::midi {
namespace {
namespace fs = std::filesystem;

// What midi_smf_fuzz checks, as a test assertion.
::testing::AssertionResult survives_the_fuzz_property(const std::vector<std::uint8_t>& bytes) {
  const auto report = read_smf(bytes);
  if (!report) return ::testing::AssertionSuccess() << "error: " << report.error().message;
  for (const bool running_status : {true, false}) {
    const auto written = write_smf(report->file, WriteOptions{running_status});
    if (!written) {
      return ::testing::AssertionFailure() << "write refused: " << written.error().message;
    }
    const auto back = read_smf(*written);
    if (!back) return ::testing::AssertionFailure() << "re-read: " << back.error().message;
    if (!(back->file == report->file)) {
      return ::testing::AssertionFailure() << "re-read model differs";
    }
  }
  for (const Track& track : report->file.tracks)
    (void)pair_notes(track);
  return ::testing::AssertionSuccess() << "read";
}

TEST(SmfFuzzSeeds, EverySeedHoldsTheFuzzProperty) {
  const fs::path dir = fs::path(DUET_SOURCE_DIR) / "fuzz" / "corpus" / "midi_smf_fuzz";
  ASSERT_TRUE(fs::is_directory(dir)) << dir.string();
  std::vector<fs::path> seeds;
  for (const auto& entry : fs::directory_iterator(dir))
    seeds.push_back(entry.path());
  std::sort(seeds.begin(), seeds.end());
  EXPECT_GE(seeds.size(), 20u);
  std::size_t read = 0;
  for (const fs::path& seed : seeds) {
    const auto bytes = base::read_file(seed);
    ASSERT_TRUE(bytes) << bytes.error().message;
    EXPECT_TRUE(survives_the_fuzz_property(*bytes)) << seed.filename().string();
    if (read_smf(*bytes)) ++read;
  }
  // Most seeds are valid files; a few are damaged on purpose to start the fuzzer at the errors.
  EXPECT_GT(read, seeds.size() / 2);
}

}  // namespace
}  // namespace duet::midi
