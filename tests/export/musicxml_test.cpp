#include "export/musicxml.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "music/instrument.h"
#include "music/theme_io.h"

namespace duet::exporting {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::quarters;

// ---- A small XML reader for the checks (elements, attributes as text, character data) ----
struct Node {
  std::string name, attrs, text;
  std::vector<std::unique_ptr<Node>> children;
  const Node* child(const std::string& n) const {
    for (const auto& c : children)
      if (c->name == n) return c.get();
    return nullptr;
  }
  std::vector<const Node*> all(const std::string& n) const {
    std::vector<const Node*> out;
    for (const auto& c : children)
      if (c->name == n) out.push_back(c.get());
    return out;
  }
  std::string value(const std::string& n) const {
    const Node* c = child(n);
    return c != nullptr ? c->text : std::string();
  }
};

// Parses well-formed XML as the writer makes it; fails the test on a mismatched tag.
std::unique_ptr<Node> parse_xml(const std::string& x) {
  auto root = std::make_unique<Node>();
  std::vector<Node*> stack{root.get()};
  std::size_t i = 0;
  while (i < x.size()) {
    if (x[i] != '<') {
      const std::size_t next = x.find('<', i);
      stack.back()->text += x.substr(i, next - i);
      i = next;
      continue;
    }
    const std::size_t close = x.find('>', i);
    EXPECT_NE(close, std::string::npos);
    std::string tag = x.substr(i + 1, close - i - 1);
    i = close + 1;
    if (tag[0] == '?' || tag[0] == '!') continue;
    if (tag[0] == '/') {
      EXPECT_EQ(stack.back()->name, tag.substr(1)) << "mismatched closing tag";
      stack.pop_back();
      continue;
    }
    const bool empty = tag.back() == '/';
    if (empty) tag.pop_back();
    auto node = std::make_unique<Node>();
    const std::size_t space = tag.find(' ');
    node->name = tag.substr(0, space);
    if (space != std::string::npos) node->attrs = tag.substr(space + 1);
    Node* raw = node.get();
    stack.back()->children.push_back(std::move(node));
    if (!empty) stack.push_back(raw);
  }
  EXPECT_EQ(stack.size(), 1u) << "unclosed elements";
  return root;
}

int midi_of(const Node& pitch) {
  static const std::map<std::string, int> kSteps{{"C", 0}, {"D", 2}, {"E", 4}, {"F", 5},
                                                 {"G", 7}, {"A", 9}, {"B", 11}};
  const std::string alter = pitch.value("alter");
  return 12 * (std::stoi(pitch.value("octave")) + 1) + kSteps.at(pitch.value("step")) +
         (alter.empty() ? 0 : std::stoi(alter));
}

compose::ScoreNote note(double start_quarters, double length_quarters, int pitch) {
  return {BeatPos(static_cast<std::int64_t>(start_quarters * 1920)),
          BeatDur(static_cast<std::int64_t>(length_quarters * 1920)), pitch, 80};
}

// 4/4 for two bars then 3/4 for two; 100 then 80 BPM at bar 3; a flute line tied over the bar
// line, a clarinet, a horn chord, double basses, violins in two lines, drums.
compose::Score sample_score() {
  compose::Score s;
  auto meters =
      *time::MeterMap::create({{BeatPos(0), {4, 4}}, {BeatPos(quarters(8).ticks()), {3, 4}}});
  s.tempo_map = *time::TempoMap::create(
      {{BeatPos(0), time::Tempo::quarters_per_minute(100)},
       {BeatPos(quarters(8).ticks()), time::Tempo::quarters_per_minute(80)}},
      meters);
  s.end = BeatPos(quarters(14).ticks());
  const auto part = [](std::string name, std::string inst, int program, int channel,
                       std::vector<compose::ScoreNote> notes) {
    compose::Part p;
    p.name = std::move(name);
    p.instrument = std::move(inst);
    p.program = program;
    p.channel = channel;
    p.notes = std::move(notes);
    return p;
  };
  s.parts.push_back(part("Flute", "flute", 73, 0,
                         {note(0, 1, 72), note(2, 3, 74), note(5.5, 0.5, 76), note(8, 3, 75)}));
  s.parts.push_back(part("Clarinet in Bb", "clarinet", 71, 1,
                         {note(0, 4, 60), note(4, 2, 62), note(8, 1.5, 63), note(9.5, 1.5, 65)}));
  s.parts.push_back(part("Horn in F", "horn", 60, 2,
                         {note(0, 8, 53), note(0, 8, 57), note(8, 6, 55), note(8, 6, 58)}));
  s.parts.push_back(part("Double Basses", "double_bass", 43, 3,
                         {note(0, 2, 36), note(2, 2, 40), note(8, 3, 39), note(11, 3, 43)}));
  // Two lines at once: a held note under moving eighths.
  s.parts.push_back(part("Violins", "violin", 40, 4,
                         {note(0, 4, 67), note(0, 0.5, 76), note(0.5, 0.5, 77), note(1, 1, 79),
                          note(4, 4, 69), note(8, 1, 70), note(9, 1, 72), note(10, 1, 74)}));
  s.parts.push_back(part("Drums", "drums", 0, 9,
                         {note(0, 1, 36), note(1, 1, 38), note(2, 1, 36), note(3, 1, 38),
                          note(8, 1, 36), note(8, 1, 42)}));
  music::Key c_major{};
  music::Key e_flat{*music::parse_note_name("Eb"), music::Mode::major};
  s.sections.push_back({BeatPos(0), "A", "start", c_major});
  s.sections.push_back({BeatPos(quarters(8).ticks()), "B", "hard hit 'door slams'", e_flat});
  s.hits.push_back({BeatPos(quarters(8).ticks()), "door slams", true});
  s.hits.push_back({BeatPos(quarters(4).ticks() + 960), "glance", false});
  s.chords.push_back({BeatPos(0), quarters(8), "C", "tonic"});
  s.chords.push_back({BeatPos(quarters(8).ticks()), quarters(6), "Eb", "tonic"});
  return s;
}

int transposition_of(const compose::Part& p) {
  const music::Instrument* i = music::find_instrument(p.instrument);
  return i != nullptr ? i->transposition : 0;
}

// Walks every measure of every part: each voice fills the bar's meter exactly.
void expect_full_bars(const Node& score) {
  for (const Node* part : score.all("part")) {
    int bar_length = 0;
    for (const Node* measure : part->all("measure")) {
      if (const Node* attrs = measure->child("attributes")) {
        if (const Node* t = attrs->child("time")) {
          bar_length = std::stoi(t->value("beats")) * 64 / std::stoi(t->value("beat-type"));
        }
      }
      int at = 0;
      for (const auto& e : measure->children) {
        if (e->name == "note" && e->child("chord") == nullptr) {
          at += std::stoi(e->value("duration"));
        } else if (e->name == "backup") {
          EXPECT_EQ(at, bar_length) << "a voice ends short in bar " << measure->attrs;
          at -= std::stoi(e->value("duration"));
        }
      }
      EXPECT_EQ(at, bar_length) << part->attrs << " bar " << measure->attrs;
    }
  }
}

TEST(MusicXml, EveryVoiceOfEveryBarFillsItsMeter) {
  // [GIVEN] a score changing meter from 4/4 to 3/4 with notes across bar lines and two lines
  auto xml = to_musicxml(sample_score(), {.title = "1M3 The Chase"});
  ASSERT_TRUE(xml) << xml.error().message;
  auto root = parse_xml(*xml);
  const Node* score = root->child("score-partwise");
  ASSERT_NE(score, nullptr);
  // [THEN] six parts of four bars, each voice filling its bar
  ASSERT_EQ(score->all("part").size(), 6u);
  for (const Node* part : score->all("part"))
    EXPECT_EQ(part->all("measure").size(), 4u);
  expect_full_bars(*score);
  EXPECT_NE(xml->find("<work-title>1M3 The Chase</work-title>"), std::string::npos);
  EXPECT_NE(xml->find("<time><beats>3</beats><beat-type>4</beat-type></time>"), std::string::npos);
}

TEST(MusicXml, WrittenPitchIsSoundingPlusTransposition) {
  const compose::Score s = sample_score();
  auto xml = to_musicxml(s);
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto parts = root->child("score-partwise")->all("part");
  for (std::size_t p = 0; p + 1 < s.parts.size(); ++p) {  // the last is the drums
    // Expected: each note's start (not a tied continuation) written at sounding + transposition.
    std::vector<int> expected;
    for (const auto& n : s.parts[p].notes)
      expected.push_back(n.pitch + transposition_of(s.parts[p]));
    std::sort(expected.begin(), expected.end());
    std::vector<int> written;
    for (const Node* m : parts[p]->all("measure")) {
      for (const Node* n : m->all("note")) {
        const Node* pitch = n->child("pitch");
        bool tied_on = false;
        for (const Node* t : n->all("tie"))
          tied_on = tied_on || t->attrs == "type=\"stop\"";
        if (pitch != nullptr && !tied_on) written.push_back(midi_of(*pitch));
      }
    }
    std::sort(written.begin(), written.end());
    EXPECT_EQ(written, expected) << s.parts[p].name;
  }
  // [THEN] the transpositions say how the parts sound
  EXPECT_NE(xml->find("<transpose><diatonic>-1</diatonic><chromatic>-2</chromatic></transpose>"),
            std::string::npos);  // clarinet in Bb
  EXPECT_NE(xml->find("<transpose><diatonic>-4</diatonic><chromatic>-7</chromatic></transpose>"),
            std::string::npos);  // horn in F
  EXPECT_NE(xml->find("<transpose><diatonic>0</diatonic><chromatic>0</chromatic><octave-change>-1"
                      "</octave-change></transpose>"),
            std::string::npos);  // double basses
  // Clarinet's first note: sounding C4, written D4.
  const Node* first = parts[1]->all("measure")[0]->all("note")[0]->child("pitch");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->value("step"), "D");
  EXPECT_EQ(first->value("octave"), "4");
}

