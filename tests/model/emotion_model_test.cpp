// The emotion model: applying it, the reasons it gives, training (signs, determinism for a seed),
// the model file (round trip, errors with their JSON path) and the shipped default.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "emotion_test_util.h"
#include "midi/timing.h"
#include "model/emotion_model.h"
#include "model/emotion_plot.h"

namespace duet::model {
namespace {

using test_support::kDensity;
using test_support::kMode;
using test_support::kRegister;

// Quadrants drawn from mode (valence) and density (arousal) with noise; register is noise.
void synthetic(std::vector<EmotionFeatures>& x, std::vector<int>& y, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int i = 0; i < n; ++i) {
    EmotionFeatures f{};
    const bool hv = i % 2 == 0, ha = (i / 2) % 2 == 0;
    f[kMode] = (hv ? 0.2 : -0.2) + 0.1 * noise(rng);
    f[kDensity] = (ha ? 3.0 : 1.5) + 0.5 * noise(rng);
    f[kRegister] = noise(rng);
    x.push_back(f);
    y.push_back(static_cast<int>(quadrant_of(hv, ha)));
  }
}

EmotionModel mode_model() {
  EmotionModel m;
  m.used[kMode] = m.used[kRegister] = true;
  m.scale.fill(1.0);
  m.scale[kMode] = 0.2;
  m.valence.weights[kMode] = 2.0;
  m.valence.weights[kRegister] = 0.3;
  m.arousal.bias = -1.0;
  return m;
}

TEST(EmotionModel, ReasonsNameTheTopFeature) {
  EmotionFeatures minor_low{};
  minor_low[kMode] = -0.3;
  minor_low[kRegister] = -1.0;
  const auto m = mode_model();
  const auto p = apply_model(m, minor_low);
  EXPECT_LT(p.valence, 0);
  EXPECT_LT(p.arousal, 0);
  EXPECT_EQ(p.quadrant, Quadrant::q3);
  const auto reasons = valence_reasons(m, minor_low);
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].feature, EmotionFeature::mode);
  EXPECT_NEAR(reasons[0].contribution, 2.0 * -0.3 / 0.2, 1e-12);
  EXPECT_EQ(describe(reasons[0], "valence"), "minor -> lower valence");
  EXPECT_EQ(describe(reasons[1], "valence"), "low register -> lower valence");
  EXPECT_TRUE(arousal_reasons(m, minor_low).empty());  // arousal has only a bias
  // valence = 2 sigmoid(score) - 1 and the probabilities sum to 1.
  EXPECT_NEAR(p.valence, 2.0 / (1.0 + std::exp(3.0 + 0.3)) - 1.0, 1e-12);
  double sum = 0;
  for (double q : p.probability)
    sum += q;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(EmotionModel, FarOutFeaturesAreClamped) {
  const auto m = mode_model();
  EmotionFeatures f{};
  f[kMode] = 5.0;  // 25 scales out
  EXPECT_DOUBLE_EQ(valence_reasons(m, f).front().standardised, 3.0);
  EXPECT_DOUBLE_EQ(valence_reasons(m, f).front().contribution, 6.0);
}

TEST(EmotionModel, EvenVelocitiesMakeLoudnessUnknown) {
  EmotionModel m;
  constexpr auto kLoud = static_cast<std::size_t>(EmotionFeature::loudness);
  constexpr auto kDyn = static_cast<std::size_t>(EmotionFeature::dynamics);
  m.used[kLoud] = m.used[kDyn] = true;
  m.centre[kLoud] = 0.5;
  m.scale.fill(0.1);
  m.arousal.weights[kLoud] = 1.0;
  EmotionFeatures f{};
  f[kLoud] = 0.9;
  f[kDyn] = 0.1;  // played: loud counts
  EXPECT_GT(apply_model(m, f).arousal, 0.9);
  f[kDyn] = 0.0;  // every velocity the same: loudness unknown
  EXPECT_EQ(apply_model(m, f).arousal, 0.0);
  EXPECT_EQ(arousal_reasons(m, f).front().contribution, 0.0);
}

// Valence and arousal are sums of four softmax probabilities; rounding must not carry them past
// +-1 (a sum of 0.98... and 0.01... can round to 1 + 2^-52). Found by model_emotion_file_fuzz.
TEST(EmotionModel, SoftmaxValenceAndArousalStayInRange) {
  EmotionModel m;
  m.kind = EmotionModel::Kind::softmax;
  m.quadrants[1].bias = m.quadrants[2].bias = -1e6;  // only Q1 and Q4 are left
  int over = 0;
  for (int k = 0; k <= 2000; ++k) {
    m.quadrants[3].bias = -10.0 + 0.01 * k;
    const auto p = apply_model(m, EmotionFeatures{});
    over += std::fabs(p.valence) > 1.0 || std::fabs(p.arousal) > 1.0;
    EXPECT_NEAR(p.valence, 1.0, 1e-12);  // Q2 and Q3 have no share: valence is certain
  }
  EXPECT_EQ(over, 0);
}

