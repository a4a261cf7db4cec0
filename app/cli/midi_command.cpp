// duet midi info: what a Standard MIDI File holds.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/file.h"
#include "commands.h"
#include "midi/gm.h"
#include "midi/summary.h"
#include "output.h"

namespace duet::cli {
namespace {

struct InfoOptions {
  std::string path;
  bool json = false;
};

// "3:25.500"
std::string clock_text(time::TimeDur d) {
  const std::int64_t ms = time::mul_div_round(d.ticks(), 1000, time::kSuperclockPerSecond);
  const std::int64_t minutes = ms / 60000;
  const std::int64_t rest = ms % 60000;
  std::string millis = std::to_string(rest % 1000);
  millis.insert(0, 3 - millis.size(), '0');
  std::string secs = std::to_string(rest / 1000);
  if (secs.size() < 2) secs.insert(0, "0");
  return std::to_string(minutes) + ":" + secs + "." + millis;
}

std::string division_text(const midi::Division& d) {
  if (d.kind == midi::Division::Kind::ppq) {
    return std::to_string(d.ticks_per_quarter) + " ticks per quarter";
  }
  return std::string(d.smpte_fps == 29 ? "29.97 drop-frame" : std::to_string(d.smpte_fps)) +
         " fps SMPTE division, " + std::to_string(d.ticks_per_frame) + " ticks per frame";
}

// bar|beat|tick with the tick at the file's own resolution (the header's "960 ticks per
// quarter"), not duet's 1,920 per quarter, so that a position reads as the DAW shows it.
std::string bbt_text(const midi::FileSummary& s, time::BeatPos at) {
  time::BBT bbt = s.timeline.tempo_map().bbt_at(at);
  bbt.tick = static_cast<int>(std::int64_t{bbt.tick} * s.division.ticks_per_quarter /
                              time::kTicksPerQuarter);
  return bbt.to_string();
}

std::string position_text(const midi::FileSummary& s, std::int64_t tick) {
  auto beat = s.timeline.beat_of(tick);
  if (!beat) return "tick " + std::to_string(tick);
  return bbt_text(s, *beat);
}

std::string programs_text(const midi::TrackSummary& t) {
  if (t.channels.size() == 1 && t.channels[0] == midi::kGmDrumChannel) return "drums";
  std::string out;
  for (int p : t.programs) {
    if (!out.empty()) out += ", ";
    out += std::string(midi::gm_program_name(p)) + " (" + std::to_string(p + 1) + ")";
  }
  return out.empty() ? "-" : out;
}

int run_info(const InfoOptions& o) {
  auto bytes = base::read_file(o.path, std::uintmax_t{256} << 20);
  if (!bytes) return report(bytes.error());
  auto read = midi::read_smf(*bytes);
  if (!read) return report(read.error().with_context(o.path));
  const midi::FileSummary s = midi::summarize(read->file);
  const auto& map = s.timeline.tempo_map();
  std::vector<std::string> warnings;
  for (const auto& w : read->warnings)
    warnings.push_back(w.message);
  for (const auto& w : s.warnings)
    warnings.push_back(w.message);

  if (o.json) {
    nlohmann::json j;
    j["file"] = o.path;
    j["format"] = s.format;
    if (s.division.kind == midi::Division::Kind::ppq) {
      j["ticks_per_quarter"] = s.division.ticks_per_quarter;
    } else {
      j["smpte_fps"] = s.division.smpte_fps;
      j["ticks_per_frame"] = s.division.ticks_per_frame;
    }
    j["notes"] = s.notes;
    j["end_tick"] = s.end_tick;
    j["duration_seconds"] = time::seconds(s.duration);
    j["tracks"] = nlohmann::json::array();
    for (const auto& t : s.tracks) {
      nlohmann::json programs = nlohmann::json::array();
      for (int p : t.programs) {
        programs.push_back({{"program", p}, {"name", midi::gm_program_name(p)}});
      }
      nlohmann::json track{{"index", t.index},           {"name", t.name},
                           {"instrument", t.instrument}, {"events", t.events},
                           {"notes", t.notes},           {"channels", t.channels},
                           {"programs", programs},       {"end_tick", t.end_tick}};
      if (t.notes > 0) track["range"] = {t.lowest_key, t.highest_key};
      j["tracks"].push_back(track);
    }
    if (s.timeline.has_beats()) {
      j["tempos"] = nlohmann::json::array();
      for (const auto& c : map.tempo_changes()) {
        j["tempos"].push_back({{"bbt", bbt_text(s, c.at)},
                               {"seconds", time::seconds(map.time_at(c.at))},
                               {"qpm", c.tempo.quarters_per_minute().to_double()}});
      }
      j["meters"] = nlohmann::json::array();
      for (const auto& c : map.meters().changes()) {
        j["meters"].push_back({{"bar", map.bbt_at(c.at).bar}, {"meter", c.meter.to_string()}});
      }
    }
    j["keys"] = nlohmann::json::array();
    for (const auto& k : s.keys) {
      j["keys"].push_back({{"position", position_text(s, k.tick)}, {"key", midi::key_name(k.key)}});
    }
    j["markers"] = nlohmann::json::array();
    for (const auto& m : s.markers) {
      j["markers"].push_back({{"position", position_text(s, m.tick)},
                              {"seconds", time::seconds(s.timeline.time_of_tick(m.tick))},
                              {"text", m.text}});
    }
    if (s.smpte_start) {
      j["smpte_start"] = time::format_timecode(
          time::timecode_at(s.smpte_start->position, s.smpte_start->rate), s.smpte_start->rate);
    }
    j["warnings"] = warnings;
    // Text in MIDI files is bytes in no declared encoding; replace what is not UTF-8.
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }

  std::cout << o.path << ": format " << s.format << ", " << division_text(s.division) << ", "
            << s.tracks.size() << (s.tracks.size() == 1 ? " track, " : " tracks, ") << s.notes
            << (s.notes == 1 ? " note, " : " notes, ") << clock_text(s.duration) << "\n";
  if (s.smpte_start) {
    std::cout << "starts at "
              << time::format_timecode(
                     time::timecode_at(s.smpte_start->position, s.smpte_start->rate),
                     s.smpte_start->rate)
              << " (" << s.smpte_start->rate.name() << ", SMPTE offset)\n";
  }
  if (s.timeline.has_beats()) {
    constexpr std::size_t kShown = 12;
    const auto& tempos = map.tempo_changes();
    std::cout << "tempo:";
    for (std::size_t i = 0; i < tempos.size() && i < kShown; ++i) {
      std::cout << (i ? ", " : " ") << tempos[i].tempo.quarters_per_minute().to_decimal(2) << " at "
                << bbt_text(s, tempos[i].at);
    }
    if (tempos.size() > kShown) std::cout << " and " << tempos.size() - kShown << " more";
    std::cout << "\nmeter:";
    const auto& meters = map.meters().changes();
    for (std::size_t i = 0; i < meters.size() && i < kShown; ++i) {
      std::cout << (i ? ", " : " ") << meters[i].meter.to_string() << " at bar "
                << map.bbt_at(meters[i].at).bar;
    }
    if (meters.size() > kShown) std::cout << " and " << meters.size() - kShown << " more";
    std::cout << "\n";
  } else {
    std::cout << "no musical time: the file counts SMPTE frames, not beats\n";
  }
  if (!s.keys.empty()) {
    std::cout << "key:";
    for (std::size_t i = 0; i < s.keys.size(); ++i) {
      std::cout << (i ? ", " : " ") << midi::key_name(s.keys[i].key) << " at "
                << position_text(s, s.keys[i].tick);
    }
    std::cout << "\n";
  }
  for (const auto& m : s.markers) {
    std::cout << (m.kind == midi::TextKind::marker ? "marker " : "cue point ")
              << position_text(s, m.tick) << "  "
              << clock_text(s.timeline.time_of_tick(m.tick) - time::TimePos(0)) << "  " << m.text
              << "\n";
  }
  Table table({"track", "name", "notes", "channels", "instruments", "range"});
  for (const auto& t : s.tracks) {
    std::string channels;
    for (int c : t.channels)
      channels += (channels.empty() ? "" : ",") + std::to_string(c + 1);
    const std::string range = t.notes == 0 ? "-"
                                           : midi::key_number_name(t.lowest_key) + "-" +
                                                 midi::key_number_name(t.highest_key);
    table.add({std::to_string(t.index + 1), t.name.empty() ? "-" : t.name, std::to_string(t.notes),
               channels.empty() ? "-" : channels, programs_text(t), range});
  }
  std::cout << "\n";
  table.print(std::cout);
  if (!warnings.empty()) {
    std::cout << "\n"
              << warnings.size() << (warnings.size() == 1 ? " warning" : " warnings")
              << " (the file was read anyway):\n";
    for (const auto& w : warnings)
      std::cout << "  " << w << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_midi_command(CLI::App& app, int& exit_code) {
  CLI::App* midi = app.add_subcommand("midi", "Inspect Standard MIDI Files");
  midi->require_subcommand(1);
  auto options = std::make_shared<InfoOptions>();
  CLI::App* info = midi->add_subcommand(
      "info", "Print a MIDI file's tracks, note counts, instruments, tempo map, meters and length");
  info->add_option("file", options->path, "The .mid file")->required();
  info->add_flag("--json", options->json, "Print JSON");
  info->footer(
      "Tracks and channels are numbered from 1, programs by their General MIDI number (1-128).\n"
      "Damage that real files often have (a missing end-of-track, a note that never ends) is read\n"
      "with a warning; a file that cannot be read gives the byte offset of the problem.");
  info->callback([options, &exit_code] { exit_code = run_info(*options); });
}

}  // namespace duet::cli
