#include "compose/writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "compose/craft.h"
#include "compose/critics.h"
#include "compose/harmony.h"
#include "compose/random.h"
#include "compose/voicing.h"
#include "model/chord_model.h"
#include "model/model_file.h"
#include "music/chord.h"
#include "music/instrument.h"
#include "music/theme.h"
#include "music/theme_transform.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
using time::TimePos;

TimePos seconds_at(double s) {
  return TimePos(static_cast<std::int64_t>(s * static_cast<double>(time::kSuperclockPerSecond)));
}

// A two-minute cue one hour into the film with two hard hits, a soft one, two dialogue windows
// and an emotion curve that starts at `from` and turns to `to` at 70 s.
spot::Cue test_cue(spot::Emotion from, spot::Emotion to) {
  spot::Cue cue;
  cue.title = "test";
  const double in = 3600;
  cue.in = seconds_at(in);
  cue.out = seconds_at(in + 120);
  cue.hits = {{seconds_at(in + 31.3), "door slams", spot::HitKind::hard},
              {seconds_at(in + 55), "glance", spot::HitKind::soft},
              {seconds_at(in + 88.7), "explosion", spot::HitKind::hard}};
  cue.dialogue = {{seconds_at(in + 10), seconds_at(in + 24), "ANNA"},
                  {seconds_at(in + 60), seconds_at(in + 75), "BEN"}};
  cue.emotion.keys = {{seconds_at(in), from},
                      {seconds_at(in + 60), from},
                      {seconds_at(in + 70), to},
                      {seconds_at(in + 120), to}};
  return cue;
}

// The four quadrants of valence and arousal, and a turn from calm to action.
std::vector<spot::Cue> quadrant_cues() {
  return {test_cue({0.6, 0.6, 0.2}, {0.5, 0.7, 0.3}), test_cue({-0.6, 0.7, 0.8}, {-0.7, 0.8, 0.9}),
          test_cue({-0.6, -0.6, 0.4}, {-0.5, -0.5, 0.3}),
          test_cue({0.6, -0.6, 0.1}, {0.7, -0.5, 0.1}),
          test_cue({0.5, -0.7, 0.1}, {-0.6, 0.8, 0.9})};
}

WrittenCue write(const CueBrief& brief, std::uint64_t seed, const WriterModels& models = {}) {
  auto w = write_cue(brief, seed, models);
  EXPECT_TRUE(w) << (w ? "" : w.error().message);
  return w ? std::move(*w) : WrittenCue{};
}

const Part* part_named(const Score& s, std::string_view name) {
  for (const auto& p : s.parts)
    if (p.name == name) return &p;
  return nullptr;
}

// [GIVEN] a cue and a seed [WHEN] written twice [THEN] the same score; another seed differs.
TEST(Writer, DeterministicForASeed) {
  CueBrief brief{test_cue({0.3, 0.2, 0.3}, {-0.4, 0.6, 0.7}), {}, {}, {}, {}};
  const auto a = write(brief, 7);
  const auto b = write(brief, 7);
  EXPECT_EQ(a.score, b.score);
  const auto c = write(brief, 8);
  EXPECT_NE(a.score, c.score);
}

// [GIVEN] cues in every quadrant, many seeds [THEN] no parallel fifths or octaves between the
// real voices (the melody and the bass included), no voice crossing and no note outside its
// instrument's range, in every approach.
TEST(Writer, NoParallelsAndNoRangeViolations) {
  int fallbacks = 0, chords = 0;
  for (const auto& cue : quadrant_cues()) {
    CueBrief brief{cue, {}, {}, {}, {}};
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      brief.approach = all_approaches()[seed % all_approaches().size()];
      const auto w = write(brief, seed);
      ASSERT_FALSE(w.score.parts.empty());
      const auto vl = voice_leading(w.score);
      EXPECT_EQ(count_parallels(w.score), 0)
          << "seed " << seed << " " << to_string(*brief.approach);
      for (const auto& p : vl.parallels)
        ADD_FAILURE() << to_string(*brief.approach) << " seed " << seed << ": "
                      << (p.fifths ? "fifths " : "octaves ") << p.upper << " " << p.upper_from
                      << "->" << p.upper_to << " over " << p.lower << " " << p.lower_from << "->"
                      << p.lower_to << " at " << bar_beat(w.score.tempo_map, p.at);
      // A crossing costs a candidate a tenth of its total each (CriticWeights): the cellos'
      // octave over the basses once crossed the ostinato's violas 56 times in one cue.
      for (const auto& c : vl.crossings)
        ADD_FAILURE() << to_string(*brief.approach) << " seed " << seed << ": " << c.lower
                      << " above " << c.upper << " at " << bar_beat(w.score.tempo_map, c.at);
      // The writer breaks swings of two chords as they are heard (a chord over a pedal with
      // the pedal under it); recognised per beat, one more chord may join a swing.
      const auto swing = longest_two_chord_alternation(recognised_chords(w.score));
      EXPECT_LE(swing.length, 5) << to_string(*brief.approach) << " seed " << seed;
      EXPECT_EQ(count_range_violations(w.score), 0) << "seed " << seed;
      // The voices stop at their instruments' floors (voice_floors: chamber's violins at G3,
      // ostinato's violas at C3): under a low melody a chord may find no voicing that keeps
      // every rule, and the least bad is taken (the mending above then leaves no parallel). A
      // rare thing, never a habit.
      fallbacks += w.notes.voicing_fallbacks;
      chords += static_cast<int>(w.score.chords.size());
      std::set<int> channels;
      for (const auto& p : w.score.parts) {
        EXPECT_TRUE(channels.insert(p.channel).second) << p.name;
        EXPECT_EQ(p.channel == 9, p.role == Role::percussion && p.instrument == "drums");
        for (const auto& n : p.notes) {
          EXPECT_GT(n.length.ticks(), 0);
          EXPECT_GE(n.velocity, 1);
          EXPECT_LE(n.velocity, 127);
          EXPECT_GE(n.start, BeatPos(0));
          EXPECT_LE(n.start + n.length, w.score.end);
        }
      }
    }
  }
  EXPECT_LE(fallbacks * 100, chords)
      << fallbacks << " voicing fallbacks in " << chords << " chords";
}

