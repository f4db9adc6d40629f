#include "report/report.h"

#include "plot/sweep_view.h"
#include "results/csv.h"
#include "results/schema.h"
#include "runs_fixture.h"
#include "test_util.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace bsweep;

TEST_CASE("base64 encodes as RFC 4648 says") {
  // The test vectors of RFC 4648, section 10.
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64(std::string("\x89PNG\xff\x00", 6)) == "iVBOR/8A");
}

TEST_CASE("text in the page cannot open a tag") {
  CHECK(html_escape("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
}

TEST_CASE("a runs table stops at 500 rows and says how many it left out") {
  bsweep::test::TempDir dir;
  std::vector<Row> rows;
  for (int seed = 0; seed < 503; ++seed)
    rows.push_back(bsweep::test::fake_run({{"index", std::to_string(seed)}, {"seed", std::to_string(seed)}}));
  bsweep::test::write_runs(dir.path() + "/runs.csv", rows);
  std::ofstream(dir.path() + "/curves.csv") << csv_line(curves_header(1));
  const auto page = render_report(load_sweep_view(dir.path()), {});
  CHECK_THAT(page, Catch::Matchers::Contains("and 3 more runs: runs.csv holds every run"));
  std::size_t shown = 0;
  for (auto at = page.find("<tr><td>"); at != std::string::npos; at = page.find("<tr><td>", at + 1)) ++shown;
  CHECK(shown == 500);
}
