// duet tc: convert between timecode, frame numbers and seconds at a frame rate.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "output.h"
#include "time/timecode.h"
#include "values.h"

namespace duet::cli {
namespace {

using time::FrameRate;
using time::Rational;
using time::TimePos;

struct TcOptions {
  std::string value;
  std::string rate = "24";
  std::string to = "all";
  std::string to_rate;
  bool json = false;
};

struct Instant {
  std::int64_t frame = 0;
  TimePos time;
  bool on_frame = true;  // false when seconds fell between frame starts
};

// A value is a timecode (has ':' or ';'), seconds (ends in 's') or a frame number.
base::Result<Instant> read_value(const std::string& text, const FrameRate& rate) {
  if (classify(text) != TimeText::other) {
    auto t = parse_time_point(text, rate, TimePos(0));
    if (!t) return t.error();
    const std::int64_t frame = time::frame_at(*t, rate);
    return Instant{frame, *t, time::time_of_frame(frame, rate) == *t};
  }
  auto frames = Rational::parse(text);
  // Frame numbers are limited to a million days of frames at 1000 fps, far from overflow.
  if (!frames || frames->den() != 1 || frames->num() > 86'400'000'000'000 ||
      frames->num() < -86'400'000'000'000) {
    return base::make_error(base::ErrorKind::invalid_input, "'", text,
                            "' is not a timecode (01:00:00:00), a frame number (86400) or seconds "
                            "(3600s)");
  }
  return Instant{frames->num(), time::time_of_frame(frames->num(), rate), true};
}

int run_tc(const TcOptions& o) {
  auto rate = FrameRate::parse(o.rate);
  if (!rate) return report(rate.error());
  auto instant = read_value(o.value, *rate);
  if (!instant) return report(instant.error());

  FrameRate out_rate = *rate;
  Instant out = *instant;
  if (!o.to_rate.empty()) {
    auto other = FrameRate::parse(o.to_rate);
    if (!other) return report(other.error());
    out_rate = *other;
    out.frame = time::frame_at(instant->time, out_rate);
    out.on_frame = time::time_of_frame(out.frame, out_rate) == instant->time;
  }
  const std::string timecode =
      time::format_timecode(time::from_frames(out.frame, out_rate), out_rate);
  const Rational secs = time::to_seconds(out.time);
  const std::string seconds_text = secs.to_decimal(9);

  if (o.json) {
    nlohmann::json j{{"rate", out_rate.name()},
                     {"timecode", timecode},
                     {"frame", out.frame},
                     {"seconds", seconds_text},
                     {"seconds_exact", secs.to_string()},
                     {"ticks", out.time.ticks()},
                     {"on_frame_start", out.on_frame}};
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  if (o.to == "timecode") {
    std::cout << timecode << "\n";
  } else if (o.to == "frames") {
    std::cout << out.frame << "\n";
  } else if (o.to == "seconds") {
    std::cout << seconds_text << "\n";
  } else if (o.to == "ticks") {
    std::cout << out.time.ticks() << "\n";
  } else {
    // Nine decimals are exact for every rate but the 1001 ones; say so when they are not.
    const bool exact = 1'000'000'000 % secs.den() == 0;
    std::cout << "timecode  " << timecode << "  (" << out_rate.name() << ")\n"
              << "frame     " << out.frame << "\n"
              << "seconds   " << seconds_text
              << (exact ? "" : " (" + secs.to_string() + " exactly)") << "\n"
              << "ticks     " << out.time.ticks() << "  (superclock, 282240000 per second)\n";
    if (!out.on_frame) {
      std::cout << "note      that instant falls inside the frame; the frame shown is the one on "
                   "screen then\n";
    }
  }
  return kExitOk;
}

}  // namespace

void add_tc_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TcOptions>();
  CLI::App* cmd = app.add_subcommand(
      "tc", "Convert between timecode, frame numbers and seconds at a frame rate");
  cmd->add_option("value", options->value,
                  "A timecode (01:00:00;00), a frame number (107892) or seconds (3600s); frame 0 "
                  "is 00:00:00:00")
      ->required();
  cmd->add_option("-r,--rate", options->rate,
                  "Frame rate: 23.976, 24, 25, 29.97, 29.97df, 30, 47.952, 48, 50, 59.94, "
                  "59.94df, 60 or a fraction like 30000/1001")
      ->capture_default_str();
  cmd->add_option("--to", options->to, "Print only one form: timecode, frames, seconds or ticks")
      ->check(CLI::IsMember({"all", "timecode", "frames", "seconds", "ticks"}))
      ->capture_default_str();
  cmd->add_option("--to-rate", options->to_rate,
                  "Show the frame on screen at the same instant at another rate");
  cmd->add_flag("--json", options->json, "Print JSON");
  cmd->footer(
      "Examples:\n"
      "  duet tc '01:00:00;00' --rate 29.97df --to frames   # 107892\n"
      "  duet tc 17982 --rate 29.97                         # 00:09:59:12\n"
      "  duet tc 3603.6s --rate 29.97 --to timecode         # 01:00:00:00\n"
      "  duet tc 01:00:00:00 --rate 24 --to-rate 29.97df\n"
      "Drop-frame labels that do not exist (00:01:00;00 at 29.97 DF) are refused.");
  cmd->callback([options, &exit_code] { exit_code = run_tc(*options); });
}

}  // namespace duet::cli
