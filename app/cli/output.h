// Formatting helpers shared by the commands: errors, aligned tables, JSON.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "base/error.h"

namespace duet::cli {

// Exit statuses: 0 success, 1 bad input or a failed job, 2 a usage mistake.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Prints "duet: <message>" on stderr and returns kExitFailure.
int report(const base::Error& error);
// Prints "duet: <message>" on stderr and returns kExitUsage.
int usage_error(const std::string& message);
// Prints each of a job's warnings as "duet: warning: <sentence>" on stderr.
void print_warnings(const std::vector<std::string>& warnings);

// `text` broken into lines of at most `width` characters at spaces, for help footers whose
// sentences are made from the engine's facts (a word longer than the width keeps its own line).
std::string wrap(const std::string& text, std::size_t width = 90);

// A text table with left-aligned columns separated by two spaces.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace duet::cli
