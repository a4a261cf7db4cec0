#include "picture/edl.h"

#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include "time/timecode.h"

namespace duet::picture {
namespace {

using base::ErrorKind;
using base::make_error;

// ---------------------------------------------------------------------------------------------
// Text: UTF-8 or Latin-1, lines, tokens.

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((d & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// Latin-1 bytes of valid UTF-8 text, or nothing when a character is above U+00FF.
std::optional<std::string> utf8_to_latin1(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(s[i]);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < s.size()) {
      const auto d = static_cast<unsigned char>(s[i + 1]);
      out.push_back(static_cast<char>(((c & 0x03u) << 6) | (d & 0x3Fu)));
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> tokens_of(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i]))
      ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i]))
      ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (upper(s[i]) != prefix[i]) return false;
  }
  return true;
}

// "KEY  :  value" (case-insensitive key, spaces before the colon allowed) -> value, trimmed.
std::optional<std::string_view> keyed(std::string_view body, std::string_view key) {
  if (!starts_with_ci(body, key)) return std::nullopt;
  std::string_view rest = body.substr(key.size());
  while (!rest.empty() && is_space(rest.front()))
    rest.remove_prefix(1);
  if (rest.empty() || rest.front() != ':') return std::nullopt;
  return trim(rest.substr(1));
}

std::string join(const std::vector<std::string_view>& t, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out.push_back(' ');
    out.append(t[i]);
  }
  return out;
}

std::string quoted(const std::vector<std::string_view>& t, std::size_t i) {
  return i < t.size() ? "'" + std::string(t[i]) + "'" : std::string("end of line");
}

// ---------------------------------------------------------------------------------------------
// Codes.

bool is_channels(std::string_view s) {
  if (s == "V" || s == "B" || s == "NONE" || s == "AA" || s == "AA/V") return true;
  if (s.empty() || s.front() != 'A') return false;
  std::string_view rest = s.substr(1);
  if (rest.size() >= 2 && rest.substr(rest.size() - 2) == "/V") rest.remove_suffix(2);
  return rest.empty() || (rest.size() <= 2 && all_digits(rest));
}

bool is_transition_start(std::string_view s) {
  if (s == "C" || s == "D" || s == "K" || s == "KB" || s == "KO") return true;
  return s.size() >= 2 && s.size() <= 4 && s.front() == 'W' && all_digits(s.substr(1));
}

// A label's frames field past the rate's last frame usually means the list was written at a
// faster rate than it is read at (a 25 fps list read at 24): "; frame 24 means a list at 25 fps
// or faster (read it at its rate)". Empty when the frames field is not the problem.
std::string likely_rate_hint(std::string_view label, const time::FrameRate& rate) {
  const std::size_t sep = label.find_last_of(":;");
  if (sep == std::string_view::npos || sep + 1 >= label.size()) return "";
  const std::string_view field = label.substr(sep + 1);
  if (!all_digits(field) || field.size() > 3) return "";
  const int frames = std::stoi(std::string(field));
  if (frames < rate.nominal()) return "";
  const char* likely = frames < 25   ? "25"
                       : frames < 30 ? "29.97 or 30"
                       : frames < 50 ? "50"
                       : frames < 60 ? "59.94 or 60"
                                     : nullptr;
  if (likely == nullptr) return "";
  return base::cat("; frame ", frames, " means a list at ", likely,
                   " fps or faster (read it at its rate)");
}

// ---------------------------------------------------------------------------------------------
// The reader.

class Reader {
 public:
  explicit Reader(const EdlOptions& options) : options_(options) {
    auto base = time::FrameRate::create(options.rate.fps(), false);
    cut().rate = base ? *base : options.rate;
    fcm_ = options.rate.drop_frame() ? Fcm::drop : Fcm::non_drop;
    cut().fcm = fcm_;
  }