TEST(MusicXml, KeysAreTransposedAndSpelledInTheKey) {
  auto xml = to_musicxml(sample_score());
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto parts = root->child("score-partwise")->all("part");
  const auto fifths = [&](std::size_t part, std::size_t bar) {
    const Node* a = parts[part]->all("measure")[bar]->child("attributes");
    if (a == nullptr || a->child("key") == nullptr) return std::string("none");
    return a->child("key")->value("fifths");
  };
  EXPECT_EQ(fifths(0, 0), "0");   // flute: C major
  EXPECT_EQ(fifths(0, 2), "-3");  // flute: Eb major from bar 3
  EXPECT_EQ(fifths(1, 0), "2");   // clarinet in Bb: D major
  EXPECT_EQ(fifths(1, 2), "-1");  // ... F major
  EXPECT_EQ(fifths(2, 0), "1");   // horn in F: G major
  EXPECT_EQ(fifths(2, 2), "-2");  // ... Bb major
  EXPECT_EQ(fifths(0, 1), "none");
  // The flute's Eb5 in Eb major is spelled E flat, not D sharp.
  const Node* eb = parts[0]->all("measure")[2]->all("note")[0]->child("pitch");
  ASSERT_NE(eb, nullptr);
  EXPECT_EQ(eb->value("step"), "E");
  EXPECT_EQ(eb->value("alter"), "-1");
}

TEST(MusicXml, NotesAcrossBarLinesAreTiedAndChordsAndRestsWritten) {
  auto xml = to_musicxml(sample_score());
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto parts = root->child("score-partwise")->all("part");
  // Flute D5 from beat 3 of bar 1 for three quarters: a half tied to a quarter.
  const auto bar1 = parts[0]->all("measure")[0]->all("note");
  const auto bar2 = parts[0]->all("measure")[1]->all("note");
  ASSERT_GE(bar1.size(), 3u);
  EXPECT_EQ(bar1[0]->value("type"), "quarter");
  EXPECT_NE(bar1[1]->child("rest"), nullptr);
  EXPECT_EQ(bar1[2]->value("type"), "half");
  EXPECT_EQ(bar1[2]->child("tie")->attrs, "type=\"start\"");
  EXPECT_EQ(bar2[0]->child("tie")->attrs, "type=\"stop\"");
  EXPECT_EQ(bar2[0]->value("type"), "quarter");
  // Clarinet Eb4 for 1.5 quarters in 3/4: a dotted quarter.
  const Node* dotted = parts[1]->all("measure")[2]->all("note")[0];
  EXPECT_EQ(dotted->value("type"), "quarter");
  EXPECT_NE(dotted->child("dot"), nullptr);
  // Horn: two-note chords.
  int chords = 0;
  for (const Node* m : parts[2]->all("measure"))
    for (const Node* n : m->all("note"))
      chords += n->child("chord") != nullptr;
  EXPECT_EQ(chords, 4);  // two chords, each held over a bar line
  // Violins: a second voice after a backup.
  EXPECT_NE(parts[4]->all("measure")[0]->child("backup"), nullptr);
  // Drums: percussion clef, unpitched notes.
  EXPECT_NE(xml->find("<clef><sign>percussion</sign></clef>"), std::string::npos);
  EXPECT_EQ(parts[5]->all("measure")[0]->all("note")[0]->child("unpitched")->value("display-step"),
            "F");
  // Bar 4 of the flute is empty: one whole-bar rest.
  const auto bar4 = parts[0]->all("measure")[3]->all("note");
  ASSERT_EQ(bar4.size(), 1u);
  EXPECT_EQ(bar4[0]->child("rest")->attrs, "measure=\"yes\"");
}

