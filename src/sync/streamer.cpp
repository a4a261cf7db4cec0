#include "sync/streamer.h"

#include <algorithm>
#include <cmath>

#include "base/text.h"
#include "time/rational.h"

namespace duet::sync {
namespace {

using base::ErrorKind;
using base::make_error;
using time::BeatPos;
using time::TimePos;

TimePos on_frame(TimePos t, const time::FrameRate& rate) {
  return time::time_of_frame(time::nearest_frame(t, rate), rate);
}

std::string tempo_text(double qpm) {
  return time::Rational(std::llround(qpm * 100), 100).to_decimal(2);
}

}  // namespace

std::string_view streamer_kind_name(StreamerKind kind) {
  switch (kind) {
    case StreamerKind::start:
      return "start";
    case StreamerKind::warning:
      return "warning";
    case StreamerKind::hit:
      return "hit";
    case StreamerKind::end:
      return "end";
  }
  return "hit";
}

std::string_view colour_name(StreamerColour colour) {
  switch (colour) {
    case StreamerColour::green:
      return "green";
    case StreamerColour::yellow:
      return "yellow";
    case StreamerColour::white:
      return "white";
    case StreamerColour::red:
      return "red";
  }
  return "white";
}

picture::Rgb rgb(StreamerColour colour) {
  switch (colour) {
    case StreamerColour::green:
      return {0, 255, 0};
    case StreamerColour::yellow:
      return {255, 230, 0};
    case StreamerColour::white:
      return {255, 255, 255};
    case StreamerColour::red:
      return {255, 0, 0};
  }
  return {255, 255, 255};
}

base::Result<std::vector<Streamer>> cue_streamers(const spot::Cue& cue, const time::TempoMap& map,
                                                  const time::FrameRate& rate,
                                                  const StreamerOptions& options) {
  const time::TimeDur second(time::kSuperclockPerSecond);
  if (options.length < second || options.length > second * 10) {
    return make_error(ErrorKind::out_of_range, "a streamer of ", time::seconds(options.length),
                      " s is outside 1 to 10 s (2, 3 or 4 s are usual)");
  }
  if (options.punch_frames < 1 || options.punch_frames > 6) {
    return make_error(ErrorKind::out_of_range, "a punch of ", options.punch_frames,
                      " frames is outside 1 to 6 (2 or 3 are usual)");
  }
  if (options.flutter_beats < 0 || options.flutter_beats > 8) {
    return make_error(ErrorKind::out_of_range, options.flutter_beats,
                      " flutter beats is outside 0 to 8");
  }
  const std::string id = cue.id.to_string();
  std::vector<Streamer> out;
  const auto add = [&](StreamerKind kind, StreamerColour colour, std::string label, TimePos t) {
    Streamer s;
    s.kind = kind;
    s.colour = colour;
    s.label = std::move(label);
    s.at = on_frame(t, rate);
    s.sweep_start = on_frame(s.at - options.length, rate);
    s.punch_end = s.at + rate.frame_duration() * options.punch_frames;
    // The position and the flutters come from the event itself, not from its frame (a change
    // on 2|1|0 that falls between frames is shown at 2|1|0, flutters on the beats before it).
    const BeatPos beat = map.beats_at(t);
    s.position = map.bbt_at(beat);
    // Flutters: the beats strictly before the event, back from the beat it is on or in.
    BeatPos b = beat - time::BeatDur(s.position.tick);
    if (b == beat) b -= map.meter_at(b - time::BeatDur(1)).beat_length();
    for (int i = 0; i < options.flutter_beats; ++i) {
      const TimePos f = on_frame(map.time_at(b), rate);
      if (f < s.sweep_start || f >= s.at) break;
      s.flutters.insert(s.flutters.begin(), f);
      b -= map.meter_at(b - time::BeatDur(1)).beat_length();
    }
    out.push_back(std::move(s));
  };
  add(StreamerKind::start, StreamerColour::green, id + " start",
      map.time_at(map.meters().bar_start(1)));
  if (options.hits) {
    for (const spot::HitPoint& h : cue.hits) {
      const bool hard = h.kind == spot::HitKind::hard;
      add(StreamerKind::hit, hard ? StreamerColour::white : StreamerColour::yellow, h.label, h.at);
    }
  }
  if (options.changes) {
    // Changes after bar 1 and before the out; a tempo change that lands on a meter change
    // shares its streamer.
    std::vector<std::pair<BeatPos, std::string>> changes;
    for (const auto& c : map.tempo_changes()) {
      if (c.at <= BeatPos(0)) continue;
      std::string what = "tempo " + tempo_text(map.quarters_per_minute_at(c.at));
      if (c.ramp != time::Ramp::none) what += ", ramp";
      changes.push_back({c.at, what});
    }
    for (const auto& c : map.meters().changes()) {
      if (c.at <= BeatPos(0)) continue;
      changes.push_back({c.at, "meter " + c.meter.to_string()});
    }
    std::stable_sort(changes.begin(), changes.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < changes.size(); ++i) {
      std::string label = changes[i].second;
      while (i + 1 < changes.size() && changes[i + 1].first == changes[i].first)
        label += ", " + changes[++i].second;
      const TimePos t = map.time_at(changes[i].first);
      if (t >= cue.out) break;
      add(StreamerKind::warning, StreamerColour::yellow, label, t);
    }
  }
  add(StreamerKind::end, StreamerColour::red, id + " end", cue.out);
  std::stable_sort(out.begin(), out.end(),
                   [](const Streamer& a, const Streamer& b) { return a.at < b.at; });
  return out;
}

std::vector<picture::Overlay> streamer_overlays(const std::vector<Streamer>& streamers,
                                                TimePos film_start, const time::FrameRate& rate) {
  std::vector<picture::Overlay> out;
  const auto film = [&](TimePos t) { return TimePos(0) + (t - film_start); };
  for (const Streamer& s : streamers) {
    const picture::Rgb colour = rgb(s.colour);
    out.push_back({picture::OverlayKind::sweep, film(s.sweep_start), film(s.at), colour});
    for (TimePos f : s.flutters) {
      out.push_back(
          {picture::OverlayKind::flash, film(f), film(f + rate.frame_duration()), colour});
    }
    out.push_back({picture::OverlayKind::punch, film(s.at), film(s.punch_end), colour});
  }
  return out;
}

}  // namespace duet::sync
