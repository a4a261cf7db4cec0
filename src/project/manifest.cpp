#include "project/manifest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "base/error.h"
#include "base/text.h"
#include "music/key.h"
#include "music/theme.h"
#include "music/theme_transform.h"
#include "project/schema.h"
#include "spot/validate.h"
#include "time/tempo_map_text.h"

namespace duet::project {
namespace {

using base::cat;

// The JSON pointer of a child: "/cues" + "2" -> "/cues/2" (escaping ~ and / as RFC 6901 says).
std::string child(const std::string& path, std::string_view key) {
  std::string out = path + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}
std::string child(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

std::string type_name(const Json& j) {
  if (j.is_string()) return "a string";
  if (j.is_number()) return "a number";
  if (j.is_boolean()) return "true or false";
  if (j.is_array()) return "a list";
  if (j.is_object()) return "an object";
  return "null";
}

std::string shown(const Json& j) {
  std::string text = j.is_string() ? "'" + j.get<std::string>() + "'" : j.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// Reads a JSON tree into a Manifest, collecting every problem with its path.
class Reader {
 public:
  ManifestCheck check;

  void error(const std::string& path, std::string message) {
    check.errors.push_back({path, std::move(message)});
  }
  void warning(const std::string& path, std::string message) {
    check.warnings.push_back({path, std::move(message)});
  }

  // Warns about every key of `object` not in `known`.
  void known_keys(const Json& object, const std::string& path,
                  std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        warning(child(path, key), "unknown key, ignored (a typo, or written by another tool?)");
      }
    }
  }

  const Json* field(const Json& object, const std::string& path, std::string_view key,
                    bool required) {
    const auto it = object.find(std::string(key));
    if (it == object.end()) {
      if (required) error(child(path, key), "missing");
      return nullptr;
    }
    return &*it;
  }

  bool object_at(const Json& j, const std::string& path) {
    if (j.is_object()) return true;
    error(path, cat("expected an object, found ", type_name(j)));
    return false;
  }

  std::string string_of(const Json& object, const std::string& path, std::string_view key,
                        bool required = false) {
    const Json* j = field(object, path, key, required);
    if (j == nullptr) return {};
    if (!j->is_string()) {
      error(child(path, key), cat("expected a string, found ", type_name(*j)));
      return {};
    }
    return j->get<std::string>();
  }

  std::vector<std::string> strings_of(const Json& object, const std::string& path,
                                      std::string_view key) {
    std::vector<std::string> out;
    const Json* j = field(object, path, key, false);
    if (j == nullptr) return out;
    const std::string here = child(path, key);
    if (!j->is_array()) {
      error(here, cat("expected a list of strings, found ", type_name(*j)));
      return out;
    }
    for (std::size_t i = 0; i < j->size(); ++i) {
      if (!(*j)[i].is_string()) {
        error(child(here, i), cat("expected a string, found ", type_name((*j)[i])));
      } else {
        out.push_back((*j)[i].get<std::string>());
      }
    }
    return out;
  }

  double number_of(const Json& object, const std::string& path, std::string_view key,
                   double fallback, bool required = false) {
    const Json* j = field(object, path, key, required);
    if (j == nullptr) return fallback;
    if (!j->is_number()) {
      error(child(path, key), cat("expected a number, found ", type_name(*j)));
      return fallback;
    }
    return j->get<double>();
  }

  bool bool_of(const Json& object, const std::string& path, std::string_view key) {
    const Json* j = field(object, path, key, false);
    if (j == nullptr) return false;
    if (!j->is_boolean()) {
      error(child(path, key), cat("expected true or false, found ", type_name(*j)));
      return false;
    }
    return j->get<bool>();
  }

  // A timecode at the project rate; nothing when the rate itself is wrong (reported once there).
  time::TimePos time_of(const Json& object, const std::string& path, std::string_view key,
                        bool required = true) {
    const Json* j = field(object, path, key, required);
    if (j == nullptr || !rate_ok) return {};
    if (!j->is_string()) {
      error(child(path, key),
            cat("expected a timecode string such as \"01:00:00:00\", found ", type_name(*j)));
      return {};
    }
    auto tc = time::parse_timecode(j->get<std::string>(), rate);
    if (!tc) {
      error(child(path, key),
            cat(shown(*j), " is not a timecode at ", rate.name(), " fps: ", tc.error().message));
      return {};
    }
    return time::to_time(*tc, rate);
  }

  template <class T, class Parse>
  T parsed(const Json& object, const std::string& path, std::string_view key, T fallback,
           Parse parse, bool required = false) {
    const Json* j = field(object, path, key, required);
    if (j == nullptr) return fallback;
    if (!j->is_string()) {
      error(child(path, key), cat("expected a string, found ", type_name(*j)));
      return fallback;
    }
    auto value = parse(j->get<std::string>());
    if (!value) {
      error(child(path, key), value.error().message);
      return fallback;
    }
    return *value;
  }

  void read_picture(const Json& j, const std::string& path, Picture& p) {
    if (!object_at(j, path)) {
      rate_ok = false;
      return;
    }
    known_keys(j, path, {"film", "rate", "start", "edl"});
    p.film = string_of(j, path, "film");
    p.edl = string_of(j, path, "edl");
    const std::size_t before = check.errors.size();
    p.rate = parsed<time::FrameRate>(
        j, path, "rate", time::FrameRate::fps24(),
        [](const std::string& s) { return time::FrameRate::parse(s); }, true);
    rate_ok = check.errors.size() == before;
    rate = p.rate;
    if (rate_ok) {
      const Json* s = field(j, path, "start", false);
      if (s != nullptr) p.start = time::timecode_at(time_of(j, path, "start"), rate);
    }
    for (const char* key : {"film", "edl"}) {
      const std::string& value = std::string_view(key) == "film" ? p.film : p.edl;
      if (!value.empty() && value.front() == '/') {
        warning(child(path, key), cat("'", value,
                                      "' is an absolute path; a path relative to "
                                      "the project folder moves with the project"));
      }
    }
  }

  spot::Cue read_cue(const Json& j, const std::string& path, Manifest& m) {
    spot::Cue cue;
    if (!object_at(j, path)) return cue;
    known_keys(j, path,
               {"id", "title", "in", "out", "usage", "notes", "hits", "dialogue", "emotion",
                "characters", "themes", "draft", "tempo_map", "credits", "music"});
    cue.id = parsed<spot::CueId>(j, path, "id", spot::CueId{}, spot::parse_cue_id, true);
    cue.title = string_of(j, path, "title");
    cue.in = time_of(j, path, "in");
    cue.out = time_of(j, path, "out");
    cue.usage = parsed<spot::Usage>(j, path, "usage", spot::Usage::background_instrumental,
                                    spot::parse_usage);
    cue.notes = string_of(j, path, "notes");
    cue.characters = strings_of(j, path, "characters");
    cue.themes = strings_of(j, path, "themes");
    cue.draft_fingerprint = string_of(j, path, "draft");
    cue.music = string_of(j, path, "music");
    if (const Json* map = field(j, path, "tempo_map", false)) {
      cue.tempo_map = read_tempo_map(*map, child(path, "tempo_map"));
    }
    if (const Json* credits = field(j, path, "credits", false)) {
      const std::string here = child(path, "credits");
      if (object_at(*credits, here)) {
        known_keys(*credits, here, {"writers", "publishers"});
        exporting::Credits c;
        read_credits(*credits, here, c);
        if (!c.empty()) {
          if (!m.cue_credits.emplace(cue.id, std::move(c)).second) {
            error(here, cat("cue ", cue.id.to_string(), " has credits twice"));
          }
        }
      }
    }
    if (const Json* hits = list(j, path, "hits")) {
      for (std::size_t i = 0; i < hits->size(); ++i) {
        const std::string here = child(child(path, "hits"), i);
        const Json& h = (*hits)[i];
        if (!object_at(h, here)) continue;
        known_keys(h, here, {"time", "label", "kind", "weight", "land", "accent"});
        spot::HitPoint hit;
        hit.at = time_of(h, here, "time");
        hit.label = string_of(h, here, "label");
        hit.kind =
            parsed<spot::HitKind>(h, here, "kind", spot::HitKind::hard, spot::parse_hit_kind);
        hit.weight = number_of(h, here, "weight", 1.0);
        hit.land =
            parsed<spot::Landing>(h, here, "land", spot::Landing::beat(), spot::parse_landing);
        hit.accent = bool_of(h, here, "accent");
        cue.hits.push_back(std::move(hit));
      }
    }
    if (const Json* windows = list(j, path, "dialogue")) {
      for (std::size_t i = 0; i < windows->size(); ++i) {
        const std::string here = child(child(path, "dialogue"), i);
        const Json& d = (*windows)[i];
        if (!object_at(d, here)) continue;
        known_keys(d, here, {"start", "end", "speaker"});
        cue.dialogue.push_back(
            {time_of(d, here, "start"), time_of(d, here, "end"), string_of(d, here, "speaker")});
      }
    }
    if (const Json* keys = list(j, path, "emotion")) {
      for (std::size_t i = 0; i < keys->size(); ++i) {
        const std::string here = child(child(path, "emotion"), i);
        const Json& k = (*keys)[i];
        if (!object_at(k, here)) continue;
        known_keys(k, here, {"time", "valence", "arousal", "tension"});
        cue.emotion.keys.push_back(
            {time_of(k, here, "time"),
             {number_of(k, here, "valence", 0.0, true), number_of(k, here, "arousal", 0.0, true),
              number_of(k, here, "tension", 0.0, true)}});
      }
    }
    return cue;
  }

  // A cue's tempo map (docs/project-format.md): the tempo and meter entries of the text form
  // (time/tempo_map_text.h) and the origin, the timecode of the frame holding beat 0 plus the
  // superclock ticks after that frame's start.
  std::optional<time::TempoMap> read_tempo_map(const Json& j, const std::string& path) {
    if (!object_at(j, path)) return std::nullopt;
    known_keys(j, path, {"origin", "origin_offset", "tempos", "meters"});
    const std::size_t before = check.errors.size();
    time::TimePos origin = time_of(j, path, "origin");
    const std::size_t before_offset = check.errors.size();
    const double offset = number_of(j, path, "origin_offset", 0.0);
    const std::int64_t frame_ticks = rate.frame_duration().ticks();
    if (check.errors.size() == before_offset) {
      if (offset != std::floor(offset) || offset < 0 ||
          offset >= static_cast<double>(frame_ticks)) {
        error(child(path, "origin_offset"),
              cat(shown(j.at("origin_offset")),
                  " is not a whole number of superclock ticks from 0 to ", frame_ticks - 1,
                  " (less than a frame at ", rate.name(), " fps)"));
      } else {
        origin += time::TimeDur(static_cast<std::int64_t>(offset));
      }
    }
    const std::vector<std::string> tempos = strings_of(j, path, "tempos");
    const std::vector<std::string> meters = strings_of(j, path, "meters");
    if (check.errors.size() != before || !rate_ok) return std::nullopt;
    if (tempos.empty()) {
      error(child(path, "tempos"), "a tempo map needs at least one tempo, such as \"1=120\"");
      return std::nullopt;
    }
    auto map = time::parse_tempo_map(tempos, meters, origin, &rate);
    if (!map) {
      error(path, map.error().message);
      return std::nullopt;
    }
    return std::move(*map);
  }

  // Writers and publishers (docs/project-format.md): {"writers": [...], "publishers": [...]}.
  void read_credits(const Json& object, const std::string& path, exporting::Credits& credits) {
    if (const Json* writers = list(object, path, "writers")) {
      for (std::size_t i = 0; i < writers->size(); ++i) {
        const std::string here = child(child(path, "writers"), i);
        const Json& w = (*writers)[i];
        if (!object_at(w, here)) continue;
        known_keys(w, here, {"name", "role", "share", "society", "ipi"});
        exporting::Writer writer;
        writer.name = string_of(w, here, "name", true);
        writer.role = parsed<exporting::WriterRole>(
            w, here, "role", exporting::WriterRole::composer, exporting::parse_role, true);
        writer.share = number_of(w, here, "share", 0.0, true);
        writer.society = string_of(w, here, "society");
        writer.ipi = string_of(w, here, "ipi");
        credits.writers.push_back(std::move(writer));
      }
    }
    if (const Json* publishers = list(object, path, "publishers")) {
      for (std::size_t i = 0; i < publishers->size(); ++i) {
        const std::string here = child(child(path, "publishers"), i);
        const Json& p = (*publishers)[i];
        if (!object_at(p, here)) continue;
        known_keys(p, here, {"name", "share", "society", "ipi"});
        credits.publishers.push_back({string_of(p, here, "name", true),
                                      number_of(p, here, "share", 0.0, true),
                                      string_of(p, here, "society"), string_of(p, here, "ipi")});
      }
    }
  }

  const Json* list(const Json& object, const std::string& path, std::string_view key) {
    const Json* j = field(object, path, key, false);
    if (j == nullptr) return nullptr;
    if (!j->is_array()) {
      error(child(path, key), cat("expected a list, found ", type_name(*j)));
      return nullptr;
    }
    return j;
  }

  void read_root(const Json& root, Manifest& m) {
    known_keys(root, "",
               {"schema", "title", "production", "picture", "settings", "themes", "cues"});
    m.title = string_of(root, "", "title");
    if (const Json* p = field(root, "", "production", false);
        p != nullptr && object_at(*p, "/production")) {
      known_keys(*p, "/production", {"title", "company", "writers", "publishers"});
      m.production.title = string_of(*p, "/production", "title");
      m.production.company = string_of(*p, "/production", "company");
      read_credits(*p, "/production", m.production.credits);
    }
    if (const Json* p = field(root, "", "picture", true)) {
      read_picture(*p, "/picture", m.picture);
    } else {
      rate_ok = false;
    }
    if (const Json* s = field(root, "", "settings", false);
        s != nullptr && object_at(*s, "/settings")) {
      known_keys(*s, "/settings", {"hit_tolerance_frames", "tempo_min_bpm", "tempo_max_bpm"});
      const double tol = number_of(*s, "/settings", "hit_tolerance_frames", 1.0);
      // Thousandths of a frame: finer is below any picture's or player's resolution.
      const double milli = tol * 1000;
      if (!(tol >= 0 && tol <= 12) || std::abs(milli - std::round(milli)) > 1e-6) {
        error("/settings/hit_tolerance_frames",
              cat(shown(s->at("hit_tolerance_frames")),
                  " is not a number of frames 0..12 with at most three decimals"));
      } else {
        m.settings.hit_tolerance_frames =
            time::Rational(static_cast<std::int64_t>(std::llround(milli)), 1000);
      }
      m.settings.tempo_min_bpm = number_of(*s, "/settings", "tempo_min_bpm", 40.0);
      m.settings.tempo_max_bpm = number_of(*s, "/settings", "tempo_max_bpm", 240.0);
    }
    if (const Json* themes = list(root, "", "themes")) {
      for (std::size_t i = 0; i < themes->size(); ++i) {
        const std::string here = child("/themes", i);
        const Json& t = (*themes)[i];
        if (!object_at(t, here)) continue;
        known_keys(t, here, {"name", "stands_for", "midi", "melody", "key", "harmony"});
        m.themes.push_back({string_of(t, here, "name", true), string_of(t, here, "stands_for"),
                            string_of(t, here, "midi"), string_of(t, here, "melody"),
                            string_of(t, here, "key"), string_of(t, here, "harmony")});
      }
    }
    if (const Json* cues = list(root, "", "cues")) {
      for (std::size_t i = 0; i < cues->size(); ++i) {
        m.cues.push_back(read_cue((*cues)[i], child("/cues", i), m));
      }
    }
  }

  time::FrameRate rate = time::FrameRate::fps24();
  bool rate_ok = true;
};

// Line and column (from 1) of a byte offset in text.
std::string line_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return cat("line ", line, ", column ", column);
}

Json time_json(time::TimePos at, const time::FrameRate& rate) {
  return time::nearest_label(at, rate);
}

Json credits_json(const exporting::Credits& credits) {
  Json out = Json::object();
  if (!credits.writers.empty()) {
    out["writers"] = Json::array();
    for (const auto& w : credits.writers) {
      Json j{{"name", w.name},
             {"role", std::string(exporting::role_code(w.role))},
             {"share", w.share}};
      if (!w.society.empty()) j["society"] = w.society;
      if (!w.ipi.empty()) j["ipi"] = w.ipi;
      out["writers"].push_back(std::move(j));
    }
  }
  if (!credits.publishers.empty()) {
    out["publishers"] = Json::array();
    for (const auto& p : credits.publishers) {
      Json j{{"name", p.name}, {"share", p.share}};
      if (!p.society.empty()) j["society"] = p.society;
      if (!p.ipi.empty()) j["ipi"] = p.ipi;
      out["publishers"].push_back(std::move(j));
    }
  }
  return out;
}

Json cue_json(const spot::Cue& cue, const time::FrameRate& rate,
              const exporting::Credits* credits) {
  Json c = Json::object();
  c["id"] = cue.id.to_string();
  c["title"] = cue.title;
  c["in"] = time_json(cue.in, rate);
  c["out"] = time_json(cue.out, rate);
  c["usage"] = std::string(spot::usage_code(cue.usage));
  c["notes"] = cue.notes;
  if (cue.is_draft()) c["draft"] = cue.draft_fingerprint;
  c["hits"] = Json::array();
  for (const auto& h : cue.hits) {
    c["hits"].push_back(Json{{"time", time_json(h.at, rate)},
                             {"label", h.label},
                             {"kind", std::string(spot::hit_kind_name(h.kind))},
                             {"weight", h.weight},
                             {"land", h.land.to_string()},
                             {"accent", h.accent}});
  }
  c["dialogue"] = Json::array();
  for (const auto& d : cue.dialogue) {
    Json w{{"start", time_json(d.start, rate)}, {"end", time_json(d.end, rate)}};
    if (!d.speaker.empty()) w["speaker"] = d.speaker;
    c["dialogue"].push_back(std::move(w));
  }
  c["emotion"] = Json::array();
  for (const auto& k : cue.emotion.keys) {
    c["emotion"].push_back(Json{{"time", time_json(k.at, rate)},
                                {"valence", k.value.valence},
                                {"arousal", k.value.arousal},
                                {"tension", k.value.tension}});
  }
  c["characters"] = cue.characters;
  c["themes"] = cue.themes;
  // Only when kept, so that projects without it read back byte for byte.
  if (!cue.music.empty()) c["music"] = cue.music;
  if (cue.tempo_map) {
    // The frame holding beat 0 and the ticks after its start, so the origin is exact.
    const time::TimePos origin = cue.tempo_map->origin();
    const std::int64_t frame = time::frame_at(origin, rate);
    Json map = Json::object();
    map["origin"] = time::format_timecode(time::from_frames(frame, rate), rate);
    const std::int64_t offset = (origin - time::time_of_frame(frame, rate)).ticks();
    if (offset != 0) map["origin_offset"] = offset;
    map["tempos"] = time::format_tempo_entries(*cue.tempo_map);
    map["meters"] = time::format_meter_entries(cue.tempo_map->meters());
    c["tempo_map"] = std::move(map);
  }
  if (credits != nullptr && !credits->empty()) c["credits"] = credits_json(*credits);
  return c;
}

}  // namespace

