// duet click: a cue's click track (MIDI and WAV); duet streamers: its streamers and punches,
// burned into a copy of the film and as marker lists (CSV, MIDI markers).
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "output.h"
#include "picture/burn.h"
#include "picture/film.h"
#include "progress.h"
#include "project/project.h"
#include "sync/click.h"
#include "sync/markers.h"
#include "sync/streamer.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;
using time::TimePos;

// A cue with the tempo map to use: the cue's own, or --tempo/--meter entries (bar 1 at the
// cue's in), which override it.
struct CueAndMap {
  spot::Cue cue;
  time::TempoMap map;
};

// Exit status when the result is empty.
std::optional<int> cue_with_map(const project::Project& project, const std::string& id_text,
                                const std::vector<std::string>& tempos,
                                const std::vector<std::string>& meters, CueAndMap& out) {
  auto id = spot::parse_cue_id(id_text);
  if (!id) return usage_error("--cue: " + id.error().message);
  auto found = project.cue(*id);
  if (!found) return report(found.error());
  const spot::Cue* cue = *found;
  out.cue = *cue;
  const time::FrameRate& rate = project.manifest().picture.rate;
  if (!tempos.empty() || !meters.empty()) {
    auto map = time::parse_tempo_map(tempos, meters, cue->in, &rate);
    if (!map) return report(map.error());
    out.map = std::move(*map);
  } else if (cue->tempo_map) {
    out.map = *cue->tempo_map;
  } else {
    return report(base::make_error(base::ErrorKind::invalid_input, "cue ", id->to_string(),
                                   " has no tempo map yet; fit one with 'duet sync ",
                                   project.dir().generic_string(), " --cue ", id->to_string(),
                                   " --apply', or give --tempo entries (bar 1 at the cue's in)"));
  }
  return std::nullopt;
}

// ---- duet click ----

struct ClickOptions {
  std::string project;
  std::string cue;
  bool all = false;  // every cue that has a tempo map
  std::string out;
  std::string subdivide = "none";
  int count_in = 0;
  bool wav = false;
  bool midi = false;
  int sample_rate = 48000;
  std::vector<std::string> tempos;
  std::vector<std::string> meters;
};

int run_click_cue(const ClickOptions& o, const project::Project& project) {
  const project::Project* loaded = &project;
  CueAndMap cm;
  if (auto code = cue_with_map(project, o.cue, o.tempos, o.meters, cm)) return *code;
  const time::FrameRate rate = loaded->manifest().picture.rate;
  auto subdivision = sync::parse_subdivision(o.subdivide);
  if (!subdivision) return usage_error("--subdivide: " + subdivision.error().message);
  sync::ClickOptions options;
  options.subdivide = *subdivision;
  options.count_in_bars = o.count_in;
  // The click runs from bar 1 to the cue's out (a click on the out when it is on a beat).
  auto clicks = sync::click_events(cm.map, cm.map.beats_at(cm.cue.out), options);
  if (!clicks) return report(clicks.error());

  const bool both = !o.wav && !o.midi;
  const std::string id = cm.cue.id.to_string();
  const fs::path dir(o.out);
  std::optional<std::vector<std::uint8_t>> midi_bytes, wav_bytes;
  if (o.midi || both) {
    sync::ClickMidiOptions midi_options;
    midi_options.rate = rate;
    midi_options.track_name = id + " click";
    auto bytes = sync::click_midi(cm.map, *clicks, midi_options);
    if (!bytes) return report(bytes.error());
    midi_bytes = std::move(*bytes);
  }
  const TimePos start = clicks->front().at;
  if (o.wav || both) {
    auto audio = sync::render_clicks(*clicks, start, {o.sample_rate});
    if (!audio) return report(audio.error());
    auto bytes = sync::click_wav(*audio);
    if (!bytes) return report(bytes.error());
    wav_bytes = std::move(*bytes);
  }
  // Everything is made before anything is written.
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return report(base::make_error(base::ErrorKind::io, "cannot create the folder ",
                                   dir.generic_string(), ": ", ec.message()));
  }
  std::vector<std::string> written;
  if (midi_bytes) {
    const fs::path path = dir / (id + "-click.mid");
    if (auto ok = base::write_file_atomic(path, *midi_bytes); !ok) return report(ok.error());
    written.push_back(path.generic_string());
  }
  if (wav_bytes) {
    const fs::path path = dir / (id + "-click.wav");
    if (auto ok = base::write_file_atomic(path, *wav_bytes); !ok) return report(ok.error());
    written.push_back(path.generic_string());
  }

  std::size_t counts[3] = {0, 0, 0}, count_in = 0;
  for (const auto& c : *clicks) {
    ++counts[static_cast<int>(c.kind)];
    count_in += c.count_in;
  }
  const auto tc = [&](TimePos t) { return project::timecode_text(t, rate); };
  const auto n = [](std::size_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
  };
  std::cout << id << " click: " << n(clicks->size(), "click", "clicks") << " ("
            << n(counts[0], "downbeat", "downbeats") << ", " << n(counts[1], "beat", "beats")
            << ", " << n(counts[2], "subdivision", "subdivisions");
  if (count_in > 0) {
    std::cout << "; " << count_in << " in "
              << n(static_cast<std::size_t>(o.count_in), "count-off bar", "count-off bars");
  }
  std::cout << ")\n"
            << "  bar 1 at " << tc(cm.map.time_at(time::BeatPos(0))) << ", last click at "
            << tc(clicks->back().at) << " (" << cm.map.bbt_at(clicks->back().position).to_string()
            << "), cue out " << tc(cm.cue.out) << "\n"
            << "  files start at " << tc(start);
  const time::TimeDur into = start - time::time_of_frame(time::frame_at(start, rate), rate);
  if (into > time::TimeDur(0))
    std::cout << " + " << base::fixed(time::microseconds(into) / 1000, 3) << " ms";
  std::cout << "\n";
  for (const auto& f : written)
    std::cout << "wrote " << f << "\n";
  return kExitOk;
}

