// The sync deliverables of a cue's tempo map: its click track (MIDI with the map and an SMPTE
// offset, and a WAV), and its streamers and punches (burned into a copy of the film, and as
// marker lists: CSV and MIDI markers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/progress.h"
#include "picture/burn.h"
#include "picture/film.h"
#include "spot/cue.h"
#include "sync/click.h"
#include "sync/streamer.h"
#include "time/tempo_map.h"

namespace duet::engine {

// A cue's tempo map, or one given instead of it: 'duet tempo' entries (POSITION=TEMPO, BAR=N/D),
// bar 1 at the cue's in. Errors quote the entry.
struct TempoOverride {
  std::vector<std::string> tempos;
  std::vector<std::string> meters;
  bool empty() const { return tempos.empty() && meters.empty(); }
};

struct ClickRequest {
  spot::CueId cue;
  TempoOverride map;          // empty: the cue's own tempo map, which it must have
  sync::ClickOptions click;   // subdivisions and count-off bars (first_bar stays 1)
  bool midi = true;           // write <cue>-click.mid
  bool wav = true;            // write <cue>-click.wav
  int sample_rate = 48000;    // of the WAV, Hz
  std::filesystem::path out;  // the folder for the files (made when missing)
};

struct ClickReport {
  spot::Cue cue;
  time::TempoMap map;               // the map clicked
  std::vector<sync::Click> clicks;  // from the first count-off bar (else bar 1) to the cue's out
  // Clicks by kind (sync::ClickKind order: downbeats, beats, subdivisions); count-off included.
  std::size_t counts[3] = {0, 0, 0};
  std::size_t count_in = 0;                    // the clicks of the count-off bars
  time::TimePos start;                         // where both files start: the first click
  time::TimeDur start_offset;                  // how far `start` lies after the start of its frame
  std::vector<std::filesystem::path> written;  // the MIDI file, then the WAV
};

// Where the streamers go and what they mark.
struct StreamersRequest {
  std::vector<spot::CueId> cues;  // empty: every cue with a tempo map (the others are skipped)
  TempoOverride map;              // one cue only: this map instead of the cue's
  sync::StreamerOptions options;
  std::string film;            // the film to burn into; default the project's picture.film
  std::filesystem::path out;   // the copy of the film with the streamers burned in; "" none
  std::filesystem::path csv;   // the streamers as CSV (sync/markers.h); "" none
  std::filesystem::path midi;  // as MIDI markers; "" none
};

// The streamers made, and every file's contents but the burned film's: nothing written yet.
struct StreamersPlan {
  StreamersRequest request;
  std::vector<sync::Streamer> streamers;  // each cue's in turn, in time order within a cue
  std::vector<spot::CueId> cue_of;        // the cue of each streamer
  std::string film;                       // the film to burn into ("" when no --out)
  std::optional<picture::FilmInfo> film_info;
  std::string csv;                 // when the request has a CSV path
  std::vector<std::uint8_t> midi;  // when it has a MIDI path
  // Worth telling, not failures: cues skipped for want of a tempo map, a film whose own
  // timecode disagrees with the project's picture start.
  std::vector<std::string> warnings;
};

struct StreamersWritten {
  std::optional<picture::BurnReport> burned;   // when the film was burned
  std::vector<std::filesystem::path> written;  // the film, the CSV, the MIDI file
};

// JSON for the faces that print it (the board's server); times are timecode at `rate`, the nearest
// frame, and a file's start also as its offset into that frame in superclock ticks.
nlohmann::ordered_json to_json(const ClickReport& report, const time::FrameRate& rate);
nlohmann::ordered_json to_json(const StreamersPlan& plan, const time::FrameRate& rate);
nlohmann::ordered_json to_json(const StreamersWritten& written);

}  // namespace duet::engine
