#include "compose/craft.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <set>

#include "compose/critics.h"
#include "music/key_finding.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;

constexpr std::int64_t kSixteenth = time::kTicksPerQuarter / 4;  // 480

// A note sounding in a slice, with its part (index into Score::parts).
struct Sounding {
  int part = 0;
  int pitch = 0;
  int velocity = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;
};

// The time between two consecutive note boundaries, with the notes sounding through it.
struct Slice {
  std::int64_t from = 0, to = 0;
  std::vector<Sounding> notes;
};

// Every stretch of the score where some (non-percussion unless asked) note sounds, cut at every
// note's start and end.
std::vector<Slice> slices_of(const Score& score, bool with_percussion = false) {
  std::vector<Sounding> all;
  for (std::size_t i = 0; i < score.parts.size(); ++i) {
    const Part& p = score.parts[i];
    if (!with_percussion && is_percussion(p)) continue;
    for (const auto& n : p.notes) {
      if (n.length.ticks() <= 0) continue;
      all.push_back({static_cast<int>(i), n.pitch, n.velocity, n.start.ticks(),
                     (n.start + n.length).ticks()});
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Sounding& a, const Sounding& b) { return a.start < b.start; });
  std::vector<std::int64_t> cuts;
  cuts.reserve(2 * all.size());
  for (const auto& s : all) {
    cuts.push_back(s.start);
    cuts.push_back(s.end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<Slice> out;
  std::vector<Sounding> active;
  std::size_t next = 0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const std::int64_t t = cuts[k];
    std::erase_if(active, [t](const Sounding& s) { return s.end <= t; });
    for (; next < all.size() && all[next].start <= t; ++next)
      active.push_back(all[next]);
    if (!active.empty()) out.push_back({t, cuts[k + 1], active});
  }
  return out;
}

// The slice sounding at `at`, or null.
const Slice* slice_at(const std::vector<Slice>& slices, std::int64_t at) {
  auto it = std::upper_bound(slices.begin(), slices.end(), at,
                             [](std::int64_t t, const Slice& s) { return t < s.from; });
  if (it == slices.begin()) return nullptr;
  --it;
  return at < it->to ? &*it : nullptr;
}

int part_index(const Score& score, const Part* part) {
  return part == nullptr ? -1 : static_cast<int>(part - score.parts.data());
}

std::int64_t bar_of(const time::TempoMap& map, BeatPos at) {
  return map.bbt_at(at).bar;
}

BeatPos bar_start(const time::TempoMap& map, std::int64_t bar) {
  return map.meters().bar_start(bar);
}

LoudBeats loud_beats_of(const Score& score, const std::vector<Slice>& slices) {
  LoudBeats out;
  const auto beats = beat_positions(score.tempo_map, score.end);
  // Sections read back from MIDI (from_midi: markers) carry no target: all zero.
  const bool targets = std::any_of(
      score.sections.begin(), score.sections.end(),
      [](const Section& s) { return s.valence != 0 || s.arousal != 0 || s.tension != 0; });
  if (targets) {
    out.from_sections = true;
    for (std::size_t i = 0; i < score.sections.size(); ++i) {
      const Section& s = score.sections[i];
      if (!(s.arousal > kLoudArousal)) continue;
      const BeatPos to = i + 1 < score.sections.size() ? score.sections[i + 1].at : score.end;
      for (BeatPos b : beats)
        if (b >= s.at && b < to) out.beats.push_back(b);
    }
    return out;
  }
  std::vector<std::pair<BeatPos, double>> means;
  for (BeatPos b : beats) {
    const Slice* s = slice_at(slices, b.ticks());
    if (s == nullptr) continue;
    double sum = 0;
    for (const auto& n : s->notes)
      sum += n.velocity;
    means.emplace_back(b, sum / static_cast<double>(s->notes.size()));
  }
  if (means.empty()) return out;
  std::vector<double> sorted;
  for (const auto& [b, v] : means)
    sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  const double threshold = sorted[n - (n + 2) / 3];
  for (const auto& [b, v] : means)
    if (v >= threshold) out.beats.push_back(b);
  return out;
}

// The lowest and highest sounding pitch of a slice.
std::pair<int, int> low_high(const Slice& s) {
  int lo = 128, hi = -1;
  for (const auto& n : s.notes) {
    lo = std::min(lo, n.pitch);
    hi = std::max(hi, n.pitch);
  }
  return {lo, hi};
}

// A part's notes by start: the pitches of the onset before `start` (empty when none).
struct Onsets {
  std::vector<std::pair<std::int64_t, int>> notes;  // (start, pitch), sorted
  bool previous_has(std::int64_t start, int pitch) const {
    constexpr int kLow = std::numeric_limits<int>::min();
    const auto it = std::lower_bound(notes.begin(), notes.end(), std::make_pair(start, kLow));
    if (it == notes.begin()) return false;
    const std::int64_t prev = std::prev(it)->first;
    for (auto j = std::lower_bound(notes.begin(), it, std::make_pair(prev, kLow)); j != it; ++j)
      if (j->second == pitch) return true;
    return false;
  }
};
Onsets onsets_of(const Part& p) {
  Onsets o;
  for (const auto& n : p.notes)
    o.notes.emplace_back(n.start.ticks(), n.pitch);
  std::sort(o.notes.begin(), o.notes.end());
  return o;
}

// The top line of every non-percussion part: the highest note at each onset, cut at the next.
model::Melody top_line(const Score& score) {
  Part all;
  for (const auto& p : score.parts) {
    if (is_percussion(p)) continue;
    all.notes.insert(all.notes.end(), p.notes.begin(), p.notes.end());
  }
  std::stable_sort(all.notes.begin(), all.notes.end(),
                   [](const ScoreNote& a, const ScoreNote& b) { return a.start < b.start; });
  return melody_of(all, score.tempo_map);
}

music::Key found_key(const Score& score) {
  std::vector<music::TimedNote> notes;
  for (const auto& p : score.parts) {
    if (is_percussion(p)) continue;
    for (const auto& n : p.notes)
      notes.push_back({n.pitch, static_cast<double>(n.start.ticks()),
                       static_cast<double>(n.length.ticks()), 1.0});
  }
  return music::key_of(notes);
}

const music::Key& key_at(const Score& score, BeatPos at, const music::Key& fallback) {
  if (score.sections.empty()) return fallback;
  const Section* s = &score.sections.front();
  for (const auto& sec : score.sections)
    if (sec.at <= at) s = &sec;
  return s->key;
}

bool minor_third_mode(music::Mode m) {
  return m == music::Mode::minor || m == music::Mode::dorian || m == music::Mode::phrygian ||
         m == music::Mode::locrian;
}

// The triad's tones relative to its root.
std::array<int, 3> triad_tones(music::TriadClass t) {
  switch (t) {
    case music::TriadClass::maj:
      return {0, 4, 7};
    case music::TriadClass::min:
      return {0, 3, 7};
    case music::TriadClass::dim:
      return {0, 3, 6};
    case music::TriadClass::aug:
      return {0, 4, 8};
    case music::TriadClass::sus:
      return {0, 5, 7};
  }
  return {0, 4, 7};
}

bool mentions_segue(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text.find("segue") != std::string::npos;
}

double jaccard(const std::set<int>& a, const std::set<int>& b) {
  if (a.empty() && b.empty()) return 1;
  int both = 0;
  for (int x : a)
    both += b.count(x) ? 1 : 0;
  return static_cast<double>(both) / static_cast<double>(a.size() + b.size() - both);
}

double weighted_jaccard(const std::map<std::int64_t, double>& a,
                        const std::map<std::int64_t, double>& b) {
  double lo = 0, hi = 0;
  std::set<std::int64_t> keys;
  for (const auto& [k, v] : a)
    keys.insert(k);
  for (const auto& [k, v] : b)
    keys.insert(k);
  for (auto k : keys) {
    const double x = a.count(k) ? a.at(k) : 0.0;
    const double y = b.count(k) ? b.at(k) : 0.0;
    lo += std::min(x, y);
    hi += std::max(x, y);
  }
  return hi > 0 ? lo / hi : 0;
}

}  // namespace

