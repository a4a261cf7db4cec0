// What the board (the web page `duet serve` serves, web/) draws, as JSON with film times in
// seconds from 00:00:00:00, so that the page places picture, cut, music and streamers on one
// axis without parsing timecode or MIDI itself. Every time here comes from the engine's own
// rules: the cut from the EDL reader, the music through spot::place_midi and the file's tempo
// map, the streamers from sync::cue_streamers.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/result.h"
#include "project/project.h"
#include "spot/cue.h"
#include "time/tempo_map.h"

namespace duet::engine {

// The picture rate ({"name", "num", "den", "nominal", "drop"}: fps = num/den, labels per second,
// labels dropped per minute) and the cut: {"rate", "start", "start_s", "film", "edl",
// "shots": [{"event", "reel", "clip", "in", "out", "in_s", "out_s", "transition"}],
// "warnings"}. A project without an EDL has no shots; an EDL that cannot be read is an error
// naming it.
base::Result<nlohmann::json> cut_view(const project::Project& project);

// A cue's MIDI file as placed on the film: {"cue", "file", "placed": {"at", "at_s", "from"},
// "parts": [{"name", "role", "program", "channel", "notes": [[start_s, end_s, pitch,
// velocity], ...]}], "bars": [{"bar", "t"}], "sections": [{"label", "reason", "t"}],
// "themes": [{"theme", "part", "derivation", "recognisability", "t", "end"}], "end"}. Bars run from
// bar 1 to the music's end.
base::Result<nlohmann::json> music_view(const project::Project& project, const spot::CueId& cue,
                                        const std::filesystem::path& file);

// The bar lines of a tempo map from bar 1 up to `until`: [{"bar", "t"}], t in seconds (at most
// 10,000 bars: a cue is minutes long).
nlohmann::json bar_lines(const time::TempoMap& map, time::TimePos until);

// The streamers and punches of a cue with its tempo map (the defaults of `duet streamers`) and
// the map's bar lines to the cue's out: {"streamers": [{"kind", "colour", "label", "at", "sweep",
// "punch_end", "flutters": [...]}], "bars": bar_lines}, seconds. A cue without a tempo map has
// neither (empty lists).
base::Result<nlohmann::json> streamers_view(const project::Project& project,
                                            const spot::CueId& cue);

}  // namespace duet::engine