TEST(EmotionModel, TrainingLearnsTheSignsAndIsDeterministic) {
  std::vector<EmotionFeatures> x;
  std::vector<int> y;
  synthetic(x, y, 400, 3);
  for (auto kind : {EmotionModel::Kind::heads, EmotionModel::Kind::softmax}) {
    EmotionTrainOptions o;
    o.kind = kind;
    o.seed = 7;
    const auto a = train_emotion_model(x, y, o);
    const auto b = train_emotion_model(x, y, o);
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(*a, *b);  // same seed, same model, bit for bit
    int correct = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      correct += static_cast<int>(apply_model(*a, x[i]).quadrant) == y[i];
    EXPECT_GT(correct, 340);
    EXPECT_EQ(valence_reasons(*a, x[0]).front().feature, EmotionFeature::mode);
    EXPECT_EQ(arousal_reasons(*a, x[0]).front().feature, EmotionFeature::density);
    // Another seed starts elsewhere and ends at (nearly) the same optimum.
    o.seed = 8;
    const auto c = train_emotion_model(x, y, o);
    EXPECT_NE(*a, *c);
    EXPECT_NEAR(apply_model(*a, x[5]).valence, apply_model(*c, x[5]).valence, 1e-3);
  }
}

TEST(EmotionModel, ScoreLikeExamplesDoNotPullThePerformanceCentres) {
  // Played examples (velocities vary) and the same examples score-like (every velocity 80, so
  // dynamics 0): loudness and dynamics are unknown in the second half, and their centre and
  // scale come from the first half alone; other features use every example.
  constexpr auto kLoud = static_cast<std::size_t>(EmotionFeature::loudness);
  constexpr auto kDyn = static_cast<std::size_t>(EmotionFeature::dynamics);
  std::vector<EmotionFeatures> x;
  std::vector<int> y;
  synthetic(x, y, 200, 5);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i][kLoud] = y[i] <= 1 ? 0.8 : 0.4;  // loud when aroused
    x[i][kDyn] = 0.1 + 0.01 * static_cast<double>(i % 5);
  }
  const auto played = train_emotion_model(x, y, {});
  ASSERT_TRUE(played.has_value());
  const std::size_t n = x.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto f = x[i];
    f[kLoud] = 80.0 / 127;
    f[kDyn] = 0;
    x.push_back(f);
    y.push_back(y[i]);
  }
  const auto both = train_emotion_model(x, y, {});
  ASSERT_TRUE(both.has_value());
  EXPECT_DOUBLE_EQ(both->centre[kLoud], played->centre[kLoud]);
  EXPECT_DOUBLE_EQ(both->scale[kLoud], played->scale[kLoud]);
  EXPECT_DOUBLE_EQ(both->centre[kDyn], played->centre[kDyn]);
  EXPECT_DOUBLE_EQ(both->scale[kDyn], played->scale[kDyn]);
  EXPECT_NEAR(both->centre[kLoud], 0.6, 1e-9);
  // The mode's centre is over all 400 examples (the same values twice: the same mean).
  EXPECT_NEAR(both->centre[kMode], played->centre[kMode], 1e-12);
  // And loudness still counts as evidence of arousal in a played piece.
  EXPECT_GT(both->arousal.weights[kLoud], 0.0);
}

TEST(EmotionModel, TrainingRejectsBadInput) {
  std::vector<EmotionFeatures> x(2);
  std::vector<int> y = {0};
  EXPECT_FALSE(train_emotion_model(x, y, {}).has_value());
  y = {0, 4};
  EXPECT_FALSE(train_emotion_model(x, y, {}).has_value());
}

TEST(EmotionModelFile, RoundTrips) {
  std::vector<EmotionFeatures> x;
  std::vector<int> y;
  synthetic(x, y, 100, 5);
  for (auto kind : {EmotionModel::Kind::heads, EmotionModel::Kind::softmax}) {
    EmotionTrainOptions o;
    o.kind = kind;
    o.description = "test \"model\"";
    const auto m = train_emotion_model(x, y, o);
    ASSERT_TRUE(m.has_value());
    const auto text = encode_emotion_model(*m);
    const auto back = decode_emotion_model(text, "m.json");
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, *m);
    EXPECT_EQ(encode_emotion_model(*back), text);
  }
}