// ---- Shared definitions ----

bool is_percussion(const Part& part) {
  return part.channel == 9 || part.role == Role::percussion;
}

bool is_real_voice(Role role) {
  return role == Role::melody || role == Role::countermelody || role == Role::bass ||
         role == Role::harmony;
}

double pearson_r(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size() || x.size() < 2) return 0;
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 1e-12 || syy <= 1e-12) return 0;
  return sxy / std::sqrt(sxx * syy);
}

std::vector<BeatPos> beat_positions(const time::TempoMap& map, BeatPos end) {
  std::vector<BeatPos> out;
  for (std::int64_t bar = 1;; ++bar) {
    const BeatPos s = bar_start(map, bar);
    if (s >= end) break;
    const BeatPos next = bar_start(map, bar + 1);
    const BeatDur step = map.meter_at(s).beat_length();
    for (BeatPos b = s; b < next && b < end; b += step)
      out.push_back(b);
  }
  return out;
}

bool strong_beat(const time::TempoMap& map, BeatPos at) {
  const auto bbt = map.bbt_at(at);
  if (bbt.tick != 0) return false;
  if (bbt.beat == 1) return true;
  const int n = map.meter_at(at).numerator;
  if (n <= 3) return true;
  if (n == 4) return bbt.beat == 3;
  if (n == 6 || n == 9) return (bbt.beat - 1) % 3 == 0;
  if (n == 12) return bbt.beat == 7;
  return false;
}

bool on_grid(const time::TempoMap& map, BeatPos at) {
  const std::int64_t off = (at - bar_start(map, bar_of(map, at))).ticks();
  return off % kSixteenth == 0 || off % 320 == 0;
}

LoudBeats loud_beats(const Score& score) {
  return loud_beats_of(score, slices_of(score));
}

// ---- 1 ----

MelodyCover melody_covered_share(const Score& score) {
  MelodyCover out;
  const Part* mel = melody_part(score);
  if (mel == nullptr) return out;
  out.melody = mel->name;
  const int mi = part_index(score, mel);
  std::map<std::int64_t, std::vector<int>> melody_onsets;
  for (const auto& n : mel->notes)
    melody_onsets[n.start.ticks()].push_back(n.pitch);
  std::vector<bool> excepted(score.parts.size(), false);
  for (std::size_t i = 0; i < score.parts.size(); ++i) {
    const Part& p = score.parts[i];
    if (static_cast<int>(i) == mi || is_percussion(p) || p.notes.empty()) continue;
    std::size_t together = 0;
    for (const auto& n : p.notes) {
      auto it = melody_onsets.find(n.start.ticks());
      if (it == melody_onsets.end()) continue;
      for (int m : it->second) {
        if (std::abs(n.pitch - m) % 12 == 0) {
          ++together;
          break;
        }
      }
    }
    if (4 * together >= 3 * p.notes.size()) {
      excepted[i] = true;
      out.doublings.push_back(p.name);
    }
  }
  for (const Slice& s : slices_of(score)) {
    int melody = -1;
    for (const auto& n : s.notes)
      if (n.part == mi) melody = std::max(melody, n.pitch);
    if (melody < 0) continue;
    const BeatDur len(s.to - s.from);
    out.melody_time += len;
    const Sounding* above = nullptr;
    for (const auto& n : s.notes) {
      if (n.part == mi || excepted[static_cast<std::size_t>(n.part)] || n.pitch <= melody) continue;
      if (above == nullptr || n.pitch > above->pitch) above = &n;
    }
    if (above == nullptr) continue;
    out.covered_time += len;
    if (!out.spans.empty() && out.spans.back().to.ticks() == s.from) {
      out.spans.back().to = BeatPos(s.to);
    } else {
      out.spans.push_back({BeatPos(s.from), BeatPos(s.to),
                           score.parts[static_cast<std::size_t>(above->part)].name, melody,
                           above->pitch});
    }
  }
  if (out.melody_time.ticks() <= 0) return out;
  out.judged = true;
  out.share =
      static_cast<double>(out.covered_time.ticks()) / static_cast<double>(out.melody_time.ticks());
  return out;
}

