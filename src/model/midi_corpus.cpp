#include "model/midi_corpus.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <variant>

#include "base/file.h"
#include "midi/timing.h"

namespace duet::model {
namespace {

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_melody_name(const std::string& name) {
  std::string l = lower(name);
  return l.find("melody") != std::string::npos || l.find("lead") != std::string::npos ||
         l.find("vocal") != std::string::npos;
}

KeyContext key_of(const midi::KeySignature& k) {
  // Major tonic of a signature: a fifth (7 semitones) per sharp; minor: its relative minor.
  int major = ((k.sharps * 7) % 12 + 12) % 12;
  return k.minor ? KeyContext{(major + 9) % 12, true} : KeyContext{major, false};
}

struct Stream {
  int track = 0;
  int channel = 0;
  std::vector<midi::Note> notes;
};

}  // namespace

base::Result<MidiMelody> melody_from_midi(const midi::MidiFile& file, std::string id) {
  MidiMelody out;
  out.melody.id = std::move(id);
  if (file.division.kind != midi::Division::Kind::ppq) {
    return base::make_error(base::ErrorKind::unsupported,
                            "the file counts time in SMPTE frames, so it has no beats or bars to "
                            "place a melody in; convert it to a PPQ file");
  }
  bool has_tempo = false, has_meter = false;
  std::vector<std::pair<std::int64_t, KeyContext>> keys;
  std::vector<std::string> names(file.tracks.size());
  for (std::size_t t = 0; t < file.tracks.size(); ++t) {
    for (const auto& event : file.tracks[t].events) {
      if (std::holds_alternative<midi::SetTempo>(event.message)) has_tempo = true;
      if (std::holds_alternative<midi::TimeSignature>(event.message)) has_meter = true;
      if (const auto* k = std::get_if<midi::KeySignature>(&event.message)) {
        keys.emplace_back(event.tick, key_of(*k));
      }
      if (const auto* text = std::get_if<midi::Text>(&event.message)) {
        if (text->kind == midi::TextKind::track_name && names[t].empty()) names[t] = text->text;
      }
    }
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!has_tempo && !has_meter) {
    out.warnings.push_back({"no tempo map: 120 BPM and 4/4 assumed, bar positions are guesses"});
  } else if (!has_meter) {
    out.warnings.push_back({"no time signature: 4/4 assumed, bar positions are guesses"});
  }
  // Note streams by (track, channel), drums left out.
  std::vector<Stream> streams;
  for (std::size_t t = 0; t < file.tracks.size(); ++t) {
    std::map<int, Stream> by_channel;
    for (const auto& note : midi::pair_notes(file.tracks[t])) {
      if (note.channel == 9 || note.duration <= 0) continue;
      auto& s = by_channel[note.channel];
      s.track = static_cast<int>(t);
      s.channel = note.channel;
      s.notes.push_back(note);
    }
    for (auto& [channel, s] : by_channel)
      streams.push_back(std::move(s));
  }
  if (streams.empty()) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "the file has no notes outside the drum channel, so it has no melody");
  }
  const Stream* chosen = nullptr;
  for (const auto& s : streams) {
    if (is_melody_name(names[static_cast<std::size_t>(s.track)])) {
      chosen = &s;
      break;
    }
  }
  if (chosen == nullptr) {
    auto overlap_ratio = [](const Stream& s) {
      std::size_t overlapping = 0;
      std::int64_t sounding_until = -1;
      for (const auto& n : s.notes) {
        if (n.start < sounding_until) ++overlapping;
        sounding_until = std::max(sounding_until, n.start + n.duration);
      }
      return static_cast<double>(overlapping) / static_cast<double>(s.notes.size());
    };
    auto mean_pitch = [](const Stream& s) {
      double sum = 0;
      for (const auto& n : s.notes)
        sum += n.key;
      return sum / static_cast<double>(s.notes.size());
    };
    bool any_mono = std::any_of(streams.begin(), streams.end(),
                                [&](const Stream& s) { return overlap_ratio(s) < 0.5; });
    double best = -1;
    for (const auto& s : streams) {
      if (any_mono && overlap_ratio(s) >= 0.5) continue;
      double m = mean_pitch(s);
      if (m > best) {
        best = m;
        chosen = &s;
      }
    }
  }
  out.track = chosen->track;
  out.channel = chosen->channel;
  out.track_name = names[static_cast<std::size_t>(chosen->track)];
  // Skyline: the highest note at each onset; each note cut where the next begins.
  std::vector<midi::Note> notes = chosen->notes;
  std::stable_sort(notes.begin(), notes.end(), [](const midi::Note& a, const midi::Note& b) {
    return a.start != b.start ? a.start < b.start : a.key > b.key;
  });
  std::vector<midi::Note> line;
  for (const auto& n : notes) {
    if (!line.empty() && line.back().start == n.start) continue;
    line.push_back(n);
  }
  std::vector<base::Warning> timing_warnings;
  auto timeline = midi::Timeline::of(file, &timing_warnings);
  for (auto& w : timing_warnings)
    out.warnings.push_back(std::move(w));
  const auto& meters = timeline.tempo_map().meters();
  std::size_t key_index = 0;
  std::optional<KeyContext> key;
  for (std::size_t k = 0; k < line.size(); ++k) {
    std::int64_t start = line[k].start;
    std::int64_t end = start + line[k].duration;
    if (k + 1 < line.size()) end = std::min(end, line[k + 1].start);
    auto on = timeline.beat_of(start);
    auto off = timeline.beat_of(end);
    if (!on || !off) continue;
    if (*off <= *on) continue;
    while (key_index < keys.size() && keys[key_index].first <= start) {
      key = keys[key_index].second;
      ++key_index;
    }
    MelodyNote note;
    note.pitch = line[k].key;
    note.onset = *on;
    note.duration = *off - *on;
    auto bbt = meters.bbt_at(*on);
    note.bar_position = *on - meters.bar_start(bbt.bar);
    auto meter = meters.meter_at(*on);
    note.meter = MeterContext{meter.numerator, meter.denominator};
    note.key = key;
    out.melody.notes.push_back(note);
  }
  return out;
}

base::Result<MidiMelody> read_midi_melody(const std::filesystem::path& path, std::string id) {
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  auto report = midi::read_smf(*bytes);
  if (!report) return report.error().with_context(path.filename().string());
  if (id.empty()) id = path.stem().string();
  auto melody = melody_from_midi(report->file, std::move(id));
  if (!melody) return melody.error().with_context(path.filename().string());
  for (auto& w : report->warnings)
    melody->warnings.push_back(std::move(w));
  for (auto& w : melody->warnings)
    w.message = path.filename().string() + ": " + w.message;
  return melody;
}

}  // namespace duet::model