  base::Result<EdlRead> run(std::string_view text) {
    std::size_t pos = 0;
    int number = 0;
    while (pos < text.size()) {
      std::size_t end = pos;
      while (end < text.size() && text[end] != '\n' && text[end] != '\r')
        ++end;
      ++number;
      const std::string_view line = trim(text.substr(pos, end - pos));
      if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n')
        ++end;
      pos = end + 1;
      if (line.empty()) continue;
      line_ = number;
      if (auto ok = statement(line); !ok) {
        const base::Error error = ok.error().with_context("line " + std::to_string(number));
        if (!options_.lenient) return error;
        if (auto skipped = skip(error); !skipped) return skipped.error();
      }
    }
    if (!fcm_seen_) {
      warn(0, base::cat("no FCM line; the list counts ", to_string(cut().fcm), " at ",
                        cut().rate_for(cut().fcm).name()));
    }
    return std::move(out_);
  }

 private:
  Cut& cut() { return out_.cut; }

  void warn(int line, std::string message) {
    out_.warnings.push_back(
        base::Warning{line > 0 ? "line " + std::to_string(line) + ": " + message : message});
  }

  base::Result<void> skip(const base::Error& error) {
    // A lenient reading drops the event the bad line belongs to, and its trailing lines.
    if (kind_ == LineKind::event) {
      warn(0, error.message + "; skipped that event");
      ++out_.skipped_events;
    } else if (kind_ == LineKind::trailer) {
      warn(0, error.message + "; skipped the event it belongs to");
      if (!cut().events.empty()) {
        cut().events.pop_back();
        ++out_.skipped_events;
      }
    } else {
      warn(0, error.message + "; ignored the line");
      return {};
    }
    open_ = false;
    skipping_ = true;
    return {};
  }

  enum class LineKind { header, event, trailer };

  base::Result<void> statement(std::string_view line) {
    kind_ = LineKind::header;
    if (starts_with_ci(line, "TITLE:")) {
      if (!title_seen_) {
        title_seen_ = true;
        cut().title = std::string(trim(line.substr(6)));
        return {};
      }
      add_other(line);
      return {};
    }
    if (starts_with_ci(line, "FCM:")) return fcm_line(trim(line.substr(4)));
    if (line.front() >= '0' && line.front() <= '9') {
      kind_ = LineKind::event;
      skipping_ = false;
      return event_line(tokens_of(line));
    }
    if (skipping_) return {};
    const std::vector<std::string_view> t = tokens_of(line);
    if (t.front() == "M2") {
      kind_ = LineKind::trailer;
      return m2_line(t);
    }
    if (t.front() == "AUD") {
      kind_ = LineKind::trailer;
      return aud_line(t);
    }
    if (line.front() == '*') {
      comment(trim(line.substr(1)));
      return {};
    }
    // Statements kept as written without comment: CMX split and GPI lines, Avid's effect
    // lines, Final Cut Pro's reel replacements and Resolve's marker lines.
    static constexpr std::array<std::string_view, 7> known{
        "SPLIT", "GPI", "EFFECTS NAME IS", "FINAL CUT PRO REEL", "|C:", "SWM", ">>>"};
    bool is_known = false;
    for (std::string_view k : known)
      is_known = is_known || starts_with_ci(line, k);
    if (!is_known) warn(line_, "kept an unrecognised line as written: '" + std::string(line) + "'");
    add_other(line);
    return {};
  }

  void add_other(std::string_view line) {
    if (cut().events.empty()) {
      cut().other_lines.emplace_back(line);
    } else {
      cut().events.back().other_lines.emplace_back(line);
    }
  }

