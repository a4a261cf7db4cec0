#include "midi/timing.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace duet::midi {
namespace {

using base::Warning;
using time::BeatDur;
using time::BeatPos;
using time::kTicksPerQuarter;
using time::Rational;

void warn(std::vector<Warning>* warnings, std::string message) {
  if (warnings) warnings->push_back(Warning{std::move(message)});
}

// SMPTE division: frames per second as a rational (29 means 29.97 drop-frame).
Rational smpte_fps(std::uint8_t code) {
  return code == 29 ? Rational(30000, 1001) : Rational(code);
}

}  // namespace

BeatPos beat_of_tick(std::int64_t tick, int ticks_per_quarter) {
  return BeatPos(time::mul_div_round(tick, kTicksPerQuarter, ticks_per_quarter));
}

std::int64_t tick_of_beat(BeatPos position, int ticks_per_quarter) {
  return time::mul_div_round(position.ticks(), ticks_per_quarter, kTicksPerQuarter);
}

Timeline Timeline::of(const MidiFile& file, std::vector<Warning>* warnings) {
  if (file.division.kind == Division::Kind::smpte) {
    return Timeline(file.division, time::TempoMap());
  }
  const int ppq = file.division.ticks_per_quarter;
  // Later events at the same tick win, as they would in a sequencer.
  std::map<std::int64_t, time::Tempo> tempos;
  std::map<std::int64_t, time::Meter> meters;
  const std::size_t tracks =
      file.format == 2 ? std::min<std::size_t>(1, file.tracks.size()) : file.tracks.size();
  for (std::size_t t = 0; t < tracks; ++t) {
    for (const Event& e : file.tracks[t].events) {
      if (const auto* tempo = std::get_if<SetTempo>(&e.message)) {
        Rational qpm(60'000'000, std::max<std::uint32_t>(1, tempo->microseconds_per_quarter));
        const Rational clamped =
            std::clamp(qpm, time::kMinQuartersPerMinute, time::kMaxQuartersPerMinute);
        if (clamped != qpm) {
          warn(warnings,
               base::cat("track ", t, " tick ", e.tick, ": tempo of ",
                         tempo->microseconds_per_quarter,
                         " microseconds per quarter is outside what duet handles; read as ",
                         clamped.to_decimal(3), " quarters per minute"));
        }
        tempos[e.tick] = time::Tempo::quarters_per_minute(clamped);
      } else if (const auto* sig = std::get_if<TimeSignature>(&e.message)) {
        const int denominator = sig->denominator_power <= 6 ? 1 << sig->denominator_power : 0;
        auto meter = time::make_meter(sig->numerator, denominator);
        if (!meter) {
          warn(warnings, base::cat("track ", t, " tick ", e.tick,
                                   ": time signature skipped: ", meter.error().message));
          continue;
        }
        meters[e.tick] = *meter;
      }
    }
  }
  // SMF defaults before the first events: 120 quarters per minute and 4/4.
  if (!tempos.contains(0)) tempos.emplace(0, time::Tempo{});
  if (!meters.contains(0)) meters.emplace(0, time::Meter{});

  std::vector<time::MeterChange> meter_changes;
  for (const auto& [tick, meter] : meters) {
    const BeatPos at = beat_of_tick(tick, ppq);
    if (!meter_changes.empty() && meter_changes.back().at == at) {
      meter_changes.back().meter = meter;  // ticks that round to one beat tick (odd PPQs)
    } else {
      meter_changes.push_back({at, meter});
    }
  }
  std::vector<time::TempoChange> tempo_changes;
  for (const auto& [tick, tempo] : tempos) {
    const BeatPos at = beat_of_tick(tick, ppq);
    if (!tempo_changes.empty() && tempo_changes.back().at == at) {
      tempo_changes.back().tempo = tempo;
    } else {
      tempo_changes.push_back({at, tempo, time::Ramp::none});
    }
  }
  // Both lists start at 0, strictly increase and hold valid values, so neither can fail.
  auto meter_map = time::MeterMap::create(std::move(meter_changes));
  auto map = time::TempoMap::create(std::move(tempo_changes), meter_map.value());
  return Timeline(file.division, std::move(map).value());
}

