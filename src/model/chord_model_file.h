// Chord model files (.duetmodel with a DUETCHRD signature): a trained ChordModel in the compact
// little-endian binary style of model_file.h. Like version 2 melody files they store what the
// long-term models learnt (each viewpoint's training sequences, per mode) and the reader rebuilds
// the tries by training on them again: training is deterministic, so the loaded model predicts
// exactly what the saved one did.
//
//   "DUETCHRD"  magic (8 bytes)
//   u32 format version (1)
//   options: LTM and STM PPM options (u8 escape, i32 order bound, u8 update exclusion each),
//     viewpoint and LTM/STM combinations (u8 geometric, f64 bias each), u8 flags
//     (1 use_ltm, 2 use_stm, 4 by_mode, 8 ltm_learns)
//   varint LTM viewpoint count (>= 1), then each viewpoint: u8 part count (1..3), the parts
//     (u8 ChordBasic each); varint STM viewpoint count (0: the LTM's), then the same
//   varint model count: the distinct viewpoints above, LTM's first (ChordModel's order); per model:
//     symbol table: varint n, n zigzag varints (each value minus the previous one); the
//       alphabet is n
//     for the major and then the minor long-term model: varint sequence count; per sequence:
//       varint length, then the symbol ids as varints (< n)
//   u32 CRC-32 (IEEE 802.3, model_file.h's crc32) of every byte before it
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/chord_model.h"
#include "model/model_file.h"

namespace duet::model {

inline constexpr std::uint32_t kChordModelFormatVersion = 1;

std::vector<std::uint8_t> encode_chord_model(const ChordModel& model);
// `where` names the source in errors ("models/default-chords.duetmodel").
base::Result<ChordModel> decode_chord_model(std::span<const std::uint8_t> bytes,
                                            std::string_view where, const ModelLimits& limits = {});

base::Result<void> save_chord_model(const ChordModel& model, const std::filesystem::path& path);
base::Result<ChordModel> load_chord_model(const std::filesystem::path& path,
                                          const ModelLimits& limits = {});

}  // namespace duet::model
