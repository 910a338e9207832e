// [machine]: folios, address spaces, VMAs, page caches, mappings and tasks,
// fed to ConfigBuilder in that order. A ConfigError from the builder is
// reported at the table that caused it.
#include <fmt/format.h>

#include "checker/spec/spec_internal.h"

namespace gup::spec {

namespace {

constexpr std::string_view kAddrWhy = "the model has pages 0 to 3 per address space (kMaxAddrs)";

template <typename F>
auto at(const Reader& r, const toml::table& t, F&& f) {
  try {
    return f();
  } catch (const ConfigError& e) {
    r.fail(t, e.what());
  }
}

FolioSpec parse_folio(const Reader& r, const toml::table& t) {
  r.check_keys(t, "[[machine.folio]]",
               {"kind", "zone", "migratetype", "order", "free", "lru", "lru_batch_cpu", "dirty",
                "swapcache"});
  static const std::vector<std::vector<std::string>> kinds = {{"anon"},
                                                              {"pagecache", "page-cache"},
                                                              {"shmem", "memfd"},
                                                              {"hugetlb"},
                                                              {"fsdax"},
                                                              {"devdax"},
                                                              {"device-coherent"},
                                                              {"secretmem"},
                                                              {"zero-page", "zero"},
                                                              {"driver"}};
  static_assert(int(FolioKind::kCount) == 10, "update the folio kind names");
  static const std::vector<std::vector<std::string>> zones = {
      {"normal", "ZONE_NORMAL"}, {"movable", "ZONE_MOVABLE"}, {"device", "ZONE_DEVICE"}};
  static const std::vector<std::vector<std::string>> mts = {{"unmovable", "MIGRATE_UNMOVABLE"},
                                                            {"movable", "MIGRATE_MOVABLE"},
                                                            {"cma", "MIGRATE_CMA"},
                                                            {"isolate", "MIGRATE_ISOLATE"}};
  FolioSpec f;
  const toml::node* kind = t.get("kind");
  if (!kind)
    r.fail(t,
           "missing 'kind': one of anon, pagecache, shmem, hugetlb, fsdax, devdax, "
           "device-coherent, secretmem, zero-page, driver");
  f.kind = FolioKind(r.get_name(*kind, "folio kind", kinds));
  bool device = f.kind == FolioKind::kFsdax || f.kind == FolioKind::kDevdax ||
                f.kind == FolioKind::kDeviceCoherent;
  f.zone = device ? Zone::kDevice : Zone::kNormal;
  if (const toml::node* z = t.get("zone")) f.zone = Zone(r.get_name(*z, "zone", zones));
  if (const toml::node* m = t.get("migratetype"))
    f.migratetype = Migratetype(r.get_name(*m, "migratetype", mts));
  f.order = int(r.int_or(t, "order", 0, 0, 1, "the model's large folios have 2 pages"));
  f.free = r.bool_or(t, "free", false);
  f.lru = r.bool_or(t, "lru", true);
  f.lru_batch_cpu = int(r.int_or(t, "lru_batch_cpu", -1, -1, 1, "-1: none; the model has 2 CPUs"));
  f.dirty = r.bool_or(t, "dirty", false);
  f.swapcache = r.bool_or(t, "swapcache", false);
  return f;
}

void parse_vma(const Reader& r, const toml::table& t, const MachineShape& shape, ConfigBuilder& b) {
  r.check_keys(t, "[[machine.vma]]", {"mm", "start", "end", "kind", "prot", "file", "vm_flags"});
  static const std::vector<std::vector<std::string>> kinds = {
      {"anon"},  {"file-shared"}, {"file-private"}, {"shmem"}, {"hugetlb"},
      {"fsdax"}, {"devdax"},      {"secretmem"},    {"driver"}};
  int mm = parse_mm_ref(r, t, shape);
  auto start = r.get_int(t, "start", 0, kMaxAddrs - 1, kAddrWhy);
  auto end = r.get_int(t, "end", 1, kMaxAddrs, "the end is exclusive; kMaxAddrs is 4");
  if (!start || !end) r.fail(t, "a VMA needs 'start' and 'end' (pages [start, end))");
  if (*end <= *start)
    r.fail(r.where(t, "end"),
           fmt::format("'end' must be above 'start' ({}), got {}", *start, *end));
  const toml::node* kind = t.get("kind");
  if (!kind)
    r.fail(t,
           "missing 'kind': one of anon, file-shared, file-private, shmem, hugetlb, "
           "fsdax, devdax, secretmem, driver");
  VmaKind k = VmaKind(1 + r.get_name(*kind, "VMA kind", kinds));
  uint8_t prot = VM_READ | VM_WRITE;
  if (const toml::node* p = t.get("prot")) prot = parse_prot(r, *p);
  int file = int(r.int_or(t, "file", 0, 0, kMaxFiles - 1, "kMaxFiles"));
  uint8_t extra = 0;
  if (const toml::array* fl = r.get_array(t, "vm_flags")) {
    static const std::vector<std::vector<std::string>> names = {{"VM_IO"}, {"VM_PFNMAP"}};
    for (const toml::node& e : *fl)
      extra |= r.get_name(e, "extra VM flag", names) == 0 ? VM_IO : VM_PFNMAP;
  }
  at(r, t, [&] {
    b.add_vma(mm, int(*start), int(*end), k, prot, file, extra);
    return 0;
  });
}

void parse_mapping(const Reader& r, const toml::table& t, const MachineShape& shape,
                   ConfigBuilder& b) {
  r.check_keys(t, "[[machine.mapping]]", {"mm", "addr", "folio", "page", "writable", "exclusive"});
  int mm = parse_mm_ref(r, t, shape);
  auto addr = r.get_int(t, "addr", 0, kMaxAddrs - 1, kAddrWhy);
  if (!addr) r.fail(t, "missing 'addr': the virtual page the PTE maps");
  int folio = parse_folio_ref(r, t, "folio", shape);
  int page = int(r.int_or(t, "page", 0, 0, 1, "a large folio has pages 0 and 1"));
  bool writable = r.bool_or(t, "writable", false);
  bool exclusive = r.bool_or(t, "exclusive", false);
  at(r, t, [&] {
    b.map(mm, int(*addr), folio, page, writable, exclusive);
    return 0;
  });
}

}  // namespace

Config parse_machine(const Reader& r, const toml::table& m, const std::string& name,
                     const Variant& variant) {
  r.check_keys(m, "[machine]",
               {"inject_alloc_failure", "max_quiet_rounds", "folio", "mm", "vma", "page_cache",
                "mapping", "task"});
  ConfigBuilder b(name);
  b.set_variant(variant);
  MachineShape shape;
  for (const toml::table* t : r.tables(m, "folio")) {
    FolioSpec f = parse_folio(r, *t);
    at(r, *t, [&] { return b.add_folio(f); });
    shape.folios++;
  }
  std::vector<const toml::table*> mms = r.tables(m, "mm");
  shape.mms = 0;
  if (mms.empty()) {
    b.add_mm(true);
    shape.mms = 1;
    shape.live = 1;
  }
  std::vector<int> pinned_mms;
  for (const toml::table* t : mms) {
    r.check_keys(*t, "[[machine.mm]]", {"live", "has_pinned"});
    bool live = r.bool_or(*t, "live", true);
    if (shape.mms == 0 && !live)
      r.fail(r.where(*t, "live"), "mm 0 is the first process's address space: it is always live");
    at(r, *t, [&] { return b.add_mm(live); });
    if (live) shape.live |= 1u << shape.mms;
    if (r.bool_or(*t, "has_pinned", false)) pinned_mms.push_back(shape.mms);
    shape.mms++;
  }
  for (const toml::table* t : r.tables(m, "vma")) parse_vma(r, *t, shape, b);
  for (const toml::table* t : r.tables(m, "page_cache")) {
    r.check_keys(*t, "[[machine.page_cache]]", {"file", "index", "folio"});
    int file = int(r.int_or(*t, "file", 0, 0, kMaxFiles - 1, "kMaxFiles"));
    int index = int(r.int_or(*t, "index", 0, 0, kMaxAddrs - 1, "a file has pages 0 to 3"));
    int folio = parse_folio_ref(r, *t, "folio", shape);
    at(r, *t, [&] {
      b.add_to_page_cache(file, index, folio);
      return 0;
    });
  }
  for (const toml::table* t : r.tables(m, "mapping")) parse_mapping(r, *t, shape, b);
  for (int mm : pinned_mms) b.set_has_pinned(mm);
  int nr_tasks = 0;
  for (const toml::table* t : r.tables(m, "task")) {
    r.check_keys(*t, "[[machine.task]]", {"script"});
    if (++nr_tasks > kMaxTasks)
      r.fail(*t, fmt::format("too many tasks: the model runs at most {} (kMaxTasks)", kMaxTasks));
    const toml::array* script = r.get_array(*t, "script");
    if (!script || script->empty())
      r.fail(*t, "a task needs a non-empty 'script': the ops it runs in turn");
    if (int(script->size()) > kMaxScript)
      r.fail(r.where(*t, "script"),
             fmt::format("a script holds at most {} ops (kMaxScript), got {}", kMaxScript,
                         script->size()));
    std::vector<Op> ops;
    bool holding = false;  // a GUP call's pages are held until unpin_user_pages
    for (const toml::node& e : *script) {
      ops.push_back(parse_op(r, e, shape));
      OpKind k = ops.back().kind;
      if (k == OpKind::kUnpinUserPages && !holding)
        r.fail(e,
               "unpin_user_pages releases what the task's last GUP call returned, and no GUP "
               "call (pin_user_pages*, get_user_pages*) comes before it in this script");
      if (op_is_gup(k) && holding)
        r.fail(e, fmt::format("{} before unpin_user_pages of the task's previous GUP call",
                              op_name(k)));
      if (op_is_gup(k)) holding = true;
      if (k == OpKind::kUnpinUserPages) holding = false;
    }
    at(r, *t, [&] { return b.add_task(ops.data(), int(ops.size())); });
  }
  if (nr_tasks == 0)
    r.fail(m.source(),
           "the machine has no [[machine.task]]: with nothing running, every check would pass "
           "without checking anything");
  b.inject_alloc_failure(r.bool_or(m, "inject_alloc_failure", false));
  Config cfg = at(r, m, [&] { return b.build(); });
  // Task::rounds saturates at 3 and the property fires above the limit:
  // a limit of 3 or more could never fire.
  cfg.max_quiet_rounds = int(r.int_or(m, "max_quiet_rounds", cfg.max_quiet_rounds, 1, 2,
                                      "the model counts quiet rounds up to 3 (Task::rounds), so "
                                      "a limit of 3 or more never fires"));
  return cfg;
}

}  // namespace gup::spec
