#include "samplers/chain.hpp"

#include <map>
#include <mutex>

#include "imbal/error.hpp"
#include "imbal/registry.hpp"

namespace imbal::detail {
namespace {

constexpr std::string_view kStrategyParam = "sampling_strategy";
// Stream id of the seed of stage s >= 1 ("chain" in ASCII, plus s); stage 0 uses the chain's
// seed itself, so smote+enn's SMOTE rows equal smote's with the same seed.
constexpr std::uint64_t kStageStream = 0x636861696eULL;

std::string default_stage_strategy(const ChainStage& stage) {
  if (!stage.strategy.empty()) return stage.strategy;
  return find_sampler(stage.method).schema().family == "cleaning" ? "all" : "auto";
}

std::string stage_label(const ChainStage& stage, std::size_t s) {
  return "stage " + std::to_string(s + 1) + " (" + stage.method + ", parameters " + stage.prefix + ".*)";
}

// Where a row of an intermediate result comes from: a copy of input row `input_row`, or (when
// input_row < 0) a new row whose provenance is expressed in input rows when it can be (a new
// row made from another stage's new row has no input parent: parent = kNoParent).
struct Origin {
  std::int64_t input_row = -1;
  Provenance provenance;
};

// A stage's provenance in terms of the chain's input rows. A row interpolated between rows of
// the input keeps its (parent, neighbor, step). A perturbed row (no neighbour: smoothed
// bootstrap) keeps the input row behind its parent, also when that parent was itself
// perturbed by an earlier stage. Anything else made from a new row has no input parent.
Provenance to_input_rows(const Provenance& p, const std::vector<Origin>& origin) {
  Provenance none;
  if (p.parent < 0) return none;
  const Origin& parent = origin[static_cast<std::size_t>(p.parent)];
  if (p.neighbor < 0) {
    Provenance q = p;
    if (parent.input_row >= 0) {
      q.parent = parent.input_row;
    } else if (parent.provenance.neighbor < 0 && parent.provenance.parent >= 0) {
      q.parent = parent.provenance.parent;
    } else {
      return none;
    }
    return q;
  }
  const Origin& neighbor = origin[static_cast<std::size_t>(p.neighbor)];
  if (parent.input_row < 0 || neighbor.input_row < 0) return none;
  return Provenance{parent.input_row, neighbor.input_row, p.step};
}

class SamplerChain final : public Sampler {
 public:
  SamplerChain(const MethodSchema& schema, std::vector<ChainStage> stages, Params params, SamplerOptions options)
      : Sampler(schema, std::move(params), std::move(options)), stages_(std::move(stages)) {
    for (std::size_t s = 0; s < stages_.size(); ++s) {
      const auto& entry = find_sampler(stages_[s].method);
      Params stage_params(entry.schema());
      for (const auto& spec : entry.schema().params) {
        stage_params.set_value(spec.name, this->params().get(stages_[s].prefix + "." + spec.name));
      }
      samplers_.push_back(entry.create(std::move(stage_params), {}));
      if (s > 0) strategies_.push_back(this->params().get_string(stages_[s].prefix + "." + std::string(kStrategyParam)));
    }
  }

  SamplingType sampling_type() const override { return samplers_.front()->sampling_type(); }

 protected:
  SamplerOutput resample(const SamplerInput& in, const ResamplePlan& /*plan: the first stage's, re-resolved by it*/) override {
    ClassLabels codes;  // class names for parsing stage strategies when the caller gave none
    if (in.labels == nullptr) {
      for (std::size_t c = 0; c < in.n_classes; ++c) codes.names.push_back(std::to_string(c));
      codes.numeric = true;
    }
    const ClassLabels& labels = in.labels != nullptr ? *in.labels : codes;

    std::vector<Origin> origin(in.X.rows);
    for (std::size_t i = 0; i < origin.size(); ++i) origin[i].input_row = static_cast<std::int64_t>(i);
    Matrix current;
    MatrixView X = in.X;
    std::vector<std::int32_t> y(in.y.begin(), in.y.end());

    for (std::size_t s = 0; s < stages_.size(); ++s) {
      SamplerOptions options;
      options.n_jobs = in.n_jobs;
      options.reduce_k = in.reduce_k;
      options.random_state = s == 0 ? in.seed : Rng(in.seed, kStageStream + s).next();
      ResampleResult r;
      try {
        options.sampling_strategy =
            s == 0 ? this->options().sampling_strategy : SamplingStrategy::parse(strategies_[s - 1], labels);
        samplers_[s]->set_options(options);
        r = samplers_[s]->fit_resample(X, y, in.n_classes, in.categorical, in.labels);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(schema().name + ", " + stage_label(stages_[s], s) + ": " + e.what());
      }
      for (const auto& w : r.warnings) in.warn(schema().name + ", " + stage_label(stages_[s], s) + ": " + w);

      std::vector<Origin> next;
      next.reserve(r.y.size());
      for (std::size_t i = 0; i < r.n_copied; ++i) next.push_back(origin[r.indices[i]]);
      for (std::size_t j = 0; j < r.y.size() - r.n_copied; ++j) {
        Origin o;
        if (j < r.provenance.size()) o.provenance = to_input_rows(r.provenance[j], origin);
        next.push_back(o);
      }
      origin = std::move(next);
      current = std::move(r.X);
      X = current.view();
      y = std::move(r.y);
    }

    // Copied input rows first, then the new rows, each in the order the last stage left them.
    SamplerOutput out;
    std::size_t n_new = 0;
    for (const auto& o : origin) {
      if (o.input_row >= 0) {
        out.indices.push_back(static_cast<std::size_t>(o.input_row));
      } else {
        ++n_new;
      }
    }
    out.synthetic = Matrix(0, in.X.cols);
    out.synthetic.reserve_rows(n_new);
    for (std::size_t i = 0; i < origin.size(); ++i) {
      if (origin[i].input_row >= 0) continue;
      double* row = out.synthetic.add_row();
      const double* src = X.row(i);
      std::copy(src, src + X.cols, row);
      out.synthetic_labels.push_back(y[i]);
      out.provenance.push_back(origin[i].provenance);
    }
    return out;
  }

