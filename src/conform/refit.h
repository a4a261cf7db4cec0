// Re-fitting a cue to a new cut: its times moved through the cut's map (conform/diff.h), and its
// music re-fitted where the picture inside it changed.
//
// A cue whose picture moved as one block keeps everything and moves (its tempo map's origin
// with it). A cue whose picture changed inside is re-fitted bar by bar, the way a music editor
// conforms a cue:
//   - between two anchors (the cue's in and out and its hard hits that still exist), where the
//     picture lost or gained time, whole bars are removed at the bar line nearest the change
//     (or the bars before it repeated, for picture added), as many as bring the music closest to
//     its own tempo;
//   - what whole bars cannot absorb is absorbed by easing the tempo between those anchors, so
//     that every anchor lands exactly where the picture now puts it;
//   - the music elsewhere is kept note for note (re-fit MIDI with refit_midi).
// What the engine cannot decide is flagged for the composer, never dropped: a hit whose picture
// was cut (kept in the cue's notes), a cue whose start was cut or that now runs past the film, a
// tempo eased by more than a tenth, picture re-ordered inside the cue.
//
// Units: film positions (time::TimePos) and musical positions (time::BeatPos, 1,920 per quarter).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conform/diff.h"
#include "midi/smf.h"
#include "spot/cue.h"
#include "time/frame_rate.h"
#include "time/rational.h"
#include "time/tempo_map.h"
#include "time/units.h"

namespace duet::conform {

// The bars a re-fit removed or repeated, in the old music's beats.
struct BarEdit {
  enum class Kind { remove, repeat };
  Kind kind = Kind::remove;
  time::BeatPos at;         // a bar line of the old music
  time::BeatDur length;     // whole bars
  time::BeatPos copy_from;  // for a repeat: the bars played again (they end at `at`)
  friend bool operator==(const BarEdit&, const BarEdit&) = default;
};

// What a re-fit does to the music: bar edits and the new tempo map.
struct MusicRefit {
  std::vector<BarEdit> edits;  // in old-beat order
  time::TempoMap map;          // the re-fitted map, its origin on the new cut's timeline
  // Where an old musical position is in the re-fitted music; nullopt inside removed bars.
  std::optional<time::BeatPos> map_beat(time::BeatPos old) const;
  // The same, with a position inside removed bars placed where they closed.
  time::BeatPos place_beat(time::BeatPos old) const;
  // Where the re-fitted music was spliced (removed bars closed, repeated bars begin and end),
  // in its own beats, in order: the places a composer would smooth.
  std::vector<time::BeatPos> joins() const;
  // The other way: the old position that plays at a re-fitted one; nullopt inside repeated bars.
  std::optional<time::BeatPos> unmap_beat(time::BeatPos now) const;
  // The old music's bars (1-based, by the old map's meters) that the re-fit removed, repeated
  // or re-timed.
  std::vector<std::int64_t> bars_touched;
  // The largest tempo change, as a ratio (1.05: five per cent faster).
  double largest_ease = 1.0;
};

enum class CueFate { unchanged, moved, refitted, attention, removed };
// "unchanged", "moved", "re-fitted", "needs attention", "removed".
std::string_view to_string(CueFate fate);

struct RefitOptions {
  // The new film's last frame plus one (record frames); a cue running past it is trimmed and
  // flagged. -1: the new cut's end.
  std::int64_t film_end = -1;
  time::Rational tolerance_frames{1};  // how far a hard hit may land from its frame
  double ease_limit = 0.10;            // a tempo eased by more than this is flagged
};

struct CueRefit {
  spot::Cue before;
  std::optional<spot::Cue> after;  // nullopt when all the cue's picture was cut
  CueFate fate = CueFate::unchanged;
  std::vector<std::string> reasons;       // one sentence each, for the report
  std::int64_t offset_frames = 0;         // for a moved cue: how far, in frames
  std::vector<spot::HitPoint> lost_hits;  // hits whose picture was cut (also in after->notes)
  // Hard hits still in the picture that the re-fitted music does not land (their picture moved
  // out of the music's order and no beat could be given to them): each also a reason.
  std::vector<spot::HitPoint> missed_hits;
  std::optional<MusicRefit> music;  // when the cue has a tempo map and changed inside
};

// Conforms one cue to a cut's diff.
CueRefit refit_cue(const spot::Cue& cue, const CutDiff& diff, const RefitOptions& options = {});

// Cues that did not overlap before and do now (picture moved into one of them): both need the
// composer's attention, each with a reason naming the other.
void flag_new_overlaps(std::vector<CueRefit>& cues, const time::FrameRate& rate);

// The re-fit of a cue's music played on `old_map` (its origin on the old timeline: the cue's
// tempo map, or a MIDI file's own map placed where the file plays), anchored at the cue's in and
// out and its hard hits that still exist. Used by refit_cue for the cue's map and by the engine
// for each MIDI file of the cue.
MusicRefit refit_music(const time::TempoMap& old_map, const spot::Cue& cue, const CutDiff& diff,
                       const RefitOptions& options = {});

// A MIDI file played from `old_start` (where its tick 0 sits on the old timeline) re-fitted:
// events in removed bars dropped (a note sounding into them ends at the join), repeated bars
// played again, everything else moved by whole bars and kept note for note, and the tempo and
// meter events replaced by `refit.map` (the file's tick 0 is then the map's beat 0, with an SMPTE
// offset at `rate` for where it now starts). Fails when the file has no beats (SMPTE division).
base::Result<midi::MidiFile> refit_midi(const midi::MidiFile& file, const MusicRefit& refit,
                                        const time::FrameRate& rate, const std::string& name);

}  // namespace duet::conform
