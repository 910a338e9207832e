// Test helper: run the gupcheck binary from the source tree and collect
// its exit status and output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace gup::testing {

struct CliResult {
  int status;
  std::string output;
};

// `gupcheck ARGS` in the source directory; stderr joins stdout unless
// `stderr_too` is false (then it is dropped, e.g. for JSON on stdout).
inline CliResult run_gupcheck(const std::string& args, bool stderr_too = true) {
  std::string cmd = std::string("cd ") + GUPCHECK_SOURCE_DIR + " && " + GUPCHECK_BINARY + " " +
                    args + (stderr_too ? " 2>&1" : " 2>/dev/null");
  CliResult r{-1, ""};
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace gup::testing
