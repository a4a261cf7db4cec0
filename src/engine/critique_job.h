// The critique job: the composer's own MIDI file judged against a cue by the critics that rank
// the engine's candidates (the engine's evaluation of the composer's move). Run through
// engine::Session::critique.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "compose/candidates.h"
#include "engine/judging.h"
#include "spot/cue.h"
#include "spot/placement.h"

namespace duet::engine {

struct CritiqueRequest {
  spot::CueId cue;
  std::filesystem::path file;  // the MIDI file, placed on the film by spot::place_midi
  std::string melody_model;    // a file, "" for the shipped default, "none"
  std::filesystem::path roll;  // also draw the file over the cue as a piano roll (SVG); "" none
};

struct CritiqueReport {
  spot::Cue cue;
  std::string file_name;  // the file's name, without its folder
  spot::MidiPlacement placed;
  int parts = 0;
  int notes = 0;
  compose::Evaluation judged;
  ModelsUsed models;
  // Worth telling before the critics: a file whose notes all sound outside the cue (its SMPTE
  // offset or the cue's tempo map put it elsewhere), so that "misses the hit at bar -3" is read
  // for what it is. One sentence each.
  std::vector<std::string> warnings;
};

// {"cue", "file", "total", "models", "critics", "warnings"}
nlohmann::json to_json(const CritiqueReport& report);

}  // namespace duet::engine
