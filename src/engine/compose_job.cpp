#include "engine/compose_job.h"

#include <algorithm>
#include <system_error>

#include "base/error.h"
#include "base/file.h"
#include "base/text.h"
#include "compose/score.h"
#include "engine/session.h"
#include "export/roll.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "project/manifest.h"
#include "spot/placement.h"

namespace duet::engine {

namespace fs = std::filesystem;
using base::ErrorKind;
using base::make_error;

namespace {

// The brief's locks (all from one MIDI file, placed as every job places a cue's file).
base::Result<void> add_locks(const std::vector<ComposeLock>& locks, const project::Project& project,
                             compose::CueBrief& brief, std::vector<std::string>& warnings) {
  if (locks.empty()) return {};
  const std::string& file = locks.front().file;
  for (const auto& l : locks) {
    if (l.file != file) {
      return make_error(ErrorKind::invalid_input, "every lock must come from the same MIDI file ('",
                        file, "' and '", l.file, "')");
    }
  }
  auto bytes = base::read_file(file);
  if (!bytes) return bytes.error();
  auto smf = midi::read_smf(*bytes);
  if (!smf) return smf.error().with_context(file);
  const time::TimePos origin =
      spot::place_midi(smf->file, brief.cue, project.manifest().picture.rate).at;
  auto score = compose::from_midi(smf->file, origin);
  if (!score) return score.error().with_context(file);
  for (const auto& t : locks) {
    compose::Lock lock;
    lock.part = t.part;
    lock.from = time::BeatPos(0);
    lock.to = score->end;
    if (t.bars) {
      auto from = score->tempo_map.beats_at(time::BBT{t.bars->first, 1, 0});
      auto to = score->tempo_map.beats_at(time::BBT{t.bars->second + 1, 1, 0});
      if (!from || !to) return from ? to.error() : from.error();
      lock.from = *from;
      lock.to = *to;
      // The cue's own bars on the file's map: a lock outside them keeps nothing.
      const auto& map = score->tempo_map;
      const auto first_bar = map.bbt_at(map.beats_at(brief.cue.in)).bar;
      const auto last_bar = map.bbt_at(map.beats_at(brief.cue.out) - time::BeatDur(1)).bar;
      const std::string cue_bars = "cue " + brief.cue.id.to_string() + " covers bars " +
                                   std::to_string(first_bar) + "-" + std::to_string(last_bar) +
                                   " of " + file;
      if (t.bars->first > last_bar || t.bars->second < first_bar) {
        return make_error(ErrorKind::invalid_input, "--lock bars ", t.bars->first, "-",
                          t.bars->second, " lie outside the cue: ", cue_bars,
                          "; lock bars inside them");
      }
      if (t.bars->second > last_bar || t.bars->first < first_bar) {
        warnings.push_back(base::cat("--lock bars ", t.bars->first, "-", t.bars->second,
                                     " reach outside the cue (", cue_bars,
                                     "); only the bars inside it are kept"));
      }
    }
    if (t.part) {
      const bool known = std::any_of(score->parts.begin(), score->parts.end(),
                                     [&](const compose::Part& p) { return p.name == *t.part; });
      if (!known) {
        std::string names;
        for (const auto& p : score->parts)
          names += (names.empty() ? "" : ", ") + p.name;
        return make_error(ErrorKind::invalid_input, "--lock: ", file, " has no part '", *t.part,
                          "' (its parts: ", names, ")");
      }
    }
    brief.locks.push_back(lock);
  }
  brief.locked_from = std::move(*score);
  return {};
}

// --roll F.svg names F itself for one cue's one kept candidate, else F-<cue>-<rank>.svg beside it.
fs::path roll_path(const fs::path& roll, bool single, const std::string& id, int rank) {
  if (single) return roll;
  return roll.parent_path() /
         (roll.stem().string() + "-" + id + "-" + std::to_string(rank) + roll.extension().string());
}

std::string candidate_text(const compose::Candidate& c, const std::string& file) {
  std::string out = "rank " + std::to_string(c.rank) + "  total " + base::fixed(c.total, 2) +
                    "  seed " + std::to_string(c.seed) + "  candidate " +
                    std::to_string(c.index + 1) + "  " + file + "\n";
  out += "  approach      " + std::string(compose::to_string(c.approach)) + ": " +
         std::string(compose::describe(c.approach)) + "\n";
  out += "                " + c.written.notes.approach_reason + "\n";
  out += critique_text(c.critique, "  ");
  return out;
}

ComposeSummary summarise(const std::vector<ComposedCue>& cues) {
  ComposeSummary s;
  s.cues = static_cast<int>(cues.size());
  double recognisability = 0;
  for (const auto& r : cues) {
    const auto& best = r.kept.front().candidate.critique;
    if (const auto& c = best.get(compose::CriticKind::sync); c.judged) {
      s.hard_hits += c.of;
      s.hard_hits_landed += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::emotion); c.judged) {
      s.sections += c.of;
      s.sections_in_quadrant += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::voice_leading); c.judged) {
      s.voice_leading_onsets += c.of;
      s.voice_leading_faults += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::ranges); c.judged) {
      s.notes += c.of;
      s.notes_out_of_range += c.count;
    }
    if (const auto& c = best.get(compose::CriticKind::themes); c.judged) {
      ++s.cues_with_themes;
      recognisability += c.measure;
    }
  }
  if (s.cues_with_themes > 0) s.theme_recognisability = recognisability / s.cues_with_themes;
  return s;
}

}  // namespace

