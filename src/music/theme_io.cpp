#include "music/theme_io.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "base/file.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "time/tempo_map.h"

namespace duet::music {

using base::ErrorKind;
using base::make_error;
using time::BeatDur;
using time::BeatPos;

namespace {

// Grid for notes read from MIDI: 40 ticks, a 48th of a quarter, which holds 64ths (120),
// 32nd triplets (80) and everything coarser.
constexpr std::int64_t kMidiGrid = 40;

std::int64_t snap(std::int64_t ticks) {
  const std::int64_t q =
      ticks >= 0 ? (ticks + kMidiGrid / 2) / kMidiGrid : -((-ticks + kMidiGrid / 2) / kMidiGrid);
  return q * kMidiGrid;
}

struct RawNote {
  std::int64_t start = 0;  // beat ticks from the melody's origin
  std::int64_t end = 0;
  int pitch = 0;
};

// The highest line: at each onset the highest note wins; a note sounding when a higher one
// starts is cut there; a lower one starting under a sounding note is dropped.
std::vector<MelodyNote> skyline(std::vector<RawNote> notes) {
  std::sort(notes.begin(), notes.end(), [](const RawNote& a, const RawNote& b) {
    return a.start != b.start ? a.start < b.start : a.pitch > b.pitch;
  });
  std::vector<RawNote> line;
  for (const RawNote& n : notes) {
    if (n.end <= n.start) continue;
    if (!line.empty()) {
      RawNote& cur = line.back();
      if (n.start == cur.start) continue;  // a lower note of the same onset
      if (n.start < cur.end) {
        if (n.pitch <= cur.pitch) continue;
        cur.end = n.start;
      }
    }
    line.push_back(n);
  }
  std::vector<MelodyNote> out;
  for (const RawNote& n : line) {
    out.push_back({BeatPos(n.start), BeatDur(n.end - n.start), n.pitch});
  }
  return out;
}

// The rhythm as a composer writes it down. Onsets go on the coarsest grid that holds them all
// within 40 ticks (a whole, a half, a quarter ... down to a 32nd triplet), and a note is
// written as the shortest plain, dotted or triplet value that holds what sounded, up to the next
// onset; what is left is a rest. A composed or played file whose notes are
// articulated (a half note held for 80% of its length) then reads "D4h", not "D4q.~t3 rs.~x3".
// The last note is measured against the end of its bar. `length` (the melody's, ticks) is
// rounded up to the grid. Notes whose onsets no grid holds (a freely played line) are left on
// the 40-tick grid.
void tidy_rhythm(std::vector<MelodyNote>& notes, std::int64_t& length, std::int64_t bar) {
  if (notes.empty()) return;
  std::int64_t grid = 0;
  for (const std::int64_t g : {7680, 3840, 1920, 1280, 960, 640, 480, 320, 240, 160}) {
    bool fits = true;
    std::int64_t previous = -1;
    for (const MelodyNote& n : notes) {
      const std::int64_t at = n.start.ticks();
      const std::int64_t snapped = (at + g / 2) / g * g;
      if (std::abs(at - snapped) > kMidiGrid || snapped <= previous) {
        fits = false;
        break;
      }
      previous = snapped;
    }
    if (fits) {
      grid = g;
      break;
    }
  }
  if (grid == 0) return;
  const auto on_grid = [&](std::int64_t t) { return (t + grid / 2) / grid * grid; };
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const std::int64_t start = on_grid(notes[i].start.ticks());
    const std::int64_t sounded = notes[i].length.ticks();
    std::int64_t next;
    if (i + 1 < notes.size()) {
      next = on_grid(notes[i + 1].start.ticks());
    } else {
      const std::int64_t end = start + std::max<std::int64_t>(sounded, 1);
      next = bar > 0 ? (end + bar - 1) / bar * bar : on_grid(end + grid / 2 - 1);
      next = std::max(next, start + grid);
    }
    // The shortest written value that holds what sounded (40 ticks of slack), up to the next
    // onset: a dotted value or a triplet only where the grid has them.
    std::int64_t held = next - start;
    // Ticks at 1920 a quarter: s3, s, e3, s., e, q3, e., q, h3, q., h, h., w, w., two wholes.
    for (const std::int64_t v :
         {320, 480, 640, 720, 960, 1280, 1440, 1920, 2560, 2880, 3840, 5760, 7680, 11520, 15360}) {
      // Plain and dotted values are multiples of 3 ticks (1920 = 2^7 x 15); triplets are not.
      if (v % 3 != 0 && grid % 3 == 0) continue;
      // A dotted value only when it fills the span or is exactly what sounded: a short note is
      // an eighth, not a dotted sixteenth followed by an odd rest.
      const bool dotted = v == 720 || v == 1440 || v == 2880 || v == 5760 || v == 11520;
      if (dotted && v != next - start && v != sounded) continue;
      if (v + kMidiGrid >= sounded) {
        held = std::min(held, v);
        break;
      }
    }
    notes[i].start = BeatPos(start);
    notes[i].length = BeatDur(held);
  }
  const MelodyNote& last = notes.back();
  length = std::max((length + grid - 1) / grid * grid, (last.start + last.length).ticks());
}

std::string bars_text(const MidiMelodyOptions& o) {
  if (!o.first_bar && !o.last_bar) return "";
  return base::cat(" in bars ", o.first_bar.value_or(1), "-",
                   o.last_bar ? std::to_string(*o.last_bar) : std::string("end"));
}

}  // namespace

