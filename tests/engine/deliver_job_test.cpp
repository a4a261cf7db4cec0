// The delivery jobs (deliver_job.h) through engine::Session: score-film, export, the cue sheet
// and credits. Data from tests/cli/data, written into a temporary folder per test.
#include "engine/deliver_job.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "base/file.h"
#include "engine/session.h"
#include "midi/timing.h"
#include "render/render.h"

#include "engine_test_util.h"

namespace duet::engine {
namespace {
namespace fs = std::filesystem;
using test_support::cue_id;
using test_support::text_of;

using test_support::kData;

// Clears a cue's own credits (it takes the production's again).
CreditsRequest clear_cue(const spot::CueId& cue) {
  CreditsRequest request;
  request.cue = cue;
  request.clear = true;
  return request;
}

class DeliverJobTest : public test_support::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_);
  }

  // A copy of a project of tests/cli/data that a job may change.
  fs::path copy_project(const std::string& name) const {
    const fs::path dir = dir_ / name;
    fs::copy(kData / name, dir, fs::copy_options::recursive);
    return dir;
  }
};

// ---- score_film ----

// Both cues of project_full from the emotion test files: 16.8 s and 20.5 s of music.
ScoreFilmRequest two_cues(const fs::path& out) {
  ScoreFilmRequest request;
  request.takes.midi[cue_id("1M1")] = kData / "emotion_happy.mid";
  request.takes.midi[cue_id("1M2")] = kData / "emotion_sad.mid";
  request.wav = out / "film/music.wav";
  request.jobs = 2;
  return request;
}

TEST_F(DeliverJobTest, ScoreFilmPlacesEveryCueAndWritesTheTrackAndStems) {
  // [GIVEN] project_full, whose film is missing: the track is open-ended.
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session) << session.error().message;
  ScoreFilmRequest request = two_cues(dir_);
  request.stems = dir_ / "film/stems";
  request.loudness = -23.0;
  request.duck_db = 10.0;
  std::set<std::string> stages;
  double last = 0;
  // [WHEN] it is scored
  auto report = session->score_film(request, [&](const std::string& what, double fraction) {
    stages.insert(what);
    EXPECT_GE(fraction, last);
    last = fraction;
    return true;
  });
  ASSERT_TRUE(report) << report.error().message;
  // [THEN] each cue is placed at its in point, the track starts at the film's first frame, the
  // loudness is the target's and the files are the WAV then the stems.
  EXPECT_EQ(stages, std::set<std::string>{"rendering 2 cues"});
  EXPECT_DOUBLE_EQ(last, 1.0);
  const render::StreamedFilm& r = report->rendered;
  ASSERT_EQ(r.cues.size(), 2u);
  EXPECT_EQ(r.cues[0].id, "1M1");
  EXPECT_EQ(r.cues[0].first_sample, 0);
  EXPECT_EQ(r.cues[1].id, "1M2");
  EXPECT_EQ(r.cues[1].origin.from, spot::MidiPlacement::From::in_point);
  EXPECT_EQ(r.duck_windows, 1u);
  ASSERT_TRUE(report->loudness.integrated_lufs);
  EXPECT_NEAR(*report->loudness.integrated_lufs, -23.0, 0.1);
  ASSERT_TRUE(report->normalization);
  EXPECT_EQ(report->stems, 1u);
  EXPECT_GT(report->music_seconds, 37.0);
  EXPECT_FALSE(report->muxed);
  const std::vector<std::string> written = {
      (dir_ / "film/music.wav").generic_string(),
      (dir_ / "film/stems/music-harp_keys.wav").generic_string()};
  EXPECT_EQ(report->written, written);
  for (const auto& f : written)
    EXPECT_TRUE(fs::exists(f)) << f;

  const auto j = to_json(*report);
  EXPECT_EQ(j["cues"][1]["at"], "01:02:10:00");
  EXPECT_EQ(j["cues"][1]["from"], "in point");
  EXPECT_EQ(j["normalization"]["target_lufs"], -23.0);
  EXPECT_EQ(j["duck"]["windows"], 1);
  EXPECT_EQ(j["integrated_lufs"], round_db(*report->loudness.integrated_lufs));
  EXPECT_EQ(j["written"].size(), 2u);
  EXPECT_FALSE(j.contains("mux"));
}

