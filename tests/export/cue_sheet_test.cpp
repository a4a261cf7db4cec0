#include "export/cue_sheet.h"

#include <gtest/gtest.h>

#include "export_test_util.h"
#include "time/timecode.h"

namespace duet::exporting {
namespace {

using test_support::at;

spot::Cue cue(const char* id, const char* title, time::TimePos in, time::TimePos out,
              spot::Usage usage) {
  spot::Cue c;
  c.id = *spot::parse_cue_id(id);
  c.title = title;
  c.in = in;
  c.out = out;
  c.usage = usage;
  return c;
}

Credits duo() {
  Credits c;
  c.writers = {{"Jane Doe", WriterRole::composer, 50, "PRS", "00052210040"},
               {"John Roe, Jr.", WriterRole::arranger, 50, "", ""}};
  c.publishers = {{"Duet Music Ltd", 100, "PRS", ""}};
  return c;
}

CueSheet sample_cue_sheet() {
  CueSheet s;
  s.production = "The \"Storm\" & Co";
  s.company = "North Pictures";
  s.entries.push_back(
      {cue("1M2", "Chase", at(1, 2, 0, 0), at(1, 3, 30, 12), spot::Usage::visual_instrumental),
       duo()});
  Credits solo;
  solo.writers = {{"Jane Doe", WriterRole::composer_author, 100, "PRS", ""}};
  s.entries.push_back(
      {cue("1M1", "Opening", at(1, 0, 0, 0), at(1, 1, 0, 0), spot::Usage::main_title), solo});
  s.entries.push_back(
      {cue("1M3", "Calm", at(1, 4, 0, 0), at(1, 4, 10, 6), spot::Usage::visual_instrumental),
       solo});
  return s;
}

TEST(CueSheetCsv, RowsInIdOrderWithCreditsAndQuoting) {
  EXPECT_EQ(cue_sheet_csv(sample_cue_sheet()),
            "cue,title,writers,publishers,usage,in,out,duration\n"
            "1M1,Opening,\"Jane Doe (CA, 100%, PRS)\",,MT,01:00:00:00,01:01:00:00,00:01:00:00\n"
            "1M2,Chase,\"Jane Doe (C, 50%, PRS, IPI 00052210040); John Roe, Jr. (AR, 50%)\","
            "\"Duet Music Ltd (100%, PRS)\",VI,01:02:00:00,01:03:30:12,00:01:30:12\n"
            "1M3,Calm,\"Jane Doe (CA, 100%, PRS)\",,VI,01:04:00:00,01:04:10:06,00:00:10:06\n");
}

TEST(CueSheetHtml, PrintablePageWithTotalsByUsage) {
  const std::string html = cue_sheet_html(sample_cue_sheet());
  EXPECT_NE(html.find("@page { size: A4 landscape;"), std::string::npos);
  EXPECT_NE(html.find("<h1>The &quot;Storm&quot; &amp; Co</h1>"), std::string::npos);
  EXPECT_NE(html.find("North Pictures"), std::string::npos);
  // Total: 1:00:00 + 1:30:12 + 0:10:06 = 2:40:18.
  EXPECT_NE(html.find("total music 00:02:40:18"), std::string::npos);
  EXPECT_NE(html.find("<tr><td>MT</td><td>main title</td><td>1</td><td class=\"tc\">00:01:00:00"),
            std::string::npos);
  EXPECT_NE(
      html.find(
          "<tr><td>VI</td><td>visual instrumental</td><td>2</td><td class=\"tc\">00:01:40:18"),
      std::string::npos);
  EXPECT_NE(html.find("John Roe, Jr. (AR, 50%)"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // Rows in id order.
  EXPECT_LT(html.find("<b>1M1</b>"), html.find("<b>1M2</b>"));
}

TEST(Credits, SharesOfEachGroupSumTo100) {
  EXPECT_TRUE(check_credits(duo()).empty());
  EXPECT_TRUE(check_credits({}).empty());
  Credits c = duo();
  c.writers[1].share = 40;
  c.publishers.push_back({"", 20, "", ""});
  const auto problems = check_credits(c);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].path, "/writers");
  EXPECT_EQ(problems[0].message,
            "the writers' shares add up to 90%, not 100%; make them add up to 100");
  EXPECT_EQ(problems[1].path, "/publishers/1/name");
  EXPECT_EQ(problems[2].path, "/publishers");
  c = duo();
  c.writers[0].share = 150;
  EXPECT_EQ(check_credits(c)[0].path, "/writers/0/share");
}

TEST(Credits, RolesParseByCodeOrName) {
  EXPECT_EQ(*parse_role("CA"), WriterRole::composer_author);
  EXPECT_EQ(*parse_role("ar"), WriterRole::arranger);
  EXPECT_EQ(*parse_role("composer"), WriterRole::composer);
  for (auto r : {WriterRole::composer, WriterRole::author, WriterRole::composer_author,
                 WriterRole::arranger, WriterRole::adapter}) {
    EXPECT_EQ(*parse_role(role_code(r)), r);
    EXPECT_EQ(*parse_role(role_name(r)), r);
  }
  auto bad = parse_role("X");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("'X' is not a writer's role"), std::string::npos);
}

}  // namespace
}  // namespace duet::exporting
