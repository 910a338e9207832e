// Options shared by `gupcheck check` and the engine subcommands.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>

#include "checker/byte_size.h"
#include "checker/cli.h"
#include "checker/spec_error.h"

namespace gup::cli {

void add_run_options(CLI::App& sub, Options& o) {
  Budgets& b = o.budgets;
  sub.add_option("--format", o.format, "Output on stdout: text, json, junit or tap")
      ->check(CLI::IsMember({"text", "json", "junit", "tap"}));
  sub.add_option("--out", o.out_dir,
                 "Save reports in DIR: the summary, and for each violation its text, JSON trace "
                 "(for `gupcheck replay`) and Graphviz pictures");
  sub.add_flag("--force", o.force, "Overwrite reports that already exist in --out");
  sub.add_flag("--quiet,-q", o.quiet, "Print only the summary");
  sub.add_flag("--progress", o.progress, "Progress on stderr even when it is not a terminal");
  sub.add_option("--variant", o.variant, "Run every spec on this kernel variant");
  sub.add_option("--property", o.properties, "Check only this property (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--seed", b.opts.seed, "Random engines: the seed (0: from the clock)");
  sub.add_option("--jobs,-j", b.opts.jobs, "Worker threads (default: every core)")
      ->check(CLI::Range(1, 256));
  sub.add_option("--time", b.opts.time_limit, "Seconds each engine run may take")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--runs", b.opts.runs, "random: sequences to try")->check(CLI::PositiveNumber);
  sub.add_option("--max-steps", b.opts.max_steps, "random: steps per sequence")
      ->check(CLI::PositiveNumber);
  sub.add_option("--max-states", b.opts.max_states, "explore: states to store")
      ->check(CLI::PositiveNumber);
  sub.add_option("--max-memory", b.max_memory_text, "explore: memory, e.g. 512M or 2G");
  sub.add_option("--max-depth", b.opts.max_depth, "explore: depth to search to")
      ->check(CLI::PositiveNumber);
  sub.add_flag("--compact", b.opts.compact, "explore: hash compaction (fingerprints only)");
  sub.add_option("--table", b.table_text,
                 "explore --compact: a fixed table of 40-bit fingerprints of this size, e.g. "
                 "256M (default: 64-bit fingerprints in a table that grows)");
  sub.add_flag("--symmetry", b.opts.symmetry, "explore: symmetry reduction");
  sub.add_flag("--por", b.opts.por, "explore: partial-order reduction");
  sub.add_flag("--guide", b.opts.guide,
               "random: after the walks, ask the solver for prefixes into the branches they "
               "missed and walk on from each (--max-depth bounds the prefixes)");
}

void finish_run_options(CLI::App& sub, Options& o) {
  Budgets& b = o.budgets;
  b.seed = sub.count("--seed") > 0;
  b.jobs = sub.count("--jobs") > 0;
  b.time = sub.count("--time") > 0;
  b.runs = sub.count("--runs") > 0;
  b.max_steps = sub.count("--max-steps") > 0;
  b.max_states = sub.count("--max-states") > 0;
  b.max_depth = sub.count("--max-depth") > 0;
  b.max_memory = sub.count("--max-memory") > 0;
  if (b.max_memory) {
    std::optional<uint64_t> bytes = parse_byte_size(b.max_memory_text);
    if (!bytes)
      throw SpecError({}, fmt::format("--max-memory expects a size such as 512M or 2G, got '{}'",
                                      b.max_memory_text));
    b.opts.max_memory = *bytes;
  }
  // `coverage` has no --table (it never compacts).
  const CLI::Option* table = sub.get_option_no_throw("--table");
  b.table = table && table->count() > 0;
  if (b.table) {
    std::optional<uint64_t> bytes = parse_byte_size(b.table_text);
    if (!bytes || *bytes < 64)
      throw SpecError(
          {}, fmt::format("--table expects a size such as 256M or 1G, got '{}'", b.table_text));
    b.opts.table_bytes = *bytes;
    if (!b.opts.compact)
      throw SpecError({}, "--table sizes the fingerprint table of --compact; add --compact");
    if (b.opts.por)
      throw SpecError({},
                      "--table cannot go with --por: sleep sets keep a word per state "
                      "beside a 64-bit fingerprint; drop --table");
  }
}

std::string default_spec_path() {
  const std::string rel = "specs/default.toml";
  if (std::filesystem::exists(rel)) return rel;
#ifdef GUPCHECK_SOURCE_DIR
  std::string src = std::string(GUPCHECK_SOURCE_DIR) + "/" + rel;
  if (std::filesystem::exists(src)) return src;
#endif
  return rel;
}

}  // namespace gup::cli
