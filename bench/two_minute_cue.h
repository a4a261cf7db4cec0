// The cue the writer and critics benchmarks share (compose_bench's BM_WriteCue2Min, critics_bench):
// a two-minute cue with three hard hits and a soft one, two dialogue windows, a theme and an
// emotion curve that turns from tender to tense at 60-75 s; and the melody model they may use.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>

#include "compose/writer.h"
#include "model/model_file.h"

namespace duet::bench {

inline time::TimePos at_seconds(double s) {
  return time::TimePos(
      static_cast<std::int64_t>(s * static_cast<double>(time::kSuperclockPerSecond)));
}

inline compose::CueBrief two_minute_brief() {
  spot::Cue cue;
  const double in = 3600;
  cue.in = at_seconds(in);
  cue.out = at_seconds(in + 120);
  cue.hits = {{at_seconds(in + 20.5), "door", spot::HitKind::hard},
              {at_seconds(in + 47.2), "look", spot::HitKind::soft},
              {at_seconds(in + 71.9), "crash", spot::HitKind::hard},
              {at_seconds(in + 101.3), "cut to black", spot::HitKind::hard}};
  cue.dialogue = {{at_seconds(in + 25), at_seconds(in + 38), "A"},
                  {at_seconds(in + 80), at_seconds(in + 92), "B"}};
  cue.emotion.keys = {{at_seconds(in), {0.5, -0.5, 0.2}},
                      {at_seconds(in + 60), {0.2, 0.0, 0.4}},
                      {at_seconds(in + 75), {-0.6, 0.8, 0.9}},
                      {at_seconds(in + 120), {-0.4, 0.6, 0.7}}};
  cue.themes = {"hero"};
  compose::BriefTheme hero;
  hero.name = "hero";
  const int pitches[] = {62, 66, 69, 74, 73, 69, 71, 66};
  for (int i = 0; i < 8; ++i)
    hero.notes.push_back({time::BeatPos(i * time::kTicksPerQuarter),
                          time::BeatDur(time::kTicksPerQuarter), pitches[i], 80});
  hero.key = {music::NoteName{music::Letter::D, 0}, music::Mode::major};
  return {cue, {hero}, {}, {}, {}};
}

// models/default.duetmodel from the repository root (./run bench), or where DUET_MODEL says;
// nullptr when it does not load. Loaded once.
inline const model::MelodyModel* melody_model() {
  static const std::optional<model::MelodyModel> m = []() -> std::optional<model::MelodyModel> {
    const char* env = std::getenv("DUET_MODEL");
    auto loaded = model::load_model(env ? env : "models/default.duetmodel");
    if (!loaded) return std::nullopt;
    return std::move(*loaded);
  }();
  return m ? &*m : nullptr;
}

}  // namespace duet::bench
