// FluidSynth drives the sound; this file orders the MIDI events on a sample clock, feeds each
// synth between blocks of fluid_synth_write_float, and writes WAV through libsndfile in memory so
// the save is atomic.
#include "render/render.h"

#include <fluidsynth.h>
#include <sndfile.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>

#include "base/error.h"
#include "base/file.h"
#include "midi/gm.h"
#include "midi/timing.h"
#include "sync/click.h"
#include "sync/sound_memory.h"

namespace duet::render {
namespace {

using base::ErrorKind;
using base::make_error;

// The library never prints (DESIGN.md): FluidSynth's own log lines are dropped.
void silent_log(int, const char*, void*) {}
// Once per process, before any synth is made: the log functions are globals, and so are the
// tables FluidSynth fills when its first synth is made (fluid_synth_init: gain, pan and
// interpolation tables, without a lock). render_film calls render_midi from several threads at
// a time; two first synths made at once read half-filled tables and sound wrong, so one synth is
// made and freed here, under the once flag, before any render's.
void silence_fluidsynth() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int level : {FLUID_PANIC, FLUID_ERR, FLUID_WARN, FLUID_INFO, FLUID_DBG}) {
      fluid_set_log_function(level, silent_log, nullptr);
    }
    if (fluid_settings_t* settings = new_fluid_settings()) {
      if (fluid_synth_t* synth = new_fluid_synth(settings)) delete_fluid_synth(synth);
      delete_fluid_settings(settings);
    }
  });
}

// One channel event on the sample clock; `order` keeps file order among equal samples.
struct TimedEvent {
  std::int64_t sample = 0;
  std::size_t order = 0;
  midi::Message message;
};

// The events in [from, to) (to < 0: all from `from` on), moved so that `from` is sample 0,
// after what chases the state at `from`: every channel event and SysEx before it in its order
// (programs, controllers, bends, pressure), then a note-on for each key still held. A key is held
// as FluidSynth holds it: a note-on releases the voice already sounding on its channel and key,
// and a note-off (or a note-on of velocity 0) releases it, so a key sounds at `from` when its last
// event before it was a note-on. Polyphonic pressure before `from` goes (it acted on notes that
// are started afresh).
std::vector<TimedEvent> chase(const std::vector<TimedEvent>& events, std::int64_t from,
                              std::int64_t to) {
  std::vector<TimedEvent> out;
  std::array<std::uint8_t, 16 * 128> held{};  // velocity by channel * 128 + key; 0: released
  const auto slot = [&](std::uint8_t channel, std::uint8_t key) -> std::uint8_t& {
    return held[static_cast<std::size_t>(channel & 15) * 128 + (key & 127)];
  };
  std::size_t i = 0;
  for (; i < events.size() && events[i].sample < from; ++i) {
    const midi::Message& m = events[i].message;
    if (const auto* on = std::get_if<midi::NoteOn>(&m)) {
      slot(on->channel, on->key) = on->velocity;
    } else if (const auto* off = std::get_if<midi::NoteOff>(&m)) {
      slot(off->channel, off->key) = 0;
    } else if (!std::holds_alternative<midi::PolyPressure>(m)) {
      out.push_back({0, out.size(), m});
    }
  }
  for (std::size_t k = 0; k < held.size(); ++k) {
    if (held[k] == 0) continue;
    out.push_back({0, out.size(),
                   midi::NoteOn{static_cast<std::uint8_t>(k / 128),
                                static_cast<std::uint8_t>(k % 128), held[k]}});
  }
  for (; i < events.size() && (to < 0 || events[i].sample < to); ++i) {
    out.push_back({events[i].sample - from, out.size(), events[i].message});
  }
  return out;
}

bool is_channel_or_sysex(const midi::Message& m) {
  return std::holds_alternative<midi::NoteOn>(m) || std::holds_alternative<midi::NoteOff>(m) ||
         std::holds_alternative<midi::PolyPressure>(m) ||
         std::holds_alternative<midi::ControlChange>(m) ||
         std::holds_alternative<midi::ProgramChange>(m) ||
         std::holds_alternative<midi::ChannelPressure>(m) ||
         std::holds_alternative<midi::PitchBend>(m) || std::holds_alternative<midi::SysEx>(m);
}

