#include "project/project.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <system_error>

#include "base/error.h"
#include "base/file.h"
#include "project/schema.h"

namespace duet::project {
namespace {

using base::cat;
using base::ErrorKind;
using base::make_error;
namespace fs = std::filesystem;

base::Result<std::string> read_text(const fs::path& path) {
  auto bytes = base::read_file(path, std::uintmax_t{64} << 20);
  if (!bytes) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

// The version numbers present in a history folder (files named <n>.json).
std::vector<int> version_numbers(const fs::path& folder) {
  std::vector<int> out;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return out;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const fs::path p = entry.path();
    if (p.extension() != ".json") continue;
    const std::string stem = p.stem().string();
    if (stem.empty() || stem.size() > 6 ||
        !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    out.push_back(std::stoi(stem));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string write_version(const CueVersion& version, const time::FrameRate& rate) {
  // The cue is written as the manifest writes it, so one reader serves both.
  Json root = Json::object();
  root["schema"] = kSchemaVersion;
  root["version"] = version.number;
  root["saved"] = version.saved;
  root["reason"] = version.reason;
  root["rate"] = rate.name();
  root["cue"] = write_cue(version.cue, rate);
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

base::Result<CueVersion> read_version(std::string_view text) {
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::exception&) {
    return make_error(ErrorKind::invalid_input, "not valid JSON");
  }
  auto schema = schema_of(root, kSchemaVersion);
  if (!schema) return schema.error();
  if (auto up = upgrade(root, *schema, kSchemaVersion, upgrade_steps()); !up) return up.error();
  const auto get_string = [&](const char* key) -> std::string {
    const auto it = root.find(key);
    return it != root.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const auto number = root.find("version");
  if (number == root.end() || !number->is_number_integer() || number->get<std::int64_t>() < 1 ||
      number->get<std::int64_t>() > 999999) {
    return make_error(ErrorKind::invalid_input, "/version: missing or not a whole number from 1");
  }
  const auto cue = root.find("cue");
  if (cue == root.end()) return make_error(ErrorKind::invalid_input, "/cue: missing");
  Json as_manifest = Json::object();
  as_manifest["schema"] = kSchemaVersion;
  as_manifest["picture"] = Json{{"rate", get_string("rate")}};
  as_manifest["cues"] = Json::array({*cue});
  std::vector<Problem> warnings;
  auto m = parse_manifest(as_manifest.dump(), &warnings);
  if (!m) return m.error();
  return CueVersion{static_cast<int>(number->get<std::int64_t>()), get_string("saved"),
                    get_string("reason"), m->cues.front()};
}

Project::Project(fs::path dir, Manifest manifest)
    : dir_(std::move(dir)), manifest_(std::move(manifest)), clock_(utc_now) {}

base::Result<Project> Project::create(const fs::path& dir, Manifest manifest) {
  const fs::path file = dir / kManifestName;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    return make_error(ErrorKind::impossible, file.string(),
                      " already exists; duet new does not overwrite a project (open it, or choose "
                      "another folder)");
  }
  if (auto problems = validate_manifest(manifest); !problems.empty()) {
    return make_error(ErrorKind::invalid_input, to_string(problems.front()));
  }
  fs::create_directories(dir, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot create the folder ", dir.string(), ": ", ec.message());
  }
  Project project(dir, std::move(manifest));
  if (auto saved = project.save(); !saved) return saved.error();
  return project;
}

fs::path project_folder(const fs::path& typed) {
  std::error_code ec;
  if (typed.filename() == kManifestName && fs::is_regular_file(typed, ec)) {
    const fs::path parent = typed.parent_path();
    return parent.empty() ? fs::path(".") : parent;
  }
  return typed;
}

base::Result<Project> Project::load(const fs::path& typed, std::vector<Problem>* warnings) {
  const fs::path dir = project_folder(typed);
  const fs::path file = dir / kManifestName;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return make_error(ErrorKind::io, "no duet project in ", dir.string(), " (", file.string(),
                      " does not exist; 'duet new ", dir.string(), "' makes one)");
  }
  auto text = read_text(file);
  if (!text) return text.error();
  return from_text(dir, *text, warnings);
}

base::Result<Project> Project::from_text(const fs::path& dir, std::string_view text,
                                         std::vector<Problem>* warnings) {
  auto manifest = parse_manifest(text, warnings);
  if (!manifest) return manifest.error().with_context((dir / kManifestName).string());
  return Project(dir, std::move(*manifest));
}

const spot::Cue* Project::find_cue(const spot::CueId& id) const {
  for (const auto& c : manifest_.cues)
    if (c.id == id) return &c;
  return nullptr;
}

base::Result<const spot::Cue*> Project::cue(const spot::CueId& id) const {
  if (const spot::Cue* found = find_cue(id)) return found;
  std::string ids;
  for (const auto& c : manifest_.cues)
    ids += (ids.empty() ? "" : ", ") + c.id.to_string();
  return make_error(ErrorKind::invalid_input, "the project ", manifest_path().generic_string(),
                    " has no cue ", id.to_string(), " (its cues: ", ids.empty() ? "none" : ids,
                    ")");
}

base::Result<std::vector<const spot::Cue*>> Project::select_cues(
    const std::vector<spot::CueId>& ids) const {
  std::vector<const spot::Cue*> out;
  for (const spot::CueId& id : ids) {
    auto found = cue(id);
    if (!found) return found.error();
    out.push_back(*found);
  }
  if (ids.empty()) {
    for (const auto& c : manifest_.cues)
      out.push_back(&c);
  }
  if (out.empty()) {
    return make_error(ErrorKind::invalid_input, "the project ", manifest_path().generic_string(),
                      " has no cues; spot the film first with 'duet spot'");
  }
  return out;
}

base::Result<void> Project::save() const {
  if (auto problems = validate_manifest(manifest_); !problems.empty()) {
    return make_error(ErrorKind::invalid_input, "not saved: ", to_string(problems.front()));
  }
  return base::write_file_atomic(manifest_path(), write_manifest(manifest_));
}

base::Result<void> Project::commit(Manifest next) {
  for (auto& c : next.cues)
    spot::sort_contents(c);
  spot::sort_cues(next.cues);
  if (auto problems = validate_manifest(next); !problems.empty()) {
    return make_error(ErrorKind::invalid_input, "nothing changed: ", to_string(problems.front()));
  }
  if (auto ok = base::write_file_atomic(manifest_path(), write_manifest(next)); !ok) return ok;
  manifest_ = std::move(next);
  return {};
}

base::Result<void> Project::update(Manifest manifest) {
  if (manifest.cues != manifest_.cues) {
    return make_error(ErrorKind::invalid_input,
                      "update changes the title, picture, themes and settings only; change cues "
                      "with replace_cue or remove_cue so that their versions are kept");
  }
  return commit(std::move(manifest));
}

fs::path Project::history_dir(const spot::CueId& id) const {
  return dir_ / "history" / id.to_string();
}

base::Result<void> Project::keep_version(const spot::Cue& cue, std::string_view reason) const {
  const fs::path folder = history_dir(cue.id);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot create ", folder.string(), ": ", ec.message());
  }
  const std::vector<int> numbers = version_numbers(folder);
  CueVersion v{numbers.empty() ? 1 : numbers.back() + 1, clock_(), std::string(reason), cue};
  return base::write_file_atomic(folder / (std::to_string(v.number) + ".json"),
                                 write_version(v, manifest_.picture.rate));
}

base::Result<void> Project::keep_theme(const Theme& theme, std::string_view reason) const {
  const fs::path folder = dir_ / "history" / "themes";
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    return make_error(ErrorKind::io, "cannot create ", folder.string(), ": ", ec.message());
  }
  // The theme is written as the manifest writes it.
  Manifest m;
  m.themes = {theme};
  const Json whole = Json::parse(write_manifest(m));
  const std::vector<int> numbers = version_numbers(folder);
  const int number = numbers.empty() ? 1 : numbers.back() + 1;
  Json root = Json::object();
  root["schema"] = kSchemaVersion;
  root["version"] = number;
  root["saved"] = clock_();
  root["reason"] = std::string(reason);
  root["theme"] = whole["themes"][0];
  return base::write_file_atomic(folder / (std::to_string(number) + ".json"),
                                 root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

base::Result<void> Project::replace_theme(const Theme& theme, std::string_view reason) {
  Manifest next = manifest_;
  const Theme* current = nullptr;
  for (const Theme& t : manifest_.themes)
    if (t.name == theme.name) current = &t;
  if (current != nullptr && *current == theme) return {};
  if (current != nullptr) {
    for (Theme& t : next.themes)
      if (t.name == theme.name) t = theme;
  } else {
    next.themes.push_back(theme);
  }
  if (auto problems = validate_manifest(next); !problems.empty()) {
    return make_error(ErrorKind::invalid_input, "nothing changed: ", to_string(problems.front()));
  }
  if (current != nullptr) {
    if (auto kept = keep_theme(*current, reason); !kept) return kept;
  }
  return commit(std::move(next));
}

base::Result<void> Project::remove_theme(std::string_view name, std::string_view reason) {
  const Theme* current = nullptr;
  for (const Theme& t : manifest_.themes)
    if (t.name == name) current = &t;
  if (current == nullptr) {
    return make_error(ErrorKind::invalid_input, "there is no theme '", name, "' in the project");
  }
  Manifest next = manifest_;
  std::erase_if(next.themes, [&](const Theme& t) { return t.name == name; });
  if (auto kept = keep_theme(*current, reason); !kept) return kept;
  return commit(std::move(next));
}

base::Result<void> Project::replace_cue(const spot::Cue& cue, std::string_view reason) {
  Manifest next = manifest_;
  spot::Cue incoming = cue;
  spot::sort_contents(incoming);
  const spot::Cue* current = find_cue(cue.id);
  if (current != nullptr && *current == incoming) return {};
  if (current != nullptr) {
    for (auto& c : next.cues)
      if (c.id == cue.id) c = incoming;
  } else {
    next.cues.push_back(incoming);
  }
  spot::sort_cues(next.cues);
  if (auto problems = validate_manifest(next); !problems.empty()) {
    return make_error(ErrorKind::invalid_input, "nothing changed: ", to_string(problems.front()));
  }
  if (current != nullptr) {
    if (auto kept = keep_version(*current, reason); !kept) return kept;
  }
  return commit(std::move(next));
}

base::Result<void> Project::remove_cue(const spot::CueId& id, std::string_view reason) {
  auto found = cue(id);
  if (!found) return found.error();
  const spot::Cue* current = *found;
  Manifest next = manifest_;
  std::erase_if(next.cues, [&](const spot::Cue& c) { return c.id == id; });
  if (auto kept = keep_version(*current, reason); !kept) return kept;
  return commit(std::move(next));
}

base::Result<std::vector<CueVersion>> Project::versions(const spot::CueId& id) const {
  std::vector<CueVersion> out;
  const fs::path folder = history_dir(id);
  for (int n : version_numbers(folder)) {
    const fs::path file = folder / (std::to_string(n) + ".json");
    auto text = read_text(file);
    if (!text) return text.error();
    auto v = read_version(*text);
    if (!v) return v.error().with_context(file.string());
    out.push_back(std::move(*v));
  }
  return out;
}

base::Result<void> Project::restore_version(const spot::CueId& id, int number,
                                            std::string_view reason) {
  auto all = versions(id);
  if (!all) return all.error();
  for (const CueVersion& v : *all) {
    if (v.number != number) continue;
    const std::string why = reason.empty() ? cat("restored version ", number) : std::string(reason);
    return replace_cue(v.cue, why);
  }
  return make_error(ErrorKind::invalid_input, "cue ", id.to_string(), " has no version ", number,
                    all->empty() ? " (it has no versions)"
                                 : cat(" (its versions are 1 to ", all->back().number, ")"));
}

base::Result<spot::MergeResult> Project::apply_draft(std::vector<spot::Cue> draft,
                                                     const spot::MergeOptions& options) {
  for (auto& c : draft)
    spot::snap_to_frames(c, manifest_.picture.rate);
  auto merged = spot::merge_draft(manifest_.cues, draft, options);
  if (!merged) return merged.error();
  Manifest next = manifest_;
  next.cues = merged->cues;
  if (auto problems = validate_manifest(next); !problems.empty()) {
    return make_error(ErrorKind::invalid_input,
                      "the draft was not applied: ", to_string(problems.front()));
  }
  for (const spot::Cue& old : merged->superseded) {
    if (auto kept = keep_version(old, "replaced by a new draft"); !kept) return kept.error();
  }
  if (auto ok = commit(std::move(next)); !ok) return ok.error();
  return merged;
}

}  // namespace duet::project
