// `gupcheck diff --base A --patched B SPEC...`: what userspace can tell
// apart between two kernels on the same machines (checker/core/outcomes.h):
// an outcome one kernel reaches and the other never does, or a property
// one keeps and the other breaks. The shortest difference is printed with
// both runs of its schedule side by side, from the first step that
// differs. Exit 1: a difference; 0: none (both searches complete); 3: a
// budget ended a search first.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "checker/cli/cli.h"
#include "checker/cli/variant_file.h"
#include "checker/core/outcomes.h"
#include "checker/spec/spec.h"
#include "checker/spec/spec_error.h"

namespace gup::cli {

namespace {

struct Difference {
  std::string what;          // one line
  const Spec* on = nullptr;  // the spec, on the kernel whose witness this is
  bool witness_on_base = true;
  Witness witness;
  std::string outcome;  // the witness's outcome text ("" for a property)
};

// Whether an outcome line matches an intended line: exactly, or by prefix
// when the intended line ends in '*'.
bool matches(std::string_view line, std::string_view pattern) {
  if (!pattern.empty() && pattern.back() == '*')
    return line.starts_with(pattern.substr(0, pattern.size() - 1));
  return line == pattern;
}

// The outcome with each intended call line, either side's, replaced by
// its reason: the two lines of a declared difference are equivalent.
std::string normalized(const std::string& outcome,
                       const std::vector<IntendedDifference>& intended) {
  std::string out;
  size_t from = 0;
  while (from < outcome.size()) {
    size_t end = outcome.find('\n', from);
    if (end == std::string::npos) end = outcome.size();
    std::string line = outcome.substr(from, end - from);
    std::string_view body = std::string_view(line).substr(line.starts_with("  ") ? 2 : 0);
    for (const IntendedDifference& d : intended)
      if (matches(body, d.base) || matches(body, d.patched)) {
        line = "  (intended: " + (d.why.empty() ? d.base : d.why) + ")";
        break;
      }
    out += line + "\n";
    from = end + 1;
  }
  return out;
}

// One column per kernel: each step of the schedule as that kernel takes it.
struct Column {
  std::vector<std::string> steps;  // describe(), or why it cannot be taken
  std::vector<std::string> changes;
  std::string outcome;  // "" when the schedule does not end the machine there
};

Column run_column(const Config& cfg, const std::vector<Step>& steps) {
  Column c;
  State s = initial_state(cfg);
  StepBuffer buf;
  for (size_t k = 0; k < steps.size(); k++) {
    enabled_steps(s, cfg, buf);
    if (std::find(buf.begin(), buf.end(), steps[k]) == buf.end()) {
      c.steps.push_back(fmt::format("(T{} cannot take this step)", steps[k].task));
      return c;
    }
    c.steps.push_back(describe(s, cfg, steps[k]));
    State before = s;
    apply(s, cfg, steps[k]);
    c.changes.push_back(describe_changes(before, s, cfg));
  }
  c.outcome = outcome_of(cfg, steps);
  return c;
}

std::string side_by_side(const Difference& d, const Spec& base, const Spec& patched,
                         const OutcomeSet& other) {
  Column a = run_column(base.config, d.witness.steps);
  Column b = run_column(patched.config, d.witness.steps);
  size_t first = 0;
  while (first < a.steps.size() && first < b.steps.size() && a.steps[first] == b.steps[first] &&
         a.changes.size() > first && b.changes.size() > first &&
         a.changes[first] == b.changes[first])
    first++;
  std::string out;
  if (first > 0) out += fmt::format("  steps 1-{} are the same on both kernels:\n", first);
  for (size_t k = 0; k < first; k++) out += fmt::format("  {:>3}  {}\n", k + 1, a.steps[k]);
  size_t width = 20;
  for (size_t k = first; k < a.steps.size(); k++) width = std::max(width, a.steps[k].size());
  width = std::min<size_t>(width, 70);
  out += fmt::format("  {:>3}  {:<{}} | {}\n", "", base.variant, width, patched.variant);
  size_t n = std::max(a.steps.size(), b.steps.size());
  for (size_t k = first; k < n; k++)
    out += fmt::format("  {:>3}  {:<{}} | {}\n", k + 1, k < a.steps.size() ? a.steps[k] : "", width,
                       k < b.steps.size() ? b.steps[k] : "");
  auto outcome_block = [](const Spec& s, const Column& c) {
    if (c.outcome.empty())
      return fmt::format("  {}: the schedule does not end the machine there\n", s.variant);
    return fmt::format("  {} ends with:\n{}", s.variant, c.outcome);
  };
  out += outcome_block(base, a) + outcome_block(patched, b);
  if (!d.outcome.empty()) {
    const Spec& o = d.witness_on_base ? patched : base;
    out += fmt::format("  {} never ends with {}'s outcome; its outcomes are:\n", o.variant,
                       d.on->variant);
    int shown = 0;
    for (const auto& [text, w] : other.outcomes) {
      if (shown++ == 6) {
        out += fmt::format("  ... and {} more\n", other.outcomes.size() - 6);
        break;
      }
      out += fmt::format("  ({} steps)\n{}", w.steps.size(), text);
    }
  }
  return out;
}

int diff_one(const Options& o, const Spec& base, const Spec& patched, bool* incomplete) {
  size_t max_states = o.diff_max_states;
  OutcomeSet a = explore_outcomes(base.config, base.properties, max_states);
  OutcomeSet b = explore_outcomes(patched.config, patched.properties, max_states);
  std::cout << fmt::format("{}: {} {} states, {} outcome(s); {} {} states, {} outcome(s)\n",
                           base.path, base.variant, a.states, a.outcomes.size(), patched.variant,
                           b.states, b.outcomes.size());
  if (!a.complete || !b.complete) {
    *incomplete = true;
    std::cout << fmt::format("  incomplete: --max-states {} ended the search on {}\n", max_states,
                             !a.complete ? base.variant : patched.variant);
  }
  std::vector<Difference> diffs;
  std::map<std::string, const std::string*> na, nb;
  for (const auto& [o_text, w] : a.outcomes) na.emplace(normalized(o_text, base.intended), &o_text);
  for (const auto& [o_text, w] : b.outcomes) nb.emplace(normalized(o_text, base.intended), &o_text);
  if (b.complete)
    for (const auto& [n, text] : na)
      if (!nb.count(n))
        diffs.push_back(
            {fmt::format("an outcome of {} that {} never reaches", base.variant, patched.variant),
             &base, true, a.outcomes.at(*text), *text});
  if (a.complete)
    for (const auto& [n, text] : nb)
      if (!na.count(n))
        diffs.push_back(
            {fmt::format("an outcome of {} that {} never reaches", patched.variant, base.variant),
             &patched, false, b.outcomes.at(*text), *text});
  auto fixed = [&](const std::string& p) {
    for (const IntendedDifference& d : base.intended)
      if (std::find(d.fixes.begin(), d.fixes.end(), p) != d.fixes.end()) return true;
    return false;
  };
  for (const auto& [p, w] : a.violations)
    if (b.complete && !b.violations.count(p) && !fixed(p))
      diffs.push_back({fmt::format("{} breaks {}, {} keeps it", base.variant, p, patched.variant),
                       &base, true, w, ""});
  for (const auto& [p, w] : b.violations)
    if (a.complete && !a.violations.count(p))
      diffs.push_back({fmt::format("{} breaks {}, {} keeps it", patched.variant, p, base.variant),
                       &patched, false, w, ""});
  for (const auto& d : base.intended) {
    bool used = false;
    for (const auto* m : {&na, &nb})
      for (const auto& [n, text] : *m) used |= n.find("(intended: ") != std::string::npos;
    if (!used)
      std::cout << fmt::format("  note: the intended difference \"{}\" does not occur\n",
                               d.why.empty() ? d.base : d.why);
  }
  if (diffs.empty()) {
    if (a.complete && b.complete)
      std::cout << fmt::format(
          "  no difference: the same outcomes{} and the same properties "
          "broken\n",
          base.intended.empty() ? "" : " (up to the intended differences)");
    return 0;
  }
  std::stable_sort(diffs.begin(), diffs.end(), [](const Difference& x, const Difference& y) {
    return x.witness.steps.size() < y.witness.steps.size();
  });
  std::cout << fmt::format("  {} difference{}:\n", diffs.size(), diffs.size() == 1 ? "" : "s");
  for (const Difference& d : diffs)
    std::cout << fmt::format("  - {} ({} steps)\n", d.what, d.witness.steps.size());
  const Difference& d = diffs.front();
  std::cout << fmt::format("\nShortest: {}, {} steps.\n", d.what, d.witness.steps.size());
  if (!d.witness.why.empty()) std::cout << "  " << d.witness.why << "\n";
  std::cout << side_by_side(d, base, patched, d.witness_on_base ? b : a);
  return 1;
}

}  // namespace

void add_diff(CLI::App& sub, Options& o) {
  sub.add_option("SPEC", o.specs, "Spec or suite files (default specs/default.toml)");
  sub.add_option("--base", o.diff_base, "The kernel before the patch (default: base, 6.12.117)");
  sub.add_option("--patched", o.diff_patched, "The kernel after the patch: a variant name");
  sub.add_option("--patched-file", o.variant_file,
                 "The kernel after the patch: a variant file (model/patch.h)")
      ->type_name("FILE");
  sub.add_option("--property", o.properties, "Compare only this property (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--max-states", o.diff_max_states, "States to search per kernel and spec")
      ->type_name("N");
}

int run_diff(Options& o) {
  if (!o.variant_file.empty()) {
    if (!o.diff_patched.empty())
      throw SpecError({}, "--patched and --patched-file both name the patched kernel: give one");
    o.diff_patched = load_variant_file(o.variant_file).name;
  }
  if (o.diff_patched.empty())
    throw SpecError({}, "diff needs the patched kernel: --patched NAME or --patched-file FILE");
  if (o.diff_base.empty()) o.diff_base = "base";
  if (o.specs.empty()) o.specs.push_back(default_spec_path());
  bool incomplete = false, differs = false;
  for (const std::string& path : o.specs) {
    std::vector<Spec> a = load_specs(path, SpecOverrides{o.diff_base, o.properties});
    std::vector<Spec> b = load_specs(path, SpecOverrides{o.diff_patched, o.properties});
    for (size_t i = 0; i < a.size(); i++) differs |= diff_one(o, a[i], b[i], &incomplete) != 0;
  }
  return differs ? kExitViolated : incomplete ? kExitIncomplete : kExitClean;
}

}  // namespace gup::cli