  base::Result<void> fcm_line(std::string_view value) {
    std::string key;
    for (char c : value) {
      if (c != ' ' && c != '-' && c != '_' && c != '\t') key.push_back(upper(c));
    }
    if (key.size() >= 5 && key.compare(key.size() - 5, 5, "FRAME") == 0) key.resize(key.size() - 5);
    Fcm mode;
    if (key == "DROP" || key == "DF") {
      mode = Fcm::drop;
    } else if (key == "NONDROP" || key == "NDF") {
      mode = Fcm::non_drop;
    } else {
      return make_error(ErrorKind::invalid_input,
                        "expected DROP FRAME or NON-DROP FRAME after "
                        "'FCM:', found '",
                        value, "'");
    }
    if (mode == Fcm::drop && options_.rate_from_fcm && !fcm_seen_ && cut().events.empty() &&
        !cut().rate_for(Fcm::drop).drop_frame()) {
      auto ntsc = time::FrameRate::create(time::Rational(30000, 1001), false);
      if (ntsc) {
        cut().rate = *ntsc;
        warn(line_,
             "no rate given: FCM DROP FRAME implies 29.97 DF, so the list is read at "
             "29.97 DF (a 59.94 list needs its rate named)");
      }
    }
    if (mode == Fcm::drop) {
      const time::FrameRate& r = cut().rate;
      // A 30- or 60-based list said to count drop-frame runs at the 1001 rate.
      if (r.fps().den() == 1 && (r.fps().num() == 30 || r.fps().num() == 60)) {
        auto slower = time::FrameRate::create(time::Rational(r.fps().num() * 1000, 1001), false);
        if (slower) cut().rate = *slower;
      }
      if (!cut().rate_for(Fcm::drop).drop_frame() && !warned_drop_) {
        warned_drop_ = true;
        warn(line_, "FCM DROP FRAME has no meaning at " + cut().rate.name() +
                        " (only 29.97 and 59.94 drop labels); counting non-drop");
      }
    }
    if (!fcm_seen_ && cut().events.empty()) cut().fcm = mode;
    fcm_seen_ = true;
    fcm_ = mode;
    open_ = false;
    skipping_ = false;
    return {};
  }

  // A timecode (':', ';' or '.' between fields) or a frame number, under the current counting.
  base::Result<std::int64_t> position(std::string_view token, const char* what,
                                      const std::string& after) {
    const time::FrameRate rate = cut().rate_for(fcm_);
    if (all_digits(token)) {
      if (token.size() > 12 || std::stoll(std::string(token)) >= rate.frames_per_day()) {
        return make_error(ErrorKind::out_of_range, "the ", what, " frame number ", token,
                          " is beyond the 24 hours timecode can label at ", rate.name());
      }
      return static_cast<std::int64_t>(std::stoll(std::string(token)));
    }
    std::string text(token);
    for (char& c : text) {
      if (c == '.') c = ':';
    }
    auto tc = time::parse_timecode(text, rate);
    if (!tc) {
      if (tc.error().kind == ErrorKind::out_of_range) {
        return make_error(ErrorKind::out_of_range, "the ", what, " '", token,
                          "' is not a label at ", rate.name(), ": ", tc.error().message,
                          likely_rate_hint(text, rate));
      }
      return make_error(ErrorKind::invalid_input, "expected a ", what, " timecode after ", after,
                        ", found '", token, "'");
    }
    return time::to_frames(*tc, rate);
  }

