#include "checker/explore/explore_chunked.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>

namespace gup::explore {

SpillFile::~SpillFile() {
  if (fd_ >= 0) close(fd_);
}

SpillFile::SpillFile(SpillFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}

SpillFile& SpillFile::operator=(SpillFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

bool SpillFile::write(const void* p, size_t n, uint64_t offset) {
  if (fd_ < 0) {
    const char* dir = std::getenv("TMPDIR");
    std::string d = dir && *dir ? dir : "/tmp";
    fd_ = open(d.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) return false;
  }
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t w = pwrite(fd_, c, n, off_t(offset));
    if (w <= 0) return false;
    c += w;
    n -= size_t(w);
    offset += uint64_t(w);
  }
  return true;
}

bool SpillFile::read(void* p, size_t n, uint64_t offset) const {
  return fd_ >= 0 && pread(fd_, p, n, off_t(offset)) == ssize_t(n);
}

}  // namespace gup::explore
