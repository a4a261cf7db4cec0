// The delivery jobs: what leaves the studio once the cues are composed (docs/hand-off.md).
//   score_film  every cue's MIDI rendered at its timecode into one music track for the whole film,
//               with stems, ducking and loudness, muxed onto a copy of the film;
//   export_cues MusicXML for the orchestrator and MIDI for a DAW, per cue;
//   cue_sheet   the music cue sheet for the rights societies (CSV and a printable page);
//   credits     the production and the writers and publishers the cue sheet names.
// Run through engine::Session; the command line and the server print the same reports.
//
// Which MIDI file a cue is delivered from is find_takes' rule (the composer's own file, or any
// candidate compose kept, the best by default); where a MIDI file starts on the film is
// spot::place_midi's rule, for every job here.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "export/cue_sheet.h"
#include "midi/smf.h"
#include "picture/mux.h"
#include "project/project.h"
#include "render/film.h"
#include "render/loudness.h"
#include "render/render.h"
#include "spot/cue.h"
#include "time/frame_rate.h"

namespace duet::engine {

// Where compose keeps a cue's candidate of rank `rank` (1 = the best) in the folder it wrote:
// <from>/<cue>-<rank>.mid (compose::candidate_file_name).
std::filesystem::path composed_take(const std::filesystem::path& from, const spot::CueId& cue,
                                    int rank = 1);

// The takes the composer chose: for each cue, its entry in `midi` (a file of their own), else
// candidate take[cue] of what compose wrote into `from` (the best, 1, when not named).
struct Takes {
  std::filesystem::path from;
  std::map<spot::CueId, std::filesystem::path> midi;
  std::map<spot::CueId, int> take;  // candidate rank, 1..
};

struct SkippedCue {
  spot::CueId cue;
  std::filesystem::path expected;  // the composed take that is not there
};

struct CueTake {
  spot::Cue cue;
  std::filesystem::path path;  // the MIDI file it is delivered from
  int rank = 0;                // the candidate taken; 0 for the composer's own file (midi)
};

struct FoundTakes {
  std::vector<CueTake> cues;        // in the project's cue order
  std::vector<SkippedCue> skipped;  // only when no cue was named: those without a file
};

// The one rule for every job that delivers composed cues (score-film, export):
// - cues named: each must have its file, else an error says which file and how to write it;
// - no cue named: every cue that has its file; the others are skipped (and reported), and it
//   is an error only when none has one;
// - a cue in `midi` or `take` that the project lacks, a rank under 1, or a candidate without
//   `from` is an error. Nothing is read here but the folder: the files are read by the jobs.
base::Result<FoundTakes> find_takes(const project::Project& project,
                                    const std::vector<spot::CueId>& cues, const Takes& takes);

// A cue's MIDI file read and parsed; errors name the cue (and the file, when it is malformed).
base::Result<midi::MidiFile> read_cue_midi(const spot::CueId& cue,
                                           const std::filesystem::path& path);

// A warning when a MIDI file's tempo map (placed where spot::place_midi puts it) strays from
// the cue's own map by more than a frame at any bar line inside the cue: its clicks, streamers
// and hits would not agree with the music. Nothing when they agree or the cue has no map.
std::optional<std::string> tempo_mismatch(const spot::Cue& cue, const midi::MidiFile& file,
                                          const std::filesystem::path& path,
                                          const time::FrameRate& rate);

// ---- score_film ----

struct ScoreFilmRequest {
  // Only these (each must have its take); empty: every cue of the project that has one (the
  // others are left silent and reported as skipped).
  std::vector<spot::CueId> cues;
  Takes takes;  // each cue's MIDI file (find_takes)
  // What to write: at least one of them.
  std::filesystem::path out;    // the film with music (.mp4: AAC; .mov, .mkv: 24-bit PCM)
  std::filesystem::path wav;    // the music track as a WAV
  std::filesystem::path stems;  // a folder: <name>-<section>.wav, each the length of the film
  // The film the music goes onto (and whose length the track takes); "" for the project's
  // picture.film. Without --out it only sets the length: one that cannot be read leaves the
  // track open-ended.
  std::filesystem::path film;
  std::string soundfont = std::string(render::kDefaultSoundFont);
  std::optional<double> loudness;  // normalise the whole track to this many LUFS (-40..-5)
  double ceiling = -1.0;           // true-peak ceiling for the normalisation, dBTP
  std::optional<double> duck_db;   // lower the music in every dialogue window by this many dB
  picture::MusicTrack music_track = picture::MusicTrack::mix;
  double original_gain_db = -6.0;  // the film's sound under the music (mix), dB
  unsigned jobs = 0;               // cues rendered at once; 0 = every core
  // Review: only the span of the named cues (`cues` must name them), from the first in point
  // less pre_roll to the last out point plus post_roll, in seconds (kept inside the film). The
  // picture is cut to it frame for frame (re-encoded) with its own start timecode, and the
  // track, the WAV and the stems last as long as it.
  // The other cues that sound inside the excerpt are heard too (those with a take), as the film
  // plays them, unless `alone`.
  // An audition from a point (the board's playhead less its pre-roll) gives `from`, which takes
  // pre_roll's place, and may cap the length with `seconds`; `chase` renders only the span
  // (render::FilmOptions::chase): a short excerpt of a long cue then costs its own length.
  struct Excerpt {
    double pre_roll = 4.0;
    double post_roll = 4.0;
    bool alone = false;
    // The excerpt's first frame is the one holding this point.
    std::optional<time::TimePos> from = std::nullopt;
    // At most this long, 0.1..3600 s.
    std::optional<double> seconds = std::nullopt;
    bool chase = false;
  };
  std::optional<Excerpt> excerpt;
};

struct ScoreFilmReport {
  ScoreFilmRequest request;  // as run
  std::string project;       // the project folder, as opened
  // The project's picture rate, at which the cues were placed.
  time::FrameRate rate = time::FrameRate::fps24();
  std::string film;  // the film the music went onto (or took its length from); "" none
  // What the track was (streamed: the track itself is never held whole): its length, the cues
  // as placed, the sections that play, the loudness as rendered.
  render::StreamedFilm rendered;
  std::optional<render::Normalization> normalization;  // with a loudness target
  render::Loudness loudness;  // of the track as written (after the gain, when normalised)
  std::size_t stems = 0;      // stem files written (the sections that play)
  double render_seconds = 0;  // wall-clock time of the render (with a film, it overlaps the mux)
  double music_seconds = 0;   // of music rendered, every cue's tail included
  std::optional<picture::MuxReport> muxed;
  std::vector<std::string> written;  // the film, the WAV, the stems, in that order
  std::vector<SkippedCue> skipped;   // cues left silent: no cue was named and these had no take
  // With an excerpt: the span of the film written (its first frame, and the end of its last).
  std::optional<std::pair<time::TimePos, time::TimePos>> excerpt;
  std::vector<spot::CueId> around;  // the other cues heard in the excerpt
  // A cue skipped, a take whose tempo map is not the cue's: one sentence each.
  std::vector<std::string> warnings;
};

// {"project", "film", "seconds", "sample_rate", "jobs", "render_seconds", "cues": [{"id", "midi",
// "at", "from", "first_sample", "seconds", "cut_at_start", "cut_at_end", "tail_faded"}],
// "integrated_lufs", "true_peak_dbtp", "normalization"?, "duck"?, "mux"?, "written",
// "skipped": [{"cue", "expected"}], "warnings", "excerpt"?: {"from", "to"}}, as
// `duet score-film --json`.
nlohmann::json to_json(const ScoreFilmReport& report);

// Hundredths of a dB or LU: finer is below what anyone hears or any meter agrees on.
double round_db(double x);
// "integrated_lufs" (null when silent) and "true_peak_dbtp", in hundredths, added to `j`: the
// loudness as every render report writes it.
void add_loudness_json(nlohmann::json& j, const render::Loudness& loudness);
// Makes the folder `dir` (and those above it): "cannot create the folder DIR: why" otherwise.
base::Result<void> make_dir(const std::filesystem::path& dir);
// Makes the folder `file` goes into, if it has one.
base::Result<void> make_parent(const std::filesystem::path& file);
// Writes each stem as DIR/<base_name>-<section>.wav (making DIR first), each atomically, and adds
// their paths to `written`.
base::Result<void> write_stems(const std::filesystem::path& dir, const std::string& base_name,
                               const std::vector<render::Stem>& stems,
                               std::vector<std::string>& written);

// ---- export_cues ----

struct ExportRequest {
  // The cues; empty: every cue that has a composed take (the others are skipped, not errors).
  std::vector<spot::CueId> cues;
  Takes takes;                // each cue's MIDI file (find_takes)
  std::filesystem::path out;  // <cue>.musicxml and <cue>.mid go here
  bool musicxml = true;
  bool midi = true;  // the DAW MIDI: tempo map, meters, markers, SMPTE offset
};

struct ExportedFile {
  spot::CueId cue;
  std::filesystem::path path;
  std::string what;  // "8 parts", "DAW MIDI at 01:00:00:00"
};

struct ExportReport {
  std::vector<SkippedCue> skipped;    // only when every cue was asked for
  std::vector<ExportedFile> written;  // in cue order, MusicXML before MIDI
  // A cue skipped, a take whose tempo map is not the cue's: one sentence each.
  std::vector<std::string> warnings;
};

// {"written": [{"cue", "file", "what"}], "skipped": [{"cue", "expected"}], "warnings"}
nlohmann::json to_json(const ExportReport& report);

// ---- cue_sheet ----

struct CueSheetRequest {
  std::filesystem::path csv;   // write the CSV here; "" not
  std::filesystem::path html;  // write the printable page (A4 landscape) here; "" not
};

struct CueSheetReport {
  exporting::CueSheet sheet;
  std::string csv;                           // the sheet as CSV (what the CSV file holds)
  std::string html;                          // the sheet as a page (what the HTML file holds)
  std::vector<spot::CueId> without_writers;  // cues whose credits name no writer
  std::vector<std::filesystem::path> written;
};

// {"production", "company", "cues", "without_writers": [...], "written": [...], "csv"}
nlohmann::json to_json(const CueSheetReport& report);

// ---- credits ----

// A change to the credits; a request that changes nothing shows them.
struct CreditsRequest {
  std::optional<spot::CueId> cue;      // set this cue's own credits; none: the production's
  std::optional<std::string> title;    // the production's (not with a cue)
  std::optional<std::string> company;  // the production's (not with a cue)
  std::optional<std::vector<exporting::Writer>> writers;        // replace the writers
  std::optional<std::vector<exporting::Publisher>> publishers;  // replace the publishers
  bool clear = false;  // remove the writers and publishers first (a cue takes the production's)

  bool changes() const { return title || company || writers || publishers || clear; }
};

struct CreditsReport {
  std::string title;  // the production's title (the project's when it has none of its own)
  std::string company;
  exporting::Credits production;
  std::map<spot::CueId, exporting::Credits> cues;  // the cues with credits of their own
  // After a change: saved to `manifest`; `target` is what the cue (or the production) now takes.
  bool saved = false;
  std::optional<spot::CueId> cue;
  exporting::Credits target;
  std::filesystem::path manifest;
};

// {"production": {"title", "company", "credits"}, "cues": {"1M3": credits}, "saved"}; credits
// as duet.json writes them.
nlohmann::json to_json(const CreditsReport& report);

}  // namespace duet::engine
