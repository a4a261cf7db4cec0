#include "project/schema.h"

#include "base/error.h"

namespace duet::project {

const std::vector<UpgradeStep>& upgrade_steps() {
  static const std::vector<UpgradeStep> steps;  // schema 1 is the first
  return steps;
}

base::Result<int> schema_of(const Json& root, int newest) {
  using base::ErrorKind;
  using base::make_error;
  if (!root.is_object()) {
    return make_error(ErrorKind::invalid_input,
                      "the file is not a duet project: expected a JSON object at the top");
  }
  const auto it = root.find("schema");
  if (it == root.end()) {
    return make_error(ErrorKind::invalid_input,
                      "/schema: missing; a duet project states the schema version it was "
                      "written in (\"schema\": 1); is this a duet.json?");
  }
  if (!it->is_number_integer()) {
    return make_error(ErrorKind::invalid_input, "/schema: ", it->dump(),
                      " is not a schema version (a whole number such as 1)");
  }
  const auto version = it->get<std::int64_t>();
  if (version < 1) {
    return make_error(ErrorKind::invalid_input, "/schema: ", version,
                      " is not a schema version; duet's schema versions start at 1");
  }
  if (version > newest) {
    return make_error(ErrorKind::unsupported, "written by a newer duet (schema ", version,
                      "); this duet reads up to ", newest, " — update duet");
  }
  return static_cast<int>(version);
}

base::Result<void> upgrade(Json& root, int from, int to, const std::vector<UpgradeStep>& steps) {
  for (int v = from; v < to; ++v) {
    const UpgradeStep* step = nullptr;
    for (const auto& s : steps)
      if (s.from == v) step = &s;
    if (step == nullptr) {
      return base::make_error(base::ErrorKind::unsupported, "no upgrade from schema ", v, " to ",
                              v + 1, " in this duet");
    }
    if (auto ok = step->apply(root); !ok) {
      return ok.error().with_context(base::cat("upgrading schema ", v, " to ", v + 1));
    }
  }
  root["schema"] = to;
  return {};
}

}  // namespace duet::project
