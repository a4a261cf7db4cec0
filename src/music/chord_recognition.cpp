#include "music/chord_recognition.h"

#include <algorithm>
#include <array>
#include <limits>

namespace duet::music {

namespace {

// Template intervals of each triad class above the root.
constexpr std::array<std::array<int, 3>, 5> kTriadTones = {{
    {0, 4, 7},  // maj
    {0, 3, 7},  // min
    {0, 3, 6},  // dim
    {0, 4, 8},  // aug
    {0, 5, 7},  // sus (sus4; sus2 on X is sus4 on the fifth, the same pitch classes)
}};

struct Features {
  std::array<double, 12> chroma{};  // share of the segment's weighted duration, sums to 1
  std::array<double, 12> bass{};    // share of the lowest-note duration, sums to 1
  bool silent = true;
};

double overlap(const TimedNote& note, double start, double end) {
  return std::max(0.0, std::min(note.onset + note.duration, end) - std::max(note.onset, start));
}

}  // namespace

ChordLabel label_of(const Chord& chord) {
  return {chord.root.pitch_class(), chord.triad()};
}

std::string to_string(const ChordLabel& label) {
  // Eb, Ab and Bb read better than D#, G# and A# in the keys pop music uses.
  const bool flat = label.root == 3 || label.root == 8 || label.root == 10;
  return to_string(spell_pitch_class(label.root, flat)) + ":" + std::string(to_string(label.triad));
}

std::vector<ChordSpan> recognize_chords(std::span<const TimedNote> notes,
                                        std::span<const double> boundaries,
                                        const ChordRecognitionOptions& options) {
  std::vector<ChordSpan> spans;
  if (boundaries.size() < 2 || options.classes.empty()) return spans;
  const std::size_t segments = boundaries.size() - 1;

  // Notes by onset. Each segment visits only the notes sounding into it (`sounding`, in onset
  // order, so that sums are taken in the same order whatever else is held): one long note must
  // not make every segment walk every note since it began (a stuck note held for hours).
  std::vector<TimedNote> sorted(notes.begin(), notes.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const TimedNote& a, const TimedNote& b) { return a.onset < b.onset; });

  std::vector<Features> features(segments);
  std::vector<const TimedNote*> sounding;
  std::size_t unseen = 0;  // the first note not yet in `sounding` or passed over
  for (std::size_t s = 0; s < segments; ++s) {
    const double start = boundaries[s];
    const double end = boundaries[s + 1];
    // Boundaries rise, so a note that ended by this segment's start overlaps no later one.
    std::erase_if(sounding,
                  [start](const TimedNote* n) { return n->onset + n->duration <= start; });
    for (; unseen < sorted.size() && sorted[unseen].onset < end; ++unseen) {
      if (sorted[unseen].onset + sorted[unseen].duration > start)
        sounding.push_back(&sorted[unseen]);
    }
    Features& f = features[s];
    double total = 0;
    int lowest = std::numeric_limits<int>::max();
    for (const TimedNote* n : sounding) {
      const double o = overlap(*n, start, end) * n->weight;
      if (o <= 0) continue;
      f.chroma[static_cast<std::size_t>(wrap_pitch_class(n->pitch))] += o;
      total += o;
      lowest = std::min(lowest, n->pitch);
    }
    if (total < options.silence) continue;
    f.silent = false;
    for (double& c : f.chroma)
      c /= total;
    // The bass: notes within a fifth of the lowest pitch, by duration (a walking or arpeggiated
    // bass shows its main note, not only its lowest passing note).
    double bass_total = 0;
    for (const TimedNote* n : sounding) {
      if (n->pitch > lowest + 6) continue;
      const double o = overlap(*n, start, end) * n->weight;
      if (o <= 0) continue;
      f.bass[static_cast<std::size_t>(wrap_pitch_class(n->pitch))] += o;
      bass_total += o;
    }
    if (bass_total > 0) {
      for (double& b : f.bass)
        b /= bass_total;
    }
  }

