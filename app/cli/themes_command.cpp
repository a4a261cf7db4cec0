// duet themes PROJECT list|show|add|remove|tag|vary: the project's theme (leitmotif) registry and
// the variants of a theme (src/music/theme*.h).
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "music/key_finding.h"
#include "music/theme.h"
#include "music/theme_io.h"
#include "music/theme_transform.h"
#include "output.h"
#include "project/project.h"
#include "spot/cue.h"

namespace duet::cli {
namespace {

using base::ErrorKind;
using base::make_error;
using Json = nlohmann::ordered_json;

struct ThemesOptions {
  std::string project;
  std::string name;
  bool json = false;
  bool replace = false;
  // add
  std::string stands_for;
  std::string text, midi, musicxml, part, bars, key, harmony;
  int track = 0;  // 1-based as 'duet midi info' numbers them; 0 = the highest line of all
  // vary
  int transpose = 0, diatonic = 0, fragment = 0, fragment_bars = 0;
  std::string mode, to_key, augment, displace, reharmonize, reorchestrate, steps, midi_out;
  bool invert = false, retrograde = false;
  double tempo = 100;
  // tag
  std::vector<std::string> cues;
  bool all = false, untag = false;
};

const project::Theme* find_theme(const project::Manifest& m, const std::string& name) {
  for (const auto& t : m.themes)
    if (t.name == name) return &t;
  return nullptr;
}

base::Error no_theme(const project::Manifest& m, const std::string& name,
                     const std::string& project) {
  std::string names;
  for (const auto& t : m.themes)
    names += (names.empty() ? "" : ", ") + t.name;
  return make_error(
      ErrorKind::invalid_input, "the project has no theme '", name, "'",
      names.empty() ? std::string("; it has no themes yet") : "; its themes are: " + names,
      " ('duet themes ", project, " list')");
}

// The key of a melody by key finding (duration-weighted pitch classes, Albrecht-Shanahan).
music::Key find_melody_key(const music::Melody& melody) {
  std::vector<music::TimedNote> notes;
  for (const auto& n : melody.notes) {
    notes.push_back({n.pitch, static_cast<double>(n.start.ticks()),
                     static_cast<double>(n.length.ticks()), 1.0});
  }
  return music::to_key(music::find_key(music::pitch_class_histogram(notes)));
}

// The theme's melody and key as stored; fails when it has no melody.
struct LoadedTheme {
  music::Melody melody;
  music::Key key;
};
base::Result<LoadedTheme> theme_music(const project::Theme& t) {
  if (t.melody.empty()) {
    return make_error(ErrorKind::invalid_input, "theme '", t.name,
                      "' has no melody; add one with 'duet themes PROJECT add ", t.name,
                      " --text ...'");
  }
  auto melody = music::parse_melody(t.melody);
  if (!melody) return melody.error().with_context("theme '" + t.name + "' melody");
  music::Key key = find_melody_key(*melody);
  if (!t.key.empty()) {
    auto k = music::parse_key(t.key);
    if (!k) return k.error().with_context("theme '" + t.name + "' key");
    key = *k;
  }
  return LoadedTheme{std::move(*melody), key};
}

std::string note_name(int midi, const music::Key& key) {
  const music::NoteName name = music::spell_in_key(key, music::wrap_pitch_class(midi));
  const int raw = music::natural_pitch_class(name.letter) + name.accidental;
  const int octave = (midi - raw) / 12 - 1 + ((midi - raw) % 12 < 0 ? -1 : 0);
  return music::to_string(music::Pitch{name, octave});
}

std::string beats_text(std::int64_t ticks) {
  return time::Rational(ticks, time::kTicksPerQuarter).to_string();
}

// ---- list ----

int run_list(const ThemesOptions& o) {
  auto p = project::Project::load(o.project);
  if (!p) return report(p.error());
  const auto& themes = p->manifest().themes;
  if (o.json) {
    Json j = Json::array();
    for (const auto& t : themes) {
      j.push_back(
          {{"name", t.name}, {"stands_for", t.stands_for}, {"key", t.key}, {"melody", t.melody}});
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  if (themes.empty()) {
    std::cout << "no themes; add one with 'duet themes " << o.project
              << " add NAME --stands-for TEXT --text ...'\n";
    return kExitOk;
  }
  Table table({"theme", "stands for", "key", "notes", "melody"});
  for (const auto& t : themes) {
    std::string notes = "-";
    if (auto m = music::parse_melody(t.melody); m) notes = std::to_string(m->notes.size());
    std::string melody = t.melody.size() > 40 ? t.melody.substr(0, 37) + "..." : t.melody;
    table.add(
        {t.name, t.stands_for, t.key.empty() ? "-" : t.key, notes, melody.empty() ? "-" : melody});
  }
  table.print(std::cout);
  return kExitOk;
}

// ---- show ----

int run_show(const ThemesOptions& o) {
  auto p = project::Project::load(o.project);
  if (!p) return report(p.error());
  const project::Theme* t = find_theme(p->manifest(), o.name);
  if (t == nullptr) return report(no_theme(p->manifest(), o.name, o.project));
  if (t->melody.empty()) {
    if (o.json) {
      std::cout << Json{{"name", t->name}, {"stands_for", t->stands_for}, {"midi", t->midi}}.dump(2)
                << "\n";
    } else {
      std::cout << t->name << ": " << t->stands_for << "\n  no melody yet"
                << (t->midi.empty() ? "" : " (MIDI file " + t->midi + ")") << "\n";
    }
    return kExitOk;
  }
  auto music = theme_music(*t);
  if (!music) return report(music.error());
  const music::Melody& m = music->melody;
  if (o.json) {
    Json notes = Json::array();
    for (const auto& n : m.notes) {
      notes.push_back({{"start_quarters", beats_text(n.start.ticks())},
                       {"length_quarters", beats_text(n.length.ticks())},
                       {"pitch", n.pitch},
                       {"name", note_name(n.pitch, music->key)}});
    }
    Json j{{"name", t->name},
           {"stands_for", t->stands_for},
           {"key", music::to_string(music->key)},
           {"key_found", t->key.empty()},
           {"melody", t->melody},
           {"harmony", t->harmony},
           {"meter", m.meter ? m.meter->to_string() : ""},
           {"length_quarters", beats_text(m.length.ticks())},
           {"notes", notes}};
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << t->name << ": " << t->stands_for << "\n";
  std::cout << "  key      " << music::to_string(music->key)
            << (t->key.empty() ? " (found from the notes)" : "") << "\n";
  std::cout << "  melody   " << t->melody << "\n";
  if (!t->harmony.empty()) std::cout << "  harmony  " << t->harmony << "\n";
  std::cout << "  " << m.notes.size() << " notes, " << beats_text(m.length.ticks()) << " quarters"
            << (m.meter ? " in " + m.meter->to_string() : "") << "\n";
  Table table({"#", "start", "length", "pitch", "midi"});
  for (std::size_t i = 0; i < m.notes.size(); ++i) {
    const auto& n = m.notes[i];
    table.add({std::to_string(i + 1), beats_text(n.start.ticks()), beats_text(n.length.ticks()),
               note_name(n.pitch, music->key), std::to_string(n.pitch)});
  }
  table.print(std::cout);
  return kExitOk;
}

// ---- add ----

base::Result<std::pair<std::int64_t, std::int64_t>> parse_bars(const std::string& text) {
  const std::size_t dash = text.find('-');
  auto number = [](std::string_view s) -> std::optional<std::int64_t> {
    if (s.empty() || s.size() > 6) return std::nullopt;
    std::int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  const auto a = number(std::string_view(text).substr(0, dash));
  const auto b = dash == std::string::npos ? a : number(std::string_view(text).substr(dash + 1));
  if (!a || !b || *a < 1 || *b < *a) {
    return make_error(ErrorKind::invalid_input, "--bars '", text,
                      "' is not a bar range such as 1-4 (or one bar, 3)");
  }
  return std::pair{*a, *b};
}

int run_add(const ThemesOptions& o) {
  const int sources = !o.text.empty() + !o.midi.empty() + !o.musicxml.empty();
  if (sources != 1) {
    return usage_error("give the theme with exactly one of --text, --midi or --musicxml");
  }
  if ((o.track != 0 || !o.bars.empty()) && o.midi.empty()) {
    return usage_error("--track and --bars go with --midi");
  }
  if (!o.part.empty() && o.musicxml.empty()) return usage_error("--part goes with --musicxml");
  auto p = project::Project::load(o.project);
  if (!p) return report(p.error());
  const bool replacing = find_theme(p->manifest(), o.name) != nullptr;
  if (replacing && !o.replace) {
    return report(make_error(ErrorKind::invalid_input, "the project already has a theme '", o.name,
                             "'; add --replace to replace it (the old one is kept in history/) "
                             "or choose another name"));
  }
  base::Result<music::Melody> melody = music::Melody{};
  std::string source;
  if (!o.text.empty()) {
    melody = music::parse_melody(o.text);
    if (!melody) return report(melody.error().with_context("--text"));
    source = "the text";
  } else if (!o.midi.empty()) {
    music::MidiMelodyOptions mo;
    if (o.track < 0) return usage_error("--track counts from 1 ('duet midi info' lists them)");
    if (o.track > 0) mo.track = static_cast<std::size_t>(o.track - 1);
    if (!o.bars.empty()) {
      auto bars = parse_bars(o.bars);
      if (!bars) return report(bars.error());
      mo.first_bar = bars->first;
      mo.last_bar = bars->second;
    }
    melody = music::read_midi_melody(o.midi, mo);
    if (!melody) return report(melody.error());
    source = o.midi +
             (o.track > 0 ? base::cat(" track ", o.track) : std::string(" (highest line)")) +
             (o.bars.empty() ? "" : " bars " + o.bars);
  } else {
    music::MusicXmlMelodyOptions xo;
    if (!o.part.empty()) xo.part = o.part;
    melody = music::read_musicxml_melody(o.musicxml, xo);
    if (!melody) return report(melody.error());
    source = o.musicxml + (o.part.empty() ? "" : " part " + o.part);
  }
  music::Key key = find_melody_key(*melody);
  const bool found = o.key.empty();
  if (!o.key.empty()) {
    auto k = music::parse_key(o.key);
    if (!k) return report(k.error().with_context("--key"));
    key = *k;
  }
  if (!o.harmony.empty()) {
    if (auto chords = music::parse_harmony(o.harmony); !chords) {
      return report(chords.error().with_context("--harmony"));
    }
  }
  project::Theme theme;
  theme.name = o.name;
  theme.stands_for = o.stands_for;
  theme.melody = music::to_text(*melody, {.key = key});
  theme.key = music::to_string(key);
  theme.harmony = o.harmony;
  if (replacing) theme.midi = find_theme(p->manifest(), o.name)->midi;
  if (auto saved = p->replace_theme(theme, "replaced by 'duet themes add --replace'"); !saved) {
    return report(saved.error());
  }
  std::cout << (replacing ? "replaced" : "added") << " theme '" << o.name << "' ("
            << melody->notes.size() << " notes from " << source << ", " << theme.key
            << (found ? ", key found from the notes" : "") << ")\n  " << theme.melody << "\nsaved "
            << p->manifest_path().generic_string();
  if (replacing) {
    std::cout << ", the theme before is kept in "
              << (p->dir() / "history" / "themes").generic_string() << "/";
  }
  std::cout << "\n";
  return kExitOk;
}

// ---- remove ----

int run_remove(const ThemesOptions& o) {
  auto p = project::Project::load(o.project);
  if (!p) return report(p.error());
  if (find_theme(p->manifest(), o.name) == nullptr) {
    return report(no_theme(p->manifest(), o.name, o.project));
  }
  std::size_t tagged = 0;
  for (const auto& c : p->manifest().cues)
    tagged += static_cast<std::size_t>(std::count(c.themes.begin(), c.themes.end(), o.name));
  if (auto saved = p->remove_theme(o.name, "removed by 'duet themes remove'"); !saved) {
    return report(saved.error());
  }
  std::cout << "removed theme '" << o.name << "'; saved " << p->manifest_path().generic_string()
            << ", the theme is kept in " << (p->dir() / "history" / "themes").generic_string()
            << "/\n";
  if (tagged > 0) {
    std::cout << "note: " << tagged << (tagged == 1 ? " cue still tags it" : " cues still tag it")
              << "; 'duet validate " << o.project << "' lists them\n";
  }
  return kExitOk;
}

// ---- tag ----

// Tags cues with the theme (or takes the tag off): the cue writer features a theme where a cue
// tags it. Each changed cue is kept as it was in history/ first (Project::replace_cue).
int run_tag(const ThemesOptions& o) {
  auto p = project::Project::load(o.project);
  if (!p) return report(p.error());
  if (find_theme(p->manifest(), o.name) == nullptr) {
    return report(no_theme(p->manifest(), o.name, o.project));
  }
  if (o.all == !o.cues.empty()) return usage_error("give --cue ID (one or more) or --all");
  std::vector<spot::Cue> chosen;
  if (o.all) {
    chosen = p->manifest().cues;
  } else {
    for (const std::string& text : o.cues) {
      auto id = spot::parse_cue_id(text);
      if (!id) return usage_error("--cue: " + id.error().message);
      auto cue = p->cue(*id);
      if (!cue) return report(cue.error());
      chosen.push_back(**cue);
    }
  }
  int changed = 0;
  for (spot::Cue cue : chosen) {
    const auto it = std::find(cue.themes.begin(), cue.themes.end(), o.name);
    if (o.untag == (it == cue.themes.end())) continue;  // already as asked
    if (o.untag) {
      cue.themes.erase(it);
    } else {
      cue.themes.push_back(o.name);
    }
    const std::string reason = std::string(o.untag ? "untagged" : "tagged") + " theme '" + o.name +
                               "' by 'duet themes tag'";
    if (auto saved = p->replace_cue(cue, reason); !saved) return report(saved.error());
    std::cout << (o.untag ? "untagged " : "tagged ") << cue.id.to_string() << "\n";
    ++changed;
  }
  std::cout << changed << (changed == 1 ? " cue" : " cues") << " changed";
  if (changed > 0) std::cout << "; saved " << p->manifest_path().generic_string();
  std::cout << "\n";
  return kExitOk;
}

// ---- vary ----

base::Result<std::vector<music::TransformStep>> steps_from(const ThemesOptions& o) {
  if (!o.steps.empty()) return music::parse_steps(o.steps);
  std::vector<std::string> parts;
  if (o.transpose != 0) parts.push_back(base::cat("transpose ", o.transpose));
  if (o.diatonic != 0) parts.push_back(base::cat("transpose ", o.diatonic, " diatonic"));
  if (!o.mode.empty()) parts.push_back("mode " + o.mode);
  if (!o.to_key.empty()) parts.push_back("key " + o.to_key);
  if (!o.augment.empty()) parts.push_back("augment " + o.augment);
  if (o.fragment != 0) parts.push_back(base::cat("fragment ", o.fragment));
  if (o.fragment_bars != 0) parts.push_back(base::cat("fragment ", o.fragment_bars, " bars"));
  if (o.invert) parts.push_back("invert");
  if (o.retrograde) parts.push_back("retrograde");
  if (!o.displace.empty()) parts.push_back("displace " + o.displace);
  if (!o.reharmonize.empty()) parts.push_back("reharmonize " + o.reharmonize);
  if (!o.reorchestrate.empty()) parts.push_back("reorchestrate " + o.reorchestrate);
  std::vector<music::TransformStep> out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto s = music::parse_step(parts[i]);
    if (!s) return s.error().with_context(parts[i]);
    out.push_back(*s);
  }
  return out;
}

int run_vary(const ThemesOptions& o) {
  auto p = project::Project::load(o.project);
  if (!p) return report(p.error());
  const project::Theme* t = find_theme(p->manifest(), o.name);
  if (t == nullptr) return report(no_theme(p->manifest(), o.name, o.project));
  auto music = theme_music(*t);
  if (!music) return report(music.error());
  auto steps = steps_from(o);
  if (!steps) return report(steps.error());
  if (steps->empty()) {
    return usage_error(
        "say how to vary the theme: --transpose, --mode, --augment, --fragment, --invert, "
        "--retrograde, --displace... or --steps 'transpose +5; mode minor'");
  }
  auto variant = music::apply_steps(music->melody, music->key, *steps);
  if (!variant) return report(variant.error());
  const double score = music::recognisability(music->melody, variant->melody);
  const std::string text = music::to_text(variant->melody, {.key = variant->key});
  if (!o.midi_out.empty()) {
    auto bytes = music::melody_to_midi(variant->melody, o.tempo);
    if (!bytes) return report(bytes.error());
    if (auto w = base::write_file_atomic(o.midi_out, *bytes); !w) return report(w.error());
  }
  if (o.json) {
    Json j{{"theme", t->name},
           {"melody", text},
           {"key", music::to_string(variant->key)},
           {"derivation", variant->derivation()},
           {"steps", music::to_string(variant->steps)},
           {"recognisability", std::round(score * 1000) / 1000}};
    if (variant->harmony) j["harmony"] = *variant->harmony;
    if (variant->instrument) j["instrument"] = *variant->instrument;
    if (!o.midi_out.empty()) j["midi"] = o.midi_out;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << t->name << " (" << t->stands_for << "), " << variant->derivation() << "\n";
  std::cout << "  theme            " << music::to_text(music->melody, {.key = music->key}) << "  ("
            << music::to_string(music->key) << ")\n";
  std::cout << "  variant          " << text << "  (" << music::to_string(variant->key) << ")\n";
  if (variant->harmony) std::cout << "  harmony          " << *variant->harmony << "\n";
  if (variant->instrument) std::cout << "  instrument       " << *variant->instrument << "\n";
  std::cout << "  steps            " << music::to_string(variant->steps) << "\n";
  std::cout << "  recognisability  " << base::fixed(score, 3) << "\n";
  if (!o.midi_out.empty()) std::cout << "wrote " << o.midi_out << "\n";
  return kExitOk;
}

}  // namespace

void add_themes_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<ThemesOptions>();
  CLI::App* themes = app.add_subcommand(
      "themes", "The project's themes (leitmotifs): list, show, add, remove, tag, vary");
  themes->add_option("project", o->project, "The project folder")->required();
  themes->require_subcommand(1);
  themes->footer(
      "Melodies are written in the compact text of docs/themes.md: 'C4q D4e E4e G4h | A4q.'.\n"
      "Examples:\n"
      "  duet themes film add keeper --stands-for 'the old keeper' --text '4/4 D4q. F4e A4q D5q'\n"
      "  duet themes film add sea --stands-for 'the sea' --midi sea.mid --track 3 --bars 1-4\n"
      "  duet themes film tag keeper --cue 1M1 --cue 1M3\n"
      "  duet themes film vary keeper --transpose 5 --mode major --augment 2 --midi keeper2.mid");

  CLI::App* list = themes->add_subcommand("list", "List the themes");
  list->add_flag("--json", o->json, "Print JSON");
  list->callback([o, &exit_code] { exit_code = run_list(*o); });

  CLI::App* show = themes->add_subcommand("show", "Show a theme and its notes");
  show->add_option("name", o->name, "The theme's name")->required();
  show->add_flag("--json", o->json, "Print JSON");
  show->callback([o, &exit_code] { exit_code = run_show(*o); });

  CLI::App* add = themes->add_subcommand("add", "Add a theme from text, MIDI or MusicXML");
  add->add_option("name", o->name, "The theme's name (cues tag it by this name)")->required();
  add->add_option("--stands-for", o->stands_for, "Who or what it stands for")->required();
  add->add_option("--text", o->text, "The melody as compact text ('C4q D4e E4e G4h | ...')");
  add->add_option("--midi", o->midi, "A MIDI file: a track, or the highest line of all tracks");
  add->add_option("--track", o->track, "The MIDI track, numbered as 'duet midi info' does");
  add->add_option("--bars", o->bars, "The MIDI bars to take, such as 1-4");
  add->add_option("--musicxml", o->musicxml, "A partwise MusicXML file (.musicxml, .xml)");
  add->add_option("--part", o->part, "The MusicXML part by name or id (default the first)");
  add->add_option("--key", o->key, "The key, such as 'D minor' (default found from the notes)");
  add->add_option("--harmony", o->harmony, "Chord symbols under the theme ('Dm | Bb F | C')");
  add->add_flag("--replace", o->replace,
                "Replace a theme of that name (the old one is kept in history/themes/)");
  add->callback([o, &exit_code] { exit_code = run_add(*o); });

  CLI::App* remove = themes->add_subcommand("remove", "Remove a theme");
  remove->add_option("name", o->name, "The theme's name")->required();
  remove->callback([o, &exit_code] { exit_code = run_remove(*o); });

  CLI::App* tag = themes->add_subcommand(
      "tag", "Tag cues with a theme, so that duet compose features it there (or --untag)");
  tag->add_option("name", o->name, "The theme's name")->required();
  tag->add_option("--cue", o->cues, "A cue id such as 1M3 (repeat for more)");
  tag->add_flag("--all", o->all, "Every cue of the project");
  tag->add_flag("--untag", o->untag, "Take the tag off instead");
  tag->callback([o, &exit_code] { exit_code = run_tag(*o); });

  CLI::App* vary = themes->add_subcommand(
      "vary", "Print a variant of a theme, how it was derived and how recognisable it is");
  vary->add_option("name", o->name, "The theme's name")->required();
  vary->add_option("--transpose", o->transpose, "Transpose by semitones");
  vary->add_option("--diatonic", o->diatonic, "Transpose by scale steps in the theme's key");
  vary->add_option("--mode", o->mode, "Change mode: major, minor, dorian, phrygian, lydian...");
  vary->add_option("--to-key", o->to_key, "Move into another key, such as 'E dorian'");
  vary->add_option("--augment", o->augment, "Augment by a ratio: 2, 3/2, 1/2 (diminution)");
  vary->add_option("--fragment", o->fragment, "Keep the first N notes (the head motif)");
  vary->add_option("--fragment-bars", o->fragment_bars, "Keep the first N bars");
  vary->add_flag("--invert", o->invert, "Invert around the first note, in the key");
  vary->add_flag("--retrograde", o->retrograde, "Play it backwards");
  vary->add_option("--displace", o->displace, "Shift by quarter notes: 1/2, 1, -1/4");
  vary->add_option("--reharmonize", o->reharmonize, "Chord symbols for the cue writer");
  vary->add_option("--reorchestrate", o->reorchestrate, "An instrument for the cue writer");
  vary->add_option("--steps", o->steps,
                   "The steps in your order instead: 'transpose +5; mode minor; augment 2'");
  vary->add_option("--midi", o->midi_out, "Write the variant as a MIDI file");
  vary->add_option("--tempo", o->tempo, "Tempo of that file in quarters per minute (100)");
  vary->add_flag("--json", o->json, "Print JSON");
  vary->callback([o, &exit_code] { exit_code = run_vary(*o); });
}

}  // namespace duet::cli
