// The kernel function table (model/kernel_functions.h): every function of
// the model's kernel code is in it (invariant 1), a replacement runs in
// place of the base for every caller (invariant 2), and each built-in
// variant replaces exactly the functions it says (model/patch.h).
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "model/config_builder.h"
#include "model/patch.h"

namespace gup {
namespace {

std::set<std::string> table_names() {
  std::set<std::string> names;
#define GUP_TEST_NAME_(ret, name, params) names.insert(#name);
  GUP_KERNEL_FUNCTIONS(GUP_TEST_NAME_)
#undef GUP_TEST_NAME_
  return names;
}

// Functions defined at column 0 of a kernel source: "type name(params) {".
std::set<std::string> defined_functions(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string src = text.str();
  // Concrete-only code (step descriptions) is not kernel semantics.
  for (size_t at; (at = src.find("#if !GUP_SYMBOLIC")) != std::string::npos;)
    src.erase(at, src.find("#endif", at) + 6 - at);
  // A line at column 0 that starts a declaration and reaches '{' before
  // ';' is a definition; its name is the identifier before the first '('.
  std::set<std::string> out;
  size_t from = 0;
  while (from < src.size()) {
    size_t eol = src.find('\n', from);
    if (eol == std::string::npos) eol = src.size();
    std::string_view line(src.data() + from, eol - from);
    size_t paren = line.find('(');
    bool starts =
        !line.empty() && (std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_');
    for (const char* skip : {"namespace", "using", "struct", "enum", "const OpImpl",
                             "static_assert", "template", "constexpr", "extern", "GUP_"})
      if (line.starts_with(skip)) starts = false;
    if (starts && paren != std::string_view::npos) {
      size_t brace = src.find('{', from), semi = src.find(';', from);
      size_t name = paren;
      while (name > 0 &&
             (std::isalnum(static_cast<unsigned char>(line[name - 1])) || line[name - 1] == '_'))
        name--;
      if (brace != std::string::npos && brace < semi && name < paren)
        out.insert(std::string(line.substr(name, paren - name)));
    }
    from = eol + 1;
  }
  return out;
}

TEST(KernelTable, ListsEveryFunctionOfTheKernelSources) {
  // model.h's entry points install the table; *_info describe steps.
  const std::set<std::string> entry_points = {"steps_without_ptl",
                                              "task_done",
                                              "fork_ptl_window",
                                              "task_choices_in",
                                              "task_choices",
                                              "all_tasks_done",
                                              "enabled_steps",
                                              "apply",
                                              "step_info",
                                              "describe",
                                              "in_fork_ptl_window",
                                              "check_vma_flags_6_12",
                                              "op_impl"};
  std::set<std::string> table = table_names();
  const char* files[] = {"cma",          "compaction", "fork",          "gup",        "gup_fast",
                         "gup_longterm", "gup_util",   "huge_memory",   "madvise",    "memory",
                         "migrate",      "mprotect",   "ops",           "page_alloc", "racing",
                         "swap",         "swap_ops",   "transient_ref", "truncate",   "user_fault",
                         "vmscan"};
  int seen = 0;
  for (const char* f : files) {
    auto path = std::filesystem::path(GUPCHECK_SOURCE_DIR) / "model" / (std::string(f) + ".cc");
    for (const std::string& fn : defined_functions(path)) {
      if (entry_points.count(fn) || fn.ends_with("_info")) continue;
      seen++;
      EXPECT_TRUE(table.count(fn))
          << "model/" << f << ".cc defines " << fn << "(), which is not in GUP_KERNEL_FUNCTIONS";
    }
  }
  EXPECT_GT(seen, 100);
}

int short_round(const Task&) {
  return 0;
}

TEST(KernelTable, AReplacementRunsForEveryCaller) {
  Task t{};
  t.i = 3;
  EXPECT_EQ(kernel::round_end(t), 3);
  kernel::Kernel k = kernel::kernel_6_12();
  k.round_end = &short_round;
  {
    kernel::ActiveKernel on(k);
    EXPECT_EQ(kernel::round_end(t), 0);
  }
  EXPECT_EQ(kernel::round_end(t), 3) << "the base table is back after the scope";
}

TEST(KernelTable, EachVariantReplacesExactlyWhatItLists) {
  const kernel::Kernel& base = kernel::kernel_6_12();
  ASSERT_EQ(all_variants().front(), &base_variant());
  EXPECT_EQ(base_variant().kernel, &base);
  for (const Variant* v : all_variants()) {
    if (v == &base_variant()) continue;
    const kernel::Kernel& k = *v->kernel;
    std::set<std::string> differ;
#define GUP_TEST_DIFF_(ret, name, params) \
  if (k.name != base.name) differ.insert(#name);
    GUP_KERNEL_FUNCTIONS(GUP_TEST_DIFF_)
#undef GUP_TEST_DIFF_
    std::set<std::string> listed(v->replaced.begin(), v->replaced.end());
    EXPECT_FALSE(listed.empty()) << v->name;
    EXPECT_EQ(differ, listed) << v->name;
    EXPECT_FALSE(v->source.empty()) << v->name;
  }
}

TEST(KernelTable, ApplyRunsTheConfigurationsVariant) {
  // C5 on its own machine: GUP-fast pins the CMA page on the variant only.
  for (const char* name : {"base", "gupfast-longterm-cma"}) {
    Config cfg = builtin_config("gupfast-cma", *find_variant(name));
    State s = initial_state(cfg);
    // Run task 0 alone through its first call.
    for (int n = 0; n < 64 && !task_done(s, cfg, 0) && !(s.tasks[0].ghost & kGhostReturned); n++)
      apply(s, cfg, Step{0, 0});
    bool pinned_cma = false;
    for (const PageRef& p : s.tasks[0].pages)
      if (!p.empty() && s.folios[p.folio()].migratetype == Migratetype::kCma) pinned_cma = true;
    EXPECT_EQ(pinned_cma, std::string(name) != "base") << name;
    EXPECT_EQ(kernel::active_kernel, &kernel::kernel_6_12()) << "apply() restores the table";
  }
}

}  // namespace
}  // namespace gup
