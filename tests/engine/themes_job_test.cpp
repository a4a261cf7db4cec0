// The theme jobs (engine/themes_job.h), a theme's melody and key read one way for every job, and
// the emotion job (engine/emotion_job.h).
#include "engine/themes_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file.h"
#include "engine/emotion_job.h"
#include "engine/judging.h"
#include "engine/session.h"
#include "music/key_finding.h"
#include "music/theme_io.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;
using test_support::cue_id;

using test_support::kData;
const std::string kAnna = "4/4 D4q. F4e A4q D5q | C#5h A4h | Bb4q. A4e G4q F4q | E4w";

// Requests with every field set (designated initializers would leave some out).
AddThemeRequest adding(const std::string& name, decltype(AddThemeRequest::source) source) {
  AddThemeRequest r;
  r.name = name;
  r.stands_for = "who " + name + " is";
  r.source = std::move(source);
  return r;
}
AddThemeRequest adding(const std::string& name, decltype(AddThemeRequest::source) source,
                       const std::string& key, const std::string& harmony) {
  AddThemeRequest r = adding(name, std::move(source));
  r.key = key;
  r.harmony = harmony;
  return r;
}
RemoveThemeRequest removing(const std::string& name) {
  RemoveThemeRequest r;
  r.name = name;
  return r;
}
TagThemeRequest tagging(const std::string& name, std::vector<spot::CueId> cues, bool all = false,
                        bool untag = false) {
  TagThemeRequest r;
  r.name = name;
  r.cues = std::move(cues);
  r.all = all;
  r.untag = untag;
  return r;
}
VaryThemeRequest varying(const std::string& name, std::string_view steps, fs::path midi = {}) {
  VaryThemeRequest r;
  r.name = name;
  if (!steps.empty()) r.steps = *music::parse_steps(steps);
  r.midi = std::move(midi);
  return r;
}

std::string read_text(const fs::path& path) {
  auto bytes = base::read_file(path);
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

// Each test works on its own copy of tests/cli/data/project_themes (one theme, 'keeper', with a
// MIDI file and no melody text, tagged by both cues, 1M1 and 1M2).
class ThemesJobTest : public test_support::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_);
    fs::copy(kData / "project_themes", dir_ / "p", fs::copy_options::recursive);
  }

  Session open() {
    auto s = Session::open(dir_ / "p");
    EXPECT_TRUE(s) << s.error().message;
    return std::move(*s);
  }
  std::string manifest() const { return read_text(dir_ / "p" / "duet.json"); }
  void add_anna(Session& s) { ASSERT_TRUE(s.add_theme(adding("anna", ThemeText{kAnna}))); }
};

TEST_F(ThemesJobTest, AddFromTextFindsTheKeyAndSavesTheThemeInIt) {
  Session s = open();
  auto added = s.add_theme(adding("anna", ThemeText{kAnna}));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_FALSE(added->replaced);
  EXPECT_TRUE(added->key_found);
  EXPECT_EQ(added->notes, 11u);
  EXPECT_EQ(added->source, "the text");
  EXPECT_EQ(added->theme.key, "D minor");
  EXPECT_EQ(added->manifest, dir_ / "p" / "duet.json");
  // Saved: a new session reads it back, listed after keeper.
  Session again = open();
  const ThemeList list = again.themes();
  ASSERT_EQ(list.themes.size(), 2u);
  EXPECT_EQ(list.themes[1].theme, added->theme);
  EXPECT_EQ(list.themes[1].notes, std::optional<std::size_t>(11));
  EXPECT_EQ(list.themes[0].notes, std::nullopt);  // keeper has no text
  EXPECT_EQ(to_json(list)[1]["key"], "D minor");
  const auto json = to_json(*added);
  EXPECT_EQ(json["theme"]["name"], "anna");
  EXPECT_EQ(json["notes"], 11);
}

