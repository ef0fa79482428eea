// imbal: the command-line face of the engine. Exit codes: 0 ok, 1 data or runtime error,
// 2 usage error.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <new>

#include "common.hpp"
#include "study_report.hpp"
#include "imbal/error.hpp"
#include "imbal/version.hpp"

int main(int argc, char** argv) {
  using namespace imbal::cli;
  CLI::App app{"imbal: fast toolkit for imbalanced classification (resampling, evaluation)", "imbal"};
  app.set_version_flag("--version", std::string("imbal ") + std::string(imbal::kVersion));
  app.require_subcommand(1);
  app.fallthrough();
  auto& global = global_options();
  app.add_flag("-q,--quiet", global.quiet, "Print only errors (and requested output)");
  app.add_option("-j,--jobs", global.jobs, "Threads to use (default: all cores)")
      ->check(CLI::NonNegativeNumber);

  register_inspect(app);
  register_resample(app);
  register_make_classification(app);
  register_make_imbalance(app);
  register_train(app);
  register_predict(app);
  register_list(app);
  register_demo(app);
  register_metrics(app);
  register_split(app);
  register_evaluate(app);
  register_compare(app);
  install_evaluate_report();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "imbal: error: %s\nRun with --help for usage.\n", e.what());
    return 2;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "imbal: error: %s\nRun with --help for usage.\n", e.what());
    return 2;
  } catch (const imbal::DataError& e) {
    std::fprintf(stderr, "imbal: error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "imbal: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imbal: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
