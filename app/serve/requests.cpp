#include "requests.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "spot/cue.h"

namespace duet::serve {

using base::ErrorKind;
using base::make_error;
using nlohmann::json;

namespace {

// How deep the body's arrays and objects nest (brackets inside strings not counted), stopping
// once past the bound.
int depth_of(std::string_view body) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size() && deepest <= kMaxBodyDepth; ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

base::Result<json> object_of(std::string_view body) {
  if (body.empty()) return json::object();
  if (depth_of(body) > kMaxBodyDepth) {
    return make_error(ErrorKind::invalid_input, "the request body nests deeper than ",
                      kMaxBodyDepth, " levels; no request of this API needs that");
  }
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return make_error(ErrorKind::invalid_input,
                      "the request body is not a JSON object; send {\"name\": value, ...}");
  }
  return j;
}

// A whole number field within [low, high], or `fallback` when absent.
base::Result<std::int64_t> whole(const json& j, const char* name, std::int64_t fallback,
                                 std::int64_t low, std::int64_t high) {
  if (!j.contains(name)) return fallback;
  const json& v = j[name];
  if (!v.is_number_integer() && !v.is_number_unsigned()) {
    return make_error(ErrorKind::invalid_input, name, " takes a whole number");
  }
  // Unsigned values past int64 read as negative through get<int64_t>: take them as too large.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(high)) {
    return make_error(ErrorKind::out_of_range, name, " is out of range (", low, " to ", high, ")");
  }
  const std::int64_t n = v.get<std::int64_t>();
  if (n < low || n > high) {
    return make_error(ErrorKind::out_of_range, name, " ", n, " is out of range (", low, " to ",
                      high, ")");
  }
  return n;
}

// A string field, or `fallback` when absent; "" refused unless `may_be_empty`.
base::Result<std::string> text(const json& j, const char* name, std::string fallback,
                               bool may_be_empty = false) {
  if (!j.contains(name)) return fallback;
  const json& v = j[name];
  if (!v.is_string() || (!may_be_empty && v.get<std::string>().empty())) {
    return make_error(ErrorKind::invalid_input, name, " takes ",
                      may_be_empty ? "text" : "a non-empty text");
  }
  return v.get<std::string>();
}

// The cue ids of a "cues" list.
base::Result<std::vector<spot::CueId>> cue_ids(const json& j) {
  std::vector<spot::CueId> out;
  if (!j.contains("cues")) return out;
  const json& cues = j["cues"];
  if (!cues.is_array()) {
    return make_error(ErrorKind::invalid_input, "cues takes a list of cue ids ([\"1M1\"])");
  }
  for (const json& c : cues) {
    if (!c.is_string()) {
      return make_error(ErrorKind::invalid_input, "cues takes a list of cue ids ([\"1M1\"])");
    }
    auto id = spot::parse_cue_id(c.get<std::string>());
    if (!id) return id.error().with_context("cues");
    out.push_back(*id);
  }
  return out;
}

// "take": {"1M3": 2}: the candidate each cue is delivered from (1 = compose's best), none when
// absent.
base::Result<std::map<spot::CueId, int>> takes(const json& j) {
  std::map<spot::CueId, int> out;
  if (!j.contains("take")) return out;
  const json& t = j["take"];
  const auto bad = [] {
    return make_error(ErrorKind::invalid_input,
                      "take maps cue ids to candidate ranks from 1 ({\"1M3\": 2})");
  };
  if (!t.is_object()) return bad();
  for (const auto& [key, rank] : t.items()) {
    auto id = spot::parse_cue_id(key);
    if (!id) return id.error().with_context("take");
    if (!rank.is_number_integer() || rank.get<std::int64_t>() < 1 ||
        rank.get<std::int64_t>() > 64) {
      return bad();
    }
    out[*id] = static_cast<int>(rank.get<std::int64_t>());
  }
  return out;
}

// A true/false field, false when absent.
base::Result<bool> flag(const json& j, const char* name) {
  if (!j.contains(name)) return false;
  if (!j[name].is_boolean())
    return make_error(ErrorKind::invalid_input, name, " takes true or false");
  return j[name].get<bool>();
}

}  // namespace

