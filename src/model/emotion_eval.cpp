#include "model/emotion_eval.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "base/file.h"
#include "base/text.h"
#include "midi/timing.h"

namespace duet::model {
namespace {

namespace fs = std::filesystem;

base::Result<std::vector<std::pair<std::string, int>>> read_split(const fs::path& path) {
  auto bytes = base::read_file(path, std::uintmax_t{16} << 20);
  if (!bytes) return bytes.error();
  std::istringstream in(std::string(bytes->begin(), bytes->end()));
  std::string line;
  std::vector<std::pair<std::string, int>> out;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 || line.empty()) continue;  // the header "fname,label"
    const auto comma = line.find(',');
    const std::string label = comma == std::string::npos ? "" : line.substr(comma + 1);
    if (comma == std::string::npos || label.size() != 2 || label[0] != 'Q' || label[1] < '1' ||
        label[1] > '4') {
      return base::make_error(base::ErrorKind::invalid_input, path.string(), ": line ", number,
                              ": expected \"name,Qn\" with n 1..4");
    }
    out.emplace_back(line.substr(0, comma), label[1] - '1');
  }
  return out;
}

// "Q1_ab_cd-EF_3" -> "ab_cd-EF": between the quadrant prefix and the clip number.
std::string song_of(const std::string& name) {
  const auto first = name.find('_');
  const auto last = name.rfind('_');
  if (first == std::string::npos || last <= first) return name;
  return name.substr(first + 1, last - first - 1);
}

using Features = std::vector<EmotionFeatures>;

struct Data {
  Features x;
  std::vector<int> y;
};

Data gather(const std::vector<const EmopiaClip*>& clips, bool score) {
  Data d;
  for (const auto* c : clips) {
    d.x.push_back(score ? c->score.features : c->performed.features);
    d.y.push_back(c->quadrant);
  }
  return d;
}

// A candidate's training data: the clips as performed, and their score-like versions when the
// candidate asks for them.
Data training_data(const std::vector<const EmopiaClip*>& clips, bool score_like_too) {
  Data d = gather(clips, false);
  if (score_like_too) {
    const Data s = gather(clips, true);
    d.x.insert(d.x.end(), s.x.begin(), s.x.end());
    d.y.insert(d.y.end(), s.y.begin(), s.y.end());
  }
  return d;
}

QuadrantScore score_model(const EmotionModel& m, const Data& d) {
  QuadrantScore s;
  for (std::size_t i = 0; i < d.x.size(); ++i)
    s.add(d.y[i], static_cast<int>(apply_model(m, d.x[i]).quadrant));
  return s;
}

struct Runs {
  std::vector<double> acc, val, aro;
  int examples = 0;
  std::optional<std::array<std::array<int, 4>, 4>> confusion;
  void add(const QuadrantScore& s) {
    acc.push_back(s.accuracy());
    val.push_back(s.valence_accuracy());
    aro.push_back(s.arousal_accuracy());
    examples = s.n;
    if (!confusion) confusion = s.confusion;
  }
  EmotionEvalRow row(std::string system, std::string condition) const {
    EmotionEvalRow r;
    r.system = std::move(system);
    r.condition = std::move(condition);
    r.accuracy = spread_of(acc);
    r.valence = spread_of(val);
    r.arousal = spread_of(aro);
    r.examples = examples;
    r.runs = static_cast<int>(acc.size());
    r.confusion = confusion;
    return r;
  }
};

