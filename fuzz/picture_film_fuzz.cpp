// libFuzzer target for reading films: probe_film and analyse_film on any bytes.
//
// FFmpeg's own demuxers and decoders are not instrumented here (they come from Debian); what this
// exercises is duet's side: stream selection, rate and timecode mapping, audio placement on the
// timeline, the analysers on whatever frames come out. Any input must give a value or an Error.
// The bytes go through a file because FFmpeg opens films by name.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "picture/analysis.h"
#include "picture/film.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::picture;
  static const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                            ("duet-film-fuzz-" + std::to_string(getpid()) + ".bin");
  // Removed when the run ends, so that runs leave nothing in the temporary folder.
  static const struct Remover {
    ~Remover() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  } remover;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const auto info = probe_film(path);
  AnalysisOptions options;
  options.threads = 1;
  const auto analysis = analyse_film(path, options);
  // The two read the same headers: they agree on whether this is a film.
  if (info.has_value() && analysis.has_value() && !(info->rate == analysis->info.rate)) {
    __builtin_trap();
  }
  return 0;
}
