#include "compose/harmony.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <set>

#include "compose/tonal.h"
#include "model/chord_model.h"
#include "music/chord_recognition.h"
#include "music/key.h"
#include "music/pitch.h"

namespace duet::compose {
namespace {

using music::ChordKind;
using time::BeatDur;
using time::BeatPos;
constexpr std::int64_t kQuarter = time::kTicksPerQuarter;

// Triad classes in the chord model's order (model::ChordClass): maj, min, dim, aug, sus4.
constexpr std::array<std::array<int, 3>, 5> kTriad = {
    {{0, 4, 7}, {0, 3, 7}, {0, 3, 6}, {0, 4, 8}, {0, 5, 7}}};
constexpr std::array<ChordKind, 5> kTriadKind = {ChordKind::maj, ChordKind::min, ChordKind::dim,
                                                 ChordKind::aug, ChordKind::sus4};

int class_of(ChordKind kind) {
  return static_cast<int>(music::triad_class(kind));
}

bool minor_like(music::Mode mode) {
  return !bright(mode);
}

ChordKind tonic_kind(music::Mode mode) {
  return minor_like(mode) ? ChordKind::min : ChordKind::maj;
}

// The prior weight of a chord (root relative to the tonic, triad class) in a mode, and its role:
// the mode's diatonic triads 1 (a diminished one 0.15), the usual borrowed triads the
// vocabulary's mixture weight x 1.5, chromatic mediants of the previous chord (a major or minor
// triad a third away sharing at most one tone with it) their weight x 1.5, suspended chords on
// diatonic roots half the suspension weight; anything else 0.
double prior(int degree_pc, int q, music::Mode mode, const HarmonicVocabulary& vocab,
             int previous_degree, int previous_q, std::string& role) {
  const auto steps = steps_of(0, mode);
  const auto parallel = steps_of(0, bright(mode) ? music::Mode::minor : music::Mode::major);
  auto triad_q = [](const std::array<int, 7>& s, int d) {
    const int third = music::wrap_pitch_class(s[static_cast<std::size_t>((d + 2) % 7)] -
                                              s[static_cast<std::size_t>(d)]);
    const int fifth = music::wrap_pitch_class(s[static_cast<std::size_t>((d + 4) % 7)] -
                                              s[static_cast<std::size_t>(d)]);
    if (third == 4) return fifth == 8 ? 3 : 0;
    return fifth == 6 ? 2 : 1;
  };
  for (int d = 0; d < 7; ++d) {
    if (steps[static_cast<std::size_t>(d)] != degree_pc) continue;
    if (triad_q(steps, d) == q) {
      role = d == 0               ? "tonic"
             : d == 4             ? "dominant"
             : (d == 1 || d == 3) ? "predominant"
                                  : "diatonic";
      return q == 2 ? 0.15 : 1.0;
    }
    if (q == 4) {
      role = "suspended";
      return vocab.suspensions * 0.5;
    }
  }
  for (int d = 0; d < 7; ++d) {
    if (parallel[static_cast<std::size_t>(d)] != degree_pc) continue;
    if (triad_q(parallel, d) == q && mixture_degree(bright(mode), d) && q < 2) {
      role = "modal mixture";
      return 1.5 * vocab.modal_mixture;
    }
  }
  const int motion = music::wrap_pitch_class(degree_pc - previous_degree);
  int common = 0;
  for (int a : kTriad[static_cast<std::size_t>(q)])
    for (int b : kTriad[static_cast<std::size_t>(previous_q)])
      if (music::wrap_pitch_class(degree_pc + a) == music::wrap_pitch_class(previous_degree + b))
        ++common;
  if ((motion == 3 || motion == 4 || motion == 8 || motion == 9) && q < 2 && common <= 1) {
    role = "chromatic mediant";
    return 1.5 * vocab.chromatic_mediants;
  }
  role = "chromatic";
  return 0.0;
}

int degree_of(int degree_pc, music::Mode mode) {
  const auto steps = steps_of(0, mode);
  for (int d = 0; d < 7; ++d)
    if (steps[static_cast<std::size_t>(d)] == degree_pc) return d;
  return -1;
}

// The harmonic rhythm the approach leans to: a minimal pulse lets chords hang, drums move them.
double rhythm_factor(Approach a) {
  switch (a) {
    case Approach::pulse:
      return 0.5;
    case Approach::hybrid:
      return 0.75;
    default:
      return 1.0;
  }
}

// The length of the two halves of a cadential bar: 2+2 in 4/4, 2+1 in 3/4, 3+3 eighths in 6/8,
// 3+2 in 5/4.
BeatDur first_half(const time::Meter& m) {
  const std::int64_t bar = m.bar_length().ticks();
  if (m.denominator == 8 && m.numerator % 3 == 0)
    return BeatDur(bar / (m.numerator / 3) * ((m.numerator / 3 + 1) / 2));
  if (m.numerator == 3) return BeatDur(2 * m.beat_length().ticks());
  if (m.numerator == 5) return BeatDur(3 * m.beat_length().ticks());
  return BeatDur(bar / 2);
}

void set_chord(HarmonyChord& c, int root, ChordKind kind, std::string role) {
  c.root = music::wrap_pitch_class(root);
  c.kind = kind;
  c.role = std::move(role);
  c.forced = true;
}

// Colour for a chord, by its function and the tension there (docs/composing.md, "Harmony"):
// sevenths and added ninths from about tension 0.3, the dominant's sus4 and b9 and the minor
// tonic's major seventh near the top. Film harmony after Lehman, "Hollywood Harmony" (2018).
void add_colour(HarmonyChord& c, double tension, double amount, double valence, int tonic,
                Rng& rng) {
  // Rare in the cue's calmest stretches, the rule in its tensest (a ramp over the middle of the
  // cue's own range), so that colour follows the tension curve; `amount` scales it by the
  // approach and by how tense the cue gets at all (a gentle cue is coloured gently).
  const double p = std::clamp((1.8 * tension - 0.35) * amount, 0.03, 0.97);
  if (!rng.chance(p)) return;
  const int degree = music::wrap_pitch_class(c.root - tonic);
  const bool dominant_role =
      c.role.find("dominant") != std::string::npos || c.role == "half cadence";
  switch (c.kind) {
    case ChordKind::maj:
      if (dominant_role && degree == 7) {
        if (tension > 0.75 && rng.chance(0.4))
          c.kind = ChordKind::dom7_b9;
        else if (tension > 0.45 && rng.chance(0.35))
          c.kind = ChordKind::dom7_sus4;
        else
          c.kind = ChordKind::dom7;
      } else if (degree == 10 && rng.chance(0.3)) {
        c.kind = ChordKind::dom7;  // the mixolydian bVII7
      } else if (rng.chance(0.5)) {
        c.add9 = true;
      } else {
        c.kind = tension > 0.6 && rng.chance(0.3) ? ChordKind::maj9 : ChordKind::maj7;
      }
      break;
    case ChordKind::min:
      // In a dark scene a minor chord keeps its minor sound: the minor seventh (and ninth) hide
      // a major triad on the third (Cm7 holds Eb), so the added ninth colours it instead.
      // (Darkness takes the tonic's minor-major seventh, noir's chord, earlier.)
      if (degree == 0 && (tension > 0.7 || valence < -0.4) && rng.chance(0.35))
        c.kind = ChordKind::min_maj7;
      else if (valence < -0.2 ? rng.chance(0.75) : rng.chance(0.3))
        c.add9 = true;
      else if (tension > 0.45 && rng.chance(0.4))
        c.kind = ChordKind::min9;
      else
        c.kind = ChordKind::min7;
      break;
    case ChordKind::dim:
      c.kind = ChordKind::hdim7;
      break;
    default:
      return;
  }
  c.colour = true;
}

double approach_colour(Approach a) {
  switch (a) {
    case Approach::ostinato:
      return 0.8;
    case Approach::hybrid:
      return 0.7;
    case Approach::pulse:
      return 1.1;
    default:
      return 1.0;
  }
}

}  // namespace

std::vector<int> HarmonyChord::tones() const {
  std::vector<int> by_number[16];
  for (const auto& t : music::chord_tones(kind))
    by_number[std::clamp(t.number, 0, 15)].push_back(music::wrap_pitch_class(root + t.semitones));
  std::vector<int> out;
  auto take = [&](int n) {
    for (int pc : by_number[n])
      if (std::find(out.begin(), out.end(), pc) == out.end()) out.push_back(pc);
  };
  take(1);
  take(3);
  take(2);  // sus2
  take(4);  // sus4
  take(7);
  take(9);
  if (add9 && std::find(out.begin(), out.end(), music::wrap_pitch_class(root + 2)) == out.end())
    out.push_back(music::wrap_pitch_class(root + 2));
  take(6);
  take(5);
  return out;
}

std::string HarmonyChord::symbol(int tonic, music::Mode mode) const {
  const music::Key key{music::spell_pitch_class(tonic, true), mode};
  music::Chord chord;
  chord.root = music::spell_in_key(key, root);
  chord.kind = kind;
  std::string text = music::to_string(chord, music::ChordNotation::lead_sheet);
  if (add9) text += "add9";
  if (bass && *bass != root) text += "/" + music::to_string(music::spell_in_key(key, *bass));
  return text;
}

base::Result<ScoreChordSymbol> parse_score_chord(std::string_view symbol) {
  std::string text(symbol);
  std::string bass;
  if (const auto slash = text.find('/'); slash != std::string::npos) {
    bass = text.substr(slash + 1);
    text = text.substr(0, slash);
  }
  ScoreChordSymbol out;
  if (text.size() > 4 && text.ends_with("add9")) {
    text = text.substr(0, text.size() - 4);
    out.add9 = true;
  }
  auto chord = music::parse_chord_symbol(text + (bass.empty() ? "" : "/" + bass),
                                         music::ChordNotation::lead_sheet);
  if (!chord) return chord.error();
  out.chord = *chord;
  return out;
}

std::size_t Progression::index_at(BeatPos at) const {
  auto it = std::upper_bound(chords.begin(), chords.end(), at,
                             [](BeatPos x, const HarmonyChord& c) { return x < c.at; });
  return it == chords.begin() ? 0 : static_cast<std::size_t>(it - chords.begin() - 1);
}

const HarmonyChord& Progression::at(BeatPos at) const {
  return chords[index_at(at)];
}

std::optional<int> sounding(const std::vector<ScoreNote>& line, BeatPos at) {
  std::optional<int> out;
  auto it = std::upper_bound(line.begin(), line.end(), at,
                             [](BeatPos x, const ScoreNote& n) { return x < n.start; });
  // Look back a little: a monophonic line has at most a few notes sounding.
  for (int k = 0; k < 8 && it != line.begin(); ++k) {
    --it;
    if (at < it->start + it->length) out = std::max(out.value_or(0), it->pitch);
  }
  return out;
}

Progression write_progression(const CuePlan& plan, const CueBrief& brief,
                              model::ChordModel* chord_model,
                              const std::vector<ScoreNote>& held_notes, Rng& rng,
                              WriterNotes& notes) {
  Progression out;
  // ---- the slots
  for (std::size_t si = 0; si < plan.sections.size(); ++si) {
    const auto& s = plan.sections[si];
    const double hr = s.controls.harmonic_rhythm.value * rhythm_factor(plan.approach);
    // (Counted in the meter's beats: in 6/8 a beat is a dotted quarter, and a chord a bar there
    // would change twice as often, beat for beat, as a chord a 4/4 bar.)
    const std::int64_t want = static_cast<std::int64_t>(
        beats_per_chord(hr) * static_cast<double>(plan.beat_length(s.at).ticks()));
    std::set<BeatPos> cuts = {s.at, s.end}, keep = {s.at, s.end};
    int bar_index = 0;
    for (BeatPos bar = plan.bar_start(s.at); bar < s.end; bar = bar + plan.bar_length(bar)) {
      const std::int64_t bl = plan.bar_length(bar).ticks();
      if (want >= bl) {
        const std::int64_t k = std::max<std::int64_t>(1, (want + bl / 2) / bl);
        // The section's opening chord holds at most a bar before the harmony moves.
        if (bar > s.at && (bar_index % k == 0 || bar_index == 1)) cuts.insert(bar);
        if (bar >= s.at) ++bar_index;
      } else {
        std::int64_t step = want;
        if (bl % step != 0) step = plan.beat_length(bar).ticks();
        for (BeatPos x = bar; x < bar + BeatDur(bl); x += BeatDur(step))
          if (x > s.at && x < s.end) cuts.insert(x);
      }
    }
    for (const auto& p : plan.phrases) {
      if (p.section != si) continue;
      cuts.insert(p.at);
      keep.insert(p.at);
      cuts.insert(p.end);
      keep.insert(p.end);
      // The cadential bar holds two chords.
      const BeatPos last_bar = plan.bar_start(p.end - BeatDur(1));
      if (last_bar > p.at) {
        cuts.insert(last_bar);
        keep.insert(last_bar);
        const BeatPos mid = last_bar + first_half(plan.tempo_map.meter_at(last_bar));
        if (mid < p.end) {
          cuts.insert(mid);
          keep.insert(mid);
        }
      }
    }
    for (const auto& h : plan.hits)
      if (h.at > s.at && h.at < s.end) {
        cuts.insert(h.at);
        keep.insert(h.at);
      }
    if (plan.final_chord > s.at && plan.final_chord < s.end) {
      cuts.insert(plan.final_chord);
      keep.insert(plan.final_chord);
    }
    for (const auto& w : plan.dialogue)
      if (w.from > s.at && w.from < s.end && plan.strong(w.from)) cuts.insert(w.from);
    // Slots shorter than a beat join the chord before, unless both ends are kept.
    std::vector<BeatPos> pts(cuts.begin(), cuts.end());
    std::vector<BeatPos> merged;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      if (!merged.empty() && pts[i] - merged.back() < BeatDur(kQuarter) && !keep.count(pts[i]) &&
          i + 1 < pts.size())
        continue;
      if (!merged.empty() && pts[i] - merged.back() < BeatDur(kQuarter) && keep.count(pts[i]) &&
          !keep.count(merged.back()))
        merged.back() = pts[i];
      else
        merged.push_back(pts[i]);
    }
    for (std::size_t i = 0; i + 1 < merged.size(); ++i) {
      if (merged[i + 1] <= merged[i]) continue;
      HarmonyChord c;
      c.at = merged[i];
      c.length = merged[i + 1] - merged[i];
      c.section = si;
      out.chords.push_back(c);
    }
  }
  auto& chords = out.chords;
  if (chords.empty()) return out;

