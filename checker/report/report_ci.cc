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

// What a CI system should count a run as.
enum class Ci { kPass, kFail, kSkip, kExpectedFailure };
Ci ci_outcome(const RunRecord& run) {
  Expected x = expected_outcome(run);
  if (run.result.verdict == Verdict::kViolated)
    return x == Expected::kMet ? Ci::kExpectedFailure : Ci::kFail;
  if (x == Expected::kMissed) return Ci::kFail;
  return run.result.verdict == Verdict::kIncomplete ? Ci::kSkip : Ci::kPass;
}

}  // namespace

std::string junit_xml(std::span<const RunRecord> runs) {
  int failures = 0, skipped = 0;
  double total = 0;
  for (const RunRecord& r : runs) {
    Ci c = ci_outcome(r);
    failures += c == Ci::kFail;
    skipped += c == Ci::kSkip || c == Ci::kExpectedFailure;
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
      Ci c = ci_outcome(runs[j]);
      f += c == Ci::kFail;
      s += c == Ci::kSkip || c == Ci::kExpectedFailure;
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
      Ci c = ci_outcome(run);
      if (c == Ci::kExpectedFailure) {
        // As pytest writes an xfail: skipped, with the counterexample.
        out += fmt::format(
            ">\n      <skipped type=\"xfail\" message=\"{}\"/>\n      <system-out>{}</system-out>\n"
            "    </testcase>\n",
            xml_escape("expected violation of " + r.property),
            xml_escape(counterexample_text(run)));
      } else if (r.verdict == Verdict::kViolated) {
        std::string msg = "violated " + r.property;
        if (run.spec->expect) msg += ", expected " + expectation_name(run);
        out += fmt::format(">\n      <failure type=\"violated\" message=\"{}\">{}</failure>\n",
                           xml_escape(msg), xml_escape(counterexample_text(run)));
        out += "    </testcase>\n";
      } else if (c == Ci::kFail) {
        out += fmt::format(
            ">\n      <failure type=\"expectation\" message=\"{}\"/>\n    </testcase>\n",
            xml_escape(
                fmt::format("expected {}, got: {}", expectation_name(run), verdict_text(r))));
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
  int pass = 0, fail = 0, skip = 0, xfail = 0;
  for (size_t i = 0; i < runs.size(); i++) {
    const RunRecord& run = runs[i];
    const EngineResult& r = run.result;
    out += fmt::format("# {}: {} on {}, variant {}\n", run.spec->path, r.engine,
                       run.spec->config.name, run.spec->variant);
    Ci c = ci_outcome(run);
    if (r.verdict == Verdict::kViolated) {
      out += fmt::format("# violated {}: {}\n", r.property, r.why);
      out += fmt::format("# replay: {}\n", replay_command(run));
      if (c == Ci::kExpectedFailure) {
        xfail++;
        out += fmt::format("not ok {} {} # TODO expected violation of {}\n", i + 1, test_name(run),
                           r.property);
      } else {
        fail++;
        out += fmt::format("not ok {} {}\n", i + 1, test_name(run));
      }
    } else if (c == Ci::kFail) {
      fail++;
      out += fmt::format("not ok {} {}: expected {}, got: {}\n", i + 1, test_name(run),
                         expectation_name(run), verdict_text(r));
    } else if (r.verdict == Verdict::kIncomplete) {
      skip++;
      out += fmt::format("ok {} # SKIP {}: incomplete, a budget ended the run\n", i + 1,
                         test_name(run));
    } else {
      pass++;
      out += fmt::format("ok {} {}: {}\n", i + 1, test_name(run), verdict_text(r));
    }
  }
  out += fmt::format("# Totals: pass:{} fail:{} xfail:{} xpass:0 skip:{} error:0\n", pass, fail,
                     xfail, skip);
  return out;
}

}  // namespace gup