// [GIVEN] hard hits, one accented [THEN] a section starts on the grid at each, within the hit
// tolerance of its time; a chord starts exactly there after a dominant that leads into it; the
// accented cut gets a stinger (brass, timpani, crash) prepared by a crescendo; the unaccented one
// a tonic arrival (tutti) or a deceptive colour change; the cue ends on a cadence.
TEST(Writer, HitsAreComposedByTheirKind) {
  for (const auto& base : quadrant_cues()) {
    auto cue = base;
    cue.hits[0].accent = true;  // "door slams"
    CueBrief brief{cue, {}, {}, {}, {}};
    for (Approach approach : all_approaches()) {
      brief.approach = approach;
      const auto w = write(brief, 3);
      const auto& s = w.score;
      int hard = 0;
      for (const auto& h : cue.hits) {
        if (h.kind != spot::HitKind::hard) continue;
        ++hard;
        const auto sec = std::find_if(s.sections.begin(), s.sections.end(), [&](const Section& x) {
          return x.reason.find(h.label) != std::string::npos;
        });
        ASSERT_NE(sec, s.sections.end()) << h.label;
        const BeatPos at = sec->at;
        EXPECT_EQ(at.ticks() % (time::kTicksPerQuarter / 4), 0) << h.label << " off the grid";
        const auto error = s.tempo_map.time_at(at) - h.at;
        EXPECT_LE(std::abs(error.ticks()), brief.hit_tolerance.ticks()) << h.label;
        auto c = std::find_if(s.chords.begin(), s.chords.end(),
                              [&](const ScoreChord& x) { return x.at == at; });
        ASSERT_NE(c, s.chords.end()) << h.label;
        ASSERT_NE(c, s.chords.begin());
        EXPECT_NE((c - 1)->role.find("dominant"), std::string::npos) << (c - 1)->role;
        EXPECT_EQ((c - 1)->at + (c - 1)->length, at);
        if (h.accent) {
          EXPECT_EQ(c->role, "cadence");
          // Chamber forces strike it on the piano; the others with timpani and brass.
          const Part* timp = part_named(s, approach == Approach::chamber ? "Piano" : "Timpani");
          ASSERT_NE(timp, nullptr) << to_string(approach);
          EXPECT_TRUE(std::any_of(timp->notes.begin(), timp->notes.end(),
                                  [&](const ScoreNote& n) { return n.start == at; }));
          if (approach != Approach::chamber) {
            const Part* stab = part_named(s, "Trombones");
            ASSERT_NE(stab, nullptr) << to_string(approach);
            EXPECT_TRUE(std::any_of(stab->notes.begin(), stab->notes.end(),
                                    [&](const ScoreNote& n) { return n.start == at; }));
          }
        } else {
          EXPECT_TRUE(c->role == "cadence" || c->role.find("deceptive") != std::string::npos)
              << c->role;
        }
      }
      EXPECT_EQ(hard, 2);
      EXPECT_NE(s.chords.back().role.find("cadence"), std::string::npos) << s.chords.back().role;
      EXPECT_EQ(s.chords.back().at + s.chords.back().length, s.end);
      EXPECT_EQ(s.hits.size(), 3u);
    }
  }
}

// [GIVEN] an emotion curve that turns [THEN] a section starts near the turn (at a bar line), with
// the new target.
TEST(Writer, SectionsFollowTheStory) {
  CueBrief brief{test_cue({0.5, -0.7, 0.1}, {-0.6, 0.8, 0.9}), {}, {}, {}, {}};
  const auto w = write(brief, 1);
  const auto& s = w.score;
  ASSERT_GE(s.sections.size(), 4u);  // start, two hard hits, the turn
  const auto turn = std::find_if(s.sections.begin(), s.sections.end(), [](const Section& x) {
    return x.reason.find("the story turns") != std::string::npos;
  });
  ASSERT_NE(turn, s.sections.end());
  EXPECT_GT(turn->arousal, 0.0);
  EXPECT_EQ(s.sections.front().key.mode, music::Mode::major);
  EXPECT_NE(turn->key.mode, music::Mode::major);
}

// Mean number of notes sounding (percussion left out) at eighth-note points inside and outside
// the dialogue windows.
std::pair<double, double> density_inside_outside(const Score& s, const spot::Cue& cue) {
  double in_sum = 0, out_sum = 0;
  int in_n = 0, out_n = 0;
  for (BeatPos at(0); at < s.end; at += BeatDur(time::kTicksPerQuarter / 2)) {
    const TimePos t = s.tempo_map.time_at(at);
    const bool inside = std::any_of(cue.dialogue.begin(), cue.dialogue.end(),
                                    [&](const auto& d) { return d.start <= t && t < d.end; });
    // (Notes from middle C up: the register of the voice the words need cleared.)
    const auto here = sounding_at(s, at);
    const double n = static_cast<double>(
        std::count_if(here.begin(), here.end(), [](int pitch) { return pitch >= 60; }));
    (inside ? in_sum : out_sum) += n;
    ++(inside ? in_n : out_n);
  }
  return {in_sum / std::max(in_n, 1), out_sum / std::max(out_n, 1)};
}

// [GIVEN] dialogue windows [THEN] fewer notes sound inside them from middle C up (a driving
// scene's ostinato goes on under the words, an octave lower) and the melody rests there.
TEST(Writer, DialogueThinsTheTexture) {
  for (const auto& cue : quadrant_cues()) {
    CueBrief brief{cue, {}, {}, {}, {}};
    const auto w = write(brief, 5);
    const auto [inside, outside] = density_inside_outside(w.score, cue);
    EXPECT_LT(inside, outside * 0.75) << inside << " vs " << outside;
    for (const auto& p : w.score.parts) {
      if (p.role != Role::melody) continue;
      for (const auto& n : p.notes) {
        const TimePos a = w.score.tempo_map.time_at(n.start);
        const TimePos b = w.score.tempo_map.time_at(n.start + n.length);
        for (const auto& d : cue.dialogue) {
          EXPECT_FALSE(a < d.end && d.start < b) << "melody note under dialogue";
        }
      }
    }
  }
}

// Notes per quarter of a part, over the cue.
double per_quarter(const Score& s, const Part& p) {
  return static_cast<double>(p.notes.size()) /
         std::max(1.0, static_cast<double>(s.end.ticks()) / time::kTicksPerQuarter);
}

