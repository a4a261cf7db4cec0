// Fuzz target for the HTTP API's request bodies (app/serve/requests.h): any bytes give a typed
// request or an Error, never a crash, and what is accepted is within the engine's bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "serve/requests.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (const auto compose = duet::serve::read_compose_body(body)) {
    const auto& r = compose->request;
    if (r.candidates < 1 || r.candidates > 64 || r.keep < 1 || r.keep > r.candidates ||
        compose->out.empty()) {
      __builtin_trap();  // accepted a request the engine would refuse
    }
  }
  if (const auto apply = duet::serve::read_apply_body(body)) {
    if (apply->option < 1 || apply->option > apply->options || apply->options > 100) {
      __builtin_trap();
    }
  }
  return 0;
}