TEST_F(ThemesJobTest, AddFromMusicXmlAndMidiNamesTheSource) {
  Session s = open();
  auto xml = s.add_theme(adding("gulls", ThemeMusicXml{kData / "theme_flute.musicxml", "Flute"}));
  ASSERT_TRUE(xml) << xml.error().message;
  EXPECT_EQ(xml->source, (kData / "theme_flute.musicxml").string() + " part Flute");
  // A MIDI file of the variant of a theme, read back as a theme (track 2: after the conductor).
  auto anna = music::parse_melody(kAnna);
  ASSERT_TRUE(anna);
  auto bytes = music::melody_to_midi(*anna, 100);
  ASSERT_TRUE(bytes);
  ASSERT_TRUE(base::write_file_atomic(dir_ / "anna.mid", *bytes));
  auto midi = s.add_theme(adding("anna", ThemeMidi{dir_ / "anna.mid", 2, 1, 2}));
  ASSERT_TRUE(midi) << midi.error().message;
  EXPECT_EQ(midi->source, (dir_ / "anna.mid").string() + " track 2 bars 1-2");
  EXPECT_EQ(midi->notes, 6u);
}

TEST_F(ThemesJobTest, BadAddsNameTheFieldAndWriteNothing) {
  Session s = open();
  const std::string before = manifest();
  const auto fails = [&](const AddThemeRequest& r, const std::string& words) {
    auto added = s.add_theme(r);
    ASSERT_FALSE(added) << r.name;
    EXPECT_NE(added.error().message.find(words), std::string::npos) << added.error().message;
    EXPECT_EQ(manifest(), before);
    EXPECT_FALSE(fs::exists(dir_ / "p" / "history"));
  };
  fails(adding("bad", ThemeText{"C4q D4e Q4q"}), "--text: token 3 'Q4q'");
  fails(adding("bad", ThemeText{"C4q D4q"}, "H minor", ""), "--key: 'H minor'");
  fails(adding("bad", ThemeText{"C4q D4q"}, "", "Q7"), "--harmony");
  fails(adding("keeper", ThemeText{"C4q"}), "already has a theme 'keeper'");
  fails(adding("bad", ThemeMidi{dir_ / "none.mid", 0, 0, 0}), "none.mid");
  fails(adding("bad", ThemeMidi{dir_ / "none.mid", -1, 0, 0}), "track -1");
  fails(adding("bad", ThemeMidi{dir_ / "none.mid", 1, 3, 2}), "bars 3-2");
  fails(adding("bad", ThemeMusicXml{kData / "theme_bad.musicxml", ""}), "theme_bad");
}

TEST_F(ThemesJobTest, ReplaceAndRemoveKeepTheThemeBeforeInHistory) {
  Session s = open();
  add_anna(s);
  AddThemeRequest older = adding("anna", ThemeText{"3/4 G4q | C5h."}, "C major", "");
  older.replace = true;
  older.by = "test";
  auto replaced = s.add_theme(older);
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_TRUE(replaced->replaced);
  EXPECT_FALSE(replaced->key_found);
  EXPECT_EQ(replaced->history, dir_ / "p" / "history" / "themes");
  const std::string kept = read_text(replaced->history / "1.json");
  EXPECT_NE(kept.find("\"replaced by 'test'\""), std::string::npos) << kept;
  EXPECT_NE(kept.find("D4q."), std::string::npos) << kept;

  auto removed = s.remove_theme({.name = "keeper", .by = "test"});  // every field
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->still_tagged, 2u);  // 1M1 and 1M2 tag it
  EXPECT_TRUE(fs::exists(removed->history / "2.json"));
  EXPECT_EQ(open().themes().themes.size(), 1u);
  EXPECT_EQ(to_json(*removed)["removed"], "keeper");
}

TEST_F(ThemesJobTest, AMissingThemeIsOneSentenceListingTheThemes) {
  Session s = open();
  const std::string before = manifest();
  const std::string want = "the project has no theme 'nobody'; its themes are: keeper";
  auto shown = s.show_theme("nobody");
  ASSERT_FALSE(shown);
  EXPECT_EQ(shown.error().message, want);
  auto removed = s.remove_theme(removing("nobody"));
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().message, want);
  auto tagged = s.tag_theme(tagging("nobody", {}, true));
  ASSERT_FALSE(tagged);
  EXPECT_EQ(tagged.error().message, want);
  auto varied = s.vary_theme(varying("nobody", "invert"));
  ASSERT_FALSE(varied);
  EXPECT_EQ(varied.error().message, want);
  EXPECT_EQ(manifest(), before);
}