int run_click(const ClickOptions& o) {
  if (o.cue.empty() && !o.all) return usage_error("give --cue ID or --all");
  if (o.all && !o.cue.empty()) return usage_error("give --cue or --all, not both");
  if (o.all && (!o.tempos.empty() || !o.meters.empty())) {
    return usage_error("--tempo and --meter apply to one cue: give --cue");
  }
  auto loaded = project::Project::load(o.project);
  if (!loaded) return report(loaded.error());
  if (!o.all) return run_click_cue(o, *loaded);
  int status = kExitOk;
  for (const spot::Cue& cue : loaded->manifest().cues) {
    if (!cue.tempo_map) {
      std::cout << cue.id.to_string() << ": no tempo map; skipped\n";
      continue;
    }
    ClickOptions one = o;
    one.cue = cue.id.to_string();
    if (const int code = run_click_cue(one, *loaded); code != kExitOk && status == kExitOk) {
      status = code;
    }
  }
  return status;
}

// ---- duet streamers ----

struct StreamersOptions {
  std::string project;
  std::vector<std::string> cues;
  bool all = false;
  std::string film;
  std::string out;
  std::string csv;
  std::string midi;
  double length = 3;
  int punch = 2;
  int flutters = 0;
  bool no_hits = false;
  bool no_changes = false;
  bool quiet = false;
  std::vector<std::string> tempos;
  std::vector<std::string> meters;
};

