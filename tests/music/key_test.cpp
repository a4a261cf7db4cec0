#include "music/key.h"

#include <gtest/gtest.h>

namespace duet::music {
namespace {

Key key(const char* text) {
  auto parsed = parse_key(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(Key{});
}

TEST(Key, ParsesEveryForm) {
  EXPECT_EQ(key("C major"), (Key{*parse_note_name("C"), Mode::major}));
  EXPECT_EQ(key("F# minor"), (Key{*parse_note_name("F#"), Mode::minor}));
  EXPECT_EQ(key("Am"), (Key{*parse_note_name("A"), Mode::minor}));
  EXPECT_EQ(key("Bb"), (Key{*parse_note_name("Bb"), Mode::major}));
  EXPECT_EQ(key("Gb:maj"), (Key{*parse_note_name("Gb"), Mode::major}));
  EXPECT_EQ(key("Eb:min"), (Key{*parse_note_name("Eb"), Mode::minor}));
  EXPECT_EQ(key("D dorian").mode, Mode::dorian);
  EXPECT_EQ(key("E aeolian").mode, Mode::minor);
  for (const char* text : {"", "H major", "C majestic", "C:dor", "c major", "C  major"}) {
    EXPECT_FALSE(parse_key(text).has_value()) << text;
  }
  EXPECT_EQ(to_string(key("F#m")), "F# minor");
  EXPECT_EQ(to_string(key("D dorian")), "D dorian");
}

TEST(Key, Signatures) {
  EXPECT_EQ(key("C major").signature(), 0);
  EXPECT_EQ(key("A minor").signature(), 0);
  EXPECT_EQ(key("D major").signature(), 2);
  EXPECT_EQ(key("Bb major").signature(), -2);
  EXPECT_EQ(key("C# major").signature(), 7);
  EXPECT_EQ(key("Cb major").signature(), -7);
  EXPECT_EQ(key("Eb minor").signature(), -6);
  EXPECT_EQ(key("E dorian").signature(), 2);
  EXPECT_EQ(key("F lydian").signature(), 0);
  EXPECT_EQ(key("G mixolydian").signature(), 0);
  EXPECT_EQ(key("E phrygian").signature(), 0);
  EXPECT_EQ(key("B locrian").signature(), 0);
  EXPECT_FALSE(key("G# major").has_standard_signature());
  // Property: every mode on every white-key tonic of C major's scale has signature 0.
  const Mode modes[] = {Mode::major,      Mode::dorian, Mode::phrygian, Mode::lydian,
                        Mode::mixolydian, Mode::minor,  Mode::locrian};
  const char* tonics[] = {"C", "D", "E", "F", "G", "A", "B"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ((Key{*parse_note_name(tonics[i]), modes[i]}).signature(), 0) << tonics[i];
  }
}

TEST(Key, ScalesAreSpelledWithOneLetterEach) {
  const auto f_sharp = scale(key("F# major"));
  std::string text;
  for (const NoteName& n : f_sharp)
    text += to_string(n) + " ";
  EXPECT_EQ(text, "F# G# A# B C# D# E# ");
  const auto d_minor = scale(key("D minor"));
  EXPECT_EQ(to_string(d_minor[5]), "Bb");
  // Property: the count of sharps minus flats in the scale is the signature.
  for (const char* k : {"C major", "Eb minor", "B major", "Gb major", "F# dorian", "Ab lydian"}) {
    int total = 0;
    for (const NoteName& n : scale(key(k)))
      total += n.accidental;
    EXPECT_EQ(total, key(k).signature()) << k;
  }
}

TEST(Key, ScaleDegrees) {
  const Key c = key("C major");
  EXPECT_EQ(to_string(scale_degree(c, *parse_note_name("G"))), "5");
  EXPECT_EQ(to_string(scale_degree(c, *parse_note_name("F#"))), "#4");
  EXPECT_EQ(to_string(scale_degree(c, *parse_note_name("Gb"))), "b5");
  EXPECT_EQ(to_string(scale_degree(c, *parse_note_name("Eb"))), "b3");
  EXPECT_EQ(to_string(scale_degree(c, 6)), "#4");
  EXPECT_EQ(to_string(scale_degree(c, 10)), "b7");
  EXPECT_EQ(to_string(scale_degree(c, 1)), "b2");
  const Key a = key("A minor");
  EXPECT_EQ(to_string(scale_degree(a, 0)), "3");   // C is the minor third, a scale note
  EXPECT_EQ(to_string(scale_degree(a, 8)), "#7");  // G#, the leading tone
  EXPECT_EQ(to_string(spell_in_key(a, 8)), "G#");
  EXPECT_EQ(to_string(spell_in_key(key("Eb major"), 10)), "Bb");
  EXPECT_EQ(to_string(spell_in_key(key("E major"), 8)), "G#");
  // Property: spelling keeps the pitch class, in every key.
  for (const char* k : {"C major", "Db major", "F# minor", "Bb dorian"}) {
    for (int pc = 0; pc < 12; ++pc)
      EXPECT_EQ(spell_in_key(key(k), pc).pitch_class(), pc);
  }
}

}  // namespace
}  // namespace duet::music
