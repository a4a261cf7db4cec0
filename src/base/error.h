// Errors are values (DESIGN.md): every loader and parser returns Result<T>, a value or an Error
// whose message is one sentence a person understands: what went wrong, where, and what to do.
#pragma once

#include <sstream>
#include <string>
#include <string_view>
#include <utility>

namespace duet::base {

// Broad category, so that a face can choose an exit status without reading the message.
enum class ErrorKind {
  invalid_input,  // malformed text or file contents
  out_of_range,   // well-formed but outside what is allowed (timecode field, tempo range...)
  io,             // a file could not be read or written
  unsupported,    // valid but not something duet handles
  impossible,     // a request that cannot be satisfied
};

std::string_view to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::invalid_input;
  std::string message;  // one sentence, no trailing newline

  // Prefixes the message with a place ("song.mid: ", "line 12: ") without changing the kind.
  [[nodiscard]] Error with_context(std::string_view where) const;
};

// Concatenates streamable values into a string (std::format is not in GCC 12's C++20 library).
template <class... Args>
std::string cat(Args&&... args) {
  std::ostringstream out;
  (out << ... << std::forward<Args>(args));
  return out.str();
}

template <class... Args>
Error make_error(ErrorKind kind, Args&&... args) {
  return Error{kind, cat(std::forward<Args>(args)...)};
}

// A one-line warning about input that was accepted anyway (a missing end-of-track, a note that
// never ends). Readers collect them; faces decide whether to show them.
struct Warning {
  std::string message;
};

}  // namespace duet::base
