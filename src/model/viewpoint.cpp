#include "model/viewpoint.h"

#include <limits>

#include "base/text.h"

namespace duet::model {

namespace {

struct NamedViewpoint {
  BasicViewpoint basic;
  std::string_view name;
};
constexpr NamedViewpoint kNames[] = {
    {BasicViewpoint::cpitch, "cpitch"},     {BasicViewpoint::cpint, "cpint"},
    {BasicViewpoint::contour, "contour"},   {BasicViewpoint::cpintfref, "cpintfref"},
    {BasicViewpoint::cpintfip, "cpintfip"}, {BasicViewpoint::dur, "dur"},
    {BasicViewpoint::bioi, "bioi"},         {BasicViewpoint::posinbar, "posinbar"},
    {BasicViewpoint::mode, "mode"},
};

std::optional<std::int64_t> basic_symbol(BasicViewpoint v, std::span<const MelodyNote> notes,
                                         std::size_t i, int pitch) {
  const MelodyNote& note = notes[i];
  switch (v) {
    case BasicViewpoint::cpitch:
      return pitch;
    case BasicViewpoint::cpint:
      if (i == 0) return std::nullopt;
      return pitch - notes[i - 1].pitch;
    case BasicViewpoint::contour:
      if (i == 0) return std::nullopt;
      return (pitch > notes[i - 1].pitch) - (pitch < notes[i - 1].pitch);
    case BasicViewpoint::cpintfref:
      if (!note.key) return std::nullopt;
      return ((pitch - note.key->tonic) % 12 + 12) % 12;
    case BasicViewpoint::cpintfip:
      return i == 0 ? 0 : pitch - notes[0].pitch;
    case BasicViewpoint::dur:
      return note.duration.ticks();
    case BasicViewpoint::bioi:
      if (i == 0) return std::nullopt;
      return (note.onset - notes[i - 1].onset).ticks();
    case BasicViewpoint::posinbar:
      return note.bar_position.ticks();
    case BasicViewpoint::mode:
      if (!note.key) return std::nullopt;
      return note.key->minor ? 1 : 0;
  }
  return std::nullopt;
}

// What basic_symbol reads besides the pitch; kAbsent where it reads nothing or the thing is
// absent (no previous note, no key). Values read are pitches 0..127, tonics 0..11, modes 0..1
// and tick counts, so none is kAbsent; each part has its own slot, so kinds never mix.
constexpr std::int64_t kAbsent = std::numeric_limits<std::int64_t>::min();

std::int64_t basic_context(BasicViewpoint v, std::span<const MelodyNote> notes, std::size_t i) {
  const MelodyNote& note = notes[i];
  switch (v) {
    case BasicViewpoint::cpitch:
      return kAbsent;
    case BasicViewpoint::cpint:
    case BasicViewpoint::contour:
      return i == 0 ? kAbsent : notes[i - 1].pitch;
    case BasicViewpoint::cpintfref:
      return note.key ? note.key->tonic : kAbsent;
    case BasicViewpoint::cpintfip:
      return i == 0 ? kAbsent : notes[0].pitch;
    case BasicViewpoint::dur:
      return note.duration.ticks();
    case BasicViewpoint::bioi:
      return i == 0 ? kAbsent : (note.onset - notes[i - 1].onset).ticks();
    case BasicViewpoint::posinbar:
      return note.bar_position.ticks();
    case BasicViewpoint::mode:
      return note.key ? (note.key->minor ? 1 : 0) : kAbsent;
  }
  return kAbsent;
}

}  // namespace

std::optional<ViewpointContext> viewpoint_context(const Viewpoint& viewpoint,
                                                  std::span<const MelodyNote> notes,
                                                  std::size_t i) {
  if (viewpoint.parts.size() > kContextParts) return std::nullopt;
  ViewpointContext out;
  out.fill(kAbsent);
  for (std::size_t k = 0; k < viewpoint.parts.size(); ++k)
    out[k] = basic_context(viewpoint.parts[k], notes, i);
  return out;
}

std::string viewpoint_name(const Viewpoint& viewpoint) {
  std::string out;
  for (BasicViewpoint b : viewpoint.parts) {
    if (!out.empty()) out += '*';
    for (const auto& n : kNames) {
      if (n.basic == b) out += n.name;
    }
  }
  return out;
}

base::Result<Viewpoint> parse_viewpoint(std::string_view name) {
  Viewpoint v;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t star = name.find('*', start);
    const std::string_view part =
        name.substr(start, star == std::string_view::npos ? std::string_view::npos : star - start);
    bool found = false;
    for (const auto& n : kNames) {
      if (n.name == part) {
        v.parts.push_back(n.basic);
        found = true;
      }
    }
    if (!found) {
      return base::make_error(base::ErrorKind::invalid_input, "unknown viewpoint \"", part,
                              "\" in \"", name,
                              "\"; use cpitch, cpint, contour, cpintfref, cpintfip, dur, bioi, "
                              "posinbar or mode, linked with *");
    }
    if (star == std::string_view::npos) break;
    start = star + 1;
  }
  return v;
}

bool uses_rhythm(const Viewpoint& viewpoint) {
  for (BasicViewpoint b : viewpoint.parts) {
    if (b == BasicViewpoint::dur || b == BasicViewpoint::bioi || b == BasicViewpoint::posinbar) {
      return true;
    }
  }
  return false;
}

std::optional<std::int64_t> viewpoint_symbol(const Viewpoint& viewpoint,
                                             std::span<const MelodyNote> notes, std::size_t i,
                                             int pitch) {
  // Linked symbols: each part in 21 bits (values within +-2^20: pitches, intervals, ticks of
  // up to about nine 4/4 bars), so that distinct tuples never collide.
  if (viewpoint.parts.size() == 1) return basic_symbol(viewpoint.parts[0], notes, i, pitch);
  std::int64_t out = 0;
  for (BasicViewpoint b : viewpoint.parts) {
    const auto s = basic_symbol(b, notes, i, pitch);
    if (!s) return std::nullopt;
    std::int64_t value = *s;
    if (value >= (1 << 20)) value = (1 << 20) - 1;
    if (value < -(1 << 20)) value = -(1 << 20);
    out = out * (std::int64_t{1} << 21) + (value + (1 << 20));
  }
  return out;
}

}  // namespace duet::model
