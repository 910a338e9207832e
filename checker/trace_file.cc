#include "checker/trace_file.h"

#include <fmt/format.h>

namespace gup {

ReplayedTrace replay_trace_json(const nlohmann::json& j, const std::string& source,
                                const std::vector<std::string>& properties) {
  ReplayedTrace r;
  r.saved = parse_trace_json(j, source);
  // The spec the trace was found on is embedded: the trace replays even
  // when the file it came from has changed since.
  SpecOverrides ov{r.saved.variant, properties};
  std::vector<Spec> specs;
  try {
    specs = parse_specs(r.saved.spec_text, r.saved.spec_path, ov);
  } catch (const SpecError& e) {
    throw SpecError(SourceLoc{source, 0, 0},
                    "the spec embedded in the trace is broken: " + std::string(e.what()));
  }
  if (specs.size() != 1)
    throw SpecError(SourceLoc{source, 0, 0}, "the embedded spec is a suite, not one configuration");
  r.spec = std::move(specs[0]);
  for (const Step& st : r.saved.trace.steps)
    if (st.task >= r.spec.config.nr_tasks)
      throw SpecError(
          SourceLoc{source, 0, 0},
          fmt::format("the trace steps task {}, and the configuration has {} task{}", st.task,
                      r.spec.config.nr_tasks, r.spec.config.nr_tasks == 1 ? "" : "s"));
  r.outcome = replay(r.spec.config, r.saved.trace, r.spec.properties);
  if (!r.outcome.ok)
    throw SpecError(SourceLoc{source, 0, 0},
                    "the trace does not replay on this model: " + r.outcome.error);
  return r;
}

}  // namespace gup
