#include "compose/sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "midi/smf.h"

namespace duet::compose {
namespace {

std::vector<std::uint8_t> bytes_of(const Sketch& sketch) {
  auto bytes = midi::write_smf(sketch.file);
  EXPECT_TRUE(bytes) << bytes.error().message;
  return bytes ? *bytes : std::vector<std::uint8_t>{};
}

// [GIVEN] controls and a seed [WHEN] sketched twice [THEN] the same bytes; another seed differs.
TEST(Sketch, DeterministicForASeed) {
  const MusicalControls c = controls_for({0.4, 0.2, 0.3});
  SketchOptions o;
  o.seed = 42;
  auto a = make_sketch(c, o);
  auto b = make_sketch(c, o);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(bytes_of(*a), bytes_of(*b));
  o.seed = 43;
  auto other = make_sketch(c, o);
  ASSERT_TRUE(other);
  EXPECT_NE(bytes_of(*a), bytes_of(*other));
}

TEST(Sketch, WritesAndReadsBack) {
  auto s = make_sketch(controls_for({-0.5, 0.7, 0.8}));
  ASSERT_TRUE(s);
  const auto bytes = bytes_of(*s);
  auto read = midi::read_smf(bytes);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->warnings.empty());
  EXPECT_EQ(read->file, s->file);
}

struct Checked {
  int melody_notes = 0;
};

// Checks that a sketch obeys its controls: file shape, tempo inside the range, melody inside the
// register, velocities inside the range, the palette's programs, the density roughly.
void expect_obeys(const MusicalControls& c, const Sketch& s, const SketchOptions& o) {
  const midi::MidiFile& f = s.file;
  ASSERT_EQ(f.format, 1);
  ASSERT_EQ(f.tracks.size(), 4u);
  const std::int64_t ppq = o.ticks_per_quarter;
  const std::int64_t end = o.bars * 4 * ppq;
  const TempoRange tempo = c.tempo.value;
  int tempo_events = 0;
  for (const midi::Event& e : f.tracks[0].events) {
    if (const auto* t = std::get_if<midi::SetTempo>(&e.message)) {
      const double bpm = 60'000'000.0 / t->microseconds_per_quarter;
      EXPECT_GE(bpm, tempo.min_bpm - 0.01);
      EXPECT_LE(bpm, tempo.max_bpm + 0.01);
      ++tempo_events;
    }
  }
  EXPECT_EQ(tempo_events, o.bars);
  EXPECT_GE(s.start_bpm, tempo.min_bpm - 1e-9);
  EXPECT_LE(s.end_bpm, tempo.max_bpm + 1e-9);

  const Palette palette = c.palette.value;
  const std::array<int, 3> programs = {palette.melody, palette.accompaniment, palette.bass};
  const Dynamics dyn = c.dynamics.value;
  const Register reg = c.register_span.value;
  for (std::size_t part = 0; part < 3; ++part) {
    const midi::Track& track = f.tracks[part + 1];
    EXPECT_EQ(track.end_tick, end);
    int program_changes = 0;
    for (const midi::Event& e : track.events) {
      if (const auto* p = std::get_if<midi::ProgramChange>(&e.message)) {
        EXPECT_EQ(p->program, programs[part]);
        EXPECT_EQ(p->channel, part);
        ++program_changes;
      }
    }
    EXPECT_EQ(program_changes, 1);
    const auto notes = midi::pair_notes(track);
    ASSERT_FALSE(notes.empty()) << "part " << part;
    for (const midi::Note& n : notes) {
      EXPECT_EQ(n.channel, part);
      EXPECT_GE(n.velocity, dyn.min_velocity);
      EXPECT_LE(n.velocity, dyn.max_velocity);
      EXPECT_GE(n.start, 0);
      EXPECT_LE(n.start + n.duration, end);
      EXPECT_GT(n.duration, 0);
      if (part == 0) {
        EXPECT_GE(n.key, reg.low());
        EXPECT_LE(n.key, reg.high());
      } else {
        // The accompaniment and bass stay at or below the centre of the melody's register.
        EXPECT_LE(n.key, reg.centre);
      }
    }
    if (part == 0) {
      // The melody's onsets per beat within a factor of two of the density.
      const double per_beat = static_cast<double>(notes.size()) / (o.bars * 4);
      EXPECT_GE(per_beat, c.density.value / 2) << "density " << c.density.value;
      EXPECT_LE(per_beat, c.density.value * 2) << "density " << c.density.value;
    }
  }
}

TEST(Sketch, ObeysTheControlsAcrossTheMap) {
  for (double v : {-0.9, -0.4, 0.0, 0.4, 0.9}) {
    for (double a : {-0.9, -0.4, 0.0, 0.4, 0.9}) {
      for (double t : {0.0, 0.5, 1.0}) {
        const MusicalControls c = controls_for({v, a, t}, {0, a / 3, t / 3});
        for (std::uint64_t seed : {1u, 2u, 3u}) {
          SketchOptions o;
          o.seed = seed;
          auto s = make_sketch(c, o);
          ASSERT_TRUE(s) << s.error().message;
          SCOPED_TRACE(testing::Message()
                       << "v " << v << " a " << a << " t " << t << " seed " << seed);
          expect_obeys(c, *s, o);
        }
      }
    }
  }
}

TEST(Sketch, ObeysTheComposersOverrides) {
  const MusicalControls base = controls_for({0.6, 0.6, 0.1});
  ControlOverrides o;
  for (const char* text : {"tempo=60", "mode=dorian", "tonic=D", "palette=0,1,2", "register=60:10",
                           "velocity=30-40", "density=0.5", "harmonic_rhythm=1"}) {
    ASSERT_TRUE(parse_override(text, base, o)) << text;
  }
  auto c = apply_overrides(base, o);
  ASSERT_TRUE(c);
  SketchOptions so;
  so.bars = 4;
  so.ticks_per_quarter = 960;
  auto s = make_sketch(*c, so);
  ASSERT_TRUE(s);
  expect_obeys(*c, *s, so);
  // 60 BPM is a million microseconds per quarter; D dorian is written with D minor's signature.
  bool saw_tempo = false, saw_key = false;
  for (const midi::Event& e : s->file.tracks[0].events) {
    if (const auto* t = std::get_if<midi::SetTempo>(&e.message)) {
      EXPECT_EQ(t->microseconds_per_quarter, 1'000'000u);
      saw_tempo = true;
    }
    if (const auto* k = std::get_if<midi::KeySignature>(&e.message)) {
      EXPECT_EQ(k->sharps, -1);
      EXPECT_TRUE(k->minor);
      saw_key = true;
    }
  }
  EXPECT_TRUE(saw_tempo && saw_key);
  // One chord a bar, D minor first and last.
  ASSERT_EQ(s->chords.size(), 4u);
  EXPECT_EQ(s->chords.front().symbol.substr(s->chords.front().symbol.rfind('-') + 1).substr(0, 2),
            "Dm");
  EXPECT_EQ(s->chords.back().symbol.substr(0, 2), "Dm");
}

TEST(Sketch, KeySignaturesKeepTheTonic) {
  const MusicalControls base = controls_for({0.5, 0.0, 0.0});
  struct Case {
    const char* tonic;
    const char* mode;
    int sharps;
    bool minor;
  };
  for (const Case& k :
       {Case{"C", "major", 0, false}, Case{"A", "minor", 0, true}, Case{"Db", "major", -5, false},
        Case{"C#", "minor", 4, true}, Case{"G#", "minor", 5, true}, Case{"F#", "lydian", -6, false},
        Case{"E", "phrygian", 1, true}, Case{"Bb", "mixolydian", -2, false}}) {
    ControlOverrides o;
    ASSERT_TRUE(parse_override(std::string("tonic=") + k.tonic, base, o));
    ASSERT_TRUE(parse_override(std::string("mode=") + k.mode, base, o));
    auto c = apply_overrides(base, o);
    ASSERT_TRUE(c);
    auto s = make_sketch(*c);
    ASSERT_TRUE(s);
    bool seen = false;
    for (const midi::Event& e : s->file.tracks[0].events) {
      if (const auto* sig = std::get_if<midi::KeySignature>(&e.message)) {
        EXPECT_EQ(sig->sharps, k.sharps) << k.tonic << " " << k.mode;
        EXPECT_EQ(sig->minor, k.minor) << k.tonic << " " << k.mode;
        seen = true;
      }
    }
    EXPECT_TRUE(seen);
  }
}

TEST(Sketch, DiatonicVocabularyGivesDiatonicChordsInTheMode) {
  const MusicalControls base = controls_for({0.5, 0.0, 0.0});
  ControlOverrides o;
  o.vocabulary = HarmonicVocabulary{0, 0, 0, 0};
  o.harmonic_rhythm = 2;
  o.mode = music::Mode::major;
  o.tonic = 0;
  auto c = apply_overrides(base, o);
  ASSERT_TRUE(c);
  const std::set<std::string> c_major = {"C", "Dm", "Em", "F", "G", "Am", "Bdim"};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    SketchOptions so;
    so.seed = seed;
    auto s = make_sketch(*c, so);
    ASSERT_TRUE(s);
    ASSERT_EQ(s->chords.size(), 16u);  // 8 bars, 2 a bar
    EXPECT_EQ(s->chords.front().symbol, "C");
    EXPECT_EQ(s->chords.back().symbol, "C");
    EXPECT_EQ(s->chords[14].symbol, "G");  // the cadence
    for (const SketchChord& chord : s->chords) {
      EXPECT_EQ(chord.role, "diatonic");
      EXPECT_TRUE(c_major.count(chord.symbol)) << chord.symbol;
      EXPECT_EQ(chord.beats, 2);
    }
  }
}