TEST(MusicXml, TempoRehearsalMarksHitsAndChordsInTheFirstPart) {
  auto xml = to_musicxml(sample_score());
  ASSERT_TRUE(xml);
  EXPECT_NE(xml->find("<sound tempo=\"100\"/>"), std::string::npos);
  EXPECT_NE(xml->find("<sound tempo=\"80\"/>"), std::string::npos);
  EXPECT_NE(xml->find("<per-minute>80</per-minute>"), std::string::npos);
  EXPECT_NE(xml->find("<rehearsal>A</rehearsal>"), std::string::npos);
  EXPECT_NE(xml->find("<rehearsal>B</rehearsal>"), std::string::npos);
  EXPECT_NE(xml->find("<words>HIT: door slams</words>"), std::string::npos);
  // The soft hit half a beat into bar 2 sits inside the tied quarter: an offset of an eighth.
  EXPECT_NE(xml->find("<words>soft hit: glance</words></direction-type><offset>8</offset>"),
            std::string::npos);
  EXPECT_NE(xml->find("<root-step>E</root-step><root-alter>-1</root-alter>"), std::string::npos);
  auto root = parse_xml(*xml);
  const auto parts = root->child("score-partwise")->all("part");
  for (std::size_t p = 1; p < parts.size(); ++p) {
    for (const Node* m : parts[p]->all("measure")) {
      // Other parts carry only their own dynamics.
      for (const Node* d : m->all("direction"))
        EXPECT_NE(d->child("direction-type")->child("dynamics"), nullptr);
    }
  }
}

TEST(MusicXml, SameScoreSameBytes) {
  EXPECT_EQ(*to_musicxml(sample_score()), *to_musicxml(sample_score()));
}

TEST(MusicXml, TupletsAndFiveLinesStillFillTheBars) {
  // [GIVEN] eighth-note triplets (rounded to the 64th grid) and five notes at once
  compose::Score s = sample_score();
  compose::Part& v = s.parts[4];
  v.notes.clear();
  for (int i = 0; i < 6; ++i)
    v.notes.push_back({BeatPos(640 * i), BeatDur(640), 60 + i, 80});
  for (int i = 0; i < 5; ++i)
    v.notes.push_back({BeatPos(quarters(4).ticks() + 480 * i), quarters(3), 70 + i, 80});
  auto xml = to_musicxml(s);
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  expect_full_bars(*root->child("score-partwise"));
  EXPECT_EQ(xml->find("<voice>5</voice>"), std::string::npos);
}

TEST(MusicXml, ANoteOffTheBeatIsCutAtTheNextBeat) {
  // [GIVEN] in the clarinet's bar 3 (3/4), F4 from beat 2.5 for a dotted quarter
  auto xml = to_musicxml(sample_score());
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto notes = root->child("score-partwise")->all("part")[1]->all("measure")[2]->all("note");
  ASSERT_EQ(notes.size(), 3u);
  // [THEN] an eighth tied to a quarter on beat 3, not a dotted quarter across the beat
  EXPECT_EQ(notes[1]->value("type"), "eighth");
  EXPECT_EQ(notes[1]->child("dot"), nullptr);
  EXPECT_EQ(notes[1]->child("tie")->attrs, "type=\"start\"");
  EXPECT_EQ(notes[2]->value("type"), "quarter");
  EXPECT_EQ(notes[2]->child("tie")->attrs, "type=\"stop\"");
}

TEST(MusicXml, DetachedNotesAreWrittenAtTheirNotatedLength) {
  // [GIVEN] eighths played 90% long (a gap of a 10th of a note), then one alone before a rest
  compose::Score s = sample_score();
  s.parts[0].notes = {{BeatPos(0), BeatDur(864), 72, 80},
                      {BeatPos(960), BeatDur(864), 74, 80},
                      {BeatPos(1920), BeatDur(864), 76, 80}};
  auto xml = to_musicxml(s);
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto notes = root->child("score-partwise")->all("part")[0]->all("measure")[0]->all("note");
  // [THEN] three plain eighths (the last closed to the next 16th line), then rests
  ASSERT_GE(notes.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(notes[i]->value("type"), "eighth") << i;
    EXPECT_EQ(notes[i]->child("tie"), nullptr) << i;
  }
  EXPECT_NE(notes[3]->child("rest"), nullptr);
  expect_full_bars(*root->child("score-partwise"));
}

TEST(MusicXml, APitchOutsideMidiFailsNamingThePart) {
  compose::Score s = sample_score();
  s.parts[1].notes.push_back(note(1, 1, 130));
  auto xml = to_musicxml(s);
  ASSERT_FALSE(xml);
  EXPECT_NE(xml.error().message.find("Clarinet in Bb"), std::string::npos);
  EXPECT_NE(xml.error().message.find("bar 1"), std::string::npos);
  s.parts.clear();
  EXPECT_FALSE(to_musicxml(s));
}

// ---- What a copyist writes: rhythm from the onsets, articulation from the sounding length ----

// A one-part score (flute) in one meter at 120 BPM: the notes given as (start, length) in ticks.
compose::Score solo(time::Meter meter, const std::vector<compose::ScoreNote>& notes) {
  compose::Score s;
  auto meters = *time::MeterMap::create({{BeatPos(0), meter}});
  s.tempo_map =
      *time::TempoMap::create({{BeatPos(0), time::Tempo::quarters_per_minute(120)}}, meters);
  compose::Part p;
  p.name = "Flute";
  p.instrument = "flute";
  p.program = 73;
  p.notes = notes;
  std::int64_t end = 0;
  for (const auto& n : notes)
    end = std::max(end, (n.start + n.length).ticks());
  s.end = BeatPos(end);
  s.parts.push_back(std::move(p));
  return s;
}

// The notes (and rests) of the first part, bar by bar, in voice 1.
std::vector<std::vector<const Node*>> bars_of(const Node& root, std::size_t part = 0) {
  std::vector<std::vector<const Node*>> out;
  for (const Node* m : root.child("score-partwise")->all("part")[part]->all("measure")) {
    out.emplace_back();
    for (const Node* n : m->all("note"))
      if (n->value("voice") == "1") out.back().push_back(n);
  }
  return out;
}

bool has_articulation(const Node& note, const std::string& name) {
  const Node* notations = note.child("notations");
  const Node* arts = notations != nullptr ? notations->child("articulations") : nullptr;
  return arts != nullptr && arts->child(name) != nullptr;
}

