// `gupcheck list` and `gupcheck explain`.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <iostream>

#include "checker/cli/cli.h"
#include "checker/cli/engines.h"
#include "checker/report/report.h"
#include "checker/spec/spec.h"
#include "model/config_builder.h"

namespace gup::cli {

int run_list(Options& o) {
  std::vector<std::array<std::string, 3>> rows;
  if (o.what == "properties") {
    for (const Property* p : all_properties())
      rows.push_back({p->name, property_kind_name(p->kind), p->source});
  } else if (o.what == "variants") {
    for (const Variant* v : all_variants())
      rows.push_back({v->name, v->zoo_id.empty() ? "-" : v->zoo_id, v->summary});
  } else if (o.what == "engines") {
    for (const Engine* e : all_engines()) rows.push_back({e->name, e->summary, ""});
  } else {
    for (const char* const* p = builtin_config_names(); *p; p++) rows.push_back({*p, "", ""});
  }
  size_t w0 = 0, w1 = 0;
  for (const auto& r : rows) {
    w0 = std::max(w0, r[0].size());
    w1 = std::max(w1, r[1].size());
  }
  for (const auto& r : rows) {
    std::string line = r[1].empty()   ? r[0]
                       : r[2].empty() ? fmt::format("{:<{}}  {}", r[0], w0, r[1])
                                      : fmt::format("{:<{}}  {:<{}}  {}", r[0], w0, r[1], w1, r[2]);
    std::cout << line << "\n";
  }
  return kExitClean;
}

int run_explain(Options& o) {
  const Property* p = lookup_property(o.property_name);
  std::cout << fmt::format("{} ({})\n\n", p->name, property_kind_name(p->kind));
  std::cout << wrap(p->rationale, 80, "") << "\n";
  std::cout << fmt::format("Kernel: {}\n", p->source);
  return kExitClean;
}

}  // namespace gup::cli
