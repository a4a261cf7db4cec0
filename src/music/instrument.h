// The instruments of a General MIDI orchestra as an orchestrator knows them: family, General MIDI
// program, the range a player can play and the range where it sounds well, and how its part is
// written (transposition and clef). The generator keeps parts inside these ranges, the critics
// check them, and the MusicXML hand-off writes transposed parts from them.
//
// Ranges are sounding MIDI pitches (60 = C4, middle C). Sources: Adler, The Study of
// Orchestration (4th ed., 2016), range charts; Piston, Orchestration (1955). The comfortable
// range leaves out the extremes a section avoids in a mock-up or a first reading.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace duet::music {

enum class Family { strings, woodwinds, brass, percussion, keys };
std::string_view to_string(Family family);  // "strings", "woodwinds", "brass", "percussion", "keys"

// The family of a General MIDI program (0..127), the grouping of stems: strings 40-55, brass
// 56-63, woodwinds 64-79, percussion 112-119, keys (and every other sound) the rest. Channel 10
// (index 9) is always percussion: see family_of.
Family family_of_program(int program);
Family family_of(int channel, int program);

enum class Clef { treble, bass, alto, tenor, treble_8vb, percussion, grand_staff };
std::string_view to_string(Clef clef);  // "treble", "bass", ...

struct Instrument {
  std::string id;    // "violin", "horn", "clarinet": the name parts and the command use
  std::string name;  // "Violin", "Horn in F", "Clarinet in Bb": the name printed on a part
  Family family = Family::keys;
  int program = 0;          // General MIDI program 0..127 (for drums: the kit, 0)
  bool drums = false;       // played on the General MIDI percussion channel (10)
  int low = 0, high = 127;  // playable, sounding MIDI pitches
  int comfortable_low = 0, comfortable_high = 127;  // where it sounds well
  // Written pitch = sounding pitch + transposition, in semitones: clarinet in Bb +2, horn in F +7,
  // trumpet in Bb +2, double bass +12, piccolo -12, celesta -12.
  int transposition = 0;
  Clef clef = Clef::treble;
  bool in_range(int pitch) const { return pitch >= low && pitch <= high; }
  bool comfortable(int pitch) const {
    return pitch >= comfortable_low && pitch <= comfortable_high;
  }
};

// The orchestra duet writes for, in score order: piccolo, flute, oboe, clarinet, bassoon, horn,
// trumpet, trombone, tuba, timpani, drums, harp, celesta, piano, pad (synth strings), strings
// (ensemble), violin, viola, cello, double bass.
const std::vector<Instrument>& orchestra();

// The instrument with this id, or nullptr.
const Instrument* find_instrument(std::string_view id);

// The orchestra's instrument for a General MIDI program (the first in score order), or nullptr
// when the program is not one of them.
const Instrument* instrument_for_program(int program);

}  // namespace duet::music
