// libFuzzer target for the Standard MIDI File reader.
//
// Any input must give a value or an Error, never a crash, hang or unbounded allocation. When it
// gives a value, the model must survive the writer: writing it (with and without running status)
// must succeed and reading the result must give an equal model. Note pairing runs on every track.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "midi/smf.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::midi;
  ReadOptions options;
  // Inputs are at most -max_len bytes; this bound keeps a hostile one from costing gigabytes.
  options.max_events = 1'000'000;
  const auto report = read_smf(std::span<const std::uint8_t>(data, size), options);
  if (!report) return 0;
  for (const bool running_status : {true, false}) {
    const auto bytes = write_smf(report->file, WriteOptions{running_status});
    if (!bytes) __builtin_trap();  // the reader produced a model the writer refuses
    const auto back = read_smf(*bytes, options);
    if (!back || !(back->file == report->file)) __builtin_trap();  // not a round trip
  }
  for (const Track& track : report->file.tracks) {
    std::vector<duet::base::Warning> warnings;
    (void)pair_notes(track, &warnings);
  }
  return 0;
}
