// The spec loader: valid specs build the configuration they describe, and
// every kind of bad input gets its exact message, location and caret.
#include "checker/spec/spec.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "checker/cli/engines.h"
#include "checker/spec/edit_distance.h"

namespace gup {
namespace {

// A valid spec; tests append to it or replace a line of it.
constexpr const char* kValid = R"(name = "t"
[machine]
[[machine.folio]]
kind = "anon"
migratetype = "cma"
[[machine.folio]]
kind = "anon"
free = true
[[machine.vma]]
start = 0
end = 1
kind = "anon"
[[machine.mapping]]
addr = 0
folio = 0
writable = true
[[machine.task]]
script = [{ op = "pin_user_pages", flags = ["FOLL_WRITE", "FOLL_LONGTERM"] }, "unpin_user_pages"]
)";

std::string error_of(const std::string& text) {
  try {
    parse_specs(text, "t.toml");
  } catch (const SpecError& e) {
    return e.format();
  }
  return "no error";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

TEST(Spec, ValidSpecBuildsItsConfiguration) {
  std::vector<Spec> specs = parse_specs(kValid, "t.toml");
  ASSERT_EQ(specs.size(), 1u);
  const Spec& s = specs[0];
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.config.nr_folios, 2);
  EXPECT_EQ(s.config.nr_tasks, 1);
  EXPECT_EQ(s.config.script_len[0], 2);
  EXPECT_EQ(s.config.op(0, 0).kind, OpKind::kPinUserPages);
  EXPECT_EQ(s.config.op(0, 0).flags, uint32_t(FOLL_WRITE | FOLL_LONGTERM));
  EXPECT_EQ(s.config.op(0, 1).kind, OpKind::kUnpinUserPages);
  EXPECT_EQ(s.config.initial.folios[0].migratetype, Migratetype::kCma);
  EXPECT_TRUE(s.config.initial.folios[1].is_free());
  EXPECT_TRUE(s.config.initial.mms[0].ptes[0].present());
  EXPECT_EQ(s.variant, base_variant().name);
  EXPECT_EQ(s.properties.size(), all_properties().size());
  ASSERT_EQ(s.checks.size(), 1u);
  EXPECT_EQ(s.checks[0].engine, "random");
}

TEST(Spec, ChecksVariantAndPropertiesAreRead) {
  std::string text = std::string("variant = \"migrate-fail-pins-anyway\"\n") +
                     "properties = [\"refcount-accounting\"]\n" + kValid +
                     "[[check]]\nengine = \"random\"\nruns = 7\nmax_steps = 9\nseed = 5\n"
                     "[[check]]\nengine = \"explore\"\nmax_states = 1000\nmax_memory = \"2M\"\n"
                     "compact = true\ntable = \"64M\"\n";
  Spec s = parse_specs(text, "t.toml").at(0);
  EXPECT_EQ(s.variant, "migrate-fail-pins-anyway");
  ASSERT_EQ(s.properties.size(), 1u);
  EXPECT_STREQ(s.properties[0]->name, "refcount-accounting");
  ASSERT_EQ(s.checks.size(), 2u);
  EXPECT_EQ(s.checks[0].options.runs, 7);
  EXPECT_EQ(s.checks[0].options.max_steps, 9);
  EXPECT_EQ(s.checks[0].options.seed, 5u);
  EXPECT_EQ(s.checks[1].engine, "explore");
  EXPECT_EQ(s.checks[1].options.max_states, 1000u);
  EXPECT_EQ(s.checks[1].options.max_memory, 2u << 20);
  EXPECT_EQ(s.checks[1].options.table_bytes, 64u << 20);
}

TEST(SpecError, TableWithoutCompactIsAnError) {
  std::string text = kValid + std::string("[[check]]\nengine = \"explore\"\ntable = \"64M\"\n");
  EXPECT_NE(error_of(text).find("error: a fingerprint table ('table', --table) sizes the table of "
                                "hash compaction: add compact = true (--compact)"),
            std::string::npos)
      << error_of(text);
}

TEST(Spec, OverridesReplaceVariantAndProperties) {
  SpecOverrides o{"migrate-fail-pins-anyway", {"pin-unpin-balance"}};
  Spec s = parse_specs(kValid, "t.toml", o).at(0);
  EXPECT_EQ(s.variant, "migrate-fail-pins-anyway");
  EXPECT_EQ(s.config.variant, find_variant("migrate-fail-pins-anyway"));
  ASSERT_EQ(s.properties.size(), 1u);
  EXPECT_STREQ(s.properties[0]->name, "pin-unpin-balance");
}

TEST(SpecError, BadFolioKindSuggestsTheClosest) {
  EXPECT_EQ(
      error_of(replace(kValid, "kind = \"anon\"\nmigratetype", "kind = \"anno\"\nmigratetype")),
      "t.toml:4:8: error: unknown folio kind 'anno' (did you mean 'anon'?)\n"
      "kind = \"anno\"\n"
      "       ^\n");
}

TEST(SpecError, UnknownKeyIsAnErrorWithSuggestion) {
  EXPECT_EQ(error_of(replace(kValid, "free = true", "fre = true")),
            "t.toml:8:1: error: unknown key 'fre' in [[machine.folio]] (did you mean 'free'?)\n"
            "fre = true\n"
            "^\n");
}

TEST(SpecError, UnknownKeyWithNothingCloseListsTheKeys) {
  EXPECT_EQ(error_of(replace(kValid, "writable = true", "colour = 3")),
            "t.toml:16:1: error: unknown key 'colour' in [[machine.mapping]]; expected one of: "
            "mm, addr, folio, page, writable, exclusive\n"
            "colour = 3\n"
            "^\n");
}

TEST(SpecError, UnknownTopLevelKey) {
  EXPECT_EQ(error_of(std::string("varient = \"base\"\n") + kValid),
            "t.toml:1:1: error: unknown key 'varient' in a spec (did you mean 'variant'?)\n"
            "varient = \"base\"\n"
            "^\n");
}

TEST(SpecError, UnknownPropertySuggestsTheClosest) {
  EXPECT_EQ(error_of(std::string("properties = [\"refcount-acounting\"]\n") + kValid),
            "t.toml:1:15: error: unknown property 'refcount-acounting' (did you mean "
            "'refcount-accounting'?)\n"
            "properties = [\"refcount-acounting\"]\n"
            "              ^\n");
}

TEST(SpecError, UnknownVariantSuggestsTheClosest) {
  EXPECT_EQ(error_of(std::string("variant = \"migrate-fail-pin-anyway\"\n") + kValid),
            "t.toml:1:11: error: unknown variant 'migrate-fail-pin-anyway' (did you mean "
            "'migrate-fail-pins-anyway'?)\n"
            "variant = \"migrate-fail-pin-anyway\"\n"
            "          ^\n");
}

TEST(SpecError, UnknownVariantOnTheCommandLine) {
  try {
    parse_specs(kValid, "t.toml", SpecOverrides{"zzzz", {}});
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.format(),
              "gupcheck: error: unknown variant 'zzzz' (gupcheck list variants shows them)\n");
  }
}

