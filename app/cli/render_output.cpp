#include "render_output.h"

#include "base/text.h"
#include "output.h"

namespace duet::cli {

int loudness_usage_error(const std::string& text) {
  return usage_error("--loudness: '" + text +
                     "' is not a target; use -23 (broadcast), -16 (streaming), another LUFS "
                     "value from -40 to -5, or none");
}

void print_stem_count(std::ostream& out, std::size_t count) {
  if (count > 0) out << ", " << count << (count == 1 ? " stem" : " stems");
}

void print_loudness(std::ostream& out, const render::Loudness& loudness,
                    const std::optional<render::Normalization>& normalization, double ceiling) {
  const auto lufs_text = [](const render::Loudness& l) {
    return l.integrated_lufs ? base::fixed(*l.integrated_lufs, 1) + " LUFS" : std::string("silent");
  };
  out << "  loudness " << lufs_text(loudness) << ", true peak "
      << base::fixed(loudness.true_peak_dbtp, 1) << " dBTP";
  if (normalization) {
    out << " (was " << lufs_text(normalization->before) << ", gain "
        << base::fixed(normalization->gain_db, 1) << " dB";
    if (normalization->peak_limited) {
      out << "; held below the target by the " << base::fixed(ceiling, 1) << " dBTP ceiling";
    }
    out << ")";
  }
  out << "\n";
}

}  // namespace duet::cli
