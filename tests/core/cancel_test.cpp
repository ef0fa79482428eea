// Cooperative cancellation (imbal/cancel.hpp), which the Python module's Ctrl-C handler uses: a
// request makes a neighbour-based run and a model fit unwind with imbal::Cancelled; once cleared,
// the same calls work again.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "imbal/cancel.hpp"
#include "imbal/model_registry.hpp"
#include "imbal/registry.hpp"

namespace imbal {
namespace {

struct Data {
  Matrix X{200, 3};
  std::vector<std::int32_t> y = std::vector<std::int32_t>(200);
  Data() {
    for (std::size_t i = 0; i < 200; ++i) {
      for (std::size_t j = 0; j < 3; ++j) X(i, j) = static_cast<double>((i * 7 + j * 13) % 17) + 0.1 * static_cast<double>(j);
      y[i] = i % 5 == 0 ? 1 : 0;
    }
  }
};

struct ClearCancel {
  ~ClearCancel() { clear_cancel(); }
};

TEST(Cancel, ARequestStopsASamplerAndAModelUntilCleared) {
  const Data d;
  const ClearCancel guard;
  SamplerOptions options;
  options.random_state = 1;
  auto smote = make_sampler("smote", options);
  request_cancel();
  EXPECT_TRUE(cancel_requested());
  EXPECT_THROW(smote->fit_resample(d.X, d.y, 2), Cancelled);
  auto model = make_model("logistic-regression");
  EXPECT_THROW(model->fit(d.X, d.y, 2), Cancelled);
  clear_cancel();
  EXPECT_FALSE(cancel_requested());
  EXPECT_EQ(smote->fit_resample(d.X, d.y, 2).y.size(), 320U);
  EXPECT_NO_THROW(model->fit(d.X, d.y, 2));
}

}  // namespace
}  // namespace imbal
