#include "sync/check.h"

#include <algorithm>
#include <cmath>

namespace duet::sync {

using time::BeatDur;
using time::BeatPos;
using time::TimeDur;
using time::TimePos;

std::int64_t weight_milli(double weight) {
  const double milli = std::round(weight * 1000.0);
  if (!(milli >= 1.0)) return 1;
  return milli > 1e9 ? std::int64_t{1'000'000'000} : static_cast<std::int64_t>(milli);
}

TimeDur tolerance_ticks(const time::Rational& frames, const time::FrameRate& rate) {
  return TimeDur(time::mul_div_floor(rate.frame_duration().ticks(), frames.num(), frames.den()));
}

BeatDur landing_unit(const spot::Landing& land, const time::Meter& meter) {
  switch (land.kind) {
    case spot::Landing::Kind::downbeat:
      return meter.bar_length();
    case spot::Landing::Kind::beat:
      return meter.beat_length();
    case spot::Landing::Kind::subdivision:
      break;
  }
  return land.grid();
}

BeatPos nearest_target(const time::TempoMap& map, TimePos at, const spot::Landing& land) {
  const BeatPos b = map.beats_at(at);
  const time::MeterMap& meters = map.meters();
  const std::int64_t bar = meters.bbt_at(b).bar;
  const BeatPos bar_start = meters.bar_start(bar);
  const BeatPos next_bar = meters.bar_start(bar + 1);
  const std::int64_t unit = landing_unit(land, meters.meter_at(bar_start)).ticks();
  const std::int64_t steps = (b - bar_start).ticks() / unit;
  const BeatPos before = bar_start + BeatDur(steps * unit);
  BeatPos after = before + BeatDur(unit);
  // A grid that does not divide the bar restarts at the next bar line.
  if (after > next_bar) after = next_bar;
  const TimeDur to_before = at - map.time_at(before);
  const TimeDur to_after = map.time_at(after) - at;
  return to_after < to_before ? after : before;
}

CheckReport check_hits(const std::vector<spot::HitPoint>& hits, const time::TempoMap& map,
                       const time::FrameRate& rate, TimeDur tolerance) {
  CheckReport report;
  const double frame_ticks = static_cast<double>(rate.frame_duration().ticks());
  double sum_squares = 0;
  double worst_hard = 0;
  double worst_any = 0;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const spot::HitPoint& hit = hits[i];
    HitError e;
    e.index = i;
    e.target = nearest_target(map, hit.at, hit.land);
    e.bbt = map.bbt_at(e.target);
    e.error = map.time_at(e.target) - hit.at;
    e.error_frames = static_cast<double>(e.error.ticks()) / frame_ticks;
    e.error_ms = time::microseconds(e.error) / 1000.0;
    const TimeDur magnitude = e.error < TimeDur(0) ? -e.error : e.error;
    e.landed = magnitude <= tolerance;
    const std::int64_t w = weight_milli(hit.weight);
    report.weight_total += w;
    const double abs_frames = std::fabs(e.error_frames);
    sum_squares += e.error_frames * e.error_frames;
    worst_any = std::max(worst_any, abs_frames);
    if (hit.kind == spot::HitKind::hard) {
      ++report.hard_total;
      worst_hard = std::max(worst_hard, abs_frames);
      if (e.landed) {
        ++report.hard_landed;
        report.hard_weight_landed += w;
      }
    } else {
      ++report.soft_total;
      if (e.landed) {
        ++report.soft_landed;
        report.soft_weight_landed += w;
      }
    }
    report.hits.push_back(e);
  }
  if (!hits.empty())
    report.rms_error_frames = std::sqrt(sum_squares / static_cast<double>(hits.size()));
  report.worst_error_frames = report.hard_total > 0 ? worst_hard : worst_any;
  return report;
}

MapDrift compare_maps(const time::TempoMap& ours, const time::TempoMap& theirs, time::TimePos from,
                      time::TimePos to, const time::FrameRate& rate, time::TimeDur tolerance) {
  MapDrift drift;
  const double frame_ticks =
      static_cast<double>((time::time_of_frame(1, rate) - time::time_of_frame(0, rate)).ticks());
  const std::int64_t first_bar = std::max<std::int64_t>(1, ours.bbt_at(from).bar);
  for (std::int64_t bar = first_bar; bar < first_bar + 100000; ++bar) {
    const time::BBT bbt{bar, 1, 0};
    auto at = ours.time_at(bbt);
    if (!at || *at > to) break;
    if (*at < from) continue;
    ++drift.bars;
    auto there = theirs.time_at(bbt);
    const time::TimeDur gap = there ? *there - *at : time::TimeDur(0);
    const time::TimeDur magnitude = gap < time::TimeDur(0) ? -gap : gap;
    const double frames = static_cast<double>(magnitude.ticks()) / frame_ticks;
    const bool off = !there || magnitude > tolerance ||
                     theirs.meter_at(theirs.beats_at(*there)) != ours.meter_at(ours.beats_at(*at));
    if (!off) continue;
    if (drift.bars_off++ == 0) {
      drift.first_off = bbt;
      drift.ours_at = *at;
      drift.theirs_at = there ? *there : *at;
    }
    drift.worst_frames = std::max(drift.worst_frames, frames);
  }
  return drift;
}

}  // namespace duet::sync
