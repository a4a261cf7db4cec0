// What 'duet render' and 'duet score-film' share: the --loudness usage error and the loudness
// reported as text. The folder, stem and loudness-JSON helpers are the engine's (deliver_job.h),
// named here for the commands that still write their own files.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "engine/deliver_job.h"
#include "render/loudness.h"

namespace duet::cli {

using engine::add_loudness_json;
using engine::make_parent;
using engine::round_db;
using engine::write_stems;

// The usage error (and its exit code) for a --loudness value that parse_loudness refused.
int loudness_usage_error(const std::string& text);

// ", 3 stems" (nothing when there are none).
void print_stem_count(std::ostream& out, std::size_t count);

// "  loudness -23.0 LUFS, true peak -1.2 dBTP (was -18.4 LUFS, gain -4.6 dB)" and a newline; the
// part in brackets with a normalisation, which names the true-peak ceiling (dBTP) when it held
// the gain back.
void print_loudness(std::ostream& out, const render::Loudness& loudness,
                    const std::optional<render::Normalization>& normalization, double ceiling);

}  // namespace duet::cli
