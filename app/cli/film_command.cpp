// duet score-film: every cue of a project rendered from its MIDI file (what 'duet compose --out
// DIR' writes, DIR/<cue>-1.mid) in parallel, placed at its timecode into one music track for the
// whole film, with stems, ducking and loudness, and muxed onto a copy of the film.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "compose/candidates.h"
#include "midi/smf.h"
#include "output.h"
#include "picture/film.h"
#include "picture/mux.h"
#include "progress.h"
#include "project/project.h"
#include "render/film.h"
#include "render/loudness.h"
#include "render/render.h"
#include "render_output.h"

namespace duet::cli {
namespace {

namespace fs = std::filesystem;

struct ScoreFilmOptions {
  std::string project;
  std::string from;
  std::vector<std::string> midis;  // ID=FILE
  std::vector<std::string> cues;   // only these (default: every cue)
  std::string out;
  std::string wav;
  std::string stems;
  std::string film;
  std::string streamers;
  std::string soundfont = std::string(render::kDefaultSoundFont);
  std::string loudness = "none";
  double ceiling = -1.0;
  std::optional<double> duck_db;
  std::string music_track = "mix";
  double original_gain = -6.0;
  unsigned jobs = 0;
  bool json = false;
  bool quiet = false;
};

int run_score_film(const ScoreFilmOptions& o) {
  const auto target = parse_loudness(o.loudness);
  if (!target) return loudness_usage_error(o.loudness);
  if (o.music_track != "mix" && o.music_track != "separate") {
    return usage_error("--music-track: '" + o.music_track +
                       "' is not a choice; use mix (the film's sound under the music) or "
                       "separate (the music as a track of its own)");
  }
  if (o.out.empty() && o.wav.empty() && o.stems.empty()) {
    return usage_error("nothing to write: give --out (the film with music), --wav or --stems");
  }
  if (!o.film.empty() && !o.streamers.empty()) {
    return usage_error("give --film or --streamers, not both");
  }
  if (o.from.empty() && o.midis.empty()) {
    return usage_error(
        "no MIDI: give --from DIR (what 'duet compose --out DIR' wrote) or "
        "--midi ID=FILE for each cue");
  }
  std::map<std::string, std::string> explicit_midi;
  for (const std::string& m : o.midis) {
    const auto eq = m.find('=');
    auto id =
        eq == std::string::npos
            ? base::Result<spot::CueId>(base::make_error(base::ErrorKind::invalid_input, "no '='"))
            : spot::parse_cue_id(m.substr(0, eq));
    if (!id || eq + 1 >= m.size()) {
      return usage_error("--midi: '" + m + "' is not ID=FILE (such as 1M3=1M3-best.mid)");
    }
    explicit_midi[id->to_string()] = m.substr(eq + 1);
  }

  auto loaded = project::Project::load(o.project);
  if (!loaded) return report(loaded.error());
  const project::Manifest& m = loaded->manifest();
  const time::FrameRate rate = m.picture.rate;

  // The cues and their MIDI files, all read before anything is rendered.
  std::vector<spot::CueId> ids;
  for (const std::string& text : o.cues) {
    auto id = spot::parse_cue_id(text);
    if (!id) return usage_error("--cue: " + id.error().message);
    ids.push_back(*id);
  }
  auto selected = loaded->select_cues(ids);
  if (!selected) return report(selected.error());
  std::vector<spot::Cue> chosen;
  for (const spot::Cue* c : *selected)
    chosen.push_back(*c);
  std::vector<render::FilmCue> cues;
  for (const spot::Cue& c : chosen) {
    const std::string id = c.id.to_string();
    std::string path;
    if (auto it = explicit_midi.find(id); it != explicit_midi.end()) {
      path = it->second;
    } else if (!o.from.empty()) {
      path = (fs::path(o.from) / compose::candidate_file_name(c.id, 1)).generic_string();
      std::error_code ec;
      if (!fs::exists(path, ec)) {
        return report(
            base::make_error(base::ErrorKind::io, "cue ", id, " has no MIDI file: expected ", path,
                             "; write it with 'duet compose ", o.project, " --cue ", id, " --out ",
                             o.from, "' or name a file with --midi ", id, "=FILE"));
      }
    } else {
      return report(base::make_error(base::ErrorKind::invalid_input, "cue ", id,
                                     " has no MIDI file: give --midi ", id,
                                     "=FILE or --from DIR (what 'duet compose --out DIR' wrote)"));
    }
    auto bytes = base::read_file(path, std::uintmax_t{256} << 20);
    if (!bytes) return report(bytes.error().with_context("cue " + id));
    auto read = midi::read_smf(*bytes);
    if (!read) return report(read.error().with_context("cue " + id + " (" + path + ")"));
    cues.push_back({c, std::move(read->file), path});
  }

  // The picture: what the music goes onto (and how long the track is).
  std::string film = !o.streamers.empty() ? o.streamers : o.film;
  if (film.empty() && !m.picture.film.empty()) film = (loaded->dir() / m.picture.film).string();
  std::optional<picture::FilmInfo> info;
  if (!o.out.empty()) {
    if (film.empty()) {
      return usage_error(
          "no film to put the music on: give --film, or set the project's "
          "picture.film");
    }
    auto probed = picture::probe_film(film);
    if (!probed) return report(probed.error());
    info = std::move(*probed);
    std::error_code ec;
    if (fs::exists(o.out, ec) && fs::equivalent(o.out, film, ec)) {
      return report(base::make_error(base::ErrorKind::invalid_input, "the output '", o.out,
                                     "' is the film itself; give another file name"));
    }
  } else if (!film.empty()) {
    std::error_code ec;
    if (fs::exists(film, ec)) {
      // Only for the track's length: a film that cannot be read leaves it open-ended.
      if (auto probed = picture::probe_film(film)) info = std::move(*probed);
    }
  }

  render::FilmOptions options;
  options.rate = rate;
  options.film_start = time::to_time(m.picture.start, rate);
  if (info) options.film_duration = info->duration;
  options.render.soundfont = o.soundfont;
  options.render.stems = !o.stems.empty();
  options.jobs = o.jobs;
  if (o.duck_db) options.duck = render::DuckOptions{*o.duck_db, 0.25};
  if (*target) options.loudness = render::NormalizeOptions{**target, o.ceiling};
  const std::string label =
      "rendering " + std::to_string(cues.size()) + (cues.size() == 1 ? " cue" : " cues");
  ProgressBar bar(label);
  if (!o.quiet) {
    options.progress = [&bar](double fraction, std::size_t, std::size_t) {
      return bar.update(fraction);
    };
  }
  const auto started = std::chrono::steady_clock::now();
  auto rendered = render::render_film(cues, options);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!o.quiet) bar.finish();
  if (!rendered) return report(rendered.error());

