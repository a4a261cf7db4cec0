// The demo job: what `duet demo` runs on the bundled demo cue. For now it shows the foundation:
// a cue's tempo map (ramps and meter changes) laid on the picture at 29.97 drop-frame, where the
// picture's hit points fall in it, and a multi-track MIDI file for a DAW, read back and checked.
// Each later capability extends it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "time/frame_rate.h"
#include "time/tempo.h"

namespace duet::engine {

struct DemoOptions {
  std::filesystem::path out_dir;
  // A demo spec (JSON, the shape of examples/demo/1M1.json); empty: the bundled one.
  std::filesystem::path spec;
};

struct DemoBar {
  std::int64_t bar = 0;
  time::Meter meter;
  double quarters_per_minute = 0;  // at the bar line
  double cue_seconds = 0;          // from the cue's start
  std::string timecode;
  std::int64_t frame = 0;
};

struct DemoHit {
  std::string label;
  std::string timecode;
  std::int64_t frame = 0;
  double cue_seconds = 0;
  time::BBT position;           // where the hit falls in the tempo map
  time::BBT nearest_beat;       // the beat nearest to it
  std::int64_t frames_off = 0;  // nearest beat's frame minus the hit's frame (negative: early)
  double ms_off = 0;            // the same in milliseconds, exactly
};

struct DemoConversion {
  std::string what;
  std::string timecode;
  std::int64_t frame = 0;
  std::string seconds;  // exact decimal
};

struct DemoFile {
  std::filesystem::path path;
  std::string description;
};

struct DemoReport {
  std::string film_title;
  std::string cue_id;
  std::string cue_title;
  time::FrameRate rate = time::FrameRate::fps24();
  std::string cue_in;
  std::string cue_out;
  double cue_seconds = 0;
  std::vector<std::string> tempo_entries;  // the text form (time/tempo_map_text.h)
  std::vector<std::string> meter_entries;
  std::vector<DemoBar> bars;
  std::vector<DemoHit> hits;
  std::vector<DemoConversion> conversions;
  std::size_t midi_tracks = 0;
  std::size_t midi_notes = 0;
  // Reading the written MIDI file back: the largest difference, at any beat, between where the
  // file puts it and where the engine's tempo map does (microseconds).
  double readback_error_us = 0;
  std::vector<DemoFile> files;
};

// Runs the demo into options.out_dir (created if missing). Fails with one sentence when the spec
// is malformed or a file cannot be written; files already in out_dir are replaced atomically.
base::Result<DemoReport> run_demo(const DemoOptions& options);

// The bundled spec (examples/demo/1M1.json, compiled in).
std::string_view bundled_demo_spec();

}  // namespace duet::engine