  // ---- the forced chords: section starts, cadences, pedals, the ending
  auto slot_at = [&](BeatPos at) -> HarmonyChord* {
    for (auto& c : chords)
      if (c.at == at) return &c;
    return nullptr;
  };
  auto slot_ending = [&](BeatPos end) -> std::ptrdiff_t {
    for (std::size_t i = 0; i < chords.size(); ++i)
      if (chords[i].end() == end) return static_cast<std::ptrdiff_t>(i);
    return -1;
  };
  for (std::size_t si = 0; si < plan.sections.size(); ++si) {
    const auto& s = plan.sections[si];
    HarmonyChord* head = slot_at(s.at);
    if (!head) continue;
    const PlannedHit* hit = plan.hit_at(s.at);
    // A colour change in the same key arrives deceptively; a new key arrives on its tonic.
    const bool same_key = si > 0 && plan.sections[si - 1].tonic == s.tonic;
    if (s.at_hard_hit && hit && hit->treatment == HitTreatment::colour && same_key) {
      // A deceptive arrival: the dominant before resolves to bVI (vi in major).
      const bool minor = minor_like(s.mode);
      set_chord(*head, s.tonic + (minor ? 8 : 9), minor ? ChordKind::maj : ChordKind::min,
                "deceptive (colour change on the hit)");
    } else if (s.at_hard_hit || si == 0 || plan.sections[si - 1].tonic != s.tonic ||
               plan.sections[si - 1].mode != s.mode) {
      // The cue's opening, a hit's arrival and a new key are established on the tonic; a turn
      // of the story inside a key moves on with the harmony (a free chord).
      set_chord(*head, s.tonic, tonic_kind(s.mode), s.at_hard_hit ? "cadence" : "tonic");
    }
    if (s.at_hard_hit) ++notes.cadences;
  }
  for (std::size_t pi = 0; pi < plan.phrases.size(); ++pi) {
    const auto& p = plan.phrases[pi];
    const auto& s = plan.sections[p.section];
    const std::ptrdiff_t last = slot_ending(p.end);
    if (last < 0 || chords[static_cast<std::size_t>(last)].at < p.at) continue;
    const bool final_phrase = pi + 1 == plan.phrases.size();
    const bool into_next =
        p.section + 1 < plan.sections.size() && p.end == plan.sections[p.section + 1].at;
    const auto& key_s = into_next ? plan.sections[p.section + 1] : s;
    const int key = key_s.tonic;
    const bool minor = minor_like(key_s.mode);
    auto& L = chords[static_cast<std::size_t>(last)];
    // A one-chord phrase that starts on a hard hit keeps the hit's arrival.
    if (plan.hit_at(L.at) && plan.hit_at(L.at)->hard && s.at == L.at) continue;
    HarmonyChord* before = last > 0 && chords[static_cast<std::size_t>(last - 1)].at >= p.at
                               ? &chords[static_cast<std::size_t>(last - 1)]
                               : nullptr;
    HarmonyChord* before2 =
        before && last > 1 && chords[static_cast<std::size_t>(last - 2)].at >= p.at
            ? &chords[static_cast<std::size_t>(last - 2)]
            : nullptr;
    if (before && before->forced) before = nullptr;
    if (before2 && before2->forced) before2 = nullptr;
    // A held melody note (a theme statement) over the chord: a tone of the chord a semitone
    // from it rubs unprepared.
    auto rubs_held = [&](int root, ChordKind kind, const HarmonyChord& at) {
      for (const auto& n : held_notes) {
        if (n.start >= at.end() || n.start + n.length <= at.at) continue;
        const int pc = music::wrap_pitch_class(n.pitch);
        for (const auto& t : music::chord_tones(kind)) {
          const int d = music::wrap_pitch_class(root + t.semitones - pc);
          if (d == 1 || d == 11) return true;
        }
      }
      return false;
    };
    auto predominant = [&](HarmonyChord* c) {
      if (!c || !rng.chance(0.65)) return;
      // The two usual predominants of the mode, in a random order, the first that does not rub
      // against the held melody.
      std::array<std::pair<int, ChordKind>, 2> options =
          minor
              ? std::array<std::pair<int, ChordKind>, 2>{{{5, ChordKind::min}, {8, ChordKind::maj}}}
              : std::array<std::pair<int, ChordKind>, 2>{
                    {{2, ChordKind::min}, {5, ChordKind::maj}}};
      if (rng.chance(0.5)) std::swap(options[0], options[1]);
      for (const auto& [degree, kind] : options)
        if (!rubs_held(key + degree, kind, *c)) {
          set_chord(*c, key + degree, kind, "predominant");
          return;
        }
    };
    if (final_phrase && p.cadence == Cadence::open) {
      set_chord(L, key + 7, ChordKind::maj, "dominant (open into the next cue)");
      predominant(before);
      continue;
    }
    if (p.cadence == Cadence::half || (into_next && plan.sections[p.section + 1].at_hard_hit)) {
      // A dark scene's open cadence rests on the minor v (the Aeolian half close); a hit and a
      // new key are still approached through the major dominant.
      if (!into_next && minor && key_s.emotion.valence < -0.3)
        set_chord(L, key + 7, ChordKind::min, "half cadence (minor v)");
      else
        set_chord(L, key + 7, ChordKind::maj, into_next ? "dominant" : "half cadence");
      predominant(before);
      continue;
    }
    // An authentic close: V -> I, the Aeolian bVII -> i in minor modes, the plagal IV -> I in a
    // quiet major.
    const bool last_of_cue = final_phrase;
    ChordKind home = tonic_kind(s.mode);
    std::string home_role = "cadence";
    if (last_of_cue && minor && plan.sections.back().emotion.valence > 0.1 &&
        plan.sections.back().emotion.valence > plan.sections.front().emotion.valence) {
      home = ChordKind::maj;
      home_role = "Picardy third";
    }
    set_chord(L, s.tonic, home, home_role);
    ++notes.cadences;
    if (before) {
      const double x = rng.uniform();
      // A dark scene closes on minor chords (iv -> i) more than on the major bVII.
      const bool dark = s.emotion.valence < -0.3;
      if (minor && x < (dark ? 0.12 : 0.3)) {
        set_chord(*before, s.tonic + 10, ChordKind::maj, "subtonic (Aeolian cadence)");
        if (before2 && rng.chance(0.6)) set_chord(*before2, s.tonic + 8, ChordKind::maj, "modal");
      } else if (!minor && s.intensity < 0.5 && x < 0.25) {
        set_chord(*before, s.tonic + 5, ChordKind::maj, "plagal");
      } else if (minor && x < (dark ? 0.5 : 0.45) && (s.intensity < 0.4 || dark)) {
        set_chord(*before, s.tonic + 5, ChordKind::min, "plagal (minor iv)");
      } else {
        set_chord(*before, s.tonic + 7, ChordKind::maj, "dominant");
        if (before2) {
          const bool m2 = minor_like(s.mode);
          if (m2)
            set_chord(*before2, s.tonic + (rng.chance(0.5) ? 5 : 8),
                      rng.chance(0.5) ? ChordKind::min : ChordKind::maj, "predominant");
          else
            set_chord(*before2, s.tonic + (rng.chance(0.5) ? 2 : 5),
                      rng.chance(0.5) ? ChordKind::min : ChordKind::maj, "predominant");
          // keep the quality diatonic: ii is minor, IV major; iv minor, bVI major
          const int d = music::wrap_pitch_class(before2->root - s.tonic);
          before2->kind = (d == 2 || (m2 && d == 5)) ? ChordKind::min : ChordKind::maj;
        }
      }
    }
  }
  // A hard hit that could not open a section of its own (too close to the boundary before it)
  // still gets its arrival: the tonic on it, the dominant before it.
  for (const auto& h : plan.hits) {
    if (!h.hard) continue;
    const std::size_t si = plan.section_index(h.at);
    if (plan.sections[si].at == h.at) continue;
    HarmonyChord* at = slot_at(h.at);
    if (!at) continue;
    const auto& s = plan.sections[si];
    set_chord(*at, s.tonic, tonic_kind(s.mode), "cadence");
    ++notes.cadences;
    for (std::size_t i = 1; i < chords.size(); ++i)
      if (&chords[i] == at && !chords[i - 1].forced)
        set_chord(chords[i - 1], s.tonic + 7, ChordKind::maj, "dominant");
  }
  // Pedals: a dominant pedal under a phrase that builds into a big hit, a tonic pedal under the
  // opening phrase of a quiet section.
  for (std::size_t pi = 0; pi < plan.phrases.size(); ++pi) {
    const auto& p = plan.phrases[pi];
    const auto& s = plan.sections[p.section];
    const PlannedHit* into = plan.hit_at(p.end);
    const bool builds =
        into &&
        (into->treatment == HitTreatment::tutti || into->treatment == HitTreatment::stinger) &&
        p.end - p.at >= plan.bar_length(p.at) * 2;
    // A tonic pedal is colour too: it opens phrases where the cue is already uneasy (the
    // suspense of a held bass), not its calmest ones.
    const bool quiet_open = p.index == 0 && s.intensity < 0.45 &&
                            plan.relative_tension(p.at) >= 0.5 &&
                            rng.chance(plan.approach == Approach::pulse     ? 0.75
                                       : plan.approach == Approach::chamber ? 0.35
                                       : plan.approach == Approach::lyrical ? 0.35
                                                                            : 0.1);
    if (!builds && !quiet_open) continue;
    const int next_key =
        p.section + 1 < plan.sections.size() && into ? plan.sections[p.section + 1].tonic : s.tonic;
    const int pedal = builds ? music::wrap_pitch_class(next_key + 7) : s.tonic;
    std::vector<std::size_t> in;
    for (std::size_t i = 0; i < chords.size(); ++i)
      if (chords[i].at >= p.at && chords[i].end() <= p.end) in.push_back(i);
    // A tonic pedal leaves the cadence free; a dominant pedal runs into the hit.
    const std::size_t count = builds ? in.size() : (in.size() > 2 ? in.size() - 2 : 0);
    for (std::size_t k = 0; k < count; ++k) {
      auto& c = chords[in[k]];
      c.bass = pedal;
      c.pedal = true;
    }
    if (count > 0)
      notes.log.push_back(std::string(builds ? "dominant" : "tonic") +
                          " pedal under the phrase at tick " + std::to_string(p.at.ticks()));
  }
  // The final chord (the ending).
  for (auto& c : chords)
    if (c.at == plan.final_chord && plan.ending != CueEnding::open && c.role != "Picardy third") {
      const auto& s = plan.sections[c.section];
      set_chord(c, s.tonic, tonic_kind(s.mode), "cadence (the end)");
    }

