// The craft measures (compose/craft.h), each on small scores built by hand: every test fails
// when its measure breaks.
#include "compose/craft.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "music/key.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::TimePos;

constexpr std::int64_t kQ = time::kTicksPerQuarter;

// A cue at 10 s on the film, 120 quarters per minute (a quarter is 0.5 s).
constexpr std::int64_t kCueIn = 10 * time::kSuperclockPerSecond;

TimePos film_at_beat(double quarters) {
  return TimePos(kCueIn + static_cast<std::int64_t>(
                              quarters * 0.5 * static_cast<double>(time::kSuperclockPerSecond)));
}

Score empty_score(int bars, time::Meter meter = {}) {
  Score s;
  s.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(120)),
                                         meter, TimePos(kCueIn));
  s.end = BeatPos(bars * meter.bar_length().ticks());
  return s;
}

spot::Cue cue_for(int bars) {
  spot::Cue c;
  c.in = TimePos(kCueIn);
  c.out = film_at_beat(bars * 4.0);
  return c;
}

Part part(std::string name, Role role, int program = 0, int channel = 0) {
  Part p;
  p.name = std::move(name);
  p.role = role;
  p.program = program;
  p.channel = channel;
  return p;
}

void add(Part& p, double quarter, double quarters, int pitch, int velocity = 80) {
  p.notes.push_back({BeatPos(static_cast<std::int64_t>(quarter * kQ)),
                     BeatDur(static_cast<std::int64_t>(quarters * kQ)), pitch, velocity});
}

music::Key key(const char* text) {
  return *music::parse_key(text);
}

Section section(double quarter, const char* key_text, double arousal, const char* label = "A") {
  Section s;
  s.at = BeatPos(static_cast<std::int64_t>(quarter * kQ));
  s.label = label;
  s.key = key(key_text);
  s.arousal = arousal;
  return s;
}

// A triad (root position, close) held for `quarters` in a "Strings" harmony part.
void chord(Part& p, double quarter, double quarters, std::vector<int> pitches) {
  for (int pitch : pitches)
    add(p, quarter, quarters, pitch);
}

// ---- shared definitions ----

TEST(CraftDefinitions, StrongBeatsPerMeter) {
  const Score four = empty_score(2);
  EXPECT_TRUE(strong_beat(four.tempo_map, BeatPos(0)));
  EXPECT_FALSE(strong_beat(four.tempo_map, BeatPos(kQ)));
  EXPECT_TRUE(strong_beat(four.tempo_map, BeatPos(2 * kQ)));
  EXPECT_FALSE(strong_beat(four.tempo_map, BeatPos(3 * kQ)));
  EXPECT_FALSE(strong_beat(four.tempo_map, BeatPos(kQ / 2)));  // off the beat
  const Score three = empty_score(2, {3, 4});
  EXPECT_TRUE(strong_beat(three.tempo_map, BeatPos(kQ)));
  EXPECT_TRUE(strong_beat(three.tempo_map, BeatPos(2 * kQ)));
  const Score six = empty_score(2, {6, 8});  // eighth beats: 1 and 4 are the pulse
  EXPECT_TRUE(strong_beat(six.tempo_map, BeatPos(3 * kQ / 2)));
  EXPECT_FALSE(strong_beat(six.tempo_map, BeatPos(kQ / 2)));
  EXPECT_FALSE(strong_beat(six.tempo_map, BeatPos(kQ)));
  const Score five = empty_score(2, {5, 4});
  EXPECT_FALSE(strong_beat(five.tempo_map, BeatPos(2 * kQ)));
  EXPECT_TRUE(strong_beat(five.tempo_map, BeatPos(5 * kQ)));
}

TEST(CraftDefinitions, BeatPositionsFollowTheMeter) {
  const Score six = empty_score(2, {6, 8});
  const auto beats = beat_positions(six.tempo_map, six.end);
  ASSERT_EQ(beats.size(), 12u);
  EXPECT_EQ(beats[1], BeatPos(kQ / 2));
  EXPECT_EQ(beats[6], BeatPos(3 * kQ));
}

// ---- 1. covered ----

