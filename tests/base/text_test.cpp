#include "base/text.h"

#include <gtest/gtest.h>

namespace duet::base {
namespace {

TEST(Text, FixedDecimals) {
  EXPECT_EQ(fixed(2.7725887, 3), "2.773");
  EXPECT_EQ(fixed(-0.5, 1), "-0.5");
  EXPECT_EQ(fixed(84, 2), "84.00");
}

TEST(Text, CsvFieldsAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(csv_field("door opens"), "door opens");
  EXPECT_EQ(csv_field("door, opens"), "\"door, opens\"");
  EXPECT_EQ(csv_field("the \"lamp\""), "\"the \"\"lamp\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

}  // namespace
}  // namespace duet::base
