#include "base/error.h"

namespace duet::base {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_input:
      return "invalid input";
    case ErrorKind::out_of_range:
      return "out of range";
    case ErrorKind::io:
      return "input/output";
    case ErrorKind::unsupported:
      return "unsupported";
    case ErrorKind::impossible:
      return "impossible request";
  }
  return "error";
}

Error Error::with_context(std::string_view where) const {
  return Error{kind, cat(where, ": ", message)};
}

}  // namespace duet::base