base::Result<Melody> melody_from_midi(std::span<const std::uint8_t> bytes,
                                      const MidiMelodyOptions& options) {
  auto report = midi::read_smf(bytes);
  if (!report) return report.error();
  const midi::MidiFile& file = report->file;
  if (file.division.kind != midi::Division::Kind::ppq) {
    return make_error(ErrorKind::unsupported,
                      "the file counts time in SMPTE frames, so it has no beats to read a melody "
                      "from; export it with a tempo (PPQ division)");
  }
  if (options.track && *options.track >= file.tracks.size()) {
    return make_error(ErrorKind::out_of_range, "there is no track ", *options.track + 1,
                      "; the file has ", file.tracks.size(),
                      " tracks, numbered from 1 as 'duet midi info' lists them");
  }
  if (options.first_bar && options.last_bar && *options.last_bar < *options.first_bar) {
    return make_error(ErrorKind::invalid_input, "the bar range ", *options.first_bar, "-",
                      *options.last_bar, " ends before it starts");
  }
  if ((options.first_bar && (*options.first_bar < 1 || *options.first_bar > 100000)) ||
      (options.last_bar && (*options.last_bar < 1 || *options.last_bar > 100000))) {
    return make_error(ErrorKind::out_of_range, "bars are numbered 1..100000");
  }
  const midi::Timeline timeline = midi::Timeline::of(file);
  const time::MeterMap& meters = timeline.tempo_map().meters();
  const int ppq = file.division.ticks_per_quarter;

  struct Sounding {
    BeatPos start, end;
    int pitch;
  };
  std::vector<Sounding> all;
  for (std::size_t t = 0; t < file.tracks.size(); ++t) {
    if (options.track && t != *options.track) continue;
    for (const midi::Note& n : midi::pair_notes(file.tracks[t])) {
      if (n.channel == 9) continue;  // General MIDI drums are not a melody
      all.push_back(
          {midi::beat_of_tick(n.start, ppq), midi::beat_of_tick(n.start + n.duration, ppq), n.key});
    }
  }
  const std::string which =
      options.track ? base::cat("track ", *options.track + 1) : std::string("the file");
  if (all.empty()) {
    return make_error(ErrorKind::invalid_input, which,
                      " has no notes outside the drum channel; choose a track with --track");
  }
  BeatPos first_start = all.front().start;
  for (const auto& s : all)
    first_start = std::min(first_start, s.start);
  const std::int64_t first_bar = options.first_bar.value_or(meters.bbt_at(first_start).bar);
  const BeatPos origin = meters.bar_start(first_bar);
  // Where the bars asked for end (no end: the largest position, which no note reaches).
  const BeatPos stop = options.last_bar ? meters.bar_start(*options.last_bar + 1)
                                        : BeatPos(std::numeric_limits<std::int64_t>::max());
  std::vector<RawNote> raw;
  for (const auto& s : all) {
    if (s.start < origin || s.start >= stop) continue;
    const BeatPos end = std::min(s.end, stop);
    raw.push_back({snap((s.start - origin).ticks()), snap((end - origin).ticks()), s.pitch});
  }
  Melody melody;
  melody.notes = skyline(std::move(raw));
  if (melody.notes.empty()) {
    return make_error(ErrorKind::invalid_input, which, " has no notes", bars_text(options),
                      " (or only notes shorter than a 48th of a quarter)");
  }
  melody.meter = meters.meter_at(origin);
  // Trailing rests: up to the file's end (the longest track), within the bars asked for.
  std::int64_t end_tick = 0;
  for (const auto& t : file.tracks)
    end_tick = std::max(end_tick, t.end_tick);
  BeatPos file_end = midi::beat_of_tick(end_tick, ppq);
  file_end = std::min(file_end, stop);
  std::int64_t length = snap((file_end - origin).ticks());
  tidy_rhythm(melody.notes, length, melody.meter->bar_length().ticks());
  const auto& last = melody.notes.back();
  melody.length = std::max(BeatDur(length), (last.start + last.length) - BeatPos(0));
  return melody;
}