// [GIVEN] a flute melody under a higher string pad [THEN] covered all the time; [WHEN] the pad is
// moved under the melody [THEN] 0; [WHEN] a part doubles the melody an octave up [THEN] it is
// excepted, not a cover.
TEST(CraftCovered, PadAboveTheMelodyCoversIt) {
  Score s = empty_score(2);
  Part mel = part("Flute", Role::melody, 73);
  Part pad = part("Strings", Role::pad, 48);
  for (int i = 0; i < 8; ++i)
    add(mel, i, 1, 60 + (i % 3));
  chord(pad, 0, 8, {67, 72, 76});
  s.parts = {mel, pad};
  auto covered = melody_covered_share(s);
  ASSERT_TRUE(covered.judged);
  EXPECT_DOUBLE_EQ(covered.share, 1.0);
  ASSERT_EQ(covered.spans.size(), 1u);
  EXPECT_EQ(covered.spans[0].part, "Strings");
  EXPECT_EQ(covered.spans[0].above_pitch, 76);

  for (auto& n : s.parts[1].notes)
    n.pitch -= 24;
  EXPECT_DOUBLE_EQ(melody_covered_share(s).share, 0.0);

  Part octave = part("Piccolo", Role::harmony, 72);
  for (const auto& n : mel.notes)
    octave.notes.push_back({n.start, n.length, n.pitch + 12, 70});
  s.parts.push_back(octave);
  auto doubled = melody_covered_share(s);
  EXPECT_DOUBLE_EQ(doubled.share, 0.0);
  ASSERT_EQ(doubled.doublings.size(), 1u);
  EXPECT_EQ(doubled.doublings[0], "Piccolo");
}

// [GIVEN] a pad above the melody for half its time [THEN] 0.5.
TEST(CraftCovered, HalfTheTime) {
  Score s = empty_score(2);
  Part mel = part("Flute", Role::melody, 73);
  add(mel, 0, 8, 72);
  Part pad = part("Strings", Role::pad, 48);
  add(pad, 0, 4, 79);
  add(pad, 4, 4, 60);
  s.parts = {mel, pad};
  EXPECT_DOUBLE_EQ(melody_covered_share(s).share, 0.5);
}

// ---- 2, 3. bass and span in loud sections ----

// [GIVEN] a quiet section with a high bass and a loud one over E1..C6 [THEN] the median bass and
// the span are read in the loud one only.
TEST(CraftLoud, BassAndSpanInLoudSections) {
  Score s = empty_score(4);
  s.sections = {section(0, "C major", -0.5), section(8, "C major", 0.6, "B")};
  Part bass = part("Basses", Role::bass, 43);
  Part top = part("Violins", Role::melody, 40);
  add(bass, 0, 8, 48);  // C3 in the quiet half
  for (int i = 8; i < 16; ++i)
    add(bass, i, 1, i < 12 ? 28 : 31);  // E1 then G1
  add(top, 0, 8, 72);
  add(top, 8, 8, 84);  // C6
  s.parts = {bass, top};
  auto b = bass_median_loud(s);
  ASSERT_TRUE(b.judged);
  EXPECT_TRUE(b.from_sections);
  EXPECT_EQ(b.samples, 8);
  EXPECT_DOUBLE_EQ(b.median, 29.5);  // four E1 and four G1
  EXPECT_EQ(b.highest, 31);
  auto span = tutti_span(s);
  ASSERT_TRUE(span.judged);
  EXPECT_EQ(span.max, 84 - 28);
  EXPECT_EQ(span.p90, 84 - 28);

  // No loud section: neither is judged.
  s.sections[1].arousal = 0.2;
  EXPECT_FALSE(bass_median_loud(s).judged);
  EXPECT_FALSE(tutti_span(s).judged);
}

// [GIVEN] no sections (a composer's file) [THEN] the loud beats are the top third by velocity.
TEST(CraftLoud, WithoutSectionsTheLoudestThird) {
  Score s = empty_score(3);
  Part bass = part("Basses", Role::bass, 43);
  for (int i = 0; i < 12; ++i)
    add(bass, i, 1, i < 8 ? 50 : 36, i < 8 ? 60 : 110);
  s.parts = {bass};
  auto b = bass_median_loud(s);
  ASSERT_TRUE(b.judged);
  EXPECT_FALSE(b.from_sections);
  EXPECT_EQ(b.samples, 4);
  EXPECT_DOUBLE_EQ(b.median, 36);
  // Sections read back from MIDI carry no target: the velocities decide still.
  s.sections = {section(0, "C major", 0), section(4, "C major", 0, "B")};
  auto read_back = bass_median_loud(s);
  EXPECT_FALSE(read_back.from_sections);
  EXPECT_EQ(read_back.samples, 4);
}

// ---- 4, 5. chords ----

// One triad per bar in a "Strings" part over a bass on the root.
Score progression(const std::vector<std::vector<int>>& chords, const char* key_text) {
  Score s = empty_score(static_cast<int>(chords.size()));
  s.sections = {section(0, key_text, 0)};
  Part strings = part("Strings", Role::harmony, 48);
  Part bass = part("Basses", Role::bass, 43);
  for (std::size_t i = 0; i < chords.size(); ++i) {
    chord(strings, 4.0 * static_cast<double>(i), 4, chords[i]);
    add(bass, 4.0 * static_cast<double>(i), 4, chords[i][0] - 24);
  }
  s.parts = {strings, bass};
  return s;
}

