#include "compose/critics.h"

#include "compose/candidates.h"

#include <gtest/gtest.h>

#include "sync/check.h"

#include <algorithm>
#include <set>
#include <string>

#include "model/emotion_model.h"
#include "model/mvs.h"
#include "music/key.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::TimePos;

constexpr std::int64_t kQ = time::kTicksPerQuarter;

// A cue at 10 s on the film, 120 quarters per minute (a quarter is 0.5 s), 4/4.
constexpr std::int64_t kCueIn = 10 * time::kSuperclockPerSecond;

TimePos film_at_beat(double quarters) {
  return TimePos(kCueIn + static_cast<std::int64_t>(
                              quarters * 0.5 * static_cast<double>(time::kSuperclockPerSecond)));
}

Score empty_score(int bars) {
  Score s;
  s.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(120)), {},
                                         TimePos(kCueIn));
  s.end = BeatPos(bars * 4 * kQ);
  return s;
}

spot::Cue cue_for(int bars) {
  spot::Cue c;
  c.in = TimePos(kCueIn);
  c.out = film_at_beat(bars * 4.0);
  return c;
}

Part part(std::string name, Role role, std::string instrument, int program) {
  Part p;
  p.name = std::move(name);
  p.role = role;
  p.instrument = std::move(instrument);
  p.program = program;
  return p;
}

void add(Part& p, double quarter, double quarters, int pitch, int velocity = 80) {
  p.notes.push_back({BeatPos(static_cast<std::int64_t>(quarter * kQ)),
                     BeatDur(static_cast<std::int64_t>(quarters * kQ)), pitch, velocity});
}