time::TimePos Timeline::time_of_tick(std::int64_t tick) const {
  if (division_.kind == Division::Kind::smpte) {
    // tick / (fps * ticks_per_frame) seconds, exactly.
    const Rational ticks_per_second =
        smpte_fps(division_.smpte_fps) * Rational(division_.ticks_per_frame);
    return time::TimePos(time::mul_div_round(
        tick, time::kSuperclockPerSecond * ticks_per_second.den(), ticks_per_second.num()));
  }
  return map_.time_at(beat_of_tick(tick, division_.ticks_per_quarter));
}

std::optional<BeatPos> Timeline::beat_of(std::int64_t tick) const {
  if (!has_beats()) return std::nullopt;
  return beat_of_tick(tick, division_.ticks_per_quarter);
}

std::optional<SmpteStart> smpte_start(const MidiFile& file) {
  if (file.tracks.empty()) return std::nullopt;
  for (const Event& e : file.tracks.front().events) {
    const auto* offset = std::get_if<SmpteOffset>(&e.message);
    if (offset == nullptr) continue;
    const int code = (offset->hours_and_rate >> 5) & 0x3;
    const time::FrameRate rate = code == 0   ? time::FrameRate::fps24()
                                 : code == 1 ? time::FrameRate::fps25()
                                 : code == 2 ? time::FrameRate::fps29_97(true)
                                             : time::FrameRate::fps30();
    const time::Timecode tc{offset->hours_and_rate & 0x1F, offset->minutes, offset->seconds,
                            offset->frames};
    if (!time::validate(tc, rate)) return std::nullopt;
    // Fractional frames are hundredths of a frame.
    const time::TimePos start =
        time::to_time(tc, rate) + time::TimeDur(rate.frame_duration().ticks() *
                                                std::min<int>(offset->fractional_frames, 99) / 100);
    return SmpteStart{rate, start};
  }
  return std::nullopt;
}

std::optional<time::TimePos> smpte_start_at(const MidiFile& file, const time::FrameRate& rate) {
  const auto start = smpte_start(file);
  if (!start) return std::nullopt;
  if (start->rate.nominal() != rate.nominal()) return start->position;
  for (const Event& e : file.tracks.front().events) {
    const auto* offset = std::get_if<SmpteOffset>(&e.message);
    if (offset == nullptr) continue;
    const time::Timecode tc{offset->hours_and_rate & 0x1F, offset->minutes, offset->seconds,
                            offset->frames};
    if (!time::validate(tc, rate)) return start->position;
    const std::int64_t fraction = std::min<int>(offset->fractional_frames, 99);
    return time::to_time(tc, rate) + time::TimeDur(rate.frame_duration().ticks() * fraction / 100);
  }
  return start->position;
}

SmpteOffset smpte_offset_at(time::TimePos position, const time::FrameRate& rate) {
  const std::int64_t frame = time::frame_at(position, rate);
  const time::Timecode tc = time::from_frames(frame, rate);
  const std::int64_t into_frame = (position - time::time_of_frame(frame, rate)).ticks();
  const int fraction =
      static_cast<int>(into_frame * 100 / rate.frame_duration().ticks());  // hundredths
  int code = 3;                                                            // 30
  if (rate.nominal() == 24) code = 0;
  if (rate.nominal() == 25) code = 1;
  if (rate.drop_frame() && rate.nominal() == 30) code = 2;
  return SmpteOffset{static_cast<std::uint8_t>((code << 5) | tc.hours),
                     static_cast<std::uint8_t>(tc.minutes), static_cast<std::uint8_t>(tc.seconds),
                     static_cast<std::uint8_t>(tc.frames), static_cast<std::uint8_t>(fraction)};
}

void insert_event(Track& track, Event event) {
  const auto it = std::upper_bound(track.events.begin(), track.events.end(), event.tick,
                                   [](std::int64_t tick, const Event& e) { return tick < e.tick; });
  track.end_tick = std::max(track.end_tick, event.tick);
  track.events.insert(it, std::move(event));
}