base::Result<ComposeReport> Session::compose(const ComposeRequest& request,
                                             const Progress& progress) {
  if (request.candidates < 1 || request.candidates > 64 || request.keep < 1 ||
      request.keep > request.candidates) {
    return make_error(ErrorKind::out_of_range, "keep ", request.keep, " of ", request.candidates,
                      " candidates: write 1 to 64 and keep 1 to as many as are written");
  }
  if (!request.locks.empty() && request.cues.size() != 1) {
    return make_error(ErrorKind::invalid_input, "locks need one cue, not ",
                      request.cues.empty() ? "every cue" : "several");
  }
  // A roll's folder is checked before the minutes of composing, so that a typo costs nothing
  // (the out folder, which the job makes itself, will be there).
  if (const fs::path folder = request.roll.parent_path();
      !request.roll.empty() && !folder.empty()) {
    std::error_code ec;
    const bool in_out = fs::weakly_canonical(folder, ec) == fs::weakly_canonical(request.out, ec);
    if (!in_out && !fs::is_directory(folder, ec)) {
      return make_error(ErrorKind::io, "cannot write the piano roll ",
                        request.roll.generic_string(), ": the folder ", folder.generic_string(),
                        " does not exist");
    }
  }
  auto selected = project_.select_cues(request.cues);
  if (!selected) return selected.error();
  auto loaded = models(request.melody_model, request.chord_model, true);
  if (!loaded) return loaded.error();
  Models& m = **loaded;
  const auto& manifest = project_.manifest();

  ComposeReport report;
  compose::CriticOptions named;
  if (m.melody) named.melody_model = &*m.melody;
  report.models = models_used(named, m, true);

  // Everything is made and judged before anything is written.
  std::vector<std::vector<std::vector<std::uint8_t>>> files;  // per cue, per kept candidate
  for (const spot::Cue* cue : *selected) {
    compose::CueBrief brief;
    brief.cue = *cue;
    auto themes = cue_themes(project_, *cue);
    if (!themes) return themes.error();
    brief.themes = std::move(*themes);
    if (auto ok = add_locks(request.locks, project_, brief, report.warnings); !ok) {
      return ok.error();
    }
    compose::CandidateOptions options;
    options.candidates = request.candidates;
    options.keep = request.keep;
    options.seed = request.seed;
    options.critics.hit_tolerance = hit_tolerance(project_);
    options.critics.rate = project_.manifest().picture.rate;
    brief.hit_tolerance = options.critics.hit_tolerance;
    if (m.melody) {
      options.critics.melody_model = &*m.melody;
      options.models.melody = &*m.melody;
    }
    options.critics.melody_model_name = report.models.melody.name();
    // Each candidate writes with its own copy of the chord model, several at once.
    if (m.chords) options.models.chords = &*m.chords;
    options.jobs = request.jobs;
    if (request.approach) options.approach = *request.approach;
    const std::string id = cue->id.to_string();
    const std::string stage = "composing " + id;
    if (progress) {
      options.progress = [&progress, &stage](int done, int total) {
        return progress(stage, static_cast<double>(done) / total);
      };
    }
    auto made = compose::make_candidates(brief, options);
    if (!made) return made.error().with_context("cue " + id);
    ComposedCue r;
    r.cue = *cue;
    std::vector<std::vector<std::uint8_t>> bytes_of_cue;
    for (auto& c : *made) {
      compose::MidiExportOptions export_options;
      export_options.rate = manifest.picture.rate;
      export_options.title = id + (cue->title.empty() ? "" : " " + cue->title);
      auto file = compose::to_midi(c.written.score, export_options);
      if (!file) return file.error().with_context("cue " + id);
      auto bytes = midi::write_smf(*file);
      if (!bytes) return bytes.error().with_context("cue " + id);
      bytes_of_cue.push_back(std::move(*bytes));
      r.kept.push_back({std::move(c), {}, {}});
    }
    files.push_back(std::move(bytes_of_cue));
    report.cues.push_back(std::move(r));
  }

  if (auto made = make_dir(request.out); !made) return made.error();
  const bool single = report.cues.size() == 1 && report.cues.front().kept.size() == 1;
  for (std::size_t k = 0; k < report.cues.size(); ++k) {
    ComposedCue& r = report.cues[k];
    const std::string id = r.cue.id.to_string();
    r.json["cue"] = id;
    r.json["title"] = r.cue.title;
    r.json["in"] = time::nearest_label(r.cue.in, manifest.picture.rate);
    r.json["candidates_written"] = request.candidates;
    r.json["seed"] = request.seed;
    r.json["models"] = models_json(report.models);
    r.json["kept"] = nlohmann::json::array();
    r.text = id + (r.cue.title.empty() ? "" : " \"" + r.cue.title + "\"") + ": " +
             std::to_string(request.candidates) + " candidates (seed " +
             std::to_string(request.seed) + "), the best " + std::to_string(r.kept.size()) + "\n" +
             models_text(report.models);
    for (std::size_t i = 0; i < r.kept.size(); ++i) {
      KeptCandidate& kept = r.kept[i];
      const compose::Candidate& c = kept.candidate;
      kept.file = request.out / compose::candidate_file_name(r.cue.id, c.rank);
      if (auto ok = base::write_file_atomic(kept.file, files[k][i]); !ok) return ok.error();
      r.text += candidate_text(c, kept.file.generic_string());
      if (!request.roll.empty()) {
        kept.roll = roll_path(request.roll, single, id, c.rank);
        exporting::RollOptions roll;
        roll.rate = manifest.picture.rate;
        roll.title = id + (r.cue.title.empty() ? "" : " " + r.cue.title) + ", rank " +
                     std::to_string(c.rank) + " (candidate " + std::to_string(c.index + 1) +
                     ", seed " + std::to_string(c.seed) + ")";
        const std::string svg = exporting::piano_roll_svg(c.written.score, r.cue, roll);
        if (auto ok = base::write_file_atomic(kept.roll, svg); !ok) return ok.error();
      }
      nlohmann::json j;
      j["rank"] = c.rank;
      j["candidate"] = c.index + 1;
      j["seed"] = c.seed;
      j["total"] = c.total;
      j["approach"] = std::string(compose::to_string(c.approach));
      j["approach_fit"] = c.fit;
      j["approach_reason"] = c.written.notes.approach_reason;
      j["file"] = kept.file.generic_string();
      if (!kept.roll.empty()) j["roll"] = kept.roll.generic_string();
      j["critics"] = critique_json(c.critique);
      j["writer"] = c.written.notes.log;
      r.json["kept"].push_back(std::move(j));
    }
    r.report_txt = request.out / (id + "-report.txt");
    r.report_json = request.out / (id + "-report.json");
    if (auto ok = base::write_file_atomic(r.report_txt, r.text); !ok) return ok.error();
    if (auto ok = base::write_file_atomic(r.report_json, r.json.dump(2) + "\n"); !ok) {
      return ok.error();
    }
  }
  report.summary = summarise(report.cues);
  return report;
}

