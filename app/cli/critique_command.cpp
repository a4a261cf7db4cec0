// duet critique: the composer's own MIDI file judged against a cue by the same critics that rank
// the engine's candidates (the engine's evaluation of the composer's move).
#include <iostream>
#include <memory>
#include <string>

#include "base/text.h"
#include "commands.h"
#include "compose/candidates.h"
#include "engine/session.h"
#include "model_options.h"
#include "output.h"
#include "spot/cue.h"

namespace duet::cli {
namespace {

struct CritiqueOptions {
  std::string project;
  std::string cue;
  std::string file;
  std::string model;
  std::string models;
  bool json = false;
  std::string roll;  // --roll F.svg: the file drawn as a piano roll over the cue
};

int run_critique(const CritiqueOptions& o) {
  auto id = spot::parse_cue_id(o.cue);
  if (!id) return usage_error("--cue: " + id.error().message);
  auto session = engine::Session::open(o.project, {.models_dir = o.models});
  if (!session) return report(session.error());
  engine::CritiqueRequest request;
  request.cue = *id;
  request.file = o.file;
  request.melody_model = o.model;
  request.roll = o.roll;
  auto judged = session->critique(request);
  if (!judged) return report(judged.error());
  print_warnings(judged->warnings);
  if (o.json) {
    std::cout << engine::to_json(*judged).dump(2) << "\n";
    return kExitOk;
  }
  std::cout << judged->file_name << " against cue " << id->to_string() << " \"" << judged->cue.title
            << "\": " << judged->parts << " parts, " << judged->notes << " notes\n";
  std::cout << "total " << base::fixed(judged->judged.total, 2) << "\n";
  std::cout << engine::models_text(judged->models);
  std::cout << engine::critique_text(judged->judged.critique, "  ");
  return kExitOk;
}

}  // namespace

void add_critique_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<CritiqueOptions>();
  CLI::App* c = app.add_subcommand(
      "critique", "Judge a MIDI file (your own cue) against a cue with the engine's critics");
  c->add_option("project", o->project, "The project folder (made with 'duet new')")->required();
  c->add_option("--cue", o->cue, "The cue, by id (1M3)")->required();
  c->add_option("file", o->file, "The MIDI file to judge")->required();
  c->add_option("--model", o->model,
                "Melody model for the tension and likelihood critics (default: the shipped "
                "default.duetmodel; 'none' for no model)");
  add_models_option(*c, o->models);
  c->add_flag("--json", o->json, "Print JSON");
  c->add_option("--roll", o->roll,
                "Also draw the file as a piano roll over the cue (SVG for a browser): notes, hits, "
                "dialogue, sections, timecode, emotion curve");
  c->footer(
      wrap("The critics: sync (hit points landed within the project's tolerance), emotion (the "
           "estimator per section against the cue's curve), tension (the melody's surprise "
           "against the tension curve), themes (the cue's themes found in the parts), voice "
           "leading (parallel fifths and octaves, crossings, between every two real voices: "
           "melody, countermelody, bass, harmony), ranges (notes outside their instrument), "
           "likelihood (bits per note of the melody), orchestration (the melody covered, the "
           "bass and the tutti's span in loud sections), harmony (colour against tension, tonic "
           "and dominant share, two chords back and forth, unprepared clashes), rhythm "
           "(accompaniment patterns, syncopation, onsets off the grid, notes under a 32nd) and "
           "form (phrases, the climax at the tension's peak, the ending, the theme developed). "
           "The total is " +
           compose::total_rule_text(compose::CriticWeights{}, false) +
           " (docs/composing.md). A file with an SMPTE offset is placed by it; without one, its "
           "beat 0 is bar 1 of the cue's tempo map (the cue's in when it has none). Parts are "
           "named by track, roles guessed.") +
      "\n"
      "\n"
      "Examples:\n"
      "  duet critique film --cue 1M3 my-1M3.mid\n"
      "  duet critique film --cue 1M3 my-1M3.mid --json\n"
      "  duet critique film --cue 1M3 my-1M3.mid --roll my-1M3.svg");
  c->callback([o, &exit_code] { exit_code = run_critique(*o); });
}

}  // namespace duet::cli
