// The theme jobs: the project's theme (leitmotif) registry listed, shown, added to (from text,
// MIDI or MusicXML), removed from, cues tagged with a theme, and a theme's variants
// (music/theme*.h). Run through engine::Session (themes, show_theme, add_theme, remove_theme,
// tag_theme, vary_theme).
//
// The requests are plain data, so that the command line and the board's server fill them alike.
// Every change is validated first and saved atomically as a new version: a replaced or removed
// theme is kept in the project's history/themes/, a re-tagged cue in history/<cue>/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "music/key.h"
#include "music/theme.h"
#include "music/theme_transform.h"
#include "project/project.h"
#include "spot/cue.h"

namespace duet::engine {

// ---- A theme's melody and key: one reading for every job (duet themes, the cue writer, the
// critics) ----

struct ThemeMusic {
  music::Melody melody;    // from its first note, 1920 ticks a quarter
  music::Key key;          // the registry's, else found from the notes (music::key_of)
  bool key_found = false;  // true when the registry names no key
};

// The theme's melody: the registry's compact text, else the melody part of its MIDI file (a path
// relative to the project) from its first note; none when it has neither, or no notes. Fails
// naming the theme (or the file) when its text, key or file cannot be read.
base::Result<std::optional<ThemeMusic>> theme_music(const project::Project& project,
                                                    const project::Theme& theme);

// The project's theme called `name`, or null.
const project::Theme* theme_named(const project::Manifest& manifest, std::string_view name);

// A MIDI note number spelled in `key`: 61 is "C#4" in A major, "Db4" in F minor.
std::string note_name(int midi, const music::Key& key);
// Quarter notes as an exact fraction: "3", "11/2".
std::string quarters_text(std::int64_t ticks);

// ---- list, show ----

struct ThemeListed {
  project::Theme theme;
  std::optional<std::size_t> notes;  // the notes of its text; none when it has no (readable) text
};
struct ThemeList {
  std::vector<ThemeListed> themes;  // in the registry's order
};
// [{"name", "stands_for", "key", "melody"}, ...]
nlohmann::ordered_json to_json(const ThemeList& list);

struct ThemeShown {
  project::Theme theme;
  std::optional<ThemeMusic> music;  // from the registry's text; none when it has none
};
// {"name", "stands_for", "midi"} without a melody; else {"name", "stands_for", "key",
// "key_found", "melody", "harmony", "meter", "length_quarters", "notes": [{"start_quarters",
// "length_quarters", "pitch", "name"}]}
nlohmann::ordered_json to_json(const ThemeShown& shown);

// ---- add ----

struct ThemeText {
  std::string text;  // compact text (music/theme.h)
};
struct ThemeMidi {
  std::filesystem::path file;
  int track = 0;  // 1-based as 'duet midi info' numbers them; 0 for the highest line of all
  std::int64_t first_bar = 0, last_bar = 0;  // 1-based, inclusive; 0 for the whole file
};
struct ThemeMusicXml {
  std::filesystem::path file;  // a partwise MusicXML file
  std::string part;            // by name or id; "" for the first
};

struct AddThemeRequest {
  std::string name;
  std::string stands_for;
  std::variant<ThemeText, ThemeMidi, ThemeMusicXml> source;
  std::string key;       // "D minor"; "" to find it from the notes
  std::string harmony;   // chord symbols under the melody; "" none
  bool replace = false;  // replace a theme of that name (else that is an error)
  std::string by;        // who asks, for the history's reason ("duet themes add"); "" none
};

struct ThemeAdded {
  project::Theme theme;  // as saved: its melody re-written in its key
  bool replaced = false;
  bool key_found = false;
  std::size_t notes = 0;
  std::string source;  // "the text", "a.mid track 3 bars 1-4", "b.musicxml part Flute"
  std::filesystem::path manifest;
  std::filesystem::path history;  // where the theme before was kept (when replaced)
  // Kept anyway, but worth a second look: a theme too short to be heard as one.
  std::vector<std::string> warnings;
};
// Fewer notes than this make a theme the ear cannot pick out of a texture, and a key found from
// them is a guess: a leitmotif's head motif has three notes or more.
inline constexpr std::size_t kShortestTheme = 3;
// {"theme": {"name", "stands_for", "key", "melody", "harmony"}, "replaced", "key_found",
// "notes", "source", "manifest", "warnings"}
nlohmann::ordered_json to_json(const ThemeAdded& added);

// ---- remove ----

struct RemoveThemeRequest {
  std::string name;
  std::string by;  // who asks, for the history's reason; "" none
};
struct ThemeRemoved {
  std::string name;
  std::size_t still_tagged = 0;  // cues that still tag it ('duet validate' lists them)
  std::filesystem::path manifest;
  std::filesystem::path history;  // where the theme was kept
};
// {"removed", "still_tagged", "manifest"}
nlohmann::ordered_json to_json(const ThemeRemoved& removed);

// ---- tag ----

struct TagThemeRequest {
  std::string name;
  std::vector<spot::CueId> cues;  // the cues to tag; empty with `all`
  bool all = false;               // every cue of the project
  bool untag = false;             // take the tag off instead
  std::string by;                 // who asks, for the history's reason; "" none
};
struct ThemeTagged {
  std::string name;
  bool untag = false;
  std::vector<spot::CueId> changed;  // in the request's order; cues already as asked are left
  std::filesystem::path manifest;
};
// {"theme", "untag", "changed": ["1M2", ...], "manifest"}
nlohmann::ordered_json to_json(const ThemeTagged& tagged);

// ---- vary ----

struct VaryThemeRequest {
  std::string name;
  std::vector<music::TransformStep> steps;  // at least one (music::parse_steps reads the text)
  std::filesystem::path midi;               // also write the variant as a MIDI file; "" none
  double tempo = 100;                       // that file's quarter notes a minute
};
struct ThemeVaried {
  project::Theme theme;
  ThemeMusic music;  // the theme's
  music::Variant variant;
  std::string text;            // the variant's compact text, spelled in its key
  double recognisability = 0;  // 0..1 (music::recognisability)
  std::filesystem::path midi;  // written, when asked
};
// {"theme", "melody", "key", "derivation", "steps", "recognisability", ["harmony"],
// ["instrument"], ["midi"]}
nlohmann::ordered_json to_json(const ThemeVaried& varied);

}  // namespace duet::engine