// ---- 2, 3 ----

BassFoundation bass_median_loud(const Score& score) {
  BassFoundation out;
  const auto slices = slices_of(score);
  const LoudBeats loud = loud_beats_of(score, slices);
  out.from_sections = loud.from_sections;
  std::vector<int> basses;
  for (BeatPos b : loud.beats) {
    const Slice* s = slice_at(slices, b.ticks());
    if (s == nullptr) continue;
    const int bass = low_high(*s).first;
    if (basses.empty() || bass > out.highest) {
      out.highest = bass;
      out.highest_at = b;
    }
    basses.push_back(bass);
  }
  if (basses.empty()) return out;
  std::sort(basses.begin(), basses.end());
  const std::size_t n = basses.size();
  out.judged = true;
  out.samples = static_cast<int>(n);
  out.median = n % 2 ? basses[n / 2] : (basses[n / 2 - 1] + basses[n / 2]) / 2.0;
  return out;
}

TuttiSpan tutti_span(const Score& score) {
  TuttiSpan out;
  const auto slices = slices_of(score);
  const LoudBeats loud = loud_beats_of(score, slices);
  out.from_sections = loud.from_sections;
  std::vector<int> spans;
  for (BeatPos b : loud.beats) {
    const Slice* s = slice_at(slices, b.ticks());
    if (s == nullptr) continue;
    const auto [lo, hi] = low_high(*s);
    if (spans.empty() || hi - lo > out.max) {
      out.max = hi - lo;
      out.max_at = b;
    }
    spans.push_back(hi - lo);
  }
  if (spans.empty()) return out;
  std::sort(spans.begin(), spans.end());
  const std::size_t n = spans.size();
  const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
  out.judged = true;
  out.samples = static_cast<int>(n);
  out.p90 = spans[std::max<std::size_t>(rank, 1) - 1];
  return out;
}

// ---- Chords ----

std::vector<RecognisedChord> recognised_chords(const Score& score) {
  std::vector<music::TimedNote> notes;
  constexpr double kQ = time::kTicksPerQuarter;
  for (const auto& p : score.parts) {
    if (is_percussion(p)) continue;
    for (const auto& n : p.notes)
      notes.push_back({n.pitch, static_cast<double>(n.start.ticks()) / kQ,
                       static_cast<double>(n.length.ticks()) / kQ, 1.0});
  }
  std::vector<RecognisedChord> out;
  if (notes.empty()) return out;
  std::vector<double> bounds;
  for (BeatPos b : beat_positions(score.tempo_map, score.end))
    bounds.push_back(static_cast<double>(b.ticks()) / kQ);
  const double end = static_cast<double>(score.end.ticks()) / kQ;
  if (bounds.empty() || end > bounds.back()) bounds.push_back(end);
  const music::Key whole = score.sections.empty() ? found_key(score) : music::Key{};
  for (const auto& span : music::recognize_chords(notes, bounds)) {
    if (!span.chord) continue;
    RecognisedChord c;
    c.from = BeatPos(std::llround(span.start * kQ));
    c.to = BeatPos(std::llround(span.end * kQ));
    c.label = *span.chord;
    c.key = key_at(score, c.from, whole);
    out.push_back(c);
  }
  return out;
}

std::string chord_name(const music::ChordLabel& label) {
  static constexpr const char* kRoots[] = {"C",  "C#", "D",  "Eb", "E",  "F",
                                           "F#", "G",  "Ab", "A",  "Bb", "B"};
  std::string name = kRoots[((label.root % 12) + 12) % 12];
  switch (label.triad) {
    case music::TriadClass::maj:
      break;
    case music::TriadClass::min:
      name += "m";
      break;
    case music::TriadClass::dim:
      name += "dim";
      break;
    case music::TriadClass::aug:
      name += "aug";
      break;
    case music::TriadClass::sus:
      name += "sus";
      break;
  }
  return name;
}

// ---- 4, 5 ----

TonicDominant tonic_dominant_share(std::span<const RecognisedChord> chords) {
  TonicDominant out;
  for (const auto& c : chords) {
    const BeatDur len = c.to - c.from;
    const int tonic = c.key.tonic.pitch_class();
    out.total += len;
    if (c.label.root == tonic) {
      out.tonic += len;
    } else if (c.label.root == (tonic + 7) % 12) {
      out.dominant += len;
    }
  }
  if (out.total.ticks() <= 0) return out;
  out.judged = true;
  out.share = static_cast<double>((out.tonic + out.dominant).ticks()) /
              static_cast<double>(out.total.ticks());
  return out;
}