// A run of eight eighths in 4/4, each sounding `share` of its 960 ticks.
std::vector<compose::ScoreNote> eighths(double share, int velocity = 80) {
  std::vector<compose::ScoreNote> notes;
  for (int i = 0; i < 8; ++i) {
    notes.push_back({BeatPos(960 * i), BeatDur(static_cast<std::int64_t>(960 * share)),
                     72 + (i % 3), velocity});
  }
  return notes;
}

TEST(MusicXml, LegatoIsAnArticulationNotARhythm) {
  // [GIVEN] the same run of eighths played at 85%, 70% and 62% (the demo cue 1M2's strings, which
  // came out as 16ths tied to 64ths and rests), and at 40%
  for (double share : {0.85, 0.70, 0.62, 0.40}) {
    auto xml = to_musicxml(solo({4, 4}, eighths(share)));
    ASSERT_TRUE(xml);
    auto root = parse_xml(*xml);
    const auto bars = bars_of(*root);
    // [THEN] eight eighths, no ties and no rests between them; staccato only at 40%
    ASSERT_EQ(bars.size(), 1u) << share;
    ASSERT_EQ(bars[0].size(), 8u) << share;
    for (const Node* n : bars[0]) {
      EXPECT_EQ(n->child("rest"), nullptr) << share;
      EXPECT_EQ(n->value("type"), "eighth") << share;
      EXPECT_EQ(n->child("tie"), nullptr) << share;
      EXPECT_EQ(has_articulation(*n, "staccato"), share < 0.5) << share;
    }
  }
}

TEST(MusicXml, AFullNoteThenSilenceIsANoteAndARest) {
  // [GIVEN] a quarter held its full length, a quarter of silence; a 16th-long stroke alone
  auto xml = to_musicxml(
      solo({4, 4}, {{BeatPos(0), BeatDur(1920), 72, 80}, {BeatPos(3840), BeatDur(480), 74, 80}}));
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto bar = bars_of(*root)[0];
  // [THEN] quarter, quarter rest, then a 16th (nothing shorter than its grid) and the rests of
  // the bar by the beat: a 16th, an eighth, a quarter
  ASSERT_EQ(bar.size(), 6u);
  EXPECT_EQ(bar[0]->value("type"), "quarter");
  EXPECT_NE(bar[1]->child("rest"), nullptr);
  EXPECT_EQ(bar[1]->value("type"), "quarter");
  EXPECT_EQ(bar[2]->value("type"), "16th");
  EXPECT_FALSE(has_articulation(*bar[2], "staccato"));
  const std::array<std::string, 3> rests{"16th", "eighth", "quarter"};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NE(bar[3 + i]->child("rest"), nullptr) << i;
    EXPECT_EQ(bar[3 + i]->value("type"), rests[i]) << i;
  }
  expect_full_bars(*root->child("score-partwise"));
}

TEST(MusicXml, OnsetsOffTheGridAreWrittenOnIt) {
  // [GIVEN] eighths played 30 and 90 ticks early or late (a 64th is 120), held 80%
  const std::array<int, 8> off{30, -30, 90, -90, 30, 90, -30, -90};
  std::vector<compose::ScoreNote> notes;
  for (int i = 0; i < 8; ++i) {
    notes.push_back({BeatPos(960 + 960 * i + off[static_cast<std::size_t>(i)]), BeatDur(768),
                     72 + (i % 3), 80});
  }
  auto xml = to_musicxml(solo({4, 4}, notes));
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto bars = bars_of(*root);
  // [THEN] an eighth rest, then eighths on the eighth lines, the last on the downbeat of bar 2;
  // no ties, no 32nds or 64ths anywhere
  ASSERT_EQ(bars.size(), 2u);
  ASSERT_EQ(bars[0].size(), 8u);
  EXPECT_NE(bars[0][0]->child("rest"), nullptr);
  for (std::size_t i = 1; i < 8; ++i) {
    EXPECT_EQ(bars[0][i]->value("type"), "eighth") << i;
    EXPECT_EQ(bars[0][i]->value("duration"), "8") << i;
  }
  EXPECT_EQ(bars[1][0]->value("type"), "eighth");
  EXPECT_EQ(xml->find("<tie "), std::string::npos);
  EXPECT_EQ(xml->find("<type>64th</type>"), std::string::npos);
  EXPECT_EQ(xml->find("<type>32nd</type>"), std::string::npos);
  expect_full_bars(*root->child("score-partwise"));
}

TEST(MusicXml, NoValueShorterThanA32ndFromRandomTiming) {
  // [GIVEN] a part of 200 notes at random onsets and lengths (ticks, not on any grid)
  std::vector<compose::ScoreNote> notes;
  std::uint32_t r = 12345;
  const auto next = [&r](std::uint32_t n) {
    r = r * 1664525u + 1013904223u;
    return static_cast<std::int64_t>((r >> 8) % n);
  };
  std::int64_t at = 0;
  for (int i = 0; i < 200; ++i) {
    at += 240 + next(1500);
    notes.push_back({BeatPos(at), BeatDur(60 + next(2400)), 60 + static_cast<int>(next(24)), 80});
  }
  auto xml = to_musicxml(solo({4, 4}, notes));
  ASSERT_TRUE(xml);
  // [THEN] no 64ths, every bar filled
  EXPECT_EQ(xml->find("<type>64th</type>"), std::string::npos);
  auto root = parse_xml(*xml);
  expect_full_bars(*root->child("score-partwise"));
}

TEST(MusicXml, EveryMeterFillsItsBarsWithWritableValues) {
  // [GIVEN] random chords and lines (overlapping, off the grid) in meters from 2/2 to 7/16,
  // changing meter at bar 5
  std::uint32_t r = 99;
  const auto next = [&r](std::uint32_t n) {
    r = r * 1664525u + 1013904223u;
    return static_cast<std::int64_t>((r >> 8) % n);
  };
  const std::vector<time::Meter> meters{{2, 2}, {3, 4},  {6, 8}, {12, 8}, {3, 8},
                                        {5, 8}, {7, 16}, {9, 8}, {2, 4},  {5, 4}};
  for (std::size_t k = 0; k < meters.size(); ++k) {
    compose::Score s = solo(meters[k], {});
    const std::int64_t bar = 4 * 1920 * meters[k].numerator / meters[k].denominator;
    auto map = time::MeterMap::create(
        {{BeatPos(0), meters[k]}, {BeatPos(4 * bar), meters[(k + 3) % meters.size()]}});
    ASSERT_TRUE(map);
    s.tempo_map =
        *time::TempoMap::create({{BeatPos(0), time::Tempo::quarters_per_minute(100)}}, *map);
    std::int64_t at = 0;
    for (int i = 0; i < 60; ++i) {
      at += next(3) == 0 ? 0 : 100 + next(1200);
      s.parts[0].notes.push_back({BeatPos(at), BeatDur(30 + next(3000)),
                                  60 + static_cast<int>(next(24)),
                                  40 + static_cast<int>(next(80))});
      s.end = std::max(s.end, s.parts[0].notes.back().start + s.parts[0].notes.back().length);
    }
    auto xml = to_musicxml(s);
    ASSERT_TRUE(xml) << meters[k].to_string();
    // [THEN] every voice of every bar adds up to its meter, nothing shorter than a 32nd
    auto root = parse_xml(*xml);
    expect_full_bars(*root->child("score-partwise"));
    EXPECT_EQ(xml->find("<type>64th</type>"), std::string::npos) << meters[k].to_string();
  }
}