// [GIVEN] one scene written in each approach [THEN] each has its own texture: a lyrical melody
// in the violins over sustained strings with a harp figure; a string ostinato of two notes or
// more a beat with percussion; a repeated-note piano pulse; chamber forces (no brass, no drums);
// hybrid drums with kick and toms under a brass melody and a synth pad.
TEST(Writer, ApproachesHaveTheirTextures) {
  auto cue = test_cue({0.2, 0.3, 0.5}, {0.2, 0.4, 0.6});
  cue.dialogue.clear();
  auto written = [&](Approach a) {
    CueBrief brief{cue, {}, {}, {}, {}};
    brief.approach = a;
    return write(brief, 9);
  };
  const auto lyrical = written(Approach::lyrical);
  EXPECT_EQ(lyrical.notes.approach, Approach::lyrical);
  ASSERT_NE(part_named(lyrical.score, "Violins I"), nullptr);
  EXPECT_EQ(part_named(lyrical.score, "Violins I")->role, Role::melody);
  ASSERT_NE(part_named(lyrical.score, "Harp"), nullptr);
  EXPECT_EQ(part_named(lyrical.score, "Harp")->role, Role::ostinato);
  const auto ostinato = written(Approach::ostinato);
  const Part* figure = part_named(ostinato.score, "Violins II");
  ASSERT_NE(figure, nullptr);
  EXPECT_EQ(figure->role, Role::ostinato);
  EXPECT_GT(per_quarter(ostinato.score, *figure), 1.5);
  EXPECT_NE(part_named(ostinato.score, "Percussion"), nullptr);
  const auto pulse = written(Approach::pulse);
  const Part* piano = part_named(pulse.score, "Piano");
  ASSERT_NE(piano, nullptr);
  // Repeated notes: most onsets repeat the pitch of the onset before.
  int repeats = 0;
  for (std::size_t i = 1; i < piano->notes.size(); ++i)
    if (piano->notes[i].pitch == piano->notes[i - 1].pitch ||
        (i > 1 && piano->notes[i].pitch == piano->notes[i - 2].pitch))
      ++repeats;
  EXPECT_GT(repeats * 2, static_cast<int>(piano->notes.size()));
  const auto chamber = written(Approach::chamber);
  for (const auto& p : chamber.score.parts) {
    const auto* inst = music::find_instrument(p.instrument);
    ASSERT_NE(inst, nullptr);
    EXPECT_NE(inst->family, music::Family::brass) << p.name;
    EXPECT_NE(p.instrument, "drums") << p.name;
  }
  const auto hybrid = written(Approach::hybrid);
  const Part* drums = part_named(hybrid.score, "Percussion");
  ASSERT_NE(drums, nullptr);
  std::set<int> keys;
  for (const auto& n : drums->notes)
    keys.insert(n.pitch);
  EXPECT_TRUE(keys.contains(36));
  EXPECT_TRUE(keys.contains(41) || keys.contains(43));
  ASSERT_NE(part_named(hybrid.score, "Trumpets"), nullptr);
  EXPECT_EQ(part_named(hybrid.score, "Trumpets")->role, Role::melody);
  EXPECT_NE(part_named(hybrid.score, "Synth Strings"), nullptr);
  // Five approaches, five different accompaniments: no two share most of their onsets.
  const std::vector<const Score*> all = {&lyrical.score, &ostinato.score, &pulse.score,
                                         &chamber.score, &hybrid.score};
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j)
      EXPECT_LE(accompaniment_onset_jaccard(*all[i], *all[j]), 0.85) << i << " " << j;
}

// [GIVEN] a driving scene in the ostinato approach, with dialogue [THEN] the ostinato goes on
// under the words at its pace (the drive does not stop for a line: the shipped estimator heard
// a bright chase as calm wherever it did) and lower: its mean pitch there is under the one
// outside.
TEST(Writer, ADrivingOstinatoGoesOnUnderDialogueLower) {
  auto cue = test_cue({0.5, 0.7, 0.5}, {0.5, 0.7, 0.5});
  CueBrief brief{cue, {}, {}, {}, {}};
  brief.approach = Approach::ostinato;
  const auto w = write(brief, 7);
  const Part* figure = part_named(w.score, "Violins II");
  ASSERT_NE(figure, nullptr);
  double in_n = 0, out_n = 0, in_pitch = 0, out_pitch = 0, in_time = 0, out_time = 0;
  for (const auto& n : figure->notes) {
    const TimePos t = w.score.tempo_map.time_at(n.start);
    const bool inside = std::any_of(cue.dialogue.begin(), cue.dialogue.end(),
                                    [&](const auto& d) { return d.start <= t && t < d.end; });
    (inside ? in_n : out_n) += 1;
    (inside ? in_pitch : out_pitch) += n.pitch;
  }
  for (const auto& d : cue.dialogue)
    in_time += time::to_seconds(d.end - d.start).to_double();
  out_time = time::to_seconds(cue.out - cue.in).to_double() - in_time;
  ASSERT_GT(in_n, 0);
  EXPECT_GT(in_n / in_time, 0.8 * out_n / out_time);
  EXPECT_LT(in_pitch / in_n, out_pitch / out_n);
}

// [GIVEN] the four feelings, one scene each in 4/4, written in one approach [THEN] their melodies
// do not share one rhythm (each feeling draws its cells from a pool of its own): the worst pair's
// melodic-rhythm similarity is at most 0.6 for each of seeds 1-3 and 0.5 (the craft goal) on
// average (with one pool: 0.55, 0.80, 0.71; the line's pace outweighed the feeling).
TEST(Writer, TheFourFeelingsHaveTheirOwnMelodicRhythm) {
  double mean_worst = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    std::vector<Score> scores;
    const auto cues = quadrant_cues();
    for (std::size_t q = 0; q < 4; ++q) {  // (the fifth turns from calm to action)
      spot::Cue cue = cues[q];
      cue.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(time::Rational(96)),
                                               time::Meter{4, 4}, cue.in);
      cue.dialogue.clear();
      cue.hits.clear();
      CueBrief brief{cue, {}, {}, {}, {}};
      brief.approach = Approach::lyrical;
      scores.push_back(write(brief, seed).score);
    }
    double worst = 0;
    for (std::size_t i = 0; i < scores.size(); ++i)
      for (std::size_t j = i + 1; j < scores.size(); ++j)
        worst = std::max(worst, melodic_rhythm_similarity(scores[i], scores[j]));
    EXPECT_LE(worst, 0.6) << "seed " << seed;
    mean_worst += worst / 3;
  }
  EXPECT_LE(mean_worst, 0.5);
}

