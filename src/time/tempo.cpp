#include "time/tempo.h"

#include <array>
#include <charconv>

namespace duet::time {
namespace {

using base::ErrorKind;
using base::make_error;

struct NoteLetter {
  char letter;
  std::int64_t denominator;
};
constexpr std::array<NoteLetter, 6> kNoteLetters{
    {{'w', 1}, {'h', 2}, {'q', 4}, {'e', 8}, {'s', 16}, {'t', 32}}};

std::string note_value_name(const Rational& value) {
  for (const NoteLetter& n : kNoteLetters) {
    if (value == Rational(1, n.denominator)) return std::string(1, n.letter);
    if (value == Rational(3, 2 * n.denominator)) return std::string(1, n.letter) + ".";
  }
  return value.to_string();
}

base::Result<Rational> parse_note_value(std::string_view text, std::string_view whole) {
  const auto bad = [&] {
    return make_error(ErrorKind::invalid_input, "'", whole, "' has note value '", text,
                      "'; use w, h, q, e, s or t (optionally dotted, as in q.) or a fraction "
                      "such as 1/4 or 3/8");
  };
  if (text.empty()) return bad();
  for (const NoteLetter& n : kNoteLetters) {
    if (text.size() <= 2 && text[0] == n.letter) {
      if (text.size() == 1) return Rational(1, n.denominator);
      if (text[1] == '.') return Rational(3, 2 * n.denominator);
      return bad();
    }
  }
  // Note values are small fractions of a whole note (3/8, 1/12 for a triplet eighth), which keeps
  // the tempo arithmetic far from overflow.
  auto fraction = Rational::parse(text);
  if (!fraction || *fraction <= Rational(0) || *fraction > Rational(4) || fraction->den() > 1024) {
    return bad();
  }
  return *fraction;
}

base::Result<int> parse_small_int(std::string_view text) {
  int value = 0;
  if (text.empty() || text.size() > 6) return make_error(ErrorKind::invalid_input, "bad number");
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return make_error(ErrorKind::invalid_input, "bad number");
  }
  return value;
}

base::Result<Tempo> check_range(Tempo tempo, std::string_view text) {
  const Rational qpm = tempo.quarters_per_minute();
  if (qpm < kMinQuartersPerMinute || qpm > kMaxQuartersPerMinute) {
    return make_error(ErrorKind::out_of_range, "tempo '", text, "' is ", qpm.to_decimal(3),
                      " quarter notes per minute; duet accepts ", kMinQuartersPerMinute.to_string(),
                      " to ", kMaxQuartersPerMinute.to_string());
  }
  return tempo;
}

}  // namespace

std::string Tempo::to_string() const {
  const std::string number = per_minute.to_decimal(3);
  if (note_value == Rational(1, 4)) return number;
  return note_value_name(note_value) + "=" + number;
}

Tempo frame_click(int frames, int eighths, const FrameRate& rate) {
  // Beat period = (8 * frames + eighths) / 8 frames = (8F + k) / (8 fps) seconds.
  const Rational qpm = Rational(60 * 8) * rate.fps() / Rational(8 * frames + eighths);
  return Tempo::quarters_per_minute(qpm);
}

