// Every property can fail: each test builds a state or a step that breaks
// one contract (and a near twin that keeps it) and asserts the verdict.
// tests/random_test.cc shows the same through the variants.
#include <gtest/gtest.h>

#include <string>

#include "model/config_builder.h"
#include "properties/ledger.h"
#include "properties/property.h"

namespace gup {
namespace {

const Property& prop(const char* name) {
  const Property* p = find_property(name);
  EXPECT_NE(p, nullptr) << name;
  return *p;
}

// A transition from `before` to `after` with hand-written events.
struct Hand {
  Config cfg;
  State before, after;
  EventLog events;
  Step step{};

  explicit Hand(const char* config) : cfg(builtin_config(config, base_variant())) {
    before = after = cfg.initial;
  }
  void event(Event e) { events.add(e); }
  bool holds(const char* name) const {
    Transition tr{&before, step, &events, after};
    return prop(name).holds(tr, cfg);
  }
  std::string explain(const char* name) const {
    Transition tr{&before, step, &events, after};
    return prop(name).explain(tr, cfg);
  }
};

Event ev(EventKind k, int task, int folio, int value = 0) {
  Event e{};
  e.kind = k;
  e.task = uint8_t(task);
  e.folio = uint8_t(folio);
  e.other = kNoFolio;
  e.value = int8_t(value);
  e.held = true;
  return e;
}

// Task `t` holds a FOLL_PIN pin of page 0 of small folio `f` in pages[k].
void pin(State& s, int t, int k, int f) {
  s.tasks[t].pages[k] = PageRef::make(f, 0, PageRef::kPin);
  s.folios[f].refcount = int16_t(s.folios[f].refcount + kGupPinCountingBias);
}

// Task `t`'s first op (a GUP call) has returned.
void returned(State& s, int t) {
  s.tasks[t].script_pos = 1;
  s.tasks[t].ghost = kGhostReturned;
}

TEST(Properties, AllHoldOnEveryBuiltinInitialState) {
  for (const char* const* n = builtin_config_names(); *n; n++) {
    Config cfg = builtin_config(*n, base_variant());
    Transition tr{nullptr, Step{}, nullptr, cfg.initial};
    for (const Property* p : all_properties())
      EXPECT_TRUE(p->holds(tr, cfg)) << *n << ": " << p->name << ": " << p->explain(tr, cfg);
  }
}

TEST(Properties, RegistryNamesKindsAndSources) {
  EXPECT_GE(all_properties().size(), 14u);
  for (const Property* p : all_properties()) {
    EXPECT_EQ(find_property(p->name), p);
    EXPECT_GT(std::string(p->rationale).size(), 100u) << p->name;
    EXPECT_NE(std::string(p->source).find("mm/"), std::string::npos) << p->name;
  }
  EXPECT_EQ(find_property("no-such-property"), nullptr);
  EXPECT_STREQ(property_kind_name(PropertyKind::kCallRelation), "relation over one GUP call");
}

// cma-demo: folio 0 is an anon folio in a CMA pageblock mapped at mm0
// addr 0; folio 1 is free; task 0 runs pin_user_pages(FOLL_WRITE |
// FOLL_LONGTERM) of that address.
TEST(Properties, LongtermPinContractCheckReturnedZeroWithCmaFolio) {
  Hand h("cma-demo");
  h.before.tasks[0].i = 1;  // the round is pages[0, 1)
  pin(h.after, 0, 0, 0);
  h.event(ev(EventKind::kCheckMigrateReturned, 0, kNoFolio, 0));
  EXPECT_FALSE(h.holds("longterm-pin-contract"));
  EXPECT_NE(h.explain("longterm-pin-contract").find("not long-term pinnable"), std::string::npos);
  h.after.folios[0].migratetype = Migratetype::kMovable;
  EXPECT_TRUE(h.holds("longterm-pin-contract"));
}

TEST(Properties, LongtermPinContractErrnoWithPinsLeft) {
  Hand h("cma-demo");
  h.before.tasks[0].i = 1;
  pin(h.after, 0, 0, 0);
  h.event(ev(EventKind::kCheckMigrateReturned, 0, kNoFolio, ENOMEM_));
  EXPECT_FALSE(h.holds("longterm-pin-contract"));
  h.after = h.cfg.initial;
  EXPECT_TRUE(h.holds("longterm-pin-contract"));
}

TEST(Properties, LongtermPinContractReturnedCountWithoutPages) {
  Hand h("cma-demo");
  h.event(ev(EventKind::kGupReturned, 0, kNoFolio, 1));
  EXPECT_FALSE(h.holds("longterm-pin-contract"));
  pin(h.after, 0, 0, 0);
  EXPECT_TRUE(h.holds("longterm-pin-contract"));
}

TEST(Properties, RefcountsRestoredFailedCallStillPins) {
  Hand h("cma-demo");
  h.event(ev(EventKind::kGupReturned, 0, kNoFolio, ENOMEM_));
  EXPECT_TRUE(h.holds("refcounts-restored-after-failed-migration"));
  pin(h.after, 0, 0, 0);
  EXPECT_FALSE(h.holds("refcounts-restored-after-failed-migration"));
}

TEST(Properties, RefcountsRestoredFailedCallLeavesFolioIsolated) {
  Hand h("cma-demo");
  h.event(ev(EventKind::kGupReturned, 0, kNoFolio, ENOMEM_));
  h.before.tasks[0].isolated = 1;                                     // it had isolated folio 0
  EXPECT_TRUE(h.holds("refcounts-restored-after-failed-migration"));  // back on the LRU
  h.after.folios[0].clear(kLru);
  EXPECT_FALSE(h.holds("refcounts-restored-after-failed-migration"));
}

TEST(Properties, NoLongtermPinOnFsdax) {
  Hand h("fsdax");  // folio 0: fsdax, mapped at mm0 addr 0
  pin(h.after, 0, 0, 0);
  EXPECT_TRUE(h.holds("no-longterm-pin-on-fsdax"));  // the call is still in flight
  returned(h.after, 0);
  EXPECT_FALSE(h.holds("no-longterm-pin-on-fsdax"));
}

TEST(Properties, NoLongtermPinInMovable) {
  Hand h("cma-demo");
  pin(h.after, 0, 0, 0);
  returned(h.after, 0);
  EXPECT_FALSE(h.holds("no-longterm-pin-in-movable"));
  // A non-CMA pageblock isolated under an existing pin is legitimate...
  Folio& f = h.after.folios[0];
  f.migratetype = Migratetype::kIsolate;
  f.saved_mt = Migratetype::kMovable;
  EXPECT_TRUE(h.holds("no-longterm-pin-in-movable"));
  // ...an isolated CMA pageblock is still CMA.
  f.saved_mt = Migratetype::kCma;
  EXPECT_FALSE(h.holds("no-longterm-pin-in-movable"));
  f.migratetype = f.saved_mt = Migratetype::kMovable;
  f.zone = Zone::kMovable;
  EXPECT_FALSE(h.holds("no-longterm-pin-in-movable"));
}

TEST(Properties, RefcountAccounting) {
  Hand h("default");
  EXPECT_TRUE(h.holds("refcount-accounting"));
  h.after.folios[1].refcount++;
  EXPECT_FALSE(h.holds("refcount-accounting"));
  EXPECT_NE(h.explain("refcount-accounting").find("holders explain"), std::string::npos);
  h.after = h.cfg.initial;
  h.after.folios[0].pincount = 1;  // a small folio has no pincount
  EXPECT_FALSE(h.holds("refcount-accounting"));
  h.after = h.cfg.initial;
  h.after.folios[0].refcount = -3;
  EXPECT_FALSE(h.holds("refcount-accounting"));
}

TEST(Properties, PinUnpinBalance) {
  Hand h("default");
  Event release = ev(EventKind::kRelease, 0, 0);
  release.ref = PageRef::kPin;
  h.event(release);
  EXPECT_FALSE(h.holds("pin-unpin-balance"));  // T0 holds nothing
  pin(h.before, 0, 0, 0);
  EXPECT_TRUE(h.holds("pin-unpin-balance"));
  h.event(release);  // a second unpin of the one pin
  EXPECT_FALSE(h.holds("pin-unpin-balance"));
}

TEST(Properties, NoUseAfterFree) {
  Hand h("default");  // folio 1 is mapped at mm0 addr 1; folio 2 is free
  EXPECT_TRUE(h.holds("no-use-after-free"));
  Folio& f = h.after.folios[1];
  f = h.cfg.initial.folios[2];  // freed while still mapped
  EXPECT_FALSE(h.holds("no-use-after-free"));
  h.after = h.cfg.initial;
  h.after.tasks[1].pages[0] = PageRef::make(2, 0, PageRef::kGet);
  EXPECT_FALSE(h.holds("no-use-after-free"));
}

TEST(Properties, PinnedNeverMigratedOrFreed) {
  Hand h("cma-demo");
  pin(h.before, 0, 0, 0);
  Event moved = ev(EventKind::kMigrated, 1, 0);
  moved.other = 1;
  h.event(moved);
  EXPECT_FALSE(h.holds("pinned-never-migrated-or-freed"));
  // The pinner dropping its pin first (the device-coherent hand-over) is fine.
  h.events.clear();
  Event unpin = ev(EventKind::kRelease, 0, 0);
  unpin.ref = PageRef::kPin;
  h.event(unpin);
  h.event(moved);
  EXPECT_TRUE(h.holds("pinned-never-migrated-or-freed"));
  h.events.clear();
  h.event(ev(EventKind::kReclaimed, 1, 0));
  EXPECT_FALSE(h.holds("pinned-never-migrated-or-freed"));
}

TEST(Properties, PinCoherence) {
  Hand h("cma-demo");
  pin(h.after, 0, 0, 0);
  returned(h.after, 0);
  EXPECT_TRUE(h.holds("pin-coherence"));
  // Fork, COW or unshare moved the pinner's PTE to another page.
  h.after.mms[0].ptes[0] = Pte::make_present(1, 0, true);
  EXPECT_FALSE(h.holds("pin-coherence"));
  EXPECT_NE(h.explain("pin-coherence").find("no longer maps"), std::string::npos);
}

TEST(Properties, NoWriteWithoutPermission) {
  Hand h("cma-demo");
  Event grab = ev(EventKind::kGrab, 0, 0);
  grab.ref = PageRef::kPin;
  grab.write = true;
  grab.mm = 0;
  grab.addr = 0;
  h.event(grab);
  EXPECT_TRUE(h.holds("no-write-without-permission"));  // mapped writable
  h.after.mms[0].ptes[0] = Pte::make_present(0, 0, false);
  EXPECT_TRUE(h.holds("no-write-without-permission"));  // R/O but exclusive anon
  h.after.folios[0].anon_exclusive = 0;
  EXPECT_FALSE(h.holds("no-write-without-permission"));  // Dirty COW
}

TEST(Properties, FastPathSubset) {
  Hand h("gupfast-cma");  // pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM) of a CMA folio
  h.before.tasks[0].snap = h.cfg.initial.mms[0].ptes[0];
  Event grab = ev(EventKind::kGrab, 0, 0);
  grab.ref = PageRef::kPin;
  h.event(grab);
  EXPECT_FALSE(h.holds("fast-path-subset"));
  h.after.folios[0].migratetype = Migratetype::kMovable;
  EXPECT_TRUE(h.holds("fast-path-subset"));
  h.after.folios[0].kind = FolioKind::kPageCache;  // writable long-term pin of ext4 page cache
  EXPECT_FALSE(h.holds("fast-path-subset"));
}

TEST(Properties, NoFalseRefusalOfMigratableCmaFolio) {
  Hand h("cma-demo");  // a free ZONE_NORMAL folio can take the CMA folio's contents
  h.event(ev(EventKind::kGupReturned, 0, kNoFolio, ENOMEM_));
  EXPECT_FALSE(h.holds("no-false-refusal"));
  h.before.tasks[0].ghost = kGhostInterfered;  // another task ran during the call
  EXPECT_TRUE(h.holds("no-false-refusal"));
  h.before.tasks[0].ghost = 0;
  h.after.folios[1].zone = Zone::kMovable;  // no pinnable target: -ENOMEM is the contract
  EXPECT_TRUE(h.holds("no-false-refusal"));
}

TEST(Properties, NoFalseRefusalOfZeroPage) {
  ConfigBuilder b("zero-page");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, VM_READ | VM_WRITE);
  FolioSpec zero;
  zero.kind = FolioKind::kZeroPage;
  int z = b.add_folio(zero);
  b.map(0, 0, z, 0, false);
  b.add_task({pin_user_pages(0, 0, 1, 0), unpin_user_pages()});
  Config cfg = b.build();
  State s = cfg.initial;
  EventLog events;
  events.add(ev(EventKind::kGupReturned, 0, kNoFolio, EFAULT_));
  Transition tr{&s, Step{}, &events, s};
  EXPECT_FALSE(prop("no-false-refusal").holds(tr, cfg));
  events.clear();
  events.add(ev(EventKind::kGupReturned, 0, kNoFolio, 1));
  EXPECT_TRUE(prop("no-false-refusal").holds(tr, cfg));
}

TEST(Properties, PinLoopTerminates) {
  Hand h("cma-off-lru");  // task 1 compacts folio 0
  h.before.tasks[0].rounds = 2;
  h.after.tasks[0].rounds = 3;
  EXPECT_FALSE(h.holds("pin-loop-terminates"));
  h.after.tasks[1].isolated = 1;  // compaction holds folio 0 off the LRU
  EXPECT_TRUE(h.holds("pin-loop-terminates"));
  h.after.tasks[1].isolated = 0;
  h.before.tasks[0].rounds = 3;  // no round ended in this step
  EXPECT_TRUE(h.holds("pin-loop-terminates"));
}

}  // namespace
}  // namespace gup
