#include "checker/cli/cli_out.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checker/spec/spec_error.h"

namespace gup::cli {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw SpecError({}, msg);
}

// Creating and removing a file is the only sure test of writability (root
// passes access(2) on a read-only mount).
void probe_writable(const fs::path& dir) {
  fs::path probe = dir / fmt::format(".gupcheck-probe-{}", ::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    fail(fmt::format("--out {}: cannot write in the directory: {}", dir.string(),
                     std::strerror(errno)));
  ::close(fd);
  ::unlink(probe.c_str());
}

}  // namespace

void prepare_out_dir(const std::string& dir, const std::vector<std::string>& names, bool force) {
  std::error_code ec;
  fs::file_status st = fs::status(dir, ec);
  if (fs::exists(st) && !fs::is_directory(st)) fail(fmt::format("--out {}: not a directory", dir));
  if (!fs::exists(st)) {
    fs::create_directories(dir, ec);
    if (ec) fail(fmt::format("--out {}: cannot create the directory: {}", dir, ec.message()));
  }
  probe_writable(dir);
  for (const std::string& n : names) {
    fs::path p = fs::path(dir) / n;
    fs::file_status s = fs::symlink_status(p, ec);
    if (!fs::exists(s)) continue;
    if (fs::is_directory(s))
      fail(fmt::format("{} is a directory: the report cannot be written there", p.string()));
    if (fs::is_symlink(s))
      fail(fmt::format("{} is a symbolic link: gupcheck writes only files inside --out",
                       p.string()));
    if (!force)
      fail(
          fmt::format("{} already exists: pass --force to overwrite the reports in {}, or choose "
                      "another --out",
                      p.string(), dir));
  }
}

bool write_out_file(const std::string& dir, const std::string& name, const std::string& text) {
  fs::path p = fs::path(dir) / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (out) return true;
  std::cerr << fmt::format("gupcheck: error: cannot write {}\n", p.string());
  return false;
}

}  // namespace gup::cli
