#include "export/cue_sheet.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>

#include "base/error.h"
#include "base/text.h"
#include "export/sheet.h"

namespace duet::exporting {
namespace {

using base::cat;

struct RoleInfo {
  WriterRole role;
  std::string_view code, name;
};
constexpr std::array<RoleInfo, 5> kRoles{{{WriterRole::composer, "C", "composer"},
                                          {WriterRole::author, "A", "author"},
                                          {WriterRole::composer_author, "CA", "composer/author"},
                                          {WriterRole::arranger, "AR", "arranger"},
                                          {WriterRole::adapter, "AD", "adapter"}}};

// A share as people write it: "50", "33.33".
std::string share_text(double share) {
  std::string s = base::fixed(share, 2);
  while (s.back() == '0')
    s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s + "%";
}

std::string party(const std::string& name, std::string_view role, double share,
                  const std::string& society, const std::string& ipi) {
  std::string out = cat(name, " (", role, role.empty() ? "" : ", ", share_text(share));
  if (!society.empty()) out += ", " + society;
  if (!ipi.empty()) out += ", IPI " + ipi;
  return out + ")";
}

std::vector<const CueSheetEntry*> sorted(const CueSheet& sheet) {
  std::vector<const CueSheetEntry*> out;
  for (const auto& e : sheet.entries)
    out.push_back(&e);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->cue.id < b->cue.id; });
  return out;
}

std::int64_t frames_of(const spot::Cue& c, const time::FrameRate& rate) {
  return time::nearest_frame(time::TimePos((c.out - c.in).ticks()), rate);
}

std::string frames_text(std::int64_t frames, const time::FrameRate& rate) {
  return time::duration_label(time::time_of_frame(frames, rate) - time::TimePos(0), rate);
}

}  // namespace

std::string_view role_code(WriterRole role) {
  for (const auto& r : kRoles)
    if (r.role == role) return r.code;
  return "C";
}

std::string_view role_name(WriterRole role) {
  for (const auto& r : kRoles)
    if (r.role == role) return r.name;
  return "composer";
}

base::Result<WriterRole> parse_role(std::string_view text) {
  std::string lower;
  for (char c : text)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& r : kRoles) {
    std::string code;
    for (char c : r.code)
      code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == code || lower == r.name) return r.role;
  }
  return base::Error{base::ErrorKind::invalid_input,
                     cat("'", text,
                         "' is not a writer's role; use C (composer), A (author), CA "
                         "(composer/author), AR (arranger) or AD (adapter)")};
}

std::vector<CreditProblem> check_credits(const Credits& credits) {
  std::vector<CreditProblem> out;
  const auto check_group = [&](const char* group, const char* who, std::size_t count, auto&& at) {
    double sum = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const auto& [name, share] = at(i);
      const std::string path = cat("/", group, "/", i);
      if (name.empty()) out.push_back({path + "/name", cat("a ", who, " needs a name")});
      if (!std::isfinite(share) || share < 0 || share > 100) {
        out.push_back({path + "/share", cat("a share of ", base::fixed(share, 2),
                                            "% is not a percentage from 0 to 100")});
      } else {
        sum += share;
      }
    }
    if (count > 0 && std::abs(sum - 100) > 0.005) {
      out.push_back({cat("/", group), cat("the ", who, "s' shares add up to ", share_text(sum),
                                          ", not 100%; make them add up to 100")});
    }
  };
  check_group("writers", "writer", credits.writers.size(), [&](std::size_t i) {
    return std::pair<const std::string&, double>(credits.writers[i].name, credits.writers[i].share);
  });
  check_group("publishers", "publisher", credits.publishers.size(), [&](std::size_t i) {
    return std::pair<const std::string&, double>(credits.publishers[i].name,
                                                 credits.publishers[i].share);
  });
  return out;
}

std::string writers_text(const Credits& credits) {
  std::string out;
  for (const Writer& w : credits.writers) {
    if (!out.empty()) out += "; ";
    out += party(w.name, role_code(w.role), w.share, w.society, w.ipi);
  }
  return out;
}

std::string publishers_text(const Credits& credits) {
  std::string out;
  for (const Publisher& p : credits.publishers) {
    if (!out.empty()) out += "; ";
    out += party(p.name, "", p.share, p.society, p.ipi);
  }
  return out;
}

std::string cue_sheet_csv(const CueSheet& sheet) {
  std::string out = "cue,title,writers,publishers,usage,in,out,duration\n";
  for (const CueSheetEntry* e : sorted(sheet)) {
    const spot::Cue& c = e->cue;
    const std::vector<std::string> fields{c.id.to_string(),
                                          c.title,
                                          writers_text(e->credits),
                                          publishers_text(e->credits),
                                          std::string(spot::usage_code(c.usage)),
                                          time::nearest_label(c.in, sheet.rate),
                                          time::nearest_label(c.out, sheet.rate),
                                          frames_text(frames_of(c, sheet.rate), sheet.rate)};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += base::csv_field(fields[i]);
    }
    out += '\n';
  }
  return out;
}

