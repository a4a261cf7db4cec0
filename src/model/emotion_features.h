// Musical features that carry emotion, measured from notes alone (no audio, no labels): the
// inputs of the emotion estimator (emotion_model.h).
//
// Everything here reads notes in seconds, with the beat given by the caller. The estimator
// (emotion_model.h) takes it from a file's tempo map when the notes follow it
// (check_tempo_map) and else hears it from the notes (estimate_beat): performed MIDI such as
// EMOPIA's carries a default 120 BPM map whatever the music does.
//
// The features, each a plain number (units in feature_info):
//   mode             best major key correlation - best minor key correlation (key profiles of
//                    Albrecht & Shanahan 2013): > 0 sounds major, < 0 minor
//   key_clarity      the best of the 24 key correlations (0..1): how tonal the passage is
//   minor_chords     share of the time in minor or diminished chords (chord recognition per beat)
//   chromaticism     share of the sounding time on pitch classes outside the key's scale
//   tempo            log2(beats per minute / 120), the tempo map's beat or estimated from onsets
//   density          log2(onsets per second), onsets within 30 ms counted once
//   register         mean pitch relative to middle C, in octaves
//   pitch_spread     standard deviation of the pitches, in octaves
//   loudness         mean key velocity / 127 (a performance feature: constant in score-like MIDI)
//   dynamics         standard deviation of the velocities / 127 (performance, likewise)
//   articulation     log2(median note duration / beat): long legato notes > 0, short notes < 0
//   dissonance       mean roughness of the pitch-class pairs sounding at each onset (weights per
//                    interval class: m2/M7 1, tritone 0.7, M2/m7 0.6, m3/M6 0.2, M3/m6 0.1)
//   harmonic_rhythm  chord changes per beat
//   third            (major third - minor third) / (both) above the key's tonic, by sounding time:
//                    1 only the major third, -1 only the minor
//   bass_mode        `mode` of the bass line (the lowest note at each onset), which states the
//                    tonic more plainly than the whole texture
//   melody_register  mean pitch of the top line (the highest note at each onset) relative to
//                    middle C, in octaves
//   surprise         the sequence model's mean information content of the top line's pitches
//                    (bits per note; IDyOM's "unexpectedness", Pearce 2005)
//   uncertainty      the mean entropy of its predictions (bits): how unclear the expectations are
//                    These two need a melody model (melody_expectation); measure_features leaves
//                    them 0.
// Key-relative, chord-degree, melodic, texture and pooled-window features
// (emotion_features_more.cpp; each explained in measure_more_features below):
//   degree_b3 .. degree_7  share of the sounding time on scale degree b3, 3, b6, 6, b7, 7 of the
//                    found key's tonic (0..1)
//   chord_I .. chord_other  share of the chord time (chords per beat) on I (major chord on the
//                    tonic), i (minor on the tonic), IV, iv, V (major), vi (minor on degree 6),
//                    the flat major chords bIII, bVI, bVII (modal mixture), and dim/aug/sus
//   melody_steps, melody_leaps  share of the top line's moves of 1-2 and of 5+ semitones
//   melody_descent   share of its moving intervals that go down
//   polyphony        mean number of notes sounding at each onset
//   bass_register    mean pitch of the bass line (lowest note at each onset) relative to C3 (48),
//                    in octaves
//   long_notes       share of the notes lasting at least a beat
//   minor_windows    share of the 6 s windows (every 3 s) whose `mode` is minor (< 0)
//   mode_spread      standard deviation of `mode` over those windows (changes of mode or key)
//   density_spread   standard deviation of `density` over those windows (contrasts of activity)
// Chord colour and vertical intervals (emotion_features_colour.cpp, measure_colour_features):
//   colour_major .. colour_minor_add9  share of the beats whose sounding pitch classes best
//                    match each chord type: triads (major, minor, diminished, augmented, sus4),
//                    sevenths (maj7, dominant 7, m7, half-diminished), added ninths (add9,
//                    minor add9) (0..1, summing to 1 over beats with notes). Without the bass a
//                    sus2, a 6 and a minor 6 are the same pitch classes as a sus4, a m7 and a
//                    half-diminished chord on another root, and are counted as those.
//   interval_m2 .. interval_tritone  share of each interval class among the pairs of pitch
//                    classes sounding in each beat: m2/M7, M2/m7, m3/M6, M3/m6, P4/P5, tritone
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "midi/smf.h"

