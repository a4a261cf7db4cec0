// A cut: the edit decision list of a film as a model (what a CMX3600 EDL says), and the shots
// that come out of it on the integer timeline.
//
// The model keeps what the list says in the list's own terms (event numbers, reels, channel and
// transition codes, timecode labels as frame numbers under the counting in force), so that
// writing it back gives a list that reads as the same cut. Shots are derived from it: the
// picture events in record order, with times as TimePos/TimeDur at the cut's frame rate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "time/frame_rate.h"
#include "time/rational.h"
#include "time/units.h"

namespace duet::picture {

// Frame-code mode: how the timecode labels of an event count (FCM lines may change it anywhere
// in a list). Drop-frame counting exists only at the 1001 rates whose nominal rate is 30 or 60.
enum class Fcm { non_drop, drop };

enum class TransitionKind {
  cut,             // C
  dissolve,        // D, with a duration
  wipe,            // Wnnn (SMPTE wipe code nnn), with a duration
  key,             // K: key (foreground) over the event before
  key_background,  // KB or "K B": the background of a key
  key_out,         // KO or "K O": the key fades out
};

struct Transition {
  TransitionKind kind = TransitionKind::cut;
  int wipe_code = 0;        // Wnnn's nnn (0..999), for wipes only
  std::int64_t frames = 0;  // duration in frames (0 for a cut or when a key gives none)
  friend bool operator==(const Transition&, const Transition&) = default;
};

// "C", "D", "W001", "K", "KB", "KO".
std::string transition_code(const Transition& t);

// One event line of the list (a dissolve or wipe is two lines sharing an event number: the
// from-clip, usually of zero record length, then the to-clip with the transition).
struct Edit {
  std::string reel;              // "AX", "BL" (black), "A001C003", or a longer name; never empty
  std::string channels;          // as written: "V", "A", "A2", "AA", "B", "AA/V", "A2/V", "NONE"...
  std::vector<int> extra_audio;  // channels from a following "AUD 3 4" line (Premiere, Avid)
  Transition transition;
  // Frame numbers of the timecode labels (00:00:00:00 is 0) under the event's counting; outs
  // are exclusive, as in every EDL.
  std::int64_t source_in = 0;
  std::int64_t source_out = 0;
  std::int64_t record_in = 0;
  std::int64_t record_out = 0;
  std::string clip_name;  // "* FROM CLIP NAME:" (first line) or "* TO CLIP NAME:" (second line)
  friend bool operator==(const Edit&, const Edit&) = default;
};

// True for channel codes that carry picture: V, B (both), and anything ending in "/V".
bool has_video(const std::string& channels);
// True for the black and auxiliary-source reels (BL, BLK, BLACK; AX).
bool is_black_reel(const std::string& reel);
bool is_aux_reel(const std::string& reel);

// An M2 (motion memory) line: the source plays at `fps` frames per second of source timecode
// while the record side runs at the list's rate. 0 is a freeze frame, negative plays in reverse.
struct Speed {
  std::string reel;
  time::Rational fps;
  std::int64_t entry = 0;  // source entry label, as a frame number under the event's counting
  friend bool operator==(const Speed&, const Speed&) = default;
};

// "* LOC: 01:00:05:00 RED     text": a marker at a record timecode.
struct Marker {
  std::int64_t frame = 0;  // record label as a frame number under the event's counting
  std::string colour;      // as written ("RED", "YELLOW"); empty only when the line had no text
  std::string text;
  friend bool operator==(const Marker&, const Marker&) = default;
};

struct Event {
  int number = 0;  // as written; lists over 999 events use four digits or more
  Fcm fcm = Fcm::non_drop;
  std::vector<Edit> edits;    // one line, or two for a transition pair (from-clip, to-clip)
  std::vector<Speed> speeds;  // M2 lines
  std::vector<Marker> markers;
  std::string source_file;  // "* SOURCE FILE:"
  std::string effect_name;  // "* EFFECT NAME:" (Avid)
  // Other comment lines, without the leading '*' and its spaces; and other statements kept as
  // written (SPLIT:, GPI, "FINAL CUT PRO REEL: ... REPLACED BY: ...", Resolve's "|C:" markers).
  std::vector<std::string> comments;
  std::vector<std::string> other_lines;
  friend bool operator==(const Event&, const Event&) = default;
};

// A shot: one picture event on the record timeline.
struct Shot {
  int event = 0;
  std::string reel;
  std::string clip_name;
  std::string channels;
  std::string source_file;
  time::TimePos source_in;  // source timecode on the timeline (the label's frame start)
  time::TimePos source_out;
  time::TimePos record_in;
  time::TimePos record_out;
  Transition transition;  // how the shot begins: a cut, or a dissolve/wipe from the shot before
  std::optional<Speed> speed;
  time::TimeDur duration() const { return record_out - record_in; }
};

// The speed (M2 line) that applies to edit `index` of an event: the line naming its reel with its
// source in as the entry; else the one line naming its reel when no other edit of the event is
// from that reel; else, for a single-edit event with
// one M2 line, that line. nullptr at normal speed. (Both edits of a dissolve may come from one
// reel, so the reel alone cannot always say.)
const Speed* speed_of(const Event& event, std::size_t index);

struct Cut {
  std::string title;
  // The rate the labels count at, always non-drop here (29.97 for a 29.97 DF list); rate_for()
  // gives the counting of one event.
  time::FrameRate rate = time::FrameRate::fps24();
  Fcm fcm = Fcm::non_drop;            // the mode at the top of the list
  std::vector<std::string> comments;  // comment lines before the first event
  std::vector<std::string> other_lines;
  std::vector<Event> events;

  // The counting of labels under a mode: drop-frame at 29.97 and 59.94, else the rate itself.
  time::FrameRate rate_for(Fcm mode) const;
  // The picture events in record order (stable for equal record-ins). The from-clip line of a
  // transition pair (zero record length) is not a shot; the to-clip line carries the
  // transition.
  std::vector<Shot> shots() const;
  // Timeline position of a label frame number (same at drop and non-drop: only labels differ).
  time::TimePos time_of(std::int64_t frame) const { return time::time_of_frame(frame, rate); }
  // "01:00:00:00" (or "01:00:00;00" under drop-frame) of a frame number.
  std::string timecode(std::int64_t frame, Fcm mode) const;

  friend bool operator==(const Cut&, const Cut&) = default;
};

std::string_view to_string(Fcm mode);             // "NON-DROP FRAME", "DROP FRAME"
std::string_view to_string(TransitionKind kind);  // "cut", "dissolve", "wipe", "key"...

}  // namespace duet::picture
