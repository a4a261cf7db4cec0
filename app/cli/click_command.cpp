// duet click: a cue's click track (MIDI and WAV); duet streamers: its streamers and punches,
// burned into a copy of the film and as marker lists (CSV, MIDI markers).
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/text.h"
#include "commands.h"
#include "engine/session.h"
#include "output.h"
#include "progress.h"
#include "project/project.h"
#include "sync/click.h"
#include "sync/streamer.h"
#include "time/timecode.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;
using time::TimePos;

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

int run_click_cue(engine::Session& session, const engine::ClickRequest& request) {
  auto clicked = session.click(request);
  if (!clicked) return report(clicked.error());
  const engine::ClickReport& r = *clicked;
  const time::FrameRate& rate = session.project().manifest().picture.rate;
  const auto tc = [&](TimePos t) { return time::nearest_label(t, rate); };
  const auto n = [](std::size_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
  };
  std::cout << r.cue.id.to_string() << " click: " << n(r.clicks.size(), "click", "clicks") << " ("
            << n(r.counts[0], "downbeat", "downbeats") << ", " << n(r.counts[1], "beat", "beats")
            << ", " << n(r.counts[2], "subdivision", "subdivisions");
  if (r.count_in > 0) {
    std::cout << "; " << r.count_in << " in "
              << n(static_cast<std::size_t>(request.click.count_in_bars), "count-off bar",
                   "count-off bars");
  }
  std::cout << ")\n"
            << "  bar 1 at " << tc(r.map.time_at(time::BeatPos(0))) << ", last click at "
            << tc(r.clicks.back().at) << " (" << r.map.bbt_at(r.clicks.back().position).to_string()
            << "), cue out " << tc(r.cue.out) << "\n"
            << "  files start at " << tc(r.start);
  if (r.start_offset > time::TimeDur(0))
    std::cout << " + " << base::fixed(time::microseconds(r.start_offset) / 1000, 3) << " ms";
  std::cout << "\n";
  for (const auto& f : r.written)
    std::cout << "wrote " << f.generic_string() << "\n";
  return kExitOk;
}

int run_click(const ClickOptions& o) {
  if (o.cue.empty() && !o.all) return usage_error("give --cue ID or --all");
  if (o.all && !o.cue.empty()) return usage_error("give --cue or --all, not both");
  if (o.all && (!o.tempos.empty() || !o.meters.empty())) {
    return usage_error("--tempo and --meter apply to one cue: give --cue");
  }
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  engine::ClickRequest request;
  if (!o.all) {
    auto id = spot::parse_cue_id(o.cue);
    if (!id) return usage_error("--cue: " + id.error().message);
    request.cue = *id;
  }
  auto subdivision = sync::parse_subdivision(o.subdivide);
  if (!subdivision) return usage_error("--subdivide: " + subdivision.error().message);
  request.map = {o.tempos, o.meters};
  request.click.subdivide = *subdivision;
  request.click.count_in_bars = o.count_in;
  request.midi = o.midi || !o.wav;  // neither flag: both files
  request.wav = o.wav || !o.midi;
  request.sample_rate = o.sample_rate;
  request.out = o.out;
  if (!o.all) return run_click_cue(*session, request);
  // Each cue is written in turn, so a failure part way leaves the cues before it written.
  int status = kExitOk;
  for (const spot::Cue& cue : session->project().manifest().cues) {
    if (!cue.tempo_map) {
      std::cout << cue.id.to_string() << ": no tempo map; skipped\n";
      continue;
    }
    request.cue = cue.id;
    if (const int code = run_click_cue(*session, request); code != kExitOk && status == kExitOk) {
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
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  const time::FrameRate rate = session->project().manifest().picture.rate;

  engine::StreamersRequest request;
  for (const auto& text : o.cues) {
    auto id = spot::parse_cue_id(text);
    if (!id) return usage_error("--cue: " + id.error().message);
    request.cues.push_back(*id);
  }
  request.map = {o.tempos, o.meters};
  request.options.length = time::TimeDur(std::llround(o.length * time::kSuperclockPerSecond));
  request.options.punch_frames = o.punch;
  request.options.flutter_beats = o.flutters;
  request.options.hits = !o.no_hits;
  request.options.changes = !o.no_changes;
  request.film = o.film;
  request.out = o.out;
  request.csv = o.csv;
  request.midi = o.midi;
  if (!o.out.empty() && o.film.empty() && session->project().manifest().picture.film.empty()) {
    return usage_error("no film: give --film, or set the project's picture.film");
  }
  auto plan = session->plan_streamers(request);
  if (!plan) return report(plan.error());
  for (const auto& w : plan->warnings)
    std::cerr << "warning: " << w << "\n";

  const auto tc = [&](TimePos t) { return time::nearest_label(t, rate); };
  Table table({"cue", "timecode", "kind", "colour", "position", "label"});
  for (std::size_t i = 0; i < plan->streamers.size(); ++i) {
    const auto& s = plan->streamers[i];
    table.add({plan->cue_of[i].to_string(), tc(s.at), std::string(sync::streamer_kind_name(s.kind)),
               std::string(sync::colour_name(s.colour)), s.position.to_string(), s.label});
  }
  std::cout << plan->streamers.size() << " streamers (" << base::fixed(o.length, 1) << " s, punch "
            << o.punch << " frames"
            << (o.flutters > 0 ? ", flutters on " + std::to_string(o.flutters) + " beats" : "")
            << ")\n";
  table.print(std::cout);

  StageBars bars(!o.quiet);
  auto written = session->write_streamers(*plan, bars.progress());
  bars.finish();
  if (!written) return report(written.error());
  for (const auto& f : written->written) {
    std::cout << "wrote " << f.string();
    if (written->burned && f == request.out) {
      std::cout << " (" << written->burned->frames << " frames, " << written->burned->encoder
                << ")";
    }
    std::cout << "\n";
  }
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
