// A whole film's music: every cue's MIDI rendered (in parallel, one FluidSynth synth per worker
// thread at a time) and placed at its timecode into one continuous stereo track that starts at
// the film's first frame, with per-section stems for the whole film, dialogue ducking from every
// cue's dialogue windows and one loudness normalisation over the whole track.
//
// Call order: load each cue's MIDI file, fill FilmCue and FilmOptions, render_film(), then
// write_wav() the mix and stems, or hand the mix to picture::mux_music.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "midi/smf.h"
#include "render/loudness.h"
#include "render/render.h"
#include "spot/cue.h"
#include "spot/placement.h"
#include "time/frame_rate.h"
#include "time/units.h"

namespace duet::render {

struct FilmCue {
  spot::Cue cue;          // id (for messages), in point, dialogue windows
  midi::MidiFile midi;    // what is rendered
  std::string midi_path;  // where it came from (for messages and reports)
};

// Where a cue's tick 0 lands on the film timeline: spot::place_midi, the one rule for every job.
spot::MidiPlacement cue_origin(const FilmCue& cue, const time::FrameRate& rate);

struct FilmOptions {
  time::FrameRate rate = time::FrameRate::fps24();  // the project's picture rate
  // The film timeline position of the film's first frame (project picture.start): sample 0 of
  // the track.
  time::TimePos film_start;
  // The track's length; 0 = up to the end of the last cue's tail. Music past it is cut.
  time::TimeDur film_duration;
  RenderOptions render;  // soundfont, sample_rate, stems, max_tail_seconds (its progress unused)
  // Worker threads; 0 = std::thread::hardware_concurrency() (at least 1). Never more than cues.
  unsigned jobs = 0;
  // Render only what the track holds (RenderOptions::span): a cue that began before the track's
  // first frame is chased from there, and one that runs past its end stops a frame after it
  // (and fades over the last second on the picture, as ever). An excerpt of long cues then costs
  // its own length; its first seconds are not the whole film's track sample for sample (notes
  // sounding at the first frame start afresh there, earlier notes' reverb is not heard).
  bool chase = false;
  std::optional<DuckOptions> duck;           // duck every cue's dialogue windows
  std::optional<NormalizeOptions> loudness;  // normalise the whole track (not each cue)
  // Called (never concurrently, from whichever thread made progress) with the fraction done
  // (0..1, by seconds of music rendered) and the cues finished out of the total; returning
  // false cancels every worker and render_film fails with "cancelled".
  std::function<bool(double fraction, std::size_t cues_done, std::size_t cues_total)> progress;
};

struct PlacedCue {
  std::string id;
  std::string midi_path;
  spot::MidiPlacement origin;
  std::int64_t first_sample = 0;  // where tick 0 lands in the track (may be < 0: cut)
  std::size_t frames = 0;         // frames the cue rendered, tail included
  double music_seconds = 0;       // up to its last MIDI event
  bool cut_at_start = false;      // it started before the film's first frame
  bool cut_at_end = false;        // its notes ran past the film's end (faded out there)
  bool tail_faded = false;        // only its release tail ran past the film's end: faded out
};

struct FilmResult {
  Audio mix;
  std::vector<Stem> stems;  // with render.stems: each section that plays in any cue
  std::vector<PlacedCue> cues;
  std::size_t duck_windows = 0;
  std::optional<Normalization> normalization;
  Loudness loudness;  // of the final mix
  unsigned jobs = 1;  // worker threads used
};

// One block of the track, in time order: frames [first_frame, first_frame + mix.size() / 2) of
// the track (frame 0 = the film's first frame), ducked. With render.stems, each section's block
// in Section order (silence where it does not play), summing to the mix.
struct TrackBlock {
  std::int64_t first_frame = 0;
  std::span<const float> mix;
  std::array<std::span<const float>, kSectionCount> stems;
};
// Takes each block as it is finished; an error stops the render and is its error. Called from
// whichever worker finished the cue that completed the block, never concurrently.
using TrackSink = std::function<base::Result<void>(const TrackBlock& block)>;

struct StreamedFilm {
  int sample_rate = 48000;
  std::size_t frames = 0;  // the track's length: the film's when known
  std::vector<PlacedCue> cues;
  std::array<bool, kSectionCount> plays{};  // sections that play in any cue
  std::size_t duck_windows = 0;
  Loudness loudness;  // of the mix as streamed (ducked; options.loudness is not applied)
  unsigned jobs = 1;
};

// Renders every cue and hands the track to `sink` a block at a time, in time order, holding only
// the cues being rendered and the one being summed: memory follows the longest cue, not the
// film. Cues are placed in the order of where they start; a finished cue is summed into the
// track when every cue starting before it is in, so the track is the same for any `jobs`. A cue
// running past the film's end (options.film_duration) fades out over its last second on the
// picture; its tail is never cut off abruptly (PlacedCue::tail_faded). options.loudness is not
// applied (it needs the whole track): measure with the returned loudness and apply the gain in
// a second pass. Errors as render_film's.
base::Result<StreamedFilm> stream_film(const std::vector<FilmCue>& cues, const FilmOptions& options,
                                       const TrackSink& sink);

// Renders every cue and places it. The result does not depend on `jobs`: cues are summed into the
// track in the given order whatever order they finish in, so the parallel track equals the serial
// one sample for sample. Errors: none of the cues (the list is empty), a cue's render fails (the
// message names the cue and its MIDI file), cancellation, a loudness or ducking error.
base::Result<FilmResult> render_film(const std::vector<FilmCue>& cues, const FilmOptions& options);

}  // namespace duet::render
