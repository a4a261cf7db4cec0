// The craft measures: what a composer hears as craft (or its lack) in a cue, measured from its
// Score alone (and the cue where a measure needs the emotion curve). The critics
// (compose/critics.h) turn them into scores and reasons, and an evaluation reads the same
// figures: one definition per fact. Each is a function of a Score, so it judges the engine's
// output and a composer's own MIDI read through from_midi alike. docs/composing.md, "Craft
// measures", has the goals and the reasons behind each definition.
//
// Shared definitions (every measure below uses these words in this sense):
//   percussion      a part on the General MIDI drum channel (index 9) or with Role::percussion;
//                   the pitch measures leave it out.
//   melody          melody_part(score) (critics.h): the part with Role::melody, else the
//                   non-percussion part with the highest mean pitch. Its line is melody_of (one
//                   note per onset, the highest of a chord, cut at the next onset).
//   accompaniment   every other non-percussion part.
//   beat            a beat of the meter (a quarter in 4/4, an eighth in 6/8) from each bar's
//                   start: beat_positions().
//   strong beat     strong_beat(): an onset exactly on the downbeat; in meters of 2 or 3 beats
//                   (2/4, 3/4, 2/2, 3/8) on every beat (the beat is the main pulse); in 4/x on
//                   beats 1 and 3; in compound meters (6/x, 9/x: every dotted group's first beat,
//                   1 4 or 1 4 7; 12/x: beats 1 and 7); in other meters (5/4, 7/8) the downbeat
//                   only.
//   sounding        a note sounds at p when start <= p < start + length.
//   loud beats      loud_beats(): the beats of the sections whose target arousal is above 0.3
//                   (Section::arousal); a score whose sections carry no target (every valence,
//                   arousal and tension 0: a composer's MIDI, or any file read by from_midi,
//                   whose sections come from markers) takes the beats whose mean sounding
//                   velocity is in the top third (at least the value two thirds of the way up
//                   the sorted means: with even velocities, every beat).
//   real voices     parts with Role melody, countermelody, bass or harmony. Ostinato, pad and
//                   percussion parts are figuration and doublings (arpeggios, held colour, stabs,
//                   drums), not lines of the counterpoint.
//   where           each detail keeps its BeatPos; the critics say it with bar_beat() ("bar 5
//                   beat 3").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "compose/score.h"
#include "music/chord_recognition.h"
#include "music/key.h"
#include "music/theme.h"
#include "spot/cue.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::compose {

// ---- The goals (the targets; docs/composing.md, "Craft measures") ----
// Off-grid onsets, short notes and parallels have the goal 0.
inline constexpr double kGoalCoveredShare = 0.20;         // at most
inline constexpr int kGoalBassMedian = 40;                // E2, at most
inline constexpr int kGoalTuttiSpan = 48;                 // semitones, at least
inline constexpr double kGoalTonicDominant = 0.5;         // at most
inline constexpr int kGoalAlternation = 4;                // chords, at most
inline constexpr double kGoalColourR = 0.5;               // at least
inline constexpr double kGoalClashesPer100 = 2;           // at most
inline constexpr double kGoalDevelopment = 0.30;          // at least
inline constexpr double kGoalPatternIdentity = 0.5;       // at least
inline constexpr double kGoalExactCopies = 0.75;          // at most
inline constexpr double kGoalSyncopation = 0.10;          // share of bars, at least
inline constexpr double kGoalPhraseBars = 8;              // bars without a breath, at most
inline constexpr int kGoalClimaxBars = 2;                 // bars from the tension's peak, at most
inline constexpr double kGoalAccompanimentJaccard = 0.6;  // between kept candidates, at most
inline constexpr double kGoalRhythmSimilarity = 0.5;      // between quadrant sketches, at most

// ---- Shared definitions ----