TEST_F(DeliverJobTest, ScoreFilmMuxesTheMusicOntoACopyOfTheFilm) {
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session);
  ScoreFilmRequest request;
  request.cues = {cue_id("1M1")};
  request.takes.midi[cue_id("1M1")] = kData / "emotion_happy.mid";
  request.film = kData / "two-shots.mov";  // 4 s: the cue runs past its end
  request.out = dir_ / "scored.mov";
  std::set<std::string> stages;
  auto report = session->score_film(request, [&](const std::string& what, double) {
    stages.insert(what);
    return true;
  });
  ASSERT_TRUE(report) << report.error().message;
  // The render and the mux run at once: one stage, the film written.
  EXPECT_EQ(stages, (std::set<std::string>{"rendering 1 cue onto scored.mov"}));
  ASSERT_TRUE(report->muxed);
  EXPECT_EQ(report->muxed->audio_codec, "pcm_s24le");
  EXPECT_TRUE(report->rendered.cues.front().cut_at_end);
  // Exactly the picture's length.
  const auto film_info = picture::probe_film(request.film);
  ASSERT_TRUE(film_info);
  EXPECT_EQ(report->rendered.frames,
            static_cast<std::size_t>(std::llround(time::seconds(film_info->duration) * 48000)));
  EXPECT_EQ(report->written, std::vector<std::string>{request.out.generic_string()});
  EXPECT_TRUE(fs::exists(request.out));
  const auto j = to_json(*report);
  EXPECT_EQ(j["mux"]["music_track"], "mix");
  EXPECT_EQ(j["film"], request.film.string());
}

TEST_F(DeliverJobTest, ScoreFilmReadsEachCuesComposedTakeFromTheFolder) {
  const fs::path from = dir_ / "scores";
  fs::create_directories(from);
  fs::copy_file(kData / "emotion_happy.mid", composed_take(from, cue_id("1M1")));
  fs::copy_file(kData / "emotion_sad.mid", composed_take(from, cue_id("1M1"), 2));
  EXPECT_EQ(composed_take(from, cue_id("1M1")), from / "1M1-1.mid");
  EXPECT_EQ(composed_take(from, cue_id("1M1"), 2), from / "1M1-2.mid");
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session);
  ScoreFilmRequest request;
  request.takes.from = from;
  request.wav = dir_ / "music.wav";
  // 1M2, named, has no take: the job fails naming it, and writes nothing.
  request.cues = {cue_id("1M1"), cue_id("1M2")};
  auto failed = session->score_film(request);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("cue 1M2 has no composed MIDI: expected " +
                                        (from / "1M2-1.mid").generic_string()),
            std::string::npos)
      << failed.error().message;
  EXPECT_FALSE(fs::exists(request.wav));
  // No cue named: as export does, 1M2 is skipped (left silent, with a warning), 1M1 takes its
  // best candidate.
  request.cues.clear();
  auto report = session->score_film(request);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->rendered.cues.size(), 1u);
  EXPECT_EQ(report->rendered.cues.front().midi_path, (from / "1M1-1.mid").generic_string());
  ASSERT_EQ(report->skipped.size(), 1u);
  EXPECT_EQ(report->skipped[0].cue, cue_id("1M2"));
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_EQ(report->warnings[0], "cue 1M2 has no composed MIDI (" +
                                     (from / "1M2-1.mid").generic_string() + "): left silent");
  EXPECT_EQ(to_json(*report)["skipped"][0]["cue"], "1M2");
  EXPECT_TRUE(fs::exists(request.wav));
  // Any candidate: 1M1 takes its second best.
  request.takes.take[cue_id("1M1")] = 2;
  auto second = session->score_film(request);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->rendered.cues.front().midi_path, (from / "1M1-2.mid").generic_string());
  // A candidate compose did not keep is named, as is a take for a cue the project lacks.
  request.takes.take[cue_id("1M1")] = 3;
  auto third = session->score_film(request);
  ASSERT_FALSE(third);
  EXPECT_NE(third.error().message.find("cue 1M1 has no candidate 3: expected " +
                                       (from / "1M1-3.mid").generic_string()),
            std::string::npos)
      << third.error().message;
  request.takes.take = {{cue_id("4M1"), 2}};
  auto stray = session->score_film(request);
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().message.rfind("--take 4M1=2: ", 0), 0u) << stray.error().message;
}

