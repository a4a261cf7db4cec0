#include "engine/eval_compose.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "base/file.h"
#include "compose/candidates.h"
#include "compose/harmony.h"
#include "compose/writer.h"
#include "midi/smf.h"
#include "model/chord_model_file.h"
#include "model/model_file.h"
#include "project/project.h"
#include "render/render.h"
#include "spot/validate.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("duet-eval-compose-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

// A fast run: no models, two candidates, no rendering.
EvalOptions quick() {
  EvalOptions o;
  o.candidates = 2;
  o.keep = 2;
  o.balance = Balance::none;
  return o;
}

void clear_times(EvalReport& r) {
  for (auto* list : {&r.briefs, &r.sketches})
    for (auto& b : *list)
      b.current.seconds.reset();
  for (auto& row : r.rows)
    if (row.key == "seconds") row.current = {};
}

TEST(EvalComposeBench, IsTheSameEveryTime) {
  const Bench a = make_bench({}), b = make_bench({});
  ASSERT_EQ(a.briefs.size(), 24u);
  ASSERT_EQ(a.sketches.size(), 4u);
  for (std::size_t i = 0; i < a.briefs.size(); ++i) {
    EXPECT_EQ(a.briefs[i].brief.cue, b.briefs[i].brief.cue);
    EXPECT_EQ(a.briefs[i].description, b.briefs[i].description);
  }
  // Another seed moves the jitter, not the design.
  BenchOptions other;
  other.seed = 2;
  const Bench c = make_bench(other);
  EXPECT_NE(a.briefs[1].brief.cue.emotion, c.briefs[1].brief.cue.emotion);
  EXPECT_EQ(a.briefs[1].quadrant, c.briefs[1].quadrant);
  EXPECT_EQ(a.briefs[1].seconds, c.briefs[1].seconds);
}

TEST(EvalComposeBench, SpansThePromisedRanges) {
  const Bench bench = make_bench({});
  std::map<model::Quadrant, int> quadrants;
  std::set<TensionShape> shapes;
  std::set<double> rates;
  double min_hits = 99, max_hits = 0, min_dialogue = 1, max_dialogue = 0, min_s = 1e9, max_s = 0;
  int accented = 0, plain = 0, themes = 0, maps = 0, inexact = 0, segues = 0, rendered = 0;
  std::vector<spot::Cue> cues;
  for (const auto& b : bench.briefs) {
    const spot::Cue& cue = b.brief.cue;
    cues.push_back(cue);
    ++quadrants[b.quadrant];
    shapes.insert(b.shape);
    rates.insert(b.rate.fps().to_double());
    min_hits = std::min(min_hits, b.hard_hits_per_minute);
    max_hits = std::max(max_hits, b.hard_hits_per_minute);
    min_dialogue = std::min(min_dialogue, b.dialogue_share);
    max_dialogue = std::max(max_dialogue, b.dialogue_share);
    min_s = std::min(min_s, b.seconds);
    max_s = std::max(max_s, b.seconds);
    accented += b.accented_hits;
    plain += b.hard_hits - b.accented_hits;
    themes += b.theme ? 1 : 0;
    segues += b.brief.segue ? 1 : 0;
    rendered += b.balance ? 1 : 0;
    EXPECT_EQ(b.theme, !b.brief.themes.empty());
    // [THEN] the quadrant it was made for is its curve's, everywhere in the cue
    for (const auto& k : cue.emotion.keys) {
      EXPECT_EQ(model::quadrant_of(k.value.valence >= 0, k.value.arousal >= 0), b.quadrant)
          << cue.id.to_string();
    }
    if (b.tempo != TempoGiven::none) {
      ++maps;
      ASSERT_TRUE(cue.tempo_map.has_value());
      // Every hit lands within a frame of a beat of the given map; the inexact one not exactly.
      bool all_exact = true;
      for (const auto& h : cue.hits) {
        const auto& map = *cue.tempo_map;
        const auto beat = map.meter_at(map.beats_at(h.at)).beat_length().ticks();
        const auto b0 = map.beats_at(h.at).ticks();
        const auto nearest = time::BeatPos((b0 + beat / 2) / beat * beat);
        const auto off = std::llabs((map.time_at(nearest) - h.at).ticks());
        EXPECT_LE(off, b.rate.frame_duration().ticks()) << cue.id.to_string();
        all_exact = all_exact && off == 0;
      }
      if (b.tempo == TempoGiven::inexact) {
        ++inexact;
        EXPECT_EQ(b.rate, time::FrameRate::fps25());
        EXPECT_FALSE(all_exact) << "the inexact map lands some hit off its frame";
      }
    }
  }
  for (const auto& [q, n] : quadrants)
    EXPECT_EQ(n, 6) << model::to_string(q);
  EXPECT_EQ(quadrants.size(), 4u);
  EXPECT_TRUE(shapes.count(TensionShape::rising) && shapes.count(TensionShape::falling));
  EXPECT_EQ(rates, (std::set<double>{24.0, 25.0}));
  EXPECT_EQ(min_hits, 0);
  EXPECT_GE(max_hits, 5.5);
  EXPECT_LE(max_hits, 6.5);
  EXPECT_GT(accented, 0);
  EXPECT_GT(plain, 0);
  EXPECT_EQ(min_dialogue, 0);
  EXPECT_GE(max_dialogue, 0.45);
  EXPECT_LE(max_dialogue, 0.55);
  EXPECT_EQ(min_s, 20);
  EXPECT_EQ(max_s, 240);
  EXPECT_GE(themes, 6);
  EXPECT_EQ(maps, 4);
  EXPECT_EQ(inexact, 1);
  EXPECT_GE(segues, 2);
  EXPECT_EQ(rendered, 8);
  // [THEN] every cue is one a project accepts
  EXPECT_TRUE(spot::validate_cues(cues).empty());

  // The sketches: one per quadrant, same length and tempo, no hits, no theme.
  std::set<model::Quadrant> sq;
  for (const auto& s : bench.sketches) {
    sq.insert(s.quadrant);
    EXPECT_EQ(s.seconds, 30);
    ASSERT_TRUE(s.brief.cue.tempo_map.has_value());
    EXPECT_EQ(*s.brief.cue.tempo_map, time::TempoMap::constant(time::Tempo::quarters_per_minute(96),
                                                               {4, 4}, s.brief.cue.in));
    EXPECT_TRUE(s.brief.cue.hits.empty());
    EXPECT_TRUE(s.brief.themes.empty());
  }
  EXPECT_EQ(sq.size(), 4u);
}