bool is_percussion(const Part& part);
// Role melody, countermelody, bass or harmony.
bool is_real_voice(Role role);
// Every beat of the meter from bar 1 up to (not including) `end`, in order.
std::vector<time::BeatPos> beat_positions(const time::TempoMap& map, time::BeatPos end);
// See "strong beat" above. False off a beat.
bool strong_beat(const time::TempoMap& map, time::BeatPos at);
// On the 16th grid (480 ticks), the 8th-triplet grid (640) or the 16th-triplet grid (320),
// counted from the start of the bar the position is in.
bool on_grid(const time::TempoMap& map, time::BeatPos at);
// Pearson's r of two series; 0 when they differ in size, have fewer than 2 values or either
// does not vary.
double pearson_r(std::span<const double> x, std::span<const double> y);

inline constexpr double kLoudArousal = 0.3;
struct LoudBeats {
  std::vector<time::BeatPos> beats;
  bool from_sections = false;  // true: the sections' arousal; false: the velocities
};
LoudBeats loud_beats(const Score& score);

// ---- 1. The melody covered by the accompaniment [goal <= 0.20] ----
// The share of the melody's sounding time during which some accompaniment note sounds above the
// melody's current pitch (its highest sounding note). A part that doubles the melody (at least
// 3/4 of its notes start with a melody note at the same pitch or whole octaves away) is the
// melody's colour, not a cover: it is excepted. Not judged without a melody or accompaniment.
struct CoveredSpan {
  time::BeatPos from, to;  // one stretch where the melody is covered
  std::string part;        // the highest part above it at `from`
  int melody_pitch = 0;    // at `from`
  int above_pitch = 0;     // that part's pitch at `from`
};
struct MelodyCover {
  bool judged = false;
  double share = 0;  // covered / melody time, 0..1
  time::BeatDur melody_time{0}, covered_time{0};
  std::string melody;                  // the melody part's name
  std::vector<std::string> doublings;  // parts excepted as doublings of the melody
  std::vector<CoveredSpan> spans;      // every covered stretch, in time order
};
MelodyCover melody_covered_share(const Score& score);

// ---- 2. The bass in loud sections [goal: median <= E2 = MIDI 40] ----
// The lowest sounding non-percussion pitch at every loud beat (beats with nothing sounding are
// skipped); the median (the mean of the middle two for an even count). Not judged without loud
// beats that sound.
struct BassFoundation {
  bool judged = false;
  bool from_sections = false;  // loud beats from the sections (else from the velocities)
  double median = 0;           // MIDI pitch
  int samples = 0;
  int highest = 0;              // the highest of the sampled basses
  time::BeatPos highest_at{0};  // where it first is
};
BassFoundation bass_median_loud(const Score& score);

// ---- 3. The tutti's span in loud sections [goal: 90th percentile >= 48 semitones] ----
// At every loud beat that sounds, the highest minus the lowest sounding non-percussion pitch;
// the 90th percentile (nearest rank: the smallest value at least 90% of the beats are at or
// under) and the widest beat.
struct TuttiSpan {
  bool judged = false;
  bool from_sections = false;
  int p90 = 0;  // semitones
  int max = 0;
  time::BeatPos max_at{0};
  int samples = 0;
};
TuttiSpan tutti_span(const Score& score);

// ---- Chords from the notes (4, 5, 6) ----
// One chord per beat recognised from the sounding non-percussion notes (music::recognize_chords,
// its default options: triads maj, min, dim, aug, sus, a cost per change), equal neighbours
// merged, silent ("N") beats left out. Recognised from the notes, not read from Score::chords,
// so a composer's MIDI is judged the same way. Each chord's key is its section's
// (Section::key at the chord's start); a score without sections has one key found from all its
// notes (music::find_key, duration-weighted).
struct RecognisedChord {
  time::BeatPos from, to;
  music::ChordLabel label;
  music::Key key;
};
std::vector<RecognisedChord> recognised_chords(const Score& score);
// "D", "Bm", "F#dim", "Caug", "Gsus".
std::string chord_name(const music::ChordLabel& label);

// ---- 4. Tonic and dominant [goal <= 0.5] ----
// The share of the recognised chords' time whose root is the key's tonic or its dominant (a
// fifth above), whatever the chord's quality. Not judged without chords.
struct TonicDominant {
  bool judged = false;
  double share = 0;
  time::BeatDur tonic{0}, dominant{0}, total{0};
};
TonicDominant tonic_dominant_share(std::span<const RecognisedChord> chords);

