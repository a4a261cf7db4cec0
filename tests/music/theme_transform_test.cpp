#include "music/theme_transform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace duet::music {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::Rational;

Melody m(std::string_view text) {
  auto parsed = parse_melody(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error().message);
  return parsed.has_value() ? *parsed : Melody{};
}
Key k(std::string_view text) {
  return *parse_key(text);
}
std::string text_of(const base::Result<Melody>& r) {
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r.has_value() ? to_text(*r) : "";
}

TEST(ThemeTransform, ChromaticAndDiatonicTransposition) {
  EXPECT_EQ(text_of(transpose(m("C4q D4e E4e G4h"), 5)), "F4q G4e A4e C5h");
  // Diatonic: C major, up a third (2 scale steps): E F# stays in the key as G A.
  EXPECT_EQ(text_of(transpose_diatonic(m("C4q D4e E4e G4h B4q"), k("C major"), 2)),
            "E4q F4e G4e B4h D5q");
  EXPECT_EQ(text_of(transpose_diatonic(m("C4q D4q"), k("C major"), -1)), "B3q C4q");
  // A chromatic note keeps its alteration: F# (#4) up a step is G# (#5).
  EXPECT_EQ(text_of(transpose_diatonic(m("F#4q"), k("C major"), 1)), "G#4q");
  auto high = transpose(m("C4q G9q"), 1);
  ASSERT_FALSE(high.has_value());
  EXPECT_NE(high.error().message.find("note 2 would be MIDI 128"), std::string::npos);
}

TEST(ThemeTransform, ModeChangeMapsScaleDegrees) {
  // C major -> C minor: E, A, B become Eb, Ab, Bb.
  EXPECT_EQ(text_of(change_key(m("C4q E4q G4q A4q B4q C5q"), k("C major"), k("C minor"))),
            "C4q Eb4q G4q G#4q Bb4q C5q");
  // D dorian -> D phrygian: E (2) becomes Eb.
  EXPECT_EQ(text_of(change_key(m("D4q E4q F4q"), k("D dorian"), k("D phrygian"))), "D4q Eb4q F4q");
  // Minor's raised leading tone (C#, #7 in D minor) is major's leading tone, not C##.
  EXPECT_EQ(text_of(change_key(m("D4q C#4q D4q Bb3q"), k("D minor"), k("D major"))),
            "D4q C#4q D4q B3q");
  // To another tonic: the nearest one (C major -> A minor moves down a minor third).
  EXPECT_EQ(text_of(change_key(m("C4q E4q G4q"), k("C major"), k("A minor"))), "A3q C4q E4q");
  // A round trip through another mode returns the theme when no degree is chromatic.
  const Melody theme = m("D4q E4e F#4e A4h B4q C#5q D5h");
  auto there = change_key(theme, k("D major"), k("D dorian"));
  ASSERT_TRUE(there.has_value());
  auto back = change_key(*there, k("D dorian"), k("D major"));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, theme);
}

TEST(ThemeTransform, AugmentationFragmentationDisplacement) {
  EXPECT_EQ(text_of(augment(m("C4q D4e rq E4h"), Rational(2))), "C4h D4q rh E4w");
  EXPECT_EQ(text_of(augment(m("C4q D4e rq E4h"), Rational(1, 2))), "C4e D4s re E4q");
  EXPECT_FALSE(augment(m("C4q"), Rational(9)).has_value());
  EXPECT_EQ(text_of(fragment_notes(m("C4q D4e rq E4h F4q"), 2)), "C4q D4e");
  EXPECT_EQ(text_of(fragment_bars(m("3/4 G4q | C5h. | D5q E5q F5q |"), 1)), "3/4 G4q | C5h.");
  EXPECT_EQ(text_of(fragment_bars(m("2/4 C4q D4h E4q"), 1)), "2/4 C4q D4q");  // cut at the bar
  EXPECT_FALSE(fragment_bars(m("C4q D4q"), 1).has_value());
  EXPECT_FALSE(fragment_notes(m("C4q D4q"), 0).has_value());
  EXPECT_EQ(text_of(displace(m("4/4 C4q D4q E4h"), Rational(1, 2))), "4/4 re C4q D4q E4h");
  EXPECT_FALSE(displace(m("C4q"), Rational(-1)).has_value());
}