const std::vector<int> kD = {62, 66, 69}, kA = {57, 61, 64}, kEm = {64, 67, 71}, kG = {55, 59, 62},
                       kBm = {59, 62, 66};

// [GIVEN] D A D A D A D in D major [THEN] all tonic and dominant, one alternation of 7.
TEST(CraftChords, TonicDominantAlternation) {
  Score s = progression({kD, kA, kD, kA, kD, kA, kD}, "D major");
  const auto chords = recognised_chords(s);
  ASSERT_EQ(chords.size(), 7u);
  EXPECT_EQ(chord_name(chords[0].label), "D");
  EXPECT_EQ(chord_name(chords[1].label), "A");
  auto td = tonic_dominant_share(chords);
  ASSERT_TRUE(td.judged);
  EXPECT_DOUBLE_EQ(td.share, 1.0);
  auto alt = longest_two_chord_alternation(chords);
  ASSERT_TRUE(alt.judged);
  EXPECT_EQ(alt.length, 7);
  EXPECT_EQ(alt.first, "D");
  EXPECT_EQ(alt.second, "A");
  EXPECT_EQ(alt.from, BeatPos(0));
  EXPECT_EQ(alt.to, BeatPos(28 * kQ));
}

// [GIVEN] D Em G A Bm G A D in D major [THEN] tonic and dominant 4 of 8 bars, no two chords back
// and forth (runs of 2); D Bm D Bm G has a run of 4.
TEST(CraftChords, AVariedProgression) {
  Score s = progression({kD, kEm, kG, kA, kBm, kG, kA, kD}, "D major");
  const auto chords = recognised_chords(s);
  ASSERT_EQ(chords.size(), 8u);
  EXPECT_DOUBLE_EQ(tonic_dominant_share(chords).share, 0.5);
  EXPECT_EQ(longest_two_chord_alternation(chords).length, 2);
  Score t = progression({kD, kBm, kD, kBm, kG}, "D major");
  EXPECT_EQ(longest_two_chord_alternation(recognised_chords(t)).length, 4);
}

// ---- 6. colour against tension ----

// [GIVEN] eight bars, plain triads where the tension is low and sevenths and ninths where it
// rises [THEN] r is high; the reverse gives a negative r; a flat curve is not judged.
TEST(CraftColour, ColourFollowsTension) {
  Score s = empty_score(8);
  Part strings = part("Strings", Role::harmony, 48);
  Part bass = part("Basses", Role::bass, 43);
  for (int bar = 0; bar < 8; ++bar) {
    if (bar < 4) {
      chord(strings, bar * 4, 4, {62, 66, 69});  // D
    } else {
      chord(strings, bar * 4, 4, {62, 66, 69, 72, 76});  // D7 add9
    }
    add(bass, bar * 4, 4, 38);
  }
  s.parts = {strings, bass};
  spot::Cue cue = cue_for(8);
  cue.emotion.keys = {{cue.in, {0, 0, 0.1}}, {cue.out, {0, 0, 0.9}}};
  auto rising = colour_tension_correlation(s, cue);
  ASSERT_TRUE(rising.judged) << rising.not_judged;
  EXPECT_GT(rising.r, 0.8);
  ASSERT_EQ(rising.bars.size(), 8u);
  EXPECT_DOUBLE_EQ(rising.bars[0].colour, 0.0);
  EXPECT_DOUBLE_EQ(rising.bars[7].colour, 1.0);

  cue.emotion.keys = {{cue.in, {0, 0, 0.9}}, {cue.out, {0, 0, 0.1}}};
  EXPECT_LT(colour_tension_correlation(s, cue).r, -0.8);
  cue.emotion.keys = {{cue.in, {0, 0, 0.5}}};
  EXPECT_FALSE(colour_tension_correlation(s, cue).judged);
}

// [GIVEN] a D pedal in the bass under a G chord held over from the bar before [THEN] the pedal
// colours the beat; a suspended chord colours it too.
TEST(CraftColour, PedalAndSuspension) {
  Score s = empty_score(4);
  Part strings = part("Strings", Role::harmony, 48);
  Part bass = part("Basses", Role::bass, 43);
  chord(strings, 0, 4, {57, 61, 64});              // A over A
  chord(strings, 4, 4, {52, 56, 59, 64, 68, 71});  // E over the held A: a pedal
  chord(strings, 8, 4, {57, 62, 64});              // Asus4
  chord(strings, 12, 4, {57, 61, 64});             // A
  add(bass, 0, 16, 33);
  s.parts = {strings, bass};
  spot::Cue cue = cue_for(4);
  cue.emotion.keys = {{cue.in, {0, 0, 0.0}}, {cue.out, {0, 0, 1.0}}};
  const auto chords = recognised_chords(s);
  ASSERT_EQ(chords.size(), 4u);
  EXPECT_EQ(chord_name(chords[1].label), "E");
  EXPECT_EQ(chord_name(chords[2].label), "Asus");
  auto c = colour_tension_correlation(s, cue);
  ASSERT_EQ(c.bars.size(), 4u);
  EXPECT_DOUBLE_EQ(c.bars[0].colour, 0.0);
  EXPECT_DOUBLE_EQ(c.bars[1].colour, 1.0) << "the pedal A under E";
  EXPECT_DOUBLE_EQ(c.bars[2].colour, 1.0) << "the suspension";
  EXPECT_DOUBLE_EQ(c.bars[3].colour, 0.0);
}

