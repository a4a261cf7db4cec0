// libFuzzer target for the composer's control settings (`duet sketch --set name=value`): each line
// of the input is one setting.
//
// Any input must give overrides or an Error, never a crash. Settings that are read and pass
// apply_overrides must give controls that validate and a sketch that keeps inside them (tempo
// range, register, velocities, palette).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "compose/emotion_map.h"
#include "compose/sketch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet::compose;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const MusicalControls base = controls_for({0.3, -0.2, 0.4});
  ControlOverrides overrides;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    (void)parse_override(line, base, overrides);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  const auto controls = apply_overrides(base, overrides);
  if (!controls) return 0;
  if (!validate(*controls)) __builtin_trap();
  for (std::string_view name : control_names()) {
    if (describe(*controls, name).empty()) __builtin_trap();
  }
  SketchOptions options;
  options.bars = 2;
  const auto sketch = make_sketch(*controls, options);
  if (!sketch) __builtin_trap();
  const Dynamics dyn = controls->dynamics.value;
  const Register reg = controls->register_span.value;
  for (std::size_t t = 1; t < sketch->file.tracks.size(); ++t) {
    for (const duet::midi::Note& n : duet::midi::pair_notes(sketch->file.tracks[t])) {
      if (n.velocity < dyn.min_velocity || n.velocity > dyn.max_velocity) __builtin_trap();
      if (t == 1 && (n.key < reg.low() || n.key > reg.high())) __builtin_trap();
    }
  }
  return 0;
}
