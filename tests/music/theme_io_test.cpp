#include "music/theme_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "midi/smf.h"
#include "midi/timing.h"

namespace duet::music {
namespace {

using time::BeatDur;
using time::BeatPos;

Melody m(std::string_view text) {
  return *parse_melody(text);
}

TEST(ThemeMidi, RoundTripThroughAMidiFile) {
  for (const char* text :
       {"4/4 C4q D4e E4e G4h | A4q. Bb4e rq C5q", "3/4 E4q3 F4q3 G4q3 C5q | B4s A4s G4e~q rq",
        "6/8 D4e. E4s F4e G4q. | A4h."}) {
    const Melody theme = m(text);
    auto bytes = melody_to_midi(theme, 96);
    ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
    auto back = melody_from_midi(*bytes);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(to_text(*back), to_text(theme));
    auto track = melody_from_midi(*bytes, {.track = 1});
    ASSERT_TRUE(track.has_value());
    EXPECT_EQ(*track, *back);
  }
}

// A file with a chordal accompaniment and a melody above it on another track.
std::vector<std::uint8_t> two_track_file() {
  const int ppq = 480;
  std::vector<midi::Note> low, high;
  for (int bar = 0; bar < 4; ++bar) {
    low.push_back({0, 48, 80, 0, bar * 4 * ppq, 4 * ppq});
    low.push_back({0, 55, 80, 0, bar * 4 * ppq, 4 * ppq});
  }
  // The melody, with a few ticks of played jitter.
  const int keys[] = {67, 69, 71, 72, 74, 72, 71, 69};
  for (int i = 0; i < 8; ++i) {
    high.push_back({1, static_cast<std::uint8_t>(keys[i]), 90, 0, i * 2 * ppq + (i % 2 ? 3 : -0),
                    2 * ppq - 5});
  }
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = ppq;
  file.tracks.push_back(midi::track_from_notes("Pads", 0, 48, low));
  file.tracks.push_back(midi::track_from_notes("Lead", 1, 73, high));
  return *midi::write_smf(file);
}

TEST(ThemeMidi, HighestLineTracksAndBars) {
  const auto bytes = two_track_file();
  auto top = melody_from_midi(bytes);
  ASSERT_TRUE(top.has_value()) << top.error().message;
  EXPECT_EQ(to_text(*top), "4/4 G4h A4h | B4h C5h | D5h C5h | B4h A4h");
  auto pads = melody_from_midi(bytes, {.track = 0});
  ASSERT_TRUE(pads.has_value());
  EXPECT_EQ(to_text(*pads), "4/4 G3w | G3w | G3w | G3w");
  auto bars = melody_from_midi(bytes, {.track = 1, .first_bar = 2, .last_bar = 3});
  ASSERT_TRUE(bars.has_value());
  EXPECT_EQ(to_text(*bars), "4/4 B4h C5h | D5h C5h");

  auto missing = melody_from_midi(bytes, {.track = 5});
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("no track 6; the file has 2 tracks"), std::string::npos);
  auto empty = melody_from_midi(bytes, {.track = 1, .first_bar = 9, .last_bar = 10});
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.error().message.find("track 2 has no notes in bars 9-10"), std::string::npos)
      << empty.error().message;
  auto garbage = melody_from_midi(std::vector<std::uint8_t>{'M', 'T', 'h', 'x'});
  EXPECT_FALSE(garbage.has_value());
}

// A composed or played file holds its notes for part of their length (legato 80%, a staccato
// at 40%): the text form writes the values a composer would, not ":3040 r:800".
TEST(ThemeMidi, ArticulatedNotesReadAsTheirWrittenValues) {
  const int ppq = 960;
  struct Written {
    int start, length, key;
    double held;
  };
  // D4 half, F4 quarter, A4 quarter | D5 whole | quarter rest, C5 quarter, E5 eighth staccato...
  const Written written[] = {{0, 2, 62, 0.8},  {2, 1, 65, 0.8},  {3, 1, 69, 0.9},
                             {4, 4, 74, 0.8},  {9, 1, 72, 0.95}, {10, 1, 76, 0.4},
                             {11, 1, 77, 0.8}, {12, 4, 74, 0.8}};
  std::vector<midi::Note> notes;
  for (const auto& w : written) {
    notes.push_back({0, static_cast<std::uint8_t>(w.key), 80, 0, w.start * ppq,
                     static_cast<std::int64_t>(w.length * ppq * w.held) - 7});
  }
  midi::MidiFile file;
  file.format = 1;
  file.division.ticks_per_quarter = ppq;
  file.tracks.push_back(midi::track_from_notes("Flute", 0, 73, notes));
  auto read = melody_from_midi(*midi::write_smf(file));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(to_text(*read), "4/4 D4h F4q A4q | D5w | rq C5q E5e re F5q | D5w");
  // A line no grid holds (played freely) keeps the 40-tick grid: nothing is forced.
  notes = {{0, 60, 80, 0, 0, 700}, {0, 62, 80, 0, 700, 300}, {0, 64, 80, 0, 1000, 1000}};
  file.tracks = {midi::track_from_notes("Free", 0, 73, notes)};
  auto free = melody_from_midi(*midi::write_smf(file));
  ASSERT_TRUE(free.has_value()) << free.error().message;
  EXPECT_EQ(free->notes[1].start, time::BeatPos(1400));
}

