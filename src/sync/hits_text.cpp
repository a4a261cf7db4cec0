#include "sync/hits_text.h"

#include "base/error.h"
#include "time/rational.h"
#include "time/timecode.h"

namespace duet::sync {

namespace {

using base::ErrorKind;
using base::make_error;

std::string trimmed(std::string_view s) {
  const std::size_t a = s.find_first_not_of(" \t");
  if (a == std::string_view::npos) return "";
  const std::size_t b = s.find_last_not_of(" \t");
  return std::string(s.substr(a, b - a + 1));
}

}  // namespace

base::Result<spot::HitPoint> parse_hit_text(std::string_view text, const time::FrameRate& rate) {
  // The fourth ':' or ';' ends the timecode.
  std::size_t seps = 0, cut = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == ':' || text[i] == ';') && ++seps == 4) {
      cut = i;
      break;
    }
  }
  const std::string quoted = "hit '" + std::string(text) + "'";
  auto code = time::parse_timecode(text.substr(0, cut), rate);
  if (!code) return code.error().with_context(quoted);
  spot::HitPoint hit;
  hit.at = time::to_time(*code, rate);
  std::size_t at = cut;
  while (at < text.size()) {
    const std::size_t next = text.find(':', at + 1);
    const std::string word(text.substr(
        at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1));
    at = next == std::string_view::npos ? text.size() : next;
    if (word == "hard" || word == "soft") {
      hit.kind = word == "hard" ? spot::HitKind::hard : spot::HitKind::soft;
    } else if (word.rfind("w=", 0) == 0) {
      auto w = time::Rational::parse(word.substr(2));
      if (!w || !(*w > time::Rational(0)) || *w > time::Rational(1000000)) {
        return make_error(ErrorKind::invalid_input, quoted, ": weight '", word.substr(2),
                          "' is not a number above 0 and at most 1000000");
      }
      hit.weight = w->to_double();
    } else if (auto land = spot::parse_landing(word)) {
      hit.land = *land;
    } else {
      return make_error(ErrorKind::invalid_input, quoted, ": '", word,
                        "' is not hard, soft, w=WEIGHT or a landing (downbeat, beat, 8th, 16th, "
                        "8th-triplet, 16th-triplet, 1/n)");
    }
  }
  return hit;
}

base::Result<std::vector<spot::HitPoint>> parse_hits_csv(std::string_view text,
                                                         const time::FrameRate& rate) {
  std::vector<spot::HitPoint> out;
  std::size_t line_no = 0, start = 0;
  bool first = true;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string whole = trimmed(line);
    if (whole.empty() || whole.front() == '#') continue;
    // Up to four fields split at commas; the fifth (the label) is the rest of the line.
    std::vector<std::string> fields;
    std::size_t f = 0;
    while (true) {
      const std::size_t comma = fields.size() < 4 ? line.find(',', f) : std::string_view::npos;
      fields.push_back(trimmed(
          line.substr(f, comma == std::string_view::npos ? std::string_view::npos : comma - f)));
      if (comma == std::string_view::npos) break;
      f = comma + 1;
    }
    const bool header = first && fields[0] == "time";
    first = false;
    if (header) continue;
    std::string spec = fields[0];
    for (std::size_t k = 1; k < fields.size() && k < 3; ++k)
      if (!fields[k].empty()) spec += ":" + fields[k];
    if (fields.size() > 3 && !fields[3].empty()) spec += ":w=" + fields[3];
    auto hit = parse_hit_text(spec, rate);
    if (!hit) return hit.error().with_context(base::cat("line ", line_no));
    if (fields.size() > 4) hit->label = fields[4];
    out.push_back(std::move(*hit));
  }
  return out;
}

std::string format_hit_text(const spot::HitPoint& hit, const time::FrameRate& rate) {
  return time::label_at(hit.at, rate) + ":" + std::string(spot::hit_kind_name(hit.kind)) + ":" +
         hit.land.to_string();
}

}  // namespace duet::sync
