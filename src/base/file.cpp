#include "base/file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <system_error>

namespace duet::base {
namespace fs = std::filesystem;

Result<std::vector<std::uint8_t>> read_file(const fs::path& path, std::uintmax_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return make_error(ErrorKind::io, path.string(), " is a directory, not a file");
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot read ", path.string(), ": ", ec.message());
  }
  if (size > max_bytes) {
    return make_error(ErrorKind::io, path.string(), " is ", size, " bytes, more than the ",
                      max_bytes, " bytes this reader accepts");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorKind::io, "cannot open ", path.string(), ": ", std::strerror(errno));
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (in.gcount() != static_cast<std::streamsize>(bytes.size())) {
    return make_error(ErrorKind::io, "cannot read all of ", path.string(), " (got ", in.gcount(),
                      " of ", size, " bytes)");
  }
  return bytes;
}

namespace {

Error io_error(const fs::path& path, std::string_view what) {
  return make_error(ErrorKind::io, "cannot write ", path.string(), ": ", what, ": ",
                    std::strerror(errno));
}

// Removes ".NAME.tmp-PID-N" files in `dir` whose process is gone: what a kill -9 during a write
// left. A temporary of a running process (another writer, or a reused PID) is left alone.
void remove_stale_temporaries(const fs::path& dir, const std::string& prefix) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::size_t dash = name.find('-', prefix.size());
    if (dash == std::string::npos || dash == prefix.size()) continue;
    const std::string digits = name.substr(prefix.size(), dash - prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9) continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

}  // namespace

Result<AtomicFile> AtomicFile::create(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::random_device entropy;
  // Built with append: GCC 12 at -O3 warns falsely (-Wrestrict) on a chain of string +.
  std::string prefix = ".";
  prefix.append(path.filename().string()).append(".tmp-");
  remove_stale_temporaries(dir, prefix);
  std::string name = prefix;
  name.append(std::to_string(::getpid())).append("-").append(std::to_string(entropy() % 1000000));
  const fs::path temp = dir / name;
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(path, "cannot create a temporary file beside it");
  ::close(fd);
  return AtomicFile(path, temp);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::move(other.temp_)), done_(other.done_) {
  other.done_ = true;
}

AtomicFile::~AtomicFile() {
  if (!done_) ::unlink(temp_.c_str());
}

Result<void> AtomicFile::commit() {
  done_ = true;
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    Error error = io_error(path_, "flush to disk failed");
    if (fd >= 0) ::close(fd);
    ::unlink(temp_.c_str());
    return error;
  }
  if (::close(fd) != 0) {
    Error error = io_error(path_, "close failed");
    ::unlink(temp_.c_str());
    return error;
  }
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    Error error = io_error(path_, "rename over the old file failed");
    ::unlink(temp_.c_str());
    return error;
  }
  // Make the rename itself durable.
  const fs::path dir = path_.has_parent_path() ? path_.parent_path() : fs::path(".");
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

Result<void> write_file_atomic(const fs::path& path, std::span<const std::uint8_t> bytes) {
  auto file = AtomicFile::create(path);
  if (!file) return file.error();
  const int fd = ::open(file->temp().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return io_error(path, "cannot open the temporary file beside it");
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error error = io_error(path, "write failed");
      ::close(fd);
      return error;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return io_error(path, "close failed");
  return file->commit();
}

Result<void> write_file_atomic(const fs::path& path, std::string_view text) {
  return write_file_atomic(
      path, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()),
                                          text.size()));
}

}  // namespace duet::base