std::string to_string(const Problem& problem, std::string_view file) {
  return problem.path.empty() ? cat(file, ": ", problem.message)
                              : cat(file, ": ", problem.path, ": ", problem.message);
}

std::string production_title(const Manifest& manifest) {
  return manifest.production.title.empty() ? manifest.title : manifest.production.title;
}

const exporting::Credits& credits_for(const Manifest& manifest, const spot::CueId& cue) {
  const auto it = manifest.cue_credits.find(cue);
  return it != manifest.cue_credits.end() ? it->second : manifest.production.credits;
}

std::vector<Problem> validate_manifest(const Manifest& m) {
  std::vector<Problem> out;
  const time::FrameRate& rate = m.picture.rate;
  const auto text = [&](time::TimePos t) { return time::nearest_label(t, rate); };
  for (const spot::Problem& p : spot::validate_cues(m.cues, text)) {
    out.push_back({cat("/cues/", p.cue, p.field.empty() ? "" : "/", p.field), p.message});
  }
  // Every time must have a timecode label: within the 24 hours from 00:00:00:00.
  const time::TimePos day = time::time_of_frame(rate.frames_per_day(), rate);
  const auto check_time = [&](time::TimePos t, const std::string& path) {
    if (t < time::TimePos(0) || t >= day) {
      out.push_back({path, cat("lies outside the 24 hours of timecode (",
                               base::fixed(time::seconds(t), 3), " s on the timeline)")});
    }
  };
  for (std::size_t i = 0; i < m.cues.size(); ++i) {
    const spot::Cue& c = m.cues[i];
    const std::string path = cat("/cues/", i);
    check_time(c.in, path + "/in");
    check_time(c.out, path + "/out");
    for (std::size_t k = 0; k < c.hits.size(); ++k)
      check_time(c.hits[k].at, cat(path, "/hits/", k, "/time"));
    for (std::size_t k = 0; k < c.dialogue.size(); ++k) {
      check_time(c.dialogue[k].start, cat(path, "/dialogue/", k, "/start"));
      check_time(c.dialogue[k].end, cat(path, "/dialogue/", k, "/end"));
    }
    for (std::size_t k = 0; k < c.emotion.keys.size(); ++k)
      check_time(c.emotion.keys[k].at, cat(path, "/emotion/", k, "/time"));
    if (c.tempo_map) check_time(c.tempo_map->origin(), path + "/tempo_map/origin");
  }
  std::map<std::string, std::size_t> names;
  for (std::size_t i = 0; i < m.themes.size(); ++i) {
    const std::string path = cat("/themes/", i, "/name");
    if (m.themes[i].name.empty()) {
      out.push_back({path, "a theme needs a name"});
    } else if (auto [it, fresh] = names.emplace(m.themes[i].name, i); !fresh) {
      out.push_back({path, cat("theme '", m.themes[i].name, "' is named twice (themes ",
                               it->second + 1, " and ", i + 1, ")")});
    }
    const Theme& t = m.themes[i];
    if (!t.melody.empty()) {
      if (auto melody = music::parse_melody(t.melody); !melody) {
        out.push_back({cat("/themes/", i, "/melody"), melody.error().message});
      }
    }
    if (!t.key.empty()) {
      if (auto key = music::parse_key(t.key); !key) {
        out.push_back({cat("/themes/", i, "/key"), key.error().message});
      }
    }
    if (!t.harmony.empty()) {
      if (auto chords = music::parse_harmony(t.harmony); !chords) {
        out.push_back({cat("/themes/", i, "/harmony"), chords.error().message});
      }
    }
  }
  for (const exporting::CreditProblem& p : exporting::check_credits(m.production.credits))
    out.push_back({"/production" + p.path, p.message});
  for (const auto& [id, credits] : m.cue_credits) {
    std::size_t index = m.cues.size();
    for (std::size_t i = 0; i < m.cues.size(); ++i)
      if (m.cues[i].id == id) index = i;
    // Credits of a cue no longer in the project go with it (they are not written).
    if (index == m.cues.size()) continue;
    for (const exporting::CreditProblem& p : exporting::check_credits(credits))
      out.push_back({cat("/cues/", index, "/credits", p.path), p.message});
  }
  const Settings& s = m.settings;
  if (s.hit_tolerance_frames < time::Rational(0) || s.hit_tolerance_frames > time::Rational(12) ||
      1000 % s.hit_tolerance_frames.den() != 0) {
    out.push_back({"/settings/hit_tolerance_frames",
                   cat(s.hit_tolerance_frames.to_decimal(6),
                       " is not a number of frames 0..12 with at most three decimals")});
  }
  if (!std::isfinite(s.tempo_min_bpm) || !std::isfinite(s.tempo_max_bpm) || s.tempo_min_bpm < 10 ||
      s.tempo_max_bpm > 400 || s.tempo_min_bpm >= s.tempo_max_bpm) {
    out.push_back({"/settings/tempo_min_bpm",
                   cat("the tempo range ", base::fixed(s.tempo_min_bpm, 1), " to ",
                       base::fixed(s.tempo_max_bpm, 1),
                       " BPM is not a range within 10 to 400 BPM (min below max)")});
  }
  return out;
}

