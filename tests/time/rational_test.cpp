#include "time/rational.h"
#include "time/units.h"

#include <gtest/gtest.h>

#include <random>

namespace duet::time {
namespace {

TEST(Rational, NormalisesSignAndCommonFactors) {
  const Rational r(6, -4);
  EXPECT_EQ(r.num(), -3);
  EXPECT_EQ(r.den(), 2);
  EXPECT_EQ(Rational(0, 5), Rational(0));
  EXPECT_THROW(Rational(1, 0), std::domain_error);
}

TEST(Rational, ArithmeticIsExact) {
  EXPECT_EQ(Rational(1, 3) + Rational(1, 6), Rational(1, 2));
  EXPECT_EQ(Rational(30000, 1001) * Rational(1001, 30000), Rational(1));
  EXPECT_EQ(Rational(108000) / Rational(30000, 1001), Rational(36036, 10));
  EXPECT_LT(Rational(24000, 1001), Rational(24));
  EXPECT_EQ(Rational(-7, 2).floor(), -4);
  EXPECT_EQ(Rational(-7, 2).round(), -4);
  EXPECT_EQ(Rational(7, 2).round(), 4);
  EXPECT_EQ(Rational(5, 3).round(), 2);
}

TEST(Rational, DecimalTextDropsTrailingZerosAndRounds) {
  EXPECT_EQ(Rational(36036, 10).to_decimal(), "3603.6");
  EXPECT_EQ(Rational(30000, 1001).to_decimal(2), "29.97");
  EXPECT_EQ(Rational(11520, 98).to_decimal(2), "117.55");
  EXPECT_EQ(Rational(-1, 8).to_decimal(3), "-0.125");
  EXPECT_EQ(Rational(1, 3).to_decimal(0), "0");
  EXPECT_EQ(Rational(3, 2).to_string(), "3/2");
}

TEST(Rational, ParsesIntegersDecimalsAndFractions) {
  EXPECT_EQ(*Rational::parse("120"), Rational(120));
  EXPECT_EQ(*Rational::parse("117.55"), Rational(11755, 100));
  EXPECT_EQ(*Rational::parse("30000/1001"), Rational(30000, 1001));
  EXPECT_EQ(*Rational::parse("-2.5"), Rational(-5, 2));
  EXPECT_EQ(*Rational::parse(".5"), Rational(1, 2));
  for (const char* bad : {"", "abc", "1..2", "1/0", "1/", "--1", "1e5", "1/2/3", "."}) {
    EXPECT_FALSE(Rational::parse(bad)) << bad;
  }
  EXPECT_FALSE(Rational::parse("1.0000000001"));   // more than 9 decimals
  EXPECT_FALSE(Rational::parse("9999999999999"));  // 13 digits
  // Found by fuzzing: these overflowed 64 bits before they were refused.
  EXPECT_FALSE(Rational::parse("200002000000.90002429"));
  const auto precise = Rational::parse("0.943000001/0.000000007");
  ASSERT_TRUE(precise);
  EXPECT_FALSE(Rational::parse("999999999.999999999/0.999999999999999999"));
}

TEST(Seconds, ParsesWithOrWithoutTheSuffixWithinThreeYears) {
  EXPECT_EQ(parse_seconds("3603.6s").value(), duration_from_seconds(Rational(36036, 10)));
  EXPECT_EQ(parse_seconds("-0.5").value(), TimeDur(-kSuperclockPerSecond / 2));
  EXPECT_FALSE(parse_seconds("100000001"));
  EXPECT_FALSE(parse_seconds("abc"));
}

TEST(Rational, PropertyAdditionAndDivisionInvertEachOther) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> n(-100000, 100000), d(1, 100000);
  for (int i = 0; i < 10000; ++i) {
    const Rational a(n(rng), d(rng)), b(n(rng), d(rng));
    EXPECT_EQ(a + b - b, a);
    if (b.num() != 0) {
      EXPECT_EQ(a / b * b, a);
    }
    EXPECT_EQ(a < b, a.to_long_double() < b.to_long_double() && !(a == b));
  }
}

TEST(MulDiv, RoundsAndFloorsOn128Bits) {
  EXPECT_EQ(mul_div_round(5, 1, 2), 3);
  EXPECT_EQ(mul_div_round(-5, 1, 2), -3);
  EXPECT_EQ(mul_div_floor(-5, 1, 2), -3);
  EXPECT_EQ(mul_div_floor(5, 1, 2), 2);
  // 10^12 * 10^12 / 10^12 does not overflow in the middle.
  EXPECT_EQ(mul_div_round(1'000'000'000'000, 1'000'000'000'000, 1'000'000'000'000),
            1'000'000'000'000);
}

}  // namespace
}  // namespace duet::time
