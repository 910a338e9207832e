// Task scripts: each op is named after the kernel entry point it models.
#include <fmt/format.h>

#include "checker/spec/edit_distance.h"
#include "checker/spec/spec_internal.h"

namespace gup::spec {

namespace {

constexpr std::string_view kAddrWhy = "the model has pages 0 to 3 per address space (kMaxAddrs)";
static_assert(kMaxAddrs == 4, "update kAddrWhy");

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (int k = 1; k < int(OpKind::kCount); k++) names.push_back(op_name(OpKind(k)));
  return names;
}

OpKind find_op(const Reader& r, const toml::node& n) {
  const auto* s = n.as_string();
  if (!s) r.fail(n, fmt::format("expected an op name (a string), got {}", type_phrase(n)));
  for (int k = 1; k < int(OpKind::kCount); k++)
    if (s->get() == op_name(OpKind(k))) return OpKind(k);
  std::vector<std::string> names = op_names();
  std::string hint = did_you_mean(s->get(), names);
  if (!hint.empty()) r.fail(n, fmt::format("unknown op '{}'{}", s->get(), hint));
  r.fail(n, fmt::format("unknown op '{}'; expected one of: {}", s->get(), fmt::join(names, ", ")));
}

uint32_t parse_foll_flags(const Reader& r, const toml::table& t) {
  const toml::array* a = r.get_array(t, "flags");
  if (!a) return 0;
  static const std::vector<std::vector<std::string>> names = {
      {"FOLL_WRITE"}, {"FOLL_LONGTERM"}, {"FOLL_FORCE"}};
  static const uint32_t bits[] = {FOLL_WRITE, FOLL_LONGTERM, FOLL_FORCE};
  uint32_t flags = 0;
  for (const toml::node& e : *a) {
    const auto* s = e.as_string();
    if (s && (s->get() == "FOLL_PIN" || s->get() == "FOLL_GET"))
      r.fail(e, fmt::format("{} is internal to GUP: the entry point sets it (pin_user_pages*: "
                            "FOLL_PIN, get_user_pages*: FOLL_GET)",
                            s->get()));
    flags |= bits[r.get_name(e, "FOLL_* flag", names)];
  }
  return flags;
}

int addr(const Reader& r, const toml::table& t, std::string_view key) {
  return int(r.int_or(t, key, 0, 0, kMaxAddrs - 1, kAddrWhy));
}

int nr_pages(const Reader& r, const toml::table& t, int start) {
  return int(r.int_or(t, "nr", 1, 1, kMaxAddrs - start,
                      fmt::format("pages {}.. must end by page {} (kMaxAddrs)", start, kMaxAddrs)));
}

}  // namespace

int parse_mm_ref(const Reader& r, const toml::table& t, const MachineShape& shape) {
  auto mm = r.get_int(t, "mm", 0, 255);
  if (!mm) return 0;
  if (*mm >= shape.mms)
    r.fail(r.where(t, "mm"),
           fmt::format("mm {} does not exist: the spec has {} address space{} (add [[machine.mm]] "
                       "tables for more, up to {})",
                       *mm, shape.mms, shape.mms == 1 ? "" : "s", kMaxMms));
  return int(*mm);
}

int parse_folio_ref(const Reader& r, const toml::table& t, std::string_view key,
                    const MachineShape& shape) {
  auto f = r.get_int(t, key, 0, 255);
  if (!f)
    r.fail(t.source(),
           fmt::format("missing '{}': which folio (an index into [[machine.folio]])", key));
  if (*f >= shape.folios) {
    std::string have = shape.folios == 0   ? "defines no folios"
                       : shape.folios == 1 ? "defines 1 folio (folio 0)"
                                           : fmt::format("defines {} folios (0 to {})",
                                                         shape.folios, shape.folios - 1);
    r.fail(r.where(t, key), fmt::format("folio {} does not exist: the spec {}", *f, have));
  }
  return int(*f);
}

uint8_t parse_prot(const Reader& r, const toml::node& n) {
  static const std::vector<std::vector<std::string>> names = {{"none", "PROT_NONE"},
                                                              {"r", "PROT_READ"},
                                                              {"w", "PROT_WRITE"},
                                                              {"rw", "PROT_READ|PROT_WRITE"}};
  return uint8_t(r.get_name(n, "protection", names));  // index bits are VM_READ | VM_WRITE
}

