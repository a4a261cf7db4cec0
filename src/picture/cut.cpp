#include "picture/cut.h"

#include <algorithm>

#include "time/timecode.h"

namespace duet::picture {

std::string transition_code(const Transition& t) {
  switch (t.kind) {
    case TransitionKind::cut:
      return "C";
    case TransitionKind::dissolve:
      return "D";
    case TransitionKind::wipe: {
      std::string digits = std::to_string(t.wipe_code);
      digits.insert(0, digits.size() < 3 ? 3 - digits.size() : 0, '0');
      return "W" + digits;
    }
    case TransitionKind::key:
      return "K";
    case TransitionKind::key_background:
      return "KB";
    case TransitionKind::key_out:
      return "KO";
  }
  return "C";
}

bool has_video(const std::string& channels) {
  if (channels == "V" || channels == "B") return true;
  return channels.size() >= 2 && channels.compare(channels.size() - 2, 2, "/V") == 0;
}

bool is_black_reel(const std::string& reel) {
  return reel == "BL" || reel == "BLK" || reel == "BLACK";
}

bool is_aux_reel(const std::string& reel) {
  return reel == "AX";
}

time::FrameRate Cut::rate_for(Fcm mode) const {
  if (mode == Fcm::drop && rate.fps().den() == 1001 &&
      (rate.nominal() == 30 || rate.nominal() == 60)) {
    auto df = time::FrameRate::create(rate.fps(), true);
    if (df) return *df;
  }
  return rate;
}

std::string Cut::timecode(std::int64_t frame, Fcm mode) const {
  const time::FrameRate r = rate_for(mode);
  return time::format_timecode(time::from_frames(frame, r), r);
}

const Speed* speed_of(const Event& event, std::size_t index) {
  const Edit& edit = event.edits[index];
  const Speed* by_reel = nullptr;
  int named = 0;
  for (const Speed& sp : event.speeds) {
    if (sp.reel != edit.reel) continue;
    if (sp.entry == edit.source_in) return &sp;
    by_reel = &sp;
    ++named;
  }
  // With both edits of a transition from one reel only the entry can say which one is meant.
  const auto same_reel = std::count_if(event.edits.begin(), event.edits.end(),
                                       [&](const Edit& e) { return e.reel == edit.reel; });
  if (named == 1 && same_reel == 1) return by_reel;
  if (named == 0 && event.speeds.size() == 1 && event.edits.size() == 1) {
    return &event.speeds.front();
  }
  return nullptr;
}

std::vector<Shot> Cut::shots() const {
  std::vector<Shot> out;
  for (const Event& e : events) {
    for (std::size_t i = 0; i < e.edits.size(); ++i) {
      const Edit& edit = e.edits[i];
      if (!has_video(edit.channels)) continue;
      // The from-clip of a pair only says where the transition starts.
      if (e.edits.size() > 1 && i == 0 && edit.record_out == edit.record_in) continue;
      Shot s;
      s.event = e.number;
      s.reel = edit.reel;
      s.clip_name = edit.clip_name;
      s.channels = edit.channels;
      s.source_file = e.source_file;
      s.source_in = time_of(edit.source_in);
      s.source_out = time_of(edit.source_out);
      s.record_in = time_of(edit.record_in);
      s.record_out = time_of(edit.record_out);
      s.transition = edit.transition;
      if (const Speed* sp = speed_of(e, i)) s.speed = *sp;
      out.push_back(std::move(s));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Shot& a, const Shot& b) { return a.record_in < b.record_in; });
  return out;
}

std::string_view to_string(Fcm mode) {
  return mode == Fcm::drop ? "DROP FRAME" : "NON-DROP FRAME";
}

std::string_view to_string(TransitionKind kind) {
  switch (kind) {
    case TransitionKind::cut:
      return "cut";
    case TransitionKind::dissolve:
      return "dissolve";
    case TransitionKind::wipe:
      return "wipe";
    case TransitionKind::key:
      return "key";
    case TransitionKind::key_background:
      return "key background";
    case TransitionKind::key_out:
      return "key out";
  }
  return "cut";
}

}  // namespace duet::picture
