// duet cut show: what a CMX3600 edit decision list holds, as the picture cut duet works from.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/file.h"
#include "base/text.h"
#include "commands.h"
#include "output.h"
#include "picture/edl.h"
#include "time/timecode.h"

namespace duet::cli {
namespace {

using picture::Cut;
using picture::Fcm;

struct ShowOptions {
  std::string path;
  std::string rate;  // "" : not given (24, or 29.97 DF when the list says FCM: DROP FRAME)
  bool lenient = false;
  bool json = false;
};

std::string three(int number) {
  std::string s = std::to_string(number);
  if (s.size() < 3) s.insert(0, 3 - s.size(), '0');
  return s;
}

std::string transition_text(const picture::Transition& t) {
  std::string out = picture::transition_code(t);
  if (t.kind != picture::TransitionKind::cut || t.frames != 0) {
    out += " " + std::to_string(t.frames);
  }
  return out;
}

// "48 fps (2x)", "0 fps (freeze)", "-25 fps (reverse 1x)".
std::string speed_text(const picture::Speed& s, const time::FrameRate& rate) {
  const time::Rational ratio = s.fps / rate.fps();
  std::string out = s.fps.to_decimal(3) + " fps (";
  if (ratio == time::Rational(0)) return out + "freeze)";
  if (ratio < time::Rational(0)) return out + "reverse " + (-ratio).to_decimal(3) + "x)";
  return out + ratio.to_decimal(3) + "x)";
}

std::string seconds_text(time::TimeDur d) {
  return base::fixed(time::seconds(d), 3);
}

nlohmann::json transition_json(const picture::Transition& t) {
  nlohmann::json j{{"kind", std::string(picture::to_string(t.kind))},
                   {"code", picture::transition_code(t)},
                   {"frames", t.frames}};
  if (t.kind == picture::TransitionKind::wipe) j["wipe_code"] = t.wipe_code;
  return j;
}

nlohmann::json speed_json(const picture::Speed& s, const Cut& cut, Fcm fcm) {
  return {{"reel", s.reel},
          {"fps", s.fps.to_decimal(9)},
          {"ratio", (s.fps / cut.rate.fps()).to_decimal(6)},
          {"entry", cut.timecode(s.entry, fcm)}};
}

nlohmann::json cut_json(const std::string& path, const picture::EdlRead& read) {
  const Cut& cut = read.cut;
  nlohmann::json j;
  j["file"] = path;
  j["title"] = cut.title;
  j["fcm"] = std::string(picture::to_string(cut.fcm));
  j["rate"] = cut.rate_for(cut.fcm).name();
  j["comments"] = cut.comments;
  j["other_lines"] = cut.other_lines;
  nlohmann::json events = nlohmann::json::array();
  for (const picture::Event& e : cut.events) {
    nlohmann::json ej;
    ej["number"] = e.number;
    ej["fcm"] = std::string(picture::to_string(e.fcm));
    nlohmann::json edits = nlohmann::json::array();
    for (const picture::Edit& d : e.edits) {
      edits.push_back({{"reel", d.reel},
                       {"channels", d.channels},
                       {"extra_audio", d.extra_audio},
                       {"transition", transition_json(d.transition)},
                       {"source_in", cut.timecode(d.source_in, e.fcm)},
                       {"source_out", cut.timecode(d.source_out, e.fcm)},
                       {"record_in", cut.timecode(d.record_in, e.fcm)},
                       {"record_out", cut.timecode(d.record_out, e.fcm)},
                       {"clip_name", d.clip_name}});
    }
    ej["edits"] = edits;
    ej["speeds"] = nlohmann::json::array();
    for (const picture::Speed& s : e.speeds)
      ej["speeds"].push_back(speed_json(s, cut, e.fcm));
    ej["markers"] = nlohmann::json::array();
    for (const picture::Marker& m : e.markers) {
      ej["markers"].push_back({{"record", cut.timecode(m.frame, e.fcm)},
                               {"seconds", seconds_text(cut.time_of(m.frame) - time::TimePos(0))},
                               {"colour", m.colour},
                               {"text", m.text}});
    }
    ej["source_file"] = e.source_file;
    ej["effect_name"] = e.effect_name;
    ej["comments"] = e.comments;
    ej["other_lines"] = e.other_lines;
    events.push_back(ej);
  }
  j["events"] = events;
  nlohmann::json shots = nlohmann::json::array();
  for (const picture::Shot& s : cut.shots()) {
    const time::FrameRate r = cut.rate_for(cut.fcm);
    const auto tc = [&r](time::TimePos p) { return time::label_at(p, r); };
    nlohmann::json sj{{"event", s.event},
                      {"reel", s.reel},
                      {"clip_name", s.clip_name},
                      {"channels", s.channels},
                      {"source_in", tc(s.source_in)},
                      {"source_out", tc(s.source_out)},
                      {"record_in", tc(s.record_in)},
                      {"record_out", tc(s.record_out)},
                      {"record_in_ticks", s.record_in.ticks()},
                      {"record_out_ticks", s.record_out.ticks()},
                      {"frames", s.duration().ticks() / cut.rate.frame_duration().ticks()},
                      {"seconds", seconds_text(s.duration())},
                      {"transition", transition_json(s.transition)}};
    if (s.speed) sj["speed"] = speed_json(*s.speed, cut, cut.fcm);
    if (!s.source_file.empty()) sj["source_file"] = s.source_file;
    shots.push_back(sj);
  }
  j["shots"] = shots;
  j["skipped_events"] = read.skipped_events;
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : read.warnings)
    warnings.push_back(w.message);
  j["warnings"] = warnings;
  return j;
}

void print_text(const std::string& path, const picture::EdlRead& read) {
  const Cut& cut = read.cut;
  std::size_t lines = 0;
  bool fcm_changes = false;
  for (const picture::Event& e : cut.events) {
    lines += e.edits.size();
    fcm_changes = fcm_changes || e.fcm != cut.fcm;
  }
  const std::vector<picture::Shot> shots = cut.shots();
  std::cout << "file     " << path << "\n"
            << "title    " << (cut.title.empty() ? "(none)" : cut.title) << "\n"
            << "fcm      " << picture::to_string(cut.fcm)
            << (fcm_changes ? " (changes within the list)" : "") << "\n"
            << "rate     " << cut.rate_for(cut.fcm).name() << "\n"
            << "events   " << cut.events.size() << " (" << lines << " lines), " << shots.size()
            << (shots.size() == 1 ? " shot" : " shots");
  if (read.skipped_events > 0) std::cout << ", " << read.skipped_events << " skipped";
  std::cout << "\n";
  if (!shots.empty()) {
    time::TimePos first = shots.front().record_in;
    time::TimePos last = shots.front().record_out;
    for (const auto& s : shots) {
      first = std::min(first, s.record_in);
      last = std::max(last, s.record_out);
    }
    const time::FrameRate r = cut.rate_for(cut.fcm);
    std::cout << "picture  " << time::label_at(first, r) << " to " << time::label_at(last, r)
              << " (" << seconds_text(last - first) << " s)\n";
  }

  if (!cut.events.empty()) {
    std::cout << "\nEvents\n";
    Table t(
        {"#", "reel", "ch", "trans", "source in", "source out", "record in", "record out", "clip"});
    for (const picture::Event& e : cut.events) {
      for (const picture::Edit& d : e.edits) {
        std::string ch = d.channels;
        for (int a : d.extra_audio)
          ch += "+A" + std::to_string(a);
        t.add({three(e.number), d.reel, ch, transition_text(d.transition),
               cut.timecode(d.source_in, e.fcm), cut.timecode(d.source_out, e.fcm),
               cut.timecode(d.record_in, e.fcm), cut.timecode(d.record_out, e.fcm),
               d.clip_name.empty() ? std::string("-") : d.clip_name});
      }
    }
    t.print(std::cout);
  }

  if (!shots.empty()) {
    std::cout << "\nShots (picture, in record order)\n";
    const time::FrameRate r = cut.rate_for(cut.fcm);
    const auto tc = [&r](time::TimePos p) { return time::label_at(p, r); };
    Table t({"shot", "event", "reel", "source in", "source out", "record in", "record out",
             "frames", "seconds", "in", "speed", "clip"});
    int n = 0;
    for (const picture::Shot& s : shots) {
      const std::int64_t frames = s.duration().ticks() / cut.rate.frame_duration().ticks();
      t.add({std::to_string(++n), three(s.event), s.reel, tc(s.source_in), tc(s.source_out),
             tc(s.record_in), tc(s.record_out), std::to_string(frames), seconds_text(s.duration()),
             s.transition.kind == picture::TransitionKind::cut
                 ? std::string("cut")
                 : std::string(picture::to_string(s.transition.kind)) + " " +
                       std::to_string(s.transition.frames),
             s.speed ? speed_text(*s.speed, cut.rate) : std::string("-"),
             s.clip_name.empty() ? std::string("-") : s.clip_name});
    }
    t.print(std::cout);
  }

  bool any_speed = false;
  bool any_marker = false;
  for (const picture::Event& e : cut.events) {
    any_speed = any_speed || !e.speeds.empty();
    any_marker = any_marker || !e.markers.empty();
  }
  if (any_speed) {
    std::cout << "\nSpeed changes (M2)\n";
    Table t({"event", "reel", "speed", "source entry"});
    for (const picture::Event& e : cut.events) {
      for (const picture::Speed& s : e.speeds)
        t.add({three(e.number), s.reel, speed_text(s, cut.rate), cut.timecode(s.entry, e.fcm)});
    }
    t.print(std::cout);
  }
  if (any_marker) {
    std::cout << "\nMarkers (LOC)\n";
    Table t({"record", "event", "colour", "text"});
    for (const picture::Event& e : cut.events) {
      for (const picture::Marker& m : e.markers)
        t.add({cut.timecode(m.frame, e.fcm), three(e.number), m.colour.empty() ? "-" : m.colour,
               m.text.empty() ? "-" : m.text});
    }
    t.print(std::cout);
  }
}

int run_show(const ShowOptions& o) {
  auto rate = time::FrameRate::parse(o.rate.empty() ? "24" : o.rate);
  if (!rate) return report(rate.error());
  // EDLs are text of a few hundred kilobytes; the guard keeps a film from being read as one.
  auto bytes = base::read_file(o.path, std::uintmax_t{64} << 20);
  if (!bytes) return report(bytes.error());
  picture::EdlOptions options;
  options.rate = *rate;
  options.rate_from_fcm = o.rate.empty();
  options.lenient = o.lenient;
  const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  auto read = picture::read_edl(text, options);
  if (!read) {
    return report(base::Error{
        read.error().kind,
        o.path + ": " + read.error().message + (o.lenient ? "" : " (--lenient skips bad events)")});
  }
  for (const auto& w : read->warnings)
    std::cerr << "duet: warning: " << o.path << ": " << w.message << "\n";
  if (o.json) {
    std::cout << cut_json(o.path, *read).dump(2) << "\n";
  } else {
    print_text(o.path, *read);
  }
  return kExitOk;
}

}  // namespace

