// The gupcheck command line's table of subcommands and its parsing
// (parse_command_line, cli.h): separate from main() so that tests and the
// fuzzer (tests/fuzz/) parse exactly what the CLI parses, without running.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <sstream>
#include <string>

#include "checker/cli.h"
#include "checker/spec_error.h"
#include "checker/version.h"

namespace gup::cli {
namespace {

void add_check(CLI::App& sub, Options& o) {
  sub.add_option("SPEC", o.specs, "Spec or suite files (default specs/default.toml)");
  add_run_options(sub, o);
}

void add_replay(CLI::App& sub, Options& o) {
  sub.add_option("TRACE", o.trace, "A trace saved by --out (TRACE.json)")->required();
  sub.add_option("--property", o.properties, "Check only this property (repeatable)")
      ->allow_extra_args(false);
  sub.add_flag("--quiet,-q", o.quiet, "Print only the verdict");
}

void add_list(CLI::App& sub, Options& o) {
  sub.add_option("WHAT", o.what, "properties, variants, engines or configs")
      ->required()
      ->check(CLI::IsMember({"properties", "variants", "engines", "configs"}));
}

void add_explain(CLI::App& sub, Options& o) {
  sub.add_option("PROPERTY", o.property_name, "A property name (gupcheck list properties)")
      ->required();
}

void add_nothing(CLI::App&, Options&) {}

const Command kCommands[] = {
    {"check", "Run every engine and property the specs ask for; print a summary", add_check,
     run_check},
    {"replay", "Re-execute a saved trace on the model and confirm its violation", add_replay,
     run_replay},
    {"list", "List properties, variants, engines or builtin configs", add_list, run_list},
    {"explain", "Print a property's rationale and kernel source", add_explain, run_explain},
    {"coverage", "Which kernel-function branches each engine reaches, per branch",
     add_coverage_options, run_coverage},
    {"demo", "Show a long-term pin of a CMA folio being migrated, then pinned", add_nothing,
     run_demo},
};

std::string usage(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out = "usage: gupcheck SUBCOMMAND [OPTIONS]\n\nSubcommands:\n";
  for (const auto& [name, help] : rows) out += fmt::format("  {:<9} {}\n", name, help);
  out += "\nThe main job: gupcheck check specs/default.toml\n";
  out += "gupcheck SUBCOMMAND --help describes a subcommand's options.\n";
  return out;
}

}  // namespace

ParsedCommandLine parse_command_line(int argc, const char* const* argv, Options& o) {
  CLI::App app{fmt::format("gupcheck: a model checker for Linux 6.12 get_user_pages / "
                           "pin_user_pages ({})",
                           kModelVersion),
               "gupcheck"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", fmt::format("gupcheck {}", kModelVersion));
  std::vector<std::pair<CLI::App*, const Command*>> subs;
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Command& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    c.add_options(*sub, o);
    subs.emplace_back(sub, &c);
    rows.emplace_back(c.name, c.help);
  }
  // One subcommand per engine: `gupcheck random [SPEC...]` runs only it.
  std::vector<std::pair<CLI::App*, std::string>> engine_subs;
  for (const Engine* e : all_engines()) {
    std::string help =
        fmt::format("Run only the {} engine on SPEC (default specs/default.toml)", e->name);
    CLI::App* sub = app.add_subcommand(e->name, help);
    add_check(*sub, o);
    engine_subs.emplace_back(sub, e->name);
    rows.emplace_back(e->name, help);
  }
  ParsedCommandLine p;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    int rc = app.exit(e, out, err);
    p.exit = rc == 0 ? kExitClean : kExitBadInput;
    p.out = out.str();
    p.err = err.str();
    return p;
  }
  for (auto& [sub, name] : engine_subs)
    if (sub->parsed()) {
      o.engine = name;
      finish_run_options(*sub, o);
      p.run = run_check;
      return p;
    }
  for (auto& [sub, c] : subs)
    if (sub->parsed()) {
      if (std::string(c->name) == "check" || std::string(c->name) == "coverage")
        finish_run_options(*sub, o);
      p.run = c->run;
      return p;
    }
  p.exit = kExitBadInput;
  p.err = usage(rows);
  return p;
}

}  // namespace gup::cli
