// --demo: the sample images compiled into sluice-cli (resources/samples.qrc, under
// ":/samples") are copied into a temporary input folder, because InputScanner reads files.
#pragma once

#include "clioptions.h"

#include <QTemporaryDir>
#include <memory>

namespace sluice::cli {

struct DemoSetup
{
    std::unique_ptr<QTemporaryDir> inputRoot; // removed when the run ends
    int sampleCount = 0;
    bool outputIsTemporary = false; // -o was not given: a new folder that is kept
};

// Points `options` at the copied samples (and at a new temporary output folder when -o was not
// given; that folder is kept). Without --size the demo makes 640 px images.
bool prepareDemo(CliOptions &options, DemoSetup &setup, QString *error);

} // namespace sluice::cli
