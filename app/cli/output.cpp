#include "output.h"

#include <algorithm>
#include <iostream>

namespace duet::cli {

int report(const base::Error& error) {
  std::cerr << "duet: " << error.message << "\n";
  return kExitFailure;
}

int usage_error(const std::string& message) {
  std::cerr << "duet: " << message << "\n";
  return kExitUsage;
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings)
    std::cerr << "duet: warning: " << w << "\n";
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths(header_.size(), 0);
  const auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  measure(header_);
  for (const auto& row : rows_)
    measure(row);
  const auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < row.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) text += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << text << "\n";
  };
  line(header_);
  for (const auto& row : rows_)
    line(row);
}

std::string wrap(const std::string& text, std::size_t width) {
  std::string out;
  std::size_t line = 0;  // characters on the current line
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    const std::size_t word = end - at;
    if (line > 0 && line + 1 + word > width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out.append(text, at, word);
    line += word;
    at = end + 1;
  }
  return out;
}

}  // namespace duet::cli