void send(fluid_synth_t* synth, const midi::Message& m) {
  if (const auto* on = std::get_if<midi::NoteOn>(&m)) {
    if (on->velocity == 0) {
      fluid_synth_noteoff(synth, on->channel, on->key);
    } else {
      fluid_synth_noteon(synth, on->channel, on->key, on->velocity);
    }
  } else if (const auto* off = std::get_if<midi::NoteOff>(&m)) {
    fluid_synth_noteoff(synth, off->channel, off->key);
  } else if (const auto* pp = std::get_if<midi::PolyPressure>(&m)) {
    fluid_synth_key_pressure(synth, pp->channel, pp->key, pp->pressure);
  } else if (const auto* cc = std::get_if<midi::ControlChange>(&m)) {
    fluid_synth_cc(synth, cc->channel, cc->controller, cc->value);
  } else if (const auto* pc = std::get_if<midi::ProgramChange>(&m)) {
    fluid_synth_program_change(synth, pc->channel, pc->program);
  } else if (const auto* cp = std::get_if<midi::ChannelPressure>(&m)) {
    fluid_synth_channel_pressure(synth, cp->channel, cp->pressure);
  } else if (const auto* pb = std::get_if<midi::PitchBend>(&m)) {
    fluid_synth_pitch_bend(synth, pb->channel, pb->value + 8192);
  } else if (const auto* sx = std::get_if<midi::SysEx>(&m)) {
    // FluidSynth wants the message without the F0 start and F7 end bytes.
    std::vector<std::uint8_t> data = sx->data;
    if (!data.empty() && data.back() == 0xF7) data.pop_back();
    if (!data.empty()) {
      fluid_synth_sysex(synth, reinterpret_cast<const char*>(data.data()),
                        static_cast<int>(data.size()), nullptr, nullptr, nullptr, 0);
    }
  }
}

struct SettingsDeleter {
  void operator()(fluid_settings_t* s) const { delete_fluid_settings(s); }
};
struct SynthDeleter {
  void operator()(fluid_synth_t* s) const { delete_fluid_synth(s); }
};

// A synth with the SoundFont loaded; reverb and chorus on (FluidSynth's defaults, which the
// SoundFont's presets then send to with their own amounts).
class Synth {
 public:
  static base::Result<Synth> make(const RenderOptions& options) {
    Synth s;
    s.settings_.reset(new_fluid_settings());
    if (!s.settings_) return make_error(ErrorKind::impossible, "cannot create FluidSynth settings");
    fluid_settings_setnum(s.settings_.get(), "synth.sample-rate", options.sample_rate);
    fluid_settings_setint(s.settings_.get(), "synth.reverb.active", 1);
    fluid_settings_setint(s.settings_.get(), "synth.chorus.active", 1);
    fluid_settings_setint(s.settings_.get(), "synth.cpu-cores", 1);
    // Offline: no voice is ever dropped for lack of time, so polyphony is the only limit.
    fluid_settings_setint(s.settings_.get(), "synth.polyphony", 1024);
    // Load only the samples of the presets a program change or bank select asks for (when the
    // preset is chosen, before its notes), not the SoundFont's 148 MB: the same samples play
    // (within -100 dBFS, see RenderOptions) and a cue of 16 parts loads a fraction of them
    // (docs/render.md, Speed).
    fluid_settings_setint(s.settings_.get(), "synth.dynamic-sample-loading",
                          options.load_used_samples_only ? 1 : 0);
    s.synth_.reset(new_fluid_synth(s.settings_.get()));
    if (!s.synth_) return make_error(ErrorKind::impossible, "cannot create a FluidSynth synth");
    const std::string path = options.soundfont.string();
    if (fluid_synth_sfload(s.synth_.get(), path.c_str(), 1) == FLUID_FAILED) {
      return make_error(ErrorKind::io, path,
                        ": FluidSynth cannot load this SoundFont (it is not an SF2/SF3 file or "
                        "is damaged); name another with --soundfont");
    }
    return s;
  }
  fluid_synth_t* get() const { return synth_.get(); }

