// Fuzzing the inputs a user hands gupcheck: random bytes and random
// well-formed TOML into the spec loader, random JSON into replay. Every
// input either loads or is refused with a SpecError; nothing else escapes,
// nothing crashes (the ASan/UBSan CI build runs these too).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <toml++/toml.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "checker/report/trace_file.h"
#include "checker/spec/spec.h"

namespace gup {
namespace {

// Loads text as a spec; true if it loaded, false if it was refused cleanly.
bool try_load(const std::string& text) {
  try {
    parse_specs(text, "fuzz.toml");
    return true;
  } catch (const SpecError& e) {
    RC_ASSERT(!e.format().empty());
    return false;
  }
}

RC_GTEST_PROP(FuzzSpec, RandomBytesAreRefusedCleanly, (const std::string& bytes)) {
  try_load(bytes);
}

// Words the loader knows, a few near misses, and junk.
const std::vector<std::string> kWords = {"anon",
                                         "anno",
                                         "pagecache",
                                         "shmem",
                                         "hugetlb",
                                         "fsdax",
                                         "devdax",
                                         "device-coherent",
                                         "secretmem",
                                         "zero-page",
                                         "driver",
                                         "normal",
                                         "movable",
                                         "device",
                                         "cma",
                                         "isolate",
                                         "file-shared",
                                         "file-private",
                                         "rw",
                                         "r",
                                         "none",
                                         "FOLL_WRITE",
                                         "FOLL_LONGTERM",
                                         "FOLL_PIN",
                                         "pin_user_pages",
                                         "pin_user_pages_fast",
                                         "get_user_pages",
                                         "unpin_user_pages",
                                         "fork",
                                         "madvise_dontneed",
                                         "write_fault",
                                         "read_fault",
                                         "mprotect",
                                         "reclaim",
                                         "split_huge_page",
                                         "truncate",
                                         "lru_add_drain_all",
                                         "compact",
                                         "cma_alloc",
                                         "transient_ref",
                                         "random",
                                         "explore",
                                         "base",
                                         "migrate-fail-pins-anyway",
                                         "default",
                                         "refcount-accounting",
                                         "all",
                                         "",
                                         "\xff\xfe",
                                         "x"};

const std::vector<std::string> kKeys = {
    "kind",  "zone",          "migratetype", "order",      "free",
    "lru",   "lru_batch_cpu", "dirty",       "swapcache",  "mm",
    "start", "end",           "prot",        "file",       "vm_flags",
    "addr",  "folio",         "page",        "writable",   "exclusive",
    "index", "live",          "has_pinned",  "op",         "nr",
    "flags", "child",         "offset",      "script",     "engine",
    "runs",  "max_steps",     "max_states",  "max_memory", "seed",
    "time",  "bogus"};

// Uniform choices: RapidCheck scales inRange() and elementOf() with the
// generation size, which would make the first cases all alike.
int pick(int lo, int hi) {
  return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(lo, hi));
}
template <typename T>
T choose(const std::vector<T>& v) {
  return v[size_t(pick(0, int(v.size())))];
}

std::string word() {
  return choose(kWords);
}

// A random TOML value: mostly small integers, known words and booleans.
void insert_value(toml::table& t, const std::string& key, int depth) {
  int kind = depth == 5 ? 5 : pick(0, depth > 0 ? 6 : 4);
  switch (kind) {
    case 0:
      t.insert_or_assign(key, int64_t(pick(-2, 14)));
      break;
    case 1:
      t.insert_or_assign(key, word());
      break;
    case 2:
      t.insert_or_assign(key, *rc::gen::arbitrary<bool>());
      break;
    case 3: {
      toml::array a;
      int n = pick(0, 4);
      for (int i = 0; i < n; i++) a.push_back(word());
      t.insert_or_assign(key, std::move(a));
      break;
    }
    case 4:
      t.insert_or_assign(key, 1.5);
      break;
    default: {
      // An array of inline tables, like a script.
      toml::array a;
      int n = pick(0, 6);
      for (int i = 0; i < n; i++) {
        toml::table op;
        op.insert_or_assign("op", word());
        int k = pick(0, 3);
        for (int j = 0; j < k; j++) op.insert_or_assign(choose(kKeys), int64_t(pick(0, 4)));
        a.push_back(std::move(op));
      }
      t.insert_or_assign(key, std::move(a));
    }
  }
}

toml::table random_table(int keys, int depth) {
  toml::table t;
  for (int i = 0; i < keys; i++) insert_value(t, choose(kKeys), depth);
  return t;
}

// Mostly the keys a section takes, each with a value of the right type;
// now and then anything.
const std::map<std::string, std::vector<std::string>> kSectionKeys = {
    {"folio",
     {"kind", "zone", "migratetype", "order", "free", "lru", "lru_batch_cpu", "dirty",
      "swapcache"}},
    {"mm", {"live", "has_pinned"}},
    {"vma", {"mm", "start", "end", "kind", "prot", "file"}},
    {"page_cache", {"file", "index", "folio"}},
    {"mapping", {"mm", "addr", "folio", "page", "writable", "exclusive"}},
    {"task", {"script"}}};
const std::set<std::string> kBoolKeys = {"free", "lru",        "dirty",    "swapcache",
                                         "live", "has_pinned", "writable", "exclusive"};
const std::set<std::string> kStringKeys = {"kind", "zone", "migratetype", "prot"};

// Valid values for a string key, and one near miss.
std::vector<std::string> string_values(const std::string& section, const std::string& key) {
  if (key == "zone") return {"normal", "movable", "device", "movabel"};
  if (key == "migratetype") return {"movable", "unmovable", "cma", "isolate", "cmaa"};
  if (key == "prot") return {"r", "rw", "w", "none", "rx"};
  if (section == "vma")
    return {"anon",  "file-shared", "file-private", "shmem",  "hugetlb",
            "fsdax", "devdax",      "secretmem",    "driver", "anno"};
  return {"anon",      "pagecache", "shmem",  "hugetlb", "fsdax", "devdax", "device-coherent",
          "secretmem", "zero-page", "driver", "anno"};
}

toml::table section_table(const std::string& section) {
  if (pick(0, 10) == 0) return random_table(pick(0, 4), 1);
  toml::table t;
  for (const std::string& key : kSectionKeys.at(section)) {
    bool required = key == "kind" || key == "start" || key == "end" || key == "addr" ||
                    key == "folio" || key == "script";
    if (pick(0, required ? 12 : 3) == 0) continue;
    if (kBoolKeys.count(key))
      t.insert_or_assign(key, *rc::gen::arbitrary<bool>());
    else if (kStringKeys.count(key))
      t.insert_or_assign(key, choose(string_values(section, key)));
    else if (key == "script")
      insert_value(t, key, 5);  // an array of op tables
    else
      t.insert_or_assign(key, int64_t(pick(0, 5)));
  }
  return t;
}

// A spec-shaped document: a [machine] with arrays of tables whose keys and
// values are drawn from what the loader knows.
std::string random_spec() {
  toml::table top;
  if (pick(0, 10) == 0)
    top.insert_or_assign("variant", choose(std::vector<std::string>{"base", "longterm-fsdax",
                                                                    "enomem-leaks-pins", "bse"}));
  if (pick(0, 20) == 0) insert_value(top, "properties", 0);
  if (pick(0, 20) == 0) top.insert_or_assign("builtin", word());
  toml::table machine;
  for (const char* section : {"folio", "mm", "vma", "page_cache", "mapping", "task"}) {
    int n = pick(0, section == std::string("folio") ? 14 : 4);
    if (n == 0) continue;
    toml::array tables;
    for (int i = 0; i < n; i++) tables.push_back(section_table(section));
    machine.insert_or_assign(section, std::move(tables));
  }
  if (pick(0, 2) == 0) machine.insert_or_assign("inject_alloc_failure", true);
  if (pick(0, 20) != 0) top.insert_or_assign("machine", std::move(machine));
  if (pick(0, 3) == 0) {
    toml::array checks;
    checks.push_back(random_table(pick(0, 4), 0));
    top.insert_or_assign("check", std::move(checks));
  }
  std::ostringstream out;
  out << top;
  return out.str();
}

RC_GTEST_PROP(FuzzSpec, RandomWellFormedSpecsLoadOrAreRefusedCleanly, ()) {
  std::string text = random_spec();
  RC_TAG(try_load(text) ? "loaded" : "refused");
}

// A valid trace of tests/specs/golden-c1.toml, to mutate.
nlohmann::json golden_trace() {
  std::ifstream in(std::string(GUPCHECK_SOURCE_DIR) + "/tests/specs/golden-c1.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  return {{"format", "gupcheck-trace"},
          {"model_version", "gupcheck-model-1"},
          {"spec", {{"path", "golden-c1.toml"}, {"text", ss.str()}}},
          {"variant", "migrate-fail-pins-anyway"},
          {"steps", nlohmann::json::array()}};
}

nlohmann::json random_json(int depth) {
  switch (pick(0, depth > 0 ? 7 : 5)) {
    case 0:
      return pick(-300, 300);
    case 1:
      return word();
    case 2:
      return *rc::gen::arbitrary<bool>();
    case 3:
      return nullptr;
    case 4:
      return 0.5;
    case 5: {
      nlohmann::json a = nlohmann::json::array();
      int n = pick(0, 4);
      for (int i = 0; i < n; i++) a.push_back(random_json(depth - 1));
      return a;
    }
    default: {
      nlohmann::json o = nlohmann::json::object();
      int n = pick(0, 4);
      for (int i = 0; i < n; i++)
        o[choose(std::vector<std::string>{"task", "choice", "steps", "spec", "text", "path",
                                          "variant", "loop_start", "x"})] = random_json(depth - 1);
      return o;
    }
  }
}

RC_GTEST_PROP(FuzzReplay, RandomJsonIsRefusedCleanly, ()) {
  static const nlohmann::json base = golden_trace();
  nlohmann::json j = base;
  int mode = pick(0, 3);
  if (mode == 0) {
    j = random_json(3);
  } else if (mode == 1) {
    // Random steps, some out of range, on the valid trace.
    int n = pick(0, 30);
    for (int i = 0; i < n; i++)
      j["steps"].push_back({{"task", pick(-1, 6)}, {"choice", pick(-1, 3)}});
    if (pick(0, 3) == 0) j["loop_start"] = pick(-2, n + 2);
  } else {
    // One field replaced by random JSON.
    const char* fields[] = {"format", "model_version", "spec", "variant", "steps", "seed"};
    j[fields[pick(0, 6)]] = random_json(2);
  }
  try {
    replay_trace_json(j, "fuzz.json");
    RC_TAG("replayed");
  } catch (const SpecError& e) {
    RC_ASSERT(!e.format().empty());
    RC_TAG("refused");
  }
}

// The fuzzers must be able to fail: an input that escapes the loader as
// something other than a SpecError is caught by RC_ASSERT's harness.
TEST(FuzzSpec, ValidSpecStillLoads) {
  std::ifstream in(std::string(GUPCHECK_SOURCE_DIR) + "/tests/specs/clean.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_TRUE(try_load(ss.str()));
}

}  // namespace
}  // namespace gup
