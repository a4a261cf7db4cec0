#include "compose/writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "base/text.h"
#include "compose/craft.h"
#include "compose/harmony.h"
#include "compose/melody.h"
#include "compose/plan.h"
#include "compose/random.h"
#include "compose/texture.h"
#include "compose/voicing.h"
#include "music/instrument.h"
#include "music/pitch.h"

namespace duet::compose {
namespace {

using time::BeatDur;
using time::BeatPos;

base::Result<void> check(const CueBrief& brief) {
  const auto& cue = brief.cue;
  if (cue.out <= cue.in)
    return base::make_error(base::ErrorKind::out_of_range, "cue ", cue.id.to_string(),
                            " ends before it starts: its out must be after its in");
  if (!brief.locks.empty() && !brief.locked_from)
    return base::make_error(base::ErrorKind::invalid_input,
                            "locks were given without the score they lock (locked_from)");
  for (const auto& l : brief.locks) {
    if (!(l.from < l.to))
      return base::make_error(base::ErrorKind::invalid_input, "a lock from tick ", l.from.ticks(),
                              " to tick ", l.to.ticks(),
                              " is empty or reversed: its end must be after its start");
    if (l.part) {
      const auto& parts = brief.locked_from->parts;
      if (std::none_of(parts.begin(), parts.end(),
                       [&](const Part& p) { return p.name == *l.part; }))
        return base::make_error(base::ErrorKind::invalid_input, "a lock names part '", *l.part,
                                "', which the locked score does not have");
    }
    // A lock must keep something of the cue: positions on the locked score's map.
    const auto& map = brief.locked_from->tempo_map;
    const auto from = map.time_at(l.from), to = map.time_at(l.to);
    if (to <= cue.in || from >= cue.out)
      return base::make_error(base::ErrorKind::invalid_input, "a lock from tick ", l.from.ticks(),
                              " to tick ", l.to.ticks(), " lies outside cue ", cue.id.to_string(),
                              ": lock bars the cue covers");
  }
  return {};
}

bool locked(const CueBrief& brief, const std::string& part, BeatPos at) {
  for (const auto& l : brief.locks)
    if ((!l.part || *l.part == part) && l.from <= at && at < l.to) return true;
  return false;
}

// The composer's material, note for note: notes of a locked part that start in a locked span
// are copied from locked_from; generated notes of that part starting in the span or under a
// locked note give way, and those sounding into it are cut at its start. Parts only the locked
// score has join the score.
void apply_locks(const CueBrief& brief, std::vector<Part>& parts, Score& score) {
  if (!brief.locked_from) return;
  const auto& from = *brief.locked_from;
  for (const auto& src : from.parts) {
    std::vector<ScoreNote> locked_notes;
    for (const auto& n : src.notes)
      if (locked(brief, src.name, n.start)) locked_notes.push_back(n);
    auto target =
        std::find_if(parts.begin(), parts.end(), [&](const Part& p) { return p.name == src.name; });
    if (locked_notes.empty() && target == parts.end()) continue;
    if (target == parts.end()) {
      Part extra = src;
      extra.notes.clear();
      parts.push_back(std::move(extra));
      target = parts.end() - 1;
    }
    std::vector<ScoreNote> kept;
    for (auto n : target->notes) {
      if (locked(brief, src.name, n.start)) continue;
      bool under = false;
      for (const auto& l : locked_notes) {
        if (l.start <= n.start && n.start < l.start + l.length) under = true;
        if (n.start < l.start && l.start < n.start + n.length) n.length = l.start - n.start;
      }
      for (const auto& l : brief.locks)
        if ((!l.part || *l.part == src.name) && n.start < l.from && l.from < n.start + n.length)
          n.length = l.from - n.start;
      if (!under && n.length.ticks() > 0) kept.push_back(n);
    }
    for (const auto& n : locked_notes)
      kept.push_back(n);
    std::sort(kept.begin(), kept.end(), [](const ScoreNote& a, const ScoreNote& c) {
      return a.start != c.start ? a.start < c.start : a.pitch < c.pitch;
    });
    target->notes = std::move(kept);
  }
  auto whole_locked = [&](BeatPos at) {
    return std::any_of(brief.locks.begin(), brief.locks.end(),
                       [&](const Lock& l) { return !l.part && l.from <= at && at < l.to; });
  };
  // Bars locked whole sound as the locked score has them: a part it does not have (another
  // approach's instruments) falls silent there, its notes sounding into them cut at the lock.
  for (auto& part : parts) {
    const bool locked_score_has = std::any_of(from.parts.begin(), from.parts.end(),
                                              [&](const Part& p) { return p.name == part.name; });
    if (locked_score_has) continue;
    std::vector<ScoreNote> kept;
    for (auto n : part.notes) {
      if (whole_locked(n.start)) continue;
      for (const auto& l : brief.locks)
        if (!l.part && n.start < l.from && l.from < n.start + n.length) n.length = l.from - n.start;
      if (n.length.ticks() > 0) kept.push_back(n);
    }
    part.notes = std::move(kept);
  }
  std::erase_if(parts, [&](const Part& p) {
    return p.notes.empty() && std::none_of(from.parts.begin(), from.parts.end(),
                                           [&](const Part& f) { return f.name == p.name; });
  });
  std::erase_if(score.chords, [&](const ScoreChord& c) { return whole_locked(c.at); });
  for (const auto& c : from.chords)
    if (whole_locked(c.at)) score.chords.push_back(c);
  std::sort(score.chords.begin(), score.chords.end(),
            [](const ScoreChord& a, const ScoreChord& b) { return a.at < b.at; });
  std::erase_if(score.themes, [&](const ThemeUse& t) { return locked(brief, t.part, t.at); });
  for (const auto& t : from.themes)
    if (locked(brief, t.part, t.at)) score.themes.push_back(t);
}

}  // namespace

base::Result<WrittenCue> write_cue(const CueBrief& brief, std::uint64_t seed,
                                   const WriterModels& models) {
  if (auto ok = check(brief); !ok) return ok.error();
  WrittenCue out;
  WriterNotes& notes = out.notes;
  Rng rng(seed);
  const auto fits = rank_approaches(summarise(brief.cue));
  const Approach approach = brief.approach.value_or(fits.front().approach);
  notes.approach = approach;
  for (const auto& f : fits)
    if (f.approach == approach)
      notes.approach_reason = std::string(brief.approach ? "asked for" : "fits best") + " (fit " +
                              base::fixed(f.fit, 2) + "): " + f.reason;
  notes.log.push_back("approach: " + std::string(to_string(approach)) + ", " +
                      notes.approach_reason);

  auto plan = plan_cue(brief, approach, rng);
  if (!plan) return plan.error();
  for (const auto& line : plan->log)
    notes.log.push_back(line);
  for (const auto& s : plan->sections)
    notes.log.push_back("section " + s.label + " at tick " + std::to_string(s.at.ticks()) + ": " +
                        s.reason + "; " + describe(s.controls, "mode") + ", intensity " +
                        base::fixed(s.intensity, 2));
  for (const auto& h : plan->hits)
    notes.log.push_back("hit '" + h.label + "' at tick " + std::to_string(h.at.ticks()) + ": " +
                        std::string(to_string(h.treatment)) + " (" + h.reason + ")");

  // The statements and the composer's locked melody come first: the harmony holds them.
  auto statements = state_themes(*plan, brief, notes);
  if (brief.locked_from)
    for (const auto& p : brief.locked_from->parts) {
      for (const auto& n : p.notes) {
        if (!locked(brief, p.name, n.start) || n.start < plan->begin || n.start >= plan->end)
          continue;
        if (p.role == Role::melody) statements.notes.push_back(n);
        if (p.role == Role::bass) statements.bass.push_back(n);
      }
    }
  std::sort(statements.bass.begin(), statements.bass.end(),
            [](const ScoreNote& a, const ScoreNote& b) { return a.start < b.start; });
  std::sort(statements.notes.begin(), statements.notes.end(),
            [](const ScoreNote& a, const ScoreNote& b) { return a.start < b.start; });

  auto progression = write_progression(*plan, brief, models.chords, statements.notes, rng, notes);
  if (progression.chords.empty())
    return base::make_error(base::ErrorKind::out_of_range, "cue ", brief.cue.id.to_string(),
                            " is too short to hold a chord at its tempo: nothing to write");
  auto melody = write_melody(*plan, progression, brief, statements, models.melody, rng, notes);
  voice_progression(progression, *plan, melody.notes, rng, notes);
  {
    const auto& last = progression.at(plan->final_chord);
    const auto& s = plan->sections[last.section];
    notes.log.push_back("the final chord: " + last.symbol(s.tonic, s.mode) + " (" + last.role +
                        ") at tick " + std::to_string(last.at.ticks()) + ", bass MIDI " +
                        std::to_string(last.voicing[0]));
  }
  auto parts = write_texture(*plan, progression, melody, rng, notes);

  Score& score = out.score;
  score.tempo_map = plan->tempo_map;
  score.end = plan->end;
  std::string melody_name;
  for (const auto& p : parts)
    if (p.role == Role::melody) {
      melody_name = p.name;
      break;
    }
  for (const auto& c : progression.chords) {
    const auto& s = plan->sections[c.section];
    score.chords.push_back({c.at, c.length, c.symbol(s.tonic, s.mode), c.role});
  }
  for (const auto& s : plan->sections)
    score.sections.push_back(
        {s.at,
         s.label +
             (plan->ending == CueEnding::open && &s == &plan->sections.back() ? " (segue)" : ""),
         s.reason, music::Key{music::spell_pitch_class(s.tonic, true), s.mode},
         score.tempo_map.quarters_per_minute_at(s.at), s.emotion.valence, s.emotion.arousal,
         s.emotion.tension});
  for (auto t : melody.themes) {
    t.part = melody_name;
    score.themes.push_back(std::move(t));
  }
  for (const auto& h : plan->hits)
    score.hits.push_back({h.at, h.label, h.hard});
  apply_locks(brief, parts, score);
  const int left = mend_parallels(
      parts, *plan, progression,
      [&](const Part& p, const ScoreNote& n) { return locked(brief, p.name, n.start); });
  if (left > 0) notes.log.push_back(std::to_string(left) + " parallel(s) left unmended");
  int channel = 0;
  for (auto& p : parts) {
    if (p.notes.empty()) continue;
    if (p.channel != 9) {
      if (channel == 9) ++channel;
      p.channel = std::min(channel++, 15);
    }
    score.parts.push_back(std::move(p));
  }
  std::sort(score.themes.begin(), score.themes.end(),
            [](const ThemeUse& a, const ThemeUse& b) { return a.at < b.at; });
  return out;
}

// ---------------------------------------------------------------- checks

int count_parallels(const Score& score) {
  return static_cast<int>(voice_leading(score).parallels.size());
}

namespace {
template <class Test>
int count_notes(const Score& score, Test outside) {
  int count = 0;
  for (const auto& p : score.parts) {
    if (p.channel == 9) continue;
    const auto* inst = music::find_instrument(p.instrument);
    if (!inst || inst->drums) continue;
    for (const auto& n : p.notes)
      if (outside(*inst, n.pitch)) ++count;
  }
  return count;
}
}  // namespace

int count_range_violations(const Score& score) {
  return count_notes(score,
                     [](const music::Instrument& i, int pitch) { return !i.in_range(pitch); });
}

int count_uncomfortable(const Score& score) {
  return count_notes(score,
                     [](const music::Instrument& i, int pitch) { return !i.comfortable(pitch); });
}

}  // namespace duet::compose