TEST(EvalComposeBench, WrittenAsProjectsReadsBack) {
  const fs::path dir = scratch("write");
  const Bench bench = make_bench({});
  auto written = write_bench(bench, dir);
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_EQ(written->size(), 2u);
  std::size_t cues = 0;
  for (const auto& p : *written) {
    auto project = project::Project::load(p);
    ASSERT_TRUE(project) << project.error().message;
    ASSERT_EQ(project->manifest().themes.size(), 1u);
    for (const auto& cue : project->manifest().cues) {
      ++cues;
      const BenchBrief* b = nullptr;
      for (const auto* list : {&bench.briefs, &bench.sketches})
        for (const auto& x : *list)
          if (x.brief.cue.id == cue.id) b = &x;
      ASSERT_NE(b, nullptr) << cue.id.to_string();
      EXPECT_EQ(cue, b->brief.cue) << cue.id.to_string();
      EXPECT_EQ(project->manifest().picture.rate, b->rate);
    }
  }
  EXPECT_EQ(cues, bench.briefs.size() + bench.sketches.size());
  // [THEN] a second write refuses and leaves the first
  EXPECT_FALSE(write_bench(bench, dir));
  fs::remove_all(dir);
}

TEST(EvalComposeBench, TakesAProjectsCues) {
  Bench bench = make_bench({1, 1, false});
  auto ok = add_project(bench, fs::path(DUET_SOURCE_DIR) / "tests/cli/data/project_compose");
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_EQ(bench.briefs.size(), 3u);
  EXPECT_EQ(bench.briefs[1].brief.cue.id.to_string(), "1M1");
  EXPECT_TRUE(bench.briefs[1].balance);
  // The cue tags the project's theme: it comes with its melody.
  bool tagged = false;
  for (const auto& b : bench.briefs)
    for (const auto& t : b.brief.themes)
      tagged = tagged || (t.name == "keeper" && t.notes.size() == 8);
  EXPECT_TRUE(tagged);
  // A project cue with a bench id is refused.
  EXPECT_FALSE(add_project(bench, fs::path(DUET_SOURCE_DIR) / "tests/cli/data/project_compose"));
}

