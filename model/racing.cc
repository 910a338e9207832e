// Helpers shared by the racing operations (model/racing.h).
#include "model/racing.h"

#include <cstdio>

#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

void mmap_read_lock(Mm& m, Task& t) {
  GUP_OVERRIDABLE(mmap_read_lock, m, t);
  m.mmap_lock++;
  t.locked = 1;
}

void mmap_read_unlock(Mm& m, Task& t) {
  GUP_OVERRIDABLE(mmap_read_unlock, m, t);
  m.mmap_lock--;
  t.locked = 0;
}

void mmap_write_lock(Mm& m, Task& t) {
  GUP_OVERRIDABLE(mmap_write_lock, m, t);
  m.mmap_lock = -1;
  t.locked = 2;
}

void mmap_write_unlock(Mm& m, Task& t) {
  GUP_OVERRIDABLE(mmap_write_unlock, m, t);
  m.mmap_lock = 0;
  t.locked = 0;
}

bool folio_test_locked(const State& s, const Config& cfg, int folio) {
  GUP_OVERRIDABLE(folio_test_locked, s, cfg, folio);
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& task = s.tasks[t];
    if (task.script_pos >= cfg.script_len[t]) continue;
    // Between migrate_folio_unmap() and migrate_folio_move() the target is
    // allocated and the source is the next folio to migrate.
    if (task.target != kNoFolio && next_folio_to_migrate(task) == folio) return true;
    if (shrink_folio_list_holds_lock(s, cfg, t, folio)) return true;
  }
  return false;
}

bool find_folio_pte(const State& s, const Config& cfg, int folio, int from, int* mm, int* addr) {
  GUP_OVERRIDABLE(find_folio_pte, s, cfg, folio, from, mm, addr);
  for (int pos = from; pos < cfg.nr_mms * kMaxAddrs; pos++) {
    const Pte& pte = s.mms[pos / kMaxAddrs].ptes[pos % kMaxAddrs];
    if (pte.present() && pte.folio == folio) {
      *mm = pos / kMaxAddrs;
      *addr = pos % kMaxAddrs;
      return true;
    }
  }
  return false;
}

bool migrate_pages_step(State& s, const Ctx& c, MigrateReason why) {
  GUP_OVERRIDABLE(migrate_pages_step, s, c, why);
  Task& t = task(s, c);
  if (t.target != kNoFolio) {
    migrate_folio_move(s, c, int(t.j));
  } else {
    int idx = next_folio_to_migrate(t);
    if (migrate_folio_unmap(s, c, idx, why) == 0) {
      t.j = idx;
      return false;  // the move is the next section
    }
  }
  return next_folio_to_migrate(t) == kNoFolio;
}

int migrate_pages_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(migrate_pages_choices, s, cfg, ti);
  const Task& t = s.tasks[ti];
  if (t.target != kNoFolio) return 1;
  return cfg.inject_alloc_failure && migrate_unmap_allocates(s, next_folio_to_migrate(t)) ? 2 : 1;
}

#if !GUP_SYMBOLIC
void migrate_pages_info(const Task& t, StepInfo& out) {
  out.source = "mm/migrate.c";
  if (t.target != kNoFolio) {
    out.function = "migrate_folio_move";
    std::snprintf(out.args, sizeof out.args, "folio %d -> folio %d", t.j, t.target);
    return;
  }
  out.function = "migrate_folio_unmap";
  std::snprintf(out.args, sizeof out.args, "folio %d", next_folio_to_migrate(t));
  out.choice = "target allocation fails";
}
#endif

}  // namespace kernel
GUP_DOMAIN_END
