#include "project/manifest.h"

#include <gtest/gtest.h>

#include "project_test_util.h"

namespace duet::project {
namespace {

using testing::fixture;

std::vector<std::string> texts(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems)
    out.push_back(to_string(p));
  return out;
}

TEST(Manifest, ReadsEveryField) {
  const std::string text = fixture("full.json");
  ASSERT_FALSE(text.empty());
  ManifestCheck check = check_manifest(text);
  ASSERT_TRUE(check.errors.empty()) << texts(check.errors).front();
  EXPECT_TRUE(check.warnings.empty());
  const Manifest& m = *check.manifest;
  EXPECT_EQ(m.title, "The Lighthouse");
  EXPECT_EQ(m.picture.film, "picture/lighthouse.mov");
  EXPECT_EQ(m.picture.rate, time::FrameRate::fps24());
  EXPECT_EQ(m.picture.start, (time::Timecode{1, 0, 0, 0}));
  ASSERT_EQ(m.themes.size(), 1u);
  EXPECT_EQ(m.themes[0].stands_for, "the old keeper");
  ASSERT_EQ(m.cues.size(), 2u);
  const spot::Cue& storm = m.cues[1];
  EXPECT_EQ(storm.id.to_string(), "1M2");
  // 01:02:10:00 at 24 fps is 3,730 s on the timeline.
  EXPECT_EQ(storm.in, time::TimePos(3730 * time::kSuperclockPerSecond));
  EXPECT_EQ(storm.usage, spot::Usage::background_instrumental);
  ASSERT_EQ(storm.hits.size(), 2u);
  EXPECT_EQ(storm.hits[0].kind, spot::HitKind::hard);
  EXPECT_EQ(storm.hits[0].weight, 2.0);
  EXPECT_TRUE(storm.hits[0].accent);
  EXPECT_EQ(storm.hits[1].land, spot::Landing::subdivision(12));
  // 01:02:51:17 = 3,771 s + 17 frames.
  EXPECT_EQ(storm.hits[1].at, time::TimePos(3771 * time::kSuperclockPerSecond +
                                            17 * time::kSuperclockPerSecond / 24));
  ASSERT_EQ(storm.dialogue.size(), 1u);
  EXPECT_EQ(storm.dialogue[0].speaker, "Radio");
  ASSERT_EQ(storm.emotion.keys.size(), 2u);
  EXPECT_EQ(storm.emotion.keys[1].value.tension, 0.95);
  EXPECT_EQ(storm.characters, std::vector<std::string>{"keeper"});
  EXPECT_EQ(m.cues[0].usage, spot::Usage::main_title);
}

TEST(Manifest, CanonicalFileIsWrittenBackByteForByte) {
  const std::string text = fixture("full.json");
  auto m = parse_manifest(text);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(write_manifest(*m), text);
}

TEST(Manifest, WritingSortsCuesAndTheirContents) {
  auto m = parse_manifest(fixture("full.json"));
  ASSERT_TRUE(m);
  Manifest shuffled = *m;
  std::swap(shuffled.cues[0], shuffled.cues[1]);
  std::swap(shuffled.cues[0].hits[0], shuffled.cues[0].hits[1]);
  EXPECT_EQ(write_manifest(shuffled), write_manifest(*m));
}

TEST(Manifest, RoundTripAtDropFrame) {
  auto m = parse_manifest(fixture("minimal.json"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->picture.rate, time::FrameRate::fps29_97(true));
  EXPECT_EQ(m->cues[0].id.to_string(), "2M1");
  const std::string text = write_manifest(*m);
  EXPECT_NE(text.find("\"rate\": \"29.97 DF\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"in\": \"01:00:00;02\""), std::string::npos) << text;
  auto again = parse_manifest(text);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *m);
  EXPECT_EQ(write_manifest(*again), text);
}

TEST(Manifest, EveryProblemHasItsJsonPath) {
  ManifestCheck check = check_manifest(fixture("problems.json"));
  EXPECT_FALSE(check.manifest);
  const auto errors = texts(check.errors);
  // Reading errors come first; the cue checks need a manifest that reads, so they come after a
  // clean read only (see ValidationErrorsAfterAReadThatWorks).
  ASSERT_EQ(errors.size(), 2u) << errors.front();
  EXPECT_EQ(errors[0],
            "duet.json: /cues/1/usage: 'BX' is not a usage (expected BI, BV, VI, VV, MT, ET or "
            "SRC)");
  EXPECT_EQ(errors[1],
            "duet.json: /cues/2/hits/0/time: '01:00:61:00' is not a timecode at 24 fps: timecode "
            "01:00:61:00 has seconds 61, but seconds run from 00 to 59 at 24");
  const auto warnings = texts(check.warnings);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "duet.json: /colour: unknown key, ignored (a typo, or written by another tool?)");
  EXPECT_EQ(warnings[1],
            "duet.json: /cues/3/mood: unknown key, ignored (a typo, or written by "
            "another tool?)");
}