// ---- MusicXML ----

namespace {

struct XmlNote {
  bool rest = false;
  int pitch = 0;
  std::int64_t start = 0;  // beat ticks
  std::int64_t length = 0;
  bool tie_stop = false;
};

base::Result<int> xml_pitch(const pugi::xml_node& pitch_node, const std::string& where) {
  const std::string step = pitch_node.child_value("step");
  const std::string octave_text = pitch_node.child_value("octave");
  const std::string alter_text = pitch_node.child_value("alter");
  if (step.size() != 1 || step[0] < 'A' || step[0] > 'G') {
    return make_error(ErrorKind::invalid_input, where, ": <step> '", step,
                      "' is not a letter A..G");
  }
  if (octave_text.empty() || octave_text.size() > 2 ||
      !std::all_of(octave_text.begin(), octave_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return make_error(ErrorKind::invalid_input, where, ": <octave> '", octave_text,
                      "' is not 0..9");
  }
  double alter = 0;
  if (!alter_text.empty()) {
    char* end = nullptr;
    alter = std::strtod(alter_text.c_str(), &end);
    if (end == alter_text.c_str() || *end != '\0' || !std::isfinite(alter) || std::abs(alter) > 2) {
      return make_error(ErrorKind::invalid_input, where, ": <alter> '", alter_text,
                        "' is not a number of semitones -2..2");
    }
  }
  const int letter_pc[] = {9, 11, 0, 2, 4, 5, 7};  // A B C D E F G
  const int midi = (std::stoi(octave_text) + 1) * 12 + letter_pc[step[0] - 'A'] +
                   static_cast<int>(std::lround(alter));
  if (midi < 0 || midi > 127) {
    return make_error(ErrorKind::out_of_range, where, ": the pitch is MIDI ", midi,
                      ", outside 0..127");
  }
  return midi;
}

base::Result<std::int64_t> xml_int(const char* text, const std::string& where, const char* what,
                                   std::int64_t lo, std::int64_t hi) {
  const std::string s = text;
  if (s.empty() || s.size() > 9 ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return make_error(ErrorKind::invalid_input, where, ": <", what, "> '", s,
                      "' is not a whole number");
  }
  const std::int64_t v = std::stoll(s);
  if (v < lo || v > hi) {
    return make_error(ErrorKind::out_of_range, where, ": <", what, "> ", v, " is outside ", lo,
                      "..", hi);
  }
  return v;
}

}  // namespace

base::Result<Melody> melody_from_musicxml(std::string_view xml,
                                          const MusicXmlMelodyOptions& options) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    return make_error(ErrorKind::invalid_input, "XML error at byte ", parsed.offset, ": ",
                      parsed.description());
  }
  const pugi::xml_node score = doc.child("score-partwise");
  if (!score) {
    if (doc.child("score-timewise")) {
      return make_error(ErrorKind::unsupported,
                        "the score is timewise; export it as partwise MusicXML (the usual form)");
    }
    return make_error(ErrorKind::invalid_input,
                      "there is no <score-partwise> element; is this a MusicXML file?");
  }
  // Choose the part.
  std::string part_id;
  std::vector<std::string> names;
  for (pugi::xml_node sp : score.child("part-list").children("score-part")) {
    const std::string id = sp.attribute("id").value();
    const std::string name = sp.child_value("part-name");
    names.push_back(name.empty() ? id : name);
    if (part_id.empty() && (!options.part || *options.part == name || *options.part == id)) {
      part_id = id;
    }
  }
  pugi::xml_node part;
  for (pugi::xml_node p : score.children("part")) {
    if (part_id.empty() ? !options.part : part_id == p.attribute("id").value()) {
      part = p;
      break;
    }
  }
  if (!part) {
    if (options.part) {
      std::string list;
      for (const auto& n : names)
        list += (list.empty() ? "" : ", ") + n;
      return make_error(ErrorKind::invalid_input, "there is no part named '", *options.part,
                        "'; the parts are: ", list.empty() ? "(none)" : list);
    }
    return make_error(ErrorKind::invalid_input, "the score has no <part>");
  }

  Melody melody;
  std::vector<XmlNote> notes;
  std::int64_t divisions = 0;
  std::int64_t position = 0;  // beat ticks, the cursor
  std::int64_t measure_start = 0;
  std::string first_voice;
  std::size_t measure_index = 0;
  for (pugi::xml_node measure : part.children("measure")) {
    ++measure_index;
    const std::string number = measure.attribute("number").value();
    const std::string where =
        base::cat("measure ", number.empty() ? std::to_string(measure_index) : number);
    std::int64_t measure_end = position;
    // Converts a <duration> to beat ticks; needs <divisions> first.
    auto ticks_of = [&](const pugi::xml_node& node) -> base::Result<std::int64_t> {
      if (divisions <= 0) {
        return make_error(ErrorKind::invalid_input, where,
                          ": a duration comes before <divisions> says how many make a quarter");
      }
      auto d = xml_int(node.child_value("duration"), where, "duration", 0, 100'000'000);
      if (!d) return d.error();
      const std::int64_t ticks = (*d * time::kTicksPerQuarter + divisions / 2) / divisions;
      return ticks;
    };
    for (pugi::xml_node el : measure.children()) {
      const std::string tag = el.name();
      if (tag == "attributes") {
        if (pugi::xml_node div = el.child("divisions")) {
          auto d = xml_int(div.child_value(), where, "divisions", 1, 1'000'000);
          if (!d) return d.error();
          divisions = *d;
        }
        if (pugi::xml_node t = el.child("time"); t && !melody.meter) {
          auto beats = xml_int(t.child_value("beats"), where, "beats", 1, 64);
          auto type = xml_int(t.child_value("beat-type"), where, "beat-type", 1, 64);
          if (!beats) return beats.error();
          if (!type) return type.error();
          auto meter = time::make_meter(static_cast<int>(*beats), static_cast<int>(*type));
          if (!meter) return meter.error().with_context(where);
          melody.meter = *meter;
        }
      } else if (tag == "backup" || tag == "forward") {
        auto t = ticks_of(el);
        if (!t) return t.error();
        position += tag == "backup" ? -*t : *t;
        if (position < measure_start) {
          return make_error(ErrorKind::invalid_input, where, ": <backup> goes before the measure");
        }
      } else if (tag == "note") {
        if (el.child("grace") || el.child("cue")) continue;
        const std::string voice = el.child_value("voice");
        const bool is_chord = static_cast<bool>(el.child("chord"));
        auto t = ticks_of(el);
        if (!t) return t.error();
        if (first_voice.empty() && !voice.empty()) first_voice = voice;
        const bool mine = voice.empty() || voice == first_voice;
        if (is_chord) {
          // A chord note shares the previous note's onset; the highest is kept.
          if (mine && !notes.empty() && !notes.back().rest && el.child("pitch")) {
            auto p = xml_pitch(el.child("pitch"), where);
            if (!p) return p.error();
            notes.back().pitch = std::max(notes.back().pitch, *p);
          }
          continue;
        }
        if (mine) {
          XmlNote n;
          n.start = position;
          n.length = *t;
          n.rest = static_cast<bool>(el.child("rest"));
          if (!n.rest) {
            if (!el.child("pitch")) {
              if (el.child("unpitched")) {
                return make_error(ErrorKind::unsupported, where,
                                  ": an unpitched (percussion) note; choose a pitched part");
              }
              return make_error(ErrorKind::invalid_input, where, ": a <note> has no <pitch>");
            }
            auto p = xml_pitch(el.child("pitch"), where);
            if (!p) return p.error();
            n.pitch = *p;
            for (pugi::xml_node tie : el.children("tie")) {
              if (std::string(tie.attribute("type").value()) == "stop") n.tie_stop = true;
            }
          }
          if (n.length > 0) notes.push_back(n);
        }
        position += *t;
      }
      measure_end = std::max(measure_end, position);
      if (position > 1'000'000'000'000) {
        return make_error(ErrorKind::out_of_range, where, ": the part is too long");
      }
    }
    // An opening measure marked implicit (a pickup) sets the pickup.
    if (measure_index == 1 && std::string(measure.attribute("implicit").value()) == "yes") {
      melody.pickup = BeatDur(measure_end - measure_start);
    }
    position = measure_end;
    measure_start = position;
  }
  // Ties join notes of the same pitch that follow each other.
  for (const XmlNote& n : notes) {
    if (n.rest) continue;
    if (n.tie_stop && !melody.notes.empty()) {
      MelodyNote& prev = melody.notes.back();
      if (prev.pitch == n.pitch && (prev.start + prev.length).ticks() == n.start) {
        prev.length += BeatDur(n.length);
        continue;
      }
    }
    if (!melody.notes.empty() &&
        n.start < (melody.notes.back().start + melody.notes.back().length).ticks()) {
      continue;  // overlapping the previous note (a malformed voice): the earlier note wins
    }
    melody.notes.push_back({BeatPos(n.start), BeatDur(n.length), n.pitch});
  }
  if (melody.notes.empty()) {
    return make_error(ErrorKind::invalid_input, "the part '", options.part.value_or(part_id),
                      "' has no pitched notes");
  }
  melody.length = BeatDur(position);
  const auto& last = melody.notes.back();
  melody.length = std::max(melody.length, (last.start + last.length) - BeatPos(0));
  if (melody.meter && melody.pickup >= melody.meter->bar_length()) melody.pickup = BeatDur(0);
  if (!melody.meter) melody.pickup = BeatDur(0);
  return melody;
}