bool has_reason(const CriticResult& r, const std::string& text) {
  return std::any_of(r.reasons.begin(), r.reasons.end(),
                     [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

std::string all_reasons(const CriticResult& r) {
  std::string out;
  for (const auto& s : r.reasons)
    out += s + "\n";
  return out;
}

// ---- sync ----

// [GIVEN] a hard hit on beat 5 (bar 2 beat 1) [WHEN] a loud note starts there [THEN] it lands,
// in full; [WHEN] the note is an eighth late (0.25 s, beyond a 1-frame tolerance) [THEN] a miss
// naming the hit, how late, and a zero score.
TEST(CriticSync, LandsAndMissesAHardHit) {
  spot::Cue cue = cue_for(4);
  spot::HitPoint hit;
  hit.at = film_at_beat(4);
  hit.label = "door slams";
  cue.hits.push_back(hit);
  Score s = empty_score(4);
  Part p = part("Violins I", Role::melody, "violin", 40);
  add(p, 0, 4, 67, 70);
  add(p, 4, 4, 72, 120);
  s.parts.push_back(p);
  auto landed = critic_sync(s, cue, {});
  ASSERT_TRUE(landed.judged);
  EXPECT_EQ(landed.count, 1);
  EXPECT_EQ(landed.of, 1);
  EXPECT_DOUBLE_EQ(landed.score, 1.0);
  EXPECT_TRUE(has_reason(landed, "lands 1 of 1 hard hits")) << all_reasons(landed);

  s.parts[0].notes[1].start = BeatPos(4 * kQ + kQ / 2);
  auto missed = critic_sync(s, cue, {});
  EXPECT_EQ(missed.count, 0);
  EXPECT_DOUBLE_EQ(missed.score, 0.0);
  EXPECT_TRUE(has_reason(missed, "misses hard hit 'door slams' at bar 2 beat 1"))
      << all_reasons(missed);
  EXPECT_TRUE(has_reason(missed, "0.250 s late")) << all_reasons(missed);
}

// [GIVEN] a hit landed by a plain onset (no accent, chord or section there) [THEN] partial credit
// and a reason saying so; a chord change on the hit makes it full.
TEST(CriticSync, PlainOnsetCountsLessThanAMark) {
  spot::Cue cue = cue_for(4);
  spot::HitPoint hit;
  hit.at = film_at_beat(6);
  hit.label = "look";
  cue.hits.push_back(hit);
  Score s = empty_score(4);
  Part p = part("Flute", Role::melody, "flute", 73);
  for (int i = 0; i < 16; ++i)
    add(p, i, 1, 72, 80);
  s.parts.push_back(p);
  auto plain = critic_sync(s, cue, {});
  EXPECT_EQ(plain.count, 1);
  EXPECT_NEAR(plain.score, 0.8, 1e-9);
  EXPECT_TRUE(has_reason(plain, "plain onset")) << all_reasons(plain);
  s.chords.push_back({BeatPos(6 * kQ), BeatDur(2 * kQ), "G", "dominant"});
  EXPECT_DOUBLE_EQ(critic_sync(s, cue, {}).score, 1.0);
}

// [GIVEN] a note sounding on a hit whose landing asks for a downbeat, with the tempo map's
// downbeat elsewhere [THEN] the critic counts it missed, as sync's check_hits does (issue 19:
// compose said "105 of 105 landed" while 'duet sync check' said 20).
TEST(CriticSync, AgreesWithSyncCheckOnTheGrid) {
  spot::Cue cue = cue_for(4);
  spot::HitPoint hit;
  hit.at = film_at_beat(6);  // beat 3 of bar 2: a beat, not a downbeat
  hit.label = "door";
  hit.land = spot::Landing::downbeat();
  cue.hits.push_back(hit);
  Score s = empty_score(4);
  Part p = part("Violins I", Role::melody, "violin", 40);
  add(p, 6, 2, 72, 120);
  s.parts.push_back(p);
  const auto judged = critic_sync(s, cue, {});
  const auto check = sync::check_hits(cue.hits, s.tempo_map, time::FrameRate::fps24(),
                                      CriticOptions{}.hit_tolerance);
  EXPECT_EQ(check.hard_landed, 0);
  EXPECT_EQ(judged.count, check.hard_landed);
  EXPECT_TRUE(has_reason(judged, "a note sounds there, but the tempo map's downbeat is"))
      << all_reasons(judged);
  // On a beat landing the same note lands, by both.
  cue.hits[0].land = spot::Landing::beat();
  EXPECT_EQ(critic_sync(s, cue, {}).count, 1);
  EXPECT_EQ(sync::check_hits(cue.hits, s.tempo_map, time::FrameRate::fps24(),
                             CriticOptions{}.hit_tolerance)
                .hard_landed,
            1);
}

TEST(CriticSync, NotJudgedWithoutHits) {
  Score s = empty_score(1);
  Part p = part("Flute", Role::melody, "flute", 73);
  add(p, 0, 1, 72);
  s.parts.push_back(p);
  EXPECT_FALSE(critic_sync(s, cue_for(1), {}).judged);
}

// ---- voice leading ----

Score chorale(int bass1, int tenor1, int bass2, int tenor2) {
  Score s = empty_score(6);
  Part tenor = part("Viola", Role::harmony, "viola", 41);
  Part bass = part("Cello", Role::bass, "cello", 42);
  // Bar 5 beat 1 and bar 5 beat 3 (quarters 16 and 18).
  add(tenor, 16, 2, tenor1);
  add(tenor, 18, 2, tenor2);
  add(bass, 16, 2, bass1);
  add(bass, 18, 2, bass2);
  s.parts = {tenor, bass};
  s.chords = {{BeatPos(16 * kQ), BeatDur(2 * kQ), "C", "tonic"},
              {BeatPos(18 * kQ), BeatDur(2 * kQ), "D", ""}};
  return s;
}

// [GIVEN] bass C3 -> D3 under viola G3 -> A3 (fifth to fifth, both rising) [THEN] one parallel
// fifth at bar 5 beat 3 between the two parts; contrary motion gives none.
TEST(CriticVoiceLeading, FlagsParallelFifthsAtTheirBar) {
  auto r = critic_voice_leading(chorale(48, 55, 50, 57));
  ASSERT_TRUE(r.judged);
  EXPECT_EQ(r.count, 1);
  EXPECT_EQ(r.of, 2);
  EXPECT_DOUBLE_EQ(r.measure, 50.0);
  EXPECT_LT(r.score, 0.01);
  EXPECT_TRUE(has_reason(r, "parallel fifths between Cello and Viola at bar 5 beat 3"))
      << all_reasons(r);

  auto clean = critic_voice_leading(chorale(48, 55, 50, 53));  // C3/G3 -> D3/F3
  EXPECT_EQ(clean.count, 0);
  EXPECT_DOUBLE_EQ(clean.score, 1.0);
}

TEST(CriticVoiceLeading, FlagsParallelOctavesAndCrossings) {
  auto octaves = critic_voice_leading(chorale(48, 60, 50, 62));  // C3/C4 -> D3/D4
  EXPECT_TRUE(has_reason(octaves, "parallel octaves between Cello and Viola at bar 5 beat 3"))
      << all_reasons(octaves);
  // The viola (higher on average) dips below the cello on the second chord.
  auto crossed = critic_voice_leading(chorale(48, 64, 60, 57));
  EXPECT_TRUE(has_reason(crossed, "voice crossing: Cello (C4) above Viola (A3) at bar 5 beat 3"))
      << all_reasons(crossed);
  EXPECT_EQ(crossed.count, 1);
}

// [GIVEN] a cello doubled an octave below by a bass through the whole passage [THEN] their
// octaves are a doubling, not parallels; a harp (another family) above the viola is no crossing.
TEST(CriticVoiceLeading, DoublingsAndOtherFamiliesAreNotFaults) {
  Score s = chorale(48, 55, 50, 53);
  // Four chords: C3/G3, D3/F3, E3/G3, F3/A3 over basses an octave below the cellos.
  const int cello[] = {48, 50, 52, 53}, viola[] = {55, 53, 55, 57};
  s.parts[0].notes.clear();
  s.parts[1].notes.clear();
  s.chords.clear();
  Part db = part("Basses", Role::bass, "double_bass", 43);
  for (int i = 0; i < 4; ++i) {
    add(s.parts[0], 16 + 2 * i, 2, viola[i]);
    add(s.parts[1], 16 + 2 * i, 2, cello[i]);
    add(db, 16 + 2 * i, 2, cello[i] - 12);
    s.chords.push_back({BeatPos((16 + 2 * i) * kQ), BeatDur(2 * kQ), "", ""});
  }
  s.parts.push_back(db);
  auto r = critic_voice_leading(s);
  EXPECT_EQ(r.count, 0) << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "Basses and Cello move in octaves: a doubling")) << all_reasons(r);

  Score h = chorale(48, 64, 50, 62);
  Part harp = part("Harp", Role::harmony, "harp", 46);
  add(harp, 16, 2, 59);  // B3 below the viola's E4 (the harp is above it on average)
  add(harp, 18, 2, 70);
  h.parts.push_back(harp);
  auto crossed = critic_voice_leading(h);
  EXPECT_FALSE(has_reason(crossed, "voice crossing: Harp")) << all_reasons(crossed);
  EXPECT_FALSE(has_reason(crossed, "voice crossing: Viola (")) << all_reasons(crossed);
}

// [GIVEN] a melody and a bass in parallel fifths (G4/C3 -> A4/D3) [THEN] the voice-leading critic
// counts them: every pair of real voices, not only the harmony parts.
TEST(CriticVoiceLeading, CountsTheMelodyAgainstTheBass) {
  Score s = empty_score(2);
  Part mel = part("Flute", Role::melody, "flute", 73);
  Part bass = part("Cello", Role::bass, "cello", 42);
  add(mel, 0, 2, 67);
  add(mel, 2, 2, 69);
  add(bass, 0, 2, 48);
  add(bass, 2, 2, 50);
  s.parts = {mel, bass};
  auto r = critic_voice_leading(s);
  ASSERT_TRUE(r.judged) << all_reasons(r);
  EXPECT_EQ(r.count, 1);
  EXPECT_TRUE(has_reason(r, "parallel fifths between Cello and Flute at bar 1 beat 3"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "in 2 real voices")) << all_reasons(r);
}

// ---- the craft critics ----

// [GIVEN] a melody under a higher pad, its bass on C3 through a loud section [THEN] orchestration
// says the melody is covered all its time and the bass is too high, and scores low; [WHEN] the
// pad moves under the melody and the bass down to C1 [THEN] it scores better.
TEST(CriticOrchestration, MelodyCoveredAndBassTooHigh) {
  Score s = empty_score(4);
  Section loud;
  loud.at = BeatPos(0);
  loud.label = "A";
  loud.arousal = 0.6;
  s.sections = {loud};
  Part mel = part("Flute", Role::melody, "flute", 73);
  Part pad = part("Strings", Role::pad, "violin", 48);
  Part bass = part("Basses", Role::bass, "double_bass", 43);
  for (int i = 0; i < 16; ++i)
    add(mel, i, 1, 64 + (i % 3));
  add(pad, 0, 16, 72);
  add(pad, 0, 16, 79);
  add(bass, 0, 16, 48);
  s.parts = {mel, pad, bass};
  auto r = critic_orchestration(s);
  ASSERT_TRUE(r.judged) << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "the melody (Flute) is covered by the accompaniment 100% of its time"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "Strings (G5) above it")) << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "median C3 over 16 beats (goal E2 or lower)")) << all_reasons(r);
  EXPECT_EQ(r.count, 0);  // no goal met: covered, bass high, span 31
  EXPECT_EQ(r.of, 3);
  EXPECT_NEAR(r.score, (0.0 + 4.0 / 12 + 7.0 / 24) / 3, 1e-9);  // covered, bass, span

  for (auto& n : s.parts[1].notes)
    n.pitch -= 24;
  s.parts[2].notes[0].pitch = 24;
  auto better = critic_orchestration(s);
  EXPECT_GT(better.score, 0.6) << all_reasons(better);
  EXPECT_EQ(better.count, 2);  // covered 0%, bass C1; span 66 - 24 = 42 under 48
}

