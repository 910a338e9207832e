// Summaries for CI systems: JUnit XML and TAP as kselftest prints it.
#include <fmt/format.h>

#include "checker/report/report.h"

namespace gup {

namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters even when escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += '?';
        else
          out += c;
    }
  }
  return out;
}

std::string test_name(const RunRecord& run) {
  return fmt::format("{} {} ({})", run.spec->name, run.result.engine, run.spec->variant);
}

}  // namespace

std::string junit_xml(std::span<const RunRecord> runs) {
  int failures = 0, skipped = 0;
  double total = 0;
  for (const RunRecord& r : runs) {
    failures += r.result.verdict == Verdict::kViolated;
    skipped += r.result.verdict == Verdict::kIncomplete;
    total += r.result.seconds;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"gupcheck\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"{:.3f}\">\n",
      runs.size(), failures, skipped, total);
  // One <testsuite> per spec file, in the order the runs came.
  for (size_t i = 0; i < runs.size();) {
    size_t j = i;
    int f = 0, s = 0;
    double t = 0;
    for (; j < runs.size() && runs[j].spec == runs[i].spec; j++) {
      f += runs[j].result.verdict == Verdict::kViolated;
      s += runs[j].result.verdict == Verdict::kIncomplete;
      t += runs[j].result.seconds;
    }
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
        "time=\"{:.3f}\">\n",
        xml_escape(runs[i].spec->path), j - i, f, s, t);
    for (; i < j; i++) {
      const RunRecord& run = runs[i];
      const EngineResult& r = run.result;
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\"",
                         xml_escape(run.spec->name), xml_escape(test_name(run)), r.seconds);
      if (r.verdict == Verdict::kViolated) {
        out +=
            fmt::format(">\n      <failure type=\"violated\" message=\"{}\">{}</failure>\n",
                        xml_escape("violated " + r.property), xml_escape(counterexample_text(run)));
        out += "    </testcase>\n";
      } else if (r.verdict == Verdict::kIncomplete) {
        out += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                           xml_escape("incomplete: a budget ended the run before an answer"));
      } else {
        out += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                           xml_escape(verdict_text(r)));
      }
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

std::string tap_report(std::span<const RunRecord> runs) {
  // tools/testing/selftests/kselftest.h: ksft_print_header(),
  // ksft_set_plan(), ksft_test_result_*() and ksft_print_cnts().
  std::string out = fmt::format("TAP version 13\n1..{}\n", runs.size());
  int pass = 0, fail = 0, skip = 0;
  for (size_t i = 0; i < runs.size(); i++) {
    const RunRecord& run = runs[i];
    const EngineResult& r = run.result;
    out += fmt::format("# {}: {} on {}, variant {}\n", run.spec->path, r.engine,
                       run.spec->config.name, run.spec->variant);
    if (r.verdict == Verdict::kViolated) {
      fail++;
      out += fmt::format("# violated {}: {}\n", r.property, r.why);
      out += fmt::format("# replay: {}\n", replay_command(run));
      out += fmt::format("not ok {} {}\n", i + 1, test_name(run));
    } else if (r.verdict == Verdict::kIncomplete) {
      skip++;
      out += fmt::format("ok {} # SKIP {}: incomplete, a budget ended the run\n", i + 1,
                         test_name(run));
    } else {
      pass++;
      out += fmt::format("ok {} {}: {}\n", i + 1, test_name(run), verdict_text(r));
    }
  }
  out +=
      fmt::format("# Totals: pass:{} fail:{} xfail:0 xpass:0 skip:{} error:0\n", pass, fail, skip);
  return out;
}

}  // namespace gup