Alternation longest_two_chord_alternation(std::span<const RecognisedChord> chords) {
  Alternation out;
  struct Change {
    music::ChordLabel label;
    BeatPos from, to;
  };
  std::vector<Change> seq;
  for (const auto& c : chords) {
    if (!seq.empty() && seq.back().label == c.label) {
      seq.back().to = c.to;
    } else {
      seq.push_back({c.label, c.from, c.to});
    }
  }
  if (seq.empty()) return out;
  out.judged = true;
  // Neighbours differ, so a run of two chords is one where every chord equals the one two back.
  int run = 1;
  auto take = [&](std::size_t j) {
    if (run <= out.length) return;
    const std::size_t i = j + 1 - static_cast<std::size_t>(run);
    out.length = run;
    out.from = seq[i].from;
    out.to = seq[j].to;
    out.first = chord_name(seq[i].label);
    out.second = run > 1 ? chord_name(seq[i + 1].label) : "";
  };
  take(0);
  for (std::size_t j = 1; j < seq.size(); ++j) {
    run = j >= 2 && seq[j].label == seq[j - 2].label ? run + 1 : 2;
    take(j);
  }
  return out;
}

// ---- 6 ----

ColourTension colour_tension_correlation(const Score& score, const spot::Cue& cue) {
  const auto chords = recognised_chords(score);
  return colour_tension_correlation(score, cue, chords);
}

ColourTension colour_tension_correlation(const Score& score, const spot::Cue& cue,
                                         std::span<const RecognisedChord> chords) {
  ColourTension out;
  if (cue.emotion.empty()) {
    out.not_judged = "the cue has no emotion curve";
    return out;
  }
  const auto& map = score.tempo_map;
  const auto slices = slices_of(score);
  std::map<std::int64_t, std::pair<int, int>> per_bar;  // bar -> (coloured, sounding beats)
  int previous_bass = -1;
  std::size_t ci = 0;
  for (BeatPos b : beat_positions(map, score.end)) {
    const Slice* s = slice_at(slices, b.ticks());
    if (s == nullptr) {
      previous_bass = -1;
      continue;
    }
    auto& [coloured, sounding] = per_bar[bar_of(map, b)];
    ++sounding;
    const int bass = low_high(*s).first;
    while (ci < chords.size() && chords[ci].to <= b)
      ++ci;
    const bool has_chord = ci < chords.size() && chords[ci].from <= b;
    if (has_chord) {
      const auto& label = chords[ci].label;
      std::array<bool, 12> rel{};
      for (const auto& n : s->notes)
        rel[static_cast<std::size_t>(((n.pitch - label.root) % 12 + 12) % 12)] = true;
      const auto t = label.triad;
      const bool major_third = t == music::TriadClass::maj || t == music::TriadClass::aug;
      const bool seventh = rel[10] || rel[11] || (t == music::TriadClass::dim && rel[9]);
      const bool ninth = rel[1] || rel[2] || (major_third && rel[3]);
      const bool suspended = t == music::TriadClass::sus || (!rel[3] && !rel[4] && rel[5]);
      const auto tones = triad_tones(t);
      const int bass_rel = ((bass - label.root) % 12 + 12) % 12;
      const bool pedal =
          bass == previous_bass && std::find(tones.begin(), tones.end(), bass_rel) == tones.end();
      if (seventh || ninth || suspended || pedal) ++coloured;
    }
    previous_bass = bass;
  }
  std::vector<double> colour, tension;
  for (const auto& [bar, counts] : per_bar) {
    const BeatPos a = bar_start(map, bar), z = bar_start(map, bar + 1);
    const auto t = cue.emotion.value_at(map.time_at(a + BeatDur((z - a).ticks() / 2)));
    if (!t) continue;
    BarColour bc;
    bc.bar = bar;
    bc.colour = static_cast<double>(counts.first) / counts.second;
    bc.tension = t->tension;
    out.bars.push_back(bc);
    colour.push_back(bc.colour);
    tension.push_back(bc.tension);
  }
  if (out.bars.size() < 4) {
    out.not_judged = "fewer than 4 bars sound";
    return out;
  }
  const auto [lo, hi] = std::minmax_element(tension.begin(), tension.end());
  if (*hi - *lo < 0.05) {
    out.not_judged = "the tension curve is flat";
    return out;
  }
  out.judged = true;
  out.r = pearson_r(colour, tension);
  return out;
}

// ---- 7 ----

Clashes unprepared_clashes(const Score& score) {
  Clashes out;
  const Part* mel = melody_part(score);
  if (mel == nullptr) return out;
  const int mi = part_index(score, mel);
  const auto& map = score.tempo_map;
  const model::Melody line = melody_of(*mel, map);
  out.melody_notes = static_cast<int>(line.notes.size());
  if (line.notes.empty()) return out;
  out.judged = true;
  std::vector<Onsets> onsets;
  for (const auto& p : score.parts)
    onsets.push_back(onsets_of(p));
  const auto slices = slices_of(score);
  for (const auto& m : line.notes) {
    if (!strong_beat(map, m.onset)) continue;
    const std::int64_t at = m.onset.ticks();
    if (onsets[static_cast<std::size_t>(mi)].previous_has(at, m.pitch)) continue;  // repeated
    const Slice* s = slice_at(slices, at);
    if (s == nullptr) continue;
    for (const auto& a : s->notes) {
      if (a.part == mi) continue;
      const int ic = std::abs(a.pitch - m.pitch) % 12;
      if (ic != 1 && ic != 11) continue;
      const bool prepared =
          a.start < at || onsets[static_cast<std::size_t>(a.part)].previous_has(a.start, a.pitch);
      if (prepared) continue;
      out.clashes.push_back(
          {m.onset, m.pitch, score.parts[static_cast<std::size_t>(a.part)].name, a.pitch});
      break;
    }
  }
  out.per_100 = 100.0 * static_cast<double>(out.clashes.size()) / out.melody_notes;
  return out;
}