// [GIVEN] D A D A D A D in D major under a melody that clashes unprepared [THEN] harmony names
// the alternation, the tonic-dominant share and the clash with where it is.
TEST(CriticHarmony, AlternationShareAndClashes) {
  Score s = empty_score(7);
  Section sec;
  sec.at = BeatPos(0);
  sec.key = *music::parse_key("D major");
  s.sections = {sec};
  Part strings = part("Strings", Role::harmony, "violin", 48);
  Part bass = part("Basses", Role::bass, "double_bass", 43);
  Part mel = part("Flute", Role::melody, "flute", 73);
  for (int bar = 0; bar < 7; ++bar) {
    const bool d = bar % 2 == 0;
    for (int p : d ? std::vector<int>{62, 66, 69} : std::vector<int>{61, 64, 69})
      add(strings, bar * 4, 4, p);
    add(bass, bar * 4, 4, d ? 38 : 33);
    add(mel, bar * 4, 2, d ? 74 : 76);
    add(mel, bar * 4 + 2, 2, d ? 78 : 73);
  }
  s.parts = {strings, bass, mel};
  // Bar 4 beat 1: Bb4 a minor 2nd over the A chord's A4 (held from the D chord: prepared) and
  // a minor 9th over the bass's A1 (a new note: the clash).
  s.parts[2].notes[6].pitch = 70;
  auto r = critic_harmony(s, cue_for(7));
  ASSERT_TRUE(r.judged) << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "tonic and dominant chords take 100% of the chord time"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r,
                         "the longest back-and-forth of two chords: D and A, 7 chords, bars "
                         "1\u20137 (goal at most 4)"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "clash: A#4 in the melody against A1 (Basses) at bar 4 beat 1"))
      << all_reasons(r);
  EXPECT_LT(r.score, 0.5);
}

// [GIVEN] D A D A D Em and D A D A Em D in D major (the same chords, the same tonic and dominant
// share) [THEN] the swing of five costs the harmony more than a tenth of its score against the
// swing of four: the writer can avoid a swing past the goal, so the ranking must prefer the
// candidate that does (a swing of 5 halves its part of the score, 6 zeroes it; it cost an
// eighth before).
TEST(CriticHarmony, ASwingPastTheGoalCostsACandidateItsPlace) {
  auto harmony_of = [](const std::vector<std::vector<int>>& chords) {
    Score s = empty_score(static_cast<int>(chords.size()));
    Section sec;
    sec.at = BeatPos(0);
    sec.key = *music::parse_key("D major");
    s.sections = {sec};
    Part strings = part("Strings", Role::harmony, "violin", 48);
    Part bass = part("Basses", Role::bass, "double_bass", 43);
    for (std::size_t bar = 0; bar < chords.size(); ++bar) {
      for (std::size_t k = 1; k < chords[bar].size(); ++k)
        add(strings, static_cast<int>(bar) * 4, 4, chords[bar][k]);
      add(bass, static_cast<int>(bar) * 4, 4, chords[bar][0]);
    }
    s.parts = {strings, bass};
    return critic_harmony(s, cue_for(static_cast<int>(chords.size())));
  };
  const std::vector<int> d = {38, 62, 66, 69}, a = {33, 61, 64, 69}, em = {40, 59, 64, 67};
  const auto five = harmony_of({d, a, d, a, d, em});
  const auto four = harmony_of({d, a, d, a, em, d});
  ASSERT_TRUE(five.judged && four.judged);
  EXPECT_TRUE(has_reason(five, "the longest back-and-forth of two chords: D and A, 5 chords"))
      << all_reasons(five);
  EXPECT_GT(four.score - five.score, 0.1) << all_reasons(five) << all_reasons(four);
}

