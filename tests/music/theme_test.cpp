#include "music/theme.h"

#include <gtest/gtest.h>

#include <random>

namespace duet::music {
namespace {

using time::BeatDur;
using time::BeatPos;

Melody parse_ok(std::string_view text) {
  auto m = parse_melody(text);
  EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().message);
  return m.has_value() ? *m : Melody{};
}

TEST(MelodyText, ParsesNotesRestsAndDurations) {
  const Melody m = parse_ok("C4q D4e E4e. Bb3h3 r4q F#5s~e rs c5:700");
  ASSERT_EQ(m.notes.size(), 6u);
  EXPECT_EQ(m.notes[0], (MelodyNote{BeatPos(0), BeatDur(1920), 60}));
  EXPECT_EQ(m.notes[1], (MelodyNote{BeatPos(1920), BeatDur(960), 62}));
  EXPECT_EQ(m.notes[2], (MelodyNote{BeatPos(2880), BeatDur(1440), 64}));
  EXPECT_EQ(m.notes[3], (MelodyNote{BeatPos(4320), BeatDur(2560), 58}));
  // The quarter rest r4q leaves a gap of 1920.
  EXPECT_EQ(m.notes[4], (MelodyNote{BeatPos(8800), BeatDur(1440), 78}));
  EXPECT_EQ(m.notes[5], (MelodyNote{BeatPos(10720), BeatDur(700), 72}));
  EXPECT_EQ(m.length, BeatDur(11420));
  EXPECT_FALSE(m.meter.has_value());
}

TEST(MelodyText, DurationLettersDotsAndTuplets) {
  EXPECT_EQ(parse_ok("C4w").notes[0].length, BeatDur(7680));
  EXPECT_EQ(parse_ok("C4t").notes[0].length, BeatDur(240));
  EXPECT_EQ(parse_ok("C4x").notes[0].length, BeatDur(120));
  EXPECT_EQ(parse_ok("C4q..").notes[0].length, BeatDur(3360));
  EXPECT_EQ(parse_ok("C4e3").notes[0].length, BeatDur(640));
  EXPECT_EQ(parse_ok("C4s5").notes[0].length, BeatDur(384));
  EXPECT_EQ(parse_ok("Cb4q").notes[0].pitch, 59);  // the octave belongs to the letter
  EXPECT_EQ(parse_ok("B#3q").notes[0].pitch, 60);
}

TEST(MelodyText, BarLinesAreCheckedAgainstTheMeter) {
  const Melody m = parse_ok("3/4 G4q | C5h. | D5q E5q F5q |");
  EXPECT_EQ(m.meter, (time::Meter{3, 4}));
  EXPECT_EQ(m.pickup, BeatDur(1920));
  auto bad = parse_melody("4/4 C4q D4q E4q | F4w");
  EXPECT_TRUE(bad.has_value());  // a pickup of three beats
  auto wrong = parse_melody("4/4 C4h D4h | E4q F4q | G4w");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message.find("token 7 '|' at byte 22"), std::string::npos)
      << wrong.error().message;
  EXPECT_NE(wrong.error().message.find("3840 ticks into"), std::string::npos)
      << wrong.error().message;
  auto long_first = parse_melody("4/4 C4w D4q | E4w");
  ASSERT_FALSE(long_first.has_value());
  EXPECT_NE(long_first.error().message.find("first bar line"), std::string::npos);
  // Without a meter bar lines are not checked.
  EXPECT_TRUE(parse_melody("C4q | D4h | E4e").has_value());
}

TEST(MelodyText, ErrorsNameTheTokenAndItsPosition) {
  struct Case {
    const char* text;
    const char* needle;
  };
  for (const Case& c :
       {Case{"C4q D4e Q4q", "token 3 'Q4q' at byte 8: 'Q' is not a pitch"},
        Case{"C4q Dq", "token 2 'Dq' at byte 4: the octave is missing"},
        Case{"C4k", "'k' is not a duration"}, Case{"C4q...", "more than two dots"},
        Case{"C4q E4", "a duration is missing"}, Case{"C4qq", "after the duration"},
        Case{"G#9h", "outside 0..127"}, Case{"C4:0", "above 0"},
        Case{"C4:99999999999", "1000 whole notes"}, Case{"5/3 C4q", "token 1 '5/3'"},
        Case{"", "no notes"}, Case{"4/4 rq rh", "no notes"}}) {
    auto m = parse_melody(c.text);
    ASSERT_FALSE(m.has_value()) << c.text;
    EXPECT_NE(m.error().message.find(c.needle), std::string::npos)
        << c.text << " -> " << m.error().message;
  }
}

