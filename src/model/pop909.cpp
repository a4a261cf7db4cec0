#include "model/pop909.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "base/file.h"
#include "midi/smf.h"
#include "midi/timing.h"

namespace duet::model {

namespace {

namespace fs = std::filesystem;

std::string where(const fs::path& file, std::size_t line) {
  // "001/chord_midi.txt line 3" (with_context adds ": "); the folder and name find it.
  const fs::path shown = file.parent_path().filename() / file.filename();
  return base::cat(shown.generic_string(), " line ", line);
}

base::Result<std::string> read_text(const fs::path& path) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

// Splits on tabs and spaces, dropping empty fields.
std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
      ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r')
      ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool parse_double(std::string_view text, double* out) {
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(text.data(), last, *out);
  return ec == std::errc() && end == last && std::isfinite(*out);
}

// Calls fn(line_number, fields) for each non-empty line; stops at the first error.
template <class Fn>
base::Result<void> for_each_line(const fs::path& path, Fn fn) {
  auto text = read_text(path);
  if (!text) return text.error();
  std::size_t line_number = 0;
  std::size_t start = 0;
  const std::string& all = *text;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string::npos) end = all.size();
    ++line_number;
    const auto fields = fields_of(std::string_view(all).substr(start, end - start));
    if (!fields.empty()) {
      base::Result<void> ok = fn(line_number, fields);
      if (!ok) return ok.error().with_context(where(path, line_number));
    }
    start = end + 1;
  }
  return {};
}

base::Error line_error(std::string_view what) {
  return base::make_error(base::ErrorKind::invalid_input, what);
}

base::Result<void> read_span(const std::vector<std::string_view>& fields, double* start,
                             double* end) {
  if (fields.size() != 3) {
    return line_error(base::cat("expected 3 fields (start, end, label), found ", fields.size()));
  }
  if (!parse_double(fields[0], start) || !parse_double(fields[1], end)) {
    return line_error("the start and end must be numbers of seconds");
  }
  if (*end < *start) return line_error("the end is before the start");
  return {};
}

time::TimePos time_of_seconds(double seconds) {
  return time::TimePos(static_cast<std::int64_t>(
      std::llround(seconds * static_cast<double>(time::kSuperclockPerSecond))));
}

}  // namespace

time::BeatPos Pop909Song::beat_at_seconds(double seconds) const {
  return tempo_map.beats_at(time_of_seconds(seconds));
}

base::Result<Pop909Song> read_pop909_song(const fs::path& folder) {
  Pop909Song song;
  song.id = folder.filename().string();
  if (song.id.empty()) song.id = folder.parent_path().filename().string();
  const fs::path midi_path = folder / (song.id + ".mid");

  auto bytes = base::read_file(midi_path);
  if (!bytes) return bytes.error();
  auto report = midi::read_smf(*bytes);
  if (!report) return report.error().with_context(midi_path.string());
  const midi::MidiFile& file = report->file;
  if (file.division.kind != midi::Division::Kind::ppq) {
    return base::make_error(base::ErrorKind::unsupported, midi_path.string(),
                            ": the file counts time in SMPTE frames; POP909 files count quarter "
                            "notes");
  }
  const midi::Timeline timeline = midi::Timeline::of(file);
  song.tempo_map = timeline.tempo_map();
  const int ppq = file.division.ticks_per_quarter;

  for (const midi::Track& track : file.tracks) {
    std::string name;
    for (const midi::Event& event : track.events) {
      if (const auto* text = std::get_if<midi::Text>(&event.message);
          text != nullptr && text->kind == midi::TextKind::track_name) {
        name = text->text;
        break;
      }
    }
    Pop909Track* target = name == "MELODY"   ? &song.melody
                          : name == "BRIDGE" ? &song.bridge
                          : name == "PIANO"  ? &song.piano
                                             : nullptr;
    if (target == nullptr) continue;
    target->name = name;
    for (const midi::Note& note : midi::pair_notes(track)) {
      Pop909Note out;
      out.pitch = note.key;
      out.velocity = note.velocity;
      out.start_seconds = time::to_seconds(timeline.time_of_tick(note.start)).to_double();
      out.end_seconds =
          time::to_seconds(timeline.time_of_tick(note.start + note.duration)).to_double();
      out.onset = midi::beat_of_tick(note.start, ppq);
      out.duration = midi::beat_of_tick(note.start + note.duration, ppq) - out.onset;
      target->notes.push_back(out);
    }
  }
  for (const Pop909Track* track : {&song.melody, &song.bridge, &song.piano}) {
    if (track->name.empty()) {
      return base::make_error(base::ErrorKind::invalid_input, midi_path.string(),
                              ": no track named ",
                              track == &song.melody   ? "MELODY"
                              : track == &song.bridge ? "BRIDGE"
                                                      : "PIANO",
                              " (POP909 files have MELODY, BRIDGE and PIANO tracks)");
    }
  }

  auto chords = for_each_line(
      folder / "chord_midi.txt",
      [&](std::size_t, const std::vector<std::string_view>& fields) -> base::Result<void> {
        Pop909ChordLabel chord;
        if (auto ok = read_span(fields, &chord.start_seconds, &chord.end_seconds); !ok) return ok;
        chord.label = std::string(fields[2]);
        auto parsed = music::parse_chord_label(fields[2], music::ChordNotation::harte);
        if (!parsed) return parsed.error();
        chord.chord = *parsed;
        song.chords.push_back(std::move(chord));
        return {};
      });
  if (!chords) return chords.error();

  auto beats = for_each_line(
      folder / "beat_midi.txt",
      [&](std::size_t, const std::vector<std::string_view>& fields) -> base::Result<void> {
        if (fields.size() != 3) {
          return line_error(
              base::cat("expected 3 fields (seconds, strong-beat flag, downbeat flag), found ",
                        fields.size()));
        }
        Pop909Beat beat;
        double strong = 0, downbeat = 0;
        if (!parse_double(fields[0], &beat.seconds) || !parse_double(fields[1], &strong) ||
            !parse_double(fields[2], &downbeat)) {
          return line_error("expected numbers (seconds, 0 or 1, 0 or 1)");
        }
        if (!song.beats.empty() && beat.seconds <= song.beats.back().seconds) {
          return line_error("the beat times must rise");
        }
        beat.strong = strong != 0;
        beat.downbeat = downbeat != 0;
        song.beats.push_back(beat);
        return {};
      });
  if (!beats) return beats.error();

  auto keys = for_each_line(
      folder / "key_audio.txt",
      [&](std::size_t, const std::vector<std::string_view>& fields) -> base::Result<void> {
        Pop909Key key;
        if (auto ok = read_span(fields, &key.start_seconds, &key.end_seconds); !ok) return ok;
        auto parsed = music::parse_key(fields[2]);
        if (!parsed) return parsed.error();
        key.key = *parsed;
        song.keys.push_back(key);
        return {};
      });
  if (!keys) return keys.error();
  return song;
}

