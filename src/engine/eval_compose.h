// The craft bench (issue 14, "Measured"): a fixed, seeded set of cue briefs spanning the scenes a
// film composer meets (the four quadrants, rising and falling tension, 0-6 hard hits a minute,
// 0-50% dialogue, 20 s to 4 min, themes, tempo maps already fitted, 24 and 25 fps), each written
// by the cue writer (8 candidates, 3 kept) and measured with the craft measures
// (compose/craft.h), the critics (sync, emotion) and a rendered balance; a baseline writer's MIDI
// files for the same briefs are measured the same way beside it. `duet eval-compose` is its
// face; docs/composing.md, "The craft bench", has the definitions and how to reproduce both
// columns.
//
// Call order: make_bench() (and add_project() for a film's own cues), optionally write_bench()
// so that another build of duet can compose the same briefs, then run_eval_compose().
//
// How a score is measured (both columns alike): the kept candidates are read as the MIDI files a
// writer hands off (the engine's own through to_midi at 1,920 PPQ and from_midi, losslessly; the
// baseline's files as they are), so neither column sees what the other does not. Every
// section's target feeling is the cue's curve at the section's middle (what the writer plans
// with; from_midi does not carry it), and theme statements are the windows music::find_theme
// finds in each part (recognisability >= 0.5), not what a writer claims.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "compose/brief.h"
#include "compose/score.h"
#include "model/emotion_model.h"
#include "model/mvs.h"
#include "time/frame_rate.h"