// Folds of song-grouped cross-validation: songs shuffled by the seed, dealt round-robin.
std::vector<int> song_folds(const std::vector<const EmopiaClip*>& clips, int folds,
                            std::uint64_t seed) {
  std::vector<std::string> songs;
  for (const auto* c : clips)
    songs.push_back(c->song);
  std::sort(songs.begin(), songs.end());
  songs.erase(std::unique(songs.begin(), songs.end()), songs.end());
  std::mt19937_64 rng(seed);
  for (std::size_t i = songs.size(); i > 1; --i) {
    std::uniform_int_distribution<std::size_t> pick(0, i - 1);
    std::swap(songs[i - 1], songs[pick(rng)]);
  }
  std::map<std::string, int> fold_of;
  for (std::size_t i = 0; i < songs.size(); ++i)
    fold_of[songs[i]] = static_cast<int>(i % static_cast<std::size_t>(folds));
  std::vector<int> out;
  for (const auto* c : clips)
    out.push_back(fold_of[c->song]);
  return out;
}

// Grouped CV of a trainer (given the training clips and the seed): one accuracy per seed,
// pooled over its folds; tested as performed (first) and score-like (second) by the same trained
// models.
template <class Train>
std::pair<Runs, Runs> cross_validate(const std::vector<const EmopiaClip*>& clips,
                                     const EmotionEvalOptions& o, Train train) {
  Runs performed, score;
  for (auto seed : o.seeds) {
    const auto folds = song_folds(clips, o.folds, seed);
    QuadrantScore pooled, pooled_score;
    for (int f = 0; f < o.folds; ++f) {
      std::vector<const EmopiaClip*> tr, te;
      for (std::size_t i = 0; i < clips.size(); ++i)
        (folds[i] == f ? te : tr).push_back(clips[i]);
      const auto m = train(tr, seed);
      for (bool as_score : {false, true}) {
        const Data d = gather(te, as_score);
        for (std::size_t i = 0; i < d.x.size(); ++i)
          (as_score ? pooled_score : pooled)
              .add(d.y[i], static_cast<int>(apply_model(m, d.x[i]).quadrant));
      }
    }
    performed.add(pooled);
    score.add(pooled_score);
  }
  return {performed, score};
}

// A candidate trained with a seed on the given clips (and their score-like versions when it
// asks for them).
EmotionModel train_candidate(const EmotionCandidate& candidate,
                             const std::vector<const EmopiaClip*>& clips, std::uint64_t seed) {
  const Data d = training_data(clips, candidate.score_like_too);
  EmotionTrainOptions options = candidate.train;
  options.seed = seed;
  // The data are never empty here (splits are checked when read).
  return std::move(train_emotion_model(d.x, d.y, options)).value();
}

// A rule on one feature per axis: valence high when the mode is major (> 0), arousal high when
// the note density is above the training median.
EmotionModel rule_model(const Data& train) {
  std::vector<double> density;
  for (const auto& f : train.x)
    density.push_back(f[static_cast<std::size_t>(EmotionFeature::density)]);
  std::sort(density.begin(), density.end());
  EmotionModel m;
  m.kind = EmotionModel::Kind::heads;
  const auto mode = static_cast<std::size_t>(EmotionFeature::mode);
  const auto dens = static_cast<std::size_t>(EmotionFeature::density);
  m.scale.fill(1.0);
  m.used[mode] = m.used[dens] = true;
  m.centre[dens] = density[density.size() / 2];
  m.valence.weights[mode] = 1;
  m.arousal.weights[dens] = 1;
  return m;
}

// A model that answers the most frequent training quadrant, whatever the music.
EmotionModel majority_model(const Data& train) {
  std::array<int, 4> counts{};
  for (int q : train.y)
    ++counts[static_cast<std::size_t>(q)];
  const auto top =
      static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  EmotionModel m;
  m.kind = EmotionModel::Kind::softmax;
  m.scale.fill(1.0);
  m.used[0] = true;
  m.quadrants[top].bias = 1;
  return m;
}

}  // namespace

void QuadrantScore::add(int actual, int predicted) {
  ++n;
  const auto a = static_cast<Quadrant>(actual), p = static_cast<Quadrant>(predicted);
  correct += actual == predicted;
  valence_correct += high_valence(a) == high_valence(p);
  arousal_correct += high_arousal(a) == high_arousal(p);
  ++confusion[static_cast<std::size_t>(actual)][static_cast<std::size_t>(predicted)];
}

