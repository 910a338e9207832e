#include "checker/explore/explore_seen.h"

#include <immintrin.h>

#include <atomic>

#include "checker/explore/explore_hash.h"

namespace gup::explore {

namespace {
constexpr uint32_t kIdBlock = 4096;

uint64_t grown_log2(uint64_t capacity, uint64_t needed, double max_load) {
  uint64_t cap = capacity;
  while (static_cast<double>(needed) > max_load * static_cast<double>(cap)) cap <<= 1;
  return cap;
}
}  // namespace

// ---- KeySet ----

KeySet::KeySet(int log2_capacity, bool aux)
    : mem_(sizeof(uint64_t) << log2_capacity),
      aux_(aux ? sizeof(uint64_t) << log2_capacity : 0),
      mask_((uint64_t{1} << log2_capacity) - 1) {}

uint64_t KeySet::probe(uint64_t* s, uint64_t mask, uint64_t key, bool* fresh) {
  for (uint64_t i = mix64(key) & mask;; i = (i + 1) & mask) {
    std::atomic_ref<uint64_t> slot(s[i]);
    uint64_t cur = slot.load(std::memory_order_relaxed);
    if (cur == 0) {
      if (slot.compare_exchange_strong(cur, key, std::memory_order_acq_rel)) {
        *fresh = true;
        return i;
      }
    }
    if (cur == key) {
      *fresh = false;
      return i;
    }
  }
}

KeySet::Inserted KeySet::insert_slot(uint64_t key) {
  bool fresh;
  uint64_t i = probe(slots(), mask_, stored(key), &fresh);
  return Inserted{fresh, aux_.size() ? auxes() + i : nullptr};
}

uint64_t* KeySet::find_aux(uint64_t key) const {
  key = stored(key);
  for (uint64_t i = mix64(key) & mask_;; i = (i + 1) & mask_) {
    uint64_t cur = std::atomic_ref<uint64_t>(slots()[i]).load(std::memory_order_acquire);
    if (cur == key) return aux_.size() ? auxes() + i : nullptr;
    if (cur == 0) return nullptr;
  }
}

bool KeySet::contains(uint64_t key) const {
  key = stored(key);
  for (uint64_t i = mix64(key) & mask_;; i = (i + 1) & mask_) {
    uint64_t cur = std::atomic_ref<uint64_t>(slots()[i]).load(std::memory_order_relaxed);
    if (cur == key) return true;
    if (cur == 0) return false;
  }
}

bool KeySet::reserve(uint64_t incoming, uint64_t max_bytes) {
  uint64_t cap = grown_log2(capacity(), size_ + incoming, kMaxLoad);
  if (cap == capacity()) return true;
  uint64_t per_slot = sizeof(uint64_t) * (aux_.size() ? 2 : 1);
  if (max_bytes && cap * per_slot > max_bytes) return false;
  ZeroedBytes mem(cap * sizeof(uint64_t));
  ZeroedBytes aux(aux_.size() ? cap * sizeof(uint64_t) : 0);
  auto* to = static_cast<uint64_t*>(mem.data());
  for (uint64_t i = 0; i <= mask_; i++) {
    if (!slots()[i]) continue;
    bool fresh;
    uint64_t j = probe(to, cap - 1, slots()[i], &fresh);
    if (aux.size()) static_cast<uint64_t*>(aux.data())[j] = auxes()[i];
  }
  mem_ = std::move(mem);
  aux_ = std::move(aux);
  mask_ = cap - 1;
  return true;
}

// ---- NodeTable ----

NodeTable::NodeTable(int log2_capacity)
    : mem_(sizeof(Slot) << log2_capacity), mask_((uint64_t{1} << log2_capacity) - 1) {}

uint32_t NodeTable::new_id(IdBlock& ids) {
  if (ids.next == ids.end) {
    ids.next = next_id_.fetch_add(kIdBlock);
    ids.end = ids.next + kIdBlock;
  }
  ids.fresh++;
  return ids.next++;
}

uint32_t NodeTable::intern(uint64_t key, IdBlock& ids) {
  if (key == ~uint64_t{0}) {  // key + 1 would read as an empty slot
    uint32_t id = max_key_id_.load();
    if (id) return id;
    uint32_t mine = new_id(ids);
    if (max_key_id_.compare_exchange_strong(id, mine)) return mine;
    return id;
  }
  uint64_t stored = key + 1;
  Slot* s = slots();
  for (uint64_t i = mix64(key) & mask_;; i = (i + 1) & mask_) {
    std::atomic_ref<uint64_t> k(s[i].key);
    uint64_t cur = k.load(std::memory_order_acquire);
    if (cur == 0) {
      if (k.compare_exchange_strong(cur, stored, std::memory_order_acq_rel)) {
        uint32_t id = new_id(ids);
        std::atomic_ref<uint32_t>(s[i].id).store(id, std::memory_order_release);
        return id;
      }
    }
    if (cur == stored) {
      std::atomic_ref<uint32_t> idref(s[i].id);
      uint32_t id;
      while ((id = idref.load(std::memory_order_acquire)) == 0) _mm_pause();
      return id;
    }
  }
}

bool NodeTable::reserve(uint64_t incoming, uint64_t max_bytes) {
  uint64_t cap = grown_log2(capacity(), size_ + incoming, kMaxLoad);
  if (cap == capacity()) return true;
  if (max_bytes && cap * sizeof(Slot) > max_bytes) return false;
  ZeroedBytes mem(cap * sizeof(Slot));
  auto* to = static_cast<Slot*>(mem.data());
  for (uint64_t i = 0; i <= mask_; i++) {
    const Slot& from = slots()[i];
    if (!from.key) continue;
    uint64_t j = mix64(from.key - 1) & (cap - 1);
    while (to[j].key) j = (j + 1) & (cap - 1);
    to[j] = from;
  }
  mem_ = std::move(mem);
  mask_ = cap - 1;
  return true;
}

}  // namespace gup::explore