// [GIVEN] one scene written in 4/4 and in 6/8 at the same beat (quarter = dotted quarter = 72)
// [THEN] the harmony changes about as often per beat in both: the harmonic rhythm is counted in
// the meter's beats (it was counted in quarters, so a 6/8 cue changed chord half again as often
// per beat, and the EMOPIA-trained estimator heard a calm 6/8 scene as excited).
TEST(Writer, HarmonicRhythmIsCountedInBeats) {
  // beat: the meter's beat in quarters (a dotted quarter in 6/8)
  auto per_beat = [](time::Meter meter, time::Rational qpm, double beat) {
    auto cue = test_cue({0.5, -0.4, 0.2}, {0.5, -0.4, 0.3});
    cue.hits.clear();
    cue.dialogue.clear();
    cue.tempo_map = time::TempoMap::constant(time::Tempo::quarters_per_minute(qpm), meter, cue.in);
    CueBrief brief{cue, {}, {}, {}, {}};
    brief.approach = Approach::lyrical;
    double chords = 0, beats = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const auto w = write(brief, seed);
      chords += static_cast<double>(w.score.chords.size());
      beats += static_cast<double>(w.score.end.ticks()) / (beat * time::kTicksPerQuarter);
    }
    return chords / beats;
  };
  const double common = per_beat(time::Meter{4, 4}, time::Rational(72), 1);
  const double compound = per_beat(time::Meter{6, 8}, time::Rational(108), 1.5);
  EXPECT_LT(compound, 1.3 * common) << compound << " against " << common;
}

// [GIVEN] one pulse-minimal scene sad and calm, another driving [THEN] the piano's pulse is
// held through its eighths in the first (legato: the EMOPIA-trained estimator heard the
// detached sixteenths of a sad pulse as excited) and detached in the second.
TEST(Writer, PulseIsHeldWhereTheSceneAsksForLegato) {
  auto share_held = [](const Score& s) {
    const Part* piano = part_named(s, "Piano");
    if (piano == nullptr || piano->notes.empty()) return -1.0;
    int held = 0;
    for (const auto& n : piano->notes)
      if (n.length == BeatDur(time::kTicksPerQuarter / 2)) ++held;
    return static_cast<double>(held) / static_cast<double>(piano->notes.size());
  };
  auto written = [&](spot::Emotion e) {
    auto cue = test_cue(e, e);
    cue.dialogue.clear();
    CueBrief brief{cue, {}, {}, {}, {}};
    brief.approach = Approach::pulse;
    return write(brief, 3).score;
  };
  EXPECT_GT(share_held(written({-0.6, -0.6, 0.3})), 0.8);
  EXPECT_LT(share_held(written({0.5, 0.7, 0.5})), 0.2);
}

// [GIVEN] a score and a lock of some bars [WHEN] another seed writes around them [THEN] the
// locked notes are identical, the chords there are the locked ones, and the rules still hold.
TEST(Writer, LockedBarsAreKept) {
  CueBrief brief{test_cue({0.2, 0.1, 0.3}, {0.3, 0.5, 0.4}), {}, {}, {}, {}};
  const auto a = write(brief, 11);
  const BeatPos from(16 * time::kTicksPerQuarter), to(32 * time::kTicksPerQuarter);
  brief.locked_from = a.score;
  brief.locks = {{std::nullopt, from, to}};
  const auto b = write(brief, 12);
  EXPECT_EQ(count_parallels(a.score), 0);
  EXPECT_EQ(b.score.tempo_map, a.score.tempo_map);
  int locked = 0;
  for (const auto& pa : a.score.parts) {
    const Part* pb = part_named(b.score, pa.name);
    for (const auto& n : pa.notes) {
      if (n.start < from || n.start >= to) continue;
      ASSERT_NE(pb, nullptr) << pa.name;
      ++locked;
      EXPECT_NE(std::find(pb->notes.begin(), pb->notes.end(), n), pb->notes.end()) << pa.name;
    }
    // Nothing new starts inside the locked span.
    if (pb) {
      for (const auto& n : pb->notes) {
        if (n.start >= from && n.start < to) {
          EXPECT_NE(std::find(pa.notes.begin(), pa.notes.end(), n), pa.notes.end()) << pa.name;
        }
      }
    }
  }
  EXPECT_GT(locked, 8);
  // Every chord symbol reads back as a lead-sheet symbol (the locks read them so).
  for (const auto& c : a.score.chords)
    EXPECT_TRUE(parse_score_chord(c.symbol)) << c.symbol;
  for (const auto& c : a.score.chords) {
    if (c.at >= from && c.at < to) {
      EXPECT_NE(std::find(b.score.chords.begin(), b.score.chords.end(), c), b.score.chords.end());
    }
  }
  EXPECT_EQ(count_parallels(b.score), 0);
  for (const auto& p : voice_leading(b.score).parallels)
    ADD_FAILURE() << p.upper << " " << p.upper_from << "->" << p.upper_to << " over " << p.lower
                  << " " << p.lower_from << "->" << p.lower_to << " at "
                  << bar_beat(b.score.tempo_map, p.at) << " (lock bars 5-8)";
  EXPECT_EQ(count_range_violations(b.score), 0);
  // Outside the lock the new seed wrote something else.
  const Part* ma = part_named(a.score, "Violins I");
  const Part* mb = part_named(b.score, "Violins I");
  if (ma && mb) {
    EXPECT_NE(ma->notes, mb->notes);
  }
}

// [GIVEN] bars locked whole from a score in one approach [WHEN] another approach, with other
// instruments, writes around them [THEN] nothing new sounds in the locked bars: the parts the
// locked score lacks are silent there, so the bars sound as the composer kept them.
TEST(Writer, LockedBarsSilenceInstrumentsTheLockedScoreLacks) {
  CueBrief brief{test_cue({0.2, 0.1, 0.3}, {0.3, 0.5, 0.4}), {}, {}, {}, {}};
  brief.approach = Approach::pulse;
  const auto a = write(brief, 11);
  const BeatPos from(0), to(8 * time::kTicksPerQuarter);
  brief.locked_from = a.score;
  brief.locks = {{std::nullopt, from, to}};
  brief.approach = Approach::ostinato;
  const auto b = write(brief, 12);
  int new_parts = 0;
  for (const auto& pb : b.score.parts) {
    const Part* pa = part_named(a.score, pb.name);
    if (pa == nullptr) ++new_parts;
    for (const auto& n : pb.notes) {
      if (n.start >= to) continue;
      ASSERT_NE(pa, nullptr) << pb.name << " plays in the locked bars";
      EXPECT_NE(std::find(pa->notes.begin(), pa->notes.end(), n), pa->notes.end()) << pb.name;
    }
    if (pa == nullptr) {
      for (const auto& n : pb.notes)
        EXPECT_GE(n.start, to) << pb.name;
    }
  }
  EXPECT_GT(new_parts, 0) << "the second approach should bring instruments of its own";
}