// [GIVEN] an onset off the grid and a 64th note [THEN] rhythm names both.
TEST(CriticRhythm, OffGridAndShortNotes) {
  Score s = empty_score(2);
  Part mel = part("Flute", Role::melody, "flute", 73);
  add(mel, 0, 1, 72);
  mel.notes.push_back({BeatPos(kQ + 100), BeatDur(kQ), 74, 80});
  mel.notes.push_back({BeatPos(3 * kQ), BeatDur(120), 76, 80});
  s.parts = {mel};
  auto r = critic_rhythm(s);
  ASSERT_TRUE(r.judged) << all_reasons(r);
  EXPECT_TRUE(has_reason(r,
                         "1 of 3 onsets off the 16th and triplet grids (goal 0): Flute at bar "
                         "1 beat 2 (100 ticks past a 16th)"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "1 note shorter than a 32nd (goal 0): Flute E5 at bar 1 beat 4"))
      << all_reasons(r);
}

// [GIVEN] a melody in D major that ends on a weak-beat A4 [THEN] form says the ending does not
// close and why; ending on D5 on a downbeat over D2 it closes.
TEST(CriticForm, EndingOnAWeakBeat) {
  Score s = empty_score(2);
  Section sec;
  sec.at = BeatPos(0);
  sec.key = *music::parse_key("D major");
  s.sections = {sec};
  Part mel = part("Flute", Role::melody, "flute", 73);
  Part bass = part("Basses", Role::bass, "double_bass", 43);
  add(mel, 0, 1, 74);
  add(mel, 1, 1, 73);
  add(mel, 2, 2, 71);
  add(mel, 5, 1, 69);
  add(bass, 0, 8, 38);
  s.parts = {mel, bass};
  auto r = critic_form(s, cue_for(2), {});
  ASSERT_TRUE(r.judged) << all_reasons(r);
  EXPECT_TRUE(has_reason(r,
                         "the ending does not close: A4 at bar 2 beat 2 (D major); it is not "
                         "the tonic or the third; it lasts 1 beat (goal 2 or more); it starts "
                         "on a weak beat"))
      << all_reasons(r);
  s.parts[0].notes.back() = {BeatPos(4 * kQ), BeatDur(4 * kQ), 74, 80};
  auto closed = critic_form(s, cue_for(2), {});
  EXPECT_TRUE(has_reason(closed, "the ending closes: D5 at bar 2 beat 1 in D major, 4 beats long"))
      << all_reasons(closed);
  EXPECT_GT(closed.score, r.score);
}

// ---- ranges ----

// [GIVEN] a violin part with G2 (below its G3) [THEN] one note outside, named with its bar.
TEST(CriticRanges, CountsNotesOutsideTheInstrument) {
  Score s = empty_score(2);
  Part v = part("Violins I", Role::melody, "violin", 40);
  add(v, 0, 1, 67);
  add(v, 1, 1, 72);
  s.parts.push_back(v);
  auto ok = critic_ranges(s);
  ASSERT_TRUE(ok.judged);
  EXPECT_EQ(ok.count, 0);
  EXPECT_DOUBLE_EQ(ok.score, 1.0);

  add(s.parts[0], 5, 1, 43);  // G2 at bar 2 beat 2
  auto bad = critic_ranges(s);
  EXPECT_EQ(bad.count, 1);
  EXPECT_EQ(bad.of, 3);
  EXPECT_LE(bad.score, 0.5);
  EXPECT_TRUE(has_reason(bad, "Violins I: 1 note below its range G3-G7 (Violins)"))
      << all_reasons(bad);
  EXPECT_TRUE(has_reason(bad, "first G2 at bar 2 beat 2")) << all_reasons(bad);
}

// An unknown instrument id falls back on nothing (program 0 is the piano): the part is skipped.
TEST(CriticRanges, ProgramFindsTheInstrumentWhenTheIdIsEmpty) {
  Score s = empty_score(1);
  Part v = part("Track 1", Role::melody, "", 40);  // GM 41 violin
  add(v, 0, 1, 40);
  s.parts.push_back(v);
  EXPECT_EQ(critic_ranges(s).count, 1);
}

// ---- emotion ----

