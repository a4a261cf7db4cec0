// What 'duet render' and 'duet score-film' share: the --loudness usage error, the stems written
// into a folder, and the loudness reported as text and JSON.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "render/loudness.h"
#include "render/render.h"

namespace duet::cli {

// The usage error (and its exit code) for a --loudness value that parse_loudness refused.
int loudness_usage_error(const std::string& text);

// Makes the folder `file` goes into, if it has one.
base::Result<void> make_parent(const std::filesystem::path& file);

// Writes each stem as DIR/<base_name>-<section>.wav (making DIR first), each atomically, and adds
// their paths to `written`.
base::Result<void> write_stems(const std::string& dir, const std::string& base_name,
                               const std::vector<render::Stem>& stems,
                               std::vector<std::string>& written);

// ", 3 stems" (nothing when there are none).
void print_stem_count(std::ostream& out, std::size_t count);

// "  loudness -23.0 LUFS, true peak -1.2 dBTP (was -18.4 LUFS, gain -4.6 dB)" and a newline; the
// part in brackets with a normalisation, which names the true-peak ceiling (dBTP) when it held
// the gain back.
void print_loudness(std::ostream& out, const render::Loudness& loudness,
                    const std::optional<render::Normalization>& normalization, double ceiling);

// Hundredths of a dB or LU: finer is below what anyone hears or any meter agrees on.
double round_db(double x);

// "integrated_lufs" (null when silent) and "true_peak_dbtp", in hundredths.
void add_loudness_json(nlohmann::json& j, const render::Loudness& loudness);

}  // namespace duet::cli
