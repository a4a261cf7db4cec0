// Exact rational numbers for frame rates, tempos and seconds. Values stay small in practice
// (frame rates like 30000/1001, tempos like 5760/49 BPM); every operation computes in 128 bits
// and reduces, and throws std::overflow_error only if a reduced result does not fit in 64 bits,
// which the parsers' range checks make impossible for user input.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace duet::time {

class Rational {
 public:
  constexpr Rational() = default;
  // Implicit from integers: Rational(3) is 3/1, which reads naturally in arithmetic.
  Rational(std::int64_t whole) : num_(whole), den_(1) {}  // NOLINT(google-explicit-constructor)
  // Precondition: den != 0 (throws std::domain_error otherwise). The sign moves to the numerator.
  Rational(std::int64_t num, std::int64_t den);

  std::int64_t num() const { return num_; }
  std::int64_t den() const { return den_; }  // always > 0

  double to_double() const { return static_cast<double>(num_) / static_cast<double>(den_); }
  long double to_long_double() const {
    return static_cast<long double>(num_) / static_cast<long double>(den_);
  }

  // Rounding to an integer: floor, and nearest with halves away from zero.
  std::int64_t floor() const;
  std::int64_t round() const;

  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b);
  friend Rational operator*(const Rational& a, const Rational& b);
  // Precondition: b != 0 (throws std::domain_error otherwise).
  friend Rational operator/(const Rational& a, const Rational& b);
  Rational operator-() const { return Rational(-num_, den_); }
  Rational& operator+=(const Rational& b) { return *this = *this + b; }
  Rational& operator-=(const Rational& b) { return *this = *this - b; }
  Rational& operator*=(const Rational& b) { return *this = *this * b; }
  Rational& operator/=(const Rational& b) { return *this = *this / b; }

  friend bool operator==(const Rational& a, const Rational& b) = default;
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);

  // "3/2", or "3" when the denominator is 1.
  std::string to_string() const;
  // Decimal text with at most `max_decimals` digits after the point, trailing zeros dropped,
  // rounded to nearest ("3603.6", "117.551", "29.97").
  std::string to_decimal(int max_decimals = 6) const;

  // Parses "120", "-2", "117.55", "30000/1001", "1.5/2". At most 9 digits after a decimal point
  // and magnitudes below 10^12, so that later arithmetic cannot overflow.
  static base::Result<Rational> parse(std::string_view text);

 private:
  std::int64_t num_ = 0;
  std::int64_t den_ = 1;
};

// Exact helpers on 128-bit intermediates: round(a * num / den) with halves away from zero,
// and floor(a * num / den). Precondition: den > 0; the result must fit in int64.
std::int64_t mul_div_round(std::int64_t a, std::int64_t num, std::int64_t den);
std::int64_t mul_div_floor(std::int64_t a, std::int64_t num, std::int64_t den);

}  // namespace duet::time
