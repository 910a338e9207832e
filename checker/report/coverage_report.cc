// Rows, text table and JSON of the coverage report (checker/report/coverage_report.h).
#include "checker/report/coverage_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <tuple>

namespace gup::coverage {

namespace {

constexpr const char* kColumnNames[kColumns] = {"random", "random+guide", "explore", "bmc"};
constexpr const char* kCellNames[] = {"reached", "missed", "unknown", "not run"};
constexpr const char* kCellSymbols[] = {"✓", "—", "?", " "};

// Display width: code points, not bytes (✓ and — are three bytes).
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

std::string pad(const std::string& s, size_t w) {
  size_t n = width(s);
  return n >= w ? s : s + std::string(w - n, ' ');
}

Cell cell_of(const std::string& name) {
  for (int i = 0; i < 4; i++)
    if (name == kCellNames[i]) return Cell(i);
  throw std::runtime_error("unknown coverage cell '" + name + "'");
}

std::string branch_text(const Row& r) {
  if (r.branch.is_outcome()) return "    → " + r.outcome;
  std::string s = fmt::format("T{}.{} {} {} ({})", r.branch.task, r.branch.script_pos, r.op,
                              r.function, r.section);
  if (!r.choice.empty()) s += fmt::format(" [{}]", r.choice);
  return s;
}

}  // namespace

const char* column_name(int c) {
  return kColumnNames[c];
}

const char* cell_name(Cell c) {
  return kCellNames[int(c)];
}

int Report::reached(int column, bool outcomes) const {
  int n = 0;
  for (const Row& r : rows)
    n += r.branch.is_outcome() == outcomes && r.cells[column] == Cell::kReached;
  return n;
}

int Report::count(bool outcomes) const {
  int n = 0;
  for (const Row& r : rows) n += r.branch.is_outcome() == outcomes;
  return n;
}

std::vector<Branch> universe(const Config& cfg, const Inputs& in) {
  // A branch, then its outcomes by section (kAnyOutcome sorts first).
  auto before = [](const Branch& a, const Branch& b) {
    auto key = [](const Branch& x) {
      return std::tuple(x.task, x.script_pos, x.pc, x.choice, x.is_outcome() ? int(x.next) : -1);
    };
    return key(a) < key(b);
  };
  std::set<Branch, decltype(before)> all(before);
  for (const Branch& b : candidate_branches(cfg)) all.insert(b);
  for (const Map* m : in.maps)
    if (m) {
      for (const Branch& b : m->branches()) all.insert(b);
      for (const Branch& b : m->outcomes()) all.insert(b);
    }
  return {all.begin(), all.end()};
}

Report make_report(const Config& cfg, const Inputs& in, std::array<ColumnInfo, kColumns> columns) {
  Report rep;
  rep.config = cfg.name;
  rep.variant = cfg.variant ? cfg.variant->name : "base";
  rep.columns = columns;
  for (const Branch& b : universe(cfg, in)) {
    Row row;
    row.branch = b;
    const Op& op = cfg.op(b.task, b.script_pos);
    row.op = op_name(op.kind);
    const char* function = nullptr;
    const char* choice = nullptr;
    for (const Map* m : in.maps)
      if (m && m->hit(b.any_outcome()) && !function) {
        function = m->function(b.any_outcome());
        choice = m->choice_text(b.any_outcome());
      }
    bool gup = op_is_gup(op.kind);
    row.function = function ? function
                   : gup    ? gup_section_function(b.pc, op_is_fast(op.kind))
                            : "?";
    row.choice = choice      ? choice
                 : !b.choice ? ""
                 : gup       ? gup_section_failure(b.pc)
                             : "injected failure";
    // Sections of the other ops have no kernel name of their own: counted
    // from 1 in the op.
    row.section = gup ? gup_section_name(b.pc) : fmt::format("section {}", b.pc + 1);
    if (b.is_outcome())
      row.outcome = b.next == kOpReturned ? "returns"
                    : gup
                        ? fmt::format("{} ({})", gup_section_function(b.next, op_is_fast(op.kind)),
                                      gup_section_name(b.next))
                        : fmt::format("section {}", b.next + 1);
    for (int c = 0; c < 3; c++)
      row.cells[c] = !in.maps[c]          ? Cell::kNotRun
                     : in.maps[c]->hit(b) ? Cell::kReached
                                          : Cell::kMissed;
    row.cells[kBmc] = Cell::kNotRun;
    if (in.bmc && in.bmc->refused.empty()) {
      row.cells[kBmc] = Cell::kUnknown;
      for (const Guided& g : in.bmc->targets)
        if (g.branch == b)
          row.cells[kBmc] = g.reach == Reach::kReached       ? Cell::kReached
                            : g.reach == Reach::kUnreachable ? Cell::kMissed
                                                             : Cell::kUnknown;
    }
    rep.rows.push_back(std::move(row));
  }
  return rep;
}

std::string report_text(const Report& r) {
  size_t w = 6;
  for (const Row& row : r.rows) w = std::max(w, width(branch_text(row)));
  std::string out = fmt::format("coverage of {} ({}): {} branches, {} outcomes\n\n", r.config,
                                r.variant, r.count(), r.count(true));
  out += pad("branch", w + 2);
  for (int c = 0; c < kColumns; c++) out += pad(column_name(c), 14);
  while (out.back() == ' ') out.pop_back();
  out += "\n";
  // Exhaustive search decides reachability: its misses are unreachable.
  const bool exhausted = r.columns[kExplore].ran && r.columns[kExplore].status == "exhausted";
  for (const Row& row : r.rows) {
    out += pad(branch_text(row), w + 2);
    for (int c = 0; c < kColumns; c++) out += pad(kCellSymbols[int(row.cells[c])], 14);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (exhausted && row.cells[kExplore] == Cell::kMissed) out += "   unreachable";
    out += "\n";
  }
  out += "\n";
  for (int c = 0; c < kColumns; c++) {
    const ColumnInfo& ci = r.columns[c];
    if (ci.ran)
      out += fmt::format("{:<13} {} of {} branches, {} of {} outcomes ({})\n", column_name(c),
                         r.reached(c), r.count(), r.reached(c, true), r.count(true), ci.status);
    else
      out += fmt::format("{:<13} did not run: {}\n", column_name(c), ci.status);
  }
  return out;
}

nlohmann::json report_json(const Report& r) {
  nlohmann::json j;
  j["config"] = r.config;
  j["variant"] = r.variant;
  j["columns"] = nlohmann::json::array();
  for (int c = 0; c < kColumns; c++)
    j["columns"].push_back({{"name", column_name(c)},
                            {"ran", r.columns[c].ran},
                            {"status", r.columns[c].status},
                            {"reached", r.reached(c)},
                            {"reached_outcomes", r.reached(c, true)}});
  j["branches"] = nlohmann::json::array();
  for (const Row& row : r.rows) {
    nlohmann::json b = {{"task", row.branch.task},
                        {"script_pos", row.branch.script_pos},
                        {"pc", row.branch.pc},
                        {"choice", row.branch.choice},
                        {"op", row.op},
                        {"function", row.function},
                        {"section", row.section},
                        {"choice_text", row.choice},
                        {"next", row.branch.is_outcome() ? int(row.branch.next) : -1},
                        {"outcome", row.outcome}};
    for (int c = 0; c < kColumns; c++) b[column_name(c)] = cell_name(row.cells[c]);
    j["branches"].push_back(std::move(b));
  }
  return j;
}

Report report_from_json(const nlohmann::json& j) {
  Report r;
  r.config = j.at("config").get<std::string>();
  r.variant = j.at("variant").get<std::string>();
  const nlohmann::json& cols = j.at("columns");
  for (int c = 0; c < kColumns; c++) {
    r.columns[c].ran = cols.at(c).at("ran").get<bool>();
    r.columns[c].status = cols.at(c).at("status").get<std::string>();
  }
  for (const nlohmann::json& b : j.at("branches")) {
    Row row;
    int next = b.at("next").get<int>();
    row.branch = Branch{b.at("task").get<uint8_t>(), b.at("script_pos").get<uint8_t>(),
                        b.at("pc").get<uint8_t>(), b.at("choice").get<uint8_t>(),
                        next < 0 ? kAnyOutcome : uint8_t(next)};
    row.outcome = b.at("outcome").get<std::string>();
    row.op = b.at("op").get<std::string>();
    row.function = b.at("function").get<std::string>();
    row.section = b.at("section").get<std::string>();
    row.choice = b.at("choice_text").get<std::string>();
    for (int c = 0; c < kColumns; c++)
      row.cells[c] = cell_of(b.at(column_name(c)).get<std::string>());
    r.rows.push_back(std::move(row));
  }
  return r;
}

}  // namespace gup::coverage