// The <beam number="1"> values of the notes of a bar, "-" where a note has none.
std::vector<std::string> beams_of(const std::vector<const Node*>& bar) {
  std::vector<std::string> out;
  for (const Node* n : bar) {
    if (n->child("rest") != nullptr) continue;
    std::string b = "-";
    for (const Node* beam : n->all("beam"))
      if (beam->attrs == "number=\"1\"") b = beam->text;
    out.push_back(b);
  }
  return out;
}

TEST(MusicXml, ARollOf32ndsStaysInItsBeat) {
  // [GIVEN] a cymbal roll of eight 32nds on beat 4 (its last note half a 16th before the bar
  // line), then a quarter in bar 2
  std::vector<compose::ScoreNote> notes;
  for (int i = 0; i < 8; ++i)
    notes.push_back({BeatPos(5760 + 240 * i), BeatDur(240), 72, 60});
  notes.push_back({BeatPos(7680), BeatDur(1920), 74, 60});
  auto xml = to_musicxml(solo({4, 4}, notes));
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto bars = bars_of(*root);
  // [THEN] eight 32nds in bar 1, one beam group; bar 2 starts with the quarter
  ASSERT_EQ(bars.size(), 2u);
  int rolls = 0;
  for (const Node* n : bars[0])
    rolls += n->value("type") == "32nd" && n->child("rest") == nullptr;
  EXPECT_EQ(rolls, 8);
  EXPECT_EQ(beams_of(bars[0]),
            (std::vector<std::string>{"begin", "continue", "continue", "continue", "continue",
                                      "continue", "continue", "end"}));
  EXPECT_EQ(bars[1][0]->value("type"), "quarter");
}

TEST(MusicXml, BeamsAreGroupedByTheBeat) {
  // [GIVEN] 4/4: eight eighths, then four 16ths and an eighth and two 16ths; 6/8: six eighths
  auto four = to_musicxml(solo({4, 4}, eighths(0.9)));
  ASSERT_TRUE(four);
  auto root4 = parse_xml(*four);
  // [THEN] in 4/4 pairs, one per beat
  using V = std::vector<std::string>;
  EXPECT_EQ(beams_of(bars_of(*root4)[0]),
            (V{"begin", "end", "begin", "end", "begin", "end", "begin", "end"}));

  std::vector<compose::ScoreNote> sixteenths;
  for (int i = 0; i < 4; ++i)
    sixteenths.push_back({BeatPos(480 * i), BeatDur(400), 72, 80});
  sixteenths.push_back({BeatPos(1920), BeatDur(900), 74, 80});
  sixteenths.push_back({BeatPos(2880), BeatDur(400), 76, 80});
  sixteenths.push_back({BeatPos(3360), BeatDur(400), 77, 80});
  sixteenths.push_back({BeatPos(3840), BeatDur(1900), 79, 80});
  auto sx = to_musicxml(solo({4, 4}, sixteenths));
  ASSERT_TRUE(sx);
  auto roots = parse_xml(*sx);
  const auto bar = bars_of(*roots)[0];
  EXPECT_EQ(beams_of(bar),
            (V{"begin", "continue", "continue", "end", "begin", "continue", "end", "-"}));
  // The 16ths carry a second beam: four of them begin..end; the two after the eighth begin, end.
  EXPECT_NE(sx->find("<beam number=\"2\">begin</beam>"), std::string::npos);
  int second = 0;
  for (const Node* n : bar)
    for (const Node* b : n->all("beam"))
      second += b->attrs == "number=\"2\"";
  EXPECT_EQ(second, 6);

  std::vector<compose::ScoreNote> six;
  for (int i = 0; i < 6; ++i)
    six.push_back({BeatPos(960 * i), BeatDur(800), 72 + i, 80});
  auto sixeight = to_musicxml(solo({6, 8}, six));
  ASSERT_TRUE(sixeight);
  auto root6 = parse_xml(*sixeight);
  // [THEN] in 6/8 two groups of three, by the dotted quarter
  EXPECT_EQ(beams_of(bars_of(*root6)[0]),
            (V{"begin", "continue", "end", "begin", "continue", "end"}));
  EXPECT_NE(sixeight->find("<time><beats>6</beats><beat-type>8</beat-type></time>"),
            std::string::npos);
}

TEST(MusicXml, ANoteAcrossABarLineIsTiedWithTwoPlainValues) {
  // [GIVEN] a note from beat 3 for a dotted half, played 85% (then silence), and a note from beat
  // 4 of bar 3 to beat 2 of bar 4, played 85% before the next note
  auto xml = to_musicxml(solo({4, 4}, {{BeatPos(3840), BeatDur(4896), 72, 80},
                                       {BeatPos(21120), BeatDur(3264), 74, 80},
                                       {BeatPos(24960), BeatDur(1920), 76, 80}}));
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto bars = bars_of(*root);
  ASSERT_EQ(bars.size(), 4u);
  // [THEN] a half tied to a quarter, then rests; a quarter tied to a quarter
  const auto tie = [](const Node* n) { return n->child("tie") ? n->child("tie")->attrs : ""; };
  EXPECT_EQ(bars[0].back()->value("type"), "half");
  EXPECT_EQ(tie(bars[0].back()), "type=\"start\"");
  EXPECT_EQ(bars[1][0]->value("type"), "quarter");
  EXPECT_EQ(bars[1][0]->child("dot"), nullptr);
  EXPECT_EQ(tie(bars[1][0]), "type=\"stop\"");
  EXPECT_NE(bars[1][1]->child("rest"), nullptr);
  EXPECT_EQ(bars[2].back()->value("type"), "quarter");
  EXPECT_EQ(tie(bars[2].back()), "type=\"start\"");
  EXPECT_EQ(bars[3][0]->value("type"), "quarter");
  EXPECT_EQ(tie(bars[3][0]), "type=\"stop\"");
  EXPECT_EQ(bars[3][1]->value("type"), "quarter");
  EXPECT_EQ(bars[3][1]->child("tie"), nullptr);
  int ties = 0;
  for (const auto& b : bars)
    for (const Node* n : b)
      ties += n->child("tie") != nullptr;
  EXPECT_EQ(ties, 4);
}

