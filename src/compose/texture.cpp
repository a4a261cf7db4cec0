#include "compose/texture.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "compose/craft.h"
#include "compose/tonal.h"
#include "compose/voicing.h"
#include "music/instrument.h"
#include "music/pitch.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;
constexpr std::int64_t kQuarter = time::kTicksPerQuarter;
constexpr std::int64_t k16 = kQuarter / 4;

// General MIDI percussion keys.
constexpr int kKick = 36, kSnare = 38, kLowTom = 41, kMidTom = 43, kHighTom = 45, kCrash = 49,
              kRide = 51;

const music::Instrument& instrument(std::string_view id) {
  const auto* found = music::find_instrument(id);
  return found ? *found : music::orchestra().front();
}

int fold_into(int pitch, int low, int high) {
  while (pitch < low && pitch + 12 <= 127)
    pitch += 12;
  while (pitch > high && pitch - 12 >= 0)
    pitch -= 12;
  return pitch;
}

int fit_to(const music::Instrument& inst, int pitch) {
  if (inst.drums) return pitch;
  int p = fold_into(pitch, inst.comfortable_low, inst.comfortable_high);
  if (!inst.in_range(p)) p = fold_into(pitch, inst.low, inst.high);
  return std::clamp(p, inst.low, inst.high);
}

struct Builder {
  Part part;
  const music::Instrument* inst = nullptr;
  void add(BeatPos at, BeatDur length, int pitch, int velocity) {
    if (length.ticks() <= 0) return;
    part.notes.push_back({at, length, fit_to(*inst, pitch), std::clamp(velocity, 1, 127)});
  }
  // Adds keeping the pitch as given when the instrument plays it (a doubling stays an octave).
  void add_exact(BeatPos at, BeatDur length, int pitch, int velocity) {
    if (length.ticks() <= 0) return;
    const int p = inst->in_range(pitch) ? pitch : fit_to(*inst, pitch);
    part.notes.push_back({at, length, p, std::clamp(velocity, 1, 127)});
  }
};

Builder make(std::string name, std::string_view id, Role role, int program = -1) {
  const auto& inst = instrument(id);
  Builder b;
  b.inst = &inst;
  b.part.name = std::move(name);
  b.part.instrument = inst.id;
  b.part.program = program >= 0 ? program : inst.program;
  b.part.channel = inst.drums ? 9 : 0;
  b.part.role = role;
  return b;
}

// The pitch a line sounds just before `at` (the note sounding at at-1), if any.
std::optional<int> before(const std::vector<ScoreNote>& line, BeatPos at) {
  return sounding(line, at - BeatDur(1));
}

// Would a line moving from `from` to `to` at `at` make parallel fifths or octaves with `other`
// (which sounds `o0` before and `o1` at `at`)?
bool parallel_with(const std::vector<ScoreNote>& other, BeatPos at, int from, int to) {
  const auto o0 = before(other, at), o1 = sounding(other, at);
  if (!o0 || !o1) return false;
  return parallel_perfect(from, *o0, to, *o1);
}

bool parallel_with_any(const std::vector<const std::vector<ScoreNote>*>& lines, BeatPos at,
                       int from, int to) {
  for (const auto* l : lines)
    if (parallel_with(*l, at, from, to)) return true;
  return false;
}

bool minor_like(music::Mode mode) {
  return !bright(mode);
}

}  // namespace

int dynamic_at(const CuePlan& plan, BeatPos at) {
  const auto& s = plan.section_at(at);
  const auto& d = s.controls.dynamics.value;
  const double span = static_cast<double>((s.end - s.at).ticks());
  const double x = span > 0 ? static_cast<double>((at - s.at).ticks()) / span : 0.0;
  const double mid = (d.min_velocity + d.max_velocity) / 2.0;
  const double half = (d.max_velocity - d.min_velocity) / 2.0;
  double v = mid + half * d.crescendo * (2 * x - 1);
  // An arc to the climax: up to +6 on its bar, fading over two bars either side.
  const double bars = static_cast<double>((at - s.climax).ticks()) /
                      std::max<double>(1.0, static_cast<double>(plan.bar_length(at).ticks()));
  v += 6.0 * std::exp(-0.5 * bars * bars / 2.0);
  // A crescendo over the bar before a big hit (and before a drop-out, which it cuts off).
  for (const auto& h : plan.hits) {
    if (h.treatment != HitTreatment::stinger && h.treatment != HitTreatment::tutti &&
        h.treatment != HitTreatment::dropout)
      continue;
    const BeatDur bar = plan.bar_length(h.at);
    if (at < h.at && at >= h.at - bar) {
      const double y =
          1.0 - static_cast<double>((h.at - at).ticks()) / static_cast<double>(bar.ticks());
      v += 14.0 * y;
    }
  }
  if (plan.in_dialogue(at, at + BeatDur(1))) v -= 14;
  // A held ending fades.
  if (plan.ending == CueEnding::held && at >= plan.final_chord) v -= 8;
  return std::clamp(static_cast<int>(std::lround(v)), 12, 120);
}

// The last word on parallels: the voices are written to avoid them, but a passing tone, an
// anticipation or an octave leap in the bass can still meet another line in fifths or octaves.
// (texture.h says how each line gives way.)

