// random-over: random over-sampling with replacement (imbalanced-learn's RandomOverSampler),
// optionally a smoothed bootstrap: each drawn row is perturbed by Gaussian noise with a diagonal
// covariance, shrinkage * h * std_class, where h = (4 / ((d + 2) n))^(1 / (d + 4)) is
// Silverman's rule-of-thumb bandwidth (Silverman, "Density Estimation", 1986; as used by
// Menardi & Torelli, "Training and assessing classification rules with imbalanced data",
// DMKD 2014, ROSE).
#include <cmath>

#include "imbal/error.hpp"
#include "imbal/sampler.hpp"

namespace imbal {
namespace {

class RandomOverSampler final : public Sampler {
 public:
  using Sampler::Sampler;
  SamplingType sampling_type() const override { return SamplingType::OverSampling; }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& plan) override {
    const std::vector<double> shrinkage = shrinkage_per_class(in, plan);
    SamplerOutput out;
    out.keep_all_rows(in.X.rows);
    const bool smoothed = !shrinkage.empty();
    if (smoothed) out.synthetic = Matrix(0, in.X.cols);

    const std::size_t n = in.X.rows;
    const std::size_t d = in.X.cols;
    const double bandwidth = std::pow(4.0 / (static_cast<double>(d + 2) * static_cast<double>(n)),
                                      1.0 / static_cast<double>(d + 4));
    for (const auto& cls : plan.classes) {
      if (!cls.targeted || cls.n_new() == 0) continue;
      const auto& rows = in.class_rows[static_cast<std::size_t>(cls.label)];
      // One stream per class: a class's rows do not depend on the plans of other classes.
      Rng rng(in.seed, static_cast<std::uint64_t>(cls.label));
      const auto drawn = rng.choice(rows.size(), cls.n_new(), /*replace=*/true);
      if (!smoothed) {
        for (const auto k : drawn) out.indices.push_back(rows[k]);
        continue;
      }
      const std::vector<double> scale = class_std(in, rows);
      const double factor = shrinkage[static_cast<std::size_t>(cls.label)] * bandwidth;
      Matrix block(drawn.size(), d);
      for (std::size_t r = 0; r < drawn.size(); ++r) {
        const double* parent = in.X.row(rows[drawn[r]]);
        double* target = block.row(r);
        for (std::size_t j = 0; j < d; ++j) target[j] = parent[j] + rng.normal() * factor * scale[j];
        out.provenance.push_back(Provenance{static_cast<std::int64_t>(rows[drawn[r]]),
                                            Provenance::kNoNeighbor, 0.0});
        out.synthetic_labels.push_back(cls.label);
      }
      out.synthetic.append_rows(block.view());
    }
    return out;
  }

 private:
  // Population standard deviation (ddof = 0) of each column over `rows`.
  static std::vector<double> class_std(const SamplerInput& in, const std::vector<std::size_t>& rows) {
    const std::size_t d = in.X.cols;
    std::vector<double> mean(d, 0.0);
    std::vector<double> m2(d, 0.0);
    std::size_t count = 0;
    for (const auto i : rows) {  // Welford's online update, stable for large offsets
      ++count;
      const double* x = in.X.row(i);
      for (std::size_t j = 0; j < d; ++j) {
        const double delta = x[j] - mean[j];
        mean[j] += delta / static_cast<double>(count);
        m2[j] += delta * (x[j] - mean[j]);
      }
    }
    for (auto& v : m2) v = std::sqrt(v / static_cast<double>(count));
    return m2;
  }

  // The shrinkage factor of every class code, or empty for a plain bootstrap.
  std::vector<double> shrinkage_per_class(const SamplerInput& in, const ResamplePlan& plan) const {
    const ParamValue& value = params().get("shrinkage");
    if (std::holds_alternative<std::monostate>(value)) return {};
    for (std::size_t j = 0; j < in.categorical.size(); ++j) {
      if (in.categorical[j]) {
        throw InvalidArgument(
            "random-over with shrinkage perturbs features with Gaussian noise and needs numeric "
            "columns only; column " + std::to_string(j) + " is categorical");
      }
    }
    std::vector<double> factors(in.n_classes, 0.0);
    if (const auto* single = std::get_if<double>(&value)) {
      std::fill(factors.begin(), factors.end(), *single);
      return factors;
    }
    const auto& per_class = std::get<std::map<std::string, double>>(value);
    std::vector<bool> given(in.n_classes, false);
    for (const auto& [name, factor] : per_class) {
      std::int32_t code = 0;
      if (in.labels != nullptr) {
        code = in.labels->code_of(name);
      } else {
        try {
          code = std::stoi(name);
        } catch (const std::exception&) {
          throw InvalidArgument("shrinkage names class '" + name + "' but the classes are codes");
        }
        if (code < 0 || static_cast<std::size_t>(code) >= in.n_classes) {
          throw InvalidArgument("shrinkage names class " + name + ", which does not exist");
        }
      }
      factors[static_cast<std::size_t>(code)] = factor;
      given[static_cast<std::size_t>(code)] = true;
    }
    std::string missing;
    for (const auto& cls : plan.classes) {
      if (cls.targeted && !given[static_cast<std::size_t>(cls.label)]) {
        missing += (missing.empty() ? "" : ", ") + in.class_name(cls.label);
      }
    }
    if (!missing.empty()) {
      throw InvalidArgument("shrinkage must give a factor for every class that is over-sampled; "
                            "missing: " + missing);
    }
    return factors;
  }
};

}  // namespace

namespace detail {

const MethodSchema& random_over_schema() {
  static const MethodSchema schema{
      "random-over",
      "RandomOverSampler",
      "over_sampling",
      "over-sampling",
      "Duplicate randomly chosen rows of the targeted classes (optionally a smoothed bootstrap).",
      "Menardi & Torelli, Training and assessing classification rules with imbalanced data, "
      "Data Mining and Knowledge Discovery 28, 2014 (smoothed bootstrap)",
      {ParamSpec{"shrinkage", ParamType::FloatPerClass, std::monostate{},
                 "Smoothed bootstrap: scale of the Gaussian perturbation relative to the "
                 "class's per-feature std and Silverman's bandwidth; none = plain duplicates",
                 /*nullable=*/true, 0.0, std::nullopt, false, false, {}}},
      /*provides_sample_indices=*/true};
  return schema;
}

std::unique_ptr<Sampler> random_over_create(Params params, SamplerOptions options) {
  return std::make_unique<RandomOverSampler>(random_over_schema(), std::move(params),
                                             std::move(options));
}

}  // namespace detail
}  // namespace imbal
