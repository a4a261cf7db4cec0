// Model files (.duetmodel): a trained melody model in a compact little-endian binary form.
//
//   "DUETMODL"  magic (8 bytes)
//   u32 format version (1)
//   options: ltm/stm PPM options, combinations, use_ltm/use_stm/ltm_learns
//   pitch domain: u32 n, n x i32
//   u32 viewpoint count; per viewpoint: u8 part count + parts, symbol table (u32 n, n x i64),
//     LTM: i32 alphabet size, u32 node count + nodes (symbol i32, count u32, ux_count u32,
//     first_child u32, next_sibling u32, tail u32), u32 data length + i32 symbols
//
// Chord models are not stored yet (duet eval-model trains them from POP909 in seconds).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "base/result.h"
#include "model/mvs.h"

namespace duet::model {

inline constexpr std::uint32_t kModelFormatVersion = 1;

std::vector<std::uint8_t> encode_model(const MelodyModel& model);
// `where` names the source in errors ("model.duetmodel").
base::Result<MelodyModel> decode_model(std::span<const std::uint8_t> bytes, std::string_view where);

base::Result<void> save_model(const MelodyModel& model, const std::filesystem::path& path);
base::Result<MelodyModel> load_model(const std::filesystem::path& path);

}  // namespace duet::model
