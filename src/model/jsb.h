// The JSB chorale corpus (Boulanger-Lewandowski's train/valid/test split) as melodies: the
// soprano line (voice 0) of Jsb16thSeparated.json, one note per run of equal pitches.
//
// The file gives, per chorale, a list of 16th-note time steps, each with four MIDI pitches
// (soprano, alto, tenor, bass), -1 for a silent voice. Held and re-struck notes cannot be told
// apart there, so consecutive equal pitches merge into one note; a rest (-1) ends a note and the
// next pitch starts a new one even when equal. The file has no meter, key or barlines: 4/4 is
// assumed with the first step on a downbeat (chorales that open with an upbeat get bar positions
// shifted by it). The key is estimated (jsb_key): the tonic is the pitch class of the last bass
// note (chorales close on the tonic), the mode whichever third above it sounds longer in all four
// voices; like a key signature it is known from the start of the piece.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/sequence.h"

namespace duet::model {

inline constexpr std::int64_t kJsbStepTicks = 480;  // a 16th note in beat ticks

struct JsbCorpus {
  std::vector<Melody> train;
  std::vector<Melody> valid;
  std::vector<Melody> test;
};

// A chorale as the file gives it: per 16th-note step, the four voices' pitches (-1: silent).
using JsbSteps = std::vector<std::vector<int>>;
struct JsbChoraleSteps {
  std::vector<JsbSteps> train;
  std::vector<JsbSteps> valid;
  std::vector<JsbSteps> test;
};
// Parses the JSON text into its steps (all four voices; chord corpora read them); `where` names
// it in errors.
base::Result<JsbChoraleSteps> parse_jsb_steps(std::string_view json_text, std::string_view where);
base::Result<JsbChoraleSteps> read_jsb_steps(const std::filesystem::path& path);

// Parses the JSON text of Jsb16thSeparated.json; `where` names it in errors.
base::Result<JsbCorpus> parse_jsb_chorales(std::string_view json_text, std::string_view where);
// Reads and parses the file.
base::Result<JsbCorpus> read_jsb_chorales(const std::filesystem::path& path);

// The soprano melody of one chorale given as time steps of voices (pitch or -1). `voice` picks
// the voice (0 = soprano).
Melody jsb_voice_melody(const std::vector<std::vector<int>>& steps, int voice, std::string id);

// The estimated key of a chorale (see above); empty when no voice sounds.
std::optional<KeyContext> jsb_key(const std::vector<std::vector<int>>& steps);

}  // namespace duet::model
