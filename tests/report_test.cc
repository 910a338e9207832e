// Counterexample reports: the text report against a golden file, the JSON
// trace through replay, and the structure of the JUnit, TAP and DOT output.
#include "checker/report/report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "checker/core/replay.h"
#include "checker/core/version.h"
#include "checker/spec/spec.h"

namespace gup {
namespace {

const std::string kSource = GUPCHECK_SOURCE_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// tests/specs/golden-c1.toml, loaded under its repository-relative path so
// that the report does not depend on where the tree is checked out.
Spec golden_spec() {
  return parse_specs(slurp(kSource + "/tests/specs/golden-c1.toml"), "tests/specs/golden-c1.toml")
      .at(0);
}

// The C1 counterexample, built with a fixed schedule: T0 runs alone and
// the migration target's allocation fails (choice 1) where it can.
RunRecord golden_run(const Spec& spec) {
  const Config& cfg = spec.config;
  Trace trace;
  State s = initial_state(cfg);
  StepBuffer buf;
  for (int n = 0; n < 50; n++) {
    enabled_steps(s, cfg, buf);
    if (buf.n == 0) break;
    Step st = buf.steps[buf.n - 1];  // choice 1 when the step has it
    trace.steps.push_back(st);
    apply(s, cfg, st);
    ReplayOutcome out = replay(cfg, trace, spec.properties);
    if (out.violated) break;
  }
  ReplayOutcome out = replay(cfg, trace, spec.properties);
  EXPECT_TRUE(out.violated) << "the golden schedule must violate a property";
  RunRecord run;
  run.spec = &spec;
  run.result.engine = "explore";
  run.result.config = cfg.name;
  run.result.variant = spec.variant;
  run.result.verdict = Verdict::kViolated;
  run.result.property = out.property;
  run.result.why = out.why;
  run.result.trace = trace;
  run.result.reproduce = "gupcheck explore tests/specs/golden-c1.toml";
  return run;
}

TEST(Report, TextMatchesGolden) {
  Spec spec = golden_spec();
  RunRecord run = golden_run(spec);
  std::string text = counterexample_text(run);
  std::string path = kSource + "/tests/golden/c1-report.txt";
  // GUPCHECK_UPDATE_GOLDEN=1 rewrites the file after a deliberate change.
  if (std::getenv("GUPCHECK_UPDATE_GOLDEN")) std::ofstream(path) << text;
  EXPECT_EQ(text, slurp(path)) << "regenerate with GUPCHECK_UPDATE_GOLDEN=1 if the change is meant";
}

TEST(Report, TextShowsALassoLoop) {
  Spec spec = golden_spec();
  RunRecord run = golden_run(spec);
  run.result.trace.loop_start = 2;
  std::string text = counterexample_text(run);
  EXPECT_NE(text.find("-- loop: steps 3 to"), std::string::npos) << text;
  EXPECT_NE(text.find("-- back to step 3 --"), std::string::npos) << text;
}

TEST(Report, JsonTraceRoundTripsThroughReplay) {
  Spec spec = golden_spec();
  RunRecord run = golden_run(spec);
  std::string dumped = trace_json(run).dump(2);
  SavedTrace t = parse_trace_json(nlohmann::json::parse(dumped), "t.json");
  EXPECT_EQ(t.model_version, kModelVersion);
  EXPECT_EQ(t.variant, "migrate-fail-pins-anyway");
  EXPECT_EQ(t.property, run.result.property);
  ASSERT_EQ(t.trace.steps.size(), run.result.trace.steps.size());
  for (size_t i = 0; i < t.trace.steps.size(); i++)
    EXPECT_EQ(t.trace.steps[i], run.result.trace.steps[i]) << "step " << i;
  Spec again = parse_specs(t.spec_text, t.spec_path, SpecOverrides{t.variant, {}}).at(0);
  ReplayOutcome out = replay(again.config, t.trace, again.properties);
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_TRUE(out.violated);
  EXPECT_EQ(out.property, run.result.property);
  EXPECT_EQ(out.violation_step, int(t.trace.steps.size()));
}

TEST(Report, ReplayRefusesAnotherModelVersion) {
  Spec spec = golden_spec();
  nlohmann::json j = trace_json(golden_run(spec));
  j["model_version"] = "gupcheck-model-0";
  try {
    parse_trace_json(j, "old.json");
    FAIL() << "accepted a trace of another model version";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.format(),
              "old.json: error: this trace was recorded on model version 'gupcheck-model-0', "
              "and this gupcheck runs 'gupcheck-model-1': a trace only means something on the "
              "model that made it; rerun the engine on the spec to get a trace for this model\n");
  }
}

TEST(Report, TraceStatesRefusesAStepThatIsNotEnabled) {
  Spec spec = golden_spec();
  Trace t;
  t.steps.push_back(Step{3, 0});  // there is no task 3
  EXPECT_THROW(trace_states(spec.config, t), std::runtime_error);
}

// Checks that every tag opened is closed in order; returns the tag names
// in document order (with "/" for closing tags).
std::vector<std::string> xml_tags(const std::string& xml) {
  std::vector<std::string> tags, stack;
  for (size_t i = xml.find('<'); i != std::string::npos; i = xml.find('<', i + 1)) {
    size_t end = xml.find('>', i);
    EXPECT_NE(end, std::string::npos);
    std::string tag = xml.substr(i + 1, end - i - 1);
    if (tag[0] == '?') continue;
    bool closing = tag[0] == '/', self = tag.back() == '/';
    std::string name = tag.substr(closing ? 1 : 0, tag.find_first_of(" />", 1) - (closing ? 1 : 0));
    if (closing) {
      EXPECT_FALSE(stack.empty());
      if (stack.empty()) break;
      EXPECT_EQ(stack.back(), name);
      stack.pop_back();
      tags.push_back("/" + name);
    } else {
      tags.push_back(name);
      if (!self) stack.push_back(name);
    }
  }
  EXPECT_TRUE(stack.empty()) << "unclosed tags";
  return tags;
}

std::vector<RunRecord> two_runs(const Spec& spec) {
  RunRecord clean;
  clean.spec = &spec;
  clean.result.engine = "random";
  clean.result.verdict = Verdict::kBounded;
  clean.result.bound = 200;
  return {golden_run(spec), clean};
}

TEST(Report, JunitIsWellFormedWithOneFailure) {
  Spec spec = golden_spec();
  std::vector<RunRecord> runs = two_runs(spec);
  std::string xml = junit_xml(runs);
  std::vector<std::string> tags = xml_tags(xml);
  std::vector<std::string> expected = {"testsuites",  "testsuite", "testcase",   "failure",
                                       "/failure",    "/testcase", "testcase",   "system-out",
                                       "/system-out", "/testcase", "/testsuite", "/testsuites"};
  EXPECT_EQ(tags, expected) << xml;
  EXPECT_NE(xml.find("<testsuites name=\"gupcheck\" tests=\"2\" failures=\"1\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("message=\"violated no-longterm-pin-in-movable\""), std::string::npos);
  EXPECT_EQ(xml.find("-> 1025"), std::string::npos) << "'>' must be escaped inside elements";
}

TEST(Report, TapIsKselftestShaped) {
  Spec spec = golden_spec();
  std::vector<RunRecord> runs = two_runs(spec);
  std::string tap = tap_report(runs);
  EXPECT_EQ(tap.rfind("TAP version 13\n1..2\n", 0), 0u) << tap;
  EXPECT_NE(tap.find("\nnot ok 1 golden-c1 explore (migrate-fail-pins-anyway)\n"),
            std::string::npos)
      << tap;
  EXPECT_NE(tap.find("\nok 2 golden-c1 random (migrate-fail-pins-anyway): no violation to bound "
                     "200\n"),
            std::string::npos)
      << tap;
  EXPECT_NE(tap.find("\n# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0\n"),
            std::string::npos)
      << tap;
}

TEST(Report, SummaryTableHasOneRowPerRun) {
  Spec spec = golden_spec();
  std::vector<RunRecord> runs = two_runs(spec);
  EXPECT_EQ(summary_table(runs),
            "spec                        property                    engine   verdict          "
            "          time\n"
            "tests/specs/golden-c1.toml  no-longterm-pin-in-movable  explore  violated         "
            "          0.0s\n"
            "tests/specs/golden-c1.toml  all 14 selected             random   no violation to "
            "bound 200  0.0s\n");
}

TEST(Report, DotPicturesNameEveryEdgeEndpoint) {
  Spec spec = golden_spec();
  RunRecord run = golden_run(spec);
  std::vector<State> states = trace_states(spec.config, run.result.trace);
  for (const std::string& dot : {state_dot(states.back(), spec.config, "t"),
                                 trace_dot(spec.config, run.result.trace, "t")}) {
    EXPECT_EQ(dot.rfind("digraph ", 0), 0u);
    EXPECT_EQ(std::count(dot.begin(), dot.end(), '{'), std::count(dot.begin(), dot.end(), '}'));
    std::istringstream in(dot);
    std::set<std::string> nodes;
    std::vector<std::pair<std::string, std::string>> edges;
    for (std::string line; std::getline(in, line);) {
      std::istringstream words(line);
      std::string a, arrow, b;
      words >> a >> arrow >> b;
      if (arrow == "->")
        edges.emplace_back(a, b);
      else if (arrow.rfind("[", 0) == 0)
        nodes.insert(a);
    }
    EXPECT_FALSE(edges.empty()) << dot;
    for (const auto& [a, b] : edges) {
      EXPECT_TRUE(nodes.count(a)) << a << " in\n" << dot;
      EXPECT_TRUE(nodes.count(b)) << b << " in\n" << dot;
    }
  }
}

}  // namespace
}  // namespace gup
