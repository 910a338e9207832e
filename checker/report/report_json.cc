// Saved traces and the JSON summary.
#include <fmt/format.h>

#include "checker/core/version.h"
#include "checker/report/report.h"

namespace gup {

namespace {
constexpr const char* kFormat = "gupcheck-trace";
}  // namespace

nlohmann::json trace_json(const RunRecord& run) {
  const EngineResult& r = run.result;
  const Spec& spec = *run.spec;
  nlohmann::json steps = nlohmann::json::array();
  std::vector<State> states = trace_states(spec.config, r.trace);
  for (size_t i = 0; i < r.trace.steps.size(); i++) {
    Step s = r.trace.steps[i];
    steps.push_back({{"task", s.task},
                     {"choice", s.choice},
                     {"describe", describe(states[i], spec.config, s)},
                     {"changes", describe_changes(states[i], states[i + 1], spec.config)}});
  }
  return {{"format", kFormat},
          {"model_version", kModelVersion},
          {"spec", {{"path", spec.path}, {"text", spec.text}}},
          {"config", spec.config.name},
          {"variant", spec.variant},
          {"engine", r.engine},
          {"seed", r.seed},
          {"verdict", verdict_name(r.verdict)},
          {"property", r.property},
          {"why", r.why},
          {"loop_start", r.trace.loop_start},
          {"steps", steps}};
}

namespace {

[[noreturn]] void bad(const std::string& source, const std::string& msg) {
  throw SpecError(SourceLoc{source, 0, 0}, msg);
}

std::string str(const nlohmann::json& j, const char* key, const std::string& source,
                bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) bad(source, fmt::format("not a gupcheck trace: '{}' is missing", key));
    return "";
  }
  if (!it->is_string()) bad(source, fmt::format("'{}' must be a string", key));
  return it->get<std::string>();
}

int64_t integer(const nlohmann::json& j, const char* key, int64_t dflt, int64_t lo, int64_t hi,
                const std::string& source) {
  auto it = j.find(key);
  if (it == j.end()) return dflt;
  if (!it->is_number_integer()) bad(source, fmt::format("'{}' must be an integer", key));
  int64_t x = it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(INT64_MAX)
                  ? INT64_MAX
                  : it->get<int64_t>();
  if (x < lo || x > hi)
    bad(source, fmt::format("'{}' must be from {} to {}, got {}", key, lo, hi, x));
  return x;
}

}  // namespace

SavedTrace parse_trace_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) bad(source, "not a gupcheck trace: expected a JSON object");
  if (str(j, "format", source, true) != kFormat)
    bad(source, fmt::format("not a gupcheck trace: 'format' is not '{}'", kFormat));
  SavedTrace t;
  t.model_version = str(j, "model_version", source, true);
  if (t.model_version != kModelVersion)
    bad(source, fmt::format("this trace was recorded on model version '{}', and this gupcheck "
                            "runs '{}': a trace only means something on the model that made it; "
                            "rerun the engine on the spec to get a trace for this model",
                            t.model_version, kModelVersion));
  auto spec = j.find("spec");
  if (spec == j.end() || !spec->is_object())
    bad(source, "not a gupcheck trace: 'spec' must be an object with 'path' and 'text'");
  t.spec_path = str(*spec, "path", source, true);
  t.spec_text = str(*spec, "text", source, true);
  t.config = str(j, "config", source, false);
  t.variant = str(j, "variant", source, true);
  t.engine = str(j, "engine", source, false);
  t.property = str(j, "property", source, false);
  t.verdict = str(j, "verdict", source, false);
  auto seed = j.find("seed");
  if (seed != j.end()) {
    if (!seed->is_number_unsigned() && !(seed->is_number_integer() && seed->get<int64_t>() >= 0))
      bad(source, "'seed' must be a non-negative integer");
    t.seed = seed->get<uint64_t>();
  }
  auto steps = j.find("steps");
  if (steps == j.end() || !steps->is_array())
    bad(source, "not a gupcheck trace: 'steps' must be an array of {\"task\", \"choice\"}");
  for (const auto& s : *steps) {
    if (!s.is_object()) bad(source, "each step must be an object {\"task\": T, \"choice\": C}");
    if (s.find("task") == s.end()) bad(source, "a step has no 'task'");
    Step st;
    st.task = uint8_t(integer(s, "task", 0, 0, kMaxTasks - 1, source));
    st.choice = uint8_t(integer(s, "choice", 0, 0, kMaxChoices - 1, source));
    t.trace.steps.push_back(st);
    t.describe.push_back(str(s, "describe", source, false));
    t.changes.push_back(str(s, "changes", source, false));
  }
  t.trace.loop_start =
      int(integer(j, "loop_start", -1, -1, int64_t(t.trace.steps.size()) - 1, source));
  return t;
}

nlohmann::json summary_json(std::span<const RunRecord> runs) {
  nlohmann::json out = {{"model_version", kModelVersion}, {"results", nlohmann::json::array()}};
  for (const RunRecord& run : runs) {
    const EngineResult& r = run.result;
    nlohmann::json props = nlohmann::json::array();
    for (const Property* p : run.spec->properties) props.push_back(p->name);
    nlohmann::json row = {{"spec", run.spec->path},
                          {"config", run.spec->config.name},
                          {"variant", run.spec->variant},
                          {"engine", r.engine},
                          {"properties", props},
                          {"verdict", verdict_name(r.verdict)},
                          {"verdict_text", verdict_text(r)},
                          {"bound", r.bound},
                          {"seconds", r.seconds},
                          {"seed", r.seed},
                          {"stats", r.stats}};
    if (run.spec->expect) {
      row["expected"] = expectation_name(run);
      row["as_expected"] = expected_outcome(run) != Expected::kMissed;
    }
    if (r.verdict == Verdict::kViolated) {
      row["property"] = r.property;
      row["why"] = r.why;
      row["replay"] = replay_command(run);
      row["trace"] = trace_json(run);
    }
    out["results"].push_back(row);
  }
  return out;
}

}  // namespace gup