// ---- 7. clashes ----

// [GIVEN] the melody's C5 on a downbeat over a B4 in the violas [WHEN] the C5 was held over from
// the bar before (tied: repeated from its previous onset) [THEN] a prepared suspension, no clash;
// [WHEN] the melody leaps to C5 [THEN] an unprepared clash, named where; [WHEN] the B was held
// over in the violas instead [THEN] prepared again (a pedal).
TEST(CraftClashes, PreparedSuspensionIsNoClash) {
  Score s = empty_score(2);
  Part mel = part("Flute", Role::melody, 73);
  Part viola = part("Violas", Role::harmony, 41);
  add(mel, 2, 2, 72);    // C5 on beat 3
  add(mel, 4, 2, 72);    // C5 again on the next downbeat: repeated
  add(viola, 4, 4, 71);  // B4 starts on the downbeat
  s.parts = {mel, viola};
  auto prepared = unprepared_clashes(s);
  ASSERT_TRUE(prepared.judged);
  EXPECT_TRUE(prepared.clashes.empty());

  s.parts[0].notes[0].pitch = 64;  // E4 then a leap to C5
  auto leapt = unprepared_clashes(s);
  ASSERT_EQ(leapt.clashes.size(), 1u);
  EXPECT_EQ(leapt.clashes[0].at, BeatPos(4 * kQ));
  EXPECT_EQ(leapt.clashes[0].melody_pitch, 72);
  EXPECT_EQ(leapt.clashes[0].other_pitch, 71);
  EXPECT_EQ(leapt.clashes[0].part, "Violas");
  EXPECT_DOUBLE_EQ(leapt.per_100, 50.0);  // 1 in 2 melody notes

  s.parts[1].notes[0].start = BeatPos(0);  // the viola's B held over the bar line
  s.parts[1].notes[0].length = BeatDur(8 * kQ);
  EXPECT_TRUE(unprepared_clashes(s).clashes.empty());
}

// [GIVEN] a minor 9th on beat 2 (weak) and a major 7th on beat 3 (strong) [THEN] only beat 3.
TEST(CraftClashes, OnlyOnStrongBeats) {
  Score s = empty_score(1);
  Part mel = part("Flute", Role::melody, 73);
  Part bass = part("Cello", Role::bass, 42);
  add(mel, 0, 1, 67);
  add(mel, 1, 1, 61);  // C#4 over C3 (a minor 9th) on beat 2
  add(mel, 2, 2, 71);  // B4 over C3 (a major 7th) on beat 3
  add(bass, 0, 1, 48);
  add(bass, 1, 1, 48);
  add(bass, 2, 2, 48 + 12);  // a new C4 under the B4
  s.parts = {mel, bass};
  auto c = unprepared_clashes(s);
  // The bass repeats C3 on beat 2 (prepared anyway) and jumps to C4 on beat 3.
  ASSERT_EQ(c.clashes.size(), 1u);
  EXPECT_EQ(c.clashes[0].at, BeatPos(2 * kQ));
}

// ---- 8, 9. grid and short notes ----

TEST(CraftGrid, OffGridOnsetsAndShortNotes) {
  Score s = empty_score(2);
  Part p = part("Flute", Role::melody, 73);
  add(p, 0, 1, 72);
  p.notes.push_back({BeatPos(kQ + 100), BeatDur(kQ), 74, 80});       // off the grid
  p.notes.push_back({BeatPos(2 * kQ + 640), BeatDur(640), 76, 80});  // an 8th triplet: on it
  p.notes.push_back({BeatPos(3 * kQ + 320), BeatDur(200), 77, 80});  // 16th triplet, short
  Part drums = part("Percussion", Role::percussion, 0, 9);
  drums.notes.push_back({BeatPos(4 * kQ + 7), BeatDur(60), 36, 100});  // off, short but drums
  s.parts = {p, drums};
  auto grid = off_grid_share(s);
  EXPECT_EQ(grid.onsets, 5);
  ASSERT_EQ(grid.off.size(), 2u);
  EXPECT_EQ(grid.off[0].at, BeatPos(kQ + 100));
  EXPECT_EQ(grid.off[0].ticks, 100);
  EXPECT_EQ(grid.off[1].part, "Percussion");
  EXPECT_DOUBLE_EQ(grid.share, 0.4);
  auto shorts = short_notes(s);
  EXPECT_EQ(shorts.notes, 4);
  ASSERT_EQ(shorts.found.size(), 1u);
  EXPECT_EQ(shorts.found[0].ticks, 200);
}