  // States: each (class, root), then N last.
  std::vector<ChordLabel> labels;
  for (TriadClass triad : options.classes) {
    for (int root = 0; root < 12; ++root)
      labels.push_back({root, triad});
  }
  const std::size_t n_state = labels.size() + 1;
  const std::size_t none = labels.size();
  const auto emission = [&](const Features& f, std::size_t state) {
    if (state == none) return f.silent ? 1.0 : -1.0;
    if (f.silent) return -1.0;
    const ChordLabel& label = labels[state];
    const auto& tones = kTriadTones[static_cast<std::size_t>(label.triad)];
    double in = 0, bass_in = 0;
    for (int t : tones) {
      const auto pc = static_cast<std::size_t>(wrap_pitch_class(label.root + t));
      in += f.chroma[pc];
      bass_in += f.bass[pc];
    }
    return in - options.non_chord_penalty * (1 - in) +
           options.bass_root_weight * f.bass[static_cast<std::size_t>(label.root)] +
           options.bass_tone_weight * bass_in +
           options.class_bias[static_cast<std::size_t>(label.triad)];
  };

  // Viterbi: best[s] = emission + max(best_prev[s], max_prev - change_penalty).
  std::vector<double> best(n_state), next(n_state);
  std::vector<std::uint16_t> back(segments * n_state);
  for (std::size_t s = 0; s < n_state; ++s)
    best[s] = emission(features[0], s);
  for (std::size_t t = 1; t < segments; ++t) {
    const auto arg =
        static_cast<std::size_t>(std::max_element(best.begin(), best.end()) - best.begin());
    for (std::size_t s = 0; s < n_state; ++s) {
      const double stay = best[s];
      const double move = best[arg] - options.change_penalty;
      const bool moved = move > stay;
      next[s] = (moved ? move : stay) + emission(features[t], s);
      back[t * n_state + s] = static_cast<std::uint16_t>(moved ? arg : s);
    }
    best.swap(next);
  }
  std::vector<std::size_t> path(segments);
  path[segments - 1] =
      static_cast<std::size_t>(std::max_element(best.begin(), best.end()) - best.begin());
  for (std::size_t t = segments - 1; t > 0; --t)
    path[t - 1] = back[t * n_state + path[t]];

  for (std::size_t t = 0; t < segments; ++t) {
    std::optional<ChordLabel> chord;
    if (path[t] != none) chord = labels[path[t]];
    if (!spans.empty() && spans.back().chord == chord) {
      spans.back().end = boundaries[t + 1];
    } else {
      spans.push_back({boundaries[t], boundaries[t + 1], chord});
    }
  }
  return spans;
}

std::vector<double> regular_boundaries(std::span<const TimedNote> notes, double start,
                                       double step) {
  std::vector<double> out;
  if (step <= 0) return out;
  double end = start;
  for (const TimedNote& note : notes)
    end = std::max(end, note.onset + note.duration);
  for (double t = start; t < end + step; t += step) {
    out.push_back(t);
    if (t >= end) break;
  }
  return out;
}

ChordScore compare_chords(std::span<const ChordSpan> reference, std::span<const ChordSpan> estimate,
                          ChordComparison comparison) {
  ChordScore score;
  std::size_t e = 0;
  for (const ChordSpan& ref : reference) {
    if (ref.end <= ref.start) continue;
    const bool ref_in_gamut =
        !ref.chord || ref.chord->triad == TriadClass::maj || ref.chord->triad == TriadClass::min;
    if (comparison == ChordComparison::majmin && !ref_in_gamut) continue;
    score.scored += ref.end - ref.start;
    const auto agree = [&](const std::optional<ChordLabel>& est) {
      if (!ref.chord || !est) return !ref.chord && !est;
      switch (comparison) {
        case ChordComparison::majmin:
        case ChordComparison::triads:
          return *ref.chord == *est;
        case ChordComparison::root:
          return ref.chord->root == est->root;
      }
      return false;
    };
    while (e < estimate.size() && estimate[e].end <= ref.start)
      ++e;
    // Walk the estimate spans over this reference span; gaps count as N.
    double covered_to = ref.start;
    for (std::size_t i = e; i < estimate.size() && estimate[i].start < ref.end; ++i) {
      const double lo = std::max(ref.start, estimate[i].start);
      const double hi = std::min(ref.end, estimate[i].end);
      if (lo > covered_to && agree(std::nullopt)) score.matched += lo - covered_to;
      if (hi > lo && agree(estimate[i].chord)) score.matched += hi - lo;
      covered_to = std::max(covered_to, hi);
    }
    if (ref.end > covered_to && agree(std::nullopt)) score.matched += ref.end - covered_to;
  }
  return score;
}

}  // namespace duet::music
