#include "checker/explore/explore_pack.h"

#include <cstddef>
#include <cstring>

namespace gup::explore {

Packer::Packer(const Config& cfg) : base_(cfg.initial) {
  auto add = [&](size_t offset, size_t length) {
    if (length) ranges_[nr_ranges_++] = Range{offset, length};
    used_ += length;
  };
  add(offsetof(State, folios), sizeof(Folio) * cfg.nr_folios);
  add(offsetof(State, mms), sizeof(Mm) * cfg.nr_mms);
  add(offsetof(State, tasks), sizeof(Task) * cfg.nr_tasks);
  add(offsetof(State, page_cache), sizeof(State::page_cache[0]) * cfg.nr_files);
  size_ = (used_ + 7) & ~size_t{7};
  if (size_ == 0) size_ = 8;
}

void Packer::pack(const State& s, uint8_t* out) const {
  const auto* p = reinterpret_cast<const uint8_t*>(&s);
  size_t at = 0;
  for (int r = 0; r < nr_ranges_; r++) {
    std::memcpy(out + at, p + ranges_[r].offset, ranges_[r].length);
    at += ranges_[r].length;
  }
  std::memset(out + at, 0, size_ - at);
}

void Packer::unpack(const uint8_t* in, State& s) const {
  s = base_;
  auto* p = reinterpret_cast<uint8_t*>(&s);
  size_t at = 0;
  for (int r = 0; r < nr_ranges_; r++) {
    std::memcpy(p + ranges_[r].offset, in + at, ranges_[r].length);
    at += ranges_[r].length;
  }
}

bool Packer::unused_unchanged(const State& s) const {
  State t = base_;
  auto* from = reinterpret_cast<const uint8_t*>(&s);
  auto* to = reinterpret_cast<uint8_t*>(&t);
  for (int r = 0; r < nr_ranges_; r++)
    std::memcpy(to + ranges_[r].offset, from + ranges_[r].offset, ranges_[r].length);
  return t == s;
}

}  // namespace gup::explore
