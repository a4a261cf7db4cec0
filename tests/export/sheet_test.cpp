#include "export/sheet.h"

#include <gtest/gtest.h>

#include "export_test_util.h"
#include "spot/merge.h"

namespace duet::exporting {
namespace {

using test_support::at;

Sheet sample_sheet() {
  Sheet sheet;
  sheet.title = "Film <One> & \"Two\"";
  spot::Cue b;
  b.id = *spot::parse_cue_id("1M2");
  b.title = "Chase, part 1";
  b.in = at(1, 2, 0, 0);
  b.out = at(1, 3, 30, 12);
  b.usage = spot::Usage::visual_instrumental;
  b.notes = "says \"go\"\nthen runs";
  b.hits = {
      {at(1, 2, 40, 0), "crash", spot::HitKind::soft, 1.0, spot::Landing::subdivision(16), false},
      {at(1, 2, 10, 5), "door", spot::HitKind::hard, 2.0, spot::Landing::downbeat(), true}};
  b.dialogue = {{at(1, 2, 12, 0), at(1, 2, 20, 0), "Bo"}};
  b.emotion.keys = {{at(1, 2, 0, 0), {0.0, 0.5, 0.2}}, {at(1, 3, 0, 0), {-0.5, 1.0, 0.9}}};
  spot::Cue a;
  a.id = *spot::parse_cue_id("1M1");
  a.title = "Opening";
  a.in = at(1, 0, 0, 0);
  a.out = at(1, 1, 0, 0);
  a.usage = spot::Usage::main_title;
  sheet.cues = {b, a};
  return sheet;
}

TEST(SheetCsv, OneRowPerCueInIdOrderWithEscaping) {
  const std::string csv = sheet_csv(sample_sheet());
  EXPECT_EQ(csv,
            "cue,title,in,out,duration,usage,hits,notes\n"
            "1M1,Opening,01:00:00:00,01:01:00:00,00:01:00:00,MT,,\n"
            "1M2,\"Chase, part 1\",01:02:00:00,01:03:30:12,00:01:30:12,VI,"
            "\"01:02:10:05 door (hard, downbeat, accent); 01:02:40:00 crash (soft, 16th)\","
            "\"says \"\"go\"\"\nthen runs\"\n");
}

TEST(SheetCsv, EmptySheetHasTheHeader) {
  EXPECT_EQ(sheet_csv(Sheet{}), "cue,title,in,out,duration,usage,hits,notes\n");
}

TEST(TimelineSvg, HasEveryCueHitDialogueAndCurve) {
  const std::string svg = timeline_svg(sample_sheet());
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("id=\"cue-1M1\""), std::string::npos);
  EXPECT_NE(svg.find("id=\"cue-1M2\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"hit hard\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"hit soft\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"dialogue\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"valence\""), std::string::npos);
  EXPECT_NE(svg.find("class=\"tension\""), std::string::npos);
  // 1M1 has no emotion keyframes: only one cue draws curves.
  std::size_t curves = 0;
  for (std::size_t p = svg.find("<polyline"); p != std::string::npos;
       p = svg.find("<polyline", p + 1))
    ++curves;
  EXPECT_EQ(curves, 3u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

TEST(TimelineSvg, BarsSitWhereTheCuesAre) {
  // The axis runs from 01:00:00:00 (the first cue) to 01:03:30:12 (the last out) over 1000
  // units from x = 60: 1M1 (0..60 s of 210.5 s) is 285.0 units wide.
  const std::string svg = timeline_svg(sample_sheet());
  EXPECT_NE(svg.find("<rect x=\"60.0\" y=\"30.0\" width=\"285.0\" height=\"28.0\" class=\"bar\"/>"),
            std::string::npos)
      << svg;
}

TEST(SheetHtml, SelfContainedAndEscaped) {
  Sheet s = sample_sheet();
  auto drafted = spot::merge_draft({}, {s.cues[1]});
  ASSERT_TRUE(drafted);
  s.cues = {s.cues[0], drafted->cues[0]};
  const std::string html = sheet_html(s);
  EXPECT_NE(html.find("<title>Film &lt;One&gt; &amp; &quot;Two&quot; — spotting sheet</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("<b>1M1</b> <i>(draft)</i>"), std::string::npos);
  EXPECT_NE(html.find("<b>1M2</b></td>"), std::string::npos);
  EXPECT_NE(html.find("says &quot;go&quot;"), std::string::npos);
  EXPECT_NE(html.find("01:02:12:00</span>–<wbr><span class=\"tc\">01:02:20:00</span> Bo"),
            std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find("src="), std::string::npos);
}

// The table fits A4 landscape inside the margins (273 mm): fixed columns whose widths add up to
// the page, each wide enough for a timecode where one stands alone, and list cells that wrap
// between entries while a timecode never breaks. Before, nowrap cells ran the Dialogue, Emotion
// and Notes columns off the printed page.
TEST(SheetHtml, TheTableFitsAnA4LandscapePage) {
  const std::string html = sheet_html(sample_sheet());
  EXPECT_NE(html.find("table-layout: fixed"), std::string::npos);
  std::vector<double> widths;
  for (std::size_t at = html.find("<col style=\"width:"); at != std::string::npos;
       at = html.find("<col style=\"width:", at + 1)) {
    widths.push_back(std::stod(html.substr(at + 18)));
  }
  ASSERT_EQ(widths.size(), 11u);  // one per column header
  double sum = 0;
  for (double w : widths)
    sum += w;
  EXPECT_NEAR(sum, 100.0, 0.01);
  // In, Out, Length: a timecode in 7.5 pt Courier (0.6 em a character) and the cell's padding.
  const double tc_mm = 11 * 7.5 * 0.6 * 25.4 / 72 + 2 * 3 * 25.4 / 96;
  for (int col : {2, 3, 4})
    EXPECT_GE(widths[col] / 100 * 273, tc_mm) << "column " << col;
  EXPECT_NE(html.find(".tc { font-family: 'Courier New', monospace; font-size: 7.5pt; white-space: "
                      "nowrap; }"),
            std::string::npos);
  EXPECT_NE(html.find("<div class=\"entry\"><span class=\"tc\">01:02:10:05</span> door"),
            std::string::npos);
}

}  // namespace
}  // namespace duet::exporting