int mend_parallels(std::vector<Part>& parts, const CuePlan& plan, const Progression& progression,
                   const std::function<bool(const Part&, const ScoreNote&)>& frozen) {
  auto find = [&](const std::string& name) -> Part* {
    for (auto& p : parts)
      if (p.name == name) return &p;
    return nullptr;
  };
  auto count = [&] {
    Score tmp;
    tmp.tempo_map = plan.tempo_map;
    tmp.end = plan.end;
    tmp.parts = parts;
    return voice_leading(tmp);
  };
  auto rank = [](Role r) {
    switch (r) {
      case Role::melody:
        return 3;
      case Role::bass:
        return 2;
      case Role::countermelody:
        return 0;
      default:
        return 1;
    }
  };
  auto vl = count();
  for (int round = 0; round < 60 && !vl.parallels.empty(); ++round) {
    const std::size_t before = vl.parallels.size();
    // A try is kept when it leaves fewer parallels and no more crossings.
    auto improves = [&] {
      auto again = count();
      if (again.parallels.size() >= before || again.crossings.size() > vl.crossings.size())
        return false;
      vl = std::move(again);
      return true;
    };
    bool mended = false;
    for (const auto& par : vl.parallels) {
      Part* up = find(par.upper);
      Part* lo = find(par.lower);
      if (!up || !lo) continue;
      // The part to change: the lower rank first (the harmony voice before the bass), then the
      // other unless it is the melody.
      for (int side = 0; side < 2 && !mended; ++side) {
        Part* first = rank(up->role) <= rank(lo->role) ? up : lo;
        Part* change = side == 0 ? first : (first == up ? lo : up);
        // The melody gives way last: a neighbouring tone of the chord, when the other line could
        // not move (the composer's locked bass, or a bass every octave of which stays parallel).
        const int to = change == up ? par.upper_to : par.lower_to;
        const int from = change == up ? par.upper_from : par.lower_from;
        auto it = std::find_if(change->notes.begin(), change->notes.end(), [&](const ScoreNote& n) {
          return n.start == par.at && n.pitch == to;
        });
        if (it == change->notes.end()) continue;
        // A locked note stays; the free note before it may approach it another way.
        bool before_note = false;
        if (frozen && frozen(*change, *it)) {
          if (change->role == Role::bass) continue;
          // (The last note before, even when a rest or the lock's seam comes between.)
          auto prev = change->notes.end();
          for (auto n = change->notes.begin(); n != change->notes.end(); ++n)
            if (n->start < par.at && n->pitch == from &&
                (prev == change->notes.end() || n->start > prev->start))
              prev = n;
          if (prev == change->notes.end() || frozen(*change, *prev)) continue;
          it = prev;
          before_note = true;
        }
        const std::size_t index = static_cast<std::size_t>(it - change->notes.begin());
        const int pivot = before_note ? from : to;
        std::vector<std::vector<ScoreNote>> tries;
        const auto* inst = music::find_instrument(change->instrument);
        if (change->role == Role::countermelody) {
          auto without = change->notes;
          without.erase(without.begin() + static_cast<std::ptrdiff_t>(index));
          tries.push_back(std::move(without));
        } else if (change->role == Role::bass) {
          // The bass parts move together (the cellos double the basses): every bass note struck
          // here leaps the other way by an octave.
          // (Or the note before leaps, so that the bass comes the other way into this one.)
          const auto original_parts = parts;
          // (Copy-assigning parts of the same count keeps every part where it was: the pointers
          // into it stay good.)
          auto undo = [&] { parts = original_parts; };
          // First, a part doubling another bass part (the cellos over the basses) gives way
          // alone, the line itself staying: it joins the basses at the unison for this note, or
          // rests there and lets them carry it.
          {
            bool doubling = false, octave = false;
            const ScoreNote here = change->notes[index];
            for (const auto& q : parts)
              if (q.role == Role::bass && &q != change)
                for (const auto& m : q.notes)
                  if (m.start == here.start) {
                    doubling = true;
                    octave = octave || (m.pitch == here.pitch - 12 &&
                                        (!inst || inst->in_range(here.pitch - 12)));
                  }
            if (doubling && !before_note && !(frozen && frozen(*change, here))) {
              for (int attempt = octave ? 0 : 1; attempt < 2 && !mended; ++attempt) {
                auto& line = change->notes;
                if (attempt == 0)
                  line[index].pitch -= 12;
                else
                  line.erase(line.begin() + static_cast<std::ptrdiff_t>(index));
                if (improves()) {
                  mended = true;
                  break;
                }
                undo();
              }
              if (mended) break;
            }
          }
          // (Last, the bass takes the chord's third or fifth: an inversion.)
          const auto& chord_here = progression.at(par.at);
          const auto tones = chord_here.tones();
          std::vector<int> shifts = {-12, 12, -12, 12};
          // (A cadence's bass stays on its root: the arrival is the point.)
          if (!chord_here.forced)
            for (int t : tones) {
              if (music::wrap_pitch_class(t - to) == 0) continue;
              int d = music::wrap_pitch_class(t - to);
              if (d > 6) d -= 12;
              shifts.push_back(d);
            }
          for (std::size_t attempt = 0; attempt < shifts.size(); ++attempt) {
            const int octave = shifts[attempt];
            const bool previous_note = attempt >= 2 && attempt < 4;
            bool ok = true, any = false;
            for (auto& p : parts) {
              if (p.role != Role::bass) continue;
              const auto* pi = music::find_instrument(p.instrument);
              for (auto& n : p.notes) {
                const bool here =
                    previous_note ? n.start < par.at && n.start + n.length >= par.at &&
                                        music::wrap_pitch_class(n.pitch - from) == 0
                                  : n.start == par.at && music::wrap_pitch_class(n.pitch - to) == 0;
                if (!here) continue;
                if (frozen && frozen(p, n)) ok = false;
                n.pitch += octave;
                any = true;
                if (pi && !pi->in_range(n.pitch)) ok = false;
              }
            }
            if (ok && any && improves()) {
              mended = true;
              break;
            }
            undo();
          }
          if (mended) break;
          continue;
        } else {
          const auto& c = progression.at(change->notes[index].start);
          const auto tones = c.tones();
          std::vector<int> options;
          if (!before_note &&
              std::find(tones.begin(), tones.end(), music::wrap_pitch_class(from)) != tones.end())
            options.push_back(from);
          for (int d = 1; d <= 7; ++d)
            for (int q : {pivot - d, pivot + d})
              if (std::find(tones.begin(), tones.end(), music::wrap_pitch_class(q)) != tones.end())
                options.push_back(q);
          // The melody may also leap to the other octave of its note (a common way out).
          if (change->role == Role::melody) {
            options.push_back(pivot + 12);
            options.push_back(pivot - 12);
          }
          for (int q : options) {
            if (inst && !inst->in_range(q)) continue;
            auto moved = change->notes;
            moved[index].pitch = q;
            tries.push_back(std::move(moved));
          }
          // Last, a harmony voice rests for that chord (the others carry it).
          if (change->role != Role::melody) {
            auto without = change->notes;
            without.erase(without.begin() + static_cast<std::ptrdiff_t>(index));
            tries.push_back(std::move(without));
          }
        }
        // A line may also come at the note another way: its note before takes another tone.
        if (!before_note && change->role != Role::bass && change->role != Role::countermelody) {
          std::size_t prev = change->notes.size();
          for (std::size_t k = 0; k < change->notes.size(); ++k)
            if (change->notes[k].start < par.at && change->notes[k].pitch == from &&
                (prev == change->notes.size() ||
                 change->notes[k].start > change->notes[prev].start))
              prev = k;
          if (prev < change->notes.size() && !(frozen && frozen(*change, change->notes[prev]))) {
            const auto near = progression.at(change->notes[prev].start).tones();
            for (int d = 1; d <= 4; ++d)
              for (int q : {from - d, from + d}) {
                if (std::find(near.begin(), near.end(), music::wrap_pitch_class(q)) == near.end())
                  continue;
                if (inst && !inst->in_range(q)) continue;
                auto moved = change->notes;
                moved[prev].pitch = q;
                tries.push_back(std::move(moved));
              }
          }
        }
        const auto original = change->notes;
        for (auto& t : tries) {
          change->notes = std::move(t);
          if (improves()) {
            mended = true;
            break;
          }
          change->notes = original;
        }
      }
      if (mended) break;
    }
    if (!mended) break;
  }
  return static_cast<int>(vl.parallels.size());
}