int run_streamers(const StreamersOptions& o) {
  if (o.out.empty() && o.csv.empty() && o.midi.empty()) {
    return usage_error("nothing to write: give --out (the film with streamers), --csv or --midi");
  }
  if (o.cues.empty() && !o.all) return usage_error("give --cue ID (repeatable) or --all");
  if (o.all && !o.cues.empty()) return usage_error("give --cue or --all, not both");
  if ((!o.tempos.empty() || !o.meters.empty()) && o.cues.size() != 1) {
    return usage_error("--tempo and --meter apply to one cue: give one --cue");
  }
  auto loaded = project::Project::load(o.project);
  if (!loaded) return report(loaded.error());
  const project::Manifest& m = loaded->manifest();
  const time::FrameRate rate = m.picture.rate;

  sync::StreamerOptions options;
  options.length = time::TimeDur(std::llround(o.length * time::kSuperclockPerSecond));
  options.punch_frames = o.punch;
  options.flutter_beats = o.flutters;
  options.hits = !o.no_hits;
  options.changes = !o.no_changes;

  std::vector<CueAndMap> cues;
  if (o.all) {
    for (const auto& c : m.cues) {
      if (!c.tempo_map) {
        std::cerr << "warning: cue " << c.id.to_string()
                  << " has no tempo map; skipped (fit one with 'duet sync')\n";
        continue;
      }
      cues.push_back({c, *c.tempo_map});
    }
    if (cues.empty()) {
      return report(base::make_error(base::ErrorKind::invalid_input,
                                     "no cue of the project has a tempo map; fit them with "
                                     "'duet sync' first"));
    }
  } else {
    for (const auto& id : o.cues) {
      CueAndMap cm;
      if (auto code = cue_with_map(*loaded, id, o.tempos, o.meters, cm)) return *code;
      cues.push_back(std::move(cm));
    }
  }
  std::vector<sync::Streamer> all;
  std::vector<std::string> owner;  // the cue of each streamer, for the table
  for (const auto& cm : cues) {
    auto list = sync::cue_streamers(cm.cue, cm.map, rate, options);
    if (!list) return report(list.error().with_context("cue " + cm.cue.id.to_string()));
    for (auto& s : *list) {
      all.push_back(std::move(s));
      owner.push_back(cm.cue.id.to_string());
    }
  }

  // The film is checked and the marker lists made before anything is written; the lists are
  // written after the burn, so a failed burn leaves every file as it was.
  std::string film = o.film;
  std::optional<picture::FilmInfo> info;
  if (!o.out.empty()) {
    if (film.empty() && !m.picture.film.empty()) film = (loaded->dir() / m.picture.film).string();
    if (film.empty()) return usage_error("no film: give --film, or set the project's picture.film");
    auto probed = picture::probe_film(film);
    if (!probed) return report(probed.error());
    info = std::move(*probed);
  }
  std::optional<std::vector<std::uint8_t>> midi_bytes;
  if (!o.midi.empty()) {
    // One cue: its tempo map, so the markers sit on the DAW's grid. Several: 120 from the first
    // streamer (their maps differ), so the markers sit at their times.
    time::TempoMap map = cues.front().map;
    if (cues.size() > 1) {
      TimePos first = all.front().at;
      for (const auto& s : all)
        first = std::min(first, s.at);
      map = time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(120)), {},
                                     first);
    }
    sync::MarkerMidiOptions midi_options;
    midi_options.rate = rate;
    auto bytes = sync::streamer_midi(all, map, midi_options);
    if (!bytes) return report(bytes.error());
    midi_bytes = std::move(*bytes);
  }

  const auto tc = [&](TimePos t) { return project::timecode_text(t, rate); };
  Table table({"cue", "timecode", "kind", "colour", "position", "label"});
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& s = all[i];
    table.add({owner[i], tc(s.at), std::string(sync::streamer_kind_name(s.kind)),
               std::string(sync::colour_name(s.colour)), s.position.to_string(), s.label});
  }
  std::cout << all.size() << " streamers (" << base::fixed(o.length, 1) << " s, punch " << o.punch
            << " frames"
            << (o.flutters > 0 ? ", flutters on " + std::to_string(o.flutters) + " beats" : "")
            << ")\n";
  table.print(std::cout);

  std::vector<std::string> written;
  if (info) {
    if (info->start_timecode && !(*info->start_timecode == m.picture.start)) {
      std::cerr << "warning: " << film << " starts at "
                << time::format_timecode(*info->start_timecode, info->rate)
                << " but the project says " << time::format_timecode(m.picture.start, rate)
                << "; placing streamers by the project's\n";
    }
    const TimePos film_start = time::to_time(m.picture.start, rate);
    picture::BurnOptions burn;
    ProgressBar bar("burning streamers into " + fs::path(o.out).filename().string());
    if (!o.quiet) burn.progress = [&bar](double f) { return bar.update(f); };
    auto done =
        picture::burn_overlays(film, sync::streamer_overlays(all, film_start, rate), o.out, burn);
    if (!o.quiet) bar.finish();
    if (!done) return report(done.error());
    written.push_back(o.out + " (" + std::to_string(done->frames) + " frames, " + done->encoder +
                      ")");
  }
  if (!o.csv.empty()) {
    if (auto ok = base::write_file_atomic(o.csv, sync::streamer_csv(all, rate)); !ok)
      return report(ok.error());
    written.push_back(o.csv);
  }
  if (midi_bytes) {
    if (auto ok = base::write_file_atomic(o.midi, *midi_bytes); !ok) return report(ok.error());
    written.push_back(o.midi);
  }
  for (const auto& f : written)
    std::cout << "wrote " << f << "\n";
  return kExitOk;
}

}  // namespace