TEST_F(ThemesJobTest, ShowGivesTheNotesSpelledInTheKey) {
  Session s = open();
  add_anna(s);
  auto shown = s.show_theme("anna");
  ASSERT_TRUE(shown) << shown.error().message;
  ASSERT_TRUE(shown->music);
  EXPECT_EQ(music::to_string(shown->music->key), "D minor");
  const auto json = to_json(*shown);
  EXPECT_EQ(json["key_found"], false);  // add wrote the key it found into the registry
  EXPECT_EQ(json["length_quarters"], "16");
  EXPECT_EQ(json["notes"][4]["name"], "C#5");
  EXPECT_EQ(json["notes"][6]["name"], "Bb4");
  EXPECT_EQ(json["notes"][1]["start_quarters"], "3/2");
  // keeper has no text: shown by its MIDI file's name.
  auto keeper = s.show_theme("keeper");
  ASSERT_TRUE(keeper);
  EXPECT_FALSE(keeper->music);
  EXPECT_EQ(to_json(*keeper)["midi"], "themes/keeper.mid");
}

TEST_F(ThemesJobTest, TagAndUntagMakeNewVersionsOfTheChangedCuesOnly) {
  Session s = open();
  add_anna(s);
  TagThemeRequest request = tagging("anna", {cue_id("1M2"), cue_id("1M1")});
  request.by = "t";
  auto tagged = s.tag_theme(request);
  ASSERT_TRUE(tagged) << tagged.error().message;
  EXPECT_EQ(tagged->changed, (std::vector<spot::CueId>{cue_id("1M2"), cue_id("1M1")}));
  auto versions = s.project().versions(cue_id("1M2"));
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->front().reason, "tagged theme 'anna' by 't'");
  auto again = s.tag_theme(tagging("anna", {cue_id("1M2")}));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->changed.empty());
  auto untagged = s.tag_theme(tagging("anna", {}, true, true));
  ASSERT_TRUE(untagged);
  EXPECT_EQ(untagged->changed.size(), 2u);
  EXPECT_EQ(to_json(*untagged)["changed"][0], "1M1");
  EXPECT_EQ(s.project().find_cue(cue_id("1M1"))->themes, std::vector<std::string>{"keeper"});
}

TEST_F(ThemesJobTest, TaggingACueThatIsNotThereChangesNoCue) {
  Session s = open();
  const std::string before = manifest();
  // 1M1 exists and comes first; 2M9 does not: neither is changed.
  auto tagged = s.tag_theme(tagging("keeper", {cue_id("1M2"), cue_id("2M9")}));
  ASSERT_FALSE(tagged);
  EXPECT_NE(tagged.error().message.find("has no cue 2M9"), std::string::npos);
  EXPECT_EQ(manifest(), before);
  EXPECT_FALSE(fs::exists(dir_ / "p" / "history"));
  EXPECT_FALSE(s.tag_theme(tagging("keeper", {})));  // neither cues nor all
  EXPECT_FALSE(s.tag_theme(tagging("keeper", {cue_id("1M2")}, true)));
}

TEST_F(ThemesJobTest, VaryWritesItsMidiFileOnlyWhenTheVariantIsMade) {
  Session s = open();
  add_anna(s);
  const fs::path out = dir_ / "anna-head.mid";
  auto varied = s.vary_theme(varying("anna", "fragment 4; invert", out));
  ASSERT_TRUE(varied) << varied.error().message;
  EXPECT_EQ(varied->variant.melody.notes.size(), 4u);
  EXPECT_GT(varied->recognisability, 0.0);
  EXPECT_LE(varied->recognisability, 1.0);
  EXPECT_TRUE(fs::exists(out));
  const auto json = to_json(*varied);
  EXPECT_EQ(json["theme"], "anna");
  EXPECT_EQ(json["steps"], "fragment 4; invert");
  EXPECT_EQ(json["midi"], out.string());

  const fs::path bad = dir_ / "bad.mid";
  auto high = s.vary_theme(varying("anna", "transpose +48; transpose +12", bad));
  ASSERT_FALSE(high);
  EXPECT_NE(high.error().message.find("step 2"), std::string::npos) << high.error().message;
  EXPECT_FALSE(fs::exists(bad));
  auto none = s.vary_theme(varying("anna", "", bad));
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("at least one step"), std::string::npos);
  auto keeper = s.vary_theme(varying("keeper", "invert"));
  ASSERT_FALSE(keeper);
  EXPECT_NE(keeper.error().message.find("theme 'keeper' has no melody"), std::string::npos);
  EXPECT_FALSE(fs::exists(bad));
}

