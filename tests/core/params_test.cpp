#include <gtest/gtest.h>

#include "imbal/error.hpp"
#include "imbal/params.hpp"

namespace imbal {
namespace {

MethodSchema schema() {
  MethodSchema s;
  s.name = "toy";
  s.params = {
      ParamSpec{"k", ParamType::Int, std::int64_t{5}, "neighbours", false, 1.0, std::nullopt, false, false, {}},
      ParamSpec{"r", ParamType::Float, 0.5, "ratio", false, 0.0, 1.0, true, false, {}},
      ParamSpec{"flag", ParamType::Bool, false, "a switch", false, std::nullopt, std::nullopt, false, false, {}},
      ParamSpec{"kind", ParamType::Choice, std::string("a"), "which", false, std::nullopt, std::nullopt, false,
                false, {"a", "b"}},
      ParamSpec{"s", ParamType::FloatPerClass, std::monostate{}, "per class", true, 0.0, std::nullopt, false, false,
                {}},
  };
  return s;
}

TEST(Params, DefaultsAndSetters) {
  const auto s = schema();
  Params p(s);
  EXPECT_EQ(p.get_int("k"), 5);
  EXPECT_TRUE(p.is_none("s"));
  p.set("k", "7");
  p.set("r", "1");
  p.set("flag", "true");
  p.set("kind", "b");
  p.set("s", "pos:1.5,neg:0");
  EXPECT_EQ(p.get_int("k"), 7);
  EXPECT_DOUBLE_EQ(p.get_double("r"), 1.0);
  EXPECT_TRUE(p.get_bool("flag"));
  EXPECT_EQ(p.get_string("kind"), "b");
  EXPECT_EQ(format_value(p.get("s")), "neg:0,pos:1.5");
  p.set("s", "none");
  EXPECT_TRUE(p.is_none("s"));
}

TEST(Params, ErrorsNameParameterAndExpectation) {
  const auto s = schema();
  Params p(s);
  auto message = [&](const char* name, const char* value) {
    try {
      p.set(name, value);
    } catch (const InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("k", "0"), "parameter 'k' of toy: expected an integer >= 1, got '0'");
  EXPECT_EQ(message("k", "2.5"), "parameter 'k' of toy: expected an integer >= 1, got '2.5'");
  EXPECT_EQ(message("r", "0"), "parameter 'r' of toy: expected a number in (0, 1], got '0'");
  EXPECT_EQ(message("kind", "c"), "parameter 'kind' of toy: expected one of a, b, got 'c'");
  EXPECT_EQ(message("flag", "maybe"), "parameter 'flag' of toy: expected true or false, got 'maybe'");
  EXPECT_EQ(message("k", "none"), "parameter 'k' of toy: expected an integer >= 1, got 'none'");
  EXPECT_NE(message("s", "pos:-1").find("per-class"), std::string::npos);
  EXPECT_EQ(message("nope", "1"), "method 'toy' has no parameter 'nope'; its parameters are: k, r, flag, kind, s");
  EXPECT_THROW(split_assignment("k"), InvalidArgument);
  EXPECT_EQ(split_assignment(" k = 3 ").second, "3");
}

}  // namespace
}  // namespace imbal