// The grid is counted from each bar's start: in 7/8 the second bar starts on an 8th, and its
// 16ths are on the grid.
TEST(CraftGrid, FromTheBarStart) {
  Score s = empty_score(2, {7, 8});
  Part p = part("Flute", Role::melody, 73);
  p.notes.push_back({BeatPos(7 * kQ / 2 + 320), BeatDur(320), 72, 80});
  s.parts = {p};
  EXPECT_TRUE(off_grid_share(s).off.empty());
}

// ---- 10. development ----

// [GIVEN] a theme stated in bars 1-2 (its cell: up 2, up 2 in even quarters) [THEN] bar 3 holding
// the cell a fifth higher is developed, bar 4 with wide leaps in a dotted rhythm is not.
TEST(CraftDevelopment, CellsOutsideTheStatements) {
  Score s = empty_score(4);
  Part mel = part("Flute", Role::melody, 73);
  const int theme[] = {60, 62, 64, 65, 67, 65, 64, 62};
  for (int i = 0; i < 8; ++i)
    add(mel, i, 1, theme[i]);
  add(mel, 8, 1, 67);  // bar 3: G A B (up 2, up 2)
  add(mel, 9, 1, 69);
  add(mel, 10, 1, 71);
  add(mel, 11, 1, 60);
  add(mel, 12, 1.5, 48);  // bar 4: leaps of an octave and more, dotted
  add(mel, 13.5, 0.5, 72);
  add(mel, 14, 2, 55);
  s.parts = {mel};
  ThemeUse use;
  use.theme = "keeper";
  use.part = "Flute";
  use.at = BeatPos(0);
  use.length = BeatDur(8 * kQ);
  s.themes = {use};
  auto d = theme_development_share(s);
  ASSERT_TRUE(d.judged) << d.not_judged;
  EXPECT_EQ(d.bars, 2);
  EXPECT_EQ(d.developed, 1);
  EXPECT_DOUBLE_EQ(d.share, 0.5);
  ASSERT_EQ(d.bare_bars.size(), 1u);
  EXPECT_EQ(d.bare_bars[0], 4);

  // Without a statement and without a theme passed in there is no material.
  s.themes.clear();
  EXPECT_FALSE(theme_development_share(s).judged);
  // The theme passed in as a melody: every bar is outside a statement now; bars 1 and 3 hold
  // its cell, bar 2 its inversion within a step (down 2, down 1).
  music::Melody m;
  for (int i = 0; i < 3; ++i)
    m.notes.push_back({BeatPos(i * kQ), BeatDur(kQ), theme[i]});
  auto given = theme_development_share(s, std::vector<music::Melody>{m});
  ASSERT_TRUE(given.judged);
  EXPECT_EQ(given.bars, 4);
  EXPECT_EQ(given.developed, 3);
}

// An inverted cell (down 2, down 2) and one within a step (up 3, up 1) are development too; the
// same intervals in another rhythm (a long and a short) are not.
TEST(CraftDevelopment, InversionStepAndRhythm) {
  auto bar3 = [](std::vector<std::pair<double, int>> notes) {
    Score s = empty_score(3);
    Part mel = part("Flute", Role::melody, 73);
    add(mel, 0, 1, 60);
    add(mel, 1, 1, 62);
    add(mel, 2, 1, 64);
    add(mel, 3, 1, 65);
    double at = 8;
    for (auto [len, pitch] : notes) {
      add(mel, at, len, pitch);
      at += len;
    }
    s.parts = {mel};
    ThemeUse use;
    use.theme = "t";
    use.at = BeatPos(0);
    use.length = BeatDur(4 * kQ);
    s.themes = {use};
    return theme_development_share(s);
  };
  EXPECT_EQ(bar3({{1, 72}, {1, 70}, {1, 68}, {1, 60}}).developed, 1);  // inverted
  EXPECT_EQ(bar3({{1, 60}, {1, 63}, {1, 64}, {1, 72}}).developed, 1);  // within a step
  EXPECT_EQ(bar3({{3, 60}, {0.5, 62}, {0.5, 64}}).developed, 0);       // another rhythm
}

// ---- 11. ending ----

