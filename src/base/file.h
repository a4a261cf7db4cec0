// Whole-file reading and atomic writing. Every save in duet goes through write_file_atomic so that
// a crash or a full disk never leaves a half-written file in place of a good one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace duet::base {

// Reads a whole file. Fails with ErrorKind::io naming the path when it cannot be opened or read,
// and when it is larger than max_bytes (a guard against reading a film as a MIDI file).
Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path,
                                            std::uintmax_t max_bytes = std::uintmax_t{1} << 30);

// Writes bytes to a temporary file beside `path`, flushes it to disk, then renames it over `path`.
// On failure the previous contents of `path` (if any) are untouched and the temporary is removed.
// The temporary is named ".NAME.tmp-PID-N"; one left by a process that was killed mid-write (its
// PID no longer running) is removed by the next write of the same file.
Result<void> write_file_atomic(const std::filesystem::path& path,
                               std::span<const std::uint8_t> bytes);
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view text);

// A file written in pieces (a film's hours of sound) the same way: to a temporary beside `path`,
// named as above, then renamed over `path` by commit(). Until then `path` is untouched; dropped
// uncommitted, the temporary is removed. Libraries that open files by name (libsndfile) write to
// temp().
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::filesystem::path& path);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& temp() const { return temp_; }
  // Flushes the temporary to disk and renames it over path(); errors name path().
  Result<void> commit();

 private:
  AtomicFile(std::filesystem::path path, std::filesystem::path temp)
      : path_(std::move(path)), temp_(std::move(temp)) {}
  std::filesystem::path path_, temp_;
  bool done_ = false;
};

}  // namespace duet::base
