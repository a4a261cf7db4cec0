#include "compose/approach.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "base/text.h"

namespace duet::compose {
namespace {

struct Home {
  Approach approach;
  const char* name;
  const char* sentence;
  double valence, arousal, tension;
  double dialogue;  // fit added per unit of dialogue share
  double hits;      // fit added at 4 or more hard hits a minute
};

// The feeling each approach is at home in (valence, arousal, tension), after the usual film
// practice: lyrical writing for warm, unhurried scenes; ostinati for momentum; a minimal pulse
// for suspense; chamber forces for intimacy; hybrid percussion for action.
constexpr std::array<Home, kApproachCount> kHomes = {{
    {Approach::lyrical, "lyrical",
     "a singing melody on top of sustained strings, harp figures and woodwind counter-lines", 0.4,
     -0.1, 0.25, 0.05, 0.0},
    {Approach::ostinato, "ostinato",
     "a grouped string ostinato drives the cue, low strings lock to its accents, violins sing", 0.2,
     0.6, 0.55, -0.10, 0.15},
    {Approach::pulse, "pulse-minimal",
     "a repeated-note pulse over slow harmony and pedal points, a sparse high melody", -0.2, -0.2,
     0.65, 0.15, 0.0},
    {Approach::chamber, "chamber",
     "a few solo players: a woodwind melody, piano, a string quartet; no brass, no drums", 0.2,
     -0.6, 0.15, 0.25, -0.05},
    {Approach::hybrid, "hybrid-percussion",
     "big drums and low toms in a groove, galloping low strings, brass stabs and a synth pad", -0.6,
     0.8, 0.85, -0.20, 0.20},
}};

const Home& home(Approach a) {
  return kHomes[static_cast<std::size_t>(a)];
}

std::string words(double valence, double arousal, double tension) {
  const std::string a = arousal > 0.3    ? "driving (arousal " + base::fixed(arousal, 2) + ")"
                        : arousal < -0.3 ? "calm (arousal " + base::fixed(arousal, 2) + ")"
                                         : "moderate (arousal " + base::fixed(arousal, 2) + ")";
  const std::string v = valence > 0.3    ? "warm (valence " + base::fixed(valence, 2) + ")"
                        : valence < -0.3 ? "dark (valence " + base::fixed(valence, 2) + ")"
                                         : "neutral (valence " + base::fixed(valence, 2) + ")";
  const std::string t = tension > 0.55   ? "tense (tension " + base::fixed(tension, 2) + ")"
                        : tension < 0.25 ? "relaxed (tension " + base::fixed(tension, 2) + ")"
                                         : "uneasy (tension " + base::fixed(tension, 2) + ")";
  return a + ", " + v + ", " + t;
}

}  // namespace

std::string_view to_string(Approach approach) {
  return home(approach).name;
}

const std::vector<Approach>& all_approaches() {
  static const std::vector<Approach> all = {Approach::lyrical, Approach::ostinato, Approach::pulse,
                                            Approach::chamber, Approach::hybrid};
  return all;
}

base::Result<Approach> parse_approach(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& h : kHomes)
    if (lower == h.name) return h.approach;
  if (lower == "pulse") return Approach::pulse;
  if (lower == "hybrid") return Approach::hybrid;
  std::string names;
  for (const auto& h : kHomes)
    names += (names.empty() ? "" : ", ") + std::string(h.name);
  return base::make_error(base::ErrorKind::invalid_input, "unknown approach '", text,
                          "': use one of ", names);
}

std::string_view describe(Approach approach) {
  return home(approach).sentence;
}

std::array<int, 4> voice_floors(Approach approach) {
  // Double basses (E1 28), cellos (C2 36), violas (C3 48), violins (G3 55), horns (B1 35),
  // clarinets (D3 50), the synth pad (C2 36).
  switch (approach) {
    case Approach::lyrical:  // basses, horns 3-4, violas, violins II
      return {28, 35, 48, 55};
    case Approach::ostinato:  // basses, violas, horns 3-4, clarinets
      return {28, 48, 35, 50};
    case Approach::pulse:  // basses, cellos, violas, violins II
      return {28, 36, 48, 55};
    case Approach::chamber:  // cello, viola, violin II, violin I
      return {36, 48, 55, 55};
    case Approach::hybrid:  // basses, the synth pad's three voices
      return {28, 36, 36, 36};
  }
  return {36, 48, 55, 55};
}

SceneSummary summarise(const spot::Cue& cue) {
  SceneSummary s;
  const std::int64_t span = (cue.out - cue.in).ticks();
  if (span <= 0) return s;
  s.seconds = static_cast<double>(span) / static_cast<double>(time::kSuperclockPerSecond);
  // The feeling sampled at 64 points over the cue (the curve is piecewise linear).
  constexpr int kSamples = 64;
  for (int i = 0; i < kSamples; ++i) {
    const time::TimePos at = cue.in + time::TimeDur(span * (2 * i + 1) / (2 * kSamples));
    const auto e = cue.emotion.value_at(at).value_or(spot::Emotion{});
    s.valence += e.valence / kSamples;
    s.arousal += e.arousal / kSamples;
    s.tension += e.tension / kSamples;
  }
  std::int64_t talk = 0;
  for (const auto& w : cue.dialogue) {
    const auto a = std::max(w.start, cue.in), b = std::min(w.end, cue.out);
    if (b > a) talk += (b - a).ticks();
  }
  s.dialogue_share = std::min(1.0, static_cast<double>(talk) / static_cast<double>(span));
  int hard = 0;
  for (const auto& h : cue.hits)
    if (h.kind == spot::HitKind::hard && h.at >= cue.in && h.at < cue.out) ++hard;
  s.hard_hits_per_minute = hard / std::max(s.seconds / 60.0, 1e-9);
  return s;
}

std::vector<ApproachFit> rank_approaches(const SceneSummary& scene) {
  std::vector<ApproachFit> out;
  const std::string scene_words = words(scene.valence, scene.arousal, scene.tension) + ", " +
                                  base::fixed(100 * scene.dialogue_share, 0) + "% dialogue, " +
                                  base::fixed(scene.hard_hits_per_minute, 1) +
                                  " hard hits a minute";
  for (const auto& h : kHomes) {
    // Arousal weighs most (it decides the pace); valence decides between the driving approaches
    // (bright momentum or dark action).
    const double dv = 1.0 * (scene.valence - h.valence);
    const double da = 1.2 * (scene.arousal - h.arousal);
    const double dt = 1.0 * (scene.tension - h.tension);
    const double d2 = dv * dv + da * da + dt * dt;
    double fit = std::exp(-d2 / (2 * 0.6 * 0.6));
    fit += h.dialogue * scene.dialogue_share;
    fit += h.hits * std::min(scene.hard_hits_per_minute, 4.0) / 4.0;
    fit = std::clamp(fit, 0.0, 1.0);
    out.push_back({h.approach, fit,
                   "the scene is " + scene_words + "; " + h.name + " is at home where it is " +
                       words(h.valence, h.arousal, h.tension)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ApproachFit& a, const ApproachFit& b) { return a.fit > b.fit; });
  return out;
}

}  // namespace duet::compose
