// ABC notation (2.1 subset) read into melodies: enough of the standard to read every tune of the
// Nottingham Music Database (docs/corpora.md lists what is supported and the quirks met there).
//
// A tune is played out as a musician would play it: repeats and first/second endings expanded,
// parts played in the order the P: (or Nottingham's Y:) header gives, ties joined into one note,
// chords reduced to their top note, grace notes dropped (they take no time).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/result.h"
#include "model/sequence.h"
#include "time/units.h"

namespace duet::model {

// A chord symbol written in quotes ("G", "D7", "C/e", "(E7)"), kept as written, at the onset of
// the note or rest it is written before, in played time.
struct ChordSymbol {
  std::string text;
  time::BeatPos onset;
  friend bool operator==(const ChordSymbol&, const ChordSymbol&) = default;
};

struct AbcTune {
  int number = 0;                          // the X: field
  int line = 0;                            // line of the X: field in the source (1-based)
  std::string title;                       // the first T: field ("" when none)
  std::string key_text;                    // the first K: field as written ("G", "Ador", "none")
  std::optional<KeyContext> key;           // the first key; nullopt for K:none or no K: field
  MeterContext meter;                      // the first meter (4/4 for M:none or no M: field)
  Melody melody;                           // id "<id_prefix>/<X number>"
  std::vector<ChordSymbol> chord_symbols;  // in played order
  std::vector<base::Warning> warnings;     // what was accepted anyway, each with its line
};

struct AbcOptions {
  std::string id_prefix = "abc";  // melody ids are "<id_prefix>/<X number>"
  // false: the first error fails the whole file. true: a tune with an error is left out and the
  // error becomes a warning of the book (corpus reading).
  bool skip_bad_tunes = false;
  // Upper bound on played notes per tune, a guard against repeat structures that blow up on
  // hostile input.
  std::size_t max_notes_per_tune = 200'000;
};

struct AbcBook {
  std::vector<AbcTune> tunes;           // in file order
  std::vector<base::Warning> warnings;  // tunes left out (skip_bad_tunes) and file-level notes
};

// Parses ABC text holding one or more tunes (each begins with X: and ends at a blank line).
// `source_name` prefixes error and warning messages ("jigs.abc: line 12, column 5: ...").
base::Result<AbcBook> parse_abc(std::string_view text, std::string_view source_name,
                                const AbcOptions& options = {});

// Reads and parses a file; an empty options.id_prefix becomes the file's stem.
base::Result<AbcBook> read_abc_file(const std::filesystem::path& path, AbcOptions options = {});

}  // namespace duet::model
