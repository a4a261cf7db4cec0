// Small text helpers shared by the engine's reports and the faces.
#pragma once

#include <string>
#include <string_view>

namespace duet::base {

// A number with a fixed count of decimals ("12.345"), independent of the C locale.
std::string fixed(double value, int decimals);

// A CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);

// Text safe inside HTML, SVG and XML elements and attribute values (& < > " ' escaped).
std::string xml_escape(std::string_view text);

}  // namespace duet::base