TEST(Manifest, ValidationErrorsAfterAReadThatWorks) {
  std::string text = fixture("problems.json");
  text.replace(text.find("BX"), 2, "BI");
  text.replace(text.find("01:00:61:00"), 11, "01:00:45:00");
  const auto errors = texts(check_manifest(text).errors);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0],
            "duet.json: /cues/1/out: cue 1M2 ends at 01:00:25:00, before its start 01:00:30:00; "
            "out must come after in");
  EXPECT_EQ(errors[1],
            "duet.json: /cues/2/hits/1/time: hit 2 at 01:00:55:00 is outside cue 1M3 "
            "(01:00:40:00 to 01:00:50:00)");
  EXPECT_EQ(errors[2],
            "duet.json: /cues/2/emotion/0/valence: emotion keyframe 1 valence is 2, outside -1..1");
  EXPECT_EQ(errors[3],
            "duet.json: /cues/3/id: cue id 1M1 is used twice (cue 1 and cue 4); each cue needs its "
            "own id");
}

TEST(Manifest, TypesAndMissingFields) {
  const auto errors = texts(check_manifest(R"({"schema": 1, "picture": {"rate": 24},
      "cues": [{"in": 5, "out": "01:00:00:00", "hits": {}, "characters": ["a", 3]}],
      "themes": [{"stands_for": "x"}], "settings": {"hit_tolerance_frames": 1.2345}})")
                                .errors);
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "duet.json: /picture/rate: expected a string, found a number",
                        "duet.json: /settings/hit_tolerance_frames: 1.2345 is not a number of "
                        "frames 0..12 with at most three decimals",
                        "duet.json: /themes/0/name: missing",
                        "duet.json: /cues/0/id: missing",
                        "duet.json: /cues/0/characters/1: expected a string, found a number",
                        "duet.json: /cues/0/hits: expected a list, found an object",
                    }));
}

// Half a frame of tolerance, as `duet sync --tolerance 0.5` takes it: read exactly, written
// back as 0.5, and a whole number still written as one.
TEST(Manifest, AFractionalHitToleranceIsKeptExactly) {
  auto m = parse_manifest(R"({"schema": 1, "picture": {"rate": "24", "start": "01:00:00:00"},
      "cues": [], "themes": [], "settings": {"hit_tolerance_frames": 0.5}})");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->settings.hit_tolerance_frames, time::Rational(1, 2));
  const std::string text = write_manifest(*m);
  EXPECT_NE(text.find("\"hit_tolerance_frames\": 0.5"), std::string::npos) << text;
  auto again = parse_manifest(text);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->settings.hit_tolerance_frames, time::Rational(1, 2));
  again->settings.hit_tolerance_frames = time::Rational(2);
  EXPECT_NE(write_manifest(*again).find("\"hit_tolerance_frames\": 2,"), std::string::npos);
  again->settings.hit_tolerance_frames = time::Rational(1, 3);  // not three decimals
  EXPECT_FALSE(validate_manifest(*again).empty());
}

