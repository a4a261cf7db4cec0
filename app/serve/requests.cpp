#include "requests.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "spot/cue.h"

namespace duet::serve {

using base::ErrorKind;
using base::make_error;
using nlohmann::json;

namespace {

base::Result<json> object_of(std::string_view body) {
  if (body.empty()) return json::object();
  json j = json::parse(body.begin(), body.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return make_error(ErrorKind::invalid_input,
                      "the request body is not a JSON object; send {\"name\": value, ...}");
  }
  return j;
}

// A whole number field within [low, high], or `fallback` when absent.
base::Result<std::int64_t> whole(const json& j, const char* name, std::int64_t fallback,
                                 std::int64_t low, std::int64_t high) {
  if (!j.contains(name)) return fallback;
  const json& v = j[name];
  if (!v.is_number_integer() && !v.is_number_unsigned()) {
    return make_error(ErrorKind::invalid_input, name, " takes a whole number");
  }
  // Unsigned values past int64 read as negative through get<int64_t>: take them as too large.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(high)) {
    return make_error(ErrorKind::out_of_range, name, " is out of range (", low, " to ", high, ")");
  }
  const std::int64_t n = v.get<std::int64_t>();
  if (n < low || n > high) {
    return make_error(ErrorKind::out_of_range, name, " ", n, " is out of range (", low, " to ",
                      high, ")");
  }
  return n;
}

}  // namespace

base::Result<ComposeBody> read_compose_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  ComposeBody out;
  if (j->contains("cues")) {
    const json& cues = (*j)["cues"];
    if (!cues.is_array()) {
      return make_error(ErrorKind::invalid_input, "cues takes a list of cue ids ([\"1M1\"])");
    }
    for (const json& c : cues) {
      if (!c.is_string()) {
        return make_error(ErrorKind::invalid_input, "cues takes a list of cue ids ([\"1M1\"])");
      }
      auto id = spot::parse_cue_id(c.get<std::string>());
      if (!id) return id.error().with_context("cues");
      out.request.cues.push_back(*id);
    }
  }
  auto candidates = whole(*j, "candidates", 8, 1, 64);
  if (!candidates) return candidates.error();
  auto keep = whole(*j, "keep", 3, 1, 64);
  if (!keep) return keep.error();
  if (*keep > *candidates) {
    return make_error(ErrorKind::out_of_range, "keep ", *keep, " is more than candidates ",
                      *candidates);
  }
  auto seed = whole(*j, "seed", 1, 0, std::numeric_limits<std::int64_t>::max());
  if (!seed) return seed.error();
  out.request.candidates = static_cast<int>(*candidates);
  out.request.keep = static_cast<int>(*keep);
  out.request.seed = static_cast<std::uint64_t>(*seed);
  if (j->contains("out")) {
    if (!(*j)["out"].is_string() || (*j)["out"].get<std::string>().empty()) {
      return make_error(ErrorKind::invalid_input, "out takes a folder inside the project");
    }
    out.out = (*j)["out"].get<std::string>();
  }
  return out;
}

base::Result<ApplyBody> read_apply_body(std::string_view body) {
  auto j = object_of(body);
  if (!j) return j.error();
  if (!j->contains("option")) {
    return make_error(ErrorKind::invalid_input, "give the option to apply: {\"option\": 1}");
  }
  ApplyBody out;
  auto options = whole(*j, "options", 5, 1, 100);
  if (!options) return options.error();
  auto option = whole(*j, "option", 0, 1, *options);
  if (!option) return option.error();
  out.option = static_cast<int>(*option);
  out.options = static_cast<int>(*options);
  return out;
}

}  // namespace duet::serve