TEST(EmotionModelFile, ErrorsNameThePath) {
  const auto message = [](const std::string& text) {
    auto m = decode_emotion_model(text, "m.json");
    EXPECT_FALSE(m.has_value());
    return m.has_value() ? std::string() : m.error().message;
  };
  EXPECT_NE(message("{").find("m.json: not valid JSON"), std::string::npos);
  EXPECT_NE(message(R"({"format": "duetmodel"})").find("m.json: /format"), std::string::npos);
  EXPECT_NE(message(R"({"format": "duet-emotion-model", "version": 2, "kind": "heads"})")
                .find("/version: version 2"),
            std::string::npos);
  const std::string head = R"({"format": "duet-emotion-model", "version": 1, "kind": "heads", )";
  EXPECT_NE(message(head + R"("features": [{"name": "loudnes", "centre": 0, "scale": 1}]})")
                .find("/features/0/name: unknown feature \"loudnes\""),
            std::string::npos);
  EXPECT_NE(message(head + R"("features": [{"name": "mode", "centre": 0, "scale": 0}]})")
                .find("/features/0/scale"),
            std::string::npos);
  EXPECT_NE(message(head + R"("features": [{"name": "mode", "centre": 0, "scale": 1}],
      "valence": {"weights": {"tempo": 1}}, "arousal": {}})")
                .find("/valence/weights/tempo: not a feature of this model"),
            std::string::npos);
  EXPECT_NE(message(head + R"("features": [{"name": "mode", "centre": 0, "scale": 1}],
      "valence": {}})")
                .find("/arousal: missing"),
            std::string::npos);
}

TEST(EmotionModelFile, NumbersAreBounded) {
  const std::string head = R"({"format": "duet-emotion-model", "version": 1, "kind": "heads", )";
  auto m = decode_emotion_model(head + R"("features": [{"name": "mode", "centre": 0, "scale": 1}],
      "valence": {"weights": {"mode": 1e7}}, "arousal": {}})",
                                "m.json");
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.error().message.find("/valence/weights/mode: expected a number between"),
            std::string::npos);
  m = decode_emotion_model(head + R"("features": [{"name": "mode", "centre": 0, "scale": 1e-9}],
      "valence": {}, "arousal": {}})",
                           "m.json");
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.error().message.find("/features/0/scale"), std::string::npos);
}

TEST(EmotionModelFile, DefaultLoads) {
  const auto& m = default_emotion_model();
  EXPECT_EQ(m.kind, EmotionModel::Kind::heads);
  EXPECT_TRUE(m.used[kMode]);
  EXPECT_GT(m.valence.weights[kMode], 0);  // major -> higher valence
  EXPECT_GT(m.arousal.weights[kDensity], 0);
  EXPECT_NE(m.description.find("not trained"), std::string::npos);
}

TEST(EmotionPlot, DrawsBothCurvesAndTheTarget) {
  EmotionEstimate e;
  EmotionWindow w;
  w.start = 0;
  w.end = 8;
  w.point.valence = 0.5;
  w.point.arousal = -0.5;
  e.curve = {w, w};
  e.curve[1].start = 4;
  e.curve[1].end = 12;
  const std::vector<EmotionTarget> target = {{0, -1, 1, 0.2}, {12, 1, -1, 0.9}};
  EmotionPlotOptions options;
  options.title = "a <cue> & more";
  const auto svg = emotion_plot_svg(e, target, options);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("id=\"valence\""), std::string::npos);
  EXPECT_NE(svg.find("id=\"arousal\""), std::string::npos);
  EXPECT_NE(svg.find("id=\"target-valence\""), std::string::npos);
  EXPECT_NE(svg.find("id=\"target-tension\""), std::string::npos);
  EXPECT_NE(svg.find("a &lt;cue&gt; &amp; more"), std::string::npos);
  // Valence 0.5 at t = 4 s: x = 56 + 728 * 4/12, y = 64 + 248 * 0.25; in the sheet's green.
  EXPECT_NE(svg.find("298.7,126.0"), std::string::npos);
  EXPECT_NE(svg.find("stroke=\"#1a7f37\" stroke-width=\"2\" points"), std::string::npos);
  // Tension 0.2 at 0 s: the bottom of the plot is tension 0, its top 1.
  EXPECT_NE(svg.find("56.0,262.4"), std::string::npos);
  EXPECT_EQ(emotion_plot_svg(e, {}, {}).find("target"), std::string::npos);
}

