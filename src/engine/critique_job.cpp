#include "engine/critique_job.h"

#include <optional>
#include <string>

#include "base/file.h"
#include "compose/score.h"
#include "engine/session.h"
#include "export/roll.h"
#include "midi/smf.h"
#include "time/timecode.h"

namespace duet::engine {
namespace {

std::string_view placed_by(spot::MidiPlacement::From from) {
  switch (from) {
    case spot::MidiPlacement::From::smpte_offset:
      return "its SMPTE offset";
    case spot::MidiPlacement::From::tempo_map:
      return "bar 1 of the cue's tempo map";
    case spot::MidiPlacement::From::in_point:
      break;
  }
  return "the cue's in point";
}

// A sentence when every note of the score sounds before the cue's in or from its out on.
std::optional<std::string> outside_the_cue(const compose::Score& score, const spot::Cue& cue,
                                           const spot::MidiPlacement& placed,
                                           const time::FrameRate& rate) {
  std::optional<time::TimePos> first, last;
  for (const compose::Part& part : score.parts) {
    for (const compose::ScoreNote& n : part.notes) {
      const time::TimePos on = score.tempo_map.time_at(n.start);
      const time::TimePos off = score.tempo_map.time_at(n.start + n.length);
      if (!first || on < *first) first = on;
      if (!last || off > *last) last = off;
    }
  }
  if (!first) return std::nullopt;
  const std::string span = time::label_at(*first, rate) + " to " + time::label_at(*last, rate);
  const std::string how = std::string(", placed by ") + std::string(placed_by(placed.from)) +
                          "; the critics judge it where it sits";
  if (*last <= cue.in) {
    return "the file's notes sound at " + span + ", before cue " + cue.id.to_string() +
           " starts at " + time::label_at(cue.in, rate) + how;
  }
  if (*first >= cue.out) {
    return "the file's notes sound at " + span + ", after cue " + cue.id.to_string() + " ends at " +
           time::label_at(cue.out, rate) + how;
  }
  return std::nullopt;
}

}  // namespace

base::Result<CritiqueReport> Session::critique(const CritiqueRequest& request) {
  auto found = project_.cue(request.cue);
  if (!found) return found.error();
  const spot::Cue& cue = **found;
  const std::string path = request.file.string();
  auto bytes = base::read_file(request.file);
  if (!bytes) return bytes.error();
  auto smf = midi::read_smf(*bytes);
  if (!smf) return smf.error().with_context(path);
  CritiqueReport report;
  report.cue = cue;
  report.file_name = request.file.filename().string();
  report.placed = spot::place_midi(smf->file, cue, project_.manifest().picture.rate);
  auto score = compose::from_midi(smf->file, report.placed.at);
  if (!score) return score.error().with_context(path);

  if (auto where = outside_the_cue(*score, cue, report.placed, project_.manifest().picture.rate))
    report.warnings.push_back(*where);

  auto loaded = models(request.melody_model, "", false);
  if (!loaded) return loaded.error();
  auto themes = cue_themes(project_, cue);
  if (!themes) return themes.error();
  compose::CriticOptions options;
  options.hit_tolerance = hit_tolerance(project_);
  options.rate = project_.manifest().picture.rate;
  if ((*loaded)->melody) options.melody_model = &*(*loaded)->melody;
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
  report.models = models_used(options, **loaded, false);
  auto judged = compose::evaluate(*score, cue, options);
  if (!judged) return judged.error().with_context(path);
  report.judged = std::move(*judged);
  report.parts = static_cast<int>(score->parts.size());
  for (const auto& p : score->parts)
    report.notes += static_cast<int>(p.notes.size());

  if (!request.roll.empty()) {
    exporting::RollOptions roll;
    roll.rate = project_.manifest().picture.rate;
    roll.title = report.file_name + " against " + cue.id.to_string() +
                 (cue.title.empty() ? "" : " " + cue.title);
    const std::string svg = exporting::piano_roll_svg(*score, cue, roll);
    if (auto ok = base::write_file_atomic(request.roll, svg); !ok) return ok.error();
  }
  return report;
}

nlohmann::json to_json(const CritiqueReport& report) {
  nlohmann::json j;
  j["cue"] = report.cue.id.to_string();
  j["file"] = report.file_name;
  j["total"] = report.judged.total;
  j["models"] = models_json(report.models);
  j["critics"] = critique_json(report.judged.critique);
  j["warnings"] = report.warnings;
  return j;
}

}  // namespace duet::engine
