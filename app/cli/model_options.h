// The options every command that reads the shipped models shares.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace duet::cli {

// --models DIR: where the shipped models are (engine::find_models_dir).
void add_models_option(CLI::App& command, std::string& dir);

}  // namespace duet::cli
