// The level-synchronous search loop: rounds, levels, threads and budgets
// (explore_search.h). Expansion of one state is in explore_expand.cc.
#include <fmt/format.h>

#include <algorithm>
#include <barrier>
#include <thread>

#include "checker/explore/explore_mem.h"
#include "checker/explore/explore_search_impl.h"

namespace gup::explore {

namespace {
constexpr size_t kChunk = 32;          // states a thread takes at once
constexpr size_t kRoundMax = 1 << 15;  // states of one round at most
constexpr size_t kRoundMin = 1 << 10;  // tables grow when a round would be smaller
constexpr int kInitialLog2 = 14;

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

void Level::clear() {
  data.clear();
  ids.clear();
  todo.clear();
  sleep.clear();
  keys.clear();
  n = 0;
}

uint64_t Level::bytes() const {
  return data.bytes() + ids.capacity() * 4 + todo.capacity() + sleep.capacity() +
         keys.capacity() * 8;
}

Search::Search(const Config& cfg, std::span<const Property* const> props, const EngineOptions& opts)
    : cfg_(cfg),
      props_(props),
      opts_(opts),
      packer_(cfg),
      words_(packer_.size() / 4),
      exact_(!opts.compact),
      por_(opts.por),
      tree_(int(std::max<size_t>(words_, 4))),
      set_(kInitialLog2, opts.por),
      nodes_(exact_ ? kInitialLog2 : 1) {
  if (words_ < 4) words_ = 4;  // the tree wants two node ids on top
  entry_words_ = exact_ ? size_t(tree_.vals_size()) : words_;
  // --table: fixed 40-bit buckets; otherwise 64-bit fingerprints in set_,
  // which grows with the search.
  if (!exact_ && !por_ && opts.table_bytes)
    fps_ = std::make_unique<FingerprintSet>(opts.table_bytes);
  if (opts.symmetry) {
    sym_ = std::make_unique<Symmetry>(cfg);
    if (sym_->trivial()) sym_.reset();
  }
  int jobs = std::clamp(opts.jobs, 1, 64);
  for (int i = 0; i < jobs; i++) {
    auto w = std::make_unique<Worker>();
    w->parent_vals.resize(tree_.vals_size());
    w->succ_vals.resize(tree_.vals_size());
    w->succ_words.resize(words_);
    w->staged.words.resize(words_ * Batch::kCap);
    w->ready.words.resize(words_ * Batch::kCap);
    workers_.push_back(std::move(w));
  }
}

// The initial state: checked, canonicalised and stored as id 0, depth 0.
void Search::start() {
  Worker& w = *workers_[0];
  const State& init = cfg_.initial;
  if (!check(w, nullptr, Step{}, init, kNoParent)) {
    done_ = true;
    return;
  }
  out_.arena.parent.resize(1);
  out_.arena.step.resize(1);
  if (sym_) out_.arena.fp.resize(1);
  // add_successor() stores it with parent kNoParent; the tree of the
  // "parent" is the initial state's own.
  State start = init;
  if (sym_) sym_->canonicalize(init, start, w.task_of);
  packer_.pack(start, reinterpret_cast<uint8_t*>(w.succ_words.data()));
  if (exact_) tree_.encode(w.succ_words.data(), nodes_, w.ids, w.parent_vals.data());
  w.parent = w.parent_vals.data();
  add_successor(w, init, kNoParent, Step{}, 0);
  if (fps_) {
    std::swap(w.staged, w.ready);
    flush_ready(w);
  }
  out_.arena.step[0] = 0xff;
  collect(w);
  finish_level();
}

// Adds a worker's counters and new states to the totals and the next level.
void Search::collect(Worker& w) {
  out_.transitions += w.transitions;
  out_.canonical_moved += w.moved;
  out_.sleep_skipped += w.skipped;
  out_.compared += w.compared;
  out_.reexpanded += w.reexpanded;
  if (!fps_) set_.add(w.fresh);
  stored_ += w.fresh;
  nodes_.add(w.ids.fresh);
  if (fps_) fps_->add(w.fresh);
  w.transitions = w.fresh = w.moved = w.skipped = w.reexpanded = w.compared = w.ids.fresh = 0;
}

// The level is done: the new states become the next level.
void Search::finish_level() {
  // The expanded level's buffers become the threads' output buffers, so
  // their memory is reused rather than faulted in again.
  uint64_t before = 0, after = 0;
  for (const Level& l : cur_) before += l.bytes();
  cur_.resize(workers_.size());
  seg_start_ = {0};
  for (size_t i = 0; i < workers_.size(); i++) {
    Worker& w = *workers_[i];
    after += w.out.bytes();
    seg_start_.push_back(seg_start_.back() + w.out.n);
    std::swap(cur_[i], w.out);
    w.out.clear();
  }
  out_.frontier_bytes = std::max(out_.frontier_bytes, before + after);
  level_n_ = seg_start_.back();
  level_pos_ = 0;
  if (level_n_ == 0) {
    done_ = true;
    return;
  }
  out_.depth = levels_++;
  if (opts_.progress)
    fmt::print(stderr, "explore: depth {} states {} transitions {} frontier {} ({:.1f} s)\n",
               out_.depth, stored_, out_.transitions, level_n_, since(t0_));
}

bool Search::over_budget() {
  auto stop = [&](const char* why) {
    out_.stop = Stop::kBudget;
    out_.budget = why;
    return true;
  };
  if (opts_.max_states && stored_ >= opts_.max_states) return stop("--max-states");
  if (opts_.time_limit > 0 && since(t0_) >= opts_.time_limit) return stop("--time");
  if (opts_.max_memory && resident_bytes() >= opts_.max_memory) return stop("--max-memory");
  if (opts_.max_depth && level_pos_ == 0 && out_.depth >= opts_.max_depth)
    return stop("--max-depth");
  return false;
}

// Leader, between rounds: collect, move on to the next level when this one
// is done, check budgets, and make room in the tables for the next round.
// False when the search ends.
bool Search::plan_round() {
  for (auto& w : workers_) collect(*w);
  out_.rounds++;
  // Every id below the threads' open blocks has its link written: whole
  // chunks of them go to disk (explore_chunked.h).
  uint32_t written = next_id_.load();
  for (auto& w : workers_)
    if (w->id_next != w->id_end) written = std::min(written, w->id_next);
  out_.arena.spill_below(written);
  if (stop_.load()) return false;
  if (level_pos_ >= level_n_) {
    finish_level();
    if (done_) return false;
  }
  if (over_budget()) return false;
  // Successors of one state at most, and tree nodes they may create: the
  // tables must not fill during a round, so a round is cut to what their
  // headroom allows, and they grow (doubling at least) when that falls
  // below kRoundMin states.
  const uint64_t per_state = uint64_t(cfg_.nr_tasks) * kMaxChoices;
  const uint64_t node_per_state = exact_ ? per_state * tree_.nodes() : 0;
  auto headroom = [](uint64_t cap, uint64_t size, uint64_t per) {
    uint64_t limit = uint64_t(KeySet::kMaxLoad * double(cap));
    return per == 0 ? UINT64_MAX : (limit > size ? (limit - size) / per : 0);
  };
  const uint64_t want = std::min<uint64_t>(level_n_ - level_pos_, kRoundMin);
  uint64_t mem_left = 0;
  if (opts_.max_memory) {
    uint64_t rss = resident_bytes();
    mem_left = opts_.max_memory > rss ? opts_.max_memory - rss : 1;
  }
  if (fps_) {
    // The fingerprint table cannot grow; one state's successors must fit.
    if (fps_->headroom() < per_state) {
      out_.stop = Stop::kBudget;
      out_.budget = "--table (the fingerprint table is full)";
      return false;
    }
  }
  bool grown = true;
  if (!fps_ && headroom(set_.capacity(), set_.size(), per_state) < want)
    grown = set_.reserve(std::max(want * per_state, set_.size()), mem_left);
  if (grown && headroom(nodes_.capacity(), nodes_.size(), node_per_state) < want)
    grown = nodes_.reserve(std::max(want * node_per_state, nodes_.size()), mem_left);
  if (!grown) {
    out_.stop = Stop::kBudget;
    out_.budget = "--max-memory";
    return false;
  }
  size_t r = std::min<uint64_t>(
      {level_n_ - level_pos_, kRoundMax,
       fps_ ? fps_->headroom() / per_state : headroom(set_.capacity(), set_.size(), per_state),
       headroom(nodes_.capacity(), nodes_.size(), node_per_state)});
  if (exact_ && !nodes_.ids_left()) {
    out_.stop = Stop::kBudget;
    out_.budget = "node ids (2^32)";
    return false;
  }
  uint64_t need = next_id_.load() + r * per_state + workers_.size() * kIdBlock;
  if (need >= kNoParent) {
    out_.stop = Stop::kBudget;
    out_.budget = "state ids (2^32)";
    return false;
  }
  Arena& a = out_.arena;
  if (a.parent.size() < need) {
    a.parent.resize(need);
    a.step.resize(need);
    if (sym_) a.fp.resize(need);
  }
  cursor_.store(level_pos_);
  round_end_ = level_pos_ + r;
  level_pos_ = round_end_;
  return true;
}

void Search::work(int wi) {
  Worker& w = *workers_[wi];
  for (;;) {
    size_t i = cursor_.fetch_add(kChunk);
    if (i >= round_end_) {
      if (fps_) {
        flush_ready(w);
        std::swap(w.staged, w.ready);
        flush_ready(w);
      }
      return;
    }
    size_t end = std::min(i + kChunk, round_end_);
    for (; i < end; i++) {
      if (stop_.load(std::memory_order_relaxed)) return;
      expand(w, i);
    }
  }
}

SearchOutcome Search::run() {
  t0_ = std::chrono::steady_clock::now();
  start();
  if (!done_ && !stop_.load()) {
    int jobs = int(workers_.size());
    bool go = plan_round();
    if (jobs == 1) {
      while (go) {
        work(0);
        go = plan_round();
      }
    } else {
      // Phase 1: all threads expand the round; phase 2: thread 0 plans the
      // next one while the others wait at the barrier.
      std::barrier sync(jobs);
      std::atomic<bool> running{go};
      auto loop = [&](int wi) {
        for (;;) {
          sync.arrive_and_wait();
          if (!running.load()) return;
          work(wi);
          sync.arrive_and_wait();
          if (wi == 0) running.store(plan_round());
        }
      };
      std::vector<std::thread> threads;
      for (int i = 1; i < jobs; i++) threads.emplace_back(loop, i);
      loop(0);
      for (auto& t : threads) t.join();
    }
  }
  out_.seconds = since(t0_);
  for (auto& w : workers_) collect(*w);  // a violation ends a round early
  out_.states = stored_;
  out_.arena.parent.resize(next_id_.load());
  out_.arena.step.resize(next_id_.load());
  if (sym_) out_.arena.fp.resize(next_id_.load());
  out_.set_bytes = fps_ ? fps_->bytes() : set_.bytes();
  out_.table_capacity = fps_ ? fps_->capacity() : 0;
  out_.node_bytes = exact_ ? nodes_.bytes() : 0;
  out_.nodes = exact_ ? nodes_.size() : 0;
  return std::move(out_);
}

SearchOutcome search(const Config& cfg, std::span<const Property* const> props,
                     const EngineOptions& opts) {
  return Search(cfg, props, opts).run();
}

}  // namespace gup::explore