// [GIVEN] a lock of one part over the whole cue [THEN] that part is the locked one, the rest new.
TEST(Writer, LockedPartIsKept) {
  CueBrief brief{test_cue({-0.4, -0.5, 0.4}, {-0.4, -0.5, 0.4}), {}, {}, {}, {}};
  const auto a = write(brief, 21);
  const Part& melody = *std::find_if(a.score.parts.begin(), a.score.parts.end(),
                                     [](const Part& p) { return p.role == Role::melody; });
  brief.locked_from = a.score;
  brief.locks = {{melody.name, BeatPos(0), a.score.end}};
  const auto b = write(brief, 22);
  const Part* kept = part_named(b.score, melody.name);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->notes, melody.notes);
  EXPECT_NE(b.score.chords, a.score.chords);
}

// [GIVEN] the bass line locked [WHEN] other seeds write the rest [THEN] the bass is the locked one
// and the upper voices are voiced around it without parallels.
TEST(Writer, LockedBassIsVoicedAround) {
  for (const auto& cue : quadrant_cues()) {
    CueBrief brief{cue, {}, {}, {}, {}};
    const auto a = write(brief, 31);
    const auto bass_part = std::find_if(a.score.parts.begin(), a.score.parts.end(),
                                        [](const Part& p) { return p.role == Role::bass; });
    ASSERT_NE(bass_part, a.score.parts.end());
    const Part* bass = &*bass_part;
    brief.locked_from = a.score;
    brief.locks = {{bass->name, BeatPos(0), a.score.end}};
    for (std::uint64_t seed = 32; seed < 36; ++seed) {
      const auto b = write(brief, seed);
      const Part* kept = part_named(b.score, bass->name);
      ASSERT_NE(kept, nullptr);
      EXPECT_EQ(kept->notes, bass->notes);
      EXPECT_EQ(count_parallels(b.score), 0) << "seed " << seed;
      for (const auto& p : voice_leading(b.score).parallels)
        ADD_FAILURE() << "seed " << seed << ": " << p.upper << " " << p.upper_from << "->"
                      << p.upper_to << " over " << p.lower << " " << p.lower_from << "->"
                      << p.lower_to << " at " << bar_beat(b.score.tempo_map, p.at);
      EXPECT_EQ(count_range_violations(b.score), 0) << "seed " << seed;
      // The new chords hold the locked bass (cadences, fixed by the plan, may not).
      int holding = 0, free_chords = 0;
      for (const auto& c : b.score.chords) {
        auto parsed = parse_score_chord(c.symbol);
        ASSERT_TRUE(parsed) << c.symbol;
        const auto* chord = &parsed->chord;
        const auto sounding = std::find_if(
            kept->notes.begin(), kept->notes.end(),
            [&](const ScoreNote& n) { return n.start <= c.at && c.at < n.start + n.length; });
        if (sounding == kept->notes.end()) continue;
        ++free_chords;
        if (chord->pitch_class_mask() & (1u << (sounding->pitch % 12))) ++holding;
      }
      EXPECT_GE(holding * 10, free_chords * 9) << holding << " of " << free_chords;
    }
  }
}

TEST(Writer, RefusesBadBriefs) {
  CueBrief brief{test_cue({0, 0, 0}, {0, 0, 0}), {}, {}, {}, {}};
  brief.cue.out = brief.cue.in;
  EXPECT_FALSE(write_cue(brief, 1));
  brief = {test_cue({0, 0, 0}, {0, 0, 0}), {}, {}, {}, {}};
  brief.locks = {{std::nullopt, BeatPos(0), BeatPos(100)}};
  EXPECT_FALSE(write_cue(brief, 1));  // no locked_from
  auto a = write_cue(CueBrief{test_cue({0, 0, 0}, {0, 0, 0}), {}, {}, {}, {}}, 1);
  ASSERT_TRUE(a);
  brief.locked_from = a->score;
  brief.locks = {{std::nullopt, BeatPos(100), BeatPos(100)}};
  EXPECT_FALSE(write_cue(brief, 1));  // empty
  brief.locks = {{std::string("Kazoo"), BeatPos(0), BeatPos(100)}};
  auto e = write_cue(brief, 1);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("Kazoo"), std::string::npos);
  brief = {test_cue({0, 0, 0}, {0, 0, 0}), {}, {}, {}, {}};
  brief.overrides.density = 99.0;
  EXPECT_FALSE(write_cue(brief, 1));
}

// [GIVEN] no tempo map [THEN] a tempo per section near the mapping's range, beat 0 at cue.in, and
// every hard hit on a beat; [GIVEN] the cue's own tempo map [THEN] it is kept.
TEST(Writer, TempoMapFromCueOrMapping) {
  CueBrief brief{test_cue({0.6, 0.6, 0.2}, {-0.6, -0.6, 0.2}), {}, {}, {}, {}};
  const auto w = write(brief, 1);
  EXPECT_EQ(w.score.tempo_map.origin(), brief.cue.in);
  EXPECT_GE(w.score.tempo_map.tempo_changes().size(), 2u);
  for (const auto& s : w.score.sections) {
    const auto range = controls_for({s.valence, s.arousal, s.tension}).tempo.value;
    EXPECT_GE(s.bpm, range.min_bpm * 0.84) << s.label;
    EXPECT_LE(s.bpm, range.max_bpm * 1.19) << s.label;
  }
  for (const auto& h : w.score.hits) {
    if (!h.hard) continue;
    EXPECT_EQ(h.at.ticks() % time::kTicksPerQuarter, 0) << h.label;
    EXPECT_EQ(w.score.tempo_map.beats_at(w.score.tempo_map.time_at(h.at)), h.at);
  }
  brief.cue.tempo_map = time::TempoMap::constant(
      time::Tempo::quarters_per_minute(time::Rational(97)), time::Meter{3, 4}, brief.cue.in);
  const auto v = write(brief, 1);
  EXPECT_EQ(v.score.tempo_map, *brief.cue.tempo_map);
  EXPECT_EQ(count_parallels(v.score), 0);
}

// A six-note theme in D major, in quarters: D F# A D C# A.
constexpr std::array<int, 6> kHeroPitches = {62, 66, 69, 74, 73, 69};
BriefTheme hero_theme() {
  BriefTheme hero;
  hero.name = "hero";
  hero.key = {music::NoteName{music::Letter::D, 0}, music::Mode::major};
  for (std::size_t i = 0; i < kHeroPitches.size(); ++i)
    hero.notes.push_back({BeatPos(static_cast<std::int64_t>(i) * time::kTicksPerQuarter),
                          BeatDur(time::kTicksPerQuarter), kHeroPitches[i], 90});
  return hero;
}

