// The ghost ledger (properties/ledger.h) against hand-built states and
// against random walks of the model, the latter driven by RapidCheck.
#include "properties/ledger.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "model/config_builder.h"
#include "model/model.h"

namespace gup {
namespace {

constexpr uint32_t kLongtermWrite = FOLL_WRITE | FOLL_LONGTERM;

// One anon VMA over [0, 2), a small folio (in an lru_add batch) mapped
// writable at 0, a large
// folio mapped at 1 (page 0), and a task that pins both.
Config small_and_large() {
  ConfigBuilder b("ledger");
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, VM_READ | VM_WRITE);
  FolioSpec queued;
  queued.lru_batch_cpu = 0;  // waiting in CPU 0's lru_add batch
  int small = b.add_folio(queued);
  FolioSpec large;
  large.order = 1;
  int big = b.add_folio(large);
  b.map(0, 0, small, 0, true);
  b.map(0, 1, big, 0, true);
  b.add_task({pin_user_pages(0, 0, 2, FOLL_WRITE), unpin_user_pages()});
  return b.build();
}

void expect_ledger_matches(const State& s, const Config& cfg) {
  Ledger l;
  compute_ledger(s, cfg, l);
  for (int i = 0; i < cfg.nr_folios; i++) {
    const Folio& f = s.folios[i];
    if (f.is_free() || is_zero_folio(f)) continue;
    EXPECT_EQ(f.refcount, l.folios[i].refs) << "folio " << i;
    EXPECT_EQ(f.pincount, folio_has_pincount(f) ? l.folios[i].pins : 0) << "folio " << i;
    EXPECT_EQ(f.mapcount, l.folios[i].maps) << "folio " << i;
  }
}

TEST(Ledger, MappingAndLruBatchOfInitialState) {
  Config cfg = small_and_large();
  Ledger l;
  compute_ledger(cfg.initial, cfg, l);
  // The small folio sits in an lru_add batch: its mapping and the batch.
  EXPECT_EQ(l.folios[0].refs, 2);
  EXPECT_EQ(l.folios[0].maps, 1);
  // The large folio goes straight to the LRU: only the mapping.
  EXPECT_EQ(l.folios[1].refs, 1);
  expect_ledger_matches(cfg.initial, cfg);
}

TEST(Ledger, PinOfSmallFolioCountsBiasLargeFolioCountsPincount) {
  Config cfg = small_and_large();
  State s = cfg.initial;
  Ledger before;
  compute_ledger(s, cfg, before);
  // Run task 0 until its pin_user_pages() call returns.
  while (!(s.tasks[0].ghost & kGhostReturned)) {
    StepBuffer buf;
    enabled_steps(s, cfg, buf);
    ASSERT_GT(buf.n, 0);
    apply(s, cfg, buf.steps[0]);
  }
  ASSERT_EQ(s.tasks[0].ret, 2);
  Ledger after;
  compute_ledger(s, cfg, after);
  EXPECT_EQ(after.folios[0].refs - before.folios[0].refs, kGupPinCountingBias);
  EXPECT_EQ(after.folios[0].pins, 0);
  EXPECT_EQ(after.folios[1].refs - before.folios[1].refs, 1);
  EXPECT_EQ(after.folios[1].pins, 1);
  EXPECT_EQ(after.folios[0].pin_refs, 1);
  expect_ledger_matches(s, cfg);
  // The call that produced pages[] is found after it returned.
  int pos = -1;
  const Op* call = pages_call(s, cfg, 0, &pos);
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(pos, 0);
  EXPECT_EQ(call->kind, OpKind::kPinUserPages);
}

TEST(Ledger, EntryArithmetic) {
  Folio small{}, large{}, zero{};
  large.order = 1;
  zero.kind = FolioKind::kZeroPage;
  EXPECT_EQ(entry_refs(small, PageRef::kPin), kGupPinCountingBias);
  EXPECT_EQ(entry_pins(small, PageRef::kPin), 0);
  EXPECT_EQ(entry_refs(large, PageRef::kPin), 1);
  EXPECT_EQ(entry_pins(large, PageRef::kPin), 1);
  EXPECT_EQ(entry_refs(small, PageRef::kGet), 1);
  EXPECT_EQ(entry_refs(zero, PageRef::kPin), 0);
}

TEST(Ledger, IsolatedCmaPageblockJudgedByItsTypeBefore) {
  Folio f{};
  f.migratetype = Migratetype::kIsolate;
  f.saved_mt = Migratetype::kCma;
  EXPECT_FALSE(pinnable_before_isolation(f));
  EXPECT_TRUE(must_stay_migratable(f));
  f.saved_mt = Migratetype::kMovable;
  EXPECT_TRUE(pinnable_before_isolation(f));
  EXPECT_FALSE(must_stay_migratable(f));
}

TEST(Ledger, EveryBuiltinInitialStateIsExplained) {
  for (const char* const* n = builtin_config_names(); *n; n++) {
    SCOPED_TRACE(*n);
    Config cfg = builtin_config(*n, base_variant());
    expect_ledger_matches(cfg.initial, cfg);
  }
}

// Random sequences of enabled steps (each number picks one of the steps
// enabled at that point) never make a count negative and keep the ledger
// equal to refcount, pincount and mapcount, on every built-in
// configuration of the base model.
RC_GTEST_PROP(Ledger, RandomWalksKeepCountsExplained, ()) {
  std::vector<std::string> names;
  for (const char* const* n = builtin_config_names(); *n; n++) names.push_back(*n);
  const std::string name = *rc::gen::elementOf(names);
  const auto picks = *rc::gen::container<std::vector<uint32_t>>(rc::gen::arbitrary<uint32_t>());
  Config cfg = builtin_config(name, base_variant());
  State s = cfg.initial;
  for (uint32_t pick : picks) {
    StepBuffer buf;
    enabled_steps(s, cfg, buf);
    if (buf.n == 0) break;
    apply(s, cfg, buf.steps[pick % uint32_t(buf.n)]);
    Ledger l;
    compute_ledger(s, cfg, l);
    for (int i = 0; i < cfg.nr_folios; i++) {
      const Folio& f = s.folios[i];
      RC_ASSERT(f.refcount >= 0);
      RC_ASSERT(f.pincount >= 0);
      RC_ASSERT(f.mapcount >= 0);
      if (f.is_free() || is_zero_folio(f)) continue;
      RC_ASSERT(f.refcount == l.folios[i].refs);
      RC_ASSERT(f.pincount == (folio_has_pincount(f) ? l.folios[i].pins : 0));
      RC_ASSERT(f.mapcount == l.folios[i].maps);
    }
  }
}

}  // namespace
}  // namespace gup
