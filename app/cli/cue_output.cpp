#include "cue_output.h"

#include <ostream>

#include "base/text.h"
#include "project/manifest.h"

namespace duet::cli {

void print_cue(std::ostream& out, const spot::Cue& c, const time::FrameRate& rate) {
  const auto tc = [&](time::TimePos t) { return time::nearest_label(t, rate); };
  const auto number = [](double v) { return base::fixed(v, 2); };
  out << c.id.to_string() << " " << c.title << " (" << spot::usage_name(c.usage) << ")\n";
  for (const auto& h : c.hits) {
    out << "  hit      " << tc(h.at) << "  " << spot::hit_kind_name(h.kind) << " "
        << h.land.to_string() << (h.accent ? " accent" : "") << ", weight " << number(h.weight)
        << (h.label.empty() ? "" : "  " + h.label) << "\n";
  }
  for (const auto& d : c.dialogue) {
    out << "  dialogue " << tc(d.start) << " to " << tc(d.end)
        << (d.speaker.empty() ? "" : "  " + d.speaker) << "\n";
  }
  for (const auto& k : c.emotion.keys) {
    out << "  emotion  " << tc(k.at) << "  valence " << number(k.value.valence) << ", arousal "
        << number(k.value.arousal) << ", tension " << number(k.value.tension) << "\n";
  }
  const auto tags = [&](const char* name, const std::vector<std::string>& list) {
    if (list.empty()) return;
    out << "  " << name << ":";
    for (const auto& s : list)
      out << " " << s;
    out << "\n";
  };
  tags("characters", c.characters);
  tags("themes", c.themes);
  if (!c.notes.empty()) out << "  notes: " << c.notes << "\n";
}

}  // namespace duet::cli
