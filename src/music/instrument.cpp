#include "music/instrument.h"

#include <algorithm>

namespace duet::music {

std::string_view to_string(Family family) {
  switch (family) {
    case Family::strings:
      return "strings";
    case Family::woodwinds:
      return "woodwinds";
    case Family::brass:
      return "brass";
    case Family::percussion:
      return "percussion";
    case Family::keys:
      return "keys";
  }
  return "keys";
}

std::string_view to_string(Clef clef) {
  switch (clef) {
    case Clef::treble:
      return "treble";
    case Clef::bass:
      return "bass";
    case Clef::alto:
      return "alto";
    case Clef::tenor:
      return "tenor";
    case Clef::treble_8vb:
      return "treble 8vb";
    case Clef::percussion:
      return "percussion";
    case Clef::grand_staff:
      return "grand staff";
  }
  return "treble";
}

Family family_of_program(int program) {
  // Timpani (47) sits among GM's strings but plays in the percussion section of an orchestra,
  // and a music editor expects it on the percussion stem.
  if (program == 47) return Family::percussion;
  if (program >= 40 && program <= 55) return Family::strings;
  if (program >= 56 && program <= 63) return Family::brass;
  if (program >= 64 && program <= 79) return Family::woodwinds;
  if (program >= 112 && program <= 119) return Family::percussion;
  return Family::keys;
}

Family family_of(int channel, int program) {
  return channel == 9 ? Family::percussion : family_of_program(program);
}

namespace {

Instrument make(std::string id, std::string name, Family family, int program, int low, int high,
                int comfortable_low, int comfortable_high, int transposition, Clef clef,
                bool drums = false) {
  Instrument i;
  i.id = std::move(id);
  i.name = std::move(name);
  i.family = family;
  i.program = program;
  i.drums = drums;
  i.low = low;
  i.high = high;
  i.comfortable_low = comfortable_low;
  i.comfortable_high = comfortable_high;
  i.transposition = transposition;
  i.clef = clef;
  return i;
}

std::vector<Instrument> build_orchestra() {
  using F = Family;
  using C = Clef;
  // Sounding ranges (MIDI pitch) after Adler's charts; the comfortable range drops the top
  // fourth or so where tone thins and the bottom notes that speak slowly.
  return {
      make("piccolo", "Piccolo", F::woodwinds, 72, 74, 108, 76, 103, -12, C::treble),
      make("flute", "Flute", F::woodwinds, 73, 60, 98, 62, 93, 0, C::treble),
      make("oboe", "Oboe", F::woodwinds, 68, 58, 93, 60, 88, 0, C::treble),
      make("clarinet", "Clarinet in Bb", F::woodwinds, 71, 50, 94, 52, 89, 2, C::treble),
      make("bassoon", "Bassoon", F::woodwinds, 70, 34, 76, 36, 72, 0, C::bass),
      make("horn", "Horn in F", F::brass, 60, 35, 77, 41, 72, 7, C::treble),
      make("trumpet", "Trumpet in Bb", F::brass, 56, 52, 84, 55, 79, 2, C::treble),
      make("trombone", "Trombone", F::brass, 57, 40, 77, 40, 70, 0, C::bass),
      make("tuba", "Tuba", F::brass, 58, 26, 65, 29, 58, 0, C::bass),
      make("timpani", "Timpani", F::percussion, 47, 38, 60, 40, 55, 0, C::bass),
      // General MIDI percussion keys 35 (acoustic bass drum) .. 81 (open triangle).
      make("drums", "Percussion", F::percussion, 0, 35, 81, 35, 81, 0, C::percussion, true),
      make("harp", "Harp", F::strings, 46, 23, 104, 36, 96, 0, C::grand_staff),
      make("celesta", "Celesta", F::keys, 8, 60, 108, 60, 100, -12, C::treble),
      make("piano", "Piano", F::keys, 0, 21, 108, 28, 100, 0, C::grand_staff),
      make("pad", "Synth Strings", F::strings, 50, 36, 96, 40, 88, 0, C::grand_staff),
      make("strings", "Strings", F::strings, 48, 28, 100, 36, 93, 0, C::grand_staff),
      make("violin", "Violins", F::strings, 40, 55, 103, 55, 93, 0, C::treble),
      make("viola", "Violas", F::strings, 41, 48, 88, 48, 81, 0, C::alto),
      make("cello", "Cellos", F::strings, 42, 36, 81, 36, 76, 0, C::bass),
      make("double_bass", "Double Basses", F::strings, 43, 28, 67, 28, 55, 12, C::bass),
  };
}

}  // namespace

const std::vector<Instrument>& orchestra() {
  static const std::vector<Instrument> instruments = build_orchestra();
  return instruments;
}

const Instrument* find_instrument(std::string_view id) {
  const auto& all = orchestra();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const Instrument& i) { return i.id == id; });
  return it == all.end() ? nullptr : &*it;
}

const Instrument* instrument_for_program(int program) {
  const auto& all = orchestra();
  const auto it = std::find_if(all.begin(), all.end(), [&](const Instrument& i) {
    return !i.drums && i.program == program;
  });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace duet::music
