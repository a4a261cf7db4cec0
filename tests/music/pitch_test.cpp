#include "music/pitch.h"

#include <gtest/gtest.h>

namespace duet::music {
namespace {

TEST(NoteName, ParsesAndPrints) {
  for (const char* text : {"C", "F#", "Bb", "C##", "Ebb", "B", "Cb", "E#"}) {
    auto name = parse_note_name(text);
    ASSERT_TRUE(name.has_value()) << text;
    EXPECT_EQ(to_string(*name), text);
  }
  EXPECT_EQ(parse_note_name("Cb")->pitch_class(), 11);
  EXPECT_EQ(parse_note_name("B#")->pitch_class(), 0);
  EXPECT_EQ(parse_note_name("f#")->pitch_class(), 6);
  for (const char* text : {"", "H", "C###", "C#b", "Cx", "C4"}) {
    EXPECT_FALSE(parse_note_name(text).has_value()) << text;
  }
}

TEST(NoteName, SpellsPitchClasses) {
  EXPECT_EQ(to_string(spell_pitch_class(1, false)), "C#");
  EXPECT_EQ(to_string(spell_pitch_class(1, true)), "Db");
  EXPECT_EQ(to_string(spell_pitch_class(10, true)), "Bb");
  EXPECT_EQ(to_string(spell_pitch_class(-1, true)), "B");
  for (int pc = 0; pc < 12; ++pc) {
    EXPECT_EQ(spell_pitch_class(pc, false).pitch_class(), pc);
    EXPECT_EQ(spell_pitch_class(pc, true).pitch_class(), pc);
  }
}

TEST(Pitch, MidiNumbersFollowScientificPitchNotation) {
  EXPECT_EQ(parse_pitch("C4")->midi(), 60);
  EXPECT_EQ(parse_pitch("A4")->midi(), 69);
  EXPECT_EQ(parse_pitch("C-1")->midi(), 0);
  EXPECT_EQ(parse_pitch("G9")->midi(), 127);
  EXPECT_EQ(parse_pitch("B#3")->midi(), 60);  // the octave belongs to the letter
  EXPECT_EQ(parse_pitch("Cb4")->midi(), 59);
  EXPECT_EQ(parse_pitch("Bb3")->midi(), 58);
  EXPECT_FALSE(parse_pitch("C").has_value());
  EXPECT_FALSE(parse_pitch("C4x").has_value());
  EXPECT_FALSE(parse_pitch("C11").has_value());
}

TEST(Pitch, MidiRoundTrip) {
  for (int midi = 0; midi < 128; ++midi) {
    for (bool flats : {false, true}) {
      const Pitch pitch = pitch_of_midi(midi, flats);
      EXPECT_EQ(pitch.midi(), midi);
      auto back = parse_pitch(to_string(pitch));
      ASSERT_TRUE(back.has_value());
      EXPECT_EQ(*back, pitch);
    }
  }
  EXPECT_EQ(to_string(pitch_of_midi(61, false)), "C#4");
  EXPECT_EQ(to_string(pitch_of_midi(70, true)), "Bb4");
}

TEST(Interval, ParsesWithSemitones) {
  const std::pair<const char*, int> cases[] = {
      {"P1", 0},  {"m2", 1}, {"M2", 2},  {"m3", 3},  {"M3", 4},  {"P4", 5},  {"A4", 6},
      {"d5", 6},  {"P5", 7}, {"m6", 8},  {"M6", 9},  {"m7", 10}, {"M7", 11}, {"P8", 12},
      {"M9", 14}, {"d7", 9}, {"AA4", 7}, {"dd7", 8}, {"P15", 24}};
  for (const auto& [text, semitones] : cases) {
    auto interval = parse_interval(text);
    ASSERT_TRUE(interval.has_value()) << text;
    EXPECT_EQ(interval->semitones(), semitones) << text;
    EXPECT_EQ(to_string(*interval), text);
  }
  for (const char* text : {"M5", "P3", "m4", "X3", "M0", "d1", "P", ""}) {
    EXPECT_FALSE(parse_interval(text).has_value()) << text;
  }
}

TEST(Interval, BetweenSpelledPitches) {
  const auto between = [](const char* a, const char* b) {
    auto interval = interval_between(*parse_pitch(a), *parse_pitch(b));
    return interval ? to_string(*interval) : std::string("error");
  };
  EXPECT_EQ(between("C4", "E4"), "M3");
  EXPECT_EQ(between("C#4", "F4"), "d4");
  EXPECT_EQ(between("Db4", "F4"), "M3");
  EXPECT_EQ(between("F4", "B4"), "A4");
  EXPECT_EQ(between("B3", "F4"), "d5");
  EXPECT_EQ(between("C4", "D5"), "M9");
  EXPECT_EQ(between("C4", "C4"), "P1");
  EXPECT_EQ(between("E4", "C4"), "error");
}

TEST(Interval, TransposeInvertsIntervalBetween) {
  // Property: for every spelled pitch and interval, transposing then measuring gives the interval.
  for (const char* start : {"C4", "F#3", "Bb2", "E#5", "Cb4"}) {
    for (const char* step : {"P1", "m2", "M3", "A4", "d5", "P5", "m7", "M9", "d7", "P8"}) {
      const Pitch low = *parse_pitch(start);
      const Interval interval = *parse_interval(step);
      const Pitch high = transpose(low, interval);
      EXPECT_EQ(high.midi() - low.midi(), interval.semitones());
      auto measured = interval_between(low, high);
      ASSERT_TRUE(measured.has_value()) << start << " " << step;
      EXPECT_EQ(*measured, interval) << start << " " << step;
    }
  }
  EXPECT_EQ(to_string(transpose(*parse_pitch("C#4"), *parse_interval("M3"))), "E#4");
  EXPECT_EQ(to_string(transpose(*parse_pitch("B3"), *parse_interval("m2"))), "C4");
}

}  // namespace
}  // namespace duet::music
