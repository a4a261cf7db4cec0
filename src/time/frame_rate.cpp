#include "time/frame_rate.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace duet::time {
namespace {

using base::ErrorKind;
using base::make_error;

std::string lower_without_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '_') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Decimal names people use for the 1001 rates.
struct NamedRate {
  std::string_view name;
  std::int64_t num;
  std::int64_t den;
};
constexpr std::array<NamedRate, 7> kNamedRates{{
    {"23.976", 24000, 1001},
    {"23.98", 24000, 1001},
    {"29.97", 30000, 1001},
    {"47.952", 48000, 1001},
    {"47.95", 48000, 1001},
    {"59.94", 60000, 1001},
    {"119.88", 120000, 1001},
}};

FrameRate must(base::Result<FrameRate> r) {
  return std::move(r).value();
}

}  // namespace

base::Result<FrameRate> FrameRate::create(Rational fps, bool drop_frame) {
  if (fps < Rational(1) || fps > Rational(1000) || fps.den() > 1'000'000) {
    return make_error(ErrorKind::out_of_range, "frame rate ", fps.to_string(),
                      " is outside what duet handles (1 to 1000 frames per second, as a fraction "
                      "with a denominator of at most 1000000)");
  }
  // Ticks per frame = kSuperclockPerSecond / fps must be whole.
  const Rational period = Rational(kSuperclockPerSecond) / fps;
  if (period.den() != 1) {
    return make_error(ErrorKind::unsupported, "frame rate ", fps.to_string(),
                      " does not have a whole number of superclock ticks per frame; use one of "
                      "23.976, 24, 25, 29.97, 30, 47.952, 48, 50, 59.94, 60");
  }
  const Rational ceiling(-(-fps).floor());
  const int nominal = static_cast<int>(ceiling.num());
  int drop = 0;
  if (drop_frame) {
    if (fps.den() != 1001 || nominal % 30 != 0) {
      return make_error(ErrorKind::invalid_input,
                        "drop-frame timecode exists only at 29.97 and "
                        "59.94 fps (and other 1001 rates that are multiples of 30), not at ",
                        fps.to_decimal(3));
    }
    drop = nominal / 15;  // 2 at 29.97, 4 at 59.94
  }
  return FrameRate(fps, nominal, drop, period.num());
}

base::Result<FrameRate> FrameRate::parse(std::string_view text) {
  std::string s = lower_without_spaces(text);
  bool drop = false;
  if (ends_with(s, "ndf")) {
    s.resize(s.size() - 3);
  } else if (ends_with(s, "df")) {
    drop = true;
    s.resize(s.size() - 2);
  }
  if (ends_with(s, "fps")) s.resize(s.size() - 3);
  for (const NamedRate& named : kNamedRates) {
    if (s == named.name) return create(Rational(named.num, named.den), drop);
  }
  auto value = Rational::parse(s);
  if (!value) {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a frame rate (expected 23.976, 24, 25, 29.97, 29.97df, 30, 47.952, "
                      "48, 50, 59.94, 59.94df, 60 or a fraction such as 30000/1001)");
  }
  auto rate = create(*value, drop);
  if (!rate) return rate.error().with_context(std::string("'") + std::string(text) + "'");
  return rate;
}

FrameRate FrameRate::fps23_976() {
  return must(create(Rational(24000, 1001)));
}
FrameRate FrameRate::fps24() {
  return must(create(Rational(24)));
}
FrameRate FrameRate::fps25() {
  return must(create(Rational(25)));
}
FrameRate FrameRate::fps29_97(bool drop_frame) {
  return must(create(Rational(30000, 1001), drop_frame));
}
FrameRate FrameRate::fps30() {
  return must(create(Rational(30)));
}
FrameRate FrameRate::fps47_952() {
  return must(create(Rational(48000, 1001)));
}
FrameRate FrameRate::fps48() {
  return must(create(Rational(48)));
}
FrameRate FrameRate::fps50() {
  return must(create(Rational(50)));
}
FrameRate FrameRate::fps59_94(bool drop_frame) {
  return must(create(Rational(60000, 1001), drop_frame));
}
FrameRate FrameRate::fps60() {
  return must(create(Rational(60)));
}

std::int64_t FrameRate::frames_per_day() const {
  const std::int64_t n = nominal_;
  if (drop_ == 0) return 86400 * n;
  // 144 blocks of ten minutes; each block drops the labels of 9 of its minutes.
  return 144 * (600 * n - 9 * std::int64_t{drop_});
}

std::string FrameRate::name() const {
  // The 1001 rates go by their decimal names (23.976, 29.97...), which parse() maps back exactly.
  std::string base_name = fps_.to_string();
  for (const NamedRate& named : kNamedRates) {
    if (fps_ == Rational(named.num, named.den)) {
      base_name = fps_.to_decimal(3);
      break;
    }
  }
  if (fps_.den() == 1001 && nominal_ % 30 == 0) base_name += drop_ > 0 ? " DF" : " NDF";
  return base_name;
}

std::int64_t frame_at(TimePos position, const FrameRate& rate) {
  return mul_div_floor(position.ticks(), 1, rate.frame_duration().ticks());
}

std::int64_t nearest_frame(TimePos position, const FrameRate& rate) {
  const std::int64_t period = rate.frame_duration().ticks();
  return mul_div_floor(2 * position.ticks() + period, 1, 2 * period);
}

}  // namespace duet::time