 private:
  std::unique_ptr<fluid_settings_t, SettingsDeleter> settings_;
  std::unique_ptr<fluid_synth_t, SynthDeleter> synth_;
};

constexpr float kSilence = 3.1623e-5f;  // -90 dBFS

// Renders `events` (all for this synth) then the tail. `report(frames_done)` returns false to
// cancel.
base::Result<Audio> run_synth(fluid_synth_t* synth, const std::vector<TimedEvent>& events,
                              std::int64_t end_sample, const RenderOptions& options,
                              const std::function<bool(std::int64_t)>& report) {
  Audio audio;
  audio.sample_rate = options.sample_rate;
  audio.samples.reserve(static_cast<std::size_t>(end_sample + options.sample_rate * 2) * 2);
  constexpr std::int64_t kMaxBlock = 4096;  // frames per write call between events
  std::int64_t now = 0;
  std::int64_t next_report = 0;
  const std::int64_t report_every = options.sample_rate / 4;
  auto write = [&](std::int64_t frames) {
    const std::size_t at = audio.samples.size();
    audio.samples.resize(at + static_cast<std::size_t>(frames) * 2);
    float* out = audio.samples.data() + at;
    fluid_synth_write_float(synth, static_cast<int>(frames), out, 0, 2, out, 1, 2);
  };
  std::size_t i = 0;
  while (now < end_sample || i < events.size()) {
    while (i < events.size() && events[i].sample <= now)
      send(synth, events[i++].message);
    const std::int64_t target = i < events.size() ? events[i].sample : end_sample;
    while (now < target) {
      const std::int64_t n = std::min(kMaxBlock, target - now);
      write(n);
      now += n;
      if (now >= next_report) {
        if (!report(now)) return make_error(ErrorKind::impossible, "the render was cancelled");
        next_report = now + report_every;
      }
    }
  }
  // The tail: reverb and releases ring on; stop at a quiet 100 ms block or the bound.
  const std::int64_t block = std::max<std::int64_t>(1, options.sample_rate / 10);
  const auto max_tail =
      static_cast<std::int64_t>(std::max(0.0, options.max_tail_seconds) * options.sample_rate);
  for (std::int64_t tail = 0; tail < max_tail;) {
    const std::int64_t n = std::min(block, max_tail - tail);
    const std::size_t at = audio.samples.size();
    write(n);
    tail += n;
    float peak = 0;
    for (std::size_t k = at; k < audio.samples.size(); ++k) {
      peak = std::max(peak, std::abs(audio.samples[k]));
    }
    if (peak < kSilence) break;
  }
  return audio;
}

}  // namespace

std::string_view section_name(Section section) {
  switch (section) {
    case Section::strings:
      return "strings";
    case Section::woodwinds:
      return "woodwinds";
    case Section::brass:
      return "brass";
    case Section::percussion:
      return "percussion";
    case Section::harp_keys:
      return "harp_keys";
    case Section::choir:
      return "choir";
    case Section::synths:
      return "synths";
    case Section::other:
      return "other";
  }
  return "other";
}

Section section_of_program(int program) {
  if (program == 46) return Section::harp_keys;   // among GM's strings, its own stem in a score
  if (program == 47) return Section::percussion;  // timpani
  if (program >= 52 && program <= 54) return Section::choir;
  if (program == 50 || program == 51) return Section::synths;  // synth strings
  if (program >= 40 && program <= 55) return Section::strings;
  if (program >= 56 && program <= 63) return Section::brass;
  if (program >= 64 && program <= 79) return Section::woodwinds;
  if (program == 9 || (program >= 11 && program <= 14)) return Section::percussion;  // mallets
  if (program >= 112 && program <= 119) return Section::percussion;
  if (program >= 0 && program <= 23) return Section::harp_keys;
  if (program >= 80 && program <= 103) return Section::synths;
  return Section::other;
}

