// What one step did, for properties that are relations over a step.
//
// The kernel code writes events where it grabs, releases, moves or frees a
// folio and where a GUP call returns. Events carry no behaviour: removing
// them changes no successor state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

#include "model/value.h"

namespace gup {

enum class EventKind : uint8_t {
  kGrab,                  // try_grab_folio(_fast): folio, page, ref kind, write, mm, addr
  kRelease,               // gup_put_folio(): folio, ref kind; held = the ledger held it
  kMigrated,              // a folio's contents moved to `other` (migrate_folio_move)
  kFreed,                 // the folio returned to the allocator
  kSplit,                 // split_huge_page(): the tail became `other`
  kReclaimed,             // shrink_folio_list() freed or unmapped it
  kCheckMigrateReturned,  // check_and_migrate_movable_pages() returned `value`
  kGupReturned,           // the GUP entry point returned `value`
  kUserWrite,             // data written into folio through GUP or a user store
};

template <class V>
struct EventT {
  template <class T>
  using Int = typename V::template Int<T>;
  EventKind kind;
  uint8_t task;
  Int<uint8_t> folio;
  Int<uint8_t> other;
  Int<uint8_t> page;
  Int<uint8_t> ref;  // PageRef::Kind for grab/release
  uint8_t mm;
  Int<uint8_t> addr;
  Int<int8_t> value;
  bool write;
  bool held;
  // Whether the event happened: always 1 in the concrete domain; in the
  // symbolic one, the condition of the path inside a join (R5) that logged it.
  Int<uint8_t> guard = 1;
};
using Event = EventT<Plain>;

// Iterating a log visits the events that happened: every one in the
// concrete domain; in the symbolic one, an event logged inside a join is
// visited on the paths where its guard holds (the guard is a decision).
template <class V>
struct EventLogT {
  static constexpr int kCapacity = V::kEventCapacity;
  EventT<V> events[kCapacity];
  int n = 0;
  void clear() { n = 0; }
  void add(const EventT<V>& e) {
    if (n < kCapacity) events[n++] = e;
  }

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = EventT<V>;
    using difference_type = std::ptrdiff_t;
    using pointer = const EventT<V>*;
    using reference = const EventT<V>&;
    Iterator() = default;
    Iterator(const EventT<V>* p, const EventT<V>* end) : p_(p), end_(end) { skip(); }
    reference operator*() const { return *p_; }
    pointer operator->() const { return p_; }
    Iterator& operator++() {
      ++p_;
      skip();
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Iterator& o) const { return p_ == o.p_; }

   private:
    void skip() {
      while (p_ != end_ && !static_cast<bool>(p_->guard)) ++p_;
    }
    const EventT<V>* p_ = nullptr;
    const EventT<V>* end_ = nullptr;
  };
  Iterator begin() const { return Iterator(events, events + n); }
  Iterator end() const { return Iterator(events + n, events + n); }
};
using EventLog = EventLogT<Plain>;

}  // namespace gup