TEST(SpecError, MappingToAMissingFolio) {
  EXPECT_EQ(error_of(replace(kValid, "folio = 0", "folio = 5")),
            "t.toml:15:9: error: folio 5 does not exist: the spec defines 2 folios (0 to 1)\n"
            "folio = 5\n"
            "        ^\n");
}

TEST(SpecError, AddressBeyondTheModel) {
  EXPECT_EQ(error_of(replace(kValid, "addr = 0", "addr = 7")),
            "t.toml:14:8: error: 'addr' must be from 0 to 3, got 7 (the model has pages 0 to 3 "
            "per address space (kMaxAddrs))\n"
            "addr = 7\n"
            "       ^\n");
}

TEST(SpecError, TooManyTasks) {
  std::string text = kValid;
  for (int i = 0; i < 4; i++) text += "[[machine.task]]\nscript = [\"lru_add_drain_all\"]\n";
  EXPECT_EQ(error_of(text),
            "t.toml:25:1: error: too many tasks: the model runs at most 4 (kMaxTasks)\n"
            "[[machine.task]]\n"
            "^\n");
}

TEST(SpecError, ScriptLongerThanTheModelAllows) {
  EXPECT_EQ(error_of(replace(kValid, "\"unpin_user_pages\"]",
                             "\"unpin_user_pages\", \"cma_alloc\", \"cma_alloc\", \"cma_alloc\"]")),
            "t.toml:18:10: error: a script holds at most 4 ops (kMaxScript), got 5\n"
            "script = [{ op = \"pin_user_pages\", flags = [\"FOLL_WRITE\", \"FOLL_LONGTERM\"] }, "
            "\"unpin_user_pages\", \"cma_alloc\", \"cma_alloc\", \"cma_alloc\"]\n"
            "         ^\n");
}

