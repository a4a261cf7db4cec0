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

namespace duet::base {
namespace {

TEST(XmlEscape, EscapesTheFiveMarkupCharactersAndNothingElse) {
  EXPECT_EQ(xml_escape("1M3 \"Storm\" <b> & 'you'"),
            "1M3 &quot;Storm&quot; &lt;b&gt; &amp; &#39;you&#39;");
  EXPECT_EQ(xml_escape("plain text, é"), "plain text, é");
  EXPECT_EQ(xml_escape(""), "");
}

}  // namespace
}  // namespace duet::base
