// The gupcheck command line's table of subcommands and its parser
// (CommandLineParser, cli.h): separate from main() so that tests and the
// fuzzer (tests/fuzz/) parse exactly what the CLI parses, without running.
// The CLI11 app is built once per parser; the fuzzer reuses one parser for
// every input (building the app is most of the time of one parse).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "checker/cli/cli.h"
#include "checker/cli/engines.h"
#include "checker/core/version.h"
#include "checker/spec/spec_error.h"

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
  sub.add_option("--variant", o.variant,
                 "Replay the trace on this kernel variant instead: does it still violate?");
  sub.add_option("--variant-file", o.variant_file,
                 "Replay the trace on the variant this file defines (model/patch.h)")
      ->type_name("FILE");
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
    {"diff", "What userspace can tell apart between two kernels on the specs' machines", add_diff,
     run_diff},
    {"zoo", "The public bug catalogue: every entry caught, and clean on 6.12 (docs/zoo.md)",
     add_zoo, run_zoo},
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

// CLI11 2.1's App::clear() resets every result but one: each app's
// parse_order_, the options parsed in order, keeps growing, so a parser
// reused for millions of parses (the fuzzer) grew without bound. It is a
// protected member; a pointer to it, formed in a class derived from App,
// reaches it on any app.
struct ParseOrder : CLI::App {
  static std::vector<CLI::Option*>& of(CLI::App& app) { return app.*&ParseOrder::parse_order_; }
};

// The app and what parse() needs to read its result. `o` comes first: the
// app's options write into it, by reference, and it outlives them.
struct CommandLineParser::Impl {
  Options o;
  CLI::App app{fmt::format("gupcheck: a model checker for Linux 6.12 get_user_pages / "
                           "pin_user_pages ({})",
                           kModelVersion),
               "gupcheck"};
  std::vector<std::pair<CLI::App*, const Command*>> subs;
  // One subcommand per engine: `gupcheck random [SPEC...]` runs only it.
  std::vector<std::pair<CLI::App*, std::string>> engine_subs;
  std::vector<std::pair<std::string, std::string>> rows;  // for usage()

  Impl() {
    app.require_subcommand(0, 1);
    app.set_version_flag("--version", fmt::format("gupcheck {}", kModelVersion));
    for (const Command& c : kCommands) {
      CLI::App* sub = app.add_subcommand(c.name, c.help);
      c.add_options(*sub, o);
      subs.emplace_back(sub, &c);
      rows.emplace_back(c.name, c.help);
    }
    for (const Engine* e : all_engines()) {
      std::string help =
          fmt::format("Run only the {} engine on SPEC (default specs/default.toml)", e->name);
      CLI::App* sub = app.add_subcommand(e->name, help);
      add_check(*sub, o);
      engine_subs.emplace_back(sub, e->name);
      rows.emplace_back(e->name, help);
    }
  }

  // The app and its subcommands.
  std::vector<CLI::App*> apps() {
    std::vector<CLI::App*> all{&app};
    for (const auto& [sub, c] : subs) all.push_back(sub);
    for (const auto& [sub, name] : engine_subs) all.push_back(sub);
    return all;
  }

  // `o` back to what it is right after the app is built: default Options
  // whose two budget maps hold one default value per rule option. The app
  // holds references to the members of `o` and to the elements of those
  // maps (add_rule_option), so the maps are swapped out and back (swap
  // keeps references to elements valid) around the assignment instead of
  // being replaced.
  void reset_options() {
    std::map<std::string, std::string> text;
    std::map<std::string, bool> flag;
    text.swap(o.budgets.text);
    flag.swap(o.budgets.flag);
    o = Options{};
    for (auto& [key, value] : text) value.clear();
    for (auto& [key, value] : flag) value = false;
    o.budgets.text.swap(text);
    o.budgets.flag.swap(flag);
  }
};

CommandLineParser::CommandLineParser() : impl_(std::make_unique<Impl>()) {}
CommandLineParser::~CommandLineParser() = default;

Options& CommandLineParser::options() {
  return impl_->o;
}

std::size_t CommandLineParser::parse_order_size() {
  std::size_t n = 0;
  for (CLI::App* app : impl_->apps()) n += ParseOrder::of(*app).size();
  return n;
}

ParsedCommandLine CommandLineParser::parse(int argc, const char* const* argv) {
  Impl& m = *impl_;
  m.reset_options();
  m.app.clear();  // every option's and subcommand's results (parse() also does it)
  for (CLI::App* app : m.apps()) ParseOrder::of(*app).clear();
  ParsedCommandLine p;
  try {
    m.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    int rc = m.app.exit(e, out, err);
    p.exit = rc == 0 ? kExitClean : kExitBadInput;
    p.out = out.str();
    p.err = err.str();
    return p;
  }
  for (auto& [sub, name] : m.engine_subs)
    if (sub->parsed()) {
      m.o.engine = name;
      finish_run_options(*sub, m.o);
      p.run = run_check;
      return p;
    }
  for (auto& [sub, c] : m.subs)
    if (sub->parsed()) {
      if (std::string(c->name) == "check" || std::string(c->name) == "coverage" ||
          std::string(c->name) == "zoo")
        finish_run_options(*sub, m.o);
      p.run = c->run;
      return p;
    }
  p.exit = kExitBadInput;
  p.err = usage(m.rows);
  return p;
}

}  // namespace gup::cli