  base::Result<void> event_line(const std::vector<std::string_view>& t) {
    if (!all_digits(t[0]) || t[0].size() > 9) {
      return make_error(ErrorKind::invalid_input,
                        "expected an event number (digits) at the start of the line, found '", t[0],
                        "'");
    }
    const int number = std::stoi(std::string(t[0]));
    if (t.size() < 3) {
      return make_error(ErrorKind::invalid_input,
                        "expected a reel and a channel code after the "
                        "event number ",
                        t[0], ", found end of line");
    }
    // The channel code follows the reel; a reel holding single spaces spans several tokens.
    std::size_t k = 0;
    for (std::size_t i = 2; i + 1 < t.size(); ++i) {
      if (is_channels(t[i]) && is_transition_start(t[i + 1])) {
        k = i;
        break;
      }
    }
    if (k == 0) {
      if (!is_channels(t[2])) {
        return make_error(ErrorKind::invalid_input,
                          "expected a channel code (V, A, A2, AA, B, "
                          "AA/V, NONE...) after the reel '",
                          t[1], "', found '", t[2], "'");
      }
      return make_error(ErrorKind::invalid_input,
                        "expected a transition (C, D, Wnnn, K, KB, KO) "
                        "after the channels '",
                        t[2], "', found ", quoted(t, 3));
    }
    Edit edit;
    edit.reel = join(t, 1, k);
    edit.channels = std::string(t[k]);
    std::size_t i = k + 1;
    const std::string_view code = t[i++];
    Transition& tr = edit.transition;
    if (code == "C") {
      tr.kind = TransitionKind::cut;
    } else if (code == "D") {
      tr.kind = TransitionKind::dissolve;
    } else if (code.front() == 'W') {
      tr.kind = TransitionKind::wipe;
      tr.wipe_code = std::stoi(std::string(code.substr(1)));
    } else if (code == "KB") {
      tr.kind = TransitionKind::key_background;
    } else if (code == "KO") {
      tr.kind = TransitionKind::key_out;
    } else {
      tr.kind = TransitionKind::key;
      if (i < t.size() && (t[i] == "B" || t[i] == "O")) {
        tr.kind = t[i] == "B" ? TransitionKind::key_background : TransitionKind::key_out;
        ++i;
      }
    }
    const bool needs_duration =
        tr.kind == TransitionKind::dissolve || tr.kind == TransitionKind::wipe;
    std::string after = "the transition '" + std::string(code) + "'";
    if (needs_duration || (t.size() - i >= 5 && all_digits(t[i]))) {
      if (i >= t.size() || !all_digits(t[i]) || t[i].size() > 5) {
        return make_error(ErrorKind::invalid_input, "expected the duration in frames after the ",
                          to_string(tr.kind), " '", code, "', found ", quoted(t, i));
      }
      tr.frames = std::stoll(std::string(t[i]));
      after = "the duration " + std::string(t[i]);
      ++i;
    }
    static constexpr std::array<const char*, 4> names{"source-in", "source-out", "record-in",
                                                      "record-out"};
    std::array<std::int64_t, 4> values{};
    for (std::size_t f = 0; f < 4; ++f) {
      if (i >= t.size()) {
        return make_error(ErrorKind::invalid_input, "expected a ", names[f], " timecode after ",
                          after, ", found end of line");
      }
      auto p = position(t[i], names[f], after);
      if (!p) return p.error();
      values[f] = *p;
      after = "the " + std::string(names[f]) + " " + std::string(t[i]);
      ++i;
    }
    if (i < t.size()) {
      return make_error(ErrorKind::invalid_input,
                        "expected the end of the event line after the "
                        "record-out ",
                        t[i - 1], ", found '", t[i], "'");
    }
    edit.source_in = values[0];
    edit.source_out = values[1];
    edit.record_in = values[2];
    edit.record_out = values[3];
    if (edit.record_out < edit.record_in) {
      return make_error(ErrorKind::invalid_input, "the record-out ", t[i - 1],
                        " comes before the record-in ", t[i - 2]);
    }
    // The second line of a transition pair shares the event number of the first.
    if (open_ && !cut().events.empty() && cut().events.back().number == number &&
        cut().events.back().edits.size() == 1) {
      cut().events.back().edits.push_back(std::move(edit));
      open_ = false;
      return {};
    }
    Event e;
    e.number = number;
    e.fcm = fcm_;
    e.edits.push_back(std::move(edit));
    cut().events.push_back(std::move(e));
    open_ = true;
    return {};
  }

  base::Result<void> m2_line(const std::vector<std::string_view>& t) {
    if (cut().events.empty()) {
      return make_error(ErrorKind::invalid_input, "an M2 speed line comes before any event");
    }
    if (t.size() < 4) {
      return make_error(ErrorKind::invalid_input,
                        "expected 'M2 reel speed source-entry' (e.g. "
                        "'M2   A001   048.0   01:00:00:00'), found ",
                        t.size() - 1, " fields after M2");
    }
    const std::size_t n = t.size();
    const std::string_view speed = t[n - 2];
    std::string_view digits = speed;
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+'))
      digits.remove_prefix(1);
    const std::size_t point = digits.find('.');
    const std::string_view whole = digits.substr(0, point);
    const std::string_view frac =
        point == std::string_view::npos ? std::string_view{} : digits.substr(point + 1);
    if (!all_digits(whole) || whole.size() > 6 ||
        (point != std::string_view::npos && (!all_digits(frac) || frac.size() > 9))) {
      return make_error(ErrorKind::invalid_input,
                        "expected a speed in frames per second (like 048.0, 000.0 or -025.0) "
                        "after the M2 reel '",
                        join(t, 1, n - 2), "', found '", speed, "'");
    }
    auto fps = time::Rational::parse(speed.front() == '+' ? speed.substr(1) : speed);
    if (!fps) return fps.error();
    auto entry = position(t[n - 1], "source-entry", "the speed " + std::string(speed));
    if (!entry) return entry.error();
    cut().events.back().speeds.push_back(Speed{join(t, 1, n - 2), *fps, *entry});
    return {};
  }