// ---- 5. Two chords back and forth [goal <= 4] ----
// In the sequence of recognised chords (equal neighbours merged, N left out), the longest run of
// consecutive chords that uses only two distinct chords: A B A B is 4, A B 2, one chord alone 1.
struct Alternation {
  bool judged = false;
  int length = 0;  // chords in the run
  time::BeatPos from{0}, to{0};
  std::string first, second;  // the two chords (chord_name)
};
Alternation longest_two_chord_alternation(std::span<const RecognisedChord> chords);

// ---- 6. Colour follows tension [goal: Pearson r >= 0.5] ----
// A beat is coloured when its sounding pitch classes, against the chord recognised there (root r),
// include a seventh (r+10 or r+11; r+9 over a diminished triad), a ninth (r+1, r+2; r+3 over a
// major or augmented triad), a suspension (a sus chord: the 4th or 2nd instead of the third), or
// a bass pedal that is not a chord tone (the lowest note is none of the triad's tones and the
// same pitch was lowest on the beat before). Per bar that sounds: the share of its beats that
// are coloured, against the cue's tension at the bar's middle (its film time); Pearson r. Not
// judged with fewer than 4 bars or a flat tension curve (range under 0.05).
struct BarColour {
  std::int64_t bar = 0;
  double colour = 0;  // share of coloured beats, 0..1
  double tension = 0;
};
struct ColourTension {
  bool judged = false;
  std::string not_judged;  // why not, in words
  double r = 0;
  std::vector<BarColour> bars;
};
ColourTension colour_tension_correlation(const Score& score, const spot::Cue& cue);
ColourTension colour_tension_correlation(const Score& score, const spot::Cue& cue,
                                         std::span<const RecognisedChord> chords);

// ---- 7. Unprepared clashes [goal <= 2 per 100 melody notes] ----
// A melody note (melody_of's line) starting on a strong beat clashes when it forms a minor 2nd, a
// major 7th or a minor 9th (interval class 1 or 11, any octave) with an accompaniment note
// sounding then, and neither tone was prepared: a tone is prepared when its note began before
// the strong beat (held over: a suspension or a pedal) or its part's previous onset sounded the
// same pitch (repeated). Counted once per melody note; per 100 melody notes.
struct Clash {
  time::BeatPos at;
  int melody_pitch = 0;
  std::string part;  // the accompaniment part it clashes with
  int other_pitch = 0;
};
struct Clashes {
  bool judged = false;
  double per_100 = 0;
  int melody_notes = 0;
  std::vector<Clash> clashes;  // in time order
};
Clashes unprepared_clashes(const Score& score);

// ---- 8. Onsets off the grid [goal 0] ----
// Every note onset of every part (percussion included) that is not on_grid(): not on the 16th,
// 8th-triplet or 16th-triplet grid from its bar's start.
struct NoteAt {
  time::BeatPos at;
  std::string part;
  int pitch = 0;
  std::int64_t ticks = 0;  // off-grid: ticks past the last 16th; short notes: the note's length
};
struct OffGrid {
  int onsets = 0;
  double share = 0;  // off / onsets (0 without notes)
  std::vector<NoteAt> off;
};
OffGrid off_grid_share(const Score& score);

// ---- 9. Notes shorter than a 32nd [goal 0] ----
// Non-percussion notes shorter than 240 ticks (a 32nd note at 1,920 per quarter).
inline constexpr std::int64_t kShortestNote = 240;
struct ShortNotes {
  int notes = 0;              // non-percussion notes looked at
  std::vector<NoteAt> found;  // the short ones (ticks = their length)
};
ShortNotes short_notes(const Score& score);

