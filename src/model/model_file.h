// Model files (.duetmodel): a trained melody model in a compact little-endian binary form.
//
// Version 2 (written) stores what the long-term models learnt, not their tries: each viewpoint's
// training sequences, and the reader rebuilds the trie by training on them again (training is
// deterministic, so the trie is the same node for node). The trie of PPM* holds every repeated
// context, several nodes per note; the sequences hold one small number per note. Measured
// (bench/model_bench.cpp, docs/benchmarks.md): the default JSB model is 6.3 MB as a trie
// (version 1) and 75 KB as sequences, costing about 28 ms more to load; a model of all POP909
// melodies would be 619 MB as a trie and 1.3 MB as sequences, loading in about 2 s instead of
// 0.6 s.
//
//   "DUETMODL"  magic (8 bytes)
//   u32 format version (2)
//   options: LTM and STM PPM options (u8 escape, i32 order bound, u8 update exclusion each),
//     viewpoint and LTM/STM combinations (u8 geometric, f64 bias each), u8 flags
//     (1 use_ltm, 2 use_stm, 4 ltm_learns, 8 ltm_context_alphabet, 16 stm_context_alphabet)
//   pitch domain: varint n, then n varints: the lowest pitch, then the gaps (>= 1); all 0..127
//   varint viewpoint count; per viewpoint:
//     u8 part count (1..3), the parts (u8 BasicViewpoint each)
//     symbol table: varint n, n zigzag varints (each value minus the previous one; the first
//       minus 0); the LTM's alphabet is n
//     varint sequence count; per sequence: varint length, then the symbol ids as varints (< n)
//   u32 CRC-32 (IEEE 802.3, as zlib's crc32) of every byte before it
// Varints are unsigned LEB128 (7 bits a byte, low first, at most 10 bytes).
//
// Version 1 (read only) stored the tries: per viewpoint the alphabet, the nodes (24 bytes each)
// and the learnt data; it is still read (the context-alphabet flags take their defaults).
//
// Chord models have their own file (chord_model_file.h), in the same style.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/mvs.h"

namespace duet::model {

inline constexpr std::uint32_t kModelFormatVersion = 2;

// Rebuilding a trie costs time and memory that the file's size does not bound (PPM* on a very
// repetitive sequence is quadratic in its length), so the reader stops with an error past these.
// The defaults leave room for duet train's models of all POP909 melodies: 25.6 million nodes and
// 39 million steps, or with --with-duration 36.7 million nodes and 53 million steps.
struct ModelLimits {
  std::uint64_t max_nodes = std::uint64_t{64} << 20;  // trie nodes, all viewpoints (24 bytes each)
  // Context updates while rebuilding (the longest active context + 1 per symbol learnt).
  std::uint64_t max_steps = std::uint64_t{1} << 28;
};

std::vector<std::uint8_t> encode_model(const MelodyModel& model);
// `where` names the source in errors ("model.duetmodel").
base::Result<MelodyModel> decode_model(std::span<const std::uint8_t> bytes, std::string_view where,
                                       const ModelLimits& limits = {});

base::Result<void> save_model(const MelodyModel& model, const std::filesystem::path& path);
base::Result<MelodyModel> load_model(const std::filesystem::path& path,
                                     const ModelLimits& limits = {});

// Rebuilds a long-term model's trie from the sequences it learnt (each trained in turn and
// ended), as the readers do; fails (out_of_range) past the limits. nodes and steps add up over
// calls, so that the limits bound a whole file. The message names no file: callers prefix it.
base::Result<Ppm> rebuild_ppm(const std::vector<std::vector<int>>& sequences, int alphabet,
                              const PpmOptions& options, const ModelLimits& limits,
                              std::uint64_t& nodes, std::uint64_t& steps);

// CRC-32 (IEEE 802.3 polynomial, reflected; crc32("123456789") = 0xCBF43926).
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

}  // namespace duet::model
