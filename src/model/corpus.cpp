#include "model/corpus.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "model/midi_corpus.h"

namespace duet::model {
namespace fs = std::filesystem;

std::size_t Corpus::melody_count() const {
  std::size_t n = 0;
  for (const auto& f : files)
    n += f.melodies.size();
  return n;
}

std::size_t Corpus::note_count() const {
  std::size_t n = 0;
  for (const auto& f : files) {
    for (const auto& m : f.melodies)
      n += m.notes.size();
  }
  return n;
}

std::size_t Corpus::error_count() const {
  return static_cast<std::size_t>(std::count_if(
      files.begin(), files.end(), [](const CorpusFile& f) { return f.error.has_value(); }));
}

base::Result<Corpus> read_melody_corpus(const fs::path& root, const CorpusOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return base::make_error(
        base::ErrorKind::io, root.string(),
        " is not a directory; give the folder that holds the MIDI and ABC files");
  }
  std::vector<fs::path> paths;
  for (auto it = fs::recursive_directory_iterator(
           root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::end(it); it.increment(ec)) {
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::error_code file_ec;
    if ((ext == ".mid" || ext == ".midi" || ext == ".abc") && it->is_regular_file(file_ec)) {
      paths.push_back(it->path());
    }
  }
  if (ec) {
    return base::make_error(base::ErrorKind::io, "could not list ", root.string(), ": ",
                            ec.message());
  }
  std::sort(paths.begin(), paths.end());
  std::string prefix = options.id_prefix;
  if (prefix.empty()) {
    prefix = fs::absolute(root, ec).lexically_normal().filename().string();
    if (prefix.empty())
      prefix = fs::absolute(root, ec).lexically_normal().parent_path().filename().string();
  }
  Corpus corpus;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const fs::path& path = paths[k];
    if (options.progress) options.progress(k, paths.size(), path);
    CorpusFile file;
    file.path = path;
    fs::path relative = path.lexically_relative(root);
    std::string stem = (relative.parent_path() / relative.stem()).generic_string();
    std::string id = prefix + "/" + stem;
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".abc") {
      AbcOptions abc;
      abc.id_prefix = id;
      abc.skip_bad_tunes = true;
      auto book = read_abc_file(path, abc);
      if (!book) {
        file.error = book.error();
      } else {
        file.warnings = std::move(book->warnings);
        for (auto& tune : book->tunes) {
          for (auto& w : tune.warnings)
            file.warnings.push_back(w);
          file.melodies.push_back(tune.melody);
          file.tunes.push_back(std::move(tune));
        }
      }
    } else {
      auto melody = read_midi_melody(path, id);
      if (!melody) {
        file.error = melody.error();
      } else {
        file.warnings = std::move(melody->warnings);
        file.melodies.push_back(std::move(melody->melody));
      }
    }
    corpus.files.push_back(std::move(file));
  }
  if (options.progress) options.progress(paths.size(), paths.size(), fs::path());
  return corpus;
}

}  // namespace duet::model