namespace duet::model {

class MelodyModel;  // model/mvs.h

// A note as the estimator reads it.
struct EmotionNote {
  int pitch = 60;       // MIDI note number
  double onset = 0;     // seconds from the start of the piece
  double duration = 0;  // seconds (>= 0)
  int velocity = 80;    // 1..127
  friend bool operator==(const EmotionNote&, const EmotionNote&) = default;
};

// The notes of a MIDI file, every track, off the General MIDI drum channel (10, index 9), timed
// in seconds by the file's tempo map (or its SMPTE division), sorted by onset then pitch. Fails
// when the file has no such notes.
base::Result<std::vector<EmotionNote>> emotion_notes(const midi::MidiFile& file);

// When the last of the notes (sorted by onset) stops sounding, in seconds: the latest onset +
// duration, and at least the first onset. 0 when there are none.
double last_end(std::span<const EmotionNote> notes);

enum class EmotionFeature {
  mode,
  key_clarity,
  minor_chords,
  chromaticism,
  tempo,
  density,
  register_,
  pitch_spread,
  loudness,
  dynamics,
  articulation,
  dissonance,
  harmonic_rhythm,
  third,
  bass_mode,
  melody_register,
  surprise,
  uncertainty,
  // The features of emotion_features_more.cpp (measure_more_features).
  degree_b3,
  degree_3,
  degree_b6,
  degree_6,
  degree_b7,
  degree_7,
  chord_I,
  chord_i,
  chord_IV,
  chord_iv,
  chord_V,
  chord_vi,
  chord_flat,
  chord_other,
  melody_steps,
  melody_leaps,
  melody_descent,
  polyphony,
  bass_register,
  long_notes,
  minor_windows,
  mode_spread,
  density_spread,
  // The features of emotion_features_colour.cpp (measure_colour_features).
  colour_major,
  colour_minor,
  colour_dim,
  colour_aug,
  colour_sus4,
  colour_maj7,
  colour_dom7,
  colour_min7,
  colour_half_dim,
  colour_add9,
  colour_minor_add9,
  interval_m2,
  interval_M2,
  interval_m3,
  interval_M3,
  interval_P4,
  interval_tritone,
};
inline constexpr int kEmotionFeatureCount = 58;
using EmotionFeatures = std::array<double, kEmotionFeatureCount>;

struct EmotionFeatureInfo {
  std::string_view name;  // "mode", "register"... (model files use these)
  std::string_view high;  // how a composer says a high value: "major", "fast tempo"
  std::string_view low;   // and a low one: "minor", "slow tempo"
  bool performance;       // true when it vanishes in score-like MIDI (even velocities)
  bool sequence = false;  // true when it comes from the sequence model (melody_expectation)
};
const EmotionFeatureInfo& feature_info(EmotionFeature feature);
const EmotionFeatureInfo& feature_info(int index);  // 0..kEmotionFeatureCount-1
// The feature of a name, or -1.
int feature_index(std::string_view name);

struct BeatEstimate {
  double bpm = 120;     // beats per minute, 40..200
  double strength = 0;  // normalised autocorrelation at the chosen period (0..1)
};

// The beat from the onsets: an onset envelope (10 ms frames, each note adds 1, smoothed by a
// 20 ms Gaussian to forgive performed timing) is autocorrelated over periods of 0.3..1.5 s and
// each lag weighted by a log-normal preference around `prior_bpm` (one octave standard
// deviation; Ellis 2007's tempo prior), so that of the metrical levels the one nearest a
// tapped beat wins. Fewer than three onsets give prior_bpm with strength 0.
BeatEstimate estimate_beat(std::span<const EmotionNote> notes, double prior_bpm = 120);

// Measures the features of `notes` (a whole piece or a window) with a beat of `beat_seconds`.
// `span_seconds` is the length of time the notes occupy, for the density (the window's length;
// for a whole piece, from the first onset to the last note's end). No notes give all zeros
// except tempo.
EmotionFeatures measure_features(std::span<const EmotionNote> notes, double beat_seconds,
                                 double span_seconds);

// Fills the features from degree_b3 to density_spread (above) for the same notes;
// measure_features calls it.
void measure_more_features(std::span<const EmotionNote> notes, double beat_seconds,
                           EmotionFeatures& features);
// Fills the chord colour and interval features (colour_major .. interval_tritone);
// measure_features calls it.
void measure_colour_features(std::span<const EmotionNote> notes, double beat_seconds,
                             EmotionFeatures& features);

// The sequence model's expectations of the top line (the highest note of each onset event,
// lasting to the next event): its pitches predicted one by one by a copy of `model` whose
// long-term model does not learn (so pieces do not affect each other), with the short-term model
// if the model uses one. Onsets are placed on a 16th grid of the beat in 4/4; the key is the
// best key-profile match of all the notes. Fewer than two events give zeros.
struct MelodyExpectation {
  double surprise = 0;     // mean information content, bits per note
  double uncertainty = 0;  // mean entropy, bits
  std::size_t notes = 0;
};
MelodyExpectation melody_expectation(const MelodyModel& model, std::span<const EmotionNote> notes,
                                     double beat_seconds);
// Sets the surprise and uncertainty features of `features` from melody_expectation.
void add_expectation(EmotionFeatures& features, const MelodyModel& model,
                     std::span<const EmotionNote> notes, double beat_seconds);

// The same notes as a score would give them: every velocity `velocity`, onsets and durations
// rounded to the nearest 16th of a beat of `beat_seconds` (durations at least one 16th).
// The evaluation uses it to check that the estimator does not lean on performance.
std::vector<EmotionNote> score_like(std::span<const EmotionNote> notes, double beat_seconds,
                                    int velocity = 80);

}  // namespace duet::model
