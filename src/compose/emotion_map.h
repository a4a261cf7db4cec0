// From emotion to music: a point of feeling (valence, arousal, tension) and where it is heading
// become the controls a generator composes with: mode, harmonic vocabulary, tempo, density,
// register, dynamics, articulation, instruments and harmonic rhythm, each with the reason it was
// chosen. The composer can set any control; the mapping fills in the rest and records which
// controls the composer set. docs/emotion-mapping.md gives the table and its sources.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "music/key.h"
#include "spot/emotion.h"
#include "time/units.h"

namespace duet::compose {

// valence -1..1, arousal -1..1, tension 0..1 (spot::Emotion's ranges); values outside are
// clamped by controls_for.
using EmotionPoint = spot::Emotion;

// Where the feeling is heading: the change of each component over the passage the controls are
// for (end minus start, in the point's units). Positive arousal means the passage grows.
struct EmotionTrend {
  double valence = 0.0;
  double arousal = 0.0;
  double tension = 0.0;
  friend bool operator==(const EmotionTrend&, const EmotionTrend&) = default;
};

// The change of an emotion curve from `from` to `to` (a zero trend when the curve is empty).
EmotionTrend trend_of(const spot::EmotionCurve& curve, time::TimePos from, time::TimePos to);

// How much of each kind of harmony the generator may use, each 0..1. Diatonic chords are the
// rest: a weight is the chance that one chord of the progression is of that kind.
struct HarmonicVocabulary {
  double modal_mixture = 0.0;  // chords borrowed from the parallel mode (iv, bVI, bVII in major)
  double chromatic_mediants = 0.0;  // a triad a third away that shares at most one tone
  double suspensions = 0.0;         // sus4 held over the beat and resolved (or not)
  double clusters = 0.0;            // a second added inside the voicing
  friend bool operator==(const HarmonicVocabulary&, const HarmonicVocabulary&) = default;
};

// drift: the share of the range crossed over the passage, -1..1 (1: accelerando from min_bpm to
// max_bpm; -1: ritardando from max_bpm to min_bpm; 0: the middle of the range throughout).
struct TempoRange {
  double min_bpm = 90.0;  // quarter notes per minute
  double max_bpm = 100.0;
  double drift = 0.0;
  friend bool operator==(const TempoRange&, const TempoRange&) = default;
};

// The melody's register: MIDI pitches centre - span/2 .. centre + span/2. The accompaniment sits
// below it and the bass below that.
struct Register {
  int centre = 67;  // MIDI pitch
  int span = 14;    // semitones
  int low() const { return centre - span / 2; }
  int high() const { return centre + (span - span / 2); }
  friend bool operator==(const Register&, const Register&) = default;
};

// MIDI velocities 1..127. crescendo: the share of the range crossed over the passage, -1..1
// (1: from min_velocity to max_velocity; -1: the reverse; 0: around the middle throughout).
struct Dynamics {
  int min_velocity = 50;
  int max_velocity = 80;
  double crescendo = 0.0;
  friend bool operator==(const Dynamics&, const Dynamics&) = default;
};

// General MIDI programs 0..127 for the three parts a sketch writes.
struct Palette {
  int melody = 0;
  int accompaniment = 48;
  int bass = 32;
  friend bool operator==(const Palette&, const Palette&) = default;
};

// One control: its value, why the mapping chose it (or that the composer set it).
template <class T>
struct Control {
  T value{};
  std::string reason;
  bool overridden = false;
};

struct MusicalControls {
  Control<int> tonic;                      // pitch class 0..11 (0 = C)
  Control<music::Mode> mode;               // the diatonic mode
  Control<HarmonicVocabulary> vocabulary;  // modal mixture, mediants, suspensions, clusters
  Control<TempoRange> tempo;               // BPM
  Control<double> density;                 // melody onsets per beat (quarter note), 0.25..4
  Control<double> activity;                // rhythmic activity of the accompaniment, 0..1
  Control<Register> register_span;         // the melody's register
  Control<double> spacing;                 // semitones between adjacent accompaniment voices, 2..12
  Control<Dynamics> dynamics;
  Control<double> legato;  // sounding length / time to the next onset, 0.2..1
  Control<Palette> palette;
  Control<double> harmonic_rhythm;  // chords per 4/4 bar, 0.25..4
};

// Modes from dark to bright, 0 (locrian) .. 6 (lydian): locrian, phrygian, minor (aeolian),
// dorian, mixolydian, major (ionian), lydian (Persichetti's order of the modes by their raised
// and lowered degrees).
int mode_brightness(music::Mode mode);

// The names of the controls, in MusicalControls order, as overrides and reports use them:
// tonic, mode, vocabulary, tempo, density, activity, register, spacing, dynamics, legato, palette,
// harmonic_rhythm.
const std::vector<std::string_view>& control_names();
// Whether the control named `name` (one of control_names()) was set by the composer.
bool is_overridden(const MusicalControls& controls, std::string_view name);

// The composer's settings: each present value replaces the mapping's.
struct ControlOverrides {
  std::optional<int> tonic;
  std::optional<music::Mode> mode;
  std::optional<HarmonicVocabulary> vocabulary;
  std::optional<TempoRange> tempo;
  std::optional<double> density;
  std::optional<double> activity;
  std::optional<Register> register_span;
  std::optional<double> spacing;
  std::optional<Dynamics> dynamics;
  std::optional<double> legato;
  std::optional<Palette> palette;
  std::optional<double> harmonic_rhythm;
};

// The mapping. Continuous in every input except mode and palette (chosen from ordered tables) and
// monotone where the literature is: tempo, density, activity, loudness and harmonic rhythm rise
// with arousal; legato falls with arousal; mode brightness and register rise with valence;
// dissonant vocabulary (clusters, mediants, suspensions) rises with tension.
MusicalControls controls_for(const EmotionPoint& point, const EmotionTrend& trend = {});

// Checks one set of controls (an override, or the result of a merge): ranges as documented on
// MusicalControls. Fails naming the control and the allowed range.
base::Result<void> validate(const MusicalControls& controls);

// The mapping's controls with the composer's overrides merged over them, each overridden control
// marked and its reason saying so. Fails when an override is out of range (validate()).
base::Result<MusicalControls> apply_overrides(MusicalControls controls,
                                              const ControlOverrides& overrides);

// Reads one override as text, name=value (the form `duet sketch --set` takes):
//   tonic=D          mode=dorian               tempo=90 or tempo=80-100
//   density=1.5      activity=0.3              register=67 or register=67:14 (centre:span)
//   spacing=5        velocity=40-70            crescendo=0.5      dynamics=40-70:0.5
//   legato=0.9       palette=73,48,43 (melody, accompaniment, bass GM programs 0..127)
//   harmonic_rhythm=2
//   modal_mixture=0.3  chromatic_mediants=0.2  suspensions=0.4  clusters=0.1
// velocity and crescendo set parts of dynamics, and the vocabulary names parts of the vocabulary;
// the other parts keep the value `base` gives them (the mapping's, for a CLI). Fails naming the
// setting and what it accepts.
base::Result<void> parse_override(std::string_view setting, const MusicalControls& base,
                                  ControlOverrides& overrides);

// Text of a control's value, as a report shows it ("dorian", "84-96 BPM", "60..74 (centre 67)").
std::string describe(const MusicalControls& controls, std::string_view name);
std::string_view reason_of(const MusicalControls& controls, std::string_view name);

}  // namespace duet::compose