base::Result<Tempo> parse_tempo(std::string_view text, const FrameRate* rate) {
  // Frame click: "F-k" or "Ff".
  const std::size_t dash = text.find('-');
  const bool frame_suffix = !text.empty() && (text.back() == 'f' || text.back() == 'F');
  if ((dash != std::string_view::npos && dash > 0) || frame_suffix) {
    const std::string_view frames_text =
        dash != std::string_view::npos ? text.substr(0, dash) : text.substr(0, text.size() - 1);
    const std::string_view eighths_text =
        dash != std::string_view::npos ? text.substr(dash + 1) : std::string_view("0");
    auto frames = parse_small_int(frames_text);
    auto eighths = parse_small_int(eighths_text);
    if (!frames || !eighths || *frames < 1 || *eighths < 0 || *eighths > 7) {
      return make_error(ErrorKind::invalid_input, "'", text,
                        "' is not a frame click; write frames-eighths, such as 12-2 (12 frames "
                        "and 2 eighths of a frame per beat), eighths 0 to 7");
    }
    if (rate == nullptr) {
      return make_error(ErrorKind::invalid_input, "frame click '", text,
                        "' needs the picture's frame rate; give one (for example --rate 24)");
    }
    return check_range(frame_click(*frames, *eighths, *rate), text);
  }
  Tempo tempo;
  std::string_view number = text;
  const std::size_t eq = text.find('=');
  if (eq != std::string_view::npos) {
    auto value = parse_note_value(text.substr(0, eq), text);
    if (!value) return value.error();
    tempo.note_value = *value;
    number = text.substr(eq + 1);
  }
  auto per_minute = Rational::parse(number);
  if (!per_minute) {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a tempo; write beats per minute such as 120 or 117.55, with an "
                      "optional note value such as e=180 or q.=60, or a frame click such as 12-2");
  }
  tempo.per_minute = *per_minute;
  if (tempo.per_minute <= Rational(0)) {
    return make_error(ErrorKind::out_of_range, "tempo '", text, "' must be above zero");
  }
  // Range-check before any arithmetic (kMaxQuartersPerMinute quarters is at most 10^5 of the
  // shortest note value), so that a huge number is refused, not overflowed.
  if (tempo.per_minute > Rational(1'000'000) || tempo.per_minute.den() > 1'000'000'000) {
    return make_error(ErrorKind::out_of_range, "tempo '", text, "' is outside what duet accepts (",
                      kMinQuartersPerMinute.to_string(), " to ", kMaxQuartersPerMinute.to_string(),
                      " quarter notes per minute)");
  }
  return check_range(tempo, text);
}

std::string Meter::to_string() const {
  return std::to_string(numerator) + "/" + std::to_string(denominator);
}

base::Result<Meter> make_meter(int numerator, int denominator) {
  if (numerator < 1 || numerator > 64) {
    return make_error(ErrorKind::out_of_range, "meter ", numerator, "/", denominator, " has ",
                      numerator, " beats in a bar; duet accepts 1 to 64");
  }
  const bool power_of_two =
      denominator >= 1 && denominator <= 64 && (denominator & (denominator - 1)) == 0;
  if (!power_of_two) {
    return make_error(ErrorKind::out_of_range, "meter ", numerator, "/", denominator,
                      " needs a denominator of 1, 2, 4, 8, 16, 32 or 64");
  }
  return Meter{numerator, denominator};
}

base::Result<Meter> parse_meter(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a meter; write it as beats/note, such as 4/4 or 6/8");
  }
  auto num = parse_small_int(text.substr(0, slash));
  auto den = parse_small_int(text.substr(slash + 1));
  if (!num || !den) {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a meter; write it as beats/note, such as 4/4 or 6/8");
  }
  return make_meter(*num, *den);
}

std::string BBT::to_string() const {
  return std::to_string(bar) + "|" + std::to_string(beat) + "|" + std::to_string(tick);
}

base::Result<BBT> parse_bbt(std::string_view text) {
  const auto bad = [&] {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a bar|beat|tick position; write 5, 5|2 or 5|2|480");
  };
  BBT bbt;
  std::array<std::string_view, 3> parts{};
  std::size_t count = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = text.find('|', start);
    if (count == 3) return bad();
    parts[count++] = text.substr(start, bar == std::string_view::npos ? bar : bar - start);
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  std::int64_t bar_number = 0;
  const std::string_view bar_text = parts[0];
  const auto [ptr, ec] =
      std::from_chars(bar_text.data(), bar_text.data() + bar_text.size(), bar_number);
  if (bar_text.empty() || ec != std::errc() || ptr != bar_text.data() + bar_text.size() ||
      bar_number < -1000000 || bar_number > 1000000) {
    return bad();
  }
  bbt.bar = bar_number;
  if (count >= 2) {
    auto beat = parse_small_int(parts[1]);
    if (!beat || *beat < 1) return bad();
    bbt.beat = *beat;
  }
  if (count == 3) {
    auto tick = parse_small_int(parts[2]);
    if (!tick || *tick < 0) return bad();
    bbt.tick = *tick;
  }
  return bbt;
}

}  // namespace duet::time
