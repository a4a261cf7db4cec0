#include "sync/sound_memory.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace duet::sync {
namespace {

SoundMemory& memory(void* user) {
  return *static_cast<SoundMemory*>(user);
}

sf_count_t memory_length(void* user) {
  return static_cast<sf_count_t>(memory(user).bytes.size());
}

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  SoundMemory& f = memory(user);
  sf_count_t origin = 0;
  if (whence == SEEK_CUR) origin = f.position;
  if (whence == SEEK_END) origin = static_cast<sf_count_t>(f.bytes.size());
  f.position = std::max<sf_count_t>(0, origin + offset);
  return f.position;
}

sf_count_t memory_read(void* out, sf_count_t count, void* user) {
  SoundMemory& f = memory(user);
  const auto size = static_cast<sf_count_t>(f.bytes.size());
  const sf_count_t n = std::clamp<sf_count_t>(size - f.position, 0, count);
  if (n > 0) std::memcpy(out, f.bytes.data() + f.position, static_cast<std::size_t>(n));
  f.position += n;
  return n;
}

sf_count_t memory_write(const void* in, sf_count_t count, void* user) {
  SoundMemory& f = memory(user);
  const auto end = static_cast<std::size_t>(f.position + count);
  if (f.bytes.size() < end) f.bytes.resize(end);
  std::memcpy(f.bytes.data() + f.position, in, static_cast<std::size_t>(count));
  f.position += count;
  return count;
}

sf_count_t memory_tell(void* user) {
  return memory(user).position;
}

}  // namespace

SF_VIRTUAL_IO sound_memory_io() {
  return SF_VIRTUAL_IO{memory_length, memory_seek, memory_read, memory_write, memory_tell};
}

}  // namespace duet::sync