std::vector<Part> write_texture(const CuePlan& plan, const Progression& progression,
                                const MelodyLine& melody_line, Rng& rng, WriterNotes& notes) {
  const auto& chords = progression.chords;
  const Approach ap = plan.approach;
  const auto& mel = melody_line.notes;
  const SceneSummary scene = plan.cue ? summarise(*plan.cue) : SceneSummary{};
  auto intensity = [&](BeatPos at) { return plan.intensity_at(at); };
  // The accompaniment's level under the melody: hybrid writing (drums, a gallop, a synth pad)
  // is trimmed further so that its brass melody stays on top.
  const int trim = ap == Approach::hybrid ? -3 : 0;
  auto vel = [&](BeatPos at, int offset) {
    return std::clamp(dynamic_at(plan, at) + offset + trim, 1, 127);
  };

  // ---- the ensemble
  // The melody's instrument, for the whole cue.
  std::string melody_id = "violin", melody_name = "Violins I";
  int melody_program = 48;  // the string section's sound
  switch (ap) {
    case Approach::lyrical:
    case Approach::ostinato:
      break;
    case Approach::pulse:
      melody_id = "flute";
      melody_name = "Flute";
      melody_program = -1;
      break;
    case Approach::chamber:
      melody_id = scene.valence < -0.2 ? "oboe" : scene.valence > 0.3 ? "flute" : "clarinet";
      melody_name = instrument(melody_id).name;
      melody_program = -1;
      break;
    case Approach::hybrid:
      melody_id = "trumpet";
      melody_name = "Trumpets";
      melody_program = -1;
      break;
  }
  // The composer's melody instrument wins.
  if (const auto& pal = plan.sections.front().controls.palette; pal.overridden) {
    if (const auto* inst = music::instrument_for_program(pal.value.melody); inst && !inst->drums) {
      melody_id = inst->id;
      melody_name = inst->id == "violin" ? "Violins I" : inst->name;
      melody_program = pal.value.melody;
    }
  }
  Builder melody = make(melody_name, melody_id, Role::melody, melody_program);
  Builder flute_dbl = make(melody_id == "flute" ? "Piccolo" : "Flutes",
                           melody_id == "flute" ? "piccolo" : "flute", Role::pad);
  Builder horn_dbl = make("Horns 1-2", "horn", Role::pad);
  Builder counter = make(melody_id == "clarinet" ? "Oboe" : "Clarinets",
                         melody_id == "clarinet" ? "oboe" : "clarinet", Role::countermelody);
  Builder stabs = make("Trombones", "trombone", Role::pad);
  Builder timpani = make("Timpani", "timpani", Role::percussion);
  Builder drums = make("Percussion", "drums", Role::percussion);
  Builder figure = make("Harp", "harp", Role::ostinato);
  Builder voices[4];
  voices[0] = make("Basses", "double_bass", Role::bass);
  Builder cellos = make("Cellos", "cello", Role::bass);
  voices[1] = make("Horns 3-4", "horn", Role::harmony);
  voices[2] = make("Violas", "viola", Role::harmony);
  voices[3] = make("Violins II", "violin", Role::harmony, 48);
  bool use_cellos = true;
  switch (ap) {
    case Approach::lyrical:
      break;
    case Approach::ostinato:
      figure = make("Violins II", "violin", Role::ostinato, 48);
      voices[3] = make("Clarinets", "clarinet", Role::harmony);
      voices[1] = make("Violas", "viola", Role::harmony);
      voices[2] = make("Horns 3-4", "horn", Role::harmony);
      horn_dbl = make("Trumpets", "trumpet", Role::pad);
      break;
    case Approach::pulse:
      figure = make("Piano", "piano", Role::ostinato);
      voices[1] = make("Cellos", "cello", Role::harmony);
      voices[2] = make("Violas", "viola", Role::harmony);
      voices[3] = make("Violins II", "violin", Role::harmony, 49);
      flute_dbl = make("Celesta", "celesta", Role::pad);
      use_cellos = false;
      break;
    case Approach::chamber:
      figure = make("Piano", "piano", Role::ostinato);
      voices[0] = make("Cello", "cello", Role::bass, 42);
      voices[1] = make("Viola", "viola", Role::harmony, 41);
      voices[2] = make("Violin II", "violin", Role::harmony, 40);
      voices[3] = make("Violin I", "violin", Role::harmony, 40);
      use_cellos = false;
      break;
    case Approach::hybrid:
      figure = make("Cellos", "cello", Role::ostinato);
      voices[1] = make("Synth Strings", "pad", Role::harmony);
      voices[2] = make("Synth Strings 2", "pad", Role::harmony);
      voices[3] = make("Synth Strings 3", "pad", Role::harmony);
      horn_dbl = make("Horns 1-2", "horn", Role::pad);
      use_cellos = false;
      break;
  }
  // The synth pad is one part holding three voices.
  const bool pad_voices = ap == Approach::hybrid;
  notes.log.push_back("ensemble: melody in " + melody.part.name + "; figure in " +
                      figure.part.name + "; bass in " + voices[0].part.name);

  // ---- the melody and its doublings
  for (const auto& n : mel) {
    const double I = intensity(n.start);
    // The melody a step louder than the accompaniment: balance by dynamics.
    // (The trumpets over drums and galloping strings need a step more.)
    melody.add_exact(
        n.start, n.length, n.pitch,
        n.velocity + (ap == Approach::hybrid ? 22 : 14) + (plan.strong(n.start) ? 4 : 0));
    const bool climax_zone = I >= 0.5;
    if (ap != Approach::chamber && climax_zone && n.pitch + 12 <= flute_dbl.inst->high)
      flute_dbl.add_exact(n.start, n.length, n.pitch + 12, n.velocity + 4);
    if ((ap == Approach::lyrical && I >= 0.72) || (ap == Approach::ostinato && I >= 0.8) ||
        (ap == Approach::hybrid && I >= 0.45))
      // (A doubling colours the line without outweighing it: a step under the melody.)
      horn_dbl.add_exact(n.start, n.length, ap == Approach::ostinato ? n.pitch : n.pitch - 12,
                         n.velocity - (ap == Approach::hybrid ? 10 : 2));
  }

  // ---- the bass line
  std::vector<ScoreNote> bass;
  {
    const auto& groove = plan.groove;
    for (std::size_t i = 0; i < chords.size(); ++i) {
      const auto& c = chords[i];
      const double I = intensity(c.at);
      const int p = c.voicing[0];
      const bool drive = (ap == Approach::ostinato || ap == Approach::hybrid ||
                          (ap == Approach::lyrical && I >= 0.75)) &&
                         I >= 0.4 && !plan.in_dialogue(c.at, c.end());
      if (drive) {
        // On the groove's accents, octaves now and then; the next chord anticipated an eighth
        // early where the music drives hardest.
        std::vector<BeatPos> at;
        for (BeatPos bar = plan.bar_start(c.at); bar < c.end(); bar = bar + plan.bar_length(bar))
          for (int a : groove.accents) {
            const BeatPos x = bar + BeatDur(a * k16);
            if (x >= c.at && x < c.end()) at.push_back(x);
          }
        if (at.empty() || at.front() != c.at) at.insert(at.begin(), c.at);
        BeatPos end = c.end();
        if (I >= 0.6 && i + 1 < chords.size() && chords[i + 1].root != c.root &&
            c.length >= BeatDur(kQuarter * 2) && !chords[i + 1].pedal)
          end = c.end() - BeatDur(kQuarter / 2);
        int prev = bass.empty() ? p : bass.back().pitch;
        for (std::size_t k = 0; k < at.size(); ++k) {
          if (at[k] >= end) break;
          const BeatPos stop = k + 1 < at.size() ? std::min(at[k + 1], end) : end;
          int pitch = p;
          if (ap == Approach::hybrid && k % 2 == 1 && p + 12 <= 55) pitch = p + 12;
          if (pitch != prev && parallel_with(mel, at[k], prev, pitch))
            pitch = prev == p + 12 ? p + 12 : p;
          bass.push_back({at[k], stop - at[k], pitch, vel(at[k], -4 + (k == 0 ? 6 : 2))});
          prev = pitch;
        }
        if (end < c.end()) {
          const int next = chords[i + 1].voicing[0];
          if (!parallel_with(mel, end, prev, next))
            bass.push_back({end, c.end() - end, next, vel(end, 4)});
          else
            bass.back().length = c.end() - bass.back().start;
        }
      } else {
        // Held; a pedal continues the note before; a passing tone on the last beat where the
        // music flows and the next bass is a third away.
        if (c.pedal && !bass.empty() && bass.back().pitch == p &&
            bass.back().start + bass.back().length == c.at) {
          bass.back().length += c.length;
          continue;
        }
        BeatPos end = c.end();
        const int prev = bass.empty() ? p : bass.back().pitch;
        if (!bass.empty() && p != prev && parallel_with(mel, c.at, prev, p)) {
          // voice_progression kept the voicing clear of the melody; this only guards a pedal.
        }
        if (I >= 0.25 && I < 0.7 && i + 1 < chords.size() && c.length >= BeatDur(2 * kQuarter) &&
            !chords[i + 1].pedal && !c.pedal) {
          const int next = chords[i + 1].voicing[0];
          const int gap = next - p;
          if (std::abs(gap) == 3 || std::abs(gap) == 4) {
            const auto& s = plan.sections[c.section];
            const auto steps = steps_of(s.tonic, s.mode);
            const int mid = p + (gap > 0 ? 1 : -1) * (std::abs(gap) == 3 ? 1 : 2);
            const int mid2 = p + (gap > 0 ? 2 : -2);
            int pass = mid;
            for (int cand : {mid2, mid})
              if (std::find(steps.begin(), steps.end(), music::wrap_pitch_class(cand)) !=
                  steps.end())
                pass = cand;
            const BeatPos at = c.end() - plan.beat_length(c.end() - BeatDur(1));
            // The passing tone must not move in fifths or octaves with the melody, neither into
            // it nor out of it into the next chord (with the melody or a voice).
            auto clear = [&] {
              if (parallel_with(mel, at, p, pass) || parallel_with(mel, c.end(), pass, next))
                return false;
              const auto& n = chords[i + 1];
              for (std::size_t v = 1; v < 4; ++v)
                if (parallel_perfect(pass, c.voicing[v], next, n.voicing[v])) return false;
              return true;
            };
            if (at > c.at && clear()) {
              bass.push_back({c.at, at - c.at, p, vel(c.at, -2)});
              bass.push_back({at, c.end() - at, pass, vel(at, -6)});
              continue;
            }
          }
        }
        bass.push_back({c.at, end - c.at, p, vel(c.at, -2)});
      }
    }
  }
  for (const auto& n : bass) {
    voices[0].add_exact(n.start, n.length, n.pitch, n.velocity);
    if (use_cellos) {
      // The cellos an octave over the basses (the 16' foundation), unless that would cross
      // above the lowest harmony voice: then they join the basses at the unison.
      const int up = n.pitch + 12;
      const bool clear = up <= 64 && up <= progression.at(n.start).voicing[1];
      cellos.add_exact(n.start, n.length, clear ? up : n.pitch, n.velocity - 2);
    }
  }

  // ---- the harmony voices (with the prepared suspensions)
  std::array<std::vector<ScoreNote>, 4> held;  // the sounding voices, for the checks below
  held[0] = bass;
  for (std::size_t v = 1; v < 4; ++v) {
    for (std::size_t i = 0; i < chords.size(); ++i) {
      const auto& c = chords[i];
      int offset = -12;
      if (ap == Approach::chamber) offset = -8;
      // A synth pad sounds far louder than strings at one velocity (FluidR3's patch 50).
      if (ap == Approach::hybrid) offset = -30;
      BeatPos at = c.at;
      auto& line = held[v];
      if (c.suspended_voice == v) {
        const BeatDur half(
            std::max<std::int64_t>(kQuarter, c.length.ticks() / 2 / kQuarter * kQuarter));
        const BeatPos res = c.at + half;
        if (res < c.end() && !parallel_with(mel, res, c.suspended_pitch, c.voicing[v])) {
          // The held fourth ties over from the chord before.
          if (!line.empty() && line.back().pitch == c.suspended_pitch &&
              line.back().start + line.back().length == c.at)
            line.back().length += half;
          else
            line.push_back({c.at, half, c.suspended_pitch, vel(c.at, offset)});
          at = res;
        }
      }
      if (!line.empty() && line.back().pitch == c.voicing[v] &&
          line.back().start + line.back().length == at && at == c.at && plan.hit_at(at) == nullptr)
        line.back().length += c.end() - at;
      else
        line.push_back({at, c.end() - at, c.voicing[v], vel(at, offset)});
    }
  }
  // The ostinato approach strikes its inner voices on the groove's accents.
  for (std::size_t v = 1; v < 4; ++v) {
    Builder& b = pad_voices ? voices[1] : voices[v];
    for (const auto& n : held[v]) {
      if (ap == Approach::ostinato && v == 1 && intensity(n.start) >= 0.45) {
        std::vector<BeatPos> at = {n.start};
        for (BeatPos bar = plan.bar_start(n.start); bar < n.start + n.length;
             bar = bar + plan.bar_length(bar))
          for (int a : plan.groove.accents) {
            const BeatPos x = bar + BeatDur(a * k16);
            if (x > n.start && x < n.start + n.length) at.push_back(x);
          }
        for (std::size_t k = 0; k < at.size(); ++k) {
          const BeatPos stop = k + 1 < at.size() ? at[k + 1] : n.start + n.length;
          b.add_exact(at[k], stop - at[k], n.pitch, n.velocity + (k == 0 ? 4 : 0));
        }
        continue;
      }
      b.add_exact(n.start, n.length, n.pitch, n.velocity);
    }
  }

  // ---- the counter-line: a woodwind that moves where the melody holds or breathes
  if (ap == Approach::lyrical || ap == Approach::chamber) {
    std::vector<const std::vector<ScoreNote>*> real = {&mel, &held[0], &held[1], &held[2],
                                                       &held[3]};
    std::vector<ScoreNote> line;
    for (const auto& p : plan.phrases) {
      const double I = plan.sections[p.section].intensity;
      if (I < 0.15 || I > 0.75) continue;
      // Spans of two beats or more where no melody note starts.
      std::vector<BeatPos> onsets;
      for (const auto& n : mel)
        if (n.start >= p.at && n.start < p.end) onsets.push_back(n.start);
      onsets.push_back(p.end);
      BeatPos from = p.at;
      for (BeatPos next : onsets) {
        if (next - from >= BeatDur(2 * kQuarter)) {
          // Quarters from the first beat after `from` to the beat before `next`.
          BeatPos at = from + BeatDur(kQuarter);
          at = BeatPos((at.ticks() + kQuarter - 1) / kQuarter * kQuarter);
          int prev = line.empty() ? 0 : line.back().pitch;
          const int top = sounding(mel, at).value_or(plan.sections[p.section].melody_low) - 3;
          for (; at + BeatDur(kQuarter) <= next && at < p.end; at += BeatDur(kQuarter)) {
            if (plan.in_dialogue(at, at + BeatDur(kQuarter))) break;
            const auto& c = progression.at(at);
            const auto tones = c.tones();
            const int low = std::max(counter.inst->comfortable_low, held[2].empty() ? 55 : 57);
            int best = -1;
            double best_cost = 1e9;
            for (int q = low; q <= std::min(top, counter.inst->comfortable_high); ++q) {
              const int pc = music::wrap_pitch_class(q);
              const bool tone = std::find(tones.begin(), tones.end(), pc) != tones.end();
              if (!tone && plan.metric_weight(at) >= 1) continue;
              const auto& s = plan.sections[c.section];
              const auto steps = steps_of(s.tonic, s.mode);
              if (!tone && std::find(steps.begin(), steps.end(),
                                     music::wrap_pitch_class(q - s.tonic)) == steps.end())
                continue;
              const int from_p = prev == 0 ? q : prev;
              if (prev != 0 && parallel_with_any(real, at, from_p, q)) continue;
              const double cost = (prev == 0 ? std::abs(q - (low + top) / 2)
                                             : std::abs(q - prev) + (q == prev ? 3 : 0)) +
                                  rng.uniform();
              if (cost < best_cost) {
                best_cost = cost;
                best = q;
              }
            }
            if (best < 0) break;
            line.push_back({at, BeatDur(kQuarter), best, vel(at, -4)});
            prev = best;
          }
          if (!line.empty() && line.back().start + line.back().length > next)
            line.back().length = next - line.back().start;
        }
        from = next;
      }
    }
    for (const auto& n : line)
      counter.add_exact(n.start, n.length, n.pitch, n.velocity);
    if (!line.empty())
      notes.log.push_back("counter-line: " + std::to_string(line.size()) + " notes in " +
                          counter.part.name + " where the melody holds");
  }

  // ---- the figure: the approach's rhythm
  for (const auto& c : chords) {
    const double I = intensity(c.at);
    const int ceiling = std::min(c.voicing[3] + 2, sounding(mel, c.at).value_or(127) - 2);
    // The figure stops at the final chord: one stroke on it, then the chord rings.
    const BeatPos stop =
        c.at >= plan.final_chord
            ? std::min(c.end(), c.at + BeatDur(k16))
            : std::min(c.end(), plan.final_chord > c.at ? plan.final_chord : c.end());
    const auto& g = plan.groove;
    // Under dialogue the figure thins to its beats (and below the speech band where it stays):
    // the words come first.
    auto talk = [&](BeatPos at, BeatDur len) {
      return plan.in_dialogue(at, at + len) && plan.metric_weight(at) < 1;
    };
    switch (ap) {
      case Approach::lyrical: {
        if (I < 0.15 || I >= 0.65) break;
        // The harp's broken chords flow faster as the scene grows: quarters, eighths, then
        // sixteenths (a beat's arpeggio up and back).
        const BeatDur step(I > 0.5 ? k16 : I > 0.35 ? kQuarter / 2 : kQuarter);
        const std::array<int, 4> f = {c.voicing[1], c.voicing[2], c.voicing[3], c.voicing[2]};
        std::size_t k = 0;
        for (BeatPos at = c.at; at < stop; at += step, ++k) {
          if (talk(at, step)) continue;
          int p = f[k % f.size()];
          if (p >= ceiling) p -= 12;
          figure.add(at, std::min(step, stop - at), p, vel(at, -10 + (k == 0 ? 4 : 0)));
        }
        break;
      }
      case Approach::ostinato: {
        if (I < 0.25) break;
        const BeatDur step(g.in_sixteenths ? k16 : kQuarter / 2);
        // A figure of the chord's upper tones under the melody: low on the accents.
        int hi = c.voicing[3], mid = c.voicing[2], lo = c.voicing[1];
        while (hi >= ceiling)
          hi -= 12;
        mid = std::min(mid, hi - 1);
        const std::array<int, 4> f = {lo, hi, mid, hi};
        for (BeatPos bar = plan.bar_start(c.at); bar < stop; bar = bar + plan.bar_length(bar)) {
          std::size_t k = 0;
          for (int x16 = 0; x16 < g.sixteenths; x16 += static_cast<int>(step.ticks() / k16)) {
            const BeatPos at = bar + BeatDur(x16 * k16);
            if (at < c.at || at >= stop) continue;
            const bool accent =
                std::find(g.accents.begin(), g.accents.end(), x16) != g.accents.end();
            if (accent) k = 0;
            int p = f[k % f.size()];
            ++k;
            // Under dialogue the ostinato keeps its beats, softer; where the scene drives
            // (arousal over 0.3) it keeps its whole rhythm, softer and an octave lower where
            // the instrument reaches: the drive goes on under the words, out of their way.
            if (plan.in_dialogue(at, at + step)) {
              if (plan.section_at(at).emotion.arousal > 0.3) {
                if (p - 12 >= figure.inst->low) p -= 12;
              } else if (talk(at, step) || I < 0.35) {
                continue;
              }
            }
            // Spiccato: the note sounds about two-thirds of its value, never under a sixteenth.
            const BeatDur len(std::max<std::int64_t>(k16, step.ticks() * 2 / 3));
            figure.add_exact(at, std::min(len, stop - at), p, vel(at, accent ? -2 : -12));
          }
        }
        break;
      }
      case Approach::pulse: {
        // A repeated-note pulse: the chord's inner dyad on every eighth.
        const BeatDur step(kQuarter / 2);
        const int a = c.voicing[1], b = std::min(c.voicing[2], ceiling - 1);
        for (BeatPos at = c.at; at < stop; at += step) {
          if (talk(at, step) || (plan.in_dialogue(at, at + step) && I < 0.3)) continue;
          const int x16 = static_cast<int>((at - plan.bar_start(at)).ticks() / k16);
          const bool accent = std::find(g.accents.begin(), g.accents.end(), x16) != g.accents.end();
          // Detached where the scene has energy; held through (the pedalled pulse of a
          // Richter or Glass piano) where the mapping asks for legato, sad or tender.
          const bool legato = plan.section_at(at).controls.legato.value >= 0.8;
          const BeatDur len =
              std::min(BeatDur(legato ? kQuarter / 2 : kQuarter / 2 - k16), stop - at);
          figure.add_exact(at, len, a, vel(at, accent ? -10 : -16));
          if (b > a) figure.add_exact(at, len, b, vel(at, accent ? -12 : -18));
        }
        break;
      }
      case Approach::chamber: {
        // Broken chords in the piano with a lilt: in each half bar a dotted eighth, a dotted
        // eighth and an eighth (3+3+2 sixteenths, the barcarolle's rocking), in compound time
        // the dotted quarter's three eighths; up through the voicing and back.
        std::array<int, 4> f = {c.voicing[1], c.voicing[2], c.voicing[3], c.voicing[2]};
        for (auto& p : f)
          while (p >= ceiling)
            p -= 12;
        const time::Meter m = plan.tempo_map.meter_at(c.at);
        const bool compound = m.denominator == 8 && m.numerator % 3 == 0;
        const std::vector<int> cell =
            compound ? std::vector<int>{0, 2, 4} : std::vector<int>{0, 3, 6};
        const int span16 = compound ? 6 : 8;
        std::size_t k = 0;
        for (BeatPos bar = plan.bar_start(c.at); bar < stop; bar = bar + plan.bar_length(bar)) {
          const int bar16 = static_cast<int>(plan.bar_length(bar).ticks() / k16);
          for (int x = 0; x < bar16; ++x) {
            if (std::find(cell.begin(), cell.end(), x % span16) == cell.end()) continue;
            const BeatPos at = bar + BeatDur(x * k16);
            if (at < c.at || at >= stop) continue;
            int next = x + 1;
            while (next < bar16 && std::find(cell.begin(), cell.end(), next % span16) == cell.end())
              ++next;
            const BeatDur len = std::min(BeatDur((next - x) * k16), stop - at);
            const int p = f[k++ % f.size()];
            if (plan.in_dialogue(at, at + len) && (talk(at, len) || p >= 60)) continue;
            figure.add_exact(at, len, p, vel(at, -12 + (x % span16 == 0 ? 3 : 0)));
          }
        }
        break;
      }
      case Approach::hybrid: {
        // Low strings in a gallop: two sixteenths on each of the groove's accents (root, then
        // the fifth or the octave), rests between, so that the drums' accents ring through.
        if (I < 0.3) break;
        const int r = fold_into(c.voicing[0] + 12, 36, 50);
        for (BeatPos bar = plan.bar_start(c.at); bar < stop; bar = bar + plan.bar_length(bar)) {
          // Driving hard, the root pulses in eighths between the gallops.
          if (I >= 0.55)
            for (int x = 0; x < g.sixteenths; x += 2) {
              const bool near = std::any_of(g.accents.begin(), g.accents.end(),
                                            [&](int a) { return x == a || x == a + 1; });
              const BeatPos at = bar + BeatDur(x * k16);
              if (near || at < c.at || at >= stop || talk(at, BeatDur(k16))) continue;
              figure.add_exact(at, BeatDur(k16), r, vel(at, -16));
            }
          for (std::size_t k = 0; k < g.accents.size(); ++k) {
            for (int half = 0; half < 2; ++half) {
              const BeatPos at = bar + BeatDur((g.accents[k] + half) * k16);
              if (at < c.at || at >= stop) continue;
              // (Low strings sit under the speech band: they go on under dialogue.)
              const int p = half == 0 ? r : (k % 2 == 0 ? r + 7 : r + 12);
              figure.add_exact(at, BeatDur(k16), p, vel(at, half == 0 ? -8 : -14));
            }
          }
        }
        break;
      }
    }
  }

  // ---- brass stabs on the groove (hybrid writing, driving hard): the chord's upper voices,
  // short, on the bar's last accent (the push into the next bar), a step under the melody.
  if (ap == Approach::hybrid)
    for (BeatPos bar = plan.bar_start(plan.begin); bar < plan.final_chord;
         bar = bar + plan.bar_length(bar)) {
      if (plan.groove.accents.size() < 2) break;
      const BeatPos at = bar + BeatDur(plan.groove.accents.back() * k16);
      if (at < plan.begin || at >= plan.final_chord || intensity(at) < 0.75 ||
          plan.in_dialogue(at, at + BeatDur(kQuarter)))
        continue;
      const auto& c = progression.at(at);
      const int ceiling = sounding(mel, at).value_or(127) - 3;
      std::set<int> pitches;
      for (std::size_t v = 1; v < 4; ++v) {
        int p = fit_to(*stabs.inst, c.voicing[v]);
        while (p > ceiling && p - 12 >= stabs.inst->low)
          p -= 12;
        pitches.insert(p);
      }
      for (int p : pitches)
        stabs.add_exact(at, BeatDur(kQuarter / 2), p, vel(at, -4));
    }

  // ---- percussion: the groove, fills into phrase downbeats, swells and rolls into big hits
  const bool drums_on = ap == Approach::ostinato || ap == Approach::hybrid || ap == Approach::pulse;
  for (BeatPos bar = plan.bar_start(plan.begin); bar < plan.final_chord;
       bar = bar + plan.bar_length(bar)) {
    const double I = intensity(std::max(bar, plan.begin));
    if (!drums_on) break;
    const auto& g = plan.groove;
    const bool groove = (ap == Approach::hybrid && I >= 0.35) ||
                        (ap == Approach::ostinato && I >= 0.5) ||
                        (ap == Approach::pulse && I >= 0.55);
    if (!groove) continue;
    for (std::size_t k = 0; k < g.accents.size(); ++k) {
      const BeatPos at = bar + BeatDur(g.accents[k] * k16);
      if (at < plan.begin || at >= plan.final_chord) continue;
      const bool talk = plan.in_dialogue(at, at + BeatDur(k16));
      const int soft = talk ? -20 : 0;
      if (ap == Approach::pulse) {
        if (k == 0)
          drums.add(at, BeatDur(kQuarter / 2), kKick, vel(at, -16 + soft));  // a heartbeat
        continue;
      }
      drums.add(at, BeatDur(kQuarter / 2), k == 0 ? kKick : (k % 2 ? kLowTom : kMidTom),
                vel(at, (k == 0 ? 0 : -6) + soft));
      if (ap == Approach::hybrid && k > 0)
        drums.add(at, BeatDur(kQuarter / 2), kKick, vel(at, -8 + soft));
    }
    // A backbeat on the last group when it drives hard.
    if (I >= 0.65 && g.accents.size() >= 2) {
      const BeatPos at = bar + BeatDur(g.accents.back() * k16);
      if (at >= plan.begin && at < plan.final_chord && !plan.in_dialogue(at, at + BeatDur(k16)))
        drums.add(at, BeatDur(kQuarter / 2), kSnare, vel(at, -6));
    }
  }
  // Fills into phrase downbeats (the last beat before a phrase, in sixteenths down the toms).
  if (ap == Approach::ostinato || ap == Approach::hybrid)
    for (std::size_t i = 1; i < plan.phrases.size(); ++i) {
      const auto& p = plan.phrases[i];
      const double I = plan.sections[p.section].intensity;
      if (I < 0.5 || plan.phrases[i - 1].end != p.at) continue;
      const BeatPos from = p.at - BeatDur(kQuarter);
      if (plan.in_dialogue(from, p.at)) continue;
      static constexpr std::array<int, 4> toms = {kHighTom, kHighTom, kMidTom, kLowTom};
      std::erase_if(drums.part.notes,
                    [&](const ScoreNote& n) { return n.start >= from && n.start < p.at; });
      for (int k = 0; k < 4; ++k) {
        const BeatPos at = from + BeatDur(k * k16);
        drums.add(at, BeatDur(k16), toms[static_cast<std::size_t>(k)], vel(at, -6 + 3 * k));
      }
      if (I >= 0.7) drums.add(p.at, BeatDur(kQuarter), kCrash, vel(p.at, 0));
    }

  // The orchestra's marks: the chord's upper voices as a brass stab (or struck on the piano by
  // chamber forces), with the timpani on the root and a crash.
  auto strike = [&](const HarmonyChord& c, BeatPos at, BeatDur len, int velocity) {
    if (ap == Approach::chamber) {
      for (std::size_t k = 0; k < 3; ++k)
        figure.add_exact(at, len, fit_to(*figure.inst, c.voicing[k] + (k == 0 ? 12 : 0)), velocity);
      return;
    }
    std::set<int> pitches;
    for (std::size_t v = 1; v < 4; ++v)
      pitches.insert(fit_to(*stabs.inst, c.voicing[v]));
    for (int p : pitches)
      stabs.add_exact(at, len, p, velocity);
    timpani.add(at, BeatDur(kQuarter), fit_to(*timpani.inst, c.root + 36), velocity);
    drums.add(at, BeatDur(2 * kQuarter), kCrash, velocity);
  };

  // ---- the hits
  for (const auto& h : plan.hits) {
    const auto& c = progression.at(h.at);
    const auto& s = plan.section_at(h.at);
    const int loud = std::min(127, s.controls.dynamics.value.max_velocity + 12);
    const BeatDur beat = plan.beat_length(h.at);
    switch (h.treatment) {
      case HitTreatment::stinger: {
        // A stab (the piano's in chamber writing); a snare roll prepares the others' stab.
        strike(c, h.at, ap == Approach::chamber ? BeatDur(kQuarter) : BeatDur(kQuarter / 2), loud);
        if (ap == Approach::chamber) break;
        drums.add(h.at, BeatDur(kQuarter / 2), kKick, loud);
        for (BeatPos at = h.at - beat; at < h.at; at += BeatDur(k16))
          if (at >= plan.begin)
            drums.add(at, BeatDur(k16), kSnare,
                      40 + static_cast<int>(50 * (at - (h.at - beat)).ticks() / beat.ticks()));
        break;
      }
      case HitTreatment::tutti: {
        // A timpani roll and a cymbal swell over the beats before; brass holds the new chord.
        if (ap == Approach::chamber) break;  // chamber forces: the entry itself is the mark
        const BeatPos from = std::max(plan.begin, h.at - beat * 2);
        for (BeatPos at = from; at < h.at; at += BeatDur(k16)) {
          const int v = 30 + static_cast<int>(60 * (at - from).ticks() /
                                              std::max<std::int64_t>(1, (h.at - from).ticks()));
          timpani.add(at, BeatDur(k16), fit_to(*timpani.inst, c.root + 36 + 7), v);
          if (ap != Approach::chamber) drums.add(at, BeatDur(k16), kRide, v - 10);
        }
        timpani.add(h.at, BeatDur(kQuarter), fit_to(*timpani.inst, c.root + 36), loud);
        if (ap != Approach::chamber) {
          drums.add(h.at, BeatDur(2 * kQuarter), kCrash, loud);
          std::set<int> pitches;
          for (std::size_t v = 1; v < 4; ++v)
            pitches.insert(fit_to(*stabs.inst, c.voicing[v]));
          const BeatPos hold_to = std::min(s.end, h.at + plan.bar_length(h.at));
          for (int p : pitches)
            stabs.add_exact(h.at, hold_to - h.at - BeatDur(kQuarter / 2), p, loud - 10);
        }
        break;
      }
      case HitTreatment::colour: {
        // A sweep up into the new colour on the harp (the piano in chamber forces), or a soft
        // cymbal in other ensembles.
        if (ap == Approach::lyrical || ap == Approach::chamber) {
          const auto tones = c.tones();
          std::vector<int> run;
          for (int p = 60; p < 84 && run.size() < 6; ++p)
            if (std::find(tones.begin(), tones.end(), music::wrap_pitch_class(p)) != tones.end())
              run.push_back(p);
          const BeatPos from = h.at - BeatDur(static_cast<std::int64_t>(run.size()) * k16);
          Builder& sweep = figure;
          for (std::size_t k = 0; k < run.size(); ++k)
            if (from + BeatDur(static_cast<std::int64_t>(k) * k16) >= plan.begin)
              sweep.add_exact(from + BeatDur(static_cast<std::int64_t>(k) * k16), BeatDur(k16),
                              run[k], vel(h.at, -14));
        } else {
          const BeatPos from = std::max(plan.begin, h.at - beat);
          for (BeatPos at = from; at < h.at; at += BeatDur(k16))
            drums.add(at, BeatDur(k16), kRide,
                      25 + static_cast<int>(35 * (at - from).ticks() /
                                            std::max<std::int64_t>(1, (h.at - from).ticks())));
        }
        break;
      }
      case HitTreatment::dropout:
      case HitTreatment::mark:
        break;
    }
  }

  // ---- the ending
  {
    const auto& c = progression.at(plan.final_chord);
    if (plan.ending == CueEnding::button) {
      const int v = std::min(127, plan.sections.back().controls.dynamics.value.max_velocity + 10);
      strike(c, plan.final_chord, BeatDur(kQuarter / 2), v);
    }
  }

  // ---- assemble, then the drop-outs and the breaths
  std::vector<Builder*> order = {&flute_dbl, &melody,  &counter, &horn_dbl,
                                 &stabs,     &timpani, &drums,   &figure};
  if (melody_id == "flute") std::swap(order[0], order[1]);
  for (int v = 3; v >= 1; --v)
    if (!(pad_voices && v > 1)) order.push_back(&voices[v]);
  if (use_cellos) order.push_back(&cellos);
  order.push_back(&voices[0]);
  // Two builders may share a part name (the approach's layout reuses an instrument); keep the
  // first and merge the other into it.
  std::vector<Part> parts;
  for (auto* b : order) {
    if (b->part.notes.empty()) continue;
    auto same = std::find_if(parts.begin(), parts.end(),
                             [&](const Part& p) { return p.name == b->part.name; });
    if (same != parts.end()) {
      same->notes.insert(same->notes.end(), b->part.notes.begin(), b->part.notes.end());
      continue;
    }
    parts.push_back(std::move(b->part));
  }
  for (const auto& h : plan.hits) {
    if (h.treatment != HitTreatment::dropout) continue;
    const BeatPos quiet_to = std::min(plan.section_at(h.at).end, h.at + plan.bar_length(h.at));
    for (auto& p : parts) {
      if (p.role == Role::bass) {
        // The bass alone marks the hit, softly.
        std::erase_if(p.notes,
                      [&](const ScoreNote& n) { return n.start > h.at && n.start < quiet_to; });
        for (auto& n : p.notes)
          if (n.start == h.at) {
            n.length = std::max(n.length, quiet_to - h.at);
            n.velocity = std::max(20, n.velocity - 20);
          }
        continue;
      }
      std::erase_if(p.notes,
                    [&](const ScoreNote& n) { return n.start >= h.at && n.start < quiet_to; });
      for (auto& n : p.notes)
        if (n.start < h.at && n.start + n.length > h.at) n.length = h.at - n.start;
    }
    notes.log.push_back("a drop-out at tick " + std::to_string(h.at.ticks()) + ": the bass alone");
  }
  // Winds and brass breathe at phrase ends: a note sounding across one is cut an eighth short
  // and struck again after it.
  for (auto& p : parts) {
    const auto* inst = music::find_instrument(p.instrument);
    // (The melody breathes with its own phrasing: melody.h.)
    if (!inst || p.role == Role::melody ||
        (inst->family != music::Family::woodwinds && inst->family != music::Family::brass))
      continue;
    for (const auto& ph : plan.phrases) {
      const BeatPos at = ph.end;
      const BeatDur breath(kQuarter / 2);
      std::vector<ScoreNote> added;
      for (auto& n : p.notes) {
        if (n.start < at - breath && n.start + n.length > at) {
          const BeatPos end = n.start + n.length;
          n.length = (at - breath) - n.start;
          added.push_back({at, end - at, n.pitch, n.velocity});
        } else if (n.start < at && n.start + n.length > at - breath && n.start + n.length <= at &&
                   n.length > breath * 2) {
          n.length = (at - breath) - n.start;
        }
      }
      p.notes.insert(p.notes.end(), added.begin(), added.end());
    }
  }
  for (auto& p : parts) {
    std::erase_if(p.notes,
                  [&](const ScoreNote& n) { return n.start >= plan.end || n.length.ticks() <= 0; });
    for (auto& n : p.notes)
      n.length = std::min(n.length, plan.end - n.start);
    std::sort(p.notes.begin(), p.notes.end(), [](const ScoreNote& a, const ScoreNote& b) {
      return a.start != b.start ? a.start < b.start : a.pitch < b.pitch;
    });
    // Two identical notes at one onset (a doubled voice) sound as one.
    p.notes.erase(std::unique(p.notes.begin(), p.notes.end(),
                              [](const ScoreNote& a, const ScoreNote& b) {
                                return a.start == b.start && a.pitch == b.pitch;
                              }),
                  p.notes.end());
  }
  (void)minor_like;
  return parts;
}

}  // namespace duet::compose
