// What the conform tests share: the EDL fixtures and reading them.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "picture/edl.h"

namespace duet::conform::test_support {

inline const std::filesystem::path kFixtures =
    std::filesystem::path(DUET_SOURCE_DIR) / "tests/conform/fixtures";

// An EDL's cut; a failed read fails the test and gives an empty cut.
inline picture::Cut read_cut(std::string_view text) {
  auto read = picture::read_edl(text);
  EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().message);
  return read ? read->cut : picture::Cut{};
}

// tests/conform/fixtures/NAME read as an EDL.
inline picture::Cut load_cut(const std::string& name) {
  std::ifstream in(kFixtures / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return read_cut(s.str());
}

}  // namespace duet::conform::test_support
