// What the recipe panel edits and a preset stores: a Recipe plus where the outputs go. And the
// small rules that turn dropped paths into a batch name and an output path.
#pragma once

#include <QString>
#include <QStringList>
#include <recipe.h>

namespace sluice::app {

struct OutputChoice
{
    bool zip = false; // one archive instead of a folder
    QString folder;   // where the output goes; empty: beside the (first) input
    bool operator==(const OutputChoice &o) const { return zip == o.zip && folder == o.folder; }
};

struct RecipeSettings
{
    Recipe recipe;
    OutputChoice output;
    bool includeHidden = false; // dot-files and dot-folders are inputs too (else skipped, counted)
};

// "holiday", or "holiday + 2 more" for several inputs.
QString batchNameFor(const QStringList &inputs);
// "<dir>/<name>-sluice" (or ".zip"), where <name> is the first input's folder name or base
// name and <dir> is the input's own folder unless the choice names one.
QString outputPathFor(const QStringList &inputs, const OutputChoice &choice);
// "<base>-retry.zip", "<base>-retry-2.zip", ... : a name beside `zipPath` that does not exist.
QString retryZipPathFor(const QString &zipPath);

} // namespace sluice::app
