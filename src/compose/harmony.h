// The writer's harmony stage: a progression for the plan, then its voicing under the melody.
//
// write_progression: chord slots per section at the harmonic rhythm the controls and the
// approach ask for, on bar lines (half bars or beats when it is quick), quickening to two chords
// in the last bar of each phrase (the cadential bar). Phrase ends get their cadence: an
// authentic one (V -> I, the Aeolian bVII -> i, or the plagal IV -> I), a half cadence on V, the
// dominant before a hard hit whose chord is the tonic (stinger, tutti) or a deceptive bVI / vi (a
// colour change); the last chord is the tonic (with a Picardy third where a minor cue ends in
// hope) or the dominant into a segue. The free chords are drawn from the chord model (or a
// table of functional moves) times the mode's vocabulary (diatonic, modal mixture, chromatic
// mediants, suspended chords), with the tonic and the dominant held back (they already close
// every phrase) and no two-chord alternation longer than four. Colour grows with the tension
// curve: sevenths, added ninths, minor ninths, the dominant's sus4 and b9; tonic pedals open
// quiet phrases and dominant pedals build into big hits.
//
// voice_progression: four voices (bass + three upper) voiced by choose_voicing (voicing.h) in
// registers under the melody (the soprano stays at least a whole step under the lowest melody
// note over the chord), with no parallel fifths or octaves between any two voices or between a
// voice and the melody; the bass sits an octave lower in loud sections (a 16-foot foundation).
// A voice that holds the fourth over from the chord before into a chord whose third it then
// takes is written as a prepared 4-3 suspension.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "compose/brief.h"
#include "compose/plan.h"
#include "compose/random.h"
#include "compose/score.h"
#include "compose/voicing.h"
#include "music/chord.h"
#include "music/chord_recognition.h"

namespace duet::compose {

struct HarmonyChord {
  time::BeatPos at;
  time::BeatDur length;
  std::size_t section = 0;
  int root = 0;  // pitch class
  music::ChordKind kind = music::ChordKind::maj;
  bool add9 = false;        // a ninth added to a triad (no seventh)
  std::optional<int> bass;  // pitch class in the bass when not the root (pedal, inversion)
  bool pedal = false;       // the bass is a pedal point held under the chord
  std::string role;         // "tonic", "dominant", "cadence", "modal mixture", ...
  bool forced = false;      // fixed by the plan (cadence, hit) or by a lock
  bool colour = false;      // a seventh, ninth or suspension added for colour
  // Voices given by locked material (MIDI pitch): the locked bass (fixed[0]); the upper voices
  // are kept by the locks themselves (apply_locks), not by the voicing.
  std::array<std::optional<int>, 4> fixed;
  Voicing voicing{};  // bass, tenor, alto, soprano (after voice_progression)
  // A prepared suspension: the voice (1..3) that holds `suspended_pitch` over from the chord
  // before for the first half of this chord, then resolves down to its voicing pitch.
  std::optional<std::size_t> suspended_voice;
  int suspended_pitch = 0;

  // The chord's pitch classes, root first, then in the order a voicing keeps them (third,
  // seventh, ninth, fifth); the added ninth included.
  std::vector<int> tones() const;
  // Lead-sheet symbol spelled in the key ("Cm7", "Bbadd9", "G7sus4", "C/G").
  std::string symbol(int tonic, music::Mode mode) const;
  time::BeatPos end() const { return at + length; }
};

struct Progression {
  std::vector<HarmonyChord> chords;  // by time, contiguous over the plan's span
  // The chord sounding at `at` (the first before the first chord, the last after the last).
  const HarmonyChord& at(time::BeatPos at) const;
  std::size_t index_at(time::BeatPos at) const;
};

// The chords (no voicing yet). `chords` may be null (the table of moves is used).
// `held` are melody notes already placed (theme statements): a free chord starting under one
// holds its pitch, and colour that would clash with it is left out.
Progression write_progression(const CuePlan& plan, const CueBrief& brief, model::ChordModel* chords,
                              const std::vector<ScoreNote>& held, Rng& rng, WriterNotes& notes);

// Voices every chord under the melody (notes by start, monophonic). Sets voicing and the
// suspensions.
void voice_progression(Progression& progression, const CuePlan& plan,
                       const std::vector<ScoreNote>& melody, Rng& rng, WriterNotes& notes);

// A score's chord symbol as the writer spells it: a lead-sheet symbol with an optional "add9"
// and "/bass" (HarmonyChord::symbol). The added ninth is not a music::ChordKind, so it is
// reported apart. Fails naming the symbol.
struct ScoreChordSymbol {
  music::Chord chord;  // the bass in chord.bass when a slash gives one
  bool add9 = false;
};
base::Result<ScoreChordSymbol> parse_score_chord(std::string_view symbol);

// How a chord is heard: its tones (pitch classes) over its bass, named by the chord recognition
// the critics run per beat (music/chord_recognition.h). B minor over A is heard as D, C over A
// as A minor. The writer tells chords apart by this when it breaks swings of two chords.
std::optional<music::ChordLabel> heard_as(std::span<const int> tones, int bass);

// The MIDI pitch a line sounds at `at` (the highest note sounding there), if any.
std::optional<int> sounding(const std::vector<ScoreNote>& line, time::BeatPos at);

}  // namespace duet::compose
