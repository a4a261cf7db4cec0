#include "engine/edit_job.h"

#include <algorithm>

#include "base/error.h"
#include "base/text.h"
#include "engine/session.h"
#include "project/manifest.h"

namespace duet::engine {
namespace {

using base::cat;
using base::ErrorKind;
using base::make_error;
using Json = nlohmann::ordered_json;

// The number the cue's newest version has (0: none yet).
int newest_version(const project::Project& project, const spot::CueId& id) {
  auto versions = project.versions(id);
  return versions && !versions->empty() ? versions->back().number : 0;
}

// `after` (the project's file with one cue edited or added at `index`) read back by the manifest's
// own reader: the cue as it reads, or the first problem found in it (or in the file, when an edit
// breaks a rule between cues), with its path inside the cue ("cue 1M2: hits/0/time: ..."). A
// warning the edit brings (a misspelt field that would be dropped, a theme the project lacks, a
// cue before the picture) refuses it too; one the file had already (`before`) does not.
base::Result<spot::Cue> read_back(const Json& before, const Json& after, std::size_t index,
                                  const spot::CueId& id) {
  const std::string label = cat("cue ", id.to_string());
  const project::ManifestCheck check = project::check_manifest(after.dump());
  const std::string prefix = cat("/cues/", index);
  const auto inside = [&](const project::Problem& p) {
    return p.path == prefix || p.path.rfind(prefix + "/", 0) == 0;
  };
  const auto sentence = [&](const project::Problem& p) {
    if (!inside(p)) return project::to_string(p);
    const std::string field = p.path.size() > prefix.size() ? p.path.substr(prefix.size() + 1) : "";
    return field.empty() ? cat(label, ": ", p.message) : cat(label, ": ", field, ": ", p.message);
  };
  if (!check.errors.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "nothing changed: ", sentence(check.errors.front()));
  }
  const std::vector<project::Problem> had = project::check_manifest(before.dump()).warnings;
  for (const project::Problem& w : check.warnings) {
    const bool old = std::any_of(had.begin(), had.end(), [&](const project::Problem& h) {
      return h.path == w.path && h.message == w.message;
    });
    if (inside(w) && !old) {
      return make_error(ErrorKind::invalid_input, "nothing changed: ", sentence(w));
    }
  }
  // The reader sorts the cues by time, so the cue is found by its id, not its place.
  for (const spot::Cue& c : check.manifest->cues)
    if (c.id == id) return c;
  return make_error(ErrorKind::invalid_input, "nothing changed: ", label, " did not read back");
}

}  // namespace

Json to_json(const CueEdited& edited, const time::FrameRate& rate) {
  Json out;
  out["cue"] = edited.cue ? project::write_cue(*edited.cue, rate) : Json(nullptr);
  out["changed"] = edited.changed;
  out["kept_version"] = edited.kept_version;
  return out;
}

Json to_json(const std::vector<project::CueVersion>& versions, const time::FrameRate& rate) {
  Json out = Json::array();
  for (const project::CueVersion& v : versions) {
    out.push_back(Json{{"version", v.number},
                       {"saved", v.saved},
                       {"reason", v.reason},
                       {"cue", project::write_cue(v.cue, rate)}});
  }
  return out;
}

base::Result<CueEdited> Session::edit_cue(const CueEdit& edit) {
  if (!edit.fields.is_object()) {
    return make_error(ErrorKind::invalid_input, "an edit of cue ", edit.cue.to_string(),
                      " is a JSON object of the fields it changes");
  }
  auto current = project_.cue(edit.cue);
  if (!current) return current.error();
  const std::string id = edit.cue.to_string();
  const Json before = Json::parse(project::write_manifest(project_.manifest()));
  Json doc = before;
  Json& cues = doc["cues"];
  std::size_t index = 0;
  while (index < cues.size() && cues[index]["id"] != id)
    ++index;
  Json& cue = cues.at(index);
  for (const auto& [key, value] : edit.fields.items()) {
    if (key == "id" && value != id) {
      return make_error(ErrorKind::invalid_input, "nothing changed: cue ", id,
                        ": a cue's id cannot change (add a cue with the new id, then remove this "
                        "one)");
    }
    if (key == "tempo_map" && value.is_null()) {
      cue.erase("tempo_map");
      continue;
    }
    cue[key] = value;
  }
  auto edited = read_back(before, doc, index, edit.cue);
  if (!edited) return edited.error();
  return saved_as(*edited, [&] { return project_.replace_cue(*edited, edit.reason); });
}

base::Result<CueEdited> Session::add_cue(const nlohmann::json& fields, const std::string& reason) {
  if (!fields.is_object() || !fields.contains("id") || !fields["id"].is_string()) {
    return make_error(ErrorKind::invalid_input,
                      "a new cue is a JSON object with at least its \"id\" (\"1M4\"), \"in\" and "
                      "\"out\"");
  }
  const std::string id = fields["id"].get<std::string>();
  auto parsed = spot::parse_cue_id(id);
  if (!parsed) return parsed.error();
  if (project_.find_cue(*parsed) != nullptr) {
    return make_error(ErrorKind::invalid_input, "nothing changed: there is already a cue ", id,
                      "; edit it, or give the new cue another id");
  }
  const Json before = Json::parse(project::write_manifest(project_.manifest()));
  Json doc = before;
  // The fields the file always writes, so that a new cue needs only its id and times.
  Json cue = project::write_cue(spot::Cue{}, project_.manifest().picture.rate);
  cue.erase("in");
  cue.erase("out");
  for (const auto& [key, value] : fields.items())
    cue[key] = value;
  doc["cues"].push_back(cue);
  auto added = read_back(before, doc, doc["cues"].size() - 1, *parsed);
  if (!added) return added.error();
  return saved_as(*added, [&] { return project_.replace_cue(*added, reason); });
}

base::Result<CueEdited> Session::remove_cue(const spot::CueId& id, const std::string& reason) {
  if (auto removed = project_.remove_cue(id, reason); !removed) return removed.error();
  return CueEdited{std::nullopt, true, newest_version(project_, id)};
}

base::Result<std::vector<project::CueVersion>> Session::cue_versions(const spot::CueId& id) const {
  // A removed cue still has its versions, so only an id never seen is an error.
  auto versions = project_.versions(id);
  if (!versions) return versions.error();
  if (versions->empty() && project_.find_cue(id) == nullptr) return project_.cue(id).error();
  return versions;
}

base::Result<CueEdited> Session::restore_cue(const spot::CueId& id, int number) {
  auto versions = cue_versions(id);
  if (!versions) return versions.error();
  for (const project::CueVersion& v : *versions) {
    if (v.number == number) {
      return saved_as(v.cue, [&] { return project_.restore_version(id, number, ""); });
    }
  }
  // restore_version's sentence names the versions there are.
  return project_.restore_version(id, number, "").error();
}

base::Result<CueEdited> Session::saved_as(const spot::Cue& cue,
                                          const std::function<base::Result<void>()>& save) {
  const spot::Cue* found = project_.find_cue(cue.id);
  const std::optional<spot::Cue> was = found ? std::optional(*found) : std::nullopt;
  const int before = newest_version(project_, cue.id);
  if (auto saved = save(); !saved) return saved.error();
  const int after = newest_version(project_, cue.id);
  const spot::Cue& now = *project_.find_cue(cue.id);
  return CueEdited{now, !was || *was != now, after != before ? after : 0};
}

}  // namespace duet::engine