// A theme's melody and key are read one way: duet themes, the cue writer and the critics agree.
TEST_F(ThemesJobTest, AThemeFromItsMidiFileIsReadAsTheCueWriterReadsIt) {
  auto anna = music::parse_melody("3/4 rq A3q | D4q. E4e F4q | E4q D4q C#4q | D4h.");
  ASSERT_TRUE(anna);
  auto bytes = music::melody_to_midi(*anna, 90);
  ASSERT_TRUE(bytes);
  fs::create_directories(dir_ / "p" / "themes");
  ASSERT_TRUE(base::write_file_atomic(dir_ / "p" / "themes" / "keeper.mid", *bytes));
  Session s = open();
  const project::Theme& keeper = s.project().manifest().themes.front();
  auto music = theme_music(s.project(), keeper);
  ASSERT_TRUE(music) << music.error().message;
  ASSERT_TRUE(*music);
  const ThemeMusic& m = **music;
  EXPECT_TRUE(m.key_found);
  EXPECT_EQ(music::to_string(m.key), "D minor");
  ASSERT_EQ(m.melody.notes.size(), anna->notes.size());
  // From its first note: the opening rest is gone.
  EXPECT_EQ(m.melody.notes.front().start, time::BeatPos(0));
  EXPECT_EQ(m.melody.notes.front().pitch, 57);
  EXPECT_EQ(m.melody.length, anna->length - (anna->notes.front().start - time::BeatPos(0)));

  auto brief = cue_themes(s.project(), *s.project().find_cue(cue_id("1M1")));
  ASSERT_TRUE(brief) << brief.error().message;
  ASSERT_EQ(brief->size(), 1u);
  EXPECT_EQ(brief->front().key, m.key);
  ASSERT_EQ(brief->front().notes.size(), m.melody.notes.size());
  for (std::size_t i = 0; i < m.melody.notes.size(); ++i) {
    EXPECT_EQ(brief->front().notes[i].start, m.melody.notes[i].start);
    EXPECT_EQ(brief->front().notes[i].pitch, m.melody.notes[i].pitch);
  }
  // A key found from the notes is music::key_of's, whatever the time unit.
  std::vector<music::TimedNote> timed;
  for (const auto& n : m.melody.notes)
    timed.push_back({n.pitch, static_cast<double>(n.start.ticks()) / 1920,
                     static_cast<double>(n.length.ticks()) / 1920, 1.0});
  EXPECT_EQ(music::key_of(timed), m.key);

  // Without the file, the cue writer is told which file is missing.
  fs::remove(dir_ / "p" / "themes" / "keeper.mid");
  EXPECT_FALSE(cue_themes(s.project(), *s.project().find_cue(cue_id("1M1"))));
}

// ---- emotion ----

TEST_F(ThemesJobTest, EmotionOfAFileAgainstACueWritesThePlotLast) {
  EmotionRequest r;
  r.file = kData / "emotion_sad.mid";
  r.project = kData / "project_full";
  r.cue = cue_id("1M2");
  r.plot = dir_ / "sad.svg";
  auto e = estimate_file_emotion(r);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->model, "shipped default, hand-set");
  EXPECT_FALSE(e->model_fingerprint.empty());
  EXPECT_FALSE(e->estimate.curve.empty());
  EXPECT_FALSE(e->target.empty());
  EXPECT_TRUE(fs::exists(r.plot));
  const auto json = to_json(*e);
  EXPECT_EQ(json["cue"], "1M2");
  EXPECT_EQ(json["plot"], r.plot.string());
  EXPECT_EQ(json["curve"].size(), e->estimate.curve.size());
  EXPECT_EQ(json["target"].size(), e->target.size());
  EXPECT_TRUE(json["reasons"].contains("valence"));

  // A cue the project lacks, a file that is not there, a project without its cue: no plot.
  const fs::path plot = dir_ / "none.svg";
  r.plot = plot;
  r.cue = cue_id("9M9");
  auto no_cue = estimate_file_emotion(r);
  ASSERT_FALSE(no_cue);
  EXPECT_NE(no_cue.error().message.find("has no cue 9M9"), std::string::npos);
  r.cue = std::nullopt;
  EXPECT_FALSE(estimate_file_emotion(r));
  r.project.clear();
  r.file = kData / "nothing.mid";
  auto missing = estimate_file_emotion(r);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nothing.mid"), std::string::npos);
  EXPECT_FALSE(fs::exists(plot));
}

}  // namespace
}  // namespace duet::engine
