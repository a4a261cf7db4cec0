// CMX3600 edit decision lists: read one into a Cut, write a Cut back as one.
//
// The reader takes the dialects real editors write (Avid Media Composer, Premiere Pro, DaVinci
// Resolve, Final Cut Pro export tools, Nucoda...): tabs or spaces, CRLF or LF, blank lines, reel
// names longer than 8 characters (or holding single spaces), "*FROM CLIP NAME" without the
// space, AUD lines, M2 lines with any spacing, timecodes with ':', ';' or '.', frame numbers in
// place of timecodes, four-digit event numbers, a missing FCM or an empty TITLE, and Latin-1
// text (converted to UTF-8). docs/edl.md lists each quirk and the fixture that covers it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "picture/cut.h"
#include "time/frame_rate.h"

namespace duet::picture {

struct EdlOptions {
  // EDLs do not say their rate; it comes from the project or the user. "FCM: DROP FRAME" at a
  // 30- or 60-based rate (30, 29.97, 60, 59.94) makes the list 29.97 DF or 59.94 DF. A drop-frame
  // rate here is the counting used until the list's first FCM line.
  time::FrameRate rate = time::FrameRate::fps24();
  // The rate above is only a default, nobody said it (cut show without --rate): a list whose
  // first FCM line, before any event, says DROP FRAME is read at 29.97 DF, the rate drop-frame
  // labels imply (with a warning naming the assumption), instead of counting 24 fps.
  bool rate_from_fcm = false;
  // Skip a malformed event (with a warning naming the line and why) instead of failing.
  bool lenient = false;
};

struct EdlRead {
  Cut cut;
  std::vector<base::Warning> warnings;
  int skipped_events = 0;  // events left out by a lenient reading
};

// Reads a CMX3600 list. Fails with "line N: expected ..., found '...'" for a malformed line
// unless options.lenient is set.
base::Result<EdlRead> read_edl(std::string_view bytes, const EdlOptions& options = {});

// Writes a cut as CMX3600 text with CRLF-free LF lines and the classic column layout (3-digit
// event numbers, 8-character reel column). The text is Latin-1 when every character fits and
// the result cannot be mistaken for UTF-8, else UTF-8. read_edl of the result, at the cut's
// rate, gives an equal Cut.
std::string write_edl(const Cut& cut);

}  // namespace duet::picture
