// Rendering results for people and for tools.
//
//   counterexample_text  the readable trace every engine shares
//   trace_json           the saved trace that `gupcheck replay` accepts
//   state_dot/trace_dot  Graphviz pictures of the violating state and trace
//   summary_*            one row per engine run: text table, JSON, JUnit, TAP
//
// Rendering never changes a verdict: a trace is re-executed on the model
// (trace_states) and a step that is not enabled is an error, not a report.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/core/result.h"
#include "checker/spec/spec.h"

namespace gup {

// One engine run on one spec.
struct RunRecord {
  const Spec* spec = nullptr;
  EngineResult result;
  std::string trace_file;  // where its trace was saved (--out), or ""
};

// The states a trace passes through: [0] initial, [i] after step i.
// Throws std::runtime_error naming the first step that is not enabled.
std::vector<State> trace_states(const Config& cfg, const Trace& trace);

// The command that replays a saved trace, or, without one, the command
// that reruns the engine (EngineResult::reproduce, set by the CLI).
std::string replay_command(const RunRecord& run);

// The numbered steps with their state changes, the violated property with
// its rationale and kernel reference, the seed and the replay command.
std::string counterexample_text(const RunRecord& run);

// "violated", "exhausted", "no violation to bound 40", ...
std::string verdict_text(const EngineResult& r);

// The saved trace (checker/core/version.h kModelVersion).
nlohmann::json trace_json(const RunRecord& run);
struct SavedTrace {
  std::string model_version, spec_path, spec_text, config, variant, engine, property, verdict;
  uint64_t seed = 0;
  Trace trace;
  // Per step, as recorded ("" when the file has none): describe() of the
  // step and describe_changes() of the state it led to. Replay compares
  // them with what the model does now, to say where a trace diverges.
  std::vector<std::string> describe, changes;
};
// Throws SpecError (file `source`, no line) when the JSON is not a trace
// of this model version.
SavedTrace parse_trace_json(const nlohmann::json& j, const std::string& source);

// Graphviz: the state (tasks, VMAs and PTEs, folios with their counts,
// pins and references as edges), and the trace as a chain of states.
std::string state_dot(const State& s, const Config& cfg, const std::string& title);
std::string trace_dot(const Config& cfg, const Trace& trace, const std::string& title);

// How a run's verdict compares with its spec's expectation (Spec::expect):
//   kNone   the spec expects nothing of this variant, or a run expected
//           clean ended incomplete;
//   kMet    clean as expected, or a violation of the expected property;
//   kMissed a violation when clean was expected, another property's
//           violation, or no violation (clean or incomplete) of the
//           expected one.
enum class Expected { kNone, kMet, kMissed };
Expected expected_outcome(const RunRecord& run);
// "clean" or "violated:PROPERTY" (the spec's syntax), "" without one.
std::string expectation_name(const RunRecord& run);
// The exit status of a set of runs: 1 if any violation is not expected or
// any expectation is missed, else 3 if any run is incomplete, else 0.
int check_exit_status(std::span<const RunRecord> runs);
// "all 14 runs as expected (6 expected violations)" or "2 of 14 runs not
// as expected: ...", for the end of a check whose specs expect something.
std::string expectations_line(std::span<const RunRecord> runs);

// Summaries of a whole `gupcheck check`.
std::string summary_table(std::span<const RunRecord> runs);
// Rows in columns two spaces apart, each as wide as its widest cell; the
// last column right-aligned when `right_align_last` (times), else left.
std::string text_table(std::span<const std::vector<std::string>> rows, bool right_align_last);
// One line per search that counts states (explore): rate, bytes per state,
// peak memory, and with hash compaction the omission bound.
std::string search_stats_text(std::span<const RunRecord> runs);
nlohmann::json summary_json(std::span<const RunRecord> runs);
std::string junit_xml(std::span<const RunRecord> runs);
std::string tap_report(std::span<const RunRecord> runs);

// Word-wraps `text` to `width` columns, each line prefixed by `indent`.
std::string wrap(std::string_view text, int width, std::string_view indent);

}  // namespace gup
