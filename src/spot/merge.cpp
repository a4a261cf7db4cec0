#include "spot/merge.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <set>

#include "base/hash.h"
#include "spot/validate.h"
#include "time/tempo_map_text.h"

namespace duet::spot {
namespace {

using base::cat;

// Canonical text of a cue's content: every field in a fixed order, strings length-prefixed so
// that no two different cues share a text.
class Canon {
 public:
  void put(std::string_view s) {
    text_ += std::to_string(s.size());
    text_ += ':';
    text_ += s;
    text_ += ';';
  }
  void put(std::int64_t v) {
    text_ += std::to_string(v);
    text_ += ';';
  }
  void put(double v) { put(static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(v))); }
  void put(time::TimePos p) { put(p.ticks()); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

bool overlaps(const Cue& a, time::TimePos start, time::TimePos end) {
  return a.in < end && a.out > start;
}

// Shrinks a draft cue to [start, end], keeping what still validates.
void trim_to(Cue& cue, time::TimePos start, time::TimePos end) {
  std::erase_if(cue.hits, [&](const HitPoint& h) { return h.at < start || h.at > end; });
  std::erase_if(cue.dialogue,
                [&](const DialogueWindow& d) { return d.end <= start || d.start >= end; });
  for (DialogueWindow& d : cue.dialogue) {
    d.start = std::max(d.start, start);
    d.end = std::min(d.end, end);
  }
  if (!cue.emotion.empty()) {
    const Emotion at_start = *cue.emotion.value_at(start);
    const Emotion at_end = *cue.emotion.value_at(end);
    const bool had_before = cue.emotion.keys.front().at < start;
    const bool had_after = cue.emotion.keys.back().at > end;
    std::erase_if(cue.emotion.keys,
                  [&](const EmotionKey& k) { return k.at < start || k.at > end; });
    if (had_before && (cue.emotion.keys.empty() || cue.emotion.keys.front().at != start)) {
      cue.emotion.keys.insert(cue.emotion.keys.begin(), EmotionKey{start, at_start});
    }
    if (had_after && (cue.emotion.keys.empty() || cue.emotion.keys.back().at != end)) {
      cue.emotion.keys.push_back(EmotionKey{end, at_end});
    }
  }
  cue.in = start;
  cue.out = end;
}

// The id itself, or the next letter after its part that nobody holds; nullopt when none is free.
std::optional<CueId> free_id(CueId id, const std::set<CueId>& taken) {
  if (!taken.count(id)) return id;
  char next = id.part.empty() ? 'A' : static_cast<char>(id.part[0] + 1);
  for (; next <= 'Z'; ++next) {
    id.part = std::string(1, next);
    if (!taken.count(id)) return id;
  }
  return std::nullopt;
}

}  // namespace

std::string fingerprint(const Cue& cue) {
  Canon c;
  c.put("duet-cue-1");
  c.put(std::int64_t{cue.id.reel});
  c.put(std::int64_t{cue.id.number});
  c.put(cue.id.part);
  c.put(cue.title);
  c.put(cue.in);
  c.put(cue.out);
  c.put(usage_code(cue.usage));
  c.put(cue.notes);
  c.put(static_cast<std::int64_t>(cue.hits.size()));
  for (const HitPoint& h : cue.hits) {
    c.put(h.at);
    c.put(h.label);
    c.put(hit_kind_name(h.kind));
    c.put(h.weight);
    c.put(h.land.to_string());
    c.put(std::int64_t{h.accent ? 1 : 0});
  }
  c.put(static_cast<std::int64_t>(cue.dialogue.size()));
  for (const DialogueWindow& d : cue.dialogue) {
    c.put(d.start);
    c.put(d.end);
    c.put(d.speaker);
  }
  c.put(static_cast<std::int64_t>(cue.emotion.keys.size()));
  for (const EmotionKey& k : cue.emotion.keys) {
    c.put(k.at);
    c.put(k.value.valence);
    c.put(k.value.arousal);
    c.put(k.value.tension);
  }
  c.put(static_cast<std::int64_t>(cue.characters.size()));
  for (const auto& s : cue.characters)
    c.put(s);
  c.put(static_cast<std::int64_t>(cue.themes.size()));
  for (const auto& s : cue.themes)
    c.put(s);
  // Only when there is one, so that the fingerprints of cues without them stay the same.
  if (!cue.music.empty()) {
    c.put("music");
    c.put(cue.music);
  }
  if (cue.tempo_map) {
    c.put("tempo_map");
    c.put(cue.tempo_map->origin());
    for (const auto& e : time::format_tempo_entries(*cue.tempo_map))
      c.put(e);
    for (const auto& e : time::format_meter_entries(cue.tempo_map->meters()))
      c.put(e);
  }
  return base::hex64(base::stable_hash(c.text()));
}

bool is_untouched_draft(const Cue& cue) {
  return cue.is_draft() && fingerprint(cue) == cue.draft_fingerprint;
}

std::string_view cue_state(const Cue& cue) {
  if (!cue.is_draft()) return "composer";
  return is_untouched_draft(cue) ? "draft" : "edited draft";
}

std::string_view merge_action_name(MergeAction::Kind kind) {
  using K = MergeAction::Kind;
  switch (kind) {
    case K::added:
      return "added";
    case K::replaced:
      return "replaced";
    case K::unchanged:
      return "unchanged";
    case K::removed:
      return "removed";
    case K::kept_own:
      return "kept_own";
    case K::kept_edited:
      return "kept_edited";
    case K::trimmed:
      return "trimmed";
    case K::dropped:
      return "dropped";
    case K::renamed:
      return "renamed";
  }
  return "unknown";
}

base::Result<MergeResult> merge_draft(const std::vector<Cue>& existing,
                                      const std::vector<Cue>& new_draft,
                                      const MergeOptions& options) {
  using K = MergeAction::Kind;
  if (auto problems = validate_cues(new_draft); !problems.empty()) {
    const Problem& p = problems.front();
    return base::make_error(
        base::ErrorKind::invalid_input, "the new draft is not valid: cue ", p.cue + 1, ": ",
        p.message,
        problems.size() > 1 ? cat(" (and ", problems.size() - 1, " more)") : std::string());
  }
  MergeResult result;
  std::vector<Cue> kept;
  std::map<CueId, Cue> untouched;
  for (const Cue& cue : existing) {
    if (is_untouched_draft(cue)) {
      untouched.emplace(cue.id, cue);
      continue;
    }
    Cue own = cue;
    const std::string id = own.id.to_string();
    if (own.is_draft()) {
      result.actions.push_back({K::kept_edited, own.id,
                                cat("kept ", id,
                                    ": drafted, then edited by the composer; it is "
                                    "the composer's now")});
    } else {
      result.actions.push_back({K::kept_own, own.id, cat("kept ", id, ": the composer's cue")});
    }
    own.draft_fingerprint.clear();
    kept.push_back(std::move(own));
  }
  std::sort(kept.begin(), kept.end(), [](const Cue& a, const Cue& b) { return a.in < b.in; });

  std::set<CueId> taken;
  for (const Cue& k : kept)
    taken.insert(k.id);
  std::set<CueId> proposed;  // untouched ids the new draft speaks for
  std::vector<Cue> placed;
  for (Cue cue : new_draft) {
    const std::string drafted_id = cue.id.to_string();
    cue.draft_fingerprint.clear();
    // Stay clear of the composer's cues.
    time::TimePos start = cue.in;
    time::TimePos end = cue.out;
    std::string blocker;
    bool drop = false;
    for (bool changed = true; changed && !drop;) {
      changed = false;
      for (const Cue& k : kept) {
        if (!overlaps(k, start, end)) continue;
        blocker = k.id.to_string();
        if (k.in <= start && k.out >= end) {
          drop = true;
        } else if (k.in <= start) {
          start = k.out;
          changed = true;
        } else if (k.out >= end) {
          end = k.in;
          changed = true;
        } else {
          drop = true;  // the kept cue lies inside: trimming would split the draft in two
        }
        if (drop) break;
      }
    }
    if (!drop && end - start < options.min_length) drop = true;
    if (drop) {
      result.actions.push_back(
          {K::dropped, cue.id,
           cat("dropped draft ", drafted_id, ": it overlaps the composer's ", blocker,
               (end - start < options.min_length && end > start
                    ? " and what is left outside it is too short"
                    : ""))});
      continue;
    }
    const bool trimmed = start != cue.in || end != cue.out;
    if (trimmed) trim_to(cue, start, end);
    auto id = free_id(cue.id, taken);
    if (!id) {
      result.actions.push_back({K::dropped, cue.id,
                                cat("dropped draft ", drafted_id,
                                    ": the composer holds its id and every letter after it")});
      continue;
    }
    if (trimmed) {
      result.actions.push_back(
          {K::trimmed, *id,
           cat("trimmed draft ", drafted_id, " to stay clear of the composer's ", blocker)});
    }
    if (*id != cue.id) {
      result.actions.push_back({K::renamed, *id,
                                cat("renamed draft ", drafted_id, " to ", id->to_string(),
                                    ": the composer's cue holds ", drafted_id)});
      cue.id = *id;
    }
    taken.insert(cue.id);
    sort_contents(cue);
    cue.draft_fingerprint = fingerprint(cue);
    auto old = untouched.find(cue.id);
    if (old != untouched.end()) {
      proposed.insert(cue.id);
      if (old->second == cue) {
        result.actions.push_back(
            {K::unchanged, cue.id, cat("unchanged draft ", cue.id.to_string())});
      } else {
        result.actions.push_back(
            {K::replaced, cue.id, cat("replaced draft ", cue.id.to_string(), " by the new draft")});
        result.superseded.push_back(old->second);
      }
    } else {
      result.actions.push_back({K::added, cue.id, cat("added draft ", cue.id.to_string())});
    }
    placed.push_back(std::move(cue));
  }
  for (const auto& [id, cue] : untouched) {
    if (proposed.count(id)) continue;
    result.actions.push_back({K::removed, id,
                              cat("removed draft ", id.to_string(),
                                  ": untouched, and the new draft no longer proposes it")});
    result.superseded.push_back(cue);
  }
  result.cues = std::move(kept);
  result.cues.insert(result.cues.end(), placed.begin(), placed.end());
  sort_cues(result.cues);
  return result;
}

}  // namespace duet::spot
