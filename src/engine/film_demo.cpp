#include "engine/film_demo.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>

#include "base/error.h"
#include "base/file.h"
#include "base/text.h"
#include "engine/conform_job.h"
#include "engine/project_job.h"
#include "engine/session.h"
#include "project/project.h"

namespace duet::engine {
namespace fs = std::filesystem;
namespace {

using base::cat;

// Opens OUT/project, making it first when it is missing.
base::Result<Session> open_project(const FilmDemoRequest& request, const fs::path& dir,
                                   bool& created) {
  std::error_code ec;
  created = !fs::exists(dir / project::kManifestName, ec);
  if (created) {
    // The demo folder travels whole, film included: its paths are relative even when typed whole.
    NewProjectRequest make;
    make.dir = dir;
    make.title = "duet demo film";
    make.film = request.film;
    make.edl = request.edl;
    make.always_relative = true;
    if (auto made = create_project(make); !made) return made.error();
  }
  return Session::open(dir, {.models_dir = request.models_dir});
}

}  // namespace

base::Result<FilmDemoReport> run_film_demo(const FilmDemoRequest& request,
                                           const Progress& progress) {
  if (request.film.empty()) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "the film demo needs a film; scripts/make-demo-film DIR makes the "
                            "demo film");
  }
  FilmDemoReport report;
  report.project = request.out / "project";
  const fs::path film_dir = request.out / "film";
  // The copies keep the film's container, which its streams are known to fit.
  const std::string stem = request.film.stem().string();
  const std::string ext = request.film.extension().string();
  const auto go_on = [&](const std::string& what, double fraction) {
    return !progress || progress(what, fraction);
  };
  const auto cancelled = [](const std::string& step) {
    return base::make_error(base::ErrorKind::impossible, "cancelled at the ", step, " step");
  };

  bool created = false;
  auto opened = open_project(request, report.project, created);
  if (!opened) return opened.error().with_context("the demo project");
  Session& session = *opened;

  // Runs one step: `body` fills the step's summary and files; its time is measured.
  const auto step =
      [&](const std::string& name,
          const std::function<base::Result<void>(FilmDemoStep&)>& body) -> base::Result<void> {
    if (!go_on(name, 0)) return cancelled(name);
    FilmDemoStep s;
    s.name = name;
    const auto start = std::chrono::steady_clock::now();
    if (auto done = body(s); !done) return done.error().with_context(cat("the ", name, " step"));
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.steps.push_back(std::move(s));
    return {};
  };
  // Passes a long job's progress on under the step's own stage names.
  const Progress inner = [&](const std::string& what, double fraction) {
    return go_on(what, fraction);
  };

  auto ok = step("project", [&](FilmDemoStep& s) -> base::Result<void> {
    s.summary = created ? "made, at 24 fps from 01:00:00:00, with the film and its cut"
                        : "opened as it was left";
    s.files = {session.project().manifest_path()};
    return {};
  });
  if (!ok) return ok.error();

  ok = step("spot", [&](FilmDemoStep& s) -> base::Result<void> {
    auto spotted = session.spot({}, inner);
    if (!spotted) return spotted.error();
    std::size_t hits = 0;
    for (const spot::Cue& c : session.project().manifest().cues)
      hits += c.hits.size();
    s.summary = cat(spotted->draft.cues.size(), " cues drafted from the picture; the project has ",
                    session.project().manifest().cues.size(), " cues and ", hits, " hit points");
    for (const std::string& w : spotted->warnings)
      report.warnings.push_back(w);
    return {};
  });
  if (!ok) return ok.error();

  ok = step("sync", [&](FilmDemoStep& s) -> base::Result<void> {
    int applied = 0, landed = 0, hard = 0;
    const std::vector<spot::Cue> cues = session.project().manifest().cues;
    for (const spot::Cue& cue : cues) {
      if (cue.hits.empty()) continue;
      auto proposal = session.propose_sync(cue.id, {});
      if (!proposal) return proposal.error().with_context(cat("cue ", cue.id.to_string()));
      auto kept = session.apply_sync(*proposal, 1);
      if (!kept) return kept.error().with_context(cat("cue ", cue.id.to_string()));
      ++applied;
      for (const std::string& w : kept->warnings)
        report.warnings.push_back(w);
      hard += kept->chosen.check.hard_total;
      landed += kept->chosen.check.hard_landed;
    }
    s.summary = cat("a tempo map for ", applied, " cues: ", landed, " of ", hard,
                    " hard hits land within the tolerance");
    s.files = {session.project().manifest_path()};
    return {};
  });
  if (!ok) return ok.error();

  ok = step("click", [&](FilmDemoStep& s) -> base::Result<void> {
    for (const spot::Cue& cue : session.project().manifest().cues) {
      if (!cue.tempo_map) continue;
      ClickRequest click;
      click.cue = cue.id;
      click.click.count_in_bars = 2;
      click.out = request.out / "click";
      auto made = session.click(click);
      if (!made) return made.error();
      for (const fs::path& f : made->written)
        s.files.push_back(f);
    }
    s.summary = cat(s.files.size() / 2, " click tracks (MIDI and WAV, two count-off bars)");
    return {};
  });
  if (!ok) return ok.error();

  ok = step("streamers", [&](FilmDemoStep& s) -> base::Result<void> {
    StreamersRequest streamers;
    streamers.options.flutter_beats = 3;
    streamers.out = film_dir / (stem + "-streamers" + ext);
    streamers.csv = film_dir / "streamers.csv";
    streamers.midi = film_dir / "streamers.mid";
    // The cues sync gave a map: a cue without hit points has none, and nothing to stream to.
    for (const spot::Cue& cue : session.project().manifest().cues)
      if (cue.tempo_map) streamers.cues.push_back(cue.id);
    if (auto made = make_parent(streamers.out); !made) return made.error();
    auto plan = session.plan_streamers(streamers);
    if (!plan) return plan.error();
    auto written = session.write_streamers(*plan, inner);
    if (!written) return written.error();
    for (const std::string& w : plan->warnings)
      report.warnings.push_back(w);
    s.files = written->written;
    s.summary = cat(plan->streamers.size(), " streamers and punches for ", streamers.cues.size(),
                    " cues burned into the picture");
    return {};
  });
  if (!ok) return ok.error();

  ok = step("theme", [&](FilmDemoStep& s) -> base::Result<void> {
    AddThemeRequest add;
    add.name = "harbour";
    add.stands_for = "the harbour and the boat that came by night";
    add.source = ThemeText{kDemoThemeText};
    add.key = "D minor";
    add.replace = true;
    add.by = "duet demo";
    auto added = session.add_theme(add);
    if (!added) return added.error();
    TagThemeRequest tag;
    tag.name = "harbour";
    tag.all = true;
    tag.by = "duet demo";
    auto tagged = session.tag_theme(tag);
    if (!tagged) return tagged.error();
    s.summary = cat("the harbour theme (", added->notes, " notes, ", added->theme.key,
                    ") tagged on every cue");
    s.files = {session.project().manifest_path()};
    return {};
  });
  if (!ok) return ok.error();

  ok = step("compose", [&](FilmDemoStep& s) -> base::Result<void> {
    ComposeRequest compose;
    compose.candidates = 8;
    compose.keep = 1;
    compose.out = request.out / "compose";
    auto composed = session.compose(compose, inner);
    if (!composed) return composed.error();
    for (const ComposedCue& c : composed->cues) {
      for (const KeptCandidate& k : c.kept)
        s.files.push_back(k.file);
      s.files.push_back(c.report_txt);
    }
    for (const std::string& w : composed->warnings)
      report.warnings.push_back(w);
    s.summary = cat("8 candidates a cue, the best kept; ", summary_text(composed->summary));
    return {};
  });
  if (!ok) return ok.error();

  ok = step("score", [&](FilmDemoStep& s) -> base::Result<void> {
    ScoreFilmRequest score;
    score.takes.from = request.out / "compose";
    score.out = film_dir / (stem + "-scored" + ext);
    score.stems = request.out / "stems";
    score.loudness = -23;
    auto scored = session.score_film(score, inner);
    if (!scored) return scored.error();
    for (const std::string& f : scored->written)
      s.files.emplace_back(f);
    s.summary = cat(scored->rendered.cues.size(),
                    " cues rendered at their timecode onto the picture (music at -23 LUFS over "
                    "the film's sound at -6 dB), with stems per section");
    return {};
  });
  if (!ok) return ok.error();

  // Written after sync, themes and compose, so that the sheet shows the cues as they ended.
  ok = step("sheet", [&](FilmDemoStep& s) -> base::Result<void> {
    SheetRequest sheet;
    sheet.csv = report.project / "spotting.csv";
    sheet.html = report.project / "spotting.html";
    auto written = session.sheet(sheet);
    if (!written) return written.error();
    s.files = {sheet.html, sheet.csv};
    s.summary = cat("the spotting sheet of ", written->cues, " cues (open the page to print it)");
    return {};
  });
  if (!ok) return ok.error();

  ok = step("cue sheet", [&](FilmDemoStep& s) -> base::Result<void> {
    CreditsRequest credits;
    credits.writers = std::vector<exporting::Writer>{
        {"Demo Composer", exporting::WriterRole::composer, 100, "", ""}};
    auto set = session.credits(credits);
    if (!set) return set.error();
    CueSheetRequest sheet;
    sheet.csv = request.out / "deliver" / "cue-sheet.csv";
    if (auto made = make_parent(sheet.csv); !made) return made.error();
    sheet.html = request.out / "deliver" / "cue-sheet.html";
    auto written = session.cue_sheet(sheet);
    if (!written) return written.error();
    s.files = {sheet.html, sheet.csv};
    s.summary = "the music cue sheet for the rights societies (print it, A4 landscape)";
    return {};
  });
  if (!ok) return ok.error();

  ok = step("export", [&](FilmDemoStep& s) -> base::Result<void> {
    ExportRequest request_export;
    request_export.takes.from = request.out / "compose";
    request_export.out = request.out / "deliver";
    auto exported = session.export_cues(request_export);
    if (!exported) return exported.error();
    for (const ExportedFile& f : exported->written)
      s.files.push_back(f.path);
    s.summary = cat(
        "MusicXML for the orchestrator and MIDI for the DAW: ", exported->written.size(), " files");
    return {};
  });
  if (!ok) return ok.error();
  if (request.recut_edl.empty()) return report;

  // The editor's next cut. The first project stays as it is; a copy of it follows the picture.
  // The copies are the demo's own output, made anew on every run.
  const fs::path recut_project = request.out / "project-recut";
  const fs::path recut_midi = request.out / "compose-recut";
  std::optional<Session> recut;
  ok = step("conform", [&](FilmDemoStep& s) -> base::Result<void> {
    std::error_code ec;
    fs::remove_all(recut_project, ec);
    fs::remove_all(recut_midi, ec);
    fs::copy(report.project, recut_project, fs::copy_options::recursive, ec);
    if (ec) {
      return base::make_error(base::ErrorKind::io, "cannot copy the project to ",
                              recut_project.generic_string(), ": ", ec.message());
    }
    auto opened_recut = Session::open(recut_project, {.models_dir = request.models_dir});
    if (!opened_recut) return opened_recut.error();
    recut = std::move(*opened_recut);
    ConformRequest conform;
    conform.new_edl = request.recut_edl;
    conform.new_film = request.recut_film;
    conform.from = request.out / "compose";
    conform.out = recut_midi;
    auto conformed = recut->conform(conform);
    if (!conformed) return conformed.error();
    const fs::path html = request.out / "conform" / "conform.html";
    const fs::path json_file = request.out / "conform" / "conform.json";
    if (auto made = make_parent(html); !made) return made.error();
    if (auto w = base::write_file_atomic(html, conform_html(conformed->cut, &*conformed)); !w) {
      return w.error();
    }
    if (auto w = base::write_file_atomic(json_file, to_json(*conformed).dump(2) + "\n"); !w) {
      return w.error();
    }
    std::map<conform::CueFate, int> fates;
    for (const conform::CueRefit& c : conformed->cues)
      ++fates[c.fate];
    std::string counts;
    for (const auto& [fate, n] : fates) {
      counts += cat(counts.empty() ? "" : ", ", n, " ", conform::to_string(fate));
    }
    s.files = {html, json_file, recut_project / project::kManifestName};
    for (const MidiRefitted& m : conformed->midi)
      s.files.push_back(m.to);
    const std::size_t changes = conformed->cut.diff.changes.size();
    s.summary = cat(changes, changes == 1 ? " change" : " changes",
                    " in the re-cut; cues: ", counts, " (open the page for why)");
    for (const std::string& w : conformed->warnings)
      report.warnings.push_back(w);
    return {};
  });
  if (!ok) return ok.error();

  ok = step("re-score", [&](FilmDemoStep& s) -> base::Result<void> {
    ScoreFilmRequest score;
    score.takes.from = recut_midi;
    score.out = film_dir / (request.recut_film.stem().string() + "-scored" + ext);
    score.loudness = -23;
    auto scored = recut->score_film(score, inner);
    if (!scored) return scored.error();
    for (const std::string& f : scored->written)
      s.files.emplace_back(f);
    for (const std::string& w : scored->warnings)
      report.warnings.push_back(w);
    s.summary =
        cat(scored->rendered.cues.size(), " re-fitted cues rendered onto the re-cut picture");
    return {};
  });
  if (!ok) return ok.error();
  return report;
}

}  // namespace duet::engine