// A take written on another tempo map than the cue's: its clicks and hits would not agree with
// the music, so the job says where they part.
TEST_F(DeliverJobTest, ATakeOnAnotherTempoMapThanTheCuesIsWarnedAbout) {
  auto bytes = base::read_file(kData / "emotion_happy.mid");
  ASSERT_TRUE(bytes);
  auto read = midi::read_smf(*bytes);
  ASSERT_TRUE(read);
  const time::FrameRate rate = time::FrameRate::fps24();
  spot::Cue cue;
  cue.id = cue_id("1M1");
  cue.in = time::to_time(time::Timecode{1, 0, 0, 0}, rate);
  cue.out = cue.in + time::TimeDur(20 * time::kSuperclockPerSecond);
  // The file's own map, where the file starts: they agree.
  const time::TempoMap own = midi::Timeline::of(read->file).tempo_map();
  auto same = time::TempoMap::create(own.tempo_changes(), own.meters(), cue.in);
  ASSERT_TRUE(same);
  cue.tempo_map = *same;
  EXPECT_EQ(tempo_mismatch(cue, read->file, "happy.mid", rate), std::nullopt);
  // No map chosen for the cue: nothing to compare.
  cue.tempo_map.reset();
  EXPECT_EQ(tempo_mismatch(cue, read->file, "happy.mid", rate), std::nullopt);
  // A map a little faster than the file's: bar 1 agrees, bar 2 does not.
  const double qpm = own.quarters_per_minute_at(time::BeatPos(0));
  cue.tempo_map = time::TempoMap::constant(
      time::Tempo::quarters_per_minute(time::Rational(static_cast<std::int64_t>(qpm) + 8)),
      own.meter_at(time::BeatPos(0)), cue.in);
  const auto warning = tempo_mismatch(cue, read->file, "happy.mid", rate);
  ASSERT_TRUE(warning);
  EXPECT_EQ(
      warning->rfind("cue 1M1: the tempo map of happy.mid is not the cue's: bar 2 falls at ", 0),
      0u)
      << *warning;
}

