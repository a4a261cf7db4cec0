// The chord viewpoints, the POP909 chord protocol (reduction, merging, key changes, beats) and
// the multiple-viewpoint chord model, on hand-built sequences with known symbols.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "model/chord_model.h"
#include "model/chord_viewpoint.h"
#include "model/eval.h"
#include "model/pop909.h"
#include "music/chord.h"
#include "music/key.h"

namespace duet::model {
namespace {

ChordViewpoint vp(std::string_view name) {
  auto v = parse_chord_viewpoint(name);
  EXPECT_TRUE(v.has_value()) << name;
  return v ? *v : ChordViewpoint{};
}

constexpr int I = 0, II = 10, IV = 25, V = 35, vi = 46;

TEST(ChordViewpoint, NamesRoundTripAndUnknownNamesFail) {
  for (const char* name :
       {"symbol", "degree", "quality", "root_interval", "prev_quality", "prev_duration", "position",
        "prev_quality*root_interval*quality", "symbol*position"}) {
    EXPECT_EQ(chord_viewpoint_name(vp(name)), name);
  }
  const auto bad = parse_chord_viewpoint("symbol*tempo");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("\"tempo\""), std::string::npos);
  EXPECT_FALSE(parse_chord_viewpoint("").has_value());
}

TEST(ChordViewpoint, DurationClasses) {
  EXPECT_EQ(duration_class(0), 0);
  EXPECT_EQ(duration_class(1), 0);
  EXPECT_EQ(duration_class(4), 3);
  EXPECT_EQ(duration_class(5), 4);
  EXPECT_EQ(duration_class(6), 4);
  EXPECT_EQ(duration_class(8), 5);
  EXPECT_EQ(duration_class(12), 6);
  EXPECT_EQ(duration_class(16), 7);
  EXPECT_EQ(duration_class(40), 8);
}

TEST(ChordViewpoint, ValuesOfHandBuiltSequence) {
  // I for 4 beats on the downbeat, then vi for 2 beats on beat 3 (position 2), then position 0.
  const std::vector<ChordItem> items = {{I, 4, 0}, {vi, 2, 2}, {IV, 0, -1}};
  // Candidate V at chord 1: root 7 semitones above I, major.
  EXPECT_EQ(chord_viewpoint_value(vp("symbol"), items, 1, V), V);
  EXPECT_EQ(chord_viewpoint_value(vp("degree"), items, 1, V), 7);
  EXPECT_EQ(chord_viewpoint_value(vp("quality"), items, 1, vi), 1);
  EXPECT_EQ(chord_viewpoint_value(vp("root_interval"), items, 1, V), 7);
  EXPECT_EQ(chord_viewpoint_value(vp("root_interval"), items, 2, I), 3);  // vi (9) -> I: +3
  EXPECT_EQ(chord_viewpoint_value(vp("root_interval*quality"), items, 1, vi), 9 * 5 + 1);
  EXPECT_EQ(chord_viewpoint_value(vp("prev_quality"), items, 2, I), 1);  // vi is minor
  EXPECT_EQ(chord_viewpoint_value(vp("prev_quality*root_interval*quality"), items, 2, IV),
            (1 * 12 + 8) * 5 + 0);
  EXPECT_EQ(chord_viewpoint_value(vp("prev_duration"), items, 1, V), duration_class(4));
  EXPECT_EQ(chord_viewpoint_value(vp("position"), items, 1, V), 2);
  EXPECT_EQ(chord_viewpoint_value(vp("symbol*position"), items, 1, V), V * 8 + 2);
  // Undefined: root motion and the previous chord on the first chord; unknown position.
  EXPECT_FALSE(chord_viewpoint_value(vp("root_interval"), items, 0, V));
  EXPECT_FALSE(chord_viewpoint_value(vp("prev_quality"), items, 0, V));
  EXPECT_FALSE(chord_viewpoint_value(vp("prev_duration"), items, 0, V));
  EXPECT_FALSE(chord_viewpoint_value(vp("symbol*position"), items, 2, V));
  EXPECT_FALSE(chord_viewpoint_value(vp("position"), items, 3, V));  // past the end
}

Pop909ChordLabel label(double start, double end, std::string_view text) {
  Pop909ChordLabel l;
  l.start_seconds = start;
  l.end_seconds = end;
  l.label = std::string(text);
  auto parsed = music::parse_chord_label(text, music::ChordNotation::harte);
  EXPECT_TRUE(parsed.has_value()) << text;
  if (parsed) l.chord = *parsed;
  return l;
}

Pop909Key key(double start, double end, std::string_view text) {
  auto parsed = music::parse_key(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return Pop909Key{start, end, parsed ? *parsed : music::Key{}};
}

// A beat every 0.5 s from 0 to 12 s; the first downbeat at beat 1 (a pickup beat), then every 4.
Pop909Song song_with_beats() {
  Pop909Song song;
  for (int b = 0; b <= 24; ++b)
    song.beats.push_back(Pop909Beat{0.5 * b, b % 2 == 1, b % 4 == 1});
  return song;
}

TEST(Pop909ChordItems, MergesAfterReductionAndAcrossN) {
  Pop909Song song = song_with_beats();
  song.keys = {key(0.2, 12, "C:maj")};  // starts after the first chord: that one uses it too
  song.chords = {label(0.0, 0.5, "N"),      label(0.5, 1.5, "C:maj7"),  label(1.5, 2.5, "C:maj"),
                 label(2.5, 3.0, "N"),      label(3.0, 4.5, "C:maj/3"), label(4.5, 6.5, "A:min7"),
                 label(6.5, 8.5, "G:sus4"), label(8.5, 9.5, "G:7")};
  const Pop909ChordItems items = pop909_chord_items(song);
  EXPECT_FALSE(items.minor);
  // C:maj7, C:maj, N, C:maj/3 are one I; A:min7 -> vi; G:sus4 -> Vsus; G:7 -> V.
  ASSERT_EQ(items.items.size(), 4u);
  EXPECT_EQ(items.items[0].symbol, I);
  EXPECT_EQ(items.items[1].symbol, vi);
  EXPECT_EQ(items.items[2].symbol, 5 * 7 + static_cast<int>(ChordClass::sus));
  EXPECT_EQ(items.items[3].symbol, V);
  // Beats: the merged I runs from beat 1 to beat 9 (8 beats) and starts on the downbeat.
  EXPECT_EQ(items.items[0].duration, 8);
  EXPECT_EQ(items.items[0].bar_position, 0);
  EXPECT_EQ(items.items[1].duration, 4);
  EXPECT_EQ(items.items[1].bar_position, 0);  // beat 9 is a downbeat
  EXPECT_EQ(items.items[3].bar_position, 0);  // beat 17
  EXPECT_EQ(items.items[2].bar_position, 0);  // beat 13
  EXPECT_EQ(items.items[3].duration, 2);      // to the end of the last chord (beat 19)
}

TEST(Pop909ChordItems, KeyInForceAtEachChord) {
  Pop909Song song = song_with_beats();
  song.keys = {key(0, 4, "C:maj"), key(4, 12, "G:maj")};
  song.chords = {label(0.5, 2.5, "D:maj"), label(3.0, 4.0, "G:maj"), label(4.0, 6.0, "D:maj"),
                 label(6.0, 7.0, "E:min")};
  const Pop909ChordItems items = pop909_chord_items(song);
  ASSERT_EQ(items.items.size(), 4u);
  EXPECT_EQ(items.items[0].symbol, II);       // D in C major
  EXPECT_EQ(items.items[1].symbol, V);        // G in C major
  EXPECT_EQ(items.items[2].symbol, V);        // D in G major (the second key)
  EXPECT_EQ(items.items[3].symbol, vi);       // E minor in G major
  EXPECT_EQ(items.items[1].bar_position, 1);  // 3.0 s is beat 6: one after the downbeat at 5
  EXPECT_EQ(items.items[0].duration, 5);      // beat 1 to beat 6 (the next onset)
}

TEST(Pop909ChordItems, RepeatsMergeOnTheChordNotTheSymbol) {
  // The same G major chord across a key change is one chord (no chord change to predict).
  Pop909Song song = song_with_beats();
  song.keys = {key(0, 2, "C:maj"), key(2, 12, "G:maj")};
  song.chords = {label(0.5, 2.0, "G:maj"), label(2.0, 4.0, "G:maj7"), label(4.0, 5.0, "C:maj")};
  const Pop909ChordItems items = pop909_chord_items(song);
  ASSERT_EQ(items.items.size(), 2u);
  EXPECT_EQ(items.items[0].symbol, V);   // in force at its onset: C major
  EXPECT_EQ(items.items[1].symbol, IV);  // C in G major
  // No key annotation: nothing to be relative to.
  song.keys.clear();
  EXPECT_TRUE(pop909_chord_items(song).items.empty());
}

TEST(ChordModel, RootMotionViewpointIsTranspositionInvariant) {
  ChordModelOptions o;
  o.use_stm = false;
  // Trained on I IV V I only; asked what follows II (never seen): a fourth up, major.
  const std::vector<int> song = {I, IV, V, I, IV, V, I, IV, V, I};
  o.viewpoints = {vp("root_interval*quality")};
  ChordModel by_motion(o);
  o.viewpoints = {vp("symbol")};
  ChordModel by_symbol(o);
  for (int k = 0; k < 3; ++k) {
    by_motion.train(song, false);
    by_symbol.train(song, false);
  }
  const std::vector<int> test = {II, 5 * 7, 5 * 9};  // II V VI
  const auto pm = by_motion.predict(test, false);
  const auto ps = by_symbol.predict(test, false);
  const auto argmax = [](const std::vector<double>& p) {
    return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
  };
  EXPECT_EQ(argmax(pm[1]), V);  // II -> V: up a fourth
  EXPECT_NE(argmax(ps[1]), V);
  for (const auto& p : pm)
    EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0, 1e-9);
}

TEST(ChordModel, PositionViewpointReadsTheBarPosition) {
  ChordModelOptions o;
  o.use_stm = false;
  o.viewpoints = {vp("symbol*position")};
  ChordModel model(o);
  // After I: IV when the change comes on beat 3 (position 2), V when on the downbeat.
  const std::vector<ChordItem> a = {{I, 2, 0}, {IV, 2, 2}, {I, 2, 0}, {IV, 2, 2}, {I, 2, 0}};
  const std::vector<ChordItem> b = {{I, 4, 0}, {V, 4, 0}, {I, 4, 0}, {V, 4, 0}, {I, 4, 0}};
  model.train(a, false);
  model.train(b, false);
  const std::vector<ChordItem> on_three = {{I, 2, 0}, {IV, 2, 2}};
  const std::vector<ChordItem> on_one = {{I, 4, 0}, {IV, 4, 0}};
  const auto p3 = model.predict(on_three, false);
  const auto p1 = model.predict(on_one, false);
  EXPECT_GT(p3[1][IV], p3[1][V]);
  EXPECT_GT(p1[1][V], p1[1][IV]);
}

TEST(ChordModel, PreviousQualityLinkedWithMotion) {
  ChordModelOptions o;
  o.use_stm = false;
  o.viewpoints = {vp("prev_quality*root_interval*quality")};
  ChordModel model(o);
  // From a minor chord the root moves up a fourth to major; from a major chord up a second.
  model.train(std::vector<int>{vi, II, 5 * 4, vi, II, 5 * 4}, false);   // vi II III vi II III
  const auto p = model.predict(std::vector<int>{5 * 2 + 1, V}, false);  // ii, then?
  // After ii (minor) the viewpoint expects a major chord a fourth up: V.
  EXPECT_EQ(std::max_element(p[1].begin(), p[1].end()) - p[1].begin(), V);
}

TEST(ChordEval, FirstChordNotScoredAndTiesMiss) {
  // An untrained model is uniform: every symbol ties, so nothing is in the top 1 or top 5.
  const std::vector<ChordSong> test = {{chord_items(std::vector<int>{I, V, vi, IV}), false},
                                       {chord_items(std::vector<int>{I, IV}), true}};
  const ChordScore uniform = score_chord_model(pop909_chord_ltm_system(), {}, test);
  EXPECT_EQ(uniform.events, 4u);  // 3 + 1: the first chord of each song has nothing before it
  EXPECT_EQ(uniform.top1, 0.0);
  EXPECT_EQ(uniform.top5, 0.0);
  // Trained on the same songs, the long-term model gets them right.
  const ChordScore trained = score_chord_model(pop909_chord_ltm_system(), test, test);
  EXPECT_EQ(trained.top1, 1.0);
}

TEST(ChordModel, ShortTermModelAddsToTheSystem) {
  const std::vector<int> song = {I, V, vi, IV, I, V, vi, IV, I, V, vi, IV};
  ChordModelOptions ltm_only = pop909_chord_ltm_system();
  ChordModel a(ltm_only), b(pop909_chord_system());
  const std::vector<int> other = {I, IV, V, I};
  a.train(other, false);
  b.train(other, false);
  const auto pa = a.predict(song, false);
  const auto pb = b.predict(song, false);
  EXPECT_GT(pb.back()[IV], pa.back()[IV]);
}

}  // namespace
}  // namespace duet::model
