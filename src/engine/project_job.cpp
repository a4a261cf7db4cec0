#include "engine/project_job.h"

#include "picture/film.h"
#include "spot/merge.h"

namespace duet::engine {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string store_path(const fs::path& typed, const fs::path& dir, bool always_relative) {
  if (typed.empty()) return "";
  if (typed.is_absolute() && !always_relative) return typed.generic_string();
  const fs::path rel = fs::absolute(typed).lexically_normal().lexically_relative(
      fs::absolute(dir).lexically_normal());
  return rel.empty() ? typed.generic_string() : rel.generic_string();
}

std::vector<project::Problem> missing_files(const project::Project& p) {
  std::vector<project::Problem> out;
  const auto check = [&](const std::string& path, const std::string& where) {
    std::error_code ec;
    if (!path.empty() && !fs::exists(p.dir() / path, ec)) {
      out.push_back({where, "'" + path + "' is not there (paths are relative to the project)"});
    }
  };
  const auto& m = p.manifest();
  check(m.picture.film, "/picture/film");
  check(m.picture.edl, "/picture/edl");
  for (std::size_t i = 0; i < m.themes.size(); ++i)
    check(m.themes[i].midi, "/themes/" + std::to_string(i) + "/midi");
  return out;
}

std::vector<project::Problem> cues_past_the_film(const project::Project& p) {
  std::vector<project::Problem> out;
  const auto& m = p.manifest();
  std::error_code ec;
  if (m.picture.film.empty() || !fs::exists(p.dir() / m.picture.film, ec)) return out;
  auto film = picture::probe_film(p.dir() / m.picture.film);
  if (!film) return out;
  const time::TimePos end = time::to_time(m.picture.start, m.picture.rate) + film->duration;
  for (std::size_t i = 0; i < m.cues.size(); ++i) {
    const spot::Cue& c = m.cues[i];
    if (c.out <= end) continue;
    out.push_back({"/cues/" + std::to_string(i) + "/out",
                   "cue " + c.id.to_string() + " ends at " +
                       time::nearest_label(c.out, m.picture.rate) + ", after the film ends at " +
                       time::nearest_label(end, m.picture.rate)});
  }
  return out;
}

base::Result<NewProjectReport> create_project(const NewProjectRequest& r) {
  project::Manifest m;
  m.title = r.title.empty() ? r.dir.lexically_normal().filename().string() : r.title;
  // "film/" names the folder as "": take the name of the folder it is.
  if (m.title.empty()) m.title = fs::absolute(r.dir).lexically_normal().parent_path().filename();
  m.picture.rate = r.rate;
  m.picture.start = r.start;
  m.picture.film = store_path(r.film, r.dir, r.always_relative);
  m.picture.edl = store_path(r.edl, r.dir, r.always_relative);
  auto made = project::Project::create(r.dir, m);
  if (!made) return made.error();
  return NewProjectReport{made->manifest_path(), made->manifest(), missing_files(*made)};
}

base::Result<nlohmann::ordered_json> project_json(const project::Project& p,
                                                  const std::vector<project::Problem>& warnings) {
  const project::Manifest& m = p.manifest();
  const time::FrameRate& rate = m.picture.rate;
  Json j = Json::parse(project::write_manifest(m));
  for (std::size_t i = 0; i < m.cues.size(); ++i) {
    const spot::Cue& cue = m.cues[i];
    auto versions = p.versions(cue.id);
    if (!versions) return versions.error();
    Json& c = j["cues"][i];
    c["duration"] = time::duration_label(cue.duration(), rate);
    c["seconds"] = time::seconds(cue.duration());
    c["state"] = spot::cue_state(cue);
    c["versions"] = Json::array();
    for (const auto& v : *versions)
      c["versions"].push_back(
          Json{{"version", v.number}, {"saved", v.saved}, {"reason", v.reason}});
  }
  j["warnings"] = Json::array();
  for (const auto& w : warnings)
    j["warnings"].push_back(project::to_string(w));
  return j;
}

}  // namespace duet::engine