// [GIVEN] a cue tagged with a theme [THEN] the melody states a variant of it, recorded as a
// ThemeUse, in the section's key.
TEST(Writer, ThemesAreStated) {
  const BriefTheme hero = hero_theme();
  const auto& pitches = kHeroPitches;
  auto cue = test_cue({0.6, -0.2, 0.2}, {0.6, -0.2, 0.2});
  cue.themes = {"hero", "unknown"};
  CueBrief brief{cue, {hero}, {}, {}, {}};
  const auto w = write(brief, 2);
  ASSERT_FALSE(w.score.themes.empty());
  const auto& use = w.score.themes.front();
  EXPECT_EQ(use.theme, "hero");
  EXPECT_GT(use.recognisability, 0.9);  // a transposition of the whole theme
  EXPECT_GT(w.notes.melody_from_themes, 0);
  // The variant's intervals are the theme's (stated in the theme's own key, D major).
  const Part* melody = part_named(w.score, use.part);
  ASSERT_NE(melody, nullptr);
  std::vector<int> got;
  for (const auto& n : melody->notes)
    if (n.start >= use.at && n.start < use.at + use.length) got.push_back(n.pitch);
  ASSERT_GE(got.size(), 2u);
  for (std::size_t i = 1; i < got.size() && i < pitches.size(); ++i)
    EXPECT_EQ(got[i] - got[i - 1], pitches[i] - pitches[i - 1]) << i;
}

// The root's pitch class of a lead-sheet chord symbol (-1 when it does not parse).
int root_of(const std::string& symbol) {
  auto chord = parse_score_chord(symbol);
  return chord ? chord->chord.root.pitch_class() : -1;
}

// [GIVEN] cues without themes or a tonic override [THEN] each is in a string-friendly key chosen
// by its id: the same id always gets the same key, different ids different keys; a featured
// theme's tonic wins over the id, and the composer's tonic over both (with no modulation).
TEST(Writer, KeyOfTheCue) {
  const std::set<int> friendly = {2, 7, 0, 5, 10, 4, 9};  // D G C F Bb E A
  std::set<int> seen;
  for (int n = 1; n <= 12; ++n) {
    auto cue = test_cue({0.4, 0.2, 0.3}, {0.4, 0.2, 0.3});
    cue.id = spot::CueId{2, n, ""};
    CueBrief brief{cue, {}, {}, {}, {}};
    const auto a = write(brief, 1);
    const auto b = write(brief, 9);
    ASSERT_FALSE(a.score.sections.empty());
    const int tonic = a.score.sections.front().key.tonic.pitch_class();
    EXPECT_EQ(b.score.sections.front().key.tonic.pitch_class(), tonic) << n;
    EXPECT_EQ(friendly.count(tonic), 1u) << tonic;
    for (const auto& sec : a.score.sections)  // the tension never rises: one key
      EXPECT_EQ(sec.key.tonic.pitch_class(), tonic) << n << " " << sec.label;
    EXPECT_EQ(root_of(a.score.chords.front().symbol), tonic);
    seen.insert(tonic);
  }
  EXPECT_GE(seen.size(), 4u);

  BriefTheme theme;
  theme.name = "night";
  theme.key = {music::NoteName{music::Letter::E, -1}, music::Mode::major};  // Eb major
  for (int i = 0; i < 4; ++i)
    theme.notes.push_back(
        {BeatPos(i * time::kTicksPerQuarter), BeatDur(time::kTicksPerQuarter), 63 + 2 * i, 80});
  auto cue = test_cue({-0.5, -0.3, 0.3}, {-0.5, -0.3, 0.3});
  cue.themes = {"night"};
  CueBrief brief{cue, {theme}, {}, {}, {}};
  const auto w = write(brief, 4);
  for (const auto& sec : w.score.sections) {
    EXPECT_EQ(sec.key.tonic.pitch_class(), 3) << sec.label;
    EXPECT_EQ(sec.key.mode, w.score.sections.front().key.mode);  // the mode is the mapping's
  }
  // The composer's tonic wins, even where the tension rises.
  brief.cue = test_cue({0.5, -0.7, 0.1}, {-0.6, 0.8, 0.9});
  brief.overrides.tonic = 6;
  const auto o = write(brief, 4);
  for (const auto& sec : o.score.sections)
    EXPECT_EQ(sec.key.tonic.pitch_class(), 6) << sec.label;
}

// A cue whose tension rises from `before` to `after` at its first hard hit (31.3 s), flat
// elsewhere.
spot::Cue rising_cue(double before, double after) {
  auto cue = test_cue({0.3, 0.2, before}, {0.3, 0.2, after});
  const double in = 3600;
  cue.emotion.keys = {{seconds_at(in), {0.3, 0.2, before}},
                      {seconds_at(in + 31.2), {0.3, 0.2, before}},
                      {seconds_at(in + 31.4), {0.3, 0.2, after}},
                      {seconds_at(in + 120), {0.3, 0.2, after}}};
  return cue;
}

// [GIVEN] the tension rises at a hard hit [THEN] the section after the hit is in a new key (up a
// whole step for a rise of 0.35, to the chromatic mediant a major third up for 0.6), its first
// chord is the new tonic and the chord before it the new key's dominant; the rules still hold.
TEST(Writer, ModulatesWhereTheTensionRisesAtAHit) {
  for (const auto& [after, up] : {std::pair{0.55, 2}, std::pair{0.8, 4}}) {
    auto cue = rising_cue(0.2, after);
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      const auto w = write({cue, {}, {}, {}, {}}, seed);
      const auto& s = w.score;
      ASSERT_EQ(s.sections.size(), 3u);
      const int home = s.sections[0].key.tonic.pitch_class();
      const int next = (home + up) % 12;
      EXPECT_EQ(s.sections[1].key.tonic.pitch_class(), next) << after;
      EXPECT_EQ(s.sections[2].key.tonic.pitch_class(), next) << after;  // no further rise
      EXPECT_EQ(s.sections[1].at, s.tempo_map.beats_at(cue.hits[0].at));
      auto c = std::find_if(s.chords.begin(), s.chords.end(),
                            [&](const ScoreChord& x) { return x.at == s.sections[1].at; });
      ASSERT_NE(c, s.chords.end());
      ASSERT_NE(c, s.chords.begin());
      EXPECT_EQ(root_of(c->symbol), next) << c->symbol;
      EXPECT_EQ(c->role, "cadence");
      EXPECT_EQ(root_of((c - 1)->symbol), (next + 7) % 12) << (c - 1)->symbol;
      EXPECT_EQ((c - 1)->role, "dominant");
      EXPECT_EQ(count_parallels(s), 0) << "seed " << seed;
      EXPECT_EQ(count_range_violations(s), 0) << "seed " << seed;
      EXPECT_EQ(w.notes.voicing_fallbacks, 0) << "seed " << seed;
    }
  }
}