std::string cue_sheet_html(const CueSheet& sheet) {
  const time::FrameRate& rate = sheet.rate;
  const std::string title = sheet.production.empty() ? "Music cue sheet" : sheet.production;
  const std::vector<const CueSheetEntry*> entries = sorted(sheet);
  std::int64_t total = 0;
  // Usage code -> (cues, frames), in the order of spot::Usage.
  std::map<int, std::pair<int, std::int64_t>> by_usage;
  for (const CueSheetEntry* e : entries) {
    const std::int64_t f = frames_of(e->cue, rate);
    total += f;
    auto& u = by_usage[static_cast<int>(e->cue.usage)];
    ++u.first;
    u.second += f;
  }
  std::string h =
      cat("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
          base::xml_escape(title), " — music cue sheet</title>\n<style>\n",
          "@page { size: A4 landscape; margin: 12mm; }\n"
          "body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #111; }\n"
          "h1 { font-size: 16pt; margin: 0 0 4px; }\n"
          "h2 { font-size: 12pt; margin: 16px 0 4px; }\n"
          "p.meta { margin: 0 0 12px; color: #444; }\n"
          "table { border-collapse: collapse; width: 100%; }\n"
          "table.totals { width: auto; }\n"
          "th, td { border: 1px solid #999; padding: 3px 5px; vertical-align: top; text-align: "
          "left; }\n"
          "th { background: #eee; }\n"
          "thead { display: table-header-group; }\n"
          "td.tc { font-family: 'Courier New', monospace; white-space: nowrap; }\n"
          "tr { page-break-inside: avoid; }\n"
          "tfoot td { font-weight: bold; }\n"
          "</style>\n</head>\n<body>\n<h1>",
          base::xml_escape(title), "</h1>\n<p class=\"meta\">Music cue sheet",
          sheet.company.empty() ? "" : " · " + base::xml_escape(sheet.company), " · ",
          base::xml_escape(rate.name()), " fps · ", entries.size(),
          entries.size() == 1 ? " cue" : " cues", " · total music ", frames_text(total, rate),
          "</p>\n");
  h += "<table class=\"cues\">\n<thead><tr><th>Cue</th><th>Title</th><th>Writers (role, share)</th>"
       "<th>Publishers (share)</th><th>Usage</th><th>In</th><th>Out</th><th>Duration</th></tr>"
       "</thead>\n<tbody>\n";
  const auto lines = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v)
      out += (out.empty() ? "" : "<br>") + base::xml_escape(s);
    return out;
  };
  for (const CueSheetEntry* e : entries) {
    const spot::Cue& c = e->cue;
    std::vector<std::string> writers, publishers;
    for (const Writer& w : e->credits.writers)
      writers.push_back(party(w.name, role_code(w.role), w.share, w.society, w.ipi));
    for (const Publisher& p : e->credits.publishers)
      publishers.push_back(party(p.name, "", p.share, p.society, p.ipi));
    h += cat("<tr><td><b>", base::xml_escape(c.id.to_string()), "</b></td><td>",
             base::xml_escape(c.title), "</td><td>", lines(writers), "</td><td>", lines(publishers),
             "</td><td>", spot::usage_code(c.usage), "</td><td class=\"tc\">",
             time::nearest_label(c.in, rate), "</td><td class=\"tc\">",
             time::nearest_label(c.out, rate), "</td><td class=\"tc\">",
             frames_text(frames_of(c, rate), rate), "</td></tr>\n");
  }
  h += cat("</tbody>\n<tfoot><tr><td colspan=\"7\">Total</td><td class=\"tc\">",
           frames_text(total, rate), "</td></tr></tfoot>\n</table>\n");
  h += "<h2>Duration by usage</h2>\n<table class=\"totals\">\n<thead><tr><th>Usage</th>"
       "<th>Meaning</th><th>Cues</th><th>Duration</th></tr></thead>\n<tbody>\n";
  for (const auto& [usage, count_frames] : by_usage) {
    const auto u = static_cast<spot::Usage>(usage);
    h += cat("<tr><td>", spot::usage_code(u), "</td><td>", spot::usage_name(u), "</td><td>",
             count_frames.first, "</td><td class=\"tc\">", frames_text(count_frames.second, rate),
             "</td></tr>\n");
  }
  h += "</tbody>\n</table>\n</body>\n</html>\n";
  return h;
}

}  // namespace duet::exporting
