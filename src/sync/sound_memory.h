// libsndfile over a byte buffer instead of a file: WAV files are built in memory and saved with
// base::write_file_atomic (nothing half-written on disk), and read back from bytes already
// loaded. Used by the click WAV here and by duet::render's mixes and stems.
#pragma once

#include <sndfile.h>

#include <cstdint>
#include <vector>

namespace duet::sync {

// The buffer and the read/write position, bytes. Writing past the end grows the buffer.
struct SoundMemory {
  std::vector<std::uint8_t> bytes;
  sf_count_t position = 0;
};

// The callbacks for sf_open_virtual, with a SoundMemory* as the user data.
SF_VIRTUAL_IO sound_memory_io();

}  // namespace duet::sync
