#include "sync/markers.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "time/timecode.h"

namespace duet::sync {

std::string streamer_csv(const std::vector<Streamer>& streamers, const time::FrameRate& rate) {
  const auto tc = [&](time::TimePos t) { return time::label_at(t, rate); };
  std::string out =
      "timecode,frame,kind,colour,label,position,streamer_start,punch_frames,flutters\n";
  for (const Streamer& s : streamers) {
    std::string flutters;
    for (time::TimePos f : s.flutters)
      flutters += (flutters.empty() ? "" : " ") + tc(f);
    const std::int64_t punch = (s.punch_end - s.at).ticks() / rate.frame_duration().ticks();
    out += tc(s.at) + "," + std::to_string(time::frame_at(s.at, rate)) + "," +
           std::string(streamer_kind_name(s.kind)) + "," + std::string(colour_name(s.colour)) +
           "," + base::csv_field(s.label) + "," + s.position.to_string() + "," + tc(s.sweep_start) +
           "," + std::to_string(punch) + "," + flutters + "\n";
  }
  return out;
}

base::Result<std::vector<std::uint8_t>> streamer_midi(const std::vector<Streamer>& streamers,
                                                      const time::TempoMap& map,
                                                      const MarkerMidiOptions& options) {
  if (streamers.empty()) {
    return base::make_error(base::ErrorKind::invalid_input, "there are no streamers to write");
  }
  const int ppq = options.ticks_per_quarter;
  time::BeatPos last(0);
  for (const Streamer& s : streamers) {
    if (s.at < map.origin()) {
      return base::make_error(base::ErrorKind::out_of_range, "the streamer '", s.label,
                              "' comes before bar 1 of the tempo map; a MIDI file cannot hold it");
    }
    last = std::max(last, map.beats_at(s.at));
  }
  midi::ConductorOptions conductor_options;
  conductor_options.ticks_per_quarter = ppq;
  conductor_options.track_name = options.track_name;
  conductor_options.rate = options.rate;
  // Markers fall anywhere in a ramp, not only on beats: 64th-note tempo steps keep each within
  // about 0.1 ms of its exact time (16th steps: about 1 ms).
  conductor_options.ramp_step = time::BeatDur(120);
  auto track = midi::conductor_track(map, last + time::quarters(4), conductor_options);
  if (!track) return track.error();
  for (const Streamer& s : streamers) {
    std::string colour(colour_name(s.colour));
    std::transform(colour.begin(), colour.end(), colour.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    midi::insert_event(*track, {midi::tick_of_beat(map.beats_at(s.at), ppq),
                                midi::Text{midi::TextKind::marker,
                                           colour + " " + std::string(streamer_kind_name(s.kind)) +
                                               ": " + s.label}});
  }
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = static_cast<std::uint16_t>(std::clamp(ppq, 1, 32767));
  file.tracks.push_back(std::move(*track));
  return midi::write_smf(file);
}

}  // namespace duet::sync