std::vector<fs::path> pop909_song_folders(const fs::path& directory) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && name.size() == 3 &&
        std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

KeyContext key_context(const music::Key& key) {
  return KeyContext{key.tonic.pitch_class(), key.mode == music::Mode::minor};
}

ChordClass chord_class(music::TriadClass triad) {
  switch (triad) {
    case music::TriadClass::maj:
      return ChordClass::maj;
    case music::TriadClass::min:
      return ChordClass::min;
    case music::TriadClass::dim:
      return ChordClass::dim;
    case music::TriadClass::aug:
      return ChordClass::aug;
    case music::TriadClass::sus:
      return ChordClass::sus;
  }
  return ChordClass::maj;
}

ChordSequence pop909_chord_sequence(const Pop909Song& song) {
  ChordSequence sequence;
  sequence.id = "pop909/" + song.id;
  if (!song.keys.empty()) sequence.key = key_context(song.keys.front().key);
  for (const Pop909ChordLabel& label : song.chords) {
    if (!label.chord) continue;
    ChordEvent event;
    event.root = label.chord->root.pitch_class();
    event.quality = chord_class(label.chord->triad());
    event.onset = song.beat_at_seconds(label.start_seconds);
    event.duration = song.beat_at_seconds(label.end_seconds) - event.onset;
    if (event.duration <= time::BeatDur(0)) continue;
    // chord_midi.txt cuts one chord into several lines at beats; one event per chord change.
    if (!sequence.chords.empty()) {
      ChordEvent& last = sequence.chords.back();
      if (last.root == event.root && last.quality == event.quality &&
          last.onset + last.duration == event.onset) {
        last.duration = last.duration + event.duration;
        continue;
      }
    }
    sequence.chords.push_back(event);
  }
  return sequence;
}

Melody pop909_melody(const Pop909Song& song) {
  Melody melody;
  melody.id = "pop909/" + song.id;
  std::optional<KeyContext> key;
  if (!song.keys.empty()) key = key_context(song.keys.front().key);
  std::vector<Pop909Note> notes = song.melody.notes;
  // Same onset: the highest first, so the others are dropped below.
  std::stable_sort(notes.begin(), notes.end(), [](const Pop909Note& a, const Pop909Note& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch > b.pitch;
  });
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const Pop909Note& note = notes[i];
    if (!melody.notes.empty() && melody.notes.back().onset == note.onset) continue;
    time::BeatDur duration = note.duration;
    // Cut at the next onset so that no two notes sound at once.
    for (std::size_t j = i + 1; j < notes.size(); ++j) {
      if (notes[j].onset > note.onset) {
        duration = std::min(duration, notes[j].onset - note.onset);
        break;
      }
    }
    if (duration <= time::BeatDur(0)) continue;
    MelodyNote out;
    out.pitch = note.pitch;
    out.onset = note.onset;
    out.duration = duration;
    const time::Meter meter = song.tempo_map.meter_at(note.onset);
    out.meter = MeterContext{meter.numerator, meter.denominator};
    const time::BBT bbt = song.tempo_map.bbt_at(note.onset);
    out.bar_position = note.onset - song.tempo_map.meters().bar_start(bbt.bar);
    out.key = key;
    melody.notes.push_back(out);
  }
  return melody;
}

}  // namespace duet::model
