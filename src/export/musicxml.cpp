#include "export/musicxml.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/text.h"
#include "music/instrument.h"
#include "music/key.h"
#include "music/pitch.h"

namespace duet::exporting {
namespace {

using base::cat;

// The unit of every written position and length: a 64th note, 120 ticks at 1,920 per quarter;
// MusicXML divisions are 16 per quarter. Onsets are written on 16ths (32nds where two attacks
// would meet), so notes come out as 32nds or longer; 64ths are left only for bars that a
// mid-bar meter change cuts to an odd length.
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

// A chord group of a voice, or a rest (no pitches).
struct Event {
  std::int64_t start = 0, end = 0;  // written, grid units
  std::int64_t sound_end = 0;       // where its notes stop sounding (grid units), for voicing
  std::int64_t sound_ticks = 0;     // how long its longest note sounds (ticks)
  int velocity = 0;                 // its loudest note's
  std::vector<int> pitches;         // sounding, ascending
  bool staccato = false, accent = false;
  int dynamic = -1;  // a dynamic mark (index into kDynamics) starts here; -1: none
};

// One piece of an event inside one measure with a representable value.
struct Piece {
  std::int64_t start = 0, length = 0;
  std::vector<int> pitches;
  bool tie_start = false, tie_stop = false;
  bool measure_rest = false;
  bool staccato = false, accent = false;  // the last piece of a note, the first
  int dynamic = -1;                       // the first piece of a note
  std::string beams;                      // <beam> elements
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

// ---- Rhythm: what a copyist writes (docs/hand-off.md "Rhythm") ----
//
// MIDI says when a note sounds; a part says when it starts and how it is played. A note's written
// value runs to the next onset of its voice, and how much of that it sounds is an articulation,
// unless the silence after it is one a copyist writes as a rest.

// The beat in 64ths: the meter's beat, or three of them in compound meters (6/8, 9/8, 12/16).
bool compound(const time::Meter& meter) {
  return meter.denominator >= 8 && meter.numerator > 3 && meter.numerator % 3 == 0;
}
std::int64_t beat_of(const time::Meter& meter) {
  std::int64_t beat = std::max<std::int64_t>(meter.beat_length().ticks() / kGridTicks, 1);
  if (compound(meter)) beat *= 3;
  return beat;
}

// The bar a grid position is in and its grid lines, for snapping onsets.
class BarGrid {
 public:
  explicit BarGrid(const std::vector<Measure>& measures) : measures_(measures) {}

  // The nearest line of a grid of `step` units (4: 16ths, 2: 32nds) counted from the start of the
  // bar `ticks` falls in (a bar cut short by a mid-bar meter change keeps its own lines); a
  // position within half a step of a bar line goes to it; halves go later. `ticks` >= 0.
  std::int64_t snap(std::int64_t ticks, std::int64_t step) const {
    const std::int64_t half = step * kGridTicks / 2;
    const auto after =
        std::upper_bound(measures_.begin(), measures_.end(), ticks + half,
                         [](std::int64_t t, const Measure& m) { return t < m.start * kGridTicks; });
    const Measure& bar = after == measures_.begin() ? measures_.front() : *std::prev(after);
    const std::int64_t into = ticks - bar.start * kGridTicks;  // >= -half
    const std::int64_t lines = (into + half) / (step * kGridTicks);
    return std::clamp(bar.start + lines * step, bar.start, bar.end);
  }

  // The bar a grid position is in (the first or the last for a position outside them).
  const Measure& bar_of(std::int64_t at) const {
    const auto after =
        std::upper_bound(measures_.begin(), measures_.end(), at,
                         [](std::int64_t t, const Measure& m) { return t < m.start; });
    return after == measures_.begin() ? measures_.front() : *std::prev(after);
  }

