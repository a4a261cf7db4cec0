// A melody corpus: every *.mid, *.midi and *.abc file under a directory, read into melodies.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "model/abc.h"
#include "model/sequence.h"

namespace duet::model {

struct CorpusFile {
  std::filesystem::path path;    // as found under the root
  std::vector<Melody> melodies;  // one per MIDI file; one per tune for ABC
  std::vector<AbcTune> tunes;    // ABC files: the tunes (titles, keys, chord symbols)
  std::vector<base::Warning> warnings;
  std::optional<base::Error> error;  // the file could not be read; it adds no melodies
};

struct CorpusOptions {
  // Melody ids are "<id_prefix>/<path relative to the root, without extension>" for MIDI and
  // ".../<X number>" for ABC tunes; empty: the root directory's name.
  std::string id_prefix;
  // Called before each file: files done so far, total, the file about to be read.
  std::function<void(std::size_t, std::size_t, const std::filesystem::path&)> progress;
};

struct Corpus {
  std::vector<CorpusFile> files;  // sorted by path
  std::size_t melody_count() const;
  std::size_t note_count() const;
  std::size_t error_count() const;
};

// Walks `root` recursively (extensions in any case, files sorted by path so that the result is
// deterministic). A file that fails to read is recorded with its error and the walk goes on;
// an ABC tune with an error is left out with a warning. Fails only when `root` is not a readable
// directory.
base::Result<Corpus> read_melody_corpus(const std::filesystem::path& root,
                                        const CorpusOptions& options = {});

}  // namespace duet::model