// ---- 10. The theme developed [goal >= 0.30] ----
// Cells are the 3-note windows of the theme material: the melody's notes inside the score's
// ThemeUse spans (any part's use; the melody line's notes that start in [at, at + length)) and
// every melody passed in `themes` (a composer's registered themes). A window's shape is its two
// intervals (semitones) and its rhythm the ratio of its two inter-onset intervals (so that an
// augmented or diminished cell still matches). Cells whose intervals are both 0 (a repeated
// note) say nothing of the theme and are not used. A melody bar (a bar in which a melody note
// starts) that overlaps no ThemeUse is developed when a 3-note window starting in it has the
// rhythm of a cell (ratio within 10%) and its intervals exactly or inverted, each within 2
// semitones (a step) of the cell's or of the inversion's. The share of such bars. Not judged
// without theme material or without such bars.
struct ThemeDevelopment {
  bool judged = false;
  std::string not_judged;
  double share = 0;
  int cells = 0;
  int bars = 0;                         // melody bars outside the theme's statements
  int developed = 0;                    // of them, holding a cell's rhythm and shape
  std::vector<std::int64_t> bare_bars;  // the bars that do not (bar numbers)
};
ThemeDevelopment theme_development_share(const Score& score,
                                         std::span<const music::Melody> themes = {});

// ---- 11. The ending [goal: ok] ----
// The last note of the melody line (or of the top voice, the highest note of any non-percussion
// part at each onset, when there is no melody) must (a) be the tonic or the third of the last
// section's key (the key found from all notes without sections), (b) last at least 2 beats of
// its meter, (c) start on a strong beat, and (d) have the tonic as the lowest note sounding at
// its start. A cue that hands over to the next (a Section or ScoreHit whose label contains
// "segue", any case) is not required to close: ok, with segue set.
struct Ending {
  bool judged = false;  // false: the score has no notes
  bool ok = false;
  bool segue = false;
  std::string segue_label;
  int pitch = 0;
  time::BeatPos at{0};
  time::BeatDur length{0};
  music::Key key;
  int bass = 0;  // the lowest pitch sounding at `at`
  bool tonic_or_third = false, long_enough = false, strong = false, tonic_bass = false;
};
Ending ending_ok(const Score& score);

// ---- 12. Parallels and crossings between the real voices [goal 0] ----
// Each real-voice part is read as one voice: its highest sounding note (the bass part's lowest)
// at every onset of any real voice. Two voices that both move, the same way, from a perfect
// fifth to a perfect fifth or from an octave (or unison) to an octave or unison, compound
// intervals included, are parallels; a rest breaks the line. Two parts that are in octaves or
// unison at 3 of 4 of their shared onsets (at least 4 shared) double each other: their octaves
// are not counted. A crossing is a harmony voice (bass or harmony part) sounding below the next
// harmony voice down (by mean pitch) within one choir (the bowed strings together, every other
// part by its General MIDI group of eight programs): a harp passing a viola, or a melody weaving
// through the accompaniment (melody_covered_share), is orchestration.
struct Parallel {
  time::BeatPos at;
  bool fifths = false;       // else octaves or unisons
  std::string upper, lower;  // part names (upper: higher on average)
  int upper_from = 0, lower_from = 0, upper_to = 0, lower_to = 0;
};
struct Crossing {
  time::BeatPos at;
  std::string upper, lower;  // upper is higher on average but sounds below lower here
  int upper_pitch = 0, lower_pitch = 0;
};
struct VoiceLeading {
  int voices = 0;     // real voices with notes
  int positions = 0;  // onsets looked at
  std::vector<Parallel> parallels;
  std::vector<Crossing> crossings;
  std::vector<std::pair<std::string, std::string>> doublings;  // (lower, upper) part names
};
VoiceLeading voice_leading(const Score& score);

// ---- Rhythm: the accompaniment's patterns and syncopation ----
// A bar's accompaniment pattern is the set of 16th slots (onset - bar start) / 480, rounded to
// the nearest, where any non-melody part (percussion included) starts a note. Looked at are the
// bars with an accompaniment onset. From the second such bar on, a bar recurs when its pattern
// has at least 2 onsets (a held chord is no pattern) and is within Jaccard 0.6 of the pattern of
// one of the 4 bars before it (equal, or a variation); it is an exact copy when equal to the bar
// before. identity = recurring bars / bars looked at after the first.
struct RhythmPatterns {
  bool judged = false;  // at least 2 bars looked at
  int bars = 0;
  int distinct = 0;  // distinct patterns
  int trivial = 0;   // bars whose pattern has at most 1 onset
  double identity = 0;
  double exact_copies = 0;  // share of bars (after the first) equal to the bar before
};
RhythmPatterns accompaniment_patterns(const Score& score);