  // The first beat line of its bar after a grid position (the bar line at the latest).
  std::int64_t next_beat(std::int64_t at) const {
    const Measure& bar = bar_of(at);
    const std::int64_t beat = beat_of(bar.meter);
    return std::min(bar.end, bar.start + ((at - bar.start) / beat + 1) * beat);
  }

 private:
  const std::vector<Measure>& measures_;
};

// Onsets closer than this (a 128th, in ticks) are one attack: a chord played a little unevenly.
constexpr std::int64_t kChordSpread = time::kTicksPerQuarter / 32;
// Attacks closer than this (two thirds of a 16th, in ticks) are a 32nd apart, not a 16th.
constexpr std::int64_t kCrowded = time::kTicksPerQuarter / 6;

// The written onset of every distinct start (ticks) of a part: the nearest 16th of its bar; where
// two attacks in a row would land on the same 16th or are closer than kCrowded (a 32nd run, a
// roll, a quick pickup) both go to the nearest 32nd instead, so no attack is lost or pushed into
// the next beat, and nothing shorter than a 32nd is written. Attacks that still meet (within a
// 32nd) become one chord.
std::map<std::int64_t, std::int64_t> written_onsets(const std::set<std::int64_t>& starts,
                                                    const BarGrid& bars) {
  std::vector<std::vector<std::int64_t>> attacks;  // clusters of starts, ascending
  for (std::int64_t t : starts) {
    if (attacks.empty() || t - attacks.back().front() > kChordSpread) attacks.emplace_back();
    attacks.back().push_back(t);
  }
  std::vector<std::int64_t> on16(attacks.size());
  for (std::size_t i = 0; i < attacks.size(); ++i)
    on16[i] = bars.snap(attacks[i].front(), 4);
  std::map<std::int64_t, std::int64_t> out;
  // A neighbour closer than two thirds of a 16th is a 32nd away (a roll, a run), however the
  // 16th lines fall: its attacks all take the 32nd grid, so a run is not pushed apart.
  const auto near = [&](std::size_t a, std::size_t b) {
    return on16[a] == on16[b] || attacks[b].front() - attacks[a].front() < kCrowded;
  };
  for (std::size_t i = 0; i < attacks.size(); ++i) {
    const bool crowded = (i > 0 && near(i - 1, i)) || (i + 1 < attacks.size() && near(i, i + 1));
    const std::int64_t at = crowded ? bars.snap(attacks[i].front(), 2) : on16[i];
    for (std::int64_t t : attacks[i])
      out[t] = at;
  }
  return out;
}

// The written value (grid units) of a note that sounds `sounding` units before a rest: the
// shortest plain or dotted value it sounds at least 90% of (an eighth held 85% is an eighth,
// a quarter held 100% a quarter), at least `shortest` (the step of the grid its onset is on: a
// 16th, a 32nd inside a quick run); past a whole note, whole quarters.
std::int64_t value_for(double sounding, std::int64_t shortest) {
  static constexpr std::array<std::int64_t, 8> kPlain{2, 4, 8, 16, 24, 32, 48, 64};
  for (std::int64_t v : kPlain) {
    if (v >= shortest && static_cast<double>(v) >= 0.9 * sounding) return v;
  }
  return static_cast<std::int64_t>(std::ceil(0.9 * sounding / 16.0)) * 16;
}

// The thresholds of the copyist's reading, in grid units (64ths) and shares of a written value.
constexpr std::int64_t kEighth = 8, kQuarter = 16;
constexpr double kStaccatoBelow = 0.6;  // sounding under 60% of its value: a staccato dot
constexpr double kFullValue = 0.95;     // sounding 95% of a value: that value, then a real rest

// Where a note of a voice is written to and how it is played, given the next onset of the voice
// (or the end): the whole time to the next onset (legato is an articulation) unless the gap
// after it is a rest a copyist writes: at least an eighth, after a note whose next onset is more
// than a quarter away, and either a quarter or more, half the time to the next onset or more, or
// after a note that sounds its full value (a dotted half held, then an eighth rest). Short
// inter-onset times (a quarter or less) are never split into a note and a rest: a pulse of
// quarters played at 40% reads as staccato quarters, not eighths and eighth rests.
//
// A drum's sounding length is its decay, not the player's choice: an unpitched stroke before a
// rest is written to the next beat at least (a quarter on the beat, not a 16th and rests), gets
// no staccato, and is never tied: it is written as the one value that fits from its onset (to the
// next beat when it starts off the beat, to the bar line at most), rests after it.
std::int64_t piece_value(std::int64_t into, std::int64_t left, const time::Meter& meter, bool rest);
void write_length(Event& e, std::int64_t next, bool percussion, const BarGrid& bars) {
  const std::int64_t ioi = next - e.start;
  const double sounding = static_cast<double>(e.sound_ticks) / static_cast<double>(kGridTicks);
  const double gap = static_cast<double>(ioi) - sounding;
  std::int64_t full = value_for(sounding, e.start % 4 == 0 ? 4 : 2);
  if (percussion) full = std::max(full, bars.next_beat(e.start) - e.start);
  const bool rest = ioi > kQuarter && gap >= kEighth &&
                    (gap >= kQuarter || 2 * gap >= static_cast<double>(ioi) ||
                     sounding >= kFullValue * static_cast<double>(full));
  e.end = rest ? e.start + std::clamp<std::int64_t>(full, 1, ioi) : next;
  if (percussion) {
    const Measure& bar = bars.bar_of(e.start);
    e.end = e.start +
            piece_value(e.start - bar.start, std::min(e.end, bar.end) - e.start, bar.meter, false);
  }
  const double share = sounding / static_cast<double>(e.end - e.start);
  e.staccato = !percussion && share < kStaccatoBelow;
}

// The chord groups of a part in voices (at most kMaxVoices), with their written lengths.
std::vector<std::vector<Event>> voices_of(const compose::Part& part, const BarGrid& bars,
                                          std::int64_t total, bool percussion) {
  std::set<std::int64_t> starts;
  for (const auto& n : part.notes) {
    if ((n.start + n.length).ticks() > 0) starts.insert(std::max<std::int64_t>(n.start.ticks(), 0));
  }
  const std::map<std::int64_t, std::int64_t> onset = written_onsets(starts, bars);
  struct Heard {
    std::int64_t start, sound_end, sound_ticks;
    int pitch, velocity;
  };
  std::vector<Heard> heard;
  for (const auto& n : part.notes) {
    const std::int64_t s = std::max<std::int64_t>(n.start.ticks(), 0);
    const std::int64_t e = (n.start + n.length).ticks();
    if (e <= s) continue;
    std::int64_t at = onset.at(s);
    // A note moved onto the score's end line starts on its own 64th instead.
    if (at >= total) at = (s + kGridTicks / 2) / kGridTicks;
    if (at >= total) continue;
    // The sounding length moves with the onset, so the share of the value it sounds is kept.
    const std::int64_t units = std::max<std::int64_t>(1, (e - s + kGridTicks / 2) / kGridTicks);
    heard.push_back({at, std::min(total, at + units), e - s, n.pitch, n.velocity});
  }
  std::sort(heard.begin(), heard.end(), [](const Heard& a, const Heard& b) {
    return a.start != b.start
               ? a.start < b.start
               : (a.sound_end != b.sound_end ? a.sound_end > b.sound_end : a.pitch < b.pitch);
  });
  // Notes starting together are one chord when they end about together (within a 16th or a
  // quarter of the longest); a note held much longer than the others is a line of its own.
  // Unpitched strokes starting together are always one chord, and one voice: their lengths are
  // the drums' decay (a crash rings over the next kick), not lines.
  std::vector<Event> events;
  for (std::size_t i = 0; i < heard.size();) {
    std::size_t j = i;
    while (j < heard.size() && heard[j].start == heard[i].start)
      ++j;
    for (std::size_t k = i; k < j;) {
      Event ev;
      ev.start = heard[k].start;
      ev.sound_end = heard[k].sound_end;
      const std::int64_t tolerance = std::max<std::int64_t>(4, (ev.sound_end - ev.start) / 4);
      std::set<int> pitches;
      while (k < j && (percussion || heard[k].sound_end >= ev.sound_end - tolerance)) {
        pitches.insert(heard[k].pitch);
        ev.sound_ticks = std::max(ev.sound_ticks, heard[k].sound_ticks);
        ev.velocity = std::max(ev.velocity, heard[k].velocity);
        ++k;
      }
      ev.pitches.assign(pitches.begin(), pitches.end());
      events.push_back(std::move(ev));
    }
    i = j;
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.start != b.start ? a.start < b.start : a.sound_end < b.sound_end;
  });
  std::vector<std::vector<Event>> voices;
  for (Event& ev : events) {
    // The first voice whose last note has stopped, or overlaps this one only by a legato
    // overlap (at most a 16th, and a quarter of that note): the overlap is dropped.
    bool placed = false;
    for (auto& v : voices) {
      Event& last = v.back();
      const std::int64_t overlap =
          std::clamp<std::int64_t>((last.sound_end - last.start) / 4, 1, 4);
      if (last.start < ev.start && (percussion || last.sound_end <= ev.start + overlap)) {
        last.sound_end = std::min(last.sound_end, ev.start);
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
      return a.back().sound_end < b.back().sound_end;
    });
    Event& last = v.back();
    if (last.start == ev.start) {
      std::set<int> merged(last.pitches.begin(), last.pitches.end());
      merged.insert(ev.pitches.begin(), ev.pitches.end());
      last.pitches.assign(merged.begin(), merged.end());
      last.sound_ticks = std::max(last.sound_ticks, ev.sound_ticks);
      last.velocity = std::max(last.velocity, ev.velocity);
    } else {
      last.sound_end = ev.start;
      last.sound_ticks = std::min(last.sound_ticks, (ev.start - last.start) * kGridTicks);
      v.push_back(std::move(ev));
    }
  }
  for (auto& v : voices) {
    for (std::size_t i = 0; i < v.size(); ++i)
      write_length(v[i], i + 1 < v.size() ? v[i + 1].start : total, percussion, bars);
  }
  return voices;
}

// ---- Dynamics and accents ----

// The marks from pp to ff and the velocity each starts at: midway between the velocities
// MuseScore plays them at (pp 33, p 49, mp 64, mf 80, f 96, ff 112).
constexpr std::array<const char*, 6> kDynamics{"pp", "p", "mp", "mf", "f", "ff"};
constexpr std::array<double, 5> kDynamicFrom{41, 57, 72, 88, 104};
// A level has to pass a mark's bound by this many steps of velocity to change the mark, so a
// part hovering on a bound does not flicker between two marks.
constexpr double kDynamicHysteresis = 4;
// A note this much louder (velocity) than the notes on both sides of it is accented: more than
// the writer's metrical weight on a downbeat (+8 to +10), about three quarters of a dynamic step.
constexpr double kAccentAbove = 12;
// Notes on each side that make a note's neighbourhood (its level, and what an accent stands out
// from); for its level only those within a half note of it, so a held chord a bar long is its
// own level and a run of eighths is heard by the half bar.
constexpr std::size_t kNeighbours = 4;
constexpr std::int64_t kLevelSpan = 2 * kQuarter;

int dynamic_of(double velocity) {
  int d = 0;
  while (d < 5 && velocity >= kDynamicFrom[static_cast<std::size_t>(d)])
    ++d;
  return d;
}

double median(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

// Marks the part's dynamics and accents on its events. The level of a note is the median
// velocity of it and its neighbours within kLevelSpan (an accent or a single soft note does not
// move it; a step from one level to another moves it at the step); a mark is written at the first
// note and wherever the level's mark changes (with hysteresis). An accent is a note of a half or
// shorter that stands out from the notes on both sides of it (a held note louder than the
// others is a level of its own, written as a dynamic).
void mark_dynamics(std::vector<std::vector<Event>>& voices) {
  std::vector<Event*> notes;
  for (auto& v : voices)
    for (auto& e : v)
      notes.push_back(&e);
  std::stable_sort(notes.begin(), notes.end(),
                   [](const Event* a, const Event* b) { return a->start < b->start; });
  const std::size_t n = notes.size();
  int current = -1;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t from = i >= kNeighbours ? i - kNeighbours : 0;
    const std::size_t to = std::min(n, i + kNeighbours + 1);
    std::vector<int> level_of, before, after;
    for (std::size_t j = from; j < to; ++j) {
      if (std::abs(notes[j]->start - notes[i]->start) <= kLevelSpan)
        level_of.push_back(notes[j]->velocity);
      if (j < i) before.push_back(notes[j]->velocity);
      if (j > i) after.push_back(notes[j]->velocity);
    }
    const double level = median(level_of);
    const int d = dynamic_of(level);
    if (current < 0) {
      current = d;
      notes[i]->dynamic = d;
    } else if (d != current) {
      const double low = current == 0 ? -1e9 : kDynamicFrom[static_cast<std::size_t>(current - 1)];
      const double high = current == 5 ? 1e9 : kDynamicFrom[static_cast<std::size_t>(current)];
      if (level < low - kDynamicHysteresis || level >= high + kDynamicHysteresis) {
        current = d;
        notes[i]->dynamic = d;
      }
    }
    // A note louder than what follows it alone is a change of level (a part starting loud, a
    // subito piano), not an accent: it has to stand out from both sides.
    const double v = notes[i]->velocity;
    notes[i]->accent = notes[i]->end - notes[i]->start <= 2 * kQuarter && !before.empty() &&
                       !after.empty() && v >= median(before) + kAccentAbove &&
                       v >= median(after) + kAccentAbove;
  }
}

// ---- Bars: values, ties and beams ----

// What a beam group spans: the beat; in compound meters (and 3/8) the dotted beat; in other
// meters of eighths or shorter (2/8, 4/8, 5/8, 7/16) a quarter.
std::int64_t beam_unit(const time::Meter& meter) {
  const std::int64_t unit = std::max<std::int64_t>(meter.beat_length().ticks() / kGridTicks, 1);
  if (meter.denominator >= 8 && meter.numerator % 3 == 0) return 3 * unit;
  if (meter.denominator >= 8) return std::max<std::int64_t>(unit, kQuarter);
  return unit;
}

bool dotted(std::int64_t value) {
  return value == 96 || value == 48 || value == 24 || value == 12 || value == 6 || value == 3;
}

// The value of the next piece of a note or rest `into` units into its bar with `left` units of it
// to write before the bar line or its end. A note on the beat takes the largest value that fits
// (in compound meters only whole beats, or values inside the beat); off the beat, the largest
// value up to the next beat, so syncopations show the beat. A rest takes a plain value that
// starts on a multiple of itself (a half rest on beat 1 or 3 of 4/4, not on beat 2), or a whole
// dotted beat of a compound meter.
std::int64_t piece_value(std::int64_t into, std::int64_t left, const time::Meter& meter,
                         bool rest) {
  const std::int64_t beat = beat_of(meter);
  const std::int64_t into_beat = into % beat;
  const bool comp = compound(meter);
  // The syncopated beat (eighth, quarter, eighth): a note of one beat from the middle of a beat
  // is written whole, unless it hides the middle of a bar of four beats.
  const std::int64_t middle = meter.numerator == 4 ? 2 * beat : 0;
  if (!rest && !comp && left == beat && beat % 2 == 0 && into_beat == beat / 2 &&
      !(into < middle && middle < into + beat) && (beat == kQuarter || beat == 2 * kQuarter)) {
    return beat;
  }
  const std::int64_t room = into_beat == 0 ? left : std::min(left, beat - into_beat);
  for (std::int64_t v : kValues) {
    if (v > room) continue;
    if (rest) {
      if (into % v != 0) continue;
      if (dotted(v) && !(comp && v % beat == 0)) continue;
    } else if (comp && into_beat == 0 && v > beat && v % beat != 0) {
      continue;
    }
    return v;
  }
  return 1;
}

// The number of beams of a value: eighths one, 16ths two, 32nds three, 64ths four; 0 for a
// quarter or longer.
int beams_of(std::int64_t value) {
  if (value >= 16) return 0;
  if (value >= 8) return 1;
  if (value >= 4) return 2;
  if (value >= 2) return 3;
  return 4;
}

// <beam> elements for the pieces of one voice in one bar: the notes of eighths or shorter in a
// beat (beam_unit) with no rest between them are one group; inner beams run between neighbours
// that have them, and a lone 16th in a group gets a hook toward its neighbour.
void beam(std::vector<Piece>& pieces, const Measure& bar) {
  const std::int64_t unit = beam_unit(bar.meter);
  std::size_t i = 0;
  while (i < pieces.size()) {
    const auto beamable = [&](std::size_t k) {
      return !pieces[k].pitches.empty() && beams_of(pieces[k].length) > 0;
    };
    if (!beamable(i)) {
      ++i;
      continue;
    }
    const std::int64_t group = (pieces[i].start - bar.start) / unit;
    std::size_t j = i + 1;
    while (j < pieces.size() && beamable(j) && (pieces[j].start - bar.start) / unit == group)
      ++j;
    if (j - i >= 2) {
      for (std::size_t k = i; k < j; ++k) {
        const int levels = beams_of(pieces[k].length);
        for (int level = 1; level <= levels; ++level) {
          const bool back = k > i && beams_of(pieces[k - 1].length) >= level;
          const bool ahead = k + 1 < j && beams_of(pieces[k + 1].length) >= level;
          const char* kind = back && ahead ? "continue"
                             : back        ? "end"
                             : ahead       ? "begin"
                             : k == i      ? "forward hook"
                                           : "backward hook";
          pieces[k].beams += cat("<beam number=\"", level, "\">", kind, "</beam>");
        }
      }
    }
    i = j;
  }
}

// Pieces of one voice: its notes and the rests between them cut at bar lines and into values,
// beamed. Rests fill the gaps in the first voice always, in other voices only in bars they use.
std::vector<std::vector<Piece>> pieces_of(const std::vector<Event>& voice,
                                          const std::vector<Measure>& measures, bool first_voice) {
  std::vector<std::vector<Piece>> out(measures.size());
  std::vector<Event> all;
  std::int64_t at = 0;
  for (const Event& e : voice) {
    if (e.start > at) {
      Event rest;
      rest.start = at;
      rest.end = e.start;
      all.push_back(std::move(rest));
    }
    all.push_back(e);
    at = e.end;
  }
  if (at < measures.back().end) {
    Event rest;
    rest.start = at;
    rest.end = measures.back().end;
    all.push_back(std::move(rest));
  }
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
      if (!rest) used[m] = true;
      while (s < stop) {
        const std::int64_t value =
            piece_value(s - measures[m].start, stop - s, measures[m].meter, rest);
        Piece p;
        p.start = s;
        p.length = value;
        p.pitches = e.pitches;
        p.tie_stop = !first && !rest;
        p.accent = first && e.accent;
        p.dynamic = first ? e.dynamic : -1;
        first = false;
        s += value;
        p.tie_start = !rest && s < e.end;
        p.staccato = !rest && s == e.end && e.staccato;
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
      Piece whole;
      whole.start = measures[i].start;
      whole.length = measures[i].end - measures[i].start;
      whole.measure_rest = true;
      out[i] = {std::move(whole)};
    }
    beam(out[i], measures[i]);
  }
  return out;
}

// The staff height of a full score by its number of staves: the more staves, the smaller, as
// engravers set a full score on smaller staves than a part. The sizes are the engravers' rastral
// sizes (7 mm a part's, and MuseScore's default; 6.5, 6, 5.5; 4.8 the size Gould gives for
// cadenzas and cue staves), the smallest staff count of each chosen so that two systems of the
// whole ensemble fit an A4 or Letter page with the staves kStaffGapSpaces apart: a system of n
// staves of height h is about h (2.1 n - 1.1) high, 117 mm for twelve at 4.8 mm. Beyond twelve a
// system takes most of a page, and 4.5 mm is the smallest size written.
double staff_height_for(std::size_t staves) {
  if (staves <= 3) return 7.0;
  if (staves <= 6) return 6.5;
  if (staves <= 8) return 6.0;
  if (staves <= 10) return 5.5;
  if (staves <= 12) return 4.8;
  return 4.5;
}

// The gap between the staves of a full score's system, in staff spaces, from kFullScoreStaves
// staves: about a staff's height, as in printed full scores (MuseScore's default, 6.5, is a
// part's or a piano score's). It is a minimum: MuseScore's autoplace moves staves apart where
// their notes, ledger lines or dynamics would meet. Measured on the demo's chase (1M2, twelve
// staves of a 16th-note ostinato, 4.8 mm): at 6.5 spaces one system fits a page, at 4.5 two do,
// 4 pages -> 3 (docs/hand-off.md).
constexpr double kStaffGapSpaces = 4.5;
constexpr std::size_t kFullScoreStaves = 7;

// A part's name as a score abbreviates it before the staves of every system after the first:
// each instrument word shortened as orchestral scores do ("Violins I" -> "Vln. I", "Horns 3-4"
// -> "Hn. 3-4", "Clarinet in Bb" -> "Cl. in Bb", "Double Basses" -> "Cb."), other words kept; a
// name with no instrument word it knows is kept whole. A lone "Bass" is kept (a synth or electric
// bass is not a double bass).
std::string abbreviation(const std::string& name) {
  static const std::map<std::string, std::string> kWords{
      {"piccolo", "Picc."},  {"flute", "Fl."},        {"flutes", "Fl."},      {"oboe", "Ob."},
      {"oboes", "Ob."},      {"clarinet", "Cl."},     {"clarinets", "Cl."},   {"bassoon", "Bsn."},
      {"bassoons", "Bsn."},  {"horn", "Hn."},         {"horns", "Hn."},       {"trumpet", "Tpt."},
      {"trumpets", "Tpt."},  {"trombone", "Tbn."},    {"trombones", "Tbn."},  {"tuba", "Tba."},
      {"timpani", "Timp."},  {"percussion", "Perc."}, {"drums", "Dr."},       {"harp", "Hp."},
      {"celesta", "Cel."},   {"piano", "Pno."},       {"synth", "Syn."},      {"strings", "Str."},
      {"violin", "Vln."},    {"violins", "Vln."},     {"viola", "Vla."},      {"violas", "Vla."},
      {"cello", "Vc."},      {"cellos", "Vc."},       {"violoncello", "Vc."}, {"basses", "Cb."},
      {"contrabass", "Cb."},
  };
  const auto lower = [](std::string w) {
    for (char& c : w)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return w;
  };
  std::vector<std::string> words;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t end = std::min(name.find(' ', i), name.size());
    if (end > i) words.push_back(name.substr(i, end - i));
    i = end + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string word = words[i];
    const std::string next = i + 1 < words.size() ? lower(words[i + 1]) : "";
    if (lower(word) == "double" && (next == "bass" || next == "basses")) {
      word = "Cb.";  // one instrument in two words
      ++i;
    } else if (const auto w = kWords.find(lower(word)); w != kWords.end()) {
      word = w->second;
    }
    out += out.empty() ? word : " " + word;
  }
  return out.empty() ? name : out;
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
  // Directions sit on the notes' grid: the nearest 16th of their bar.
  const BarGrid bars(measures);
  const auto on_grid = [&](time::BeatPos at) {
    return bars.snap(std::max<std::int64_t>(at.ticks(), 0), 4);
  };
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
        {on_grid(c.at), 0,
         cat("<direction placement=\"above\"><direction-type>", metronome(c.tempo),
             "</direction-type>", words, "<sound tempo=\"",
             number(c.tempo.quarters_per_minute().to_double(), 3), "\"/></direction>")});
  }
  for (const auto& s : score.sections) {
    if (s.label.empty()) continue;
    directions.push_back(
        {on_grid(s.at), 1,
         cat("<direction placement=\"above\"><direction-type><rehearsal>",
             base::xml_escape(s.label), "</rehearsal></direction-type></direction>")});
  }
  for (const auto& h : score.hits) {
    directions.push_back({on_grid(h.at), 2,
                          cat("<direction placement=\"above\"><direction-type><words>",
                              h.hard ? "HIT: " : "soft hit: ", base::xml_escape(h.label),
                              "</words></direction-type></direction>")});
  }
  if (options.chords) {
    for (const auto& c : score.chords) {
      if (auto x = harmony(c.symbol)) directions.push_back({on_grid(c.at), 3, std::move(*x)});
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
  // One staff per part: the layout is chosen by the number of parts.
  const std::size_t staves = score.parts.size();
  x += cat(
      "  <defaults><scaling><millimeters>",
      number(options.staff_height_mm > 0 ? options.staff_height_mm : staff_height_for(staves), 2),
      "</millimeters><tenths>40</tenths></scaling>");
  const double gap = options.staff_gap_spaces > 0 ? options.staff_gap_spaces
                     : staves >= kFullScoreStaves ? kStaffGapSpaces
                                                  : 0.0;
  // Tenths: a staff space is 10 (a staff of four spaces is 40, as <scaling> says).
  if (gap > 0) {
    x += cat("<staff-layout><staff-distance>", number(gap * 10, 2),
             "</staff-distance></staff-layout>");
  }
  x += "</defaults>\n";
  x += "  <part-list>\n";
  std::vector<PartLayout> layouts;
  for (std::size_t i = 0; i < score.parts.size(); ++i) {
    const compose::Part& p = score.parts[i];
    layouts.push_back(layout_of(p));
    const std::string id = cat("P", i + 1);
    x += cat("    <score-part id=\"", id, "\">\n      <part-name>", base::xml_escape(p.name),
             "</part-name>\n      <part-abbreviation>", base::xml_escape(abbreviation(p.name)),
             "</part-abbreviation>\n      <score-instrument id=\"", id, "-I1\"><instrument-name>",
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
    std::vector<std::vector<Event>> voices =
        voices_of(part, bars, measures.back().end, lay.percussion);
    mark_dynamics(voices);
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
          if (p.dynamic >= 0) {
            x += cat("      <direction placement=\"below\"><direction-type><dynamics><",
                     kDynamics[static_cast<std::size_t>(p.dynamic)],
                     "/></dynamics></direction-type></direction>\n");
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
            // Beams and articulations belong to the chord: on its first note.
            if (k == 0) x += p.beams;
            const bool marks = k == 0 && (p.accent || p.staccato);
            if (p.tie_stop || p.tie_start || marks) {
              x += cat("<notations>", p.tie_stop ? "<tied type=\"stop\"/>" : "",
                       p.tie_start ? "<tied type=\"start\"/>" : "");
              if (marks) {
                x += cat("<articulations>", p.accent ? "<accent/>" : "",
                         p.staccato ? "<staccato/>" : "", "</articulations>");
              }
              x += "</notations>";
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
