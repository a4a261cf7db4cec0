// The film demo: the whole path on a film, picture to hand-off, as a composer's first day with
// duet would go, each step a job of engine::Session. It is what `duet demo --film` (and
// `./run demo`, after scripts/make-demo-film has made the demo film) runs:
//
//   project    OUT/project (made when missing: the film and its cut, 24 fps, 01:00:00:00)
//   spot       a draft spotting from the picture, merged into the project
//   sync       every cue with hit points gets its best tempo map (option 1)
//   click      a click track per cue (MIDI and WAV, two count-off bars) in OUT/click
//   streamers  streamers and punches burned into OUT/film/<film>-streamers.<ext>, with CSV and MIDI
//   theme      the harbour theme added and tagged on every cue
//   compose    8 candidates per cue, the best kept, in OUT/compose
//   score      every cue rendered at its timecode onto OUT/film/<film>-scored.<ext> (-23 LUFS),
//              with stems per section in OUT/stems
//   sheet      the spotting sheet, written last so that it shows the cues as they ended
//   cue sheet  the credits set, then the cue sheet in OUT/deliver
//   export     MusicXML and DAW MIDI per cue in OUT/deliver
//   conform    with a re-cut: the project copied to OUT/project-recut and conformed to the new
//              cut and film, the cues' MIDI re-fitted into OUT/compose-recut, the report in
//              OUT/conform (conform.html, conform.json)
//   re-score   the re-cut film scored from the re-fitted MIDI: OUT/film/<film>-recut-scored.<ext>
//
// Call order: run_film_demo(request, progress). Each step saves as it goes (a project keeps every
// version), so a failure names its step and leaves the steps before it done; running it again on
// the same folder starts from the project as it was left (a draft spotting is merged again, the
// theme replaced, every file written anew).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/progress.h"

namespace duet::engine {

struct FilmDemoRequest {
  std::filesystem::path film;  // the demo film (scripts/make-demo-film makes it)
  std::filesystem::path edl;   // its cut; "" for the cuts found in the picture
  std::filesystem::path out;   // the folder for everything (made when missing)
  std::string models_dir;      // "" to find the shipped models (engine/models.h)
  // The editor's next cut and its film (scripts/make-demo-film makes them): "" to stop after
  // export.
  std::filesystem::path recut_edl;
  std::filesystem::path recut_film;
};

struct FilmDemoStep {
  std::string name;     // "spot", "sync", ...
  std::string summary;  // one line: what it did ("6 cues drafted, 11 hit points")
  std::vector<std::filesystem::path> files;  // what it wrote, the main one first
  double seconds = 0;                        // wall-clock time it took
};

struct FilmDemoReport {
  std::filesystem::path project;
  std::vector<FilmDemoStep> steps;
  std::vector<std::string> warnings;  // worth telling, not failures (one sentence each)
};

// Runs every step (above). Progress: one stage per step ("composing 1M2", "rendering"...).
// Fails with the step's name and its error; a cancel stops at the next step or inside a long one.
base::Result<FilmDemoReport> run_film_demo(const FilmDemoRequest& request,
                                           const Progress& progress = {});

// The demo film's theme: the harbour, as the composer would type it.
inline constexpr const char* kDemoThemeText = "4/4 D4q. F4e A4q D5q | C5q A4e F4e G4h";

}  // namespace duet::engine