// [GIVEN] a theme in sections of different feeling [THEN] the variant is the one the feeling
// asks for (a head motif in a rising sequence when tense and active, an inversion when tense and
// still, augmentation when calm), always in the section's key, recorded as steps that replay
// (music::apply_steps on the registered theme) to exactly the notes the melody plays, with the
// recognisability music::recognisability gives.
TEST(Writer, ThemeVariantsFollowTheFeelingAndReplay) {
  const BriefTheme hero = hero_theme();
  music::Melody registered;
  for (const auto& n : hero.notes)
    registered.notes.push_back({n.start, n.length, n.pitch});
  registered.length = BeatDur(6 * time::kTicksPerQuarter);
  struct Case {
    spot::Emotion feeling;
    std::string step;
    std::size_t uses;  // in the first section
  };
  for (const auto& k : {Case{{0.2, 0.7, 0.8}, "fragment 3", 3}, Case{{-0.5, 0.1, 0.7}, "invert", 1},
                        Case{{0.4, -0.6, 0.1}, "augment 2", 1}}) {
    auto cue = test_cue(k.feeling, k.feeling);
    cue.dialogue.clear();
    cue.themes = {"hero"};
    const auto w = write({cue, {hero}, {}, {}, {}}, 5);
    const auto& s = w.score;
    ASSERT_GE(s.sections.size(), 2u);
    std::size_t first_section = 0;
    for (const auto& use : s.themes) {
      SCOPED_TRACE(use.derivation);
      if (use.at < s.sections[1].at) ++first_section;
      EXPECT_NE(use.derivation.find(k.step), std::string::npos);
      auto steps = music::parse_steps(use.derivation);
      ASSERT_TRUE(steps) << steps.error().message;
      ASSERT_EQ(steps->front().kind, music::StepKind::key);
      auto v = music::apply_steps(registered, hero.key, *steps);
      ASSERT_TRUE(v) << v.error().message;
      const auto& sec = *std::find_if(s.sections.rbegin(), s.sections.rend(),
                                      [&](const Section& x) { return x.at <= use.at; });
      EXPECT_EQ(v->key.tonic.pitch_class(), sec.key.tonic.pitch_class());
      EXPECT_EQ(v->key.mode, sec.key.mode);
      const Part* melody = part_named(s, use.part);
      ASSERT_NE(melody, nullptr);
      std::vector<music::MelodyNote> played;
      for (const auto& n : melody->notes)
        if (n.start >= use.at && n.start < use.at + use.length)
          played.push_back({BeatPos((n.start - use.at).ticks()), n.length, n.pitch});
      EXPECT_EQ(played, v->melody.notes);
      EXPECT_DOUBLE_EQ(use.recognisability, music::recognisability(registered, v->melody));
      EXPECT_GT(use.recognisability, 0.3);
    }
    EXPECT_EQ(first_section, k.uses);
  }
}

// [GIVEN] a chord model that knows only I vi IV V [THEN] the free chords come from it.
TEST(Writer, ChordModelDrivesTheHarmony) {
  model::ChordModel chords;
  const std::vector<int> song = {0, 46, 25, 35, 0, 46, 25, 35, 0, 46, 25, 35, 0};  // I vi IV V
  for (int i = 0; i < 20; ++i)
    chords.train(song, false);
  CueBrief brief{test_cue({0.6, 0.1, 0.1}, {0.6, 0.1, 0.1}), {}, {}, {}, {}};
  brief.overrides.tonic = 0;  // C major, so that the song's symbols read as written below
  WriterModels models;
  models.chords = &chords;
  const auto w = write(brief, 4, models);
  EXPECT_GT(w.notes.chords_from_model, 5);
  EXPECT_EQ(w.notes.chords_from_table, 0);
  int in_song = 0, free_chords = 0;
  for (const auto& c : w.score.chords) {
    if (c.role == "cadence" || c.role == "dominant" || c.at == BeatPos(0)) continue;
    ++free_chords;
    if (c.symbol == "C" || c.symbol == "Am" || c.symbol == "F" || c.symbol == "G") ++in_song;
  }
  EXPECT_GE(in_song * 10, free_chords * 8) << in_song << " of " << free_chords;
  EXPECT_EQ(count_parallels(w.score), 0);
  // Writing other cues with the same model first does not change what a seed writes.
  for (std::uint64_t seed = 10; seed < 14; ++seed)
    write(CueBrief{test_cue({-0.6, 0.7, 0.9}, {0.6, -0.3, 0.1}), {}, {}, {}, {}}, seed, models);
  EXPECT_EQ(write(brief, 4, models).score, w.score);
}

// [GIVEN] the shipped melody model [THEN] the melody is sampled from it.
TEST(Writer, MelodyModelDrivesTheMelody) {
  const auto path = std::filesystem::path(DUET_SOURCE_DIR) / "models" / "default.duetmodel";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto m = model::load_model(path);
  ASSERT_TRUE(m) << m.error().message;
  CueBrief brief{test_cue({0.3, 0.3, 0.3}, {0.3, 0.3, 0.3}), {}, {}, {}, {}};
  WriterModels models;
  models.melody = &*m;
  const auto w = write(brief, 4, models);
  // The weak-beat notes are weighed by the model; strong beats take chord tones by rule.
  EXPECT_GT(w.notes.melody_from_model, 20);
  EXPECT_GT(w.notes.melody_from_model * 4, w.notes.melody_from_rules);
  EXPECT_EQ(count_range_violations(w.score), 0);
  EXPECT_EQ(w.score, write(brief, 4, models).score);
}