// [GIVEN] a section of music [WHEN] the scene asks for the quadrant the estimator hears [THEN]
// 1 of 1 agrees; [WHEN] it asks for the opposite quadrant [THEN] 0 of 1, and the reason names
// the bars, what they read as and what the scene asks.
TEST(CriticEmotion, QuadrantAgreementPerSection) {
  Score s = empty_score(4);
  Part m = part("Flute", Role::melody, "flute", 73);
  Part b = part("Cello", Role::bass, "cello", 42);
  for (int i = 0; i < 32; ++i)
    add(m, i * 0.5, 0.5, 72 + (i % 4) * 2, 100);
  for (int i = 0; i < 4; ++i)
    add(b, i * 4, 4, 48, 90);
  s.parts = {m, b};
  Section sec;
  sec.at = BeatPos(0);
  sec.label = "A";
  s.sections.push_back(sec);

  // What the estimator hears in it.
  std::vector<model::EmotionNote> notes;
  for (const auto& p : s.parts)
    for (const auto& n : p.notes)
      notes.push_back({n.pitch, static_cast<double>(n.start.ticks()) / kQ * 0.5,
                       static_cast<double>(n.length.ticks()) / kQ * 0.5, n.velocity});
  std::sort(notes.begin(), notes.end(), [](const auto& x, const auto& y) {
    return x.onset != y.onset ? x.onset < y.onset : x.pitch < y.pitch;
  });
  model::EmotionOptions eo;
  eo.window = 8;
  eo.hop = 8;
  auto heard = model::estimate_emotion(model::default_emotion_model(), notes, eo);
  ASSERT_TRUE(heard);
  const bool hv = model::high_valence(heard->whole.quadrant);
  const bool ha = model::high_arousal(heard->whole.quadrant);

  spot::Cue cue = cue_for(4);
  cue.emotion.keys.push_back({cue.in, {hv ? 0.6 : -0.6, ha ? 0.6 : -0.6, 0.2}});
  auto same = critic_emotion(s, cue, {});
  ASSERT_TRUE(same.judged) << all_reasons(same);
  EXPECT_EQ(same.count, 1);
  EXPECT_EQ(same.of, 1);

  cue.emotion.keys[0].value = {hv ? -0.6 : 0.6, ha ? -0.6 : 0.6, 0.2};
  auto opposite = critic_emotion(s, cue, {});
  EXPECT_EQ(opposite.count, 0);
  EXPECT_LT(opposite.score, same.score);
  EXPECT_TRUE(has_reason(opposite, "bars 1\u20134 (0-8 s) read as Q")) << all_reasons(opposite);
  EXPECT_TRUE(has_reason(opposite, "where the scene asks Q")) << all_reasons(opposite);
}

// [GIVEN] one section of even music and a target that asks its quadrant only around the section's
// middle [THEN] the section is off: the critic holds each plotted window (8 s every 4 s) against
// the target at its middle, and 1 of 3 agree. (Judged as one estimate against the target at the
// section's middle, it used to agree.)
TEST(CriticEmotion, JudgesThePlottedWindowsNotOnlyTheMiddle) {
  Score s = empty_score(8);
  Part m = part("Flute", Role::melody, "flute", 73);
  Part b = part("Cello", Role::bass, "cello", 42);
  for (int i = 0; i < 64; ++i)
    add(m, i * 0.5, 0.5, 72 + (i % 4) * 2, 100);
  for (int i = 0; i < 8; ++i)
    add(b, i * 4, 4, 48, 90);
  s.parts = {m, b};
  Section sec;
  sec.at = BeatPos(0);
  sec.label = "A";
  s.sections.push_back(sec);
  std::vector<model::EmotionNote> notes;
  for (const auto& p : s.parts)
    for (const auto& n : p.notes)
      notes.push_back({n.pitch, static_cast<double>(n.start.ticks()) / kQ * 0.5,
                       static_cast<double>(n.length.ticks()) / kQ * 0.5, n.velocity});
  std::sort(notes.begin(), notes.end(), [](const auto& x, const auto& y) {
    return x.onset != y.onset ? x.onset < y.onset : x.pitch < y.pitch;
  });
  model::EmotionOptions eo;
  eo.beat_map = model::MapBeat{s.tempo_map, 0};
  auto heard = model::estimate_emotion(model::default_emotion_model(), notes, eo);
  ASSERT_TRUE(heard);
  ASSERT_EQ(heard->curve.size(), 3u);  // 0-8, 4-12, 8-16 s
  for (const auto& w : heard->curve)
    ASSERT_EQ(w.point.quadrant, heard->curve[0].point.quadrant) << "the music is even";
  const bool hv = model::high_valence(heard->curve[0].point.quadrant);
  const bool ha = model::high_arousal(heard->curve[0].point.quadrant);
  const spot::Emotion same{hv ? 0.6 : -0.6, ha ? 0.6 : -0.6, 0.2};
  const spot::Emotion opposite{-same.valence, -same.arousal, 0.2};
  spot::Cue cue = cue_for(8);
  auto at = [&cue](double seconds) {
    return cue.in + time::TimeDur(static_cast<std::int64_t>(seconds * time::kSuperclockPerSecond));
  };
  cue.emotion.keys = {{at(0), opposite}, {at(6.9), opposite}, {at(7.1), same},
                      {at(8.9), same},   {at(9.1), opposite}, {cue.out, opposite}};
  auto r = critic_emotion(s, cue, {});
  ASSERT_TRUE(r.judged) << all_reasons(r);
  EXPECT_EQ(r.count, 0);
  EXPECT_EQ(r.of, 1);
  EXPECT_TRUE(has_reason(r, "1 of 3 windows")) << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "sections off the curve: bars 1\u20138 (2 of 3 windows off)"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "(0-8 s) read as Q")) << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "(8-16 s) read as Q")) << all_reasons(r);
  // The curve asking the music's quadrant throughout: 3 of 3.
  cue.emotion.keys = {{cue.in, same}};
  auto agree = critic_emotion(s, cue, {});
  EXPECT_EQ(agree.count, 1);
  EXPECT_TRUE(has_reason(agree, "3 of 3 windows")) << all_reasons(agree);
}