// [GIVEN] a cue in D major whose melody ends on a weak-beat A4 [THEN] the ending fails (not the
// tonic or third, weak beat, short); [WHEN] it ends on D5 on the downbeat, 4 beats, over D2
// [THEN] ok; [WHEN] the bass under it is A [THEN] fails; a "segue" label excuses it.
TEST(CraftEnding, CloseOnTheTonic) {
  Score s = empty_score(2);
  s.sections = {section(0, "D major", 0)};
  Part mel = part("Flute", Role::melody, 73);
  Part bass = part("Basses", Role::bass, 43);
  add(mel, 0, 1, 74);
  add(mel, 1, 1, 73);
  add(mel, 2, 1, 71);
  add(mel, 5, 1, 69);  // A4 on beat 2 of bar 2
  add(bass, 0, 8, 38);
  s.parts = {mel, bass};
  auto weak = ending_ok(s);
  ASSERT_TRUE(weak.judged);
  EXPECT_FALSE(weak.ok);
  EXPECT_FALSE(weak.tonic_or_third);
  EXPECT_FALSE(weak.strong);
  EXPECT_FALSE(weak.long_enough);
  EXPECT_TRUE(weak.tonic_bass);
  EXPECT_EQ(weak.pitch, 69);

  s.parts[0].notes.back() = {BeatPos(4 * kQ), BeatDur(4 * kQ), 74, 80};
  auto closed = ending_ok(s);
  EXPECT_TRUE(closed.ok);
  EXPECT_EQ(closed.bass, 38);

  s.parts[1].notes[0].pitch = 33;  // A1 under it
  auto open = ending_ok(s);
  EXPECT_FALSE(open.ok);
  EXPECT_FALSE(open.tonic_bass);
  s.sections[0].label = "A (segue to 1M2)";
  auto segue = ending_ok(s);
  EXPECT_TRUE(segue.ok);
  EXPECT_TRUE(segue.segue);
}

// The third of a minor key counts; without a melody the top voice is read.
TEST(CraftEnding, MinorThirdAndTopVoice) {
  Score s = empty_score(2);
  s.sections = {section(0, "D minor", 0)};
  Part strings = part("Strings", Role::pad, 48);
  chord(strings, 0, 4, {50, 57, 62});
  chord(strings, 4, 4, {38, 57, 65});  // ends with F4 (the minor third) on top, D2 below
  s.parts = {strings};
  s.parts[0].role = Role::pad;
  auto e = ending_ok(s);
  ASSERT_TRUE(e.judged);
  EXPECT_EQ(e.pitch, 65);
  EXPECT_TRUE(e.ok);
}

// ---- 12. voice leading ----

// [GIVEN] melody and bass moving in parallel fifths (G4/C4 -> A4/D4... bass C3 -> D3 under G4 ->
// A4) [THEN] counted between the melody and the bass; the same in a pad is figuration, not
// counted.
TEST(CraftVoiceLeading, MelodyAndBassParallels) {
  Score s = empty_score(2);
  Part mel = part("Flute", Role::melody, 73);
  Part bass = part("Cello", Role::bass, 42);
  add(mel, 0, 2, 67);
  add(mel, 2, 2, 69);
  add(bass, 0, 2, 48);
  add(bass, 2, 2, 50);
  s.parts = {mel, bass};
  auto vl = voice_leading(s);
  EXPECT_EQ(vl.voices, 2);
  EXPECT_EQ(vl.positions, 2);
  ASSERT_EQ(vl.parallels.size(), 1u);
  EXPECT_TRUE(vl.parallels[0].fifths);
  EXPECT_EQ(vl.parallels[0].upper, "Flute");
  EXPECT_EQ(vl.parallels[0].lower, "Cello");
  EXPECT_EQ(vl.parallels[0].at, BeatPos(2 * kQ));

  s.parts[0].role = Role::pad;
  EXPECT_TRUE(voice_leading(s).parallels.empty());
}

// [GIVEN] a bass doubling the cello an octave below through four shared onsets [THEN] their
// octaves are a doubling; octaves between the melody and the bass (not a doubling) count.
TEST(CraftVoiceLeading, DoublingsExcepted) {
  Score s = empty_score(2);
  Part cello = part("Cello", Role::bass, 42);
  Part db = part("Basses", Role::bass, 43);
  Part mel = part("Violin", Role::melody, 40);
  const int line[] = {48, 50, 52, 53};
  const int top[] = {72, 74, 71, 69};  // octaves C5/C3 -> D5/D3, then away
  for (int i = 0; i < 4; ++i) {
    add(cello, 2 * i, 2, line[i]);
    add(db, 2 * i, 2, line[i] - 12);
    add(mel, 2 * i, 2, top[i]);
  }
  s.parts = {mel, cello, db};
  auto vl = voice_leading(s);
  ASSERT_EQ(vl.doublings.size(), 1u);
  EXPECT_EQ(vl.doublings[0].first, "Basses");
  EXPECT_EQ(vl.doublings[0].second, "Cello");
  // Violin against Cello and against Basses: C/C -> D/D, parallel octaves, twice.
  ASSERT_EQ(vl.parallels.size(), 2u);
  EXPECT_FALSE(vl.parallels[0].fifths);
  EXPECT_EQ(vl.parallels[0].at, BeatPos(2 * kQ));
}

