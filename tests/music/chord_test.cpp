#include "music/chord.h"

#include <gtest/gtest.h>

namespace duet::music {
namespace {

Chord harte(const char* text) {
  auto chord = parse_chord_symbol(text, ChordNotation::harte);
  EXPECT_TRUE(chord.has_value()) << text << ": " << (chord ? "" : chord.error().message);
  return chord.value_or(Chord{});
}

Chord lead(const char* text) {
  auto chord = parse_chord_symbol(text, ChordNotation::abc);
  EXPECT_TRUE(chord.has_value()) << text << ": " << (chord ? "" : chord.error().message);
  return chord.value_or(Chord{});
}

TEST(ChordSymbol, HarteLabelsFromPop909) {
  EXPECT_EQ(harte("C:maj").kind, ChordKind::maj);
  const Chord gb = harte("Gb:min7");
  EXPECT_EQ(to_string(gb.root), "Gb");
  EXPECT_EQ(gb.kind, ChordKind::min7);
  EXPECT_EQ(gb.triad(), TriadClass::min);
  EXPECT_EQ(harte("A:7").kind, ChordKind::dom7);
  EXPECT_EQ(harte("D:sus4").triad(), TriadClass::sus);
  EXPECT_EQ(harte("E:dim").triad(), TriadClass::dim);
  EXPECT_EQ(harte("F:aug").triad(), TriadClass::aug);
  EXPECT_EQ(harte("Bb:maj6").kind, ChordKind::maj6);
  EXPECT_EQ(harte("G:9").kind, ChordKind::dom9);
  EXPECT_EQ(harte("D:sus4(b7)").kind, ChordKind::dom7_sus4);
  EXPECT_EQ(harte("B:hdim7").triad(), TriadClass::dim);
  EXPECT_EQ(harte("C#:minmaj7").triad(), TriadClass::min);
  EXPECT_EQ(harte("C").kind, ChordKind::maj);  // a bare root is major
}

TEST(ChordSymbol, HarteBassIsADegreeAboveTheRoot) {
  const Chord c = harte("C:min/b3");
  ASSERT_TRUE(c.bass.has_value());
  EXPECT_EQ(to_string(*c.bass), "Eb");
  EXPECT_EQ(to_string(*harte("A:maj/3").bass), "C#");
  EXPECT_EQ(to_string(*harte("Bb:7/b7").bass), "Ab");
  EXPECT_EQ(to_string(*harte("E:maj7/7").bass), "D#");
  EXPECT_EQ(to_string(*harte("F#:min/5").bass), "C#");
  EXPECT_FALSE(harte("C:maj/1").bass.has_value());
}

TEST(ChordSymbol, NoChord) {
  EXPECT_TRUE(is_no_chord("N"));
  EXPECT_TRUE(is_no_chord("N.C."));
  EXPECT_FALSE(is_no_chord("C"));
  EXPECT_FALSE(parse_chord_symbol("N").has_value());
  auto label = parse_chord_label("N", ChordNotation::harte);
  ASSERT_TRUE(label.has_value());
  EXPECT_FALSE(label->has_value());
  auto chord = parse_chord_label("G:maj", ChordNotation::harte);
  ASSERT_TRUE(chord.has_value());
  ASSERT_TRUE(chord->has_value());
}

TEST(ChordSymbol, HarteErrorsNameTheSymbol) {
  for (const char* text :
       {"", "H:maj", "C:mjr", "C-maj", "C:maj/x", "C:maj/", "C:maj/b", "C:maj/99", "c:maj"}) {
    auto chord = parse_chord_symbol(text, ChordNotation::harte);
    ASSERT_FALSE(chord.has_value()) << text;
    EXPECT_NE(chord.error().message.find(std::string("'") + text + "'"), std::string::npos)
        << chord.error().message;
  }
}

TEST(ChordSymbol, NottinghamAbc) {
  EXPECT_EQ(lead("G").kind, ChordKind::maj);
  EXPECT_EQ(lead("D7").kind, ChordKind::dom7);
  EXPECT_EQ(lead("Em").kind, ChordKind::min);
  EXPECT_EQ(lead("Cd").kind, ChordKind::dim);
  EXPECT_EQ(lead("Ca").kind, ChordKind::aug);
  EXPECT_EQ(lead("Am7").kind, ChordKind::min7);
  EXPECT_EQ(lead("Fa7").kind, ChordKind::aug7);
  EXPECT_EQ(lead("E7b9").kind, ChordKind::dom7_b9);
  const Chord bb = lead("Bb");
  EXPECT_EQ(to_string(bb.root), "Bb");
  EXPECT_EQ(bb.kind, ChordKind::maj);
  EXPECT_EQ(to_string(*lead("C/e").bass), "E");
  EXPECT_EQ(to_string(*lead("D/f+").bass), "F#");
  EXPECT_EQ(to_string(*lead("Gm/bb").bass), "Bb");
  EXPECT_EQ(to_string(*lead("A7/c+").bass), "C#");
  EXPECT_EQ(lead("(E7)").kind, ChordKind::dom7);  // optional chords in parentheses
  EXPECT_EQ(lead("C#m").root.pitch_class(), 1);
  for (const char* text : {"", "X", "Cq", "C/", "C/h", "C/e+x", "c"}) {
    EXPECT_FALSE(parse_chord_symbol(text, ChordNotation::abc).has_value()) << text;
  }
}

TEST(ChordSymbol, EveryKindRoundTripsInEveryNotation) {
  for (ChordKind kind : all_chord_kinds()) {
    for (const char* root : {"C", "F#", "Bb", "Ab"}) {
      for (const char* bass : {"", "E", "Bb", "G#"}) {
        Chord chord;
        chord.root = *parse_note_name(root);
        chord.kind = kind;
        if (*bass != '\0') chord.bass = *parse_note_name(bass);
        if (chord.bass && *chord.bass == chord.root) continue;
        for (ChordNotation notation :
             {ChordNotation::harte, ChordNotation::abc, ChordNotation::lead_sheet}) {
          const std::string text = to_string(chord, notation);
          auto back = parse_chord_symbol(text, notation);
          ASSERT_TRUE(back.has_value()) << text << ": " << back.error().message;
          EXPECT_EQ(*back, chord) << text;
        }
      }
    }
  }
}

TEST(ChordSymbol, Printing) {
  EXPECT_EQ(to_string(harte("C:min/b3"), ChordNotation::harte), "C:min/b3");
  EXPECT_EQ(to_string(harte("C:min/b3"), ChordNotation::lead_sheet), "Cm/Eb");
  EXPECT_EQ(to_string(lead("D/f+"), ChordNotation::abc), "D/f+");
  EXPECT_EQ(to_string(lead("Cd"), ChordNotation::lead_sheet), "Cdim");
  EXPECT_EQ(to_string(lead("Cd"), ChordNotation::harte), "C:dim");
  EXPECT_EQ(to_string(harte("D:sus4(b7)"), ChordNotation::lead_sheet), "D7sus4");
}

TEST(Chord, TonesAndMasks) {
  const Chord c = harte("F#:dim");
  const std::vector<NoteName> tones = spelled_tones(c);
  ASSERT_EQ(tones.size(), 3u);
  EXPECT_EQ(to_string(tones[1]), "A");
  EXPECT_EQ(to_string(tones[2]), "C");
  EXPECT_EQ(harte("C:maj").pitch_class_mask(), (1u << 0) | (1u << 4) | (1u << 7));
  EXPECT_EQ(harte("A:min").pitch_class_mask(), (1u << 9) | (1u << 0) | (1u << 4));
  EXPECT_EQ(harte("C:maj/b7").pitch_class_mask(), (1u << 0) | (1u << 4) | (1u << 7) | (1u << 10));
  // Spelled tones agree with the semitones for every kind.
  for (ChordKind kind : all_chord_kinds()) {
    Chord chord{*parse_note_name("Eb"), kind, std::nullopt};
    const auto spelled = spelled_tones(chord);
    const auto tones_of = chord_tones(kind);
    ASSERT_EQ(spelled.size(), tones_of.size());
    for (std::size_t i = 0; i < spelled.size(); ++i) {
      EXPECT_EQ(spelled[i].pitch_class(), wrap_pitch_class(3 + tones_of[i].semitones));
    }
  }
  EXPECT_TRUE(is_majmin(ChordKind::min7));
  EXPECT_FALSE(is_majmin(ChordKind::sus2));
  EXPECT_FALSE(is_majmin(ChordKind::hdim7));
}

}  // namespace
}  // namespace duet::music
