#include "engine/session.h"

namespace duet::engine {

base::Result<Session> Session::open(const std::filesystem::path& project_dir,
                                    SessionOptions options) {
  auto project = project::Project::load(project_dir);
  if (!project) return project.error();
  return Session(std::move(*project), std::move(options));
}

base::Result<Models*> Session::models(const std::string& melody, const std::string& chords,
                                      bool want_chords) {
  const auto key = std::make_tuple(melody, want_chords ? chords : std::string(), want_chords);
  if (const auto it = models_.find(key); it != models_.end()) return it->second.get();
  ModelsRequest request;
  request.dir = options_.models_dir;
  request.melody = melody;
  request.chords = chords;
  request.want_chords = want_chords;
  auto loaded = load_models(request);
  if (!loaded) return loaded.error();
  auto& slot = models_[key];
  slot = std::make_unique<Models>(std::move(*loaded));
  return slot.get();
}
}  // namespace duet::engine
