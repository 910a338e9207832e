// The readable counterexample and the summary table.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "checker/report/report.h"
#include "model/variant.h"

namespace gup {

std::vector<State> trace_states(const Config& cfg, const Trace& trace) {
  std::vector<State> states{initial_state(cfg)};
  StepBuffer buf;
  for (size_t i = 0; i < trace.steps.size(); i++) {
    const Step st = trace.steps[i];
    enabled_steps(states.back(), cfg, buf);
    if (std::find(buf.begin(), buf.end(), st) == buf.end())
      throw std::runtime_error(fmt::format(
          "step {} (task {}, choice {}) is not enabled in the state the trace reaches there", i + 1,
          st.task, st.choice));
    State next = states.back();
    apply(next, cfg, st);
    states.push_back(next);
  }
  return states;
}

std::string wrap(std::string_view text, int width, std::string_view indent) {
  std::istringstream words{std::string(text)};
  std::string out, line, w;
  while (words >> w) {
    if (!line.empty() && int(indent.size() + line.size() + 1 + w.size()) > width) {
      out += std::string(indent) + line + '\n';
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) out += std::string(indent) + line + '\n';
  return out;
}

// "12345 states, depth 17" for a search that counts states (explore).
std::string search_extent(const EngineResult& r) {
  if (!r.stats.contains("states") || !r.stats["states"].is_number_unsigned()) return "";
  std::string s = fmt::format("{} states", r.stats["states"].get<uint64_t>());
  if (r.stats.contains("depth") && r.stats["depth"].is_number())
    s += fmt::format(", depth {}", r.stats["depth"].get<int64_t>());
  return s;
}

std::string verdict_text(const EngineResult& r) {
  if (r.verdict == Verdict::kExhausted || r.verdict == Verdict::kIncomplete) {
    std::string extent = search_extent(r);
    if (!extent.empty()) return fmt::format("{} ({})", verdict_name(r.verdict), extent);
  }
  const bool solver = r.engine == "bmc";
  if (r.verdict == Verdict::kProved) return "proved for all depths in this configuration";
  if (solver && r.verdict == Verdict::kIncomplete && r.bound > 0)
    return fmt::format("incomplete at depth {}", r.bound);
  if (r.verdict != Verdict::kBounded) return verdict_name(r.verdict);
  if (solver) return fmt::format("no violation up to depth {}", r.bound);
  std::string s = fmt::format("no violation to bound {}", r.bound);
  if (r.stats.contains("walks") && r.stats["walks"].is_number_integer())
    s += fmt::format(" ({} walks)", r.stats["walks"].get<int64_t>());
  return s;
}

std::string replay_command(const RunRecord& run) {
  if (!run.trace_file.empty()) return "gupcheck replay " + run.trace_file;
  return run.result.reproduce;
}

namespace {

std::string indent_lines(const std::string& text, std::string_view indent) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out += std::string(indent) + line + '\n';
  return out;
}

std::string steps_text(const Config& cfg, const Trace& trace) {
  std::vector<State> states = trace_states(cfg, trace);
  std::string out;
  int n = int(trace.steps.size());
  for (int i = 0; i < n; i++) {
    if (i == trace.loop_start)
      out += fmt::format("   -- loop: steps {} to {} repeat forever --\n", i + 1, n);
    out += fmt::format("{:4}. {}\n", i + 1, describe(states[i], cfg, trace.steps[i]));
    out += indent_lines(describe_changes(states[i], states[i + 1], cfg), "        ");
  }
  if (trace.loop_start >= 0) out += fmt::format("   -- back to step {} --\n", trace.loop_start + 1);
  return out;
}

}  // namespace

std::string counterexample_text(const RunRecord& run) {
  const EngineResult& r = run.result;
  const Spec& spec = *run.spec;
  const Variant* v = find_variant(spec.variant);
  std::string out = fmt::format("VIOLATED {}\n", r.property);
  out += fmt::format("  spec     {} (config {})\n", spec.path, spec.config.name);
  out += fmt::format("  variant  {}", spec.variant);
  if (v && !v->zoo_id.empty()) out += fmt::format(" (bug zoo {}; {})", v->zoo_id, v->commit);
  out += '\n';
  out += fmt::format("  engine   {}", r.engine);
  if (r.seed) out += fmt::format(", seed {}", r.seed);
  out += "\n\n";
  out += fmt::format("Trace ({} step{}):\n", r.trace.steps.size(),
                     r.trace.steps.size() == 1 ? "" : "s");
  if (r.trace.steps.empty()) out += "   (the initial state already violates it)\n";
  out += steps_text(spec.config, r.trace);
  out += '\n';
  const Property* p = find_property(r.property);
  out += fmt::format("Violated: {}", r.property);
  if (p) out += fmt::format(" ({})", property_kind_name(p->kind));
  out += '\n';
  if (!r.why.empty()) out += wrap(r.why, 80, "  ");
  if (p) {
    out += "Rationale:\n" + wrap(p->rationale, 80, "  ");
    out += "Kernel:\n" + wrap(p->source, 80, "  ");
  }
  out += '\n';
  if (r.seed) out += fmt::format("Seed: {}\n", r.seed);
  std::string cmd = replay_command(run);
  if (!cmd.empty()) out += fmt::format("Replay: {}\n", cmd);
  if (run.trace_file.empty()) out += "(--out DIR saves the trace for gupcheck replay)\n";
  return out;
}

std::string summary_table(std::span<const RunRecord> runs) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"spec", "property", "engine", "verdict", "time"});
  for (const RunRecord& run : runs) {
    const EngineResult& r = run.result;
    std::string prop = r.verdict == Verdict::kViolated ? r.property
                       : run.spec->properties.size() == 1
                           ? std::string(run.spec->properties[0]->name)
                           : fmt::format("all {} selected", run.spec->properties.size());
    std::string verdict = verdict_text(r);
    switch (expected_outcome(run)) {
      case Expected::kMet:
        if (r.verdict == Verdict::kViolated) verdict += " (expected)";
        break;
      case Expected::kMissed:
        verdict += fmt::format(" (NOT AS EXPECTED: {})", expectation_name(run));
        break;
      case Expected::kNone:
        break;
    }
    rows.push_back({run.spec->path, prop, r.engine, verdict, fmt::format("{:.1f}s", r.seconds)});
  }
  return text_table(rows, true);
}

