// Test helper: FolioSpec shorthands for hand-built machines.
#pragma once

#include "model/config_builder.h"

namespace gup::testing {

inline FolioSpec anon(Migratetype mt = Migratetype::kMovable, int order = 0) {
  FolioSpec s;
  s.migratetype = mt;
  s.order = order;
  return s;
}
inline FolioSpec free_normal(int order = 0) {
  FolioSpec s;
  s.free = true;
  s.order = order;
  return s;
}
inline FolioSpec of_kind(FolioKind k, int order = 0) {
  FolioSpec s;
  s.kind = k;
  s.order = order;
  return s;
}

}  // namespace gup::testing
