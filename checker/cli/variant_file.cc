// Building and loading a variant file (checker/cli/variant_file.h).
#include "checker/cli/variant_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "checker/cli/cli.h"
#include "checker/cli/variant_build_config.h"
#include "checker/spec/spec_error.h"

namespace gup::cli {

namespace fs = std::filesystem;

namespace {

uint64_t fnv1a(uint64_t h, std::string_view s) {
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

fs::path cache_dir() {
  if (const char* d = std::getenv("GUPCHECK_CACHE_DIR"); d && *d) return fs::path(d) / "variants";
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d)
    return fs::path(d) / "gupcheck" / "variants";
  if (const char* d = std::getenv("HOME"); d && *d)
    return fs::path(d) / ".cache" / "gupcheck" / "variants";
  throw std::runtime_error(
      "--variant-file: no cache directory: set GUPCHECK_CACHE_DIR, XDG_CACHE_HOME or HOME");
}

// Runs argv; returns its exit status and what it wrote on stdout and stderr.
int run(const std::vector<std::string>& argv, std::string* output) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("--variant-file: pipe() failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("--variant-file: fork() failed");
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::string msg = fmt::format("cannot run {}\n", argv[0]);
    (void)!write(2, msg.data(), msg.size());
    _exit(127);
  }
  close(fds[1]);
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) output->append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::vector<std::string> compile_command(const std::string& file, const std::string& object,
                                         bool symbolic) {
  std::vector<std::string> cmd = {kVariantCompiler};
  for (const char* f : kVariantCompileFlags) cmd.emplace_back(f);
  cmd.emplace_back("-DGUP_VARIANT_MODULE");
  if (symbolic) cmd.emplace_back("-DGUP_DOMAIN_HEADER=\"checker/bmc/sym/sym_domain.h\"");
  cmd.insert(cmd.end(), {"-c", file, "-o", object});
  return cmd;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + ' ';
  return out;
}

}  // namespace

VariantModule build_variant_module(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw SpecError(SourceLoc{file, 0, 0}, "cannot open the variant file");
  std::stringstream text;
  text << in.rdbuf();
  // The key: the text, the commands (with a fixed object name) and the
  // binary that will load the module (its size and time).
  uint64_t key = fnv1a(1469598103934665603ull, text.str());
  key = fnv1a(key, joined(compile_command("F", "O", false)));
  key = fnv1a(key, joined(compile_command("F", "O", true)));
  struct stat self {};
  if (stat("/proc/self/exe", &self) == 0)
    key = fnv1a(key,
                fmt::format("{}:{}:{}", self.st_size, self.st_mtim.tv_sec, self.st_mtim.tv_nsec));
  fs::path dir = cache_dir();
  std::string stem = fs::path(file).stem().string();
  fs::path module = dir / fmt::format("{}-{:016x}.so", stem, key);
  if (fs::exists(module)) return VariantModule{module.string(), false};

  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error(fmt::format("--variant-file: cannot create the cache directory {}: {}",
                                         dir.string(), ec.message()));
  std::string tmp = fmt::format("{}.tmp{}", module.string(), getpid());
  std::string out;
  for (bool symbolic : {false, true}) {
    std::string object = tmp + (symbolic ? ".sym.o" : ".o");
    if (run(compile_command(file, object, symbolic), &out) != 0) {
      fs::remove(object, ec);
      throw SpecError(SourceLoc{file, 0, 0},
                      fmt::format("the variant file does not compile{}:\n{}",
                                  symbolic ? " in the symbolic domain (bmc)" : "", out));
    }
  }
  std::vector<std::string> link = {kVariantCompiler};
  for (const char* f : kVariantLinkFlags) link.emplace_back(f);
  link.insert(link.end(), {"-shared", "-o", tmp, tmp + ".o", tmp + ".sym.o"});
  int rc = run(link, &out);
  fs::remove(tmp + ".o", ec);
  fs::remove(tmp + ".sym.o", ec);
  if (rc != 0) {
    fs::remove(tmp, ec);
    throw SpecError(SourceLoc{file, 0, 0}, "the variant module does not link:\n" + out);
  }
  fs::rename(tmp, module);
  // Warnings are the user's to read.
  if (!out.empty()) std::cerr << out;
  return VariantModule{module.string(), true};
}

const Variant& load_variant_file(const std::string& file) {
  VariantModule m = build_variant_module(file);
  try {
    return load_variant_module(m.path, file);
  } catch (const std::logic_error& e) {  // GUP_REPLACE of a function it does not define
    throw SpecError(SourceLoc{file, 0, 0}, e.what());
  } catch (const std::runtime_error& e) {
    throw SpecError(SourceLoc{file, 0, 0}, e.what());
  }
}

void select_variant_file(Options& o) {
  if (o.variant_file.empty()) return;
  if (!o.variant.empty())
    throw SpecError({}, "--variant and --variant-file both name the variant: give one of them");
  o.variant = load_variant_file(o.variant_file).name;
}

}  // namespace gup::cli