TEST(Sketch, VocabularyWeightsShowInTheChords) {
  const MusicalControls base = controls_for({0.5, 0.0, 0.0});
  ControlOverrides o;
  o.vocabulary =
      HarmonicVocabulary{0, 0, 1, 1};  // every chord a cluster, suspensions where possible
  o.harmonic_rhythm = 1;
  auto c = apply_overrides(base, o);
  ASSERT_TRUE(c);
  auto s = make_sketch(*c);
  ASSERT_TRUE(s);
  for (std::size_t i = 0; i < s->chords.size(); ++i) {
    EXPECT_TRUE(s->chords[i].cluster);
    EXPECT_NE(s->chords[i].symbol.find("(add2)"), std::string::npos);
  }
  // Chromatic mediants everywhere they may go (not the first chord or the cadence).
  o.vocabulary = HarmonicVocabulary{0, 1, 0, 0};
  c = apply_overrides(base, o);
  ASSERT_TRUE(c);
  s = make_sketch(*c);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->chords.size(), 8u);
  for (std::size_t i = 1; i + 2 < s->chords.size(); ++i) {
    EXPECT_EQ(s->chords[i].role, "chromatic mediant") << i;
  }
  EXPECT_EQ(s->chords.front().role, "diatonic");
  EXPECT_EQ(s->chords.back().role, "diatonic");
}

