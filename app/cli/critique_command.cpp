// duet critique: the composer's own MIDI file judged against a cue by the same critics that rank
// the engine's candidates (the engine's evaluation of the composer's move).
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "compose/candidates.h"
#include "compose/score.h"
#include "critique_output.h"
#include "export/roll.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "output.h"
#include "project/project.h"
#include "time/timecode.h"

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
  auto project = project::Project::load(o.project);
  if (!project) return report(project.error());
  const spot::Cue* cue = project->find_cue(*id);
  if (cue == nullptr) {
    return report(base::make_error(
        base::ErrorKind::invalid_input, "the project ", project->manifest_path().generic_string(),
        " has no cue ", id->to_string(), "; 'duet show ", o.project, "' lists its cues"));
  }
  auto bytes = base::read_file(o.file);
  if (!bytes) return report(bytes.error());
  auto smf = midi::read_smf(*bytes);
  if (!smf) return report(smf.error().with_context(o.file));
  // Without an SMPTE offset the file is taken to start at the cue's in (a DAW export of the cue
  // alone). With one, its timecode is read at the project's rate (MIDI labels 23.976 as 24; the
  // frame count is what the DAW meant).
  time::TimePos origin = cue->in;
  if (const auto at = midi::smpte_start_at(smf->file, project->manifest().picture.rate))
    origin = *at;

  auto score = compose::from_midi(smf->file, origin);
  if (!score) return report(score.error().with_context(o.file));

  engine::ModelsRequest asked;
  asked.dir = o.models;
  asked.melody = o.model;
  auto loaded = engine::load_models(asked);
  if (!loaded) return report(loaded.error());
  auto themes = cue_themes(*project, *cue);
  if (!themes) return report(themes.error());
  compose::CriticOptions options;
  options.hit_tolerance = hit_tolerance(*project);
  if (loaded->melody) options.melody_model = &*loaded->melody;
  std::vector<compose::NamedTheme> named;
  for (const auto& t : *themes) {
    music::Melody m;
    for (const auto& n : t.notes)
      m.notes.push_back({n.start, n.length, n.pitch});
    if (!m.notes.empty())
      m.length = m.notes.back().start + m.notes.back().length - time::BeatPos(0);
    named.push_back({t.name, std::move(m)});
  }
  options.found_themes = compose::find_themes(*score, named);
  for (const auto& t : named)
    options.theme_melodies.push_back(t.melody);
  const ModelsUsed models = models_used(options, *loaded);
  auto judged = compose::evaluate(*score, *cue, options);
  if (!judged) return report(judged.error().with_context(o.file));

  const std::string name = std::filesystem::path(o.file).filename().string();
  if (!o.roll.empty()) {
    exporting::RollOptions roll;
    roll.rate = project->manifest().picture.rate;
    roll.title =
        name + " against " + id->to_string() + (cue->title.empty() ? "" : " " + cue->title);
    const std::string svg = exporting::piano_roll_svg(*score, *cue, roll);
    if (auto ok = base::write_file_atomic(o.roll, svg); !ok) return report(ok.error());
  }
  if (o.json) {
    nlohmann::json j;
    j["cue"] = id->to_string();
    j["file"] = name;
    j["total"] = judged->total;
    j["models"] = models_json(models);
    j["critics"] = critique_json(judged->critique);
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  int notes = 0;
  for (const auto& p : score->parts)
    notes += static_cast<int>(p.notes.size());
  std::cout << name << " against cue " << id->to_string() << " \"" << cue->title
            << "\": " << score->parts.size() << " parts, " << notes << " notes\n";
  std::cout << "total " << base::fixed(judged->total, 2) << "\n";
  std::cout << models_text(models);
  std::cout << critique_text(judged->critique, "  ");
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
      "The critics: sync (hit points landed within the project's tolerance), emotion (the\n"
      "estimator per section against the cue's curve), tension (the melody's surprise against\n"
      "the tension curve), themes (the cue's themes found in the parts), voice leading\n"
      "(parallel fifths and octaves, crossings, between every two real voices: melody,\n"
      "countermelody, bass, harmony), ranges (notes outside their instrument), likelihood (bits\n"
      "per note of the melody), orchestration (the melody covered, the bass and the tutti's\n"
      "span in loud sections), harmony (colour against tension, tonic and dominant share,\n"
      "two chords back and forth, unprepared clashes), rhythm (accompaniment patterns,\n"
      "syncopation, onsets off the grid, notes under a 32nd) and form (phrases, the climax at\n"
      "the tension's peak, the ending, the theme developed). Weights in the total: emotion 4;\n"
      "sync 3; voice leading, ranges, orchestration, harmony 2; themes, rhythm, form 1.5;\n"
      "tension, likelihood 1 (docs/composing.md). A file with an SMPTE offset is placed by it;\n"
      "without one, its beat 0 is the cue's in. Parts are named by track, roles guessed.\n"
      "\n"
      "Examples:\n"
      "  duet critique film --cue 1M3 my-1M3.mid\n"
      "  duet critique film --cue 1M3 my-1M3.mid --json\n"
      "  duet critique film --cue 1M3 my-1M3.mid --roll my-1M3.svg");
  c->callback([o, &exit_code] { exit_code = run_critique(*o); });
}

}  // namespace duet::cli
