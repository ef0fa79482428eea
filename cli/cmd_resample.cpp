// imbal resample DATA --method M: resample a CSV file and write one with the same columns,
// column order and label spellings; prints the class counts before and after.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "common.hpp"
#include "imbal/csv.hpp"
#include "imbal/error.hpp"
#include "imbal/random.hpp"
#include "imbal/registry.hpp"

namespace imbal::cli {

namespace {

struct ResampleOptions {
  DataOptions data;
  std::string method;
  std::vector<std::string> params;
  std::string strategy = "auto";
  std::optional<std::uint64_t> seed;
  std::string output;
  std::string provenance;
  std::string indices;
  bool dry_run = false;
  bool json = false;
  bool reduce_k = false;
};

std::string provenance_csv(const ResampleResult& result) {
  std::string out = "row,parent,neighbor,step\n";
  for (std::size_t k = 0; k < result.provenance.size(); ++k) {
    const auto& p = result.provenance[k];
    out += std::to_string(result.n_copied + k) + ',';
    if (p.parent >= 0) out += std::to_string(p.parent);
    out += ',';
    if (p.neighbor >= 0) out += std::to_string(p.neighbor);
    out += ',';
    append_number(out, p.step);
    out += '\n';
  }
  return out;
}

std::string indices_csv(const std::vector<std::size_t>& indices) {
  std::string out = "sample_index\n";
  for (const auto i : indices) out += std::to_string(i) + '\n';
  return out;
}

void run_resample(const ResampleOptions& opt) {
  const bool quiet = global_options().quiet;
  if (!opt.dry_run && opt.output.empty()) {
    throw UsageError("resample needs an output file: -o OUT.csv (or -o - for stdout, or --dry-run)");
  }
  // Method and parameters are checked before the data is read: a typo fails fast.
  std::unique_ptr<Sampler> sampler;
  try {
    SamplerOptions options;
    options.n_jobs = global_options().jobs;
    sampler = make_sampler(opt.method, opt.params, options);
  } catch (const InvalidArgument& e) {
    throw UsageError(e.what());
  }
  const bool to_stdout = opt.output == "-";
  std::FILE* info = to_stdout ? stderr : stdout;

  Progress progress("resample", 3);
  progress.step("reading " + opt.data.path);
  Dataset data = load_data(opt.data, quiet);
  progress.update(1);

  SamplerOptions options = sampler->options();
  try {
    options.sampling_strategy = SamplingStrategy::parse(opt.strategy, data.classes());
  } catch (const InvalidArgument& e) {
    throw UsageError(std::string("--strategy: ") + e.what());
  }
  options.random_state = opt.seed ? *opt.seed : random_seed();
  options.reduce_k = opt.reduce_k;
  sampler->set_options(options);

  const auto before = data.class_counts();
  if (opt.dry_run) {
    const auto plan = resolve_strategy(options.sampling_strategy, before, sampler->sampling_type(),
                                       &data.classes());
    progress.finish();
    std::vector<std::size_t> after;
    for (const auto& c : plan.classes) after.push_back(c.n_out);
    std::printf("%s with strategy '%s' would give (dry run, nothing written):\n", opt.method.c_str(),
                opt.strategy.c_str());
    print_class_table(stdout, data.classes(), before, &after);
    return;
  }

  progress.step(opt.method);
  ResampleResult details;
  Dataset out = sampler->fit_resample(data, &details);
  progress.update(2);
  // Warnings always reach stderr (also with --quiet and --json): they say the result is not
  // exactly what was asked for.
  for (const auto& w : details.warnings) std::fprintf(stderr, "imbal: warning: %s\n", w.c_str());
  progress.step("writing " + opt.output);
  // Build every output before writing any, so a failure leaves no partial set of files.
  std::string provenance_text;
  if (!opt.provenance.empty()) provenance_text = provenance_csv(details);
  std::string indices_text;
  if (!opt.indices.empty()) {
    if (!details.sample_indices) {
      throw UsageError("--indices: method '" + opt.method + "' creates new rows and has no sample indices");
    }
    indices_text = indices_csv(*details.sample_indices);
  }
  write_csv(out, opt.output);
  if (!opt.provenance.empty()) write_file_atomically(opt.provenance, provenance_text);
  if (!opt.indices.empty()) write_file_atomically(opt.indices, indices_text);
  progress.finish();

  const auto after = out.class_counts();
  if (opt.json) {
    nlohmann::json j;
    j["method"] = opt.method;
    j["strategy"] = opt.strategy;
    j["seed"] = *options.random_state;
    j["rows_before"] = data.rows();
    j["rows_after"] = out.rows();
    j["warnings"] = details.warnings;
    // The method's fitted attributes (renn: n_iter_), by their imbalanced-learn names.
    if (!details.attributes.empty()) j["attributes"] = details.attributes;
    auto& cls = j["classes"] = nlohmann::json::array();
    for (std::size_t c = 0; c < before.size(); ++c) {
      cls.push_back({{"class", data.classes().names[c]}, {"before", before[c]}, {"after", after[c]}});
    }
    std::fprintf(info, "%s\n", j.dump(2).c_str());
    return;
  }
  if (quiet) return;
  std::fprintf(info, "%s (strategy '%s', seed %llu): %zu rows -> %zu rows\n", opt.method.c_str(),
               opt.strategy.c_str(), static_cast<unsigned long long>(*options.random_state), data.rows(),
               out.rows());
  print_class_table(info, data.classes(), before, &after);
  for (const auto& [name, value] : details.attributes) {
    std::fprintf(info, "%s = %lld\n", name.c_str(), static_cast<long long>(value));
  }
  if (!to_stdout) std::fprintf(info, "written to %s\n", opt.output.c_str());
}

}  // namespace

void register_resample(CLI::App& app) {
  auto opt = std::make_shared<ResampleOptions>();
  auto* cmd = app.add_subcommand("resample", "Resample a CSV file with one method (see `imbal list`)");
  add_data_options(*cmd, opt->data);
  cmd->add_option("-m,--method", opt->method,
                 "Method id (imbal list), or a chain of them joined by +, e.g. smote+random-under")->required();
  cmd->add_option("-p,--param", opt->params, "Method parameter name=value (repeatable)");
  cmd->add_option("-s,--strategy", opt->strategy,
                  "Sampling strategy: auto, minority, majority, 'not minority', 'not majority', all, "
                  "a ratio (0.5), counts (pos:500,neg:1000) or a list of classes ([neg])")
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed (default: a fresh one, printed)");
  cmd->add_option("-o,--output", opt->output, "Output CSV file ('-' for stdout)");
  cmd->add_option("--provenance", opt->provenance,
                  "Also write, for every new row, its parent row, neighbour row and step");
  cmd->add_option("--indices", opt->indices,
                  "Also write the input row index behind every output row (sample_indices)");
  cmd->add_flag("--reduce-k", opt->reduce_k,
                "Neighbour-based methods: use fewer neighbours (with a warning) for a class with fewer "
                "than k + 1 rows, instead of failing");
  cmd->add_flag("--dry-run", opt->dry_run, "Only print the per-class plan; write nothing");
  cmd->add_flag("--json", opt->json, "Print the summary as JSON");
  cmd->callback([opt] { run_resample(*opt); });
}

}  // namespace imbal::cli
