#include "export/musicxml.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "base/error.h"
#include "base/text.h"
#include "music/instrument.h"
#include "music/key.h"
#include "music/pitch.h"

namespace duet::exporting {
namespace {

using base::cat;

// The grid: a 64th note, 120 ticks at 1,920 per quarter; MusicXML divisions are 16 per quarter.
constexpr std::int64_t kGridTicks = time::kTicksPerQuarter / 16;
constexpr int kDivisions = 16;
constexpr int kMaxVoices = 4;

std::int64_t grid(time::BeatPos at) {
  const std::int64_t t = at.ticks();
  // Nearest grid line, halves up (positions are non-negative in practice; floor for negatives).
  const std::int64_t q =
      t >= 0 ? (t + kGridTicks / 2) / kGridTicks : -((-t + kGridTicks / 2 - 1) / kGridTicks);
  return q;
}

struct Measure {
  std::int64_t start = 0, end = 0;  // grid units
  time::Meter meter;
};

// A chord group or a rest: pitches empty means a rest.
struct Event {
  std::int64_t start = 0, end = 0;
  std::vector<int> pitches;  // sounding, ascending
};

// One piece of an event inside one measure with a representable value.
struct Piece {
  std::int64_t start = 0, length = 0;
  std::vector<int> pitches;
  bool tie_start = false, tie_stop = false;
  bool measure_rest = false;
};

// Representable values in 64ths, largest first: dotted whole, whole, dotted half, ... 64th.
constexpr std::array<std::int64_t, 13> kValues{96, 64, 48, 32, 24, 16, 12, 8, 6, 4, 3, 2, 1};

std::pair<const char*, int> note_type(std::int64_t length) {
  switch (length) {
    case 96:
      return {"whole", 1};
    case 64:
      return {"whole", 0};
    case 48:
      return {"half", 1};
    case 32:
      return {"half", 0};
    case 24:
      return {"quarter", 1};
    case 16:
      return {"quarter", 0};
    case 12:
      return {"eighth", 1};
    case 8:
      return {"eighth", 0};
    case 6:
      return {"16th", 1};
    case 4:
      return {"16th", 0};
    case 3:
      return {"32nd", 1};
    case 2:
      return {"32nd", 0};
    default:
      return {"64th", 0};
  }
}

// Diatonic steps of an interval of `semitones` (0..11) upward: m2/M2 one step, m3/M3 two, P4 and
// the tritone three (an augmented fourth), P5 four, m6/M6 five, m7/M7 six.
int steps_of(int semitones) {
  static constexpr std::array<int, 12> kSteps{0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6};
  const int s = ((semitones % 12) + 12) % 12;
  const int octaves = (semitones - s) / 12;
  return kSteps[static_cast<std::size_t>(s)] + 7 * octaves;
}

// The key a part is written in: the concert key moved up by the part's transposition, respelt
// enharmonically when that would need more than seven sharps or flats.
music::Key written_key(const music::Key& concert, int transposition) {
  if (transposition == 0) return concert;
  music::Key k = concert;
  k.tonic = music::transpose(concert.tonic, steps_of(transposition), transposition);
  if (!k.has_standard_signature()) {
    k.tonic = music::spell_pitch_class(k.tonic.pitch_class(), k.signature() > 0);
  }
  return k;
}

int signature_of(const music::Key& key) {
  int fifths = key.signature();
  while (fifths > 7)
    fifths -= 12;
  while (fifths < -7)
    fifths += 12;
  return fifths;
}

// A General MIDI drum note's place on a five-line percussion staff (display step and octave)
// and notehead: bass drums on F4, snares on C5, toms between, cymbals and hi-hats above with x
// noteheads.
struct DrumPlace {
  char step;
  int octave;
  const char* notehead;  // "" for normal
};
DrumPlace drum_place(int pitch) {
  switch (pitch) {
    case 35:
    case 36:
      return {'F', 4, ""};
    case 37:
      return {'C', 5, "x"};
    case 38:
    case 40:
      return {'C', 5, ""};
    case 39:
      return {'D', 5, "x"};
    case 41:
    case 43:
      return {'A', 4, ""};
    case 45:
    case 47:
      return {'D', 5, ""};
    case 48:
    case 50:
      return {'E', 5, ""};
    case 42:
    case 44:
      return {'G', 5, "x"};
    case 46:
      return {'G', 5, "circle-x"};
    case 49:
    case 52:
    case 55:
    case 57:
      return {'A', 5, "x"};
    case 51:
    case 53:
    case 59:
      return {'F', 5, "x"};
    default:
      return {'E', 4, "triangle"};
  }
}

std::string number(double v, int decimals) {
  std::string s = base::fixed(v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string rational_text(const time::Rational& r) {
  if (r.den() == 1) return std::to_string(r.num());
  return number(r.to_double(), 2);
}

// <metronome>: the beat unit of the tempo when it is a plain or dotted note value, else quarters.
std::string metronome(const time::Tempo& tempo) {
  const time::Rational& v = tempo.note_value;
  struct Unit {
    std::int64_t num, den;
    const char* name;
    bool dot;
  };
  static constexpr std::array<Unit, 9> kUnits{{{1, 1, "whole", false},
                                               {1, 2, "half", false},
                                               {1, 4, "quarter", false},
                                               {1, 8, "eighth", false},
                                               {1, 16, "16th", false},
                                               {3, 2, "whole", true},
                                               {3, 4, "half", true},
                                               {3, 8, "quarter", true},
                                               {3, 16, "eighth", true}}};
  for (const Unit& u : kUnits) {
    if (v.num() == u.num && v.den() == u.den) {
      return cat("<metronome><beat-unit>", u.name, "</beat-unit>", u.dot ? "<beat-unit-dot/>" : "",
                 "<per-minute>", rational_text(tempo.per_minute), "</per-minute></metronome>");
    }
  }
  return cat("<metronome><beat-unit>quarter</beat-unit><per-minute>",
             rational_text(tempo.quarters_per_minute()), "</per-minute></metronome>");
}

// A chord symbol as <harmony>: root, kind (with the symbol's own text shown), bass.
std::optional<std::string> harmony(const std::string& symbol) {
  if (symbol.empty() || symbol[0] < 'A' || symbol[0] > 'G') return std::nullopt;
  std::size_t i = 1;
  int alter = 0;
  while (i < symbol.size() && (symbol[i] == '#' || symbol[i] == 'b')) {
    alter += symbol[i] == '#' ? 1 : -1;
    ++i;
  }
  std::string rest = symbol.substr(i);
  std::string bass;
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    bass = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  static const std::map<std::string, std::string> kKinds{
      {"", "major"},
      {"m", "minor"},
      {"min", "minor"},
      {"dim", "diminished"},
      {"aug", "augmented"},
      {"+", "augmented"},
      {"7", "dominant"},
      {"maj7", "major-seventh"},
      {"M7", "major-seventh"},
      {"m7", "minor-seventh"},
      {"min7", "minor-seventh"},
      {"dim7", "diminished-seventh"},
      {"m7b5", "half-diminished"},
      {"6", "major-sixth"},
      {"m6", "minor-sixth"},
      {"9", "dominant-ninth"},
      {"sus4", "suspended-fourth"},
      {"sus2", "suspended-second"},
      {"5", "power"},
  };
  const auto kind = kKinds.find(rest);
  std::string out = cat("<harmony placement=\"above\"><root><root-step>", symbol[0], "</root-step>",
                        alter != 0 ? cat("<root-alter>", alter, "</root-alter>") : "",
                        "</root><kind text=\"", base::xml_escape(rest), "\">",
                        kind != kKinds.end() ? kind->second : std::string("other"), "</kind>");
  if (!bass.empty() && bass[0] >= 'A' && bass[0] <= 'G') {
    int bass_alter = 0;
    for (std::size_t k = 1; k < bass.size(); ++k)
      bass_alter += bass[k] == '#' ? 1 : (bass[k] == 'b' ? -1 : 0);
    out += cat("<bass><bass-step>", bass[0], "</bass-step>",
               bass_alter != 0 ? cat("<bass-alter>", bass_alter, "</bass-alter>") : "", "</bass>");
  }
  out += "</harmony>";
  return out;
}

struct PartLayout {
  bool percussion = false;
  int transposition = 0;  // written = sounding + transposition
  music::Clef clef = music::Clef::treble;
  std::string instrument_name;
};

PartLayout layout_of(const compose::Part& part) {
  PartLayout l;
  const music::Instrument* inst = music::find_instrument(part.instrument);
  if (inst == nullptr && part.channel != 9) inst = music::instrument_for_program(part.program);
  l.percussion = part.channel == 9 || (inst != nullptr && inst->drums);
  if (l.percussion) {
    l.clef = music::Clef::percussion;
    l.instrument_name = inst != nullptr ? inst->name : "Drums";
    return l;
  }
  if (inst != nullptr) {
    l.transposition = inst->transposition;
    l.clef = inst->clef;
    l.instrument_name = inst->name;
  } else {
    l.clef = music::Clef::grand_staff;  // unknown: chosen by pitch below
    l.instrument_name = part.name;
  }
  if (l.clef == music::Clef::grand_staff || l.clef == music::Clef::percussion) {
    double sum = 0;
    for (const auto& n : part.notes)
      sum += n.pitch + l.transposition;
    const double mean = part.notes.empty() ? 60 : sum / static_cast<double>(part.notes.size());
    l.clef = mean >= 60 ? music::Clef::treble : music::Clef::bass;
  }
  return l;
}

std::string clef_xml(music::Clef clef) {
  switch (clef) {
    case music::Clef::bass:
      return "<clef><sign>F</sign><line>4</line></clef>";
    case music::Clef::alto:
      return "<clef><sign>C</sign><line>3</line></clef>";
    case music::Clef::tenor:
      return "<clef><sign>C</sign><line>4</line></clef>";
    case music::Clef::treble_8vb:
      return "<clef><sign>G</sign><line>2</line><clef-octave-change>-1</clef-octave-change></clef>";
    case music::Clef::percussion:
      return "<clef><sign>percussion</sign></clef>";
    default:
      return "<clef><sign>G</sign><line>2</line></clef>";
  }
}

// <transpose> says how the written part sounds: chromatic and diatonic steps from written to
// sounding within an octave, and the octaves beyond.
std::string transpose_xml(int transposition) {
  const int t = -transposition;  // sounding - written
  const int octaves = t / 12;    // toward zero
  const int chromatic = t - 12 * octaves;
  const int diatonic = chromatic >= 0 ? steps_of(chromatic) : -steps_of(-chromatic);
  return cat("<transpose><diatonic>", diatonic, "</diatonic><chromatic>", chromatic, "</chromatic>",
             octaves != 0 ? cat("<octave-change>", octaves, "</octave-change>") : "",
             "</transpose>");
}

// The chord groups of a part on the grid, in voices (at most kMaxVoices).
std::vector<std::vector<Event>> voices_of(const compose::Part& part, std::int64_t total) {
  std::map<std::pair<std::int64_t, std::int64_t>, std::set<int>> groups;
  for (const auto& n : part.notes) {
    std::int64_t s = grid(n.start), e = grid(n.start + n.length);
    if (e <= s) e = s + 1;  // a note shorter than a 64th still shows
    s = std::max<std::int64_t>(s, 0);
    e = std::min(e, total);
    if (e <= s) continue;
    groups[{s, e}].insert(n.pitch);
  }
  std::vector<std::vector<Event>> voices;
  for (const auto& [span, pitches] : groups) {
    Event ev{span.first, span.second, {pitches.begin(), pitches.end()}};
    bool placed = false;
    for (auto& v : voices) {
      if (v.back().end <= ev.start) {
        v.push_back(std::move(ev));
        placed = true;
        break;
      }
    }
    if (placed) continue;
    if (static_cast<int>(voices.size()) < kMaxVoices) {
      voices.push_back({std::move(ev)});
      continue;
    }
    // A fifth line at once: the voice whose note ends first is cut short here (or, when that
    // note starts here too, the pitches join it as a chord).
    auto& v = *std::min_element(voices.begin(), voices.end(), [](const auto& a, const auto& b) {
      return a.back().end < b.back().end;
    });
    Event& last = v.back();
    if (last.start == ev.start) {
      std::set<int> merged(last.pitches.begin(), last.pitches.end());
      merged.insert(ev.pitches.begin(), ev.pitches.end());
      last.pitches.assign(merged.begin(), merged.end());
    } else {
      last.end = ev.start;
      v.push_back(std::move(ev));
    }
  }
  // Articulation gaps: a note played detached (an eighth sounding 90% of its length, then
  // silence) is written at its notated length. A gap of at most a quarter of the note (and at
  // least a 64th) is closed, up to the next note of the voice or the next 16th line.
  for (auto& v : voices) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      Event& e = v[i];
      const std::int64_t limit = std::max<std::int64_t>(1, (e.end - e.start) / 4);
      const std::int64_t next = i + 1 < v.size() ? v[i + 1].start : total;
      const std::int64_t sixteenth = (e.end + 3) / 4 * 4;
      if (next > e.end && next - e.end <= limit) {
        e.end = next;
      } else if (sixteenth > e.end && sixteenth - e.end <= limit && sixteenth <= next) {
        e.end = sixteenth;
      }
    }
  }
  return voices;
}

// The beat in 64ths: the meter's beat, or three of them in compound meters (6/8, 9/8, 12/16).
std::int64_t beat_of(const time::Meter& meter) {
  std::int64_t beat = std::max<std::int64_t>(meter.beat_length().ticks() / kGridTicks, 1);
  if (meter.denominator >= 8 && meter.numerator > 3 && meter.numerator % 3 == 0) beat *= 3;
  return beat;
}

// Pieces of one voice: events and the rests between them cut at bar lines and into values.
// `fill` writes rests in the gaps (voice 1 always; other voices only in bars they use).
std::vector<std::vector<Piece>> pieces_of(const std::vector<Event>& voice,
                                          const std::vector<Measure>& measures, bool first_voice) {
  std::vector<std::vector<Piece>> out(measures.size());
  std::vector<Event> all;
  std::int64_t at = 0;
  for (const Event& e : voice) {
    if (e.start > at) all.push_back({at, e.start, {}});
    all.push_back(e);
    at = e.end;
  }
  if (at < measures.back().end) all.push_back({at, measures.back().end, {}});
  std::vector<bool> used(measures.size(), first_voice);
  std::size_t m = 0;
  for (const Event& e : all) {
    const bool rest = e.pitches.empty();
    std::int64_t s = e.start;
    bool first = true;
    while (s < e.end) {
      while (measures[m].end <= s)
        ++m;
      const std::int64_t stop = std::min(e.end, measures[m].end);
      std::int64_t left = stop - s;
      if (!rest) used[m] = true;
      const std::int64_t beat = beat_of(measures[m].meter);
      while (left > 0) {
        // A note starting off the beat is cut at the next beat (so syncopations read); one
        // starting on a beat takes the largest value that fits before the bar line.
        const std::int64_t into = (s - measures[m].start) % beat;
        const std::int64_t room = into == 0 ? left : std::min(left, beat - into);
        std::int64_t value = 1;
        for (std::int64_t v : kValues) {
          if (v <= room) {
            value = v;
            break;
          }
        }
        Piece p{s, value, e.pitches, false, !first && !rest, false};
        first = false;
        s += value;
        left -= value;
        p.tie_start = !rest && s < e.end;
        out[m].push_back(std::move(p));
      }
    }
  }
  for (std::size_t i = 0; i < measures.size(); ++i) {
    if (!used[i]) {
      out[i].clear();
      continue;
    }
    const bool all_rest =
        std::all_of(out[i].begin(), out[i].end(), [](const Piece& p) { return p.pitches.empty(); });
    if (all_rest && first_voice) {
      out[i] = {
          Piece{measures[i].start, measures[i].end - measures[i].start, {}, false, false, true}};
    }
  }
  return out;
}

struct Direction {
  std::int64_t at;  // grid units
  int order;        // tempo, rehearsal, hit, chord at the same place
  std::string xml;  // a <direction> or <harmony> element
};

}  // namespace

base::Result<std::string> to_musicxml(const compose::Score& score, const MusicXmlOptions& options) {
  if (score.parts.empty()) {
    return base::Error{base::ErrorKind::invalid_input,
                       "the score has no parts; MusicXML needs at least one"};
  }
  // ---- Bars ----
  std::int64_t total = std::max<std::int64_t>(grid(score.end), 1);
  for (const auto& p : score.parts) {
    for (const auto& n : p.notes) {
      if (n.pitch < 0 || n.pitch > 127) {
        const time::BBT bbt = score.tempo_map.bbt_at(n.start);
        return base::Error{base::ErrorKind::invalid_input,
                           cat("part '", p.name, "' has a note of pitch ", n.pitch, " in bar ",
                               bbt.bar, "; MIDI pitches are 0..127")};
      }
      total = std::max(total, grid(n.start + n.length));
    }
  }
  const time::MeterMap& meters = score.tempo_map.meters();
  std::vector<Measure> measures;
  for (std::int64_t bar = 1; measures.empty() || measures.back().end < total; ++bar) {
    const time::BeatPos start = meters.bar_start(bar);
    const time::Meter meter = meters.meter_at(start);
    const int d = meter.denominator;
    if (d < 1 || d > 64 || (d & (d - 1)) != 0 || meter.numerator < 1) {
      return base::Error{
          base::ErrorKind::invalid_input,
          cat("bar ", bar, " is in ", meter.to_string(),
              ", which MusicXML cannot write (a denominator of 1..64, a power of two)")};
    }
    const std::int64_t from = measures.empty() ? 0 : measures.back().end;
    const std::int64_t e = grid(meters.bar_start(bar + 1));
    if (e <= from) continue;  // a bar shorter than a 64th after a mid-bar meter change
    measures.push_back({from, e, meter});
  }

  // ---- Keys at bar starts (concert) ----
  std::vector<music::Key> keys(measures.size(), music::Key{});
  {
    std::vector<compose::Section> sections = score.sections;
    std::stable_sort(sections.begin(), sections.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    for (std::size_t m = 0; m < measures.size(); ++m) {
      music::Key k = m > 0 ? keys[m - 1] : music::Key{};
      // A section starting inside a bar changes the key from the next bar (from the first bar
      // when it starts inside that).
      for (const auto& s : sections) {
        if (grid(s.at) <= measures[m].start || (m == 0 && grid(s.at) < measures[0].end)) k = s.key;
      }
      keys[m] = k;
    }
  }

  // ---- Directions of the first part ----
  std::vector<Direction> directions;
  const auto& changes = score.tempo_map.tempo_changes();
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    std::string words;
    if (c.ramp != time::Ramp::none && i + 1 < changes.size()) {
      const bool faster =
          changes[i + 1].tempo.quarters_per_minute() > c.tempo.quarters_per_minute();
      words =
          cat("<direction-type><words>", faster ? "accel." : "rit.", "</words></direction-type>");
    }
    directions.push_back(
        {grid(c.at), 0,
         cat("<direction placement=\"above\"><direction-type>", metronome(c.tempo),
             "</direction-type>", words, "<sound tempo=\"",
             number(c.tempo.quarters_per_minute().to_double(), 3), "\"/></direction>")});
  }
  for (const auto& s : score.sections) {
    if (s.label.empty()) continue;
    directions.push_back(
        {grid(s.at), 1,
         cat("<direction placement=\"above\"><direction-type><rehearsal>",
             base::xml_escape(s.label), "</rehearsal></direction-type></direction>")});
  }
  for (const auto& h : score.hits) {
    directions.push_back({grid(h.at), 2,
                          cat("<direction placement=\"above\"><direction-type><words>",
                              h.hard ? "HIT: " : "soft hit: ", base::xml_escape(h.label),
                              "</words></direction-type></direction>")});
  }
  if (options.chords) {
    for (const auto& c : score.chords) {
      if (auto x = harmony(c.symbol)) directions.push_back({grid(c.at), 3, std::move(*x)});
    }
  }
  std::stable_sort(directions.begin(), directions.end(), [](const auto& a, const auto& b) {
    return a.at != b.at ? a.at < b.at : a.order < b.order;
  });
  for (auto& d : directions)
    d.at = std::clamp<std::int64_t>(d.at, 0, measures.back().end - 1);

  // ---- Header and part list ----
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      "<!DOCTYPE score-partwise PUBLIC \"-//Recordare//DTD MusicXML 4.0 Partwise//EN\" "
      "\"http://www.musicxml.org/dtds/partwise.dtd\">\n"
      "<score-partwise version=\"4.0\">\n";
  if (!options.title.empty()) {
    x += cat("  <work><work-title>", base::xml_escape(options.title), "</work-title></work>\n");
  }
  x += "  <identification><encoding><software>duet</software></encoding></identification>\n";
  x += "  <part-list>\n";
  std::vector<PartLayout> layouts;
  for (std::size_t i = 0; i < score.parts.size(); ++i) {
    const compose::Part& p = score.parts[i];
    layouts.push_back(layout_of(p));
    const std::string id = cat("P", i + 1);
    x += cat("    <score-part id=\"", id, "\">\n      <part-name>", base::xml_escape(p.name),
             "</part-name>\n      <score-instrument id=\"", id, "-I1\"><instrument-name>",
             base::xml_escape(layouts.back().instrument_name),
             "</instrument-name></score-instrument>\n      <midi-instrument id=\"", id,
             "-I1\"><midi-channel>", std::clamp(p.channel, 0, 15) + 1,
             "</midi-channel><midi-program>", std::clamp(p.program, 0, 127) + 1,
             "</midi-program></midi-instrument>\n    </score-part>\n");
  }
  x += "  </part-list>\n";

  // ---- Parts ----
  for (std::size_t pi = 0; pi < score.parts.size(); ++pi) {
    const compose::Part& part = score.parts[pi];
    const PartLayout& lay = layouts[pi];
    x += cat("  <part id=\"P", pi + 1, "\">\n");
    const std::vector<std::vector<Event>> voices = voices_of(part, measures.back().end);
    std::vector<std::vector<std::vector<Piece>>> pieces;  // [voice][measure]
    if (voices.empty()) {
      pieces.push_back(pieces_of({}, measures, true));
    } else {
      for (std::size_t v = 0; v < voices.size(); ++v)
        pieces.push_back(pieces_of(voices[v], measures, v == 0));
    }
    std::size_t next_direction = 0;
    for (std::size_t m = 0; m < measures.size(); ++m) {
      const Measure& bar = measures[m];
      x += cat("    <measure number=\"", m + 1, "\">\n");
      const music::Key key =
          lay.percussion ? music::Key{} : written_key(keys[m], lay.transposition);
      const bool key_changes =
          m == 0 ||
          (!lay.percussion &&
           (signature_of(key) != signature_of(written_key(keys[m - 1], lay.transposition)) ||
            keys[m].mode != keys[m - 1].mode));
      const bool meter_changes = m == 0 || !(bar.meter == measures[m - 1].meter);
      if (m == 0 || key_changes || meter_changes) {
        x += "      <attributes>";
        if (m == 0) x += cat("<divisions>", kDivisions, "</divisions>");
        if (key_changes) {
          x += cat("<key><fifths>", signature_of(key), "</fifths>",
                   lay.percussion ? "" : cat("<mode>", music::to_string(key.mode), "</mode>"),
                   "</key>");
        }
        if (meter_changes) {
          x += cat("<time><beats>", bar.meter.numerator, "</beats><beat-type>",
                   bar.meter.denominator, "</beat-type></time>");
        }
        if (m == 0) {
          x += clef_xml(lay.clef);
          if (lay.transposition != 0) x += transpose_xml(lay.transposition);
        }
        x += "</attributes>\n";
      }
      for (std::size_t v = 0; v < pieces.size(); ++v) {
        const std::vector<Piece>& here = pieces[v][m];
        if (here.empty()) continue;
        if (v > 0) {
          x += cat("      <backup><duration>", bar.end - bar.start, "</duration></backup>\n");
        }
        for (const Piece& p : here) {
          if (pi == 0 && v == 0) {
            while (next_direction < directions.size() &&
                   directions[next_direction].at < p.start + p.length) {
              const Direction& d = directions[next_direction++];
              std::string xml = d.xml;
              const std::int64_t offset = d.at - p.start;
              if (offset > 0) {
                // <offset> goes before <sound> in a direction and after the content in a harmony.
                const std::string off = cat("<offset>", offset, "</offset>");
                const auto sound = xml.find("<sound");
                const auto close = xml.rfind("</");
                xml.insert(sound != std::string::npos ? sound : close, off);
              }
              x += cat("      ", xml, "\n");
            }
          }
          const auto [type, dots] = note_type(p.length);
          if (p.pitches.empty()) {
            x += cat("      <note>", p.measure_rest ? "<rest measure=\"yes\"/>" : "<rest/>",
                     "<duration>", p.length, "</duration><voice>", v + 1, "</voice>");
            if (!p.measure_rest) {
              x += cat("<type>", type, "</type>", dots > 0 ? "<dot/>" : "");
            }
            x += "</note>\n";
            continue;
          }
          for (std::size_t k = 0; k < p.pitches.size(); ++k) {
            const int sounding = p.pitches[k];
            x += "      <note>";
            if (k > 0) x += "<chord/>";
            std::string notehead;
            if (lay.percussion) {
              const DrumPlace place = drum_place(sounding);
              x += cat("<unpitched><display-step>", place.step, "</display-step><display-octave>",
                       place.octave, "</display-octave></unpitched>");
              if (*place.notehead != '\0')
                notehead = cat("<notehead>", place.notehead, "</notehead>");
            } else {
              const int written = sounding + lay.transposition;
              const music::NoteName name = music::spell_in_key(key, written);
              const int natural = music::natural_pitch_class(name.letter);
              // The octave belongs to the letter: B#3 sounds as C4.
              const int base_pitch = written - name.accidental - natural;
              const int octave = (base_pitch >= 0 ? base_pitch / 12 : (base_pitch - 11) / 12) - 1;
              x += cat("<pitch><step>", music::letter_char(name.letter), "</step>",
                       name.accidental != 0 ? cat("<alter>", name.accidental, "</alter>") : "",
                       "<octave>", octave, "</octave></pitch>");
            }
            x += cat("<duration>", p.length, "</duration>");
            if (p.tie_stop) x += "<tie type=\"stop\"/>";
            if (p.tie_start) x += "<tie type=\"start\"/>";
            x += cat("<voice>", v + 1, "</voice><type>", type, "</type>", dots > 0 ? "<dot/>" : "",
                     notehead);
            if (p.tie_stop || p.tie_start) {
              x += cat("<notations>", p.tie_stop ? "<tied type=\"stop\"/>" : "",
                       p.tie_start ? "<tied type=\"start\"/>" : "", "</notations>");
            }
            x += "</note>\n";
          }
        }
      }
      if (m + 1 == measures.size()) {
        x += "      <barline location=\"right\"><bar-style>light-heavy</bar-style></barline>\n";
      }
      x += "    </measure>\n";
    }
    x += "  </part>\n";
  }
  x += "</score-partwise>\n";
  return x;
}

}  // namespace duet::exporting
