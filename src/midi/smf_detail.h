// Implementation detail of the SMF reader and writer, not part of the public API.
//
// One function decides how a meta event's type and bytes map to a typed message, so that the
// writer can refuse exactly the UnknownMeta events that would read back as something else: that is
// what makes "write, then read" give back the same model.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "midi/smf.h"

namespace duet::midi::detail {

inline constexpr std::uint8_t kMetaStatus = 0xFF;
inline constexpr std::uint8_t kSysExStatus = 0xF0;
inline constexpr std::uint8_t kSysExEscapeStatus = 0xF7;
inline constexpr std::uint8_t kEndOfTrackType = 0x2F;
// Largest value a variable-length quantity of at most 4 bytes can hold (28 bits).
inline constexpr std::uint32_t kMaxVlq = 0x0FFF'FFFF;
// Pitch-bend values are stored centred: the 14-bit wire value minus this.
inline constexpr int kPitchBendCentre = 8192;

// The typed message for a meta event of `type` (never kEndOfTrackType: callers handle that) with
// `data`; UnknownMeta when the type is not one duet types or the bytes are not its standard form
// (wrong length, a tempo of 0, a key signature outside -7..7 or with a mode byte other than 0/1,
// a channel prefix over 15).
Message decode_meta(std::uint8_t type, std::span<const std::uint8_t> data);

// The name of a meta type duet types ("set tempo"), or an empty view for any other type.
std::string_view known_meta_name(std::uint8_t type);

}  // namespace duet::midi::detail