std::string text_table(std::span<const std::vector<std::string>> rows, bool right_align_last) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t c = 0; c < row.size(); c++) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); c++)
      line += c + 1 < row.size() ? fmt::format("{:<{}}  ", row[c], width[c])
              : right_align_last ? fmt::format("{:>{}}", row[c], width[c])
                                 : row[c];
    out += line + '\n';
  }
  return out;
}

namespace {
// 1234567 -> "1.23 M", 480 -> "480"
std::string si(double v) {
  if (v >= 1e9) return fmt::format("{:.2f} G", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.2f} M", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.1f} k", v / 1e3);
  return fmt::format("{:.0f}", v);
}
double num(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0;
}
}  // namespace

std::string search_stats_text(std::span<const RunRecord> runs) {
  std::string out;
  for (const RunRecord& run : runs) {
    const nlohmann::json& st = run.result.stats;
    if (!st.contains("states_per_second")) continue;
    out += fmt::format(
        "{} {}: {} states, {} transitions, {} states/s, {:.1f} B/state stored, "
        "process peak {}B",
        run.result.engine, run.spec->path, si(num(st, "states")), si(num(st, "transitions")),
        si(num(st, "states_per_second")), num(st, "bytes_per_state"),
        si(num(st, "peak_memory_bytes")));
    if (st.contains("omission_probability"))
      out += fmt::format("; P(a state missed) <= {:.2g}", num(st, "omission_probability"));
    out += '\n';
  }
  return out;
}

}  // namespace gup
