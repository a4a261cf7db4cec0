// Hit points as text, for the calculator (duet sync fit) and the hit files people write.
//
//   one hit     "01:00:05:12", "01:00:05:12:soft", "01:00:05;12:downbeat:soft:w=2": the
//               timecode's own four fields, then modifiers in any order: hard or soft (default
//               hard), a landing (downbeat, beat (default), 8th, 16th, 8th-triplet,
//               16th-triplet, 32nd, 1/n) and w=WEIGHT (above 0, at most 1,000,000; default 1).
//   a CSV file  time[,kind[,land[,weight[,label]]]] per line; empty fields take the defaults;
//               the label is the rest of the line (it may hold commas); blank lines, lines
//               starting with '#' and a first line starting with "time" are skipped.
#pragma once
#include <string>
#include <string_view>
#include <vector>
#include "base/result.h"
#include "spot/cue.h"
#include "time/frame_rate.h"

namespace duet::sync {

// Errors quote the text and name the bad part.
base::Result<spot::HitPoint> parse_hit_text(std::string_view text, const time::FrameRate& rate);

// Errors start with "line N".
base::Result<std::vector<spot::HitPoint>> parse_hits_csv(std::string_view text,
                                                         const time::FrameRate& rate);

// The one-hit form of a hit, without its weight and label: parse_hit_text gives back its time,
// kind and landing.
std::string format_hit_text(const spot::HitPoint& hit, const time::FrameRate& rate);

}  // namespace duet::sync
