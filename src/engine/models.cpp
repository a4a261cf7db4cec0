#include "engine/models.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "base/error.h"
#include "base/file.h"
#include "base/hash.h"
#include "model/chord_model_file.h"
#include "model/model_file.h"

namespace duet::engine {

namespace fs = std::filesystem;

namespace {

bool holds_models(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / kMelodyModelFile, ec);
}

// The bytes of a model file and their hash.
struct ReadModel {
  std::vector<std::uint8_t> bytes;
  ModelFile file;
};

base::Result<ReadModel> read_model(const fs::path& path) {
  auto bytes = base::read_file(path, std::uintmax_t{256} << 20);
  if (!bytes) return bytes.error();
  ReadModel r;
  r.file.path = path.string();
  r.file.hash = base::hex64(base::stable_hash(*bytes));
  r.bytes = std::move(*bytes);
  return r;
}

}  // namespace

std::string ModelFile::name() const {
  if (path.empty()) return "";
  return shipped ? fs::path(path).filename().string() + " (shipped)" : path;
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path();
}

fs::path installed_data_dir() {
  const fs::path exe = executable_dir();
  return exe.empty() ? fs::path() : (exe / ".." / "share" / "duet").lexically_normal();
}

base::Result<fs::path> find_models_dir(const std::string& requested) {
  std::error_code ec;
  if (!requested.empty()) {
    if (!fs::is_directory(requested, ec)) {
      return base::make_error(base::ErrorKind::io, "the models folder '", requested,
                              "' does not exist; give the folder that holds ", kMelodyModelFile);
    }
    return fs::path(requested);
  }
  std::vector<fs::path> looked;
  if (const char* env = std::getenv("DUET_MODELS"); env != nullptr && *env != '\0') {
    // Named on purpose: no quiet fallback to another folder when it is wrong.
    if (!holds_models(env)) {
      return base::make_error(base::ErrorKind::io, "DUET_MODELS names '", env, "', which holds no ",
                              kMelodyModelFile, "; fix or unset it");
    }
    return fs::path(env);
  }
  const fs::path exe = executable_dir();
  if (!exe.empty()) {
    looked.push_back(exe / "models");
    looked.push_back(installed_data_dir() / "models");
  }
  for (const fs::path& dir : looked) {
    if (holds_models(dir)) return dir;
  }
  std::string places;
  for (const fs::path& dir : looked)
    places += (places.empty() ? "" : ", ") + dir.string();
  return base::make_error(base::ErrorKind::io, "duet's models were not found (looked in ",
                          places.empty() ? "no place: the executable's folder is unknown" : places,
                          "); give --models DIR or set DUET_MODELS to the folder holding ",
                          kMelodyModelFile, ", or --model none to go without");
}

namespace {

// The model `choice` names (a file, or "" for `default_file` in the models folder, found once
// into `dir`), read and hashed. Not for "none".
base::Result<ReadModel> read_choice(const std::string& choice, const char* default_file,
                                    const std::string& requested_dir,
                                    std::optional<fs::path>& dir) {
  fs::path path = choice;
  if (choice.empty()) {
    if (!dir) {
      auto found = find_models_dir(requested_dir);
      if (!found) return found.error();
      dir = *found;
    }
    path = *dir / default_file;
  }
  auto read = read_model(path);
  if (!read) return read.error();
  read->file.shipped = choice.empty();
  return read;
}

}  // namespace

base::Result<ModelFile> resolve_model_file(const std::string& dir, const std::string& choice,
                                           const char* default_file) {
  if (choice == kNoModel) return ModelFile{};
  std::optional<fs::path> found;
  auto read = read_choice(choice, default_file, dir, found);
  if (!read) return read.error();
  return read->file;
}

base::Result<Models> load_models(const ModelsRequest& request) {
  Models out;
  std::optional<fs::path> dir;  // found once, on the first default asked for
  if (request.want_melody && request.melody != kNoModel) {
    auto read = read_choice(request.melody, kMelodyModelFile, request.dir, dir);
    if (!read) return read.error();
    auto m = model::decode_model(read->bytes, read->file.path);
    if (!m) return m.error();
    out.melody = std::move(*m);
    out.melody_file = read->file;
  }
  if (request.want_chords && request.chords != kNoModel) {
    auto read = read_choice(request.chords, kChordModelFile, request.dir, dir);
    if (!read) return read.error();
    auto m = model::decode_chord_model(read->bytes, read->file.path);
    if (!m) return m.error();
    out.chords = std::move(*m);
    out.chord_file = read->file;
  }
  return out;
}

}  // namespace duet::engine