// [GIVEN] a cue whose notes follow its 80 BPM map [THEN] the emotion critic reads the beat from
// the map, and names the model; [WHEN] the notes are performed off the grid [THEN] it hears the
// beat from the notes.
TEST(CriticEmotion, BeatFromTheTempoMapWhenTheNotesFollowIt) {
  Score s = empty_score(4);
  s.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(80)), {},
                                         TimePos(kCueIn));
  Part m = part("Flute", Role::melody, "flute", 73);
  for (int i = 0; i < 32; ++i)
    add(m, i * 0.5, 0.5, 72 + (i % 4) * 2, 100);
  s.parts = {m};
  spot::Cue cue = cue_for(4);
  cue.emotion.keys = {{cue.in, {0.5, 0.5, 0.2}}};
  auto r = critic_emotion(s, cue, {});
  ASSERT_TRUE(r.judged) << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "the beat, 80 BPM, from the tempo map (100% of the onsets"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "estimated by the shipped emotion model (fingerprint " +
                                model::emotion_model_fingerprint(model::default_emotion_model())))
      << all_reasons(r);
  for (std::size_t i = 1; i < s.parts[0].notes.size(); ++i)
    s.parts[0].notes[i].start += BeatDur(static_cast<std::int64_t>(i % 5) * 13 + 7);
  auto performed = critic_emotion(s, cue, {});
  EXPECT_TRUE(has_reason(performed, "from the notes (the tempo map is a default they ignore"))
      << all_reasons(performed);
}

TEST(CriticEmotion, NotJudgedWithoutACurve) {
  Score s = empty_score(1);
  Part m = part("Flute", Role::melody, "flute", 73);
  add(m, 0, 1, 72);
  s.parts.push_back(m);
  EXPECT_FALSE(critic_emotion(s, cue_for(1), {}).judged);
}

// ---- melody model critics: tension and likelihood ----

// A model that knows stepwise C major scales up and down.
model::MelodyModel scale_model() {
  model::MelodyModel mm;
  const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
  for (int rep = 0; rep < 20; ++rep) {
    model::Melody m;
    std::int64_t t = 0;
    for (int k = 0; k < 3; ++k) {
      for (int i = 0; i < 8; ++i) {
        model::MelodyNote n;
        n.pitch = scale[k % 2 ? 7 - i : i];
        n.onset = BeatPos(t);
        n.duration = BeatDur(kQ);
        n.bar_position = BeatDur(t % (4 * kQ));
        m.notes.push_back(n);
        t += kQ;
      }
    }
    mm.train(m);
  }
  return mm;
}

// Eight bars: four of the scale (predictable), then four of leaps (surprising).
Score calm_then_wild() {
  Score s = empty_score(8);
  Part m = part("Flute", Role::melody, "flute", 73);
  const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 62};
  const int wild[] = {61, 70, 63, 68, 58, 66, 73, 59, 69, 62, 71, 60, 67, 64, 72, 65};
  for (int i = 0; i < 16; ++i)
    add(m, i, 1, scale[i]);
  for (int i = 0; i < 16; ++i)
    add(m, 16 + i, 1, wild[i]);
  s.parts.push_back(m);
  return s;
}

// [GIVEN] a melody calm then surprising [WHEN] the tension rises over the cue [THEN] the surprise
// follows it (score above 0.7); [WHEN] the tension falls [THEN] it runs against it (below 0.3).
TEST(CriticTension, SurpriseFollowsTheCurve) {
  const model::MelodyModel mm = scale_model();
  CriticOptions o;
  o.melody_model = &mm;
  const Score s = calm_then_wild();
  spot::Cue rising = cue_for(8);
  rising.emotion.keys = {{rising.in, {0, 0, 0.0}}, {rising.out, {0, 0, 1.0}}};
  auto up = critic_tension(s, rising, o);
  ASSERT_TRUE(up.judged) << all_reasons(up);
  EXPECT_GT(up.score, 0.7) << all_reasons(up);
  EXPECT_TRUE(has_reason(up, "follows the tension curve")) << all_reasons(up);

  spot::Cue falling = cue_for(8);
  falling.emotion.keys = {{falling.in, {0, 0, 1.0}}, {falling.out, {0, 0, 0.0}}};
  auto down = critic_tension(s, falling, o);
  EXPECT_LT(down.score, 0.3) << all_reasons(down);
  EXPECT_TRUE(has_reason(down, "runs against")) << all_reasons(down);

  spot::Cue flat = cue_for(8);
  flat.emotion.keys = {{flat.in, {0, 0, 0.5}}};
  EXPECT_FALSE(critic_tension(s, flat, o).judged);
  EXPECT_FALSE(critic_tension(s, rising, {}).judged);  // no model
}

// [GIVEN] a model of scales [THEN] the scale costs fewer bits per note than the leaps, and the
// least expected note is one of the leaps.
TEST(CriticLikelihood, IdiomaticMelodyCostsFewerBits) {
  const model::MelodyModel mm = scale_model();
  CriticOptions o;
  o.melody_model = &mm;
  Score calm = empty_score(4);
  Part m = part("Flute", Role::melody, "flute", 73);
  const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 62};
  for (int i = 0; i < 16; ++i)
    add(m, i, 1, scale[i]);
  calm.parts.push_back(m);
  auto idiomatic = critic_likelihood(calm, o);
  auto mixed = critic_likelihood(calm_then_wild(), o);
  ASSERT_TRUE(idiomatic.judged && mixed.judged);
  EXPECT_LT(idiomatic.measure, mixed.measure);
  EXPECT_GT(idiomatic.score, mixed.score);
  EXPECT_TRUE(has_reason(mixed, "the least expected note is")) << all_reasons(mixed);
  EXPECT_TRUE(has_reason(mixed, "bar 5") || has_reason(mixed, "bar 6") ||
              has_reason(mixed, "bar 7") || has_reason(mixed, "bar 8"))
      << all_reasons(mixed);
  EXPECT_EQ(mm.pitch_domain().size(), scale_model().pitch_domain().size());  // not changed
}