// [GIVEN] a viola dipping under the cello (both harmony voices, one choir) [THEN] a crossing; a
// violin melody weaving under the viola is no crossing (orchestration, measure 1).
TEST(CraftVoiceLeading, CrossingsAmongTheHarmonyVoices) {
  Score s = empty_score(1);
  Part viola = part("Viola", Role::harmony, 41);
  Part cello = part("Cello", Role::bass, 42);
  Part mel = part("Violin", Role::melody, 40);
  add(viola, 0, 2, 64);
  add(viola, 2, 2, 57);  // under the cello's C4
  add(cello, 0, 2, 48);
  add(cello, 2, 2, 60);
  add(mel, 0, 1, 76);
  add(mel, 1, 1, 62);  // under the viola's E4
  add(mel, 2, 2, 79);
  s.parts = {mel, viola, cello};
  auto vl = voice_leading(s);
  ASSERT_EQ(vl.crossings.size(), 1u);
  EXPECT_EQ(vl.crossings[0].upper, "Viola");
  EXPECT_EQ(vl.crossings[0].lower, "Cello");
  EXPECT_EQ(vl.crossings[0].at, BeatPos(2 * kQ));
}

// ---- rhythm ----

// [GIVEN] an accompaniment in the same pattern every bar [THEN] identity 1, all exact copies;
// [WHEN] every bar is a held whole note [THEN] identity 0 (no pattern); [WHEN] every bar differs
// [THEN] identity low.
TEST(CraftRhythm, PatternIdentity) {
  auto with = [](auto pattern_of_bar) {
    Score s = empty_score(8);
    Part mel = part("Flute", Role::melody, 73);
    add(mel, 0, 32, 72);
    Part acc = part("Harp", Role::ostinato, 46);
    for (int bar = 0; bar < 8; ++bar)
      for (auto [at, len] : pattern_of_bar(bar))
        add(acc, bar * 4 + at, len, 60);
    s.parts = {mel, acc};
    return accompaniment_patterns(s);
  };
  using Onsets = std::vector<std::pair<double, double>>;
  auto same = with([](int) { return Onsets{{0, 1}, {1, 0.5}, {1.5, 0.5}, {2, 2}}; });
  ASSERT_TRUE(same.judged);
  EXPECT_DOUBLE_EQ(same.identity, 1.0);
  EXPECT_DOUBLE_EQ(same.exact_copies, 1.0);
  EXPECT_EQ(same.distinct, 1);
  auto held = with([](int) { return Onsets{{0, 4}}; });
  EXPECT_DOUBLE_EQ(held.identity, 0.0);
  EXPECT_EQ(held.trivial, 8);
  auto varied = with([](int bar) {
    return bar % 2 ? Onsets{{0, 1}, {1, 0.5}, {1.5, 0.5}, {2, 2}}
                   : Onsets{{0, 1}, {1, 0.5}, {1.5, 0.5}, {2, 1}, {3, 1}};
  });
  EXPECT_DOUBLE_EQ(varied.identity, 1.0);  // each a variation of the other (Jaccard 0.8)
  EXPECT_DOUBLE_EQ(varied.exact_copies, 0.0);
  auto random = with([](int bar) {
    static const Onsets kBars[8] = {{{0, 1}, {1, 1}},           {{0.25, 1}, {2.5, 1}},
                                    {{0.75, 0.5}, {3.25, 0.5}}, {{1.5, 1}, {3.75, 0.25}},
                                    {{0.5, 0.5}, {2.25, 1}},    {{1.25, 1}, {3, 0.5}},
                                    {{0, 0.5}, {3.5, 0.5}},     {{1.75, 0.5}, {2.75, 1}}};
    return kBars[bar];
  });
  EXPECT_LT(random.identity, 0.5);
}

// [GIVEN] a note on the "and" of beat 1 held over beat 2 [THEN] a syncopation; an accented
// off-beat note is one too; a plain short off-beat eighth is not.
TEST(CraftRhythm, Syncopation) {
  Score s = empty_score(3);
  Part mel = part("Flute", Role::melody, 73);
  add(mel, 0, 0.5, 72);
  add(mel, 0.5, 1.5, 74);  // bar 1: held across beat 2
  add(mel, 4, 0.5, 72);
  add(mel, 4.5, 0.5, 74);  // bar 2: a plain eighth
  add(mel, 8, 0.5, 72, 70);
  add(mel, 8.5, 0.5, 74, 110);  // bar 3: accented
  s.parts = {mel};
  auto sync = syncopation(s);
  EXPECT_EQ(sync.bars, 3);
  EXPECT_EQ(sync.syncopated, 2);
  EXPECT_EQ(sync.count, 2);
  ASSERT_FALSE(sync.examples.empty());
  EXPECT_EQ(sync.examples[0].at, BeatPos(kQ / 2));
}

