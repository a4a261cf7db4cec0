#include "sync/click.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <numeric>

#include "midi/gm.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "sync/sound_memory.h"

namespace duet::sync {
namespace {

using base::ErrorKind;
using base::make_error;
using time::BeatDur;
using time::BeatPos;
using time::TimePos;

// A guard against a span typed in error (a click every tick for an hour): 2 million clicks is
// over 4 hours of 32nd notes at 240.
constexpr std::size_t kMaxClicks = 2'000'000;
// Longest audio rendered: two hours (691 MB of floats at 48 kHz would be a mistake).
constexpr std::int64_t kMaxSeconds = 2 * 3600;

std::string subdivision_name(Subdivision s) {
  switch (s.note_value) {
    case 0:
      return "none";
    case 8:
      return "8th";
    case 16:
      return "16th";
    case 32:
      return "32nd";
    case 12:
      return "8th-triplet";
    case 24:
      return "16th-triplet";
    default:
      return "1/" + std::to_string(s.note_value);
  }
}

}  // namespace

std::string_view click_kind_name(ClickKind kind) {
  switch (kind) {
    case ClickKind::downbeat:
      return "downbeat";
    case ClickKind::beat:
      return "beat";
    case ClickKind::subdivision:
      return "subdivision";
  }
  return "beat";
}

base::Result<Subdivision> parse_subdivision(std::string_view text) {
  std::string t;
  for (char c : text) {
    if (c != ' ') t += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (t == "none" || t == "off" || t.empty()) return Subdivision{0};
  if (t == "8th" || t == "8") return Subdivision{8};
  if (t == "16th" || t == "16") return Subdivision{16};
  if (t == "32nd" || t == "32") return Subdivision{32};
  if (t == "8th-triplet" || t == "triplet" || t == "12") return Subdivision{12};
  if (t == "16th-triplet" || t == "24") return Subdivision{24};
  if (t.size() > 2 && t.starts_with("1/")) {
    int n = 0;
    for (char c : t.substr(2)) {
      if (c < '0' || c > '9' || n > 7680) {
        n = -1;
        break;
      }
      n = n * 10 + (c - '0');
    }
    if (n > 0 && n <= 7680 && 7680 % n == 0) return Subdivision{n};
  }
  return make_error(ErrorKind::invalid_input, "subdivision '", text,
                    "' is not one of none, 8th, 16th, 32nd, 8th-triplet, 16th-triplet or 1/n with "
                    "n dividing 7680");
}

base::Result<std::vector<Click>> click_events(const time::TempoMap& map, BeatPos end,
                                              const ClickOptions& options) {
  if (options.count_in_bars < 0 || options.count_in_bars > 16) {
    return make_error(ErrorKind::out_of_range, "count-off of ", options.count_in_bars,
                      " bars is outside 0 to 16");
  }
  const time::MeterMap& meters = map.meters();
  if (end < meters.bar_start(options.first_bar)) {
    return make_error(ErrorKind::out_of_range, "the click's end (", map.bbt_at(end).to_string(),
                      ") is before its first bar (", options.first_bar, ")");
  }
  const BeatDur grid = options.subdivide.grid();
  std::vector<Click> clicks;
  const auto add = [&](BeatPos b, ClickKind kind, bool count_in) -> base::Result<void> {
    if (clicks.size() >= kMaxClicks) {
      return make_error(ErrorKind::out_of_range, "the click would have over ", kMaxClicks,
                        " clicks; check the cue's length and the subdivision");
    }
    clicks.push_back({b, map.time_at(b), kind, count_in});
    return {};
  };
  for (std::int64_t bar = options.first_bar - options.count_in_bars;; ++bar) {
    const BeatPos bar_start = meters.bar_start(bar);
    if (bar_start > end) break;
    const BeatPos bar_end = meters.bar_start(bar + 1);
    const time::Meter meter = map.meter_at(bar_start);
    const bool count_in = bar < options.first_bar;
    const BeatDur beat = meter.beat_length();
    const bool subdivide = !count_in && !options.subdivide.none() && grid < beat;
    if (subdivide && beat.ticks() % grid.ticks() != 0) {
      return make_error(ErrorKind::invalid_input, "the ", subdivision_name(options.subdivide),
                        " subdivision does not divide the beat of ", meter.to_string(), " (bar ",
                        bar, "); choose one that does");
    }
    for (BeatPos b = bar_start; b < bar_end && b <= end; b += beat) {
      if (auto ok = add(b, b == bar_start ? ClickKind::downbeat : ClickKind::beat, count_in); !ok)
        return ok.error();
      if (!subdivide) continue;
      for (BeatPos s = b + grid; s < b + beat && s < bar_end && s <= end; s += grid) {
        if (auto ok = add(s, ClickKind::subdivision, false); !ok) return ok.error();
      }
    }
  }
  return clicks;
}

base::Result<time::TempoMap> with_lead_in(const time::TempoMap& map, BeatDur lead) {
  if (lead < BeatDur(0)) {
    return make_error(ErrorKind::invalid_input, "a lead-in cannot be negative");
  }
  if (lead == BeatDur(0)) return map;
  const auto& first = map.tempo_changes().front();
  std::vector<time::TempoChange> tempos{{BeatPos(0), first.tempo, time::Ramp::none}};
  // The map's own first change stays unless it repeats the lead-in (same tempo, no ramp).
  for (const auto& c : map.tempo_changes()) {
    if (c.at == BeatPos(0) && c.ramp == time::Ramp::none) continue;
    tempos.push_back({c.at + lead, c.tempo, c.ramp});
  }
  const time::Meter first_meter = map.meters().changes().front().meter;
  std::vector<time::MeterChange> meter_changes{{BeatPos(0), first_meter}};
  for (const auto& c : map.meters().changes()) {
    // A repeated first meter is needed only to start a bar where the lead-in's last is short.
    if (c.at == BeatPos(0) && lead.ticks() % first_meter.bar_length().ticks() == 0) continue;
    meter_changes.push_back({c.at + lead, c.meter});
  }
  auto meters = time::MeterMap::create(std::move(meter_changes));
  if (!meters) return meters.error();
  // Before beat 0 the map runs its first tempo backwards unramped, and rounds symmetrically, so
  // the new map's segment at `lead` starts exactly at map.origin().
  return time::TempoMap::create(std::move(tempos), std::move(*meters),
                                map.time_at(BeatPos(0) - lead));
}

std::vector<midi::Note> click_notes(const std::vector<Click>& clicks, int ticks_per_quarter,
                                    BeatDur lead) {
  std::vector<midi::Note> notes;
  notes.reserve(clicks.size());
  for (const Click& c : clicks) {
    std::uint8_t key = kBeatKey, velocity = 90;
    if (c.kind == ClickKind::downbeat) key = kDownbeatKey, velocity = 120;
    if (c.kind == ClickKind::subdivision) key = kSubdivisionKey, velocity = 60;
    notes.push_back({midi::kGmDrumChannel, key, velocity, 0,
                     midi::tick_of_beat(c.position + lead, ticks_per_quarter),
                     std::max<std::int64_t>(1, ticks_per_quarter / 8)});
  }
  return notes;
}

base::Result<std::vector<std::uint8_t>> click_midi(const time::TempoMap& map,
                                                   const std::vector<Click>& clicks,
                                                   const ClickMidiOptions& options) {
  const int ppq = options.ticks_per_quarter;
  if (ppq < 1 || ppq > 32767) {
    return make_error(ErrorKind::out_of_range, "MIDI resolution ", ppq,
                      " ticks per quarter is outside 1 to 32767");
  }
  if (clicks.empty()) return make_error(ErrorKind::invalid_input, "there are no clicks to write");
  // MIDI ticks cannot be negative: count-off bars before beat 0 become bars in front of the map.
  const BeatDur lead(std::max<std::int64_t>(0, -clicks.front().position.ticks()));
  auto file_map = with_lead_in(map, lead);
  if (!file_map) return file_map.error();
  const auto tick = [&](BeatPos b) { return midi::tick_of_beat(b + lead, ppq); };

  // Ramps are written as tempo steps; each step ends within a microsecond of the exact ramp.
  // Steps of the largest size that divides every click's offset from every tempo change put
  // every click on a step boundary (a 16th at most; at least a 64th-note triplet, 60 ticks).
  std::int64_t step = 480;
  for (const auto& c : file_map->tempo_changes())
    step = std::gcd(step, c.at.ticks());
  for (const auto& c : file_map->meters().changes()) {
    step = std::gcd(step, c.at.ticks());
    step = std::gcd(step, c.meter.beat_length().ticks());
  }
  for (const Click& c : clicks)
    step = std::gcd(step, (c.position + lead).ticks());
  midi::ConductorOptions conductor_options;
  conductor_options.ticks_per_quarter = ppq;
  conductor_options.ramp_step = BeatDur(std::max<std::int64_t>(step, 60));
  conductor_options.track_name = options.track_name + " tempo map";
  conductor_options.rate = options.rate;
  const BeatPos last = clicks.back().position + lead;
  auto conductor = midi::conductor_track(*file_map, last + time::quarters(1), conductor_options);
  if (!conductor) return conductor.error();
  if (lead > BeatDur(0)) {
    midi::insert_event(*conductor, {0, midi::Text{midi::TextKind::marker, "count-in"}});
  }
  for (const Click& c : clicks) {
    if (!c.count_in) {
      midi::insert_event(
          *conductor,
          {tick(c.position), midi::Text{midi::TextKind::marker,
                                        "bar " + std::to_string(map.bbt_at(c.position).bar)}});
      break;
    }
  }

  const std::vector<midi::Note> notes = click_notes(clicks, ppq, lead);
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = static_cast<std::uint16_t>(ppq);
  file.tracks.push_back(std::move(*conductor));
  file.tracks.push_back(midi::track_from_notes(options.track_name, midi::kGmDrumChannel, 0, notes));
  return midi::write_smf(file);
}

std::int64_t sample_at(TimePos at, TimePos start, int sample_rate) {
  const std::int64_t per_sample = time::kSuperclockPerSecond / sample_rate;
  const std::int64_t d = (at - start).ticks() + per_sample / 2;  // halves go later
  return d >= 0 ? d / per_sample : -((-d + per_sample - 1) / per_sample);
}

base::Result<ClickAudio> render_clicks(const std::vector<Click>& clicks, TimePos start,
                                       const ClickAudioOptions& options) {
  const int sr = options.sample_rate;
  if (sr != 44100 && sr != 48000 && sr != 88200 && sr != 96000 && sr != 192000) {
    return make_error(ErrorKind::unsupported, "sample rate ", sr,
                      " Hz is not one of 44100, 48000, 88200, 96000 or 192000");
  }
  ClickAudio audio;
  audio.start = start;
  audio.sample_rate = sr;
  const auto tail = static_cast<std::int64_t>(sr / 10);  // 100 ms
  std::int64_t length = tail;
  for (const Click& c : clicks) {
    if (c.at < start) {
      return make_error(ErrorKind::invalid_input, "a click at ", time::seconds(c.at),
                        " s is before the start of the audio (", time::seconds(start), " s)");
    }
    length = std::max(length, sample_at(c.at, start, sr) + tail);
  }
  if (length > kMaxSeconds * sr) {
    return make_error(ErrorKind::out_of_range, "the click track would last over ",
                      kMaxSeconds / 3600, " hours; check the cue's length");
  }
  audio.samples.assign(static_cast<std::size_t>(length), 0.0f);

  // One burst per kind, computed once: cos(2 pi f t) e^(-t / 7 ms), so sample 0 is the peak.
  struct Sound {
    double hz, amplitude, seconds;
  };
  const auto burst = [sr](Sound s) {
    std::vector<float> out(static_cast<std::size_t>(s.seconds * sr));
    for (std::size_t i = 0; i < out.size(); ++i) {
      const double t = static_cast<double>(i) / sr;
      out[i] = static_cast<float>(s.amplitude * std::exp(-t / 0.007) *
                                  std::cos(2 * std::numbers::pi * s.hz * t));
    }
    return out;
  };
  const std::vector<float> sounds[] = {burst({1760, 0.9, 0.040}), burst({1320, 0.7, 0.040}),
                                       burst({2640, 0.35, 0.020})};
  for (const Click& c : clicks) {
    const std::vector<float>& s = sounds[static_cast<int>(c.kind)];
    const auto at = static_cast<std::size_t>(sample_at(c.at, start, sr));
    const std::size_t n = std::min(s.size(), audio.samples.size() - at);
    for (std::size_t i = 0; i < n; ++i)
      audio.samples[at + i] += s[i];
  }
  for (float& x : audio.samples)
    x = std::clamp(x, -1.0f, 1.0f);
  return audio;
}

base::Result<std::vector<std::uint8_t>> click_wav(const ClickAudio& audio) {
  SoundMemory memory;
  SF_VIRTUAL_IO io = sound_memory_io();
  SF_INFO info{};
  info.samplerate = audio.sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  SNDFILE* file = sf_open_virtual(&io, SFM_WRITE, &info, &memory);
  if (file == nullptr) {
    return make_error(ErrorKind::io, "cannot make the WAV file: ", sf_strerror(nullptr));
  }
  if (audio.start >= TimePos(0)) {
    SF_BROADCAST_INFO bext{};
    const std::string description = "duet click track";
    std::memcpy(bext.description, description.data(), description.size());
    std::memcpy(bext.originator, "duet", 4);
    const auto reference = static_cast<std::uint64_t>(
        sample_at(audio.start, TimePos(0), audio.sample_rate));  // samples since 00:00:00:00
    bext.time_reference_low = static_cast<std::uint32_t>(reference & 0xffffffffu);
    bext.time_reference_high = static_cast<std::uint32_t>(reference >> 32);
    sf_command(file, SFC_SET_BROADCAST_INFO, &bext, sizeof(bext));
  }
  // 24-bit values in the top of 32-bit ints, rounded here so that the file does not depend on
  // libsndfile's float conversion.
  std::vector<int> pcm(audio.samples.size());
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int>(std::lround(static_cast<double>(audio.samples[i]) * 8388607.0)) * 256;
  }
  const sf_count_t written = sf_write_int(file, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  const int closed = sf_close(file);
  if (written != static_cast<sf_count_t>(pcm.size()) || closed != 0) {
    return make_error(ErrorKind::io, "cannot make the WAV file: libsndfile wrote ", written, " of ",
                      pcm.size(), " samples");
  }
  return std::move(memory.bytes);
}

}  // namespace duet::sync