// On the cue's clock: timecode on the axis, the hits and the music's sections marked, and the
// estimate moved to where the music plays (here it starts 2 s after the cue's in).
TEST(EmotionPlot, TimecodeHitsSectionsAndWhereTheMusicPlays) {
  EmotionEstimate e;
  EmotionWindow w;
  w.start = 0;
  w.end = 8;
  e.curve = {w};
  EmotionPlotOptions options;
  options.music_offset = 2;
  options.time_label = [](double s) { return "01:00:" + std::to_string(10 + static_cast<int>(s)); };
  options.marks = {{6, "door", PlotMark::Kind::hard_hit},
                   {9, "glance", PlotMark::Kind::soft_hit},
                   {2, "A", PlotMark::Kind::section}};
  const auto svg = emotion_plot_svg(e, {}, options);
  EXPECT_NE(svg.find(">01:00:10<"), std::string::npos);
  EXPECT_EQ(svg.find(">seconds<"), std::string::npos);
  EXPECT_NE(svg.find("class=\"hard-hit\""), std::string::npos);
  EXPECT_NE(svg.find(">door<"), std::string::npos);
  EXPECT_NE(svg.find("class=\"soft-hit\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"section\""), std::string::npos);
  // The one window's centre (4 s into the music) is at 6 s on the plot, whose span is 0..10 s.
  EXPECT_NE(svg.find("points=\"492.8,"), std::string::npos) << svg;
}

// ---- The beat: the tempo map or the notes ----

// [GIVEN] onsets on 16ths (and triplets) of a 480 PPQ map [THEN] the map is used; [WHEN] the file
// has no tempo event [THEN] not; [WHEN] only 69% of the onsets are on the grid [THEN] not, at
// 70% it is.
TEST(EmotionTempoMap, OnsetsOnTheGridMakeTheMapReal) {
  const std::vector<std::int64_t> sixteenths = {0, 120, 240, 480, 600, 960, 1440};
  auto real = check_tempo_map(sixteenths, 480, true);
  EXPECT_TRUE(real.use_map);
  EXPECT_EQ(real.onsets, 7);
  EXPECT_EQ(real.on_grid, 7);
  EXPECT_NE(real.describe().find("the tempo map (100%"), std::string::npos) << real.describe();
  // 8th triplets (160) and 16th triplets (80) are on the grid too.
  EXPECT_TRUE(check_tempo_map(std::vector<std::int64_t>{0, 160, 320, 80, 400}, 480, true).use_map);
  auto bare = check_tempo_map(sixteenths, 480, false);
  EXPECT_FALSE(bare.use_map);
  EXPECT_NE(bare.describe().find("no tempo event"), std::string::npos);
  // 100 onsets, 69 on the grid: a default the notes ignore; 70: the map.
  std::vector<std::int64_t> mixed;
  for (int i = 0; i < 100; ++i)
    mixed.push_back(i < 69 ? i * 480 : i * 480 + 37);
  auto ignored = check_tempo_map(mixed, 480, true);
  EXPECT_FALSE(ignored.use_map);
  EXPECT_NEAR(ignored.share(), 0.69, 1e-12);
  EXPECT_NE(ignored.describe().find("a default they ignore: 69%"), std::string::npos)
      << ignored.describe();
  mixed[69] -= 37;
  EXPECT_TRUE(check_tempo_map(mixed, 480, true).use_map);
  // Repeated onsets count once; none is no map.
  EXPECT_EQ(check_tempo_map(std::vector<std::int64_t>{0, 0, 0, 7}, 480, true).onsets, 2);
  EXPECT_FALSE(check_tempo_map(std::vector<std::int64_t>{}, 480, true).use_map);
}