namespace duet::engine {

// ---- The bench ----

struct BenchOptions {
  // Generated briefs, 1..96. The patterns below repeat every 24 (24 covers each quadrant six
  // times, each hit density four times ...); fewer keep the first ones.
  int briefs = 24;
  // The jitter of hit times, curve values and dialogue windows (splitmix64).
  std::uint64_t seed = 1;
  // The four quadrant sketches (melodic-rhythm similarity).
  bool sketches = true;
};

enum class TensionShape { rising, falling, arch, flat };
std::string_view to_string(TensionShape shape);  // "rising", "falling", "arch", "flat"

// The cue's tempo map before the writer sees it: none (the writer makes one), an exact one (the
// hits on frames that are on beats), or one `duet sync --apply` could leave that lands each hit
// within a frame but not on it (89.552 BPM at 25 fps).
enum class TempoGiven { none, exact, inexact };
std::string_view to_string(TempoGiven tempo);  // "none", "exact", "inexact"

struct BenchBrief {
  compose::CueBrief brief;  // the cue (its id names the brief), themes, hit tolerance, segue
  time::FrameRate rate = time::FrameRate::fps24();
  std::string source;  // "bench", "sketch", or the project folder it came from
  // What it was made to be (a project's cue: what it is, from summarise()):
  model::Quadrant quadrant = model::Quadrant::q1;  // of the curve's mean valence and arousal
  TensionShape shape = TensionShape::flat;
  int hard_hits = 0, accented_hits = 0, soft_hits = 0;
  double hard_hits_per_minute = 0;
  double dialogue_share = 0;  // of the cue's time, 0..1
  double seconds = 0;
  bool theme = false;  // a theme is featured (cue.themes names it)
  TempoGiven tempo = TempoGiven::none;
  bool balance = false;     // in the rendered subset: every third generated brief, project cues
  std::string description;  // "Q2 rising, 45 s, 3 hard hits/min (2 accented), 20% dialogue"
};

struct Bench {
  std::vector<BenchBrief> briefs;    // generated (reels 24 and 25), then a project's cues
  std::vector<BenchBrief> sketches;  // reel 90: one per quadrant, one section, same tempo
};

// The harbour theme every featured brief uses (the demo's): D minor, two bars of 4/4.
inline constexpr std::string_view kBenchTheme = "4/4 D4q. F4e A4q D5q | C5q A4e F4e G4h";
inline constexpr std::string_view kBenchThemeName = "harbour";

// The generated bench: always the same briefs for the same options. Cue ids are 24M<n> for the
// briefs at 24 fps, 25M<n> at 25 fps and 90M1..90M4 for the sketches (Q1..Q4), so that they
// meet no film's reel 1-9 cues in a baseline folder.
Bench make_bench(const BenchOptions& options);

// Adds a project's cues (each with the themes it tags, as `duet compose` reads them, and the
// project's hit tolerance), rendered for the balance. Fails when the project or a theme cannot
// be read, or a cue id is one the bench already has.
base::Result<void> add_project(Bench& bench, const std::filesystem::path& dir);

// Writes the generated briefs and sketches as projects any duet of schema 1 reads (one per frame
// rate: DIR/bench-24fps with the 24 fps briefs and the sketches, DIR/bench-25fps), with the
// theme registered, so that another build composes them with
// `duet compose DIR/bench-24fps --all --out OLD` (and bench-25fps). A cue's segue is not part of
// the project format: it is said in the cue's notes. Refuses (changing nothing) when a project
// is already there. Returns the project folders.
base::Result<std::vector<std::filesystem::path>> write_bench(const Bench& bench,
                                                             const std::filesystem::path& dir);

// ---- The measuring ----

enum class Balance { none, subset, all };  // which briefs are rendered for the balance

struct EvalOptions {
  int candidates = 8;  // written per brief, 1..64
  int keep = 3;        // kept (the Jaccard between them), 1..candidates
  std::uint64_t seed = 1;
  compose::WriterModels models;                      // as duet compose passes them
  const model::MelodyModel* melody_model = nullptr;  // the tension and likelihood critics
  const model::EmotionModel* judge = nullptr;        // a second estimator (duet emotion-train)
  std::string judge_name;                            // its file, for the report
  // Rendering is the slow part (two FluidSynth renders a brief): the subset is every third
  // generated brief and every project cue.
  Balance balance = Balance::subset;
  std::filesystem::path soundfont;  // empty: render::kDefaultSoundFont (FluidR3)
  // A folder of another writer's files for the same briefs: DIR/<cue>-<rank>.mid, ranks 1..keep,
  // the naming `duet compose --out DIR` uses.
  std::optional<std::filesystem::path> baseline;
  // Where to write each brief's kept candidates, DIR/<cue>-<rank>.mid as duet compose names them
  // (an existing folder): to look at a brief's figures, or to serve as another run's baseline.
  std::optional<std::filesystem::path> out;
  // After each brief; returning false stops (an error). `cue` is the brief just measured.
  std::function<bool(int done, int total, const std::string& cue)> progress;
};

// One writer's figures on one brief. An optional is empty where the measure does not judge
// (no melody, no loud sections, a flat tension curve ...; compose/craft.h says when).
struct Figures {
  bool measured = false;
  std::string missing;            // why not (a baseline file that is not there)
  int scores = 0;                 // kept candidates read
  std::string approach;           // the best candidate's approach (the engine's writer only)
  std::optional<double> seconds;  // writing and ranking the candidates (the engine's writer)

