// duet theory: key finding and chord recognition on a MIDI file, and their evaluation on POP909.
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "midi/smf.h"
#include "midi/timing.h"
#include "model/pop909_eval.h"
#include "music/chord_recognition.h"
#include "music/key_finding.h"
#include "output.h"
#include "progress.h"

namespace duet::cli {
namespace {

struct TheoryOptions {
  std::string path;
  std::string profile = "albrecht-shanahan";
  std::string classes = "all";
  std::string dir = "../shared/data/pop909";
  std::size_t limit = 0;
  bool json = false;
};

// A MIDI file's pitched notes (channel 10, General MIDI drums, left out) in quarter notes, and
// its tempo map.
struct FileNotes {
  std::vector<music::TimedNote> notes;
  time::TempoMap map;
};

base::Result<FileNotes> read_notes(const std::string& path) {
  auto bytes = base::read_file(path, std::uintmax_t{256} << 20);
  if (!bytes) return bytes.error();
  auto read = midi::read_smf(*bytes);
  if (!read) return read.error().with_context(path);
  const midi::MidiFile& file = read->file;
  if (file.division.kind != midi::Division::Kind::ppq) {
    return base::make_error(base::ErrorKind::unsupported, path,
                            ": the file counts time in SMPTE frames and has no beats to find "
                            "chords on");
  }
  FileNotes out;
  const midi::Timeline timeline = midi::Timeline::of(file);
  out.map = timeline.tempo_map();
  const int ppq = file.division.ticks_per_quarter;
  const auto quarters = [&](std::int64_t tick) {
    return static_cast<double>(midi::beat_of_tick(tick, ppq).ticks()) /
           static_cast<double>(time::kTicksPerQuarter);
  };
  for (const midi::Track& track : file.tracks) {
    for (const midi::Note& note : midi::pair_notes(track)) {
      if (note.channel == 9) continue;
      const double start = quarters(note.start);
      out.notes.push_back({note.key, start, quarters(note.start + note.duration) - start, 1.0});
    }
  }
  if (out.notes.empty()) {
    return base::make_error(base::ErrorKind::invalid_input, path,
                            ": no pitched notes (drums on channel 10 are not counted)");
  }
  return out;
}

base::Result<music::KeyProfile> profile_of(const std::string& name) {
  for (music::KeyProfile profile : music::all_key_profiles()) {
    if (music::to_string(profile) == name) return profile;
  }
  return base::make_error(base::ErrorKind::invalid_input, "unknown key profile '", name,
                          "' (use krumhansl-kessler, temperley, albrecht-shanahan or "
                          "aarden-essen)");
}

std::string key_name(const music::KeyEstimate& estimate) {
  return music::to_string(music::to_key(estimate));
}

int run_key(const TheoryOptions& o) {
  auto profile = profile_of(o.profile);
  if (!profile) return usage_error(profile.error().message);
  auto notes = read_notes(o.path);
  if (!notes) return report(notes.error());
  const auto ranked = music::rank_keys(music::pitch_class_histogram(notes->notes), *profile);
  if (o.json) {
    nlohmann::json j;
    j["file"] = o.path;
    j["profile"] = o.profile;
    j["key"] = key_name(ranked.front());
    j["correlation"] = ranked.front().correlation;
    nlohmann::json alternatives = nlohmann::json::array();
    for (std::size_t i = 1; i < 5; ++i) {
      alternatives.push_back(
          {{"key", key_name(ranked[i])}, {"correlation", ranked[i].correlation}});
    }
    j["alternatives"] = alternatives;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "key  " << key_name(ranked.front()) << "  (correlation "
            << base::fixed(ranked.front().correlation, 3) << ", " << o.profile << " profile)\n";
  Table table({"next", "correlation"});
  for (std::size_t i = 1; i < 5; ++i) {
    table.add({key_name(ranked[i]), base::fixed(ranked[i].correlation, 3)});
  }
  table.print(std::cout);
  return kExitOk;
}

int run_chords(const TheoryOptions& o) {
  music::ChordRecognitionOptions options;
  if (o.classes == "majmin") {
    options.classes = {music::TriadClass::maj, music::TriadClass::min};
  } else if (o.classes != "all") {
    return usage_error("--classes takes all or majmin, not '" + o.classes + "'");
  }
  auto notes = read_notes(o.path);
  if (!notes) return report(notes.error());
  // One segment per beat of the file's meter (a quarter in 4/4, an eighth in 6/8).
  double end = 0;
  for (const auto& n : notes->notes)
    end = std::max(end, n.onset + n.duration);
  std::vector<double> boundaries;
  for (time::BeatPos b(0);; b += notes->map.meter_at(b).beat_length()) {
    const double q = static_cast<double>(b.ticks()) / static_cast<double>(time::kTicksPerQuarter);
    boundaries.push_back(q);
    if (q >= end) break;
  }
  const auto spans = music::recognize_chords(notes->notes, boundaries, options);
  const auto position = [&](double quarters) {
    return time::BeatPos(static_cast<std::int64_t>(
        std::llround(quarters * static_cast<double>(time::kTicksPerQuarter))));
  };
  const auto seconds = [&](double quarters) {
    return time::to_seconds(notes->map.time_at(position(quarters))).to_double();
  };
  if (o.json) {
    nlohmann::json j;
    j["file"] = o.path;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& span : spans) {
      list.push_back({{"bbt", notes->map.bbt_at(position(span.start)).to_string()},
                      {"start_seconds", seconds(span.start)},
                      {"end_seconds", seconds(span.end)},
                      {"chord", span.chord ? music::to_string(*span.chord) : "N"}});
    }
    j["chords"] = list;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  Table table({"bar|beat|tick", "seconds", "chord"});
  for (const auto& span : spans) {
    table.add({notes->map.bbt_at(position(span.start)).to_string(),
               base::fixed(seconds(span.start), 3),
               span.chord ? music::to_string(*span.chord) : "N"});
  }
  table.print(std::cout);
  return kExitOk;
}

int run_eval(const TheoryOptions& o) {
  model::Pop909EvalOptions options;
  options.limit = o.limit;
  ProgressBar bar("evaluating POP909");
  auto evaluation =
      model::evaluate_pop909(o.dir, options, [&](std::size_t done, std::size_t total) {
        bar.update(static_cast<double>(done) / static_cast<double>(total));
      });
  bar.finish();
  if (!evaluation) return report(evaluation.error());
  if (o.json) {
    nlohmann::json j;
    j["songs"] = evaluation->songs;
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& k : evaluation->keys) {
      keys.push_back({{"profile", music::to_string(k.profile)},
                      {"exact", k.exact_accuracy()},
                      {"mirex", k.mirex_score()},
                      {"fifth", k.fifth},
                      {"relative", k.relative},
                      {"parallel", k.parallel},
                      {"other", k.other}});
    }
    j["key_finding"] = keys;
    nlohmann::json chords = nlohmann::json::array();
    for (const auto& c : evaluation->chords) {
      chords.push_back({{"classes", c.name},
                        {"majmin", c.majmin.accuracy()},
                        {"triads", c.triads.accuracy()},
                        {"root", c.root.accuracy()},
                        {"majmin_seconds", c.majmin.scored}});
    }
    j["chord_recognition"] = chords;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "POP909, " << evaluation->songs
            << " songs\n\nkey finding (first key of key_audio.txt)\n";
  Table keys({"profile", "exact", "mirex", "fifth", "relative", "parallel", "other"});
  for (const auto& k : evaluation->keys) {
    keys.add({std::string(music::to_string(k.profile)), base::fixed(k.exact_accuracy(), 3),
              base::fixed(k.mirex_score(), 3), std::to_string(k.fifth), std::to_string(k.relative),
              std::to_string(k.parallel), std::to_string(k.other)});
  }
  keys.print(std::cout);
  std::cout << "\nchord recognition (chord_midi.txt, duration-weighted)\n";
  Table chords({"classes", "majmin", "triads", "root"});
  for (const auto& c : evaluation->chords) {
    chords.add({c.name, base::fixed(c.majmin.accuracy(), 3), base::fixed(c.triads.accuracy(), 3),
                base::fixed(c.root.accuracy(), 3)});
  }
  chords.print(std::cout);
  return kExitOk;
}

}  // namespace

void add_theory_command(CLI::App& app, int& exit_code) {
  CLI::App* theory = app.add_subcommand("theory", "Find the key and the chords of a MIDI file");
  theory->require_subcommand(1);
  auto options = std::make_shared<TheoryOptions>();

  CLI::App* key = theory->add_subcommand("key", "Find the key of a MIDI file from its notes");
  key->add_option("file", options->path, "The .mid file")->required();
  key->add_option("--profile", options->profile,
                  "Key profile: krumhansl-kessler, temperley, albrecht-shanahan (default) or "
                  "aarden-essen");
  key->add_flag("--json", options->json, "Print JSON");
  key->footer(
      "The duration-weighted pitch-class histogram of every pitched note is correlated with the\n"
      "24 rotations of the profile; the four next-best keys follow.");
  key->callback([options, &exit_code] { exit_code = run_key(*options); });

  CLI::App* chords =
      theory->add_subcommand("chords", "Name the chords of a MIDI file, beat by beat");
  chords->add_option("file", options->path, "The .mid file")->required();
  chords->add_option("--classes", options->classes,
                     "all (maj, min, dim, aug, sus; the default) or majmin");
  chords->add_flag("--json", options->json, "Print JSON");
  chords->footer(
      "Each beat of the file's meter is matched against triad templates (the bass weighs more)\n"
      "and a Viterbi pass keeps chords from flickering. N means no notes sound.");
  chords->callback([options, &exit_code] { exit_code = run_chords(*options); });

  CLI::App* eval = theory->add_subcommand(
      "eval-pop909", "Measure key finding and chord recognition against POP909's annotations");
  eval->add_option("--dir", options->dir, "The POP909 directory (default ../shared/data/pop909)");
  eval->add_option("--limit", options->limit, "Evaluate only the first N songs");
  eval->add_flag("--json", options->json, "Print JSON");
  eval->callback([options, &exit_code] { exit_code = run_eval(*options); });
}

}  // namespace duet::cli
