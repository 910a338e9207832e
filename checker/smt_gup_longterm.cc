// Mirrors of model/gup_longterm.cc (mm/gup.c, 6.12.117): the long-term
// loop of __gup_longterm_locked() around check_and_migrate_movable_pages()
// -> collect_longterm_unpinnable_folios() and
// migrate_longterm_unpinnable_folios().
#include "checker/smt_encode.h"
#include "model/gup_internal.h"

namespace gup::smt {

namespace {

// model collect_step() / collect_longterm_unpinnable_folios() for the
// folio at pages[j]; consecutive entries of one folio are visited once.
void collect_step(const Enc& e, SState& s, int task, const Op& op, const expr& choice) {
  auto body = [&](SState& s0) {
    const STask& t0 = s0.t[task];
    expr idx = e.ref_folio(e.page_at(s0, task, t0.j));
    // do t.j++; while (t.j < i && pages[t.j].folio() == idx);
    expr j = t0.j + e.b8(1);
    expr going = e.tt();
    for (int n = 0; n < kMaxPages; n++) {
      going = going && z3::ult(j, t0.i) && e.ref_folio(e.page_at(s0, task, j)) == idx;
      j = z3::ite(going, j + e.b8(1), j);
    }
    s0.t[task].j = j;
    int cpu = Config::cpu_of(task);
    e.cases(s0, idx, e.cfg.nr_folios, [&](SState& x, int k) {
      e.branch(x, !e.folio_is_longterm_pinnable(x, k), [&](SState& y) {
        y.t[task].collected = y.t[task].collected + e.b8(1);
        expr pin_refs = e.pick(e.folio_large(y, k), e.b16(1), e.b16(kGupPinCountingBias));
        auto isolated = [&](SState& w) { w.t[task].isolated = w.t[task].isolated | e.b16(1 << k); };
        auto not_isolated = [&](SState& w) {
          if (!e.v.collect_counts_unisolated) w.t[task].collected = w.t[task].collected - e.b8(1);
        };
        e.branch(
            y, e.is_kind(y, k, FolioKind::kHugetlb),
            [&](SState& w) {
              e.isolate_hugetlb(w, k);
              e.branch(w, w.ok, isolated, not_isolated);
            },
            [&](SState& w) {
              e.branch(w, !e.is_kind(w, k, FolioKind::kDeviceCoherent), [&](SState& u) {
                auto needs = [&](const SState& q, int level) {
                  expr cached = e.fold(!e.folio_large(q, k));  // folio_may_be_lru_cached()
                  return q.t[task].drained == e.b8(level) && cached &&
                         q.f[k].refcount != e.folio_expected_ref_count(q, k) + pin_refs;
                };
                e.branch(u, needs(u, 0), [&](SState& q) {
                  e.lru_add_drain_cpu(q, cpu);
                  q.t[task].drained = e.b8(1);
                });
                e.branch(u, needs(u, 1), [&](SState& q) {
                  e.lru_add_drain_all(q);
                  q.t[task].drained = e.b8(2);
                });
                e.folio_isolate_lru(u, k);
                e.branch(u, u.ok, isolated, not_isolated);
              });
            });
      });
    });
    e.branch(s0, !z3::ult(s0.t[task].j, s0.t[task].i), [&](SState& x) {
      expr nothing = e.v.check_and_migrate_returns_0_on_empty_list ? x.t[task].isolated == e.b16(0)
                                                                   : x.t[task].collected == e.b8(0);
      e.branch(
          x, nothing,
          [&](SState& y) {
            e.log_return(y, EventKind::kCheckMigrateReturned, task, e.b8(0));
            e.gup_return(y, task, op, y.t[task].i - y.t[task].nr_done);
          },
          [&](SState& y) {
            y.t[task].j = y.t[task].nr_done;
            y.t[task].pc = e.b8(kernel::kPcUnpin);
          });
    });
  };
  if (!e.v.check_and_migrate_kmalloc_leaks_pins) return body(s);
  e.branch(
      s, choice,
      [&](SState& x) {
        e.log_return(x, EventKind::kCheckMigrateReturned, task, e.b8(ENOMEM_));
        e.gup_return(x, task, op, e.b8(ENOMEM_));
      },
      body);
}

// model unpin_step() (gup_longterm.cc) / migrate_longterm_unpinnable_folios():
// every pin of the round is dropped, device-coherent folios are moved.
void unpin_step(const Enc& e, SState& s, int task, const Op& op, const expr& choice) {
  s.exited = e.ff();
  e.cases(s, s.t[task].j, kMaxPages, [&](SState& x, int j) {
    expr p = x.t[task].pages[j];
    e.branch(x, !e.ref_empty(p), [&](SState& y) {
      y.t[task].pages[j] = e.b8(PageRef::none().bits);
      e.cases(y, e.ref_folio(p), e.cfg.nr_folios, [&](SState& w, int k) {
        e.log_release(w, task, k, e.ref_kind(p));
        e.branch(
            w, e.is_kind(w, k, FolioKind::kDeviceCoherent),
            [&](SState& u) {
              e.gup_put_folio(u, k, FOLL_PIN);
              auto fail = [&](SState& q) {
                // pofs_unpin() of the rest, putback, -EBUSY.
                for (int r = j + 1; r < kMaxPages; r++) {
                  expr qr = q.t[task].pages[r];
                  e.branch(q, z3::ult(e.b8(r), q.t[task].i) && !e.ref_empty(qr), [&](SState& g) {
                    e.cases(g, e.ref_folio(qr), e.cfg.nr_folios, [&](SState& h, int m) {
                      e.log_release(h, task, m, e.ref_kind(qr));
                      e.gup_put_folio(h, m, FOLL_PIN);
                    });
                    g.t[task].pages[r] = e.b8(PageRef::none().bits);
                  });
                }
                e.putback_movable_pages(q, task);
                e.log_return(q, EventKind::kCheckMigrateReturned, task, e.b8(EBUSY_));
                e.gup_return(q, task, op, e.b8(EBUSY_));
              };
              auto ok = [&](SState& q, int d) {
                e.folio_get(q, d);
                e.set(q, d, kLru);
                e.move_folio_contents(q, k, d);
                e.folio_put_refs(q, d, 1);
              };
              // model: migrate_vma_check_page() refuses a folio with
              // references beyond its mappings.
              expr busy = u.f[k].refcount > z3::sext(u.f[k].mapcount, 8);
              e.branch(u, choice || busy, fail, [&](SState& q) {
                e.cases(q, q.f[k].order, 2, [&](SState& r, int order) {
                  e.alloc_folio(r, false, order, e.b8(int(FolioKind::kAnon)), ok, fail);
                });
              });
            },
            [&](SState& u) { e.gup_put_folio(u, k, FOLL_PIN); });
      });
    });
  });
  e.branch(s, !s.exited, [&](SState& x) {
    x.t[task].j = x.t[task].j + e.b8(1);
    e.branch(x, !z3::ult(x.t[task].j, x.t[task].i), [&](SState& y) {
      y.t[task].pc = z3::ite(e.next_folio_to_migrate(y, task) == e.b8(kNoFolio),
                             e.b8(kernel::kPcPutback), e.b8(kernel::kPcMigrateUnmap));
    });
  });
}

// model migrate_unmap_step().
void migrate_unmap_step(const Enc& e, SState& s, int task, const expr& choice) {
  e.cases(s, e.next_folio_to_migrate(s, task), e.cfg.nr_folios, [&](SState& x, int k) {
    e.migrate_folio_unmap(x, task, k, true, choice);
    e.branch(
        x, x.ret == e.b8(0),
        [&](SState& y) {
          y.t[task].j = e.b8(k);
          y.t[task].pc = e.b8(kernel::kPcMigrateMove);
        },
        [&](SState& y) {
          e.branch(y, e.next_folio_to_migrate(y, task) == e.b8(kNoFolio),
                   [&](SState& w) { w.t[task].pc = e.b8(kernel::kPcPutback); });
        });
  });
}

// model migrate_move_step().
void migrate_move_step(const Enc& e, SState& s, int task) {
  e.cases(s, s.t[task].j, e.cfg.nr_folios,
          [&](SState& x, int k) { e.migrate_folio_move(x, task, k); });
  s.t[task].pc = z3::ite(e.next_folio_to_migrate(s, task) == e.b8(kNoFolio),
                         e.b8(kernel::kPcPutback), e.b8(kernel::kPcMigrateUnmap));
}

// model putback_step() / putback_movable_pages(), the return of
// migrate_longterm_unpinnable_folios() and __gup_longterm_locked()'s loop.
void putback_step(const Enc& e, SState& s, int task, const Op& op) {
  expr failed = s.t[task].failed != e.b16(0);
  e.putback_movable_pages(s, task);
  e.log_return(s, EventKind::kCheckMigrateReturned, task,
               z3::ite(failed, e.b8(ENOMEM_), e.b8(EAGAIN_)));
  auto retry = [&](SState& x) {
    STask& t = x.t[task];
    t.ghost = z3::ite(failed, t.ghost | e.b8(kGhostMigrateOff), t.ghost);
    t.rounds = z3::ite(e.bit(t.ghost, 3), e.b8(0),
                       z3::ite(z3::ult(t.rounds, e.b8(3)), t.rounds + e.b8(1), t.rounds));
    t.ghost = t.ghost & e.b8(uint8_t(~kGhostRoundInterfered));
    t.i = t.nr_done;
    t.j = e.b8(0);
    t.collected = t.drained = e.b8(0);
    t.pc = z3::ite(t.locked != e.b8(0), e.b8(kernel::kPcFollow), e.b8(kernel::kPcLock));
  };
  if (e.v.on_migrate_failure != MigrateFailure::kReturnEnomem) return retry(s);
  e.branch(
      s, failed, [&](SState& x) { e.gup_return(x, task, op, e.b8(ENOMEM_)); }, retry);
}

}  // namespace

// model gup_longterm_choices().
expr Enc::gup_longterm_choices(const SState& s, int task, int pc) const {
  const STask& t = s.t[task];
  if (!cfg.inject_alloc_failure) return b8(1);
  switch (pc) {
    case kernel::kPcCollect:
      if (!v.check_and_migrate_kmalloc_leaks_pins) return b8(1);
      return z3::ite(t.j == t.nr_done, b8(2), b8(1));
    case kernel::kPcUnpin: {
      expr p = page_at(s, task, t.j);
      expr dc =
          folio_field(s, ref_folio(p), &SFolio::kind, b8(0)) == b8(int(FolioKind::kDeviceCoherent));
      return z3::ite(!ref_empty(p) && dc, b8(2), b8(1));
    }
    case kernel::kPcMigrateUnmap:
      return z3::ite(migrate_unmap_allocates(s, next_folio_to_migrate(s, task)), b8(2), b8(1));
    default:
      return b8(1);
  }
}

// model gup_longterm_step().
void Enc::gup_longterm_step(SState& s, int task, const Op& op, int pc, const expr& choice) const {
  switch (pc) {
    case kernel::kPcCollect:
      return collect_step(*this, s, task, op, choice);
    case kernel::kPcUnpin:
      return unpin_step(*this, s, task, op, choice);
    case kernel::kPcMigrateUnmap:
      return migrate_unmap_step(*this, s, task, choice);
    case kernel::kPcMigrateMove:
      return migrate_move_step(*this, s, task);
    default:
      return putback_step(*this, s, task, op);
  }
}

}  // namespace gup::smt