TEST(ThemeTransform, InversionAndRetrograde) {
  // Diatonic inversion around E4 in C major: F (up a step) -> D, G -> C.
  EXPECT_EQ(text_of(invert(m("E4q F4q G4q E4q"), k("C major"))), "E4q D4q C4q E4q");
  EXPECT_EQ(to_text(retrograde(m("C4q D4e re E4h"))), "E4h re D4e C4q");
  const Melody theme = m("3/4 G4q | C5h. | D5q E5e F5e rq");
  EXPECT_EQ(retrograde(retrograde(theme)), theme);
  auto twice = invert(*invert(theme, k("C major")), k("C major"));
  EXPECT_EQ(*twice, theme);
}

TEST(ThemeTransform, StepsPrintParseAndReplay) {
  const std::string text =
      "transpose +5; mode minor; augment 2; fragment 4; invert; retrograde; displace 1/2; "
      "transpose -2 diatonic; key D dorian; fragment 1 bar; reharmonize Dm Bb | F C; "
      "reorchestrate solo oboe";
  auto steps = parse_steps(text);
  ASSERT_TRUE(steps.has_value()) << steps.error().message;
  ASSERT_EQ(steps->size(), 12u);
  EXPECT_EQ(to_string(*steps), text);
  EXPECT_EQ(describe((*steps)[2]), "augmented x2");
  EXPECT_EQ(describe(*parse_step("augment 1/2")), "diminished x1/2");

  const Melody theme = m("4/4 C4q D4e E4e G4h | A4q. Bb4e rq C5q");
  auto v = apply_steps(theme, k("F major"), *parse_steps("transpose +5; mode minor; augment 2"));
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(v->derivation(), "transposed +5; minor; augmented x2");
  EXPECT_EQ(to_string(v->key), "Bb minor");
  // Replaying the recorded steps gives the same variant.
  auto again = apply_steps(theme, k("F major"), *parse_steps(to_string(v->steps)));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->melody, v->melody);

  auto arranged =
      apply_steps(theme, k("F major"), *parse_steps("reharmonize Dm Bb F C; reorchestrate oboe"));
  ASSERT_TRUE(arranged.has_value());
  EXPECT_EQ(arranged->melody, theme);  // harmony and instrument are the writer's to apply
  EXPECT_EQ(arranged->harmony, "Dm Bb F C");
  EXPECT_EQ(arranged->instrument, "oboe");
}

TEST(ThemeTransform, StepErrorsNameTheStep) {
  struct Case {
    const char* text;
    const char* needle;
  };
  for (const Case& c :
       {Case{"transpose +5; wobble", "step 2: 'wobble' is not a step"},
        Case{"transpose x", "'x' is not a whole number of semitones"},
        Case{"transpose +99", "outside -48..48"}, Case{"mode happy", "'happy' is not a mode"},
        Case{"augment 0", "outside 1/8..8"}, Case{"fragment 2 beats", "'beats' after the count"},
        Case{"invert now", "has 1 value(s)"}, Case{"reharmonize Dm Xq", "chord 2 'Xq'"},
        Case{"key H major", "step 1"},
        // A decimal over a decimal that reduces to parts too long to print back (found by
        // music_melody_fuzz: the printed step did not read).
        Case{"augment 05111111.1511055/5555555",
             "reduces to 10222222302211/11111110000000, too precise to write back"},
        Case{"displace 1/999999999999.5", "too precise to write back"}}) {
    auto s = parse_steps(c.text);
    ASSERT_FALSE(s.has_value()) << c.text;
    EXPECT_NE(s.error().message.find(c.needle), std::string::npos)
        << c.text << " -> " << s.error().message;
  }
  auto v = apply_steps(m("C4q G8q"), k("C major"), *parse_steps("transpose +1; transpose +12"));
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message.find("step 2 (transpose +12)"), std::string::npos)
      << v.error().message;
  // Augmentation again and again stops at 10,000 whole notes, before the ticks overflow (found by
  // music_melody_fuzz: 109 steps with many 'augment 2' threw instead of failing).
  v = apply_steps(m("C4q G4q"), k("C major"),
                  *parse_steps("augment 8; augment 8; augment 8; "
                               "augment 8; augment 8; augment 8"));
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message.find("step 5 (augment 8): augmenting x8 would make the melody 16384 "
                                   "whole notes long, over the 10000"),
            std::string::npos)
      << v.error().message;
  std::string many;
  for (int i = 0; i < 70; ++i)
    many += "augment 2; ";
  EXPECT_FALSE(apply_steps(m("C4q G4q"), k("C major"), *parse_steps(many)).has_value());
}

