// Memory for the explore engine: zero-filled arrays taken straight from the
// kernel (pages are committed on first touch, so a large table costs only
// what the search writes), and the process's resident and peak sizes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gup::explore {

// A fixed-size array of zero bytes from mmap(); not copyable.
class ZeroedBytes {
 public:
  ZeroedBytes() = default;
  explicit ZeroedBytes(size_t bytes);
  ~ZeroedBytes();
  ZeroedBytes(ZeroedBytes&& o) noexcept;
  ZeroedBytes& operator=(ZeroedBytes&& o) noexcept;
  ZeroedBytes(const ZeroedBytes&) = delete;
  ZeroedBytes& operator=(const ZeroedBytes&) = delete;

  void* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

// VmRSS and VmHWM of this process in bytes (0 if /proc is unreadable).
uint64_t resident_bytes();
uint64_t peak_resident_bytes();

}  // namespace gup::explore
