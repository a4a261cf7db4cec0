#include "base/result.h"

#include <gtest/gtest.h>

#include <string>

namespace duet::base {
namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return make_error(ErrorKind::invalid_input, "'", c, "' is not a digit");
  return c - '0';
}

TEST(Result, HoldsValueOrError) {
  const Result<int> ok = parse_digit('7');
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 7);
  const Result<int> bad = parse_digit('x');
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(bad.error().message, "'x' is not a digit");
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(Result, ReadingTheValueOfAnErrorThrowsInsteadOfReturningGarbage) {
  const Result<int> bad = parse_digit('x');
  EXPECT_THROW((void)bad.value(), BadResultAccess);
  const Result<void> failed = make_error(ErrorKind::io, "disk full");
  EXPECT_THROW(failed.value(), BadResultAccess);
  EXPECT_NO_THROW(Result<void>{}.value());
}

TEST(Error, ContextIsPrefixedAndKindKept) {
  const Error e = make_error(ErrorKind::out_of_range, "frames 31 past 29").with_context("line 3");
  EXPECT_EQ(e.message, "line 3: frames 31 past 29");
  EXPECT_EQ(e.kind, ErrorKind::out_of_range);
  EXPECT_EQ(to_string(ErrorKind::io), "input/output");
}

}  // namespace
}  // namespace duet::base