base::Result<ComposeBody> read_compose_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  ComposeBody out;
  auto cues = cue_ids(*j);
  if (!cues) return cues.error();
  out.request.cues = std::move(*cues);
  auto candidates = whole(*j, "candidates", 8, 1, 64);
  if (!candidates) return candidates.error();
  auto keep = whole(*j, "keep", 3, 1, 64);
  if (!keep) return keep.error();
  if (*keep > *candidates) {
    return make_error(ErrorKind::out_of_range, "keep ", *keep, " is more than candidates ",
                      *candidates);
  }
  auto seed = whole(*j, "seed", 1, 0, std::numeric_limits<std::int64_t>::max());
  if (!seed) return seed.error();
  out.request.candidates = static_cast<int>(*candidates);
  out.request.keep = static_cast<int>(*keep);
  out.request.seed = static_cast<std::uint64_t>(*seed);
  if (j->contains("out")) {
    if (!(*j)["out"].is_string() || (*j)["out"].get<std::string>().empty()) {
      return make_error(ErrorKind::invalid_input, "out takes a folder inside the project");
    }
    out.out = (*j)["out"].get<std::string>();
  }
  if (j->contains("locks")) {
    const json& locks = (*j)["locks"];
    const auto bad = [] {
      return make_error(ErrorKind::invalid_input,
                        "locks takes [{\"file\": \"compose/1M1-2.mid\", \"bars\": [first, last], "
                        "\"part\": name}], bars and part each optional, one file for them all");
    };
    if (!locks.is_array()) return bad();
    for (const json& l : locks) {
      if (!l.is_object() || !l.contains("file") || !l["file"].is_string() ||
          l["file"].get<std::string>().empty()) {
        return bad();
      }
      engine::ComposeLock lock;
      lock.file = l["file"].get<std::string>();
      if (l.contains("part")) {
        if (!l["part"].is_string()) return bad();
        lock.part = l["part"].get<std::string>();
      }
      if (l.contains("bars")) {
        const json& b = l["bars"];
        if (!b.is_array() || b.size() != 2 || !b[0].is_number_integer() ||
            !b[1].is_number_integer()) {
          return bad();
        }
        const std::int64_t first = b[0].get<std::int64_t>();
        const std::int64_t last = b[1].get<std::int64_t>();
        if (first < 1 || last < first || last > 100'000) {
          return make_error(ErrorKind::out_of_range, "locks: bars ", first, " to ", last,
                            " is not a range of bars (from 1, first <= last)");
        }
        lock.bars = std::pair{first, last};
      }
      out.request.locks.push_back(std::move(lock));
    }
  }
  return out;
}

base::Result<std::string> read_critique_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  if (!j->contains("file")) {
    return make_error(ErrorKind::invalid_input,
                      "name the MIDI file to critique: {\"file\": \"mine/1M3.mid\"}");
  }
  return text(*j, "file", "");
}

base::Result<ApplyBody> read_apply_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  if (!j->contains("option")) {
    return make_error(ErrorKind::invalid_input, "give the option to apply: {\"option\": 1}");
  }
  ApplyBody out;
  auto options = whole(*j, "options", 5, 1, 100);
  if (!options) return options.error();
  auto option = whole(*j, "option", 0, 1, *options);
  if (!option) return option.error();
  out.option = static_cast<int>(*option);
  out.options = static_cast<int>(*options);
  if (j->contains("allow_misses")) {
    const auto& v = (*j)["allow_misses"];
    if (!v.is_boolean()) {
      return make_error(ErrorKind::invalid_input, "allow_misses is true or false, not ", v.dump());
    }
    out.allow_misses = v.get<bool>();
  }
  return out;
}

base::Result<void> read_empty_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  if (!j->empty()) {
    return make_error(ErrorKind::invalid_input, "this job takes no settings; send {} (it reads '",
                      j->begin().key(), "' nowhere)");
  }
  return {};
}

