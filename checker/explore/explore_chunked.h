// Per-state arrays of the explore engine (parent links, steps,
// fingerprints), grown in chunks of 2^16 entries: no copying when they grow
// and at most one chunk of slack. Chunks whose entries are all written can
// be spilled to an unlinked temporary file (as TLC keeps its trace file on
// disk): a trace reads a few dozen entries back, so after spilling the links
// cost disk, not memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace gup::explore {

// An unlinked temporary file (TMPDIR, else /tmp); closed when destroyed.
class SpillFile {
 public:
  SpillFile() = default;
  ~SpillFile();
  SpillFile(SpillFile&& o) noexcept;
  SpillFile& operator=(SpillFile&& o) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  // False when the file cannot be created or written (the caller keeps
  // the data in memory).
  bool write(const void* p, size_t n, uint64_t offset);
  bool read(void* p, size_t n, uint64_t offset) const;

 private:
  int fd_ = -1;
};

template <typename T>
class ChunkedArray {
 public:
  // REQUIRES: entry i is in memory (not spilled).
  T& operator[](size_t i) { return chunks_[i >> kShift][i & kMask]; }
  // Entry i, from memory or from the spill file.
  T get(size_t i) const {
    const auto& c = chunks_[i >> kShift];
    if (c) return c[i & kMask];
    T v{};
    file_.read(&v, sizeof v, i * sizeof v);
    return v;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // REQUIRES: no other thread accesses the array meanwhile.
  void resize(size_t n) {
    while (chunks_.size() << kShift < n) chunks_.push_back(std::make_unique<T[]>(kMask + 1));
    size_ = n;
  }
  // Moves the complete chunks below entry n to the spill file. REQUIRES: no
  // other thread accesses the array meanwhile.
  void spill_below(size_t n) {
    for (size_t c = spilled_; c < chunks_.size() && (c + 1) << kShift <= n; c++) {
      if (!file_.write(chunks_[c].get(), chunk_bytes(), c * chunk_bytes())) return;
      chunks_[c].reset();
      spilled_ = c + 1;
    }
  }
  // Bytes in memory, and bytes in the spill file.
  uint64_t bytes() const { return (chunks_.size() - spilled_) * chunk_bytes(); }
  uint64_t spilled_bytes() const { return spilled_ * chunk_bytes(); }

 private:
  static constexpr size_t kShift = 16, kMask = (size_t{1} << kShift) - 1;
  static constexpr size_t chunk_bytes() { return (kMask + 1) * sizeof(T); }
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
  size_t spilled_ = 0;  // chunks [0, spilled_) are in the file
  SpillFile file_;
};

}  // namespace gup::explore