// Review: one cue with its pre-roll and post-roll, picture and music, not the whole film.
// [GIVEN] 1M1 from 1 s to 3 s of the 4 s film, and an audition from 01:00:01:12 (inside it) of at
//         most 0.75 s, chased, as the music track alone
// [THEN]  the excerpt is 01:00:01:12 to 01:00:02:06 (18 frames), the cue starts half a second
//         before it (cut at both ends); a start where the cue is not heard, or a length out of
//         range, is refused with one sentence and nothing is written
TEST_F(DeliverJobTest, ScoreFilmExcerptFromAPointChasesTheCueThere) {
  const fs::path project = copy_project("project_full");
  auto session = Session::open(project);
  ASSERT_TRUE(session);
  CueEdit edit{cue_id("1M1"), {{"in", "01:00:01:00"}, {"out", "01:00:03:00"}}};
  edit.fields["hits"] = nlohmann::json::array();
  edit.fields["dialogue"] = nlohmann::json::array();
  edit.fields["emotion"] = nlohmann::json::array();
  ASSERT_TRUE(session->edit_cue(edit));
  const time::FrameRate rate = time::FrameRate::fps24();
  ScoreFilmRequest request;
  request.cues = {cue_id("1M1")};
  request.takes.midi[cue_id("1M1")] = kData / "emotion_happy.mid";
  request.film = kData / "two-shots.mov";
  request.wav = dir_ / "audition.wav";
  ScoreFilmRequest::Excerpt x{.pre_roll = 0, .post_roll = 2, .alone = true};
  x.from = time::to_time(time::Timecode{1, 0, 1, 12}, rate);
  x.seconds = 0.75;
  x.chase = true;
  request.excerpt = x;
  auto report = session->score_film(request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(time::nearest_label(report->excerpt->first, rate), "01:00:01:12");
  EXPECT_EQ(time::nearest_label(report->excerpt->second, rate), "01:00:02:06");
  EXPECT_EQ(report->rendered.frames, 18u * 2000u);
  ASSERT_EQ(report->rendered.cues.size(), 1u);
  EXPECT_EQ(report->rendered.cues[0].first_sample, -24000);
  EXPECT_TRUE(report->rendered.cues[0].cut_at_start);
  EXPECT_TRUE(report->rendered.cues[0].cut_at_end);
  // Only the excerpt was rendered (and a frame past it), not the cue from its start.
  EXPECT_LT(report->rendered.cues[0].frames, 18u * 2000u + 64u + 2u);
  auto wav = render::read_audio(request.wav);
  ASSERT_TRUE(wav) << wav.error().message;
  EXPECT_EQ(wav->frames(), 18u * 2000u);

  // Without chase the same excerpt renders the cue from its start, then cuts it.
  request.excerpt->chase = false;
  auto whole = session->score_film(request);
  ASSERT_TRUE(whole) << whole.error().message;
  EXPECT_EQ(whole->rendered.frames, report->rendered.frames);
  EXPECT_GT(whole->rendered.cues[0].frames, 18u * 2000u + 24000u);
  request.excerpt->chase = true;

  const std::string before = text_of(request.wav);
  request.excerpt->from = time::to_time(time::Timecode{1, 0, 0, 2}, rate);
  request.excerpt->seconds = 0.5;
  auto silent = session->score_film(request);
  ASSERT_FALSE(silent);
  EXPECT_EQ(silent.error().message,
            "the excerpt from 01:00:00:02 to 01:00:00:14 holds none of the cues named (1M1 is "
            "01:00:01:00 to 01:00:03:00); start it inside the cue or just before it");
  request.excerpt->from = time::to_time(time::Timecode{1, 0, 6, 0}, rate);  // past the film
  auto past = session->score_film(request);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().message,
            "the excerpt from 01:00:06:00 holds none of the cues named (1M1 is 01:00:01:00 to "
            "01:00:03:00); start it inside the cue or just before it");
  request.excerpt->seconds = 0.01;
  auto tiny = session->score_film(request);
  ASSERT_FALSE(tiny);
  EXPECT_EQ(tiny.error().message, "an excerpt's length takes 0.1 to 3600 seconds");
  EXPECT_EQ(text_of(request.wav), before);
}

