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

}  // namespace duet::base