nlohmann::json to_json(const ComposeReport& report) {
  nlohmann::json cues = nlohmann::json::array();
  for (const auto& c : report.cues)
    cues.push_back(c.json);
  const ComposeSummary& s = report.summary;
  nlohmann::json summary;
  summary["cues"] = s.cues;
  summary["hard_hits"] = s.hard_hits;
  summary["hard_hits_landed"] = s.hard_hits_landed;
  summary["sections"] = s.sections;
  summary["sections_in_quadrant"] = s.sections_in_quadrant;
  summary["voice_leading_onsets"] = s.voice_leading_onsets;
  summary["voice_leading_faults"] = s.voice_leading_faults;
  summary["notes"] = s.notes;
  summary["notes_out_of_range"] = s.notes_out_of_range;
  summary["cues_with_themes"] = s.cues_with_themes;
  if (s.cues_with_themes > 0) summary["theme_recognisability"] = s.theme_recognisability;
  return {{"cues", cues}, {"summary", summary}};
}

std::string summary_text(const ComposeSummary& s) {
  std::string out =
      "best candidates of " + std::to_string(s.cues) +
      " cues: " + std::to_string(s.hard_hits_landed) + " of " + std::to_string(s.hard_hits) +
      " hard hits landed; " + std::to_string(s.sections_in_quadrant) + " of " +
      std::to_string(s.sections) + " sections in the scene's quadrant" +
      (s.sections ? " (" + base::fixed(100.0 * s.sections_in_quadrant / s.sections, 0) + "%)"
                  : "") +
      "; " + std::to_string(s.voice_leading_faults) + " voice-leading faults in " +
      std::to_string(s.voice_leading_onsets) + " onsets; " + std::to_string(s.notes_out_of_range) +
      " of " + std::to_string(s.notes) + " notes out of range";
  if (s.cues_with_themes > 0)
    out += "; theme recognisability " + base::fixed(s.theme_recognisability, 2);
  return out;
}

}  // namespace duet::engine