base::Result<Melody> read_midi_melody(const std::filesystem::path& path,
                                      const MidiMelodyOptions& options) {
  auto bytes = base::read_file(path, std::uintmax_t{64} << 20);
  if (!bytes) return bytes.error();
  auto melody = melody_from_midi(*bytes, options);
  if (!melody) return melody.error().with_context(path.string());
  return melody;
}

base::Result<Melody> read_musicxml_melody(const std::filesystem::path& path,
                                          const MusicXmlMelodyOptions& options) {
  if (path.extension() == ".mxl") {
    return make_error(ErrorKind::unsupported, path.string(),
                      ": compressed MusicXML (.mxl) is a zip archive; export uncompressed "
                      ".musicxml or .xml");
  }
  auto bytes = base::read_file(path, std::uintmax_t{64} << 20);
  if (!bytes) return bytes.error();
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  auto melody = melody_from_musicxml(text, options);
  if (!melody) return melody.error().with_context(path.string());
  return melody;
}

base::Result<std::vector<std::uint8_t>> melody_to_midi(const Melody& melody,
                                                       double quarters_per_minute, int program) {
  if (auto ok = validate_melody(melody); !ok) return ok.error();
  if (!(quarters_per_minute >= 1 && quarters_per_minute <= 1000)) {
    return make_error(ErrorKind::out_of_range, "tempo ", quarters_per_minute,
                      " is outside 1..1000 quarters per minute");
  }
  if (program < 0 || program > 127) {
    return make_error(ErrorKind::out_of_range, "program ", program, " is outside 0..127");
  }
  constexpr int kPpq = 960;
  const auto qpm = time::Rational(std::llround(quarters_per_minute * 1000), 1000);
  const time::TempoMap map = time::TempoMap::constant(time::Tempo::quarters_per_minute(qpm),
                                                      melody.meter.value_or(time::Meter{}));
  // A pickup is written as the rest before it, so that the file's bars fall where the melody's do.
  const BeatDur lead = melody.pickup.ticks() > 0 && melody.meter
                           ? melody.meter->bar_length() - melody.pickup
                           : BeatDur(0);
  auto conductor = midi::conductor_track(map, BeatPos(0) + lead + melody.length,
                                         {kPpq, BeatDur(480), "Tempo", std::nullopt});
  if (!conductor) return conductor.error();
  std::vector<midi::Note> notes;
  for (const auto& n : melody.notes) {
    const std::int64_t from = midi::tick_of_beat(n.start + lead, kPpq);
    const std::int64_t to = midi::tick_of_beat(n.start + lead + n.length, kPpq);
    notes.push_back({0, static_cast<std::uint8_t>(n.pitch), 90, 0, from, to - from});
  }
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = kPpq;
  file.tracks.push_back(std::move(*conductor));
  file.tracks.push_back(
      midi::track_from_notes("Theme", 0, static_cast<std::uint8_t>(program), notes));
  return midi::write_smf(file);
}

}  // namespace duet::music