TEST_F(DeliverJobTest, ScoreFilmExcerptIsTheCueWithItsRollsPictureAndMusic) {
  const fs::path project = copy_project("project_full");
  auto session = Session::open(project);
  ASSERT_TRUE(session);
  // 1M1 from 1 s to 2 s into the 4 s film (two-shots.mov, 96 frames).
  CueEdit edit{cue_id("1M1"), {{"in", "01:00:01:00"}, {"out", "01:00:02:00"}}};
  edit.fields["hits"] = nlohmann::json::array();
  edit.fields["dialogue"] = nlohmann::json::array();
  edit.fields["emotion"] = nlohmann::json::array();
  ASSERT_TRUE(session->edit_cue(edit));
  ScoreFilmRequest request;
  request.cues = {cue_id("1M1")};
  request.takes.midi[cue_id("1M1")] = kData / "emotion_happy.mid";
  request.film = kData / "two-shots.mov";
  request.out = dir_ / "review.mov";
  request.wav = dir_ / "review.wav";
  request.excerpt = ScoreFilmRequest::Excerpt{.pre_roll = 0.5, .post_roll = 0.25};
  auto report = session->score_film(request);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_TRUE(report->excerpt);
  const time::FrameRate rate = time::FrameRate::fps24();
  EXPECT_EQ(time::nearest_label(report->excerpt->first, rate), "01:00:00:12");
  EXPECT_EQ(time::nearest_label(report->excerpt->second, rate), "01:00:02:06");
  // The track is the excerpt's length; the cue starts after the half-second pre-roll.
  EXPECT_EQ(report->rendered.frames, 42u * 2000u);  // 42 frames at 48 kHz
  ASSERT_EQ(report->rendered.cues.size(), 1u);
  EXPECT_EQ(report->rendered.cues[0].first_sample, 24000);
  EXPECT_TRUE(report->rendered.cues[0].cut_at_end);
  // The picture: 42 frames from the excerpt's first, with its timecode (the film's own,
  // 10:00:00:00, advanced 12 frames); nothing else is left beside it.
  const auto info = picture::probe_film(request.out);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->frame_count, 42);
  ASSERT_TRUE(info->start_timecode);
  EXPECT_EQ(*info->start_timecode, (time::Timecode{10, 0, 0, 12}));
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.is_regular_file()) files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"review.mov", "review.wav"}));
  EXPECT_EQ(to_json(*report)["excerpt"]["from"], "01:00:00:12");
  EXPECT_TRUE(report->around.empty());  // 1M2 (01:02:10:00 on) does not sound in it

  // A cue that sounds inside the excerpt is heard around the one under review, unless alone.
  CueEdit near{cue_id("1M2"), {{"in", "01:00:02:00"}, {"out", "01:00:03:00"}}};
  near.fields["hits"] = nlohmann::json::array();
  near.fields["dialogue"] = nlohmann::json::array();
  near.fields["emotion"] = nlohmann::json::array();
  ASSERT_TRUE(session->edit_cue(near));
  request.takes.midi[cue_id("1M2")] = kData / "emotion_sad.mid";
  auto around = session->score_film(request);
  ASSERT_TRUE(around) << around.error().message;
  EXPECT_EQ(around->around, std::vector<spot::CueId>{cue_id("1M2")});
  EXPECT_EQ(around->rendered.cues.size(), 2u);
  EXPECT_EQ(to_json(*around)["excerpt"]["around"][0], "1M2");
  request.excerpt->alone = true;
  auto alone = session->score_film(request);
  ASSERT_TRUE(alone) << alone.error().message;
  EXPECT_TRUE(alone->around.empty());
  EXPECT_EQ(alone->rendered.cues.size(), 1u);
  request.excerpt->alone = false;

  // The cues it is around must be named.
  request.cues.clear();
  auto unnamed = session->score_film(request);
  ASSERT_FALSE(unnamed);
  EXPECT_NE(unnamed.error().message.find("name them with --cue"), std::string::npos);
}

TEST_F(DeliverJobTest, ScoreFilmErrorsNameTheCueAndWriteNothing) {
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session);
  ScoreFilmRequest request = two_cues(dir_);
  request.cues = {cue_id("9M9")};
  auto no_cue = session->score_film(request);
  ASSERT_FALSE(no_cue);
  EXPECT_NE(no_cue.error().message.find("has no cue 9M9 (its cues: 1M1, 1M2)"), std::string::npos)
      << no_cue.error().message;

  request.cues.clear();
  request.takes.midi[cue_id("1M1")] = kData / "garbage.mid";
  auto garbage = session->score_film(request);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().message.rfind("cue 1M1 (", 0), 0u) << garbage.error().message;

  request = two_cues(dir_);
  request.wav.clear();
  auto nothing = session->score_film(request);
  ASSERT_FALSE(nothing);
  EXPECT_NE(nothing.error().message.find("nothing to write"), std::string::npos);

  // The project's film is missing: nothing to mux onto, nothing written.
  request.out = dir_ / "film.mp4";
  auto no_film = session->score_film(request);
  ASSERT_FALSE(no_film);
  EXPECT_NE(no_film.error().message.find("lighthouse.mov"), std::string::npos)
      << no_film.error().message;
  EXPECT_FALSE(fs::exists(dir_ / "film"));
  EXPECT_FALSE(fs::exists(request.out));
}

TEST_F(DeliverJobTest, CancelledScoreFilmWritesNothing) {
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session);
  ScoreFilmRequest request = two_cues(dir_);
  request.stems = dir_ / "stems";
  auto report = session->score_film(request, [](const std::string&, double) { return false; });
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().kind, base::ErrorKind::impossible);
  EXPECT_NE(report.error().message.find("cancelled"), std::string::npos);
  EXPECT_FALSE(fs::exists(request.wav));
  EXPECT_FALSE(fs::exists(request.stems));
}