// ---- themes ----

TEST(CriticThemes, BestUseOfEachTaggedTheme) {
  spot::Cue cue = cue_for(4);
  cue.themes = {"Anna", "The Sea"};
  Score s = empty_score(4);
  Part m = part("Flute", Role::melody, "flute", 73);
  add(m, 0, 1, 72);
  s.parts.push_back(m);
  s.themes.push_back({"Anna", "inverted", "Flute", BeatPos(0), BeatDur(4 * kQ), 0.6});
  s.themes.push_back({"Anna", "transposed +5", "Flute", BeatPos(8 * kQ), BeatDur(4 * kQ), 0.9});
  auto r = critic_themes(s, cue, {});
  ASSERT_TRUE(r.judged);
  EXPECT_EQ(r.count, 1);
  EXPECT_EQ(r.of, 2);
  EXPECT_NEAR(r.measure, 0.45, 1e-9);
  EXPECT_TRUE(has_reason(r, "theme 'Anna' heard in Flute at bar 3 beat 1 (transposed +5)"))
      << all_reasons(r);
  EXPECT_TRUE(has_reason(r, "theme 'The Sea' is asked for but not heard")) << all_reasons(r);
}

// [GIVEN] a composer's score with the theme transposed inside a longer line [THEN] find_themes
// finds it in that part, where it starts, recognisable; an unrelated part does not match.
TEST(CriticThemes, FindsAThemeInAComposersLine) {
  auto theme = music::parse_melody("C4q E4q G4h | A4q G4q E4h");
  ASSERT_TRUE(theme) << theme.error().message;
  Score s = empty_score(6);
  Part m = part("Oboe", Role::melody, "oboe", 68);
  add(m, 0, 1, 70);
  add(m, 1, 1, 69);
  add(m, 2, 2, 67);
  const int t[] = {65, 69, 72, 74, 72, 69};  // the theme up a fourth, from bar 2
  const double len[] = {1, 1, 2, 1, 1, 2};
  double at = 4;
  for (int i = 0; i < 6; ++i) {
    add(m, at, len[i], t[i]);
    at += len[i];
  }
  s.parts.push_back(m);
  auto found = find_themes(s, {{"Anna", *theme}}, 0.8);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].part, "Oboe");
  EXPECT_EQ(found[0].at, BeatPos(4 * kQ));
  EXPECT_GT(found[0].recognisability, 0.9);

  spot::Cue cue = cue_for(6);
  cue.themes = {"Anna"};
  CriticOptions o;
  o.found_themes = found;
  EXPECT_GT(critic_themes(s, cue, o).score, 0.9);
}

// ---- all together ----

TEST(Critique, RefusesAScoreWithoutNotes) {
  auto r = critique(empty_score(2), cue_for(2));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no notes"), std::string::npos);
}

TEST(Critique, OneResultPerCriticInOrder) {
  Score s = chorale(48, 55, 50, 53);
  auto r = critique(s, cue_for(6));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->critics.size(), static_cast<std::size_t>(kCriticCount));
  for (int i = 0; i < kCriticCount; ++i)
    EXPECT_EQ(r->critics[static_cast<std::size_t>(i)].kind, static_cast<CriticKind>(i));
  EXPECT_TRUE(r->get(CriticKind::voice_leading).judged);
  EXPECT_FALSE(r->get(CriticKind::sync).judged);
}

// ---- candidates ----

namespace candidates_test {

spot::Cue door_cue() {
  spot::Cue c = cue_for(8);
  spot::HitPoint hit;
  hit.at = film_at_beat(8);
  hit.label = "door";
  c.hits.push_back(hit);
  c.emotion.keys = {{c.in, {0.5, -0.4, 0.1}}, {c.out, {-0.5, 0.6, 0.9}}};
  c.tempo_map =
      time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(120)), {}, c.in);
  return c;
}

// [GIVEN] a cue [WHEN] candidates are made twice with one seed [THEN] the same seeds, totals and
// scores in the same order, best first, ranks 1..k; another seed gives other seeds.
TEST(Candidates, DeterministicAndRankedBestFirst) {
  CueBrief brief;
  brief.cue = door_cue();
  CandidateOptions o;
  o.candidates = 4;
  o.keep = 3;
  o.seed = 7;
  int calls = 0;
  o.progress = [&calls](int done, int total) {
    ++calls;
    EXPECT_EQ(total, 4);
    EXPECT_EQ(done, calls);
    return true;
  };
  o.jobs = 3;  // written three at a time; the progress counts still come one by one
  auto a = make_candidates(brief, o);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(calls, 4);
  o.progress = {};
  o.jobs = 1;  // and one at a time: the same candidates
  auto b = make_candidates(brief, o);
  ASSERT_TRUE(b);
  ASSERT_EQ(a->size(), 3u);
  for (std::size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].rank, static_cast<int>(i) + 1);
    EXPECT_EQ((*a)[i].seed, (*b)[i].seed);
    EXPECT_EQ((*a)[i].written.score, (*b)[i].written.score);
    EXPECT_DOUBLE_EQ((*a)[i].total, (*b)[i].total);
    EXPECT_EQ((*a)[i].seed, candidate_seed(7, (*a)[i].index));
    // The critics' total, tipped by how well the candidate's approach fits the scene.
    EXPECT_DOUBLE_EQ((*a)[i].total, total_score((*a)[i].critique) * (0.85 + 0.15 * (*a)[i].fit));
    EXPECT_EQ((*a)[i].written.notes.approach, (*a)[i].approach);
    // The best candidate first; the kept ones take different approaches.
    EXPECT_GE((*a)[0].total, (*a)[i].total);
    for (std::size_t j = 0; j < i; ++j)
      EXPECT_NE((*a)[j].approach, (*a)[i].approach) << i << " " << j;
  }
  // Asked for one approach, every candidate takes it.
  o.approach = Approach::chamber;
  auto chamber = make_candidates(brief, o);
  ASSERT_TRUE(chamber);
  for (const auto& c : *chamber)
    EXPECT_EQ(c.approach, Approach::chamber);
  o.approach.reset();
  o.seed = 8;
  auto other = make_candidates(brief, o);
  ASSERT_TRUE(other);
  EXPECT_NE(other->front().seed, a->front().seed);
}