ManifestCheck check_manifest(std::string_view text) {
  Reader reader;
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." ->
    // keep what follows the position.
    const auto colon = what.find(": ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    reader.error(
        "", cat("not valid JSON at ", line_column(text, e.byte > 0 ? e.byte - 1 : 0), ": ", what));
    return std::move(reader.check);
  } catch (const Json::exception& e) {
    // A number too large for a double ("1e999"), the one other way parsing fails.
    std::string what = e.what();
    const auto bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    reader.error("", cat("not valid JSON: ", what));
    return std::move(reader.check);
  }
  auto version = schema_of(root, kSchemaVersion);
  if (!version) {
    reader.error("", version.error().message);
    return std::move(reader.check);
  }
  if (auto up = upgrade(root, *version, kSchemaVersion, upgrade_steps()); !up) {
    reader.error("", up.error().message);
    return std::move(reader.check);
  }
  Manifest m;
  reader.read_root(root, m);
  if (reader.check.errors.empty()) {
    for (Problem& p : validate_manifest(m))
      reader.check.errors.push_back(std::move(p));
  }
  if (!reader.check.errors.empty()) return std::move(reader.check);
  // Warnings about a manifest that reads: cues before the picture starts, unknown themes.
  const time::TimePos start = time::to_time(m.picture.start, m.picture.rate);
  std::set<std::string> theme_names;
  for (const Theme& t : m.themes)
    theme_names.insert(t.name);
  for (std::size_t i = 0; i < m.cues.size(); ++i) {
    const spot::Cue& c = m.cues[i];
    if (c.in < start) {
      reader.warning(
          cat("/cues/", i, "/in"),
          cat("cue ", c.id.to_string(), " starts at ", time::nearest_label(c.in, m.picture.rate),
              ", before the picture starts at ",
              time::format_timecode(m.picture.start, m.picture.rate)));
    }
    for (std::size_t k = 0; k < c.themes.size(); ++k) {
      if (!theme_names.count(c.themes[k])) {
        reader.warning(cat("/cues/", i, "/themes/", k),
                       cat("theme '", c.themes[k], "' is not in the project's themes"));
      }
    }
  }
  for (spot::Cue& c : m.cues)
    spot::sort_contents(c);
  spot::sort_cues(m.cues);
  reader.check.manifest = std::move(m);
  return std::move(reader.check);
}

