// What the engine's tests share: the test data, and a folder of its own for each test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "base/file.h"
#include "spot/cue.h"

namespace duet::engine::test_support {

// tests/cli/data: the projects, films and MIDI files the goldens use too.
inline const std::filesystem::path kData =
    std::filesystem::path(DUET_SOURCE_DIR) / "tests/cli/data";
inline const std::string kModels = (std::filesystem::path(DUET_SOURCE_DIR) / "models").string();

// A cue id the test knows is well formed ("1M1").
inline spot::CueId cue_id(const char* text) {
  return *spot::parse_cue_id(text);
}

// A file's bytes as text; "<unreadable>" when it cannot be read (so it equals no real content).
inline std::string text_of(const std::filesystem::path& path) {
  auto bytes = base::read_file(path);
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string("<unreadable>");
}

// dir_ is a fresh folder for each test (not made: a job may be the one that makes it), removed
// after it. Named by process, suite and test, so that tests run in parallel.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("duet-engine-test-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" +
            info->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

}  // namespace duet::engine::test_support
