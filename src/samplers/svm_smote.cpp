// svm-smote: borderline over-sampling around the support vectors of an SVM (Nguyen, Cooper &
// Kamei, "Borderline over-sampling for imbalanced data classification", Int. J. Knowledge
// Engineering and Soft Data Paradigms 3(1), 2011), as imbalanced-learn's SVMSMOTE (0.10):
//
// 1. fit scikit-learn's default SVC(gamma="scale") on the whole data (all classes, one-vs-one)
//    and keep the support vectors of the targeted class (svm.hpp: libsvm, same rows as
//    scikit-learn's);
// 2. drop the noise support vectors: all of their m_neighbors nearest rows (itself excluded by
//    index) belong to other classes;
// 3. split the rest into danger (m/2 <= foreign neighbours < m) and safe (< m/2) ones;
// 4. draw f ~ Beta(10, 10): floor(f * (N + 1)) new rows interpolate from danger support vectors
//    towards one of their k_neighbors nearest same-class rows, step u ~ U[0, 1); the other rows
//    extrapolate from safe support vectors AWAY from such a neighbour, step -out_step * u, so
//    new = sv + step * (neighbour - sv) with step in (-out_step, 0].
//
// Differences from imbalanced-learn (docs/methods/svm-smote.md): exact counts (when one of the
// two groups is empty the other makes all N rows; imbalanced-learn makes only its share); no
// support vector left is an error instead of a crash or a short output; the SVM is fitted once,
// not once per targeted class (the fit is deterministic, so the support vectors are the same).
#include <algorithm>
#include <cmath>

#include "imbal/error.hpp"
#include "imbal/sampler.hpp"
#include "samplers/borderline.hpp"
#include "samplers/interpolation.hpp"
#include "samplers/svm.hpp"

namespace imbal {
namespace {

constexpr const char* kMethod = "svm-smote";

std::string class_words(const SamplerInput& in, std::int32_t label) {
  std::string name = in.class_name(label);
  return name.rfind("class ", 0) == 0 ? name : std::string("class ").append(name);
}

class SvmSmote final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    detail::require_numeric_features(in, kMethod);
    const auto k = static_cast<std::size_t>(params().get_int("k_neighbors"));
    const auto m = static_cast<std::size_t>(params().get_int("m_neighbors"));
    const double out_step = params().get_double("out_step");
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    detail::reserve_new_rows(plan, out);
    std::vector<std::size_t> support;
    bool fitted = false;
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      // Validate the neighbour counts before the (costly) SVM fit.
      const auto foreign = detail::foreign_neighbor_counts(in, cls.label, m, kMethod, "m_neighbors");
      const Neighbors same = detail::class_neighbors(in, cls.label, k, kMethod, "k_neighbors");
      if (!fitted) {
        support = detail::svc_support_rows(in.X, in.y, detail::SvcSettings{});
        fitted = true;
      }
      // Positions (in `rows`) of the class's support vectors, noise removed.
      std::vector<std::size_t> danger;
      std::vector<std::size_t> safe;
      std::size_t n_support = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!std::binary_search(support.begin(), support.end(), rows[i])) continue;
        ++n_support;
        if (foreign[i] >= m) continue;  // noise
        (detail::borderline_in_danger(foreign[i], m) ? danger : safe).push_back(i);
      }
      if (danger.empty() && safe.empty()) throw_no_support(in, cls, n_support, m);
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      const double fraction = detail::beta_deviate(rng, 10.0, 10.0);
      std::size_t n_danger = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(cls.n_new() + 1)));
      n_danger = std::min(n_danger, cls.n_new());
      if (safe.empty()) n_danger = cls.n_new();
      if (danger.empty()) n_danger = 0;
      for (std::size_t s = 0; s < n_danger; ++s) {
        const auto pair = static_cast<std::size_t>(rng.below(danger.size() * k));
        const std::size_t i = danger[pair / k];
        const double step = rng.uniform();
        detail::append_interpolated(in, rows[i], same(i, pair % k), step, cls.label, out);
      }
      for (std::size_t s = n_danger; s < cls.n_new(); ++s) {
        const auto pair = static_cast<std::size_t>(rng.below(safe.size() * k));
        const std::size_t i = safe[pair / k];
        const double step = -out_step * rng.uniform();
        detail::append_interpolated(in, rows[i], same(i, pair % k), step, cls.label, out);
      }
    }
    return out;
  }

 private:
  [[noreturn]] static void throw_no_support(const SamplerInput& in, const ClassPlan& cls, std::size_t n_support,
                                            std::size_t m) {
    std::string what = std::string(kMethod).append(": ").append(class_words(in, cls.label));
    if (n_support == 0) {
      what.append(" has no support vector (the support vector machine separates it from the other classes "
                  "without using any of its rows)");
    } else {
      what.append(" has ")
          .append(std::to_string(n_support))
          .append(" support vector")
          .append(n_support == 1 ? "" : "s")
          .append(", all noise (every one of their m_neighbors=")
          .append(std::to_string(m))
          .append(" nearest rows belongs to another class)");
    }
    throw InvalidArgument(what.append(", so there is no row to create the ")
                              .append(std::to_string(cls.n_new()))
                              .append(" requested new rows from; use smote or borderline-smote, change "
                                      "m_neighbors, or leave this class out of the sampling strategy"));
  }
};

}  // namespace

namespace detail {

const MethodSchema& svm_smote_schema() {
  static const MethodSchema schema{
      kMethod,
      "SVMSMOTE",
      "over_sampling",
      "over-sampling",
      "SMOTE from the class's support vectors of an RBF SVM: interpolation near the border, extrapolation "
      "where the class is safe.",
      "Nguyen, Cooper & Kamei, Borderline over-sampling for imbalanced data classification, Int. J. Knowledge "
      "Engineering and Soft Data Paradigms 3(1), 2011",
      {ParamSpec{"k_neighbors", ParamType::Int, std::int64_t{5},
                 "Nearest neighbours of the same class to interpolate towards (or extrapolate away from)", false,
                 1.0, std::nullopt, false, false, {}},
       ParamSpec{"m_neighbors", ParamType::Int, std::int64_t{10},
                 "Nearest neighbours among all rows that decide whether a support vector is noise, in danger or "
                 "safe",
                 false, 1.0, std::nullopt, false, false, {}},
       ParamSpec{"out_step", ParamType::Float, 0.5,
                 "Largest extrapolation step away from the neighbour for safe support vectors", false, 0.0,
                 std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/false};
  return schema;
}

std::unique_ptr<Sampler> svm_smote_create(Params params, SamplerOptions options) {
  return std::make_unique<SvmSmote>(svm_smote_schema(), std::move(params), std::move(options));
}

}  // namespace detail
}  // namespace imbal