TEST(EvalComposeRun, IsTheSameEveryTime) {
  const Bench bench = make_bench({2, 1, true});
  auto a = run_eval_compose(bench, quick());
  auto b = run_eval_compose(bench, quick());
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(a->briefs.size(), 2u);
  ASSERT_EQ(a->sketches.size(), 4u);
  for (const auto& r : a->briefs) {
    EXPECT_TRUE(r.current.measured);
    EXPECT_TRUE(r.current.seconds.has_value());
    EXPECT_EQ(r.current.scores, 2);
    EXPECT_TRUE(r.current.jaccard_mean.has_value());
    EXPECT_FALSE(r.baseline.measured);
  }
  clear_times(*a);
  clear_times(*b);
  EXPECT_EQ(*a, *b);
  // The table: every metric of the issue, in its order.
  std::vector<std::string> keys;
  for (const auto& row : a->rows)
    keys.push_back(row.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"covered",        "balance",           "bass",
                                            "tutti_span",     "tonic_dominant",    "alternation",
                                            "colour",         "clashes",           "off_grid",
                                            "jaccard",        "rhythm_similarity", "development",
                                            "ending",         "short_notes",       "hard_hits",
                                            "parallels",      "out_of_range",      "quadrant",
                                            "quadrant_judge", "musicxml_pages",    "seconds"}));
  for (const auto& row : a->rows) {
    if (row.key == "rhythm_similarity") {
      EXPECT_TRUE(row.current.value.has_value());
      EXPECT_EQ(row.current.judged, 6);  // the pairs of four sketches
    }
    EXPECT_FALSE(row.baseline.value.has_value()) << row.key;
  }
}

// [GIVEN] the whole bench of generated briefs, as duet eval-compose writes them (the shipped
// models, 8 candidates) [THEN] the best candidate's chords, as they are heard (each chord's
// tones over its bass, named by chord recognition), never swing between two chords past four:
// Bm over a dominant pedal A is heard as D (Bm/A A D/A A D swung D and A seven times in the
// 240 s chamber brief 24M8), and a chord struck again is one chord (Gm Am Gm Gm Am is a swing
// of five). Recognised per beat from the notes, one more may join (the bench's row).
TEST(EvalComposeRun, NoBriefsChordsSwingPastFourAsHeard) {
  const Bench bench = make_bench({24, 1, false});
  const fs::path models = fs::path(DUET_SOURCE_DIR) / "models";
  auto melody = model::load_model(models / "default.duetmodel");
  auto chords = model::load_chord_model(models / "default-chords.duetmodel");
  ASSERT_TRUE(melody) << melody.error().message;
  ASSERT_TRUE(chords) << chords.error().message;
  for (const auto& b : bench.briefs) {
    compose::CandidateOptions co;
    co.candidates = 8;
    co.keep = 1;
    co.models.melody = &*melody;
    co.models.chords = &*chords;
    co.critics.hit_tolerance = b.brief.hit_tolerance;
    co.critics.melody_model = &*melody;
    auto made = compose::make_candidates(b.brief, co);
    ASSERT_TRUE(made) << made.error().message;
    std::vector<int> heard;
    for (const auto& c : made->front().written.score.chords) {
      auto sym = compose::parse_score_chord(c.symbol);
      ASSERT_TRUE(sym) << c.symbol;
      const int root = sym->chord.root.pitch_class();
      std::vector<int> tones;
      for (const auto& t : music::chord_tones(sym->chord.kind))
        tones.push_back(root + t.semitones);
      if (sym->add9) tones.push_back(root + 2);
      const int bass = sym->chord.bass ? sym->chord.bass->pitch_class() : root;
      const auto label = compose::heard_as(tones, bass);
      const int id = label ? 5 * label->root + static_cast<int>(label->triad) : -1;
      if (heard.empty() || heard.back() != id) heard.push_back(id);
    }
    int run = 1, longest = 1;
    for (std::size_t i = 1; i < heard.size(); ++i) {
      run = i >= 2 && heard[i] == heard[i - 2] ? run + 1 : 2;
      longest = std::max(longest, run);
    }
    EXPECT_LE(longest, 4) << b.brief.cue.id.to_string();
  }
}

