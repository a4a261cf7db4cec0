// duet score-film: every cue of a project rendered from its take (a candidate 'duet compose --out
// DIR' wrote, or the composer's own MIDI file) in parallel, placed at its timecode into one music
// track for the whole film, with stems, ducking and loudness, and muxed onto a copy of the film.
#include <algorithm>
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
#include "project/manifest.h"
#include "render_output.h"
#include "time/timecode.h"
#include "values.h"

namespace duet::cli {
namespace {

struct ScoreFilmOptions {
  std::string project;
  std::string from;
  std::vector<std::string> midis;  // --take (or --midi): ID=RANK or ID=FILE
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
  bool excerpt = false;
  bool alone = false;            // the excerpt without the cues around it
  double pre_roll = 4.0;         // seconds
  double post_roll = 4.0;        // seconds
  std::string at;                // the excerpt's start, a timecode (instead of the pre-roll)
  std::optional<double> length;  // the excerpt's longest, seconds
  bool chase = false;            // render only the excerpt's span
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
        "--take ID=FILE for each cue");
  }
  engine::ScoreFilmRequest request;
  for (const std::string& m : o.midis) {
    if (auto ok = add_take(m, request.takes, "--take"); !ok) return usage_error(ok.error().message);
  }
  for (const std::string& text : o.cues) {
    auto id = spot::parse_cue_id(text);
    if (!id) return usage_error("--cue: " + id.error().message);
    request.cues.push_back(*id);
  }
  request.takes.from = o.from;
  request.out = o.out;
  request.wav = o.wav;
  request.stems = o.stems;
  request.film = !o.streamers.empty() ? o.streamers : o.film;
  request.soundfont = o.soundfont;
  request.loudness = *target;
  request.ceiling = o.ceiling;
  request.duck_db = o.duck_db;
  request.music_track =
      o.music_track == "separate" ? picture::MusicTrack::separate : picture::MusicTrack::mix;
  request.original_gain_db = o.original_gain;
  request.jobs = o.jobs;
  if (o.excerpt) {
    if (o.cues.empty()) {
      return usage_error("--excerpt writes the span of the cues you name: give --cue ID");
    }
    engine::ScoreFilmRequest::Excerpt x;
    x.pre_roll = o.pre_roll;
    x.post_roll = o.post_roll;
    x.alone = o.alone;
    x.seconds = o.length;
    x.chase = o.chase;
    request.excerpt = x;
  } else if (!o.at.empty() || o.length || o.chase) {
    return usage_error("--at, --length and --chase shape an excerpt: give --excerpt too");
  }

  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  if (!o.at.empty()) {
    const time::FrameRate rate = session->project().manifest().picture.rate;
    auto tc = time::parse_timecode(o.at, rate);
    if (!tc) return usage_error("--at: " + tc.error().message);
    request.excerpt->from = time::to_time(*tc, rate);
  }
  StageBars bars(!o.quiet);
  auto scored = session->score_film(request, bars.progress());
  bars.finish();
  if (!scored) return report(scored.error());
  print_warnings(scored->warnings);
  if (o.json) {
    std::cout << engine::to_json(*scored).dump(2) << "\n";
    return kExitOk;
  }
  const render::StreamedFilm& rendered = scored->rendered;
  const time::FrameRate& rate = scored->rate;
  Table table({"cue", "at", "from", "seconds", "midi", "note"});
  const std::string span = scored->excerpt ? "the excerpt" : "the film";
  for (const auto& c : rendered.cues) {
    std::string note;
    const auto add = [&](const std::string& what) { note += (note.empty() ? "" : "; ") + what; };
    for (const spot::CueId& id : scored->around)
      if (id.to_string() == c.id) add("heard around the cue under review");
    if (c.cut_at_start) add("starts before " + span + ": cut");
    if (c.cut_at_end) {
      add("its notes run past " + span + ": faded out there");
    } else if (c.tail_faded) {
      add("its release tail fades out at the end of " + span);
    }
    table.add(
        {c.id, time::nearest_label(c.origin.at, rate), std::string(spot::to_string(c.origin.from)),
         base::fixed(static_cast<double>(c.frames) / rendered.sample_rate, 2), c.midi_path, note});
  }
  table.print(std::cout);
  if (scored->excerpt) {
    std::cout << "excerpt for review: " << time::nearest_label(scored->excerpt->first, rate)
              << " to " << time::nearest_label(scored->excerpt->second, rate) << " ("
              << base::fixed(o.pre_roll, 1) << " s before, " << base::fixed(o.post_roll, 1)
              << " s after, inside the film)\n";
  }
  std::cout << "music track: "
            << base::fixed(static_cast<double>(rendered.frames) / rendered.sample_rate, 2)
            << " s from "
            << (scored->excerpt
                    ? time::nearest_label(scored->excerpt->first, rate)
                    : time::format_timecode(session->project().manifest().picture.start, rate))
            << ", " << rendered.sample_rate << " Hz stereo";
  print_stem_count(std::cout, scored->stems);
  std::cout << "\n";
  print_loudness(std::cout, scored->loudness, scored->normalization, o.ceiling);
  if (o.duck_db) {
    std::cout << "  ducked " << rendered.duck_windows
              << (rendered.duck_windows == 1 ? " dialogue window" : " dialogue windows") << " by "
              << base::fixed(*o.duck_db, 1) << " dB\n";
  }
  if (const auto& muxed = scored->muxed) {
    std::cout << "  onto " << scored->film << ": picture "
              << (scored->excerpt ? "cut frame for frame (" : "copied (") << muxed->video_packets
              << (scored->excerpt ? " frames, re-encoded)" : " packets, not re-encoded)")
              << ", music as " << muxed->audio_codec;
    if (muxed->audio_bit_rate > 0) std::cout << " " << muxed->audio_bit_rate / 1000 << " kb/s";
    std::cout << (muxed->mixed_original
                      ? ", the film's sound under it at " + base::fixed(o.original_gain, 1) + " dB"
                  : o.music_track == "separate" ? ", a track of its own"
                                                : "")
              << "\n";
  }
  const double music = scored->music_seconds;
  const double wall = scored->render_seconds;
  std::cout << "rendered " << base::fixed(music, 1) << " s of music in " << base::fixed(wall, 1)
            << " s on " << rendered.jobs << (rendered.jobs == 1 ? " thread" : " threads") << " ("
            << base::fixed(music / std::max(wall, 1e-9), 1) << "x real time)\n";
  for (const auto& f : scored->written)
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
                  "The folder of the cues' candidates, <cue>-<rank>.mid (what 'duet compose "
                  "--out DIR' writes); each cue takes its best, <cue>-1.mid, unless --take says");
  cmd->add_option("--take,--midi", o->midis,
                  "A cue's take: ID=RANK, a candidate in --from (1M3=2: the second best), or "
                  "ID=FILE, a MIDI file of your own (repeatable)");
  cmd->add_option("--cue", o->cues,
                  "Only this cue, which must have its take (repeatable; default every cue that "
                  "has one, the others left silent with a warning)");
  cmd->add_option("--out", o->out,
                  "The film with music to write (.mp4: AAC 256 kb/s; .mov, .mkv: 24-bit PCM)");
  cmd->add_option("--wav", o->wav, "Also write the music track as a 48 kHz 24-bit WAV");
  cmd->add_option("--stems", o->stems,
                  "Also write the film's stems per section into this folder "
                  "(<name>-strings.wav ... -other.wav, each the length of the film)");
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
  cmd->add_flag("--excerpt", o->excerpt,
                "Write only the span of the --cue cues, with pre-roll and post-roll, picture and "
                "music, for review (the picture cut frame for frame, with its own timecode)");
  cmd->add_flag("--alone", o->alone,
                "With --excerpt: only the named cues' music, not the cues that sound around them");
  cmd->add_option("--pre-roll", o->pre_roll, "Seconds of picture before the cue with --excerpt")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  cmd->add_option("--post-roll", o->post_roll, "Seconds of picture after the cue with --excerpt")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  cmd->add_option("--at", o->at,
                  "With --excerpt: start the excerpt at this timecode instead of the pre-roll "
                  "before the cue (an audition from a point in it)");
  cmd->add_option("--length", o->length, "With --excerpt: at most this many seconds long")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_flag("--chase", o->chase,
                "With --excerpt: render only the excerpt, not whole cues; the notes sounding at "
                "its start begin there afresh, as a DAW plays from the middle (fast for a short "
                "look at a long cue; its first seconds differ slightly from the whole render)");
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
      "  duet score-film film --from scores --take 1M3=2 --take 1M5=mine.mid --out take2.mp4\n"
      "  duet score-film film --from scores --cue 1M3 --take 1M3=2 --excerpt --pre-roll 5 --out "
      "1M3-review.mp4\n"
      "  duet score-film film --from scores --cue 1M3 --excerpt --alone --at 01:02:10:00 --length "
      "30 --chase --wav 1M3-from-here.wav\n"
      "  duet score-film film --from scores --out film.mov --music-track separate --stems stems\n"
      "  duet score-film film --from scores --streamers streamers.mp4 --out spotting.mp4 --duck "
      "10");
  cmd->callback([o, &exit_code] { exit_code = run_score_film(*o); });
}

}  // namespace duet::cli
