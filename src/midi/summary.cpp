#include "midi/summary.h"

#include <algorithm>
#include <array>
#include <set>

namespace duet::midi {
namespace {

// The channel of a channel message, if it is one.
std::optional<int> channel_of(const Message& m) {
  return std::visit(
      [](const auto& msg) -> std::optional<int> {
        if constexpr (requires { msg.channel; }) {
          using T = std::decay_t<decltype(msg)>;
          if constexpr (!std::is_same_v<T, ChannelPrefix>) return msg.channel;
        }
        return std::nullopt;
      },
      m);
}

}  // namespace

std::string key_name(const KeySignature& key) {
  // Circle of fifths from 7 flats to 7 sharps.
  static constexpr std::array<const char*, 15> kMajor{"Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C",
                                                      "G",  "D",  "A",  "E",  "B",  "F#", "C#"};
  static constexpr std::array<const char*, 15> kMinor{"Ab", "Eb", "Bb", "F",  "C",  "G",  "D", "A",
                                                      "E",  "B",  "F#", "C#", "G#", "D#", "A#"};
  const int index = std::clamp<int>(key.sharps, -7, 7) + 7;
  return std::string(key.minor ? kMinor[static_cast<std::size_t>(index)]
                               : kMajor[static_cast<std::size_t>(index)]) +
         (key.minor ? " minor" : " major");
}

FileSummary summarize(const MidiFile& file) {
  std::vector<base::Warning> warnings;
  Timeline timeline = Timeline::of(file, &warnings);
  FileSummary s{file.format, file.division,     {}, 0, 0, time::TimeDur(0), timeline, {},
                {},          smpte_start(file), {}};
  for (std::size_t t = 0; t < file.tracks.size(); ++t) {
    const Track& track = file.tracks[t];
    TrackSummary ts;
    ts.index = t;
    ts.events = track.events.size();
    ts.end_tick = track.end_tick;
    std::set<int> channels;
    for (const Event& e : track.events) {
      if (const auto* text = std::get_if<Text>(&e.message)) {
        if (text->kind == TextKind::track_name && ts.name.empty()) ts.name = text->text;
        if (text->kind == TextKind::instrument_name && ts.instrument.empty()) {
          ts.instrument = text->text;
        }
        if (text->kind == TextKind::marker || text->kind == TextKind::cue_point) {
          s.markers.push_back({e.tick, text->kind, text->text});
        }
      } else if (const auto* program = std::get_if<ProgramChange>(&e.message)) {
        if (std::find(ts.programs.begin(), ts.programs.end(), program->program) ==
            ts.programs.end()) {
          ts.programs.push_back(program->program);
        }
      } else if (const auto* key = std::get_if<KeySignature>(&e.message)) {
        s.keys.push_back({e.tick, *key});
      }
      if (auto channel = channel_of(e.message)) channels.insert(*channel);
    }
    const std::vector<Note> notes = pair_notes(track, &warnings);
    ts.notes = notes.size();
    for (const Note& n : notes) {
      if (ts.lowest_key < 0 || n.key < ts.lowest_key) ts.lowest_key = n.key;
      ts.highest_key = std::max<int>(ts.highest_key, n.key);
    }
    ts.channels.assign(channels.begin(), channels.end());
    s.notes += ts.notes;
    s.end_tick = std::max(s.end_tick, track.end_tick);
    s.tracks.push_back(std::move(ts));
  }
  const auto by_tick = [](const auto& a, const auto& b) { return a.tick < b.tick; };
  std::stable_sort(s.markers.begin(), s.markers.end(), by_tick);
  std::stable_sort(s.keys.begin(), s.keys.end(), by_tick);
  s.duration = s.timeline.time_of_tick(s.end_tick) - s.timeline.time_of_tick(0);
  s.warnings = std::move(warnings);
  return s;
}

}  // namespace duet::midi
