#include "time/tempo_map_text.h"

namespace duet::time {
namespace {

using base::ErrorKind;
using base::make_error;

struct Entry {
  std::string_view position;
  std::string_view value;
};

base::Result<Entry> split_entry(std::string_view text, std::string_view what,
                                std::string_view example) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    return make_error(ErrorKind::invalid_input, what, " '", text,
                      "' should be position=value, such as ", example);
  }
  return Entry{text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace

base::Result<TempoMap> parse_tempo_map(const std::vector<std::string>& tempos,
                                       const std::vector<std::string>& meters, TimePos origin,
                                       const FrameRate* rate) {
  std::vector<std::pair<std::int64_t, Meter>> bars;
  for (const std::string& text : meters) {
    auto entry = split_entry(text, "meter", "5=3/4");
    if (!entry) return entry.error();
    auto bar = parse_bbt(entry->position);
    if (!bar || bar->beat != 1 || bar->tick != 0) {
      return make_error(ErrorKind::invalid_input, "meter '", text,
                        "' must be placed at a bar number, such as 5=3/4");
    }
    auto meter = parse_meter(entry->value);
    if (!meter) return meter.error().with_context("meter '" + text + "'");
    bars.push_back({bar->bar, *meter});
  }
  auto meter_map = MeterMap::from_bars(bars);
  if (!meter_map) return meter_map.error();

  std::vector<TempoChange> changes;
  for (const std::string& text : tempos) {
    auto entry = split_entry(text, "tempo", "5=120, 5=120~ or 5|3=q.=60");
    if (!entry) return entry.error();
    auto bbt = parse_bbt(entry->position);
    if (!bbt) return bbt.error().with_context("tempo '" + text + "'");
    auto at = meter_map->beats_at(*bbt);
    if (!at) return at.error().with_context("tempo '" + text + "'");
    std::string_view value = entry->value;
    Ramp ramp = Ramp::none;
    if (const std::size_t tilde = value.find('~'); tilde != std::string_view::npos) {
      const std::string_view kind = value.substr(tilde + 1);
      if (kind.empty() || kind == "beats") {
        ramp = Ramp::linear_in_beats;
      } else if (kind == "time") {
        ramp = Ramp::linear_in_time;
      } else {
        return make_error(ErrorKind::invalid_input, "tempo '", text, "' ends in an unknown ramp '~",
                          kind, "'; use ~ (linear in beats) or ~time (linear in time)");
      }
      value = value.substr(0, tilde);
    }
    auto tempo = parse_tempo(value, rate);
    if (!tempo) return tempo.error().with_context("tempo '" + text + "'");
    changes.push_back({*at, *tempo, ramp});
  }
  if (changes.empty()) changes.push_back({BeatPos(0), Tempo{}, Ramp::none});
  return TempoMap::create(std::move(changes), std::move(*meter_map), origin);
}

std::vector<std::string> format_tempo_entries(const TempoMap& map) {
  std::vector<std::string> out;
  for (const TempoChange& c : map.tempo_changes()) {
    std::string position = map.bbt_at(c.at).to_string();
    // Exact rationals that are not short decimals are written as fractions so that the text
    // round-trips ("11520/98" rather than "117.551").
    const Rational& pm = c.tempo.per_minute;
    std::string number = pm.to_decimal(9);
    if (auto back = Rational::parse(number); !back || *back != pm) number = pm.to_string();
    std::string value = c.tempo.note_value == Rational(1, 4)
                            ? number
                            : c.tempo.note_value.to_string() + "=" + number;
    if (c.ramp == Ramp::linear_in_beats) value += "~";
    if (c.ramp == Ramp::linear_in_time) value += "~time";
    out.push_back(position + "=" + value);
  }
  return out;
}

std::vector<std::string> format_meter_entries(const MeterMap& map) {
  std::vector<std::string> out;
  for (const MeterChange& c : map.changes()) {
    out.push_back(std::to_string(map.bbt_at(c.at).bar) + "=" + c.meter.to_string());
  }
  return out;
}

}  // namespace duet::time
