// Click tracks: the audible beat of a cue's tempo map, as events, as a MIDI file a DAW opens at
// the cue's timecode, and as a WAV file a player hears in headphones.
//
// Every click sits at TempoMap::time_at of its musical position, so clicks follow ramps exactly
// (the WAV places each at the nearest sample; the MIDI file writes ramps as tempo steps that end
// on clicks, within the microsecond resolution of MIDI tempo). Count-off bars come before the first
// bar and run at the map's tempo and meter there (before beat 0 the map continues its first tempo,
// unramped, and its first meter: docs/tempo-math.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "midi/smf.h"
#include "time/frame_rate.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::sync {

// What a click marks; each has its own sound (and MIDI key and velocity).
enum class ClickKind { downbeat, beat, subdivision };
std::string_view click_kind_name(ClickKind kind);  // "downbeat", "beat", "subdivision"

// The subdivision clicked between beats, as a note value 1/n of a whole note: 8 eighths, 16
// sixteenths, 12 eighth-note triplets, 24 sixteenth-note triplets (any n dividing 7,680). 0: none.
struct Subdivision {
  int note_value = 0;
  time::BeatDur grid() const { return time::BeatDur(note_value > 0 ? 7680 / note_value : 0); }
  bool none() const { return note_value == 0; }
};
// "none", "8th", "16th", "32nd", "8th-triplet" (or "triplet"), "16th-triplet", or "1/n".
base::Result<Subdivision> parse_subdivision(std::string_view text);

struct ClickOptions {
  Subdivision subdivide;
  int count_in_bars = 0;       // 0..16 bars of count-off before first_bar (beats only)
  std::int64_t first_bar = 1;  // the first bar of the click (bar 1 is the map's beat 0)
};

struct Click {
  time::BeatPos position;  // musical position in the cue's map (count-off: before first_bar)
  time::TimePos at;        // time_at(position): film timeline
  ClickKind kind = ClickKind::beat;
  bool count_in = false;
  friend bool operator==(const Click&, const Click&) = default;
};

// The clicks from the start of `first_bar` (less the count-off bars) up to and including `end`
// (a cue usually ends on a downbeat, which gets its click), in order. Count-off bars click beats
// and downbeats only. Fails when count_in_bars is outside 0..16, end is before the first bar, or
// the subdivision does not divide the beat of a meter in the span (eighth-note triplets in 6/8).
base::Result<std::vector<Click>> click_events(const time::TempoMap& map, time::BeatPos end,
                                              const ClickOptions& options = {});

// ---- MIDI ----

struct ClickMidiOptions {
  int ticks_per_quarter = 960;
  std::string track_name = "Click";
  // Writes an SMPTE offset so that the file's tick 0 (the first count-off bar, else bar 1) lands
  // at its timecode in a DAW (MIDI knows 24, 25, 29.97 DF and 30 fps; see midi::smpte_offset_at).
  std::optional<time::FrameRate> rate;
};

// General MIDI percussion (channel 10): 76 high wood block for downbeats (velocity 120), 77 low
// wood block for beats (90), 42 closed hi-hat for subdivisions (60); each a 32nd note long.
inline constexpr std::uint8_t kDownbeatKey = 76, kBeatKey = 77, kSubdivisionKey = 42;

// The click as MIDI notes on channel 10 (kDownbeatKey etc., each a 32nd note long), at file ticks
// of `ticks_per_quarter` counted from `lead` before the map's beat 0 (the count-off's length).
// For a track in another file (the demo's multi-track MIDI file) and for click_midi.
std::vector<midi::Note> click_notes(const std::vector<Click>& clicks, int ticks_per_quarter,
                                    time::BeatDur lead = time::BeatDur(0));

// A format-1 MIDI file: a conductor track (the tempo map, with the count-off bars in front as
// constant bars at the first tempo and meter, meters, SMPTE offset, markers "count-in" and
// "bar N" where the click starts) and the click track. When there is a count-off, the file's bar
// 1 is the first count-off bar. `clicks` come from click_events on the same map.
base::Result<std::vector<std::uint8_t>> click_midi(const time::TempoMap& map,
                                                   const std::vector<Click>& clicks,
                                                   const ClickMidiOptions& options = {});

// The tempo map the MIDI file holds: `map` with `lead` (>= 0) of its first tempo and meter in
// front, unramped, so that its beat 0 is the first count-off beat (and its origin that beat's
// time): time_at(b + lead) equals map.time_at(b) for every b >= 0. Exposed for tests.
base::Result<time::TempoMap> with_lead_in(const time::TempoMap& map, time::BeatDur lead);

// ---- Audio ----

struct ClickAudioOptions {
  int sample_rate = 48000;  // Hz; 44100, 48000, 88200, 96000 or 192000 (sample-exact ticks)
};

// A mono click track as samples in [-1, 1], starting at `start` on the timeline (sample 0 is
// `start`). Each click starts at the sample nearest its time (halves later), at full amplitude
// (a cosine burst: no attack to smear the onset): downbeats 1,760 Hz at 0.9 for 40 ms, beats
// 1,320 Hz at 0.7 for 40 ms, subdivisions 2,640 Hz at 0.35 for 20 ms, each decaying with a 7 ms
// time constant. The track ends 100 ms after the last click's start.
struct ClickAudio {
  time::TimePos start;
  int sample_rate = 48000;
  std::vector<float> samples;
};
base::Result<ClickAudio> render_clicks(const std::vector<Click>& clicks, time::TimePos start,
                                       const ClickAudioOptions& options = {});

// The sample nearest to a time, counted from `start`, at a rate whose period is a whole number
// of superclock ticks (exact integer arithmetic).
std::int64_t sample_at(time::TimePos at, time::TimePos start, int sample_rate);

// A 24-bit PCM WAV file of the audio (libsndfile), with a Broadcast WAV "bext" time reference
// (samples since 00:00:00:00) so that DAWs that read it spot the file at its timecode.
base::Result<std::vector<std::uint8_t>> click_wav(const ClickAudio& audio);

}  // namespace duet::sync
