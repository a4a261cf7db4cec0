// The sync jobs: ranked tempo maps that land a cue's hit points, one applied (a new version of the
// cue), one checked. The ranking policy is the engine's, so the command line and the server rank
// alike: when no constant tempo lands every hard hit, the fewest tempo changes that do come first,
// then the constant tempos (sync::fit_constant's order: the most hits landed, then the nearest the
// preferred tempo, which the cue's emotion curve suggests unless the request names one).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "spot/cue.h"
#include "sync/check.h"
#include "sync/fit.h"
#include "sync/fit_changes.h"
#include "time/rational.h"

namespace duet::engine {

// What a request may set over the project's settings and the defaults; unset keeps them.
struct SyncSettings {
  std::optional<time::Meter> meter;         // default 4/4, or the cue's
  std::optional<time::Rational> tolerance;  // frames; default the project's
  std::optional<time::Rational> min_tempo;  // quarter notes a minute; default the project's
  std::optional<time::Rational> max_tempo;
  std::optional<time::Rational> prefer;  // 1..10,000; default the cue's emotion, else 120
  bool pickup = false;
  bool frame_clicks = false;
  time::Rational max_change{8, 100};  // a change's largest step, a fraction (0..1, exclusive)
  int max_changes = 8;                // 1..64
  bool meter_bars = false;
  bool ramps = false;
  int options = 5;  // how many ranked options, 1..100
};

// One ranked option: a constant tempo (fit.h) or tempo changes (fit_changes.h).
struct SyncOption {
  time::TempoMap map;
  sync::CheckReport check;
  std::string title;  // "117.551 BPM (12-2 click)", "2 changes at bar lines"
  std::string reason;
  std::optional<sync::FitOption> constant;
  int changes = 0;
};

struct SyncProposal {
  spot::Cue cue;  // the cue fitted (empty id for hits given without a project)
  std::vector<spot::HitPoint> hits;
  sync::FitOptions fit;  // the settings the options were fitted with
  std::vector<SyncOption> options;
  std::string impossible;  // why not every hard hit can land, when none does
};

// The options for `hits`, ranked (see above). Errors name the setting that is out of range.
base::Result<SyncProposal> propose_sync(const std::vector<spot::HitPoint>& hits,
                                        sync::FitOptions fit, const SyncSettings& settings);
// `fit` with the request's settings over it (the project's or the defaults).
base::Result<void> apply_settings(const SyncSettings& settings, sync::FitOptions& fit);
// The tempo a cue's feeling suggests: the middle of the emotion mapping's tempo range at the
// cue's mean feeling (32 samples), quarter notes a minute; none without an emotion curve.
std::optional<double> tempo_from_emotion(const spot::Cue& cue);

struct SyncApplied {
  spot::Cue cue;  // as saved
  int option = 0;
  SyncOption chosen;
  bool changed = false;  // false: the cue had this map already, nothing was saved
  // The hard hits the applied map misses (indexes into the cue's hits), and one loud warning
  // naming them: a map that misses is never applied silently.
  std::vector<std::size_t> missed;
  std::vector<std::string> warnings;
};

// The hard hits a check misses, as "01:00:22:00 (cut to KITCHEN) 3.2 frames late", the first
// `most` of them followed by "and N more".
std::string missed_hits_text(const std::vector<spot::HitPoint>& hits,
                             const sync::CheckReport& check, const time::FrameRate& rate,
                             std::size_t most = 4);

struct SyncCheck {
  spot::Cue cue;
  time::Rational tolerance;  // frames
  sync::CheckReport check;
};

// JSON, as `duet sync --json` prints it. `head` holds the fields before the options (the cue).
nlohmann::ordered_json to_json(const SyncProposal& proposal, nlohmann::ordered_json head);
nlohmann::ordered_json to_json(const SyncApplied& applied, const time::FrameRate& rate);
nlohmann::ordered_json to_json(const SyncCheck& check, const time::FrameRate& rate);

}  // namespace duet::engine
