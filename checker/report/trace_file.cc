#include "checker/report/trace_file.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/core/lasso.h"

namespace gup {

namespace {

// Each line of `text` indented by six spaces, each ending in a newline.
std::string indented(const std::string& text) {
  std::string out;
  size_t from = 0;
  while (from < text.size()) {
    size_t end = text.find('\n', from);
    if (end == std::string::npos) end = text.size();
    if (end > from) out += "      " + text.substr(from, end - from) + "\n";
    from = end + 1;
  }
  return out;
}

// Where the steps stop being taken as the file recorded them, or "".
std::string divergence(const Config& cfg, const SavedTrace& t) {
  State s = initial_state(cfg);
  StepBuffer buf;
  for (size_t k = 0; k < t.trace.steps.size(); k++) {
    Step step = t.trace.steps[k];
    const std::string& said = t.describe[k];
    enabled_steps(s, cfg, buf);
    if (std::find(buf.begin(), buf.end(), step) == buf.end())
      return fmt::format("step {} (task {} choice {}{}) is not enabled", k + 1, step.task,
                         step.choice, said.empty() ? "" : ", recorded as '" + said + "'");
    std::string now = describe(s, cfg, step);
    if (!said.empty() && now != said)
      return fmt::format("step {} diverges: the model takes it as '{}', the trace recorded '{}'",
                         k + 1, now, said);
    State before = s;
    apply(s, cfg, step);
    const std::string& recorded = t.changes[k];
    std::string changes = describe_changes(before, s, cfg);
    if (!recorded.empty() && changes != recorded)
      return fmt::format(
          "the state after step {} diverges from the recorded one (the step: {}):\n    "
          "recorded:\n{}    now:\n{}",
          k + 1, now, indented(recorded), indented(changes));
  }
  return "";
}

std::string at_step(int k) {
  return k == 0 ? "the initial state" : fmt::format("step {}", k);
}

// Whether the replay breaks the recorded property where the trace says.
std::string property_mismatch(const ReplayedTrace& r) {
  const SavedTrace& t = r.saved;
  const ReplayOutcome& out = r.outcome;
  const int n = int(t.trace.steps.size());
  const bool checked = std::any_of(r.spec.properties.begin(), r.spec.properties.end(),
                                   [&](const Property* p) { return p->name == t.property; });
  if (!t.property.empty() && !checked)
    return fmt::format(
        "the trace records a violation of {}, which is not among the properties "
        "checked",
        t.property);
  if (t.trace.loop_start >= 0) {
    if (!t.property.empty() && t.property != kLoopProperty)
      return fmt::format("a trace with a loop shows a violation of {}, and this one records {}",
                         kLoopProperty, t.property);
    if (out.violated && out.property != kLoopProperty)
      return fmt::format("{} violates {} on the way into the loop", at_step(out.violation_step),
                         out.property);
    std::string why = lasso_problem(r.spec.config, t.trace);
    return why.empty() ? "" : fmt::format("it does not show a call that never ends: {}", why);
  }
  if (!out.violated)
    return fmt::format("all {} steps replay and no checked property is violated{}", n,
                       t.property.empty()
                           ? ""
                           : fmt::format(" (the trace records a violation of {})", t.property));
  if (!t.property.empty() && out.property != t.property)
    return fmt::format("{} violates {}, and the trace records a violation of {}",
                       at_step(out.violation_step), out.property, t.property);
  if (out.violation_step != n)
    return fmt::format("{} is violated at {}, before the trace's last step ({})", out.property,
                       at_step(out.violation_step), n);
  return "";
}

// The embedded spec on `variant`.
Spec embedded_spec(const SavedTrace& t, const std::string& source, const SpecOverrides& ov) {
  std::vector<Spec> specs;
  try {
    specs = parse_self_contained_spec(t.spec_text, t.spec_path, ov);
  } catch (const SpecError& e) {
    throw SpecError(SourceLoc{source, 0, 0},
                    "the spec embedded in the trace is broken: " + std::string(e.what()));
  }
  if (specs.size() != 1)
    throw SpecError(SourceLoc{source, 0, 0}, "the embedded spec is a suite, not one configuration");
  for (const Step& st : t.trace.steps)
    if (st.task >= specs[0].config.nr_tasks)
      throw SpecError(
          SourceLoc{source, 0, 0},
          fmt::format("the trace steps task {}, and the configuration has {} task{}", st.task,
                      specs[0].config.nr_tasks, specs[0].config.nr_tasks == 1 ? "" : "s"));
  return std::move(specs[0]);
}

}  // namespace

VariantReplay replay_trace_on_variant(const nlohmann::json& j, const std::string& source,
                                      const std::string& variant,
                                      const std::vector<std::string>& properties) {
  VariantReplay r;
  r.saved = parse_trace_json(j, source);
  r.spec = embedded_spec(r.saved, source, SpecOverrides{variant, properties});
  r.first_difference = divergence(r.spec.config, r.saved);
  r.outcome = replay(r.spec.config, r.saved.trace, r.spec.properties);
  return r;
}

ReplayedTrace replay_trace_json(const nlohmann::json& j, const std::string& source,
                                const std::vector<std::string>& properties) {
  ReplayedTrace r;
  r.saved = parse_trace_json(j, source);
  // The spec the trace was found on is embedded: the trace replays even
  // when the file it came from has changed since, and reads no other file.
  r.spec = embedded_spec(r.saved, source, SpecOverrides{r.saved.variant, properties});
  r.mismatch = divergence(r.spec.config, r.saved);
  if (!r.mismatch.empty()) return r;
  r.outcome = replay(r.spec.config, r.saved.trace, r.spec.properties);
  r.mismatch = property_mismatch(r);
  return r;
}

}  // namespace gup
