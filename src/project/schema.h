// Schema versions of duet.json: one reader per version, an upgrade chain between them.
//
// A file of schema k is upgraded step by step (k -> k+1 -> ... -> kSchemaVersion) on its JSON
// tree, and then read by the current reader. Schema 1 is the first, so the chain is empty today;
// each later schema adds one step here, with a fixture of the older file in tests/project/data.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/result.h"

namespace duet::project {

using Json = nlohmann::ordered_json;

// Upgrades a JSON tree of schema `from` to schema `from + 1` in place.
struct UpgradeStep {
  int from = 0;
  std::function<base::Result<void>(Json&)> apply;
};

// The steps of this duet, oldest first.
const std::vector<UpgradeStep>& upgrade_steps();

// The schema of a manifest tree: its "schema" key, checked (missing, not a whole number, below
// 1, or newer than `newest` give one clear sentence, the last one "written by a newer duet...").
base::Result<int> schema_of(const Json& root, int newest);

// Brings a tree of schema `from` to `to` through `steps`, and sets its "schema" key to `to`.
// Fails when a step is missing or fails.
base::Result<void> upgrade(Json& root, int from, int to, const std::vector<UpgradeStep>& steps);

}  // namespace duet::project