// A syncopation is a note (any non-percussion part) that starts off the beat (not on a
// beat_positions() beat) and is accented (velocity at least 8 above its part's mean) or held
// across the next beat. The share of bars that sound and hold at least one.
struct Syncopation {
  int bars = 0;        // bars with a non-percussion onset
  int syncopated = 0;  // of them, with a syncopation
  double share = 0;
  int count = 0;                 // syncopations in all
  std::vector<NoteAt> examples;  // the first few
};
Syncopation syncopation(const Score& score);

// ---- Form: phrases and the climax ----
// The melody breathes where a note (melody_of's line) is followed by a rest of at least one beat
// of its meter, or lasts (to the next onset) at least 2 beats. The longest stretch of the
// melody without a breath, in bars (of the meter at its start), from a breath (or the melody's
// first onset) to the next breath's note's end (or the melody's end). Goal: at most 8 bars.
struct Breathing {
  bool judged = false;  // a melody of at least 2 notes
  double longest_bars = 0;
  time::BeatPos from{0}, to{0};
  int breaths = 0;
};
Breathing melody_breathing(const Score& score);

// The melody's highest note (the first, when it recurs; any recurrence counts for the distance)
// against the tension curve's peak (the bars whose middle is within 0.05 of the highest tension
// sampled at every bar's middle): the distance in bars from the nearest statement of the
// highest pitch to the nearest peak bar. Not judged without a melody, a curve, or with a flat
// curve (range under 0.05).
struct Climax {
  bool judged = false;
  std::string not_judged;
  int pitch = 0;
  time::BeatPos at{0};        // the statement nearest the peak
  std::int64_t peak_bar = 0;  // the peak bar nearest it
  double peak_tension = 0;
  std::int64_t distance_bars = 0;
};
Climax melody_climax(const Score& score, const spot::Cue& cue);

// ---- 13. Two scores: are candidates different pieces? ----
// Jaccard (|A and B| / |A or B|) of the sets of 16th-grid positions (onset / 480 ticks, rounded,
// from beat 0) where any part but the melody (percussion included) starts a note. 1 when both
// are empty. Goal between kept candidates: <= 0.6.
double accompaniment_onset_jaccard(const Score& a, const Score& b);
// The similarity (0..1) of the two melodies' rhythms: the mean of two weighted Jaccards (sum of
// minima / sum of maxima of the shares): (a) of the onsets' positions in their bar on the 16th
// grid (where in the bar the melody speaks: placement, syncopation), and (b) of the inter-onset
// intervals in 16ths, 1..16 (longer ones counted as 16) (its pace). Histograms of shares, so
// that melodies of different lengths compare, and no alignment, so that the same rhythm
// displaced by a bar is still the same rhythm. 0 when either has fewer than 2 notes. Goal
// between sketches of the four quadrants: <= 0.5.
double melodic_rhythm_similarity(const Score& a, const Score& b);

// ---- All the one-score measures at once (for an evaluation) ----
struct CraftMeasures {
  MelodyCover covered;
  BassFoundation bass;
  TuttiSpan span;
  TonicDominant tonic_dominant;
  Alternation alternation;
  ColourTension colour;
  Clashes clashes;
  OffGrid off_grid;
  ShortNotes short_notes;
  ThemeDevelopment development;
  Ending ending;
  VoiceLeading voices;
  RhythmPatterns patterns;
  Syncopation syncopation;
  Breathing breathing;
  Climax climax;
};
CraftMeasures measure_craft(const Score& score, const spot::Cue& cue,
                            std::span<const music::Melody> themes = {});

}  // namespace duet::compose
