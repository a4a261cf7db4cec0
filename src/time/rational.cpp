#include "time/rational.h"

#include <charconv>
#include <numeric>
#include <stdexcept>

namespace duet::time {
namespace {

__extension__ typedef __int128 i128;  // __extension__: no -Wpedantic warning

constexpr i128 kInt64Max = INT64_MAX;
constexpr i128 kInt64Min = INT64_MIN;

i128 gcd128(i128 a, i128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

std::int64_t narrow(i128 v) {
  if (v > kInt64Max || v < kInt64Min) throw std::overflow_error("duet::time::Rational overflow");
  return static_cast<std::int64_t>(v);
}

// floor(n / d) for d > 0.
i128 floor_div(i128 n, i128 d) {
  i128 q = n / d;
  if ((n % d != 0) && (n < 0)) --q;
  return q;
}

// round(n / d), halves away from zero, for d > 0.
i128 round_div(i128 n, i128 d) {
  if (n >= 0) return (2 * n + d) / (2 * d);
  return -((2 * -n + d) / (2 * d));
}

Rational make(i128 num, i128 den) {
  if (den == 0) throw std::domain_error("duet::time::Rational with a zero denominator");
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const i128 g = gcd128(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  return Rational(narrow(num), narrow(den));
}

}  // namespace

Rational::Rational(std::int64_t num, std::int64_t den) {
  if (den == 0) throw std::domain_error("duet::time::Rational with a zero denominator");
  i128 n = num, d = den;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const i128 g = gcd128(n, d);
  if (g > 1) {
    n /= g;
    d /= g;
  }
  num_ = narrow(n);
  den_ = narrow(d);
}

std::int64_t Rational::floor() const {
  return narrow(floor_div(num_, den_));
}
std::int64_t Rational::round() const {
  return narrow(round_div(num_, den_));
}

Rational operator+(const Rational& a, const Rational& b) {
  return make(i128{a.num_} * b.den_ + i128{b.num_} * a.den_, i128{a.den_} * b.den_);
}
Rational operator-(const Rational& a, const Rational& b) {
  return make(i128{a.num_} * b.den_ - i128{b.num_} * a.den_, i128{a.den_} * b.den_);
}
Rational operator*(const Rational& a, const Rational& b) {
  return make(i128{a.num_} * b.num_, i128{a.den_} * b.den_);
}
Rational operator/(const Rational& a, const Rational& b) {
  if (b.num_ == 0) throw std::domain_error("duet::time::Rational division by zero");
  return make(i128{a.num_} * b.den_, i128{a.den_} * b.num_);
}

std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  const i128 l = i128{a.num_} * b.den_;
  const i128 r = i128{b.num_} * a.den_;
  return l < r ? std::strong_ordering::less
               : (l > r ? std::strong_ordering::greater : std::strong_ordering::equal);
}

std::string Rational::to_string() const {
  if (den_ == 1) return std::to_string(num_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

std::string Rational::to_decimal(int max_decimals) const {
  i128 scale = 1;
  for (int i = 0; i < max_decimals; ++i)
    scale *= 10;
  const i128 scaled = round_div(i128{num_} * scale, den_);
  const bool negative = scaled < 0;
  const i128 magnitude = negative ? -scaled : scaled;
  const i128 whole = magnitude / scale;
  i128 frac = magnitude % scale;
  std::string out = negative ? "-" : "";
  out += std::to_string(static_cast<std::int64_t>(whole));
  if (frac != 0) {
    std::string digits(static_cast<std::size_t>(max_decimals), '0');
    for (int i = max_decimals - 1; i >= 0; --i) {
      digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + static_cast<int>(frac % 10));
      frac /= 10;
    }
    while (!digits.empty() && digits.back() == '0')
      digits.pop_back();
    out += "." + digits;
  }
  return out;
}

namespace {

// Parses an unsigned decimal "123" or "123.456" into num/den.
base::Result<Rational> parse_decimal(std::string_view text, std::string_view whole_text) {
  using base::ErrorKind;
  using base::make_error;
  const auto bad = [&] {
    return make_error(ErrorKind::invalid_input, "'", whole_text,
                      "' is not a number (expected digits like 120, 117.55 or 30000/1001)");
  };
  if (text.empty()) return bad();
  const std::size_t point = text.find('.');
  const std::string_view int_part = text.substr(0, point);
  const std::string_view frac_part =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (int_part.empty() && frac_part.empty()) return bad();
  for (char c : int_part) {
    if (c < '0' || c > '9') return bad();
  }
  for (char c : frac_part) {
    if (c < '0' || c > '9') return bad();
  }
  if (frac_part.size() > 9) {
    return make_error(ErrorKind::out_of_range, "'", whole_text,
                      "' has more than 9 digits after the decimal point");
  }
  // Whole part below 10^12 and whole * 10^decimals + fraction below 10^18 < 2^63.
  const std::size_t first_digit = int_part.find_first_not_of('0');
  const std::size_t whole_digits =
      first_digit == std::string_view::npos ? 0 : int_part.size() - first_digit;
  if (whole_digits > 12 || whole_digits + frac_part.size() > 18) {
    return make_error(ErrorKind::out_of_range, "'", whole_text,
                      "' has too many digits (at most 12 before the point and 18 in all)");
  }
  std::int64_t whole = 0;
  for (char c : int_part)
    whole = whole * 10 + (c - '0');
  std::int64_t frac = 0, scale = 1;
  for (char c : frac_part) {
    frac = frac * 10 + (c - '0');
    scale *= 10;
  }
  return Rational(whole * scale + frac, scale);
}

}  // namespace

base::Result<Rational> Rational::parse(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  const std::size_t slash = body.find('/');
  auto num = parse_decimal(body.substr(0, slash), text);
  if (!num) return num.error();
  Rational value = *num;
  if (slash != std::string_view::npos) {
    auto den = parse_decimal(body.substr(slash + 1), text);
    if (!den) return den.error();
    if (den->num() == 0) {
      return base::make_error(base::ErrorKind::invalid_input, "'", text, "' divides by zero");
    }
    // Divide on 128 bits and refuse, rather than throw, when the reduced result needs more.
    i128 n = i128{value.num()} * den->den();
    i128 d = i128{value.den()} * den->num();
    const i128 g = gcd128(n, d);
    n /= g;
    d /= g;
    if (n > kInt64Max || d > kInt64Max) {
      return base::make_error(base::ErrorKind::out_of_range, "'", text,
                              "' is too precise a fraction");
    }
    value = Rational(static_cast<std::int64_t>(n), static_cast<std::int64_t>(d));
  }
  return negative ? -value : value;
}

std::int64_t mul_div_round(std::int64_t a, std::int64_t num, std::int64_t den) {
  return narrow(round_div(i128{a} * num, den));
}

std::int64_t mul_div_floor(std::int64_t a, std::int64_t num, std::int64_t den) {
  return narrow(floor_div(i128{a} * num, den));
}

}  // namespace duet::time