  // Locked chord symbols (whole-score locks) and locked bass notes.
  if (brief.locked_from) {
    for (auto& c : chords) {
      for (const auto& l : brief.locks) {
        if (l.part || c.at < l.from || c.at >= l.to) continue;
        for (const auto& lc : brief.locked_from->chords) {
          if (lc.at > c.at || c.at >= lc.at + lc.length) continue;
          auto parsed = parse_score_chord(lc.symbol);
          if (!parsed) continue;
          c.root = parsed->chord.root.pitch_class();
          c.kind = parsed->chord.kind;
          c.add9 = parsed->add9;
          if (parsed->chord.bass) c.bass = parsed->chord.bass->pitch_class();
          c.role = lc.role;
          c.forced = true;
        }
      }
      for (const auto& part : brief.locked_from->parts) {
        if (part.role != Role::bass) continue;
        bool locked_here = false;
        for (const auto& l : brief.locks)
          if ((!l.part || *l.part == part.name) && l.from <= c.at && c.at < l.to)
            locked_here = true;
        if (!locked_here) continue;
        for (const auto& n : part.notes)
          if (n.start <= c.at && c.at < n.start + n.length)
            c.fixed[0] = std::min(c.fixed[0].value_or(127), n.pitch);
      }
    }
  }
  // A locked bass the chord does not hold makes it a slash chord over that bass (a pedal).
  auto slash_over_locked_bass = [&] {
    for (auto& c : chords) {
      if (!c.fixed[0]) continue;
      const int pc = music::wrap_pitch_class(*c.fixed[0]);
      const auto tones = c.tones();
      if (std::find(tones.begin(), tones.end(), pc) != tones.end() && pc == c.root) continue;
      if (pc == c.bass.value_or(c.root)) continue;
      c.bass = pc;
      c.pedal = std::find(tones.begin(), tones.end(), pc) == tones.end();
    }
  };

