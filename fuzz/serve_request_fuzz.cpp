// Fuzz target for the HTTP API's request bodies (app/serve/requests.h): any bytes give a typed
// request or an Error, never a crash, and what is accepted is within the engine's bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "serve/requests.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (const auto compose = duet::serve::read_compose_body(body)) {
    const auto& r = compose->request;
    if (r.candidates < 1 || r.candidates > 64 || r.keep < 1 || r.keep > r.candidates ||
        compose->out.empty()) {
      __builtin_trap();  // accepted a request the engine would refuse
    }
    for (const auto& lock : r.locks) {
      if (lock.file.empty() ||
          (lock.bars && (lock.bars->first < 1 || lock.bars->second < lock.bars->first))) {
        __builtin_trap();  // a lock names a file and a range of bars from 1
      }
    }
  }
  if (const auto critique = duet::serve::read_critique_body(body)) {
    if (critique->empty()) __builtin_trap();
  }
  if (const auto apply = duet::serve::read_apply_body(body)) {
    if (apply->option < 1 || apply->option > apply->options || apply->options > 100) {
      __builtin_trap();
    }
  }
  if (const auto edit = duet::serve::read_cue_edit_body(body, "edited")) {
    if (!edit->fields.is_object() || edit->fields.contains("reason") || edit->reason.empty()) {
      __builtin_trap();  // the engine takes an object of cue fields and a reason
    }
    (void)edit->fields.dump();  // bounded depth: writing it back cannot recurse without end
  }
  if (const auto restore = duet::serve::read_restore_body(body)) {
    if (restore->version < 1) __builtin_trap();
  }
  if (const auto score = duet::serve::read_score_body(body)) {
    if ((score->out.empty() && score->stems.empty() && score->wav.empty()) || score->from.empty() ||
        (score->loudness && !(*score->loudness >= -40 && *score->loudness <= -5))) {
      __builtin_trap();
    }
  }
  if (const auto deliver = duet::serve::read_deliver_body(body)) {
    if (deliver->from.empty() || deliver->out.empty()) __builtin_trap();
  }
  if (const auto theme = duet::serve::read_theme_body(body)) {
    const auto* text = std::get_if<duet::engine::ThemeText>(&theme->source);
    if (text == nullptr || text->text.empty()) __builtin_trap();
  }
  if (const auto tag = duet::serve::read_tag_body(body)) {
    if (tag->cues.empty() == !tag->all) __builtin_trap();  // exactly one of cues and all
  }
  (void)duet::serve::read_empty_body(body);
  return 0;
}