  std::optional<double> covered;  // melody covered by the accompaniment, 0..1
  double melody_quarters = 0, covered_quarters = 0;
  std::optional<double> balance_db;        // melody minus accompaniment over the melody's time
  std::optional<double> balance_whole_db;  // the same over both whole renders
  bool balance_solo = false;               // rendered, and nothing accompanies the melody
  std::optional<double> bass_median;       // MIDI pitch, loud sections
  std::optional<int> tutti_span;           // semitones, 90th percentile, loud sections
  std::optional<double> tonic_dominant;    // share of chord time
  double chord_quarters = 0, tonic_dominant_quarters = 0;
  std::optional<int> alternation;  // chords
  std::optional<double> colour_r;
  int melody_notes = 0, clashes = 0;  // unprepared strong-beat clashes
  int onsets = 0, off_grid = 0;
  int notes = 0, short_notes = 0;                   // non-percussion notes; those under a 32nd
  std::optional<double> jaccard_mean, jaccard_max;  // accompaniment onsets, kept pairs
  std::optional<double> development;                // non-theme melody bars developing a cell
  int development_bars = 0, developed_bars = 0;
  bool ending_judged = false, ending_ok = false, ending_segue = false;
  std::string ending_fault;  // "not the tonic or third", "shorter than 2 beats", ...
  int hard_hits = 0, hard_landed = 0;
  int parallels = 0;  // between any two real voices
  int range_notes = 0, out_of_range = 0;
  int sections = 0, sections_in_quadrant = 0;  // the shipped estimator
  std::optional<int> judge_sections, judge_in_quadrant;
  friend bool operator==(const Figures&, const Figures&) = default;
};

struct BriefReport {
  std::string cue;
  std::string source;
  std::string description;
  double cue_seconds = 0;
  bool balance = false;  // rendered
  Figures baseline, current;
  friend bool operator==(const BriefReport&, const BriefReport&) = default;
};

// A row of the table: one metric, its goal, and each writer's figure over the bench.
enum class Unit { share, db, pitch, semitones, chords, r, per_100, count, similarity, seconds };
enum class Compare { at_most, at_least, less_than };
struct Goal {
  Compare compare = Compare::at_most;
  double target = 0;
  friend bool operator==(const Goal&, const Goal&) = default;
};
struct Summary {
  std::optional<double> value;  // the bench's figure (see Row); empty: nothing judged
  int judged = 0;               // briefs that gave a figure
  int met = 0;                  // of them, meeting the goal alone
  std::optional<double> of;     // the count's denominator where it has one (onsets, hits ...)
  std::optional<double> worst;  // the worst brief's figure
  friend bool operator==(const Summary&, const Summary&) = default;
};
struct Row {
  std::string key;     // stable, for JSON: "covered", "balance", ...
  std::string metric;  // in words
  Unit unit = Unit::share;
  Goal goal;
  std::string how;   // how the bench's figure is formed from the briefs'
  std::string note;  // a row not measured here says why and what to run instead
  Summary baseline, current;
  // Whether a summary meets the goal (false when it has no value).
  bool met(const Summary& s) const;
  friend bool operator==(const Row&, const Row&) = default;
};

struct EvalReport {
  int candidates = 0, keep = 0;
  std::uint64_t seed = 0;
  bool has_baseline = false;
  std::string judge_name;  // "" without a judge
  Balance balance = Balance::none;
  std::vector<BriefReport> briefs;
  std::vector<BriefReport> sketches;
  std::vector<Row> rows;  // the table, in the order
  friend bool operator==(const EvalReport&, const EvalReport&) = default;
};

// Writes and measures every brief (and reads and measures the baseline's files). Fails when the
// options are out of range, the writer or a critic fails on a brief (naming the cue), a
// baseline file exists but cannot be read, a render fails, or progress returns false. A
// baseline file that is missing is not an error: that brief's baseline is not measured.
base::Result<EvalReport> run_eval_compose(const Bench& bench, const EvalOptions& options);

// What run_eval_compose measures on one writer's kept scores for a brief (best first; already
// in the measuring form, see the top of this file), without rendering; exposed for tests and for
// measuring scores made elsewhere.
Figures measure_scores(const BenchBrief& brief, const std::vector<compose::Score>& kept,
                       const EvalOptions& options);

// A score in the measuring form: through to_midi (1,920 PPQ) and from_midi, placed at its own
// tempo map's origin; sections' targets from the cue's curve, theme uses found.
base::Result<compose::Score> measuring_form(const compose::Score& score, const BenchBrief& brief);

// The table's rows from the briefs' figures (what run_eval_compose ends with).
std::vector<Row> summarise_rows(const std::vector<BriefReport>& briefs,
                                const std::vector<BriefReport>& sketches, bool judge);

}  // namespace duet::engine