// ---- 8, 9 ----

OffGrid off_grid_share(const Score& score) {
  OffGrid out;
  const auto& map = score.tempo_map;
  for (const auto& p : score.parts) {
    for (const auto& n : p.notes) {
      ++out.onsets;
      if (on_grid(map, n.start)) continue;
      const std::int64_t off = (n.start - bar_start(map, bar_of(map, n.start))).ticks();
      out.off.push_back({n.start, p.name, n.pitch, ((off % kSixteenth) + kSixteenth) % kSixteenth});
    }
  }
  std::stable_sort(out.off.begin(), out.off.end(),
                   [](const NoteAt& a, const NoteAt& b) { return a.at < b.at; });
  if (out.onsets > 0) out.share = static_cast<double>(out.off.size()) / out.onsets;
  return out;
}

ShortNotes short_notes(const Score& score) {
  ShortNotes out;
  for (const auto& p : score.parts) {
    if (is_percussion(p)) continue;
    for (const auto& n : p.notes) {
      ++out.notes;
      if (n.length.ticks() < kShortestNote)
        out.found.push_back({n.start, p.name, n.pitch, n.length.ticks()});
    }
  }
  std::stable_sort(out.found.begin(), out.found.end(),
                   [](const NoteAt& a, const NoteAt& b) { return a.at < b.at; });
  return out;
}

// ---- 10 ----

ThemeDevelopment theme_development_share(const Score& score,
                                         std::span<const music::Melody> themes) {
  ThemeDevelopment out;
  const Part* mel = melody_part(score);
  if (mel == nullptr) {
    out.not_judged = "the score has no melody";
    return out;
  }
  const auto& map = score.tempo_map;
  const auto line = melody_of(*mel, map).notes;
  struct Cell {
    int i1, i2;
    double ratio;
  };
  std::vector<Cell> cells;
  auto add_cells = [&cells](const std::vector<std::pair<std::int64_t, int>>& notes) {
    for (std::size_t i = 0; i + 2 < notes.size(); ++i) {
      const std::int64_t ioi1 = notes[i + 1].first - notes[i].first;
      const std::int64_t ioi2 = notes[i + 2].first - notes[i + 1].first;
      const int i1 = notes[i + 1].second - notes[i].second;
      const int i2 = notes[i + 2].second - notes[i + 1].second;
      if (ioi1 <= 0 || ioi2 <= 0 || (i1 == 0 && i2 == 0)) continue;
      cells.push_back({i1, i2, static_cast<double>(ioi2) / static_cast<double>(ioi1)});
    }
  };
  for (const auto& u : score.themes) {
    std::vector<std::pair<std::int64_t, int>> notes;
    for (const auto& n : line)
      if (n.onset >= u.at && n.onset < u.at + u.length)
        notes.emplace_back(n.onset.ticks(), n.pitch);
    add_cells(notes);
  }
  for (const auto& t : themes) {
    std::vector<std::pair<std::int64_t, int>> notes;
    for (const auto& n : t.notes)
      notes.emplace_back(n.start.ticks(), n.pitch);
    add_cells(notes);
  }
  out.cells = static_cast<int>(cells.size());
  if (cells.empty()) {
    out.not_judged = score.themes.empty() && themes.empty()
                         ? "there is no theme material (no theme statement, no theme given)"
                         : "the theme material has no 3-note cell with a contour";
    return out;
  }
  auto in_statement = [&](std::int64_t bar) {
    const BeatPos a = bar_start(map, bar), z = bar_start(map, bar + 1);
    for (const auto& u : score.themes)
      if (u.at < z && a < u.at + u.length) return true;
    return false;
  };
  auto matches = [&cells](int w1, int w2, double ratio) {
    for (const auto& c : cells) {
      if (std::abs(ratio / c.ratio - 1.0) > 0.1) continue;
      // Exactly, or within a step, of the cell or of its inversion (exact matches are within).
      if ((std::abs(w1 - c.i1) <= 2 && std::abs(w2 - c.i2) <= 2) ||
          (std::abs(w1 + c.i1) <= 2 && std::abs(w2 + c.i2) <= 2))
        return true;
    }
    return false;
  };
  std::map<std::int64_t, bool> bars;  // bar -> developed
  for (std::size_t i = 0; i < line.size(); ++i) {
    const std::int64_t bar = bar_of(map, line[i].onset);
    if (in_statement(bar)) continue;
    bool& developed = bars[bar];
    if (developed || i + 2 >= line.size()) continue;
    const std::int64_t ioi1 = (line[i + 1].onset - line[i].onset).ticks();
    const std::int64_t ioi2 = (line[i + 2].onset - line[i + 1].onset).ticks();
    if (ioi1 <= 0 || ioi2 <= 0) continue;
    developed = matches(line[i + 1].pitch - line[i].pitch, line[i + 2].pitch - line[i + 1].pitch,
                        static_cast<double>(ioi2) / static_cast<double>(ioi1));
  }
  out.bars = static_cast<int>(bars.size());
  if (bars.empty()) {
    out.not_judged = "the melody has no bar outside the theme's statements";
    return out;
  }
  for (const auto& [bar, developed] : bars) {
    if (developed) {
      ++out.developed;
    } else {
      out.bare_bars.push_back(bar);
    }
  }
  out.judged = true;
  out.share = static_cast<double>(out.developed) / out.bars;
  return out;
}

