// The engine option rules the spec loader and the command line share:
// exact ranges, no wrap-around, and the rules between options.
#include "checker/spec/option_rules.h"

#include <gtest/gtest.h>

#include "checker/spec/byte_size.h"

namespace gup {
namespace {

std::string parse(const char* key, const char* text, OptionValue* v = nullptr) {
  OptionValue scratch;
  return parse_option(option_rule(key), text, v ? v : &scratch);
}

TEST(ByteSize, NeverWraps) {
  EXPECT_EQ(parse_byte_size("2G"), uint64_t(2) << 30);
  EXPECT_EQ(parse_byte_size("17179869183G"), uint64_t(17179869183) << 30);
  EXPECT_EQ(parse_byte_size("17179869184G"), std::nullopt);  // 2^64
  EXPECT_EQ(parse_byte_size("17179869185G"), std::nullopt);
  EXPECT_EQ(parse_byte_size("99999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_byte_size("-1"), std::nullopt);
  EXPECT_EQ(parse_byte_size("1T"), std::nullopt);
  EXPECT_EQ(byte_size_text(uint64_t(1) << 40), "1024G");
  EXPECT_EQ(byte_size_text(64), "64");
}

TEST(OptionRules, RangesAreExact) {
  OptionValue v;
  EXPECT_EQ(parse("seed", "18446744073709551615", &v), "");
  EXPECT_EQ(v.number, UINT64_MAX);
  EXPECT_EQ(parse("seed", "18446744073709551616"),
            "must be from 0 to 18446744073709551615, got 18446744073709551616");
  EXPECT_EQ(parse("seed", "-1"), "must be a whole number from 0 to 18446744073709551615, got '-1'");
  EXPECT_EQ(parse("seed", "+1"), "must be a whole number from 0 to 18446744073709551615, got '+1'");
  EXPECT_EQ(parse("jobs", "0"), "must be from 1 to 256, got 0");
  EXPECT_EQ(parse("table", "63"), "must be from 64 to 1024G, got 63");
  EXPECT_EQ(parse("max_memory", "1025G"), "must be from 1 to 1024G, got 1025G");
  EXPECT_EQ(parse("time", "0", &v), "");
  EXPECT_EQ(v.seconds, 0);
  EXPECT_EQ(parse("time", "1.5", &v), "");
  EXPECT_EQ(v.seconds, 1.5);
  for (const char* bad : {"nan", "inf", "-0.5", "1e400", "604801", "5s", ""})
    EXPECT_NE(parse("time", bad), "") << bad;
}

TEST(OptionRules, CombinationsAndReaders) {
  EngineOptions o;
  o.table_bytes = 1 << 20;
  EXPECT_NE(option_combination_problem(o).find("add compact = true (--compact)"),
            std::string::npos);
  o.compact = true;
  EXPECT_EQ(option_combination_problem(o), "");
  o.por = true;
  EXPECT_NE(option_combination_problem(o).find("cannot go with sleep sets"), std::string::npos);
  EXPECT_EQ(readers(option_rule("max_states")), "explore");
  EXPECT_EQ(readers(option_rule("jobs")), "random and explore");
  EXPECT_EQ(readers(option_rule("time")), "random, explore and bmc");
  EXPECT_TRUE(engine_reads(option_rule("solver_rlimit"), "bmc"));
  EXPECT_FALSE(engine_reads(option_rule("solver_rlimit"), "explore"));
}

}  // namespace
}  // namespace gup