TEST(Candidates, RefusesBadCountsAndStopsWhenAsked) {
  CueBrief brief;
  brief.cue = door_cue();
  CandidateOptions o;
  o.candidates = 2;
  o.keep = 3;
  EXPECT_FALSE(make_candidates(brief, o));
  o.keep = 1;
  o.candidates = 0;
  EXPECT_FALSE(make_candidates(brief, o));
  o.candidates = 3;
  o.progress = [](int, int) { return false; };
  auto stopped = make_candidates(brief, o);
  ASSERT_FALSE(stopped);
  EXPECT_NE(stopped.error().message.find("stopped after 1 of 3"), std::string::npos);
}

TEST(Candidates, SeedsAreDistinctSplitmixDraws) {
  std::set<std::uint64_t> seeds;
  for (int i = 0; i < 64; ++i)
    seeds.insert(candidate_seed(1, i));
  EXPECT_EQ(seeds.size(), 64u);
  EXPECT_EQ(candidate_seed(1, 3), candidate_seed(1, 3));
  EXPECT_NE(candidate_seed(1, 0), candidate_seed(2, 0));
}

TEST(Candidates, CraftCriticsWeigh) {
  const CriticWeights w;
  EXPECT_DOUBLE_EQ(w.weight(CriticKind::orchestration), 2);
  EXPECT_DOUBLE_EQ(w.weight(CriticKind::harmony), 2);
  EXPECT_DOUBLE_EQ(w.weight(CriticKind::rhythm), 1.5);
  EXPECT_DOUBLE_EQ(w.weight(CriticKind::form), 1.5);
  // Every critic but harmony at 1 and harmony at 0: the total loses harmony's share.
  Critique c;
  double all = 0;
  for (int i = 0; i < kCriticCount; ++i) {
    CriticResult r;
    r.kind = static_cast<CriticKind>(i);
    r.judged = true;
    r.score = r.kind == CriticKind::harmony ? 0.0 : 1.0;
    all += w.weight(r.kind);
    c.critics.push_back(r);
  }
  EXPECT_DOUBLE_EQ(total_score(c), 1.0 - 2.0 / all);
}

// [GIVEN] two critiques alike but for one missed hard hit [THEN] the miss halves the total; a
// parallel costs 10%, a note out of range 20%; critics that did not judge do not count.
TEST(Candidates, TotalPenalisesMissesAndFaults) {
  Critique c;
  for (int i = 0; i < kCriticCount; ++i) {
    CriticResult r;
    r.kind = static_cast<CriticKind>(i);
    r.judged = true;
    r.score = 1.0;
    c.critics.push_back(r);
  }
  c.critics[0].count = 2;
  c.critics[0].of = 2;
  EXPECT_DOUBLE_EQ(total_score(c), 1.0);
  c.critics[0].count = 1;
  EXPECT_DOUBLE_EQ(total_score(c), 0.5);
  c.critics[0].count = 2;
  c.critics[static_cast<int>(CriticKind::voice_leading)].count = 1;
  EXPECT_DOUBLE_EQ(total_score(c), 0.9);
  c.critics[static_cast<int>(CriticKind::voice_leading)].count = 0;
  c.critics[static_cast<int>(CriticKind::ranges)].count = 1;
  EXPECT_DOUBLE_EQ(total_score(c), 0.8);
  c.critics[static_cast<int>(CriticKind::ranges)].count = 0;
  c.critics[static_cast<int>(CriticKind::tension)].score = 0.0;
  c.critics[static_cast<int>(CriticKind::tension)].judged = false;
  EXPECT_DOUBLE_EQ(total_score(c), 1.0);
}

TEST(TotalRuleText, StatesTheWeightsAndFactorsTheTotalUses) {
  EXPECT_EQ(total_rule_text(),
            "a weighted mean (emotion 4; sync 3; voice leading, ranges, orchestration, harmony 2; "
            "themes, rhythm, form 1.5; tension, likelihood 1), tipped by the approach's fit (x "
            "0.85 + 0.15 fit), x0.5 per hard hit missed, x0.9 per parallel or crossing (between "
            "every two real voices), x0.8 per note out of range");
  // The text follows the weights: it is made from them, never written beside them.
  CriticWeights w;
  w.rhythm = 4;
  w.per_voice_fault = 0.95;
  const std::string text = total_rule_text(w, false);
  EXPECT_NE(text.find("(emotion, rhythm 4; sync 3;"), std::string::npos) << text;
  EXPECT_NE(text.find("themes, form 1.5"), std::string::npos) << text;
  EXPECT_NE(text.find("x0.95 per parallel"), std::string::npos) << text;
  EXPECT_EQ(text.find("fit"), std::string::npos) << text;
}

}  // namespace candidates_test
}  // namespace
}  // namespace duet::compose