void add_cut_command(CLI::App& app, int& exit_code) {
  CLI::App* cut = app.add_subcommand("cut", "Read picture cuts (CMX3600 edit decision lists)");
  cut->require_subcommand(1);
  auto options = std::make_shared<ShowOptions>();
  CLI::App* show = cut->add_subcommand(
      "show", "Print a CMX3600 EDL as a cut: events, shots, transitions, speed changes, markers");
  show->add_option("edl", options->path, "The EDL file")->required();
  show->add_option("-r,--rate", options->rate,
                   "Frame rate of the list (EDLs do not say): 23.976, 24, 25, 29.97, 30, 50, "
                   "59.94, 60...; FCM: DROP FRAME at 29.97 or 30 means 29.97 DF. Default 24, "
                   "or 29.97 DF when the list's first FCM line says DROP FRAME");
  show->add_flag("--lenient", options->lenient,
                 "Skip malformed events with a warning instead of stopping");
  show->add_flag("--json", options->json, "Print JSON");
  show->footer(
      "Examples:\n"
      "  duet cut show reel1.edl --rate 24\n"
      "  duet cut show premiere.edl --rate 29.97 --json\n"
      "Warnings go to stderr; a malformed line stops the reading with its line number unless "
      "--lenient.");
  show->callback([options, &exit_code] { exit_code = run_show(*options); });
}

}  // namespace duet::cli
