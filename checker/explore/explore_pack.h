// The packed encoding of a State: only the entries a Config uses.
//
// A State is sized by the compile-time maxima (kMaxFolios, kMaxTasks, ...);
// a Config uses a prefix of each array. pack() concatenates the used
// folios, mms, tasks and page-cache rows and zero-pads to a multiple of 8
// bytes; the unused entries never change (the model only touches entries
// below the Config's counts), so unpack() takes them from cfg.initial.
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/model.h"

namespace gup::explore {

class Packer {
 public:
  explicit Packer(const Config& cfg);
  // Packed size in bytes, a multiple of 8.
  size_t size() const { return size_; }
  void pack(const State& s, uint8_t* out) const;
  void unpack(const uint8_t* in, State& s) const;
  // True when `s` differs from the initial state only inside the used
  // entries (a check of the assumption above, for tests).
  bool unused_unchanged(const State& s) const;

 private:
  struct Range {
    size_t offset, length;
  };
  Range ranges_[4];
  int nr_ranges_ = 0;
  size_t used_ = 0, size_ = 0;
  State base_;
};

}  // namespace gup::explore