// The dynamics of a part in order, with the bar each is in.
std::vector<std::string> dynamics_of(const Node& root, std::size_t part = 0) {
  std::vector<std::string> out;
  const auto measures = root.child("score-partwise")->all("part")[part]->all("measure");
  for (std::size_t m = 0; m < measures.size(); ++m) {
    for (const Node* d : measures[m]->all("direction")) {
      const Node* dyn = d->child("direction-type")->child("dynamics");
      if (dyn != nullptr) out.push_back(dyn->children.at(0)->name + "@" + std::to_string(m + 1));
    }
  }
  return out;
}

TEST(MusicXml, DynamicsAppearOncePerChange) {
  // [GIVEN] two bars of quarters at velocity 50 (with the writer's +8 on each downbeat), two at
  // 100, then two at 76 drifting by a few steps
  std::vector<compose::ScoreNote> notes;
  for (int i = 0; i < 24; ++i) {
    const int level = i < 8 ? 50 : i < 16 ? 100 : 76 + (i % 3) - 1;
    notes.push_back({BeatPos(1920 * i), BeatDur(1700), 72, level + (i % 4 == 0 ? 8 : 0)});
  }
  auto xml = to_musicxml(solo({4, 4}, notes));
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  // [THEN] p at the start, f at bar 3, mf at bar 5: nothing else, and no accents
  EXPECT_EQ(dynamics_of(*root), (std::vector<std::string>{"p@1", "f@3", "mf@5"}));
  EXPECT_EQ(xml->find("<accent/>"), std::string::npos);
}

TEST(MusicXml, ANoteClearlyLouderThanItsNeighboursIsAccented) {
  // [GIVEN] eighths at 70 with one at 100 on the fourth and one at 78 on the sixth
  auto notes = eighths(0.8, 70);
  notes[3].velocity = 100;
  notes[5].velocity = 78;
  auto xml = to_musicxml(solo({4, 4}, notes));
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  const auto bar = bars_of(*root)[0];
  // [THEN] the fourth is accented, not the sixth; the level (mp) is written once
  for (std::size_t i = 0; i < bar.size(); ++i)
    EXPECT_EQ(has_articulation(*bar[i], "accent"), i == 3) << i;
  EXPECT_EQ(dynamics_of(*root), (std::vector<std::string>{"mp@1"}));
}

TEST(MusicXml, DuetsOwnReaderReadsTheWrittenRhythmBack) {
  // [GIVEN] a melody played off the grid (up to 90 ticks) at 62% legato, with a held note
  std::vector<compose::ScoreNote> notes;
  const std::array<int, 6> off{30, -90, 60, -30, 90, 0};
  const std::array<std::int64_t, 6> at{0, 960, 1440, 1920, 2880, 3840};
  const std::array<std::int64_t, 6> ioi{960, 480, 480, 960, 960, 3840};
  for (std::size_t i = 0; i < 6; ++i) {
    notes.push_back({BeatPos(at[i] + off[i]),
                     BeatDur(static_cast<std::int64_t>(static_cast<double>(ioi[i]) * 0.62)),
                     72 + static_cast<int>(i), 80});
  }
  notes.back().length = BeatDur(3840);
  auto xml = to_musicxml(solo({4, 4}, notes));
  ASSERT_TRUE(xml);
  // [WHEN] music::melody_from_musicxml reads it (ties merged)
  auto melody = music::melody_from_musicxml(*xml);
  ASSERT_TRUE(melody) << melody.error().message;
  // [THEN] the onsets on the grid, each note written to the next
  ASSERT_EQ(melody->notes.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(melody->notes[i].start.ticks(), at[i]) << i;
    EXPECT_EQ(melody->notes[i].length.ticks(), ioi[i]) << i;
    EXPECT_EQ(melody->notes[i].pitch, 72 + static_cast<int>(i)) << i;
  }
}

TEST(MusicXml, DrumStrokesAreChordsOfOneVoiceAndNeverTied) {
  // [GIVEN] a drum bar as the writer plays it: a kick with a crash ringing two beats on beat 1,
  // a kick on beat 2, snare strokes on the "and" of 2 and of 3 (each a short decay), a tom on 4
  compose::Score s = solo({4, 4}, {{BeatPos(0), BeatDur(240), 36, 100},
                                   {BeatPos(0), BeatDur(3840), 49, 100},
                                   {BeatPos(1920), BeatDur(240), 36, 90},
                                   {BeatPos(2880), BeatDur(240), 38, 90},
                                   {BeatPos(4800), BeatDur(240), 38, 90},
                                   {BeatPos(5760), BeatDur(240), 45, 90}});
  s.parts[0].name = "Percussion";
  s.parts[0].instrument = "drums";
  s.parts[0].program = 0;
  s.parts[0].channel = 9;
  s.end = BeatPos(7680);
  auto xml = to_musicxml(s);
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  // [THEN] one voice (the crash's ring does not make a second line), the kick and the crash one
  // chord; the snare on the "and" of 2 is an eighth to the beat, not an eighth tied over beat 3
  EXPECT_EQ(xml->find("<backup>"), std::string::npos);
  EXPECT_EQ(xml->find("<tie "), std::string::npos);
  const auto bar = bars_of(*root)[0];
  std::vector<std::string> seen;  // value (rest: "r" + value), "+" for a chord member
  for (const Node* n : bar) {
    seen.push_back((n->child("chord") != nullptr ? "+" : "") +
                   std::string(n->child("rest") != nullptr ? "r" : "") + n->value("duration"));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"16", "+16", "8", "8", "r8", "8", "16"}));
}

// ---- Layout: a conductor's score ----

// A score of `staves` one-staff parts (violins), one note each.
compose::Score ensemble(std::size_t staves) {
  compose::Score s = solo({4, 4}, {{BeatPos(0), BeatDur(1920), 67, 80}});
  const compose::Part violin = [] {
    compose::Part p;
    p.name = "Violins";
    p.instrument = "violin";
    p.program = 40;
    p.notes = {{BeatPos(0), BeatDur(1920), 67, 80}};
    return p;
  }();
  s.parts.assign(staves, violin);
  return s;
}