Section section_of(std::uint8_t channel, int program) {
  return channel == midi::kGmDrumChannel ? Section::percussion : section_of_program(program);
}

base::Result<RenderResult> render_midi(const midi::MidiFile& file, const RenderOptions& options) {
  if (options.sample_rate < 8000 || options.sample_rate > 192000) {
    return make_error(ErrorKind::out_of_range, "sample rate ", options.sample_rate,
                      " Hz is outside 8000..192000");
  }
  if (file.format == 2) {
    return make_error(ErrorKind::unsupported,
                      "this is a format 2 MIDI file (independent patterns, not one piece); "
                      "save it as format 0 or 1 to render it");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.soundfont, ec)) {
    // Only the default SoundFont comes from a Debian package; a SoundFont the user named is
    // their own file, so the advice is about its path.
    if (options.soundfont == std::filesystem::path(kDefaultSoundFont)) {
      return make_error(ErrorKind::io, "SoundFont ", options.soundfont.string(),
                        " not found; install the Debian package ", kDefaultSoundFontPackage,
                        " (apt-get install ", kDefaultSoundFontPackage,
                        ") or name an SF2/SF3 file with --soundfont");
    }
    return make_error(ErrorKind::io, "SoundFont ", options.soundfont.string(), " not found",
                      options.soundfont.is_relative() ? " in the current folder" : "",
                      "; check the file's name and folder, or leave out --soundfont for the "
                      "General MIDI one");
  }
  silence_fluidsynth();

  // Every track's channel events and SysEx on one sample clock (tick -> superclock -> sample).
  const midi::Timeline timeline = midi::Timeline::of(file);
  std::vector<TimedEvent> events;
  std::int64_t end_sample = 0;
  const auto sample_of = [&](std::int64_t tick) {
    const std::int64_t super = timeline.time_of_tick(tick).ticks();
    // Nearest sample. int64 holds super * rate for about 45 hours of music at 192 kHz.
    const std::int64_t num = super * options.sample_rate;
    return (num + time::kSuperclockPerSecond / 2) / time::kSuperclockPerSecond;
  };
  for (const midi::Track& track : file.tracks) {
    for (const midi::Event& e : track.events) {
      if (!is_channel_or_sysex(e.message)) continue;
      const std::int64_t s = sample_of(e.tick);
      events.push_back({s, events.size(), e.message});
      end_sample = std::max(end_sample, s);
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const TimedEvent& a, const TimedEvent& b) { return a.sample < b.sample; });

  RenderResult result;
  result.music_seconds = static_cast<double>(end_sample) / options.sample_rate;
  // The synth runs to `run_to` (from the first event it is given), then the tail, if any.
  std::int64_t run_to = end_sample;
  RenderOptions run_options = options;
  if (options.span) {
    // From the 64-frame block that holds it: FluidSynth applies events at the start of its next
    // block of 64 (FLUID_BUFSIZE, fluid_synth_get_internal_bufsize), counted from the synth's
    // first frame, so a span that starts on the whole render's block grid hears every event on
    // the same frame as the whole render does.
    constexpr std::int64_t kFluidBlock = 64;
    const std::int64_t from =
        std::max<std::int64_t>(0, options.span->from) / kFluidBlock * kFluidBlock;
    // An end at or past the last event is no end: the music and its tail are all heard.
    const std::int64_t to = options.span->to >= 0 && options.span->to < end_sample
                                ? std::max(from, options.span->to)
                                : -1;
    events = chase(events, from, to);
    result.first_frame = from;
    run_to = std::max<std::int64_t>(0, (to < 0 ? end_sample : to) - from);
    if (to >= 0) run_options.max_tail_seconds = 0;
  }

  // Which synths get which events. Without stems, one synth gets everything. With stems, every
  // synth gets every controller, program change, bend and SysEx (so each channel is in the same
  // state everywhere) and note-offs (harmless where the note is not sounding), but a note-on goes
  // only to the synth of the section its channel plays at that moment.
  std::vector<std::pair<Section, std::vector<TimedEvent>>> plans;
  if (!options.stems) {
    plans.push_back({Section::other, events});
  } else {
    std::array<int, 16> program{};
    std::array<std::vector<TimedEvent>, kSectionCount> per;
    std::array<bool, kSectionCount> plays{};
    for (const TimedEvent& e : events) {
      if (const auto* pc = std::get_if<midi::ProgramChange>(&e.message)) {
        program[pc->channel & 15] = pc->program;
      }
      const auto* on = std::get_if<midi::NoteOn>(&e.message);
      if (on != nullptr && on->velocity > 0) {
        const auto s = static_cast<std::size_t>(section_of(on->channel, program[on->channel & 15]));
        per[s].push_back(e);
        plays[s] = true;
      } else {
        for (auto& p : per)
          p.push_back(e);
      }
    }
    for (int s = 0; s < kSectionCount; ++s) {
      if (plays[static_cast<std::size_t>(s)]) {
        plans.push_back({static_cast<Section>(s), std::move(per[static_cast<std::size_t>(s)])});
      }
    }
  }

  const double total = static_cast<double>(std::max<std::int64_t>(1, run_to)) *
                       static_cast<double>(std::max<std::size_t>(1, plans.size()));
  std::vector<Audio> rendered;
  for (std::size_t p = 0; p < plans.size(); ++p) {
    auto synth = Synth::make(options);
    if (!synth) return synth.error();
    const auto report = [&](std::int64_t frames) {
      if (!options.progress) return true;
      const double done =
          static_cast<double>(p) * static_cast<double>(std::max<std::int64_t>(1, run_to)) +
          static_cast<double>(std::min(frames, std::max<std::int64_t>(1, run_to)));
      return options.progress(std::min(1.0, done / total));
    };
    auto audio = run_synth(synth->get(), plans[p].second, run_to, run_options, report);
    if (!audio) return audio.error();
    rendered.push_back(std::move(*audio));
  }

  // Stems end where their own tail fell silent; all are padded to the longest so they line up.
  std::size_t longest = 0;
  for (const Audio& a : rendered)
    longest = std::max(longest, a.samples.size());
  result.mix.sample_rate = options.sample_rate;
  result.mix.samples.assign(longest, 0.0f);
  for (std::size_t p = 0; p < rendered.size(); ++p) {
    rendered[p].samples.resize(longest, 0.0f);
    for (std::size_t k = 0; k < longest; ++k)
      result.mix.samples[k] += rendered[p].samples[k];
    if (options.stems) result.stems.push_back({plans[p].first, std::move(rendered[p])});
  }
  if (options.progress) options.progress(1.0);
  return result;
}