// ---- Recognisability ----

const char* const kThemes[] = {
    "4/4 E4q E4q F4q G4q | G4q F4q E4q D4q | C4q C4q D4q E4q | E4q. D4e D4h",
    "4/4 D4q. F4e A4q D5q | C#5h A4h | Bb4q. A4e G4q F4q | E4w",
    "G4e3 G4e3 G4e3 C5h G5h F5e3 E5e3 D5e3 C6h G5q F5e3 E5e3 D5e3 C6h G5q",
    "3/4 G4q | C5h. | D5q E5e F5e D5q | G5h E5q | C5h.",
};
const char* const kKeys[] = {"C major", "D minor", "C major", "C major"};

// A random line of `notes` notes: a random walk of steps within a ninth from C4..C5 and
// durations drawn from eighth, quarter, dotted quarter, half.
Melody random_line(std::mt19937& rng, std::size_t notes) {
  std::uniform_int_distribution<int> step(-9, 9), start(60, 72), dur(0, 3);
  const std::array<std::int64_t, 4> lengths{960, 1920, 2880, 3840};
  Melody out;
  int pitch = start(rng);
  BeatPos at(0);
  for (std::size_t i = 0; i < notes; ++i) {
    const BeatDur len(lengths[static_cast<std::size_t>(dur(rng))]);
    out.notes.push_back({at, len, pitch});
    at += len;
    pitch = std::clamp(pitch + step(rng), 48, 84);
  }
  out.length = at - BeatPos(0);
  return out;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

TEST(Recognisability, IdentityTranspositionAndAugmentationScoreHigh) {
  for (std::size_t t = 0; t < std::size(kThemes); ++t) {
    const Melody theme = m(kThemes[t]);
    EXPECT_DOUBLE_EQ(recognisability(theme, theme), 1.0);
    for (int s = -12; s <= 12; ++s) {
      auto moved = transpose(theme, s);
      ASSERT_TRUE(moved.has_value());
      EXPECT_GE(recognisability(theme, *moved), 0.9) << kThemes[t] << " +" << s;
    }
    for (const Rational& r : {Rational(2), Rational(1, 2), Rational(3, 2), Rational(4)}) {
      EXPECT_GE(recognisability(theme, *augment(theme, r)), 0.9) << r.to_string();
    }
    // Displacement keeps every interval and duration ratio.
    EXPECT_GE(recognisability(theme, *displace(theme, Rational(1, 2))), 0.9);
  }
}

struct Figures {
  double mean = 0, p95 = 0, max = 0, min = 1;
};
Figures figures(const std::vector<double>& v) {
  Figures f;
  for (double x : v) {
    f.mean += x / static_cast<double>(v.size());
    f.max = std::max(f.max, x);
    f.min = std::min(f.min, x);
  }
  f.p95 = percentile(v, 0.95);
  return f;
}

// The figures in docs/themes.md come from this test's output (run the test binary with
// --gtest_filter=Recognisability.*).
TEST(Recognisability, SeparatesVariantsFromRandomLines) {
  std::mt19937 rng(2026);
  std::vector<double> random_scores, random_short, diatonic, mode, inversion, retro, head,
      retro_inv;
  for (std::size_t t = 0; t < std::size(kThemes); ++t) {
    const Melody theme = m(kThemes[t]);
    const Key key = k(kKeys[t]);
    for (int i = 0; i < 250; ++i) {
      random_scores.push_back(recognisability(theme, random_line(rng, theme.notes.size())));
      random_short.push_back(recognisability(theme, random_line(rng, theme.notes.size() / 2)));
    }
    for (int s : {-3, -2, -1, 1, 2, 3, 4}) {
      diatonic.push_back(recognisability(theme, *transpose_diatonic(theme, key, s)));
    }
    for (Mode md :
         {Mode::major, Mode::minor, Mode::dorian, Mode::phrygian, Mode::lydian, Mode::mixolydian}) {
      if (md == key.mode) continue;
      mode.push_back(recognisability(theme, *change_key(theme, key, Key{key.tonic, md})));
    }
    inversion.push_back(recognisability(theme, *invert(theme, key)));
    retro.push_back(recognisability(theme, retrograde(theme)));
    retro_inv.push_back(recognisability(theme, retrograde(*invert(theme, key))));
    head.push_back(
        recognisability(theme, *fragment_notes(theme, static_cast<int>(theme.notes.size() / 2))));
  }
  const auto print = [](const char* name, const std::vector<double>& v) {
    const Figures f = figures(v);
    std::printf("%-22s n=%4zu mean %.3f min %.3f p95 %.3f max %.3f\n", name, v.size(), f.mean,
                f.min, f.p95, f.max);
  };
  print("random lines", random_scores);
  print("random half-length", random_short);
  print("diatonic transposition", diatonic);
  print("mode change", mode);
  print("head (half the notes)", head);
  print("inversion", inversion);
  print("retrograde", retro);
  print("retrograde inversion", retro_inv);

  const Figures r = figures(random_scores);
  EXPECT_LT(r.p95, 0.3);
  EXPECT_GE(figures(diatonic).min, 0.6);
  EXPECT_GE(figures(mode).min, 0.75);
  EXPECT_GT(figures(head).min, 0.5);
  EXPECT_LT(figures(random_short).p95, 0.35);
  for (double x : inversion) {
    EXPECT_GT(x, 0.3);
    EXPECT_LT(x, 0.8);
  }
  for (double x : retro) {
    EXPECT_GT(x, 0.25);
    EXPECT_LT(x, 0.8);
  }
}

TEST(Recognisability, FindThemeLocatesTheThemeInALongerLine) {
  std::mt19937 rng(11);
  const Melody theme = m(kThemes[1]);
  const Melody before = random_line(rng, 9);
  const Melody after = random_line(rng, 7);
  // The line: random notes, the theme a fifth up and augmented, random notes.
  Melody line = before;
  const Melody variant = *augment(*transpose(theme, 7), Rational(2));
  BeatPos at = BeatPos(0) + before.length;
  for (const auto& n : variant.notes)
    line.notes.push_back({at + (n.start - BeatPos(0)), n.length, n.pitch});
  at += variant.length;
  for (const auto& n : after.notes)
    line.notes.push_back({at + (n.start - BeatPos(0)), n.length, n.pitch});
  line.length = (at + after.length) - BeatPos(0);
  ASSERT_TRUE(validate_melody(line).has_value());

  const ThemeMatch match = find_theme(theme, line);
  EXPECT_EQ(match.first, 9u);
  EXPECT_EQ(match.count, theme.notes.size());
  EXPECT_GE(match.score, 0.9);
  EXPECT_EQ(match.start, BeatPos(0) + before.length);
  EXPECT_EQ(match.length, variant.length);
  EXPECT_EQ(find_theme(theme, Melody{}).count, 0u);

  // A line shorter than half the theme is judged as one window (it read before the line's start).
  Melody two;
  two.notes = {line.notes[9], line.notes[10]};
  const ThemeMatch short_match = find_theme(theme, two);
  EXPECT_EQ(short_match.first, 0u);
  EXPECT_EQ(short_match.count, 2u);
  EXPECT_EQ(short_match.start, line.notes[9].start);
  EXPECT_EQ(short_match.length,
            (line.notes[10].start + line.notes[10].length) - line.notes[9].start);
}

}  // namespace
}  // namespace duet::music