// ---- 11 ----

Ending ending_ok(const Score& score) {
  Ending out;
  const Part* mel = melody_part(score);
  const model::Melody line = mel ? melody_of(*mel, score.tempo_map) : top_line(score);
  if (line.notes.empty()) return out;
  const auto& map = score.tempo_map;
  out.judged = true;
  const auto& last = line.notes.back();
  out.pitch = last.pitch;
  out.at = last.onset;
  out.length = last.duration;
  out.key = score.sections.empty() ? found_key(score) : score.sections.back().key;
  for (const auto& s : score.sections) {
    if (mentions_segue(s.label)) {
      out.segue = true;
      out.segue_label = s.label;
    }
  }
  for (const auto& h : score.hits) {
    if (!out.segue && mentions_segue(h.label)) {
      out.segue = true;
      out.segue_label = h.label;
    }
  }
  const int tonic = out.key.tonic.pitch_class();
  const int third = (tonic + (minor_third_mode(out.key.mode) ? 3 : 4)) % 12;
  out.tonic_or_third = last.pitch % 12 == tonic || last.pitch % 12 == third;
  out.long_enough = last.duration >= map.meter_at(last.onset).beat_length() * 2;
  out.strong = strong_beat(map, last.onset);
  const auto slices = slices_of(score);
  const Slice* s = slice_at(slices, last.onset.ticks());
  out.bass = s ? low_high(*s).first : last.pitch;
  out.tonic_bass = out.bass % 12 == tonic;
  out.ok = out.segue || (out.tonic_or_third && out.long_enough && out.strong && out.tonic_bass);
  return out;
}

// ---- 12 ----

VoiceLeading voice_leading(const Score& score) {
  VoiceLeading out;
  struct Voice {
    const Part* part;
    bool bass;
    double mean;
  };
  std::vector<Voice> voices;
  for (const auto& p : score.parts) {
    if (p.notes.empty() || is_percussion(p) || !is_real_voice(p.role)) continue;
    double sum = 0;
    for (const auto& n : p.notes)
      sum += n.pitch;
    voices.push_back({&p, p.role == Role::bass, sum / static_cast<double>(p.notes.size())});
  }
  out.voices = static_cast<int>(voices.size());
  if (voices.size() < 2) return out;
  // Highest voice first: crossings are two neighbours out of this order.
  std::stable_sort(voices.begin(), voices.end(),
                   [](const Voice& a, const Voice& b) { return a.mean > b.mean; });
  const std::size_t nv = voices.size();
  std::vector<std::set<std::int64_t>> starts(nv);
  std::set<std::int64_t> all;
  for (std::size_t v = 0; v < nv; ++v) {
    for (const auto& n : voices[v].part->notes) {
      starts[v].insert(n.start.ticks());
      all.insert(n.start.ticks());
    }
  }
  const std::vector<std::int64_t> at(all.begin(), all.end());
  out.positions = static_cast<int>(at.size());
  // grid[i][v]: the pitch voice v sounds at position i (-1: silent).
  std::vector<std::vector<int>> grid(at.size(), std::vector<int>(nv, -1));
  for (std::size_t v = 0; v < nv; ++v) {
    std::vector<ScoreNote> notes = voices[v].part->notes;
    std::stable_sort(notes.begin(), notes.end(),
                     [](const ScoreNote& a, const ScoreNote& b) { return a.start < b.start; });
    std::vector<const ScoreNote*> active;
    std::size_t next = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
      const std::int64_t t = at[i];
      for (; next < notes.size() && notes[next].start.ticks() <= t; ++next)
        active.push_back(&notes[next]);
      std::erase_if(active,
                    [t](const ScoreNote* n) { return (n->start + n->length).ticks() <= t; });
      int best = -1;
      for (const ScoreNote* n : active)
        if (best < 0 || (voices[v].bass ? n->pitch < best : n->pitch > best)) best = n->pitch;
      grid[i][v] = best;
    }
  }
  // Doublings: in octaves or unison at 3 of 4 shared onsets (at least 4).
  std::vector<std::vector<bool>> doubling(nv, std::vector<bool>(nv, false));
  for (std::size_t a = 0; a < nv; ++a) {
    for (std::size_t b = a + 1; b < nv; ++b) {
      int shared = 0, octaves = 0;
      for (std::size_t i = 0; i < at.size(); ++i) {
        if (!starts[a].count(at[i]) || !starts[b].count(at[i])) continue;
        if (grid[i][a] < 0 || grid[i][b] < 0) continue;
        ++shared;
        if (std::abs(grid[i][a] - grid[i][b]) % 12 == 0) ++octaves;
      }
      if (shared >= 4 && 4 * octaves >= 3 * shared) {
        doubling[a][b] = true;
        out.doublings.emplace_back(voices[b].part->name, voices[a].part->name);
      }
    }
  }
  // The choir of a part: the bowed strings (GM 40-44 and the ensembles 48-51) together, every
  // other part by its General MIDI group of eight programs (harp 46 is not a bowed string).
  auto family = [](const Voice& v) {
    const int p = v.part->program;
    return (p >= 40 && p <= 44) || (p >= 48 && p <= 51) ? 100 : p / 8;
  };
  // Crossings are between neighbours among the harmony voices (bass and harmony parts): a
  // melody weaving through the accompaniment is orchestration (melody_covered_share).
  std::vector<std::size_t> harmony;
  for (std::size_t v = 0; v < nv; ++v) {
    const Role role = voices[v].part->role;
    if (role == Role::bass || role == Role::harmony) harmony.push_back(v);
  }
  for (std::size_t i = 0; i < at.size(); ++i) {
    for (std::size_t k = 0; k + 1 < harmony.size(); ++k) {
      const std::size_t a = harmony[k], b = harmony[k + 1];
      const int a2 = grid[i][a], b2 = grid[i][b];
      if (a2 >= 0 && b2 >= 0 && a2 < b2 && family(voices[a]) == family(voices[b]))
        out.crossings.push_back(
            {BeatPos(at[i]), voices[a].part->name, voices[b].part->name, a2, b2});
    }
    for (std::size_t a = 0; a < nv; ++a) {
      for (std::size_t b = a + 1; b < nv; ++b) {
        const int a2 = grid[i][a], b2 = grid[i][b];
        if (a2 < 0 || b2 < 0) continue;
        if (i == 0) continue;
        const int a1 = grid[i - 1][a], b1 = grid[i - 1][b];
        if (a1 < 0 || b1 < 0 || a1 == a2 || b1 == b2) continue;  // both voices must move
        if ((a2 - a1 > 0) != (b2 - b1 > 0)) continue;            // the same way
        const int i1 = std::abs(a1 - b1) % 12, i2 = std::abs(a2 - b2) % 12;
        if (i1 != i2 || (i2 != 7 && i2 != 0)) continue;
        if (i2 == 0 && doubling[a][b]) continue;
        out.parallels.push_back(
            {BeatPos(at[i]), i2 == 7, voices[a].part->name, voices[b].part->name, a1, b1, a2, b2});
      }
    }
  }
  return out;
}

