// libFuzzer target for `duet click --subdivide TEXT` (sync::parse_subdivision), and the clicks it
// gives: the first line is the subdivision, the second (optional) a meter such as 6/8.
//
// Any input must give a subdivision or an Error, never a crash. A subdivision that reads must have
// a grid that divides 7,680 ticks, and click_events over two bars in the meter must either refuse
// it or give clicks whose times strictly increase, each at time_at of its position.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sync/click.h"
#include "time/tempo_map_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace duet;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t end = text.find('\n');
  const auto subdivision = sync::parse_subdivision(text.substr(0, end));
  if (!subdivision) return 0;
  if (subdivision->note_value < 0 || subdivision->note_value > 7680) __builtin_trap();
  if (!subdivision->none() && 7680 % subdivision->note_value != 0) __builtin_trap();
  const std::string meter =
      end == std::string_view::npos ? std::string("4/4") : std::string(text.substr(end + 1));
  auto map = time::parse_tempo_map({"1=97~", "2=131"}, {"1=" + meter});
  if (!map) return 0;
  sync::ClickOptions options;
  options.subdivide = *subdivision;
  options.count_in_bars = 1;
  const auto clicks = sync::click_events(*map, map->meters().bar_start(3), options);
  if (!clicks) return 0;
  for (std::size_t i = 0; i < clicks->size(); ++i) {
    const sync::Click& c = (*clicks)[i];
    if (c.at != map->time_at(c.position)) __builtin_trap();
    if (i > 0 && !((*clicks)[i - 1].at < c.at)) __builtin_trap();
  }
  return 0;
}