base::Result<Track> conductor_track(const time::TempoMap& map, BeatPos end,
                                    const ConductorOptions& options) {
  const int ppq = options.ticks_per_quarter;
  if (ppq < 1 || ppq > 32767) {
    return base::make_error(base::ErrorKind::out_of_range,
                            "a conductor track needs 1 to 32767 "
                            "ticks per quarter, not ",
                            ppq);
  }
  Track track;
  if (!options.track_name.empty()) {
    track.events.push_back({0, Text{TextKind::track_name, options.track_name}});
  }
  if (options.rate) {
    track.events.push_back({0, smpte_offset_at(map.origin(), *options.rate)});
  }
  for (const time::MeterChange& c : map.meters().changes()) {
    if (c.at > end) break;
    std::uint8_t power = 0;
    while ((1 << power) < c.meter.denominator)
      ++power;
    // A metronome click per beat: 24 MIDI clocks per quarter.
    const int clocks = std::max(1, 96 / c.meter.denominator);
    track.events.push_back(
        {tick_of_beat(c.at, ppq), TimeSignature{static_cast<std::uint8_t>(c.meter.numerator), power,
                                                static_cast<std::uint8_t>(clocks), 8}});
  }
  // Tempo events: one per constant segment, one per step of a ramp. `carried_us` is the exact
  // time not yet written (µs), so rounding to whole microseconds does not accumulate.
  const auto& changes = map.tempo_changes();
  double carried_us = 0;
  std::vector<Event> tempo_events;
  const auto write = [&](BeatPos from, BeatPos to) {
    const double quarters = static_cast<double>((to - from).ticks()) / kTicksPerQuarter;
    const double exact_us = time::microseconds(map.time_at(to) - map.time_at(from));
    const double per_quarter = (exact_us + carried_us) / quarters;
    const auto written = static_cast<std::uint32_t>(
        std::clamp<double>(static_cast<double>(std::llround(per_quarter)), 1.0, 16'777'215.0));
    carried_us += exact_us - static_cast<double>(written) * quarters;
    tempo_events.push_back({tick_of_beat(from, ppq), SetTempo{written}});
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const BeatPos from = changes[i].at;
    if (i > 0 && from > end) break;
    // The span this change governs: to the next change, or past the end by at least a quarter.
    const BeatPos to =
        i + 1 < changes.size() ? changes[i + 1].at : std::max(end, from + time::quarters(1));
    if (changes[i].ramp == time::Ramp::none) {
      write(from, to);
      continue;
    }
    const BeatDur step = std::max(options.ramp_step, BeatDur(1));
    const BeatPos stop = std::min(to, std::max(end, from + BeatDur(1)));
    for (BeatPos b = from; b < stop; b += step)
      write(b, std::min(b + step, to));
  }
  for (Event& e : tempo_events)
    insert_event(track, std::move(e));
  track.end_tick = std::max(track.end_tick, tick_of_beat(end, ppq));
  return track;
}

Track track_from_notes(const std::string& name, std::uint8_t channel, std::uint8_t program,
                       const std::vector<Note>& notes) {
  Track track;
  if (!name.empty()) track.events.push_back({0, Text{TextKind::track_name, name}});
  if (channel != 9) track.events.push_back({0, ProgramChange{channel, program}});
  // At one tick: note-offs, then note-ons, then the offs of zero-length notes (which must follow
  // their own on).
  struct Pending {
    std::int64_t tick;
    int order;
    Message message;
  };
  std::vector<Pending> pending;
  pending.reserve(notes.size() * 2);
  for (const Note& n : notes) {
    pending.push_back({n.start, 1, NoteOn{n.channel, n.key, n.velocity}});
    pending.push_back(
        {n.start + n.duration, n.duration == 0 ? 2 : 0, NoteOff{n.channel, n.key, n.off_velocity}});
  }
  std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    return a.tick != b.tick ? a.tick < b.tick : a.order < b.order;
  });
  for (Pending& p : pending) {
    track.events.push_back({p.tick, std::move(p.message)});
    track.end_tick = std::max(track.end_tick, p.tick);
  }
  return track;
}

}  // namespace duet::midi
