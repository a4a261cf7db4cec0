// Rendering cues to audio through FluidSynth's library (libfluidsynth), offline: a Standard MIDI
// File in, interleaved stereo float samples out (the mix, and optionally one stem per orchestral
// section whose sum is the mix), written as 24-bit WAV through libsndfile.
//
// Call order: render_midi() (which may take seconds; a progress callback reports and may cancel),
// then optionally loudness (render/loudness.h), then write_wav() for the mix and each stem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/file.h"
#include "base/result.h"
#include "midi/smf.h"

namespace duet::render {

// The SoundFont used when none is named: FluidR3 General MIDI from Debian's fluid-soundfont-gm.
inline constexpr std::string_view kDefaultSoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
inline constexpr std::string_view kDefaultSoundFontPackage = "fluid-soundfont-gm";

// The stems of a film score as a music editor lays them out (docs/render.md, "Stems"): the
// orchestra's sections, then harp with the keyboards, choir, synths and the rest.
enum class Section { strings, woodwinds, brass, percussion, harp_keys, choir, synths, other };
inline constexpr int kSectionCount = 8;
// "strings", "woodwinds", "brass", "percussion", "harp_keys", "choir", "synths", "other".
std::string_view section_name(Section section);
// GM programs 0..127 (from 0; musicians number them from 1):
//   strings     40-45, 48-49 (solo strings, pizzicato, ensembles) and 55 (orchestra hit);
//   woodwinds   64-79 (reeds and pipes);
//   brass       56-63;
//   percussion  47 (timpani), 9 and 11-14 (glockenspiel, vibraphone, marimba, xylophone,
//               tubular bells: the orchestra's mallets) and 112-119;
//   harp_keys   46 (harp), 0-7 (pianos), 8 (celesta), 10 (music box), 15 (dulcimer), 16-23
//               (organs);
//   choir       52-54 (choir aahs, voice oohs, synth voice);
//   synths      50-51 (synth strings) and 80-103 (leads, pads, effects);
//   other       24-39 (guitars and basses), 104-111 (ethnic) and 120-127 (sound effects).
// Everything on channel 10 is percussion (section_of).
Section section_of_program(int program);
// channel 0..15; channel index 9 (channel 10) is always percussion.
Section section_of(std::uint8_t channel, int program);

// Interleaved stereo (left, right, left, ...) 32-bit float samples, full scale = 1.0.
struct Audio {
  int sample_rate = 48000;
  std::vector<float> samples;
  std::size_t frames() const { return samples.size() / 2; }
  double seconds() const { return static_cast<double>(frames()) / sample_rate; }
};

struct Stem {
  Section section = Section::other;
  Audio audio;
};

struct RenderOptions {
  std::filesystem::path soundfont = std::filesystem::path(kDefaultSoundFont);
  int sample_rate = 48000;  // Hz, 8000..192000
  // Render one synth per section that plays; the mix is then their sum, sample for sample.
  bool stems = false;
  // After the last event the synth runs on until a 100 ms block peaks below -90 dBFS (reverb and
  // release tails), and at most this long (seconds).
  double max_tail_seconds = 10.0;
  // Load only the samples of the presets the file selects (FluidSynth's
  // synth.dynamic-sample-loading), not the whole SoundFont: less time and memory spent loading
  // (docs/render.md, Speed) for the same sound, within -100 dBFS (FluidSynth measures a sample's
  // loop, which decides when a quiet voice ends, as it loads it). False loads everything.
  bool load_used_samples_only = true;
  // Render only the file's frames [from, to) (frame 0 is tick 0; to < 0: to its last event and
  // the tail), as a DAW does when it plays from the middle of a piece: what sounds at `from` is
  // chased. Every channel event and SysEx before it is sent there, in order, so programs,
  // controllers, bends and pressure stand as the file left them, and each note still held there
  // (as FluidSynth holds it: a key's last event before `from` was a note-on) starts there afresh.
  // The audio begins at `from` rounded down to FluidSynth's 64-frame block
  // (RenderResult::first_frame; on the whole render's block grid, so that every event after it
  // sounds on the same frame as in the whole render) and, with a `to` before the last event,
  // stops at `to` with no tail. Rendering costs the span's length, not the file's; the price is
  // that the span's first seconds are not the whole render's sample for sample: chased notes
  // start again, and the release and reverb of the notes before `from` are not heard.
  struct Span {
    std::int64_t from = 0;
    std::int64_t to = -1;
  };
  std::optional<Span> span;
  // Called with the fraction done (0..1) every few hundred milliseconds of audio; returning false
  // cancels the render (the result is then an error of kind impossible).
  std::function<bool(double)> progress;
};

struct RenderResult {
  Audio mix;
  std::vector<Stem> stems;   // with options.stems: the sections that play, in Section order
  double music_seconds = 0;  // the whole file's, up to its last MIDI event, before the tail
  // The file's frame (tick 0 = frame 0) that the audio's first frame is: options.span's `from`
  // (rounded down to a 64-frame block), else 0.
  std::int64_t first_frame = 0;
};

// Renders a MIDI file (format 0 or 1; PPQ or SMPTE division) through libfluidsynth with reverb
// and chorus as the SoundFont's presets ask. Event times come from the file's tempo map
// (midi::Timeline), rounded to the nearest sample; FluidSynth applies an event at the start of
// its next 64-sample block, so onsets are late by at most 64 samples (1.3 ms at 48 kHz), as with
// the fluidsynth program. Errors: the SoundFont is missing or unreadable (the message names the
// file and the Debian package), format 2 files (independent patterns, not one piece), a sample
// rate out of range, a synth that cannot be made, cancellation.
base::Result<RenderResult> render_midi(const midi::MidiFile& file, const RenderOptions& options);

// The click stem: the click of a PPQ file's tempo map (downbeats and beats, with duet click's
// sounds, sync::render_clicks) from bar 1 through the file's last event, as stereo audio aligned
// with render_midi's output (sample 0 is tick 0), padded or cut to `frames`. It is not part of the
// mix and no loudness gain applies to it. Errors: an SMPTE-division file (no beats), a sample rate
// other than 44100, 48000, 88200, 96000 or 192000, a file without events.
base::Result<Audio> render_click(const midi::MidiFile& file, std::size_t frames,
                                 int sample_rate = 48000);

// Writes 48 kHz (or the audio's rate) stereo 24-bit PCM WAV, atomically (a temporary beside the
// path, then a rename): on failure the file at `path` is untouched. Samples beyond full scale are
// clipped.
base::Result<void> write_wav(const std::filesystem::path& path, const Audio& audio);

// A stereo 24-bit PCM WAV written a block at a time (a film's track as it is rendered), to a
// temporary beside `path` that finish() renames over it: until then, and when dropped unfinished
// or on failure, `path` is untouched. Samples beyond full scale are clipped.
class WavWriter {
 public:
  static base::Result<WavWriter> open(const std::filesystem::path& path, int sample_rate);
  WavWriter(WavWriter&&) noexcept;
  WavWriter& operator=(WavWriter&&) = delete;
  ~WavWriter();
  base::Result<void> write(std::span<const float> interleaved);
  base::Result<void> finish();
  std::size_t frames() const { return frames_; }
  const std::filesystem::path& path() const { return file_.path(); }  // the final name

 private:
  WavWriter(base::AtomicFile file, void* sndfile) : file_(std::move(file)), sndfile_(sndfile) {}
  base::AtomicFile file_;
  void* sndfile_ = nullptr;  // SNDFILE*
  std::size_t frames_ = 0;
};

// Reads a WAV (or any format libsndfile reads) as interleaved stereo floats; mono is duplicated.
// Errors: the file cannot be read, is not audio libsndfile knows, or has more than 2 channels.
base::Result<Audio> read_audio(const std::filesystem::path& path);
// The same from bytes in memory (what read_audio does after reading the file).
base::Result<Audio> decode_audio(std::span<const std::uint8_t> bytes);

}  // namespace duet::render