TEST(MusicXml, StaffSizeAndGapFollowTheNumberOfStaves) {
  // [GIVEN] scores of 1 to 20 staves; [THEN] the staff height steps down so that two systems of
  // the ensemble fit a page up to twelve staves, and a full score (seven staves or more) sets its
  // staves 4.5 spaces apart (45 tenths); smaller scores leave the gap to the reader
  const std::vector<std::pair<std::size_t, std::string>> cases{
      {1, "7"},   {3, "7"},    {4, "6.5"},  {6, "6.5"},  {7, "6"},    {8, "6"},
      {9, "5.5"}, {10, "5.5"}, {11, "4.8"}, {12, "4.8"}, {13, "4.5"}, {20, "4.5"}};
  for (const auto& [staves, mm] : cases) {
    auto xml = to_musicxml(ensemble(staves));
    ASSERT_TRUE(xml);
    auto root = parse_xml(*xml);
    const Node* defaults = root->child("score-partwise")->child("defaults");
    ASSERT_NE(defaults, nullptr);
    EXPECT_EQ(defaults->child("scaling")->value("millimeters"), mm) << staves << " staves";
    const Node* layout = defaults->child("staff-layout");
    if (staves >= 7) {
      ASSERT_NE(layout, nullptr) << staves << " staves";
      EXPECT_EQ(layout->value("staff-distance"), "45") << staves << " staves";
    } else {
      EXPECT_EQ(layout, nullptr) << staves << " staves";
    }
  }
  // [WHEN] the options set both [THEN] they are written as given, for any number of staves
  MusicXmlOptions options;
  options.staff_height_mm = 6;
  options.staff_gap_spaces = 5.5;
  auto xml = to_musicxml(ensemble(2), options);
  ASSERT_TRUE(xml);
  EXPECT_NE(xml->find("<millimeters>6</millimeters>"), std::string::npos);
  EXPECT_NE(xml->find("<staff-layout><staff-distance>55</staff-distance></staff-layout>"),
            std::string::npos);
}