  // Pitch classes locked at a chord's start (any locked part): a free chord holds them if it can.
  auto locked_pcs = [&](const HarmonyChord& c) {
    std::vector<int> pcs;
    // The held melody (a theme statement) on the chord's beats: the chord holds its notes.
    for (const auto& n : held_notes)
      if (n.start < c.end() && n.start + n.length > c.at &&
          (n.start <= c.at || plan.metric_weight(n.start) >= 1)) {
        const int pc = music::wrap_pitch_class(n.pitch);
        if (std::find(pcs.begin(), pcs.end(), pc) == pcs.end()) pcs.push_back(pc);
      }
    if (!brief.locked_from) return pcs;
    for (const auto& part : brief.locked_from->parts) {
      if (part.channel == 9) continue;
      bool locked_here = false;
      for (const auto& l : brief.locks)
        if ((!l.part || *l.part == part.name) && l.from <= c.at && c.at < l.to) locked_here = true;
      if (!locked_here) continue;
      for (const auto& n : part.notes)
        if (n.start <= c.at && c.at < n.start + n.length)
          pcs.push_back(music::wrap_pitch_class(n.pitch));
    }
    return pcs;
  };

  // ---- the free chords
  std::vector<model::ChordItem> items;
  std::vector<int> symbols;  // 5 * degree + class, relative to each chord's section tonic
  double td_time = 0, all_time = 0;
  for (std::size_t i = 0; i < chords.size(); ++i) {
    auto& c = chords[i];
    const auto& s = plan.sections[c.section];
    const int prev_degree = i == 0 ? 0 : music::wrap_pitch_class(chords[i - 1].root - s.tonic);
    const int prev_q = i == 0 ? class_of(tonic_kind(s.mode)) : class_of(chords[i - 1].kind);
    const int prev_symbol = i == 0 ? -1 : 5 * prev_degree + prev_q;
    if (!c.forced) {
      std::vector<double> dist;
      if (chord_model) {
        // The model reads the last dozen chords: enough for its contexts, and linear in the
        // cue's length.
        std::vector<model::ChordItem> window(
            items.end() - static_cast<std::ptrdiff_t>(std::min<std::size_t>(items.size(), 12)),
            items.end());
        window.push_back(model::ChordItem{0, 0, -1});
        const auto predicted = chord_model->predict(window, minor_like(s.mode));
        if (!predicted.empty()) dist = predicted.back();
      }
      const auto held = locked_pcs(c);
      auto holds = [&](int sym) {
        for (int pc : held) {
          const auto& tones = kTriad[static_cast<std::size_t>(sym % 5)];
          if (std::none_of(tones.begin(), tones.end(), [&](int t) {
                return music::wrap_pitch_class(s.tonic + sym / 5 + t) == pc;
              }))
            return false;
        }
        return true;
      };
      std::array<double, model::kChordSymbols> weights{};
      std::array<std::string, model::kChordSymbols> roles;
      const int prev_index = degree_of(prev_degree, s.mode);
      const double td_share = all_time > 0 ? td_time / all_time : 0;
      bool any_holds = false;
      for (int pass = 0; pass < 2; ++pass) {
        double total = 0;
        for (int sym = 0; sym < model::kChordSymbols; ++sym) {
          weights[static_cast<std::size_t>(sym)] = 0;
          const int degree = sym / 5, q = sym % 5;
          if (sym == prev_symbol) continue;  // a repeated chord is a held chord
          if (pass == 0 && !held.empty() && !holds(sym)) continue;
          double w = prior(degree, q, s.mode, s.controls.vocabulary.value, prev_degree, prev_q,
                           roles[static_cast<std::size_t>(sym)]);
          if (w <= 0) continue;
          // When no chord holds every held note, the more it holds the better, and a chord
          // tone a semitone from one of them (an unprepared rub) is all but ruled out.
          if (pass == 1 && !held.empty()) {
            const auto& tones = kTriad[static_cast<std::size_t>(q)];
            int holding = 0, rubbing = 0;
            for (int pc : held)
              for (int t : tones) {
                const int d = music::wrap_pitch_class(s.tonic + degree + t - pc);
                if (d == 0) ++holding;
                if (d == 1 || d == 11) ++rubbing;
              }
            w *= std::pow(3.0, holding) * std::pow(0.05, rubbing);
          }
          if (dist.size() == model::kChordSymbols) {
            w *= dist[static_cast<std::size_t>(sym)] + 2e-3;
          } else {
            const int d = degree_of(degree, s.mode);
            w *= (d >= 0 ? kMoves[static_cast<std::size_t>(prev_index < 0 ? 0 : prev_index)]
                                 [static_cast<std::size_t>(d)]
                         : 0.1) +
                 0.05;
          }
          // The tonic and the dominant close every phrase already: between cadences they are
          // held back, more so as their share grows.
          // A scene clearly warm or dark leans on its tonic a little more (the key must be
          // heard: held back too far, a major key's vi and ii sound like a minor key).
          const double tonic_hold = std::abs(s.emotion.valence) > 0.2 ? 0.65 : 0.35;
          if (degree == 0) w *= td_share > 0.45 ? 0.1 : tonic_hold;
          if (degree == 7) w *= td_share > 0.4 ? 0.1 : 0.3;
          // The chords' own colour follows the scene's valence: minor triads for a dark scene
          // (a minor key's bIII, bVI and bVII are major and would brighten it), major ones for
          // a warm one (Gabrielsson & Lindstrom 2010: mode is valence's strongest cue).
          const double v = s.emotion.valence;
          if (q == 1) w *= v < 0 ? 1 + 2.0 * -v : std::max(0.2, 1 - 0.9 * v);
          if (q == 0) w *= v < 0 ? std::max(0.15, 1 - 1.2 * -v) : 1 + 0.8 * v;
          // No alternation of two chords longer than four (A B A B).
          if (symbols.size() >= 3 && sym == symbols[symbols.size() - 2] &&
              symbols[symbols.size() - 1] == symbols[symbols.size() - 3])
            w *= 0.02;
          weights[static_cast<std::size_t>(sym)] = w;
          total += w;
        }
        if (total > 0) {
          any_holds = pass == 0;
          break;
        }
      }
      (void)any_holds;
      int chosen = 5 * 5 + (bright(s.mode) ? 0 : 1);  // the subdominant when nothing is allowed
      if (std::any_of(weights.begin(), weights.end(), [](double w) { return w > 0; }))
        chosen = static_cast<int>(rng.pick(weights));
      c.root = music::wrap_pitch_class(s.tonic + chosen / 5);
      c.kind = kTriadKind[static_cast<std::size_t>(chosen % 5)];
      c.role = roles[static_cast<std::size_t>(chosen)].empty()
                   ? "diatonic"
                   : roles[static_cast<std::size_t>(chosen)];
      if (dist.size() == model::kChordSymbols)
        ++notes.chords_from_model;
      else
        ++notes.chords_from_table;
    }
    const int degree = music::wrap_pitch_class(c.root - s.tonic);
    const int sym = 5 * degree + class_of(c.kind);
    symbols.push_back(sym);
    const double len = static_cast<double>(c.length.ticks());
    all_time += len;
    if (degree == 0 || degree == 7) td_time += len;
    items.push_back(model::ChordItem{sym, static_cast<int>(c.length.ticks() / kQuarter), -1});
  }
  // No two chords back and forth more than four times (A B A B): where the cadences and the
  // free chords fall into a longer swing, a free chord in it moves to the subdominant side.
  // (Run before the colour and again after it: a seventh can make two chords sound alike.)
  auto break_swings = [&] {
    // A chord is told apart as it is heard, with its bass under it, by the chord recognition
    // the critics use: B minor over a dominant pedal A is heard as D (the tonic six-four), so
    // that Bm/A - A - D/A - A swings between D and A; C over A as A minor.
    auto id = [](const HarmonyChord& c) {
      const auto tones = c.tones();
      if (const auto heard = heard_as(tones, c.bass.value_or(c.root)))
        return 5 * heard->root + static_cast<int>(heard->triad);
      return 5 * c.root + class_of(c.kind);
    };
    for (int pass = 0; pass < 3; ++pass) {
      int run = 1;
      bool changed = false;
      // The chords as heard: a chord struck again is one chord (recognition merges them), so
      // Gm Am Gm Gm Am is a swing of five, not two swings.
      std::vector<std::size_t> heard;
      std::vector<int> ids;
      for (std::size_t i = 0; i < chords.size(); ++i) {
        const int x = id(chords[i]);
        if (!ids.empty() && ids.back() == x) continue;
        heard.push_back(i);
        ids.push_back(x);
      }
      for (std::size_t j = 1; j < heard.size(); ++j) {
        const std::size_t i = heard[j];
        run = j >= 2 && ids[j] == ids[j - 2] ? run + 1 : 2;
        if (run <= 3) continue;  // (recognised per beat, a swing can look one longer)
        HarmonyChord* change = !chords[i].forced              ? &chords[i]
                               : !chords[heard[j - 1]].forced ? &chords[heard[j - 1]]
                                                              : nullptr;
        if (!change) continue;
        const auto& s = plan.sections[change->section];
        const bool minor = minor_like(s.mode);
        const std::array<std::pair<int, ChordKind>, 4> options = {{
            {5, minor ? ChordKind::min : ChordKind::maj},
            {minor ? 8 : 9, minor ? ChordKind::maj : ChordKind::min},
            {minor ? 10 : 2, minor ? ChordKind::maj : ChordKind::min},
            {minor ? 3 : 4, minor ? ChordKind::maj : ChordKind::min},
        }};
        for (const auto& [degree, kind] : options) {
          HarmonyChord trial = *change;
          trial.root = music::wrap_pitch_class(s.tonic + degree);
          trial.kind = kind;
          const std::size_t k = static_cast<std::size_t>(change - chords.data());
          const bool differs = (k == 0 || id(trial) != id(chords[k - 1])) &&
                               (k + 1 >= chords.size() || id(trial) != id(chords[k + 1])) &&
                               (k < 2 || id(trial) != id(chords[k - 2]));
          if (!differs) continue;
          change->root = trial.root;
          change->kind = trial.kind;
          change->role = "predominant (breaks a swing of two chords)";
          changed = true;
          break;
        }
        run = 1;
      }
      if (!changed) break;
    }
  };
  break_swings();
  slash_over_locked_bass();
  // ---- colour, with the tension
  for (auto& c : chords) {
    const auto& s = plan.sections[c.section];
    const HarmonyChord plain = c;
    add_colour(c, plan.relative_tension(c.at),
               approach_colour(plan.approach) * std::clamp(0.4 + 1.2 * plan.tension_high, 0.4, 1.0),
               s.emotion.valence, s.tonic, rng);
    // Colour that would rub a semitone against a held melody note is left out; a chord the plan
    // forced under one bends to it: the fourth held over a major or minor triad makes it a
    // sus4 (V7sus4 on the dominant), a seventh held makes it a seventh chord.
    // (Every held note the chord sounds under on a beat counts, not only the first.)
    std::vector<int> held_here;
    for (const auto& n : held_notes)
      if (n.start < c.end() && n.start + n.length > c.at &&
          (n.start <= c.at || plan.metric_weight(n.start) >= 1))
        held_here.push_back(music::wrap_pitch_class(n.pitch));
    auto rubs_any = [&](const HarmonyChord& x) {
      for (int pc : held_here)
        for (int t : x.tones())
          if (music::wrap_pitch_class(t - pc) == 1 || music::wrap_pitch_class(pc - t) == 1)
            return true;
      return false;
    };
    if (rubs_any(c)) c = plain;
    if (const auto m = sounding(held_notes, c.at)) {
      const int pc = music::wrap_pitch_class(*m);
      auto rubs = [&](const HarmonyChord& x) {
        for (int t : x.tones())
          if (music::wrap_pitch_class(t - pc) == 1 || music::wrap_pitch_class(pc - t) == 1)
            return true;
        return false;
      };
      if (rubs(c)) {
        const int above = music::wrap_pitch_class(pc - c.root);
        const bool major = music::triad_class(c.kind) == music::TriadClass::maj;
        const bool minor = music::triad_class(c.kind) == music::TriadClass::min;
        HarmonyChord bent = c;
        bent.add9 = false;
        if (above == 5 && (major || minor))
          bent.kind =
              c.role.find("dominant") != std::string::npos ? ChordKind::dom7_sus4 : ChordKind::sus4;
        else if (above == 11 && major)
          bent.kind = ChordKind::maj7;
        else if (above == 10 && major)
          bent.kind = ChordKind::dom7;
        else if (above == 10 && minor)
          bent.kind = ChordKind::min7;
        if (!rubs(bent)) c = bent;
      }
    }
    // The final chord keeps its tonic and third clear: a seventh at most.
    if (c.at == plan.final_chord &&
        (c.kind == ChordKind::min9 || c.kind == ChordKind::maj9 || c.kind == ChordKind::min_maj7))
      c.kind = c.kind == ChordKind::maj9 ? ChordKind::maj7 : ChordKind::min7;
  }
  break_swings();
  return out;
}

