// Truncate / hole punch of one page-cache folio: mm/truncate.c:
// truncate_inode_folio() -> unmap_mapping_folio() (even_cows = 0),
// truncate_cleanup_folio() (folio_cancel_dirty()), filemap_remove_folio()
// (6.12).
//
// Contract: every PTE that maps the page-cache folio goes (private COW
// copies are other folios and survive), the dirty bit is cancelled, the
// folio leaves the page cache and its nr_pages cache references are
// dropped, which frees it unless something else holds it. There is no pin
// check: a pinned folio becomes an orphan, kept alive by its pins, no
// longer reachable through the file.
//
// Atomic sections: one, under the folio lock: the task waits while another
// task holds it (folio_test_locked(): a migration between unmap and move,
// or reclaim). A large folio is removed whole whatever the offset (the
// kernel's truncate_inode_partial_folio() would try to split it first).
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

int folio_at(const State& s, const Op& op) {
  GUP_OVERRIDABLE(folio_at, s, op);
  return int(s.page_cache[op.file][op.offset]);
}

int truncate_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(truncate_choices, s, cfg, ti);
  int idx = folio_at(s, cur_op(s, cfg, ti));
  return idx != kNoFolio && folio_test_locked(s, cfg, idx) ? 0 : 1;
}

void truncate_inode_folio(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(truncate_inode_folio, s, c);
  int idx = folio_at(s, cur_op(s, c.cfg, c.task));
  if (idx == kNoFolio) return finish_op(s, c);  // a hole already
  // A driver's vm_insert_page() folio is in no page cache (its slot only
  // says what the driver's ->fault inserts): truncate_inode_pages_range()
  // walks the address_space's xarray and finds nothing to remove.
  if (!s.folios[idx].test(kMapping)) return finish_op(s, c);
  int mm, addr;
  while (find_folio_pte(s, c.cfg, idx, 0, &mm, &addr)) zap_pte(s, c, mm, addr);
  Folio& f = s.folios[idx];
  f.clear(kDirty);
  f.clear(kMapping);
  for (auto& file : s.page_cache)
    for (auto& slot : file)
      if (slot == idx) slot = kNoFolio;
  folio_put_refs(s, c, idx, f.nr_pages());
  finish_op(s, c);
}

#if !GUP_SYMBOLIC
void truncate_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Op& op = cur_op(s, cfg, ti);
  out.function = "truncate_inode_folio";
  out.source = "mm/truncate.c";
  std::snprintf(out.args, sizeof out.args, "file %d offset %d folio %d", op.file, op.offset,
                folio_at(s, op));
}
#endif

const OpImpl kOpTruncate{truncate_choices, truncate_inode_folio, GUP_INFO(truncate_info)};

}  // namespace kernel
GUP_DOMAIN_END
