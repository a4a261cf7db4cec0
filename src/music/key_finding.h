// Key finding from notes with key profiles (Krumhansl 1990): a duration-weighted pitch-class
// histogram is correlated (Pearson) with the 24 rotations of a major and a minor profile; the
// best-correlated rotation is the key.
#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "music/key.h"

namespace duet::music {

// A sounding note in any time unit (seconds or beats; key finding and chord recognition only
// compare durations with each other). weight scales its contribution (1 by default).
struct TimedNote {
  int pitch = 60;  // MIDI note number
  double onset = 0;
  double duration = 0;
  double weight = 1;
};

using PitchClassHistogram = std::array<double, 12>;

// Sum of duration x weight per pitch class.
PitchClassHistogram pitch_class_histogram(std::span<const TimedNote> notes);

enum class KeyProfile {
  krumhansl_kessler,  // probe-tone ratings (Krumhansl & Kessler 1982)
  temperley,          // Kostka-Payne corpus frequencies (Temperley 2007)
  albrecht_shanahan,  // art-music corpus distributions (Albrecht & Shanahan 2013)
  aarden_essen,       // Essen folksong corpus (Aarden 2003)
};
std::span<const KeyProfile> all_key_profiles();
std::string_view to_string(KeyProfile profile);  // "krumhansl-kessler", "temperley", ...
// The profile weights on C (index 0 = tonic).
const std::array<double, 12>& profile_weights(KeyProfile profile, bool minor);

struct KeyEstimate {
  int tonic = 0;  // pitch class
  bool minor = false;
  double correlation = 0;  // -1..1
};

// All 24 keys by falling correlation (ties: lower tonic first, major before minor). A silent
// histogram (all zero) correlates 0 with every key.
std::vector<KeyEstimate> rank_keys(const PitchClassHistogram& histogram, KeyProfile profile);
KeyEstimate find_key(const PitchClassHistogram& histogram,
                     KeyProfile profile = KeyProfile::albrecht_shanahan);
// The estimate as a spelled key: the tonic spelled so the signature has the fewest accidentals
// (Db major, not C# major; F# minor, not Gb minor).
Key to_key(const KeyEstimate& estimate);
// The key of `notes` by the default profile, spelled: to_key(find_key(pitch_class_histogram)).
// The one recipe every "key found from the notes" uses (themes, scores read from MIDI, the
// critics' chords), so that they all agree.
Key key_of(std::span<const TimedNote> notes);

}  // namespace duet::music
