// Every field of the machine state, visited in a fixed order, in any two
// domains at once (model/value.h): the one listing of the state's fields,
// used to convert between the concrete and the symbolic domain.
//
//   for_each_field(a, b, fn): fn(name, a_field, b_field) for every field,
//   where name is e.g. "folios[2].refcount".
//
// Invariant: the order and the names depend only on the layout, never on
// the values.
#pragma once

#include <string>

#include "model/state.h"

namespace gup {

template <class A, class B, class Fn>
void for_each_field(A& a, B& b, Fn&& fn) {
  auto name = [](const char* what, int i, const char* field) {
    return std::string(what) + "[" + std::to_string(i) + "]." + field;
  };
  for (int k = 0; k < kMaxFolios; k++) {
    auto& x = a.folios[k];
    auto& y = b.folios[k];
    fn(name("folios", k, "refcount"), x.refcount, y.refcount);
    fn(name("folios", k, "mapcount"), x.mapcount, y.mapcount);
    fn(name("folios", k, "pincount"), x.pincount, y.pincount);
    fn(name("folios", k, "kind"), x.kind, y.kind);
    fn(name("folios", k, "zone"), x.zone, y.zone);
    fn(name("folios", k, "migratetype"), x.migratetype, y.migratetype);
    fn(name("folios", k, "saved_mt"), x.saved_mt, y.saved_mt);
    fn(name("folios", k, "order"), x.order, y.order);
    fn(name("folios", k, "flags"), x.flags, y.flags);
    fn(name("folios", k, "anon_exclusive"), x.anon_exclusive, y.anon_exclusive);
    fn(name("folios", k, "file"), x.file, y.file);
  }
  for (int m = 0; m < kMaxMms; m++) {
    auto& x = a.mms[m];
    auto& y = b.mms[m];
    std::string mm = "mms[" + std::to_string(m) + "].";
    for (int v = 0; v < kMaxVmas; v++) {
      std::string p = mm + "vmas[" + std::to_string(v) + "].";
      fn(p + "start", x.vmas[v].start, y.vmas[v].start);
      fn(p + "end", x.vmas[v].end, y.vmas[v].end);
      fn(p + "kind", x.vmas[v].kind, y.vmas[v].kind);
      fn(p + "vm_flags", x.vmas[v].vm_flags, y.vmas[v].vm_flags);
    }
    for (int i = 0; i < kMaxAddrs; i++) {
      std::string p = mm + "ptes[" + std::to_string(i) + "].";
      fn(p + "folio", x.ptes[i].folio, y.ptes[i].folio);
      fn(p + "bits", x.ptes[i].bits, y.ptes[i].bits);
    }
    fn(mm + "flags", x.flags, y.flags);
    fn(mm + "mmap_lock", x.mmap_lock, y.mmap_lock);
    fn(mm + "write_protect_seq", x.write_protect_seq, y.write_protect_seq);
    fn(mm + "file_of_vma", x.file_of_vma, y.file_of_vma);
  }
  for (int t = 0; t < kMaxTasks; t++) {
    auto& x = a.tasks[t];
    auto& y = b.tasks[t];
    std::string p = "tasks[" + std::to_string(t) + "].";
    fn(p + "script_pos", x.script_pos, y.script_pos);
    fn(p + "pc", x.pc, y.pc);
    fn(p + "i", x.i, y.i);
    fn(p + "j", x.j, y.j);
    fn(p + "ret", x.ret, y.ret);
    fn(p + "nr_done", x.nr_done, y.nr_done);
    fn(p + "drained", x.drained, y.drained);
    fn(p + "collected", x.collected, y.collected);
    fn(p + "isolated", x.isolated, y.isolated);
    fn(p + "failed", x.failed, y.failed);
    fn(p + "snap.folio", x.snap.folio, y.snap.folio);
    fn(p + "snap.bits", x.snap.bits, y.snap.bits);
    fn(p + "seq", x.seq, y.seq);
    fn(p + "target", x.target, y.target);
    fn(p + "ghost", x.ghost, y.ghost);
    fn(p + "rounds", x.rounds, y.rounds);
    fn(p + "fault", x.fault, y.fault);
    fn(p + "locked", x.locked, y.locked);
    for (int i = 0; i < kMaxPages; i++)
      fn(p + "pages[" + std::to_string(i) + "]", x.pages[i].bits, y.pages[i].bits);
  }
  for (int f = 0; f < kMaxFiles; f++)
    for (int i = 0; i < kMaxAddrs; i++)
      fn("page_cache[" + std::to_string(f) + "][" + std::to_string(i) + "]", a.page_cache[f][i],
         b.page_cache[f][i]);
}

}  // namespace gup