  base::Result<void> aud_line(const std::vector<std::string_view>& t) {
    if (cut().events.empty()) {
      return make_error(ErrorKind::invalid_input, "an AUD line comes before any event");
    }
    if (t.size() < 2) {
      return make_error(ErrorKind::invalid_input,
                        "expected audio channel numbers after AUD (like 'AUD  3    4')");
    }
    std::vector<int> channels;
    for (std::size_t i = 1; i < t.size(); ++i) {
      if (!all_digits(t[i]) || t[i].size() > 2) {
        return make_error(ErrorKind::invalid_input,
                          "expected an audio channel number (1 to 99) after AUD, found '", t[i],
                          "'");
      }
      channels.push_back(std::stoi(std::string(t[i])));
    }
    auto& extra = cut().events.back().edits.back().extra_audio;
    extra.insert(extra.end(), channels.begin(), channels.end());
    return {};
  }

  void comment(std::string_view body) {
    if (cut().events.empty()) {
      cut().comments.emplace_back(body);
      return;
    }
    Event& e = cut().events.back();
    // The first of each keyed comment fills its field; any more stay comments, in place, in a
    // canonical spelling. A TO CLIP NAME names the second line of a pair, so after it the
    // event takes no second line.
    const auto fill = [&e](std::string* field, std::string_view key, std::string_view value) {
      if (value.empty()) return;  // says nothing
      if (field != nullptr && field->empty()) {
        *field = std::string(value);
      } else {
        e.comments.push_back(std::string(key) + ": " + std::string(value));
      }
    };
    if (auto from = keyed(body, "FROM CLIP NAME")) {
      fill(&e.edits.front().clip_name, "FROM CLIP NAME", *from);
    } else if (auto to = keyed(body, "TO CLIP NAME")) {
      fill(e.edits.size() > 1 ? &e.edits[1].clip_name : nullptr, "TO CLIP NAME", *to);
      open_ = false;
    } else if (auto src = keyed(body, "SOURCE FILE")) {
      fill(&e.source_file, "SOURCE FILE", *src);
    } else if (auto fx = keyed(body, "EFFECT NAME")) {
      fill(&e.effect_name, "EFFECT NAME", *fx);
    } else if (auto loc = keyed(body, "LOC")) {
      if (auto m = marker(*loc)) {
        e.markers.push_back(std::move(*m));
      } else {
        warn(line_, "kept a LOC comment whose timecode does not read at " +
                        cut().rate_for(fcm_).name() + " as a plain comment");
        e.comments.emplace_back(body);
      }
    } else {
      e.comments.emplace_back(body);
    }
  }

  std::optional<Marker> marker(std::string_view value) {
    const std::vector<std::string_view> t = tokens_of(value);
    if (t.empty()) return std::nullopt;
    auto frame = position(t[0], "marker", "LOC:");
    if (!frame) return std::nullopt;
    Marker m;
    m.frame = *frame;
    if (t.size() > 1) {
      m.colour = std::string(t[1]);
      const std::size_t after = static_cast<std::size_t>(t[1].data() - value.data()) + t[1].size();
      m.text = std::string(trim(value.substr(after)));
    }
    return m;
  }

  const EdlOptions& options_;
  EdlRead out_;
  Fcm fcm_ = Fcm::non_drop;
  int line_ = 0;
  LineKind kind_ = LineKind::header;
  bool open_ = false;      // the last event may still take the second line of a pair
  bool skipping_ = false;  // lenient: dropping the trailing lines of a skipped event
  bool title_seen_ = false;
  bool fcm_seen_ = false;
  bool warned_drop_ = false;
};