TEST(MusicXml, EveryPartHasItsAbbreviatedNameForLaterSystems) {
  // [GIVEN] parts named as duet's writers name them, and names it does not know
  const std::vector<std::pair<std::string, std::string>> names{
      {"Flutes", "Fl."},
      {"Violins I", "Vln. I"},
      {"Violin II", "Vln. II"},
      {"Trumpets", "Tpt."},
      {"Horns 3-4", "Hn. 3-4"},
      {"Clarinet in Bb", "Cl. in Bb"},
      {"Timpani", "Timp."},
      {"Percussion", "Perc."},
      {"Violas", "Vla."},
      {"Cello solo", "Vc. solo"},
      {"Basses", "Cb."},
      {"Double Basses", "Cb."},
      {"Synth Strings", "Syn. Str."},
      {"Bass Clarinet", "Bass Cl."},
      {"Bass", "Bass"},
      {"Theremin", "Theremin"},
  };
  compose::Score s = ensemble(names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    s.parts[i].name = names[i].first;
  auto xml = to_musicxml(s);
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  // [THEN] each <score-part> has its name and, after it, its abbreviation
  const auto parts = root->child("score-partwise")->child("part-list")->all("score-part");
  ASSERT_EQ(parts.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(parts[i]->value("part-name"), names[i].first);
    EXPECT_EQ(parts[i]->value("part-abbreviation"), names[i].second) << names[i].first;
    ASSERT_GE(parts[i]->children.size(), 2u);
    EXPECT_EQ(parts[i]->children[1]->name, "part-abbreviation");  // the schema's order
  }
}

// The demo's chase (1M2) as duet's ostinato approach writes it: twelve bars of 4/4 at 135 BPM in
// D major, twelve staves (flutes doubling the violins' tune an octave up, trumpets at the unison,
// a 16th-note ostinato in the second violins whose chord changes each half bar, held winds,
// violas, cellos and basses in octaves, drums; trombones and timpani on the last chord). Each
// part is a string of "pitch:length" in 64ths ("+" joins the chord before, "r" rests, "|" reads
// as a bar line), played at 85% legato.
compose::Score chase() {
  compose::Score s;
  auto meters = *time::MeterMap::create({{BeatPos(0), {4, 4}}});
  s.tempo_map =
      *time::TempoMap::create({{BeatPos(0), time::Tempo::quarters_per_minute(135)}}, meters);
  s.end = BeatPos(quarters(48).ticks());
  const music::Key d_major{*music::parse_note_name("D"), music::Mode::major};
  s.sections.push_back({BeatPos(0), "A", "the cue begins", d_major});
  const auto part = [&](std::string name, std::string inst, int program, int channel, int velocity,
                        const std::string& line) {
    compose::Part p;
    p.name = std::move(name);
    p.instrument = std::move(inst);
    p.program = program;
    p.channel = channel;
    std::int64_t at = 0, last = 0;
    std::istringstream in(line);
    for (std::string token; in >> token;) {
      if (token == "|") continue;
      const bool chord = token[0] == '+';
      if (chord) token = token.substr(1);
      const auto colon = token.find(':');
      const std::int64_t length = std::stoll(token.substr(colon + 1)) * 120;  // 64ths
      const std::int64_t start = chord ? last : at;
      if (token[0] != 'r') {
        p.notes.push_back({BeatPos(start), BeatDur(length * 85 / 100),
                           std::stoi(token.substr(0, colon)), velocity});
      }
      last = start;
      if (!chord) at += length;
    }
    s.parts.push_back(std::move(p));
  };
  const std::string tune =
      "74:24 78:8 81:16 86:16 | 76:24 79:8 83:16 88:16 | 78:24 81:8 85:16 90:16 | "
      "74:16 74:8 73:8 73:24 r:8 | 69:24 74:8 74:16 81:16 | 79:16 76:8 74:8 78:32 | "
      "74:24 76:8 74:24 76:8 | 79:16 76:8 74:8 74:24 r:8 | 71:24 73:8 79:16 85:16 | "
      "78:16 78:8 71:8 74:16 71:16 | 71:24 74:8 67:24 74:8 | 74:48 r:16";
  std::string flutes;  // the tune an octave up, its top notes left out above the flute's range
  {
    std::istringstream in(tune);
    for (std::string t; in >> t;) {
      const auto colon = t.find(':');
      if (t == "|" || t[0] == 'r') {
        flutes += t + " ";
      } else {
        const int pitch = std::stoi(t.substr(0, colon)) + 12;
        flutes += (pitch > 98 ? "r" : std::to_string(pitch)) + t.substr(colon) + " ";
      }
    }
  }
  // Each bar: two chords of the ostinato, (low, high, middle) each, played low high middle high
  // low high low high.
  const std::array<std::array<int, 6>, 11> ostinato{{{57, 66, 64, 61, 67, 64},
                                                     {59, 67, 64, 59, 69, 62},
                                                     {61, 66, 62, 61, 69, 64},
                                                     {59, 66, 62, 58, 67, 61},
                                                     {57, 66, 64, 57, 71, 62},
                                                     {64, 67, 62, 66, 69, 61},
                                                     {66, 71, 62, 55, 71, 62},
                                                     {55, 70, 61, 66, 69, 64},
                                                     {59, 57, 56, 58, 67, 61},
                                                     {57, 66, 61, 59, 66, 62},
                                                     {55, 66, 62, 55, 62, 59}}};
  std::string violins2;
  for (const auto& bar : ostinato) {
    for (int half = 0; half < 2; ++half) {
      const int low = bar[3 * half], high = bar[3 * half + 1], mid = bar[3 * half + 2];
      for (int p : {low, high, mid, high, low, high, low, high})
        violins2 += std::to_string(p) + ":4 ";
    }
    violins2 += "| ";
  }
  violins2 += "57:16 r:48";
  const std::string cellos =
      "50:24 45:8 45:8 45:16 52:8 | 52:32 55:8 55:16 47:8 | 47:24 54:8 54:8 54:16 55:8 | "
      "55:24 57:8 57:8 57:16 50:8 | 50:32 55:8 55:16 57:8 | 57:24 50:8 50:8 50:16 55:8 | "
      "55:24 52:8 52:8 52:16 57:8 | 57:24 50:8 50:8 50:16 55:8 | 55:24 57:8 57:8 57:16 50:8 | "
      "50:24 55:8 55:8 55:16 52:8 | 52:24 52:8 52:8 52:16 50:8 | 50:24 50:8 50:8 50:16 r:8";
  std::string basses;  // the cellos' line an octave down
  {
    std::istringstream in(cellos);
    for (std::string t; in >> t;) {
      const auto colon = t.find(':');
      basses += t == "|" || t[0] == 'r'
                    ? t + " "
                    : std::to_string(std::stoi(t.substr(0, colon)) - 12) + t.substr(colon) + " ";
    }
  }
  std::string drums;
  for (int bar = 1; bar <= 11; ++bar) {
    drums += "36:16 r:8 41:8 41:8 38:8 +41:8 ";
    drums += bar % 4 == 0 ? "47:4 47:4 41:4 41:4 | " : "r:16 | ";
  }
  drums += "49:32 r:32";
  part("Flutes", "flute", 73, 0, 96, flutes);
  part("Violins I", "violin", 40, 1, 96, tune);
  part("Trumpets", "trumpet", 56, 2, 100, tune);
  const std::string eleven_bars_rest = "r:704 ";  // trombones and timpani: the last chord only
  part("Trombones", "trombone", 57, 3, 100, eleven_bars_rest + "57:8 +64:8 +66:8 r:56");
  part("Timpani", "timpani", 47, 4, 100, eleven_bars_rest + "50:16 r:48");
  part("Percussion", "drums", 0, 9, 96, drums);
  part("Violins II", "violin", 40, 5, 80, violins2);
  part("Clarinets", "clarinet", 71, 6, 76,
       "66:32 67:64 69:32 66:32 69:32 66:32 67:24 r:8 66:32 71:32 67:32 69:32 71:64 70:32 "
       "69:24 r:8 69:32 67:48 66:80 62:32 66:48 r:16");
  part("Horns 3-4", "horn", 60, 7, 76,
       "64:96 62:64 64:32 62:32 61:24 r:8 64:32 62:64 61:32 62:64 61:32 64:24 r:8 62:48 "
       "61:48 62:64 59:32 64:32 61:16 r:16");
  part("Violas", "viola", 41, 8, 76,
       "57:24 57:8 61:8 61:24 | 59:24 59:16 59:24 | 61:24 61:16 61:24 | 59:24 59:8 58:8 58:24 | "
       "57:24 57:16 57:24 | 52:24 52:8 54:8 54:24 | 54:24 54:8 55:8 55:24 | "
       "55:24 55:16 55:8 54:16 | 59:24 59:8 58:8 58:24 | 57:24 57:8 59:8 59:24 | "
       "55:24 55:16 55:24 | 57:24 57:16 57:16 r:8");
  part("Cellos", "cello", 42, 10, 96, cellos);
  part("Basses", "double_bass", 43, 11, 96, basses);
  return s;
}

bool have_musescore() {
  return std::system("command -v musescore3 > /dev/null 2>&1") == 0;
}

// Engraves MusicXML with MuseScore 3 (Debian's musescore3, QT_QPA_PLATFORM=offscreen) and checks
// that it read the file without an import error and wrote a PDF; returns the PDF's page count
// (its page tree's /Count), 0 when it failed.
int engrave(const std::string& xml, const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("duet_musicxml_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "cue.musicxml") << xml; }
  const std::string command = "cd '" + dir.string() +
                              "' && QT_QPA_PLATFORM=offscreen timeout 120 musescore3 -o cue.pdf "
                              "cue.musicxml > log.txt 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream log_file(dir / "log.txt");
  std::stringstream log;
  log << log_file.rdbuf();
  EXPECT_EQ(rc, 0) << log.str();
  // MuseScore reports import problems as "Error at line ..." and still exits 0.
  EXPECT_EQ(log.str().find("Error"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("success"), std::string::npos) << log.str();
  std::ifstream pdf_file(dir / "cue.pdf", std::ios::binary);
  std::stringstream pdf;
  pdf << pdf_file.rdbuf();
  const std::string bytes = pdf.str();
  EXPECT_EQ(bytes.substr(0, 4), "%PDF");
  EXPECT_GT(bytes.size(), 1000u);
  int pages = 0;
  for (std::size_t at = bytes.find("/Count "); at != std::string::npos;
       at = bytes.find("/Count ", at + 1)) {
    pages = std::max(pages, std::atoi(bytes.c_str() + at + 7));
  }
  std::filesystem::remove_all(dir);
  return pages;
}

// MuseScore 3 reads the file and engraves it to PDF without an import error. Skips when the
// program is not installed (scripts/install-deps installs it for tests).
TEST(MusicXml, MuseScoreConvertsItToPdf) {
  if (!have_musescore()) {
    GTEST_SKIP() << "musescore3 is not installed (scripts/install-deps installs it)";
  }
  auto xml = to_musicxml(sample_score(), {.title = "1M3 The Chase"});
  ASSERT_TRUE(xml);
  EXPECT_GE(engrave(*xml, "sample"), 1);
}

TEST(MusicXml, TheTwelveStaffChaseEngravesInThreePagesAtMost) {
  if (!have_musescore()) {
    GTEST_SKIP() << "musescore3 is not installed (scripts/install-deps installs it)";
  }
  // [GIVEN] the demo's chase: twelve bars on twelve staves, a 16th-note ostinato throughout
  auto xml = to_musicxml(chase(), {.title = "1M2 Chase"});
  ASSERT_TRUE(xml);
  auto root = parse_xml(*xml);
  expect_full_bars(*root->child("score-partwise"));
  // [WHEN] MuseScore engraves it [THEN] in three pages at most (issue 14: it took four on 5.5 mm
  // staves 6.5 spaces apart, three bars to a system and a system to a page)
  const int pages = engrave(*xml, "chase");
  RecordProperty("pages", pages);
  EXPECT_GE(pages, 1);
  EXPECT_LE(pages, 3);
}

}  // namespace
}  // namespace duet::exporting
