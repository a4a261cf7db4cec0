#include "compose/score.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "base/error.h"
#include "midi/timing.h"
#include "music/instrument.h"
#include "music/key_finding.h"

namespace duet::compose {

using base::ErrorKind;
using base::make_error;

namespace {

constexpr std::array<std::string_view, 7> kRoleNames = {
    "melody", "countermelody", "harmony", "bass", "pad", "ostinato", "percussion"};

// Markers as to_midi writes them, so that from_midi can read them back and a DAW shows them.
constexpr std::string_view kHardHitPrefix = "HIT: ";
constexpr std::string_view kSoftHitPrefix = "hit (soft): ";
// A part's role and instrument ride in its track as text events, so that the critics judge a
// score read back from its MIDI as they judged it written (the role cannot be guessed: a clarinet
// doubling the violins would read as a harmony voice in parallel octaves).
constexpr std::string_view kRolePrefix = "duet role: ";

std::string section_marker(const Section& s) {
  return s.reason.empty() ? s.label : s.label + ": " + s.reason;
}

// A Standard MIDI File's key signature says major or minor only. A mode is written as the
// major or minor key on its tonic (D dorian as D minor, G mixolydian as G major), as copyists
// notate modal music with accidentals: what a DAW or a reader must not lose is the tonic (D
// dorian's own signature would read back as C major).
midi::KeySignature key_signature(const music::Key& key) {
  using M = music::Mode;
  const bool minor = key.mode == M::minor || key.mode == M::dorian || key.mode == M::phrygian ||
                     key.mode == M::locrian;
  const music::Key written{key.tonic, minor ? M::minor : M::major};
  return {static_cast<std::int8_t>(std::clamp(written.signature(), -7, 7)), minor};
}

music::Key key_of_signature(const midi::KeySignature& sig) {
  // The major tonic sits `sharps` fifths from C; the minor one a minor third below it.
  const int major = music::wrap_pitch_class(7 * sig.sharps);
  return music::to_key({sig.minor ? music::wrap_pitch_class(major + 9) : major, sig.minor, 0});
}

}  // namespace

std::string_view to_string(Role role) {
  return kRoleNames[static_cast<std::size_t>(role)];
}

base::Result<Role> parse_role(std::string_view text) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == text) return static_cast<Role>(i);
  }
  return make_error(ErrorKind::invalid_input, "part role '", text,
                    "' is not one of melody, countermelody, harmony, bass, pad, ostinato, "
                    "percussion");
}

base::Result<midi::MidiFile> to_midi(const Score& score, const MidiExportOptions& options) {
  const int ppq = options.ticks_per_quarter;
  if (ppq < 1 || ppq > 32767) {
    return make_error(ErrorKind::out_of_range, "ticks per quarter ", ppq, " is outside 1..32767");
  }
  for (const Part& part : score.parts) {
    if (part.channel < 0 || part.channel > 15) {
      return make_error(ErrorKind::out_of_range, "part '", part.name, "': channel index ",
                        part.channel, " is outside 0..15");
    }
    if (part.program < 0 || part.program > 127) {
      return make_error(ErrorKind::out_of_range, "part '", part.name, "': program ", part.program,
                        " is outside 0..127");
    }
    for (const ScoreNote& n : part.notes) {
      if (n.pitch < 0 || n.pitch > 127 || n.velocity < 1 || n.velocity > 127 ||
          n.length.ticks() <= 0 || n.start.ticks() < 0) {
        return make_error(ErrorKind::out_of_range, "part '", part.name, "': the note at beat tick ",
                          n.start.ticks(), " (pitch ", n.pitch, ", velocity ", n.velocity,
                          ", length ", n.length.ticks(),
                          ") is outside pitch 0..127, velocity 1..127 or has no length");
      }
    }
  }
  midi::ConductorOptions conductor;
  conductor.ticks_per_quarter = ppq;
  conductor.track_name = options.title.empty() ? "conductor" : options.title;
  conductor.rate = options.rate;
  auto track = midi::conductor_track(score.tempo_map, score.end, conductor);
  if (!track) return track.error();
  midi::MidiFile file;
  file.format = 1;
  file.division.kind = midi::Division::Kind::ppq;
  file.division.ticks_per_quarter = static_cast<std::uint16_t>(ppq);
  const auto tick = [&](time::BeatPos b) { return midi::tick_of_beat(b, ppq); };
  for (const Section& s : score.sections) {
    midi::insert_event(*track, {tick(s.at), key_signature(s.key)});
    midi::insert_event(*track, {tick(s.at), midi::Text{midi::TextKind::marker, section_marker(s)}});
  }
  for (const ScoreHit& h : score.hits) {
    const std::string text = std::string(h.hard ? kHardHitPrefix : kSoftHitPrefix) + h.label;
    midi::insert_event(*track, {tick(h.at), midi::Text{midi::TextKind::marker, text}});
  }
  track->end_tick = std::max(track->end_tick, tick(score.end));
  file.tracks.push_back(std::move(*track));
  for (const Part& part : score.parts) {
    std::vector<midi::Note> notes;
    notes.reserve(part.notes.size());
    for (const ScoreNote& n : part.notes) {
      const std::int64_t on = tick(n.start);
      // A note keeps at least one file tick, so that a very short note is not lost in rounding.
      const std::int64_t off = std::max(on + 1, tick(n.start + n.length));
      notes.push_back({static_cast<std::uint8_t>(part.channel), static_cast<std::uint8_t>(n.pitch),
                       static_cast<std::uint8_t>(n.velocity), 64, on, off - on});
    }
    std::stable_sort(notes.begin(), notes.end(),
                     [](const midi::Note& a, const midi::Note& b) { return a.start < b.start; });
    midi::Track part_track =
        midi::track_from_notes(part.name, static_cast<std::uint8_t>(part.channel),
                               static_cast<std::uint8_t>(part.program), notes);
    // After the track name: what plays it and what it does in the texture.
    std::vector<midi::Event> head;
    if (!part.instrument.empty()) {
      head.push_back({0, midi::Text{midi::TextKind::instrument_name, part.instrument}});
    }
    head.push_back({0, midi::Text{midi::TextKind::text,
                                  std::string(kRolePrefix) + std::string(to_string(part.role))}});
    const auto at = part_track.events.begin() + (part.name.empty() ? 0 : 1);
    part_track.events.insert(at, head.begin(), head.end());
    file.tracks.push_back(std::move(part_track));
  }
  return file;
}

