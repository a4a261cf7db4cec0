#include "spot/cue.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace duet::spot {
namespace {

using base::ErrorKind;
using base::make_error;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads digits at `i`; fails (returns -1) with no digits or a value above `limit`.
int read_number(std::string_view text, std::size_t& i, int limit) {
  const std::size_t begin = i;
  long value = 0;
  while (i < text.size() && is_digit(text[i])) {
    value = value * 10 + (text[i] - '0');
    if (value > limit) return -1;
    ++i;
  }
  return i == begin ? -1 : static_cast<int>(value);
}

struct UsageInfo {
  Usage usage;
  std::string_view code;
  std::string_view name;
};
constexpr std::array<UsageInfo, 7> kUsages{{
    {Usage::background_instrumental, "BI", "background instrumental"},
    {Usage::background_vocal, "BV", "background vocal"},
    {Usage::visual_instrumental, "VI", "visual instrumental"},
    {Usage::visual_vocal, "VV", "visual vocal"},
    {Usage::main_title, "MT", "main title"},
    {Usage::end_title, "ET", "end title"},
    {Usage::source, "SRC", "source"},
}};

struct NamedValue {
  std::string_view name;
  int note_value;
};
constexpr std::array<NamedValue, 6> kNamedValues{{
    {"8th", 8},
    {"16th", 16},
    {"32nd", 32},
    {"8th-triplet", 12},
    {"16th-triplet", 24},
    {"quarter-triplet", 6},
}};

}  // namespace

std::string CueId::to_string() const {
  return std::to_string(reel) + "M" + std::to_string(number) + part;
}

base::Result<CueId> parse_cue_id(std::string_view text) {
  const auto bad = [&] {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a cue id (expected reel, M, number and an optional letter, as in "
                      "1M3, 2M10 or 1M3A)");
  };
  std::size_t i = 0;
  const int reel = read_number(text, i, 999);
  if (reel < 0) return bad();
  if (i == text.size() && text.size() >= 3) {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a cue id: a bare number is ambiguous; write the reel, M and the "
                      "cue number, as in ",
                      text.substr(0, 1), "M", text.substr(1));
  }
  if (i >= text.size() || (text[i] != 'M' && text[i] != 'm')) return bad();
  ++i;
  const int number = read_number(text, i, 9999);
  if (number < 0) return bad();
  CueId id{reel, number, ""};
  if (i < text.size()) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    if (c < 'A' || c > 'Z' || i + 1 != text.size()) return bad();
    id.part = std::string(1, c);
  }
  return id;
}

std::string_view usage_code(Usage usage) {
  for (const auto& u : kUsages)
    if (u.usage == usage) return u.code;
  return "BI";
}

std::string_view usage_name(Usage usage) {
  for (const auto& u : kUsages)
    if (u.usage == usage) return u.name;
  return "background instrumental";
}

base::Result<Usage> parse_usage(std::string_view text) {
  const std::string code = upper(text);
  for (const auto& u : kUsages)
    if (u.code == code) return u.usage;
  return make_error(ErrorKind::invalid_input, "'", text,
                    "' is not a usage (expected BI, BV, VI, VV, MT, ET or SRC)");
}

std::string_view hit_kind_name(HitKind kind) {
  return kind == HitKind::hard ? "hard" : "soft";
}

base::Result<HitKind> parse_hit_kind(std::string_view text) {
  if (text == "hard") return HitKind::hard;
  if (text == "soft") return HitKind::soft;
  return make_error(ErrorKind::invalid_input, "'", text,
                    "' is not a kind of hit point (expected hard or soft)");
}

std::string Landing::to_string() const {
  switch (kind) {
    case Kind::downbeat:
      return "downbeat";
    case Kind::beat:
      return "beat";
    case Kind::subdivision:
      break;
  }
  for (const auto& v : kNamedValues)
    if (v.note_value == note_value) return std::string(v.name);
  return "1/" + std::to_string(note_value);
}

base::Result<Landing> parse_landing(std::string_view text) {
  if (text == "downbeat") return Landing::downbeat();
  if (text == "beat") return Landing::beat();
  for (const auto& v : kNamedValues)
    if (v.name == text) return Landing::subdivision(v.note_value);
  const auto bad = [&] {
    return make_error(ErrorKind::invalid_input, "'", text,
                      "' is not a landing (expected downbeat, beat, 8th, 16th, 32nd, 8th-triplet, "
                      "16th-triplet, quarter-triplet or 1/n)");
  };
  if (text.size() < 3 || text.substr(0, 2) != "1/") return bad();
  std::size_t i = 2;
  const int n = read_number(text, i, 7680);
  if (n <= 0 || i != text.size()) return bad();
  if (7680 % n != 0) {
    return make_error(ErrorKind::out_of_range, "subdivision '", text,
                      "' does not fall on whole musical ticks: n in 1/n must divide 7680 (as 8, "
                      "12, 16, 24, 32 do)");
  }
  return Landing::subdivision(n);
}

void sort_contents(Cue& cue) {
  std::stable_sort(cue.hits.begin(), cue.hits.end(),
                   [](const HitPoint& a, const HitPoint& b) { return a.at < b.at; });
  std::stable_sort(
      cue.dialogue.begin(), cue.dialogue.end(),
      [](const DialogueWindow& a, const DialogueWindow& b) { return a.start < b.start; });
  cue.emotion.sort();
}

void sort_cues(std::vector<Cue>& cues) {
  std::stable_sort(cues.begin(), cues.end(), [](const Cue& a, const Cue& b) {
    if (a.id != b.id) return a.id < b.id;
    return a.in < b.in;
  });
}

void snap_to_frames(Cue& cue, const time::FrameRate& rate) {
  const auto snap = [&](time::TimePos& t) {
    t = time::time_of_frame(time::nearest_frame(t, rate), rate);
  };
  snap(cue.in);
  snap(cue.out);
  for (HitPoint& h : cue.hits)
    snap(h.at);
  for (DialogueWindow& d : cue.dialogue) {
    snap(d.start);
    snap(d.end);
  }
  for (EmotionKey& k : cue.emotion.keys)
    snap(k.at);
}

}  // namespace duet::spot