TEST(ThemeMidi, FileReadersNameTheFile) {
  auto nofile = read_midi_melody("/nonexistent/theme.mid");
  ASSERT_FALSE(nofile.has_value());
  EXPECT_NE(nofile.error().message.find("/nonexistent/theme.mid"), std::string::npos);
  const auto dir = std::filesystem::temp_directory_path();
  const auto path = dir / "duet_theme_io_test_bad.mid";
  std::ofstream(path) << "not a midi file";
  auto bad = read_midi_melody(path);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.rfind(path.string() + ": ", 0), 0u) << bad.error().message;
  std::filesystem::remove(path);
}

constexpr const char* kScore = R"(<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1">
  <part-list>
    <score-part id="P1"><part-name>Flute</part-name></score-part>
    <score-part id="P2"><part-name>Cello</part-name></score-part>
  </part-list>
  <part id="P1">
    <measure number="0" implicit="yes">
      <attributes><divisions>6</divisions><time><beats>3</beats><beat-type>4</beat-type></time></attributes>
      <note><pitch><step>G</step><octave>4</octave></pitch><duration>6</duration><voice>1</voice><type>quarter</type></note>
    </measure>
    <measure number="1">
      <note><pitch><step>C</step><octave>5</octave></pitch><duration>12</duration><voice>1</voice><tie type="start"/></note>
      <note><pitch><step>C</step><octave>5</octave></pitch><duration>6</duration><voice>1</voice><tie type="stop"/></note>
    </measure>
    <measure number="2">
      <note><pitch><step>D</step><octave>5</octave></pitch><duration>2</duration><voice>1</voice><time-modification><actual-notes>3</actual-notes><normal-notes>2</normal-notes></time-modification></note>
      <note><pitch><step>E</step><alter>-1</alter><octave>5</octave></pitch><duration>2</duration><voice>1</voice></note>
      <note><pitch><step>F</step><octave>5</octave></pitch><duration>2</duration><voice>1</voice></note>
      <note><chord/><pitch><step>A</step><octave>5</octave></pitch><duration>2</duration><voice>1</voice></note>
      <note><rest/><duration>3</duration><voice>1</voice></note>
      <note><grace/><pitch><step>B</step><octave>5</octave></pitch><voice>1</voice></note>
      <note><pitch><step>G</step><octave>5</octave></pitch><duration>9</duration><voice>1</voice><dot/></note>
      <backup><duration>18</duration></backup>
      <note><pitch><step>C</step><octave>3</octave></pitch><duration>18</duration><voice>2</voice></note>
    </measure>
  </part>
  <part id="P2">
    <measure number="1">
      <attributes><divisions>1</divisions></attributes>
      <note><pitch><step>C</step><octave>3</octave></pitch><duration>4</duration></note>
    </measure>
  </part>
</score-partwise>
)";

TEST(ThemeMusicXml, ReadsNotesRestsTiesTupletsChordsAndVoices) {
  auto flute = melody_from_musicxml(kScore);
  ASSERT_TRUE(flute.has_value()) << flute.error().message;
  EXPECT_EQ(to_text(*flute), "3/4 G4q | C5h. | D5e3 Eb5e3 A5e3 re G5q.");
  EXPECT_EQ(flute->pickup, BeatDur(1920));
  auto cello = melody_from_musicxml(kScore, {.part = std::string("Cello")});
  ASSERT_TRUE(cello.has_value()) << cello.error().message;
  EXPECT_EQ(to_text(*cello), "C3w");
  auto by_id = melody_from_musicxml(kScore, {.part = std::string("P2")});
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(*by_id, *cello);
}

TEST(ThemeMusicXml, ErrorsNameTheMeasure) {
  struct Case {
    std::string xml;
    const char* needle;
  };
  const std::string head =
      "<score-partwise><part-list><score-part id=\"P1\"><part-name>A</part-name></score-part>"
      "</part-list><part id=\"P1\"><measure number=\"7\">";
  const std::string tail = "</measure></part></score-partwise>";
  for (const Case& c :
       {Case{"<score-partwise><part", "XML error at byte"}, Case{"<html/>", "no <score-partwise>"},
        Case{"<score-timewise/>", "timewise"},
        Case{head +
                 "<note><pitch><step>C</step><octave>4</octave></pitch><duration>1</duration>"
                 "</note>" +
                 tail,
             "measure 7: a duration comes before <divisions>"},
        Case{head +
                 "<attributes><divisions>2</divisions></attributes><note><pitch><step>H</step>"
                 "<octave>4</octave></pitch><duration>1</duration></note>" +
                 tail,
             "measure 7: <step> 'H'"},
        Case{head +
                 "<attributes><divisions>2</divisions></attributes><note><pitch><step>C"
                 "</step><octave>4</octave></pitch><duration>x</duration></note>" +
                 tail,
             "<duration> 'x' is not a whole number"},
        Case{head +
                 "<attributes><divisions>2</divisions></attributes><note><rest/><duration>2"
                 "</duration></note>" +
                 tail,
             "has no pitched notes"},
        Case{head + "<attributes><divisions>0</divisions></attributes>" + tail,
             "<divisions> 0 is outside 1..1000000"}}) {
    auto r = melody_from_musicxml(c.xml);
    ASSERT_FALSE(r.has_value()) << c.xml;
    EXPECT_NE(r.error().message.find(c.needle), std::string::npos)
        << c.xml << " -> " << r.error().message;
  }
  auto none = melody_from_musicxml(kScore, {.part = std::string("Oboe")});
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no part named 'Oboe'; the parts are: Flute, Cello"),
            std::string::npos);
}

}  // namespace
}  // namespace duet::music
