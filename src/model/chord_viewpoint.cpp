#include "model/chord_viewpoint.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "model/chord_model.h"
#include "model/pop909.h"

namespace duet::model {

namespace {

struct BasicName {
  ChordBasic basic;
  std::string_view name;
  int range;  // values are 0..range-1
};

constexpr std::array<BasicName, 7> kBasics = {{
    {ChordBasic::symbol, "symbol", kChordSymbols},
    {ChordBasic::degree, "degree", 12},
    {ChordBasic::quality, "quality", 5},
    {ChordBasic::root_interval, "root_interval", 12},
    {ChordBasic::prev_quality, "prev_quality", 5},
    {ChordBasic::prev_duration, "prev_duration", 9},
    {ChordBasic::position, "position", 8},
}};

const BasicName& info(ChordBasic b) {
  return kBasics[static_cast<std::size_t>(b)];
}

std::optional<int> basic_value(ChordBasic b, std::span<const ChordItem> items, std::size_t i,
                               int candidate) {
  const auto degree = [](int symbol) { return symbol / 5; };
  const auto quality = [](int symbol) { return symbol % 5; };
  switch (b) {
    case ChordBasic::symbol:
      return candidate;
    case ChordBasic::degree:
      return degree(candidate);
    case ChordBasic::quality:
      return quality(candidate);
    case ChordBasic::root_interval:
      if (i == 0) return std::nullopt;
      return ((degree(candidate) - degree(items[i - 1].symbol)) % 12 + 12) % 12;
    case ChordBasic::prev_quality:
      if (i == 0) return std::nullopt;
      return quality(items[i - 1].symbol);
    case ChordBasic::prev_duration:
      if (i == 0 || items[i - 1].duration <= 0) return std::nullopt;
      return duration_class(items[i - 1].duration);
    case ChordBasic::position:
      if (items[i].bar_position < 0) return std::nullopt;
      return std::min(items[i].bar_position, 7);
  }
  return std::nullopt;
}

}  // namespace

std::string chord_viewpoint_name(const ChordViewpoint& viewpoint) {
  std::string out;
  for (ChordBasic b : viewpoint.parts) {
    if (!out.empty()) out += '*';
    out += info(b).name;
  }
  return out;
}

base::Result<ChordViewpoint> parse_chord_viewpoint(std::string_view name) {
  ChordViewpoint v;
  std::size_t start = 0;
  while (true) {
    const std::size_t star = name.find('*', start);
    const std::string_view part =
        name.substr(start, star == std::string_view::npos ? std::string_view::npos : star - start);
    const auto it = std::find_if(kBasics.begin(), kBasics.end(),
                                 [&](const BasicName& n) { return n.name == part; });
    if (it == kBasics.end()) {
      return base::make_error(base::ErrorKind::invalid_input, "unknown chord viewpoint \"", part,
                              "\" in \"", name,
                              "\"; use symbol, degree, quality, root_interval, prev_quality, "
                              "prev_duration or position, linked with *");
    }
    v.parts.push_back(it->basic);
    if (star == std::string_view::npos) break;
    start = star + 1;
  }
  return v;
}

int duration_class(int beats) {
  if (beats <= 0) return 0;
  if (beats <= 4) return beats - 1;  // 1..4 -> 0..3
  if (beats <= 6) return 4;
  if (beats <= 8) return 5;
  if (beats <= 12) return 6;
  if (beats <= 16) return 7;
  return 8;
}

std::optional<std::int64_t> chord_viewpoint_value(const ChordViewpoint& viewpoint,
                                                  std::span<const ChordItem> items, std::size_t i,
                                                  int candidate) {
  if (viewpoint.parts.empty() || i >= items.size()) return std::nullopt;
  std::int64_t value = 0;
  for (ChordBasic b : viewpoint.parts) {
    const auto v = basic_value(b, items, i, candidate);
    if (!v) return std::nullopt;
    value = value * info(b).range + *v;
  }
  return value;
}

std::size_t nearest_beat(std::span<const double> beat_seconds, double seconds) {
  if (beat_seconds.empty()) return 0;
  const auto it = std::lower_bound(beat_seconds.begin(), beat_seconds.end(), seconds);
  if (it == beat_seconds.begin()) return 0;
  if (it == beat_seconds.end()) return beat_seconds.size() - 1;
  const auto after = static_cast<std::size_t>(it - beat_seconds.begin());
  return seconds - beat_seconds[after - 1] <= *it - seconds ? after - 1 : after;
}

Pop909ChordItems pop909_chord_items(const Pop909Song& song) {
  Pop909ChordItems out;
  if (song.keys.empty()) return out;
  out.minor = key_context(song.keys.front().key).minor;
  std::vector<double> beat_seconds;
  std::vector<std::size_t> last_downbeat;  // per beat: index of the downbeat at or before it
  for (std::size_t b = 0; b < song.beats.size(); ++b) {
    beat_seconds.push_back(song.beats[b].seconds);
    last_downbeat.push_back(song.beats[b].downbeat || b == 0 ? b : last_downbeat.back());
  }
  // The key in force at t: the last annotation starting at or before t (the first before any).
  const auto key_at = [&](double t) {
    std::size_t k = 0;
    for (std::size_t j = 0; j < song.keys.size(); ++j) {
      if (song.keys[j].start_seconds <= t) k = j;
    }
    return key_context(song.keys[k].key);
  };
  struct Raw {
    int root;
    ChordClass quality;
    double start;
    int symbol;
    int position;
  };
  std::vector<Raw> raw;
  double end_of_last = 0;
  for (const Pop909ChordLabel& label : song.chords) {
    if (!label.chord) continue;  // N
    const int root = label.chord->root.pitch_class();
    const ChordClass quality = chord_class(label.chord->triad());
    end_of_last = label.end_seconds;
    if (!raw.empty() && raw.back().root == root && raw.back().quality == quality) continue;
    const KeyContext key = key_at(label.start_seconds);
    int position = -1;
    if (!beat_seconds.empty()) {
      const std::size_t b = nearest_beat(beat_seconds, label.start_seconds);
      // Before the first downbeat the bar position is unknown.
      if (song.beats[last_downbeat[b]].downbeat) position = static_cast<int>(b - last_downbeat[b]);
    }
    raw.push_back(
        Raw{root, quality, label.start_seconds, chord_symbol(root, quality, key), position});
  }
  for (std::size_t i = 0; i < raw.size(); ++i) {
    ChordItem item;
    item.symbol = raw[i].symbol;
    item.bar_position = raw[i].position;
    if (!beat_seconds.empty()) {
      const double end = i + 1 < raw.size() ? raw[i + 1].start : end_of_last;
      const auto from = nearest_beat(beat_seconds, raw[i].start);
      const auto to = nearest_beat(beat_seconds, end);
      item.duration = to > from ? static_cast<int>(to - from) : 0;
    }
    out.items.push_back(item);
  }
  return out;
}

}  // namespace duet::model
