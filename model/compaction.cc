// Compaction of one folio: mm/compaction.c: isolate_migratepages_block(),
// then mm/migrate.c: migrate_pages(MR_COMPACTION) and
// putback_movable_pages() (6.12).
//
// Contract: the folio is isolated only if it is on the LRU and, when it has
// no mapping (anon outside the swap cache), its refcount does not exceed
// its mapcount: the racy "pinned, don't bother" check. Once isolated,
// migration moves it to a free folio (compaction_alloc()) unless
// migrate_folio_unmap() refuses a maybe-pinned exclusive page or
// migrate_folio_move() sees an unexpected reference; a folio that was not
// moved goes back to the LRU. hugetlb folios are skipped (compaction for a
// small order), secretmem folios (inaccessible mapping) too. Large folios
// are not skipped: the model's compaction is /proc/sys/vm/compact_memory
// (order -1).
//
// Atomic sections: (1) the isolation; (2) migrate_folio_unmap(); (3)
// migrate_folio_move(); (4) putback_movable_pages() if the folio is still
// isolated. One attempt (migrate.cc folds the retry passes).
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace compaction_sections;

// isolate_migratepages_block()'s tests for one folio (!cc->alloc_contig).
bool isolate_migratepages_block(State& s, int idx) {
  GUP_OVERRIDABLE(isolate_migratepages_block, s, idx);
  Folio& f = s.folios[idx];
  if (f.is_free() || f.kind == FolioKind::kHugetlb || f.kind == FolioKind::kSecretmem) return false;
  if (!f.test(kLru)) return false;
  // folio_mapping(): NULL for anon outside the swap cache. The kernel tests
  // refcount - 1 > mapcount after its own folio_get_nontail_page().
  bool mapping = folio_test_anon(f) ? f.test(kSwapcache) : f.test(kMapping);
  if (!mapping && f.refcount > f.mapcount) return false;
  return folio_isolate_lru(s, idx);
}

int compact_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(compact_choices, s, cfg, ti);
  return s.tasks[ti].pc == kPcMigrate ? migrate_pages_choices(s, cfg, ti) : 1;
}

void after_migrate(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(after_migrate, s, c);
  Task& t = task(s, c);
  if (t.isolated) {
    t.pc = kPcPutback;
    return;
  }
  finish_op(s, c);
}

void compact_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(compact_step, s, c);
  Task& t = task(s, c);
  int idx = cur_op(s, c.cfg, c.task).folio;
  switch (int(t.pc)) {
    case kPcIsolate:
      if (!isolate_migratepages_block(s, idx)) return finish_op(s, c);
      t.isolated = 1u << idx;
      t.failed = 0;
      t.target = kNoFolio;
      t.pc = kPcMigrate;
      return;
    case kPcMigrate:
      if (migrate_pages_step(s, c, MigrateReason::kCompaction)) after_migrate(s, c);
      return;
    default:
      putback_movable_pages(s, c);
      finish_op(s, c);
  }
}

#if !GUP_SYMBOLIC
void compact_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  int idx = cur_op(s, cfg, ti).folio;
  std::snprintf(out.args, sizeof out.args, "folio %d", idx);
  switch (int(t.pc)) {
    case kPcIsolate:
      out.function = "isolate_migratepages_block";
      out.source = "mm/compaction.c";
      return;
    case kPcMigrate:
      return migrate_pages_info(t, out);
    default:
      out.function = "putback_movable_pages";
      out.source = "mm/migrate.c";
  }
}
#endif

const OpImpl kOpCompact{compact_choices, compact_step, GUP_INFO(compact_info)};

}  // namespace kernel
GUP_DOMAIN_END
