#include "base/file.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace duet::base {
namespace {
namespace fs = std::filesystem;

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("duet-file-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FileTest, WriteThenReadGivesTheSameBytesAndLeavesNoTemporary) {
  const fs::path path = dir_ / "a.bin";
  ASSERT_TRUE(write_file_atomic(path, std::string_view("hello\0world", 11)));
  const auto bytes = read_file(path);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), std::string("hello\0world", 11));
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_))
    ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(FileTest, AFailedWriteLeavesTheOldFileAsItWas) {
  // [GIVEN] a file with contents, in a directory we then make read-only
  const fs::path path = dir_ / "keep.txt";
  ASSERT_TRUE(write_file_atomic(path, std::string_view("old")));
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  // [WHEN] we try to replace it (root ignores permissions, so write into a missing directory too)
  const Result<void> blocked = write_file_atomic(dir_ / "missing" / "keep.txt", "new");
  const Result<void> maybe = write_file_atomic(path, std::string_view("new"));
  fs::permissions(dir_, fs::perms::owner_all);
  // [THEN] the failure is reported and the old contents survive whenever the write failed
  EXPECT_FALSE(blocked);
  EXPECT_NE(blocked.error().message.find("cannot write"), std::string::npos);
  const auto bytes = read_file(path);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), maybe ? "new" : "old");
}

TEST_F(FileTest, ATemporaryLeftByAKilledWriterIsRemovedByTheNextWrite) {
  const fs::path path = dir_ / "duet.json";
  // A child that exits at once: its PID then names no running process.
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  int status = 0;
  ::waitpid(gone, &status, 0);
  const fs::path stale = dir_ / (".duet.json.tmp-" + std::to_string(gone) + "-42");
  const fs::path live = dir_ / (".duet.json.tmp-" + std::to_string(::getppid()) + "-7");
  const fs::path other = dir_ / (".other.json.tmp-" + std::to_string(gone) + "-42");
  for (const auto& p : {stale, live, other})
    std::ofstream(p) << "half";
  ASSERT_TRUE(write_file_atomic(path, std::string_view("{}")));
  EXPECT_FALSE(fs::exists(stale));  // its writer is gone
  EXPECT_TRUE(fs::exists(live));    // its writer may still be writing
  EXPECT_TRUE(fs::exists(other));   // another file's
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_))
    files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 3);  // duet.json, live, other: no temporary of this write left
}

TEST_F(FileTest, ReadingAMissingFileOrADirectoryIsAnIoError) {
  const auto missing = read_file(dir_ / "nope.mid");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::io);
  EXPECT_NE(missing.error().message.find("nope.mid"), std::string::npos);
  EXPECT_FALSE(read_file(dir_));
}

TEST_F(FileTest, ReadingRefusesFilesLargerThanTheLimit) {
  const fs::path path = dir_ / "big.bin";
  ASSERT_TRUE(write_file_atomic(path, std::string(100, 'x')));
  const auto big = read_file(path, 99);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("more than the 99 bytes"), std::string::npos);
}

}  // namespace
}  // namespace duet::base
