#include "checker/explore/explore_mem.h"

#include <sys/mman.h>

#include <cstdio>
#include <cstring>
#include <new>
#include <utility>

namespace gup::explore {

ZeroedBytes::ZeroedBytes(size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Tables are probed at random: 2 MB pages cut TLB misses and page faults
  // (the kernel may ignore the advice).
  if (bytes >= (size_t{2} << 20)) madvise(p, bytes, MADV_HUGEPAGE);
  data_ = p;
}

ZeroedBytes::~ZeroedBytes() {
  if (data_) munmap(data_, size_);
}

ZeroedBytes::ZeroedBytes(ZeroedBytes&& o) noexcept
    : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}

ZeroedBytes& ZeroedBytes::operator=(ZeroedBytes&& o) noexcept {
  if (this != &o) {
    if (data_) munmap(data_, size_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

namespace {
uint64_t status_kb(const char* key) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  uint64_t kb = 0;
  size_t n = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, key, n) == 0) {
      std::sscanf(line + n, " %lu", &kb);
      break;
    }
  }
  std::fclose(f);
  return kb * 1024;
}
}  // namespace

uint64_t resident_bytes() {
  return status_kb("VmRSS:");
}
uint64_t peak_resident_bytes() {
  return status_kb("VmHWM:");
}

}  // namespace gup::explore