TEST(Sketch, LegatoAndActivityShapeTheAccompaniment) {
  const MusicalControls base = controls_for({0.2, 0.0, 0.0});
  const auto accompaniment_onsets = [&](double activity, double legato, double* ratio) {
    ControlOverrides o;
    o.activity = activity;
    o.legato = legato;
    auto c = apply_overrides(base, o);
    auto s = make_sketch(*c);
    const auto notes = midi::pair_notes(s->file.tracks[2]);
    std::set<std::int64_t> onsets;
    double sounding = 0;
    for (const auto& n : notes) {
      onsets.insert(n.start);
      sounding += static_cast<double>(n.duration);
    }
    *ratio = sounding / static_cast<double>(notes.size());
    return onsets.size();
  };
  double held_length = 0, busy_length = 0, short_length = 0;
  const std::size_t held = accompaniment_onsets(0.1, 1.0, &held_length);
  const std::size_t busy = accompaniment_onsets(0.95, 1.0, &busy_length);
  accompaniment_onsets(0.95, 0.3, &short_length);
  EXPECT_GT(busy, 4 * held);
  EXPECT_NEAR(short_length / busy_length, 0.3, 0.05);
}

TEST(Sketch, TrendShowsAsCrescendoAndAccelerando) {
  // [GIVEN] arousal rising over the passage [THEN] the tempo events climb across the range and the
  // last bar is louder than the first; falling arousal does the reverse.
  for (double trend : {0.8, -0.8}) {
    const MusicalControls c = controls_for({0.2, 0.0, 0.2}, {0, trend, 0});
    auto s = make_sketch(c);
    ASSERT_TRUE(s);
    std::vector<std::uint32_t> tempos;
    for (const midi::Event& e : s->file.tracks[0].events) {
      if (const auto* t = std::get_if<midi::SetTempo>(&e.message)) {
        tempos.push_back(t->microseconds_per_quarter);
      }
    }
    ASSERT_EQ(tempos.size(), 8u);
    for (std::size_t i = 1; i < tempos.size(); ++i) {
      // Microseconds per quarter fall as the tempo rises.
      if (trend > 0) {
        EXPECT_LT(tempos[i], tempos[i - 1]);
      } else {
        EXPECT_GT(tempos[i], tempos[i - 1]);
      }
    }
    EXPECT_NEAR(trend > 0 ? s->end_bpm : s->start_bpm, c.tempo.value.max_bpm, 1e-9);
    const std::int64_t bar = 4 * 480;
    double first = 0, last = 0;
    int n_first = 0, n_last = 0;
    for (std::size_t t = 1; t < 4; ++t) {
      for (const midi::Note& n : midi::pair_notes(s->file.tracks[t])) {
        if (n.start < bar) first += n.velocity, ++n_first;
        if (n.start >= 7 * bar) last += n.velocity, ++n_last;
      }
    }
    ASSERT_GT(n_first, 0);
    ASSERT_GT(n_last, 0);
    if (trend > 0) {
      EXPECT_GT(last / n_last, first / n_first + 10);
    } else {
      EXPECT_LT(last / n_last, first / n_first - 10);
    }
  }
}

