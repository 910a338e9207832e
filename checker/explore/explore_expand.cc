// Expanding one state: successors, property checks, symmetry, sleep sets
// and insertion into the seen set (docs/internals-explore.md).
#include <atomic>
#include <cstring>

#include "checker/core/coverage.h"
#include "checker/explore/explore_hash.h"
#include "checker/explore/explore_search_impl.h"

namespace gup::explore {

namespace {
uint8_t step_bit(Step s) {
  return uint8_t(1u << encode_step(s));
}

// Sleep bits of concrete tasks renamed to the canonical tasks: canonical
// task k is concrete task task_of[k].
uint8_t rename_sleep(uint8_t sleep, const uint8_t* task_of) {
  uint8_t out = 0;
  for (int k = 0; k < kMaxTasks; k++) out |= uint8_t(((sleep >> (2 * task_of[k])) & 3) << (2 * k));
  return out;
}
}  // namespace

bool Search::check(Worker& w, const State* before, Step step, const State& after, uint32_t from) {
  Transition tr{before, step, before ? &w.ev : nullptr, after};
  for (size_t p = 0; p < props_.size(); p++) {
    if (props_[p]->holds(tr, cfg_)) continue;
    std::lock_guard<std::mutex> lock(found_mu_);
    if (!stop_.load()) {
      out_.stop = Stop::kViolation;
      out_.from = from;
      out_.step = step;
      out_.property = int(p);
      stop_.store(true);
    }
    return false;
  }
  return true;
}

bool Search::enabled_in(Worker& w, const State& s, Step step) {
  enabled_steps(s, cfg_, w.probe);
  for (Step x : w.probe)
    if (x == step) return true;
  return false;
}

// Sleep set of the successor by step b (index b of w.steps): the members
// of `candidates` (steps of this state, by bit) that commute with b here,
// checked on the concrete states: both orders enabled and the same state.
uint8_t Search::child_sleep(Worker& w, int b, uint8_t candidates) {
  uint8_t out = 0;
  const Step sb = w.steps.steps[b];
  State ab, ba;
  for (int a = 0; a < w.steps.n; a++) {
    const Step sa = w.steps.steps[a];
    if (!(candidates & step_bit(sa)) || sa.task == sb.task) continue;
    if (!enabled_in(w, w.succ[a], sb) || !enabled_in(w, w.succ[b], sa)) continue;
    ab = w.succ[a];
    apply(ab, cfg_, sb);
    ba = w.succ[b];
    apply(ba, cfg_, sa);
    if (ab == ba) out |= step_bit(sa);
  }
  return out;
}

// A new state: its parent link, and a place in the next level.
void Search::store_fresh(Worker& w, const uint32_t* entry, uint32_t parent, Step step, uint64_t fp,
                         uint8_t sleep, uint64_t key) {
  if (w.id_next == w.id_end) {
    w.id_next = next_id_.fetch_add(kIdBlock, std::memory_order_relaxed);
    w.id_end = w.id_next + kIdBlock;
  }
  uint32_t id = w.id_next++;
  out_.arena.parent[id] = parent;
  out_.arena.step[id] = encode_step(step);
  if (sym_) out_.arena.fp[id] = fp;
  w.fresh++;
  Level& o = w.out;
  o.data.push(entry, entry_words_);
  o.ids.push_back(id);
  o.todo.push_back(0xff);
  if (por_) {
    o.sleep.push_back(sleep);
    o.keys.push_back(key);
  }
  o.n++;
}

// The lookups of the batch staged one expansion ago, whose buckets have
// had that long to arrive in the cache.
void Search::flush_ready(Worker& w) {
  Batch& b = w.ready;
  for (int k = 0; k < b.n; k++) {
    FingerprintSet::Result r = fps_->insert(b.fp[k]);
    w.compared += r.compared;
    if (r.fresh)
      store_fresh(w, b.words.data() + k * words_, b.parent[k], decode_step(b.step[k]), b.fp[k], 0,
                  0);
  }
  b.n = 0;
}

void Search::add_successor(Worker& w, const State& t, uint32_t parent, Step step, uint8_t sleep) {
  const State* c = &t;
  if (sym_) {
    sym_->canonicalize(t, w.canon, w.task_of);
    if (!(w.canon == t)) w.moved++;
    c = &w.canon;
    if (por_) sleep = rename_sleep(sleep, w.task_of);
  }
  if (fps_) {
    Batch& b = w.staged;
    uint32_t* words = b.words.data() + b.n * words_;
    packer_.pack(*c, reinterpret_cast<uint8_t*>(words));
    uint64_t fp = hash_words(reinterpret_cast<const uint8_t*>(words), words_ * 4, kFingerprintSeed);
    fps_->prefetch(fp);
    b.fp[b.n] = fp;
    b.parent[b.n] = parent;
    b.step[b.n] = encode_step(step);
    b.n++;
    return;
  }
  uint32_t* words = w.succ_words.data();
  packer_.pack(*c, reinterpret_cast<uint8_t*>(words));
  uint64_t fp = 0;
  if (!exact_ || sym_)
    fp = hash_words(reinterpret_cast<const uint8_t*>(words), words_ * 4, kFingerprintSeed);
  uint64_t key =
      exact_ ? tree_.encode_from(words, w.parent, nodes_, w.ids, w.succ_vals.data()) : fp;
  KeySet::Inserted ins = set_.insert_slot(key);
  const uint32_t* entry = exact_ ? w.succ_vals.data() : words;
  if (ins.fresh) {
    store_fresh(w, entry, parent, step, fp, sleep, key);
    // Threads that meet the state again spin until this is published.
    if (por_) std::atomic_ref<uint64_t>(*ins.aux).store(aux::make(w.out.ids.back(), sleep));
    return;
  }
  if (!por_) return;
  // Met again: its sleep set becomes the intersection, and steps that
  // left the set are expanded now if the state was expanded already.
  std::atomic_ref<uint64_t> a(*ins.aux);
  uint64_t old;
  while (!((old = a.load()) & aux::kValid)) {
  }
  old = a.fetch_and(~(uint64_t(uint8_t(~sleep)) << 32));
  uint8_t delta = uint8_t(aux::sleep(old) & ~sleep);
  if (!delta || !(old & aux::kExpanded)) return;
  w.reexpanded++;
  Level& o = w.out;
  o.data.push(entry, entry_words_);
  o.ids.push_back(aux::id(old));
  o.todo.push_back(delta);
  o.sleep.push_back(uint8_t(aux::sleep(old) & sleep));
  o.keys.push_back(key);
  o.n++;
}

void Search::expand(Worker& w, size_t i) {
  size_t seg = 0;
  while (i >= seg_start_[seg + 1]) seg++;
  const Level& l = cur_[seg];
  i -= seg_start_[seg];
  const uint32_t* entry = l.data[i];
  const uint32_t id = l.ids[i];
  packer_.unpack(reinterpret_cast<const uint8_t*>(entry), w.st);
  if (exact_) w.parent = entry;
  uint8_t todo = l.todo[i], sleep = 0;
  if (por_) {
    if (todo == 0xff) {
      std::atomic_ref<uint64_t> a(*set_.find_aux(l.keys[i]));
      sleep = aux::sleep(a.fetch_or(aux::kExpanded));
    } else {
      sleep = l.sleep[i];
    }
  }
  enabled_steps(w.st, cfg_, w.steps);
  coverage::Map* const cov = opts_.coverage;  // `gupcheck coverage` only
  uint8_t done = 0;
  for (int k = 0; k < w.steps.n; k++) {
    const Step s = w.steps.steps[k];
    State& t = w.succ[k];
    t = w.st;
    apply(t, cfg_, s, &w.ev);
    if (cov) cov->record(w.st, cfg_, s, t);
    w.transitions++;
    // Asleep transitions are still checked: a step relation judges the
    // transition itself, which no other path repeats.
    if (!check(w, &w.st, s, t, id)) return;
  }
  for (int k = 0; k < w.steps.n; k++) {
    const Step s = w.steps.steps[k];
    if (!(todo & step_bit(s)) || (sleep & step_bit(s))) {
      w.skipped++;
      continue;
    }
    uint8_t child = por_ ? child_sleep(w, k, uint8_t(sleep | done)) : 0;
    add_successor(w, w.succ[k], id, s, child);
    done |= step_bit(s);
  }
  if (fps_ && w.staged.n >= kBatch) {
    flush_ready(w);
    std::swap(w.staged, w.ready);
  }
}

}  // namespace gup::explore