  // The film first (the likeliest to fail), then the WAV files; each is written atomically.
  std::vector<std::string> written;
  std::optional<picture::MuxReport> muxed;
  if (!o.out.empty()) {
    if (auto ok = make_parent(o.out); !ok) return report(ok.error());
    picture::MuxOptions mux;
    mux.track =
        o.music_track == "separate" ? picture::MusicTrack::separate : picture::MusicTrack::mix;
    mux.original_gain_db = o.original_gain;
    ProgressBar mux_bar("writing " + fs::path(o.out).filename().string());
    if (!o.quiet) mux.progress = [&mux_bar](double f) { return mux_bar.update(f); };
    auto done =
        picture::mux_music(film, rendered->mix.samples, rendered->mix.sample_rate, o.out, mux);
    if (!o.quiet) mux_bar.finish();
    if (!done) return report(done.error());
    muxed = *done;
    written.push_back(fs::path(o.out).generic_string());
  }
  if (!o.wav.empty()) {
    if (auto ok = make_parent(o.wav); !ok) return report(ok.error());
    if (auto ok = render::write_wav(o.wav, rendered->mix); !ok) return report(ok.error());
    written.push_back(fs::path(o.wav).generic_string());
  }
  if (!o.stems.empty()) {
    const std::string base_name = !o.out.empty()   ? fs::path(o.out).stem().string()
                                  : !o.wav.empty() ? fs::path(o.wav).stem().string()
                                                   : std::string("film");
    if (auto ok = write_stems(o.stems, base_name, rendered->stems, written); !ok) {
      return report(ok.error());
    }
  }

