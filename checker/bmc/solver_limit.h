// Per-query limits of the Z3 solvers (bmc, its proofs, guidance): a
// wall-clock timeout, or a Z3 resource limit (`rlimit`, counted in the
// solver's own work units).
//
// Invariant: with a resource limit no wall-clock limit is set on the
// query, so a slow or busy machine gets the same answer, only later. The
// tests use it; the command line keeps wall-clock limits (--time).
#pragma once

#include <z3++.h>

#include <algorithm>

namespace gup {

struct QueryLimit {
  double seconds = 0;  // used when rlimit == 0
  unsigned rlimit = 0;
};

inline void set_query_limit(z3::context& z, z3::solver& s, const QueryLimit& l) {
  z3::params p(z);
  if (l.rlimit)
    p.set("rlimit", l.rlimit);
  else
    p.set("timeout", unsigned(std::clamp(l.seconds * 1000, 1.0, 4.0e9)));
  s.set(p);
}

}  // namespace gup
