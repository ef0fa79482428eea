#include <gtest/gtest.h>

#include <memory>

#include "imbal/dataset.hpp"
#include "imbal/error.hpp"

namespace imbal {
namespace {

Dataset small() {
  Matrix X(3, 2, std::vector<double>{1, 2, 3, 4, 5, 6});
  return Dataset(std::move(X), {0, 1, 0}, {{"a", ColumnKind::Numeric, {}}, {"b", ColumnKind::Numeric, {}}},
                 ClassLabels{{"neg", "pos"}, false});
}

TEST(Dataset, CopiesOwnTheirDataAndOutliveTheSource) {
  auto source = std::make_unique<Dataset>(small());
  Dataset copy = *source;
  Dataset assigned;
  assigned = *source;
  source.reset();
  EXPECT_EQ(copy.X()(2, 1), 6.0);
  EXPECT_EQ(copy.y()[1], 1);
  EXPECT_EQ(assigned.X()(0, 0), 1.0);
  EXPECT_EQ(assigned.class_counts(), (std::vector<std::size_t>{2, 1}));
}

TEST(Dataset, MovesKeepViewsValid) {
  Dataset a = small();
  const double* before = a.X().data;
  Dataset b = std::move(a);
  EXPECT_EQ(b.X().data, before);
  EXPECT_EQ(b.X()(1, 0), 3.0);
}

TEST(Dataset, WrapDoesNotCopy) {
  auto storage = std::make_shared<std::vector<double>>(std::vector<double>{1, 2, 3, 4});
  auto labels = std::make_shared<std::vector<std::int32_t>>(std::vector<std::int32_t>{0, 1});
  Dataset d = Dataset::wrap(MatrixView(storage->data(), 2, 2), *labels,
                            {{"a", ColumnKind::Numeric, {}}, {"b", ColumnKind::Numeric, {}}},
                            ClassLabels{{"x", "y"}, false}, storage);
  EXPECT_EQ(d.X().data, storage->data());
  Dataset copy = d;  // shares the owner
  EXPECT_EQ(copy.X().data, storage->data());
}

TEST(ClassLabels, SortedNumericallyWhenAllNumbers) {
  std::vector<std::string> raw{"10", "-1", "2", "-1", "10"};
  std::vector<std::int32_t> codes;
  const auto labels = ClassLabels::encode(raw, codes);
  EXPECT_TRUE(labels.numeric);
  EXPECT_EQ(labels.names, (std::vector<std::string>{"-1", "2", "10"}));
  EXPECT_EQ(codes, (std::vector<std::int32_t>{2, 0, 1, 0, 2}));
  EXPECT_EQ(labels.code_of("2.0"), 1);
  EXPECT_THROW(labels.code_of("3"), InvalidArgument);
}

TEST(ClassLabels, ByteOrderForStrings) {
  std::vector<std::string> raw{"b", "B", "a", "10", "9"};
  std::vector<std::int32_t> codes;
  const auto labels = ClassLabels::encode(raw, codes);
  EXPECT_FALSE(labels.numeric);
  EXPECT_EQ(labels.names, (std::vector<std::string>{"10", "9", "B", "a", "b"}));
}

}  // namespace
}  // namespace imbal
