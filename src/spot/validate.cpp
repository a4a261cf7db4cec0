#include "spot/validate.h"

#include <cmath>
#include <map>

#include "base/error.h"
#include "base/text.h"

namespace duet::spot {
namespace {

using base::cat;

std::string number_text(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "not a number" : "infinite";
  std::string s = base::fixed(v, 3);
  // Trim trailing zeros of the fixed form for a readable message ("1.5", not "1.500").
  while (s.size() > 1 && s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
    const bool dot = s.back() == '.';
    s.pop_back();
    if (dot) break;
  }
  return s;
}

void check_range(std::vector<Problem>& out, std::size_t index, const std::string& field,
                 const std::string& what, double value, double lo, double hi) {
  if (!std::isfinite(value) || value < lo || value > hi) {
    out.push_back({index, field,
                   cat(what, " is ", number_text(value), ", outside ", number_text(lo), "..",
                       number_text(hi))});
  }
}

}  // namespace

std::string seconds_text(time::TimePos at) {
  return base::fixed(time::seconds(at), 3) + " s";
}

std::vector<Problem> validate_cue(const Cue& cue, std::size_t index, const TimeText& text) {
  std::vector<Problem> out;
  const std::string id = cue.id.to_string();
  if (cue.out <= cue.in) {
    out.push_back(
        {index, "out",
         cat("cue ", id, " ends at ", text(cue.out), (cue.out == cue.in ? ", at" : ", before"),
             " its start ", text(cue.in), "; out must come after in")});
  }
  const bool span_ok = cue.out > cue.in;
  for (std::size_t i = 0; i < cue.hits.size(); ++i) {
    const HitPoint& h = cue.hits[i];
    const std::string at = cat("hits/", i, "/");
    const std::string name = h.label.empty() ? cat("hit ", i + 1) : cat("hit '", h.label, "'");
    if (span_ok && (h.at < cue.in || h.at > cue.out)) {
      out.push_back({index, at + "time",
                     cat(name, " at ", text(h.at), " is outside cue ", id, " (", text(cue.in),
                         " to ", text(cue.out), ")")});
    }
    if (!std::isfinite(h.weight) || h.weight <= 0) {
      out.push_back({index, at + "weight",
                     cat(name, " has weight ", number_text(h.weight),
                         "; a weight must be a number above 0")});
    }
    if (h.land.kind == Landing::Kind::subdivision &&
        (h.land.note_value <= 0 || 7680 % h.land.note_value != 0)) {
      out.push_back({index, at + "land",
                     cat(name, " lands on 1/", h.land.note_value,
                         ", which is not a subdivision on whole musical ticks (n must divide "
                         "7680)")});
    }
  }
  for (std::size_t i = 0; i < cue.dialogue.size(); ++i) {
    const DialogueWindow& d = cue.dialogue[i];
    const std::string at = cat("dialogue/", i, "/");
    if (d.end <= d.start) {
      out.push_back({index, at + "end",
                     cat("dialogue window ", i + 1, " ends at ", text(d.end),
                         ", not after its start ", text(d.start))});
    } else if (span_ok && (d.end <= cue.in || d.start >= cue.out)) {
      out.push_back({index, at + "start",
                     cat("dialogue window ", i + 1, " (", text(d.start), " to ", text(d.end),
                         ") lies outside cue ", id)});
    }
  }
  const auto& keys = cue.emotion.keys;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const EmotionKey& k = keys[i];
    const std::string at = cat("emotion/", i, "/");
    if (i > 0 && k.at <= keys[i - 1].at) {
      out.push_back(
          {index, at + "time",
           cat("emotion keyframe ", i + 1, " at ", text(k.at), " does not come after keyframe ", i,
               " at ", text(keys[i - 1].at), "; keyframes must be in increasing time")});
    }
    if (span_ok && (k.at < cue.in || k.at > cue.out)) {
      out.push_back({index, at + "time",
                     cat("emotion keyframe ", i + 1, " at ", text(k.at), " is outside cue ", id)});
    }
    check_range(out, index, at + "valence", cat("emotion keyframe ", i + 1, " valence"),
                k.value.valence, -1, 1);
    check_range(out, index, at + "arousal", cat("emotion keyframe ", i + 1, " arousal"),
                k.value.arousal, -1, 1);
    check_range(out, index, at + "tension", cat("emotion keyframe ", i + 1, " tension"),
                k.value.tension, 0, 1);
  }
  return out;
}

std::vector<Problem> validate_cues(const std::vector<Cue>& cues, const TimeText& text) {
  std::vector<Problem> out;
  std::map<CueId, std::size_t> seen;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    auto [it, fresh] = seen.emplace(cues[i].id, i);
    if (!fresh) {
      out.push_back({i, "id",
                     cat("cue id ", cues[i].id.to_string(), " is used twice (cue ", it->second + 1,
                         " and cue ", i + 1, "); each cue needs its own id")});
    }
    auto more = validate_cue(cues[i], i, text);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

}  // namespace duet::spot
