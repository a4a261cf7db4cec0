#include "compose/score.h"

#include <gtest/gtest.h>

#include "midi/smf.h"
#include "midi/timing.h"
#include "music/instrument.h"
#include "time/timecode.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;

constexpr std::int64_t kQ = time::kTicksPerQuarter;

Score sample_score(time::TimePos origin) {
  Score s;
  s.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(96)),
                                         time::Meter{3, 4}, origin);
  s.end = BeatPos(12 * kQ);
  Part violin{"Violins", "violin", 40, 0, Role::melody, {}};
  violin.notes = {{BeatPos(0), BeatDur(kQ), 76, 90},
                  {BeatPos(kQ), BeatDur(kQ / 2), 74, 80},
                  {BeatPos(3 * kQ / 2), BeatDur(5 * kQ / 2), 72, 70}};
  Part cello{"Cellos", "cello", 42, 1, Role::bass, {}};
  cello.notes = {{BeatPos(0), BeatDur(6 * kQ), 48, 60}, {BeatPos(6 * kQ), BeatDur(6 * kQ), 43, 60}};
  Part viola{"Violas", "viola", 41, 2, Role::harmony, {}};
  viola.notes = {{BeatPos(0), BeatDur(3 * kQ), 60, 60}, {BeatPos(0), BeatDur(3 * kQ), 64, 60}};
  Part drums{"Percussion", "drums", 0, 9, Role::percussion, {}};
  drums.notes = {{BeatPos(6 * kQ), BeatDur(kQ / 4), 49, 110}};
  s.parts = {violin, viola, cello, drums};
  Section a;
  a.label = "A";
  a.reason = "the cue starts";
  a.key = *music::parse_key("D minor");
  Section b;
  b.at = BeatPos(6 * kQ);
  b.label = "B";
  b.reason = "hard hit 'door slams'";
  b.key = *music::parse_key("Bb major");
  s.sections = {a, b};
  s.hits = {{BeatPos(6 * kQ), "door slams", true}, {BeatPos(9 * kQ), "glance", false}};
  return s;
}

TEST(Score, RoundTripsThroughMidiWithPartsSectionsHitsAndKeys) {
  const auto rate = time::FrameRate::fps24();
  const time::TimePos origin = time::to_time(*time::parse_timecode("01:00:10:00", rate), rate);
  const Score score = sample_score(origin);
  MidiExportOptions options;
  options.rate = rate;
  options.title = "1M3 The Door";
  auto file = to_midi(score, options);
  ASSERT_TRUE(file) << file.error().message;
  ASSERT_EQ(file->tracks.size(), 5u);  // conductor + four parts
  const auto smpte = midi::smpte_start(*file);
  ASSERT_TRUE(smpte);
  EXPECT_EQ(smpte->position, origin);

  auto back = from_midi(*file);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->tempo_map, score.tempo_map);
  EXPECT_EQ(back->end, score.end);
  ASSERT_EQ(back->parts.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(back->parts[i].name, score.parts[i].name);
    EXPECT_EQ(back->parts[i].program, score.parts[i].program);
    EXPECT_EQ(back->parts[i].channel, score.parts[i].channel);
    EXPECT_EQ(back->parts[i].instrument, score.parts[i].instrument);
    EXPECT_EQ(back->parts[i].notes, score.parts[i].notes) << score.parts[i].name;
  }
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(back->parts[i].role, score.parts[i].role);
  ASSERT_EQ(back->sections.size(), 2u);
  EXPECT_EQ(back->sections[1].at, BeatPos(6 * kQ));
  EXPECT_EQ(back->sections[1].label, "B");
  EXPECT_EQ(back->sections[1].reason, "hard hit 'door slams'");
  EXPECT_EQ(music::to_string(back->sections[0].key), "D minor");
  EXPECT_EQ(music::to_string(back->sections[1].key), "Bb major");
  EXPECT_DOUBLE_EQ(back->sections[1].bpm, 96.0);
  EXPECT_EQ(back->hits, score.hits);
}

// [GIVEN] sections in modes [WHEN] written to MIDI, whose key signature says only major or
// minor, and read back [THEN] each keeps its tonic: D dorian reads as D minor (its own
// signature, no sharps, would read as C major), G mixolydian as G major, E phrygian as E minor.
TEST(Score, AModeIsWrittenAsTheMajorOrMinorKeyOnItsTonic) {
  Score score = sample_score(time::TimePos(0));
  score.sections[0].key = *music::parse_key("D dorian");
  score.sections[1].key = *music::parse_key("G mixolydian");
  Section c;
  c.at = BeatPos(9 * kQ);
  c.label = "C";
  c.key = *music::parse_key("E phrygian");
  score.sections.push_back(c);
  auto file = to_midi(score);
  ASSERT_TRUE(file);
  auto back = from_midi(*file);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->sections.size(), 3u);
  EXPECT_EQ(music::to_string(back->sections[0].key), "D minor");
  EXPECT_EQ(music::to_string(back->sections[1].key), "G major");
  EXPECT_EQ(music::to_string(back->sections[2].key), "E minor");
}

