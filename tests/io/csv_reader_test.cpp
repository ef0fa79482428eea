// CSV reader: RFC 4180 syntax, type inference, target selection, labels, and every error case
// with its location and message.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"

namespace {

using imbal::ColumnKind;
using imbal::CsvReadOptions;
using imbal::CsvReport;
using imbal::DataError;
using imbal::Dataset;
using imbal::parse_csv;

Dataset parse(const std::string& text, const CsvReadOptions& options = {}, CsvReport* report = nullptr) {
  return parse_csv(text, "test.csv", options, report);
}

// Expects a DataError at (line, column) whose message contains `what`.
void expect_error(const std::string& text, std::size_t line, std::size_t column, const std::string& what,
                  const CsvReadOptions& options = {}) {
  try {
    parse(text, options);
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const DataError& e) {
    EXPECT_EQ(e.file(), "test.csv");
    EXPECT_EQ(e.line(), line) << e.what();
    EXPECT_EQ(e.column(), column) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << what;
  }
}

std::vector<std::string> labels_of(const Dataset& d) {
  std::vector<std::string> out;
  for (const auto c : d.y()) out.push_back(d.classes().names[static_cast<std::size_t>(c)]);
  return out;
}

std::vector<std::string> column_of(const Dataset& d, std::size_t j) {
  std::vector<std::string> out;
  const auto& levels = d.columns()[j].levels;
  for (std::size_t i = 0; i < d.rows(); ++i) out.push_back(levels[static_cast<std::size_t>(d.X()(i, j))]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Basic structure

TEST(CsvReader, ReadsNumericColumnsAndTargetLast) {
  const Dataset d = parse("a,b,label\n1,2.5,x\n-3,4e2,y\n5,.5,x\n");
  ASSERT_EQ(d.rows(), 3u);
  ASSERT_EQ(d.cols(), 2u);
  EXPECT_EQ(d.columns()[0].name, "a");
  EXPECT_EQ(d.columns()[1].name, "b");
  EXPECT_EQ(d.columns()[0].kind, ColumnKind::Numeric);
  EXPECT_EQ(d.target_name(), "label");
  EXPECT_EQ(d.target_position(), 2u);
  EXPECT_EQ(d.X()(0, 0), 1.0);
  EXPECT_EQ(d.X()(0, 1), 2.5);
  EXPECT_EQ(d.X()(1, 0), -3.0);
  EXPECT_EQ(d.X()(1, 1), 400.0);
  EXPECT_EQ(d.X()(2, 1), 0.5);
  EXPECT_EQ(labels_of(d), (std::vector<std::string>{"x", "y", "x"}));
}

TEST(CsvReader, TargetNamedTargetAnywhere) {
  const Dataset d = parse("a,target,b\n1,p,2\n3,q,4\n");
  EXPECT_EQ(d.target_name(), "target");
  EXPECT_EQ(d.target_position(), 1u);
  ASSERT_EQ(d.cols(), 2u);
  EXPECT_EQ(d.columns()[0].name, "a");
  EXPECT_EQ(d.columns()[1].name, "b");
  EXPECT_EQ(d.X()(1, 0), 3.0);
  EXPECT_EQ(d.X()(1, 1), 4.0);
}

TEST(CsvReader, TargetByOption) {
  CsvReadOptions o;
  o.target = "a";
  const Dataset d = parse("a,b,target\nu,2,3\nv,4,5\n", o);
  EXPECT_EQ(d.target_name(), "a");
  EXPECT_EQ(d.target_position(), 0u);
  ASSERT_EQ(d.cols(), 2u);
  EXPECT_EQ(d.columns()[0].name, "b");
  EXPECT_EQ(d.columns()[1].name, "target");
  EXPECT_EQ(d.columns()[1].kind, ColumnKind::Numeric);
  EXPECT_EQ(labels_of(d), (std::vector<std::string>{"u", "v"}));
}

TEST(CsvReader, UnknownTargetListsColumns) {
  CsvReadOptions o;
  o.target = "class";
  expect_error("a,b,c\n1,2,x\n3,4,y\n", 0, 0, "no target column 'class'; the columns are: a, b, c", o);
}

TEST(CsvReader, OnlyATargetColumn) {
  const Dataset d = parse("target\nx\ny\nx\n");
  EXPECT_EQ(d.rows(), 3u);
  EXPECT_EQ(d.cols(), 0u);
  EXPECT_EQ(d.target_position(), 0u);
  EXPECT_EQ(labels_of(d), (std::vector<std::string>{"x", "y", "x"}));
}

TEST(CsvReader, FinalLineWithoutNewline) {
  const Dataset d = parse("a,t\n1,x\n2,y");
  EXPECT_EQ(d.rows(), 2u);
  EXPECT_EQ(labels_of(d).back(), "y");
}

TEST(CsvReader, TrailingBlankLinesIgnored) {
  EXPECT_EQ(parse("a,t\n1,x\n2,y\n\n\n").rows(), 2u);
  EXPECT_EQ(parse("a,t\r\n1,x\r\n2,y\r\n\r\n\r\n").rows(), 2u);
}

TEST(CsvReader, BlankLineInTheMiddleIsRagged) {
  expect_error("a,t\n1,x\n\n2,y\n", 3, 0, "expected 2 fields, found an empty line");
  expect_error("a,t\r\n1,x\r\n\r\n2,y\r\n", 3, 0, "expected 2 fields, found an empty line");
}

TEST(CsvReader, CrlfMixedAndCrLineEnds) {
  for (const std::string text : {"a,t\r\n1,x\r\n2,y\r\n", "a,t\n1,x\r\n2,y\n", "a,t\r1,x\r2,y\r", "a,t\r\n1,x\n2,y"}) {
    const Dataset d = parse(text);
    ASSERT_EQ(d.rows(), 2u) << text;
    EXPECT_EQ(d.columns()[0].name, "a");
    EXPECT_EQ(d.target_name(), "t");
    EXPECT_EQ(d.X()(1, 0), 2.0);
    EXPECT_EQ(labels_of(d), (std::vector<std::string>{"x", "y"})) << text;
  }
  // Line numbers count CRLF as one line end.
  expect_error("a,t\r\n1,x\r\n2\r\n", 3, 0, "expected 2 fields, found 1");
  expect_error("a,t\r1,x\r2\r", 3, 0, "expected 2 fields, found 1");
}

TEST(CsvReader, Utf8BomIsSkipped) {
  const Dataset d = parse("\xEF\xBB\xBF" "a,b,target\n1,2,x\n3,4,y\n");
  EXPECT_EQ(d.columns()[0].name, "a");
  EXPECT_EQ(d.target_name(), "target");
  EXPECT_EQ(d.target_position(), 2u);
  // A BOM only at the very start: elsewhere it is ordinary text.
  const Dataset e = parse("a,t\n\xEF\xBB\xBFz,x\nw,y\n");
  EXPECT_EQ(e.columns()[0].levels[0], "\xEF\xBB\xBFz");
}

TEST(CsvReader, OtherSeparators) {
  CsvReadOptions o;
  o.separator = ';';
  const Dataset d = parse("a;b;t\n1,5;2;x\n3;4;y\n", o);
  ASSERT_EQ(d.cols(), 2u);
  EXPECT_EQ(d.columns()[0].kind, ColumnKind::Categorical);  // "1,5" is text with ';'
  EXPECT_EQ(d.columns()[0].levels[0], "1,5");
  EXPECT_EQ(d.X()(1, 1), 4.0);
  o.separator = '\t';
  const Dataset t = parse("a\tb\tt\n1\t2\tx\n3\t4\ty\n", o);
  EXPECT_EQ(t.X()(1, 1), 4.0);
  EXPECT_EQ(labels_of(t), (std::vector<std::string>{"x", "y"}));
  // A separator that can be part of a number still splits correctly (slow path).
  o.separator = 'e';
  const Dataset e = parse("aeb\n1.5e2\n3e4\n", o);
  EXPECT_EQ(e.columns()[0].name, "a");
  EXPECT_EQ(e.X()(0, 0), 1.5);
  EXPECT_EQ(labels_of(e), (std::vector<std::string>{"2", "4"}));
}

TEST(CsvReader, BadSeparatorIsInvalidArgument) {
  CsvReadOptions o;
  o.separator = '"';
  EXPECT_THROW(parse("a,t\n1,x\n2,y\n", o), imbal::InvalidArgument);
  o.separator = '\n';
  EXPECT_THROW(parse("a,t\n1,x\n2,y\n", o), imbal::InvalidArgument);
}

// ---------------------------------------------------------------------------------------------
// Quoting

TEST(CsvReader, QuotedFieldsWithSeparatorsNewlinesAndQuotes) {
  const std::string text =
      "\"col, one\",\"say \"\"hi\"\"\",target\n"
      "\"a,b\",1,\"pos, really\"\n"
      "\"line1\nline2\",\"2\",\"neg \"\"x\"\"\"\n"
      "\"\"\"q\"\"\",3,\"multi\r\nline\"\n"
      "plain,4,\"pos, really\"\n";
  const Dataset d = parse(text);
  ASSERT_EQ(d.rows(), 4u);
  EXPECT_EQ(d.columns()[0].name, "col, one");
  EXPECT_EQ(d.columns()[1].name, "say \"hi\"");
  EXPECT_EQ(d.columns()[0].kind, ColumnKind::Categorical);
  EXPECT_EQ(d.columns()[1].kind, ColumnKind::Numeric);  // quoted "2" is a number
  EXPECT_EQ(d.X()(1, 1), 2.0);
  EXPECT_EQ(column_of(d, 0), (std::vector<std::string>{"a,b", "line1\nline2", "\"q\"", "plain"}));
  EXPECT_EQ(labels_of(d),
            (std::vector<std::string>{"pos, really", "neg \"x\"", "multi\r\nline", "pos, really"}));
}

TEST(CsvReader, LineNumbersAfterMultiLineFields) {
  // The record on line 5 starts after a field spanning lines 2-4.
  expect_error("a,t\n\"x\ny\nz\",p\n1,q,extra\n", 5, 0, "expected 2 fields, found 3");
  // CRLF inside quotes counts once.
  expect_error("a,t\r\n\"x\r\ny\",p\r\n,q\r\n", 4, 1, "empty cell");
}

TEST(CsvReader, UnterminatedQuoteReportsWhereItOpened) {
  expect_error("a,b,t\n1,2,x\n3,\"open\n4,5,y\n6,7,z\n", 3, 2, "unterminated quoted field");
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsLiteral) {
  const Dataset d = parse("a,t\nab\"c,x\n5\"\",y\n");
  EXPECT_EQ(column_of(d, 0), (std::vector<std::string>{"ab\"c", "5\"\""}));
}

TEST(CsvReader, CharacterAfterClosingQuoteIsAnError) {
  expect_error("a,b,t\n1,2,x\n3,\"4\"5,y\n", 3, 2, "unexpected '5' after the closing quote");
  expect_error("a,b,t\n1,2,x\n3,\"4\" ,y\n", 3, 2, "unexpected space after the closing quote");
}

// ---------------------------------------------------------------------------------------------
// Header

TEST(CsvReader, EmptyColumnNames) {
  expect_error("a,,t\n1,2,x\n", 1, 2, "empty column name");
  expect_error("a,  ,t\n1,2,x\n", 1, 2, "empty column name");
  expect_error("a,b,\n1,2,x\n", 1, 3, "empty column name");
  expect_error("a,\"\",t\n1,2,x\n", 1, 2, "empty column name");
}

TEST(CsvReader, DuplicateColumnNames) {
  expect_error("a,b,a,t\n1,2,3,x\n", 1, 3, "duplicate column name 'a' (also column 1)");
  // Surrounding spaces of names are not significant.
  expect_error("a,b, b ,t\n1,2,3,x\n", 1, 3, "duplicate column name 'b' (also column 2)");
}

TEST(CsvReader, HeaderNamesAreTrimmed) {
  const Dataset d = parse("a , b,target \n1,2,x\n3,4,y\n");
  EXPECT_EQ(d.columns()[0].name, "a");
  EXPECT_EQ(d.columns()[1].name, "b");
  EXPECT_EQ(d.target_name(), "target");
}

TEST(CsvReader, EmptyFileAndHeaderOnly) {
  expect_error("", 0, 0, "file is empty (expected a header line)");
  expect_error("\xEF\xBB\xBF", 0, 0, "file is empty (expected a header line)");
  expect_error("\n\r\n", 0, 0, "file is empty (expected a header line)");
  expect_error("\na,t\n1,x\n", 1, 0, "the header line is empty");
  expect_error("a,b,target\n", 0, 0, "no data rows after the header");
  expect_error("a,b,target", 0, 0, "no data rows after the header");
  expect_error("a,b,target\r\n\r\n\n", 0, 0, "no data rows after the header");
}

// ---------------------------------------------------------------------------------------------
// Rows

TEST(CsvReader, RaggedRows) {
  expect_error("a,b,t\n1,2,x\n3,4\n", 3, 0, "expected 3 fields, found 2");
  expect_error("a,b,t\n1,2,x\n3,4,y,5,6\n", 3, 0, "expected 3 fields, found 5");
  expect_error("a,b,t\n1,2,x\n3,4,y\n5\n", 4, 0, "expected 3 fields, found 1");
  expect_error("a,b,t\n1,2,x,\n", 2, 0, "expected 3 fields, found 4");
}

TEST(CsvReader, EmptyCells) {
  expect_error("a,b,t\n1,2,x\n3,,y\n", 3, 2, "empty cell in column 'b'");
  expect_error("a,b,t\n1,2,x\n3,   ,y\n", 3, 2, "empty cell in column 'b'");
  expect_error("a,b,t\n1,2,x\n,4,y\n", 3, 1, "empty cell in column 'a'");
  expect_error("a,b,t\nu,2,x\nv,4,\n", 3, 3, "empty cell in column 't'");
  expect_error("a,b,t\nu,2,x\n\"\",4,y\n", 3, 1, "empty cell in column 'a'");
  expect_error("a,b,t\nu,2,x\nw,4,  \n", 3, 3, "empty cell in column 't'");
  // In a column already known to be categorical, and in one that switched after numbers.
  expect_error("a,b,t\nu,2,x\n ,4,y\n", 3, 1, "empty cell in column 'a'");
  expect_error("a,b,t\n1,2,x\nz,3,y\n,4,y\n", 4, 1, "empty cell in column 'a'");
  // The final field of a file that ends with a separator.
  expect_error("a,b,t\n1,2,x\n3,4,", 3, 3, "empty cell in column 't'");
}

// ---------------------------------------------------------------------------------------------
// Numbers and type inference

TEST(CsvReader, NumberSpellings) {
  const Dataset d = parse(
      "v,t\n+1,a\n 2 ,a\n\t3.5\t,a\n-0,a\n1.,a\n.25,a\n1e3,a\n1E-3,a\n+2.5e+2,a\n\"7\",a\n"
      "1e-400,a\n4.9406564584124654e-324,a\n1.7976931348623157e308,a\n0.1,b\n"
      "123456789012345678901234567890,b\n3.14159265358979323846,b\n");
  ASSERT_EQ(d.columns()[0].kind, ColumnKind::Numeric);
  const std::vector<double> want = {1.0,    2.0,  3.5,   -0.0,     1.0,     0.25,
                                    1000.0, 1e-3, 250.0, 7.0,      0.0,     4.9406564584124654e-324,
                                    1.7976931348623157e308, 0.1,   1.2345678901234568e29,
                                    3.141592653589793};
  ASSERT_EQ(d.rows(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const double got = d.X()(i, 0);
    EXPECT_EQ(std::memcmp(&want[i], &got, sizeof(double)), 0)
        << "row " << i << ": " << d.X()(i, 0) << " != " << want[i];
  }
}

// The reader decides short numbers without std::from_chars (Clinger's fast path); every spelling
// must give exactly the double std::from_chars gives.
TEST(CsvReader, NumbersMatchFromChars) {
  std::mt19937_64 gen(7);
  std::vector<std::string> cells = {
      "0", "-0", "9007199254740992", "9007199254740993", "-9007199254740993", "18446744073709551615",
      "18446744073709551616", "99999999999999999999", "0000000000000000000001", "1e22", "1e23", "-1e-22",
      "1.5e-22", "123456789e-22", "123456789e22", "0.000000000000000000001", "1.0000000000000000000001",
      "4503599627370496.5", "4503599627370497.5", "0.1", "0.2", "0.3", "2.2250738585072014e-308",
      "12345678.12345678", "1.23456789012345678", "7e-1", "7E+1", "5e0", "1e0001", "1e-0022", ".5e1",
      "5.e1", "12345678901234567890e-5"};
  for (int i = 0; i < 20000; ++i) {
    // Random mantissas of 1..21 digits, a point anywhere, exponents within +-30.
    const int n_digits = 1 + static_cast<int>(gen() % 21);
    std::string digits;
    for (int k = 0; k < n_digits; ++k) digits += static_cast<char>('0' + gen() % 10);
    std::string cell = gen() % 2 ? "-" : "";
    const auto point = static_cast<std::size_t>(gen() % static_cast<std::uint64_t>(n_digits + 1));
    cell += digits.substr(0, point);
    if (point < digits.size() || gen() % 4 == 0) cell.append(".").append(digits.substr(point));
    if (cell == "." || cell == "-.") cell += "5";
    if (gen() % 3 == 0) cell.append("e").append(std::to_string(static_cast<int>(gen() % 61) - 30));
    cells.push_back(cell);
  }
  std::string text = "v,t\n";
  for (std::size_t i = 0; i < cells.size(); ++i) text += cells[i] + (i % 2 ? ",a\n" : ",b\n");
  const Dataset d = parse(text);
  ASSERT_EQ(d.columns()[0].kind, ColumnKind::Numeric);
  ASSERT_EQ(d.rows(), cells.size());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    double want = 0.0;
    std::from_chars(cells[i].data(), cells[i].data() + cells[i].size(), want);
    const double got = d.X()(i, 0);
    if (std::memcmp(&want, &got, sizeof want) != 0 && ++mismatches < 10) {
      ADD_FAILURE() << cells[i] << ": got " << got << ", from_chars gives " << want;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(CsvReader, TextNumbersAreNotNumbers) {
  for (const std::string cell : {"1_000", "0x10", "1e", "+-1", "--1", "1,5", "1.2.3", "abc", "-", ".",
                                 "1.2345678:9", "1.23456789/", "12345678901234567890x", "1e5e5", "1e-"}) {
    const Dataset quoted = parse("v,t\n1,a\n\"" + cell + "\",b\n");
    EXPECT_EQ(quoted.columns()[0].kind, ColumnKind::Categorical) << cell;
    if (cell.find(',') == std::string::npos) {
      const Dataset plain = parse("v,t\n1,a\n" + cell + ",b\n");
      EXPECT_EQ(plain.columns()[0].kind, ColumnKind::Categorical) << cell;
    }
  }
}

TEST(CsvReader, NonFiniteNumbersAreErrors) {
  for (const std::string cell : {"nan", "NaN", "inf", "-inf", "Infinity", "+inf", " nan "}) {
    expect_error("a,b,t\n1,2,x\n3," + cell + ",y\n5,6,x\n", 3, 2, "non-finite number", {});
  }
  expect_error("a,b,t\n1,2,x\n3,-inf,y\n", 3, 2,
               "non-finite number '-inf' in column 'b' (NaN and infinity are not allowed");
  expect_error("a,b,t\n1,2,x\n3,1e400,y\n", 3, 2, "number '1e400' in column 'b' is out of the range of a double");
  expect_error("a,b,t\n1,2,x\n3,-2e308,y\n", 3, 2, "out of the range");
  // The first one in the file is reported.
  expect_error("a,b,t\n1,2,x\n3,inf,y\nnan,4,x\n", 3, 2, "non-finite");
  expect_error("a,b,t\n1,2,x\nnan,inf,y\n", 3, 1, "non-finite number 'nan' in column 'a'");
  // A column that is all NaN is still a numeric column with NaN in it.
  expect_error("a,t\nnan,x\nNaN,y\n", 2, 1, "non-finite");
}

TEST(CsvReader, NanInATextColumnIsALevel) {
  const Dataset d = parse("a,t\nnan,x\nfoo,y\ninf,x\n");
  ASSERT_EQ(d.columns()[0].kind, ColumnKind::Categorical);
  EXPECT_EQ(d.columns()[0].levels, (std::vector<std::string>{"nan", "foo", "inf"}));
}

TEST(CsvReader, CategoricalLevelsInOrderOfFirstAppearance) {
  const Dataset d = parse("c,t\nred,x\nblue,y\nred,x\ngreen,y\nblue,x\n");
  ASSERT_EQ(d.columns()[0].kind, ColumnKind::Categorical);
  EXPECT_EQ(d.columns()[0].levels, (std::vector<std::string>{"red", "blue", "green"}));
  const std::vector<double> codes = {0, 1, 0, 2, 1};
  for (std::size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(d.X()(i, 0), codes[i]);
  // Values are kept as written (spaces inside a quoted value matter).
  const Dataset s = parse("c,t\n\" a\",x\na,y\n");
  EXPECT_EQ(s.columns()[0].levels, (std::vector<std::string>{" a", "a"}));
}

TEST(CsvReader, MostlyNumericColumnIsCategoricalWithWarning) {
  // Column d: numbers first, then text (re-read in a second pass), spellings kept.
  const std::string text = "d,n,t\n2,1,x\n3,2,y\n02,3,x\n5more,4,y\n3,5,x\nmore,6,y\n2.0,7,x\n";
  CsvReport report;
  const Dataset d = parse(text, {}, &report);
  ASSERT_EQ(d.columns()[0].kind, ColumnKind::Categorical);
  EXPECT_EQ(d.columns()[1].kind, ColumnKind::Numeric);
  EXPECT_EQ(d.columns()[0].levels, (std::vector<std::string>{"2", "3", "02", "5more", "more", "2.0"}));
  EXPECT_EQ(column_of(d, 0), (std::vector<std::string>{"2", "3", "02", "5more", "3", "more", "2.0"}));
  EXPECT_EQ(d.X()(6, 1), 7.0);
  ASSERT_EQ(report.warnings.size(), 1u);
  const std::string& w = report.warnings[0];
  EXPECT_NE(w.find("column 'd' (column 1)"), std::string::npos) << w;
  EXPECT_NE(w.find("2 of 7 cells are not numbers"), std::string::npos) << w;
  EXPECT_NE(w.find("'5more' on line 5"), std::string::npos) << w;
  EXPECT_NE(w.find("--categorical d"), std::string::npos) << w;

  // Forcing it categorical: same levels, no warning.
  CsvReadOptions o;
  o.categorical = {"d"};
  CsvReport quiet;
  const Dataset f = parse(text, o, &quiet);
  EXPECT_TRUE(quiet.warnings.empty());
  EXPECT_EQ(f.columns()[0].levels, d.columns()[0].levels);
}

TEST(CsvReader, MostlyTextColumnHasNoWarning) {
  CsvReport report;
  const Dataset d = parse("c,t\n1,x\nb,y\nc,x\nd,y\n", {}, &report);
  EXPECT_EQ(d.columns()[0].kind, ColumnKind::Categorical);
  EXPECT_EQ(d.columns()[0].levels, (std::vector<std::string>{"1", "b", "c", "d"}));
  EXPECT_TRUE(report.warnings.empty());
}

TEST(CsvReader, WarningWhenTextComesFirst) {
  CsvReport report;
  parse("c,t\nmore,x\n2,y\n4,x\n", {}, &report);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("1 of 3 cells are not numbers, the first is 'more' on line 2"),
            std::string::npos)
      << report.warnings[0];
}

TEST(CsvReader, DeferredColumnAfterMultiLineQuotedField) {
  // The second pass re-splits records that contain quoted newlines and escapes.
  const Dataset d = parse("q,c,t\n\"x\ny\",1,a\n\"say \"\"z\"\"\",2,b\n\"w\",zz,a\n");
  EXPECT_EQ(column_of(d, 0), (std::vector<std::string>{"x\ny", "say \"z\"", "w"}));
  EXPECT_EQ(column_of(d, 1), (std::vector<std::string>{"1", "2", "zz"}));
}

TEST(CsvReader, ForcedCategoricalKeepsSpellings) {
  CsvReadOptions o;
  o.categorical = {"a"};
  const Dataset d = parse("a,b,t\n1,1.0,x\n1.0,2,y\n01,3,x\n", o);
  EXPECT_EQ(d.columns()[0].kind, ColumnKind::Categorical);
  EXPECT_EQ(d.columns()[0].levels, (std::vector<std::string>{"1", "1.0", "01"}));
  EXPECT_EQ(d.columns()[1].kind, ColumnKind::Numeric);
  // Naming the target among the categorical columns is harmless.
  o.categorical = {"t", "a"};
  EXPECT_EQ(parse("a,b,t\n1,1.0,x\n1.0,2,y\n", o).target_name(), "t");
}

TEST(CsvReader, UnknownCategoricalColumnListsColumns) {
  CsvReadOptions o;
  o.categorical = {"a", "zz"};
  expect_error("a,b,t\n1,2,x\n", 0, 0, "unknown categorical column 'zz'; the columns are: a, b, t", o);
}

// ---------------------------------------------------------------------------------------------
// Labels

TEST(CsvReader, LabelsKeptAsWrittenNumericOrder) {
  const Dataset d = parse("a,t\n1,10\n2,-1\n3,1\n4,1\n5,+2\n");
  EXPECT_TRUE(d.classes().numeric);
  EXPECT_EQ(d.classes().names, (std::vector<std::string>{"-1", "1", "+2", "10"}));
  EXPECT_EQ(labels_of(d), (std::vector<std::string>{"10", "-1", "1", "1", "+2"}));
  const std::vector<std::int32_t> codes(d.y().begin(), d.y().end());
  EXPECT_EQ(codes, (std::vector<std::int32_t>{3, 0, 1, 1, 2}));
}

TEST(CsvReader, LabelsStringByteOrder) {
  const Dataset d = parse("a,t\n1,b\n2,B\n3,a\n4,<=50K\n5,>50K\n6,10\n");
  EXPECT_FALSE(d.classes().numeric);
  EXPECT_EQ(d.classes().names, (std::vector<std::string>{"10", "<=50K", ">50K", "B", "a", "b"}));
}

TEST(CsvReader, OneClass) {
  expect_error("a,target\n1,x\n2,x\n", 0, 0,
               "only one class ('x') in column target: resampling needs at least two");
  CsvReadOptions o;
  o.require_two_classes = false;
  const Dataset d = parse("a,target\n1,x\n2,x\n", o);
  EXPECT_EQ(d.n_classes(), 1u);
  EXPECT_EQ(d.rows(), 2u);
}

// ---------------------------------------------------------------------------------------------
// Files

TEST(CsvReader, ReadsFileAndReportsBytes) {
  const std::string path = ::testing::TempDir() + "imbal_csv_reader_file.csv";
  const std::string text = "a,t\r\n1,x\r\n2,y\r\n";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  CsvReport report;
  const Dataset d = imbal::read_csv(path, {}, &report);
  EXPECT_EQ(d.rows(), 2u);
  EXPECT_EQ(report.bytes, text.size());
  std::remove(path.c_str());
}

TEST(CsvReader, ErrorsNameTheFile) {
  const std::string path = ::testing::TempDir() + "imbal_csv_reader_bad.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "a,t\n1,x\n2\n";
  }
  try {
    imbal::read_csv(path);
    ADD_FAILURE() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), path + ", line 3: expected 2 fields, found 1");
  }
  std::remove(path.c_str());
}

TEST(CsvReader, MissingFileIsRuntimeError) {
  const std::string path = ::testing::TempDir() + "imbal_no_such_file.csv";
  try {
    imbal::read_csv(path);
    ADD_FAILURE() << "no error";
  } catch (const imbal::RuntimeError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open '" + path + "': " + std::strerror(ENOENT));
  }
  EXPECT_THROW(imbal::read_csv(::testing::TempDir()), imbal::RuntimeError);  // a directory
}

TEST(CsvReader, MessageFormat) {
  try {
    parse("a,b,t\n1,2,x\n3,,y\n");
    ADD_FAILURE() << "no error";
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), "test.csv, line 3, column 2: empty cell in column 'b'");
  }
}

// ---------------------------------------------------------------------------------------------
// The shared datasets (counts from datasets/README.md)

struct SharedDataset {
  const char* file;
  std::size_t rows;
  std::size_t features;
  std::map<std::string, std::size_t> counts;
  std::vector<std::string> categorical;
};

const std::vector<SharedDataset>& shared_datasets() {
  static const std::vector<SharedDataset> all = {
      {"imb_ecoli.csv", 336, 7, {{"-1", 301}, {"1", 35}}, {}},
      {"imb_satimage.csv", 6435, 36, {{"-1", 5809}, {"1", 626}}, {}},
      {"imb_thyroid_sick.csv", 3772, 52, {{"-1", 3541}, {"1", 231}}, {}},
      {"imb_oil.csv", 937, 49, {{"-1", 896}, {"1", 41}}, {}},
      {"imb_letter_img.csv", 20000, 16, {{"-1", 19266}, {"1", 734}}, {}},
      {"imb_mammography.csv", 11183, 6, {{"-1", 10923}, {"1", 260}}, {}},
      {"imb_abalone_19.csv", 4177, 10, {{"-1", 4145}, {"1", 32}}, {}},
      {"car_vgood.csv", 1728, 6, {{"negative", 1663}, {"positive", 65}},
       {"Buying", "Maint", "Doors", "Persons", "Lug_boot", "Safety"}},
      {"pima.csv", 768, 8, {{"negative", 500}, {"positive", 268}}, {}},
      {"adult.csv", 48842, 14, {{"<=50K", 37155}, {">50K", 11687}},
       {"workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
        "native_country"}},
      {"german_credit.csv", 1000, 20, {{"good", 700}, {"bad", 300}},
       {"checking_status", "credit_history", "purpose", "savings_status", "employment", "personal_status",
        "other_parties", "property_magnitude", "other_payment_plans", "housing", "job", "own_telephone",
        "foreign_worker"}},
      {"yeast_multiclass.csv", 1484, 8,
       {{"CYT", 463}, {"NUC", 429}, {"MIT", 244}, {"ME3", 163}, {"ME2", 51}, {"ME1", 44}, {"EXC", 35},
        {"VAC", 30}, {"POX", 20}, {"ERL", 5}},
       {}},
      {"glass_multiclass.csv", 214, 9, {{"2", 76}, {"1", 70}, {"7", 29}, {"3", 17}, {"5", 13}, {"6", 9}}, {}},
      {"skin_segmentation.csv", 245057, 3, {{"2", 194198}, {"1", 50859}}, {}},
  };
  return all;
}

std::string dataset_path(const char* file) { return std::string(IMBAL_DATASETS_DIR) + "/" + file; }

TEST(CsvSharedDatasets, LoadWithTheDocumentedShape) {
  for (const auto& s : shared_datasets()) {
    SCOPED_TRACE(s.file);
    CsvReport report;
    const Dataset d = imbal::read_csv(dataset_path(s.file), {}, &report);
    EXPECT_EQ(d.rows(), s.rows);
    EXPECT_EQ(d.cols(), s.features);
    EXPECT_EQ(d.target_name(), "target");
    EXPECT_EQ(d.target_position(), s.features);
    ASSERT_EQ(d.n_classes(), s.counts.size());
    const auto counts = d.class_counts();
    for (std::size_t k = 0; k < d.n_classes(); ++k) {
      const auto it = s.counts.find(d.classes().names[k]);
      ASSERT_NE(it, s.counts.end()) << d.classes().names[k];
      EXPECT_EQ(counts[k], it->second) << d.classes().names[k];
    }
    for (const auto& c : d.columns()) {
      const bool listed = std::find(s.categorical.begin(), s.categorical.end(), c.name) != s.categorical.end();
      EXPECT_EQ(c.categorical(), listed) << c.name;
    }
    // Only car_vgood has numbers mixed with text in its categorical columns.
    if (std::string(s.file) == "car_vgood.csv") {
      ASSERT_EQ(report.warnings.size(), 2u);
      EXPECT_NE(report.warnings[0].find("column 'Doors' (column 3)"), std::string::npos) << report.warnings[0];
      EXPECT_NE(report.warnings[0].find("432 of 1728 cells are not numbers, the first is '5more' on line 83"),
                std::string::npos)
          << report.warnings[0];
      EXPECT_NE(report.warnings[1].find("column 'Persons' (column 4)"), std::string::npos) << report.warnings[1];
      EXPECT_NE(report.warnings[1].find("576 of 1728 cells are not numbers, the first is 'more' on line 20"),
                std::string::npos)
          << report.warnings[1];
    } else {
      EXPECT_TRUE(report.warnings.empty()) << report.warnings.front();
    }
    // With the documented categorical columns forced: same types, no warnings.
    CsvReadOptions o;
    o.categorical = s.categorical;
    CsvReport forced;
    const Dataset f = imbal::read_csv(dataset_path(s.file), o, &forced);
    EXPECT_TRUE(forced.warnings.empty());
    EXPECT_EQ(f.categorical_mask(), d.categorical_mask());
  }
}

TEST(CsvSharedDatasets, CarVgoodLevels) {
  const Dataset d = imbal::read_csv(dataset_path("car_vgood.csv"));
  EXPECT_EQ(d.columns()[2].levels, (std::vector<std::string>{"2", "3", "4", "5more"}));
  EXPECT_EQ(d.columns()[3].levels, (std::vector<std::string>{"2", "4", "more"}));
  EXPECT_EQ(d.columns()[0].levels, (std::vector<std::string>{"vhigh", "high", "med", "low"}));
}

TEST(CsvSharedDatasets, SpotValues) {
  const Dataset skin = imbal::read_csv(dataset_path("skin_segmentation.csv"));
  EXPECT_EQ(skin.columns()[0].name, "B");
  EXPECT_EQ(skin.X()(0, 0), 74.0);
  EXPECT_EQ(skin.X()(0, 1), 85.0);
  EXPECT_EQ(skin.X()(0, 2), 123.0);
  EXPECT_EQ(skin.classes().names[static_cast<std::size_t>(skin.y()[0])], "1");
  EXPECT_EQ(skin.classes().names[static_cast<std::size_t>(skin.y()[skin.rows() - 1])], "2");

  const Dataset adult = imbal::read_csv(dataset_path("adult.csv"));
  EXPECT_EQ(adult.X()(0, 0), 39.0);
  EXPECT_EQ(adult.columns()[1].levels[static_cast<std::size_t>(adult.X()(0, 1))], "State-gov");
  EXPECT_EQ(adult.X()(0, 2), 77516.0);
  // '?' is an ordinary category.
  const auto& workclass = adult.columns()[1].levels;
  EXPECT_NE(std::find(workclass.begin(), workclass.end(), "?"), workclass.end());
}

}  // namespace