// [GIVEN] random cues (lengths from 3 s to 4 min, hits anywhere, some a few milliseconds apart,
// dialogue windows, random feelings, with and without a tempo map) [THEN] every write succeeds
// and keeps the rules: no parallels, no range violations, notes inside the cue, a cadence chord
// on every hard hit's beat.
TEST(Writer, RandomCuesKeepTheRules) {
  Rng rng(2024);
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * rng.uniform(); };
  for (int trial = 0; trial < 40; ++trial) {
    spot::Cue cue;
    const double in = uniform(0, 5000), length = uniform(3, 240);
    cue.in = seconds_at(in);
    cue.out = seconds_at(in + length);
    const int hits = static_cast<int>(rng.next() % 7);
    double t = in;
    for (int h = 0; h < hits; ++h) {
      t += rng.chance(0.2) ? uniform(0.001, 0.3) : uniform(0, length / 3);
      if (t >= in + length) break;
      cue.hits.push_back({seconds_at(t), "h" + std::to_string(h),
                          rng.chance(0.7) ? spot::HitKind::hard : spot::HitKind::soft});
    }
    for (int d = 0; d < 2; ++d) {
      const double a = uniform(in, in + length), b = a + uniform(1, 15);
      cue.dialogue.push_back({seconds_at(a), seconds_at(b), ""});
    }
    for (int k = 0; k < 4; ++k)
      cue.emotion.keys.push_back(
          {seconds_at(in + length * k / 3.0), {uniform(-1, 1), uniform(-1, 1), uniform(0, 1)}});
    if (rng.chance(0.3))
      cue.tempo_map = time::TempoMap::constant(
          time::Tempo::quarters_per_minute(time::Rational(60 + static_cast<int>(rng.next() % 100))),
          time::Meter{rng.chance(0.5) ? 3 : 4, 4}, cue.in);
    CueBrief brief{cue, {}, {}, {}, {}};
    auto w = write_cue(brief, rng.next());
    ASSERT_TRUE(w) << "trial " << trial << ": " << w.error().message;
    const auto& s = w->score;
    EXPECT_EQ(count_parallels(s), 0) << "trial " << trial;
    EXPECT_EQ(count_range_violations(s), 0) << "trial " << trial;
    // Swings of two chords are broken as they are heard (over a pedal, with the pedal under
    // them); recognised per beat, one more chord may join a swing.
    const auto swing = longest_two_chord_alternation(recognised_chords(s));
    EXPECT_LE(swing.length, 5) << "trial " << trial << ": " << swing.length;
    for (const auto& c : s.chords)
      EXPECT_TRUE(parse_score_chord(c.symbol)) << c.symbol;
    for (const auto& p : s.parts)
      for (const auto& n : p.notes) {
        EXPECT_GE(n.start, BeatPos(0));
        EXPECT_LE(n.start + n.length, s.end) << "trial " << trial << " " << p.name;
      }
    for (const auto& h : s.hits) {
      if (!h.hard) continue;
      EXPECT_TRUE(std::any_of(s.chords.begin(), s.chords.end(),
                              [&](const ScoreChord& c) {
                                return c.at == h.at &&
                                       (c.role.find("cadence") != std::string::npos ||
                                        c.role.find("deceptive") != std::string::npos);
                              }))
          << "trial " << trial << " hit " << h.label << " at " << h.at.ticks() << ": " << [&] {
               std::string roles;
               for (const auto& c : s.chords)
                 if (c.at <= h.at && h.at < c.at + c.length)
                   roles += c.role + " from " + std::to_string(c.at.ticks());
               return roles;
             }();
    }
  }
}

TEST(Checks, CountParallels) {
  // C-G to D-A: parallel fifths between bass and upper voice; contrary octaves do not count.
  Score s;
  Part bass{"b", "cello", 42, 0, Role::bass, {}};
  Part up{"u", "violin", 40, 1, Role::harmony, {}};
  const BeatDur q(time::kTicksPerQuarter);
  bass.notes = {
      {BeatPos(0), q, 48, 80}, {BeatPos(0) + q, q, 50, 80}, {BeatPos(0) + 2 * q, q, 43, 80}};
  up.notes = {
      {BeatPos(0), q, 55, 80}, {BeatPos(0) + q, q, 57, 80}, {BeatPos(0) + 2 * q, q, 67, 80}};
  s.parts = {bass, up};
  EXPECT_EQ(count_parallels(s), 1);
  s.parts[1].role = Role::melody;  // the melody is a real voice too
  EXPECT_EQ(count_parallels(s), 1);
  s.parts[1].role = Role::pad;  // a pad doubles; it is not a voice of its own
  EXPECT_EQ(count_parallels(s), 0);
  EXPECT_TRUE(parallel_perfect(67, 60, 69, 62));
  EXPECT_TRUE(parallel_perfect(72, 60, 74, 62));
  EXPECT_FALSE(parallel_perfect(72, 60, 67, 55 + 12));
  EXPECT_FALSE(parallel_perfect(67, 60, 67, 60));
  EXPECT_FALSE(parallel_perfect(76, 60, 77, 62));
}

TEST(Checks, CountRangeViolations) {
  Score s;
  const BeatDur q(time::kTicksPerQuarter);
  s.parts = {
      Part{
          "v",
          "violin",
          40,
          0,
          Role::melody,
          {{BeatPos(0), q, 54, 80}, {BeatPos(0) + q, q, 60, 80}, {BeatPos(0) + 2 * q, q, 100, 80}}},
      Part{"x", "", 0, 1, Role::harmony, {{BeatPos(0), q, 10, 80}}}};
  EXPECT_EQ(count_range_violations(s), 1);  // 54 is below the violin's G3; 100 is playable
  EXPECT_EQ(count_uncomfortable(s), 2);     // 100 is above its comfortable range
}

TEST(Voicing, AvoidsParallelsAndCrossing) {
  VoicingRequest r;
  r.ranges = {{{36, 55}, {48, 67}, {55, 72}, {60, 79}}};
  r.pitch_classes = {0, 4, 7};
  r.bass_classes = {0};
  auto c = choose_voicing(r);
  ASSERT_TRUE(c && c->keeps_rules);
  // Then D minor from C major: roots a step apart invite parallels; none are taken.
  r.previous = c->voicing;
  r.pitch_classes = {2, 5, 9};
  r.bass_classes = {2};
  auto d = choose_voicing(r);
  ASSERT_TRUE(d && d->keeps_rules);
  EXPECT_EQ(parallels_between(c->voicing, d->voicing), 0);
  for (std::size_t i = 0; i + 1 < 4; ++i)
    EXPECT_LT(d->voicing[i], d->voicing[i + 1]);
  EXPECT_EQ(d->voicing[0] % 12, 2);
}

// [GIVEN] a soprano that could leap down a third into an octave with a falling bass (hidden
// octaves), or rise a fourth [THEN] it rises, though that moves one semitone more.
TEST(Voicing, AvoidsHiddenOctavesInTheOuterVoices) {
  VoicingRequest r;
  r.ranges = {{{36, 55}, {48, 67}, {55, 72}, {60, 79}}};
  r.previous = Voicing{48, 55, 64, 70};
  r.pitch_classes = {7, 2};  // an open fifth on G
  r.bass_classes = {7};
  r.fixed = {43, 59, 62, std::nullopt};
  auto c = choose_voicing(r);
  ASSERT_TRUE(c && c->keeps_rules);
  EXPECT_EQ(c->voicing[3], 74);
}

}  // namespace
}  // namespace duet::compose