TEST(Score, RolesTheTracksStateAreKeptAndTheRestGuessed) {
  Score score = sample_score(time::TimePos(0));
  // A clarinet doubling the violins is harmony, not a second melody: the written role is kept.
  Part clarinet{"Clarinet", "clarinet", 71, 3, Role::countermelody, score.parts[0].notes};
  score.parts.push_back(clarinet);
  auto file = to_midi(score);
  ASSERT_TRUE(file);
  auto back = from_midi(*file);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->parts.size(), 5u);
  EXPECT_EQ(back->parts[4].role, Role::countermelody);
  EXPECT_EQ(back->parts[4].instrument, "clarinet");
  // A file from elsewhere has no roles: they are guessed from register.
  for (midi::Track& track : file->tracks) {
    std::erase_if(track.events, [](const midi::Event& e) {
      const auto* text = std::get_if<midi::Text>(&e.message);
      return text != nullptr && text->kind != midi::TextKind::track_name &&
             text->kind != midi::TextKind::marker;
    });
  }
  auto guessed = from_midi(*file);
  ASSERT_TRUE(guessed);
  // Violins and clarinet share the top line; the first of them is the melody.
  EXPECT_EQ(guessed->parts[0].role, Role::melody);
  EXPECT_EQ(guessed->parts[1].role, Role::harmony);
  EXPECT_EQ(guessed->parts[2].role, Role::bass);
  EXPECT_EQ(guessed->parts[3].role, Role::percussion);
  EXPECT_EQ(guessed->parts[4].role, Role::harmony);
  EXPECT_EQ(guessed->parts[4].instrument, "clarinet");  // from its program
}

TEST(Score, ReadsBackThroughTheWrittenBytes) {
  auto file = to_midi(sample_score(time::TimePos(0)));
  ASSERT_TRUE(file);
  auto bytes = midi::write_smf(*file);
  ASSERT_TRUE(bytes);
  auto read = midi::read_smf(*bytes);
  ASSERT_TRUE(read);
  auto back = from_midi(read->file);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->parts[0].notes.size(), 3u);
}

TEST(Score, AnOriginGivenOverridesTheFilesOffset) {
  auto file = to_midi(sample_score(time::TimePos(0)));
  ASSERT_TRUE(file);
  const time::TimePos at(282'240'000LL * 100);
  auto back = from_midi(*file, at);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->tempo_map.origin(), at);
  EXPECT_EQ(back->tempo_map.time_at(BeatPos(0)), at);
}

TEST(Score, RefusesNotesItCannotWrite) {
  Score s = sample_score(time::TimePos(0));
  s.parts[0].notes[1].pitch = 128;
  auto file = to_midi(s);
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("Violins"), std::string::npos);
  s = sample_score(time::TimePos(0));
  s.parts[1].notes[0].velocity = 0;
  EXPECT_FALSE(to_midi(s));
  s = sample_score(time::TimePos(0));
  s.parts[2].channel = 16;
  EXPECT_FALSE(to_midi(s));
  MidiExportOptions bad;
  bad.ticks_per_quarter = 0;
  EXPECT_FALSE(to_midi(sample_score(time::TimePos(0)), bad));
}

TEST(Score, RefusesFilesWithoutNotesOrBeats) {
  midi::MidiFile empty;
  empty.tracks.push_back({});
  auto none = from_midi(empty);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no notes"), std::string::npos);
  midi::MidiFile smpte;
  smpte.division.kind = midi::Division::Kind::smpte;
  smpte.division.smpte_fps = 25;
  smpte.division.ticks_per_frame = 40;
  EXPECT_FALSE(from_midi(smpte));
}

TEST(Score, SoundingAtListsHeldPitches) {
  const Score s = sample_score(time::TimePos(0));
  EXPECT_EQ(sounding_at(s, BeatPos(0)), (std::vector<int>{48, 60, 64, 76}));
  EXPECT_EQ(sounding_at(s, BeatPos(2 * kQ)), (std::vector<int>{48, 60, 64, 72}));
  EXPECT_EQ(sounding_at(s, BeatPos(6 * kQ)), (std::vector<int>{43}));
  EXPECT_EQ(sounding_at(s, BeatPos(6 * kQ), true), (std::vector<int>{43, 49}));
}

TEST(Score, RolesHaveNamesThatParseBack) {
  for (Role r : {Role::melody, Role::countermelody, Role::harmony, Role::bass, Role::pad,
                 Role::ostinato, Role::percussion}) {
    auto parsed = parse_role(to_string(r));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_FALSE(parse_role("tuba"));
}

}  // namespace
}  // namespace duet::compose
