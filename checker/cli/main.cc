// gupcheck: model-checks Linux 6.12's get_user_pages/pin_user_pages.
//
// Subcommands are one table (kCommands, cli_parse.cc) plus one subcommand
// per registered engine. `gupcheck` with no subcommand prints the table and
// exits 2, the status for bad usage: the main job is
// `gupcheck check specs/default.toml`.
#include <iostream>

#include "checker/cli/cli.h"
#include "checker/spec/spec_error.h"

namespace gup::cli {
namespace {

int main_impl(int argc, char** argv) {
  try {
    CommandLineParser parser;
    ParsedCommandLine p = parser.parse(argc, argv);
    std::cout << p.out;
    std::cerr << p.err;
    if (!p.run) return p.exit;
    return p.run(parser.options());
  } catch (const SpecError& e) {
    std::cerr << e.format();
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "gupcheck: error: " << e.what() << "\n";
    return kExitBadInput;
  }
}

}  // namespace
}  // namespace gup::cli

int main(int argc, char** argv) {
  return gup::cli::main_impl(argc, argv);
}
