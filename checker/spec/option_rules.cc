#include "checker/spec/option_rules.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "checker/spec/byte_size.h"

namespace gup {

namespace {

constexpr uint64_t kI32 = uint64_t(INT32_MAX);
constexpr uint64_t kStates = uint64_t(1) << 40;
constexpr uint64_t kTiB = uint64_t(1) << 40;
// A week: longer budgets are typos (and doubles beyond it gain nothing).
constexpr double kMaxSeconds = 7 * 24 * 3600;

constexpr OptionRule kRules[] = {
    {"seed", "--seed", OptionKind::kCount, 0, UINT64_MAX, kRandomReads},
    {"jobs", "--jobs", OptionKind::kCount, 1, 256, kRandomReads | kExploreReads},
    {"time", "--time", OptionKind::kSeconds, 0, 0, kAllRead},
    {"runs", "--runs", OptionKind::kCount, 1, kI32, kRandomReads},
    {"max_steps", "--max-steps", OptionKind::kCount, 1, kI32, kRandomReads},
    {"max_states", "--max-states", OptionKind::kCount, 1, kStates, kExploreReads},
    {"max_memory", "--max-memory", OptionKind::kBytes, 1, kTiB, kExploreReads},
    {"max_depth", "--max-depth", OptionKind::kCount, 1, 100000, kAllRead},
    {"compact", "--compact", OptionKind::kFlag, 0, 1, kExploreReads},
    {"table", "--table", OptionKind::kBytes, 64, kTiB, kExploreReads},
    {"symmetry", "--symmetry", OptionKind::kFlag, 0, 1, kExploreReads},
    {"por", "--por", OptionKind::kFlag, 0, 1, kExploreReads},
    {"guide", "--guide", OptionKind::kFlag, 0, 1, kRandomReads},
    {"solver_rlimit", "--solver-rlimit", OptionKind::kCount, 1, UINT32_MAX,
     kRandomReads | kBmcReads},
};

std::string range_text(const OptionRule& r) {
  auto show = [&](uint64_t x) {
    return r.kind == OptionKind::kBytes ? byte_size_text(x) : fmt::format("{}", x);
  };
  return fmt::format("from {} to {}", show(r.lo), show(r.hi));
}

std::string parse_count(const OptionRule& r, std::string_view text, OptionValue* out) {
  uint64_t x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  bool digits = !text.empty() && text[0] != '-' && text[0] != '+';
  if (!digits || ec == std::errc::invalid_argument || end != text.data() + text.size())
    return fmt::format("must be a whole number {}, got '{}'", range_text(r), text);
  if (ec == std::errc::result_out_of_range || x < r.lo || x > r.hi)
    return fmt::format("must be {}, got {}", range_text(r), text);
  out->number = x;
  return "";
}

std::string parse_seconds(std::string_view text, OptionValue* out) {
  std::string s(text);
  size_t used = 0;
  double x = 0;
  const std::string expected =
      fmt::format("must be a number of seconds from 0 (no limit) to {:.0f}", kMaxSeconds);
  try {
    x = std::stod(s, &used);
  } catch (const std::exception&) {
    return fmt::format("{}, got '{}'", expected, text);
  }
  if (used != s.size() || !std::isfinite(x) || x < 0 || x > kMaxSeconds)
    return fmt::format("{}, got '{}'", expected, text);
  out->seconds = x;
  return "";
}

}  // namespace

std::span<const OptionRule> option_rules() {
  return kRules;
}

const OptionRule& option_rule(std::string_view key) {
  for (const OptionRule& r : kRules)
    if (key == r.key) return r;
  throw std::logic_error("no option rule for " + std::string(key));
}

std::string parse_option(const OptionRule& r, std::string_view text, OptionValue* out) {
  switch (r.kind) {
    case OptionKind::kCount:
      return parse_count(r, text, out);
    case OptionKind::kBytes: {
      std::optional<uint64_t> bytes = parse_byte_size(std::string(text));
      if (!bytes)
        return fmt::format("must be a size such as 512M or 2G, {}, got '{}'", range_text(r), text);
      if (*bytes < r.lo || *bytes > r.hi)
        return fmt::format("must be {}, got {}", range_text(r), text);
      out->number = *bytes;
      return "";
    }
    case OptionKind::kSeconds:
      return parse_seconds(text, out);
    case OptionKind::kFlag:
      if (text == "true" || text == "false") {
        out->flag = text == "true";
        return "";
      }
      return fmt::format("must be true or false, got '{}'", text);
  }
  return "unknown option kind";
}

void set_option(EngineOptions& o, const OptionRule& r, const OptionValue& v) {
  std::string_view k = r.key;
  if (k == "seed") o.seed = v.number;
  if (k == "jobs") o.jobs = int(v.number);
  if (k == "time") o.time_limit = v.seconds;
  if (k == "runs") o.runs = int(v.number);
  if (k == "max_steps") o.max_steps = int(v.number);
  if (k == "max_states") o.max_states = v.number;
  if (k == "max_memory") o.max_memory = v.number;
  if (k == "max_depth") o.max_depth = int(v.number);
  if (k == "compact") o.compact = v.flag;
  if (k == "table") o.table_bytes = v.number;
  if (k == "symmetry") o.symmetry = v.flag;
  if (k == "por") o.por = v.flag;
  if (k == "guide") o.guide = v.flag;
  if (k == "solver_rlimit") o.solver_rlimit = unsigned(v.number);
}

std::string option_combination_problem(const EngineOptions& o) {
  if (o.table_bytes && !o.compact)
    return "a fingerprint table ('table', --table) sizes the table of hash compaction: add "
           "compact = true (--compact)";
  if (o.table_bytes && o.por)
    return "a fingerprint table ('table', --table) cannot go with sleep sets ('por', --por): "
           "they keep a word per state beside a 64-bit fingerprint; drop one";
  return "";
}

std::string readers(const OptionRule& r) {
  std::vector<std::string> names;
  if (r.engines & kRandomReads) names.push_back("random");
  if (r.engines & kExploreReads) names.push_back("explore");
  if (r.engines & kBmcReads) names.push_back("bmc");
  if (names.size() == 1) return names[0];
  std::string last = names.back();
  names.pop_back();
  return fmt::format("{} and {}", fmt::join(names, ", "), last);
}

bool engine_reads(const OptionRule& r, std::string_view engine) {
  return (engine == "random" && (r.engines & kRandomReads)) ||
         (engine == "explore" && (r.engines & kExploreReads)) ||
         (engine == "bmc" && (r.engines & kBmcReads));
}

}  // namespace gup
