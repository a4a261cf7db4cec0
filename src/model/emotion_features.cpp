#include "model/emotion_features.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "midi/timing.h"
#include "model/emotion_features_detail.h"
#include "model/mvs.h"
#include "music/chord_recognition.h"
#include "music/key_finding.h"

namespace duet::model {
namespace {

constexpr std::array<EmotionFeatureInfo, kEmotionFeatureCount> kInfo = {{
    {"mode", "major", "minor", false},
    {"key_clarity", "clear key", "unclear key", false},
    {"minor_chords", "many minor chords", "few minor chords", false},
    {"chromaticism", "chromatic", "diatonic", false},
    {"tempo", "fast tempo", "slow tempo", false},
    {"density", "many notes", "few notes", false},
    {"register", "high register", "low register", false},
    {"pitch_spread", "wide range", "narrow range", false},
    {"loudness", "loud", "soft", true},
    {"dynamics", "varied dynamics", "even dynamics", true},
    {"articulation", "long notes", "short notes", false},
    {"dissonance", "dissonant", "consonant", false},
    {"harmonic_rhythm", "fast chord changes", "slow chord changes", false},
    {"third", "major third", "minor third", false},
    {"bass_mode", "major bass line", "minor bass line", false},
    {"melody_register", "high melody", "low melody", false},
    {"surprise", "surprising melody", "predictable melody", false, true},
    {"uncertainty", "uncertain expectations", "clear expectations", false, true},
    {"degree_b3", "many minor thirds (b3)", "few minor thirds (b3)", false},
    {"degree_3", "many major thirds (3)", "few major thirds (3)", false},
    {"degree_b6", "many minor sixths (b6)", "few minor sixths (b6)", false},
    {"degree_6", "many major sixths (6)", "few major sixths (6)", false},
    {"degree_b7", "many minor sevenths (b7)", "few minor sevenths (b7)", false},
    {"degree_7", "many leading notes (7)", "few leading notes (7)", false},
    {"chord_I", "much major tonic chord (I)", "little major tonic chord (I)", false},
    {"chord_i", "much minor tonic chord (i)", "little minor tonic chord (i)", false},
    {"chord_IV", "much major IV", "little major IV", false},
    {"chord_iv", "much minor iv", "little minor iv", false},
    {"chord_V", "much dominant (V)", "little dominant (V)", false},
    {"chord_vi", "much relative minor (vi)", "little relative minor (vi)", false},
    {"chord_flat", "much bIII/bVI/bVII (modal mixture)", "little bIII/bVI/bVII", false},
    {"chord_other", "many dim/aug/sus chords", "few dim/aug/sus chords", false},
    {"melody_steps", "stepwise melody", "few melodic steps", false},
    {"melody_leaps", "leaping melody", "few melodic leaps", false},
    {"melody_descent", "falling melody", "rising melody", false},
    {"polyphony", "thick texture", "thin texture", false},
    {"bass_register", "high bass", "low bass", false},
    {"long_notes", "many long notes", "few long notes", false},
    {"minor_windows", "often in minor", "seldom in minor", false},
    {"mode_spread", "changing mode", "steady mode", false},
    {"density_spread", "contrasting activity", "even activity", false},
    {"colour_major", "many plain major triads", "few plain major triads", false},
    {"colour_minor", "many minor triads", "few minor triads", false},
    {"colour_dim", "diminished chords", "few diminished chords", false},
    {"colour_aug", "augmented chords", "few augmented chords", false},
    {"colour_sus4", "suspended fourths", "few suspended fourths", false},
    {"colour_maj7", "major-seventh chords", "few major-seventh chords", false},
    {"colour_dom7", "dominant sevenths", "few dominant sevenths", false},
    {"colour_min7", "minor-seventh chords", "few minor-seventh chords", false},
    {"colour_half_dim", "half-diminished chords", "few half-diminished chords", false},
    {"colour_add9", "added ninths", "few added ninths", false},
    {"colour_minor_add9", "minor chords with added ninths", "few minor added ninths", false},
    {"interval_m2", "semitone clashes (m2/M7)", "few semitone clashes", false},
    {"interval_M2", "whole-tone rubs (M2/m7)", "few whole-tone rubs", false},
    {"interval_m3", "minor thirds and major sixths", "few minor thirds", false},
    {"interval_M3", "major thirds and minor sixths", "few major thirds", false},
    {"interval_P4", "open fourths and fifths", "few open fifths", false},
    {"interval_tritone", "tritones", "few tritones", false},
}};

using detail::kSameOnset;
using detail::mean_of;
using detail::mode_of;
using detail::sd_of;
using detail::timed_note;
using detail::timed_of;

// Roughness of a pitch-class interval class 0..6 (m2/M7 roughest; after Huron 1994's interval
// consonance ranking, scaled to 0..1).
constexpr std::array<double, 7> kRoughness = {0.0, 1.0, 0.6, 0.2, 0.1, 0.0, 0.7};

std::vector<double> onset_times(std::span<const EmotionNote> notes) {
  std::vector<double> onsets;
  for (const auto& n : notes) {
    if (onsets.empty() || n.onset - onsets.back() > kSameOnset) onsets.push_back(n.onset);
  }
  return onsets;
}

}  // namespace

const EmotionFeatureInfo& feature_info(EmotionFeature feature) {
  return kInfo[static_cast<std::size_t>(feature)];
}
const EmotionFeatureInfo& feature_info(int index) {
  return kInfo[static_cast<std::size_t>(index)];
}
int feature_index(std::string_view name) {
  for (int i = 0; i < kEmotionFeatureCount; ++i) {
    if (kInfo[static_cast<std::size_t>(i)].name == name) return i;
  }
  return -1;
}

base::Result<std::vector<EmotionNote>> emotion_notes(const midi::MidiFile& file) {
  const midi::Timeline timeline = midi::Timeline::of(file);
  std::vector<EmotionNote> notes;
  for (const auto& track : file.tracks) {
    for (const auto& n : midi::pair_notes(track)) {
      if (n.channel == 9) continue;
      const double on = time::to_seconds(timeline.time_of_tick(n.start)).to_double();
      const double off = time::to_seconds(timeline.time_of_tick(n.start + n.duration)).to_double();
      notes.push_back({n.key, on, std::max(0.0, off - on), std::max<int>(1, n.velocity)});
    }
  }
  if (notes.empty()) {
    return base::make_error(base::ErrorKind::invalid_input,
                            "the file has no notes outside the drum channel, so there is no music "
                            "to estimate an emotion from");
  }
  std::stable_sort(notes.begin(), notes.end(), [](const EmotionNote& a, const EmotionNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  return notes;
}

double last_end(std::span<const EmotionNote> notes) {
  if (notes.empty()) return 0;
  double end = notes.front().onset;
  for (const auto& n : notes)
    end = std::max(end, n.onset + n.duration);
  return end;
}

BeatEstimate estimate_beat(std::span<const EmotionNote> notes, double prior_bpm) {
  BeatEstimate out;
  out.bpm = prior_bpm;
  if (notes.size() < 3) return out;
  constexpr double kFrame = 0.01;  // seconds
  const double first = notes.front().onset;
  double last = first;
  for (const auto& n : notes)
    last = std::max(last, n.onset);
  const auto frames = static_cast<std::size_t>((last - first) / kFrame) + 8;
  std::vector<double> envelope(frames, 0.0);
  // Gaussian spread of each onset, sigma 2 frames (20 ms), cut at 3 sigma.
  for (const auto& n : notes) {
    const double centre = (n.onset - first) / kFrame;
    const auto c = static_cast<long>(std::lround(centre));
    for (long k = c - 6; k <= c + 6; ++k) {
      if (k < 0 || k >= static_cast<long>(frames)) continue;
      const double d = (static_cast<double>(k) - centre) / 2.0;
      envelope[static_cast<std::size_t>(k)] += std::exp(-0.5 * d * d);
    }
  }
  const double mean = mean_of(envelope);
  for (double& e : envelope)
    e -= mean;
  double energy = 0;
  for (double e : envelope)
    energy += e * e;
  if (energy <= 0) return out;
  const auto lag_of = [](double seconds) { return static_cast<std::size_t>(seconds / kFrame); };
  const std::size_t min_lag = lag_of(0.3), max_lag = std::min(lag_of(1.5), frames - 1);
  double best_score = -1e300;
  std::size_t best_lag = 0;
  double best_r = 0;
  for (std::size_t lag = min_lag; lag <= max_lag; ++lag) {
    double r = 0;
    for (std::size_t i = 0; i + lag < frames; ++i)
      r += envelope[i] * envelope[i + lag];
    // Unbiased: the overlap shrinks with the lag.
    r *= static_cast<double>(frames) / static_cast<double>(frames - lag);
    r /= energy;
    const double bpm = 60.0 / (static_cast<double>(lag) * kFrame);
    const double octaves = std::log2(bpm / prior_bpm);
    const double score = r * std::exp(-0.5 * octaves * octaves);
    if (score > best_score) {
      best_score = score;
      best_lag = lag;
      best_r = r;
    }
  }
  if (best_lag == 0) return out;
  out.bpm = std::clamp(60.0 / (static_cast<double>(best_lag) * kFrame), 40.0, 200.0);
  out.strength = std::clamp(best_r, 0.0, 1.0);
  return out;
}

EmotionFeatures measure_features(std::span<const EmotionNote> notes, double beat_seconds,
                                 double span_seconds) {
  EmotionFeatures f{};
  const auto at = [&f](EmotionFeature e) -> double& { return f[static_cast<std::size_t>(e)]; };
  at(EmotionFeature::tempo) = std::log2(60.0 / beat_seconds / 120.0);
  if (notes.empty()) return f;

  std::vector<music::TimedNote> timed;
  timed.reserve(notes.size());
  std::vector<double> pitches, velocities, durations;
  for (const auto& n : notes) {
    timed.push_back(timed_note(n));
    pitches.push_back(n.pitch);
    velocities.push_back(n.velocity);
    durations.push_back(n.duration);
  }

  // Key and mode.
  const auto histogram = music::pitch_class_histogram(timed);
  const auto ranked = music::rank_keys(histogram, music::KeyProfile::albrecht_shanahan);
  at(EmotionFeature::mode) = mode_of(histogram);
  at(EmotionFeature::key_clarity) = ranked.front().correlation;
  {
    const auto& key = ranked.front();
    // The scale of the key: major, or minor with both 6th/7th forms (natural and harmonic).
    static constexpr std::array<int, 7> kMajor = {0, 2, 4, 5, 7, 9, 11};
    static constexpr std::array<int, 9> kMinor = {0, 2, 3, 5, 7, 8, 9, 10, 11};
    std::array<bool, 12> in_scale{};
    if (key.minor) {
      for (int d : kMinor)
        in_scale[static_cast<std::size_t>((key.tonic + d) % 12)] = true;
    } else {
      for (int d : kMajor)
        in_scale[static_cast<std::size_t>((key.tonic + d) % 12)] = true;
    }
    double total = 0, outside = 0;
    for (std::size_t pc = 0; pc < 12; ++pc) {
      total += histogram[pc];
      if (!in_scale[pc]) outside += histogram[pc];
    }
    at(EmotionFeature::chromaticism) = total > 0 ? outside / total : 0;
    const double major3 = histogram[static_cast<std::size_t>((key.tonic + 4) % 12)];
    const double minor3 = histogram[static_cast<std::size_t>((key.tonic + 3) % 12)];
    at(EmotionFeature::third) = major3 + minor3 > 0 ? (major3 - minor3) / (major3 + minor3) : 0;
  }

  // The bass and top lines: the lowest and highest note of each onset event.
  {
    std::vector<music::TimedNote> bass;
    std::vector<double> top;
    for (std::size_t i = 0; i < notes.size();) {
      std::size_t j = i, low = i, high = i;
      while (j < notes.size() && notes[j].onset - notes[i].onset <= kSameOnset) {
        if (notes[j].pitch < notes[low].pitch) low = j;
        if (notes[j].pitch > notes[high].pitch) high = j;
        ++j;
      }
      bass.push_back(timed[low]);
      top.push_back(notes[high].pitch);
      i = j;
    }
    at(EmotionFeature::bass_mode) = mode_of(music::pitch_class_histogram(bass));
    at(EmotionFeature::melody_register) = (mean_of(top) - 60.0) / 12.0;
  }

  // Chords per beat.
  {
    const double start = notes.front().onset;
    const auto bounds = music::regular_boundaries(timed, start, beat_seconds);
    music::ChordRecognitionOptions options;
    const auto spans = music::recognize_chords(timed, bounds, options);
    double chord_time = 0, minor_time = 0;
    int changes = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      if (!spans[i].chord) continue;
      const double d = spans[i].end - spans[i].start;
      chord_time += d;
      if (spans[i].chord->triad == music::TriadClass::min ||
          spans[i].chord->triad == music::TriadClass::dim) {
        minor_time += d;
      }
      if (i > 0 && spans[i - 1].chord) ++changes;
    }
    at(EmotionFeature::minor_chords) = chord_time > 0 ? minor_time / chord_time : 0;
    const double beats = bounds.size() > 1 ? static_cast<double>(bounds.size() - 1) : 1.0;
    at(EmotionFeature::harmonic_rhythm) = changes / beats;
  }

  // Density, register, dynamics, articulation.
  const auto onsets = onset_times(notes);
  at(EmotionFeature::density) =
      std::log2(std::max(static_cast<double>(onsets.size()) / std::max(span_seconds, 1.0), 0.1));
  at(EmotionFeature::register_) = (mean_of(pitches) - 60.0) / 12.0;
  at(EmotionFeature::pitch_spread) = sd_of(pitches) / 12.0;
  at(EmotionFeature::loudness) = mean_of(velocities) / 127.0;
  at(EmotionFeature::dynamics) = sd_of(velocities) / 127.0;
  {
    std::vector<double> d = durations;
    std::nth_element(d.begin(), d.begin() + static_cast<long>(d.size() / 2), d.end());
    const double median = std::max(d[d.size() / 2], 0.01);
    at(EmotionFeature::articulation) = std::log2(median / beat_seconds);
  }

  // Dissonance: at each onset event, the pitch classes sounding (notes begun by then, within the
  // same-onset tolerance, and not yet ended).
  {
    double sum = 0;
    int events = 0;
    std::size_t next = 0;
    std::vector<const EmotionNote*> active;
    for (double t : onsets) {
      while (next < notes.size() && notes[next].onset <= t + kSameOnset) {
        active.push_back(&notes[next]);
        ++next;
      }
      std::erase_if(active,
                    [t](const EmotionNote* n) { return n->onset + n->duration <= t + 1e-9; });
      std::array<bool, 12> pcs{};
      for (const auto* n : active)
        pcs[static_cast<std::size_t>(n->pitch % 12)] = true;
      double rough = 0;
      int pairs = 0;
      for (int a = 0; a < 12; ++a) {
        if (!pcs[static_cast<std::size_t>(a)]) continue;
        for (int b = a + 1; b < 12; ++b) {
          if (!pcs[static_cast<std::size_t>(b)]) continue;
          const int ic = std::min(b - a, 12 - (b - a));
          rough += kRoughness[static_cast<std::size_t>(ic)];
          ++pairs;
        }
      }
      if (pairs > 0) {
        sum += rough / pairs;
        ++events;
      }
    }
    at(EmotionFeature::dissonance) = events > 0 ? sum / events : 0;
  }
  measure_more_features(notes, beat_seconds, f);
  measure_colour_features(notes, beat_seconds, f);
  return f;
}

MelodyExpectation melody_expectation(const MelodyModel& model, std::span<const EmotionNote> notes,
                                     double beat_seconds) {
  MelodyExpectation out;
  if (notes.empty()) return out;
  const auto timed = timed_of(notes);
  const auto key = music::find_key(music::pitch_class_histogram(timed));
  // Top line on a 16th grid (480 beat ticks), one note per grid position.
  constexpr std::int64_t kSixteenth = time::kTicksPerQuarter / 4;
  const std::int64_t bar = 4 * time::kTicksPerQuarter;
  std::vector<std::pair<std::int64_t, int>> top;  // (onset tick, pitch)
  const double first = notes.front().onset;
  for (const auto& n : notes) {
    const auto tick =
        static_cast<std::int64_t>(std::llround((n.onset - first) / beat_seconds * 4)) * kSixteenth;
    if (!top.empty() && top.back().first == tick) {
      top.back().second = std::max(top.back().second, n.pitch);
    } else if (top.empty() || tick > top.back().first) {
      top.emplace_back(tick, n.pitch);
    }
  }
  if (top.size() < 2) return out;
  Melody melody;
  for (std::size_t i = 0; i < top.size(); ++i) {
    MelodyNote m;
    m.pitch = top[i].second;
    m.onset = time::BeatPos(top[i].first);
    m.duration = time::BeatDur(i + 1 < top.size() ? top[i + 1].first - top[i].first : kSixteenth);
    m.bar_position = time::BeatDur(top[i].first % bar);
    m.key = KeyContext{key.tonic, key.minor};
    melody.notes.push_back(m);
  }
  // The long-term model is only read (it used to be copied per piece and per window).
  const auto predictions = model.predict_unchanged(melody);
  for (const auto& p : predictions) {
    out.surprise += p.information_content;
    out.uncertainty += p.entropy;
  }
  out.notes = predictions.size();
  if (out.notes > 0) {
    out.surprise /= static_cast<double>(out.notes);
    out.uncertainty /= static_cast<double>(out.notes);
  }
  return out;
}

void add_expectation(EmotionFeatures& features, const MelodyModel& model,
                     std::span<const EmotionNote> notes, double beat_seconds) {
  const auto e = melody_expectation(model, notes, beat_seconds);
  features[static_cast<std::size_t>(EmotionFeature::surprise)] = e.surprise;
  features[static_cast<std::size_t>(EmotionFeature::uncertainty)] = e.uncertainty;
}

std::vector<EmotionNote> score_like(std::span<const EmotionNote> notes, double beat_seconds,
                                    int velocity) {
  const double grid = beat_seconds / 4.0;
  std::vector<EmotionNote> out;
  out.reserve(notes.size());
  for (const auto& n : notes) {
    EmotionNote q = n;
    q.onset = std::round(n.onset / grid) * grid;
    q.duration = std::max(1.0, std::round(n.duration / grid)) * grid;
    q.velocity = velocity;
    out.push_back(q);
  }
  std::stable_sort(out.begin(), out.end(), [](const EmotionNote& a, const EmotionNote& b) {
    return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
  });
  return out;
}

}  // namespace duet::model
