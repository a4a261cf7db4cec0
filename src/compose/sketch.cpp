#include "compose/sketch.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <span>

#include "compose/random.h"
#include "compose/tonal.h"
#include "midi/timing.h"
#include "music/chord.h"
#include "music/key.h"
#include "music/pitch.h"

namespace duet::compose {
namespace {

music::ChordKind kind_of_triad(int third, int fifth) {
  if (third == 4) return fifth == 8 ? music::ChordKind::aug : music::ChordKind::maj;
  return fifth == 6 ? music::ChordKind::dim : music::ChordKind::min;
}

struct PlannedChord {
  int root = 0;  // pitch class
  music::ChordKind kind = music::ChordKind::maj;
  std::string role = "diatonic";
  bool suspension = false;
  bool cluster = false;
  double beat = 0, beats = 4;
  std::vector<int> pcs() const {
    std::vector<int> out;
    for (const auto& tone : music::chord_tones(kind))
      out.push_back(music::wrap_pitch_class(root + tone.semitones));
    return out;
  }
};

// The triad on a degree of a scale (steps from the tonic).
PlannedChord triad_on(int tonic, const std::array<int, 7>& steps, int degree) {
  const auto at = [&](int d) { return steps[static_cast<std::size_t>(d % 7)]; };
  const int root = at(degree);
  const int third = music::wrap_pitch_class(at(degree + 2) - root);
  const int fifth = music::wrap_pitch_class(at(degree + 4) - root);
  return {music::wrap_pitch_class(tonic + root), kind_of_triad(third, fifth)};
}

// Whether degree i would make the fifth chord of a swing between two chords (A B A B A): the
// four before it already alternate.
bool swings(const std::vector<int>& d, int i) {
  if (i < 4) return false;
  const auto at = [&](int k) { return d[static_cast<std::size_t>(k)]; };
  return at(i - 1) != at(i - 2) && at(i - 1) == at(i - 3) && at(i - 2) == at(i - 4);
}

std::vector<PlannedChord> plan_harmony(const MusicalControls& c, int total_beats, Rng& rng) {
  const int tonic = c.tonic.value;
  const music::Mode mode = c.mode.value;
  const auto steps = steps_of(tonic, mode);
  const auto parallel = steps_of(tonic, bright(mode) ? music::Mode::minor : music::Mode::major);
  const double length =
      std::min(beats_per_chord(c.harmonic_rhythm.value), static_cast<double>(total_beats));
  const int count = std::max(1, static_cast<int>(std::lround(total_beats / length)));
  const auto& voc = c.vocabulary.value;

  std::vector<int> degrees(static_cast<std::size_t>(count), 0);
  for (int i = 1; i < count; ++i) {
    auto row = kMoves[static_cast<std::size_t>(degrees[static_cast<std::size_t>(i - 1)])];
    // No two chords back and forth more than four times (A B A B, then something else).
    if (swings(degrees, i))
      row[static_cast<std::size_t>(degrees[static_cast<std::size_t>(i - 2)])] = 0;
    degrees[static_cast<std::size_t>(i)] = static_cast<int>(rng.pick(row));
  }
  // A cadence: the dominant, then home, approached from a predominant (IV) rather than from the
  // dominant itself.
  if (count >= 3) degrees[static_cast<std::size_t>(count - 2)] = 4;
  if (count >= 4 && degrees[static_cast<std::size_t>(count - 3)] == 4) {
    degrees[static_cast<std::size_t>(count - 3)] = 3;
  }
  if (count >= 2) degrees[static_cast<std::size_t>(count - 1)] = 0;
  // The cadence's dominant and tonic may finish a swing (I V I V I): the chord before them
  // becomes the predominant.
  if (count >= 5 && degrees[static_cast<std::size_t>(count - 3)] == 0 &&
      degrees[static_cast<std::size_t>(count - 4)] == 4)
    degrees[static_cast<std::size_t>(count - 3)] = 3;

  std::vector<PlannedChord> out;
  for (int i = 0; i < count; ++i) {
    const int degree = degrees[static_cast<std::size_t>(i)];
    PlannedChord chord = triad_on(tonic, steps, degree);
    // The raised leading tone of common-practice minor at the cadence (harmonic minor's V).
    if (mode == music::Mode::minor && degree == 4 && i == count - 2) {
      chord.kind = music::ChordKind::maj;
    }
    const bool inner = i > 0 && i < count - 1 && !(count >= 3 && i == count - 2);
    if (inner) {
      const double u = rng.uniform();
      if (u < voc.chromatic_mediants && !out.empty()) {
        // Same quality, root a major or minor third away from the previous chord's: the two
        // share at most one tone (Kopp 2002's chromatic mediants).
        static constexpr std::array<int, 4> kThirds = {3, 4, 8, 9};
        const int move = kThirds[static_cast<std::size_t>(rng.next() % kThirds.size())];
        const PlannedChord& prev = out.back();
        chord.root = music::wrap_pitch_class(prev.root + move);
        chord.kind =
            prev.kind == music::ChordKind::min ? music::ChordKind::min : music::ChordKind::maj;
        chord.role = "chromatic mediant";
      } else if (u < voc.chromatic_mediants + voc.modal_mixture &&
                 mixture_degree(bright(mode), degree)) {
        PlannedChord borrowed = triad_on(tonic, parallel, degree);
        if (borrowed.kind != chord.kind || borrowed.root != chord.root) {
          chord = borrowed;
          chord.role = "modal mixture";
        }
      }
    }
    const bool has_third =
        chord.kind == music::ChordKind::maj || chord.kind == music::ChordKind::min;
    chord.suspension = has_third && i > 0 && rng.chance(voc.suspensions);
    chord.cluster = rng.chance(voc.clusters);
    chord.beat = i * length;
    chord.beats = i == count - 1 ? total_beats - chord.beat : length;
    out.push_back(chord);
  }
  return out;
}

std::string symbol_of(const PlannedChord& chord, const music::Key& key) {
  music::Chord symbol{music::spell_in_key(key, chord.root), chord.kind, std::nullopt};
  std::string out;
  if (chord.suspension) {
    out = music::to_string(music::Chord{symbol.root, music::ChordKind::sus4, std::nullopt},
                           music::ChordNotation::lead_sheet) +
          "-";
  }
  out += music::to_string(symbol, music::ChordNotation::lead_sheet);
  if (chord.cluster) out += "(add2)";
  return out;
}

// The piece's timing: beats (doubles, quarter notes) to file ticks.
struct Grid {
  int ppq = 480;
  std::int64_t tick(double beat) const {
    return static_cast<std::int64_t>(std::llround(beat * static_cast<double>(ppq)));
  }
};

// Velocities: the dynamic level at a place in the piece, with accents, inside the range.
struct Loudness {
  Dynamics dyn;
  double total_beats = 32;
  int at(double beat, double accent, double jitter) const {
    const double range = dyn.max_velocity - dyn.min_velocity;
    const double f = total_beats > 0 ? beat / total_beats : 0;
    const double level = 0.5 + dyn.crescendo * (f - 0.5);  // 0..1 of the range
    const double v = dyn.min_velocity + range * (level + accent + jitter);
    return std::clamp(static_cast<int>(std::lround(v)), dyn.min_velocity, dyn.max_velocity);
  }
};

double metric_accent(double beat) {
  const double in_bar = std::fmod(beat, 4.0);
  if (std::abs(in_bar) < 1e-9) return 0.15;
  if (std::abs(in_bar - 2.0) < 1e-9) return 0.08;
  if (std::abs(in_bar - std::round(in_bar)) < 1e-9) return 0.03;
  return -0.06;
}

midi::Note make_note(int channel, int key, int velocity, std::int64_t start, std::int64_t end) {
  midi::Note n;
  n.channel = static_cast<std::uint8_t>(channel);
  n.key = static_cast<std::uint8_t>(std::clamp(key, 0, 127));
  n.velocity = static_cast<std::uint8_t>(std::clamp(velocity, 1, 127));
  n.off_velocity = 64;
  n.start = start;
  n.duration = std::max<std::int64_t>(1, end - start);
  return n;
}

const PlannedChord& chord_at(const std::vector<PlannedChord>& chords, double beat) {
  for (std::size_t i = chords.size(); i-- > 0;) {
    if (chords[i].beat <= beat + 1e-9) return chords[i];
  }
  return chords.front();
}

// The pitch classes the melody may use under a chord: the key's scale with each scale note a
// semitone from a chord tone replaced by that chord tone (so a borrowed bVI brings its b6 and b3).
std::vector<int> melody_scale(const std::array<int, 7>& steps, int tonic,
                              const PlannedChord& chord) {
  std::vector<int> out;
  const auto tones = chord.pcs();
  for (int s : steps) {
    int pc = music::wrap_pitch_class(tonic + s);
    for (int t : tones) {
      const int d = music::wrap_pitch_class(t - pc);
      if (d == 1 || d == 11) pc = t;
    }
    out.push_back(pc);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool contains(const std::vector<int>& pcs, int pitch) {
  return std::find(pcs.begin(), pcs.end(), music::wrap_pitch_class(pitch)) != pcs.end();
}

// The nearest pitch to `target` in [low, high] whose pitch class is in `pcs`.
int nearest_in(const std::vector<int>& pcs, int target, int low, int high) {
  int best = std::clamp(target, low, high);
  int best_distance = 1000;
  for (int p = low; p <= high; ++p) {
    if (!contains(pcs, p)) continue;
    const int d = std::abs(p - target);
    if (d < best_distance) {
      best = p;
      best_distance = d;
    }
  }
  return best;
}

// The pitch `steps` scale steps from `from` (which need not be in the scale), inside [low, high];
// when the steps would leave the range the motion turns back, and when neither way fits the line
// stays where it is.
int step_in(const std::vector<int>& pcs, int from, int steps, int low, int high) {
  for (int direction : {steps >= 0 ? 1 : -1, steps >= 0 ? -1 : 1}) {
    int p = from;
    int moved = 0;
    while (moved < std::abs(steps)) {
      p += direction;
      if (p > high || p < low) break;
      if (contains(pcs, p)) ++moved;
    }
    if (moved == std::abs(steps)) return p;
  }
  return from;
}

std::vector<midi::Note> write_melody(const MusicalControls& c,
                                     const std::vector<PlannedChord>& chords, double total_beats,
                                     const Grid& grid, const Loudness& loud, Rng& rng) {
  const Register reg = c.register_span.value;
  const auto steps = steps_of(c.tonic.value, c.mode.value);
  const double target_ioi = 1.0 / c.density.value;  // beats
  static constexpr std::array<double, 8> kIois = {0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4};
  std::array<double, 8> weights{};
  // The rhythm's character follows the mode as well as the density, so that two feelings of
  // one energy do not share a rhythm: bright modes lean on dotted values (the lilt of
  // happiness: Gabrielsson & Lindstrom 2010 on rhythm and emotion); dark modes keep the plain
  // weights (evening them out made agitated sketches sound sad to the estimator).
  const bool lit = bright(c.mode.value);
  for (std::size_t i = 0; i < kIois.size(); ++i) {
    weights[i] = std::exp(-3.0 * std::abs(std::log2(kIois[i]) - std::log2(target_ioi)));
    const bool dotted = kIois[i] == 0.75 || kIois[i] == 1.5 || kIois[i] == 3;
    if (lit) weights[i] *= dotted ? 3.0 : 0.6;
  }
  // Wider leaps for more arousal: the span is wider then too.
  const double leap_chance = std::clamp((reg.span - 10) / 30.0, 0.05, 0.5);

  // The rhythm draws from a stream of its own, keyed by the mode: with one seed, two feelings of
  // one energy (a bright and a dark one) get different rhythms, not one rhythm in two modes.
  Rng rhythm(rng.next() ^ (static_cast<std::uint64_t>(mode_brightness(c.mode.value) + 1) *
                           0x9E3779B97F4A7C15ULL));
  std::vector<midi::Note> notes;
  int pitch = reg.centre;
  const PlannedChord* last_chord = nullptr;
  double beat = 0;
  while (beat < total_beats - 1e-9) {
    double ioi = kIois[rhythm.pick(weights)];
    // Short notes stay on their grid: a dotted or long value starts on an eighth at least.
    if (std::fmod(beat, 0.5) > 1e-9 && ioi > 0.25) ioi = 0.25;
    // Notes do not cross the bar line except when they start on a beat.
    const double bar_end = std::floor(beat / 4.0 + 1e-9) * 4.0 + 4.0;
    if (beat + ioi > bar_end + 1e-9 && std::fmod(beat, 1.0) > 1e-9) ioi = bar_end - beat;
    const bool last = beat + ioi >= total_beats - 1e-9;
    if (last) ioi = total_beats - beat;
    const PlannedChord& chord = chord_at(chords, beat);
    const auto scale = melody_scale(steps, c.tonic.value, chord);
    const auto tones = chord.pcs();
    if (last) {
      // End on the tonic (or a chord tone, if the composer's last chord lacks it).
      std::vector<int> home = {c.tonic.value};
      pitch =
          nearest_in(contains(tones, c.tonic.value) ? home : tones, pitch, reg.low(), reg.high());
    } else if (&chord != last_chord || std::fmod(beat, 2.0) < 1e-9) {
      // A chord tone on the chord's first onset and on strong beats, near where the line is,
      // pulled toward the centre of the register.
      const int pull = (reg.centre - pitch) / 3;
      const int target = pitch + pull + (rng.chance(leap_chance) ? (rng.chance(0.5) ? 5 : -5) : 0);
      pitch = nearest_in(tones, target, reg.low(), reg.high());
    } else {
      int move = rng.chance(0.5) ? 1 : -1;
      if (pitch > reg.centre + reg.span / 4 && rng.chance(0.3)) move = -1;
      if (pitch < reg.centre - reg.span / 4 && rng.chance(0.3)) move = 1;
      if (rng.chance(leap_chance)) move *= 2 + static_cast<int>(rng.next() % 2);
      pitch = step_in(scale, nearest_in(scale, pitch, reg.low(), reg.high()), move, reg.low(),
                      reg.high());
    }
    last_chord = &chord;
    const double sounding = last ? ioi : ioi * c.legato.value;
    const int velocity = loud.at(beat, metric_accent(beat), (rng.uniform() - 0.5) * 0.1);
    notes.push_back(make_note(0, pitch, velocity, grid.tick(beat), grid.tick(beat + sounding)));
    beat += ioi;
  }
  return notes;
}

// The chord voiced upward from near `bottom`, adjacent voices about `spacing` apart; voices above
// `ceiling` (the melody's centre) fold down an octave so the accompaniment stays under the tune.
std::vector<int> voice(const PlannedChord& chord, bool suspended, int bottom, int ceiling,
                       double spacing) {
  std::vector<int> pcs = chord.pcs();
  if (suspended && pcs.size() >= 2) pcs[1] = music::wrap_pitch_class(chord.root + 5);
  std::vector<int> out;
  int p = nearest_in({pcs[0]}, bottom, bottom - 6, bottom + 6);
  out.push_back(p);
  const int gap = std::max(1, static_cast<int>(std::lround(spacing)) - 2);
  for (std::size_t i = 1; i < pcs.size(); ++i) {
    int q = p + gap;
    while (music::wrap_pitch_class(q) != pcs[i])
      ++q;
    out.push_back(q);
    p = q;
  }
  if (chord.cluster) out.push_back(out.front() + 2);  // the second above the root, inside
  std::sort(out.begin(), out.end());
  while (out.back() > ceiling && out.back() - 12 >= 24) {
    out.back() -= 12;
    std::sort(out.begin(), out.end());
  }
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Parts {
  std::vector<midi::Note> accompaniment, bass;
};

Parts write_accompaniment(const MusicalControls& c, const std::vector<PlannedChord>& chords,
                          const Grid& grid, const Loudness& loud, Rng& rng) {
  const Register reg = c.register_span.value;
  const double activity = c.activity.value;
  const double legato = c.legato.value;
  // The pulse of the accompaniment, in beats, as activity rises: held chords, repeated half-note
  // chords, chords broken in quarters and then in eighths (flowing figures), driving sixteenths.
  const double pulse = activity < 0.25   ? 4.0
                       : activity < 0.45 ? 2.0
                       : activity < 0.6  ? 1.0
                       : activity < 0.8  ? 0.5
                                         : 0.25;
  const bool broken = pulse == 0.5 || pulse == 1.0;
  const double spacing = c.spacing.value;
  const int ceiling = reg.centre;
  const int bottom =
      std::clamp(reg.low() - 4 - static_cast<int>(std::lround(2 * spacing)), 30, ceiling - 3);
  Parts parts;
  for (const PlannedChord& chord : chords) {
    const double end = chord.beat + chord.beats;
    const double step = std::min(pulse, chord.beats);
    std::size_t index = 0;
    for (double beat = chord.beat; beat < end - 1e-9; beat += step, ++index) {
      const bool suspended = chord.suspension && beat < chord.beat + chord.beats / 2 - 1e-9;
      const auto voices = voice(chord, suspended, bottom, ceiling, spacing);
      const double length = std::min(step, end - beat);
      const double sounding = length * legato;
      const double accent = metric_accent(beat) - 0.05;
      const double jitter = (rng.uniform() - 0.5) * 0.06;
      if (broken) {
        // Up and down the chord: 0 1 2 1 0 1 2 1...
        const std::size_t n = voices.size();
        const std::size_t cycle = n > 1 ? 2 * n - 2 : 1;
        const std::size_t k = index % cycle;
        const int key = voices[k < n ? k : cycle - k];
        parts.accompaniment.push_back(make_note(1, key, loud.at(beat, accent, jitter),
                                                grid.tick(beat), grid.tick(beat + sounding)));
      } else {
        for (int key : voices) {
          parts.accompaniment.push_back(make_note(1, key, loud.at(beat, accent, jitter),
                                                  grid.tick(beat), grid.tick(beat + sounding)));
        }
      }
    }
    // The bass: the root below the accompaniment, half as often (a beat at the fastest, once a
    // bar at the slowest); at high activity it alternates octaves.
    const int root = nearest_in({chord.root}, bottom - 12, 28, 52);
    const double bass_step = std::min(std::clamp(pulse * 2, 1.0, 4.0), chord.beats);
    std::size_t k = 0;
    for (double beat = chord.beat; beat < end - 1e-9; beat += bass_step, ++k) {
      const double length = std::min(bass_step, end - beat);
      const int key = activity >= 0.6 && k % 2 == 1 ? root + 12 : root;
      parts.bass.push_back(make_note(2, key, loud.at(beat, metric_accent(beat), 0.0),
                                     grid.tick(beat), grid.tick(beat + length * legato)));
    }
  }
  return parts;
}

// A MIDI key signature names only major or minor keys: the bright modes are written with the
// tonic's major signature and the dark ones with its minor signature (C dorian as C minor), so
// the tonic stays right and the mode's own notes appear as accidentals. The tonic is spelled
// the way that needs fewer accidentals, flats on a tie (C# minor, not Db minor; Gb major).
midi::KeySignature signature_of(int tonic, music::Mode mode) {
  const music::Mode written = bright(mode) ? music::Mode::major : music::Mode::minor;
  const music::Key flats{music::spell_pitch_class(tonic, true), written};
  const music::Key sharps{music::spell_pitch_class(tonic, false), written};
  const int fifths = std::abs(sharps.signature()) < std::abs(flats.signature()) ? sharps.signature()
                                                                                : flats.signature();
  return midi::KeySignature{static_cast<std::int8_t>(fifths), written == music::Mode::minor};
}

}  // namespace

base::Result<Sketch> make_sketch(const MusicalControls& c, const SketchOptions& options) {
  if (auto ok = validate(c); !ok) return ok.error();
  if (options.bars < 1 || options.bars > 64) {
    return base::make_error(base::ErrorKind::out_of_range, "a sketch has 1..64 bars, not ",
                            options.bars);
  }
  if (options.ticks_per_quarter < 24 || options.ticks_per_quarter > 32767 ||
      options.ticks_per_quarter % 24 != 0) {
    return base::make_error(base::ErrorKind::out_of_range,
                            "the sketch's ticks per quarter must be a multiple of 24 up to 32767 "
                            "(sixteenths and triplets land on ticks), not ",
                            options.ticks_per_quarter);
  }
  Rng rng(options.seed);
  const Grid grid{options.ticks_per_quarter};
  const int total_beats = options.bars * 4;
  const auto chords = plan_harmony(c, total_beats, rng);
  const Loudness loud{c.dynamics.value, static_cast<double>(total_beats)};
  const auto melody = write_melody(c, chords, total_beats, grid, loud, rng);
  const auto parts = write_accompaniment(c, chords, grid, loud, rng);

  Sketch out;
  const music::Key key{music::spell_pitch_class(c.tonic.value, true), c.mode.value};
  for (const PlannedChord& chord : chords) {
    out.chords.push_back({chord.beat, chord.beats, symbol_of(chord, key), chord.role,
                          chord.suspension, chord.cluster});
  }

  // The conductor: name, meter, key, a tempo per bar moving across the range, a marker per chord.
  const TempoRange tempo = c.tempo.value;
  const double mid = (tempo.min_bpm + tempo.max_bpm) / 2;
  const double half = (tempo.max_bpm - tempo.min_bpm) / 2;
  out.start_bpm = mid - tempo.drift * half;
  out.end_bpm = mid + tempo.drift * half;
  midi::Track conductor;
  conductor.events.push_back({0, midi::Text{midi::TextKind::track_name, "duet sketch"}});
  conductor.events.push_back({0, midi::TimeSignature{4, 2, 24, 8}});
  conductor.events.push_back({0, signature_of(c.tonic.value, c.mode.value)});
  for (int bar = 0; bar < options.bars; ++bar) {
    const double f = options.bars > 1 ? static_cast<double>(bar) / (options.bars - 1) : 0.0;
    const double bpm = out.start_bpm + (out.end_bpm - out.start_bpm) * f;
    const auto us = static_cast<std::uint32_t>(std::lround(60'000'000.0 / bpm));
    midi::insert_event(conductor, {grid.tick(bar * 4.0), midi::SetTempo{us}});
  }
  for (const SketchChord& chord : out.chords) {
    midi::insert_event(conductor,
                       {grid.tick(chord.beat), midi::Text{midi::TextKind::marker, chord.symbol}});
  }
  conductor.end_tick = grid.tick(total_beats);

  const Palette palette = c.palette.value;
  const auto part = [&](const std::string& name, int channel, int program,
                        const std::vector<midi::Note>& notes) {
    midi::Track track = midi::track_from_notes(name, static_cast<std::uint8_t>(channel),
                                               static_cast<std::uint8_t>(program), notes);
    track.end_tick = std::max(track.end_tick, conductor.end_tick);
    return track;
  };
  out.file.format = 1;
  out.file.division.ticks_per_quarter = static_cast<std::uint16_t>(options.ticks_per_quarter);
  out.file.tracks = {conductor, part("melody", 0, palette.melody, melody),
                     part("accompaniment", 1, palette.accompaniment, parts.accompaniment),
                     part("bass", 2, palette.bass, parts.bass)};
  out.notes = static_cast<int>(melody.size() + parts.accompaniment.size() + parts.bass.size());
  return out;
}

}  // namespace duet::compose
