// Fixtures and temporary folders for the project tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "base/file.h"

namespace duet::project::testing {

inline std::string fixture(const std::string& name) {
  auto bytes =
      base::read_file(std::filesystem::path(DUET_SOURCE_DIR) / "tests/project/data" / name);
  if (!bytes) return {};
  return std::string(bytes->begin(), bytes->end());
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("duet-project-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

}  // namespace duet::project::testing
