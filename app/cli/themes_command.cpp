// duet themes PROJECT list|show|add|remove|tag|vary: the project's theme (leitmotif) registry and
// the variants of a theme (src/music/theme*.h).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "base/text.h"
#include "commands.h"
#include "engine/session.h"
#include "music/theme.h"
#include "music/theme_transform.h"
#include "output.h"
#include "spot/cue.h"

namespace duet::cli {
namespace {

using base::ErrorKind;
using base::make_error;

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

// The engine's error; after a theme name the project lacks, the command that lists its themes.
int report_theme(const base::Error& error, const engine::Session& session, const ThemesOptions& o) {
  if (engine::theme_named(session.project().manifest(), o.name) != nullptr) return report(error);
  return report(base::Error{error.kind, error.message + " ('duet themes " + o.project + " list')"});
}

// ---- list ----

int run_list(const ThemesOptions& o) {
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  const engine::ThemeList list = session->themes();
  if (o.json) {
    std::cout << engine::to_json(list).dump(2) << "\n";
    return kExitOk;
  }
  if (list.themes.empty()) {
    std::cout << "no themes; add one with 'duet themes " << o.project
              << " add NAME --stands-for TEXT --text ...'\n";
    return kExitOk;
  }
  Table table({"theme", "stands for", "key", "notes", "melody"});
  for (const auto& [t, notes] : list.themes) {
    std::string melody = t.melody.size() > 40 ? t.melody.substr(0, 37) + "..." : t.melody;
    table.add({t.name, t.stands_for, t.key.empty() ? "-" : t.key,
               notes ? std::to_string(*notes) : "-", melody.empty() ? "-" : melody});
  }
  table.print(std::cout);
  return kExitOk;
}

// ---- show ----

int run_show(const ThemesOptions& o) {
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  auto shown = session->show_theme(o.name);
  if (!shown) return report_theme(shown.error(), *session, o);
  if (o.json) {
    std::cout << engine::to_json(*shown).dump(2) << "\n";
    return kExitOk;
  }
  const project::Theme& t = shown->theme;
  std::cout << t.name << ": " << t.stands_for << "\n";
  if (!shown->music) {
    std::cout << "  no melody yet" << (t.midi.empty() ? "" : " (MIDI file " + t.midi + ")") << "\n";
    return kExitOk;
  }
  const music::Melody& m = shown->music->melody;
  const music::Key& key = shown->music->key;
  std::cout << "  key      " << music::to_string(key)
            << (shown->music->key_found ? " (found from the notes)" : "") << "\n";
  std::cout << "  melody   " << t.melody << "\n";
  if (!t.harmony.empty()) std::cout << "  harmony  " << t.harmony << "\n";
  std::cout << "  " << m.notes.size() << " notes, " << engine::quarters_text(m.length.ticks())
            << " quarters" << (m.meter ? " in " + m.meter->to_string() : "") << "\n";
  Table table({"#", "start", "length", "pitch", "midi"});
  for (std::size_t i = 0; i < m.notes.size(); ++i) {
    const auto& n = m.notes[i];
    table.add({std::to_string(i + 1), engine::quarters_text(n.start.ticks()),
               engine::quarters_text(n.length.ticks()), engine::note_name(n.pitch, key),
               std::to_string(n.pitch)});
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
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  engine::AddThemeRequest request;
  request.name = o.name;
  request.stands_for = o.stands_for;
  request.key = o.key;
  request.harmony = o.harmony;
  request.replace = o.replace;
  request.by = "duet themes add --replace";
  if (!o.text.empty()) {
    request.source = engine::ThemeText{o.text};
  } else if (!o.midi.empty()) {
    if (o.track < 0) return usage_error("--track counts from 1 ('duet midi info' lists them)");
    engine::ThemeMidi midi{o.midi, o.track};
    if (!o.bars.empty()) {
      auto bars = parse_bars(o.bars);
      if (!bars) return report(bars.error());
      std::tie(midi.first_bar, midi.last_bar) = *bars;
    }
    request.source = midi;
  } else {
    request.source = engine::ThemeMusicXml{o.musicxml, o.part};
  }
  auto added = session->add_theme(request);
  if (!added) return report(added.error());
  print_warnings(added->warnings);
  std::cout << (added->replaced ? "replaced" : "added") << " theme '" << o.name << "' ("
            << added->notes << (added->notes == 1 ? " note from " : " notes from ") << added->source
            << ", " << added->theme.key << (added->key_found ? ", key found from the notes" : "")
            << ")\n  " << added->theme.melody << "\nsaved " << added->manifest.generic_string();
  if (added->replaced) {
    std::cout << ", the theme before is kept in " << added->history.generic_string() << "/";
  }
  std::cout << "\n";
  return kExitOk;
}

// ---- remove ----

int run_remove(const ThemesOptions& o) {
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  auto removed = session->remove_theme({.name = o.name, .by = "duet themes remove"});
  if (!removed) return report_theme(removed.error(), *session, o);
  std::cout << "removed theme '" << o.name << "'; saved " << removed->manifest.generic_string()
            << ", the theme is kept in " << removed->history.generic_string() << "/\n";
  if (const std::size_t tagged = removed->still_tagged; tagged > 0) {
    std::cout << "note: " << tagged << (tagged == 1 ? " cue still tags it" : " cues still tag it")
              << "; 'duet validate " << o.project << "' lists them\n";
  }
  return kExitOk;
}

// ---- tag ----

// Tags cues with the theme (or takes the tag off): the cue writer features a theme where a cue
// tags it.
int run_tag(const ThemesOptions& o) {
  if (o.all == !o.cues.empty()) return usage_error("give --cue ID (one or more) or --all");
  engine::TagThemeRequest request;
  request.name = o.name;
  request.all = o.all;
  request.untag = o.untag;
  request.by = "duet themes tag";
  for (const std::string& text : o.cues) {
    auto id = spot::parse_cue_id(text);
    if (!id) return usage_error("--cue: " + id.error().message);
    request.cues.push_back(*id);
  }
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  auto tagged = session->tag_theme(request);
  if (!tagged) return report_theme(tagged.error(), *session, o);
  for (const auto& id : tagged->changed)
    std::cout << (o.untag ? "untagged " : "tagged ") << id.to_string() << "\n";
  const std::size_t changed = tagged->changed.size();
  std::cout << changed << (changed == 1 ? " cue" : " cues") << " changed";
  if (changed > 0) std::cout << "; saved " << tagged->manifest.generic_string();
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
  auto steps = steps_from(o);
  if (!steps) return report(steps.error());
  if (steps->empty()) {
    return usage_error(
        "say how to vary the theme: --transpose, --mode, --augment, --fragment, --invert, "
        "--retrograde, --displace... or --steps 'transpose +5; mode minor'");
  }
  auto session = engine::Session::open(o.project);
  if (!session) return report(session.error());
  auto varied =
      session->vary_theme({.name = o.name, .steps = *steps, .midi = o.midi_out, .tempo = o.tempo});
  if (!varied) return report_theme(varied.error(), *session, o);
  if (o.json) {
    std::cout << engine::to_json(*varied).dump(2) << "\n";
    return kExitOk;
  }
  const music::Variant& v = varied->variant;
  const engine::ThemeMusic& theme = varied->music;
  std::cout << varied->theme.name << " (" << varied->theme.stands_for << "), " << v.derivation()
            << "\n";
  std::cout << "  theme            " << music::to_text(theme.melody, {.key = theme.key}) << "  ("
            << music::to_string(theme.key) << ")\n";
  std::cout << "  variant          " << varied->text << "  (" << music::to_string(v.key) << ")\n";
  if (v.harmony) std::cout << "  harmony          " << *v.harmony << "\n";
  if (v.instrument) std::cout << "  instrument       " << *v.instrument << "\n";
  std::cout << "  steps            " << music::to_string(v.steps) << "\n";
  std::cout << "  recognisability  " << base::fixed(varied->recognisability, 3) << "\n";
  if (!o.midi_out.empty()) std::cout << "wrote " << o.midi_out << "\n";
  return kExitOk;
}

// The themes subcommands take the project before their own name (duet themes PROJECT add ...):
// their usage line says so, where CLI11 would print "duet themes add [OPTIONS] name".
class ProjectFirstFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    std::string usage = CLI::Formatter::make_usage(app, std::move(name));
    const std::string command = "themes ";
    if (const auto at = usage.find(command); at != std::string::npos)
      usage.insert(at + command.size(), "PROJECT ");
    return usage;
  }
};

}  // namespace

CLI::App* themes_subcommand_before_project(CLI::App& app, int argc, char** argv) {
  if (argc < 3 || std::string(argv[1]) != "themes") return nullptr;
  for (CLI::App* sub : app.get_subcommand("themes")->get_subcommands({})) {
    if (sub->get_name() == argv[2]) return sub;
  }
  return nullptr;
}

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
  const auto formatter = std::make_shared<ProjectFirstFormatter>();
  for (CLI::App* sub : themes->get_subcommands(nullptr))
    sub->formatter(formatter);
}

}  // namespace duet::cli
