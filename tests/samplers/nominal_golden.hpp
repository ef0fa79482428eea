// Reads tests/python/golden/smotenc_smoten.txt (imbalanced-learn's SMOTENC.median_std_ and
// ValueDifferenceMetric distances, frozen by tests/python/golden/make_smotenc_smoten.py) and
// loads the shared categorical datasets with the README's categorical columns.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "imbal/csv.hpp"
#include "imbal/sampler.hpp"

namespace imbal::testing_nominal {

struct GoldenLine {
  std::string kind;
  std::string dataset;
  std::size_t i = 0;
  std::size_t j = 0;
  double value = 0.0;
};

inline std::vector<GoldenLine> golden() {
  std::ifstream in(std::string(IMBAL_SOURCE_DIR) + "/tests/python/golden/smotenc_smoten.txt");
  std::vector<GoldenLine> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    GoldenLine g;
    s >> g.kind >> g.dataset;
    if (g.kind == "vdm") s >> g.i >> g.j;
    std::string v;
    s >> v;
    g.value = std::stod(v);
    out.push_back(g);
  }
  return out;
}

inline std::vector<std::string> readme_categorical(const std::string& name) {
  if (name == "car_vgood.csv") return {"Buying", "Maint", "Doors", "Persons", "Lug_boot", "Safety"};
  if (name == "adult.csv") {
    return {"workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
            "native_country"};
  }
  if (name == "german_credit.csv") {
    return {"checking_status", "credit_history", "purpose", "savings_status", "employment", "personal_status",
            "other_parties", "property_magnitude", "other_payment_plans", "housing", "job", "own_telephone",
            "foreign_worker"};
  }
  return {};
}

inline bool have_datasets() { return std::filesystem::exists(std::string(IMBAL_DATASETS_DIR) + "/adult.csv"); }

inline Dataset load(const std::string& name) {
  CsvReadOptions options;
  options.categorical = readme_categorical(name);
  return read_csv(std::string(IMBAL_DATASETS_DIR) + "/" + name, options);
}

/// What Sampler::fit_resample hands a hook, built from a dataset (for the detail functions).
inline SamplerInput input_of(const Dataset& data, const std::vector<bool>& categorical) {
  SamplerInput in;
  in.X = data.X();
  in.y = data.y();
  in.n_classes = data.n_classes();
  in.class_rows.resize(in.n_classes);
  for (std::size_t i = 0; i < data.rows(); ++i) in.class_rows[static_cast<std::size_t>(in.y[i])].push_back(i);
  in.categorical = categorical;
  in.labels = &data.classes();
  in.columns = &data.columns();
  in.n_jobs = 2;
  return in;
}

}  // namespace imbal::testing_nominal
