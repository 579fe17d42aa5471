#include "emulator/cli/scenario_junit.h"

#include <gtest/gtest.h>

namespace timeslip::cli {
namespace {

TEST(ScenarioJunitTest, EscapesText) {
  EXPECT_EQ(XmlEscape("a<b>&\"c\"'d'\x01\n"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\n");
}

TEST(ScenarioJunitTest, OneTestcasePerScenarioWithFailuresInside) {
  ScenarioReport pass{
      "a.json", "ok <1>", ScenarioReport::Verdict::kPass, {}, 1, std::chrono::hours(1), 2.0};
  ScenarioReport fail{"a.json",
                      "bad & worse",
                      ScenarioReport::Verdict::kFail,
                      {"expect.status: expected SUCCEEDED, got FAILED", "path taken: A -> \"B\""},
                      1,
                      std::chrono::hours(1),
                      500.0};
  ScenarioReport error{"b.json",
                       "broken",
                       ScenarioReport::Verdict::kError,
                       {"stateMachines.x: InvalidName: <bad>"},
                       0,
                       {},
                       0.0};
  EXPECT_EQ(JunitXml({pass, fail, error}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"timeslip scenarios\" tests=\"3\" failures=\"1\" errors=\"1\" "
            "time=\"0.502\">\n"
            "  <testsuite name=\"a.json\" tests=\"2\" failures=\"1\" errors=\"0\" "
            "time=\"0.502\">\n"
            "    <testcase name=\"ok &lt;1&gt;\" classname=\"a.json\" time=\"0.002\"/>\n"
            "    <testcase name=\"bad &amp; worse\" classname=\"a.json\" time=\"0.500\">\n"
            "      <failure message=\"expect.status: expected SUCCEEDED, got FAILED\" "
            "type=\"AssertionFailed\">expect.status: expected SUCCEEDED, got FAILED\n"
            "path taken: A -&gt; &quot;B&quot;\n</failure>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "  <testsuite name=\"b.json\" tests=\"1\" failures=\"0\" errors=\"1\" "
            "time=\"0.000\">\n"
            "    <testcase name=\"broken\" classname=\"b.json\" time=\"0.000\">\n"
            "      <error message=\"stateMachines.x: InvalidName: &lt;bad&gt;\" "
            "type=\"ScenarioError\">stateMachines.x: InvalidName: &lt;bad&gt;\n</error>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

}  // namespace
}  // namespace timeslip::cli
