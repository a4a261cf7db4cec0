// ABC reader: each feature on a small hand-written tune, pitches and onsets checked exactly.
#include "model/abc.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace duet::model {
namespace {

constexpr std::int64_t kEighth = 960;  // beat ticks (1,920 per quarter)

AbcTune tune_of(const std::string& text) {
  auto book = parse_abc(text, "t.abc");
  EXPECT_TRUE(book.has_value()) << (book ? "" : book.error().message);
  if (!book || book->tunes.empty()) return {};
  return book->tunes.front();
}

std::vector<int> pitches(const AbcTune& tune) {
  std::vector<int> out;
  for (const auto& n : tune.melody.notes)
    out.push_back(n.pitch);
  return out;
}
std::vector<std::int64_t> onsets(const AbcTune& tune) {
  std::vector<std::int64_t> out;
  for (const auto& n : tune.melody.notes)
    out.push_back(n.onset.ticks());
  return out;
}
std::vector<std::int64_t> durations(const AbcTune& tune) {
  std::vector<std::int64_t> out;
  for (const auto& n : tune.melody.notes)
    out.push_back(n.duration.ticks());
  return out;
}
std::vector<std::int64_t> positions(const AbcTune& tune) {
  std::vector<std::int64_t> out;
  for (const auto& n : tune.melody.notes)
    out.push_back(n.bar_position.ticks());
  return out;
}

std::string error_of(const std::string& text) {
  auto book = parse_abc(text, "t.abc");
  EXPECT_FALSE(book.has_value());
  return book ? "" : book.error().message;
}

TEST(Abc, HeadersAndIds) {
  auto book = parse_abc(
      "%abc\nX:3\nT:First\nT:Second "
      "title\nS:someone\nN:note\nR:jig\nZ:me\nM:6/8\nL:1/8\nQ:1/4=120\nK:G\nGAB|\n\n"
      "free text between tunes\n\nX:4\nT:Other\nK:D\nD|\n",
      "t.abc", AbcOptions{"nottingham/jigs", false, 1000});
  ASSERT_TRUE(book.has_value());
  ASSERT_EQ(book->tunes.size(), 2u);
  const auto& t = book->tunes[0];
  EXPECT_EQ(t.number, 3);
  EXPECT_EQ(t.line, 2);
  EXPECT_EQ(t.title, "First");
  EXPECT_EQ(t.melody.id, "nottingham/jigs/3");
  EXPECT_EQ(t.meter, (MeterContext{6, 8}));
  EXPECT_EQ(t.key, (KeyContext{7, false}));
  EXPECT_EQ(t.key_text, "G");
  EXPECT_EQ(book->tunes[1].melody.id, "nottingham/jigs/4");
  EXPECT_EQ(pitches(book->tunes[1]), (std::vector<int>{62}));
}

TEST(Abc, KeysAndModes) {
  struct Case {
    const char* key;
    std::vector<int> pitches;  // of "CDEFGAB"
    std::optional<KeyContext> context;
  };
  std::vector<Case> cases = {
      {"C", {60, 62, 64, 65, 67, 69, 71}, KeyContext{0, false}},
      {"G", {60, 62, 64, 66, 67, 69, 71}, KeyContext{7, false}},
      {"Em", {60, 62, 64, 66, 67, 69, 71}, KeyContext{4, true}},
      {"Ador", {60, 62, 64, 66, 67, 69, 71}, KeyContext{9, true}},
      {"Dmix", {60, 62, 64, 66, 67, 69, 71}, KeyContext{2, false}},
      {"F#m", {61, 62, 64, 66, 68, 69, 71}, KeyContext{6, true}},
      {"Bb", {60, 62, 63, 65, 67, 69, 70}, KeyContext{10, false}},
      {"A minor", {60, 62, 64, 65, 67, 69, 71}, KeyContext{9, true}},
      {"Elyd", {61, 63, 64, 66, 68, 70, 71}, KeyContext{4, false}},
      {"Ephr", {60, 62, 64, 65, 67, 69, 71}, KeyContext{4, true}},
      {"Bloc", {60, 62, 64, 65, 67, 69, 71}, KeyContext{11, true}},
      {"none", {60, 62, 64, 65, 67, 69, 71}, std::nullopt},
      {"D ^g", {61, 62, 64, 66, 68, 69, 71}, KeyContext{2, false}},
      {"G clef=treble", {60, 62, 64, 66, 67, 69, 71}, KeyContext{7, false}},
  };
  for (const auto& c : cases) {
    auto t = tune_of(std::string("X:1\nM:4/4\nL:1/8\nK:") + c.key + "\nCDEFGAB|\n");
    EXPECT_EQ(pitches(t), c.pitches) << c.key;
    EXPECT_EQ(t.key, c.context) << c.key;
  }
  EXPECT_NE(error_of("X:1\nK:Gxyz\nG|\n").find("line 2"), std::string::npos);
}

TEST(Abc, DefaultUnitLengthFromMeter) {
  EXPECT_EQ(durations(tune_of("X:1\nM:4/4\nK:C\nC|\n")), (std::vector<std::int64_t>{kEighth}));
  EXPECT_EQ(durations(tune_of("X:1\nM:3/4\nK:C\nC|\n")), (std::vector<std::int64_t>{kEighth}));
  EXPECT_EQ(durations(tune_of("X:1\nM:2/4\nK:C\nC|\n")), (std::vector<std::int64_t>{kEighth / 2}));
  EXPECT_EQ(durations(tune_of("X:1\nK:C\nC|\n")), (std::vector<std::int64_t>{kEighth}));
  EXPECT_EQ(durations(tune_of("X:1\nM:2/4\nL:1/4\nK:C\nC|\n")),
            (std::vector<std::int64_t>{2 * kEighth}));
  // C and C| meters.
  EXPECT_EQ(tune_of("X:1\nM:C\nK:C\nC|\n").meter, (MeterContext{4, 4}));
  EXPECT_EQ(tune_of("X:1\nM:C|\nK:C\nC|\n").meter, (MeterContext{2, 2}));
}

TEST(Abc, AccidentalsAndOctaves) {
  // Key of D: F and C sharp. Explicit accidentals last to the bar line, per octave.
  auto t = tune_of("X:1\nL:1/8\nK:D\nF=Ff f|^^C__B,c C' c,,|_B B|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{66, 65, 78, 78, 62, 57, 73, 73, 49, 70, 70}));
}

TEST(Abc, NoteLengths) {
  auto t = tune_of("X:1\nL:1/8\nK:C\nA2 A/2 A/ A3/2 A// A3 A/4|\n");
  EXPECT_EQ(durations(t), (std::vector<std::int64_t>{1920, 480, 480, 1440, 240, 2880, 240}));
  EXPECT_EQ(onsets(t), (std::vector<std::int64_t>{0, 1920, 2400, 2880, 4320, 4560, 7440}));
}

TEST(Abc, RestsAreGaps) {
  auto t = tune_of("X:1\nM:4/4\nL:1/8\nK:C\nC z D x2 E|Z2|F|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{60, 62, 64, 65}));
  // Z2 rests for two 4/4 bars (2 x 7,680 ticks).
  EXPECT_EQ(onsets(t), (std::vector<std::int64_t>{0, 1920, 4800, 5760 + 15360}));
}

TEST(Abc, BrokenRhythm) {
  auto t = tune_of("X:1\nL:1/8\nK:C\nA>B c<d e>>f|\n");
  EXPECT_EQ(durations(t), (std::vector<std::int64_t>{1440, 480, 480, 1440, 1680, 240}));
}

TEST(Abc, TiesJoinNotes) {
  auto t = tune_of("X:1\nM:4/4\nL:1/8\nK:C\nA4-|A2 B -B C-D|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{69, 71, 60, 62}));
  EXPECT_EQ(durations(t), (std::vector<std::int64_t>{5760, 1920, 960, 960}));
}

TEST(Abc, SlursAndDecorationsTakeNoTime) {
  auto t = tune_of("X:1\nL:1/8\nK:C\n(AB) !trill!c ~d .e He Tf +fermata+g|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{69, 71, 72, 74, 76, 76, 77, 79}));
  EXPECT_EQ(onsets(t).back(), 7 * kEighth);
}

TEST(Abc, Tuplets) {
  auto t = tune_of("X:1\nM:4/4\nL:1/8\nK:C\n(3ABc d (3:2:3A/B/c/ (5ABcde|\n");
  EXPECT_EQ(durations(t), (std::vector<std::int64_t>{640, 640, 640, 960, 320, 320, 320, 384, 384,
                                                     384, 384, 384}));
  // (p:q:r with r < p: the tuplet covers r notes; (2 plays two in the time of three.
  auto u = tune_of("X:1\nL:1/8\nK:C\n(3:2:2AB c (2de|\n");
  EXPECT_EQ(durations(u), (std::vector<std::int64_t>{640, 640, 960, 1440, 1440}));
  // In compound meter, (5 is five in the time of three.
  auto v = tune_of("X:1\nM:6/8\nL:1/8\nK:C\n(5ABcde|\n");
  EXPECT_EQ(durations(v).front(), 576);
}

TEST(Abc, ChordsGiveTheTopNote) {
  auto t = tune_of("X:1\nL:1/8\nK:C\n[CEG]2 [G,B,D]/ [ce]2 [+GB]|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{67, 62, 76, 71}));
  EXPECT_EQ(durations(t), (std::vector<std::int64_t>{1920, 480, 1920, 960}));
}

TEST(Abc, GraceNotesTakeNoTime) {
  auto t = tune_of("X:1\nL:1/8\nK:C\n{g}A {/fg}B|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{69, 71}));
  EXPECT_EQ(onsets(t), (std::vector<std::int64_t>{0, kEighth}));
}

TEST(Abc, RepeatsAndEndings) {
  auto t = tune_of("X:1\nM:2/4\nL:1/8\nK:C\nC2 D2|:E2 F2|[1 G4:|[2 A4||B4|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{60, 62, 64, 65, 67, 64, 65, 69, 71}));
  // Repeat with no start mark: back to the beginning. "::" ends one and starts the next.
  auto u = tune_of("X:1\nL:1/4\nK:C\nC D:|E::F:|G|\n");
  EXPECT_EQ(pitches(u), (std::vector<int>{60, 62, 60, 62, 64, 64, 65, 65, 67}));
  // "|1" and ":|2" endings.
  auto v = tune_of("X:1\nL:1/4\nK:C\n|:C|1D:|2E|]\n");
  EXPECT_EQ(pitches(v), (std::vector<int>{60, 62, 60, 64}));
  // Three passes when an ending says so.
  auto w = tune_of("X:1\nL:1/4\nK:C\n|:C|[1,2 D:|[3 E|]\n");
  EXPECT_EQ(pitches(w), (std::vector<int>{60, 62, 60, 62, 60, 64}));
}

TEST(Abc, PartsFollowThePlayOrder) {
  // Nottingham writes the order in Y:, standard ABC in a header P:.
  auto t = tune_of("X:1\nY:AABA\nL:1/4\nK:C\nP:A\nC|\nP:B\nD|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{60, 60, 62, 60}));
  auto u = tune_of("X:1\nP:B(A)2\nL:1/4\nK:C\nP:A\nC|\nP:B\nD|\n");
  EXPECT_EQ(pitches(u), (std::vector<int>{62, 60, 60}));
  // No order: parts as written.
  auto v = tune_of("X:1\nL:1/4\nK:C\nP:A\nC|\nP:B\nD|\n");
  EXPECT_EQ(pitches(v), (std::vector<int>{60, 62}));
}

TEST(Abc, InlineFieldsAndBodyFields) {
  auto t = tune_of("X:1\nM:4/4\nL:1/8\nK:C\nF [K:G] F [L:1/4] F|[M:3/4] F3|\nK:F\nB|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{65, 66, 66, 66, 70}));
  EXPECT_EQ(durations(t), (std::vector<std::int64_t>{960, 960, 1920, 5760, 1920}));
  EXPECT_EQ(t.melody.notes[3].meter, (MeterContext{3, 4}));
  EXPECT_EQ(t.melody.notes[4].key, (KeyContext{5, false}));
}

TEST(Abc, ContinuationCommentsAndBodyFieldAfterContinuation) {
  auto t = tune_of("X:1\nL:1/8\nK:C\nCD % a comment\\\nE\\\nM:3/4\nF|\n%%directive\nG|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{60, 62, 64, 65, 67}));
}

TEST(Abc, ChordSymbolsAreTimed) {
  auto t = tune_of("X:1\nM:4/4\nL:1/8\nK:G\n\"G\"G2 \"^text\"B2 \"D7\"A \"C/e\"z \"Em\"E2|\n");
  ASSERT_EQ(t.chord_symbols.size(), 4u);
  EXPECT_EQ(t.chord_symbols[0], (ChordSymbol{"G", time::BeatPos(0)}));
  EXPECT_EQ(t.chord_symbols[1], (ChordSymbol{"D7", time::BeatPos(3840)}));
  EXPECT_EQ(t.chord_symbols[2], (ChordSymbol{"C/e", time::BeatPos(4800)}));
  EXPECT_EQ(t.chord_symbols[3], (ChordSymbol{"Em", time::BeatPos(5760)}));
}

TEST(Abc, BarPositionsWithPickups) {
  // 6/8 with a one-eighth pickup; part B's pickup completes part A's short last bar.
  auto t = tune_of("X:1\nM:6/8\nL:1/8\nK:C\nP:A\nA|B3 c3|d3 e2|\nP:B\nf|g6|]\n");
  EXPECT_EQ(positions(t), (std::vector<std::int64_t>{5 * kEighth, 0, 3 * kEighth, 0, 3 * kEighth,
                                                     5 * kEighth, 0}));
  // A repeat that jumps back over the pickup: the pickup completes the repeated bar.
  auto u = tune_of("X:1\nM:3/4\nL:1/4\nK:C\nC|D E F|G A:|\n");
  EXPECT_EQ(positions(u), (std::vector<std::int64_t>{3840, 0, 1920, 3840, 0, 1920, 3840, 0, 1920,
                                                     3840, 0, 1920}));
}

TEST(Abc, ErrorsNameLineAndColumn) {
  EXPECT_EQ(error_of("X:1\nK:C\nAB ? C|\n"),
            "t.abc: line 3, column 4: tune X:1: unexpected character '?' in the music.");
  EXPECT_NE(error_of("X:1\nK:C\nA \"G B|\n").find("line 3, column 3"), std::string::npos);
  EXPECT_NE(error_of("X:1\nM:7/x\nK:C\nA|\n").find("line 2"), std::string::npos);
  // Fuzzer finding: a huge meter denominator overflowed while being read.
  EXPECT_NE(error_of("X:1\nM:3/9999999999\nK:C\nA|\n").find("M: field"), std::string::npos);
  EXPECT_NE(error_of("X:1\nL:1/0\nK:C\nA|\n").find("L: field"), std::string::npos);
  EXPECT_NE(error_of("X:1\nK:C\nA/0|\n").find("divides by 0"), std::string::npos);
  EXPECT_NE(error_of("X:1\nK:C\nc''''''''|\n").find("MIDI range"), std::string::npos);
  EXPECT_NE(error_of("X:1\nK:C\n>A|\n").find("broken rhythm"), std::string::npos);
}

TEST(Abc, BadTunesCanBeSkipped) {
  AbcOptions options;
  options.skip_bad_tunes = true;
  auto book = parse_abc("X:1\nK:C\nA ? B|\n\nX:2\nK:C\nB|\n", "t.abc", options);
  ASSERT_TRUE(book.has_value());
  ASSERT_EQ(book->tunes.size(), 1u);
  EXPECT_EQ(book->tunes[0].number, 2);
  ASSERT_EQ(book->warnings.size(), 1u);
  EXPECT_NE(book->warnings[0].message.find("line 3, column 3"), std::string::npos);
}

TEST(Abc, UnclosedChordEndsWithAWarning) {
  auto t = tune_of("X:1\nL:1/8\nK:C\n[e2c2(3ABc|\n");
  EXPECT_EQ(pitches(t), (std::vector<int>{76, 69, 71, 72}));
  EXPECT_EQ(t.warnings.size(), 1u);
}

}  // namespace
}  // namespace duet::model