TEST(SpecError, UnknownOpSuggestsTheClosest) {
  EXPECT_EQ(error_of(replace(kValid, "op = \"pin_user_pages\"", "op = \"pin_user_page\"")),
            "t.toml:18:18: error: unknown op 'pin_user_page' (did you mean 'pin_user_pages'?)\n"
            "script = [{ op = \"pin_user_page\", flags = [\"FOLL_WRITE\", \"FOLL_LONGTERM\"] }, "
            "\"unpin_user_pages\"]\n"
            "                 ^\n");
}

TEST(SpecError, InternalFollFlagIsRefused) {
  EXPECT_EQ(error_of(replace(kValid, "\"FOLL_WRITE\"", "\"FOLL_PIN\"")),
            "t.toml:18:45: error: FOLL_PIN is internal to GUP: the entry point sets it "
            "(pin_user_pages*: FOLL_PIN, get_user_pages*: FOLL_GET)\n"
            "script = [{ op = \"pin_user_pages\", flags = [\"FOLL_PIN\", \"FOLL_LONGTERM\"] }, "
            "\"unpin_user_pages\"]\n"
            "                                            ^\n");
}

TEST(SpecError, WrongValueType) {
  EXPECT_EQ(error_of(replace(kValid, "free = true", "free = \"yes\"")),
            "t.toml:8:8: error: expected true or false for 'free', got a string\n"
            "free = \"yes\"\n"
            "       ^\n");
}

TEST(SpecError, InvalidToml) {
  EXPECT_EQ(error_of("[machine\n"),
            "t.toml:1:9: error: invalid TOML: Error while parsing table header: expected ']', "
            "saw '\\n'\n"
            "[machine\n"
            "        ^\n");
}

TEST(SpecError, SpecWithoutMachine) {
  EXPECT_EQ(error_of("name = \"x\"\n"),
            "t.toml:1:1: error: a spec needs a [machine] table, builtin = \"NAME\", or include = "
            "[...]\n"
            "name = \"x\"\n"
            "^\n");
}

TEST(SpecError, UnknownBuiltinConfig) {
  EXPECT_EQ(error_of("builtin = \"defualt\"\n"),
            "t.toml:1:11: error: unknown builtin config 'defualt' (did you mean 'default'?)\n"
            "builtin = \"defualt\"\n"
            "          ^\n");
}

TEST(SpecError, UnknownEngine) {
  EXPECT_EQ(error_of(std::string(kValid) + "[[check]]\nengine = \"randon\"\n"),
            "t.toml:20:10: error: unknown engine 'randon' (did you mean 'random'?)\n"
            "engine = \"randon\"\n"
            "         ^\n");
}