// ---- export_cues ----

const fs::path kScores = kData / "project_credits_scores";  // 1M1-1.mid only

TEST_F(DeliverJobTest, ExportWritesMusicXmlAndDawMidiOfTheComposedTake) {
  auto session = Session::open(kData / "project_credits");
  ASSERT_TRUE(session);
  ExportRequest request;
  request.cues = {cue_id("1M1")};
  request.takes.from = kScores;
  request.out = dir_ / "deliver";
  auto report = session->export_cues(request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->skipped.empty());
  ASSERT_EQ(report->written.size(), 2u);
  EXPECT_EQ(report->written[0].path, request.out / "1M1.musicxml");
  EXPECT_EQ(report->written[0].what, "8 parts");
  EXPECT_EQ(report->written[1].path, request.out / "1M1.mid");
  EXPECT_EQ(report->written[1].what.rfind("DAW MIDI at ", 0), 0u);
  for (const auto& f : report->written)
    EXPECT_TRUE(fs::exists(f.path)) << f.path;
  EXPECT_NE(text_of(request.out / "1M1.musicxml").find("<measure "), std::string::npos);
  const auto j = to_json(*report);
  EXPECT_EQ(j["written"][1]["file"], (request.out / "1M1.mid").generic_string());
}

TEST_F(DeliverJobTest, ExportOfEveryCueSkipsTheCuesWithoutATake) {
  auto session = Session::open(kData / "project_credits");
  ASSERT_TRUE(session);
  ExportRequest request;
  request.takes.from = kScores;
  request.out = dir_ / "all";
  request.midi = false;
  auto report = session->export_cues(request);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->skipped.size(), 2u);
  EXPECT_EQ(report->skipped[0].cue, cue_id("1M2"));
  EXPECT_EQ(report->skipped[0].expected, composed_take(kScores, cue_id("1M2")));
  ASSERT_EQ(report->written.size(), 1u);
  EXPECT_EQ(report->written[0].path, request.out / "1M1.musicxml");
  EXPECT_EQ(to_json(*report)["skipped"][1]["cue"], "1M3");
}

TEST_F(DeliverJobTest, ExportErrorsWriteNothing) {
  auto session = Session::open(kData / "project_credits");
  ASSERT_TRUE(session);
  ExportRequest request;
  request.takes.from = kScores;
  request.out = dir_ / "x";
  request.cues = {cue_id("1M1"), cue_id("1M2")};  // 1M1 would export; 1M2 has no take
  auto missing = session->export_cues(request);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cue 1M2 has no composed MIDI: expected " +
                                         composed_take(kScores, cue_id("1M2")).generic_string()),
            std::string::npos)
      << missing.error().message;
  EXPECT_FALSE(fs::exists(request.out));

  request.cues = {cue_id("1M9")};
  auto no_cue = session->export_cues(request);
  ASSERT_FALSE(no_cue);
  EXPECT_NE(no_cue.error().message.find("has no cue 1M9"), std::string::npos);

  request.cues.clear();
  request.takes.from = dir_ / "empty";
  auto none = session->export_cues(request);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("has a composed MIDI file in"), std::string::npos);
  EXPECT_FALSE(fs::exists(request.out));
}

// ---- cue_sheet ----

TEST_F(DeliverJobTest, CueSheetWritesTheCsvAndThePageItReports) {
  auto session = Session::open(kData / "project_credits");
  ASSERT_TRUE(session);
  auto shown = session->cue_sheet();
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_TRUE(shown->written.empty());
  EXPECT_TRUE(shown->without_writers.empty());
  EXPECT_EQ(shown->csv.rfind("cue,title,writers,publishers,usage,in,out,duration\n", 0), 0u);
  EXPECT_EQ(shown->sheet.entries.size(), 3u);

  CueSheetRequest request{.csv = dir_ / "cs.csv", .html = dir_ / "cs.html"};
  auto report = session->cue_sheet(request);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->written, (std::vector<fs::path>{request.csv, request.html}));
  EXPECT_EQ(text_of(request.csv), shown->csv);
  EXPECT_EQ(text_of(request.html), report->html);
  EXPECT_EQ(to_json(*report)["cues"], 3);
}

