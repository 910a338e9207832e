// Verdicts against the specs' expectations (checker/report/report.h).
#include <fmt/format.h>

#include "checker/report/report.h"

namespace gup {

Expected expected_outcome(const RunRecord& run) {
  if (!run.spec || !run.spec->expect) return Expected::kNone;
  const Expectation& e = *run.spec->expect;
  const EngineResult& r = run.result;
  if (e.clean()) {
    if (r.verdict == Verdict::kViolated) return Expected::kMissed;
    return r.verdict == Verdict::kIncomplete ? Expected::kNone : Expected::kMet;
  }
  return r.verdict == Verdict::kViolated && r.property == e.property ? Expected::kMet
                                                                     : Expected::kMissed;
}

std::string expectation_name(const RunRecord& run) {
  if (!run.spec || !run.spec->expect) return "";
  return run.spec->expect->clean() ? "clean" : "violated:" + run.spec->expect->property;
}

int check_exit_status(std::span<const RunRecord> runs) {
  bool failed = false, incomplete = false;
  for (const RunRecord& run : runs) {
    Expected x = expected_outcome(run);
    failed |= x == Expected::kMissed ||
              (x == Expected::kNone && run.result.verdict == Verdict::kViolated);
    incomplete |= run.result.verdict == Verdict::kIncomplete && x != Expected::kMet;
  }
  return failed ? 1 : incomplete ? 3 : 0;
}

std::string expectations_line(std::span<const RunRecord> runs) {
  int missed = 0, expected_violations = 0, unexpected = 0;
  for (const RunRecord& run : runs) {
    Expected x = expected_outcome(run);
    missed += x == Expected::kMissed;
    expected_violations += x == Expected::kMet && run.result.verdict == Verdict::kViolated;
    unexpected += x == Expected::kNone && run.result.verdict == Verdict::kViolated;
  }
  if (missed + unexpected == 0)
    return fmt::format(
        "{} as expected ({} expected violation{})\n",
        runs.size() == 1 ? std::string("the run is") : fmt::format("all {} runs", runs.size()),
        expected_violations, expected_violations == 1 ? "" : "s");
  return fmt::format(
      "{} of {} runs not as expected ({} missed expectation{}, {} violation{} no spec expects)\n",
      missed + unexpected, runs.size(), missed, missed == 1 ? "" : "s", unexpected,
      unexpected == 1 ? "" : "s");
}

}  // namespace gup
