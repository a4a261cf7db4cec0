#include "time/meter_map.h"

#include <algorithm>

#include "time/search.h"

namespace duet::time {
namespace {

using base::ErrorKind;
using base::make_error;

// Floor division and the matching non-negative remainder, for positions before bar 1.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

MeterMap::MeterMap() : MeterMap(std::vector<MeterChange>{{BeatPos(0), Meter{}}}) {}

MeterMap::MeterMap(std::vector<MeterChange> changes) : changes_(std::move(changes)) {
  segments_.reserve(changes_.size());
  std::int64_t bar = 1;
  for (std::size_t i = 0; i < changes_.size(); ++i) {
    segments_.push_back({changes_[i].at, bar, changes_[i].meter});
    if (i + 1 < changes_.size()) {
      // Bars in this segment, counting a cut-short last bar as a bar.
      const std::int64_t length = (changes_[i + 1].at - changes_[i].at).ticks();
      const std::int64_t bar_length = changes_[i].meter.bar_length().ticks();
      bar += (length + bar_length - 1) / bar_length;
    }
  }
}

base::Result<MeterMap> MeterMap::create(std::vector<MeterChange> changes) {
  if (changes.empty()) {
    return make_error(ErrorKind::invalid_input, "a meter map needs at least one meter");
  }
  if (changes.front().at != BeatPos(0)) {
    return make_error(ErrorKind::invalid_input,
                      "the first meter must start at bar 1 (beat 0), "
                      "not at beat tick ",
                      changes.front().at.ticks());
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (auto ok = make_meter(changes[i].meter.numerator, changes[i].meter.denominator); !ok) {
      return ok.error();
    }
    if (i > 0 && changes[i].at <= changes[i - 1].at) {
      return make_error(ErrorKind::invalid_input, "meter changes must be in order: the change to ",
                        changes[i].meter.to_string(), " at beat tick ", changes[i].at.ticks(),
                        " does not come after the one at beat tick ", changes[i - 1].at.ticks());
    }
  }
  return MeterMap(std::move(changes));
}

base::Result<MeterMap> MeterMap::from_bars(
    const std::vector<std::pair<std::int64_t, Meter>>& bars) {
  std::vector<MeterChange> changes;
  std::int64_t last_bar = 1;  // bar number of changes.back()
  if (bars.empty() || bars.front().first != 1) changes.push_back({BeatPos(0), Meter{}});
  for (const auto& [bar, meter] : bars) {
    if (auto ok = make_meter(meter.numerator, meter.denominator); !ok) return ok.error();
    if (bar < 1) {
      return make_error(ErrorKind::out_of_range, "meter ", meter.to_string(), " is placed at bar ",
                        bar, "; meter changes are placed at bar 1 or later");
    }
    if (changes.empty()) {
      changes.push_back({BeatPos(0), meter});
      continue;
    }
    if (bar <= last_bar) {
      return make_error(ErrorKind::invalid_input, "meter changes must be in order of bars: bar ",
                        bar, " comes after bar ", last_bar);
    }
    const MeterChange& previous = changes.back();
    changes.push_back({previous.at + previous.meter.bar_length() * (bar - last_bar), meter});
    last_bar = bar;
  }
  return MeterMap(std::move(changes));
}

std::size_t MeterMap::segment_for_beat(BeatPos position) const {
  return detail::last_at_or_before(segments_, position, [](const Segment& s) { return s.start; });
}

std::size_t MeterMap::segment_for_bar(std::int64_t bar) const {
  return detail::last_at_or_before(segments_, bar, [](const Segment& s) { return s.first_bar; });
}

Meter MeterMap::meter_at(BeatPos position) const {
  return segments_[segment_for_beat(position)].meter;
}

BBT MeterMap::bbt_at(BeatPos position) const {
  const Segment& s = segments_[segment_for_beat(position)];
  const std::int64_t offset = (position - s.start).ticks();
  const std::int64_t bar_length = s.meter.bar_length().ticks();
  const std::int64_t bars = floor_div(offset, bar_length);
  const std::int64_t in_bar = offset - bars * bar_length;
  const std::int64_t beat_length = s.meter.beat_length().ticks();
  return BBT{s.first_bar + bars, static_cast<int>(in_bar / beat_length + 1),
             static_cast<int>(in_bar % beat_length)};
}

BeatPos MeterMap::bar_start(std::int64_t bar) const {
  const Segment& s = segments_[segment_for_bar(bar)];
  return s.start + s.meter.bar_length() * (bar - s.first_bar);
}

base::Result<BeatPos> MeterMap::beats_at(const BBT& bbt) const {
  const std::size_t index = segment_for_bar(bbt.bar);
  const Segment& s = segments_[index];
  if (bbt.beat < 1 || bbt.beat > s.meter.numerator) {
    return make_error(ErrorKind::out_of_range, "position ", bbt.to_string(), " has beat ", bbt.beat,
                      ", but bar ", bbt.bar, " is in ", s.meter.to_string(), " (beats 1 to ",
                      s.meter.numerator, ")");
  }
  const std::int64_t beat_length = s.meter.beat_length().ticks();
  if (bbt.tick < 0 || bbt.tick >= beat_length) {
    return make_error(ErrorKind::out_of_range, "position ", bbt.to_string(), " has tick ", bbt.tick,
                      ", but a beat of ", s.meter.to_string(), " runs from tick 0 to ",
                      beat_length - 1);
  }
  const BeatPos position = bar_start(bbt.bar) + BeatDur(beat_length * (bbt.beat - 1) + bbt.tick);
  if (index + 1 < segments_.size() && position >= segments_[index + 1].start) {
    const std::int64_t beats_in_bar =
        (segments_[index + 1].start - bar_start(bbt.bar)).ticks() / beat_length;
    return make_error(ErrorKind::out_of_range, "position ", bbt.to_string(),
                      " does not exist: bar ", bbt.bar, " is cut short by the change to ",
                      segments_[index + 1].meter.to_string(), " and has ", beats_in_bar,
                      beats_in_bar == 1 ? " beat" : " beats");
  }
  return position;
}

}  // namespace duet::time