TEST_F(DeliverJobTest, CueSheetNamesTheCuesWithoutWriters) {
  auto session = Session::open(kData / "project_full");
  ASSERT_TRUE(session);
  auto report = session->cue_sheet();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->without_writers, (std::vector<spot::CueId>{cue_id("1M1"), cue_id("1M2")}));
  EXPECT_EQ(to_json(*report)["without_writers"][1], "1M2");
}

TEST_F(DeliverJobTest, CueSheetWriteFailureIsOneSentenceNamingTheFile) {
  auto session = Session::open(kData / "project_credits");
  ASSERT_TRUE(session);
  CueSheetRequest request;
  request.csv = dir_ / "no-such-folder/cs.csv";
  auto report = session->cue_sheet(request);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("cs.csv"), std::string::npos) << report.error().message;
}

// ---- credits ----

TEST_F(DeliverJobTest, CreditsShowChangesNothing) {
  const fs::path dir = copy_project("project_credits");
  const std::string before = text_of(dir / "duet.json");
  auto session = Session::open(dir);
  ASSERT_TRUE(session);
  auto report = session->credits();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->saved);
  EXPECT_FALSE(report->production.writers.empty());
  EXPECT_EQ(text_of(dir / "duet.json"), before);
  const auto j = to_json(*report);
  EXPECT_EQ(j["production"]["title"], report->title);
  EXPECT_EQ(j["production"]["credits"]["writers"].size(), report->production.writers.size());
  EXPECT_EQ(j["saved"], false);
}

TEST_F(DeliverJobTest, CreditsSetOnACueIsSavedAndReadBack) {
  const fs::path dir = copy_project("project_credits");
  auto session = Session::open(dir);
  ASSERT_TRUE(session);
  CreditsRequest request;
  request.cue = cue_id("1M3");
  request.writers = {{"Sam Poe", exporting::WriterRole::composer, 100, "ASCAP", ""}};
  request.publishers = {{"Poe Songs", 100, "", ""}};
  auto report = session->credits(request);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->saved);
  EXPECT_EQ(report->manifest, dir / "duet.json");
  EXPECT_EQ(report->target.writers, *request.writers);
  ASSERT_TRUE(report->cues.count(cue_id("1M3")));
  EXPECT_EQ(to_json(*report)["cues"]["1M3"]["writers"][0]["society"], "ASCAP");
  // A fresh session reads the change from duet.json.
  auto again = Session::open(dir);
  ASSERT_TRUE(again);
  auto sheet = again->cue_sheet();
  ASSERT_TRUE(sheet);
  EXPECT_NE(sheet->csv.find("Sam Poe (C, 100%, ASCAP)"), std::string::npos);
  // Cleared, the cue takes the production's credits again.
  auto cleared = again->credits(clear_cue(cue_id("1M3")));
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->cues.count(cue_id("1M3")));
  EXPECT_EQ(cleared->target, cleared->production);
}

TEST_F(DeliverJobTest, CreditsThatDoNotValidateLeaveDuetJsonAsItWas) {
  const fs::path dir = copy_project("project_credits");
  const std::string before = text_of(dir / "duet.json");
  auto session = Session::open(dir);
  ASSERT_TRUE(session);
  CreditsRequest request;
  request.writers = {{"A", exporting::WriterRole::composer, 50, "", ""},
                     {"B", exporting::WriterRole::composer_author, 40, "", ""}};
  auto bad = session->credits(request);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("add up to 90%"), std::string::npos) << bad.error().message;
  EXPECT_EQ(text_of(dir / "duet.json"), before);

  auto no_cue = session->credits(clear_cue(cue_id("1M9")));
  ASSERT_FALSE(no_cue);
  EXPECT_NE(no_cue.error().message.find("has no cue 1M9"), std::string::npos);
  CreditsRequest title_request;
  title_request.cue = cue_id("1M3");
  title_request.title = "Night";
  auto title_on_cue = session->credits(title_request);
  ASSERT_FALSE(title_on_cue);
  EXPECT_EQ(text_of(dir / "duet.json"), before);
}

}  // namespace
}  // namespace duet::engine