// ---------------------------------------------------------------------------------------------
// The writer.

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string padded_number(std::int64_t v, std::size_t width) {
  std::string s = std::to_string(v);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

// "048.0", "-025.0", "023.976": three whole digits at least, the decimals needed (one at least).
std::string speed_text(const time::Rational& fps) {
  const bool negative = fps.num() < 0;
  const std::int64_t num = negative ? -fps.num() : fps.num();
  const std::int64_t whole = num / fps.den();
  // Parsed speeds have at most 9 decimals; other denominators round to 9.
  const std::int64_t frac = time::mul_div_round(num % fps.den(), 1'000'000'000, fps.den());
  std::string decimals = padded_number(frac, 9);
  while (decimals.size() > 1 && decimals.back() == '0')
    decimals.pop_back();
  return (negative ? "-" : "") + padded_number(whole, 3) + "." + decimals;
}

std::string trim_right(std::string s) {
  while (!s.empty() && is_space(s.back()))
    s.pop_back();
  return s;
}

}  // namespace

base::Result<EdlRead> read_edl(std::string_view bytes, const EdlOptions& options) {
  // DOS lists may end in Ctrl-Z padding; some tools leave NULs.
  while (!bytes.empty() && (bytes.back() == '\x1a' || bytes.back() == '\0'))
    bytes.remove_suffix(1);
  std::string text;
  if (is_utf8(bytes)) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    text = std::string(bytes);
  } else {
    text = latin1_to_utf8(bytes);
  }
  Reader reader(options);
  return reader.run(text);
}

std::string write_edl(const Cut& cut) {
  std::string out;
  out.reserve(cut.events.size() * 120 + 256);
  const auto line = [&out](std::string s) {
    out += trim_right(std::move(s));
    out += '\n';
  };
  line("TITLE: " + cut.title);
  line("FCM: " + std::string(to_string(cut.fcm)));
  for (const std::string& s : cut.other_lines)
    line(s);
  for (const std::string& s : cut.comments)
    line("* " + s);
  Fcm fcm = cut.fcm;
  const Event* previous = nullptr;
  for (const Event& e : cut.events) {
    // A repeated FCM line keeps a one-line event from pairing with the event before it.
    const bool would_pair =
        previous != nullptr && previous->number == e.number && previous->edits.size() == 1;
    if (e.fcm != fcm || would_pair) {
      fcm = e.fcm;
      line("FCM: " + std::string(to_string(fcm)));
    }
    previous = &e;
    const time::FrameRate rate = cut.rate_for(e.fcm);
    const auto tc = [&rate](std::int64_t frame) {
      return time::format_timecode(time::from_frames(frame, rate), rate);
    };
    for (const Edit& edit : e.edits) {
      const Transition& t = edit.transition;
      const bool duration =
          t.kind == TransitionKind::dissolve || t.kind == TransitionKind::wipe || t.frames != 0;
      line(padded_number(e.number, 3) + "  " + pad(edit.reel, 8) + " " + pad(edit.channels, 5) +
           " " + pad(transition_code(t), 4) + " " +
           (duration ? padded_number(t.frames, 3) : std::string("   ")) + " " + tc(edit.source_in) +
           " " + tc(edit.source_out) + " " + tc(edit.record_in) + " " + tc(edit.record_out));
      if (!edit.extra_audio.empty()) {
        std::string aud = "AUD ";
        for (int c : edit.extra_audio)
          aud += " " + pad(std::to_string(c), 4);
        line(aud);
      }
    }
    for (const Speed& s : e.speeds)
      line("M2   " + pad(s.reel, 8) + "       " + pad(speed_text(s.fps), 5) + "                " +
           tc(s.entry));
    if (!e.edits.front().clip_name.empty()) line("* FROM CLIP NAME: " + e.edits.front().clip_name);
    if (e.edits.size() > 1 && !e.edits[1].clip_name.empty())
      line("* TO CLIP NAME: " + e.edits[1].clip_name);
    if (!e.effect_name.empty()) line("* EFFECT NAME: " + e.effect_name);
    if (!e.source_file.empty()) line("* SOURCE FILE: " + e.source_file);
    for (const Marker& m : e.markers) {
      line("* LOC: " + tc(m.frame) + (m.colour.empty() ? "" : " " + pad(m.colour, 7)) + " " +
           m.text);
    }
    for (const std::string& s : e.comments)
      line("* " + s);
    for (const std::string& s : e.other_lines)
      line(s);
  }
  // Latin-1 when every character fits and the bytes cannot be taken for UTF-8 on reading.
  if (auto latin1 = utf8_to_latin1(out); latin1 && (*latin1 == out || !is_utf8(*latin1))) {
    return *latin1;
  }
  return out;
}

}  // namespace duet::picture
