#include "export/roll.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>
#include <vector>

#include "export_test_util.h"
#include "time/timecode.h"

namespace duet::exporting {
namespace {

using compose::Role;
using time::BeatPos;
using time::quarters;

const time::FrameRate kRate = time::FrameRate::fps24();

using test_support::at;

// A cue at 01:00:02:00 of 16 s with three hits (two hard, one soft), two dialogue windows and an
// emotion curve; its score: 120 bpm from the cue's in, 4/4 then 3/4 from bar 5, four parts (one
// on the drum channel), two sections, chords and a theme use.
struct Sample {
  spot::Cue cue;
  compose::Score score;
  std::size_t notes = 0;
};

Sample sample_roll() {
  Sample s;
  spot::Cue& c = s.cue;
  c.id = *spot::parse_cue_id("1M1");
  c.title = "The Door";
  c.in = at(1, 0, 2, 0);
  c.out = at(1, 0, 18, 0);
  c.hits = {{at(1, 0, 6, 0), "door", spot::HitKind::hard, 1.0, spot::Landing::downbeat(), true},
            {at(1, 0, 10, 0), "glance", spot::HitKind::soft, 1.0, spot::Landing::beat(), false},
            {at(1, 0, 14, 0), "slam", spot::HitKind::hard, 1.0, spot::Landing::downbeat(), true}};
  c.dialogue = {{at(1, 0, 3, 0), at(1, 0, 5, 0), "Ann"}, {at(1, 0, 11, 0), at(1, 0, 13, 0), ""}};
  c.emotion.keys = {{at(1, 0, 2, 0), {0.4, -0.5, 0.1}},
                    {at(1, 0, 10, 0), {-0.6, 0.7, 0.9}},
                    {at(1, 0, 18, 0), {-0.5, -0.4, 0.3}}};

  compose::Score& sc = s.score;
  auto meters = time::MeterMap::from_bars({{1, time::Meter{4, 4}}, {5, time::Meter{3, 4}}});
  sc.tempo_map = *time::TempoMap::create(
      {{BeatPos(0), time::Tempo::quarters_per_minute(time::Rational(120))}}, *meters, c.in);
  sc.end = BeatPos(0) + quarters(32);
  const auto part = [](std::string name, Role role, int channel, std::vector<int> pitches) {
    compose::Part p;
    p.name = std::move(name);
    p.role = role;
    p.channel = channel;
    for (std::size_t i = 0; i < pitches.size(); ++i) {
      p.notes.push_back({BeatPos(0) + quarters(2 * static_cast<std::int64_t>(i)), quarters(2),
                         pitches[i], 40 + 10 * static_cast<int>(i)});
    }
    return p;
  };
  sc.parts = {part("Violins I", Role::melody, 0, {74, 76, 77, 79, 81}),
              part("Cellos", Role::bass, 1, {38, 41, 43}), part("Strings", Role::pad, 2, {62, 65}),
              part("Percussion", Role::percussion, 9, {36, 38, 42, 36})};
  for (const auto& p : sc.parts)
    s.notes += p.notes.size();
  sc.sections = {{BeatPos(0), "A", "the cue starts", {}, 120, 0.4, -0.5, 0.1},
                 {BeatPos(0) + quarters(8), "B", "hard hit 'door'", {}, 120, -0.6, 0.7, 0.9}};
  sc.chords = {{BeatPos(0), quarters(4), "Dm", "tonic"},
               {BeatPos(0) + quarters(4), quarters(4), "A7", "dominant"}};
  sc.themes = {{"keeper", "augment 2", "Violins I", BeatPos(0), quarters(8), 0.9}};
  return s;
}

RollOptions at_rate(const time::FrameRate& rate) {
  RollOptions o;
  o.rate = rate;
  return o;
}

RollOptions options(double max_width = 6000) {
  RollOptions o = at_rate(kRate);
  o.max_width = max_width;
  return o;
}

RollOptions titled(std::string title) {
  RollOptions o = options();
  o.title = std::move(title);
  return o;
}

struct Parsed {
  pugi::xml_document doc;
  bool ok = false;
  std::string error;
};

void parse(const std::string& svg, Parsed& out) {
  const pugi::xml_parse_result r = out.doc.load_buffer(svg.data(), svg.size());
  out.ok = static_cast<bool>(r);
  out.error = r.description();
}

std::size_t count(const pugi::xml_document& doc, const char* xpath) {
  return doc.select_nodes(xpath).size();
}

std::vector<std::string> texts(const pugi::xml_document& doc, const char* xpath) {
  std::vector<std::string> out;
  for (const auto& n : doc.select_nodes(xpath))
    out.push_back(n.node().child_value());
  return out;
}

TEST(PianoRoll, IsWellFormedSvgWithOneRectPerNote) {
  // [GIVEN] a cue and a score of 14 notes in four parts
  const Sample s = sample_roll();
  // [WHEN] it is drawn
  const std::string svg = piano_roll_svg(s.score, s.cue, options());
  // [THEN] it parses as XML, an <svg> in the SVG namespace, with one note rect per note
  Parsed p;
  parse(svg, p);
  ASSERT_TRUE(p.ok) << p.error;
  const pugi::xml_node root = p.doc.document_element();
  EXPECT_STREQ(root.name(), "svg");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://www.w3.org/2000/svg");
  EXPECT_EQ(count(p.doc, "//rect[starts-with(@class, 'note ')]"), s.notes);
  EXPECT_EQ(count(p.doc, "//rect[@class='note melody']"), 5u);
  EXPECT_EQ(count(p.doc, "//rect[@class='note bass']"), 3u);
  EXPECT_EQ(count(p.doc, "//rect[@class='note pad']"), 2u);
  EXPECT_EQ(count(p.doc, "//rect[@class='note percussion']"), 4u);
}

TEST(PianoRoll, MelodyDrawnLastAndPercussionInItsOwnLane) {
  const Sample s = sample_roll();
  Parsed p;
  parse(piano_roll_svg(s.score, s.cue, options()), p);
  ASSERT_TRUE(p.ok) << p.error;
  // The melody is on top: its notes come after every other part's.
  const auto notes = p.doc.select_nodes("//rect[starts-with(@class, 'note ')]");
  ASSERT_FALSE(notes.empty());
  EXPECT_STREQ(notes[notes.size() - 1].node().attribute("class").value(), "note melody");
  // The drums sit below the pitched grid, not at their General MIDI pitches (kick 36 would sit
  // between the cellos' notes otherwise), and the lowest drum is lowest.
  double lowest_pitched = 0, kick = 0, hat = 0;
  for (const auto& n : notes) {
    const std::string cls = n.node().attribute("class").value();
    const double y = n.node().attribute("y").as_double();
    const std::string title = n.node().child("title").child_value();
    if (cls != "note percussion") lowest_pitched = std::max(lowest_pitched, y);
    if (title.find("kick") != std::string::npos) kick = y;
    if (title.find("hi-hat") != std::string::npos) hat = y;
  }
  EXPECT_GT(hat, lowest_pitched);
  EXPECT_GT(kick, hat);
  // The grid is labelled at every C from the cellos' D2 to the violins' A5.
  EXPECT_EQ(texts(p.doc, "//text[@class='octave']"),
            (std::vector<std::string>{"C2", "C3", "C4", "C5"}));
}

TEST(PianoRoll, VelocityIsOpacity) {
  const Sample s = sample_roll();
  Parsed p;
  parse(piano_roll_svg(s.score, s.cue, options()), p);
  ASSERT_TRUE(p.ok) << p.error;
  const auto melody = p.doc.select_nodes("//rect[@class='note melody']");
  ASSERT_EQ(melody.size(), 5u);
  // Velocities 40, 50 ... 80: each louder note more opaque.
  for (std::size_t i = 1; i < melody.size(); ++i) {
    EXPECT_GT(melody[i].node().attribute("fill-opacity").as_double(),
              melody[i - 1].node().attribute("fill-opacity").as_double());
  }
}

TEST(PianoRoll, HitsDialogueSectionsChordsThemesAndEmotion) {
  const Sample s = sample_roll();
  Parsed p;
  parse(piano_roll_svg(s.score, s.cue, options()), p);
  ASSERT_TRUE(p.ok) << p.error;
  // One line per hit: hard solid, soft dashed.
  const auto hard = p.doc.select_nodes("//line[@class='hit hard']");
  const auto soft = p.doc.select_nodes("//line[@class='hit soft']");
  ASSERT_EQ(hard.size(), 2u);
  ASSERT_EQ(soft.size(), 1u);
  for (const auto& h : hard)
    EXPECT_TRUE(h.node().attribute("stroke-dasharray").empty());
  EXPECT_FALSE(soft[0].node().attribute("stroke-dasharray").empty());
  EXPECT_EQ(texts(p.doc, "//text[@class='hit-label']"),
            (std::vector<std::string>{"door", "glance", "slam"}));
  // The hits stand where the tempo map puts them: 120 bpm from 01:00:02:00, so 01:00:06:00 is
  // beat 8 (bar 3's downbeat) and 01:00:10:00 beat 16, twice as far from the start.
  const double x_in = p.doc.select_node("//text[@class='bar-number' and text()='1']")
                          .node()
                          .attribute("x")
                          .as_double() -
                      2;
  const double door = hard[0].node().attribute("x1").as_double();
  const double glance = soft[0].node().attribute("x1").as_double();
  EXPECT_NEAR(glance - x_in, 2 * (door - x_in), 0.2);
  // A shaded rect per dialogue window.
  EXPECT_EQ(count(p.doc, "//rect[@class='dialogue']"), 2u);
  // Sections with their rehearsal letters and reasons; chord symbols; the theme's bracket.
  EXPECT_EQ(texts(p.doc, "//text[@class='section-label']"), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(texts(p.doc, "//text[@class='section-reason']"),
            (std::vector<std::string>{"the cue starts", "hard hit 'door'"}));
  EXPECT_EQ(texts(p.doc, "//text[@class='chord']"), (std::vector<std::string>{"Dm", "A7"}));
  EXPECT_EQ(count(p.doc, "//g[@class='theme']/path"), 1u);
  EXPECT_EQ(texts(p.doc, "//text[@class='theme-label']"),
            (std::vector<std::string>{"keeper · Violins I"}));
  // The meter change at bar 5 and the tempo.
  EXPECT_EQ(texts(p.doc, "//text[@class='meter']"), (std::vector<std::string>{"4/4", "3/4"}));
  EXPECT_EQ(texts(p.doc, "//text[@class='tempo']"), (std::vector<std::string>{"♩ = 120"}));
  // Timecode under the bars at the picture's rate.
  const auto tc = texts(p.doc, "//text[@class='tc']");
  ASSERT_FALSE(tc.empty());
  EXPECT_EQ(tc[0], "01:00:02:00");  // the cue's in
  EXPECT_EQ(tc[1], "01:00:18:00");  // its out
  EXPECT_NE(std::find(tc.begin(), tc.end(), "01:00:10:00"), tc.end());
  // The emotion curve as three lines.
  EXPECT_EQ(count(p.doc, "//polyline[@class='valence']"), 1u);
  EXPECT_EQ(count(p.doc, "//polyline[@class='arousal']"), 1u);
  EXPECT_EQ(count(p.doc, "//polyline[@class='tension']"), 1u);
  // The legend names every part.
  const std::string svg = piano_roll_svg(s.score, s.cue, options());
  for (const char* name :
       {"Violins I (melody)", "Cellos (bass)", "Strings (pad)", "Percussion (percussion, lane)"})
    EXPECT_NE(svg.find(name), std::string::npos) << name;
}

TEST(PianoRoll, EscapesLabels) {
  Sample s = sample_roll();
  s.score.sections[0].label = "A <&> \"x\"";
  s.score.sections[0].reason = "door & <slam>";
  s.cue.hits[0].label = "<bang> & crash";
  s.cue.dialogue[0].speaker = "Bo & <Al>";
  s.score.parts[0].name = "Fl <1> & 2";
  s.score.chords[0].symbol = "C<&>";
  const std::string svg = piano_roll_svg(s.score, s.cue, titled("1M1 <&>"));
  Parsed p;
  parse(svg, p);
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(texts(p.doc, "//text[@class='section-label']").front(), "A <&> \"x\"");
  EXPECT_EQ(texts(p.doc, "//text[@class='section-reason']").front(), "door & <slam>");
  EXPECT_EQ(texts(p.doc, "//text[@class='hit-label']").front(), "<bang> & crash");
  EXPECT_EQ(texts(p.doc, "//text[@class='chord']").front(), "C<&>");
  EXPECT_EQ(texts(p.doc, "//text[@class='heading']").front(), "1M1 <&>");
  EXPECT_NE(svg.find("A &lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<bang>"), std::string::npos);
}

TEST(PianoRoll, WidthGrowsWithTheCueWithinBounds) {
  const auto width = [](const std::string& svg) {
    Parsed p;
    parse(svg, p);
    EXPECT_TRUE(p.ok) << p.error;
    return p.doc.document_element().attribute("width").as_double();
  };
  // [GIVEN] the 16 s sample, a 4-minute and a 30-minute cue at 120 bpm, notes throughout
  const Sample s = sample_roll();
  const double short_w = width(piano_roll_svg(s.score, s.cue, options()));
  const auto long_cue = [&](int minutes) {
    Sample l = sample_roll();
    l.cue.out = l.cue.in + time::TimeDur(minutes * 60 * time::kSuperclockPerSecond);
    l.score.end = BeatPos(0) + quarters(2 * 60 * minutes);
    auto& violins = l.score.parts[0].notes;
    for (int q = 10; q < 2 * 60 * minutes; q += 2)
      violins.push_back({BeatPos(0) + quarters(q), quarters(1), 72 + q % 12, 90});
    return l;
  };
  const Sample four = long_cue(4), thirty = long_cue(30);
  const double four_w = width(piano_roll_svg(four.score, four.cue, options()));
  const std::string thirty_svg = piano_roll_svg(thirty.score, thirty.cue, options());
  const double thirty_w = width(thirty_svg);
  // [THEN] longer is wider, and even 30 minutes stays within 6000 px, its notes all drawn
  EXPECT_GE(short_w, 800);
  EXPECT_GT(four_w, short_w);
  EXPECT_LE(four_w, 6000);
  EXPECT_LE(thirty_w, 6000);
  EXPECT_GE(thirty_w, four_w);
  Parsed p;
  parse(thirty_svg, p);
  std::size_t notes = 0;
  for (const auto& part : thirty.score.parts)
    notes += part.notes.size();
  EXPECT_EQ(count(p.doc, "//rect[starts-with(@class, 'note ')]"), notes);
  // Every x stays inside the picture.
  for (const auto& n : p.doc.select_nodes("//rect[starts-with(@class, 'note ')]")) {
    const double x = n.node().attribute("x").as_double();
    ASSERT_GE(x, 0);
    ASSERT_LE(x + n.node().attribute("width").as_double(), thirty_w);
  }
  // A smaller maximum is honoured.
  EXPECT_LE(width(piano_roll_svg(four.score, four.cue, options(2000))), 2000);
}

TEST(PianoRoll, DropFrameTimecodeAndAnEmptyScore) {
  // [GIVEN] a cue at 29.97 DF across a minute boundary, and a score with no notes or sections
  const time::FrameRate df = time::FrameRate::fps29_97(true);
  spot::Cue c;
  c.id = *spot::parse_cue_id("2M1");
  c.in = time::to_time(time::Timecode{1, 0, 55, 0}, df);
  c.out = time::to_time(time::Timecode{1, 1, 10, 0}, df);
  compose::Score sc;
  sc.tempo_map =
      time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(100)), {}, c.in);
  sc.end = sc.tempo_map.beats_at(c.out);
  // [WHEN] drawn
  Parsed p;
  parse(piano_roll_svg(sc, c, at_rate(df)), p);
  ASSERT_TRUE(p.ok) << p.error;
  // [THEN] the minute's label is the first one drop-frame counting keeps
  const auto tc = texts(p.doc, "//text[@class='tc']");
  EXPECT_NE(std::find(tc.begin(), tc.end(), "01:01:00;02"), tc.end());
  EXPECT_EQ(count(p.doc, "//rect[starts-with(@class, 'note ')]"), 0u);
  EXPECT_EQ(texts(p.doc, "//text[@class='heading']").front(), "2M1");
}

}  // namespace
}  // namespace duet::exporting