TEST(MelodyText, PrintsTheCanonicalForm) {
  EXPECT_EQ(to_text(parse_ok("c4q  d4e e4e g4h|a4q. bb4e r4q C5q")),
            "C4q D4e E4e G4h A4q. Bb4e rq C5q");
  EXPECT_EQ(to_text(parse_ok("4/4 C4q D4e E4e G4h A4q. Bb4e rq C5q")),
            "4/4 C4q D4e E4e G4h | A4q. Bb4e rq C5q");
  EXPECT_EQ(to_text(parse_ok("3/4 G4q | C5h. | D5q")), "3/4 G4q | C5h. | D5q");
  // A pickup that no bar line can show goes in the meter token.
  EXPECT_EQ(to_text(parse_ok("4/4 G4q | C5w")), "4/4 G4q | C5w");
  EXPECT_EQ(to_text(parse_ok("4/4+q G4h C5w")), "4/4+q G4h C5w");
  EXPECT_EQ(to_text(parse_ok("C4h~e D4:700 rq")), "C4h~e D4:700 rq");
  EXPECT_EQ(to_text(parse_ok("F#4q A#4q"), {.key = Key{NoteName{Letter::G, -1}, Mode::major}}),
            "Gb4q Bb4q");
}

TEST(MelodyText, AVeryLongNoteIsWrittenInPartsTheReaderTakes) {
  // A note longer than one ':N' part may be (1000 whole notes), as MusicXML or MIDI can give.
  // Found by music_musicxml_fuzz: the text named one part of 213,346,560 ticks and did not read.
  Melody m = parse_ok("C4q D4:700");
  m.notes[1].length = time::BeatDur(2 * 7'680'000 + 123);
  m.length = m.notes[1].start + m.notes[1].length - time::BeatPos(0);
  const auto text = to_text(m);
  EXPECT_EQ(text, "C4q D4:7680000~:7680000~:123");
  const auto back = parse_melody(text);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, m);
}

TEST(MelodyText, ValidateNamesTheNote) {
  Melody m = parse_ok("C4q D4q");
  m.notes[1].start = BeatPos(100);
  auto v = validate_melody(m);
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message.find("note 2"), std::string::npos);
}

// A random valid melody: notes and rests of any length on a 40-tick grid, optional meter and
// pickup.
Melody random_melody(std::mt19937& rng) {
  Melody m;
  std::uniform_int_distribution<int> count(1, 12), pitch(0, 127), coin(0, 3);
  std::uniform_int_distribution<std::int64_t> grid(1, 200);
  const std::array<std::int64_t, 8> nice{1920, 960, 480, 3840, 1440, 640, 7680, 240};
  std::uniform_int_distribution<std::size_t> pick(0, nice.size() - 1);
  if (coin(rng) != 0) {
    m.meter = std::array<time::Meter, 4>{
        {{4, 4}, {3, 4}, {6, 8}, {5, 4}}}[static_cast<std::size_t>(coin(rng))];
    if (coin(rng) == 0) m.pickup = BeatDur(480 * (1 + coin(rng)));
  }
  auto length = [&]() { return BeatDur(coin(rng) == 0 ? 40 * grid(rng) : nice[pick(rng)]); };
  BeatPos at(0);
  const int n = count(rng);
  for (int i = 0; i < n; ++i) {
    if (coin(rng) == 0) at += length();
    const BeatDur len = length();
    m.notes.push_back({at, len, pitch(rng)});
    at += len;
  }
  if (coin(rng) == 0) at += length();
  m.length = at - BeatPos(0);
  return m;
}

TEST(MelodyText, RoundTripProperty) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 3000; ++trial) {
    const Melody m = random_melody(rng);
    ASSERT_TRUE(validate_melody(m).has_value());
    const std::string text = to_text(m);
    auto back = parse_melody(text);
    ASSERT_TRUE(back.has_value()) << text << ": " << back.error().message;
    EXPECT_EQ(*back, m) << text;
    EXPECT_EQ(to_text(*back), text);
  }
}

}  // namespace
}  // namespace duet::music
