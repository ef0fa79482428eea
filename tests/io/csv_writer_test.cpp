// CSV writer: layout, quoting, the target at its original position, exact round trips (random bit
// patterns, shared datasets byte for byte), atomic file replacement.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/error.hpp"

namespace {

using imbal::ClassLabels;
using imbal::Column;
using imbal::ColumnKind;
using imbal::CsvReadOptions;
using imbal::CsvWriteOptions;
using imbal::Dataset;
using imbal::Matrix;

std::string to_text(const Dataset& d, const CsvWriteOptions& options = {}) {
  std::ostringstream out;
  imbal::write_csv(d, out, options);
  return out.str();
}

Dataset parse(const std::string& text, const CsvReadOptions& options = {}) {
  return imbal::parse_csv(text, "test.csv", options);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Everything a read gives back: matrix bits, levels, labels, names, target position.
void expect_same_dataset(const Dataset& a, const Dataset& b) {
  ASSERT_EQ(a.rows(), b.rows());
  ASSERT_EQ(a.cols(), b.cols());
  EXPECT_EQ(a.target_name(), b.target_name());
  EXPECT_EQ(a.target_position(), b.target_position());
  EXPECT_EQ(a.classes().names, b.classes().names);
  EXPECT_EQ(a.classes().numeric, b.classes().numeric);
  for (std::size_t j = 0; j < a.cols(); ++j) {
    EXPECT_EQ(a.columns()[j].name, b.columns()[j].name);
    EXPECT_EQ(a.columns()[j].kind, b.columns()[j].kind) << a.columns()[j].name;
    EXPECT_EQ(a.columns()[j].levels, b.columns()[j].levels) << a.columns()[j].name;
  }
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < a.rows(); ++i) {
    if (a.y()[i] != b.y()[i]) ++mismatches;
    for (std::size_t j = 0; j < a.cols(); ++j) {
      if (!same_bits(a.X()(i, j), b.X()(i, j))) ++mismatches;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

Dataset small_dataset(std::size_t target_position) {
  Matrix x(3, 3);
  const double values[3][3] = {{1.5, 0, -2}, {0.1, 1, 1e300}, {-0.0, 2, 5e-324}};
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < 3; ++j) x(i, j) = values[i][j];
  }
  std::vector<Column> columns(3);
  columns[0].name = "num";
  columns[1].name = "colour, really";
  columns[1].kind = ColumnKind::Categorical;
  columns[1].levels = {"red", "say \"blue\"", "two\nlines"};
  columns[2].name = "other";
  std::vector<std::int32_t> codes;
  const std::vector<std::string> raw = {"pos, 1", "neg", "pos, 1"};
  ClassLabels classes = ClassLabels::encode(raw, codes);
  return Dataset(std::move(x), std::move(codes), std::move(columns), std::move(classes), "label",
                 target_position);
}

TEST(CsvWriter, LayoutAndQuoting) {
  const Dataset d = small_dataset(static_cast<std::size_t>(-1));
  EXPECT_EQ(to_text(d),
            "num,\"colour, really\",other,label\n"
            "1.5,red,-2,\"pos, 1\"\n"
            "0.1,\"say \"\"blue\"\"\",1e+300,neg\n"
            "-0,\"two\nlines\",5e-324,\"pos, 1\"\n");
}

TEST(CsvWriter, TargetWrittenBackInPlace) {
  const auto first_lines = [](const std::string& text) { return text.substr(0, text.find('\n', text.find('\n') + 1)); };
  EXPECT_EQ(first_lines(to_text(small_dataset(0))), "label,num,\"colour, really\",other\n\"pos, 1\",1.5,red,-2");
  EXPECT_EQ(first_lines(to_text(small_dataset(1))), "num,label,\"colour, really\",other\n1.5,\"pos, 1\",red,-2");
  EXPECT_EQ(first_lines(to_text(small_dataset(3))), "num,\"colour, really\",other,label\n1.5,red,-2,\"pos, 1\"");
  // Read with the target in the middle, written back in the same place, byte for byte.
  const std::string text = "a,target,b\n1,x,2\n3,y,4\n";
  EXPECT_EQ(to_text(parse(text)), text);
  CsvReadOptions o;
  o.target = "a";
  const std::string first = "a,b,c\nu,2,3\nv,4,5\n";
  EXPECT_EQ(to_text(parse(first, o)), first);
}

TEST(CsvWriter, OnlyATargetColumn) {
  const std::string text = "target\nx\ny\n";
  EXPECT_EQ(to_text(parse(text)), text);
}

TEST(CsvWriter, WithoutTarget) {
  CsvWriteOptions o;
  o.include_target = false;
  EXPECT_EQ(to_text(small_dataset(1), o),
            "num,\"colour, really\",other\n"
            "1.5,red,-2\n"
            "0.1,\"say \"\"blue\"\"\",1e+300\n"
            "-0,\"two\nlines\",5e-324\n");
}

TEST(CsvWriter, OtherSeparator) {
  CsvWriteOptions o;
  o.separator = ';';
  EXPECT_EQ(to_text(small_dataset(static_cast<std::size_t>(-1)), o),
            "num;colour, really;other;label\n"
            "1.5;red;-2;pos, 1\n"
            "0.1;\"say \"\"blue\"\"\";1e+300;neg\n"
            "-0;\"two\nlines\";5e-324;pos, 1\n");
  CsvReadOptions r;
  r.separator = ';';
  const Dataset d = small_dataset(static_cast<std::size_t>(-1));
  expect_same_dataset(parse(to_text(d, o), r), parse(to_text(d)));
  // A separator that can occur in numbers makes the writer quote them.
  o.separator = '.';
  r.separator = '.';
  const Dataset back = parse(to_text(d, o), r);
  EXPECT_EQ(back.X()(0, 0), 1.5);
  EXPECT_EQ(back.X()(1, 2), 1e300);
}

TEST(CsvWriter, QuotedValuesRoundTrip) {
  const std::string text =
      "\"a,b\",target,\"q\"\"\"\n"
      "\"x, 1\",\"lab \"\"1\"\"\",1\n"
      "\"multi\nline\",\" spaced \",2\n"
      "plain,\"lab \"\"1\"\"\",3\n";
  const Dataset d = parse(text);
  const std::string written = to_text(d);
  EXPECT_EQ(written, text);
  expect_same_dataset(parse(written), d);
}

TEST(CsvWriter, RandomBitPatternsRoundTripExactly) {
  std::mt19937_64 gen(20240601);
  const std::size_t rows = 1000;
  const std::size_t cols = 10;
  Matrix x(rows, cols);
  std::size_t filled = 0;
  while (filled < rows * cols) {
    const std::uint64_t bits = gen();
    double v = 0.0;
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    x.storage()[filled++] = v;
  }
  // Special values in the first rows.
  const double specials[] = {-0.0,
                             0.0,
                             1e308,
                             -1e308,
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::lowest(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::denorm_min(),
                             -std::numeric_limits<double>::denorm_min(),
                             2.2250738585072009e-308,  // largest denormal
                             0.1,
                             1.0 / 3.0,
                             9007199254740993.0,
                             123456789012345680.0,
                             5e-324,
                             1e23,
                             8.98846567431158e307,
                             4.9406564584124654e-324,
                             1e-5,
                             -1e22};
  std::size_t k = 0;
  for (const double s : specials) x.storage()[k++] = s;
  std::vector<Column> columns(cols);
  for (std::size_t j = 0; j < cols; ++j) columns[j].name = "x" + std::to_string(j);
  std::vector<std::string> raw(rows);
  for (std::size_t i = 0; i < rows; ++i) raw[i] = i % 3 == 0 ? "min" : "maj";
  std::vector<std::int32_t> codes;
  ClassLabels classes = ClassLabels::encode(raw, codes);
  const Dataset d(std::move(x), std::move(codes), std::move(columns), std::move(classes));

  const Dataset back = parse(to_text(d));
  ASSERT_EQ(back.rows(), rows);
  ASSERT_EQ(back.cols(), cols);
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      if (!same_bits(d.X()(i, j), back.X()(i, j))) {
        if (++mismatches < 10) ADD_FAILURE() << "row " << i << " col " << j << ": " << d.X()(i, j);
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_TRUE(std::signbit(back.X()(0, 0)));  // -0.0 survives
  EXPECT_EQ(back.classes().names, d.classes().names);
  EXPECT_TRUE(std::equal(back.y().begin(), back.y().end(), d.y().begin()));
  // And a second write gives the same text.
  EXPECT_EQ(to_text(back), to_text(d));
}

TEST(CsvWriter, BadCodesAreInvalidArgument) {
  Matrix x(1, 1);
  x(0, 0) = 2.5;
  std::vector<Column> columns(1);
  columns[0].name = "c";
  columns[0].kind = ColumnKind::Categorical;
  columns[0].levels = {"a", "b", "c"};
  ClassLabels classes;
  classes.names = {"x", "y"};
  const Dataset d(std::move(x), {1}, columns, classes);
  EXPECT_THROW(to_text(d), imbal::InvalidArgument);
  Matrix x2(1, 1);
  x2(0, 0) = 3.0;
  EXPECT_THROW(to_text(Dataset(std::move(x2), {0}, columns, classes)), imbal::InvalidArgument);
  Matrix x3(1, 1);
  EXPECT_THROW(to_text(Dataset(std::move(x3), {2}, columns, classes)), imbal::InvalidArgument);
}

TEST(CsvWriter, WritesFileAtomically) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "imbal_csv_writer_out.csv";
  std::remove(path.c_str());
  const Dataset d = small_dataset(1);
  imbal::write_csv(d, path);
  EXPECT_EQ(slurp(path), to_text(d));

  // A failing write (bad level code) leaves the existing file untouched.
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "previous content\n";
  }
  Matrix x(1, 1);
  x(0, 0) = 7.0;
  std::vector<Column> columns(1);
  columns[0].name = "c";
  columns[0].kind = ColumnKind::Categorical;
  columns[0].levels = {"a"};
  ClassLabels classes;
  classes.names = {"x", "y"};
  EXPECT_THROW(imbal::write_csv(Dataset(std::move(x), {0}, columns, classes), path), imbal::InvalidArgument);
  EXPECT_EQ(slurp(path), "previous content\n");
  std::remove(path.c_str());

  // A directory that does not exist: RuntimeError naming the path, and no file.
  const std::string missing = dir + "imbal_no_such_dir/out.csv";
  try {
    imbal::write_csv(d, missing);
    ADD_FAILURE() << "no error";
  } catch (const imbal::RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  EXPECT_FALSE(file_exists(missing));
}

TEST(CsvWriter, FailingStreamIsRuntimeError) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  EXPECT_THROW(imbal::write_csv(small_dataset(1), out), imbal::RuntimeError);
}

TEST(CsvWriter, LargeOutputInChunks) {
  // More than one 1 MiB chunk through the ostream overload gives the same text as the file one.
  const std::size_t rows = 60000;
  Matrix x(rows, 3);
  for (std::size_t i = 0; i < rows * 3; ++i) x.storage()[i] = static_cast<double>(i) / 7.0;
  std::vector<Column> columns(3);
  for (std::size_t j = 0; j < 3; ++j) columns[j].name = "f" + std::to_string(j);
  std::vector<std::string> raw(rows);
  for (std::size_t i = 0; i < rows; ++i) raw[i] = i % 2 ? "1" : "-1";
  std::vector<std::int32_t> codes;
  ClassLabels classes = ClassLabels::encode(raw, codes);
  const Dataset d(std::move(x), std::move(codes), std::move(columns), std::move(classes));
  const std::string text = to_text(d);
  ASSERT_GT(text.size(), std::size_t{2} << 20);
  const std::string path = ::testing::TempDir() + "imbal_csv_writer_large.csv";
  imbal::write_csv(d, path);
  EXPECT_EQ(slurp(path), text);
  expect_same_dataset(imbal::read_csv(path), parse(text));
  std::remove(path.c_str());
}

// Random small inputs: the reader either rejects them with a DataError or reads them, and then
// write -> read gives the same dataset again.
TEST(CsvWriter, RandomInputsRoundTripOrFailCleanly) {
  std::mt19937_64 gen(99);
  const std::string alphabet = "a1.,\"\n\r -e\t;n+0x";
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = gen() % 2 ? "h1,h2,target\n" : "";
    const auto length = gen() % 40;
    for (std::uint64_t i = 0; i < length; ++i) text += alphabet[gen() % alphabet.size()];
    Dataset d;
    try {
      d = parse(text);
    } catch (const imbal::DataError&) {
      continue;
    }
    ++accepted;
    const std::string written = to_text(d);
    SCOPED_TRACE("input: " + text + "\nwritten: " + written);
    Dataset again;
    ASSERT_NO_THROW(again = parse(written));
    expect_same_dataset(again, d);
    EXPECT_EQ(to_text(again), written);
  }
  EXPECT_GT(accepted, 100u);
}

// ---------------------------------------------------------------------------------------------
// The shared datasets

std::string dataset_path(const char* file) { return std::string(IMBAL_DATASETS_DIR) + "/" + file; }

// These files are already in the writer's form (shortest numbers, integers without ".0", LF):
// read -> write reproduces them byte for byte.
TEST(CsvSharedDatasets, ByteForByteRoundTrip) {
  for (const char* file : {"imb_ecoli.csv", "imb_satimage.csv", "imb_thyroid_sick.csv", "imb_letter_img.csv",
                           "imb_mammography.csv", "car_vgood.csv", "pima.csv", "adult.csv", "german_credit.csv",
                           "skin_segmentation.csv"}) {
    SCOPED_TRACE(file);
    const std::string original = slurp(dataset_path(file));
    ASSERT_FALSE(original.empty());
    EXPECT_TRUE(to_text(imbal::read_csv(dataset_path(file))) == original);
  }
}

// The others differ only in spelling ("0.50" -> "0.5", "0.0005" -> "5e-04", "1000000" -> "1e+06");
// read -> write -> read gives identical data for every dataset.
TEST(CsvSharedDatasets, ReadWriteReadIsIdentical) {
  for (const char* file : {"imb_ecoli.csv", "imb_satimage.csv", "imb_thyroid_sick.csv", "imb_oil.csv",
                           "imb_letter_img.csv", "imb_mammography.csv", "imb_abalone_19.csv", "car_vgood.csv",
                           "pima.csv", "adult.csv", "german_credit.csv", "yeast_multiclass.csv",
                           "glass_multiclass.csv", "skin_segmentation.csv"}) {
    SCOPED_TRACE(file);
    const Dataset first = imbal::read_csv(dataset_path(file));
    expect_same_dataset(parse(to_text(first)), first);
  }
}

TEST(CsvSharedDatasets, CrlfCopyReadsTheSame) {
  // A CRLF copy of a shared file reads identically and is written back with LF.
  const std::string original = slurp(dataset_path("pima.csv"));
  std::string crlf;
  for (const char c : original) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const Dataset d = parse(crlf);
  expect_same_dataset(d, parse(original));
  EXPECT_EQ(to_text(d), original);
}

}  // namespace