base::Result<Audio> render_click(const midi::MidiFile& file, std::size_t frames, int sample_rate) {
  if (file.division.kind != midi::Division::Kind::ppq) {
    return make_error(ErrorKind::unsupported,
                      "the MIDI file counts SMPTE frames, not beats, so it has no click");
  }
  std::int64_t last = -1;
  for (const midi::Track& track : file.tracks) {
    for (const midi::Event& e : track.events) {
      if (is_channel_or_sysex(e.message)) last = std::max(last, e.tick);
    }
  }
  if (last < 0) return make_error(ErrorKind::invalid_input, "the MIDI file has no events to click");
  const midi::Timeline timeline = midi::Timeline::of(file);
  const std::optional<time::BeatPos> end = timeline.beat_of(last);
  auto clicks = sync::click_events(timeline.tempo_map(), end.value_or(time::BeatPos(0)));
  if (!clicks) return clicks.error();
  auto mono = sync::render_clicks(*clicks, timeline.time_of_tick(0), {sample_rate});
  if (!mono) return mono.error();
  Audio audio;
  audio.sample_rate = sample_rate;
  audio.samples.assign(frames * 2, 0.0f);
  for (std::size_t f = 0; f < std::min(frames, mono->samples.size()); ++f) {
    audio.samples[2 * f] = mono->samples[f];
    audio.samples[2 * f + 1] = mono->samples[f];
  }
  return audio;
}

