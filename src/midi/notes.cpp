// Note pairing: note-ons matched with note-offs per channel and key, first in first out.
//
// A file cannot say which release belongs to which strike when a key is struck again before it was
// released, so a rule decides: first in, first out. The first release ends the first note, so
// overlapping notes of one pitch end in the order they began, no duration is negative, and pairing
// is one pass with no look-ahead.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <variant>
#include <vector>

#include "base/error.h"
#include "midi/smf.h"

namespace duet::midi {
namespace {

// A note-on still waiting for its note-off: where its Note is, and its event's index (file order).
struct Open {
  std::size_t note;
  std::size_t event;
};

}  // namespace

std::vector<Note> pair_notes(const Track& track, std::vector<base::Warning>* warnings) {
  std::vector<Note> notes;
  // Keyed by channel * 256 + key; a map so that an out-of-range channel or key in a hand-built
  // model is paired like any other instead of indexing past an array.
  std::map<std::uint16_t, std::deque<Open>> open;
  const auto key_of = [](std::uint8_t channel, std::uint8_t key) {
    return static_cast<std::uint16_t>(channel * 256 + key);
  };
  const auto note_off = [&](std::int64_t tick, std::uint8_t channel, std::uint8_t key,
                            std::uint8_t off_velocity) {
    auto it = open.find(key_of(channel, key));
    if (it == open.end() || it->second.empty()) {
      if (warnings) {
        warnings->push_back(
            base::Warning{base::cat("note-off for channel ", int{channel} + 1, " key ", int{key},
                                    " at tick ", tick, " has no sounding note to end; ignored")});
      }
      return;
    }
    Note& note = notes[it->second.front().note];
    it->second.pop_front();
    note.duration = tick - note.start;
    note.off_velocity = off_velocity;
  };

  for (std::size_t i = 0; i < track.events.size(); ++i) {
    const Event& event = track.events[i];
    if (const auto* on = std::get_if<NoteOn>(&event.message)) {
      if (on->velocity == 0) {
        note_off(event.tick, on->channel, on->key, 0);
        continue;
      }
      open[key_of(on->channel, on->key)].push_back(Open{notes.size(), i});
      notes.push_back(Note{on->channel, on->key, on->velocity, 0, event.tick, 0});
    } else if (const auto* off = std::get_if<NoteOff>(&event.message)) {
      note_off(event.tick, off->channel, off->key, off->velocity);
    }
  }

  // Notes still sounding end with the track. A model whose end_tick is below a note's start (the
  // writer raises such an end to the last event) gets a zero duration, never a negative one.
  std::vector<Open> unended;
  for (const auto& [channel_and_key, queue] : open)
    unended.insert(unended.end(), queue.begin(), queue.end());
  std::sort(unended.begin(), unended.end(),
            [](const Open& a, const Open& b) { return a.event < b.event; });
  for (const Open& o : unended) {
    Note& note = notes[o.note];
    const std::int64_t end = std::max(track.end_tick, note.start);
    note.duration = end - note.start;
    if (warnings) {
      warnings->push_back(base::Warning{base::cat(
          "note-on for channel ", int{note.channel} + 1, " key ", int{note.key}, " at tick ",
          note.start, " never ends; closed at the track's end, tick ", end)});
    }
  }

  // Notes were made in file order; a stable sort by start keeps file order among equal starts
  // (and puts a hand-built track whose ticks go backwards in time order).
  std::stable_sort(notes.begin(), notes.end(),
                   [](const Note& a, const Note& b) { return a.start < b.start; });
  return notes;
}

}  // namespace duet::midi
