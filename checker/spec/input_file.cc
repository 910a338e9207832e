#include "checker/spec/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gup {

namespace {

// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string errno_phrase(int err) {
  if (err == ENOENT) return "no such file";
  if (err == EACCES) return "permission denied";
  return std::strerror(err);
}

}  // namespace

bool read_input_file(const std::string& path, std::string* text, std::string* error) {
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (f.fd < 0) {
    *error = errno_phrase(errno);
    return false;
  }
  struct stat st;
  if (::fstat(f.fd, &st) != 0) {
    *error = errno_phrase(errno);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    *error = "it is a directory";
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = "it is not a regular file (a FIFO, socket or device)";
    return false;
  }
  const std::string too_big = "it is larger than 1 MiB, the limit for an input file";
  static_assert(kMaxInputBytes == size_t(1) << 20, "update the message");
  if (uint64_t(st.st_size) > kMaxInputBytes) {
    *error = too_big;
    return false;
  }
  // The size may change under us: read to one byte past the limit.
  text->clear();
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = errno_phrase(errno);
      return false;
    }
    if (n == 0) break;
    text->append(buf, size_t(n));
    if (text->size() > kMaxInputBytes) {
      *error = too_big;
      return false;
    }
  }
  return true;
}

}  // namespace gup