 private:
  std::vector<ChainStage> stages_;
  std::vector<std::unique_ptr<Sampler>> samplers_;
  std::vector<std::string> strategies_;  // stages 2.. (texts, parsed against the data's classes)
};

}  // namespace

MethodSchema chain_schema(std::string name, std::string python_class, std::string python_module,
                          std::string summary, std::string reference, const std::vector<ChainStage>& stages) {
  IMBAL_ASSERT(!stages.empty());
  MethodSchema schema;
  schema.name = std::move(name);
  schema.python_class = std::move(python_class);
  schema.python_module = std::move(python_module);
  schema.family = "combined";
  schema.summary = std::move(summary);
  schema.reference = std::move(reference);
  // Sample indices exist when every stage has them: such stages only copy or perturb rows, so
  // every output row has an input row behind it (see to_input_rows).
  schema.provides_sample_indices = true;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const auto& stage_schema = find_sampler(stages[s].method).schema();
    if (!stage_schema.provides_sample_indices) schema.provides_sample_indices = false;
    for (ParamSpec spec : stage_schema.params) {
      spec.name = stages[s].prefix + "." + spec.name;
      spec.doc = stages[s].method + ": " + spec.doc;
      schema.params.push_back(std::move(spec));
    }
    if (s > 0) {
      schema.params.push_back(ParamSpec{stages[s].prefix + "." + std::string(kStrategyParam), ParamType::Text,
                                        default_stage_strategy(stages[s]),
                                        stages[s].method + ": the sampling strategy of this stage", false,
                                        std::nullopt, std::nullopt, false, false, {}});
    }
  }
  return schema;
}

std::unique_ptr<Sampler> make_chain(const MethodSchema& schema, std::vector<ChainStage> stages, Params params,
                                    SamplerOptions options) {
  return std::make_unique<SamplerChain>(schema, std::move(stages), std::move(params), std::move(options));
}

std::unique_ptr<Sampler> make_named_chain(std::string_view name, const std::vector<std::string>& assignments,
                                          SamplerOptions options) {
  std::vector<ChainStage> stages;
  std::map<std::string, int> seen;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto plus = std::min(name.find('+', start), name.size());
    const std::string method(name.substr(start, plus - start));
    if (method.empty()) {
      throw InvalidArgument("method '" + std::string(name) +
                            "': a chain names registered methods joined by '+', e.g. smote+enn");
    }
    find_sampler(method);  // throws, listing the methods, when unknown
    const int n = ++seen[method];
    stages.push_back(ChainStage{method, n == 1 ? method : method + std::to_string(n), ""});
    start = plus + 1;
  }

  // Interned: a sampler keeps a pointer to its schema, and the same chain is usually made again.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<MethodSchema>, std::less<>> schemas;
  const MethodSchema* schema = nullptr;
  {
    const std::lock_guard lock(mutex);
    auto it = schemas.find(name);
    if (it == schemas.end()) {
      auto made = std::make_unique<MethodSchema>(chain_schema(
          std::string(name), "", "", "A chain: each stage resamples the previous stage's output.", "", stages));
      it = schemas.emplace(std::string(name), std::move(made)).first;
    }
    schema = it->second.get();
  }

  Params params(*schema);
  for (const auto& a : assignments) {
    auto [key, value] = split_assignment(a);
    if (key.find('.') == std::string::npos) {
      std::vector<std::string> owners;
      for (const auto& stage : stages) {
        if (schema->find(stage.prefix + "." + key) != nullptr) owners.push_back(stage.prefix);
      }
      if (owners.size() == 1) {
        key = owners.front() + "." + key;
      } else if (owners.size() > 1) {
        std::string list;
        for (const auto& o : owners) list += (list.empty() ? "" : ", ") + o + "." + key;
        throw InvalidArgument("method '" + std::string(name) + "': parameter '" + key +
                              "' belongs to several stages; name one: " + list);
      }
    }
    params.set(key, value);
  }
  return make_chain(*schema, std::move(stages), std::move(params), std::move(options));
}

}  // namespace imbal::detail