// The beat a map gives: its quarters per minute over the span; dotted quarters in 6/8; moved by
// octaves into 40..200; the mean over a tempo change.
TEST(EmotionTempoMap, TheMapsBeat) {
  using time::Rational;
  using time::Tempo;
  const auto qpm = [](int q) { return Tempo::quarters_per_minute(Rational(q)); };
  EXPECT_NEAR((MapBeat{time::TempoMap::constant(qpm(80)), 0}.bpm(0, 30)), 80, 1e-6);
  EXPECT_NEAR((MapBeat{time::TempoMap::constant(qpm(180), {6, 8}), 0}.bpm(0, 10)), 120, 1e-6);
  EXPECT_NEAR((MapBeat{time::TempoMap::constant(qpm(240)), 0}.bpm(0, 10)), 120, 1e-6);
  EXPECT_NEAR((MapBeat{time::TempoMap::constant(qpm(30)), 0}.bpm(0, 10)), 60, 1e-6);
  // An empty span: the tempo there.
  EXPECT_NEAR((MapBeat{time::TempoMap::constant(qpm(90)), 0}.bpm(5, 5)), 90, 1e-6);
  // 60 for 4 quarters (4 s), then 120: over 0..8 s, 4 + 8 quarters in 8 s = 90 per minute.
  auto map = time::TempoMap::create(
      {{time::BeatPos(0), qpm(60)}, {time::BeatPos(4 * time::kTicksPerQuarter), qpm(120)}});
  ASSERT_TRUE(map) << map.error().message;
  EXPECT_NEAR((MapBeat{*map, 0}.bpm(0, 8)), 90, 1e-6);
  // `start` shifts the notes' clock onto the map's: 4..8 s of the map is all 120.
  EXPECT_NEAR((MapBeat{*map, 4}.bpm(0, 4)), 120, 1e-6);
}

// A file of quarter notes and eighths at 80 BPM.
midi::MidiFile file_at(std::uint32_t us_per_quarter, bool tempo_event, int jitter) {
  midi::MidiFile file;
  file.division.ticks_per_quarter = 480;
  midi::Track conductor;
  if (tempo_event) conductor.events.push_back({0, midi::SetTempo{us_per_quarter}});
  file.tracks.push_back(conductor);
  std::vector<midi::Note> notes;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> off(-jitter, jitter);
  const int pitches[] = {60, 64, 67, 72, 67, 64};
  for (int i = 0; i < 64; ++i) {
    const std::int64_t at = i * 240 + (i == 0 ? 0 : off(rng));
    notes.push_back({0, static_cast<std::uint8_t>(pitches[i % 6]), 80, 0, at, 220});
    if (i % 4 == 0) notes.push_back({0, 48, 80, 0, i * 240 + (i == 0 ? 0 : off(rng)), 900});
  }
  std::stable_sort(notes.begin(), notes.end(),
                   [](const midi::Note& a, const midi::Note& b) { return a.start < b.start; });
  file.tracks.push_back(midi::track_from_notes("piano", 0, 0, notes));
  return file;
}

// [GIVEN] a sequenced file at 80 BPM (eighths on the grid) [THEN] the estimate's beat is the
// map's 80, whatever the notes suggest; [GIVEN] the same notes performed (jittered by up to 40
// ticks) under the same map [THEN] the beat is heard from the notes (estimate_beat), as for a
// file without a tempo event.
TEST(EmotionTempoMap, EstimateUsesTheRealMapOnly) {
  const auto sequenced = file_at(750000, true, 0);
  const auto check = check_tempo_map(sequenced);
  EXPECT_TRUE(check.use_map);
  auto e = estimate_emotion(default_emotion_model(), sequenced);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_TRUE(e->beat_from_map);
  EXPECT_NEAR(e->bpm, 80, 1e-6);
  ASSERT_TRUE(e->tempo_check.has_value());
  EXPECT_TRUE(e->tempo_check->use_map);

  for (const auto& file : {file_at(750000, true, 40), file_at(750000, false, 0)}) {
    auto heard = estimate_emotion(default_emotion_model(), file);
    ASSERT_TRUE(heard) << heard.error().message;
    EXPECT_FALSE(heard->beat_from_map);
    auto notes = emotion_notes(file);
    ASSERT_TRUE(notes);
    EXPECT_DOUBLE_EQ(heard->bpm, estimate_beat(*notes).bpm);
    // The estimate is what the notes alone give (the old behaviour, byte for byte).
    auto alone = estimate_emotion(default_emotion_model(), *notes);
    ASSERT_TRUE(alone);
    EXPECT_EQ(heard->features, alone->features);
  }
  // An SMPTE-division file has no beats: never the map.
  midi::MidiFile smpte = sequenced;
  smpte.division = {midi::Division::Kind::smpte, 0, 25, 40};
  EXPECT_FALSE(check_tempo_map(smpte).use_map);
}

TEST(EmotionModel, FingerprintNamesTheModel) {
  const auto a = emotion_model_fingerprint(default_emotion_model());
  EXPECT_EQ(a.size(), 12u);
  EXPECT_EQ(a, emotion_model_fingerprint(default_emotion_model()));
  EmotionModel other = default_emotion_model();
  other.valence.bias += 0.5;
  EXPECT_NE(a, emotion_model_fingerprint(other));
}

}  // namespace
}  // namespace duet::model