Spread spread_of(const std::vector<double>& v) {
  Spread s;
  if (v.empty()) return s;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double var = 0;
  for (double x : v)
    var += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(var / static_cast<double>(v.size()));
  return s;
}

base::Result<std::vector<EmopiaClip>> read_emopia(const fs::path& dir,
                                                  const MelodyModel* sequence_model,
                                                  const EmotionProgress& progress) {
  std::vector<EmopiaClip> clips;
  const std::array<std::pair<const char*, EmopiaClip::Split>, 3> splits = {
      {{"train.csv", EmopiaClip::Split::train},
       {"val.csv", EmopiaClip::Split::val},
       {"test.csv", EmopiaClip::Split::test}}};
  for (const auto& [file, split] : splits) {
    auto rows = read_split(dir / "split" / file);
    if (!rows) return rows.error();
    for (auto& [name, q] : *rows) {
      EmopiaClip c;
      c.name = name;
      c.song = song_of(name);
      c.quadrant = q;
      c.split = split;
      clips.push_back(std::move(c));
    }
  }
  for (std::size_t i = 0; i < clips.size(); ++i) {
    auto& c = clips[i];
    const fs::path path = dir / "midis" / (c.name + ".mid");
    auto bytes = base::read_file(path, std::uintmax_t{64} << 20);
    if (!bytes) return bytes.error();
    auto smf = midi::read_smf(*bytes);
    if (!smf) return smf.error().with_context(path.string());
    auto notes = emotion_notes(smf->file);
    if (!notes) return notes.error().with_context(path.string());
    // The file's tempo map when the notes follow it (check_tempo_map); EMOPIA's performed clips
    // carry default maps, so every clip's beat is heard from its notes.
    std::optional<MapBeat> beat;
    if (check_tempo_map(smf->file).use_map)
      beat = MapBeat{midi::Timeline::of(smf->file).tempo_map(), 0};
    c.performed = piece_features(*notes, sequence_model, beat ? &*beat : nullptr);
    c.score = piece_features(score_like(*notes, 60.0 / c.performed.bpm), sequence_model);
    if (progress) progress(i + 1, clips.size());
  }
  return clips;
}

