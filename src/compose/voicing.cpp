#include "compose/voicing.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "music/pitch.h"

namespace duet::compose {

bool parallel_perfect(int upper0, int lower0, int upper1, int lower1) {
  const int du = upper1 - upper0;
  const int dl = lower1 - lower0;
  if (du == 0 || dl == 0) return false;
  if ((du > 0) != (dl > 0)) return false;
  const int i0 = music::wrap_pitch_class(std::abs(upper0 - lower0));
  const int i1 = music::wrap_pitch_class(std::abs(upper1 - lower1));
  return i0 == i1 && (i0 == 0 || i0 == 7);
}

int parallels_between(const Voicing& a, const Voicing& b) {
  int n = 0;
  for (std::size_t lo = 0; lo < 4; ++lo)
    for (std::size_t hi = lo + 1; hi < 4; ++hi)
      if (parallel_perfect(a[hi], a[lo], b[hi], b[lo])) ++n;
  return n;
}

namespace {

std::vector<int> pitches_in(const VoiceRange& range, const std::vector<int>& classes,
                            std::optional<int> fixed) {
  std::vector<int> out;
  if (fixed) {
    out.push_back(*fixed);
    return out;
  }
  for (int p = std::max(0, range.low); p <= std::min(127, range.high); ++p)
    if (std::find(classes.begin(), classes.end(), music::wrap_pitch_class(p)) != classes.end())
      out.push_back(p);
  return out;
}

}  // namespace

std::optional<VoicingChoice> choose_voicing(const VoicingRequest& request) {
  const auto& pcs = request.pitch_classes;
  std::array<std::vector<int>, 4> options;
  options[0] = pitches_in(
      request.ranges[0],
      request.bass_classes.empty() ? std::vector<int>{pcs.front()} : request.bass_classes,
      request.fixed[0]);
  for (std::size_t v = 1; v < 4; ++v)
    options[v] = pitches_in(request.ranges[v], pcs, request.fixed[v]);
  for (const auto& o : options)
    if (o.empty()) return std::nullopt;

  // Cost: semitones moved (or distance from the ranges' middles for a first chord), a doubled
  // third or an incomplete chord costs a little, and broken rules cost far more than any movement
  // so that a rule-abiding voicing always wins when there is one.
  constexpr double kBroken = 1000.0;
  double best_cost = std::numeric_limits<double>::infinity();
  VoicingChoice best;
  for (int b : options[0])
    for (int t : options[1]) {
      if (t <= b && !request.fixed[1]) continue;
      for (int a : options[2]) {
        if (a <= t && !request.fixed[2]) continue;
        if (a - t > 12 && !request.fixed[2] && !request.fixed[1]) continue;
        for (int s : options[3]) {
          if (s <= a && !request.fixed[3]) continue;
          if (s - a > 12 && !request.fixed[3] && !request.fixed[2]) continue;
          const Voicing v{b, t, a, s};
          double cost = 0;
          int broken = 0;
          // Completeness: every chord tone present.
          int missing = 0;
          for (int pc : pcs)
            if (std::none_of(v.begin(), v.end(),
                             [&](int p) { return music::wrap_pitch_class(p) == pc; }))
              ++missing;
          cost += 6.0 * missing;
          // A doubled third (the second chord tone) sounds heavy in a triad.
          if (pcs.size() >= 3) {
            const int thirds = static_cast<int>(std::count_if(
                v.begin(), v.end(), [&](int p) { return music::wrap_pitch_class(p) == pcs[1]; }));
            if (thirds > 1) cost += 2.0;
          }
          if (b != v[0] || v[0] > v[1] || v[1] > v[2] || v[2] > v[3]) ++broken;  // crossing
          if (request.previous) {
            const auto& p = *request.previous;
            for (std::size_t i = 0; i < 4; ++i) {
              const int leap = std::abs(v[i] - p[i]);
              cost += leap * (i == 0 ? 0.5 : 1.0);
              // An upper voice leaping more than a fifth is awkward to sing or bow.
              if (i > 0 && leap > 7) cost += 3.0;
            }
            // Hidden (direct) fifths and octaves between the outer voices: both move the same
            // way into a perfect interval with a leap in the soprano (Aldwell & Schachter).
            const int ds = v[3] - p[3], db = v[0] - p[0];
            const int outer = music::wrap_pitch_class(v[3] - v[0]);
            if (ds != 0 && db != 0 && (ds > 0) == (db > 0) && (outer == 0 || outer == 7) &&
                std::abs(ds) > 2)
              cost += 3.0;
            broken += parallels_between(p, v);
          } else {
            for (std::size_t i = 0; i < 4; ++i)
              cost += 0.5 * std::abs(v[i] - (request.ranges[i].low + request.ranges[i].high) / 2);
          }
          if (request.next) broken += parallels_between(v, *request.next);
          if (request.melody && request.previous) {
            const auto [m0, m1] = *request.melody;
            for (std::size_t i = 0; i < 4; ++i)
              if (parallel_perfect(m0, (*request.previous)[i], m1, v[i])) ++broken;
          }
          cost += kBroken * broken;
          if (cost < best_cost) {
            best_cost = cost;
            best = {v, broken == 0};
          }
        }
      }
    }
  if (!std::isfinite(best_cost)) return std::nullopt;
  return best;
}

}  // namespace duet::compose
