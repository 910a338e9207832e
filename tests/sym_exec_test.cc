// The model's kernel code run in the symbolic domain (checker/bmc/sym/): the
// same source as the concrete model, so on every state it must give the
// concrete model's successor, whether the state is given as numerals (no
// branch is left to the executor) or with fields left symbolic (every
// branch on them explored and merged, then the concrete values put back).
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "checker/bmc/sym/sym_state.h"
#include "model/config_builder.h"
#include "model/state_fields.h"

namespace gup {
namespace {

// Fields whose branches the executor explores in SplitsAndMerges: counts,
// flags and ghost bits; indices stay numerals (they are split by value).
bool keep_numeral(const std::string& name) {
  for (const char* f : {".refcount", ".mapcount", ".pincount", ".flags", ".anon_exclusive",
                        ".mmap_lock", ".ret", ".ghost", ".rounds", ".write_protect_seq"})
    if (name.size() >= std::strlen(f) &&
        name.compare(name.size() - std::strlen(f), std::string::npos, f) == 0)
      return false;
  return true;
}

std::string first_difference(const State& a0, const State& b0) {
  State a = a0, b = b0;
  std::string out;
  for_each_field(a, b, [&](const std::string& name, auto& x, auto& y) {
    if (out.empty() && !(x == y))
      out = name + ": " + std::to_string(int64_t(x)) + " vs " + std::to_string(int64_t(y));
  });
  return out;
}

// Random walks over every built-in machine and variant; `check` sees each
// state and each enabled step.
template <class Check>
void walk_all(int walks, int steps, bool every_variant, Check check) {
  for (const char* const* n = builtin_config_names(); *n; n++)
    for (const Variant* v : all_variants()) {
      if (!every_variant && v != &base_variant()) continue;
      Config cfg = builtin_config(*n, *v);
      std::mt19937 rng(7);
      for (int w = 0; w < walks; w++) {
        State s = cfg.initial;
        for (int k = 0; k < steps; k++) {
          StepBuffer buf;
          enabled_steps(s, cfg, buf);
          if (buf.n == 0) break;
          for (const Step& st : buf) check(cfg, s, st);
          Step st = buf.steps[rng() % buf.n];
          apply(s, cfg, st);
        }
      }
    }
}

TEST(SymbolicDomain, AgreesWithConcreteModelOnNumerals) {
  z3::context z;
  sym::Executor ex(z);
  int compared = 0;
  walk_all(4, 60, true, [&](const Config& cfg, const State& s, Step st) {
    sym::State x = sym::numerals(s);
    for (int t = 0; t < cfg.nr_tasks; t++) {
      z3::expr n = sym::choices_all_paths(ex, x, cfg, t).simplify();
      ASSERT_TRUE(n.is_numeral());
      ASSERT_EQ(int(n.get_numeral_uint()), task_choices(s, cfg, t)) << cfg.name << " task " << t;
    }
    auto r = sym::apply_all_paths(ex, x, cfg, st);
    ASSERT_TRUE(r.has_value()) << cfg.name;
    EXPECT_EQ(r->paths, 1u) << "numerals leave no branch to the executor";
    State want = s;
    apply(want, cfg, st);
    State got = sym::concrete(r->next);
    ASSERT_EQ(first_difference(got, want), "")
        << cfg.name << " / " << cfg.variant->name << " step " << describe(s, cfg, st);
    compared++;
  });
  EXPECT_GT(compared, 1000);
}

TEST(SymbolicDomain, SplitsAndMergesToEveryConcreteOutcome) {
  z3::context z;
  sym::Executor ex(z);
  int compared = 0, branched = 0;
  walk_all(1, 12, false, [&](const Config& cfg, const State& s, Step st) {
    sym::State x = sym::fresh(s, "v_", keep_numeral);
    auto r = sym::apply_all_paths(ex, x, cfg, st);
    ASSERT_TRUE(r.has_value()) << cfg.name;
    if (r->paths > 1) branched++;
    // Put the concrete values back.
    sym::State concrete_x = sym::numerals(s);
    z3::expr_vector from(z), to(z);
    State tmp = s;
    for_each_field(x, concrete_x, [&](const std::string&, auto& a, auto& b) {
      if (a.e.is_const() && !a.e.is_numeral()) {
        from.push_back(a.e);
        to.push_back(b.e);
      }
    });
    sym::State next = r->next;
    for_each_field(next, tmp,
                   [&](const std::string&, auto& a, auto&) { a.e = a.e.substitute(from, to); });
    EXPECT_TRUE(r->valid.substitute(from, to).simplify().is_true());
    State want = s;
    apply(want, cfg, st);
    State got = sym::concrete(next);
    ASSERT_EQ(first_difference(got, want), "")
        << cfg.name << " / " << cfg.variant->name << " step " << describe(s, cfg, st);
    compared++;
  });
  EXPECT_GT(compared, 100);
  EXPECT_GT(branched, 50) << "symbolic counts must make the kernel code branch";
}

// A join point (model/value.h R5) keeps a loop's paths linear: draining
// eight folios whose flags and counts are all symbolic must not explore
// 2^8 combinations, and every concrete outcome must still come out of the
// merged successor (checked for two assignments).
TEST(SymbolicDomain, JoinKeepsLoopPathsLinear) {
  ConfigBuilder b("drain");
  b.add_mm();
  for (int i = 0; i < 8; i++) b.add_folio(FolioSpec{.lru_batch_cpu = i % 2});
  b.add_task({lru_add_drain_all()});
  Config cfg = b.build();
  z3::context z;
  sym::Executor ex(z);
  sym::State x = sym::fresh(cfg.initial, "v_", keep_numeral);
  auto r = sym::apply_all_paths(ex, x, cfg, Step{0, 0});
  ASSERT_TRUE(r.has_value());
  EXPECT_LE(r->paths, 4u) << "the drain loop's branches are merged at each folio";
  for (int variant = 0; variant < 2; variant++) {
    State s = cfg.initial;
    if (variant) s.folios[3].flags = kLru, s.folios[3].refcount = 5;
    sym::State concrete_x = sym::numerals(s);
    z3::expr_vector from(z), to(z);
    for_each_field(x, concrete_x, [&](const std::string&, auto& a, auto& c) {
      if (a.e.is_const() && !a.e.is_numeral()) {
        from.push_back(a.e);
        to.push_back(c.e);
      }
    });
    sym::State next = r->next;
    State tmp = s;
    for_each_field(next, tmp,
                   [&](const std::string&, auto& a, auto&) { a.e = a.e.substitute(from, to); });
    State want = s;
    apply(want, cfg, Step{0, 0});
    EXPECT_EQ(first_difference(sym::concrete(next), want), "");
  }
}

}  // namespace
}  // namespace gup