std::vector<EmotionCandidate> emotion_candidates(bool with_sequence) {
  // "original features": the sixteen of the first estimator (mode .. melody_register);
  // "extended features": those and the key-relative, chord-degree, melodic, texture and pooled
  // window features (degree_b3 .. density_spread); "chord colour": the chord types and interval
  // classes (colour_major .. interval_tritone). The sequence model's two only where named.
  const auto original = [](int i) { return i < static_cast<int>(EmotionFeature::surprise); };
  const auto colour = [](int i) { return i >= static_cast<int>(EmotionFeature::colour_major); };
  const auto select = [](EmotionTrainOptions o, auto keep) {
    for (int i = 0; i < kEmotionFeatureCount; ++i)
      o.use[static_cast<std::size_t>(i)] = keep(i);
    return o;
  };
  const auto sequence = [](int i) { return feature_info(i).sequence; };
  const auto extended = [&](int i) { return !sequence(i) && !colour(i); };
  const auto score_feature = [&](int i) {
    return !feature_info(i).performance && !feature_info(i).sequence;
  };
  EmotionTrainOptions heads;
  heads.kind = EmotionModel::Kind::heads;
  EmotionTrainOptions softmax = heads;
  softmax.kind = EmotionModel::Kind::softmax;
  // The mlp: 16 tanh units, l2 and steps chosen by grouped CV (docs/emotion-evaluation.md).
  EmotionTrainOptions mlp;
  mlp.kind = EmotionModel::Kind::mlp;
  mlp.hidden = 16;
  mlp.l2 = 3e-2;
  mlp.iterations = 600;
  mlp.learning_rate = 0.01;

  std::vector<EmotionCandidate> out;
  out.push_back({"two logistic heads, original features", select(heads, original)});
  out.push_back({"4-way softmax, original features", select(softmax, original)});
  out.push_back({"two logistic heads, original score features only",
                 select(heads, [&](int i) { return original(i) && score_feature(i); })});
  out.push_back({"4-way softmax, original score features only",
                 select(softmax, [&](int i) { return original(i) && score_feature(i); })});
  if (with_sequence) {
    out.push_back({"two logistic heads, original features + sequence-model surprise",
                   select(heads, [&](int i) { return original(i) || sequence(i); })});
  }
  out.push_back({"two logistic heads, extended features", select(heads, extended)});
  out.push_back({"4-way softmax, extended features", select(softmax, extended)});
  out.push_back({"two logistic heads, extended score features only",
                 select(heads, [&](int i) { return extended(i) && score_feature(i); })});
  out.push_back({"mlp (16 tanh units), extended features", select(mlp, extended)});
  out.push_back({"mlp (16 tanh units), extended score features only",
                 select(mlp, [&](int i) { return extended(i) && score_feature(i); })});
  if (with_sequence) {
    out.push_back({"two logistic heads, extended features + sequence-model surprise",
                   select(heads, [&](int i) { return extended(i) || sequence(i); })});
    out.push_back({"mlp (16 tanh units), extended features + sequence-model surprise",
                   select(mlp, [&](int i) { return extended(i) || sequence(i); })});
  }
  const auto no_sequence = [&](int i) { return !sequence(i); };
  out.push_back(
      {"two logistic heads, extended features + chord colour", select(heads, no_sequence)});
  out.push_back({"4-way softmax, extended features + chord colour", select(softmax, no_sequence)});
  out.push_back(
      {"two logistic heads, extended score features + chord colour", select(heads, score_feature)});
  // Trained on the performed clips and their score-like versions together (each clip twice).
  out.push_back({"two logistic heads, extended features + chord colour, trained also score-like",
                 select(heads, no_sequence), true});
  out.push_back(
      {"two logistic heads, extended score features + chord colour, trained also score-like",
       select(heads, score_feature), true});
  if (with_sequence) {
    EmotionTrainOptions all = heads;
    all.use.fill(true);
    out.push_back(
        {"two logistic heads, extended features + chord colour + sequence-model surprise", all});
  }
  for (auto& c : out)
    c.train.description = "EMOPIA-trained (non-commercial, CC BY-NC-SA 4.0): " + c.name;
  return out;
}