// ---- Rhythm ----

namespace {
// Per bar (in order), the 16th slots where the parts `take` start notes.
template <class Take>
std::map<std::int64_t, std::set<int>> patterns_of(const Score& score, Take take) {
  std::map<std::int64_t, std::set<int>> out;
  const auto& map = score.tempo_map;
  for (std::size_t i = 0; i < score.parts.size(); ++i) {
    if (!take(i)) continue;
    for (const auto& n : score.parts[i].notes) {
      const std::int64_t bar = bar_of(map, n.start);
      const double off = static_cast<double>((n.start - bar_start(map, bar)).ticks());
      out[bar].insert(static_cast<int>(std::llround(off / kSixteenth)));
    }
  }
  return out;
}
}  // namespace

RhythmPatterns accompaniment_patterns(const Score& score) {
  RhythmPatterns out;
  const int mi = part_index(score, melody_part(score));
  const auto per_bar =
      patterns_of(score, [mi](std::size_t i) { return static_cast<int>(i) != mi; });
  std::vector<std::set<int>> bars;
  for (const auto& [bar, p] : per_bar)
    bars.push_back(p);
  out.bars = static_cast<int>(bars.size());
  std::set<std::set<int>> distinct(bars.begin(), bars.end());
  out.distinct = static_cast<int>(distinct.size());
  for (const auto& p : bars)
    out.trivial += p.size() <= 1 ? 1 : 0;
  if (bars.size() < 2) return out;
  out.judged = true;
  int recur = 0, exact = 0;
  for (std::size_t k = 1; k < bars.size(); ++k) {
    if (bars[k] == bars[k - 1]) ++exact;
    if (bars[k].size() < 2) continue;
    for (std::size_t j = k >= 4 ? k - 4 : 0; j < k; ++j) {
      if (jaccard(bars[k], bars[j]) >= 0.6) {
        ++recur;
        break;
      }
    }
  }
  const double n = static_cast<double>(bars.size() - 1);
  out.identity = recur / n;
  out.exact_copies = exact / n;
  return out;
}

Syncopation syncopation(const Score& score) {
  Syncopation out;
  const auto& map = score.tempo_map;
  std::vector<std::int64_t> beats;
  for (BeatPos b : beat_positions(map, score.end))
    beats.push_back(b.ticks());
  std::map<std::int64_t, bool> bars;
  for (const auto& p : score.parts) {
    if (is_percussion(p) || p.notes.empty()) continue;
    double mean = 0;
    for (const auto& n : p.notes)
      mean += n.velocity;
    mean /= static_cast<double>(p.notes.size());
    for (const auto& n : p.notes) {
      bool& syncopated = bars[bar_of(map, n.start)];
      const std::int64_t t = n.start.ticks();
      if (std::binary_search(beats.begin(), beats.end(), t)) continue;
      const auto next = std::upper_bound(beats.begin(), beats.end(), t);
      const bool held = next != beats.end() && (n.start + n.length).ticks() > *next;
      const bool accent = n.velocity >= mean + 8;
      if (!held && !accent) continue;
      syncopated = true;
      ++out.count;
      if (out.examples.size() < 8) out.examples.push_back({n.start, p.name, n.pitch, 0});
    }
  }
  out.bars = static_cast<int>(bars.size());
  for (const auto& [bar, s] : bars)
    out.syncopated += s ? 1 : 0;
  std::stable_sort(out.examples.begin(), out.examples.end(),
                   [](const NoteAt& a, const NoteAt& b) { return a.at < b.at; });
  if (out.bars > 0) out.share = static_cast<double>(out.syncopated) / out.bars;
  return out;
}

// ---- Form ----