// Specs check engine names against kEngineNames without linking the
// engines; the CLI's registry runs them: both name the same engines, in
// the same order.
TEST(SpecEngines, NamesAreTheRegistrys) {
  ASSERT_EQ(all_engines().size(), kEngineNames.size());
  for (size_t i = 0; i < kEngineNames.size(); i++) {
    EXPECT_STREQ(all_engines()[i]->name, kEngineNames[i]);
    EXPECT_EQ(find_engine(kEngineNames[i]), all_engines()[i]);
    EXPECT_STREQ(lookup_engine(kEngineNames[i]), kEngineNames[i]);
  }
}

TEST(SpecError, TooManyFoliosReportsTheBuilderAtTheTable) {
  std::string text = "[machine]\n";
  for (int i = 0; i < kMaxFolios + 1; i++) text += "[[machine.folio]]\nkind = \"anon\"\n";
  std::string err = error_of(text);
  std::string where = fmt::format("t.toml:{}:1: error: ", 2 + 2 * kMaxFolios);
  EXPECT_EQ(err.substr(0, where.size()), where) << err;
  EXPECT_NE(err.find("[[machine.folio]]\n^\n"), std::string::npos) << err;
}

class SuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gupcheck_spec_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "sub");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::filesystem::path dir_;
};

TEST_F(SuiteTest, IncludesResolveRelativeToTheIncludingFile) {
  write("sub/a.toml", kValid);
  write("sub/b.toml", std::string("name = \"b\"\n") + (kValid + 11));
  write("sub/inner.toml", "include = [\"b.toml\"]\n");
  std::string top = write("suite.toml", "include = [\"sub/a.toml\", \"sub/inner.toml\"]\n");
  std::vector<Spec> specs = load_specs(top);
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name, "t");
  EXPECT_EQ(specs[1].name, "b");
  EXPECT_EQ(specs[1].path, (dir_ / "sub/b.toml").string());
}

TEST_F(SuiteTest, MissingIncludeIsAnError) {
  std::string top = write("suite.toml", "include = [\"nope.toml\"]\n");
  try {
    load_specs(top);
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.format(), fmt::format("{}:1:12: error: cannot open '{}': no such file\n"
                                      "include = [\"nope.toml\"]\n"
                                      "           ^\n",
                                      top, (dir_ / "nope.toml").string()));
  }
}

TEST_F(SuiteTest, IncludeCycleIsAnError) {
  std::string a = write("a.toml", "include = [\"b.toml\"]\n");
  std::string b = write("b.toml", "include = [\"a.toml\"]\n");
  try {
    load_specs(a);
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.format(), fmt::format("{}:1:12: error: include cycle: {} -> {} -> {}\n"
                                      "include = [\"a.toml\"]\n"
                                      "           ^\n",
                                      b, a, b, a));
  }
}

TEST_F(SuiteTest, SuiteHoldsOnlyIncludes) {
  write("a.toml", kValid);
  std::string top = write("s.toml", "include = [\"a.toml\"]\n[machine]\n");
  try {
    load_specs(top);
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.format(),
              fmt::format("{}:2:2: error: unknown key 'machine' in a suite (a file with "
                          "'include' lists other specs and nothing else); expected one of: "
                          "include, description\n"
                          "[machine]\n"
                          " ^\n",
                          top));
  }
}

TEST(SpecFiles, MissingFileIsAnError) {
  try {
    load_specs("/nonexistent/x.toml");
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.format(), "/nonexistent/x.toml: error: cannot open the spec file: no such file\n");
  }
}

}  // namespace
}  // namespace gup

namespace gup {
namespace {

TEST(EditDistance, CountsSwapsAsOneEdit) {
  EXPECT_EQ(edit_distance("anno", "anon"), 1);
  EXPECT_EQ(edit_distance("", "abc"), 3);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3);
  std::vector<std::string> names = {"anon", "shmem", "hugetlb"};
  EXPECT_EQ(did_you_mean("hugtelb", names), " (did you mean 'hugetlb'?)");
  EXPECT_EQ(did_you_mean("xyz", names), "");
}

}  // namespace
}  // namespace gup
