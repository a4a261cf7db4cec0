#include "engine/project_job.h"

namespace duet::engine {
namespace fs = std::filesystem;

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

}  // namespace duet::engine
