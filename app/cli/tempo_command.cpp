// duet tempo: print where the bars and beats of a tempo map fall, in seconds and timecode.
#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "output.h"
#include "time/tempo_map_text.h"
#include "time/timecode.h"
#include "values.h"

namespace duet::cli {
namespace {

using time::BBT;
using time::BeatPos;
using time::FrameRate;
using time::TempoMap;
using time::TimePos;

struct TempoOptions {
  std::vector<std::string> tempos;
  std::vector<std::string> meters;
  std::vector<std::string> at;
  std::int64_t bars = 0;
  bool beats = false;
  std::string rate;
  std::string start;
  bool json = false;
};

std::string tempo_text(double qpm) {
  return time::Rational(std::llround(qpm * 1000), 1000).to_decimal(3);
}

struct Row {
  BBT bbt;
  BeatPos beat;
  TimePos time;
};

int run_tempo(const TempoOptions& o) {
  std::optional<FrameRate> rate;
  if (!o.rate.empty()) {
    auto parsed = FrameRate::parse(o.rate);
    if (!parsed) return report(parsed.error());
    rate = *parsed;
  }
  TimePos origin(0);
  if (!o.start.empty()) {
    if (!rate) return usage_error("--start needs --rate, to read the timecode");
    auto tc = time::parse_timecode(o.start, *rate);
    if (!tc) return report(tc.error());
    origin = time::to_time(*tc, *rate);
  }
  auto map = time::parse_tempo_map(o.tempos, o.meters, origin, rate ? &*rate : nullptr);
  if (!map) return report(map.error());

  // Default length: two bars past the last change, at least eight bars.
  std::int64_t last_bar = 1;
  for (const auto& c : map->tempo_changes())
    last_bar = std::max(last_bar, map->bbt_at(c.at).bar);
  for (const auto& c : map->meters().changes()) {
    last_bar = std::max(last_bar, map->bbt_at(c.at).bar);
  }
  const std::int64_t bars = o.bars > 0 ? o.bars : std::max<std::int64_t>(8, last_bar + 2);

  std::vector<Row> rows;
  for (std::int64_t bar = 1; bar <= bars; ++bar) {
    const BeatPos start = map->meters().bar_start(bar);
    const BeatPos end = map->meters().bar_start(bar + 1);
    const time::Meter meter = map->meter_at(start);
    for (BeatPos b = start; b < end; b += meter.beat_length()) {
      rows.push_back({map->bbt_at(b), b, map->time_at(b)});
      if (!o.beats) break;
    }
  }

  // --at: positions to convert either way (bar|beat|tick, timecode or seconds).
  std::vector<Row> queries;
  for (const std::string& text : o.at) {
    if (const TimeText kind = classify(text); kind != TimeText::other) {
      if (kind == TimeText::timecode && !rate) {
        return usage_error("--at " + text + " is a timecode; give --rate too");
      }
      auto t = parse_time_point(text, rate.value_or(FrameRate::fps24()), origin);
      if (!t) return report(t.error());
      queries.push_back({map->bbt_at(*t), map->beats_at(*t), *t});
    } else {
      auto bbt = time::parse_bbt(text);
      if (!bbt) return report(bbt.error());
      auto b = map->beats_at(*bbt);
      if (!b) return report(b.error());
      queries.push_back({*bbt, *b, map->time_at(*b)});
    }
  }

  const auto seconds_text = [&](TimePos t) {
    return time::Rational(std::llround(time::seconds(t - origin) * 1000), 1000).to_decimal(3);
  };
  const auto timecode_text = [&](TimePos t) {
    if (!rate) return std::string();
    return time::label_at(t, *rate);
  };

  if (o.json) {
    nlohmann::json j;
    j["tempos"] = time::format_tempo_entries(*map);
    j["meters"] = time::format_meter_entries(map->meters());
    if (rate) j["rate"] = rate->name();
    const auto to_json = [&](const Row& r) {
      nlohmann::json row{{"bbt", r.bbt.to_string()},
                         {"beat_ticks", r.beat.ticks()},
                         {"meter", map->meter_at(r.beat).to_string()},
                         {"tempo_qpm", map->quarters_per_minute_at(r.beat)},
                         {"seconds", time::seconds(r.time - origin)},
                         {"superclock", r.time.ticks()}};
      if (rate) row["timecode"] = timecode_text(r.time);
      return row;
    };
    j[o.beats ? "beats" : "bars"] = nlohmann::json::array();
    for (const Row& r : rows)
      j[o.beats ? "beats" : "bars"].push_back(to_json(r));
    if (!queries.empty()) {
      j["at"] = nlohmann::json::array();
      for (const Row& r : queries)
        j["at"].push_back(to_json(r));
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }

  std::cout << "tempo map: " << map->tempo_changes().size() << " tempo "
            << (map->tempo_changes().size() == 1 ? "change" : "changes") << ", "
            << map->meters().changes().size() << " "
            << (map->meters().changes().size() == 1 ? "meter" : "meters");
  if (rate) std::cout << ", bar 1 at " << timecode_text(origin) << " (" << rate->name() << ")";
  std::cout << "\n";
  for (const auto& c : map->tempo_changes()) {
    std::cout << "  " << map->bbt_at(c.at).to_string() << "  " << c.tempo.to_string()
              << (c.ramp == time::Ramp::none
                      ? ""
                      : "  " + std::string(time::to_string(c.ramp)) + " to the next change")
              << "\n";
  }
  std::vector<std::string> header{o.beats ? "position" : "bar", "meter", "tempo", "seconds"};
  if (rate) header.push_back("timecode");
  Table table(header);
  for (const Row& r : rows) {
    std::vector<std::string> cells{
        o.beats ? r.bbt.to_string() : std::to_string(r.bbt.bar), map->meter_at(r.beat).to_string(),
        tempo_text(map->quarters_per_minute_at(r.beat)), seconds_text(r.time)};
    if (rate) cells.push_back(timecode_text(r.time));
    table.add(cells);
  }
  std::cout << "\n";
  table.print(std::cout);
  if (!queries.empty()) {
    std::cout << "\n";
    Table at({"position", "seconds", "timecode"});
    for (const Row& r : queries) {
      at.add({r.bbt.to_string(), seconds_text(r.time), rate ? timecode_text(r.time) : "-"});
    }
    at.print(std::cout);
  }
  return kExitOk;
}

}  // namespace

void add_tempo_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TempoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "tempo", "Print where the bars (or beats) of a tempo map fall, in seconds and timecode");
  cmd->add_option("-t,--tempo", options->tempos,
                  "A tempo change POSITION=TEMPO, repeatable. POSITION is bar|beat|tick (5, 5|3, "
                  "5|3|480); TEMPO is beats per minute (120, 117.55), a note value and rate "
                  "(e=180, q.=60, h=60) or a frame click (12-2, needs --rate). End with ~ to ramp "
                  "to the next change linearly in beats, ~time to ramp linearly in time. "
                  "Default: 1=120");
  cmd->add_option("-m,--meter", options->meters,
                  "A meter change BAR=N/D, repeatable (1=4/4, 5=3/4, 9=6/8). Default: 4/4");
  cmd->add_option("--bars", options->bars,
                  "How many bars to print (default: two past the last change, at least 8)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--beats", options->beats, "Print every beat, not only bar lines");
  cmd->add_option("-r,--rate", options->rate,
                  "Frame rate, to print timecode (and for frame clicks)");
  cmd->add_option("--start", options->start,
                  "Timecode of bar 1 (default 00:00:00:00); needs --rate");
  cmd->add_option("--at", options->at,
                  "Also convert these positions, repeatable: a bar|beat|tick gives its time, a "
                  "timecode or seconds (12.5s, from bar 1) give its bar|beat|tick");
  cmd->add_flag("--json", options->json, "Print JSON");
  cmd->footer(
      "Examples:\n"
      "  duet tempo --tempo 1=120 --tempo 5=120~ --tempo 9=90 --meter 7=3/4\n"
      "  duet tempo --tempo 1=12-2 --rate 24 --start 01:00:00:00 --at 01:00:10:00 --at '5|3'\n"
      "  duet tempo --tempo 1=60~ --tempo 2=120 --beats --bars 2");
  cmd->callback([options, &exit_code] { exit_code = run_tempo(*options); });
}

}  // namespace duet::cli
