// A duet project: a folder a person can read and keep in version control.
//
//   DIR/duet.json                  the manifest (manifest.h, docs/project-format.md)
//   DIR/history/<cue id>/<n>.json  earlier versions of each cue, n = 1, 2, 3...
//   DIR/history/themes/<n>.json    themes as they were before a change or a removal
//   DIR/...                        the film, the EDL, theme MIDI files, by relative path
//
// Every change the engine makes to a cue goes through this class, which first keeps the cue as
// it was in history/, then saves the manifest atomically: nothing the composer made is lost.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "project/manifest.h"
#include "spot/merge.h"

namespace duet::project {

// One kept version of a cue.
struct CueVersion {
  int number = 0;      // 1, 2, 3... in the order they were kept
  std::string saved;   // when it was kept: UTC, ISO 8601 ("2025-03-01T14:05:09Z")
  std::string reason;  // why the cue changed ("tempo fit applied", "restored version 2")
  spot::Cue cue;       // the cue as it was before that change
};

// The project folder a user typed: the folder itself, or, when the path names a file called
// duet.json, the folder holding it (a shell's completion often types the file).
std::filesystem::path project_folder(const std::filesystem::path& typed);

class Project {
 public:
  // Makes a new project in `dir` (creating the folder when needed) and saves its manifest.
  // Refuses, changing nothing, when dir/duet.json exists or the manifest does not validate.
  static base::Result<Project> create(const std::filesystem::path& dir, Manifest manifest);

  // Loads dir/duet.json (`dir` may also name the duet.json itself: project_folder). Errors name
  // the file and the JSON path; warnings (unknown keys...) go to `warnings` when given.
  static base::Result<Project> load(const std::filesystem::path& dir,
                                    std::vector<Problem>* warnings = nullptr);
  // The project at `dir` from duet.json's text already read (a server that hashes the same bytes
  // for its revision reads the file once). Errors name dir/duet.json as load's do.
  static base::Result<Project> from_text(const std::filesystem::path& dir, std::string_view text,
                                         std::vector<Problem>* warnings = nullptr);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path manifest_path() const { return dir_ / kManifestName; }
  const Manifest& manifest() const { return manifest_; }
  const spot::Cue* find_cue(const spot::CueId& id) const;
  // The cue `id`, or the one error every job gives for a cue the project lacks, listing the cues
  // it has: "the project night/duet.json has no cue 9M9 (its cues: 1M1, 1M2)".
  base::Result<const spot::Cue*> cue(const spot::CueId& id) const;
  // The cues a job runs on: those named (each must exist, as cue() says), or every cue when
  // `ids` is empty; an error when that is none at all ("... has no cues; spot the film first
  // with 'duet spot'").
  base::Result<std::vector<const spot::Cue*>> select_cues(
      const std::vector<spot::CueId>& ids) const;

  // Changes the title, picture, themes or settings: validates `manifest` (whose cues must be the
  // current ones: cue changes go through the functions below) and saves.
  base::Result<void> update(Manifest manifest);

  // Puts `cue` in the project: a cue with the same id is first kept as a version (with `reason`),
  // then replaced; a new id is added. Nothing happens when the cue is unchanged. Fails, changing
  // nothing on disk or in memory, when the result does not validate.
  base::Result<void> replace_cue(const spot::Cue& cue, std::string_view reason);
  // Removes a cue, keeping it as a version first. Fails when there is no such cue.
  base::Result<void> remove_cue(const spot::CueId& id, std::string_view reason);

  // Puts `theme` in the project: a theme with the same name is first kept in history/themes/
  // (with `reason`), then replaced; a new name is added. Nothing happens when it is unchanged.
  // Fails, changing nothing, when the result does not validate.
  base::Result<void> replace_theme(const Theme& theme, std::string_view reason);
  // Removes a theme, keeping it in history/themes/ first. Fails when there is no such theme.
  base::Result<void> remove_theme(std::string_view name, std::string_view reason);
  // The kept versions of a cue, oldest first (empty when none).
  base::Result<std::vector<CueVersion>> versions(const spot::CueId& id) const;
  // Puts version `number` back as the current cue (keeping the current one as a version first;
  // a removed cue comes back).
  base::Result<void> restore_version(const spot::CueId& id, int number, std::string_view reason);

  // Merges a new draft (spot::merge_draft) after moving its times to frames; every untouched
  // draft cue it replaces or removes is kept as a version first. Returns the merge report.
  base::Result<spot::MergeResult> apply_draft(std::vector<spot::Cue> draft,
                                              const spot::MergeOptions& options = {});

  // Writes the manifest (validated first) atomically.
  base::Result<void> save() const;

  // The clock that stamps versions (UTC ISO 8601 text); tests set a fixed one.
  void set_clock(std::function<std::string()> now) { clock_ = std::move(now); }

 private:
  Project(std::filesystem::path dir, Manifest manifest);
  std::filesystem::path history_dir(const spot::CueId& id) const;
  base::Result<void> keep_version(const spot::Cue& cue, std::string_view reason) const;
  base::Result<void> keep_theme(const Theme& theme, std::string_view reason) const;
  // Validates and saves `next`; on success it becomes the manifest.
  base::Result<void> commit(Manifest next);

  std::filesystem::path dir_;
  Manifest manifest_;
  std::function<std::string()> clock_;
};

// The system clock as UTC ISO 8601 text, to the second.
std::string utc_now();

// Reads one version file (history/<id>/<n>.json); exposed for tests and `duet show`.
base::Result<CueVersion> read_version(std::string_view text);
std::string write_version(const CueVersion& version, const time::FrameRate& rate);

}  // namespace duet::project
