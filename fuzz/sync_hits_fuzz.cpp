// Fuzzes the hit-point text of src/sync (one hit, and the CSV form) and checks its round trip:
// every hit that parses formats to text that parses back to the same time, kind and landing.
// The first byte picks the frame rate (drop-frame rates included).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sync/hits_text.h"

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using duet::time::FrameRate;
  if (size == 0 || size > 4096) return 0;
  const FrameRate rates[] = {FrameRate::fps24(), FrameRate::fps25(), FrameRate::fps29_97(true),
                             FrameRate::fps59_94(true), FrameRate::fps23_976()};
  const FrameRate& rate = rates[data[0] % 5];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto round_trip = [&](const duet::spot::HitPoint& hit) {
    auto back = duet::sync::parse_hit_text(duet::sync::format_hit_text(hit, rate), rate);
    check(back.has_value());
    check(back->at == hit.at && back->kind == hit.kind && back->land == hit.land);
    check(hit.weight > 0 && hit.weight <= 1000000);
  };
  if (auto one = duet::sync::parse_hit_text(text, rate)) round_trip(*one);
  if (auto many = duet::sync::parse_hits_csv(text, rate)) {
    for (const auto& hit : *many)
      round_trip(hit);
  }
  return 0;
}