TEST(Sketch, HarmonicRhythmSetsTheChordLength) {
  const MusicalControls base = controls_for({0.3, 0.3, 0.3});
  for (const auto& [rhythm, beats] : std::vector<std::pair<double, double>>{
           {0.25, 16}, {0.5, 8}, {0.7, 8}, {0.75, 4}, {1, 4}, {1.5, 2}, {2, 2}, {4, 1}}) {
    ControlOverrides o;
    o.harmonic_rhythm = rhythm;
    auto c = apply_overrides(base, o);
    ASSERT_TRUE(c);
    auto s = make_sketch(*c);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->chords.size(), static_cast<std::size_t>(32 / beats)) << rhythm;
    for (const auto& chord : s->chords)
      EXPECT_EQ(chord.beats, beats) << rhythm;
  }
}

// [GIVEN] quick harmonic rhythm (4 chords a bar) over many seeds [THEN] no two chords swing
// back and forth more than four times (A B A B A), the cadence included: the functional table
// alone wrote "G C G C G C".
TEST(Sketch, NoSwingOfTwoChordsPastFour) {
  ControlOverrides o;
  o.harmonic_rhythm = 4;
  auto c = apply_overrides(controls_for({0.7, 0.6, 0.0}), o);
  ASSERT_TRUE(c);
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    SketchOptions so;
    so.seed = seed;
    auto s = make_sketch(*c, so);
    ASSERT_TRUE(s);
    const auto& ch = s->chords;
    for (std::size_t i = 4; i < ch.size(); ++i)
      EXPECT_FALSE(ch[i].symbol == ch[i - 2].symbol && ch[i - 2].symbol == ch[i - 4].symbol &&
                   ch[i - 1].symbol == ch[i - 3].symbol && ch[i - 1].symbol != ch[i].symbol)
          << "seed " << seed << " chord " << i << ": " << ch[i].symbol << " " << ch[i - 1].symbol;
  }
}

TEST(Sketch, RejectsBadOptionsAndControls) {
  const MusicalControls c = controls_for({0, 0, 0});
  SketchOptions o;
  o.bars = 0;
  EXPECT_FALSE(make_sketch(c, o));
  o.bars = 65;
  EXPECT_FALSE(make_sketch(c, o));
  o = {};
  o.ticks_per_quarter = 100;
  EXPECT_FALSE(make_sketch(c, o));
  MusicalControls bad = c;
  bad.tempo.value.min_bpm = 500;
  EXPECT_FALSE(make_sketch(bad));
}

TEST(Sketch, OneBarAndLongPieces) {
  const MusicalControls c = controls_for({-0.2, 0.9, 0.9});
  for (int bars : {1, 2, 3, 16, 64}) {
    SketchOptions o;
    o.bars = bars;
    auto s = make_sketch(c, o);
    ASSERT_TRUE(s) << bars;
    expect_obeys(c, *s, o);
    EXPECT_EQ(s->chords.front().beat, 0);
    double covered = 0;
    for (const auto& chord : s->chords)
      covered += chord.beats;
    EXPECT_EQ(covered, bars * 4);
  }
}

}  // namespace
}  // namespace duet::compose