base::Result<Score> from_midi(const midi::MidiFile& file, std::optional<time::TimePos> origin) {
  if (file.division.kind != midi::Division::Kind::ppq) {
    return make_error(ErrorKind::unsupported,
                      "the MIDI file counts time in SMPTE frames, not beats; export it from the "
                      "DAW with a tempo map (ticks per quarter note)");
  }
  const int ppq = file.division.ticks_per_quarter;
  const midi::Timeline timeline = midi::Timeline::of(file);
  time::TimePos start = time::TimePos(0);
  if (origin) {
    start = *origin;
  } else if (const auto smpte = midi::smpte_start(file)) {
    start = smpte->position;
  }
  const time::TempoMap& read = timeline.tempo_map();
  auto map = time::TempoMap::create(read.tempo_changes(), read.meters(), start);
  if (!map) return map.error();
  Score score;
  score.tempo_map = std::move(*map);
  const auto beat = [&](std::int64_t t) { return midi::beat_of_tick(t, ppq); };

  // Parts: one per track and channel, in file order.
  struct Key {
    std::size_t track;
    int channel;
    auto operator<=>(const Key&) const = default;
  };
  std::map<Key, std::size_t> part_of;
  std::vector<std::size_t> explicit_role;  // parts whose track says their role
  std::vector<std::pair<time::BeatPos, midi::KeySignature>> signatures;
  std::vector<std::pair<time::BeatPos, std::string>> markers;
  std::array<int, 16> channel_program{};
  for (std::size_t t = 0; t < file.tracks.size(); ++t) {
    const midi::Track& track = file.tracks[t];
    std::string name, instrument_id;
    std::optional<Role> role;
    std::array<int, 16> program = channel_program;
    for (const midi::Event& e : track.events) {
      if (const auto* text = std::get_if<midi::Text>(&e.message)) {
        if (text->kind == midi::TextKind::track_name && name.empty()) name = text->text;
        if (text->kind == midi::TextKind::instrument_name &&
            music::find_instrument(text->text) != nullptr) {
          instrument_id = text->text;
        }
        if (text->kind == midi::TextKind::text && text->text.starts_with(kRolePrefix)) {
          if (auto r = parse_role(std::string_view(text->text).substr(kRolePrefix.size()))) {
            role = *r;
          }
        }
        if (text->kind == midi::TextKind::marker) markers.emplace_back(beat(e.tick), text->text);
      } else if (const auto* pc = std::get_if<midi::ProgramChange>(&e.message)) {
        // The program in force when the part starts: the first change on the channel.
        if (program[pc->channel & 15] == channel_program[pc->channel & 15]) {
          program[pc->channel & 15] = pc->program;
        }
      } else if (const auto* ks = std::get_if<midi::KeySignature>(&e.message)) {
        signatures.emplace_back(beat(e.tick), *ks);
      }
    }
    for (const midi::Note& n : midi::pair_notes(track)) {
      const Key key{t, n.channel};
      auto [it, added] = part_of.try_emplace(key, score.parts.size());
      if (added) {
        Part part;
        part.channel = n.channel;
        part.program = program[n.channel & 15];
        part.name = name.empty() ? "Track " + std::to_string(t + 1) : name;
        const music::Instrument* instrument = n.channel == 9
                                                  ? music::find_instrument("drums")
                                                  : music::instrument_for_program(part.program);
        if (instrument != nullptr) part.instrument = instrument->id;
        if (!instrument_id.empty()) part.instrument = instrument_id;
        part.role = role ? *role : n.channel == 9 ? Role::percussion : Role::harmony;
        if (role) explicit_role.push_back(score.parts.size());
        score.parts.push_back(std::move(part));
      }
      const time::BeatPos on = beat(n.start);
      const time::BeatPos off = beat(n.start + n.duration);
      // A zero-length note (a drum hit written on and off at once) keeps a 64th note.
      const time::BeatDur length = off > on ? off - on : time::BeatDur(120);
      score.parts[it->second].notes.push_back({on, length, n.key, std::max<int>(1, n.velocity)});
      score.end = std::max(score.end, on + length);
    }
  }
  // Parts that share a name (one track over several channels) are told apart by channel.
  std::map<std::string, int> names;
  for (const Part& p : score.parts)
    ++names[p.name];
  for (Part& p : score.parts) {
    if (names[p.name] > 1) p.name += " (channel " + std::to_string(p.channel + 1) + ")";
  }
  if (score.parts.empty()) {
    return make_error(ErrorKind::invalid_input, "the MIDI file has no notes");
  }
  // Roles a track does not state: the highest-sounding pitched part carries the melody, the
  // lowest the bass (unless a track already says it is the melody or the bass).
  bool has_melody = false, has_bass = false;
  for (std::size_t i : explicit_role) {
    has_melody = has_melody || score.parts[i].role == Role::melody;
    has_bass = has_bass || score.parts[i].role == Role::bass;
  }
  std::vector<std::pair<double, std::size_t>> means;
  for (std::size_t i = 0; i < score.parts.size(); ++i) {
    Part& p = score.parts[i];
    std::sort(p.notes.begin(), p.notes.end(), [](const ScoreNote& a, const ScoreNote& b) {
      return a.start != b.start ? a.start < b.start : a.pitch < b.pitch;
    });
    if (p.role == Role::percussion) continue;
    if (std::find(explicit_role.begin(), explicit_role.end(), i) != explicit_role.end()) continue;
    double sum = 0;
    for (const ScoreNote& n : p.notes)
      sum += n.pitch;
    means.emplace_back(sum / static_cast<double>(p.notes.size()), i);
  }
  // Ties go to the part that comes first in the file (a doubling after the line it doubles).
  const auto by_mean = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!means.empty() && !has_melody) {
    const auto top = std::max_element(means.begin(), means.end(), by_mean);
    score.parts[top->second].role = Role::melody;
  }
  if (means.size() >= 2 && !has_bass) {
    score.parts[std::min_element(means.begin(), means.end(), by_mean)->second].role = Role::bass;
  }

  // Key: the file's key signatures, else key finding over every pitched note (in quarters).
  std::sort(signatures.begin(), signatures.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<music::TimedNote> timed;
  for (const Part& p : score.parts) {
    if (p.role == Role::percussion) continue;
    for (const ScoreNote& n : p.notes) {
      timed.push_back({n.pitch, static_cast<double>(n.start.ticks()) / time::kTicksPerQuarter,
                       static_cast<double>(n.length.ticks()) / time::kTicksPerQuarter, 1.0});
    }
  }
  const music::Key found = music::key_of(timed);
  const auto key_at = [&](time::BeatPos at) {
    music::Key key = found;
    for (const auto& [b, sig] : signatures) {
      if (b <= at) key = key_of_signature(sig);
    }
    return key;
  };
  std::stable_sort(markers.begin(), markers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [at, text] : markers) {
    if (text.starts_with(kHardHitPrefix)) {
      score.hits.push_back({at, text.substr(kHardHitPrefix.size()), true});
    } else if (text.starts_with(kSoftHitPrefix)) {
      score.hits.push_back({at, text.substr(kSoftHitPrefix.size()), false});
    } else {
      Section s;
      s.at = at;
      const auto colon = text.find(": ");
      s.label = text.substr(0, colon);
      if (colon != std::string::npos) s.reason = text.substr(colon + 2);
      score.sections.push_back(std::move(s));
    }
  }
  if (score.sections.empty() || score.sections.front().at > time::BeatPos(0)) {
    Section first;
    first.label = "A";
    score.sections.insert(score.sections.begin(), std::move(first));
  }
  for (Section& s : score.sections) {
    s.key = key_at(s.at);
    s.bpm = score.tempo_map.quarters_per_minute_at(s.at);
  }
  return score;
}

std::vector<int> sounding_at(const Score& score, time::BeatPos at, bool include_percussion) {
  std::vector<int> pitches;
  for (const Part& p : score.parts) {
    if (p.role == Role::percussion && !include_percussion) continue;
    for (const ScoreNote& n : p.notes) {
      if (n.start > at) break;  // notes are sorted by start
      if (at < n.start + n.length) pitches.push_back(n.pitch);
    }
  }
  std::sort(pitches.begin(), pitches.end());
  return pitches;
}

}  // namespace duet::compose
