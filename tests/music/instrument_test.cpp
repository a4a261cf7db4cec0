#include "music/instrument.h"

#include <gtest/gtest.h>

#include <set>

namespace duet::music {
namespace {

TEST(Instrument, TheOrchestraIsConsistent) {
  std::set<std::string> ids;
  for (const Instrument& i : orchestra()) {
    EXPECT_TRUE(ids.insert(i.id).second) << i.id;
    EXPECT_LE(i.low, i.comfortable_low) << i.id;
    EXPECT_LT(i.comfortable_low, i.comfortable_high) << i.id;
    EXPECT_LE(i.comfortable_high, i.high) << i.id;
    EXPECT_GE(i.low, 0);
    EXPECT_LE(i.high, 127);
    EXPECT_EQ(find_instrument(i.id), &i);
    // The family of the instrument's program is the instrument's (drums are on channel 10).
    EXPECT_EQ(family_of(i.drums ? 9 : 0, i.program), i.family) << i.id;
  }
  EXPECT_EQ(find_instrument("kazoo"), nullptr);
}

TEST(Instrument, RangesAndTranspositionsOfKnownInstruments) {
  const Instrument* violin = find_instrument("violin");
  ASSERT_NE(violin, nullptr);
  EXPECT_EQ(violin->low, 55);  // G3, the open G string
  EXPECT_FALSE(violin->in_range(54));
  EXPECT_EQ(find_instrument("clarinet")->transposition, 2);  // in Bb: sounds a tone lower
  EXPECT_EQ(find_instrument("horn")->transposition, 7);      // in F: a fifth lower
  EXPECT_EQ(find_instrument("double_bass")->transposition, 12);
  EXPECT_EQ(find_instrument("viola")->clef, Clef::alto);
  EXPECT_EQ(instrument_for_program(42)->id, "cello");
  EXPECT_EQ(instrument_for_program(81), nullptr);  // a synth lead is not in the orchestra
}

TEST(Instrument, FamiliesOfGeneralMidiPrograms) {
  EXPECT_EQ(family_of_program(0), Family::keys);
  EXPECT_EQ(family_of_program(40), Family::strings);
  EXPECT_EQ(family_of_program(47), Family::percussion);  // timpani
  EXPECT_EQ(family_of_program(56), Family::brass);
  EXPECT_EQ(family_of_program(73), Family::woodwinds);
  EXPECT_EQ(family_of_program(115), Family::percussion);
  EXPECT_EQ(family_of(9, 40), Family::percussion);
  EXPECT_EQ(to_string(Family::woodwinds), "woodwinds");
}

}  // namespace
}  // namespace duet::music
