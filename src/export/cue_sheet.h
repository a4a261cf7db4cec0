// The music cue sheet a production files with the performing-rights societies: the production,
// then per cue its number, title, writers with their role and share, publishers, usage, timecode
// in and out and duration (docs/hand-off.md).
//
// The credits types live here (the cue sheet is what they are for); the project manifest stores
// them (project sits above export).
//
// Namespace duet::exporting (the directory is src/export, but `export` is a C++ keyword).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "spot/cue.h"
#include "time/frame_rate.h"

namespace duet::exporting {

// A writer's role, with the CISAC codes the societies use: C composer, A author (lyricist),
// CA composer and author, AR arranger, AD adapter.
enum class WriterRole { composer, author, composer_author, arranger, adapter };
std::string_view role_code(WriterRole role);  // "C", "A", "CA", "AR", "AD"
std::string_view role_name(WriterRole role);  // "composer", "author", "composer/author", ...
// Parses a code ("C", "ca": any case) or a name ("composer", "arranger"). Fails naming the text
// and the codes.
base::Result<WriterRole> parse_role(std::string_view text);

struct Writer {
  std::string name;
  WriterRole role = WriterRole::composer;
  double share = 100;   // percent of the writers' share, 0..100
  std::string society;  // "PRS", "ASCAP", "GEMA"...; "" when not given
  std::string ipi;      // the IPI name number; "" when not given
  friend bool operator==(const Writer&, const Writer&) = default;
};

struct Publisher {
  std::string name;
  double share = 100;  // percent of the publishers' share, 0..100
  std::string society;
  std::string ipi;
  friend bool operator==(const Publisher&, const Publisher&) = default;
};

struct Credits {
  std::vector<Writer> writers;
  std::vector<Publisher> publishers;
  bool empty() const { return writers.empty() && publishers.empty(); }
  friend bool operator==(const Credits&, const Credits&) = default;
};

// A problem with credits: a JSON pointer relative to the credits ("/writers", "/publishers/1")
// and one sentence.
struct CreditProblem {
  std::string path;
  std::string message;
};
// Writers' shares sum to 100 (when there are writers), publishers' shares sum to 100 (when there
// are publishers), each share within 0..100, every name given. Sums are compared to 0.01.
std::vector<CreditProblem> check_credits(const Credits& credits);

struct CueSheetEntry {
  spot::Cue cue;
  Credits credits;  // the cue's own credits, or the production's
};

struct CueSheet {
  std::string production;  // the production's title
  std::string company;     // the production company; "" when not given
  time::FrameRate rate = time::FrameRate::fps24();
  std::vector<CueSheetEntry> entries;  // any order; the sheet sorts them by cue id
};

// "Jane Doe (CA, 50%, PRS, IPI 00052210040)" joined with "; " (society and IPI when given).
std::string writers_text(const Credits& credits);
// "Duet Music Ltd (100%, PRS)" joined with "; ".
std::string publishers_text(const Credits& credits);

// CSV (RFC 4180; "\n" ends each row; fields quoted when they hold a comma, quote or line break),
// one row per cue in id order under the header cue,title,writers,publishers,usage,in,out,duration.
// in and out are timecode at the sheet's rate (the nearest frame), duration the frame count as a
// timecode label.
std::string cue_sheet_csv(const CueSheet& sheet);

// A self-contained printable HTML page (A4 landscape, no scripts or outside files): the
// production, company, rate and totals, the table of cues, and the total duration per usage code.
std::string cue_sheet_html(const CueSheet& sheet);

}  // namespace duet::exporting
