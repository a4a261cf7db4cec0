#include "render_output.h"

#include <cmath>
#include <filesystem>
#include <system_error>

#include "base/text.h"
#include "output.h"

namespace duet::cli {

namespace fs = std::filesystem;

int loudness_usage_error(const std::string& text) {
  return usage_error("--loudness: '" + text +
                     "' is not a target; use -23 (broadcast), -16 (streaming), another LUFS "
                     "value from -40 to -5, or none");
}

base::Result<void> make_parent(const fs::path& file) {
  const fs::path parent = file.parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) {
    return base::make_error(base::ErrorKind::io, "cannot create the folder ",
                            parent.generic_string(), ": ", ec.message());
  }
  return {};
}

base::Result<void> write_stems(const std::string& dir, const std::string& base_name,
                               const std::vector<render::Stem>& stems,
                               std::vector<std::string>& written) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return base::make_error(base::ErrorKind::io, "cannot create the folder ", dir, ": ",
                            ec.message());
  }
  for (const auto& s : stems) {
    const fs::path path =
        fs::path(dir) / (base_name + "-" + std::string(render::section_name(s.section)) + ".wav");
    if (auto ok = render::write_wav(path, s.audio); !ok) return ok.error();
    written.push_back(path.generic_string());
  }
  return {};
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

double round_db(double x) {
  return std::round(x * 100) / 100;
}

void add_loudness_json(nlohmann::json& j, const render::Loudness& loudness) {
  j["integrated_lufs"] = loudness.integrated_lufs
                             ? nlohmann::json(round_db(*loudness.integrated_lufs))
                             : nlohmann::json(nullptr);
  j["true_peak_dbtp"] = round_db(loudness.true_peak_dbtp);
}

}  // namespace duet::cli