Breathing melody_breathing(const Score& score) {
  Breathing out;
  const Part* mel = melody_part(score);
  if (mel == nullptr) return out;
  const auto& map = score.tempo_map;
  const auto line = melody_of(*mel, map).notes;
  if (line.size() < 2) return out;
  out.judged = true;
  BeatPos from = line.front().onset;
  auto stretch = [&](BeatPos to) {
    const double bars = static_cast<double>((to - from).ticks()) /
                        static_cast<double>(map.meter_at(from).bar_length().ticks());
    if (bars > out.longest_bars) {
      out.longest_bars = bars;
      out.from = from;
      out.to = to;
    }
  };
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const BeatDur beat = map.meter_at(line[i].onset).beat_length();
    const BeatPos end = line[i].onset + line[i].duration;
    const bool rest = line[i + 1].onset - end >= beat;
    const bool long_note = line[i + 1].onset - line[i].onset >= beat * 2;
    if (!rest && !long_note) continue;
    ++out.breaths;
    stretch(end);
    from = line[i + 1].onset;
  }
  stretch(line.back().onset + line.back().duration);
  return out;
}

Climax melody_climax(const Score& score, const spot::Cue& cue) {
  Climax out;
  const Part* mel = melody_part(score);
  if (mel == nullptr) {
    out.not_judged = "the score has no melody";
    return out;
  }
  if (cue.emotion.empty()) {
    out.not_judged = "the cue has no emotion curve";
    return out;
  }
  const auto& map = score.tempo_map;
  const auto line = melody_of(*mel, map).notes;
  if (line.empty() || score.end <= BeatPos(0)) {
    out.not_judged = "the score has no melody";
    return out;
  }
  std::vector<std::pair<std::int64_t, double>> tension;
  const std::int64_t last = bar_of(map, score.end - BeatDur(1));
  for (std::int64_t bar = 1; bar <= last; ++bar) {
    const BeatPos a = bar_start(map, bar), z = bar_start(map, bar + 1);
    const auto t = cue.emotion.value_at(map.time_at(a + BeatDur((z - a).ticks() / 2)));
    if (t) tension.emplace_back(bar, t->tension);
  }
  if (tension.empty()) {
    out.not_judged = "the cue has no emotion curve";
    return out;
  }
  double lo = tension.front().second, hi = lo;
  for (const auto& [bar, t] : tension) {
    lo = std::min(lo, t);
    hi = std::max(hi, t);
  }
  if (hi - lo < 0.05) {
    out.not_judged = "the tension curve is flat";
    return out;
  }
  out.judged = true;
  out.peak_tension = hi;
  for (const auto& n : line)
    out.pitch = std::max(out.pitch, n.pitch);
  out.distance_bars = std::numeric_limits<std::int64_t>::max();
  for (const auto& n : line) {
    if (n.pitch != out.pitch) continue;
    const std::int64_t bar = bar_of(map, n.onset);
    for (const auto& [peak, t] : tension) {
      if (t < hi - 0.05) continue;
      const std::int64_t d = std::llabs(bar - peak);
      if (d < out.distance_bars) {
        out.distance_bars = d;
        out.at = n.onset;
        out.peak_bar = peak;
      }
    }
  }
  return out;
}

// ---- 13 ----

double accompaniment_onset_jaccard(const Score& a, const Score& b) {
  auto positions = [](const Score& s) {
    std::set<int> out;
    const int mi = part_index(s, melody_part(s));
    for (std::size_t i = 0; i < s.parts.size(); ++i) {
      if (static_cast<int>(i) == mi) continue;
      for (const auto& n : s.parts[i].notes)
        out.insert(static_cast<int>(
            std::llround(static_cast<double>(n.start.ticks()) / static_cast<double>(kSixteenth))));
    }
    return out;
  };
  return jaccard(positions(a), positions(b));
}

double melodic_rhythm_similarity(const Score& a, const Score& b) {
  struct Rhythm {
    std::map<std::int64_t, double> placement, pace;
  };
  auto rhythm = [](const Score& s) -> std::optional<Rhythm> {
    const Part* mel = melody_part(s);
    if (mel == nullptr) return std::nullopt;
    const auto line = melody_of(*mel, s.tempo_map).notes;
    if (line.size() < 2) return std::nullopt;
    Rhythm r;
    const double w = 1.0 / static_cast<double>(line.size());
    const double v = 1.0 / static_cast<double>(line.size() - 1);
    for (std::size_t i = 0; i < line.size(); ++i) {
      r.placement[std::llround(static_cast<double>(line[i].bar_position.ticks()) / kSixteenth)] +=
          w;
      if (i + 1 < line.size()) {
        const double ioi = static_cast<double>((line[i + 1].onset - line[i].onset).ticks());
        r.pace[std::clamp<std::int64_t>(std::llround(ioi / kSixteenth), 1, 16)] += v;
      }
    }
    return r;
  };
  const auto x = rhythm(a), y = rhythm(b);
  if (!x || !y) return 0;
  return 0.5 * (weighted_jaccard(x->placement, y->placement) + weighted_jaccard(x->pace, y->pace));
}

// ---- All ----

CraftMeasures measure_craft(const Score& score, const spot::Cue& cue,
                            std::span<const music::Melody> themes) {
  CraftMeasures m;
  m.covered = melody_covered_share(score);
  m.bass = bass_median_loud(score);
  m.span = tutti_span(score);
  const auto chords = recognised_chords(score);
  m.tonic_dominant = tonic_dominant_share(chords);
  m.alternation = longest_two_chord_alternation(chords);
  m.colour = colour_tension_correlation(score, cue, chords);
  m.clashes = unprepared_clashes(score);
  m.off_grid = off_grid_share(score);
  m.short_notes = short_notes(score);
  m.development = theme_development_share(score, themes);
  m.ending = ending_ok(score);
  m.voices = voice_leading(score);
  m.patterns = accompaniment_patterns(score);
  m.syncopation = syncopation(score);
  m.breathing = melody_breathing(score);
  m.climax = melody_climax(score, cue);
  return m;
}

}  // namespace duet::compose