base::Result<WavWriter> WavWriter::open(const std::filesystem::path& path, int sample_rate) {
  auto file = base::AtomicFile::create(path);
  if (!file) return file.error();
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  SNDFILE* sf = sf_open(file->temp().c_str(), SFM_WRITE, &info);
  if (sf == nullptr) {
    return make_error(ErrorKind::io, path.string(),
                      ": cannot make the WAV file: ", sf_strerror(nullptr));
  }
  // Float beyond full scale becomes the largest 24-bit value instead of wrapping around.
  sf_command(sf, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  return WavWriter(std::move(*file), sf);
}

WavWriter::WavWriter(WavWriter&& other) noexcept
    : file_(std::move(other.file_)), sndfile_(other.sndfile_), frames_(other.frames_) {
  other.sndfile_ = nullptr;
}

WavWriter::~WavWriter() {
  if (sndfile_ != nullptr) sf_close(static_cast<SNDFILE*>(sndfile_));
}

base::Result<void> WavWriter::write(std::span<const float> interleaved) {
  const auto frames = static_cast<sf_count_t>(interleaved.size() / 2);
  if (sndfile_ == nullptr ||
      sf_writef_float(static_cast<SNDFILE*>(sndfile_), interleaved.data(), frames) != frames) {
    return make_error(ErrorKind::io, file_.path().string(), ": cannot write the WAV file (",
                      sndfile_ ? sf_strerror(static_cast<SNDFILE*>(sndfile_)) : "closed", ")");
  }
  frames_ += static_cast<std::size_t>(frames);
  return {};
}

base::Result<void> WavWriter::finish() {
  if (sndfile_ == nullptr) {
    return make_error(ErrorKind::io, file_.path().string(), ": the WAV file is already closed");
  }
  const int closed = sf_close(static_cast<SNDFILE*>(sndfile_));
  sndfile_ = nullptr;
  if (closed != 0) {
    return make_error(ErrorKind::io, file_.path().string(), ": cannot finish the WAV file");
  }
  return file_.commit();
}

base::Result<void> write_wav(const std::filesystem::path& path, const Audio& audio) {
  auto writer = WavWriter::open(path, audio.sample_rate);
  if (!writer) return writer.error();
  if (auto ok = writer->write(audio.samples); !ok) return ok.error();
  return writer->finish();
}

base::Result<Audio> read_audio(const std::filesystem::path& path) {
  auto bytes = base::read_file(path, std::uintmax_t{4} << 30);
  if (!bytes) return bytes.error();
  auto audio = decode_audio(*bytes);
  if (!audio) return audio.error().with_context(path.string());
  return audio;
}

base::Result<Audio> decode_audio(std::span<const std::uint8_t> bytes) {
  sync::SoundMemory memory{std::vector<std::uint8_t>(bytes.begin(), bytes.end()), 0};
  SF_VIRTUAL_IO io = sync::sound_memory_io();
  SF_INFO info{};
  SNDFILE* sf = sf_open_virtual(&io, SFM_READ, &info, &memory);
  if (sf == nullptr) {
    return make_error(ErrorKind::invalid_input, "not an audio file libsndfile reads (",
                      sf_strerror(nullptr), ")");
  }
  if (info.channels < 1 || info.channels > 2) {
    sf_close(sf);
    return make_error(ErrorKind::unsupported, "the audio has ", info.channels,
                      " channels; only mono and stereo are read");
  }
  // Read in chunks until the end: a header's frame count is not trusted for the allocation.
  std::vector<float> raw;
  std::vector<float> chunk(static_cast<std::size_t>(65536 * info.channels));
  for (;;) {
    const sf_count_t got = sf_readf_float(sf, chunk.data(), 65536);
    if (got <= 0) break;
    raw.insert(raw.end(), chunk.begin(), chunk.begin() + got * info.channels);
  }
  sf_close(sf);
  Audio audio;
  audio.sample_rate = info.samplerate;
  if (info.channels == 2) {
    audio.samples = std::move(raw);
  } else {
    audio.samples.reserve(raw.size() * 2);
    for (float x : raw) {
      audio.samples.push_back(x);
      audio.samples.push_back(x);
    }
  }
  return audio;
}

}  // namespace duet::render