void add_click_commands(CLI::App& app, int& exit_code) {
  auto c = std::make_shared<ClickOptions>();
  CLI::App* click = app.add_subcommand(
      "click", "Write a cue's click track: MIDI (with its tempo map and SMPTE offset) and WAV");
  click->add_option("project", c->project, "The project folder (made with 'duet new')")->required();
  click->add_option("--cue", c->cue, "The cue, by id (1M3)");
  click->add_flag("--all", c->all, "Every cue that has a tempo map (others are skipped)");
  click->add_option("--out", c->out, "The folder for <cue>-click.mid and <cue>-click.wav")
      ->required();
  click->add_option("--subdivide", c->subdivide,
                    "Click subdivisions too, with their own sound: 8th, 16th, 32nd, 8th-triplet, "
                    "16th-triplet, 1/n (default none)");
  click
      ->add_option("--count-in", c->count_in,
                   "Count-off bars before bar 1, at the first tempo and meter (default 0)")
      ->check(CLI::Range(0, 16));
  click->add_flag("--wav", c->wav, "Write the WAV (48 kHz, 24-bit, bext time reference)");
  click->add_flag("--midi", c->midi, "Write the MIDI file (without --wav and --midi: both)");
  click->add_option("--sample-rate", c->sample_rate, "WAV sample rate in Hz (default 48000)")
      ->check(CLI::IsMember({44100, 48000, 88200, 96000, 192000}));
  click->add_option("-t,--tempo", c->tempos,
                    "Use this tempo map instead of the cue's: POSITION=TEMPO entries as for "
                    "'duet tempo' (bar 1 at the cue's in), repeatable");
  click->add_option("-m,--meter", c->meters, "Meter changes BAR=N/D for --tempo, repeatable");
  click->footer(
      "The click follows the cue's tempo map exactly (ramps included): every click is at the\n"
      "time of its beat, placed at the nearest sample in the WAV. Downbeats, beats and\n"
      "subdivisions sound different (MIDI: GM wood blocks 76/77 and closed hi-hat 42 on\n"
      "channel 10). With a count-off, both files start at the first count-off bar.\n"
      "\n"
      "Examples:\n"
      "  duet click film --cue 1M3 --out clicks\n"
      "  duet click film --cue 1M3 --out clicks --subdivide 8th --count-in 2 --wav\n"
      "  duet click film --all --out clicks --count-in 2\n"
      "  duet click film --cue 1M3 --out clicks --tempo 1=84 --tempo 5=84~ --tempo 9=126");
  click->callback([c, &exit_code] { exit_code = run_click(*c); });

  auto s = std::make_shared<StreamersOptions>();
  CLI::App* streamers = app.add_subcommand(
      "streamers", "Burn a cue's streamers and punches into a copy of the film; marker lists");
  streamers->add_option("project", s->project, "The project folder (made with 'duet new')")
      ->required();
  streamers->add_option("--cue", s->cues, "A cue, by id (1M3); repeatable");
  streamers->add_flag("--all", s->all, "Every cue that has a tempo map");
  streamers->add_option("--film", s->film, "The film (default: the project's)");
  streamers->add_option("--out", s->out,
                        "Write a copy of the film with the streamers burned in (.mp4, .mov, "
                        ".mkv; H.264, the sound copied)");
  streamers->add_option("--csv", s->csv,
                        "Write the streamers as CSV (timecode, frame, kind, colour, label...)");
  streamers->add_option("--midi", s->midi,
                        "Write the streamers as MIDI markers on the cue's tempo map (several "
                        "cues: on a constant 120 from the first)");
  streamers->add_option("--length", s->length, "Streamer length in seconds (default 3)")
      ->check(CLI::Range(1.0, 10.0));
  streamers->add_option("--punch", s->punch, "Punch length in frames (default 2)")
      ->check(CLI::Range(1, 6));
  streamers
      ->add_option("--flutters", s->flutters,
                   "Flash on this many beats before each event (default 0: no flutters)")
      ->check(CLI::Range(0, 8));
  streamers->add_flag("--no-hits", s->no_hits, "No streamers for hit points");
  streamers->add_flag("--no-changes", s->no_changes, "No warnings for tempo and meter changes");
  streamers->add_flag("--quiet", s->quiet, "No progress bar");
  streamers->add_option("-t,--tempo", s->tempos,
                        "Use this tempo map instead of the cue's (one --cue): POSITION=TEMPO "
                        "entries as for 'duet tempo', bar 1 at the cue's in");
  streamers->add_option("-m,--meter", s->meters, "Meter changes BAR=N/D for --tempo");
  streamers->footer(
      "Colours: green into the cue's first downbeat, white for hard hits, yellow for soft hits\n"
      "and tempo or meter changes (warnings), red for the cue's end. A streamer crosses the\n"
      "frame left to right and reaches the right edge on the event's frame; the punch (a\n"
      "circle) shows on that frame and the next.\n"
      "\n"
      "Examples:\n"
      "  duet streamers film --cue 1M3 --out 1M3-streamers.mp4\n"
      "  duet streamers film --all --out streamers.mp4 --length 2 --flutters 3\n"
      "  duet streamers film --cue 1M3 --csv 1M3-streamers.csv --midi 1M3-markers.mid");
  streamers->callback([s, &exit_code] { exit_code = run_streamers(*s); });
}

}  // namespace duet::cli
