#include "engine/themes_job.h"

#include <algorithm>
#include <cmath>

#include "base/file.h"
#include "base/text.h"
#include "compose/score.h"
#include "engine/session.h"
#include "midi/smf.h"
#include "music/key_finding.h"
#include "music/pitch.h"
#include "music/theme_io.h"

namespace duet::engine {

namespace fs = std::filesystem;
using base::ErrorKind;
using base::make_error;
using Json = nlohmann::ordered_json;

namespace {

// The melody part of a theme's MIDI file, from its first note (compose::melody_part).
base::Result<music::Melody> midi_theme(const project::Project& project,
                                       const project::Theme& theme) {
  const fs::path path = project.dir() / theme.midi;
  auto bytes = base::read_file(path);
  if (!bytes) return bytes.error();
  auto smf = midi::read_smf(*bytes);
  if (!smf) return smf.error().with_context(path.generic_string());
  auto score = compose::from_midi(smf->file, time::TimePos(0));
  if (!score) return score.error().with_context(path.generic_string());
  const compose::Part* part = compose::melody_part(*score);
  if (part == nullptr) {
    return make_error(ErrorKind::invalid_input, path.generic_string(), ": the theme '", theme.name,
                      "' has no melody");
  }
  const model::Melody line = compose::melody_of(*part, score->tempo_map);
  music::Melody out;
  if (line.notes.empty()) return out;
  const time::BeatPos first = line.notes.front().onset;
  for (const auto& n : line.notes) {
    out.notes.push_back({time::BeatPos(0) + (n.onset - first), n.duration, n.pitch});
    out.length = std::max(out.length, out.notes.back().start + n.duration - time::BeatPos(0));
  }
  return out;
}

// The key of a melody found from its notes (duration-weighted, in ticks).
music::Key found_key(const music::Melody& melody) {
  std::vector<music::TimedNote> notes;
  for (const auto& n : melody.notes) {
    notes.push_back({n.pitch, static_cast<double>(n.start.ticks()),
                     static_cast<double>(n.length.ticks()), 1.0});
  }
  return music::key_of(notes);
}

// "the project has no theme 'x'; its themes are: a, b".
base::Error no_theme(const project::Manifest& m, std::string_view name) {
  std::string names;
  for (const auto& t : m.themes)
    names += (names.empty() ? "" : ", ") + t.name;
  return make_error(
      ErrorKind::invalid_input, "the project has no theme '", name, "'",
      names.empty() ? std::string("; it has no themes yet") : "; its themes are: " + names);
}

base::Result<const project::Theme*> find(const project::Project& project, std::string_view name) {
  const project::Theme* t = theme_named(project.manifest(), name);
  if (t == nullptr) return no_theme(project.manifest(), name);
  return t;
}

// The history's reason for a change: "removed by 'duet themes remove'".
std::string reason(std::string what, const std::string& by) {
  return by.empty() ? what : what + " by '" + by + "'";
}

fs::path theme_history(const project::Project& project) {
  return project.dir() / "history" / "themes";
}

// The melody a request adds, and words for where it came from.
base::Result<std::pair<music::Melody, std::string>> read_source(const AddThemeRequest& r) {
  if (const auto* text = std::get_if<ThemeText>(&r.source)) {
    auto melody = music::parse_melody(text->text);
    if (!melody) return melody.error().with_context("--text");
    return std::pair{std::move(*melody), std::string("the text")};
  }
  if (const auto* midi = std::get_if<ThemeMidi>(&r.source)) {
    music::MidiMelodyOptions mo;
    if (midi->track < 0) {
      return make_error(ErrorKind::out_of_range, "track ", midi->track,
                        " does not exist: tracks count from 1 ('duet midi info' lists them)");
    }
    if (midi->track > 0) mo.track = static_cast<std::size_t>(midi->track - 1);
    const bool bars = midi->first_bar != 0 || midi->last_bar != 0;
    if (bars && (midi->first_bar < 1 || midi->last_bar < midi->first_bar)) {
      return make_error(ErrorKind::out_of_range, "bars ", midi->first_bar, "-", midi->last_bar,
                        " are not a bar range such as 1-4");
    }
    if (bars) {
      mo.first_bar = midi->first_bar;
      mo.last_bar = midi->last_bar;
    }
    auto melody = music::read_midi_melody(midi->file, mo);
    if (!melody) return melody.error();
    std::string source = midi->file.string() + (midi->track > 0 ? base::cat(" track ", midi->track)
                                                                : std::string(" (highest line)"));
    if (bars) {
      source += " bars " + (midi->first_bar == midi->last_bar
                                ? std::to_string(midi->first_bar)
                                : base::cat(midi->first_bar, "-", midi->last_bar));
    }
    return std::pair{std::move(*melody), source};
  }
  const auto& xml = std::get<ThemeMusicXml>(r.source);
  music::MusicXmlMelodyOptions xo;
  if (!xml.part.empty()) xo.part = xml.part;
  auto melody = music::read_musicxml_melody(xml.file, xo);
  if (!melody) return melody.error();
  return std::pair{std::move(*melody),
                   xml.file.string() + (xml.part.empty() ? "" : " part " + xml.part)};
}

Json theme_json(const project::Theme& t) {
  return {{"name", t.name},
          {"stands_for", t.stands_for},
          {"key", t.key},
          {"melody", t.melody},
          {"harmony", t.harmony}};
}

}  // namespace

base::Result<std::optional<ThemeMusic>> theme_music(const project::Project& project,
                                                    const project::Theme& theme) {
  ThemeMusic out;
  if (!theme.melody.empty()) {
    // The registry's compact text (duet themes add), in the key it names.
    auto melody = music::parse_melody(theme.melody);
    if (!melody) return melody.error().with_context("theme '" + theme.name + "' melody");
    out.melody = std::move(*melody);
  } else if (!theme.midi.empty()) {
    auto melody = midi_theme(project, theme);
    if (!melody) return melody.error();
    out.melody = std::move(*melody);
  }
  if (out.melody.notes.empty()) return std::optional<ThemeMusic>();
  out.key_found = theme.key.empty();
  if (out.key_found) {
    out.key = found_key(out.melody);
  } else {
    auto key = music::parse_key(theme.key);
    if (!key) return key.error().with_context("theme '" + theme.name + "' key");
    out.key = *key;
  }
  return std::optional<ThemeMusic>(std::move(out));
}

const project::Theme* theme_named(const project::Manifest& manifest, std::string_view name) {
  for (const auto& t : manifest.themes)
    if (t.name == name) return &t;
  return nullptr;
}

std::string note_name(int midi, const music::Key& key) {
  music::MelodyTextOptions spelling;
  spelling.key = key;
  return music::pitch_text(midi, spelling);
}

std::string quarters_text(std::int64_t ticks) {
  return time::Rational(ticks, time::kTicksPerQuarter).to_string();
}

// ---- list, show ----

ThemeList Session::themes() const {
  ThemeList out;
  for (const auto& t : project_.manifest().themes) {
    ThemeListed listed{t, std::nullopt};
    if (auto m = music::parse_melody(t.melody); m) listed.notes = m->notes.size();
    out.themes.push_back(std::move(listed));
  }
  return out;
}

Json to_json(const ThemeList& list) {
  Json j = Json::array();
  for (const auto& l : list.themes) {
    const auto& t = l.theme;
    j.push_back(
        {{"name", t.name}, {"stands_for", t.stands_for}, {"key", t.key}, {"melody", t.melody}});
  }
  return j;
}

base::Result<ThemeShown> Session::show_theme(std::string_view name) const {
  auto t = find(project_, name);
  if (!t) return t.error();
  ThemeShown out{**t, std::nullopt};
  if (out.theme.melody.empty()) return out;  // its MIDI file, if any, is shown by name
  auto music = theme_music(project_, out.theme);
  if (!music) return music.error();
  out.music = std::move(*music);
  return out;
}

Json to_json(const ThemeShown& shown) {
  const auto& t = shown.theme;
  if (!shown.music) return {{"name", t.name}, {"stands_for", t.stands_for}, {"midi", t.midi}};
  const music::Melody& m = shown.music->melody;
  Json notes = Json::array();
  for (const auto& n : m.notes) {
    notes.push_back({{"start_quarters", quarters_text(n.start.ticks())},
                     {"length_quarters", quarters_text(n.length.ticks())},
                     {"pitch", n.pitch},
                     {"name", note_name(n.pitch, shown.music->key)}});
  }
  return {{"name", t.name},
          {"stands_for", t.stands_for},
          {"key", music::to_string(shown.music->key)},
          {"key_found", shown.music->key_found},
          {"melody", t.melody},
          {"harmony", t.harmony},
          {"meter", m.meter ? m.meter->to_string() : ""},
          {"length_quarters", quarters_text(m.length.ticks())},
          {"notes", notes}};
}

// ---- add ----

base::Result<ThemeAdded> Session::add_theme(const AddThemeRequest& request) {
  const project::Theme* before = theme_named(project_.manifest(), request.name);
  if (before != nullptr && !request.replace) {
    return make_error(ErrorKind::invalid_input, "the project already has a theme '", request.name,
                      "'; add --replace to replace it (the old one is kept in history/) "
                      "or choose another name");
  }
  auto read = read_source(request);
  if (!read) return read.error();
  const music::Melody& melody = read->first;
  ThemeAdded out;
  out.replaced = before != nullptr;
  out.key_found = request.key.empty();
  out.notes = melody.notes.size();
  out.source = read->second;
  if (out.notes < kShortestTheme) {
    out.warnings.push_back(base::cat(
        "theme '", request.name, "' has ", out.notes, out.notes == 1 ? " note" : " notes",
        ": too few to be recognised when it comes back in a cue (a motif has ", kShortestTheme,
        " or more)", out.key_found ? ", and its key is a guess; give --key" : ""));
  }
  music::Key key;
  if (out.key_found) {
    key = found_key(melody);
  } else {
    auto k = music::parse_key(request.key);
    if (!k) return k.error().with_context("--key");
    key = *k;
  }
  if (!request.harmony.empty()) {
    if (auto chords = music::parse_harmony(request.harmony); !chords) {
      return chords.error().with_context("--harmony");
    }
  }
  out.theme.name = request.name;
  out.theme.stands_for = request.stands_for;
  out.theme.melody = music::to_text(melody, {.key = key});
  out.theme.key = music::to_string(key);
  out.theme.harmony = request.harmony;
  if (before != nullptr) out.theme.midi = before->midi;
  if (auto saved = project_.replace_theme(out.theme, reason("replaced", request.by)); !saved) {
    return saved.error();
  }
  out.manifest = project_.manifest_path();
  out.history = theme_history(project_);
  return out;
}

Json to_json(const ThemeAdded& added) {
  return {{"theme", theme_json(added.theme)}, {"replaced", added.replaced},
          {"key_found", added.key_found},     {"notes", added.notes},
          {"source", added.source},           {"manifest", added.manifest.generic_string()},
          {"warnings", added.warnings}};
}

// ---- remove ----

base::Result<ThemeRemoved> Session::remove_theme(const RemoveThemeRequest& request) {
  auto t = find(project_, request.name);
  if (!t) return t.error();
  ThemeRemoved out;
  out.name = request.name;
  for (const auto& c : project_.manifest().cues) {
    out.still_tagged +=
        static_cast<std::size_t>(std::count(c.themes.begin(), c.themes.end(), request.name));
  }
  if (auto saved = project_.remove_theme(request.name, reason("removed", request.by)); !saved) {
    return saved.error();
  }
  out.manifest = project_.manifest_path();
  out.history = theme_history(project_);
  return out;
}

Json to_json(const ThemeRemoved& removed) {
  return {{"removed", removed.name},
          {"still_tagged", removed.still_tagged},
          {"manifest", removed.manifest.generic_string()}};
}

// ---- tag ----

// Each changed cue is a new version (Project::replace_cue keeps it as it was in history/ first);
// every cue is looked up before any is changed, so a bad id changes nothing.
base::Result<ThemeTagged> Session::tag_theme(const TagThemeRequest& request) {
  auto t = find(project_, request.name);
  if (!t) return t.error();
  if (request.all == !request.cues.empty()) {
    return make_error(ErrorKind::invalid_input, "say which cues to tag with theme '", request.name,
                      "': some cue ids, or all cues");
  }
  std::vector<spot::Cue> chosen;
  if (request.all) {
    chosen = project_.manifest().cues;
  } else {
    for (const auto& id : request.cues) {
      auto cue = project_.cue(id);
      if (!cue) return cue.error();
      chosen.push_back(**cue);
    }
  }
  ThemeTagged out;
  out.name = request.name;
  out.untag = request.untag;
  for (spot::Cue cue : chosen) {
    const auto it = std::find(cue.themes.begin(), cue.themes.end(), request.name);
    if (request.untag == (it == cue.themes.end())) continue;  // already as asked
    if (request.untag) {
      cue.themes.erase(it);
    } else {
      cue.themes.push_back(request.name);
    }
    const std::string what =
        std::string(request.untag ? "untagged" : "tagged") + " theme '" + request.name + "'";
    if (auto saved = project_.replace_cue(cue, reason(what, request.by)); !saved) {
      return saved.error();
    }
    out.changed.push_back(cue.id);
  }
  out.manifest = project_.manifest_path();
  return out;
}

Json to_json(const ThemeTagged& tagged) {
  Json changed = Json::array();
  for (const auto& id : tagged.changed)
    changed.push_back(id.to_string());
  return {{"theme", tagged.name},
          {"untag", tagged.untag},
          {"changed", changed},
          {"manifest", tagged.manifest.generic_string()}};
}

// ---- vary ----

base::Result<ThemeVaried> Session::vary_theme(const VaryThemeRequest& request) const {
  auto t = find(project_, request.name);
  if (!t) return t.error();
  if ((*t)->melody.empty()) {
    return make_error(ErrorKind::invalid_input, "theme '", request.name,
                      "' has no melody; add one with 'duet themes PROJECT add ", request.name,
                      " --text ...'");
  }
  auto music = theme_music(project_, **t);
  if (!music) return music.error();
  if (request.steps.empty()) {
    return make_error(ErrorKind::invalid_input, "say how to vary theme '", request.name,
                      "': give at least one step");
  }
  ThemeVaried out{**t, std::move(**music), {}, "", 0, request.midi};
  auto variant = music::apply_steps(out.music.melody, out.music.key, request.steps);
  if (!variant) return variant.error();
  out.variant = std::move(*variant);
  out.recognisability = music::recognisability(out.music.melody, out.variant.melody);
  out.text = music::to_text(out.variant.melody, {.key = out.variant.key});
  if (!request.midi.empty()) {
    auto bytes = music::melody_to_midi(out.variant.melody, request.tempo);
    if (!bytes) return bytes.error();
    if (auto w = base::write_file_atomic(request.midi, *bytes); !w) return w.error();
  }
  return out;
}

Json to_json(const ThemeVaried& varied) {
  const music::Variant& v = varied.variant;
  Json j{{"theme", varied.theme.name},
         {"melody", varied.text},
         {"key", music::to_string(v.key)},
         {"derivation", v.derivation()},
         {"steps", music::to_string(v.steps)},
         {"recognisability", std::round(varied.recognisability * 1000) / 1000}};
  if (v.harmony) j["harmony"] = *v.harmony;
  if (v.instrument) j["instrument"] = *v.instrument;
  if (!varied.midi.empty()) j["midi"] = varied.midi.string();
  return j;
}

}  // namespace duet::engine
