// Readable state dumps and state differences for traces.
#include <fmt/format.h>

#include "model/kernel.h"
#include "model/model.h"

namespace gup {

namespace {

std::string folio_label(const Folio& f, int idx) {
  std::string where;
  if (f.zone != Zone::kNormal) where = zone_name(f.zone);
  if (f.migratetype == Migratetype::kCma) where += where.empty() ? "CMA" : ", CMA";
  if (f.migratetype == Migratetype::kIsolate) where += where.empty() ? "ISOLATE" : ", ISOLATE";
  return fmt::format("folio {} [{}{}{}{}]", idx, f.is_free() ? "free" : folio_kind_name(f.kind),
                     f.order ? ", large" : "", where.empty() ? "" : ", ", where);
}

std::string flag_names(uint8_t flags) {
  static const char* const names[] = {"free",  "lru",       "lru_batch0", "lru_batch1",
                                      "dirty", "swapcache", "mapping",    "hugetlb_migratable"};
  std::string out;
  for (int b = 0; b < 8; b++)
    if (flags >> b & 1) out += fmt::format("{}{}", out.empty() ? "" : "|", names[b]);
  return out.empty() ? "-" : out;
}

std::string pte_text(const Pte& p) {
  switch (p.kind()) {
    case PteKind::kNone:
      return "none";
    case PteKind::kPresent:
      return fmt::format("folio {}{} {}", p.folio, p.page() ? ".1" : "", p.write() ? "RW" : "RO");
    case PteKind::kMigration:
      return fmt::format("migration entry -> folio {}{}", p.folio, p.write() ? " (write)" : "");
  }
  return "?";
}

std::string pages_text(const Task& t) {
  std::string out;
  for (const PageRef& p : t.pages) {
    if (p.empty()) continue;
    out += fmt::format("{}{} folio {}", out.empty() ? "" : ", ",
                       p.kind() == PageRef::kPin ? "pin" : "ref", p.folio());
  }
  return out.empty() ? "none" : out;
}

void diff_folio(std::string& out, const Folio& a, const Folio& b, int idx) {
  std::string label = folio_label(b.is_free() && !a.is_free() ? a : b, idx);
  auto line = [&](const char* what, auto x, auto y) {
    out += fmt::format("  {} {} {} -> {}\n", label, what, x, y);
  };
  if (a.is_free() != b.is_free()) {
    out += fmt::format("  {} {}\n", label, b.is_free() ? "freed" : "allocated");
    if (b.is_free()) return;
  }
  if (a.kind != b.kind) line("kind", folio_kind_name(a.kind), folio_kind_name(b.kind));
  if (a.refcount != b.refcount) line("refcount", a.refcount, b.refcount);
  if (a.mapcount != b.mapcount) line("mapcount", a.mapcount, b.mapcount);
  if (a.pincount != b.pincount) line("pincount", a.pincount, b.pincount);
  if (a.migratetype != b.migratetype)
    line("pageblock", migratetype_name(a.migratetype), migratetype_name(b.migratetype));
  if ((a.flags & ~kFree) != (b.flags & ~kFree))
    line("flags", flag_names(a.flags), flag_names(b.flags));
  if (a.anon_exclusive != b.anon_exclusive)
    line("PageAnonExclusive", int(a.anon_exclusive), int(b.anon_exclusive));
}

}  // namespace

std::string describe_changes(const State& a, const State& b, const Config& cfg) {
  std::string out;
  for (int i = 0; i < cfg.nr_folios; i++)
    if (std::memcmp(&a.folios[i], &b.folios[i], sizeof(Folio)) != 0)
      diff_folio(out, a.folios[i], b.folios[i], i);
  for (int m = 0; m < cfg.nr_mms; m++) {
    const Mm &x = a.mms[m], &y = b.mms[m];
    for (int addr = 0; addr < kMaxAddrs; addr++)
      if (!(x.ptes[addr] == y.ptes[addr]))
        out += fmt::format("  mm{} pte {}: {} -> {}\n", m, addr, pte_text(x.ptes[addr]),
                           pte_text(y.ptes[addr]));
    if ((x.flags & MMF_HAS_PINNED) != (y.flags & MMF_HAS_PINNED))
      out += fmt::format("  mm{} MMF_HAS_PINNED set\n", m);
    if ((x.flags & kMmLive) != (y.flags & kMmLive))
      out += fmt::format("  mm{} {}\n", m, (y.flags & kMmLive) ? "created" : "gone");
    if (x.write_protect_seq != y.write_protect_seq)
      out += fmt::format("  mm{} write_protect_seq {} -> {}\n", m, x.write_protect_seq,
                         y.write_protect_seq);
    for (int v = 0; v < kMaxVmas; v++)
      if (std::memcmp(&x.vmas[v], &y.vmas[v], sizeof(Vma)) != 0)
        out += fmt::format("  mm{} vma [{}, {}) {} flags {:#x} -> {:#x}\n", m, y.vmas[v].start,
                           y.vmas[v].end, vma_kind_name(y.vmas[v].kind), x.vmas[v].vm_flags,
                           y.vmas[v].vm_flags);
  }
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task &x = a.tasks[t], &y = b.tasks[t];
    if (pages_text(x) != pages_text(y))
      out += fmt::format("  T{} holds: {} -> {}\n", t, pages_text(x), pages_text(y));
    if (x.isolated != y.isolated)
      out += fmt::format("  T{} isolated list {:#x} -> {:#x}\n", t, x.isolated, y.isolated);
    if ((y.ghost & kGhostReturned) && !(x.ghost & kGhostReturned))
      out += fmt::format("  T{} returned {}\n", t,
                         y.ret >= 0 ? std::to_string(y.ret) : errno_name(y.ret));
  }
  return out;
}

std::string describe_state(const State& s, const Config& cfg) {
  std::string out;
  for (int i = 0; i < cfg.nr_folios; i++) {
    const Folio& f = s.folios[i];
    out +=
        fmt::format("{}: refcount {} mapcount {} pincount {} flags {} PAE {}\n", folio_label(f, i),
                    f.refcount, f.mapcount, f.pincount, flag_names(f.flags), int(f.anon_exclusive));
  }
  for (int m = 0; m < cfg.nr_mms; m++) {
    const Mm& mm = s.mms[m];
    out += fmt::format("mm{}{}{}:\n", m, (mm.flags & kMmLive) ? "" : " (not live)",
                       (mm.flags & MMF_HAS_PINNED) ? " MMF_HAS_PINNED" : "");
    for (const Vma& v : mm.vmas)
      if (v.kind != VmaKind::kNone)
        out += fmt::format("  vma [{}, {}) {} {}{}{}\n", v.start, v.end, vma_kind_name(v.kind),
                           v.test(VM_READ) ? "r" : "-", v.test(VM_WRITE) ? "w" : "-",
                           v.test(VM_SHARED) ? "s" : "p");
    for (int a = 0; a < kMaxAddrs; a++)
      if (!mm.ptes[a].none()) out += fmt::format("  pte {}: {}\n", a, pte_text(mm.ptes[a]));
  }
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& k = s.tasks[t];
    out += fmt::format("T{}: op {}/{} pc {} holds {}\n", t, int(k.script_pos),
                       int(cfg.script_len[t]), int(k.pc), pages_text(k));
  }
  return out;
}

}  // namespace gup