EmotionEvaluation evaluate_emotion(const std::vector<EmopiaClip>& clips,
                                   const EmotionEvalOptions& o) {
  EmotionEvaluation out;
  std::vector<const EmopiaClip*> train, test, pool;
  for (const auto& c : clips) {
    if (c.split == EmopiaClip::Split::test) {
      test.push_back(&c);
    } else {
      pool.push_back(&c);
      if (c.split == EmopiaClip::Split::train) train.push_back(&c);
    }
  }
  const Data train_d = gather(train, false);
  const Data test_d = gather(test, false), test_s = gather(test, true);
  auto single = [&](const std::string& system, const EmotionModel& m) {
    Runs a, b;
    a.add(score_model(m, test_d));
    b.add(score_model(m, test_s));
    out.rows.push_back(a.row(system, "test split"));
    out.rows.push_back(b.row(system, "test split, score-like"));
  };
  single("baseline: majority quadrant of train", majority_model(train_d));
  single("baseline: mode for valence, note density for arousal", rule_model(train_d));
  {
    const auto rule_cv =
        cross_validate(pool, o, [](const std::vector<const EmopiaClip*>& tr, std::uint64_t) {
          return rule_model(gather(tr, false));
        });
    out.rows.push_back(rule_cv.first.row("baseline: mode for valence, note density for arousal",
                                         "grouped 5-fold CV"));
  }
  single("shipped default (hand-set, not trained)", default_emotion_model());
  {
    Runs cv;
    const Data all = gather(pool, false);
    cv.add(score_model(default_emotion_model(), all));
    out.rows.push_back(
        cv.row("shipped default (hand-set, not trained)", "train+val (no training)"));
  }

  double best = -1;
  for (const auto& cand : emotion_candidates(o.with_sequence)) {
    auto train_fn = [&cand](const std::vector<const EmopiaClip*>& tr, std::uint64_t seed) {
      return train_candidate(cand, tr, seed);
    };
    Runs on_test, on_score;
    for (auto seed : o.seeds) {
      const auto m = train_fn(train, seed);
      on_test.add(score_model(m, test_d));
      on_score.add(score_model(m, test_s));
    }
    out.rows.push_back(on_test.row(cand.name, "test split"));
    out.rows.push_back(on_score.row(cand.name, "test split, score-like"));
    const auto [cv, cv_score] = cross_validate(pool, o, train_fn);
    out.rows.push_back(cv.row(cand.name, "grouped 5-fold CV"));
    out.rows.push_back(cv_score.row(cand.name, "grouped 5-fold CV, score-like"));
    const double a = spread_of(cv.acc).mean;
    if (a > best) {
      best = a;
      out.chosen = cand.name;
      out.chosen_model = train_fn(train, o.seeds.empty() ? 1 : o.seeds.front());
    }
  }
  return out;
}

base::Result<EmotionModel> train_emopia_model(const std::vector<EmopiaClip>& clips,
                                              std::uint64_t seed, bool with_sequence) {
  std::vector<const EmopiaClip*> pool;
  for (const auto& c : clips) {
    if (c.split != EmopiaClip::Split::test) pool.push_back(&c);
  }
  if (pool.empty()) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "no EMOPIA training clips (train.csv and val.csv are empty)");
  }
  // The same choice as evaluate_emotion's: mean grouped-CV accuracy over five seeds (seed ..
  // seed + 4), so that one lucky dealing of songs into folds does not decide it.
  EmotionEvalOptions o;
  o.seeds = {seed, seed + 1, seed + 2, seed + 3, seed + 4};
  double best = -1;
  const EmotionCandidate* chosen = nullptr;
  const auto candidates = emotion_candidates(with_sequence);
  for (const auto& cand : candidates) {
    const auto cv =
        cross_validate(pool, o, [&cand](const std::vector<const EmopiaClip*>& tr, std::uint64_t s) {
          return train_candidate(cand, tr, s);
        }).first;
    const double a = spread_of(cv.acc).mean;
    if (a > best) {
      best = a;
      chosen = &cand;
    }
  }
  EmotionCandidate final = *chosen;
  final.train.description +=
      base::cat(" (chosen by song-grouped 5-fold CV on train+val, mean of seeds ", seed, "..",
                seed + 4, ": ", base::fixed(best, 3), "; trained on train+val, seed ", seed, ")");
  return train_candidate(final, pool, seed);
}

std::string emopia_features_csv(const std::vector<EmopiaClip>& clips) {
  std::ostringstream out;
  out.precision(17);
  out << "name,song,split,quadrant,condition";
  for (int f = 0; f < kEmotionFeatureCount; ++f)
    out << ',' << feature_info(f).name;
  out << ",bpm\n";
  for (const auto& c : clips) {
    const char* split = c.split == EmopiaClip::Split::train ? "train"
                        : c.split == EmopiaClip::Split::val ? "val"
                                                            : "test";
    for (const bool score : {false, true}) {
      const PieceFeatures& measured = score ? c.score : c.performed;
      out << c.name << ',' << c.song << ',' << split << ",Q" << c.quadrant + 1 << ','
          << (score ? "score-like" : "performed");
      for (const double v : measured.features)
        out << ',' << v;
      out << ',' << measured.bpm << '\n';
    }
  }
  return out.str();
}

}  // namespace duet::model