  double music = 0;
  for (const auto& c : rendered->cues)
    music += static_cast<double>(c.frames) / rendered->mix.sample_rate;
  if (o.json) {
    nlohmann::json j;
    j["project"] = o.project;
    j["film"] = film;
    j["seconds"] = rendered->mix.seconds();
    j["sample_rate"] = rendered->mix.sample_rate;
    j["jobs"] = rendered->jobs;
    j["render_seconds"] = wall;
    j["cues"] = nlohmann::json::array();
    for (const auto& c : rendered->cues) {
      j["cues"].push_back({{"id", c.id},
                           {"midi", c.midi_path},
                           {"at", project::timecode_text(c.origin.at, rate)},
                           {"from", spot::to_string(c.origin.from)},
                           {"first_sample", c.first_sample},
                           {"seconds", static_cast<double>(c.frames) / rendered->mix.sample_rate},
                           {"cut_at_start", c.cut_at_start},
                           {"cut_at_end", c.cut_at_end}});
    }
    add_loudness_json(j, rendered->loudness);
    if (rendered->normalization) {
      j["normalization"] = {{"target_lufs", **target},
                            {"gain_db", round_db(rendered->normalization->gain_db)},
                            {"peak_limited", rendered->normalization->peak_limited}};
    }
    if (o.duck_db) j["duck"] = {{"depth_db", *o.duck_db}, {"windows", rendered->duck_windows}};
    if (muxed) {
      j["mux"] = {{"audio_codec", muxed->audio_codec},
                  {"audio_bit_rate", muxed->audio_bit_rate},
                  {"music_track", o.music_track},
                  {"original_gain_db", o.original_gain},
                  {"mixed_original", muxed->mixed_original},
                  {"video_packets_copied", muxed->video_packets},
                  {"timecode", muxed->timecode}};
    }
    j["written"] = written;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  Table table({"cue", "at", "from", "seconds", "midi", "note"});
  for (const auto& c : rendered->cues) {
    std::string note;
    if (c.cut_at_start) note = "starts before the film: cut";
    if (c.cut_at_end) note += std::string(note.empty() ? "" : "; ") + "runs past the film: cut";
    table.add({c.id, project::timecode_text(c.origin.at, rate),
               std::string(spot::to_string(c.origin.from)),
               base::fixed(static_cast<double>(c.frames) / rendered->mix.sample_rate, 2),
               c.midi_path, note});
  }
  table.print(std::cout);
  std::cout << "music track: " << base::fixed(rendered->mix.seconds(), 2) << " s from "
            << time::format_timecode(m.picture.start, rate) << ", " << rendered->mix.sample_rate
            << " Hz stereo";
  print_stem_count(std::cout, rendered->stems.size());
  std::cout << "\n";
  print_loudness(std::cout, rendered->loudness, rendered->normalization, o.ceiling);
  if (o.duck_db) {
    std::cout << "  ducked " << rendered->duck_windows
              << (rendered->duck_windows == 1 ? " dialogue window" : " dialogue windows") << " by "
              << base::fixed(*o.duck_db, 1) << " dB\n";
  }
  if (muxed) {
    std::cout << "  onto " << film << ": picture copied (" << muxed->video_packets
              << " packets, not re-encoded), music as " << muxed->audio_codec;
    if (muxed->audio_bit_rate > 0) std::cout << " " << muxed->audio_bit_rate / 1000 << " kb/s";
    std::cout << (muxed->mixed_original
                      ? ", the film's sound under it at " + base::fixed(o.original_gain, 1) + " dB"
                  : o.music_track == "separate" ? ", a track of its own"
                                                : "")
              << "\n";
  }
  std::cout << "rendered " << base::fixed(music, 1) << " s of music in " << base::fixed(wall, 1)
            << " s on " << rendered->jobs << (rendered->jobs == 1 ? " thread" : " threads") << " ("
            << base::fixed(music / std::max(wall, 1e-9), 1) << "x real time)\n";
  for (const auto& f : written)
    std::cout << "wrote " << f << "\n";
  return kExitOk;
}

}  // namespace

void add_score_film_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ScoreFilmOptions>();
  CLI::App* cmd = app.add_subcommand(
      "score-film", "Render every cue's MIDI at its timecode and put the music onto the film");
  cmd->add_option("project", o->project, "The project folder (made with 'duet new')")->required();
  cmd->add_option("--from", o->from,
                  "The folder of the cues' MIDI files, <cue>-1.mid (what 'duet compose --out "
                  "DIR' writes)");
  cmd->add_option("--midi", o->midis, "A cue's MIDI file, ID=FILE (overrides --from; repeatable)");
  cmd->add_option("--cue", o->cues, "Only this cue (repeatable; default every cue)");
  cmd->add_option("--out", o->out,
                  "The film with music to write (.mp4: AAC 256 kb/s; .mov, .mkv: 24-bit PCM)");
  cmd->add_option("--wav", o->wav, "Also write the music track as a 48 kHz 24-bit WAV");
  cmd->add_option("--stems", o->stems,
                  "Also write the film's stems per section into this folder "
                  "(<name>-strings.wav ... -keys_other.wav, each the length of the film)");
  cmd->add_option("--film", o->film, "The film to put the music on (default: the project's)");
  cmd->add_option("--streamers", o->streamers,
                  "Put the music on this copy of the film instead (the streamered copy 'duet "
                  "streamers --out' wrote)");
  cmd->add_option("--soundfont", o->soundfont,
                  "An SF2/SF3 SoundFont (default " + std::string(render::kDefaultSoundFont) + ")");
  cmd->add_option("--loudness", o->loudness,
                  "Normalise the whole track: -23 (EBU R 128), -16, any LUFS from -40 to -5, or "
                  "none (the default)");
  cmd->add_option("--ceiling", o->ceiling, "True-peak ceiling in dBTP for --loudness (default -1)")
      ->check(CLI::Range(-20.0, 0.0));
  cmd->add_option("--duck", o->duck_db,
                  "Lower the music by this many dB inside every cue's dialogue windows")
      ->check(CLI::Range(0.0, 60.0));
  cmd->add_option("--music-track", o->music_track,
                  "mix (the film's sound under the music, the default) or separate (the music as "
                  "another sound track)");
  cmd->add_option("--original-gain", o->original_gain,
                  "The film's sound under the music with --music-track mix, in dB (default -6)")
      ->check(CLI::Range(-60.0, 12.0));
  cmd->add_option("--jobs", o->jobs, "Cues rendered at once (default: every core)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_flag("--quiet", o->quiet, "No progress bars on stderr");
  cmd->footer(
      "Each cue's MIDI file starts at its SMPTE offset when it has one (read at the project's\n"
      "rate), else at bar 1 of the cue's tempo map, else at the cue's in point; the track\n"
      "starts at the film's first frame (the project's picture.start) and lasts as long as\n"
      "the film. Overlapping cues are summed.\n"
      "Cues render in parallel, one FluidSynth per thread; the track is the same for any\n"
      "--jobs. Ducking comes before the loudness is measured over the whole track. The picture\n"
      "is copied, not re-encoded, with its start timecode.\n"
      "\n"
      "Examples:\n"
      "  duet compose film --all --keep 1 --out scores\n"
      "  duet score-film film --from scores --out film-scored.mp4 --loudness -23\n"
      "  duet score-film film --from scores --out film.mov --music-track separate --stems stems\n"
      "  duet score-film film --from scores --streamers streamers.mp4 --out spotting.mp4 --duck "
      "10");
  cmd->callback([o, &exit_code] { exit_code = run_score_film(*o); });
}

}  // namespace duet::cli