// [GIVEN] --out DIR [THEN] each brief's kept candidates are there as duet compose names them,
// and read back as the files measured (the folder serves as another run's baseline).
TEST(EvalComposeRun, WritesTheKeptCandidates) {
  const Bench bench = make_bench({1, 1, true});
  const fs::path dir = scratch("out");
  fs::create_directories(dir);
  EvalOptions o = quick();
  o.out = dir;
  auto r = run_eval_compose(bench, o);
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::string> cues = {bench.briefs.front().brief.cue.id.to_string()};
  for (const auto& s : bench.sketches)
    cues.push_back(s.brief.cue.id.to_string());
  for (const auto& cue : cues)
    for (int rank = 1; rank <= 2; ++rank) {
      const fs::path file = dir / (cue + "-" + std::to_string(rank) + ".mid");
      auto bytes = base::read_file(file);
      ASSERT_TRUE(bytes) << file;
      EXPECT_TRUE(midi::read_smf(*bytes)) << file;
    }
  EvalOptions again = quick();
  again.baseline = dir;
  auto b = run_eval_compose(bench, again);
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_TRUE(b->has_baseline);
  EXPECT_EQ(b->briefs.front().baseline.off_grid, b->briefs.front().current.off_grid);
  fs::remove_all(dir);
}

// [GIVEN] a written cue with one note moved off the 16th grid
// [WHEN]  it is measured, directly and as a baseline file
// [THEN]  the off-grid count sees it
TEST(EvalComposeRun, SeesAMeasureThatBreaks) {
  const Bench bench = make_bench({1, 1, false});
  const BenchBrief& brief = bench.briefs.front();
  auto written = compose::write_cue(brief.brief, 7);
  ASSERT_TRUE(written) << written.error().message;
  auto form = measuring_form(written->score, brief);
  ASSERT_TRUE(form) << form.error().message;
  const Figures clean = measure_scores(brief, {*form}, quick());
  compose::Score broken = *form;
  compose::Part* part = nullptr;
  for (auto& p : broken.parts)
    if (p.notes.size() >= 2 && p.channel != 9) part = &p;
  ASSERT_NE(part, nullptr);
  part->notes[1].start += time::BeatDur(100);  // 100 ticks: no 16th or triplet grid holds it
  const Figures seen = measure_scores(brief, {broken}, quick());
  EXPECT_EQ(seen.off_grid, clean.off_grid + 1);

  const fs::path dir = scratch("baseline");
  fs::create_directories(dir);
  compose::MidiExportOptions mo;
  mo.ticks_per_quarter = 1920;
  mo.rate = brief.rate;
  auto file = compose::to_midi(broken, mo);
  ASSERT_TRUE(file) << file.error().message;
  auto bytes = midi::write_smf(*file);
  ASSERT_TRUE(bytes);
  ASSERT_TRUE(base::write_file_atomic(dir / (brief.brief.cue.id.to_string() + "-1.mid"), *bytes));
  EvalOptions o = quick();
  o.baseline = dir;
  auto r = run_eval_compose(bench, o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->briefs.front().baseline.measured);
  EXPECT_EQ(r->briefs.front().baseline.scores, 1);
  EXPECT_EQ(r->briefs.front().baseline.off_grid, seen.off_grid);
  for (const auto& row : r->rows) {
    if (row.key != "off_grid") continue;
    ASSERT_TRUE(row.baseline.value.has_value());
    EXPECT_GE(*row.baseline.value, 1);
    EXPECT_FALSE(row.met(row.baseline));
  }
  fs::remove_all(dir);
}

TEST(EvalComposeRun, MissingBaselineFilesAreSaidNotFatal) {
  const Bench bench = make_bench({1, 1, false});
  const fs::path dir = scratch("empty");
  fs::create_directories(dir);
  EvalOptions o = quick();
  o.baseline = dir;
  auto r = run_eval_compose(bench, o);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->briefs.front().baseline.measured);
  EXPECT_NE(r->briefs.front().baseline.missing.find("24M1-1.mid"), std::string::npos);
  fs::remove_all(dir);
}

TEST(EvalComposeRun, RendersTheBalance) {
  if (!fs::exists(fs::path(render::kDefaultSoundFont)))
    GTEST_SKIP() << "SoundFont " << render::kDefaultSoundFont << " is absent";
  const Bench bench = make_bench({1, 1, false});
  EvalOptions o = quick();
  o.candidates = 1;
  o.keep = 1;
  o.balance = Balance::subset;  // brief 0 is in the subset
  auto r = run_eval_compose(bench, o);
  ASSERT_TRUE(r) << r.error().message;
  const Figures& f = r->briefs.front().current;
  EXPECT_TRUE(r->briefs.front().balance);
  EXPECT_TRUE(f.balance_db.has_value() || f.balance_solo);
  if (f.balance_db) {
    EXPECT_TRUE(std::isfinite(*f.balance_db));
    EXPECT_LT(std::abs(*f.balance_db), 60);
  }
}

}  // namespace
}  // namespace duet::engine