std::optional<music::ChordLabel> heard_as(std::span<const int> tones, int bass) {
  std::vector<music::TimedNote> notes;
  for (int t : tones)
    notes.push_back({60 + music::wrap_pitch_class(t), 0, 1, 1});
  notes.push_back({36 + music::wrap_pitch_class(bass), 0, 1, 1});
  const std::array<double, 2> span = {0, 1};
  const auto heard = music::recognize_chords(notes, span);
  if (heard.empty()) return std::nullopt;
  return heard.front().chord;
}

// ---------------------------------------------------------------- voicing

void voice_progression(Progression& progression, const CuePlan& plan,
                       const std::vector<ScoreNote>& melody, Rng& rng, WriterNotes& notes) {
  auto& chords = progression.chords;
  std::optional<Voicing> previous;
  std::optional<int> melody_before;
  for (std::size_t i = 0; i < chords.size(); ++i) {
    auto& c = chords[i];
    const auto& s = plan.sections[c.section];
    // The ceiling: a whole step under the lowest melody note over the chord (or under the
    // section's melody register when the melody rests).
    int lowest = s.melody_low;
    bool any = false;
    for (const auto& n : melody) {
      if (n.start >= c.end()) break;
      if (n.start + n.length <= c.at) continue;
      lowest = any ? std::min(lowest, n.pitch) : n.pitch;
      any = true;
    }
    const int ceiling = std::clamp(lowest - 2, 64, 74);
    const bool loud = s.intensity >= 0.55;
    // Floors the voices' instruments reach in every ensemble (a violin's G3 for the soprano, a
    // viola's or a violin's for the alto, a horn's or a viola's for the tenor).
    const auto floors = voice_floors(plan.approach);
    std::array<VoiceRange, 4> ranges = {{
        // (An octave at least, so that every root has a place: the cello's C2 floor.)
        {std::max(floors[0], loud ? 31 : 36), std::max(floors[0] + 11, loud ? 45 : 50)},
        {std::max(48, ceiling - 21), std::max(53, ceiling - 7)},
        {std::max(55, ceiling - 16), std::max(57, ceiling - 3)},
        {std::max(57, ceiling - 12), ceiling},
    }};
    VoicingRequest req;
    const auto tones = c.tones();
    req.pitch_classes.assign(
        tones.begin(),
        tones.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(4, tones.size())));
    if (c.pedal && c.bass) {
      // Over a pedal the three upper voices carry the chord: its three most telling tones.
      req.pitch_classes.resize(std::min<std::size_t>(3, req.pitch_classes.size()));
      req.bass_classes = {*c.bass};
    } else {
      req.bass_classes = {c.bass.value_or(c.root)};
      // First inversions colour a few free major and minor triads.
      if (!c.forced && !c.bass && (c.kind == ChordKind::maj || c.kind == ChordKind::min) &&
          rng.chance(0.25))
        req.bass_classes.push_back(tones[1]);
    }
    req.ranges = ranges;
    req.previous = previous;
    req.fixed = c.fixed;
    // A pedal holds its pitch: the same bass as the chord before when it is the same pedal.
    if (c.pedal && previous && i > 0 && chords[i - 1].pedal && chords[i - 1].bass == c.bass)
      req.fixed[0] = (*previous)[0];
    const auto mel_now = sounding(melody, c.at);
    if (melody_before && mel_now) req.melody = std::make_pair(*melody_before, *mel_now);
    auto choice = choose_voicing(req);
    if (choice && !choice->keeps_rules && req.bass_classes.size() == 1 && !c.pedal && !c.forced &&
        (c.kind == ChordKind::maj || c.kind == ChordKind::min)) {
      req.bass_classes.push_back(tones[1]);
      if (auto again = choose_voicing(req); again && again->keeps_rules) choice = again;
    }
    if (choice && !choice->keeps_rules && req.melody && !req.fixed[0]) {
      // The melody came first: the bass may take the other octave or the third to keep clear.
      auto wider = req;
      wider.ranges[0] = {std::max({28, floors[0], ranges[0].low - 7}), ranges[0].high + 5};
      if (!c.pedal && !c.forced && (c.kind == ChordKind::maj || c.kind == ChordKind::min) &&
          wider.bass_classes.size() == 1)
        wider.bass_classes.push_back(tones[1]);
      if (auto again = choose_voicing(wider); again && again->keeps_rules) choice = again;
    }
    if (choice && !choice->keeps_rules && req.melody) {
      // When no voicing keeps clear of it, keep the voices' own rules.
      auto without = req;
      without.melody.reset();
      if (auto again = choose_voicing(without); again && again->keeps_rules) choice = again;
    }
    if (choice && !choice->keeps_rules) {
      // Narrow registers under a low melody: open them a little (the soprano up to a half step
      // under the melody) before giving up on the rules.
      auto open = req;
      open.ranges[1] = {std::max({43, floors[1], ranges[1].low - 5}), ranges[1].high + 2};
      open.ranges[2] = {std::max({50, floors[2], ranges[2].low - 5}), ranges[2].high + 2};
      open.ranges[3] = {std::max({55, floors[3], ranges[3].low - 4}), ranges[3].high + 1};
      open.ranges[0] = {std::max({28, floors[0], ranges[0].low - 9}), ranges[0].high + 5};
      // A free chord may stand on another of its tones (a sus chord on its fifth); a cadence
      // keeps its root in the bass.
      if (!c.pedal && !c.fixed[0] && !c.forced)
        for (std::size_t t = 1; t < std::min<std::size_t>(3, tones.size()); ++t)
          if (std::find(open.bass_classes.begin(), open.bass_classes.end(), tones[t]) ==
              open.bass_classes.end())
            open.bass_classes.push_back(tones[t]);
      if (auto again = choose_voicing(open); again && again->keeps_rules) choice = again;
    }
    if (choice && !choice->keeps_rules && (c.add9 || c.tones().size() > 3)) {
      // Last, the colour gives way: the plain triad voices more freely.
      auto plain = req;
      plain.pitch_classes.clear();
      for (int t : kTriad[static_cast<std::size_t>(class_of(c.kind))])
        plain.pitch_classes.push_back(music::wrap_pitch_class(c.root + t));
      if (auto again = choose_voicing(plain); again && again->keeps_rules) {
        choice = again;
        c.add9 = false;
        if (c.tones().size() > 3)
          c.kind = music::triad_class(c.kind) == music::TriadClass::min   ? ChordKind::min
                   : music::triad_class(c.kind) == music::TriadClass::maj ? ChordKind::maj
                                                                          : c.kind;
      }
    }
    // A cadence inside the cue may stand in first inversion (an imperfect cadence) rather than
    // break a rule; the last chord and a hit's arrival keep their root.
    if (choice && !choice->keeps_rules && c.forced && !c.pedal && !c.fixed[0] &&
        c.at != plan.final_chord && !plan.hit_at(c.at) && tones.size() >= 2) {
      auto inverted = req;
      inverted.bass_classes = {c.root, tones[1]};
      if (auto again = choose_voicing(inverted); again && again->keeps_rules) choice = again;
    }
    if (!choice || !choice->keeps_rules) {
      ++notes.voicing_fallbacks;
      notes.log.push_back("no voicing of " + c.symbol(s.tonic, s.mode) + " at tick " +
                          std::to_string(c.at.ticks()) +
                          " keeps every rule under the melody: the least bad was taken");
    }
    c.voicing = choice ? choice->voicing
                       : Voicing{ranges[0].low, ranges[1].low, ranges[2].low, ranges[3].low};
    // A prepared 4-3 suspension: a voice held over from the chord before as the fourth above
    // this root, resolving down to the third.
    if (previous && c.kind != ChordKind::sus4 && c.kind != ChordKind::dom7_sus4 &&
        c.length >= BeatDur(kQuarter * 2) && !c.pedal) {
      const double want = std::clamp(
          s.controls.vocabulary.value.suspensions * 0.8 + 0.7 * plan.relative_tension(c.at) - 0.15,
          0.0, 0.8);
      for (std::size_t v = 1; v < 4; ++v) {
        const int third = c.voicing[v];
        const int held = (*previous)[v];
        const int third_pc = music::wrap_pitch_class(third - c.root);
        if ((third_pc == 3 || third_pc == 4) && music::wrap_pitch_class(held - c.root) == 5 &&
            held - third > 0 && held - third <= 2 && !c.fixed[v] && rng.chance(want)) {
          // The held note must not sit over the melody.
          if (mel_now && held >= *mel_now) continue;
          // Nor over (or on) the voice above it: a suspension is not a crossing.
          if (v + 1 < 4 && held >= c.voicing[v + 1]) continue;
          c.suspended_voice = v;
          c.suspended_pitch = held;
          notes.log.push_back("a 4-3 suspension at tick " + std::to_string(c.at.ticks()));
          break;
        }
      }
    }
    previous = c.voicing;
    if (mel_now) melody_before = mel_now;
    // The melody pitch at the next chord's start is read then; between chords it moves freely.
    if (i + 1 < chords.size()) {
      const auto before_next = sounding(melody, chords[i + 1].at - BeatDur(1));
      if (before_next) melody_before = before_next;
    }
  }
}

}  // namespace duet::compose
