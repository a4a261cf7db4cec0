// Fuzzes the duet.json reader: any bytes must give a manifest or errors, never a crash; and a
// manifest that reads must write and read back to the same manifest, whose text is then stable
// (written twice, the same bytes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "project/manifest.h"

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 1 << 16) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const duet::project::ManifestCheck first = duet::project::check_manifest(text);
  check(first.manifest.has_value() == first.errors.empty());
  if (!first.manifest) return 0;
  const std::string written = duet::project::write_manifest(*first.manifest);
  const duet::project::ManifestCheck second = duet::project::check_manifest(written);
  check(second.manifest.has_value());
  check(second.warnings.empty() || !first.warnings.empty());
  check(*second.manifest == *first.manifest);
  check(duet::project::write_manifest(*second.manifest) == written);
  return 0;
}
