#include "checker/core/result.h"

namespace gup {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kViolated:
      return "violated";
    case Verdict::kProved:
      return "proved";
    case Verdict::kExhausted:
      return "exhausted";
    case Verdict::kBounded:
      return "bounded";
    case Verdict::kIncomplete:
      return "incomplete";
  }
  return "?";
}

int verdict_exit_code(Verdict v) {
  switch (v) {
    case Verdict::kViolated:
      return 1;
    case Verdict::kIncomplete:
      return 3;
    case Verdict::kProved:
    case Verdict::kExhausted:
    case Verdict::kBounded:
      return 0;
  }
  return 2;
}

}  // namespace gup
