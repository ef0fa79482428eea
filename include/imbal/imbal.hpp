// Umbrella header: the whole public API of the imbal library.
#pragma once

#include "imbal/csv.hpp"
#include "imbal/dataset.hpp"
#include "imbal/error.hpp"
#include "imbal/generators.hpp"
#include "imbal/matrix.hpp"
#include "imbal/params.hpp"
#include "imbal/random.hpp"
#include "imbal/registry.hpp"
#include "imbal/sampler.hpp"
#include "imbal/strategy.hpp"
#include "imbal/version.hpp"