Op parse_op(const Reader& r, const toml::node& n, const MachineShape& shape) {
  if (n.is_string()) {
    OpKind k = find_op(r, n);
    if (k == OpKind::kUnpinUserPages) return unpin_user_pages();
    if (k == OpKind::kLruAddDrainAll) return lru_add_drain_all();
    if (k == OpKind::kCmaAlloc) return cma_alloc();
    r.fail(n,
           fmt::format("{} takes arguments: write {{ op = \"{}\", ... }}", op_name(k), op_name(k)));
  }
  const auto* t = n.as_table();
  if (!t)
    r.fail(n, fmt::format("expected an op ({{ op = \"pin_user_pages\", ... }} or a name), got {}",
                          type_phrase(n)));
  const toml::node* name = t->get("op");
  if (!name) r.fail(*t, "missing 'op': which kernel entry point, e.g. op = \"pin_user_pages\"");
  OpKind k = find_op(r, *name);
  std::string what = fmt::format("the arguments of {}", op_name(k));
  switch (k) {
    case OpKind::kPinUserPages:
    case OpKind::kGetUserPages:
    case OpKind::kPinUserPagesFast:
    case OpKind::kGetUserPagesFast: {
      r.check_keys(*t, what, {"op", "mm", "start", "nr", "flags"});
      int mm = parse_mm_ref(r, *t, shape), start = addr(r, *t, "start");
      int nr = nr_pages(r, *t, start);
      uint32_t flags = parse_foll_flags(r, *t);
      if (k == OpKind::kPinUserPages) return pin_user_pages(mm, start, nr, flags);
      if (k == OpKind::kGetUserPages) return get_user_pages(mm, start, nr, flags);
      if (k == OpKind::kPinUserPagesFast) return pin_user_pages_fast(mm, start, nr, flags);
      return get_user_pages_fast(mm, start, nr, flags);
    }
    case OpKind::kFork: {
      r.check_keys(*t, what, {"op", "mm", "child"});
      int mm = parse_mm_ref(r, *t, shape);
      int child = int(r.int_or(*t, "child", 1, 0, kMaxMms - 1, "kMaxMms"));
      if (child >= shape.mms)
        r.fail(r.where(*t, "child"),
               fmt::format("fork needs child mm {}: add [[machine.mm]] tables up to it, the child "
                           "with live = false",
                           child));
      if (child == mm) r.fail(r.where(*t, "child"), "a fork child must be another address space");
      if (shape.live & (1u << child))
        r.fail(r.where(*t, "child"),
               fmt::format("fork's child mm {} is live: reserve it with live = false in its "
                           "[[machine.mm]]",
                           child));
      return fork_mm(mm, child);
    }
    case OpKind::kMadviseDontneed:
    case OpKind::kMprotect: {
      if (k == OpKind::kMprotect)
        r.check_keys(*t, what, {"op", "mm", "start", "nr", "prot"});
      else
        r.check_keys(*t, what, {"op", "mm", "start", "nr"});
      int mm = parse_mm_ref(r, *t, shape), start = addr(r, *t, "start");
      int nr = nr_pages(r, *t, start);
      if (k == OpKind::kMadviseDontneed) return madvise_dontneed(mm, start, nr);
      const toml::node* prot = t->get("prot");
      if (!prot) r.fail(*t, "missing 'prot': the new protection, \"r\", \"rw\", \"w\" or \"none\"");
      return mprotect(mm, start, nr, parse_prot(r, *prot));
    }
    case OpKind::kWriteFault:
    case OpKind::kReadFault: {
      r.check_keys(*t, what, {"op", "mm", "addr"});
      int mm = parse_mm_ref(r, *t, shape), a = addr(r, *t, "addr");
      return k == OpKind::kWriteFault ? write_fault(mm, a) : read_fault(mm, a);
    }
    case OpKind::kReclaim:
    case OpKind::kSplitHugePage:
    case OpKind::kCompact:
    case OpKind::kTransientRef: {
      r.check_keys(*t, what, {"op", "folio"});
      int f = parse_folio_ref(r, *t, "folio", shape);
      if (k == OpKind::kReclaim) return reclaim(f);
      if (k == OpKind::kSplitHugePage) return split_huge_page(f);
      return k == OpKind::kCompact ? compact(f) : transient_ref(f);
    }
    case OpKind::kTruncate: {
      r.check_keys(*t, what, {"op", "file", "offset"});
      int file = int(r.int_or(*t, "file", 0, 0, kMaxFiles - 1, "kMaxFiles"));
      return truncate(file, addr(r, *t, "offset"));
    }
    case OpKind::kUnpinUserPages:
    case OpKind::kLruAddDrainAll:
    case OpKind::kCmaAlloc:
      r.check_keys(*t, what, {"op"});
      return k == OpKind::kUnpinUserPages ? unpin_user_pages()
             : k == OpKind::kCmaAlloc     ? cma_alloc()
                                          : lru_add_drain_all();
    case OpKind::kNone:
    case OpKind::kCount:
      break;
  }
  r.fail(*name, "not an op");
}

}  // namespace gup::spec
