// The engine options users set, in a spec's [[check]] table (`max_states`)
// or on the command line (`--max-states`): one table of rules, so that both
// accept exactly the same values and say the same thing about the rest.
//
// Invariants: a value is accepted only if it is in its rule's range (no
// wrap-around, no NaN, no silent clamp); an option is accepted only where
// an engine that runs reads it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "checker/core/engine.h"

namespace gup {

enum class OptionKind {
  kCount,    // a decimal integer in [lo, hi]
  kBytes,    // a size: "512M", "2G", "64K" or bytes, in [lo, hi]
  kSeconds,  // a finite decimal number of seconds in [0, hi]; 0: no limit
  kFlag,     // true or false (a bare flag on the command line)
};

// Bits of OptionRule::engines.
enum : unsigned { kRandomReads = 1, kExploreReads = 2, kBmcReads = 4, kAllRead = 7 };

struct OptionRule {
  const char* key;   // in a [[check]] table: "max_states"
  const char* flag;  // on the command line: "--max-states"
  OptionKind kind;
  uint64_t lo, hi;   // kCount and kBytes: accepted values; kSeconds: hi
  unsigned engines;  // the engines that read it
};

std::span<const OptionRule> option_rules();
const OptionRule& option_rule(std::string_view key);  // key must exist

// The value of one option.
struct OptionValue {
  uint64_t number = 0;  // kCount, kBytes
  double seconds = 0;   // kSeconds
  bool flag = false;    // kFlag
  bool operator==(const OptionValue&) const = default;
};

// Parses `text` (as written on the command line, or an integer, a float or
// a string from a spec) into *out. "" on success, else what is wrong, in
// words that follow the option's name: "must be from 1 to 256, got 0".
std::string parse_option(const OptionRule& rule, std::string_view text, OptionValue* out);

// Sets the field of `o` the rule names.
void set_option(EngineOptions& o, const OptionRule& rule, const OptionValue& v);

// Rules between options, on the options one run ends up with: "" or the
// problem (e.g. a fingerprint table without hash compaction).
std::string option_combination_problem(const EngineOptions& o);

// "explore", "random and explore", ... : the engines that read `rule`.
std::string readers(const OptionRule& rule);
// Whether the engine named `engine` reads the option.
bool engine_reads(const OptionRule& rule, std::string_view engine);

}  // namespace gup