TEST(Manifest, NotJsonNamesTheLine) {
  const auto errors = texts(check_manifest(fixture("not_json.json")).errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("duet.json: not valid JSON at line 3, column", 0), 0u) << errors[0];
}

TEST(Manifest, ANumberTooLargeIsAnErrorNotACrash) {
  // Found by the fuzzer: nlohmann-json throws out_of_range, not parse_error, on overflow.
  const auto errors =
      texts(check_manifest(R"({"schema": 1, "x": 66666666666633333332.6E6666})").errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("duet.json: not valid JSON: number overflow", 0), 0u) << errors[0];
}

TEST(Manifest, WarnsAboutCuesBeforeThePictureAndUnknownThemes) {
  auto check = check_manifest(R"({"schema": 1, "picture": {"rate": "25", "start": "10:00:00:00"},
      "cues": [{"id": "1M1", "in": "09:59:59:00", "out": "10:00:05:00", "themes": ["ghost"]}]})");
  ASSERT_TRUE(check.manifest);
  const auto warnings = texts(check.warnings);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "duet.json: /cues/0/in: cue 1M1 starts at 09:59:59:00, before the picture starts at "
            "10:00:00:00");
  EXPECT_EQ(warnings[1],
            "duet.json: /cues/0/themes/0: theme 'ghost' is not in the project's themes");
}

TEST(Manifest, ParseManifestGivesTheFirstErrorAndCountsTheRest) {
  auto m = parse_manifest(fixture("problems.json"));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message,
            "/cues/1/usage: 'BX' is not a usage (expected BI, BV, VI, VV, MT, ET or SRC) (and 1 "
            "more problem; 'duet validate' lists them)");
}

TEST(Manifest, TimesOffTheFrameAreWrittenAtTheNearestFrame) {
  Manifest m;
  spot::Cue c;
  c.id = *spot::parse_cue_id("1M1");
  const std::int64_t frame = time::FrameRate::fps24().frame_duration().ticks();
  c.in = time::TimePos(86400 * frame + frame / 3);
  c.out = time::TimePos(86500 * frame + 2 * frame / 3);
  m.cues = {c};
  auto back = parse_manifest(write_manifest(m));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->cues[0].in, time::TimePos(86400 * frame));
  EXPECT_EQ(back->cues[0].out, time::TimePos(86501 * frame));
}

TEST(Manifest, ValidateRejectsTimesOutsideTheDay) {
  Manifest m;
  spot::Cue c;
  c.in = time::TimePos(-1000);
  c.out = time::TimePos(1000);
  m.cues = {c};
  const auto problems = validate_manifest(m);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "/cues/0/in");
}

TEST(Manifest, Durations) {
  const auto r = time::FrameRate::fps24();
  EXPECT_EQ(time::duration_label(time::TimeDur(90 * time::kSuperclockPerSecond), r), "00:01:30:00");
  EXPECT_EQ(time::duration_label(time::TimeDur(-time::kSuperclockPerSecond), r), "-00:00:01:00");
}

