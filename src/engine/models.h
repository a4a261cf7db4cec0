// The trained models duet ships (the melody model and the writer's chord model), found by where
// duet is installed, never by the working directory: the same project, options and seed give the
// same files from any folder.
//
// Where the models folder is, in this order:
//   1. the folder the caller names (`--models DIR`);
//   2. the DUET_MODELS environment variable;
//   3. models/ beside the executable (the build tree: CMake copies models/ there);
//   4. ../share/duet/models from the executable's folder (where `cmake --install` puts them).
// A model the caller names by file is read from that file. A default that is not found is an
// error naming every place looked; "none" asks for no model (the critics that need it then say
// they could not judge).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/chord_model.h"
#include "model/mvs.h"

namespace duet::engine {

inline constexpr const char* kMelodyModelFile = "default.duetmodel";
inline constexpr const char* kChordModelFile = "default-chords.duetmodel";
// A model argument that asks for no model at all.
inline constexpr const char* kNoModel = "none";

// The folder of the running executable (from /proc/self/exe); empty when it cannot be read.
std::filesystem::path executable_dir();
// Where `cmake --install` puts duet's data beside the installed executable, <exe>/../share/duet
// (models/, board/); empty when the executable's folder is unknown.
std::filesystem::path installed_data_dir();

// The models folder: `requested` when given (it must exist), else the first of DUET_MODELS,
// <exe>/models and <exe>/../share/duet/models that holds the default melody model. The error
// names every place looked and how to point duet at the models.
base::Result<std::filesystem::path> find_models_dir(const std::string& requested = "");

// One model file as a report names it: its path and a hash of its bytes.
struct ModelFile {
  std::string path;      // as read; "" when no model was used
  std::string hash;      // FNV-1a 64 of the file's bytes, 16 hex digits; "" when no model
  bool shipped = false;  // the default from the models folder, not a file the caller named
  // What reports print: the path as the caller gave it, or the file name of a shipped default
  // ("default.duetmodel (shipped)"), so that reports read the same on every machine.
  std::string name() const;
};

// What a job asks for. Each of `melody` and `chords` is a file, "" for the default in the models
// folder, or "none".
struct ModelsRequest {
  std::string dir;  // --models DIR ("" to find it)
  std::string melody;
  std::string chords;
  bool want_melody = true;
  bool want_chords = false;
};

struct Models {
  std::optional<model::MelodyModel> melody;
  ModelFile melody_file;
  std::optional<model::ChordModel> chords;
  ModelFile chord_file;
};

// Loads what `request` asks for. Fails when a named file cannot be read or decoded, or when a
// default is asked for and no models folder is found.
base::Result<Models> load_models(const ModelsRequest& request);

// The path and hash of the model `choice` names (a file, "" for the default `default_file` in the
// models folder, "none"), without decoding it: for jobs that hand the path on.
base::Result<ModelFile> resolve_model_file(const std::string& dir, const std::string& choice,
                                           const char* default_file);

}  // namespace duet::engine
