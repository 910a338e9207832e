// The coverage report (`gupcheck coverage`, docs/coverage.md): one row per
// branch of the configuration, one column per engine, as text or JSON.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/core/coverage.h"
#include "checker/core/guide.h"

namespace gup::coverage {

enum Column { kRandom, kGuided, kExplore, kBmc, kColumns };
const char* column_name(int c);  // "random", "random+guide", "explore", "bmc"

enum class Cell : uint8_t {
  kReached,  // ✓
  kMissed,   // —  (bmc: unreachable within its depth)
  kUnknown,  // ?  (bmc: the solver gave up or ran out of time)
  kNotRun,   // the column did not run (its status says why)
};
const char* cell_name(Cell c);  // "reached", "missed", "unknown", "not run"

struct ColumnInfo {
  bool ran = false;
  std::string status;  // the verdict, or why the column did not run
  bool operator==(const ColumnInfo&) const = default;
};

struct Row {
  Branch branch;
  std::string op;        // "pin_user_pages"
  std::string function;  // "faultin_page"
  std::string section;   // "kPcFault", or "pc 2" for ops whose sections are private
  std::string choice;    // "" or "allocation fails"
  std::string outcome;   // an outcome's row: "putback_movable_pages (kPcPutback)", "returns"
  std::array<Cell, kColumns> cells{};
  bool operator==(const Row&) const = default;
};

struct Report {
  std::string config, variant;
  std::array<ColumnInfo, kColumns> columns{};
  std::vector<Row> rows;  // each branch followed by its outcomes
  int reached(int column, bool outcomes = false) const;
  int count(bool outcomes = false) const;
  bool operator==(const Report&) const = default;
};

// The engines' results for one configuration; a null map or guide is a
// column that did not run.
struct Inputs {
  std::array<const Map*, 3> maps{};  // kRandom, kGuided, kExplore
  const GuideOutcome* bmc = nullptr;
};

// The branches of the rows: candidate_branches(cfg) and every branch and
// outcome any map reached, each branch followed by its outcomes.
std::vector<Branch> universe(const Config& cfg, const Inputs& in);
Report make_report(const Config& cfg, const Inputs& in, std::array<ColumnInfo, kColumns> columns);

std::string report_text(const Report& r);
nlohmann::json report_json(const Report& r);
// Throws std::exception (nlohmann::json::exception or std::runtime_error).
Report report_from_json(const nlohmann::json& j);

}  // namespace gup::coverage
