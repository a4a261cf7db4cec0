// Shared by the maps: finding the segment that holds a position.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace duet::time::detail {

// Index of the last element whose key (by `key_of`) is <= `value`; 0 when `value` is before all
// of them (positions before the first segment extend it). Precondition: non-empty, keys sorted.
template <class Segment, class Key, class KeyOf>
std::size_t last_at_or_before(const std::vector<Segment>& segments, const Key& value,
                              KeyOf key_of) {
  const auto it = std::upper_bound(segments.begin(), segments.end(), value,
                                   [&](const Key& v, const Segment& s) { return v < key_of(s); });
  return it == segments.begin() ? 0 : static_cast<std::size_t>(it - segments.begin()) - 1;
}

}  // namespace duet::time::detail
