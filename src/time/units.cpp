#include "time/units.h"

namespace duet::time {

base::Result<TimeDur> parse_seconds(std::string_view text) {
  std::string_view number = text;
  if (!number.empty() && number.back() == 's') number.remove_suffix(1);
  auto value = Rational::parse(number);
  if (!value) {
    return base::make_error(base::ErrorKind::invalid_input, "'", text,
                            "' is not a number of seconds (such as 12.5 or 12.5s)");
  }
  if (*value > Rational(100'000'000) || *value < Rational(-100'000'000)) {
    return base::make_error(base::ErrorKind::out_of_range, "'", text,
                            "' is more than 100,000,000 seconds from zero");
  }
  return duration_from_seconds(*value);
}

}  // namespace duet::time