base::Result<ScoreBody> read_score_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  ScoreBody out;
  auto cues = cue_ids(*j);
  if (!cues) return cues.error();
  out.cues = std::move(*cues);
  auto take = takes(*j);
  if (!take) return take.error();
  out.take = std::move(*take);
  auto from = text(*j, "from", out.from);
  if (!from) return from.error();
  auto film = text(*j, "out", "");
  if (!film) return film.error();
  auto stems = text(*j, "stems", "");
  if (!stems) return stems.error();
  auto wav = text(*j, "wav", "");
  if (!wav) return wav.error();
  if (film->empty() && stems->empty() && wav->empty()) {
    return make_error(ErrorKind::invalid_input,
                      "give what to write: \"out\" (the scored film), \"wav\" (the music "
                      "track) or \"stems\" (a folder), or more than one");
  }
  out.from = *from;
  out.out = *film;
  out.stems = *stems;
  out.wav = *wav;
  if (j->contains("excerpt")) {
    const json& x = (*j)["excerpt"];
    const auto bad = [] {
      return make_error(ErrorKind::invalid_input,
                        "excerpt takes {\"pre_roll\": seconds, \"post_roll\": seconds, "
                        "\"alone\": true|false, \"from\": \"HH:MM:SS:FF\", \"seconds\": "
                        "length, \"chase\": true|false}, each roll 0 to 600 (4 when absent), "
                        "the length 0.1 to 3600");
    };
    if (!x.is_object()) return bad();
    engine::ScoreFilmRequest::Excerpt e;
    for (auto [name, value] : {std::pair{"alone", &e.alone}, {"chase", &e.chase}}) {
      if (!x.contains(name)) continue;
      if (!x[name].is_boolean()) return bad();
      *value = x[name].get<bool>();
    }
    if (x.contains("from")) {
      if (!x["from"].is_string()) return bad();
      out.excerpt_from = x["from"].get<std::string>();
    }
    if (x.contains("seconds")) {
      const json& v = x["seconds"];
      if (!v.is_number() || !(v.get<double>() >= 0.1 && v.get<double>() <= 3600)) return bad();
      e.seconds = v.get<double>();
    }
    for (auto [name, value] : {std::pair{"pre_roll", &e.pre_roll}, {"post_roll", &e.post_roll}}) {
      if (!x.contains(name)) continue;
      const json& v = x[name];
      if (!v.is_number() || !(v.get<double>() >= 0 && v.get<double>() <= 600)) return bad();
      *value = v.get<double>();
    }
    if (out.cues.empty()) {
      return make_error(ErrorKind::invalid_input,
                        "an excerpt is around the cues named in \"cues\"; name at least one");
    }
    out.excerpt = e;
  }
  if (j->contains("loudness")) {
    const json& v = (*j)["loudness"];
    if (!v.is_number() || !(v.get<double>() >= -40 && v.get<double>() <= -5)) {
      return make_error(ErrorKind::out_of_range, "loudness takes LUFS from -40 to -5");
    }
    out.loudness = v.get<double>();
  }
  return out;
}

base::Result<DeliverBody> read_deliver_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  DeliverBody out;
  auto take = takes(*j);
  if (!take) return take.error();
  out.take = std::move(*take);
  auto from = text(*j, "from", out.from);
  if (!from) return from.error();
  auto folder = text(*j, "out", out.out);
  if (!folder) return folder.error();
  out.from = *from;
  out.out = *folder;
  return out;
}

base::Result<engine::AddThemeRequest> read_theme_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  if (!j->contains("text")) {
    return make_error(ErrorKind::invalid_input,
                      "give the theme's notes as text: {\"text\": \"4/4 D4q. F4e A4q D5q\"}");
  }
  engine::AddThemeRequest out;
  auto notes = text(*j, "text", "");
  if (!notes) return notes.error();
  auto stands_for = text(*j, "stands_for", "", true);
  if (!stands_for) return stands_for.error();
  auto key = text(*j, "key", "", true);
  if (!key) return key.error();
  auto harmony = text(*j, "harmony", "", true);
  if (!harmony) return harmony.error();
  out.source = engine::ThemeText{*notes};
  out.stands_for = *stands_for;
  out.key = *key;
  out.harmony = *harmony;
  return out;
}

base::Result<engine::TagThemeRequest> read_tag_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  engine::TagThemeRequest out;
  auto cues = cue_ids(*j);
  if (!cues) return cues.error();
  auto all = flag(*j, "all");
  if (!all) return all.error();
  auto untag = flag(*j, "untag");
  if (!untag) return untag.error();
  if (cues->empty() == !*all) {
    return make_error(ErrorKind::invalid_input,
                      "give the cues to tag ({\"cues\": [\"1M1\"]}) or {\"all\": true}, one of "
                      "them");
  }
  out.cues = std::move(*cues);
  out.all = *all;
  out.untag = *untag;
  return out;
}

base::Result<CueEditBody> read_cue_edit_body(std::string_view body,
                                             std::string_view default_reason) {
  auto j = object_of(body);
  if (!j) return j.error();
  CueEditBody out;
  out.reason = default_reason;
  if (j->contains("reason")) {
    const json& reason = (*j)["reason"];
    if (!reason.is_string() || reason.get<std::string>().empty() ||
        reason.get<std::string>().size() > 200) {
      return make_error(ErrorKind::invalid_input,
                        "reason takes a short sentence (1 to 200 characters)");
    }
    out.reason = reason.get<std::string>();
    j->erase("reason");
  }
  out.fields = std::move(*j);
  return out;
}

base::Result<RestoreBody> read_restore_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  if (!j->contains("version")) {
    return make_error(ErrorKind::invalid_input, "give the version to restore: {\"version\": 2}");
  }
  auto version = whole(*j, "version", 0, 1, 999999);
  if (!version) return version.error();
  return RestoreBody{static_cast<int>(*version)};
}

}  // namespace duet::serve