// ---- form ----

// [GIVEN] a melody of quarters without a rest for 10 bars [THEN] the longest stretch is 10 bars;
// a rest of a beat in bar 5 breaks it.
TEST(CraftForm, Breathing) {
  Score s = empty_score(10);
  Part mel = part("Flute", Role::melody, 73);
  for (int i = 0; i < 40; ++i)
    add(mel, i, 1, 72 + i % 5);
  s.parts = {mel};
  auto b = melody_breathing(s);
  ASSERT_TRUE(b.judged);
  EXPECT_DOUBLE_EQ(b.longest_bars, 10.0);
  EXPECT_EQ(b.breaths, 0);
  // A rest on beat 1 of bar 6 (quarter 20).
  s.parts[0].notes.erase(s.parts[0].notes.begin() + 20);
  auto rest = melody_breathing(s);
  EXPECT_EQ(rest.breaths, 1);
  EXPECT_DOUBLE_EQ(rest.longest_bars, 5.0);  // quarters 0..20 before the rest, 21..40 after
  EXPECT_EQ(rest.from, BeatPos(0));
  EXPECT_EQ(rest.to, BeatPos(20 * kQ));
}

// [GIVEN] tension peaking in bar 6 of 8 [THEN] a highest note in bar 6 is on it, one in bar 2 is
// 4 bars away.
TEST(CraftForm, ClimaxAtTheTensionPeak) {
  Score s = empty_score(8);
  Part mel = part("Flute", Role::melody, 73);
  for (int i = 0; i < 32; ++i)
    add(mel, i, 1, i == 21 ? 84 : 72);
  s.parts = {mel};
  spot::Cue cue = cue_for(8);
  cue.emotion.keys = {
      {cue.in, {0, 0, 0.1}}, {film_at_beat(22), {0, 0, 1.0}}, {cue.out, {0, 0, 0.2}}};
  auto c = melody_climax(s, cue);
  ASSERT_TRUE(c.judged) << c.not_judged;
  EXPECT_EQ(c.pitch, 84);
  EXPECT_EQ(c.peak_bar, 6);
  EXPECT_EQ(c.distance_bars, 0);
  s.parts[0].notes[21].pitch = 72;
  s.parts[0].notes[5].pitch = 84;
  EXPECT_EQ(melody_climax(s, cue).distance_bars, 4);
}

// ---- 13. two scores ----

TEST(CraftTwoScores, JaccardAndRhythmSimilarity) {
  Score a = empty_score(2), b = empty_score(2);
  Part mel = part("Flute", Role::melody, 73);
  Part acc = part("Harp", Role::ostinato, 46);
  for (int i = 0; i < 8; ++i) {
    add(mel, i, 1, 72);
    add(acc, i, 1, 60);
  }
  a.parts = {mel, acc};
  b.parts = a.parts;
  EXPECT_DOUBLE_EQ(accompaniment_onset_jaccard(a, b), 1.0);
  EXPECT_DOUBLE_EQ(melodic_rhythm_similarity(a, b), 1.0);
  // b's accompaniment on the off-beats: no position shared.
  for (auto& n : b.parts[1].notes)
    n.start += BeatDur(kQ / 2);
  EXPECT_DOUBLE_EQ(accompaniment_onset_jaccard(a, b), 0.0);
  // b's melody in eighths: placement min/max (4 x 1/8) / (4 x 1/4 + 4 x 1/8) = 1/3, pace none.
  b.parts[0].notes.clear();
  for (int i = 0; i < 16; ++i)
    add(b.parts[0], i * 0.5, 0.5, 72);
  const double sim = melodic_rhythm_similarity(a, b);
  EXPECT_NEAR(sim, 0.5 * (1.0 / 3 + 0.0), 1e-9);
  EXPECT_LE(sim, kGoalRhythmSimilarity);
}

// ---- all at once ----

TEST(CraftMeasures, MeasureCraftFillsEveryMeasure) {
  Score s = progression({kD, kA, kD, kA, kD}, "D major");
  Part mel = part("Flute", Role::melody, 73);
  for (int i = 0; i < 20; ++i)
    add(mel, i, 1, 74 + (i % 3));
  s.parts.push_back(mel);
  spot::Cue cue = cue_for(5);
  cue.emotion.keys = {{cue.in, {0, 0, 0.1}}, {cue.out, {0, 0, 0.9}}};
  const auto m = measure_craft(s, cue);
  EXPECT_TRUE(m.covered.judged);
  EXPECT_EQ(m.alternation.length, 5);
  EXPECT_TRUE(m.tonic_dominant.judged);
  EXPECT_TRUE(m.colour.judged);
  EXPECT_TRUE(m.ending.judged);
  EXPECT_EQ(m.off_grid.onsets, 40);
}

}  // namespace
}  // namespace duet::compose