base::Result<Manifest> parse_manifest(std::string_view text, std::vector<Problem>* warnings) {
  ManifestCheck check = check_manifest(text);
  if (warnings != nullptr) *warnings = check.warnings;
  if (!check.errors.empty()) {
    std::string message = to_string(check.errors.front(), "").substr(2);
    if (check.errors.size() > 1) {
      message += cat(" (and ", check.errors.size() - 1, " more problem",
                     check.errors.size() > 2 ? "s" : "", "; 'duet validate' lists them)");
    }
    return base::Error{base::ErrorKind::invalid_input, message};
  }
  return std::move(*check.manifest);
}

std::string write_manifest(const Manifest& manifest) {
  const time::FrameRate& rate = manifest.picture.rate;
  Json root = Json::object();
  root["schema"] = kSchemaVersion;
  root["title"] = manifest.title;
  if (!manifest.production.empty()) {
    // Written only when set, so that a project without it keeps its bytes.
    Json production = Json::object();
    if (!manifest.production.title.empty()) production["title"] = manifest.production.title;
    if (!manifest.production.company.empty()) production["company"] = manifest.production.company;
    const Json credits = credits_json(manifest.production.credits);
    for (const auto& [key, value] : credits.items())
      production[key] = value;
    root["production"] = std::move(production);
  }
  Json picture = Json::object();
  picture["film"] = manifest.picture.film;
  picture["rate"] = rate.name();
  picture["start"] = time::format_timecode(manifest.picture.start, rate);
  picture["edl"] = manifest.picture.edl;
  root["picture"] = std::move(picture);
  // A whole number of frames is written as one (1, not 1.0).
  const time::Rational& tolerance = manifest.settings.hit_tolerance_frames;
  root["settings"] = Json{
      {"hit_tolerance_frames", tolerance.den() == 1 ? Json(tolerance.num())
                                                    : Json(static_cast<double>(tolerance.num()) /
                                                           static_cast<double>(tolerance.den()))},
      {"tempo_min_bpm", manifest.settings.tempo_min_bpm},
      {"tempo_max_bpm", manifest.settings.tempo_max_bpm}};
  root["themes"] = Json::array();
  for (const Theme& t : manifest.themes) {
    Json theme{{"name", t.name}, {"stands_for", t.stands_for}, {"midi", t.midi}};
    // Written only when set, so that files from before they existed read and write back the same.
    if (!t.melody.empty()) theme["melody"] = t.melody;
    if (!t.key.empty()) theme["key"] = t.key;
    if (!t.harmony.empty()) theme["harmony"] = t.harmony;
    root["themes"].push_back(std::move(theme));
  }
  std::vector<spot::Cue> cues = manifest.cues;
  for (spot::Cue& c : cues)
    spot::sort_contents(c);
  spot::sort_cues(cues);
  root["cues"] = Json::array();
  for (const spot::Cue& c : cues) {
    const auto credits = manifest.cue_credits.find(c.id);
    root["cues"].push_back(
        cue_json(c, rate, credits != manifest.cue_credits.end() ? &credits->second : nullptr));
  }
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Json write_cue(const spot::Cue& cue, const time::FrameRate& rate) {
  spot::Cue sorted = cue;
  spot::sort_contents(sorted);
  return cue_json(sorted, rate, nullptr);
}

Json write_credits(const exporting::Credits& credits) {
  return credits_json(credits);
}

}  // namespace duet::project