// [GIVEN] the music the composer kept for a cue [THEN] it is read, written back where the file
// has it, and a cue without it writes no "music" (older projects read back byte for byte).
TEST(Manifest, TheKeptMusicOfACueReadsAndWritesBack) {
  auto m = parse_manifest(fixture("full.json"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_TRUE(m->cues[0].music.empty());
  EXPECT_EQ(write_manifest(*m).find("\"music\""), std::string::npos);
  m->cues[1].music = "compose/1M2-2.mid";
  const std::string text = write_manifest(*m);
  auto back = parse_manifest(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->cues[1].music, "compose/1M2-2.mid");
  EXPECT_TRUE(back->cues[0].music.empty());
  EXPECT_EQ(write_manifest(*back), text);
  ManifestCheck bad =
      check_manifest(std::string(text).replace(text.find("\"compose/1M2-2.mid\""), 19, "42"));
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_NE(to_string(bad.errors.front()).find("music"), std::string::npos)
      << to_string(bad.errors.front());
}

TEST(Manifest, TempoMapsReadAndWriteBackByteForByte) {
  // [GIVEN] a file with a frame-click map and a map with a pickup origin off the frame, a ramp,
  // a dotted-quarter tempo and a meter change
  const std::string text = fixture("tempo_map.json");
  ASSERT_FALSE(text.empty());
  ManifestCheck check = check_manifest(text);
  ASSERT_TRUE(check.errors.empty()) << texts(check.errors).front();
  EXPECT_TRUE(check.warnings.empty());
  const Manifest& m = *check.manifest;
  ASSERT_EQ(m.cues.size(), 2u);
  // [THEN] the click map is 12-2 at 24 fps from the cue's first frame
  ASSERT_TRUE(m.cues[0].tempo_map.has_value());
  const time::TempoMap& click = *m.cues[0].tempo_map;
  EXPECT_EQ(click.origin(), m.cues[0].in);
  EXPECT_EQ(click.tempo_changes()[0].tempo, time::frame_click(12, 2, time::FrameRate::fps24()));
  // [THEN] the second origin is half a frame after 01:01:00:12
  const time::TempoMap& ramp = *m.cues[1].tempo_map;
  EXPECT_EQ(ramp.origin(), time::time_of_frame((3660 * 24) + 12, time::FrameRate::fps24()) +
                               time::TimeDur(5'880'000));
  ASSERT_EQ(ramp.tempo_changes().size(), 3u);
  EXPECT_EQ(ramp.tempo_changes()[0].ramp, time::Ramp::linear_in_beats);
  EXPECT_EQ(ramp.meters().changes().size(), 2u);
  // [THEN] writing gives the same bytes
  EXPECT_EQ(write_manifest(m), text);
}

TEST(Manifest, TempoMapRoundTripsThroughTheFile) {
  auto m = parse_manifest(fixture("full.json"));
  ASSERT_TRUE(m);
  auto map = time::TempoMap::create(
      {{time::BeatPos(0), time::Tempo::quarters_per_minute(time::Rational(1171, 10)),
        time::Ramp::linear_in_time},
       {time::BeatPos(16 * 1920), time::Tempo::quarters_per_minute(time::Rational(90))}},
      time::MeterMap(), m->cues[1].in + time::TimeDur(1234));
  ASSERT_TRUE(map);
  m->cues[1].tempo_map = *map;
  auto back = parse_manifest(write_manifest(*m));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *m);
  // A manifest without tempo maps writes no tempo_map key (files from before stay the same).
  EXPECT_EQ(write_manifest(*parse_manifest(fixture("full.json"))).find("tempo_map"),
            std::string::npos);
}

TEST(Manifest, BadTempoMapsNameTheirPath) {
  const std::string base = fixture("tempo_map.json");
  const auto errors_of = [&](const std::string& from, const std::string& to) {
    std::string text = base;
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    return texts(check_manifest(text).errors);
  };
  auto e = errors_of("\"1|1|0=5760/49\"", "\"1|1|0=fast\"");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("/cues/0/tempo_map: "), std::string::npos) << e[0];
  EXPECT_NE(e[0].find("fast"), std::string::npos) << e[0];
  e = errors_of("\"origin_offset\": 5880000", "\"origin_offset\": 11760000");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("/cues/1/tempo_map/origin_offset: "), std::string::npos) << e[0];
  e = errors_of("\"origin\": \"01:00:02:00\"", "\"origin\": \"01:00:02:99\"");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("/cues/0/tempo_map/origin: "), std::string::npos) << e[0];
  e = errors_of("\"1|1|0=5760/49\"\n        ]", "]");
  ASSERT_EQ(e.size(), 1u) << (e.empty() ? "" : e[0]);
  EXPECT_NE(e[0].find("needs at least one tempo"), std::string::npos) << e[0];
}

}  // namespace
}  // namespace duet::project
